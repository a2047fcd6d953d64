/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-calendar-app.h"

/**
 * SigmaCalendarApp:
 *
 * A calendar of events with attendees (ARE's `CalendarApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaCalendarApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaCalendarApp, sigma_calendar_app, SIGMA_TYPE_APP)

static void
sigma_calendar_app_class_init (SigmaCalendarAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "CalendarApp";
}

static void
sigma_calendar_app_init (SigmaCalendarApp *self)
{
}

/**
 * sigma_calendar_app_new:
 * @name: (nullable): the instance name; "CalendarApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaCalendarApp
 */
SigmaApp *
sigma_calendar_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CALENDAR_APP, "name", name != NULL ? name : "CalendarApp", NULL);
}
