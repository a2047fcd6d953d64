/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-messaging-app.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-file-system.h"
#include "sigma-random.h"
#include "sigma-time.h"

/**
 * SigmaMessagingApp:
 *
 * A messenger with one-to-one and group conversations (ARE's `MessagingAppV2`; apps.md §7.1).
 *
 * Users are identified by ids. In `NAME` mode the ids are internal and the app keeps the
 * id ↔ name maps; in `PHONE_NUMBER` mode the ids are phone numbers and messages may go to any
 * number. The mode, like everything else, comes from the `app_state` (in the Gaia2 data the
 * instance "Messages" uses phone numbers and "Chats" uses names).
 *
 * Attachments are read from and saved to the environment's file system
 * (sigma_environment_get_file_system()); without one, no attachment can be sent or saved.
 *
 * Since: 0.1
 */

/* ARE's fuzzy user lookup keeps names scoring at least this (rapidfuzz WRatio, 0–100). */
#define LOOKUP_SCORE_CUTOFF 80.0

/* Sigma's bound on offsets and limits (issue 3); ARE leaves most of them unchecked. */
#define MAX_OFFSET_LIMIT 1000

typedef enum {
  MODE_NAME,
  MODE_PHONE_NUMBER,
} MessagingMode;

/* Seconds since the epoch that remember whether the JSON held them as an integer: the Gaia2
 * files store whole-second times as integers, and a loaded state must be written back as it
 * was read. Times the app makes itself are floats, as in ARE. */
typedef struct
{
  gdouble  value;
  gboolean integral;
} Stamp;

/* ARE's MessageV2, or FileMessageV2 when has_attachment is set. */
typedef struct
{
  char     *sender_id;
  char     *message_id;
  Stamp     timestamp;
  char     *content;
  gboolean  has_attachment;
  char     *attachment;        /* base64 text, or NULL */
  char     *attachment_name;   /* or NULL */
} Message;

/* ARE's ConversationV2. Tools name a conversation by its key in the conversations dict. ARE's
 * loader overwrites the object's conversation_id with the stored field, so key and field may
 * differ (the PARE files prefix the keys); both are kept. */
typedef struct
{
  char      *key;
  GPtrArray *participant_ids;   /* (element-type utf8), as stored: a loaded list keeps duplicates */
  GPtrArray *messages;          /* (element-type Message), in the order added */
  char      *title;             /* nullable */
  char      *conversation_id;
  Stamp      last_updated;
} Conversation;

struct _SigmaMessagingApp
{
  SigmaApp parent_instance;

  char          *current_user_id;     /* nullable */
  char          *current_user_name;   /* nullable */
  MessagingMode  mode;
  JsonObject    *id_to_name;          /* ordered dicts of strings, as ARE's */
  JsonObject    *name_to_id;
  SigmaOrderedMap *conversations;     /* ARE's dict: Conversation by key, in dict order */
  gint64         messages_view_limit;
  gint64         conversation_view_limit;
};

G_DEFINE_FINAL_TYPE (SigmaMessagingApp, sigma_messaging_app, SIGMA_TYPE_APP)

#define DEFAULT_MESSAGES_VIEW_LIMIT 10
#define DEFAULT_CONVERSATION_VIEW_LIMIT 5

static const char * const mode_names[] = { "NAME", "PHONE_NUMBER" };

/* ------------------------------------------------------------------------------------------ */
/* Entities                                                                                    */

static Stamp
stamp_float (gdouble value)
{
  return (Stamp) { value, FALSE };
}

static void
message_free (Message *message)
{
  g_free (message->sender_id);
  g_free (message->message_id);
  g_free (message->content);
  g_free (message->attachment);
  g_free (message->attachment_name);
  g_free (message);
}

static Message *
message_new (const char *sender_id,
             char       *message_id,   /* (transfer full) */
             Stamp       timestamp,
             const char *content)
{
  Message *message = g_new0 (Message, 1);

  message->sender_id = g_strdup (sender_id);
  message->message_id = message_id;
  message->timestamp = timestamp;
  message->content = g_strdup (content);
  return message;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Message, message_free)

static void
conversation_free (Conversation *conversation)
{
  g_free (conversation->key);
  g_ptr_array_unref (conversation->participant_ids);
  g_ptr_array_unref (conversation->messages);
  g_free (conversation->title);
  g_free (conversation->conversation_id);
  g_free (conversation);
}

static Conversation *
conversation_new (const char *key)
{
  Conversation *conversation = g_new0 (Conversation, 1);

  conversation->key = g_strdup (key);
  conversation->participant_ids = g_ptr_array_new_with_free_func (g_free);
  conversation->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  return conversation;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conversation, conversation_free)

/* ARE's update_last_updated: max(t, last_updated), which keeps t when they are equal. */
static void
conversation_append_message (Conversation *conversation,
                             Message      *message)   /* (transfer full) */
{
  g_ptr_array_add (conversation->messages, message);
  if (!(conversation->last_updated.value > message->timestamp.value))
    conversation->last_updated = message->timestamp;
}

static gint
conversation_find_participant (Conversation *conversation,
                               const char   *user_id)
{
  for (guint i = 0; i < conversation->participant_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (conversation->participant_ids, i), user_id))
      return (gint) i;
  return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Conversation lookup                                                                         */

static Conversation *
lookup_conversation (SigmaMessagingApp *self,
                     const char        *key)
{
  return sigma_ordered_map_lookup (self->conversations, key);
}

/* The conversation @key, or ARE's "not found" error (raised as Exception or ValueError,
 * with the same text, by most tools). */
static Conversation *
require_conversation (SigmaMessagingApp  *self,
                      const char         *key,
                      GError            **error)
{
  Conversation *conversation = lookup_conversation (self, key);

  if (conversation == NULL)
    sigma_tool_error (error, "Conversation with id %s not found", key);
  return conversation;
}

/* Stores @conversation under its key: a key already present keeps its place in the dict
 * (Python dict assignment), a new key goes last. */
static void
put_conversation (SigmaMessagingApp *self,
                  Conversation      *conversation)   /* (transfer full) */
{
  sigma_ordered_map_insert (self->conversations, conversation->key, conversation);
}

/* ------------------------------------------------------------------------------------------ */
/* Users and participants                                                                      */

static const char *
map_get (JsonObject *map,
         const char *key)
{
  JsonNode *node = json_object_get_member (map, key);

  return node != NULL ? json_node_get_string (node) : NULL;
}

static gboolean
require_current_user (SigmaMessagingApp  *self,
                      GError            **error)
{
  if (self->current_user_id == NULL)
    {
      sigma_tool_error (error, "Current user id must be set");
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isdigit (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Who a new conversation may include: a known id in NAME mode, anything with a digit in
 * PHONE_NUMBER mode. */
static gboolean
validate_user_id (SigmaMessagingApp  *self,
                  const char         *user_id,
                  GError            **error)
{
  if (self->mode == MODE_NAME && !json_object_has_member (self->id_to_name, user_id))
    {
      sigma_tool_error (error, "User %s does not exist in Ids, you need to provide the Id of an "
                        "existing user", user_id);
      return FALSE;
    }
  if (self->mode == MODE_PHONE_NUMBER && !has_digit (user_id))
    {
      sigma_tool_error (error, "User %s is not a valid phone number, you need to provide the "
                        "phone number of an existing user", user_id);
      return FALSE;
    }
  return TRUE;
}

/* ARE's get_default_title: the names of the other participants (distinct ids, the current
 * user left out), sorted and joined with ", ". An unknown id is skipped in NAME mode and
 * written as is in PHONE_NUMBER mode. */
static char *
default_title (SigmaMessagingApp  *self,
               const char * const *user_ids,
               guint               n_user_ids,
               GError            **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *title;

  for (guint i = 0; i < n_user_ids; i++)
    {
      const char *name;

      if (g_strcmp0 (user_ids[i], self->current_user_id) == 0 ||
          !g_hash_table_add (seen, (gpointer) user_ids[i]))
        continue;
      name = map_get (self->id_to_name, user_ids[i]);
      if (name == NULL && self->mode == MODE_PHONE_NUMBER)
        name = user_ids[i];
      if (name != NULL)
        g_ptr_array_add (names, (gpointer) name);
    }

  /* ARE asserts this with an empty message; Sigma says what is wrong (compat file) */
  if (self->current_user_id == NULL || !json_object_has_member (self->id_to_name, self->current_user_id))
    {
      sigma_tool_error (error, "The current user id %s is not a known user (id_to_name)",
                        self->current_user_id != NULL ? self->current_user_id : "None");
      return NULL;
    }

  g_ptr_array_sort (names, sigma_compare_strings);
  title = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (title, ", ");
      g_string_append (title, g_ptr_array_index (names, i));
    }
  return g_string_free (title, FALSE);
}

static char *
conversation_default_title (SigmaMessagingApp  *self,
                            Conversation       *conversation,
                            GError            **error)
{
  return default_title (self, (const char * const *) conversation->participant_ids->pdata,
                        conversation->participant_ids->len, error);
}

/* The strings of a validated `list[str]` argument, borrowed from @array. */
static GPtrArray *
string_list (JsonArray *array)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;
  GPtrArray *strings = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (strings, (gpointer) json_array_get_string_element (array, i));
  return strings;
}

/* Whether the distinct participants of @conversation are exactly the members of @wanted. */
static gboolean
has_participant_set (Conversation *conversation,
                     GHashTable   *wanted)
{
  g_autoptr(GHashTable) distinct = NULL;

  /* cheap rejection first: almost every conversation has someone else */
  for (guint i = 0; i < conversation->participant_ids->len; i++)
    if (!g_hash_table_contains (wanted, g_ptr_array_index (conversation->participant_ids, i)))
      return FALSE;

  distinct = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < conversation->participant_ids->len; i++)
    g_hash_table_add (distinct, g_ptr_array_index (conversation->participant_ids, i));
  return g_hash_table_size (distinct) == g_hash_table_size (wanted);
}

/* ARE's get_existing_conversation_ids: the conversations whose participants are exactly
 * @user_ids plus the current user, in dict order. ARE's set then holds None when there is no
 * current user, which no conversation matches. */
static GPtrArray *
conversations_with_participants (SigmaMessagingApp  *self,
                                 const char * const *user_ids,
                                 guint               n_user_ids)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *found = g_ptr_array_new ();
  SigmaOrderedMapIter iter;
  Conversation *conversation;

  if (self->current_user_id == NULL)
    return found;
  for (guint i = 0; i < n_user_ids; i++)
    g_hash_table_add (wanted, (gpointer) user_ids[i]);
  g_hash_table_add (wanted, self->current_user_id);

  sigma_ordered_map_iter_init (&iter, self->conversations);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &conversation))
    if (has_participant_set (conversation, wanted))
      g_ptr_array_add (found, conversation);
  return found;
}

/* A borrowing copy of an array (g_ptr_array_copy() would share the free function). */
static GPtrArray *
borrowed_copy (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_sized_new (array->len + 1);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (array, i));
  return copy;
}

static char *
join_strings (GPtrArray  *strings,
              const char *separator)
{
  g_autoptr(GPtrArray) terminated = borrowed_copy (strings);

  g_ptr_array_add (terminated, NULL);
  return g_strjoinv (separator, (char **) terminated->pdata);
}

/* ARE's _create_conversation. The participants are the distinct @user_ids in order, then the
 * current user (ARE builds them from a set, in no particular order). */
static Conversation *
create_conversation (SigmaMessagingApp  *self,
                     const char * const *user_ids,
                     guint               n_user_ids,
                     const char         *title,
                     GError            **error)
{
  g_autoptr(Conversation) conversation = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *cid = NULL;
  g_autofree char *default_text = NULL;
  GPtrArray *participants;

  if (n_user_ids < 1)
    {
      sigma_tool_error (error, "Must have at least one participant");
      return NULL;
    }
  for (guint i = 0; i < n_user_ids; i++)
    if (!validate_user_id (self, user_ids[i], error))
      return NULL;
  if (title == NULL)
    {
      default_text = default_title (self, user_ids, n_user_ids, error);
      if (default_text == NULL)
        return NULL;
      title = default_text;
    }

  cid = sigma_random_uuid_hex (sigma_app_get_rand (SIGMA_APP (self)));
  conversation = conversation_new (cid);
  participants = conversation->participant_ids;
  for (guint i = 0; i < n_user_ids; i++)
    if (g_hash_table_add (seen, (gpointer) user_ids[i]))
      g_ptr_array_add (participants, g_strdup (user_ids[i]));
  if (self->current_user_id != NULL && g_hash_table_add (seen, self->current_user_id))
    g_ptr_array_add (participants, g_strdup (self->current_user_id));

  /* ConversationV2.__post_init__ turns an empty title into the joined participant ids */
  conversation->title = *title != '\0' ? g_strdup (title) : join_strings (participants, ", ");
  conversation->conversation_id = g_strdup (cid);
  /* ARE stamps a new conversation with the host's wall clock; Sigma uses simulated time */
  conversation->last_updated = stamp_float (sigma_app_get_time (SIGMA_APP (self)));

  put_conversation (self, conversation);
  return g_steal_pointer (&conversation);
}

/* ARE's _get_or_create_default_conversation for one recipient: an existing conversation with
 * exactly the recipient and the current user that still has its default title, or a new one. */
static Conversation *
get_or_create_direct_conversation (SigmaMessagingApp  *self,
                                   const char         *user_id,
                                   GError            **error)
{
  const char *pair[2] = { self->current_user_id, user_id };
  g_autoptr(GPtrArray) existing = conversations_with_participants (self, &user_id, 1);
  g_autofree char *title = default_title (self, &user_id, 1, error);

  if (title == NULL)
    return NULL;
  for (guint i = 0; i < existing->len; i++)
    {
      Conversation *conversation = g_ptr_array_index (existing, i);

      if (g_strcmp0 (conversation->title, title) == 0)
        return conversation;
    }
  return create_conversation (self, pair, G_N_ELEMENTS (pair), NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Messages and attachments                                                                    */

/* Python's os.path.basename. */
static const char *
path_basename (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

static SigmaFileSystem *
get_file_system (SigmaMessagingApp *self)
{
  SigmaEnvironment *env = sigma_app_get_environment (SIGMA_APP (self));

  return env != NULL ? sigma_environment_get_file_system (env) : NULL;
}

static void
rethrow_as_tool_error (GError  *cause,
                       GError **error)
{
  sigma_tool_error (error, "%s", cause->message);
  g_error_free (cause);
}

/* ARE's _create_message: a message from the current user, stamped now. An attachment is
 * read from the environment's file system (ARE also looks on the host; Sigma never does). */
static Message *
create_message (SigmaMessagingApp  *self,
                const char         *content,
                const char         *attachment_path,
                GError            **error)
{
  GRand *rand = sigma_app_get_rand (SIGMA_APP (self));
  Stamp now = stamp_float (sigma_app_get_time (SIGMA_APP (self)));
  SigmaFileSystem *fs;
  g_autoptr(GBytes) bytes = NULL;
  GError *local_error = NULL;
  Message *message;

  if (!require_current_user (self, error))
    return NULL;
  if (attachment_path == NULL)
    return message_new (self->current_user_id, sigma_random_uuid_hex (rand), now, content);

  fs = get_file_system (self);
  if (fs == NULL || !sigma_file_system_exists (fs, attachment_path))
    {
      sigma_tool_error (error, "File %s does not exist", attachment_path);
      return NULL;
    }
  bytes = sigma_file_system_read_file (fs, attachment_path, &local_error);
  if (bytes == NULL)
    {
      rethrow_as_tool_error (local_error, error);
      return NULL;
    }
  /* ARE gives attachment messages an unseeded uuid4 id; Sigma draws it from the app rng */
  message = message_new (self->current_user_id, sigma_random_uuid_hex (rand), now, content);
  message->has_attachment = TRUE;
  message->attachment = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  message->attachment_name = g_strdup (path_basename (attachment_path));
  return message;
}

static Message *
find_message (Conversation *conversation,
              const char   *message_id)
{
  for (guint i = 0; i < conversation->messages->len; i++)
    {
      Message *message = g_ptr_array_index (conversation->messages, i);

      if (g_str_equal (message->message_id, message_id))
        return message;
    }
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Dates, sorting and pagination                                                               */

/* The min_date/max_date filter of ARE's get_messages_in_date_range. The dates are parsed on
 * first use, as ARE parses them only when it reaches a conversation's messages (a search that
 * matches every conversation by title never sees a bad date). */
typedef struct
{
  const char *min_date;
  const char *max_date;
  gboolean    parsed;
  gdouble     low;
  gdouble     high;
} DateRange;

static gboolean
date_range_parse (DateRange  *range,
                  GError    **error)
{
  GError *local_error = NULL;

  if (range->parsed)
    return TRUE;
  range->low = -INFINITY;
  range->high = INFINITY;
  if ((range->min_date != NULL && !sigma_time_parse (range->min_date, &range->low, &local_error)) ||
      (range->max_date != NULL && !sigma_time_parse (range->max_date, &range->high, &local_error)))
    {
      /* ARE lets strptime's ValueError through: same text */
      rethrow_as_tool_error (local_error, error);
      return FALSE;
    }
  range->parsed = TRUE;
  return TRUE;
}

static gboolean
date_range_contains (const DateRange *range,
                     const Message   *message)
{
  /* ARE compares int(timestamp): truncated toward zero */
  gdouble whole = trunc (message->timestamp.value);

  return range->low <= whole && whole <= range->high;
}

/* The messages of @conversation in @range (all of them when @range is NULL). */
static GPtrArray *
messages_in_range (Conversation     *conversation,
                   const DateRange  *range)
{
  GPtrArray *result = g_ptr_array_sized_new (conversation->messages->len);

  for (guint i = 0; i < conversation->messages->len; i++)
    {
      Message *message = g_ptr_array_index (conversation->messages, i);

      if (range == NULL || date_range_contains (range, message))
        g_ptr_array_add (result, message);
    }
  return result;
}

static gint
compare_messages_newest_first (gconstpointer a,
                               gconstpointer b)
{
  const Message *ma = *(const Message * const *) a;
  const Message *mb = *(const Message * const *) b;

  return (ma->timestamp.value < mb->timestamp.value) - (ma->timestamp.value > mb->timestamp.value);
}

static gint
compare_conversations_newest_first (gconstpointer a,
                                    gconstpointer b)
{
  const Conversation *ca = *(const Conversation * const *) a;
  const Conversation *cb = *(const Conversation * const *) b;

  return (ca->last_updated.value < cb->last_updated.value) -
         (ca->last_updated.value > cb->last_updated.value);
}

/* Python's sorted(..., reverse=True) keeps equal keys in their original order; GLib's
 * g_ptr_array_sort is a stable merge sort, so a plain descending comparison does the same. */
static void
sort_messages_newest_first (GPtrArray *messages)
{
  g_ptr_array_sort (messages, compare_messages_newest_first);
}

/* ARE's window `xs[offset : min(n, offset + limit)]` for a non-negative offset and limit. */
static void
page_bounds (guint   n,
             gint64  offset,
             gint64  limit,
             guint  *start,
             guint  *end)
{
  *start = (guint) MIN (offset, (gint64) n);
  *end = (guint) MAX ((gint64) *start, MIN ((gint64) n, offset + limit));
}

static gboolean
check_view_limit (gint64   limit,
                  gint64   view_limit,
                  GError **error)
{
  if (limit > view_limit)
    {
      sigma_tool_error (error, "Limit must be smaller than the view limit of %" G_GINT64_FORMAT
                        " - Please use a smaller limit and use offset to navigate", view_limit);
      return FALSE;
    }
  return TRUE;
}

/* Sigma's bound on a paging argument that sigma_check_offset_limit() cannot name (the
 * per-conversation message window); same code and wording. */
static gboolean
check_paging_argument (const char  *tool,
                       const char  *argument,
                       gint64       value,
                       GError     **error)
{
  if (value < 0 || value > MAX_OFFSET_LIMIT)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Tool '%s': argument '%s' must be between 0 and %d, got %" G_GINT64_FORMAT,
                   tool, argument, MAX_OFFSET_LIMIT, value);
      return FALSE;
    }
  return TRUE;
}

/* The paging arguments of the two conversation list tools, checked in ARE's order (the
 * conversation window, then apply_conversation_limits' message window), each followed by
 * Sigma's bounds. */
static gboolean
check_conversation_paging (SigmaMessagingApp  *self,
                           const char         *tool,
                           JsonObject         *args,
                           GError            **error)
{
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  gint64 message_offset = sigma_args_int (args, "offset_recent_messages_per_conversation");
  gint64 message_limit = sigma_args_int (args, "limit_recent_messages_per_conversation");

  if (!check_view_limit (limit, self->conversation_view_limit, error))
    return FALSE;
  if (offset < 0)
    {
      sigma_tool_error (error, "Offset must be non-negative");
      return FALSE;
    }
  if (offset > (gint64) sigma_ordered_map_size (self->conversations))
    {
      sigma_tool_error (error, "Offset is larger than the number of conversations");
      return FALSE;
    }
  if (!sigma_check_offset_limit (tool, offset, limit, MAX_OFFSET_LIMIT, error))
    return FALSE;

  if (!check_view_limit (message_limit, self->messages_view_limit, error))
    return FALSE;
  if (message_offset < 0)
    {
      sigma_tool_error (error, "Offset must be non-negative");
      return FALSE;
    }
  return check_paging_argument (tool, "offset_recent_messages_per_conversation", message_offset, error) &&
         check_paging_argument (tool, "limit_recent_messages_per_conversation", message_limit, error);
}

/* ------------------------------------------------------------------------------------------ */
/* JSON of the entities: the app_state and the tool results share one writer                  */

static JsonNode *
stamp_to_json (Stamp stamp)
{
  if (stamp.integral)
    return sigma_json_int ((gint64) stamp.value);
  return sigma_json_double (stamp.value);
}

static JsonNode *
message_to_json (const Message *message)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "sender_id", message->sender_id);
  json_object_set_string_member (object, "message_id", message->message_id);
  json_object_set_member (object, "timestamp", stamp_to_json (message->timestamp));
  json_object_set_string_member (object, "content", message->content);
  if (message->has_attachment)
    {
      json_object_set_member (object, "attachment", sigma_json_string (message->attachment));
      json_object_set_member (object, "attachment_name", sigma_json_string (message->attachment_name));
    }
  return sigma_json_object (object);
}

static JsonNode *
messages_to_json (GPtrArray *messages,
                  guint      start,
                  guint      end)
{
  JsonArray *array = json_array_sized_new (end - start);

  for (guint i = start; i < end; i++)
    json_array_add_element (array, message_to_json (g_ptr_array_index (messages, i)));
  return sigma_json_array (array);
}

static JsonNode *
conversation_json (GPtrArray   *participant_ids,
                   JsonNode    *messages,   /* (transfer full) */
                   const char  *title,
                   const char  *conversation_id,
                   Stamp        last_updated)
{
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "participant_ids", sigma_json_strings (participant_ids));
  json_object_set_member (object, "messages", messages);
  json_object_set_member (object, "title", sigma_json_string (title));
  json_object_set_string_member (object, "conversation_id", conversation_id);
  json_object_set_member (object, "last_updated", stamp_to_json (last_updated));
  return sigma_json_object (object);
}

/* The conversation as stored (app_state). */
static JsonNode *
conversation_to_json (Conversation *conversation)
{
  return conversation_json (conversation->participant_ids,
                            messages_to_json (conversation->messages, 0, conversation->messages->len),
                            conversation->title, conversation->conversation_id,
                            conversation->last_updated);
}

/* The copy ARE's apply_conversation_limits returns: the newest messages first, windowed, and
 * run through ConversationV2.__post_init__ again (participants deduplicated, an empty title
 * replaced by the joined participant ids). */
static JsonNode *
conversation_view_to_json (Conversation *conversation,
                           gint64        message_offset,
                           gint64        message_limit)
{
  g_autoptr(GPtrArray) messages = messages_in_range (conversation, NULL);
  g_autoptr(GPtrArray) participants = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *joined = NULL;
  const char *title = conversation->title;
  guint start, end;

  sort_messages_newest_first (messages);
  page_bounds (messages->len, message_offset, message_limit, &start, &end);

  for (guint i = 0; i < conversation->participant_ids->len; i++)
    if (g_hash_table_add (seen, g_ptr_array_index (conversation->participant_ids, i)))
      g_ptr_array_add (participants, g_ptr_array_index (conversation->participant_ids, i));
  if (title == NULL || *title == '\0')
    title = joined = join_strings (conversation->participant_ids, ", ");

  return conversation_json (participants, messages_to_json (messages, start, end), title,
                            conversation->conversation_id, conversation->last_updated);
}

static JsonNode *
conversation_views_to_json (GPtrArray  *conversations,
                            JsonObject *args)
{
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  gint64 message_offset = sigma_args_int (args, "offset_recent_messages_per_conversation");
  gint64 message_limit = sigma_args_int (args, "limit_recent_messages_per_conversation");
  JsonArray *array = json_array_new ();
  guint start, end;

  page_bounds (conversations->len, offset, limit, &start, &end);
  for (guint i = start; i < end; i++)
    json_array_add_element (array, conversation_view_to_json (g_ptr_array_index (conversations, i),
                                                              message_offset, message_limit));
  return sigma_json_array (array);
}

/* Conversation ids as tools return them: ARE's dict keys (get_existing_conversation_ids), or
 * the conversation_id fields (search, regex_search); they differ only in imported states. */
static JsonNode *
conversation_ids_to_json (GPtrArray *conversations,
                          gboolean   keys)
{
  JsonArray *array = json_array_sized_new (conversations->len);

  for (guint i = 0; i < conversations->len; i++)
    {
      Conversation *conversation = g_ptr_array_index (conversations, i);

      json_array_add_string_element (array, keys ? conversation->key : conversation->conversation_id);
    }
  return sigma_json_array (array);
}

/* ------------------------------------------------------------------------------------------ */
/* Fuzzy name matching: rapidfuzz's WRatio (apps.md §7.1), written from its definition.        */
/*                                                                                            */
/* Strings are arrays of code points (Python str). Every score is 0–100. `ratio` is the Indel  */
/* similarity 100·(1 − (len1 + len2 − 2·LCS) / (len1 + len2)). Known limits: partial_ratio is  */
/* the exact best window, where rapidfuzz uses a heuristic for needles over 64 code points,   */
/* and lower-casing is GLib's, which differs from Python's for a lone final capital sigma.    */

typedef struct
{
  const gunichar *chars;
  glong           len;
} UText;

/* MAX() would evaluate a function-call argument twice. */
static inline gdouble
max_score (gdouble a,
           gdouble b)
{
  return a > b ? a : b;
}

static glong
lcs_length (UText a,
            UText b)
{
  g_autofree glong *row = g_new0 (glong, b.len + 1);
  glong best = 0;

  for (glong i = 0; i < a.len; i++)
    {
      glong diagonal = 0;   /* row[j] of the previous line */

      for (glong j = 0; j < b.len; j++)
        {
          glong above = row[j + 1];

          row[j + 1] = a.chars[i] == b.chars[j] ? diagonal + 1 : MAX (above, row[j]);
          diagonal = above;
        }
    }
  for (glong j = 0; j <= b.len; j++)
    best = MAX (best, row[j]);
  return best;
}

static glong
indel_distance (UText a,
                UText b)
{
  return a.len + b.len - 2 * lcs_length (a, b);
}

/* rapidfuzz's fuzz.ratio: the normalised Indel similarity, as it computes it. */
static gdouble
ratio (UText a,
       UText b)
{
  glong total = a.len + b.len;

  if (total == 0)
    return 100.0;
  return 100.0 * (1.0 - (gdouble) indel_distance (a, b) / (gdouble) total);
}

/* rapidfuzz's score from a distance inside the token functions (its own rounding). */
static gdouble
score_from_distance (glong distance,
                     glong total)
{
  return total > 0 ? 100.0 - 100.0 * (gdouble) distance / (gdouble) total : 100.0;
}

/* The best ratio of @needle against any window of @haystack as long as @needle, counting the
 * windows clipped at either edge; @needle is not longer than @haystack. */
static gdouble
partial_ratio_windows (UText needle,
                       UText haystack)
{
  gdouble best = 0.0;

  for (glong start = 1 - needle.len; start < haystack.len && best < 100.0; start++)
    {
      glong from = MAX (start, 0);
      glong to = MIN (start + needle.len, haystack.len);
      UText window = { haystack.chars + from, to - from };

      best = max_score (best, ratio (needle, window));
    }
  return best;
}

static gdouble
partial_ratio (UText a,
               UText b)
{
  gdouble best;

  if (a.len > b.len)
    {
      UText swap = a;
      a = b;
      b = swap;
    }
  if (a.len == 0)
    return b.len == 0 ? 100.0 : 0.0;
  best = partial_ratio_windows (a, b);
  /* equal lengths: rapidfuzz also tries the other string as the needle */
  if (best < 100.0 && a.len == b.len)
    best = max_score (best, partial_ratio_windows (b, a));
  return best;
}

/* Python's str.isspace, which str.split() and str.strip() use. */
static gboolean
is_python_space (gunichar c)
{
  return g_unichar_isspace (c) || (c >= 0x1c && c <= 0x1f) || c == 0x85;
}

static gint
compare_utexts (gconstpointer pa,
                gconstpointer pb)
{
  const UText *a = pa, *b = pb;

  for (glong i = 0; i < a->len && i < b->len; i++)
    if (a->chars[i] != b->chars[i])
      return a->chars[i] < b->chars[i] ? -1 : 1;
  return (a->len > b->len) - (a->len < b->len);
}

/* The whitespace-separated words of @text, sorted (duplicates kept). */
static GArray *
sorted_tokens (UText text)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (UText));
  glong i = 0;

  while (i < text.len)
    {
      glong start;

      while (i < text.len && is_python_space (text.chars[i]))
        i++;
      start = i;
      while (i < text.len && !is_python_space (text.chars[i]))
        i++;
      if (i > start)
        {
          UText token = { text.chars + start, i - start };
          g_array_append_val (tokens, token);
        }
    }
  g_array_sort (tokens, compare_utexts);
  return tokens;
}

/* The words joined with single spaces, into @buffer's storage. */
static UText
join_tokens (GArray  *tokens,
             GArray **buffer)
{
  const gunichar space = ' ';

  *buffer = g_array_new (FALSE, FALSE, sizeof (gunichar));
  for (guint i = 0; i < tokens->len; i++)
    {
      UText *token = &g_array_index (tokens, UText, i);

      if (i > 0)
        g_array_append_val (*buffer, space);
      g_array_append_vals (*buffer, token->chars, (guint) token->len);
    }
  return (UText) { (const gunichar *) (*buffer)->data, (glong) (*buffer)->len };
}

static glong
joined_length (GArray *tokens)
{
  glong length = tokens->len > 0 ? (glong) tokens->len - 1 : 0;

  for (guint i = 0; i < tokens->len; i++)
    length += g_array_index (tokens, UText, i).len;
  return length;
}

/* The distinct words of two sorted word lists split into the shared ones and those of each
 * side only, all sorted. */
typedef struct
{
  GArray *intersection;
  GArray *only_a;
  GArray *only_b;
} TokenSets;

static void
token_sets_clear (TokenSets *sets)
{
  g_clear_pointer (&sets->intersection, g_array_unref);
  g_clear_pointer (&sets->only_a, g_array_unref);
  g_clear_pointer (&sets->only_b, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TokenSets, token_sets_clear)

/* The distinct words of a sorted word list. */
static GArray *
distinct_tokens (GArray *sorted)
{
  GArray *distinct = g_array_sized_new (FALSE, FALSE, sizeof (UText), sorted->len);

  for (guint i = 0; i < sorted->len; i++)
    if (i == 0 || compare_utexts (&g_array_index (sorted, UText, i - 1), &g_array_index (sorted, UText, i)) != 0)
      g_array_append_val (distinct, g_array_index (sorted, UText, i));
  return distinct;
}

static void
token_sets_init (TokenSets *sets,
                 GArray    *sorted_a,
                 GArray    *sorted_b)
{
  g_autoptr(GArray) a = distinct_tokens (sorted_a);
  g_autoptr(GArray) b = distinct_tokens (sorted_b);
  guint i = 0, j = 0;

  sets->intersection = g_array_new (FALSE, FALSE, sizeof (UText));
  sets->only_a = g_array_new (FALSE, FALSE, sizeof (UText));
  sets->only_b = g_array_new (FALSE, FALSE, sizeof (UText));
  while (i < a->len || j < b->len)
    {
      UText *ta = i < a->len ? &g_array_index (a, UText, i) : NULL;
      UText *tb = j < b->len ? &g_array_index (b, UText, j) : NULL;
      gint order = ta == NULL ? 1 : tb == NULL ? -1 : compare_utexts (ta, tb);

      if (order == 0)
        {
          g_array_append_val (sets->intersection, *ta);
          i++;
          j++;
        }
      else if (order < 0)
        {
          g_array_append_val (sets->only_a, *ta);
          i++;
        }
      else
        {
          g_array_append_val (sets->only_b, *tb);
          j++;
        }
    }
}

/* max(token_sort_ratio, token_set_ratio), as rapidfuzz's token_ratio computes it. */
static gdouble
token_ratio (UText a,
             UText b)
{
  g_autoptr(GArray) tokens_a = sorted_tokens (a);
  g_autoptr(GArray) tokens_b = sorted_tokens (b);
  g_auto(TokenSets) sets = { NULL, NULL, NULL };
  g_autoptr(GArray) buffer_a = NULL;
  g_autoptr(GArray) buffer_b = NULL;
  g_autoptr(GArray) buffer_only_a = NULL;
  g_autoptr(GArray) buffer_only_b = NULL;
  glong sect_len, only_a_len, only_b_len, with_a_len, with_b_len;
  gdouble result;

  token_sets_init (&sets, tokens_a, tokens_b);
  /* one side's words are all among the other's */
  if (sets.intersection->len > 0 && (sets.only_a->len == 0 || sets.only_b->len == 0))
    return 100.0;

  /* token_sort_ratio */
  result = ratio (join_tokens (tokens_a, &buffer_a), join_tokens (tokens_b, &buffer_b));

  /* token_set_ratio: "shared + only_a" against "shared + only_b", and each against "shared" */
  sect_len = joined_length (sets.intersection);
  only_a_len = joined_length (sets.only_a);
  only_b_len = joined_length (sets.only_b);
  with_a_len = sect_len + (sect_len > 0) + only_a_len;
  with_b_len = sect_len + (sect_len > 0) + only_b_len;
  result = max_score (result, score_from_distance (indel_distance (join_tokens (sets.only_a, &buffer_only_a),
                                                             join_tokens (sets.only_b, &buffer_only_b)),
                                             with_a_len + with_b_len));
  if (sect_len == 0)
    return result;
  result = max_score (result, score_from_distance ((sect_len > 0) + only_a_len, sect_len + with_a_len));
  return max_score (result, score_from_distance ((sect_len > 0) + only_b_len, sect_len + with_b_len));
}

/* rapidfuzz's partial_token_ratio. */
static gdouble
partial_token_ratio (UText a,
                     UText b)
{
  g_autoptr(GArray) tokens_a = sorted_tokens (a);
  g_autoptr(GArray) tokens_b = sorted_tokens (b);
  g_auto(TokenSets) sets = { NULL, NULL, NULL };
  g_autoptr(GArray) buffer_a = NULL;
  g_autoptr(GArray) buffer_b = NULL;
  g_autoptr(GArray) buffer_only_a = NULL;
  g_autoptr(GArray) buffer_only_b = NULL;
  gdouble result;

  token_sets_init (&sets, tokens_a, tokens_b);
  if (sets.intersection->len > 0)
    return 100.0;
  result = partial_ratio (join_tokens (tokens_a, &buffer_a), join_tokens (tokens_b, &buffer_b));
  /* without repeated words the differences are the same words: nothing new to try */
  if (tokens_a->len == sets.only_a->len && tokens_b->len == sets.only_b->len)
    return result;
  return max_score (result, partial_ratio (join_tokens (sets.only_a, &buffer_only_a),
                                     join_tokens (sets.only_b, &buffer_only_b)));
}

/* rapidfuzz's WRatio (no preprocessing). */
static gdouble
weighted_ratio (UText a,
                UText b)
{
  const gdouble unbase_scale = 0.95;
  gdouble length_ratio, partial_scale, score;

  if (a.len == 0 || b.len == 0)
    return 0.0;
  length_ratio = a.len > b.len ? (gdouble) a.len / (gdouble) b.len : (gdouble) b.len / (gdouble) a.len;
  score = ratio (a, b);
  if (length_ratio < 1.5)
    return max_score (score, token_ratio (a, b) * unbase_scale);

  partial_scale = length_ratio < 8.0 ? 0.9 : 0.6;
  score = max_score (score, partial_ratio (a, b) * partial_scale);
  return max_score (score, partial_token_ratio (a, b) * unbase_scale * partial_scale);
}

/* Python's s.strip().lower(), as UTF-8. */
static char *
python_strip_lower (const char *text)
{
  const char *start = text, *end = text + strlen (text);

  while (*start != '\0' && is_python_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *previous = g_utf8_prev_char (end);

      if (!is_python_space (g_utf8_get_char (previous)))
        break;
      end = previous;
    }
  return g_utf8_strdown (start, end - start);
}

typedef struct
{
  const char *name;
  gdouble     score;
} NameMatch;

static gint
compare_matches_best_first (gconstpointer pa,
                            gconstpointer pb)
{
  const NameMatch *a = pa, *b = pb;

  return (a->score < b->score) - (a->score > b->score);
}

/* The names of name_to_id whose lower-cased form scores at least the cutoff against @query,
 * best first; equal scores keep the dict order (g_array_sort is stable). */
static GArray *
fuzzy_find_names (SigmaMessagingApp *self,
                  const char        *query)
{
  g_autofree char *query_text = python_strip_lower (query);
  g_autofree gunichar *query_chars = NULL;
  g_autoptr(GList) names = json_object_get_members (self->name_to_id);
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (NameMatch));
  UText needle;

  query_chars = g_utf8_to_ucs4_fast (query_text, -1, &needle.len);
  needle.chars = query_chars;
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *lower = g_utf8_strdown (l->data, -1);
      g_autofree gunichar *chars = NULL;
      UText choice;
      NameMatch match = { l->data, 0.0 };

      chars = g_utf8_to_ucs4_fast (lower, -1, &choice.len);
      choice.chars = chars;
      match.score = weighted_ratio (needle, choice);
      if (match.score >= LOOKUP_SCORE_CUTOFF)
        g_array_append_val (matches, match);
    }
  g_array_sort (matches, compare_matches_best_first);
  return matches;
}

/* ------------------------------------------------------------------------------------------ */
/* Tools                                                                                       */

#define SELF(app) (SIGMA_MESSAGING_APP (app))

static JsonNode *
tool_get_user_id (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  return sigma_json_string (map_get (SELF (app)->name_to_id, sigma_args_string (args, "user_name")));
}

static JsonNode *
tool_get_user_name_from_id (SigmaApp    *app,
                            JsonObject  *args,
                            gpointer     user_data,
                            GError     **error)
{
  return sigma_json_string (map_get (SELF (app)->id_to_name, sigma_args_string (args, "user_id")));
}

static JsonNode *
tool_lookup_user_id (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  const char *user_name = sigma_args_string (args, "user_name");
  JsonObject *result = json_object_new ();
  g_autoptr(GArray) matches = NULL;

  if (json_object_has_member (self->name_to_id, user_name))
    {
      json_object_set_string_member (result, user_name, map_get (self->name_to_id, user_name));
      return sigma_json_object (result);
    }
  matches = fuzzy_find_names (self, user_name);
  for (guint i = 0; i < matches->len; i++)
    {
      const char *name = g_array_index (matches, NameMatch, i).name;

      json_object_set_string_member (result, name, map_get (self->name_to_id, name));
    }
  return sigma_json_object (result);
}

static JsonNode *
tool_send_message (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  g_autoptr(Message) message = NULL;
  Conversation *conversation;

  /* the message (and its id) comes first, as in ARE */
  message = create_message (self, sigma_args_string (args, "content"),
                            sigma_args_string (args, "attachment_path"), error);
  if (message == NULL)
    return NULL;
  /* ARE looks the conversation up through its logged get_existing_conversation_ids tool;
   * Sigma uses the same code as a helper, so the lookup is part of this one event */
  conversation = get_or_create_direct_conversation (self, sigma_args_string (args, "user_id"), error);
  if (conversation == NULL)
    return NULL;
  conversation_append_message (conversation, g_steal_pointer (&message));
  return sigma_json_string (conversation->key);
}

static JsonNode *
tool_send_message_to_group_conversation (SigmaApp    *app,
                                         JsonObject  *args,
                                         gpointer     user_data,
                                         GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  const char *key = sigma_args_string (args, "conversation_id");
  Conversation *conversation = lookup_conversation (self, key);
  Message *message;

  if (conversation == NULL)
    {
      sigma_tool_error (error, "Conversation %s does not exist", key);
      return NULL;
    }
  if (conversation->participant_ids->len < 3)
    {
      sigma_tool_error (error, "Conversation %s is not a group conversation", key);
      return NULL;
    }
  message = create_message (self, sigma_args_string (args, "content"),
                            sigma_args_string (args, "attachment_path"), error);
  if (message == NULL)
    return NULL;
  conversation_append_message (conversation, message);
  return sigma_json_string (conversation->key);
}

static JsonNode *
tool_create_group_conversation (SigmaApp    *app,
                                JsonObject  *args,
                                gpointer     user_data,
                                GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  g_autoptr(GPtrArray) user_ids = string_list (sigma_args_array (args, "user_ids"));
  Conversation *conversation;

  if (user_ids->len < 2)
    {
      sigma_tool_error (error, "Must have at least two other participants");
      return NULL;
    }
  conversation = create_conversation (self, (const char * const *) user_ids->pdata, user_ids->len,
                                      sigma_args_string (args, "title"), error);
  if (conversation == NULL)
    return NULL;
  return sigma_json_string (conversation->key);
}

static JsonNode *
tool_get_existing_conversation_ids (SigmaApp    *app,
                                    JsonObject  *args,
                                    gpointer     user_data,
                                    GError     **error)
{
  g_autoptr(GPtrArray) user_ids = string_list (sigma_args_array (args, "user_ids"));
  g_autoptr(GPtrArray) found = conversations_with_participants (SELF (app),
                                                                (const char * const *) user_ids->pdata,
                                                                user_ids->len);

  return conversation_ids_to_json (found, TRUE);
}

static JsonNode *
tool_list_recent_conversations (SigmaApp    *app,
                                JsonObject  *args,
                                gpointer     user_data,
                                GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  g_autoptr(GPtrArray) sorted = NULL;

  if (!check_conversation_paging (self, "list_recent_conversations", args, error))
    return NULL;
  sorted = sigma_ordered_map_get_values (self->conversations);
  g_ptr_array_sort (sorted, compare_conversations_newest_first);   /* stable: ties keep dict order */
  return conversation_views_to_json (sorted, args);
}

static JsonNode *
tool_list_conversations_by_participant (SigmaApp    *app,
                                        JsonObject  *args,
                                        gpointer     user_data,
                                        GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  const char *user_id = sigma_args_string (args, "user_id");
  g_autoptr(GPtrArray) matching = NULL;
  SigmaOrderedMapIter iter;
  Conversation *conversation;

  if (!check_conversation_paging (self, "list_conversations_by_participant", args, error))
    return NULL;
  /* ARE keeps a conversation when the id is a substring of any participant id */
  matching = g_ptr_array_new ();
  sigma_ordered_map_iter_init (&iter, self->conversations);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      for (guint j = 0; j < conversation->participant_ids->len; j++)
        if (strstr (g_ptr_array_index (conversation->participant_ids, j), user_id) != NULL)
          {
            g_ptr_array_add (matching, conversation);
            break;
          }
    }
  return conversation_views_to_json (matching, args);
}

static JsonNode *
tool_download_attachment (SigmaApp    *app,
                          JsonObject  *args,
                          gpointer     user_data,
                          GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  Conversation *conversation = require_conversation (self, sigma_args_string (args, "conversation_id"), error);
  g_autofree char *path = NULL;
  g_autofree guchar *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *local_error = NULL;
  SigmaFileSystem *fs;
  Message *message;
  gsize size;

  if (conversation == NULL)
    return NULL;
  message = find_message (conversation, sigma_args_string (args, "message_id"));
  if (message != NULL && !message->has_attachment)
    {
      /* ARE reads .attachment of a plain MessageV2 */
      sigma_tool_error (error, "'MessageV2' object has no attribute 'attachment'");
      return NULL;
    }
  if (message == NULL || message->attachment == NULL || *message->attachment == '\0')
    {
      sigma_tool_error (error, "No attachment found in the specified message");
      return NULL;
    }
  if (message->attachment_name == NULL)
    {
      sigma_tool_error (error, "expected str, bytes or os.PathLike object, not NoneType");
      return NULL;
    }

  path = sigma_py_path_join (sigma_args_string (args, "download_path"), message->attachment_name);
  fs = get_file_system (self);
  if (fs == NULL)
    {
      /* ARE would write on the host; Sigma only has the environment's file system */
      sigma_tool_error (error, "[Errno 2] No such file or directory: '%s'", path);
      return NULL;
    }
  data = g_base64_decode (message->attachment, &size);
  bytes = g_bytes_new_take (g_steal_pointer (&data), size);
  if (!sigma_file_system_write_file (fs, path, bytes, &local_error))
    {
      rethrow_as_tool_error (local_error, error);
      return NULL;
    }
  return sigma_json_string (path);
}

static JsonNode *
tool_create_and_add_message (SigmaApp    *app,
                             JsonObject  *args,
                             gpointer     user_data,
                             GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  gdouble now = sigma_app_get_time (app);
  g_autofree char *text = sigma_time_format (now);
  const char *sender_id = sigma_args_string (args, "sender_id");
  Conversation *conversation;
  gdouble timestamp;

  /* ARE rounds the time to whole seconds through its date format */
  if (!sigma_time_parse (text, &timestamp, NULL))
    timestamp = floor (now);

  conversation = require_conversation (self, sigma_args_string (args, "conversation_id"), error);
  if (conversation == NULL)
    return NULL;
  if (conversation_find_participant (conversation, sender_id) < 0)
    {
      sigma_tool_error (error, "Sender %s not in conversation", sender_id);
      return NULL;
    }
  conversation_append_message (conversation,
                               message_new (sender_id, sigma_random_uuid_hex (sigma_app_get_rand (app)),
                                            stamp_float (timestamp), sigma_args_string (args, "content")));
  return NULL;
}

static JsonNode *
tool_read_conversation (SigmaApp    *app,
                        JsonObject  *args,
                        gpointer     user_data,
                        GError     **error)
{
  SigmaMessagingApp *self = SELF (app);
  const char *key = sigma_args_string (args, "conversation_id");
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  DateRange range = { sigma_args_string (args, "min_date"), sigma_args_string (args, "max_date") };
  Conversation *conversation;
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *metadata, *result;
  JsonArray *message_range;
  guint start, end;

  conversation = lookup_conversation (self, key);
  if (conversation == NULL)
    {
      sigma_tool_error (error, "Conversation with id %s not found", key);
      return NULL;
    }
  if (offset < 0)
    {
      sigma_tool_error (error, "Offset must be positive");
      return NULL;
    }
  if (!date_range_parse (&range, error))
    return NULL;
  messages = messages_in_range (conversation, &range);
  if (offset > (gint64) messages->len)
    {
      sigma_tool_error (error, "Offset is larger than the number of messages");
      return NULL;
    }
  /* ARE does not bound this limit; Sigma does */
  if (!sigma_check_offset_limit ("read_conversation", offset, limit, MAX_OFFSET_LIMIT, error))
    return NULL;

  sort_messages_newest_first (messages);
  page_bounds (messages->len, offset, limit, &start, &end);

  message_range = json_array_new ();
  json_array_add_int_element (message_range, start);
  json_array_add_int_element (message_range, end);
  metadata = json_object_new ();
  json_object_set_array_member (metadata, "message_range", message_range);
  json_object_set_int_member (metadata, "conversation_length", messages->len);
  json_object_set_string_member (metadata, "conversation_id", key);
  json_object_set_member (metadata, "conversation_title", sigma_json_string (conversation->title));
  result = json_object_new ();
  json_object_set_member (result, "messages", messages_to_json (messages, start, end));
  json_object_set_object_member (result, "metadata", metadata);
  return sigma_json_object (result);
}

/* The common part of adding and removing a participant: a title that is the default title of
 * the participants before the change is recomputed after it. */
static JsonNode *
change_participants (SigmaMessagingApp  *self,
                     JsonObject         *args,
                     gboolean            add,
                     GError            **error)
{
  const char *user_id = sigma_args_string (args, "user_id");
  Conversation *conversation = require_conversation (self, sigma_args_string (args, "conversation_id"), error);
  g_autofree char *old_default = NULL;
  gboolean update_title;
  gint index;

  if (conversation == NULL)
    return NULL;
  index = conversation_find_participant (conversation, user_id);
  if (add && index >= 0)
    {
      sigma_tool_error (error, "Participant %s already in conversation", user_id);
      return NULL;
    }
  if (!add && index < 0)
    {
      sigma_tool_error (error, "Participant %s not in conversation", user_id);
      return NULL;
    }

  old_default = conversation_default_title (self, conversation, error);
  if (old_default == NULL)
    return NULL;
  update_title = g_strcmp0 (conversation->title, old_default) == 0;

  /* ARE does not check the id against the mode here */
  if (add)
    g_ptr_array_add (conversation->participant_ids, g_strdup (user_id));
  else
    g_ptr_array_remove_index (conversation->participant_ids, (guint) index);

  if (update_title)
    {
      /* the current user is known (the first call succeeded), so this one cannot fail */
      char *title = conversation_default_title (self, conversation, NULL);

      g_free (conversation->title);
      conversation->title = title;
    }
  return sigma_json_string (conversation->key);
}

static JsonNode *
tool_add_participant_to_conversation (SigmaApp    *app,
                                      JsonObject  *args,
                                      gpointer     user_data,
                                      GError     **error)
{
  return change_participants (SELF (app), args, TRUE, error);
}

static JsonNode *
tool_remove_participant_from_conversation (SigmaApp    *app,
                                           JsonObject  *args,
                                           gpointer     user_data,
                                           GError     **error)
{
  return change_participants (SELF (app), args, FALSE, error);
}

static JsonNode *
tool_change_conversation_title (SigmaApp    *app,
                                JsonObject  *args,
                                gpointer     user_data,
                                GError     **error)
{
  Conversation *conversation = require_conversation (SELF (app), sigma_args_string (args, "conversation_id"), error);

  if (conversation == NULL)
    return NULL;
  sigma_set_string (&conversation->title, sigma_args_string (args, "title"));
  return sigma_json_string (conversation->key);
}

/* A text test for search and regex_search; sets @error on failure. */
typedef gboolean (*TextMatchFunc) (const char *text, gpointer data, GError **error);

typedef struct
{
  TextMatchFunc  match;
  gpointer       data;
  gboolean       lower_content;   /* search lower-cases message texts, regex_search does not */
} TextMatcher;

/* Runs @matcher on @text, lower-cased first when @lower; FALSE on error. */
static gboolean
text_matches (const TextMatcher  *matcher,
              const char         *text,
              gboolean            lower,
              gboolean           *matched,
              GError            **error)
{
  g_autofree char *lowered = lower ? g_utf8_strdown (text, -1) : NULL;
  GError *local_error = NULL;

  *matched = matcher->match (lowered != NULL ? lowered : text, matcher->data, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ARE's _conversation_matches / _regex_conversation_matches: the lower-cased participant ids,
 * then the lower-cased title, then the texts of the messages in the date range. */
static gboolean
conversation_matches (Conversation       *conversation,
                      const TextMatcher  *matcher,
                      DateRange          *range,
                      gboolean           *matched,
                      GError            **error)
{
  g_autoptr(GPtrArray) messages = NULL;

  *matched = FALSE;
  for (guint i = 0; i < conversation->participant_ids->len && !*matched; i++)
    if (!text_matches (matcher, g_ptr_array_index (conversation->participant_ids, i), TRUE, matched, error))
      return FALSE;
  if (!*matched && conversation->title != NULL &&
      !text_matches (matcher, conversation->title, TRUE, matched, error))
    return FALSE;
  if (*matched)
    return TRUE;

  if (!date_range_parse (range, error))
    return FALSE;
  messages = messages_in_range (conversation, range);
  for (guint i = 0; i < messages->len && !*matched; i++)
    if (!text_matches (matcher, ((Message *) g_ptr_array_index (messages, i))->content,
                       matcher->lower_content, matched, error))
      return FALSE;
  return TRUE;
}

static JsonNode *
search_conversations (SigmaMessagingApp  *self,
                      const TextMatcher  *matcher,
                      JsonObject         *args,
                      GError            **error)
{
  DateRange range = { sigma_args_string (args, "min_date"), sigma_args_string (args, "max_date") };
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  SigmaOrderedMapIter iter;
  Conversation *conversation;

  sigma_ordered_map_iter_init (&iter, self->conversations);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      gboolean matched;

      if (!conversation_matches (conversation, matcher, &range, &matched, error))
        return NULL;
      if (matched)
        g_ptr_array_add (found, conversation);
    }
  /* ARE returns each conversation's conversation_id field here, not its key */
  return conversation_ids_to_json (found, FALSE);
}

static gboolean
contains_substring (const char  *text,
                    gpointer     query,
                    GError     **error)
{
  /* on valid UTF-8 a byte match is a code-point match */
  return strstr (text, query) != NULL;
}

static JsonNode *
tool_search (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  g_autofree char *query = g_utf8_strdown (sigma_args_string (args, "query"), -1);
  TextMatcher matcher = { contains_substring, query, TRUE };

  return search_conversations (SELF (app), &matcher, args, error);
}

static gboolean
regex_matches (const char  *text,
               gpointer     regex,
               GError     **error)
{
  return g_regex_match_full (regex, text, -1, 0, 0, NULL, error);
}

static JsonNode *
tool_regex_search (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  GError *local_error = NULL;
  g_autoptr(GRegex) regex = g_regex_new (sigma_args_string (args, "query"), G_REGEX_CASELESS, 0, &local_error);
  TextMatcher matcher = { regex_matches, NULL, FALSE };

  if (regex == NULL)
    {
      /* ARE raises re.error; Sigma's patterns are PCRE and the message is GRegex's */
      rethrow_as_tool_error (local_error, error);
      return NULL;
    }
  matcher.data = regex;
  return search_conversations (SELF (app), &matcher, args, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Tool table, in ARE's definition order                                                       */

#define USER_ID_NOTE "a phone number when the app is in PHONE_NUMBER mode, an internal id in NAME mode"

static const SigmaToolSpec messaging_tools[] = {
  { "get_user_id",
    "Returns the user id registered under exactly this user name, or null when no name matches "
    "exactly (use lookup_user_id for approximate names).",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_get_user_id,
    "str | None: the user id, or null",
    { { "user_name", SIGMA_VALUE_TYPE_STRING, "The full user name, spelled exactly as registered." },
      { NULL } } },
  { "get_user_name_from_id",
    "Returns the user name registered for exactly this user id, or null when the id is unknown.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_get_user_name_from_id,
    "str | None: the user name, or null",
    { { "user_id", SIGMA_VALUE_TYPE_STRING, "The user id (" USER_ID_NOTE ")." },
      { NULL } } },
  { "lookup_user_id",
    "Finds users whose names resemble the given name (fuzzy, case-insensitive match) and returns "
    "them as an object mapping each name to its user id, best match first; the object is empty "
    "when nothing is close enough.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_lookup_user_id,
    "dict[str, str]: user name to user id",
    { { "user_name", SIGMA_VALUE_TYPE_STRING, "The name, or part of a name, to look for." },
      { NULL } } },
  { "send_message",
    "Sends a message to one person, in the existing one-to-one conversation with them when there "
    "is one and in a new conversation otherwise; returns the conversation id.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_send_message,
    "str: the id of the conversation the message went to",
    { { "user_id", SIGMA_VALUE_TYPE_STRING, "The recipient's user id (" USER_ID_NOTE ")." },
      { "content", SIGMA_VALUE_TYPE_STRING, "The text of the message.", "\"\"" },
      { "attachment_path", SIGMA_VALUE_TYPE_STRING,
        "Path of a file in the file system to attach, or null for no attachment.", "null" },
      { NULL } } },
  { "send_message_to_group_conversation",
    "Sends a message to an existing group conversation (three or more participants); returns the "
    "conversation id.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_send_message_to_group_conversation,
    "str: the id of the conversation the message went to",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the group conversation." },
      { "content", SIGMA_VALUE_TYPE_STRING, "The text of the message.", "\"\"" },
      { "attachment_path", SIGMA_VALUE_TYPE_STRING,
        "Path of a file in the file system to attach, or null for no attachment.", "null" },
      { NULL } } },
  { "create_group_conversation",
    "Creates a conversation with at least two other people (you are added automatically) and "
    "returns its id; without a title, the participants' names become the title.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_create_group_conversation,
    "str: the id of the new conversation",
    { { "user_ids", SIGMA_VALUE_TYPE_ARRAY,
        "The user ids of the other participants (" USER_ID_NOTE "), at least two.",
        NULL, SIGMA_VALUE_TYPE_STRING },
      { "title", SIGMA_VALUE_TYPE_STRING, "The conversation title, or null for the default title.", "null" },
      { NULL } } },
  { "get_existing_conversation_ids",
    "Returns the ids of the conversations whose participants are exactly the given users plus "
    "you.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_get_existing_conversation_ids,
    "list[str]: conversation ids",
    { { "user_ids", SIGMA_VALUE_TYPE_ARRAY,
        "The user ids of the other participants (" USER_ID_NOTE "); you are added automatically.",
        NULL, SIGMA_VALUE_TYPE_STRING },
      { NULL } } },
  { "list_recent_conversations",
    "Lists conversations, most recently active first, one page at a time, each with a window of "
    "its newest messages.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_list_recent_conversations,
    "list[ConversationV2]: the conversations of the page",
    { { "offset", SIGMA_VALUE_TYPE_INTEGER, "How many conversations to skip from the most recent.", "0" },
      { "limit", SIGMA_VALUE_TYPE_INTEGER,
        "How many conversations to return; it may not exceed the app's conversation view limit.", "5" },
      { "offset_recent_messages_per_conversation", SIGMA_VALUE_TYPE_INTEGER,
        "How many of each conversation's newest messages to skip.", "0" },
      { "limit_recent_messages_per_conversation", SIGMA_VALUE_TYPE_INTEGER,
        "How many messages to show per conversation; it may not exceed the app's message view limit.", "10" },
      { NULL } } },
  { "list_conversations_by_participant",
    "Lists the conversations that include a participant whose user id contains the given id, one "
    "page at a time, each with a window of its newest messages.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_list_conversations_by_participant,
    "list[ConversationV2]: the conversations of the page",
    { { "user_id", SIGMA_VALUE_TYPE_STRING, "The participant's user id (" USER_ID_NOTE ")." },
      { "offset", SIGMA_VALUE_TYPE_INTEGER, "How many matching conversations to skip.", "0" },
      { "limit", SIGMA_VALUE_TYPE_INTEGER,
        "How many conversations to return; it may not exceed the app's conversation view limit.", "5" },
      { "offset_recent_messages_per_conversation", SIGMA_VALUE_TYPE_INTEGER,
        "How many of each conversation's newest messages to skip.", "0" },
      { "limit_recent_messages_per_conversation", SIGMA_VALUE_TYPE_INTEGER,
        "How many messages to show per conversation; it may not exceed the app's message view limit.", "5" },
      { NULL } } },
  { "download_attachment",
    "Saves the attachment of a message into a folder of the file system and returns the path of "
    "the saved file.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_download_attachment,
    "str: the path of the saved file",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the conversation holding the message." },
      { "message_id", SIGMA_VALUE_TYPE_STRING, "The id of the message with the attachment." },
      { "download_path", SIGMA_VALUE_TYPE_STRING, "The folder to save the file in.", "\"Downloads/\"" },
      { NULL } } },
  { "create_and_add_message",
    "Adds an incoming message from a participant to a conversation, stamped with the current "
    "time in whole seconds.",
    SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_create_and_add_message,
    "None",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the conversation." },
      { "sender_id", SIGMA_VALUE_TYPE_STRING, "The user id of the sender, who must be a participant." },
      { "content", SIGMA_VALUE_TYPE_STRING, "The text of the message." },
      { NULL } } },
  { "read_conversation",
    "Shows a page of a conversation's messages, newest first, optionally only those between two "
    "dates, with the page range, the number of messages and the title.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_read_conversation,
    "dict: the messages and their metadata",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the conversation." },
      { "offset", SIGMA_VALUE_TYPE_INTEGER, "How many of the newest messages to skip.", "0" },
      { "limit", SIGMA_VALUE_TYPE_INTEGER, "How many messages to show.", "10" },
      { "min_date", SIGMA_VALUE_TYPE_STRING,
        "Only messages from this time on, written YYYY-MM-DD HH:MM:SS (UTC), or null.", "null" },
      { "max_date", SIGMA_VALUE_TYPE_STRING,
        "Only messages up to this time, written YYYY-MM-DD HH:MM:SS (UTC), or null.", "null" },
      { NULL } } },
  { "add_participant_to_conversation",
    "Adds a user to a conversation and returns its id; a title made of the participants' names "
    "is updated to match.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_add_participant_to_conversation,
    "str: the id of the conversation",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the conversation." },
      { "user_id", SIGMA_VALUE_TYPE_STRING, "The user id of the person to add (" USER_ID_NOTE ")." },
      { NULL } } },
  { "remove_participant_from_conversation",
    "Removes a participant from a conversation and returns its id; a title made of the "
    "participants' names is updated to match.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_remove_participant_from_conversation,
    "str: the id of the conversation",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the conversation." },
      { "user_id", SIGMA_VALUE_TYPE_STRING, "The user id of the participant to remove (" USER_ID_NOTE ")." },
      { NULL } } },
  { "change_conversation_title",
    "Renames a conversation and returns its id.",
    SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_change_conversation_title,
    "str: the id of the conversation",
    { { "conversation_id", SIGMA_VALUE_TYPE_STRING, "The id of the conversation." },
      { "title", SIGMA_VALUE_TYPE_STRING, "The new title." },
      { NULL } } },
  { "search",
    "Returns the ids of the conversations whose participant ids, title or message texts contain "
    "the query, ignoring case.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_search,
    "list[str]: conversation ids",
    { { "query", SIGMA_VALUE_TYPE_STRING, "The text to look for." },
      { "min_date", SIGMA_VALUE_TYPE_STRING,
        "Only search messages from this time on, written YYYY-MM-DD HH:MM:SS (UTC), or null.", "null" },
      { "max_date", SIGMA_VALUE_TYPE_STRING,
        "Only search messages up to this time, written YYYY-MM-DD HH:MM:SS (UTC), or null.", "null" },
      { NULL } } },
  { "regex_search",
    "Returns the ids of the conversations whose participant ids, title or message texts match "
    "the regular expression, ignoring case.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_regex_search,
    "list[str]: conversation ids",
    { { "query", SIGMA_VALUE_TYPE_STRING, "The regular expression." },
      { "min_date", SIGMA_VALUE_TYPE_STRING,
        "Only search messages from this time on, written YYYY-MM-DD HH:MM:SS (UTC), or null.", "null" },
      { "max_date", SIGMA_VALUE_TYPE_STRING,
        "Only search messages up to this time, written YYYY-MM-DD HH:MM:SS (UTC), or null.", "null" },
      { NULL } } },
};

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                       */

static JsonNode *
sigma_messaging_app_get_state (SigmaApp *app)
{
  SigmaMessagingApp *self = SELF (app);
  JsonObject *state = json_object_new ();

  json_object_set_member (state, "conversations",
                          sigma_ordered_map_to_json (self->conversations, (SigmaToJsonFunc) conversation_to_json));
  json_object_set_int_member (state, "messages_view_limit", self->messages_view_limit);
  json_object_set_int_member (state, "conversation_view_limit", self->conversation_view_limit);
  json_object_set_string_member (state, "mode", mode_names[self->mode]);
  json_object_set_object_member (state, "name_to_id", sigma_json_object_deep_copy (self->name_to_id));
  json_object_set_object_member (state, "id_to_name", sigma_json_object_deep_copy (self->id_to_name));
  json_object_set_member (state, "current_user_id", sigma_json_string (self->current_user_id));
  json_object_set_member (state, "current_user_name", sigma_json_string (self->current_user_name));
  return sigma_json_object (state);
}

/* A number member kept as a Stamp; *present tells whether it was there. */
static gboolean
read_stamp (SigmaStateReader  *r,
            JsonObject        *obj,
            const char        *path,
            const char        *member,
            gboolean           required,
            Stamp             *out,
            gboolean          *present,
            GError           **error)
{
  gdouble value = NAN;
  gboolean integral = FALSE;

  *present = FALSE;
  if (!sigma_state_get_number (r, obj, path, member, required, &value, &integral, error))
    return FALSE;
  if (!isnan (value))
    {
      out->value = value;
      out->integral = integral;
      *present = TRUE;
    }
  return TRUE;
}

/* One stored message; *out stays NULL when a lenient load skips it. */
static gboolean
load_message (SigmaMessagingApp  *self,
              SigmaStateReader   *r,
              JsonNode           *node,
              const char         *path,
              Message           **out,
              GError            **error)
{
  static const char * const known[] = {
    "sender_id", "message_id", "timestamp", "content", "attachment", "attachment_name", NULL
  };
  const char *sender_id = NULL, *message_id = NULL, *content = NULL;
  const char *attachment = NULL, *attachment_name = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(Message) message = NULL;
  gboolean has_time;
  Stamp timestamp = stamp_float (sigma_app_get_time (SIGMA_APP (self)));
  JsonObject *obj;

  *out = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return sigma_state_problem (r, error, "%s: expected an object", path);
  obj = json_node_get_object (node);

  /* ARE builds the message with MessageV2(**fields): an unknown field is an error */
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data) ||
        (!json_object_has_member (obj, "attachment") && g_str_equal (l->data, "attachment_name")))
      return sigma_state_problem (r, error, "%s.%s: unknown message field", path, (const char *) l->data);

  if (!sigma_state_get_string (r, obj, path, "sender_id", TRUE, &sender_id, error) ||
      !sigma_state_get_string (r, obj, path, "message_id", FALSE, &message_id, error) ||
      !read_stamp (r, obj, path, "timestamp", FALSE, &timestamp, &has_time, error) ||
      !sigma_state_get_string (r, obj, path, "content", FALSE, &content, error) ||
      !sigma_state_get_string (r, obj, path, "attachment", FALSE, &attachment, error) ||
      !sigma_state_get_string (r, obj, path, "attachment_name", FALSE, &attachment_name, error))
    return FALSE;
  if (sender_id == NULL)
    return TRUE;   /* lenient: skipped */

  /* ARE's defaults for absent fields: a new id (uuid4, here the app rng), the time now (the
   * host's wall clock in ARE), and empty content */
  message = message_new (sender_id,
                         message_id != NULL && *message_id != '\0'
                           ? g_strdup (message_id)
                           : sigma_random_uuid_hex (sigma_app_get_rand (SIGMA_APP (self))),
                         timestamp, content != NULL ? content : "");
  message->has_attachment = json_object_has_member (obj, "attachment");
  message->attachment = g_strdup (attachment);
  message->attachment_name = g_strdup (attachment_name);
  *out = g_steal_pointer (&message);
  return TRUE;
}

/* One stored conversation under @key; *out stays NULL when a lenient load skips it. */
static gboolean
load_conversation (SigmaMessagingApp  *self,
                   SigmaStateReader   *r,
                   const char         *key,
                   JsonNode           *node,
                   const char         *path,
                   Conversation      **out,
                   GError            **error)
{
  g_autoptr(Conversation) conversation = conversation_new (key);
  const char *title = NULL, *conversation_id = NULL;
  JsonArray *participants = NULL, *messages = NULL;
  gboolean has_time;
  JsonObject *obj;

  *out = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return sigma_state_problem (r, error, "%s: expected an object", path);
  obj = json_node_get_object (node);

  if (!sigma_state_get_array (r, obj, path, "participant_ids", TRUE, &participants, error) ||
      !sigma_state_get_array (r, obj, path, "messages", TRUE, &messages, error) ||
      !sigma_state_get_string (r, obj, path, "conversation_id", TRUE, &conversation_id, error) ||
      !read_stamp (r, obj, path, "last_updated", TRUE, &conversation->last_updated, &has_time, error))
    return FALSE;
  /* the title is required too, but may be null (ConversationV2.title is optional) */
  if (!json_object_has_member (obj, "title"))
    return sigma_state_missing (r, error, path, "title", "a string or null");
  if (!sigma_state_get_string (r, obj, path, "title", FALSE, &title, error))
    return FALSE;
  if (participants == NULL || messages == NULL || conversation_id == NULL || !has_time ||
      (title == NULL && !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "title"))))
    return TRUE;   /* lenient: skipped */

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonNode *element = json_array_get_element (participants, i);

      if (!sigma_json_is_string (element))
        {
          if (!sigma_state_problem (r, error, "%s.participant_ids[%u]: expected a string", path, i))
            return FALSE;
          continue;
        }
      g_ptr_array_add (conversation->participant_ids, g_strdup (json_node_get_string (element)));
    }
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      g_autofree char *message_path = g_strdup_printf ("%s.messages[%u]", path, i);
      Message *message;

      if (!load_message (self, r, json_array_get_element (messages, i), message_path, &message, error))
        return FALSE;
      if (message != NULL)
        g_ptr_array_add (conversation->messages, message);
    }
  conversation->title = g_strdup (title);
  conversation->conversation_id = g_strdup (conversation_id);
  *out = g_steal_pointer (&conversation);
  return TRUE;
}

/* An id_to_name or name_to_id member: an object of strings, copied in order. */
static gboolean
load_string_map (SigmaStateReader  *r,
                 JsonObject        *state,
                 const char        *member,
                 JsonObject       **out,
                 GError           **error)
{
  JsonObject *source = NULL;
  g_autoptr(GList) keys = NULL;
  g_autoptr(JsonObject) map = NULL;

  if (!sigma_state_get_object (r, state, "app_state", member, FALSE, &source, error))
    return FALSE;
  if (source == NULL)
    return TRUE;
  map = json_object_new ();
  keys = json_object_get_members (source);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (source, l->data);

      if (!sigma_json_is_string (value))
        {
          if (!sigma_state_problem (r, error, "app_state.%s.%s: expected a string", member, (const char *) l->data))
            return FALSE;
          continue;
        }
      json_object_set_string_member (map, l->data, json_node_get_string (value));
    }
  *out = g_steal_pointer (&map);
  return TRUE;
}

/* A nullable string member: *present tells whether it was there at all. */
static gboolean
load_optional_string (SigmaStateReader  *r,
                      JsonObject        *state,
                      const char        *member,
                      const char       **out,
                      gboolean          *present,
                      GError           **error)
{
  *out = NULL;
  *present = json_object_has_member (state, member);
  if (!sigma_state_get_string (r, state, "app_state", member, FALSE, out, error))
    return FALSE;
  /* lenient mode skipped a malformed value: leave the field as it was */
  if (*present && *out == NULL && !JSON_NODE_HOLDS_NULL (json_object_get_member (state, member)))
    *present = FALSE;
  return TRUE;
}

/*
 * ARE's load_state: the conversations are merged into the ones already there (that is how
 * augmentation states add conversations), everything else is replaced. ARE requires all eight
 * keys; Sigma requires "conversations" and leaves the fields of absent keys unchanged, so the
 * partial states of the PARE files load (compat file). Nothing changes unless the whole state
 * is valid.
 */
static gboolean
sigma_messaging_app_load_state (SigmaApp  *app,
                                JsonNode  *node,
                                GError   **error)
{
  SigmaMessagingApp *self = SELF (app);
  SigmaStateReader reader = { app, sigma_app_get_lenient (app) };
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func ((GDestroyNotify) conversation_free);
  g_autoptr(JsonObject) id_to_name = NULL;
  g_autoptr(JsonObject) name_to_id = NULL;
  g_autoptr(GList) keys = NULL;
  JsonObject *state, *conversations = NULL;
  gint64 messages_view_limit = self->messages_view_limit;
  gint64 conversation_view_limit = self->conversation_view_limit;
  const char *mode = NULL, *user_id, *user_name;
  gboolean has_user_id, has_user_name;
  MessagingMode new_mode = self->mode;

  state = sigma_state_root (app, node, error);
  if (state == NULL)
    return FALSE;

  if (!sigma_state_get_object (&reader, state, "app_state", "conversations", TRUE, &conversations, error) ||
      !sigma_state_get_int (&reader, state, "app_state", "messages_view_limit", FALSE, &messages_view_limit, error) ||
      !sigma_state_get_int (&reader, state, "app_state", "conversation_view_limit", FALSE, &conversation_view_limit, error) ||
      !sigma_state_get_string (&reader, state, "app_state", "mode", FALSE, &mode, error) ||
      !load_string_map (&reader, state, "name_to_id", &name_to_id, error) ||
      !load_string_map (&reader, state, "id_to_name", &id_to_name, error) ||
      !load_optional_string (&reader, state, "current_user_id", &user_id, &has_user_id, error) ||
      !load_optional_string (&reader, state, "current_user_name", &user_name, &has_user_name, error))
    return FALSE;

  if (mode != NULL)
    {
      if (g_str_equal (mode, "NAME"))
        new_mode = MODE_NAME;
      else if (g_str_equal (mode, "PHONE_NUMBER"))
        new_mode = MODE_PHONE_NUMBER;
      else if (!sigma_state_problem (&reader, error, "app_state.mode: expected \"NAME\" or \"PHONE_NUMBER\", got \"%s\"", mode))
        return FALSE;
    }

  if (conversations != NULL)
    keys = json_object_get_members (conversations);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_autofree char *path = g_strdup_printf ("app_state.conversations.%s", (const char *) l->data);
      Conversation *conversation;

      if (!load_conversation (self, &reader, l->data, json_object_get_member (conversations, l->data),
                              path, &conversation, error))
        return FALSE;
      if (conversation != NULL)
        g_ptr_array_add (loaded, conversation);
    }

  /* everything is valid: commit */
  g_ptr_array_set_free_func (loaded, NULL);   /* the app owns them from here */
  for (guint i = 0; i < loaded->len; i++)
    put_conversation (self, g_ptr_array_index (loaded, i));
  self->messages_view_limit = messages_view_limit;
  self->conversation_view_limit = conversation_view_limit;
  self->mode = new_mode;
  if (name_to_id != NULL)
    {
      json_object_unref (self->name_to_id);
      self->name_to_id = g_steal_pointer (&name_to_id);
    }
  if (id_to_name != NULL)
    {
      json_object_unref (self->id_to_name);
      self->id_to_name = g_steal_pointer (&id_to_name);
    }
  if (has_user_id)
    sigma_set_string (&self->current_user_id, user_id);
  if (has_user_name)
    sigma_set_string (&self->current_user_name, user_name);
  return TRUE;
}

/* ARE's reset re-runs the constructor: no conversations, no users, NAME mode, default limits. */
static void
sigma_messaging_app_reset (SigmaApp *app)
{
  SigmaMessagingApp *self = SELF (app);

  sigma_ordered_map_clear (self->conversations);
  g_clear_pointer (&self->id_to_name, json_object_unref);
  g_clear_pointer (&self->name_to_id, json_object_unref);
  self->id_to_name = json_object_new ();
  self->name_to_id = json_object_new ();
  g_clear_pointer (&self->current_user_id, g_free);
  g_clear_pointer (&self->current_user_name, g_free);
  self->mode = MODE_NAME;
  self->messages_view_limit = DEFAULT_MESSAGES_VIEW_LIMIT;
  self->conversation_view_limit = DEFAULT_CONVERSATION_VIEW_LIMIT;
}

/* ------------------------------------------------------------------------------------------ */
/* Notifications (apps.md §11)                                                                 */

static char *
sigma_messaging_app_describe_notification (SigmaApp            *app,
                                           SigmaCompletedEvent *event,
                                           SigmaVerbosity       verbosity,
                                           SigmaMessageType    *type)
{
  JsonObject *args;
  const char *cid;

  if (verbosity < SIGMA_VERBOSITY_MEDIUM ||
      g_strcmp0 (sigma_completed_event_get_function (event), "create_and_add_message") != 0 ||
      /* ARE also announces a message that failed to arrive; Sigma does not (compat file) */
      sigma_completed_event_is_failure (event))
    return NULL;

  args = sigma_completed_event_get_args (event);
  cid = args != NULL && json_object_has_member (args, "conversation_id")
        ? json_object_get_string_member (args, "conversation_id") : NULL;
  if (cid == NULL)
    return NULL;
  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;
  return g_strdup_printf ("%s: New message received in conversation ID: %s",
                          sigma_app_get_class_name (app), cid);
}

/* ------------------------------------------------------------------------------------------ */

static void
sigma_messaging_app_finalize (GObject *object)
{
  SigmaMessagingApp *self = SELF (object);

  g_clear_pointer (&self->conversations, sigma_ordered_map_free);
  g_clear_pointer (&self->id_to_name, json_object_unref);
  g_clear_pointer (&self->name_to_id, json_object_unref);
  g_clear_pointer (&self->current_user_id, g_free);
  g_clear_pointer (&self->current_user_name, g_free);

  G_OBJECT_CLASS (sigma_messaging_app_parent_class)->finalize (object);
}

static void
sigma_messaging_app_class_init (SigmaMessagingAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_messaging_app_finalize;

  app_class->get_state = sigma_messaging_app_get_state;
  app_class->load_state = sigma_messaging_app_load_state;
  app_class->reset = sigma_messaging_app_reset;
  app_class->describe_notification = sigma_messaging_app_describe_notification;
  app_class->app_class_name = "MessagingAppV2";
}

static void
sigma_messaging_app_init (SigmaMessagingApp *self)
{
  self->conversations = sigma_ordered_map_new ((GDestroyNotify) conversation_free);
  self->id_to_name = json_object_new ();
  self->name_to_id = json_object_new ();
  self->mode = MODE_NAME;
  self->messages_view_limit = DEFAULT_MESSAGES_VIEW_LIMIT;
  self->conversation_view_limit = DEFAULT_CONVERSATION_VIEW_LIMIT;

  sigma_app_add_tool_specs (SIGMA_APP (self), messaging_tools, G_N_ELEMENTS (messaging_tools));
}

/**
 * sigma_messaging_app_new:
 * @name: (nullable): the instance name; "MessagingAppV2" when %NULL
 *
 * Returns: (transfer full): a new #SigmaMessagingApp
 */
SigmaApp *
sigma_messaging_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_MESSAGING_APP, "name", name != NULL ? name : "MessagingAppV2", NULL);
}
