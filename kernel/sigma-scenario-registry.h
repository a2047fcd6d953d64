/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sigma-types.h"
#include "sigma-scenario.h"

G_BEGIN_DECLS

/**
 * SigmaScenarioSource:
 * @SIGMA_SCENARIO_SOURCE_BUILT_IN: compiled into Sigma
 * @SIGMA_SCENARIO_SOURCE_C_PLUGIN: a C module from a plugin folder
 * @SIGMA_SCENARIO_SOURCE_PYTHON_PLUGIN: a Python module from a plugin folder
 * @SIGMA_SCENARIO_SOURCE_JSON_FILE: an ARE scenario JSON file
 * @SIGMA_SCENARIO_SOURCE_APPLICATION: registered by the program itself
 *
 * Where a registered scenario comes from.
 */
typedef enum {
  SIGMA_SCENARIO_SOURCE_BUILT_IN,
  SIGMA_SCENARIO_SOURCE_C_PLUGIN,
  SIGMA_SCENARIO_SOURCE_PYTHON_PLUGIN,
  SIGMA_SCENARIO_SOURCE_JSON_FILE,
  SIGMA_SCENARIO_SOURCE_APPLICATION,
} SigmaScenarioSource;

/**
 * SigmaScenarioFactory:
 * @scenario_id: the id the scenario was registered under
 * @user_data: data passed at registration
 * @error: return location for a #GError
 *
 * Creates a scenario that is not a plain type, such as one read from a JSON file.
 *
 * Returns: (transfer full) (nullable): the scenario, or %NULL with @error set
 */
typedef SigmaScenario *(*SigmaScenarioFactory) (const char  *scenario_id,
                                                gpointer     user_data,
                                                GError     **error);

#define SIGMA_TYPE_SCENARIO_INFO (sigma_scenario_info_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaScenarioInfo, sigma_scenario_info, SIGMA, SCENARIO_INFO, GObject)

SIGMA_AVAILABLE_IN_ALL
const char          *sigma_scenario_info_get_scenario_id (SigmaScenarioInfo *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_scenario_info_get_summary     (SigmaScenarioInfo *self);
SIGMA_AVAILABLE_IN_ALL
const char * const  *sigma_scenario_info_get_tags        (SigmaScenarioInfo *self);
SIGMA_AVAILABLE_IN_ALL
SigmaScenarioSource  sigma_scenario_info_get_source      (SigmaScenarioInfo *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_scenario_info_get_location    (SigmaScenarioInfo *self);
SIGMA_AVAILABLE_IN_ALL
GType                sigma_scenario_info_get_scenario_type (SigmaScenarioInfo *self);
SIGMA_AVAILABLE_IN_ALL
SigmaScenario       *sigma_scenario_info_create          (SigmaScenarioInfo *self,
                                                          GError           **error);

#define SIGMA_TYPE_SCENARIO_REGISTRY (sigma_scenario_registry_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaScenarioRegistry, sigma_scenario_registry, SIGMA, SCENARIO_REGISTRY, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaScenarioRegistry *sigma_scenario_registry_new              (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_scenario_registry_register         (SigmaScenarioRegistry  *self,
                                                                 const char             *scenario_id,
                                                                 const char             *summary,
                                                                 GType                   type,
                                                                 GError                **error);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_scenario_registry_register_full    (SigmaScenarioRegistry  *self,
                                                                 const char             *scenario_id,
                                                                 const char             *summary,
                                                                 const char * const     *tags,
                                                                 SigmaScenarioSource     source,
                                                                 const char             *location,
                                                                 GType                   type,
                                                                 GError                **error);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_scenario_registry_register_factory (SigmaScenarioRegistry  *self,
                                                                 const char             *scenario_id,
                                                                 const char             *summary,
                                                                 const char * const     *tags,
                                                                 SigmaScenarioSource     source,
                                                                 const char             *location,
                                                                 SigmaScenarioFactory    factory,
                                                                 gpointer                user_data,
                                                                 GDestroyNotify          destroy,
                                                                 GError                **error);
SIGMA_AVAILABLE_IN_ALL
SigmaScenarioInfo     *sigma_scenario_registry_lookup           (SigmaScenarioRegistry  *self,
                                                                 const char             *scenario_id);
SIGMA_AVAILABLE_IN_ALL
SigmaScenario         *sigma_scenario_registry_create           (SigmaScenarioRegistry  *self,
                                                                 const char             *scenario_id,
                                                                 GError                **error);

G_END_DECLS
