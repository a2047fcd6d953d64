/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

/* 2023-11-14 22:13:20 UTC, a Tuesday */
#define T0 1700000000.0

/* ------------------------------------------------------------------------------------ */
/* A small app for these tests: ENV tools "ping", which notifies the agent at every
 * verbosity ("Pinger: ping"), and "tick", which notifies nothing.                      */

#define TEST_TYPE_PINGER (test_pinger_get_type ())
G_DECLARE_FINAL_TYPE (TestPinger, test_pinger, TEST, PINGER, SigmaApp)

struct _TestPinger
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (TestPinger, test_pinger, SIGMA_TYPE_APP)

static JsonNode *
pinger_noop (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  return NULL;
}

static const SigmaToolSpec pinger_tools[] = {
  { "ping", "Raises a notification.", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, pinger_noop, NULL, { { NULL } } },
  { "tick", "Does nothing visible.", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, pinger_noop, NULL, { { NULL } } },
};

static char *
test_pinger_describe_notification (SigmaApp            *app,
                                   SigmaCompletedEvent *event,
                                   SigmaVerbosity       verbosity,
                                   SigmaMessageType    *type)
{
  if (g_strcmp0 (sigma_completed_event_get_function (event), "ping") != 0)
    return NULL;
  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;
  return g_strdup ("Pinger: ping");
}

static void
test_pinger_class_init (TestPingerClass *klass)
{
  SIGMA_APP_CLASS (klass)->describe_notification = test_pinger_describe_notification;
  SIGMA_APP_CLASS (klass)->app_class_name = "Pinger";
}

static void
test_pinger_init (TestPinger *self)
{
  sigma_app_add_tool_specs (SIGMA_APP (self), pinger_tools, G_N_ELEMENTS (pinger_tools));
}

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

/* An environment at T0 with a SystemApp (named @name) and a Pinger. */
static SigmaEnvironment *
make_env (const char     *name,
          SigmaVerbosity  verbosity)
{
  SigmaEnvironment *env = app_test_env_new (T0, 0);
  g_autoptr(SigmaApp) system = sigma_apps_create ("SystemApp", name, NULL);
  g_autoptr(SigmaApp) pinger = g_object_new (TEST_TYPE_PINGER, "name", "Pinger", NULL);

  sigma_notification_system_set_verbosity (sigma_environment_get_notifications (env), verbosity);
  app_test_add_app (env, system);
  app_test_add_app (env, pinger);
  return env;
}

/* the environment returns a JSON null for "no result": NULL here */
static JsonNode *
call (SigmaEnvironment  *env,
      const char        *app,
      const char        *tool,
      const char        *args_json,
      GError           **error)
{
  return app_test_call_nullable (env, app, SIGMA_EVENT_TYPE_AGENT, tool, args_json, error);
}

static void
wait_ok (SigmaEnvironment *env,
         const char       *app,
         const char       *args_json)
{
  g_autoptr(JsonNode) result = app_test_call_nullable_ok (env, app, SIGMA_EVENT_TYPE_AGENT, "wait_for_notification",
                                                          args_json);

  g_assert_null (result);
}

/* Schedules Pinger.<tool> as an ENV event @delay seconds after the start. */
static void
schedule (SigmaEnvironment *env,
          const char       *tool,
          gdouble           delay)
{
  g_autoptr(SigmaEvent) event = sigma_action_event_new (SIGMA_EVENT_TYPE_ENV, "Pinger", tool, NULL);
  g_autoptr(GError) error = NULL;

  sigma_event_set_delay (event, delay);
  sigma_environment_schedule (env, event, &error);
  g_assert_no_error (error);
}

static void
assert_pending (SigmaEnvironment *env,
                const char       *message,
                gdouble           timestamp)
{
  g_autoptr(GPtrArray) pending = sigma_notification_system_list_pending (sigma_environment_get_notifications (env));
  SigmaNotification *notification;

  g_assert_cmpuint (pending->len, ==, 1);
  notification = g_ptr_array_index (pending, 0);
  g_assert_cmpint (sigma_notification_get_message_type (notification), ==,
                   SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION);
  g_assert_cmpstr (sigma_notification_get_message (notification), ==, message);
  g_assert_cmpfloat (sigma_notification_get_timestamp (notification), ==, timestamp);
}

static SigmaCompletedEvent *
logged (SigmaEnvironment *env,
        guint             index)
{
  SigmaEventLog *log = sigma_environment_get_log (env);

  g_assert_cmpuint (index, <, sigma_event_log_get_length (log));
  return sigma_event_log_get (log, index);
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static void
test_tools (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("SystemApp", NULL, &error);
  g_autoptr(GPtrArray) tools = NULL;
  JsonNode *timeout_default;
  SigmaTool *tool;

  g_test_summary ("The app is created from its ARE class name and declares ARE's two tools, agent-only and READ");

  g_assert_no_error (error);
  g_assert_true (SIGMA_IS_SYSTEM_APP (app));
  g_assert_cmpstr (sigma_app_get_name (app), ==, "SystemApp");
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "SystemApp");

  tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_USER |
                                     SIGMA_TOOL_ROLE_ENV | SIGMA_TOOL_ROLE_DATA);
  g_assert_cmpuint (tools->len, ==, 2);
  g_assert_cmpstr (sigma_tool_get_name (g_ptr_array_index (tools, 0)), ==, "get_current_time");
  g_assert_cmpstr (sigma_tool_get_name (g_ptr_array_index (tools, 1)), ==, "wait_for_notification");
  for (guint i = 0; i < tools->len; i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, SIGMA_TOOL_ROLE_AGENT);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, SIGMA_TOOL_OPERATION_READ);
    }

  tool = sigma_app_lookup_tool (app, "wait_for_notification");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, 1);
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 0), ==, "timeout");
  g_assert_cmpint (sigma_tool_get_parameter_type (tool, 0), ==, SIGMA_VALUE_TYPE_INTEGER);
  g_assert_false (sigma_tool_get_parameter_required (tool, 0));
  timeout_default = sigma_tool_get_parameter_default (tool, 0);
  g_assert_cmpint (json_node_get_int (timeout_default), ==, 0);
  g_assert_cmpuint (sigma_tool_get_n_parameters (sigma_app_lookup_tool (app, "get_current_time")), ==, 0);
}

static void
test_get_current_time (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (NULL, SIGMA_VERBOSITY_MEDIUM);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *event;

  g_test_summary ("get_current_time returns the simulated time as a timestamp, a UTC datetime and the "
                  "English weekday; the call is logged as an AGENT READ event");

  result = call (env, "SystemApp", "get_current_time", NULL, &error);
  g_assert_no_error (error);
  app_test_assert_json (result, "{\"current_timestamp\": 1700000000.0, \"current_datetime\": \"2023-11-14 22:13:20\","
                                " \"current_weekday\": \"Tuesday\"}");

  event = logged (env, 0);
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "SystemApp");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "get_current_time");
  g_assert_false (sigma_completed_event_is_write (event));
  app_test_assert_json (sigma_completed_event_get_return_value (event),
                        "{\"current_timestamp\": 1700000000.0, \"current_datetime\": \"2023-11-14 22:13:20\","
                        " \"current_weekday\": \"Tuesday\"}");

  /* a fractional time keeps its fraction; the datetime drops it */
  sigma_environment_advance (env, 2 * 86400 + 0.75, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, json_node_unref);
  result = call (env, "SystemApp", "get_current_time", NULL, &error);
  app_test_assert_json (result, "{\"current_timestamp\": 1700172800.75, \"current_datetime\": \"2023-11-16 22:13:20\","
                                " \"current_weekday\": \"Thursday\"}");
  g_assert_cmpuint (sigma_notification_system_get_n_pending (sigma_environment_get_notifications (env)), ==, 0);
}

static void
test_wait_negative (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (NULL, SIGMA_VERBOSITY_LOW);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *event;

  g_test_summary ("A negative timeout fails with ARE's message, is logged as a failure, and neither moves "
                  "the clock nor leaves a deadline behind");

  result = call (env, "SystemApp", "wait_for_notification", "{\"timeout\": -5}", &error);
  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_cmpstr (error->message, ==, "Timeout must be non-negative");
  g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0);

  event = logged (env, 0);
  g_assert_true (sigma_completed_event_is_failure (event));
  g_assert_cmpstr (sigma_completed_event_get_error_message (event), ==, "Timeout must be non-negative");

  g_clear_error (&error);
  sigma_environment_advance (env, 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sigma_notification_system_get_n_pending (sigma_environment_get_notifications (env)), ==, 0);
}

static void
test_wait_invalid_arguments (void)
{
  static const char *cases[] = { "{\"timeout\": 1.5}", "{\"timeout\": \"10\"}", "{\"timeout\": null}",
                                 "{\"seconds\": 10}" };

  g_test_summary ("A timeout that is not an integer is rejected before the app runs, without waiting");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaEnvironment) env = make_env (NULL, SIGMA_VERBOSITY_LOW);
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(GError) error = NULL;

      result = call (env, "SystemApp", "wait_for_notification", cases[i], &error);
      g_assert_null (result);
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);
      g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0);
      g_assert_cmpuint (sigma_notification_system_get_n_pending (sigma_environment_get_notifications (env)), ==, 0);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Waiting end to end                                                                   */

static void
test_wait_until_notification (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (NULL, SIGMA_VERBOSITY_LOW);
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *event;

  g_test_summary ("wait_for_notification(60) at t stops the clock at t+30, when a scheduled ENV event raises "
                  "a notification; the wait's deadline is then dropped");

  schedule (env, "tick", 10);
  schedule (env, "ping", 30);
  wait_ok (env, "SystemApp", "{\"timeout\": 60}");

  g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0 + 30);
  assert_pending (env, "Pinger: ping", T0 + 30);

  /* the log: the wait at t, then the events it let run */
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (env)), ==, 3);
  event = logged (env, 0);
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "wait_for_notification");
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpfloat (sigma_completed_event_get_event_time (event), ==, T0);
  app_test_assert_json (sigma_completed_event_get_return_value (event), "null");
  g_assert_cmpstr (sigma_completed_event_get_function (logged (env, 1)), ==, "tick");
  g_assert_cmpfloat (sigma_completed_event_get_event_time (logged (env, 1)), ==, T0 + 10);
  g_assert_cmpstr (sigma_completed_event_get_function (logged (env, 2)), ==, "ping");
  g_assert_cmpfloat (sigma_completed_event_get_event_time (logged (env, 2)), ==, T0 + 30);

  /* no timeout notification at t+60 */
  sigma_environment_advance (env, 100, &error);
  g_assert_no_error (error);
  assert_pending (env, "Pinger: ping", T0 + 30);
}

static void
test_wait_timeout (void)
{
  const SigmaVerbosity levels[] = { SIGMA_VERBOSITY_LOW, SIGMA_VERBOSITY_MEDIUM, SIGMA_VERBOSITY_HIGH };

  g_test_summary ("A wait with nothing notifying ends at t+60 with ARE's timeout notification, at every "
                  "verbosity; an event that notifies nothing does not end it");

  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autoptr(SigmaEnvironment) env = make_env (NULL, levels[i]);
      g_autoptr(GError) error = NULL;

      schedule (env, "tick", 20);
      wait_ok (env, "SystemApp", "{\"timeout\": 60}");

      g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0 + 60);
      assert_pending (env, "SystemApp: Wait for notification timeout reached after 60 seconds", T0 + 60);
      g_assert_cmpstr (sigma_completed_event_get_function (logged (env, 1)), ==, "tick");

      /* the deadline is spent: no second timeout */
      sigma_environment_advance (env, 120, &error);
      g_assert_no_error (error);
      assert_pending (env, "SystemApp: Wait for notification timeout reached after 60 seconds", T0 + 60);
    }
}

static void
test_wait_zero (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (NULL, SIGMA_VERBOSITY_LOW);

  g_test_summary ("The default timeout 0 times out at once, without moving the clock");

  wait_ok (env, "SystemApp", NULL);
  g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0);
  assert_pending (env, "SystemApp: Wait for notification timeout reached after 0 seconds", T0);
  /* the logged arguments carry the default */
  g_assert_cmpint (json_object_get_int_member (sigma_completed_event_get_args (logged (env, 0)), "timeout"), ==, 0);
}

static void
test_wait_pending (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (NULL, SIGMA_VERBOSITY_LOW);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A wait that starts with a notification already pending returns at once, and its "
                  "deadline is dropped at the next step");

  schedule (env, "ping", 5);
  sigma_environment_start (env, &error);
  g_assert_no_error (error);
  sigma_environment_run_until (env, T0 + 5, &error);
  g_assert_no_error (error);
  assert_pending (env, "Pinger: ping", T0 + 5);

  wait_ok (env, "SystemApp", "{\"timeout\": 60}");
  g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0 + 5);

  sigma_environment_advance (env, 600, &error);
  g_assert_no_error (error);
  assert_pending (env, "Pinger: ping", T0 + 5);
}

static void
test_wait_instance_name (void)
{
  g_autoptr(SigmaEnvironment) env = make_env ("Clock", SIGMA_VERBOSITY_LOW);

  g_test_summary ("As in ARE, the timeout text names the app instance");

  wait_ok (env, "Clock", "{\"timeout\": 15}");
  g_assert_cmpfloat (sigma_environment_get_time (env), ==, T0 + 15);
  assert_pending (env, "Clock: Wait for notification timeout reached after 15 seconds", T0 + 15);
}

static void
test_wait_without_environment (void)
{
  g_autoptr(SigmaApp) app = sigma_system_app_new (NULL);
  g_autoptr(JsonNode) args = app_test_parse ("{\"timeout\": 60}");
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_notification_unref);
  g_autoptr(GError) error = NULL;
  SigmaAppClass *klass = SIGMA_APP_GET_CLASS (app);

  g_test_summary ("Outside an environment the deadline is only remembered; the notification hooks report "
                  "it, raise the timeout once it is reached, and reset forgets it");

  g_assert_cmpfloat (klass->get_next_notification_time (app), <, 0);
  result = sigma_app_invoke (app, "wait_for_notification", json_node_get_object (args), &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (klass->get_next_notification_time (app), ==, 60);

  klass->collect_notifications (app, 59, notifications);
  g_assert_cmpuint (notifications->len, ==, 0);
  klass->collect_notifications (app, 60, notifications);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (notifications, 0)), ==,
                   "SystemApp: Wait for notification timeout reached after 60 seconds");
  g_assert_cmpfloat (klass->get_next_notification_time (app), <, 0);

  g_clear_pointer (&result, json_node_unref);
  result = sigma_app_invoke (app, "wait_for_notification", json_node_get_object (args), &error);
  g_assert_cmpfloat (klass->get_next_notification_time (app), ==, 60);
  sigma_app_reset (app);
  g_assert_cmpfloat (klass->get_next_notification_time (app), <, 0);
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static void
test_state (void)
{
  g_autoptr(SigmaApp) app = sigma_system_app_new (NULL);
  g_autoptr(JsonNode) empty = app_test_parse ("{}");
  g_autoptr(JsonNode) null = app_test_parse ("null");
  g_autoptr(GError) error = NULL;

  g_test_summary ("The app is stateless: get_state is NULL and the state {} or null loads");

  g_assert_null (sigma_app_get_state (app));
  g_assert_true (sigma_app_load_state (app, empty, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_app_load_state (app, null, &error));
  g_assert_no_error (error);
  g_assert_null (sigma_app_get_state (app));
}

static void
test_state_malformed (void)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "[]", "SystemApp: app_state must be an empty object or null" },
    { "\"none\"", "SystemApp: app_state must be an empty object or null" },
    { "{\"timeout\": 3}", "SystemApp: app_state: expected an empty object (the app has no state)" },
  };

  g_test_summary ("Anything but {} or null is INVALID_DATA naming the app");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaApp) app = sigma_system_app_new (NULL);

      app_test_assert_load_fails (app, cases[i].state, cases[i].message);
    }
}

static void
test_state_lenient (void)
{
  g_test_summary ("In lenient mode a non-empty state object is ignored with a warning");

  if (app_test_lenient_subprocess ("*SystemApp: app_state: expected an empty object (the app has no state) (skipped)*"))
    {
      g_autoptr(SigmaApp) app = sigma_system_app_new (NULL);

      app_test_load_lenient (app, "{\"timeout\": 3}");
    }
}

/* An AppTestCorpusFunc for the SystemApp entries; @file names the corpus file. */
static gboolean
check_corpus_app (JsonObject *entry,
                  const char *class_name,
                  gpointer    file)
{
  g_autoptr(SigmaApp) app = NULL;

  if (sigma_apps_lookup_type (class_name) != SIGMA_TYPE_SYSTEM_APP)
    return FALSE;
  g_test_message ("%s: %s (%s)", (const char *) file, json_object_get_string_member (entry, "name"), class_name);
  app = app_test_corpus_load (entry, class_name);
  g_assert_null (sigma_app_get_state (app));
  return TRUE;
}

static void
test_corpus (void)
{
  g_autoptr(JsonNode) appended = app_test_parse ("[{\"name\": \"SystemApp\", \"class_name\": \"SystemApp\", \"app_state\": {}}]");

  g_test_summary ("Every SystemApp app_state of the real corpus loads, as does the entry ARE's importer "
                  "appends when a scenario has none");

  if (!app_test_have_corpus ())
    return;
  /* Neither file declares a SystemApp (Gaia2's importer appends the one below). */
  g_assert_cmpuint (app_test_corpus_foreach_file (NULL, check_corpus_app), ==, 0);
  g_assert_cmpuint (app_test_corpus_foreach (json_node_get_array (appended), NULL, check_corpus_app,
                                             (gpointer) "preprocess_scenario"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/apps/system/tools", test_tools);
  g_test_add_func ("/sigma/apps/system/get-current-time", test_get_current_time);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/negative", test_wait_negative);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/invalid-arguments", test_wait_invalid_arguments);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/notification", test_wait_until_notification);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/timeout", test_wait_timeout);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/zero", test_wait_zero);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/pending", test_wait_pending);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/instance-name", test_wait_instance_name);
  g_test_add_func ("/sigma/apps/system/wait-for-notification/no-environment", test_wait_without_environment);
  g_test_add_func ("/sigma/apps/system/state", test_state);
  g_test_add_func ("/sigma/apps/system/state/malformed", test_state_malformed);
  g_test_add_func ("/sigma/apps/system/state/lenient", test_state_lenient);
  g_test_add_func ("/sigma/apps/system/corpus", test_corpus);

  return g_test_run ();
}
