/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sigma-types.h"
#include "sigma-scenario-registry.h"

G_BEGIN_DECLS

/**
 * SIGMA_PLUGIN_REGISTER_SYMBOL:
 *
 * The name of the function a C plugin module exports; see #SigmaPluginRegisterFunc.
 */
#define SIGMA_PLUGIN_REGISTER_SYMBOL "sigma_plugin_register"

/**
 * SigmaPluginRegisterFunc:
 * @registry: the registry to add the module's scenarios to
 * @location: the path of the module, to pass on as the scenarios' location
 * @error: return location for a #GError
 *
 * The entry point of a C plugin module, exported under the name
 * %SIGMA_PLUGIN_REGISTER_SYMBOL. It registers the module's scenarios, normally with
 * sigma_scenario_registry_register_full() and %SIGMA_SCENARIO_SOURCE_C_PLUGIN. The module
 * stays loaded for the life of the process, so the types it registers stay valid.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
typedef gboolean (*SigmaPluginRegisterFunc) (SigmaScenarioRegistry  *registry,
                                             const char             *location,
                                             GError                **error);

SIGMA_AVAILABLE_IN_ALL
char   **sigma_plugins_get_search_path   (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
gboolean sigma_plugins_load_file         (SigmaScenarioRegistry  *registry,
                                          const char             *path,
                                          GError                **error);
SIGMA_AVAILABLE_IN_ALL
guint    sigma_plugins_load_folder       (SigmaScenarioRegistry  *registry,
                                          const char             *folder,
                                          GPtrArray              *errors);
SIGMA_AVAILABLE_IN_ALL
guint    sigma_plugins_load_search_path  (SigmaScenarioRegistry  *registry,
                                          GPtrArray              *errors);

G_END_DECLS
