/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-apartment-app.h"

/**
 * SigmaApartmentApp:
 *
 * Apartment listings to search and save (ARE's `ApartmentListingApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaApartmentApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaApartmentApp, sigma_apartment_app, SIGMA_TYPE_APP)

static void
sigma_apartment_app_class_init (SigmaApartmentAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "ApartmentListingApp";
}

static void
sigma_apartment_app_init (SigmaApartmentApp *self)
{
}

/**
 * sigma_apartment_app_new:
 * @name: (nullable): the instance name; "ApartmentListingApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaApartmentApp
 */
SigmaApp *
sigma_apartment_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_APARTMENT_APP, "name", name != NULL ? name : "ApartmentListingApp", NULL);
}
