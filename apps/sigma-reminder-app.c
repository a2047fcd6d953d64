/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-reminder-app.h"

/**
 * SigmaReminderApp:
 *
 * Reminders that notify the agent when due (ARE's `ReminderApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaReminderApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaReminderApp, sigma_reminder_app, SIGMA_TYPE_APP)

static void
sigma_reminder_app_class_init (SigmaReminderAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "ReminderApp";
}

static void
sigma_reminder_app_init (SigmaReminderApp *self)
{
}

/**
 * sigma_reminder_app_new:
 * @name: (nullable): the instance name; "ReminderApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaReminderApp
 */
SigmaApp *
sigma_reminder_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_REMINDER_APP, "name", name != NULL ? name : "ReminderApp", NULL);
}
