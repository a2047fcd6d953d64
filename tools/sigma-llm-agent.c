/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-llm-agent.h"
#include "sigma-utils.h"
#include "sigma-llm-private.h"
#include "sigma-app.h"
#include "sigma-error.h"
#include "sigma-system-app.h"

/**
 * SigmaLlmAgent:
 *
 * An agent that asks a chat-completions model (#SigmaLlmClient) what to do.
 *
 * When the run starts it writes a system prompt: its role, the current simulated time, the
 * apps of the scenario with their tools, and the scenario's hints; the tools themselves go
 * to the model as OpenAI function schemas, one for every AGENT-role tool, named
 * `App__tool`. When the scenario has no SystemApp, a `wait_for_notification` tool lets the
 * model wait for the next notification.
 *
 * Each step, what the agent has not seen yet joins the conversation: the result (or the
 * error) of its last tool call as a `tool` message with the call's id, then the user's
 * messages as `user` messages and the apps' notifications as `system` messages. A reply
 * with tool calls becomes one action per step, in the model's order; a call whose
 * arguments are not a JSON object is answered at once with an error message the model
 * reads. A reply without tool calls is a message to the user; an empty one ends the run.
 *
 * A step that cannot reach the model fails with the client's %SIGMA_LLM_ERROR, which the
 * #SigmaRunner counts as an infrastructure error.
 *
 * Since: 0.1
 */
struct _SigmaLlmAgent
{
  GObject         parent_instance;

  SigmaLlmClient *client;
  JsonArray      *messages;
  JsonArray      *tools;
  GPtrArray      *pending;      /* SigmaAgentAction or NULL (bad arguments), in order */
  GPtrArray      *pending_errors;  /* char *: why a pending call cannot run */
  JsonArray      *deferred;     /* messages that wait until every tool call is answered */
  gboolean        has_wait_tool;
  SigmaUsage      usage;
};

static void sigma_llm_agent_iface_init (SigmaAgentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaLlmAgent, sigma_llm_agent, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_AGENT, sigma_llm_agent_iface_init))

#define WAIT_TOOL "wait_for_notification"
#define DEFAULT_WAIT 600.0
/* model calls in one step before the agent gives up on getting an action */
#define MAX_CALLS_PER_STEP 5

static void
add_tool_message (JsonArray  *messages,
                  const char *call_id,
                  const char *content)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", "tool");
  json_object_set_string_member (message, "tool_call_id", call_id);
  json_object_set_string_member (message, "content", content);
  json_array_add_object_element (messages, message);
}

static char *
format_time (gdouble time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) time);

  if (dt == NULL)
    return g_strdup_printf ("%.0f s since the Unix epoch", time);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC (%A)");
}

/* The tools the model is offered: the environment's agent-facing view (renamed and
 * re-described tools when tool augmentation is on), with a one-line summary per app. */
static JsonArray *
agent_tool_schemas (SigmaEnvironment *env,
                    GString          *summary,
                    gboolean         *has_system_app)
{
  g_autoptr(GPtrArray) apps = sigma_environment_list_apps (env);
  g_autoptr(JsonNode) view = sigma_environment_list_agent_tools (env);
  JsonArray *schemas = json_node_get_array (view);
  JsonArray *tools = json_array_new ();
  g_autofree char *current_app = NULL;

  *has_system_app = FALSE;
  for (guint i = 0; i < apps->len; i++)
    if (SIGMA_IS_SYSTEM_APP (g_ptr_array_index (apps, i)))
      *has_system_app = TRUE;

  for (guint i = 0; i < json_array_get_length (schemas); i++)
    {
      JsonObject *function = json_object_get_object_member (json_array_get_object_element (schemas, i), "function");
      const char *name = json_object_get_string_member (function, "name");
      const char *sep = strstr (name, "__");
      g_autofree char *app = sep != NULL ? g_strndup (name, sep - name) : g_strdup ("");

      if (g_strcmp0 (app, current_app) != 0)
        {
          g_string_append_printf (summary, "%s- %s:", current_app != NULL ? "\n" : "", app);
          g_free (current_app);
          current_app = g_strdup (app);
        }
      else
        g_string_append_c (summary, ',');
      g_string_append_printf (summary, " %s", sep != NULL ? sep + 2 : name);
      json_array_add_element (tools, json_node_copy (json_array_get_element (schemas, i)));
    }
  if (current_app != NULL)
    g_string_append_c (summary, '\n');
  return tools;
}

static JsonNode *
wait_tool_schema (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_parser_load_from_data (parser,
    "{\"type\": \"function\", \"function\": {\"name\": \"" WAIT_TOOL "\", "
    "\"description\": \"Wait until something happens: a message from the user or a notification "
    "from an app, or until the timeout passes.\", "
    "\"parameters\": {\"type\": \"object\", \"properties\": {\"timeout\": {\"type\": \"number\", "
    "\"description\": \"The most simulated seconds to wait\", \"default\": 600}}, \"required\": []}}}",
    -1, NULL);
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
sigma_llm_agent_start (SigmaAgent        *agent,
                       SigmaScenario     *scenario,
                       SigmaEnvironment  *env,
                       GError           **error)
{
  SigmaLlmAgent *self = SIGMA_LLM_AGENT (agent);
  g_autoptr(GString) apps = g_string_new (NULL);
  g_autoptr(GString) prompt = g_string_new (NULL);
  g_autofree char *now = format_time (sigma_environment_get_time (env));
  const char * const *hints = sigma_scenario_get_hints (scenario);
  gboolean has_system_app;

  g_clear_pointer (&self->tools, json_array_unref);
  self->tools = agent_tool_schemas (env, apps, &has_system_app);
  self->has_wait_tool = !has_system_app;
  if (self->has_wait_tool)
    json_array_add_element (self->tools, wait_tool_schema ());

  g_string_append (prompt,
    "You are an assistant acting for a user in a simulated world of apps. You act only by calling "
    "the tools you are given; each call runs at once and you see its result.\n"
    "- Call tools to find out what you need and to do what the user asks. You may call several "
    "tools in one reply: they run in the order you give.\n"
    "- To write to the user, reply with plain text and no tool call: it is sent to the user as a "
    "message. Do that when the task is done, or when you need an answer from the user.\n"
    "- Messages from the user and notifications from the apps reach you as they arrive.\n");
  if (self->has_wait_tool)
    g_string_append (prompt, "- To wait for something to happen, call " WAIT_TOOL ".\n");
  g_string_append_printf (prompt, "\nThe current time is %s.\n", now);
  if (apps->len > 0)
    g_string_append_printf (prompt, "\nApps and their tools:\n%s", apps->str);
  sigma_llm_append_hints (prompt, "Policy and hints for this scenario:", hints);

  json_array_unref (self->messages);
  self->messages = sigma_llm_conversation_new (prompt->str);
  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->pending_errors, 0);
  json_array_unref (self->deferred);
  self->deferred = json_array_new ();
  return TRUE;
}

/* What the model reads about the last action's outcome. */
static char *
describe_result (SigmaObservation *observation)
{
  SigmaAgentAction *last = sigma_observation_get_last_action (observation);
  const char *error = sigma_observation_get_last_error (observation);
  JsonNode *result = sigma_observation_get_last_result (observation);

  if (error != NULL)
    return g_strdup_printf ("Error: %s", error);
  if (sigma_agent_action_get_kind (last) == SIGMA_AGENT_ACTION_WAIT)
    {
      g_autofree char *now = format_time (sigma_observation_get_time (observation));

      return g_strdup_printf ("Waited; it is now %s.", now);
    }
  if (result == NULL)
    return g_strdup ("null");
  return sigma_json_to_string (result, FALSE);
}

static void
observe (SigmaLlmAgent    *self,
         SigmaObservation *observation)
{
  SigmaAgentAction *last = sigma_observation_get_last_action (observation);
  GPtrArray *notifications = sigma_observation_get_notifications (observation);

  if (last != NULL && sigma_agent_action_get_call_id (last) != NULL)
    {
      g_autofree char *content = describe_result (observation);

      add_tool_message (self->messages, sigma_agent_action_get_call_id (last), content);
    }
  for (guint i = 0; notifications != NULL && i < notifications->len; i++)
    {
      SigmaNotification *n = g_ptr_array_index (notifications, i);

      if (sigma_notification_get_message_type (n) == SIGMA_MESSAGE_TYPE_USER_MESSAGE)
        sigma_llm_add_message (self->deferred, "user", sigma_notification_get_message (n));
      else
        {
          g_autofree char *when = format_time (sigma_notification_get_timestamp (n));
          g_autofree char *text = g_strdup_printf ("Notification (%s): %s", when,
                                                   sigma_notification_get_message (n));

          sigma_llm_add_message (self->deferred, "system", text);
        }
    }
}

/* Once every tool call of the last reply has its result, the messages that arrived
 * meanwhile join the conversation. */
static void
flush_deferred (SigmaLlmAgent *self)
{
  for (guint i = 0; i < json_array_get_length (self->deferred); i++)
    json_array_add_element (self->messages, json_node_copy (json_array_get_element (self->deferred, i)));
  json_array_unref (self->deferred);
  self->deferred = json_array_new ();
}

/* The next queued call that can run; calls with bad arguments are answered on the way. */
static SigmaAgentAction *
next_pending (SigmaLlmAgent *self)
{
  while (self->pending->len > 0)
    {
      SigmaAgentAction *action = g_ptr_array_steal_index (self->pending, 0);
      g_autofree char *why = g_ptr_array_steal_index (self->pending_errors, 0);

      if (action != NULL)
        return action;
      /* why is "call-id\nmessage" */
      {
        char *nl = strchr (why, '\n');

        *nl = '\0';
        add_tool_message (self->messages, why, nl + 1);
      }
    }
  return NULL;
}

static SigmaAgentAction *
action_for_call (SigmaLlmReply  *reply,
                 guint           index,
                 GError        **error)
{
  const char *name = sigma_llm_reply_get_tool_call_name (reply, index);
  g_autoptr(JsonObject) args = NULL;
  SigmaAgentAction *action;

  args = sigma_llm_reply_parse_tool_call_arguments (reply, index, error);
  if (args == NULL)
    return NULL;
  if (g_str_equal (name, WAIT_TOOL))
    {
      JsonNode *timeout = json_object_get_member (args, "timeout");
      gdouble seconds = DEFAULT_WAIT;

      if (timeout != NULL && JSON_NODE_HOLDS_VALUE (timeout) &&
          (json_node_get_value_type (timeout) == G_TYPE_INT64 ||
           json_node_get_value_type (timeout) == G_TYPE_DOUBLE))
        seconds = json_node_get_double (timeout);
      if (!(seconds > 0))
        seconds = DEFAULT_WAIT;
      action = sigma_agent_action_new_wait (seconds);
    }
  else
    action = sigma_agent_action_new_tool_call (name, args);
  sigma_agent_action_set_call_id (action, sigma_llm_reply_get_tool_call_id (reply, index));
  return action;
}

static SigmaAgentAction *
sigma_llm_agent_step (SigmaAgent        *agent,
                      SigmaObservation  *observation,
                      GError           **error)
{
  SigmaLlmAgent *self = SIGMA_LLM_AGENT (agent);
  SigmaAgentAction *action;

  if (self->messages == NULL || json_array_get_length (self->messages) == 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE, "The LLM agent has not started");
      return NULL;
    }

  observe (self, observation);
  action = next_pending (self);
  if (action != NULL)
    return action;
  flush_deferred (self);

  for (guint n = 0; n < MAX_CALLS_PER_STEP; n++)
    {
      g_autoptr(SigmaLlmReply) reply = NULL;
      guint n_calls;
      const char *content;

      reply = sigma_llm_client_chat (self->client, self->messages, self->tools, "auto", NULL, error);
      if (reply == NULL)
        return NULL;
      sigma_usage_add (&self->usage, sigma_llm_reply_get_usage (reply));
      json_array_add_object_element (self->messages, json_object_ref (sigma_llm_reply_get_message (reply)));

      n_calls = sigma_llm_reply_get_n_tool_calls (reply);
      if (n_calls == 0)
        {
          content = sigma_llm_reply_get_content (reply);
          if (content == NULL || *content == '\0')
            return sigma_agent_action_new_done ();
          return sigma_agent_action_new_message (content);
        }
      for (guint i = 0; i < n_calls; i++)
        {
          g_autoptr(GError) local_error = NULL;
          SigmaAgentAction *call = action_for_call (reply, i, &local_error);

          g_ptr_array_add (self->pending, call);
          g_ptr_array_add (self->pending_errors,
                           call != NULL ? g_strdup ("") :
                           g_strdup_printf ("%s\nError: %s", sigma_llm_reply_get_tool_call_id (reply, i),
                                            local_error->message));
        }
      action = next_pending (self);
      if (action != NULL)
        return action;
      flush_deferred (self);
    }
  g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE,
               "%s gave no usable action in %d replies in a row", sigma_llm_client_get_model (self->client),
               MAX_CALLS_PER_STEP);
  return NULL;
}

static void
sigma_llm_agent_get_usage_vfunc (SigmaAgent *agent,
                                 SigmaUsage *usage)
{
  sigma_usage_add (usage, &SIGMA_LLM_AGENT (agent)->usage);
}

static void
sigma_llm_agent_iface_init (SigmaAgentInterface *iface)
{
  iface->start = sigma_llm_agent_start;
  iface->step = sigma_llm_agent_step;
  iface->get_usage = sigma_llm_agent_get_usage_vfunc;
}

static void
sigma_llm_agent_finalize (GObject *object)
{
  SigmaLlmAgent *self = SIGMA_LLM_AGENT (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->messages, json_array_unref);
  g_clear_pointer (&self->tools, json_array_unref);
  g_clear_pointer (&self->deferred, json_array_unref);
  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->pending_errors);
  G_OBJECT_CLASS (sigma_llm_agent_parent_class)->finalize (object);
}

static void
sigma_llm_agent_class_init (SigmaLlmAgentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_llm_agent_finalize;
}

static void
sigma_llm_agent_init (SigmaLlmAgent *self)
{
  self->messages = json_array_new ();
  self->tools = json_array_new ();
  self->deferred = json_array_new ();
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_agent_action_unref);
  self->pending_errors = g_ptr_array_new_with_free_func (g_free);
}

/**
 * sigma_llm_agent_new:
 * @client: the model client
 *
 * Returns: (transfer full): a new LLM agent
 *
 * Since: 0.1
 */
SigmaAgent *
sigma_llm_agent_new (SigmaLlmClient *client)
{
  SigmaLlmAgent *self;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (client), NULL);

  self = g_object_new (SIGMA_TYPE_LLM_AGENT, NULL);
  self->client = g_object_ref (client);
  return SIGMA_AGENT (self);
}

/**
 * sigma_llm_agent_get_client:
 * @self: a #SigmaLlmAgent
 *
 * Returns: (transfer none): the model client
 */
SigmaLlmClient *
sigma_llm_agent_get_client (SigmaLlmAgent *self)
{
  g_return_val_if_fail (SIGMA_IS_LLM_AGENT (self), NULL);
  return self->client;
}

/**
 * sigma_llm_agent_get_messages:
 * @self: a #SigmaLlmAgent
 *
 * The conversation so far, as the next request would send it.
 *
 * Returns: (transfer none): the messages; do not modify them
 */
JsonArray *
sigma_llm_agent_get_messages (SigmaLlmAgent *self)
{
  g_return_val_if_fail (SIGMA_IS_LLM_AGENT (self), NULL);
  return self->messages;
}

/**
 * sigma_llm_agent_get_tools:
 * @self: a #SigmaLlmAgent
 *
 * The function schemas offered to the model (set when the run starts).
 *
 * Returns: (transfer none): the tools; do not modify them
 */
JsonArray *
sigma_llm_agent_get_tools (SigmaLlmAgent *self)
{
  g_return_val_if_fail (SIGMA_IS_LLM_AGENT (self), NULL);
  return self->tools;
}
