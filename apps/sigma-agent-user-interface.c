/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-agent-user-interface.h"

/**
 * SigmaAgentUserInterface:
 *
 * The channel between the agent and the user (ARE's `AgentUserInterface`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaAgentUserInterface
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaAgentUserInterface, sigma_agent_user_interface, SIGMA_TYPE_APP)

static void
sigma_agent_user_interface_class_init (SigmaAgentUserInterfaceClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "AgentUserInterface";
}

static void
sigma_agent_user_interface_init (SigmaAgentUserInterface *self)
{
}

/**
 * sigma_agent_user_interface_new:
 * @name: (nullable): the instance name; "AgentUserInterface" when %NULL
 *
 * Returns: (transfer full): a new #SigmaAgentUserInterface
 */
SigmaApp *
sigma_agent_user_interface_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_AGENT_USER_INTERFACE, "name", name != NULL ? name : "AgentUserInterface", NULL);
}
