/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-system-app.h"

/**
 * SigmaSystemApp:
 *
 * The current time and waiting for notifications (ARE's `SystemApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaSystemApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaSystemApp, sigma_system_app, SIGMA_TYPE_APP)

static void
sigma_system_app_class_init (SigmaSystemAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "SystemApp";
}

static void
sigma_system_app_init (SigmaSystemApp *self)
{
}

/**
 * sigma_system_app_new:
 * @name: (nullable): the instance name; "SystemApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaSystemApp
 */
SigmaApp *
sigma_system_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_SYSTEM_APP, "name", name != NULL ? name : "SystemApp", NULL);
}
