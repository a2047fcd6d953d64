/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-messaging-app.h"

/**
 * SigmaMessagingApp:
 *
 * A messenger with one-to-one and group conversations (ARE's `MessagingAppV2`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaMessagingApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaMessagingApp, sigma_messaging_app, SIGMA_TYPE_APP)

static void
sigma_messaging_app_class_init (SigmaMessagingAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "MessagingAppV2";
}

static void
sigma_messaging_app_init (SigmaMessagingApp *self)
{
}

/**
 * sigma_messaging_app_new:
 * @name: (nullable): the instance name; "MessagingAppV2" when %NULL
 *
 * Returns: (transfer full): a new #SigmaMessagingApp
 */
SigmaApp *
sigma_messaging_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_MESSAGING_APP, "name", name != NULL ? name : "MessagingAppV2", NULL);
}
