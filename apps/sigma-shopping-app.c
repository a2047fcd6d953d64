/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-shopping-app.h"

/**
 * SigmaShoppingApp:
 *
 * A shop: products, variants, cart, discount codes and orders (ARE's `ShoppingApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaShoppingApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaShoppingApp, sigma_shopping_app, SIGMA_TYPE_APP)

static void
sigma_shopping_app_class_init (SigmaShoppingAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "ShoppingApp";
}

static void
sigma_shopping_app_init (SigmaShoppingApp *self)
{
}

/**
 * sigma_shopping_app_new:
 * @name: (nullable): the instance name; "ShoppingApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaShoppingApp
 */
SigmaApp *
sigma_shopping_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_SHOPPING_APP, "name", name != NULL ? name : "ShoppingApp", NULL);
}
