/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sigma-types.h"
#include "sigma-agent.h"
#include "sigma-run-result.h"
#include "sigma-noise.h"

G_BEGIN_DECLS

/**
 * SigmaThinkTime:
 * @SIGMA_THINK_TIME_FIXED: every agent step costs a fixed number of simulated seconds
 * @SIGMA_THINK_TIME_MEASURED: every step costs the wall time the agent took to decide
 *   (ARE's simulated generation time)
 *
 * How the runner charges an agent's thinking to the simulated clock.
 *
 * Since: 0.1
 */
typedef enum {
  SIGMA_THINK_TIME_FIXED,
  SIGMA_THINK_TIME_MEASURED,
} SigmaThinkTime;

#define SIGMA_TYPE_RUNNER (sigma_runner_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaRunner, sigma_runner, SIGMA, RUNNER, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaRunner      *sigma_runner_new                (SigmaScenario      *scenario,
                                                   SigmaAgent         *agent) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaScenario    *sigma_runner_get_scenario       (SigmaRunner        *self);
SIGMA_AVAILABLE_IN_ALL
SigmaAgent       *sigma_runner_get_agent          (SigmaRunner        *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEnvironment *sigma_runner_get_environment    (SigmaRunner        *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_runner_set_user_simulator (SigmaRunner        *self,
                                                   SigmaUserSimulator *user);
SIGMA_AVAILABLE_IN_ALL
void              sigma_runner_set_think_time     (SigmaRunner        *self,
                                                   SigmaThinkTime      mode,
                                                   gdouble             seconds);
SIGMA_AVAILABLE_IN_ALL
void              sigma_runner_set_max_steps      (SigmaRunner        *self,
                                                   guint               max_steps);
SIGMA_AVAILABLE_IN_ALL
void              sigma_runner_set_seed           (SigmaRunner        *self,
                                                   guint64             seed);
SIGMA_AVAILABLE_IN_ALL
void              sigma_runner_set_noise          (SigmaRunner        *self,
                                                   SigmaNoiseConfig   *noise);
SIGMA_AVAILABLE_IN_ALL
void              sigma_runner_set_agent_name     (SigmaRunner        *self,
                                                   const char         *name);

SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_runner_start              (SigmaRunner        *self,
                                                   GError            **error);
SIGMA_AVAILABLE_IN_ALL
SigmaObservation *sigma_runner_observe            (SigmaRunner        *self) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_runner_perform            (SigmaRunner        *self,
                                                   SigmaAgentAction   *action,
                                                   gdouble             think_time,
                                                   JsonNode          **result,
                                                   GError            **error);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_runner_is_finished        (SigmaRunner        *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEndReason    sigma_runner_get_end_reason     (SigmaRunner        *self);
SIGMA_AVAILABLE_IN_ALL
guint             sigma_runner_get_n_steps        (SigmaRunner        *self);
SIGMA_AVAILABLE_IN_ALL
SigmaRunResult   *sigma_runner_finish             (SigmaRunner        *self,
                                                   GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaRunResult   *sigma_runner_run                (SigmaRunner        *self,
                                                   GCancellable       *cancellable,
                                                   GError            **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
