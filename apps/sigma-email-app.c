/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-email-app.h"

/**
 * SigmaEmailApp:
 *
 * An email client with folders and attachments (ARE's `EmailClientV2`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaEmailApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaEmailApp, sigma_email_app, SIGMA_TYPE_APP)

static void
sigma_email_app_class_init (SigmaEmailAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "EmailClientV2";
}

static void
sigma_email_app_init (SigmaEmailApp *self)
{
}

/**
 * sigma_email_app_new:
 * @name: (nullable): the instance name; "EmailClientV2" when %NULL
 *
 * Returns: (transfer full): a new #SigmaEmailApp
 */
SigmaApp *
sigma_email_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_EMAIL_APP, "name", name != NULL ? name : "EmailClientV2", NULL);
}
