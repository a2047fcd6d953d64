/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sigma-types.h"
#include "sigma-environment.h"
#include "sigma-scenario.h"

G_BEGIN_DECLS

/**
 * SIGMA_NOISE_EVENT_PREFIX:
 *
 * The prefix of the id of every background event the noise expander schedules. The judge
 * ignores environment events whose id contains `env_expansion`, as ARE's does.
 */
#define SIGMA_NOISE_EVENT_PREFIX "env_expansion_"

#define SIGMA_TYPE_NOISE_CONFIG (sigma_noise_config_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaNoiseConfig, sigma_noise_config, SIGMA, NOISE_CONFIG, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaNoiseConfig *sigma_noise_config_new                           (void) G_GNUC_WARN_UNUSED_RESULT;

SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_noise_config_get_rate                      (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_rate                      (SigmaNoiseConfig  *self,
                                                                    gdouble            events_per_minute);
SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_noise_config_get_horizon                   (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_horizon                   (SigmaNoiseConfig  *self,
                                                                    gdouble            horizon);
SIGMA_AVAILABLE_IN_ALL
guint64           sigma_noise_config_get_seed                      (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_seed                      (SigmaNoiseConfig  *self,
                                                                    guint64            seed);
SIGMA_AVAILABLE_IN_ALL
guint             sigma_noise_config_get_messages_per_conversation (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_messages_per_conversation (SigmaNoiseConfig  *self,
                                                                    guint              n_messages);
SIGMA_AVAILABLE_IN_ALL
guint             sigma_noise_config_get_items_per_product         (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_items_per_product         (SigmaNoiseConfig  *self,
                                                                    guint              n_items);
SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_noise_config_get_tool_failure_probability  (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_tool_failure_probability  (SigmaNoiseConfig  *self,
                                                                    gdouble            probability);

SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_noise_config_get_app_weight                (SigmaNoiseConfig  *self,
                                                                    const char        *app_class);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_app_weight                (SigmaNoiseConfig  *self,
                                                                    const char        *app_class,
                                                                    gdouble            weight);

SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_noise_config_get_augmentation              (SigmaNoiseConfig  *self);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_noise_config_set_augmentation              (SigmaNoiseConfig  *self,
                                                                    JsonNode          *augmentation,
                                                                    GError           **error);

SIGMA_AVAILABLE_IN_ALL
const char       *sigma_noise_config_get_tool_name                 (SigmaNoiseConfig  *self,
                                                                    const char        *tool);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_tool_name                 (SigmaNoiseConfig  *self,
                                                                    const char        *tool,
                                                                    const char        *agent_name);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_noise_config_get_tool_description          (SigmaNoiseConfig  *self,
                                                                    const char        *tool);
SIGMA_AVAILABLE_IN_ALL
void              sigma_noise_config_set_tool_description          (SigmaNoiseConfig  *self,
                                                                    const char        *tool,
                                                                    const char        *agent_description);

SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_noise_config_apply                         (SigmaNoiseConfig  *self,
                                                                    SigmaEnvironment  *env,
                                                                    SigmaScenario     *scenario,
                                                                    GError           **error);

G_END_DECLS
