/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-city-app.h"

/**
 * SigmaCityApp:
 *
 * City information such as crime rates by zip code (ARE's `CityApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaCityApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaCityApp, sigma_city_app, SIGMA_TYPE_APP)

static void
sigma_city_app_class_init (SigmaCityAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "CityApp";
}

static void
sigma_city_app_init (SigmaCityApp *self)
{
}

/**
 * sigma_city_app_new:
 * @name: (nullable): the instance name; "CityApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaCityApp
 */
SigmaApp *
sigma_city_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CITY_APP, "name", name != NULL ? name : "CityApp", NULL);
}
