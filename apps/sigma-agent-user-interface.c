/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "sigma-agent-user-interface.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-random.h"
#include "sigma-time.h"

/**
 * SigmaAgentUserInterface:
 *
 * The channel between the agent and the user (ARE's `AgentUserInterface`; apps.md §3).
 *
 * The app keeps the conversation as a list of messages, each sent by the "User" or the
 * "Agent". The agent writes with `send_message_to_user` and reads with the `get_*` tools; the
 * user (a user simulator, a scenario event) writes with `send_message_to_agent`, which also
 * notifies the agent at every verbosity.
 *
 * There is no user proxy in the kernel: `send_message_to_user` only records the message and
 * returns `null`, as ARE does with `wait_for_user_response=False`. A runner delivers the
 * user's replies by calling `send_message_to_agent`.
 *
 * State (ARE's `app_state`): `{"messages": [{"sender", "content", "attachments",
 * "timestamp", "time_read", "id"}, …]}`. Unlike ARE, timestamps are kept as loaded.
 *
 * Since: 0.1
 */

typedef enum
{
  SENDER_USER,
  SENDER_AGENT,
} Sender;

/* ARE's AUIMessage. The *_is_int flags remember that a loaded time was a JSON integer, so
 * that get_state() writes it back the way it came. */
typedef struct
{
  Sender   sender;
  char    *content;
  GStrv    attachments;     /* never NULL */
  gdouble  timestamp;
  gdouble  time_read;       /* meaningful when has_time_read */
  char    *id;              /* (nullable) */
  guint    has_time_read : 1;
  guint    timestamp_is_int : 1;
  guint    time_read_is_int : 1;
} AuiMessage;

struct _SigmaAgentUserInterface
{
  SigmaApp   parent_instance;

  GPtrArray *messages;      /* (element-type AuiMessage), in the order received */
};

G_DEFINE_FINAL_TYPE (SigmaAgentUserInterface, sigma_agent_user_interface, SIGMA_TYPE_APP)

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                             */

static const char *
sender_name (Sender sender)
{
  return sender == SENDER_USER ? "User" : "Agent";
}

static void
aui_message_free (gpointer data)
{
  AuiMessage *message = data;

  g_free (message->content);
  g_strfreev (message->attachments);
  g_free (message->id);
  g_free (message);
}

static void
aui_message_mark_read (AuiMessage *message,
                       gdouble     now)
{
  message->time_read = now;
  message->has_time_read = TRUE;
  message->time_read_is_int = FALSE;
}

/* A time as JSON: an integer when it was loaded as one (and is still a whole number that a
 * double holds exactly), else a number. */
static JsonNode *
time_node (gdouble  value,
           gboolean is_int)
{
  /* 2^53: every integer up to there is exact in a double */
  return sigma_json_number (value, is_int && fabs (value) <= 9007199254740992.0 && value == floor (value));
}

/* The message as ARE's `get_state_dict`, in AUIMessage field order. */
static JsonNode *
aui_message_to_json (const AuiMessage *message)
{
  JsonObject *obj = json_object_new ();
  JsonArray *attachments = json_array_new ();

  for (guint i = 0; message->attachments[i] != NULL; i++)
    json_array_add_string_element (attachments, message->attachments[i]);

  json_object_set_string_member (obj, "sender", sender_name (message->sender));
  json_object_set_string_member (obj, "content", message->content);
  json_object_set_array_member (obj, "attachments", attachments);
  json_object_set_member (obj, "timestamp", time_node (message->timestamp, message->timestamp_is_int));
  json_object_set_member (obj, "time_read",
                          message->has_time_read ? time_node (message->time_read, message->time_read_is_int)
                                                 : sigma_json_null ());
  json_object_set_member (obj, "id", sigma_json_string (message->id));
  return sigma_json_object (obj);
}

static JsonNode *
aui_message_list_to_json (GPtrArray *messages)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < messages->len; i++)
    json_array_add_element (array, aui_message_to_json (g_ptr_array_index (messages, i)));
  return sigma_json_array (array);
}

/* ARE's `AUIMessage.__str__`: four lines, and a fifth ("Read at") once the message was read. */
static char *
describe_message (Sender       sender,
                  const char  *content,
                  gdouble      timestamp,
                  gboolean     has_time_read,
                  gdouble      time_read)
{
  g_autofree char *received = sigma_time_format (timestamp);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Received at: %s\nSender: %s\nMessage: %s\nAlready read: %s",
                          received, sender_name (sender), content,
                          has_time_read ? "True" : "False");
  if (has_time_read)
    {
      g_autofree char *read = sigma_time_format (time_read);

      g_string_append_printf (text, "\nRead at: %s", read);
    }
  return g_string_free (text, FALSE);
}

/* ARE uses `str(uuid4())` for message ids, which is not seeded. Sigma draws the 32 hex digits
 * from the app rng, exactly as `uuid_hex(rng)`, and writes them as a version-4 UUID
 * (8-4-4-4-12, version nibble 4, RFC 4122 variant) so that the same seed gives the same ids. */
static char *
make_message_id (SigmaApp *app)
{
  static const char hex[] = "0123456789abcdef";
  g_autofree char *digits = sigma_random_uuid_hex (sigma_app_get_rand (app));

  digits[12] = '4';
  digits[16] = hex[8 + (g_ascii_xdigit_value (digits[16]) & 3)];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s",
                          digits, digits + 8, digits + 12, digits + 16, digits + 20);
}

/* ARE's `_send_message`: a new message stamped now; the agent's own messages count as read. */
static AuiMessage *
append_message (SigmaAgentUserInterface *self,
                Sender                   sender,
                const char              *content,
                JsonArray               *attachments)
{
  AuiMessage *message = g_new0 (AuiMessage, 1);
  guint n = attachments != NULL ? json_array_get_length (attachments) : 0;

  message->sender = sender;
  message->content = g_strdup (content != NULL ? content : "");
  message->attachments = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    message->attachments[i] = g_strdup (json_array_get_string_element (attachments, i));
  message->timestamp = sigma_app_get_time (SIGMA_APP (self));
  message->id = make_message_id (SIGMA_APP (self));
  if (sender == SENDER_AGENT)
    aui_message_mark_read (message, message->timestamp);

  g_ptr_array_add (self->messages, message);
  return message;
}

static AuiMessage *
find_last_from (SigmaAgentUserInterface *self,
                Sender                   sender)
{
  for (guint i = self->messages->len; i > 0; i--)
    {
      AuiMessage *message = g_ptr_array_index (self->messages, i - 1);

      if (message->sender == sender)
        return message;
    }
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static JsonNode *
send_message_to_user (SigmaApp    *app,
                      JsonObject  *args,
                      gpointer     user_data,
                      GError     **error)
{
  append_message (SIGMA_AGENT_USER_INTERFACE (app), SENDER_AGENT,
                  sigma_args_string (args, "content"), NULL);
  return NULL;
}

static JsonNode *
send_message_to_agent (SigmaApp    *app,
                       JsonObject  *args,
                       gpointer     user_data,
                       GError     **error)
{
  /* The attachment contents are for the notification system only; the app ignores them. */
  AuiMessage *message = append_message (SIGMA_AGENT_USER_INTERFACE (app), SENDER_USER,
                                        sigma_args_string (args, "content"),
                                        sigma_args_array (args, "attachments"));

  return sigma_json_string (message->id);
}

static JsonNode *
get_last_message_from_user (SigmaApp    *app,
                            JsonObject  *args,
                            gpointer     user_data,
                            GError     **error)
{
  AuiMessage *message = find_last_from (SIGMA_AGENT_USER_INTERFACE (app), SENDER_USER);

  if (message == NULL)
    return NULL;
  if (!message->has_time_read)
    aui_message_mark_read (message, sigma_app_get_time (app));
  return aui_message_to_json (message);
}

static JsonNode *
get_last_unread_messages (SigmaApp    *app,
                          JsonObject  *args,
                          gpointer     user_data,
                          GError     **error)
{
  SigmaAgentUserInterface *self = SIGMA_AGENT_USER_INTERFACE (app);
  gdouble now = sigma_app_get_time (app);
  JsonArray *result = json_array_new ();

  /* Only the user's messages can be unread: the agent's are read when sent. */
  for (guint i = 0; i < self->messages->len; i++)
    {
      AuiMessage *message = g_ptr_array_index (self->messages, i);

      if (message->sender != SENDER_USER || message->has_time_read)
        continue;
      aui_message_mark_read (message, now);
      json_array_add_element (result, aui_message_to_json (message));
    }
  return sigma_json_array (result);
}

static JsonNode *
get_last_message_from_agent (SigmaApp    *app,
                             JsonObject  *args,
                             gpointer     user_data,
                             GError     **error)
{
  AuiMessage *message = find_last_from (SIGMA_AGENT_USER_INTERFACE (app), SENDER_AGENT);

  return message != NULL ? aui_message_to_json (message) : NULL;
}

/* Newest first. g_ptr_array_sort() is stable, so equal timestamps keep the order received,
 * as Python's `sorted(reverse=True)` does. */
static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const AuiMessage *ma = *(const AuiMessage * const *) a;
  const AuiMessage *mb = *(const AuiMessage * const *) b;

  return (mb->timestamp > ma->timestamp) - (mb->timestamp < ma->timestamp);
}

static JsonNode *
get_all_messages (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  SigmaAgentUserInterface *self = SIGMA_AGENT_USER_INTERFACE (app);
  gdouble now = sigma_app_get_time (app);
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (self->messages->len);

  /* ARE quirk: every message, the agent's included, is (re)marked as read now. */
  for (guint i = 0; i < self->messages->len; i++)
    {
      AuiMessage *message = g_ptr_array_index (self->messages, i);

      aui_message_mark_read (message, now);
      g_ptr_array_add (sorted, message);
    }
  g_ptr_array_sort (sorted, compare_newest_first);
  return aui_message_list_to_json (sorted);
}

static const SigmaToolSpec aui_tools[] = {
  {
    "send_message_to_user",
    "Sends a message to the user; this ends the agent's turn until the user replies.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE,
    send_message_to_user,
    "Nothing: the user's reply arrives later as a notification.",
    {
      { "content", SIGMA_VALUE_TYPE_STRING, "The text of the message for the user.", "\"\"" },
      { NULL }
    }
  },
  {
    "send_message_to_agent",
    "Sends a message from the user to the agent, optionally with attached files.",
    SIGMA_TOOL_ROLE_USER, SIGMA_TOOL_OPERATION_WRITE,
    send_message_to_agent,
    "The id of the new message.",
    {
      { "content", SIGMA_VALUE_TYPE_STRING, "The text of the message for the agent.", "\"\"" },
      { "attachments", SIGMA_VALUE_TYPE_ARRAY,
        "The attached files, each given as a URL or path; null for none.", "null",
        SIGMA_VALUE_TYPE_STRING, TRUE },
      { "base64_utf8_encoded_attachment_contents", SIGMA_VALUE_TYPE_ARRAY,
        "The contents of the attachments, one object per entry of attachments (empty for an empty file); null for none.",
        "null", SIGMA_VALUE_TYPE_OBJECT, TRUE },
      { NULL }
    }
  },
  {
    "get_last_message_from_user",
    "Returns the most recent message from the user and marks it as read.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ,
    get_last_message_from_user,
    "The message, or null when the user has sent nothing.",
    { { NULL } }
  },
  {
    "get_last_unread_messages",
    "Returns every message from the user that has not been read yet, oldest first, and marks them as read.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ,
    get_last_unread_messages,
    "The unread messages; an empty list when everything was read.",
    { { NULL } }
  },
  {
    "get_last_message_from_agent",
    "Returns the most recent message the agent sent to the user.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ,
    get_last_message_from_agent,
    "The message, or null when the agent has sent nothing.",
    { { NULL } }
  },
  {
    "get_all_messages",
    "Returns the whole conversation between the user and the agent, newest first, and marks every message as read.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ,
    get_all_messages,
    "All messages, sorted by the time they were sent, newest first.",
    { { NULL } }
  },
};

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static gboolean
parse_sender (SigmaStateReader  *r,
              const char        *path,
              const char        *text,
              Sender            *sender,
              GError           **error)
{
  /* ARE looks the enum up by the upper-cased name, so "user" and "USER" are the user too. */
  if (g_ascii_strcasecmp (text, "User") == 0)
    *sender = SENDER_USER;
  else if (g_ascii_strcasecmp (text, "Agent") == 0)
    *sender = SENDER_AGENT;
  else
    return sigma_state_problem (r, error, "%s.sender: expected \"User\" or \"Agent\", got \"%s\"",
                                path, text);
  return TRUE;
}

static gboolean
parse_attachments (SigmaStateReader  *r,
                   JsonArray         *array,
                   const char        *path,
                   GStrv             *out,
                   GError           **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;
  GStrv attachments;

  if (array != NULL && !sigma_state_check_strings (r, array, path, "attachments", error))
    return FALSE;
  attachments = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    attachments[i] = g_strdup (json_array_get_string_element (array, i));
  *out = attachments;
  return TRUE;
}

/* One AUIMessage (a SigmaStateEntryFunc that appends to the array of messages @user_data).
 * Required: sender and content. A missing timestamp is the current simulated time (ARE takes
 * the wall clock); missing attachments are none; a missing time_read or id is null. */
static gboolean
parse_message (SigmaStateReader  *r,
               const char        *key,
               JsonObject        *obj,
               const char        *path,
               gpointer           user_data,
               GError           **error)
{
  GPtrArray *messages = user_data;
  AuiMessage *message;
  const char *sender = NULL;
  const char *content = NULL;
  const char *id = NULL;
  JsonArray *attachments = NULL;
  gdouble timestamp = sigma_app_get_time (r->app);
  gdouble time_read = 0;
  gboolean timestamp_is_int = FALSE, time_read_is_int = FALSE;
  Sender parsed_sender = SENDER_USER;
  GStrv parsed_attachments = NULL;

  if (!sigma_state_get_string (r, obj, path, "sender", TRUE, &sender, error) ||
      !sigma_state_get_string (r, obj, path, "content", TRUE, &content, error) ||
      !sigma_state_get_array (r, obj, path, "attachments", FALSE, &attachments, error) ||
      !sigma_state_get_number (r, obj, path, "timestamp", FALSE, &timestamp, &timestamp_is_int, error) ||
      !sigma_state_get_number (r, obj, path, "time_read", FALSE, &time_read, &time_read_is_int, error) ||
      !sigma_state_get_string (r, obj, path, "id", FALSE, &id, error) ||
      !parse_sender (r, path, sender, &parsed_sender, error) ||
      !parse_attachments (r, attachments, path, &parsed_attachments, error))
    return FALSE;

  message = g_new0 (AuiMessage, 1);
  message->sender = parsed_sender;
  message->content = g_strdup (content);
  message->attachments = parsed_attachments;
  message->timestamp = timestamp;
  message->timestamp_is_int = timestamp_is_int;
  message->has_time_read = json_object_has_member (obj, "time_read") &&
                           !json_object_get_null_member (obj, "time_read");
  message->time_read = time_read;
  message->time_read_is_int = time_read_is_int;
  message->id = g_strdup (id);
  g_ptr_array_add (messages, message);
  return TRUE;
}

static gboolean
sigma_agent_user_interface_load_state (SigmaApp  *app,
                                       JsonNode  *state,
                                       GError   **error)
{
  SigmaAgentUserInterface *self = SIGMA_AGENT_USER_INTERFACE (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (aui_message_free);
  JsonObject *root;
  JsonArray *array = NULL;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  if (!sigma_state_get_array (&r, root, "app_state", "messages", TRUE, &array, error))
    return FALSE;

  if (array != NULL &&
      !sigma_state_read_elements (&r, array, "app_state.messages", parse_message, messages, error))
    return FALSE;

  /* ARE re-bases every timestamp so that the earliest becomes 0.0; Sigma keeps them as
   * loaded (issue 3; doc/compat/agent-user-interface.md). */
  g_ptr_array_unref (self->messages);
  self->messages = g_steal_pointer (&messages);
  return TRUE;
}

static JsonNode *
sigma_agent_user_interface_get_state (SigmaApp *app)
{
  SigmaAgentUserInterface *self = SIGMA_AGENT_USER_INTERFACE (app);
  JsonObject *state = json_object_new ();

  json_object_set_member (state, "messages", aui_message_list_to_json (self->messages));
  return sigma_json_object (state);
}

static void
sigma_agent_user_interface_reset (SigmaApp *app)
{
  SigmaAgentUserInterface *self = SIGMA_AGENT_USER_INTERFACE (app);

  g_ptr_array_set_size (self->messages, 0);
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

/* Every message the user sends notifies the agent, at every verbosity: ARE's text is the
 * `str()` of a User message stamped and read at the time of the event. */
static char *
sigma_agent_user_interface_describe_notification (SigmaApp            *app,
                                                  SigmaCompletedEvent *event,
                                                  SigmaVerbosity       verbosity,
                                                  SigmaMessageType    *type)
{
  JsonObject *args;
  const char *content;
  gdouble now;

  if (g_strcmp0 (sigma_completed_event_get_function (event), "send_message_to_agent") != 0 ||
      sigma_completed_event_is_failure (event))
    return NULL;

  args = sigma_completed_event_get_args (event);
  content = args != NULL ? sigma_args_string (args, "content") : NULL;
  now = sigma_completed_event_get_event_time (event);
  *type = SIGMA_MESSAGE_TYPE_USER_MESSAGE;
  return describe_message (SENDER_USER, content != NULL ? content : "", now, TRUE, now);
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_agent_user_interface_finalize (GObject *object)
{
  SigmaAgentUserInterface *self = SIGMA_AGENT_USER_INTERFACE (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);

  G_OBJECT_CLASS (sigma_agent_user_interface_parent_class)->finalize (object);
}

static void
sigma_agent_user_interface_class_init (SigmaAgentUserInterfaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_agent_user_interface_finalize;

  app_class->get_state = sigma_agent_user_interface_get_state;
  app_class->load_state = sigma_agent_user_interface_load_state;
  app_class->reset = sigma_agent_user_interface_reset;
  app_class->describe_notification = sigma_agent_user_interface_describe_notification;
  app_class->app_class_name = "AgentUserInterface";
}

static void
sigma_agent_user_interface_init (SigmaAgentUserInterface *self)
{
  self->messages = g_ptr_array_new_with_free_func (aui_message_free);
  sigma_app_add_tool_specs (SIGMA_APP (self), aui_tools, G_N_ELEMENTS (aui_tools));
}

/**
 * sigma_agent_user_interface_new:
 * @name: (nullable): the instance name; "AgentUserInterface" when %NULL
 *
 * Returns: (transfer full): a new #SigmaAgentUserInterface
 */
SigmaApp *
sigma_agent_user_interface_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_AGENT_USER_INTERFACE, "name", name != NULL ? name : "AgentUserInterface", NULL);
}
