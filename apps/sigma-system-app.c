/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-system-app.h"
#include "sigma-app-util.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-time.h"

/**
 * SigmaSystemApp:
 *
 * The current time and waiting for notifications (ARE's `SystemApp`; apps.md §4).
 *
 * `wait_for_notification` asks the environment (sigma_environment_request_wait()) to move
 * the simulated clock, once the call is logged, until a notification is pending or the
 * timeout has passed. The app remembers the deadline: when the clock reaches it with nothing
 * else pending, it raises ARE's "Wait for notification timeout reached" notification (at
 * every verbosity).
 *
 * The app has no state: sigma_app_get_state() returns %NULL and the ARE `app_state` is `{}`
 * or `null`.
 *
 * Since: 0.1
 */

struct _SigmaSystemApp
{
  SigmaApp parent_instance;

  /* ARE's WaitForNotificationTimeout: the deadline (time_created + timeout), or < 0 */
  gdouble  deadline;
  gint64   timeout;
};

G_DEFINE_FINAL_TYPE (SigmaSystemApp, sigma_system_app, SIGMA_TYPE_APP)

static void
clear_deadline (SigmaSystemApp *self)
{
  self->deadline = -1;
  self->timeout = 0;
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static JsonNode *
get_current_time (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  gdouble now = sigma_app_get_time (app);
  g_autofree char *datetime = sigma_time_format (now);
  JsonObject *result = json_object_new ();

  json_object_set_double_member (result, "current_timestamp", now);
  json_object_set_string_member (result, "current_datetime", datetime);
  json_object_set_string_member (result, "current_weekday", sigma_time_weekday_name (now));
  return sigma_json_object (result);
}

static JsonNode *
wait_for_notification (SigmaApp    *app,
                       JsonObject  *args,
                       gpointer     user_data,
                       GError     **error)
{
  SigmaSystemApp *self = SIGMA_SYSTEM_APP (app);
  gint64 timeout = sigma_args_int (args, "timeout");
  SigmaEnvironment *env;

  /* ARE: `assert timeout >= 0, "Timeout must be non-negative"` */
  if (timeout < 0)
    {
      sigma_tool_error (error, "Timeout must be non-negative");
      return NULL;
    }

  self->timeout = timeout;
  self->deadline = sigma_app_get_time (app) + (gdouble) timeout;

  /* The environment waits once the call is logged; outside one there is nothing to run. */
  env = sigma_app_get_environment (app);
  if (env != NULL)
    sigma_environment_request_wait (env, (gdouble) timeout);
  return NULL;
}

static const SigmaToolSpec system_tools[] = {
  {
    "get_current_time",
    "Returns the current date and time of the simulation.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ,
    get_current_time,
    "An object with current_timestamp (seconds since the Unix epoch), current_datetime (YYYY-MM-DD HH:MM:SS, UTC) and current_weekday (such as Monday).",
    { { NULL } }
  },
  {
    "wait_for_notification",
    "Waits until a new notification arrives (a message from the user, an incoming email, a due reminder, ...) or until the timeout has passed, whichever comes first.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ,
    wait_for_notification,
    "Nothing; the notifications that ended the wait are delivered to the agent.",
    {
      { "timeout", SIGMA_VALUE_TYPE_INTEGER, "The longest time to wait, in seconds; must not be negative.", "0" },
      { NULL }
    }
  },
};

/* ------------------------------------------------------------------------------------ */
/* State: none                                                                          */

static gboolean
sigma_system_app_load_state (SigmaApp  *app,
                             JsonNode  *state,
                             GError   **error)
{
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };

  if (JSON_NODE_HOLDS_NULL (state))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (state))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: app_state must be an empty object or null", sigma_app_get_name (app));
      return FALSE;
    }
  if (json_object_get_size (json_node_get_object (state)) > 0)
    return sigma_state_problem (&r, error, "app_state: expected an empty object (the app has no state)");
  return TRUE;
}

static void
sigma_system_app_reset (SigmaApp *app)
{
  clear_deadline (SIGMA_SYSTEM_APP (app));
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

/* ARE's handle_timeout_after_events, once the events of a step have run: a pending
 * notification ends the wait; otherwise a reached deadline raises the timeout notification.
 * Either way the deadline is then forgotten. Like ARE, the text names the instance. */
static void
sigma_system_app_collect_notifications (SigmaApp  *app,
                                        gdouble    now,
                                        GPtrArray *notifications)
{
  SigmaSystemApp *self = SIGMA_SYSTEM_APP (app);
  SigmaEnvironment *env = sigma_app_get_environment (app);
  g_autofree char *message = NULL;

  if (self->deadline < 0)
    return;
  if (env != NULL && sigma_notification_system_has_pending (sigma_environment_get_notifications (env), now))
    {
      clear_deadline (self);
      return;
    }
  if (now < self->deadline)
    return;

  message = g_strdup_printf ("%s: Wait for notification timeout reached after %" G_GINT64_FORMAT " seconds",
                             sigma_app_get_name (app), self->timeout);
  g_ptr_array_add (notifications,
                   sigma_notification_new (SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION, message, now));
  clear_deadline (self);
}

static gdouble
sigma_system_app_get_next_notification_time (SigmaApp *app)
{
  return SIGMA_SYSTEM_APP (app)->deadline;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_system_app_class_init (SigmaSystemAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->load_state = sigma_system_app_load_state;
  app_class->reset = sigma_system_app_reset;
  app_class->collect_notifications = sigma_system_app_collect_notifications;
  app_class->get_next_notification_time = sigma_system_app_get_next_notification_time;
  app_class->app_class_name = "SystemApp";
}

static void
sigma_system_app_init (SigmaSystemApp *self)
{
  clear_deadline (self);
  sigma_app_add_tool_specs (SIGMA_APP (self), system_tools, G_N_ELEMENTS (system_tools));
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
