/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-error.h"
#include "sigma-scenario-provider.h"

/**
 * SigmaScenarioProvider:
 *
 * Something that registers scenarios: the contract between the plugin loader and a Python
 * plugin.
 *
 * A Python plugin is a libpeas plugin (a `.plugin` description with `Loader=python3` and the
 * Python module it names) whose module defines a class implementing this interface. In
 * Python the class is normally a subclass of `Sigma.ScenarioPlugin`, which implements
 * `do_register_scenarios()` by registering every `@Sigma.scenario` class of its module; see
 * the Python authoring guide.
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (SigmaScenarioProvider, sigma_scenario_provider, G_TYPE_OBJECT)

static void
sigma_scenario_provider_default_init (SigmaScenarioProviderInterface *iface)
{
}

/**
 * sigma_scenario_provider_register_scenarios: (virtual register_scenarios)
 * @self: a #SigmaScenarioProvider
 * @registry: the registry to add the scenarios to
 * @location: where the provider comes from (the path of the plugin description file), to
 *   pass on as the scenarios' location
 * @error: return location for a #GError
 *
 * Registers the provider's scenarios in @registry, normally with
 * sigma_scenario_registry_register_full() and %SIGMA_SCENARIO_SOURCE_PYTHON_PLUGIN.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
sigma_scenario_provider_register_scenarios (SigmaScenarioProvider  *self,
                                            SigmaScenarioRegistry  *registry,
                                            const char             *location,
                                            GError                **error)
{
  SigmaScenarioProviderInterface *iface;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SIGMA_IS_SCENARIO_PROVIDER (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (registry), FALSE);
  g_return_val_if_fail (location != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = SIGMA_SCENARIO_PROVIDER_GET_IFACE (self);
  if (iface->register_scenarios == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                   "%s does not implement SigmaScenarioProvider.register_scenarios()",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  /* A binding's implementation may fail without setting the error (an exception PyGObject
   * could not convert): say so rather than report success or a NULL error. */
  if (!iface->register_scenarios (self, registry, location, &local_error))
    {
      if (local_error == NULL)
        g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                     "%s failed to register its scenarios without saying why",
                     G_OBJECT_TYPE_NAME (self));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
