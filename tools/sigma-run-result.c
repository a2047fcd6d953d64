/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-run-result.h"

/**
 * SigmaRunResult:
 *
 * The record of one finished run: which scenario and agent, the verdict with its
 * rationale, why the run ended, how long it took in simulated and in wall time, what the
 * models cost, and the event log (the trajectory). The #SigmaRunner fills it; the result
 * store saves it.
 *
 * Since: 0.1
 */
struct _SigmaRunResult
{
  GObject         parent_instance;

  char           *scenario_id;
  char           *agent_name;
  guint64         seed;
  SigmaRunStatus  status;
  char           *rationale;
  gdouble         score;
  SigmaEndReason  end_reason;
  guint           steps;
  gdouble         sim_time;
  gdouble         wall_time;
  SigmaUsage      usage;
  SigmaEventLog  *log;
  JsonNode       *extra;
};

G_DEFINE_FINAL_TYPE (SigmaRunResult, sigma_run_result, G_TYPE_OBJECT)

static void
sigma_run_result_finalize (GObject *object)
{
  SigmaRunResult *self = SIGMA_RUN_RESULT (object);

  g_free (self->scenario_id);
  g_free (self->agent_name);
  g_free (self->rationale);
  g_clear_object (&self->log);
  g_clear_pointer (&self->extra, json_node_unref);

  G_OBJECT_CLASS (sigma_run_result_parent_class)->finalize (object);
}

static void
sigma_run_result_class_init (SigmaRunResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_run_result_finalize;
}

static void
sigma_run_result_init (SigmaRunResult *self)
{
  self->status = SIGMA_RUN_STATUS_ERROR;
}

/**
 * sigma_run_result_new:
 * @scenario_id: the scenario that was run
 * @agent_name: (nullable): the agent that played it (`oracle`, `llm:MODEL`, …)
 * @seed: the run seed
 *
 * Returns: (transfer full): a new result, in the ERROR status until a verdict is set
 */
SigmaRunResult *
sigma_run_result_new (const char *scenario_id,
                      const char *agent_name,
                      guint64     seed)
{
  SigmaRunResult *self;

  g_return_val_if_fail (scenario_id != NULL, NULL);

  self = g_object_new (SIGMA_TYPE_RUN_RESULT, NULL);
  self->scenario_id = g_strdup (scenario_id);
  self->agent_name = g_strdup (agent_name != NULL ? agent_name : "unknown");
  self->seed = seed;
  return self;
}

/**
 * sigma_run_result_get_scenario_id:
 * @self: a #SigmaRunResult
 *
 * Returns: the scenario that was run
 */
const char *
sigma_run_result_get_scenario_id (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);
  return self->scenario_id;
}

/**
 * sigma_run_result_get_agent_name:
 * @self: a #SigmaRunResult
 *
 * Returns: the agent that played it
 */
const char *
sigma_run_result_get_agent_name (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);
  return self->agent_name;
}

/**
 * sigma_run_result_get_seed:
 * @self: a #SigmaRunResult
 *
 * Returns: the run seed
 */
guint64
sigma_run_result_get_seed (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), 0);
  return self->seed;
}

/**
 * sigma_run_result_get_status:
 * @self: a #SigmaRunResult
 *
 * Returns: passed, failed or error
 */
SigmaRunStatus
sigma_run_result_get_status (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), SIGMA_RUN_STATUS_ERROR);
  return self->status;
}

/**
 * sigma_run_result_get_rationale:
 * @self: a #SigmaRunResult
 *
 * Returns: (nullable): why the run passed, failed or could not be judged
 */
const char *
sigma_run_result_get_rationale (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);
  return self->rationale;
}

/**
 * sigma_run_result_get_score:
 * @self: a #SigmaRunResult
 *
 * Returns: the score in [0, 1] (1 for a pass, 0 for a failure unless a judge grades)
 */
gdouble
sigma_run_result_get_score (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), 0);
  return self->score;
}

/**
 * sigma_run_result_get_end_reason:
 * @self: a #SigmaRunResult
 *
 * Returns: why the run ended
 */
SigmaEndReason
sigma_run_result_get_end_reason (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), SIGMA_END_REASON_NONE);
  return self->end_reason;
}

/**
 * sigma_run_result_get_steps:
 * @self: a #SigmaRunResult
 *
 * Returns: the number of agent steps
 */
guint
sigma_run_result_get_steps (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), 0);
  return self->steps;
}

/**
 * sigma_run_result_get_sim_time:
 * @self: a #SigmaRunResult
 *
 * Returns: the simulated seconds from the scenario start to the end of the run
 */
gdouble
sigma_run_result_get_sim_time (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), 0);
  return self->sim_time;
}

/**
 * sigma_run_result_get_wall_time:
 * @self: a #SigmaRunResult
 *
 * Returns: the wall-clock seconds the run took
 */
gdouble
sigma_run_result_get_wall_time (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), 0);
  return self->wall_time;
}

/**
 * sigma_run_result_get_usage:
 * @self: a #SigmaRunResult
 *
 * Returns: (transfer none): tokens, requests and cost of the agent, the user simulator and
 *   the soft judge together
 */
const SigmaUsage *
sigma_run_result_get_usage (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);
  return &self->usage;
}

/**
 * sigma_run_result_get_log:
 * @self: a #SigmaRunResult
 *
 * Returns: (transfer none) (nullable): the event log of the run
 */
SigmaEventLog *
sigma_run_result_get_log (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);
  return self->log;
}

/**
 * sigma_run_result_get_extra:
 * @self: a #SigmaRunResult
 *
 * Returns: (transfer none) (nullable): more details of the run as JSON (the judge's
 *   per-turn verdicts, the agent's transcript, …)
 */
JsonNode *
sigma_run_result_get_extra (SigmaRunResult *self)
{
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);
  return self->extra;
}

/**
 * sigma_run_result_set_verdict:
 * @self: a #SigmaRunResult
 * @status: passed, failed or error
 * @rationale: (nullable): why
 * @score: the score in [0, 1]
 */
void
sigma_run_result_set_verdict (SigmaRunResult *self,
                              SigmaRunStatus  status,
                              const char     *rationale,
                              gdouble         score)
{
  g_return_if_fail (SIGMA_IS_RUN_RESULT (self));
  g_return_if_fail (score >= 0 && score <= 1);

  self->status = status;
  g_free (self->rationale);
  self->rationale = g_strdup (rationale);
  self->score = score;
}

/**
 * sigma_run_result_set_end:
 * @self: a #SigmaRunResult
 * @reason: why the run ended
 * @steps: the number of agent steps
 * @sim_time: the simulated seconds the run lasted
 * @wall_time: the wall-clock seconds it took
 */
void
sigma_run_result_set_end (SigmaRunResult *self,
                          SigmaEndReason  reason,
                          guint           steps,
                          gdouble         sim_time,
                          gdouble         wall_time)
{
  g_return_if_fail (SIGMA_IS_RUN_RESULT (self));

  self->end_reason = reason;
  self->steps = steps;
  self->sim_time = sim_time;
  self->wall_time = wall_time;
}

/**
 * sigma_run_result_set_usage:
 * @self: a #SigmaRunResult
 * @usage: what the run spent on models
 */
void
sigma_run_result_set_usage (SigmaRunResult   *self,
                            const SigmaUsage *usage)
{
  g_return_if_fail (SIGMA_IS_RUN_RESULT (self));
  g_return_if_fail (usage != NULL);
  self->usage = *usage;
}

/**
 * sigma_run_result_set_log:
 * @self: a #SigmaRunResult
 * @log: (nullable): the event log of the run
 */
void
sigma_run_result_set_log (SigmaRunResult *self,
                          SigmaEventLog  *log)
{
  g_return_if_fail (SIGMA_IS_RUN_RESULT (self));
  g_return_if_fail (log == NULL || SIGMA_IS_EVENT_LOG (log));
  g_set_object (&self->log, log);
}

/**
 * sigma_run_result_set_extra:
 * @self: a #SigmaRunResult
 * @extra: (nullable): more details as JSON
 */
void
sigma_run_result_set_extra (SigmaRunResult *self,
                            JsonNode       *extra)
{
  g_return_if_fail (SIGMA_IS_RUN_RESULT (self));

  g_clear_pointer (&self->extra, json_node_unref);
  self->extra = extra != NULL ? json_node_ref (extra) : NULL;
}

/**
 * sigma_run_status_to_string:
 * @status: a #SigmaRunStatus
 *
 * Returns: `passed`, `failed` or `error`
 */
const char *
sigma_run_status_to_string (SigmaRunStatus status)
{
  switch (status)
    {
    case SIGMA_RUN_STATUS_PASSED:
      return "passed";
    case SIGMA_RUN_STATUS_FAILED:
      return "failed";
    case SIGMA_RUN_STATUS_ERROR:
    default:
      return "error";
    }
}

/**
 * sigma_end_reason_to_string:
 * @reason: a #SigmaEndReason
 *
 * Returns: the reason in snake case (`agent_done`, `last_turn`, …)
 */
const char *
sigma_end_reason_to_string (SigmaEndReason reason)
{
  static const char * const names[] = {
    "none", "agent_done", "last_turn", "user_stop", "stopped", "duration", "max_steps",
    "failed", "error",
  };

  if ((guint) reason < G_N_ELEMENTS (names))
    return names[reason];
  return "unknown";
}

/**
 * sigma_run_result_to_json:
 * @self: a #SigmaRunResult
 * @with_log: whether to include the event log
 *
 * Returns: (transfer full): `{"scenario_id", "agent", "seed", "status", "rationale",
 *   "score", "end_reason", "steps", "sim_time", "wall_time", "usage": {…}, "extra", "log"}`
 */
JsonNode *
sigma_run_result_to_json (SigmaRunResult *self,
                          gboolean        with_log)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scenario_id");
  json_builder_add_string_value (builder, self->scenario_id);
  json_builder_set_member_name (builder, "agent");
  json_builder_add_string_value (builder, self->agent_name);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) self->seed);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, sigma_run_status_to_string (self->status));
  json_builder_set_member_name (builder, "rationale");
  if (self->rationale != NULL)
    json_builder_add_string_value (builder, self->rationale);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "score");
  json_builder_add_double_value (builder, self->score);
  json_builder_set_member_name (builder, "end_reason");
  json_builder_add_string_value (builder, sigma_end_reason_to_string (self->end_reason));
  json_builder_set_member_name (builder, "steps");
  json_builder_add_int_value (builder, self->steps);
  json_builder_set_member_name (builder, "sim_time");
  json_builder_add_double_value (builder, self->sim_time);
  json_builder_set_member_name (builder, "wall_time");
  json_builder_add_double_value (builder, self->wall_time);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, (gint64) self->usage.prompt_tokens);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, (gint64) self->usage.completion_tokens);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, self->usage.n_requests);
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, self->usage.cost);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "extra");
  if (self->extra != NULL)
    json_builder_add_value (builder, json_node_copy (self->extra));
  else
    json_builder_add_null_value (builder);
  if (with_log)
    {
      json_builder_set_member_name (builder, "log");
      if (self->log != NULL)
        json_builder_add_value (builder, sigma_event_log_to_json (self->log));
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
