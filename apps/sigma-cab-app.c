/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-cab-app.h"

/**
 * SigmaCabApp:
 *
 * A ride-hailing service (ARE's `CabApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaCabApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaCabApp, sigma_cab_app, SIGMA_TYPE_APP)

static void
sigma_cab_app_class_init (SigmaCabAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "CabApp";
}

static void
sigma_cab_app_init (SigmaCabApp *self)
{
}

/**
 * sigma_cab_app_new:
 * @name: (nullable): the instance name; "CabApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaCabApp
 */
SigmaApp *
sigma_cab_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CAB_APP, "name", name != NULL ? name : "CabApp", NULL);
}
