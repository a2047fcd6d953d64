/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "sigma-runner.h"
#include "sigma-oracle-agent.h"
#include "sigma-agent-user-interface.h"
#include "sigma-error.h"
#include "sigma-json-scenario.h"
#include "sigma-event-queue.h"
#include "sigma-validation-event.h"
#include "sigma-agent-validation-event.h"
#include "sigma-oracle-event.h"

/**
 * SigmaRunner:
 *
 * Drives an agent through a scenario on the simulated clock. Each step:
 *
 * 1. the events due by now have run; the notifications (user messages, app notifications)
 *    that arrived since the last step are gathered into a #SigmaObservation;
 * 2. the agent chooses an action (sigma_agent_step());
 * 3. the clock advances by the agent's think time — fixed, or the wall time the agent took
 *    (ARE's simulated generation time) — running every event that falls due meanwhile;
 * 4. the action runs as an AGENT event at the current simulated time: a tool call, a message
 *    to the user (which ends the agent's turn), a wait (the clock jumps to the next
 *    notification or the timeout) or done.
 *
 * After a message to the user, the next user turn arrives as the scenario's events say
 * (scripted user) or from a #SigmaUserSimulator. The run ends when the agent is done, the
 * scenario's last turn is answered, the user simulator ends the conversation, a stop event
 * or a validator ends the environment, the duration runs out, or the agent has used its
 * steps. sigma_runner_finish() judges the run. Nothing sleeps on the wall clock.
 *
 * The runner can also be driven one action at a time by a caller that is the agent (a
 * person in the web UI or the terminal): sigma_runner_start(), then sigma_runner_observe()
 * and sigma_runner_perform() until sigma_runner_is_finished().
 *
 * Since: 0.1
 */
struct _SigmaRunner
{
  GObject             parent_instance;

  SigmaScenario      *scenario;
  SigmaAgent         *agent;            /* nullable: driven from outside */
  SigmaUserSimulator *user;             /* nullable: scripted user */
  SigmaNoiseConfig   *noise;            /* nullable */
  SigmaEnvironment   *env;
  char               *agent_name;
  char               *aui_name;         /* the AgentUserInterface app, if any */

  SigmaThinkTime      think_mode;
  gdouble             think_seconds;
  guint               max_steps;
  gboolean            has_seed;
  guint64             seed;

  gboolean            started;
  SigmaEndReason      end_reason;
  char               *end_detail;
  guint               n_steps;
  guint               n_messages;       /* agent messages to the user */
  guint               n_turns;          /* known user turns (ARE files), or 0 */
  gint64              start_wall;
  GPtrArray          *inbox;            /* notifications taken but not yet observed */
  SigmaAgentAction   *last_action;
  JsonNode           *last_result;
  char               *last_error;
  SigmaRunResult     *result;
};

G_DEFINE_FINAL_TYPE (SigmaRunner, sigma_runner, G_TYPE_OBJECT)

enum {
  SIGNAL_ACTION_PERFORMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Without a duration a run with an agent could idle forever: ARE's benchmark default. */
#define DEFAULT_AGENT_DURATION 1800.0
#define DEFAULT_MAX_STEPS 200

static void
sigma_runner_finalize (GObject *object)
{
  SigmaRunner *self = SIGMA_RUNNER (object);

  g_clear_object (&self->scenario);
  g_clear_object (&self->agent);
  g_clear_object (&self->user);
  g_clear_object (&self->noise);
  g_clear_object (&self->env);
  g_free (self->agent_name);
  g_free (self->aui_name);
  g_free (self->end_detail);
  g_ptr_array_unref (self->inbox);
  g_clear_pointer (&self->last_action, sigma_agent_action_unref);
  g_clear_pointer (&self->last_result, json_node_unref);
  g_free (self->last_error);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (sigma_runner_parent_class)->finalize (object);
}

static void
sigma_runner_class_init (SigmaRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_runner_finalize;

  /**
   * SigmaRunner::action-performed:
   * @self: the runner
   * @action: the action
   * @result: (nullable): what it returned
   * @error_message: (nullable): why it failed
   *
   * Emitted after each action of the agent has run.
   */
  signals[SIGNAL_ACTION_PERFORMED] =
    g_signal_new ("action-performed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  SIGMA_TYPE_AGENT_ACTION | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
sigma_runner_init (SigmaRunner *self)
{
  self->think_mode = SIGMA_THINK_TIME_FIXED;
  self->think_seconds = 1.0;
  self->max_steps = DEFAULT_MAX_STEPS;
  self->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_notification_unref);
}

/**
 * sigma_runner_new:
 * @scenario: the scenario to play
 * @agent: (nullable): the agent, or %NULL when the caller acts through
 *   sigma_runner_perform()
 *
 * Returns: (transfer full): a new runner; nothing runs before sigma_runner_start() or
 *   sigma_runner_run()
 */
SigmaRunner *
sigma_runner_new (SigmaScenario *scenario,
                  SigmaAgent    *agent)
{
  SigmaRunner *self;

  g_return_val_if_fail (SIGMA_IS_SCENARIO (scenario), NULL);
  g_return_val_if_fail (agent == NULL || SIGMA_IS_AGENT (agent), NULL);

  self = g_object_new (SIGMA_TYPE_RUNNER, NULL);
  self->scenario = g_object_ref (scenario);
  self->agent = agent != NULL ? g_object_ref (agent) : NULL;
  self->agent_name = g_strdup (agent == NULL ? "external" :
                               SIGMA_IS_ORACLE_AGENT (agent) ? "oracle" : G_OBJECT_TYPE_NAME (agent));
  self->env = sigma_environment_new ();
  return self;
}

/**
 * sigma_runner_get_scenario:
 * @self: a #SigmaRunner
 *
 * Returns: (transfer none): the scenario
 */
SigmaScenario *
sigma_runner_get_scenario (SigmaRunner *self)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), NULL);
  return self->scenario;
}

/**
 * sigma_runner_get_agent:
 * @self: a #SigmaRunner
 *
 * Returns: (transfer none) (nullable): the agent
 */
SigmaAgent *
sigma_runner_get_agent (SigmaRunner *self)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), NULL);
  return self->agent;
}

/**
 * sigma_runner_get_environment:
 * @self: a #SigmaRunner
 *
 * Returns: (transfer none): the environment of the run (set up by sigma_runner_start())
 */
SigmaEnvironment *
sigma_runner_get_environment (SigmaRunner *self)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), NULL);
  return self->env;
}

/**
 * sigma_runner_set_user_simulator:
 * @self: a #SigmaRunner, not started
 * @user: (nullable): the simulated user; %NULL for the scripted user (the scenario's events)
 */
void
sigma_runner_set_user_simulator (SigmaRunner        *self,
                                 SigmaUserSimulator *user)
{
  g_return_if_fail (SIGMA_IS_RUNNER (self));
  g_return_if_fail (user == NULL || SIGMA_IS_USER_SIMULATOR (user));
  g_return_if_fail (!self->started);
  g_set_object (&self->user, user);
}

/**
 * sigma_runner_set_think_time:
 * @self: a #SigmaRunner
 * @mode: fixed or measured
 * @seconds: the simulated seconds per step in the fixed mode (≥ 0); ignored when measured
 *
 * How agent steps are charged to the simulated clock. The default is fixed, 1 s.
 */
void
sigma_runner_set_think_time (SigmaRunner    *self,
                             SigmaThinkTime  mode,
                             gdouble         seconds)
{
  g_return_if_fail (SIGMA_IS_RUNNER (self));
  g_return_if_fail (mode != SIGMA_THINK_TIME_FIXED || (seconds >= 0 && isfinite (seconds)));

  self->think_mode = mode;
  self->think_seconds = mode == SIGMA_THINK_TIME_FIXED ? seconds : 0;
}

/**
 * sigma_runner_set_max_steps:
 * @self: a #SigmaRunner
 * @max_steps: the most agent steps, ≥ 1 (default 200)
 */
void
sigma_runner_set_max_steps (SigmaRunner *self,
                            guint        max_steps)
{
  g_return_if_fail (SIGMA_IS_RUNNER (self));
  g_return_if_fail (max_steps >= 1);
  self->max_steps = max_steps;
}

/**
 * sigma_runner_set_seed:
 * @self: a #SigmaRunner, not started
 * @seed: the run seed, instead of the scenario's
 */
void
sigma_runner_set_seed (SigmaRunner *self,
                       guint64      seed)
{
  g_return_if_fail (SIGMA_IS_RUNNER (self));
  g_return_if_fail (!self->started);
  self->has_seed = TRUE;
  self->seed = seed;
}

/**
 * sigma_runner_set_noise:
 * @self: a #SigmaRunner, not started
 * @noise: (nullable): background events and tool augmentation to add to the run, or %NULL
 *
 * The noise is applied once the scenario is set up and before the clock starts (see
 * sigma_noise_config_apply()).
 */
void
sigma_runner_set_noise (SigmaRunner      *self,
                        SigmaNoiseConfig *noise)
{
  g_return_if_fail (SIGMA_IS_RUNNER (self));
  g_return_if_fail (noise == NULL || SIGMA_IS_NOISE_CONFIG (noise));
  g_return_if_fail (!self->started);
  g_set_object (&self->noise, noise);
}

/**
 * sigma_runner_set_agent_name:
 * @self: a #SigmaRunner
 * @name: how results name the agent (`oracle`, `llm:gpt-4o`, `human`, …)
 */
void
sigma_runner_set_agent_name (SigmaRunner *self,
                             const char  *name)
{
  g_return_if_fail (SIGMA_IS_RUNNER (self));
  g_return_if_fail (name != NULL);
  g_free (self->agent_name);
  self->agent_name = g_strdup (name);
}

/* ------------------------------------------------------------------------------------ */
/* Ending                                                                               */

static void
end_run (SigmaRunner    *self,
         SigmaEndReason  reason,
         const char     *detail)
{
  if (self->end_reason != SIGMA_END_REASON_NONE)
    return;
  self->end_reason = reason;
  self->end_detail = g_strdup (detail);
}

static gdouble
end_time (SigmaRunner *self)
{
  return sigma_environment_get_start_time (self->env) + sigma_environment_get_duration (self->env);
}

/* The environment may have ended on its own: a stop event, a validator, the duration. */
static gboolean
check_environment (SigmaRunner *self)
{
  switch (sigma_environment_get_state (self->env))
    {
    case SIGMA_ENVIRONMENT_STATE_FAILED:
      end_run (self, SIGMA_END_REASON_FAILED, sigma_environment_get_failure_reason (self->env));
      return FALSE;
    case SIGMA_ENVIRONMENT_STATE_STOPPED:
      end_run (self, sigma_environment_get_time (self->env) >= end_time (self) ?
               SIGMA_END_REASON_DURATION : SIGMA_END_REASON_STOPPED, NULL);
      return FALSE;
    case SIGMA_ENVIRONMENT_STATE_SETUP:
    case SIGMA_ENVIRONMENT_STATE_RUNNING:
    case SIGMA_ENVIRONMENT_STATE_PAUSED:
    default:
      if (sigma_environment_get_time (self->env) >= end_time (self))
        {
          end_run (self, SIGMA_END_REASON_DURATION, NULL);
          return FALSE;
        }
      return self->end_reason == SIGMA_END_REASON_NONE;
    }
}

/* Moves pending notifications (up to now) into the runner's inbox. */
static void
collect_notifications (SigmaRunner *self)
{
  SigmaNotificationSystem *ns = sigma_environment_get_notifications (self->env);
  g_autoptr(GPtrArray) taken = NULL;

  taken = sigma_notification_system_take_pending (ns, sigma_environment_get_time (self->env));
  for (guint i = 0; taken != NULL && i < taken->len; i++)
    g_ptr_array_add (self->inbox, sigma_notification_ref (g_ptr_array_index (taken, i)));
}

/* Whether anything still queued could bring the user's next turn: any event but the pure
 * watchers (validation events), which only judge, and the oracle's expected actions, which
 * never run when an agent plays. */
static gboolean
world_can_move (SigmaRunner *self)
{
  g_autoptr(GPtrArray) queued = sigma_event_queue_to_array (sigma_environment_get_queue (self->env));

  for (guint i = 0; i < queued->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (queued, i);

      if (SIGMA_IS_VALIDATION_EVENT (event) || SIGMA_IS_AGENT_VALIDATION_EVENT (event))
        continue;
      if (SIGMA_IS_ORACLE_EVENT (event) && !sigma_environment_get_oracle_mode (self->env))
        continue;
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Starting                                                                             */

static char *
find_aui (SigmaEnvironment *env)
{
  g_autoptr(GPtrArray) apps = sigma_environment_list_apps (env);

  for (guint i = 0; i < apps->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (apps, i);

      if (SIGMA_IS_AGENT_USER_INTERFACE (app))
        return g_strdup (sigma_app_get_name (app));
    }
  return NULL;
}

static gboolean
start_oracle (SigmaRunner  *self,
              GError      **error)
{
  if (self->noise != NULL)
    {
      /* as sigma_json_scenario_run_oracle(), with the noise added between setup and run */
      sigma_environment_set_oracle_mode (self->env, TRUE);
      if (!sigma_scenario_setup (self->scenario, self->env, error) ||
          !sigma_noise_config_apply (self->noise, self->env, self->scenario, error) ||
          !sigma_environment_run (self->env, error))
        return FALSE;
    }
  else if (SIGMA_IS_JSON_SCENARIO (self->scenario))
    {
      if (!sigma_json_scenario_run_oracle (SIGMA_JSON_SCENARIO (self->scenario), self->env, error))
        return FALSE;
    }
  else
    {
      sigma_environment_set_oracle_mode (self->env, TRUE);
      if (!sigma_scenario_setup (self->scenario, self->env, error) ||
          !sigma_environment_run (self->env, error))
        return FALSE;
    }
  if (sigma_environment_get_state (self->env) != SIGMA_ENVIRONMENT_STATE_FAILED)
    end_run (self, SIGMA_END_REASON_LAST_TURN, NULL);
  check_environment (self);
  return TRUE;
}

/**
 * sigma_runner_start:
 * @self: a #SigmaRunner
 * @error: return location for a #GError
 *
 * Sets the scenario up in the runner's environment, starts the clock, runs the events due
 * at the start (the user's first message, typically) and starts the agent and the user
 * simulator. With the oracle agent, the whole run happens here, as ARE's oracle run.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_runner_start (SigmaRunner  *self,
                    GError      **error)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->started)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE, "The run has already started");
      return FALSE;
    }
  self->started = TRUE;
  self->start_wall = g_get_monotonic_time ();
  if (self->has_seed)
    g_object_set (self->scenario, "seed", self->seed, NULL);
  sigma_notification_system_set_verbosity (sigma_environment_get_notifications (self->env),
                                           SIGMA_VERBOSITY_MEDIUM);

  if (self->agent != NULL && SIGMA_IS_ORACLE_AGENT (self->agent))
    return start_oracle (self, error);

  sigma_environment_set_exit_when_no_events (self->env, FALSE);
  if (!sigma_scenario_setup (self->scenario, self->env, error))
    return FALSE;
  if (sigma_environment_get_duration (self->env) < 0)
    sigma_environment_set_duration (self->env, DEFAULT_AGENT_DURATION);
  if (self->noise != NULL && !sigma_noise_config_apply (self->noise, self->env, self->scenario, error))
    return FALSE;
  if (SIGMA_IS_JSON_SCENARIO (self->scenario))
    self->n_turns = sigma_json_scenario_get_n_turns (SIGMA_JSON_SCENARIO (self->scenario));
  self->aui_name = find_aui (self->env);

  if (!sigma_environment_start (self->env, error) ||
      !sigma_environment_run_until (self->env, sigma_environment_get_time (self->env), error))
    return FALSE;
  if (self->agent != NULL && !sigma_agent_start (self->agent, self->scenario, self->env, error))
    return FALSE;
  if (self->user != NULL && !sigma_user_simulator_start (self->user, self->scenario, self->env, error))
    return FALSE;
  check_environment (self);
  return TRUE;
}

/**
 * sigma_runner_observe:
 * @self: a started #SigmaRunner
 *
 * Takes what the agent has not seen yet: the user messages and notifications that arrived
 * since the last observation, the outcome of its last action, and the time.
 *
 * Returns: (transfer full): the observation
 */
SigmaObservation *
sigma_runner_observe (SigmaRunner *self)
{
  SigmaObservation *obs;

  g_return_val_if_fail (SIGMA_IS_RUNNER (self), NULL);
  g_return_val_if_fail (self->started, NULL);

  collect_notifications (self);
  obs = sigma_observation_new (sigma_environment_get_time (self->env), self->n_steps);
  for (guint i = 0; i < self->inbox->len; i++)
    sigma_observation_add_notification (obs, g_ptr_array_index (self->inbox, i));
  g_ptr_array_set_size (self->inbox, 0);
  sigma_observation_set_last_action (obs, self->last_action, self->last_result, self->last_error);
  return obs;
}

/* ------------------------------------------------------------------------------------ */
/* Acting                                                                               */

/* After the agent's message to the user: the user's reply from the simulator, or the next
 * scripted turn as the scenario's events bring it. */
static gboolean
next_user_turn (SigmaRunner  *self,
                const char   *message,
                GError      **error)
{
  if (self->user != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *reply = NULL;
      gboolean finished = FALSE;

      reply = sigma_user_simulator_reply (self->user, message, &finished, &local_error);
      if (local_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "User simulator: ");
          return FALSE;
        }
      if (reply != NULL && self->aui_name != NULL)
        {
          g_autoptr(JsonObject) args = json_object_new ();
          g_autoptr(JsonNode) ret = NULL;

          json_object_set_string_member (args, "content", reply);
          ret = sigma_environment_call_tool (self->env, self->aui_name, "send_message_to_agent",
                                             args, SIGMA_EVENT_TYPE_USER, error);
          if (ret == NULL && error != NULL && *error != NULL)
            return FALSE;
        }
      if (finished)
        end_run (self, SIGMA_END_REASON_USER_STOP, NULL);
      else if (reply == NULL && !world_can_move (self))
        end_run (self, SIGMA_END_REASON_LAST_TURN, NULL);
      return TRUE;
    }

  if (self->n_turns > 0 && self->n_messages >= self->n_turns)
    {
      end_run (self, SIGMA_END_REASON_LAST_TURN, NULL);
      return TRUE;
    }
  /* The scripted user: the world moves on until something calls for the agent again — the
   * next user message, or a notification (an email arriving) it may have to act on. */
  while (check_environment (self))
    {
      collect_notifications (self);
      if (self->inbox->len > 0)
        return TRUE;
      if (!world_can_move (self))
        {
          end_run (self, SIGMA_END_REASON_LAST_TURN, NULL);
          return TRUE;
        }
      if (!sigma_environment_wait_for_notification (self->env,
                                                    end_time (self) - sigma_environment_get_time (self->env),
                                                    error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_message_tool (SigmaRunner *self,
                 const char  *name)
{
  g_autofree char *full = NULL;

  if (self->aui_name == NULL)
    return FALSE;
  full = g_strconcat (self->aui_name, "__send_message_to_user", NULL);
  return g_str_equal (name, full);
}

/**
 * sigma_runner_perform:
 * @self: a started #SigmaRunner
 * @action: what the agent does
 * @think_time: the simulated seconds the agent spent deciding, ≥ 0; the clock advances by
 *   this much, running due events, before the action runs
 * @result: (out) (optional) (transfer full) (nullable): what a tool call returned
 * @error: return location for a #GError
 *
 * Runs one action of the agent as an AGENT event at the current simulated time. A tool
 * error (an unknown tool, a bad argument, a tool that fails) is logged and returned in
 * @error with its #SigmaError code; the run goes on and the next observation carries it.
 * Other errors (a user simulator that cannot answer) end the run with an error.
 *
 * Returns: %TRUE when the action ran without error
 */
gboolean
sigma_runner_perform (SigmaRunner       *self,
                      SigmaAgentAction  *action,
                      gdouble            think_time,
                      JsonNode         **result,
                      GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) ret = NULL;
  SigmaAgentActionKind kind;
  gboolean infrastructure = FALSE;
  const char *message = NULL;

  g_return_val_if_fail (SIGMA_IS_RUNNER (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (think_time >= 0 && isfinite (think_time), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result != NULL)
    *result = NULL;
  if (!self->started || self->end_reason != SIGMA_END_REASON_NONE)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   self->started ? "The run has ended (%s)" : "The run has not started%s",
                   self->started ? sigma_end_reason_to_string (self->end_reason) : "");
      return FALSE;
    }

  self->n_steps++;
  if (think_time > 0)
    {
      gdouble to = MIN (sigma_environment_get_time (self->env) + think_time, end_time (self));

      if (!sigma_environment_run_until (self->env, to, &local_error))
        goto out;
      if (!check_environment (self))
        goto out;
    }

  kind = sigma_agent_action_get_kind (action);
  if (kind == SIGMA_AGENT_ACTION_TOOL_CALL && is_message_tool (self, sigma_agent_action_get_tool_name (action)))
    {
      JsonNode *content = json_object_get_member (sigma_agent_action_get_args (action), "content");

      kind = SIGMA_AGENT_ACTION_MESSAGE;
      message = content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
                json_node_get_value_type (content) == G_TYPE_STRING ? json_node_get_string (content) : "";
    }

  switch (kind)
    {
    case SIGMA_AGENT_ACTION_TOOL_CALL:
      ret = sigma_environment_call_tool_by_name (self->env, sigma_agent_action_get_tool_name (action),
                                                 sigma_agent_action_get_args (action),
                                                 SIGMA_EVENT_TYPE_AGENT, &local_error);
      break;

    case SIGMA_AGENT_ACTION_MESSAGE:
      {
        g_autoptr(JsonObject) args = json_object_new ();

        if (message == NULL)
          message = sigma_agent_action_get_message (action);
        if (self->aui_name == NULL)
          {
            g_set_error (&local_error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP,
                         "Scenario '%s' has no AgentUserInterface app: the agent cannot message the user",
                         sigma_scenario_get_scenario_id (self->scenario));
            break;
          }
        json_object_set_string_member (args, "content", message);
        ret = sigma_environment_call_tool (self->env, self->aui_name, "send_message_to_user", args,
                                           SIGMA_EVENT_TYPE_AGENT, &local_error);
        if (local_error != NULL)
          break;
        self->n_messages++;
        if (check_environment (self) && !next_user_turn (self, message, &local_error))
          infrastructure = TRUE;
      }
      break;

    case SIGMA_AGENT_ACTION_WAIT:
      sigma_environment_wait_for_notification (self->env, sigma_agent_action_get_timeout (action),
                                               &local_error);
      break;

    case SIGMA_AGENT_ACTION_DONE:
    default:
      end_run (self, SIGMA_END_REASON_AGENT_DONE, NULL);
      break;
    }

out:
  if (local_error != NULL && local_error->domain != SIGMA_ERROR)
    infrastructure = TRUE;
  if (infrastructure)
    end_run (self, SIGMA_END_REASON_ERROR, local_error->message);

  g_clear_pointer (&self->last_action, sigma_agent_action_unref);
  g_clear_pointer (&self->last_result, json_node_unref);
  g_clear_pointer (&self->last_error, g_free);
  self->last_action = sigma_agent_action_ref (action);
  self->last_result = ret != NULL ? json_node_ref (ret) : NULL;
  self->last_error = local_error != NULL ? g_strdup (local_error->message) : NULL;
  g_signal_emit (self, signals[SIGNAL_ACTION_PERFORMED], 0, action, ret, self->last_error);

  if (self->end_reason == SIGMA_END_REASON_NONE && check_environment (self) &&
      self->n_steps >= self->max_steps)
    end_run (self, SIGMA_END_REASON_MAX_STEPS, NULL);

  if (result != NULL)
    *result = g_steal_pointer (&ret);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * sigma_runner_is_finished:
 * @self: a #SigmaRunner
 *
 * Returns: whether the run has ended
 */
gboolean
sigma_runner_is_finished (SigmaRunner *self)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), TRUE);
  return self->end_reason != SIGMA_END_REASON_NONE;
}

/**
 * sigma_runner_get_end_reason:
 * @self: a #SigmaRunner
 *
 * Returns: why the run ended, or %SIGMA_END_REASON_NONE while it goes on
 */
SigmaEndReason
sigma_runner_get_end_reason (SigmaRunner *self)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), SIGMA_END_REASON_NONE);
  return self->end_reason;
}

/**
 * sigma_runner_get_n_steps:
 * @self: a #SigmaRunner
 *
 * Returns: the agent steps taken so far
 */
guint
sigma_runner_get_n_steps (SigmaRunner *self)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), 0);
  return self->n_steps;
}

/* ------------------------------------------------------------------------------------ */
/* Finishing                                                                            */

/**
 * sigma_runner_finish:
 * @self: a started #SigmaRunner
 * @error: return location for a #GError
 *
 * Ends the run if it has not ended (the final validation runs), judges it with the
 * scenario's validator and returns the result. A run that failed through a validator is a
 * failure with that validator's reason; a run that ended in an error is an error result,
 * not a failure. Calling it again returns the same result.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set when the run
 *   never started
 */
SigmaRunResult *
sigma_runner_finish (SigmaRunner  *self,
                     GError      **error)
{
  g_autoptr(GError) judge_error = NULL;
  g_autofree char *rationale = NULL;
  SigmaUsage usage = { 0, };
  gboolean passed;
  gdouble sim_time;
  guint64 seed;

  g_return_val_if_fail (SIGMA_IS_RUNNER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->result != NULL)
    return g_object_ref (self->result);
  if (!self->started)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE, "The run has not started");
      return NULL;
    }

  if (sigma_environment_get_state (self->env) == SIGMA_ENVIRONMENT_STATE_RUNNING ||
      sigma_environment_get_state (self->env) == SIGMA_ENVIRONMENT_STATE_PAUSED)
    sigma_environment_stop (self->env);
  if (self->end_reason == SIGMA_END_REASON_NONE)
    end_run (self, SIGMA_END_REASON_STOPPED, NULL);

  seed = sigma_environment_get_seed (self->env);
  sim_time = sigma_environment_get_time (self->env) - sigma_environment_get_start_time (self->env);
  self->result = sigma_run_result_new (sigma_scenario_get_scenario_id (self->scenario),
                                       self->agent_name, seed);
  if (self->agent != NULL)
    sigma_agent_get_usage (self->agent, &usage);
  if (self->user != NULL)
    sigma_user_simulator_get_usage (self->user, &usage);
  sigma_run_result_set_usage (self->result, &usage);
  sigma_run_result_set_log (self->result, sigma_environment_get_log (self->env));
  sigma_run_result_set_end (self->result, self->end_reason, self->n_steps, sim_time,
                            (g_get_monotonic_time () - self->start_wall) / 1e6);

  if (self->end_reason == SIGMA_END_REASON_ERROR)
    {
      sigma_run_result_set_verdict (self->result, SIGMA_RUN_STATUS_ERROR, self->end_detail, 0);
      return g_object_ref (self->result);
    }
  if (sigma_environment_get_state (self->env) == SIGMA_ENVIRONMENT_STATE_FAILED)
    {
      sigma_run_result_set_verdict (self->result, SIGMA_RUN_STATUS_FAILED,
                                    sigma_environment_get_failure_reason (self->env), 0);
      return g_object_ref (self->result);
    }

  passed = sigma_scenario_validate (self->scenario, self->env, &rationale, &judge_error);
  if (judge_error != NULL)
    {
      g_autofree char *why = g_strdup_printf ("The run could not be judged: %s", judge_error->message);

      sigma_run_result_set_verdict (self->result, SIGMA_RUN_STATUS_ERROR, why, 0);
    }
  else if (passed)
    sigma_run_result_set_verdict (self->result, SIGMA_RUN_STATUS_PASSED,
                                  rationale != NULL ? rationale : "The run passed validation", 1);
  else
    sigma_run_result_set_verdict (self->result, SIGMA_RUN_STATUS_FAILED,
                                  rationale != NULL ? rationale : "The run failed validation", 0);
  return g_object_ref (self->result);
}

/**
 * sigma_runner_run:
 * @self: a #SigmaRunner with an agent
 * @cancellable: (nullable): a #GCancellable; a cancelled run ends with an error result
 * @error: return location for a #GError
 *
 * Runs the whole scenario with the runner's agent (sigma_runner_start(), then observe,
 * step and perform until the run ends) and judges it (sigma_runner_finish()).
 *
 * An agent that cannot go on (sigma_agent_step() fails: an endpoint down, a broken
 * script) ends the run with an ERROR result rather than a failure; @error is only set when
 * the scenario itself cannot be set up.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 */
SigmaRunResult *
sigma_runner_run (SigmaRunner   *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (SIGMA_IS_RUNNER (self), NULL);
  g_return_val_if_fail (self->agent != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sigma_runner_start (self, error))
    return NULL;

  while (!sigma_runner_is_finished (self))
    {
      g_autoptr(SigmaObservation) obs = NULL;
      g_autoptr(SigmaAgentAction) action = NULL;
      g_autoptr(GError) step_error = NULL;
      gint64 before;
      gdouble think;

      if (g_cancellable_set_error_if_cancelled (cancellable, &step_error))
        {
          end_run (self, SIGMA_END_REASON_ERROR, step_error->message);
          break;
        }
      obs = sigma_runner_observe (self);
      before = g_get_monotonic_time ();
      action = sigma_agent_step (self->agent, obs, &step_error);
      if (action == NULL)
        {
          g_autofree char *why = g_strdup_printf ("Agent: %s", step_error->message);

          end_run (self, SIGMA_END_REASON_ERROR, why);
          break;
        }
      think = self->think_mode == SIGMA_THINK_TIME_MEASURED
              ? (g_get_monotonic_time () - before) / 1e6 : self->think_seconds;
      /* a tool error is the agent's: it reads it in the next observation */
      sigma_runner_perform (self, action, think, NULL, NULL);
    }
  return sigma_runner_finish (self, error);
}
