/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "sigma-agent.h"
#include "sigma-utils.h"
#include "sigma-error.h"

/**
 * SigmaAgentAction:
 *
 * One decision of an agent: a tool call, a message to the user, a wait or "done".
 * Immutable once made, except for the call id an LLM agent attaches. Reference-counted.
 *
 * Since: 0.1
 */
struct _SigmaAgentAction
{
  gatomicrefcount       ref_count;
  SigmaAgentActionKind  kind;
  char                 *tool_name;
  JsonObject           *args;
  char                 *message;
  gdouble               timeout;
  char                 *call_id;
};

G_DEFINE_BOXED_TYPE (SigmaAgentAction, sigma_agent_action,
                     sigma_agent_action_ref, sigma_agent_action_unref)

static SigmaAgentAction *
action_new (SigmaAgentActionKind kind)
{
  SigmaAgentAction *self = g_new0 (SigmaAgentAction, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->timeout = -1;
  return self;
}

/**
 * sigma_agent_action_new_tool_call:
 * @tool_name: the agent-facing tool name, `<app>__<tool>` (such as `Emails__send_email`)
 * @args: (nullable): the arguments; %NULL for none
 *
 * Returns: (transfer full): a new tool-call action
 */
SigmaAgentAction *
sigma_agent_action_new_tool_call (const char *tool_name,
                                  JsonObject *args)
{
  SigmaAgentAction *self;

  g_return_val_if_fail (tool_name != NULL && *tool_name != '\0', NULL);

  self = action_new (SIGMA_AGENT_ACTION_TOOL_CALL);
  self->tool_name = g_strdup (tool_name);
  self->args = args != NULL ? json_object_ref (args) : json_object_new ();
  return self;
}

/**
 * sigma_agent_action_new_message:
 * @text: what the agent tells the user
 *
 * Returns: (transfer full): a new message action
 */
SigmaAgentAction *
sigma_agent_action_new_message (const char *text)
{
  SigmaAgentAction *self;

  g_return_val_if_fail (text != NULL, NULL);

  self = action_new (SIGMA_AGENT_ACTION_MESSAGE);
  self->message = g_strdup (text);
  return self;
}

/**
 * sigma_agent_action_new_wait:
 * @timeout: the longest simulated wait in seconds, ≥ 0
 *
 * Returns: (transfer full): a new wait action: the clock jumps to the next event or
 *   notification, or by @timeout, whichever comes first
 */
SigmaAgentAction *
sigma_agent_action_new_wait (gdouble timeout)
{
  SigmaAgentAction *self;

  g_return_val_if_fail (timeout >= 0, NULL);

  self = action_new (SIGMA_AGENT_ACTION_WAIT);
  self->timeout = timeout;
  return self;
}

/**
 * sigma_agent_action_new_done:
 *
 * Returns: (transfer full): a new action saying the agent has finished
 */
SigmaAgentAction *
sigma_agent_action_new_done (void)
{
  return action_new (SIGMA_AGENT_ACTION_DONE);
}

static const char *
kind_name (SigmaAgentActionKind kind)
{
  switch (kind)
    {
    case SIGMA_AGENT_ACTION_TOOL_CALL:
      return "tool_call";
    case SIGMA_AGENT_ACTION_MESSAGE:
      return "message";
    case SIGMA_AGENT_ACTION_WAIT:
      return "wait";
    case SIGMA_AGENT_ACTION_DONE:
    default:
      return "done";
    }
}

/**
 * sigma_agent_action_new_from_json:
 * @node: an action as sigma_agent_action_to_json() writes it: `{"tool": NAME, "args": {…}}`,
 *   `{"message": TEXT}`, `{"wait": SECONDS}` or `{"done": true}` (an explicit
 *   `"kind"` member is accepted too)
 * @error: return location for a #GError
 *
 * Reads one action of a scripted agent.
 *
 * Returns: (transfer full) (nullable): the action, or %NULL with @error set
 */
SigmaAgentAction *
sigma_agent_action_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "An agent action must be a JSON object, not %s",
                   json_node_type_name (node));
      return NULL;
    }
  object = json_node_get_object (node);

  if ((member = json_object_get_member (object, "tool")) != NULL)
    {
      JsonNode *args = json_object_get_member (object, "args");

      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING ||
          *json_node_get_string (member) == '\0')
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Agent action member 'tool' must be a non-empty string");
          return NULL;
        }
      if (args != NULL && !JSON_NODE_HOLDS_OBJECT (args) && !JSON_NODE_HOLDS_NULL (args))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Agent action '%s': member 'args' must be an object, not %s",
                       json_node_get_string (member), json_node_type_name (args));
          return NULL;
        }
      return sigma_agent_action_new_tool_call (json_node_get_string (member),
                                               args != NULL && JSON_NODE_HOLDS_OBJECT (args) ?
                                               json_node_get_object (args) : NULL);
    }
  if ((member = json_object_get_member (object, "message")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Agent action member 'message' must be a string");
          return NULL;
        }
      return sigma_agent_action_new_message (json_node_get_string (member));
    }
  if ((member = json_object_get_member (object, "wait")) != NULL)
    {
      gdouble timeout;

      if (!JSON_NODE_HOLDS_VALUE (member) ||
          (json_node_get_value_type (member) != G_TYPE_INT64 &&
           json_node_get_value_type (member) != G_TYPE_DOUBLE) ||
          (timeout = json_node_get_double (member)) < 0 || !isfinite (timeout))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Agent action member 'wait' must be a number of seconds ≥ 0");
          return NULL;
        }
      return sigma_agent_action_new_wait (timeout);
    }
  if (json_object_has_member (object, "done"))
    return sigma_agent_action_new_done ();

  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
               "An agent action needs one of 'tool', 'message', 'wait' or 'done'");
  return NULL;
}

/**
 * sigma_agent_action_ref:
 * @self: a #SigmaAgentAction
 *
 * Returns: (transfer full): @self
 */
SigmaAgentAction *
sigma_agent_action_ref (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sigma_agent_action_unref:
 * @self: (transfer full): a #SigmaAgentAction
 */
void
sigma_agent_action_unref (SigmaAgentAction *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->tool_name);
  g_clear_pointer (&self->args, json_object_unref);
  g_free (self->message);
  g_free (self->call_id);
  g_free (self);
}

/**
 * sigma_agent_action_get_kind:
 * @self: a #SigmaAgentAction
 *
 * Returns: what the action does
 */
SigmaAgentActionKind
sigma_agent_action_get_kind (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, SIGMA_AGENT_ACTION_DONE);
  return self->kind;
}

/**
 * sigma_agent_action_get_tool_name:
 * @self: a #SigmaAgentAction
 *
 * Returns: (nullable): the tool of a tool call
 */
const char *
sigma_agent_action_get_tool_name (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->tool_name;
}

/**
 * sigma_agent_action_get_args:
 * @self: a #SigmaAgentAction
 *
 * Returns: (transfer none) (nullable): the arguments of a tool call
 */
JsonObject *
sigma_agent_action_get_args (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->args;
}

/**
 * sigma_agent_action_get_message:
 * @self: a #SigmaAgentAction
 *
 * Returns: (nullable): the text of a message to the user
 */
const char *
sigma_agent_action_get_message (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->message;
}

/**
 * sigma_agent_action_get_timeout:
 * @self: a #SigmaAgentAction
 *
 * Returns: the timeout of a wait in seconds, or -1 for other actions
 */
gdouble
sigma_agent_action_get_timeout (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->timeout;
}

/**
 * sigma_agent_action_get_call_id:
 * @self: a #SigmaAgentAction
 *
 * Returns: (nullable): the id a model gave the call, if any
 */
const char *
sigma_agent_action_get_call_id (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->call_id;
}

/**
 * sigma_agent_action_set_call_id:
 * @self: a #SigmaAgentAction
 * @call_id: (nullable): the id a model gave the call
 */
void
sigma_agent_action_set_call_id (SigmaAgentAction *self,
                                const char       *call_id)
{
  g_return_if_fail (self != NULL);
  g_free (self->call_id);
  self->call_id = g_strdup (call_id);
}

/**
 * sigma_agent_action_to_json:
 * @self: a #SigmaAgentAction
 *
 * Returns: (transfer full): the action as JSON, in the form
 *   sigma_agent_action_new_from_json() reads
 */
JsonNode *
sigma_agent_action_to_json (SigmaAgentAction *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  switch (self->kind)
    {
    case SIGMA_AGENT_ACTION_TOOL_CALL:
      json_object_set_string_member (object, "tool", self->tool_name);
      json_object_set_object_member (object, "args", json_object_ref (self->args));
      break;
    case SIGMA_AGENT_ACTION_MESSAGE:
      json_object_set_string_member (object, "message", self->message);
      break;
    case SIGMA_AGENT_ACTION_WAIT:
      json_object_set_double_member (object, "wait", self->timeout);
      break;
    case SIGMA_AGENT_ACTION_DONE:
    default:
      json_object_set_boolean_member (object, "done", TRUE);
      break;
    }
  if (self->call_id != NULL)
    json_object_set_string_member (object, "call_id", self->call_id);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/**
 * sigma_agent_action_describe:
 * @self: a #SigmaAgentAction
 *
 * Returns: (transfer full): one line for people: `Emails__send_email({"to": …})`,
 *   `message: "…"`, `wait 60 s` or `done`
 */
char *
sigma_agent_action_describe (SigmaAgentAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case SIGMA_AGENT_ACTION_TOOL_CALL:
      {
        g_autoptr(JsonNode) args = json_node_new (JSON_NODE_OBJECT);
        g_autofree char *text = NULL;

        json_node_set_object (args, self->args);
        text = sigma_json_to_string (args, FALSE);
        return g_strdup_printf ("%s(%s)", self->tool_name, text);
      }
    case SIGMA_AGENT_ACTION_MESSAGE:
      return g_strdup_printf ("message: \"%s\"", self->message);
    case SIGMA_AGENT_ACTION_WAIT:
      return g_strdup_printf ("wait %g s", self->timeout);
    case SIGMA_AGENT_ACTION_DONE:
    default:
      return g_strdup (kind_name (self->kind));
    }
}

/**
 * SigmaObservation:
 *
 * What an agent learns before a step: the simulated time, the user messages and
 * notifications that arrived since its last step (oldest first), and the outcome of its
 * last action. Reference-counted.
 *
 * Since: 0.1
 */
struct _SigmaObservation
{
  gatomicrefcount   ref_count;
  gdouble           time;
  guint             step;
  GPtrArray        *notifications;
  SigmaAgentAction *last_action;
  JsonNode         *last_result;
  char             *last_error;
};

G_DEFINE_BOXED_TYPE (SigmaObservation, sigma_observation,
                     sigma_observation_ref, sigma_observation_unref)

/**
 * sigma_observation_new:
 * @time: the simulated time, in seconds since the Unix epoch
 * @step: the number of the step about to be taken, from 0
 *
 * Returns: (transfer full): a new, empty observation
 */
SigmaObservation *
sigma_observation_new (gdouble time,
                       guint   step)
{
  SigmaObservation *self = g_new0 (SigmaObservation, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->time = time;
  self->step = step;
  self->notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_notification_unref);
  return self;
}

/**
 * sigma_observation_ref:
 * @self: a #SigmaObservation
 *
 * Returns: (transfer full): @self
 */
SigmaObservation *
sigma_observation_ref (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sigma_observation_unref:
 * @self: (transfer full): a #SigmaObservation
 */
void
sigma_observation_unref (SigmaObservation *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->notifications);
  g_clear_pointer (&self->last_action, sigma_agent_action_unref);
  g_clear_pointer (&self->last_result, json_node_unref);
  g_free (self->last_error);
  g_free (self);
}

/**
 * sigma_observation_get_time:
 * @self: a #SigmaObservation
 *
 * Returns: the simulated time of the observation
 */
gdouble
sigma_observation_get_time (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->time;
}

/**
 * sigma_observation_get_step:
 * @self: a #SigmaObservation
 *
 * Returns: the number of the step about to be taken, from 0
 */
guint
sigma_observation_get_step (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->step;
}

/**
 * sigma_observation_add_notification:
 * @self: a #SigmaObservation
 * @notification: a user message or notification
 */
void
sigma_observation_add_notification (SigmaObservation  *self,
                                    SigmaNotification *notification)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (notification != NULL);
  g_ptr_array_add (self->notifications, sigma_notification_ref (notification));
}

/**
 * sigma_observation_get_notifications:
 * @self: a #SigmaObservation
 *
 * Returns: (transfer none) (element-type SigmaNotification): the user messages and
 *   notifications that arrived since the last step, oldest first
 */
GPtrArray *
sigma_observation_get_notifications (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->notifications;
}

/**
 * sigma_observation_set_last_action:
 * @self: a #SigmaObservation
 * @action: (nullable): the agent's last action
 * @result: (nullable): what it returned
 * @error_message: (nullable): why it failed, if it did
 */
void
sigma_observation_set_last_action (SigmaObservation *self,
                                   SigmaAgentAction *action,
                                   JsonNode         *result,
                                   const char       *error_message)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->last_action, sigma_agent_action_unref);
  g_clear_pointer (&self->last_result, json_node_unref);
  g_clear_pointer (&self->last_error, g_free);
  self->last_action = action != NULL ? sigma_agent_action_ref (action) : NULL;
  self->last_result = result != NULL ? json_node_ref (result) : NULL;
  self->last_error = g_strdup (error_message);
}

/**
 * sigma_observation_get_last_action:
 * @self: a #SigmaObservation
 *
 * Returns: (transfer none) (nullable): the agent's last action
 */
SigmaAgentAction *
sigma_observation_get_last_action (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_action;
}

/**
 * sigma_observation_get_last_result:
 * @self: a #SigmaObservation
 *
 * Returns: (transfer none) (nullable): what the last action returned
 */
JsonNode *
sigma_observation_get_last_result (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_result;
}

/**
 * sigma_observation_get_last_error:
 * @self: a #SigmaObservation
 *
 * Returns: (nullable): why the last action failed, or %NULL
 */
const char *
sigma_observation_get_last_error (SigmaObservation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_error;
}

/**
 * sigma_observation_to_json:
 * @self: a #SigmaObservation
 *
 * Returns: (transfer full): `{"time", "step", "notifications": [{"type", "message",
 *   "timestamp"}], "last_action", "last_result", "last_error"}`
 */
JsonNode *
sigma_observation_to_json (SigmaObservation *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_double_value (builder, self->time);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, self->step);
  json_builder_set_member_name (builder, "notifications");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->notifications->len; i++)
    {
      SigmaNotification *n = g_ptr_array_index (self->notifications, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder,
                                     sigma_notification_get_message_type (n) == SIGMA_MESSAGE_TYPE_USER_MESSAGE ?
                                     "user_message" : "notification");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, sigma_notification_get_message (n));
      json_builder_set_member_name (builder, "timestamp");
      json_builder_add_double_value (builder, sigma_notification_get_timestamp (n));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "last_action");
  if (self->last_action != NULL)
    json_builder_add_value (builder, sigma_agent_action_to_json (self->last_action));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_result");
  if (self->last_result != NULL)
    json_builder_add_value (builder, json_node_copy (self->last_result));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_error");
  if (self->last_error != NULL)
    json_builder_add_string_value (builder, self->last_error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

G_DEFINE_BOXED_TYPE (SigmaUsage, sigma_usage, sigma_usage_copy, sigma_usage_free)

/**
 * sigma_usage_copy:
 * @self: a #SigmaUsage
 *
 * Returns: (transfer full): a copy of @self
 */
SigmaUsage *
sigma_usage_copy (const SigmaUsage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_memdup2 (self, sizeof *self);
}

/**
 * sigma_usage_free:
 * @self: (transfer full): a #SigmaUsage
 */
void
sigma_usage_free (SigmaUsage *self)
{
  g_free (self);
}

/**
 * sigma_usage_add:
 * @self: a #SigmaUsage
 * @other: the usage to add to @self
 */
void
sigma_usage_add (SigmaUsage       *self,
                 const SigmaUsage *other)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (other != NULL);

  self->prompt_tokens += other->prompt_tokens;
  self->completion_tokens += other->completion_tokens;
  self->n_requests += other->n_requests;
  self->cost += other->cost;
}

/**
 * SigmaAgent:
 *
 * The interface of every agent — the oracle, a script, an LLM, a person — in C or in
 * Python: sigma_agent_start() once, then sigma_agent_step() until the #SigmaRunner ends
 * the run. See #SigmaAgentInterface.
 *
 * Since: 0.1
 */
G_DEFINE_INTERFACE (SigmaAgent, sigma_agent, G_TYPE_OBJECT)

static void
sigma_agent_default_init (SigmaAgentInterface *iface)
{
}

/**
 * sigma_agent_start:
 * @self: a #SigmaAgent
 * @scenario: the scenario being played
 * @env: its environment, set up and started
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the agent is ready
 */
gboolean
sigma_agent_start (SigmaAgent        *self,
                   SigmaScenario     *scenario,
                   SigmaEnvironment  *env,
                   GError           **error)
{
  SigmaAgentInterface *iface;

  g_return_val_if_fail (SIGMA_IS_AGENT (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_SCENARIO (scenario), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = SIGMA_AGENT_GET_IFACE (self);
  return iface->start == NULL || iface->start (self, scenario, env, error);
}

/**
 * sigma_agent_step:
 * @self: a #SigmaAgent
 * @observation: what happened since the last step
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the next action, or %NULL with @error set when the
 *   agent cannot go on (an endpoint down, a malformed script)
 */
SigmaAgentAction *
sigma_agent_step (SigmaAgent        *self,
                  SigmaObservation  *observation,
                  GError           **error)
{
  SigmaAgentInterface *iface;
  SigmaAgentAction *action;

  g_return_val_if_fail (SIGMA_IS_AGENT (self), NULL);
  g_return_val_if_fail (observation != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = SIGMA_AGENT_GET_IFACE (self);
  if (iface->step == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                   "Agent type %s does not implement SigmaAgent.step",
                   G_OBJECT_TYPE_NAME (self));
      return NULL;
    }
  action = iface->step (self, observation, error);
  if (action == NULL && error != NULL && *error == NULL)
    g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                 "Agent type %s returned no action and no error", G_OBJECT_TYPE_NAME (self));
  return action;
}

/**
 * sigma_agent_get_usage:
 * @self: a #SigmaAgent
 * @usage: (out caller-allocates): where to add the agent's usage
 *
 * Adds what the agent spent on models to @usage. Agents without a model add nothing.
 */
void
sigma_agent_get_usage (SigmaAgent *self,
                       SigmaUsage *usage)
{
  SigmaAgentInterface *iface;

  g_return_if_fail (SIGMA_IS_AGENT (self));
  g_return_if_fail (usage != NULL);

  iface = SIGMA_AGENT_GET_IFACE (self);
  if (iface->get_usage != NULL)
    iface->get_usage (self, usage);
}

/**
 * SigmaUserSimulator:
 *
 * The interface of a simulated user that answers the agent's messages (an LLM playing a
 * persona). See #SigmaUserSimulatorInterface.
 *
 * Since: 0.1
 */
G_DEFINE_INTERFACE (SigmaUserSimulator, sigma_user_simulator, G_TYPE_OBJECT)

static void
sigma_user_simulator_default_init (SigmaUserSimulatorInterface *iface)
{
}

/**
 * sigma_user_simulator_start:
 * @self: a #SigmaUserSimulator
 * @scenario: the scenario being played
 * @env: its environment
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the simulator is ready
 */
gboolean
sigma_user_simulator_start (SigmaUserSimulator  *self,
                            SigmaScenario       *scenario,
                            SigmaEnvironment    *env,
                            GError             **error)
{
  SigmaUserSimulatorInterface *iface;

  g_return_val_if_fail (SIGMA_IS_USER_SIMULATOR (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_SCENARIO (scenario), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = SIGMA_USER_SIMULATOR_GET_IFACE (self);
  return iface->start == NULL || iface->start (self, scenario, env, error);
}

/**
 * sigma_user_simulator_reply:
 * @self: a #SigmaUserSimulator
 * @message: what the agent told the user
 * @finished: (out): set to %TRUE when the user ends the conversation
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the user's reply, or %NULL (with @error unset) when
 *   the user says nothing
 */
char *
sigma_user_simulator_reply (SigmaUserSimulator  *self,
                            const char          *message,
                            gboolean            *finished,
                            GError             **error)
{
  SigmaUserSimulatorInterface *iface;
  gboolean done = FALSE;
  char *reply;

  g_return_val_if_fail (SIGMA_IS_USER_SIMULATOR (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = SIGMA_USER_SIMULATOR_GET_IFACE (self);
  reply = iface->reply != NULL ? iface->reply (self, message, &done, error) : NULL;
  if (finished != NULL)
    *finished = done;
  return reply;
}

/**
 * sigma_user_simulator_get_usage:
 * @self: a #SigmaUserSimulator
 * @usage: (out caller-allocates): where to add the simulator's usage
 */
void
sigma_user_simulator_get_usage (SigmaUserSimulator *self,
                                SigmaUsage         *usage)
{
  SigmaUserSimulatorInterface *iface;

  g_return_if_fail (SIGMA_IS_USER_SIMULATOR (self));
  g_return_if_fail (usage != NULL);

  iface = SIGMA_USER_SIMULATOR_GET_IFACE (self);
  if (iface->get_usage != NULL)
    iface->get_usage (self, usage);
}
