/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-builtin-scenarios.h"
#include "sigma-builtin-private.h"

/**
 * sigma_builtin_scenarios_register:
 * @registry: a #SigmaScenarioRegistry
 * @error: return location for a #GError
 *
 * Registers Sigma's built-in scenarios in @registry, with source
 * %SIGMA_SCENARIO_SOURCE_BUILT_IN, a summary and tags: the four tutorials
 * (`tutorial_contact_email`, `tutorial_event_flow`, `tutorial_milestones`,
 * `tutorial_find_file`) and three scenarios over a simulated day
 * (`reschedule_cancelled_meeting`, `order_within_budget`, `group_climbing_plan`).
 * `doc/scenarios.md` describes each one.
 *
 * Every built-in delivers the user's task as an `AgentUserInterface.send_message_to_agent`
 * USER event, carries oracle events that solve it, and judges any agent's run in its
 * validate() from the event log and the final app state.
 *
 * Registration stops at the first failure, such as an id the registry already holds.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
sigma_builtin_scenarios_register (SigmaScenarioRegistry  *registry,
                                  GError                **error)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (registry), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sigma_builtin_register_tutorial_contact_email (registry, error) &&
         sigma_builtin_register_tutorial_event_flow (registry, error) &&
         sigma_builtin_register_tutorial_milestones (registry, error) &&
         sigma_builtin_register_tutorial_find_file (registry, error) &&
         sigma_builtin_register_reschedule_meeting (registry, error) &&
         sigma_builtin_register_order_within_budget (registry, error) &&
         sigma_builtin_register_group_climbing_plan (registry, error);
}
