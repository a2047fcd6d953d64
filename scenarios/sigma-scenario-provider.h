/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <glib-object.h>

#include "sigma-types.h"
#include "sigma-scenario-registry.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_SCENARIO_PROVIDER (sigma_scenario_provider_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (SigmaScenarioProvider, sigma_scenario_provider, SIGMA, SCENARIO_PROVIDER, GObject)

/**
 * SigmaScenarioProviderInterface:
 * @g_iface: the parent interface
 * @register_scenarios: registers the provider's scenarios in a registry
 *
 * The interface a Python plugin's extension implements. The plugin loader creates the
 * extension through libpeas and calls sigma_scenario_provider_register_scenarios() once per
 * registry it loads the plugin into.
 */
struct _SigmaScenarioProviderInterface
{
  GTypeInterface g_iface;

  gboolean (*register_scenarios) (SigmaScenarioProvider  *self,
                                  SigmaScenarioRegistry  *registry,
                                  const char             *location,
                                  GError                **error);
};

SIGMA_AVAILABLE_IN_ALL
gboolean sigma_scenario_provider_register_scenarios (SigmaScenarioProvider  *self,
                                                     SigmaScenarioRegistry  *registry,
                                                     const char             *location,
                                                     GError                **error);

G_END_DECLS
