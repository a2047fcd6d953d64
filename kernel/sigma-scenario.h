/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_SCENARIO (sigma_scenario_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (SigmaScenario, sigma_scenario, SIGMA, SCENARIO, GObject)

/**
 * SigmaScenarioClass:
 * @parent_class: the parent class
 * @init_apps: adds the scenario's apps to the environment, with their state
 * @build_events: schedules the scenario's events
 * @validate: judges a finished run; sets @rationale and returns whether it passed. The
 *   default passes unless the environment FAILED, with its failure reason as rationale
 *
 * The class structure of #SigmaScenario.
 */
struct _SigmaScenarioClass
{
  GObjectClass parent_class;

  gboolean (*init_apps)    (SigmaScenario     *self,
                            SigmaEnvironment  *env,
                            GError           **error);
  gboolean (*build_events) (SigmaScenario     *self,
                            SigmaEnvironment  *env,
                            GError           **error);
  gboolean (*validate)     (SigmaScenario     *self,
                            SigmaEnvironment  *env,
                            char             **rationale,
                            GError           **error);

  /*< private >*/
  gpointer padding[12];
};

SIGMA_AVAILABLE_IN_ALL
const char *sigma_scenario_get_scenario_id   (SigmaScenario     *self);
SIGMA_AVAILABLE_IN_ALL
guint64     sigma_scenario_get_seed          (SigmaScenario     *self);
SIGMA_AVAILABLE_IN_ALL
gdouble     sigma_scenario_get_start_time    (SigmaScenario     *self);
SIGMA_AVAILABLE_IN_ALL
gdouble     sigma_scenario_get_duration      (SigmaScenario     *self);
SIGMA_AVAILABLE_IN_ALL
gdouble     sigma_scenario_get_time_increment (SigmaScenario    *self);
SIGMA_AVAILABLE_IN_ALL
const char * const *sigma_scenario_get_tags  (SigmaScenario     *self);
SIGMA_AVAILABLE_IN_ALL
const char * const *sigma_scenario_get_hints (SigmaScenario     *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode   *sigma_scenario_get_augmentation  (SigmaScenario     *self);

SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_scenario_init_apps         (SigmaScenario     *self,
                                              SigmaEnvironment  *env,
                                              GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_scenario_build_events      (SigmaScenario     *self,
                                              SigmaEnvironment  *env,
                                              GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_scenario_validate          (SigmaScenario     *self,
                                              SigmaEnvironment  *env,
                                              char             **rationale,
                                              GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_scenario_setup             (SigmaScenario     *self,
                                              SigmaEnvironment  *env,
                                              GError           **error);

G_END_DECLS
