/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-builtin-private.h"

#include "sigma-action-event.h"
#include "sigma-agent-user-interface.h"
#include "sigma-system-app.h"
#include "sigma-condition-event.h"
#include "sigma-error.h"
#include "sigma-event-log.h"
#include "sigma-oracle-event.h"
#include "sigma-time.h"

/* ------------------------------------------------------------------------------------ */
/* Apps                                                                                 */

/* Loads @state_json (nullable) into @app and adds it to @env; takes @app. */
gboolean
sigma_builtin_add_app (SigmaEnvironment  *env,
                       SigmaApp          *app,
                       const char        *state_json,
                       GError           **error)
{
  g_autoptr(SigmaApp) owned = app;   /* takes @app */

  g_assert (SIGMA_IS_ENVIRONMENT (env));
  g_assert (SIGMA_IS_APP (owned));

  if (state_json != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) state = json_from_string (state_json, &local_error);

      if (state == NULL)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "The state of app '%s' is not JSON: %s",
                       sigma_app_get_name (owned), local_error->message);
          return FALSE;
        }
      if (!sigma_app_load_state (owned, state, error))
        return FALSE;
    }
  return sigma_environment_add_app (env, owned, error);
}

/* ------------------------------------------------------------------------------------ */
/* Plans                                                                                */

void
sigma_builtin_plan_init (SigmaBuiltinPlan *plan)
{
  plan->events = g_ptr_array_new_with_free_func (g_object_unref);
  plan->error = NULL;
}

void
sigma_builtin_plan_clear (SigmaBuiltinPlan *plan)
{
  g_clear_pointer (&plan->events, g_ptr_array_unref);
  g_clear_error (&plan->error);
}

/* Adds @event (transfer full) under @event_id, after @after (nullable: a root event) by
 * @delay seconds. Returns it (unowned). */
SigmaEvent *
sigma_builtin_plan_add (SigmaBuiltinPlan *plan,
                        SigmaEvent       *event,
                        const char       *event_id,
                        SigmaEvent       *after,
                        gdouble           delay)
{
  g_autoptr(SigmaEvent) owned = event;

  if (plan->error != NULL)
    return NULL;
  sigma_event_set_event_id (event, event_id);
  sigma_event_set_delay (event, delay);
  if (after != NULL)
    sigma_event_depends_on (event, after);
  g_ptr_array_add (plan->events, g_steal_pointer (&owned));
  return event;
}

static JsonObject *
plan_parse_args (SigmaBuiltinPlan *plan,
                 const char       *event_id,
                 const char       *args_json)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = json_from_string (args_json != NULL ? args_json : "{}", &local_error);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (&plan->error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                   "The arguments of event '%s' are not a JSON object: %s", event_id,
                   local_error != NULL ? local_error->message : args_json);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* Adds a call of @app_name.@function with @args (borrowed; NULL after a failed parse): an
 * oracle event when @oracle (@event_type unused), else an action of @event_type. */
static SigmaEvent *
plan_call (SigmaBuiltinPlan *plan,
           gboolean          oracle,
           SigmaEventType    event_type,
           const char       *event_id,
           const char       *app_name,
           const char       *function,
           JsonObject       *args,
           SigmaEvent       *after,
           gdouble           delay)
{
  SigmaEvent *event;

  if (plan->error != NULL || args == NULL)
    return NULL;
  event = oracle ? sigma_oracle_event_new (app_name, function, args)
                 : sigma_action_event_new (event_type, app_name, function, args);
  return sigma_builtin_plan_add (plan, event, event_id, after, delay);
}

/* `{"content": @content}` */
static JsonObject *
content_args (const char *content)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "content", content);
  return args;
}

SigmaEvent *
sigma_builtin_plan_action (SigmaBuiltinPlan *plan,
                           SigmaEventType    event_type,
                           const char       *event_id,
                           const char       *app_name,
                           const char       *function,
                           const char       *args_json,
                           SigmaEvent       *after,
                           gdouble           delay)
{
  g_autoptr(JsonObject) args = plan->error == NULL ? plan_parse_args (plan, event_id, args_json) : NULL;

  return plan_call (plan, FALSE, event_type, event_id, app_name, function, args, after, delay);
}

SigmaEvent *
sigma_builtin_plan_oracle (SigmaBuiltinPlan *plan,
                           const char       *event_id,
                           const char       *app_name,
                           const char       *function,
                           const char       *args_json,
                           SigmaEvent       *after,
                           gdouble           delay)
{
  g_autoptr(JsonObject) args = plan->error == NULL ? plan_parse_args (plan, event_id, args_json) : NULL;

  return plan_call (plan, TRUE, SIGMA_EVENT_TYPE_AGENT, event_id, app_name, function, args, after, delay);
}

/* The user's task: a USER event of AgentUserInterface.send_message_to_agent, which the
 * notification system delivers to any agent as a user message. */
SigmaEvent *
sigma_builtin_plan_user_message (SigmaBuiltinPlan *plan,
                                 const char       *event_id,
                                 const char       *content,
                                 SigmaEvent       *after,
                                 gdouble           delay)
{
  g_autoptr(JsonObject) args = content_args (content);

  return plan_call (plan, FALSE, SIGMA_EVENT_TYPE_USER, event_id, SIGMA_BUILTIN_AUI, "send_message_to_agent",
                    args, after, delay);
}

/* The oracle's end of a turn: AgentUserInterface.send_message_to_user. */
SigmaEvent *
sigma_builtin_plan_reply_to_user (SigmaBuiltinPlan *plan,
                                  const char       *event_id,
                                  const char       *content,
                                  SigmaEvent       *after,
                                  gdouble           delay)
{
  g_autoptr(JsonObject) args = content_args (content);

  return plan_call (plan, TRUE, SIGMA_EVENT_TYPE_AGENT, event_id, SIGMA_BUILTIN_AUI, "send_message_to_user",
                    args, after, delay);
}

/* A condition checked every @every_ticks ticks, without timeout; @user_data is unowned and
 * must outlive the run (the scenarios pass static data). */
SigmaEvent *
sigma_builtin_plan_condition (SigmaBuiltinPlan   *plan,
                              const char         *event_id,
                              SigmaConditionFunc  func,
                              gpointer            user_data,
                              guint               every_ticks,
                              SigmaEvent         *after,
                              gdouble             delay)
{
  SigmaEvent *condition;

  if (plan->error != NULL)
    return NULL;
  condition = sigma_condition_event_new (event_id, func, user_data, NULL);
  sigma_condition_event_set_every_ticks (SIGMA_CONDITION_EVENT (condition), every_ticks);
  return sigma_builtin_plan_add (plan, condition, event_id, after, delay);
}

void
sigma_builtin_plan_also_after (SigmaBuiltinPlan *plan,
                               SigmaEvent       *event,
                               SigmaEvent       *parent)
{
  if (plan->error != NULL)
    return;
  sigma_event_depends_on (event, parent);
}

gboolean
sigma_builtin_plan_schedule (SigmaBuiltinPlan  *plan,
                             SigmaEnvironment  *env,
                             GError           **error)
{
  if (plan->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&plan->error));
      return FALSE;
    }
  return sigma_environment_schedule_events (env, plan->events, error);
}

/* ------------------------------------------------------------------------------------ */
/* Reading a run                                                                        */

/* The AGENT calls of @app_name.@function (either nullable: any) that succeeded, in log
 * order. Returns: (transfer container) (element-type SigmaCompletedEvent) */
GPtrArray *
sigma_builtin_agent_calls (SigmaEnvironment *env,
                           const char       *app_name,
                           const char       *function)
{
  GPtrArray *events = sigma_event_log_filter (sigma_environment_get_log (env), SIGMA_EVENT_TYPE_AGENT,
                                              app_name, function);

  for (guint i = events->len; i > 0; i--)
    if (sigma_completed_event_is_failure (g_ptr_array_index (events, i - 1)))
      g_ptr_array_remove_index (events, i - 1);
  return events;
}

/* The AGENT calls that succeeded and changed state, in log order. */
GPtrArray *
sigma_builtin_agent_writes (SigmaEnvironment *env)
{
  GPtrArray *events = sigma_builtin_agent_calls (env, NULL, NULL);

  for (guint i = events->len; i > 0; i--)
    if (!sigma_completed_event_is_write (g_ptr_array_index (events, i - 1)))
      g_ptr_array_remove_index (events, i - 1);
  return events;
}

guint
sigma_builtin_count_agent_calls (SigmaEnvironment *env,
                                 const char       *app_name,
                                 const char       *function)
{
  g_autoptr(GPtrArray) events = sigma_builtin_agent_calls (env, app_name, function);

  return events->len;
}

/* The string argument @name of @event, or NULL when absent or not a string. */
const char *
sigma_builtin_arg_string (SigmaCompletedEvent *event,
                          const char          *name)
{
  JsonObject *args = sigma_completed_event_get_args (event);
  JsonNode *node = args != NULL ? json_object_get_member (args, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The strings of the array argument @name of @event (a lone string counts as one).
 * Returns: (transfer container) (element-type utf8): borrowed from the event */
GPtrArray *
sigma_builtin_arg_strings (SigmaCompletedEvent *event,
                           const char          *name)
{
  JsonObject *args = sigma_completed_event_get_args (event);
  JsonNode *node = args != NULL ? json_object_get_member (args, name) : NULL;
  GPtrArray *strings = g_ptr_array_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (strings, (gpointer) json_node_get_string (element));
        }
    }
  else if (sigma_builtin_arg_string (event, name) != NULL)
    g_ptr_array_add (strings, (gpointer) sigma_builtin_arg_string (event, name));
  return strings;
}

gboolean
sigma_builtin_strings_contain (GPtrArray  *strings,
                               const char *value)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (strings, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* Whether one of @strings holds @needle, ignoring case. */
gboolean
sigma_builtin_any_contains_casefold (GPtrArray  *strings,
                                     const char *needle)
{
  for (guint i = 0; i < strings->len; i++)
    if (sigma_builtin_contains_casefold (g_ptr_array_index (strings, i), needle))
      return TRUE;
  return FALSE;
}

/* Everyone an email call went to: its recipients, then its cc.
 * Returns: (transfer container) (element-type utf8): borrowed from the event */
GPtrArray *
sigma_builtin_email_addressees (SigmaCompletedEvent *event)
{
  GPtrArray *to = sigma_builtin_arg_strings (event, "recipients");
  g_autoptr(GPtrArray) cc = sigma_builtin_arg_strings (event, "cc");

  for (guint i = 0; i < cc->len; i++)
    g_ptr_array_add (to, g_ptr_array_index (cc, i));
  return to;
}

/* Appends `"title" start to end` of a calendar event to @found, after ", " unless it is
 * the first. */
void
sigma_builtin_describe_event (GString    *found,
                              JsonObject *event)
{
  g_autofree char *start = sigma_time_format (json_object_get_double_member_with_default (event, "start_datetime", 0));
  g_autofree char *end = sigma_time_format (json_object_get_double_member_with_default (event, "end_datetime", 0));

  g_string_append_printf (found, "%s\"%s\" %s to %s", found->len > 0 ? ", " : "",
                          json_object_get_string_member_with_default (event, "title", ""), start, end);
}

/* "a, b, c", or "nobody" for an empty array */
char *
sigma_builtin_join (GPtrArray *strings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (strings, i));
  if (strings->len == 0)
    g_string_append (text, "nobody");
  return g_string_free (text, FALSE);
}

gboolean
sigma_builtin_contains_casefold (const char *haystack,
                                 const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL || needle == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

/* The object member @member of @app_name's state: (transfer full) */
JsonObject *
sigma_builtin_app_state (SigmaEnvironment  *env,
                         const char        *app_name,
                         const char        *member,
                         GError           **error)
{
  SigmaApp *app = sigma_environment_get_app (env, app_name);
  g_autoptr(JsonNode) state = NULL;
  JsonNode *node;

  if (app == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP,
                   "The environment has no app '%s' to validate", app_name);
      return NULL;
    }
  state = sigma_app_get_state (app);
  node = state != NULL && JSON_NODE_HOLDS_OBJECT (state)
         ? json_object_get_member (json_node_get_object (state), member) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "The state of app '%s' has no object '%s'", app_name, member);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* ------------------------------------------------------------------------------------ */
/* Settings                                                                             */

/* Sets a built-in's run settings from its `constructed`; g_object_set() on the created
 * scenario (`sigma run --seed`) still overrides them. */
void
sigma_builtin_configure (SigmaScenario      *scenario,
                         gdouble             start_time,
                         gdouble             duration,
                         guint64             seed,
                         const char * const *tags,
                         const char * const *hints)
{
  g_object_set (scenario,
                "start-time", start_time,
                "duration", duration,
                "seed", seed,
                "time-increment", 1.0,
                "tags", tags,
                "hints", hints,
                NULL);
}

/* The two apps every built-in has: AgentUserInterface (the user's messages) and SystemApp
 * (the clock and wait_for_notification). */
gboolean
sigma_builtin_add_assistant_apps (SigmaEnvironment  *env,
                                  GError           **error)
{
  return sigma_builtin_add_app (env, sigma_agent_user_interface_new (SIGMA_BUILTIN_AUI), NULL, error) &&
         sigma_builtin_add_app (env, sigma_system_app_new ("SystemApp"), NULL, error);
}

/* Whether the event @event_id ran without error, and when. */
gboolean
sigma_builtin_event_time (SigmaEnvironment *env,
                          const char       *event_id,
                          gdouble          *time)
{
  SigmaCompletedEvent *event = sigma_event_log_lookup (sigma_environment_get_log (env), event_id);

  if (event == NULL || sigma_completed_event_is_failure (event))
    return FALSE;
  *time = sigma_completed_event_get_event_time (event);
  return TRUE;
}

/* What the agent told the user (send_message_to_user) at or after @since.
 * Returns: (transfer container) (element-type utf8): borrowed from the log */
GPtrArray *
sigma_builtin_replies_since (SigmaEnvironment *env,
                             gdouble           since)
{
  g_autoptr(GPtrArray) events = sigma_builtin_agent_calls (env, SIGMA_BUILTIN_AUI, "send_message_to_user");
  GPtrArray *contents = g_ptr_array_new ();

  for (guint i = 0; i < events->len; i++)
    {
      SigmaCompletedEvent *event = g_ptr_array_index (events, i);
      const char *content = sigma_builtin_arg_string (event, "content");

      if (sigma_completed_event_get_event_time (event) >= since)
        g_ptr_array_add (contents, (gpointer) (content != NULL ? content : ""));
    }
  return contents;
}

/* "\"a\", \"b\"", or "nothing" */
char *
sigma_builtin_quote_all (GPtrArray *strings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (text, "%s\"%s\"", i > 0 ? ", " : "", (const char *) g_ptr_array_index (strings, i));
  if (strings->len == 0)
    g_string_append (text, "nothing");
  return g_string_free (text, FALSE);
}

/* Whether the messaging app @app_name holds a message of its current user, sent at or after
 * @since, in the conversation @conversation_id or (when NULL) in any conversation that has
 * @participant_id. */
gboolean
sigma_builtin_user_posted (SigmaEnvironment  *env,
                           const char        *app_name,
                           const char        *conversation_id,
                           const char        *participant_id,
                           gdouble            since,
                           GError           **error)
{
  SigmaApp *app = sigma_environment_get_app (env, app_name);
  g_autoptr(JsonNode) state = app != NULL ? sigma_app_get_state (app) : NULL;
  g_autoptr(JsonObject) conversations = NULL;
  const char *me;
  g_autoptr(GList) ids = NULL;

  conversations = sigma_builtin_app_state (env, app_name, "conversations", error);
  if (conversations == NULL)
    return FALSE;
  me = json_object_get_string_member_with_default (json_node_get_object (state), "current_user_id", "");
  ids = json_object_get_members (conversations);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonObject *conversation = json_object_get_object_member (conversations, l->data);
      JsonArray *participants, *messages;
      gboolean has_participant = FALSE;

      if (conversation == NULL)
        continue;
      participants = json_object_get_array_member (conversation, "participant_ids");
      messages = json_object_get_array_member (conversation, "messages");
      if (conversation_id != NULL && !g_str_equal (l->data, conversation_id))
        continue;
      for (guint i = 0; participants != NULL && participant_id != NULL && i < json_array_get_length (participants); i++)
        if (g_strcmp0 (json_array_get_string_element (participants, i), participant_id) == 0)
          has_participant = TRUE;
      if (conversation_id == NULL && !has_participant)
        continue;
      for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
        {
          JsonObject *message = json_array_get_object_element (messages, i);

          if (message != NULL &&
              g_strcmp0 (json_object_get_string_member_with_default (message, "sender_id", ""), me) == 0 &&
              json_object_get_double_member_with_default (message, "timestamp", 0) >= since)
            return TRUE;
        }
    }
  return FALSE;
}

/* The "events" object of the app "Calendar": (transfer full) */
JsonObject *
sigma_builtin_calendar_events (SigmaEnvironment  *env,
                               GError           **error)
{
  return sigma_builtin_app_state (env, "Calendar", "events", error);
}
