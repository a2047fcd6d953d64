/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sigma-types.h"
#include "sigma-event-log.h"
#include "sigma-agent.h"

G_BEGIN_DECLS

/**
 * SigmaRunStatus:
 * @SIGMA_RUN_STATUS_PASSED: the run was judged a success
 * @SIGMA_RUN_STATUS_FAILED: the run was judged a failure (the agent's fault)
 * @SIGMA_RUN_STATUS_ERROR: the run could not be completed or judged (infrastructure: the
 *   model endpoint was down, a timeout, a broken scenario); not the agent's fault
 *
 * How a run ended.
 *
 * Since: 0.1
 */
typedef enum {
  SIGMA_RUN_STATUS_PASSED,
  SIGMA_RUN_STATUS_FAILED,
  SIGMA_RUN_STATUS_ERROR,
} SigmaRunStatus;

/**
 * SigmaEndReason:
 * @SIGMA_END_REASON_NONE: the run has not ended
 * @SIGMA_END_REASON_AGENT_DONE: the agent said it was done
 * @SIGMA_END_REASON_LAST_TURN: the agent answered the scenario's last user turn
 * @SIGMA_END_REASON_USER_STOP: the user simulator ended the conversation
 * @SIGMA_END_REASON_STOPPED: a stop event (or a caller) stopped the environment
 * @SIGMA_END_REASON_DURATION: the scenario's duration ran out
 * @SIGMA_END_REASON_MAX_STEPS: the agent used all its steps
 * @SIGMA_END_REASON_FAILED: a validator failed the run
 * @SIGMA_END_REASON_ERROR: an error ended the run
 *
 * Why a run ended.
 *
 * Since: 0.1
 */
typedef enum {
  SIGMA_END_REASON_NONE,
  SIGMA_END_REASON_AGENT_DONE,
  SIGMA_END_REASON_LAST_TURN,
  SIGMA_END_REASON_USER_STOP,
  SIGMA_END_REASON_STOPPED,
  SIGMA_END_REASON_DURATION,
  SIGMA_END_REASON_MAX_STEPS,
  SIGMA_END_REASON_FAILED,
  SIGMA_END_REASON_ERROR,
} SigmaEndReason;

#define SIGMA_TYPE_RUN_RESULT (sigma_run_result_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaRunResult, sigma_run_result, SIGMA, RUN_RESULT, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaRunResult *sigma_run_result_new             (const char       *scenario_id,
                                                  const char       *agent_name,
                                                  guint64           seed) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_run_result_get_scenario_id (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_run_result_get_agent_name  (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
guint64         sigma_run_result_get_seed        (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
SigmaRunStatus  sigma_run_result_get_status      (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_run_result_get_rationale   (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
gdouble         sigma_run_result_get_score       (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEndReason  sigma_run_result_get_end_reason  (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
guint           sigma_run_result_get_steps       (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
gdouble         sigma_run_result_get_sim_time    (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
gdouble         sigma_run_result_get_wall_time   (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
const SigmaUsage *sigma_run_result_get_usage     (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEventLog  *sigma_run_result_get_log         (SigmaRunResult   *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode       *sigma_run_result_get_extra       (SigmaRunResult   *self);

SIGMA_AVAILABLE_IN_ALL
void            sigma_run_result_set_verdict     (SigmaRunResult   *self,
                                                  SigmaRunStatus    status,
                                                  const char       *rationale,
                                                  gdouble           score);
SIGMA_AVAILABLE_IN_ALL
void            sigma_run_result_set_end         (SigmaRunResult   *self,
                                                  SigmaEndReason    reason,
                                                  guint             steps,
                                                  gdouble           sim_time,
                                                  gdouble           wall_time);
SIGMA_AVAILABLE_IN_ALL
void            sigma_run_result_set_usage       (SigmaRunResult   *self,
                                                  const SigmaUsage *usage);
SIGMA_AVAILABLE_IN_ALL
void            sigma_run_result_set_log         (SigmaRunResult   *self,
                                                  SigmaEventLog    *log);
SIGMA_AVAILABLE_IN_ALL
void            sigma_run_result_set_extra       (SigmaRunResult   *self,
                                                  JsonNode         *extra);

SIGMA_AVAILABLE_IN_ALL
JsonNode       *sigma_run_result_to_json         (SigmaRunResult   *self,
                                                  gboolean          with_log) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_run_status_to_string       (SigmaRunStatus    status);
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_end_reason_to_string       (SigmaEndReason    reason);

G_END_DECLS
