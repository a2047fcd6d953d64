/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

#define T0 1728896400.0   /* Monday, 2024-10-14 09:00:00 UTC */
#define LIMIT_MESSAGE(n) \
  "Free version only supports " #n " API calls. Please try again after 30 minutes or upgrade to pro-version."
#define UNKNOWN_ZIP "Zip code does not exist in our database"

typedef AppTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  app_test_fixture_init (f, "CityApp", "City", T0, 0);
}

static JsonNode *
call_as (Fixture        *f,
         const char     *tool,
         const char     *args_json,
         SigmaEventType  type,
         GError        **error)
{
  return app_test_call (f->env, "City", type, tool, args_json, error);
}

static JsonNode *
call_ok (Fixture    *f,
         const char *tool,
         const char *args_json)
{
  return app_test_call_ok (f->env, "City", SIGMA_EVENT_TYPE_AGENT, tool, args_json);
}

static JsonNode *
env_ok (Fixture    *f,
        const char *tool,
        const char *args_json)
{
  return app_test_call_ok (f->env, "City", SIGMA_EVENT_TYPE_ENV, tool, args_json);
}

static void
call_fails (Fixture    *f,
            const char *tool,
            const char *args_json,
            gint        code,
            const char *message)
{
  app_test_call_fails (f->env, "City", SIGMA_EVENT_TYPE_AGENT, tool, args_json, code, message);
}

static gint64
call_count (Fixture *f)
{
  g_autoptr(JsonNode) count = call_ok (f, "get_api_call_count", NULL);

  return json_node_get_int (count);
}

static const char sample_state[] =
  "{\"api_call_limit\": 3, \"crime_data\": {"
  "\"SW1A 2AA\": {\"violent_crime\": 24.81, \"property_crime\": 19.43},"
  "\"CB2 1TN\": {\"violent_crime\": 5, \"property_crime\": 12.0},"
  "\"EH2 2ER\": {\"violent_crime\": 42.44, \"property_crime\": 46}}}";

/* ------------------------------------------------------------------------------------ */

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("CityApp", "City", &error);
  g_autoptr(SigmaApp) plain = sigma_city_app_new (NULL);

  g_test_summary ("The app is created from ARE's class CityApp under Gaia2's instance name City");

  g_assert_no_error (error);
  g_assert_true (SIGMA_IS_CITY_APP (app));
  g_assert_cmpstr (sigma_app_get_name (app), ==, "City");
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "CityApp");
  g_assert_cmpstr (sigma_app_get_name (plain), ==, "CityApp");
  g_assert_cmpstr (sigma_apps_get_canonical_name ("City"), ==, "CityApp");
  app_test_assert_state (plain, "{\"api_call_limit\": 100, \"crime_data\": {}}");
}

static void
test_tools (void)
{
  static const struct { const char *name; SigmaToolRole roles; SigmaToolOperation op; guint n_params; } expected[] = {
    { "add_crime_rate", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 3 },
    { "update_crime_rate", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 3 },
    { "get_crime_rate", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 1 },
    { "get_api_call_count", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 0 },
    { "get_api_call_limit", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 0 },
  };
  static const char * const update_params[] = { "zip_code", "new_violent_crime_rate", "new_property_crime_rate" };
  g_autoptr(SigmaApp) app = sigma_city_app_new ("City");
  g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  SigmaTool *tool;

  g_test_summary ("Every ARE CityApp tool exists in ARE's order with its roles, operation and parameters");

  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < tools->len; i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpstr (sigma_tool_get_name (tool), ==, expected[i].name);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, expected[i].roles);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, expected[i].op);
      g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, expected[i].n_params);
      g_assert_cmpstr (sigma_tool_get_description (tool), !=, "");
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        g_assert_cmpstr (sigma_tool_get_parameter_description (tool, p), !=, "");
    }
  tool = sigma_app_lookup_tool (app, "update_crime_rate");
  for (guint p = 0; p < G_N_ELEMENTS (update_params); p++)
    {
      g_assert_cmpstr (sigma_tool_get_parameter_name (tool, p), ==, update_params[p]);
      g_assert_cmpint (sigma_tool_get_parameter_required (tool, p), ==, p == 0);
    }
  tool = sigma_app_lookup_tool (app, "add_crime_rate");
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 1), ==, "violent_crime_rate");
  g_assert_cmpint (sigma_tool_get_parameter_type (tool, 1), ==, SIGMA_VALUE_TYPE_NUMBER);
}

static void
test_get_crime_rate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) rate = NULL;
  g_autoptr(JsonNode) limit = NULL;

  g_test_summary ("get_crime_rate returns the data point; an unknown zip code is ARE's error and "
                  "still counts as a call");

  app_test_load_state (f->app, sample_state);
  g_assert_cmpint (call_count (f), ==, 0);
  rate = call_ok (f, "get_crime_rate", "{\"zip_code\": \"CB2 1TN\"}");
  app_test_assert_json (rate, "{\"violent_crime\": 5, \"property_crime\": 12.0}");
  g_assert_cmpint (call_count (f), ==, 1);
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"cb2 1tn\"}", SIGMA_ERROR_TOOL_FAILED, UNKNOWN_ZIP);
  g_assert_cmpint (call_count (f), ==, 2);
  limit = call_ok (f, "get_api_call_limit", NULL);
  g_assert_cmpint (json_node_get_int (limit), ==, 3);
  call_fails (f, "get_crime_rate", "{}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_crime_rate' is missing the required argument 'zip_code'");
  g_assert_cmpint (call_count (f), ==, 2);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) rate = NULL;

  g_test_summary ("After api_call_limit calls, get_crime_rate refuses calls for 30 simulated "
                  "minutes from the first refusal, resetting the count");

  app_test_load_state (f->app, sample_state);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) ok = call_ok (f, "get_crime_rate", "{\"zip_code\": \"SW1A 2AA\"}");
      g_assert_nonnull (ok);
    }
  g_assert_cmpint (call_count (f), ==, 3);

  call_fails (f, "get_crime_rate", "{\"zip_code\": \"SW1A 2AA\"}", SIGMA_ERROR_TOOL_FAILED, LIMIT_MESSAGE (3));
  g_assert_cmpint (call_count (f), ==, 0);

  /* the cooldown runs from the first refusal: further refusals do not extend it */
  app_test_advance (f->env, 1000);
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"SW1A 2AA\"}", SIGMA_ERROR_TOOL_FAILED, LIMIT_MESSAGE (3));
  app_test_advance (f->env, 799);
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"nowhere\"}", SIGMA_ERROR_TOOL_FAILED, LIMIT_MESSAGE (3));
  g_assert_cmpint (call_count (f), ==, 0);
  app_test_advance (f->env, 1);
  rate = call_ok (f, "get_crime_rate", "{\"zip_code\": \"SW1A 2AA\"}");
  app_test_assert_json (rate, "{\"violent_crime\": 24.81, \"property_crime\": 19.43}");
  g_assert_cmpint (call_count (f), ==, 1);
}

static void
test_zero_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("With a limit of 0 every call is refused");

  app_test_load_state (f->app, "{\"api_call_limit\": 0, \"crime_data\": {}}");
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, LIMIT_MESSAGE (0));
  app_test_advance (f->env, 3600);
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, LIMIT_MESSAGE (0));
}

static void
test_add_crime_rate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) replaced = NULL;

  g_test_summary ("add_crime_rate adds or replaces (in place) a zip code's rates as floats");

  app_test_load_state (f->app, "{\"api_call_limit\": 100, \"crime_data\": {\"A\": {\"violent_crime\": 1, \"property_crime\": 2}}}");
  added = env_ok (f, "add_crime_rate", "{\"zip_code\": \"B\", \"violent_crime_rate\": 3.5, \"property_crime_rate\": 4.25}");
  app_test_assert_json (added, "\"Added Successfully\"");
  /* an integer is accepted for a float parameter (ARE's type_check would refuse it) */
  replaced = env_ok (f, "add_crime_rate", "{\"zip_code\": \"A\", \"violent_crime_rate\": 7, \"property_crime_rate\": 8.5}");
  app_test_assert_state (f->app, "{\"api_call_limit\": 100, \"crime_data\": {"
                                 "\"A\": {\"violent_crime\": 7.0, \"property_crime\": 8.5},"
                                 "\"B\": {\"violent_crime\": 3.5, \"property_crime\": 4.25}}}");
  call_fails (f, "add_crime_rate", "{\"zip_code\": \"C\", \"violent_crime_rate\": \"high\", \"property_crime_rate\": 1}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_crime_rate': argument 'violent_crime_rate' must be a number, got string");
}

static void
test_update_crime_rate (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) updated = NULL;

  g_test_summary ("update_crime_rate changes the given rates of a known zip code; its errors are ARE's");

  app_test_load_state (f->app, sample_state);
  call_fails (f, "update_crime_rate", "{\"zip_code\": \"CB2 1TN\"}", SIGMA_ERROR_TOOL_FAILED, "No update provided");
  call_fails (f, "update_crime_rate", "{\"zip_code\": \"nowhere\"}", SIGMA_ERROR_TOOL_FAILED, "No update provided");
  call_fails (f, "update_crime_rate", "{\"zip_code\": \"nowhere\", \"new_violent_crime_rate\": 1.5}",
              SIGMA_ERROR_TOOL_FAILED, UNKNOWN_ZIP);
  updated = env_ok (f, "update_crime_rate", "{\"zip_code\": \"CB2 1TN\", \"new_property_crime_rate\": 13.5}");
  app_test_assert_json (updated, "\"Updated Successfully\"");
  g_clear_pointer (&updated, json_node_unref);
  updated = call_ok (f, "get_crime_rate", "{\"zip_code\": \"CB2 1TN\"}");
  app_test_assert_json (updated, "{\"violent_crime\": 5, \"property_crime\": 13.5}");
  g_clear_pointer (&updated, json_node_unref);
  updated = env_ok (f, "update_crime_rate",
                    "{\"zip_code\": \"CB2 1TN\", \"new_violent_crime_rate\": 6, \"new_property_crime_rate\": null}");
  g_clear_pointer (&updated, json_node_unref);
  updated = call_ok (f, "get_crime_rate", "{\"zip_code\": \"CB2 1TN\"}");
  app_test_assert_json (updated, "{\"violent_crime\": 6.0, \"property_crime\": 13.5}");
}

static void
test_state_round_trip (void)
{
  g_autoptr(SigmaApp) app = sigma_city_app_new ("City");
  g_autoptr(SigmaApp) copy = sigma_city_app_new ("City");

  g_test_summary ("get_state reproduces a loaded state exactly (integer rates stay integers), "
                  "and load_state(get_state()) is a fixed point");

  app_test_assert_state_round_trip (app, copy, sample_state);
}

static void
test_load_and_reset (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) limit = NULL;

  g_test_summary ("load_state replaces the data and limit but, as in ARE, keeps the call count; "
                  "reset restores the defaults and clears the count");

  app_test_load_state (f->app, sample_state);
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, UNKNOWN_ZIP);
  app_test_load_state (f->app, "{\"api_call_limit\": 5, \"crime_data\": {}}");
  app_test_assert_state (f->app, "{\"api_call_limit\": 5, \"crime_data\": {}}");
  g_assert_cmpint (call_count (f), ==, 1);
  sigma_app_reset (f->app);
  app_test_assert_state (f->app, "{\"api_call_limit\": 100, \"crime_data\": {}}");
  g_assert_cmpint (call_count (f), ==, 0);
  limit = call_ok (f, "get_api_call_limit", NULL);
  g_assert_cmpint (json_node_get_int (limit), ==, 100);
}

static void
test_reset_clears_cooldown (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) rate = NULL;

  g_test_summary ("reset ends a running cooldown");

  app_test_load_state (f->app, "{\"api_call_limit\": 0, \"crime_data\": {}}");
  call_fails (f, "get_crime_rate", "{\"zip_code\": \"A\"}", SIGMA_ERROR_TOOL_FAILED, LIMIT_MESSAGE (0));
  sigma_app_reset (f->app);
  app_test_load_state (f->app, "{\"api_call_limit\": 1, \"crime_data\": {\"A\": {\"violent_crime\": 1.0, \"property_crime\": 2.0}}}");
  rate = call_ok (f, "get_crime_rate", "{\"zip_code\": \"A\"}");
  app_test_assert_json (rate, "{\"violent_crime\": 1.0, \"property_crime\": 2.0}");
}

static void
test_malformed_state (void)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "null", "City: app_state must be a JSON object" },
    { "{\"api_call_limit\": 100}", "City: app_state.crime_data: missing (expected an object)" },
    { "{\"crime_data\": {}}", "City: app_state.api_call_limit: missing (expected an integer)" },
    { "{\"crime_data\": {}, \"api_call_limit\": 1.5}", "City: app_state.api_call_limit: expected an integer" },
    { "{\"crime_data\": {}, \"api_call_limit\": -1}", "City: app_state.api_call_limit: -1 is negative" },
    { "{\"crime_data\": {\"Z\": 3}, \"api_call_limit\": 1}", "City: app_state.crime_data.Z: expected an object" },
    { "{\"crime_data\": {\"Z\": {\"violent_crime\": 1}}, \"api_call_limit\": 1}",
      "City: app_state.crime_data.Z.property_crime: missing (expected a number)" },
    { "{\"crime_data\": {\"Z\": {\"violent_crime\": \"1\", \"property_crime\": 2}}, \"api_call_limit\": 1}",
      "City: app_state.crime_data.Z.violent_crime: expected a number" },
    { "{\"crime_data\": {\"Z\": {\"violent_crime\": 1, \"property_crime\": 2, \"arson\": 3}}, \"api_call_limit\": 1}",
      "City: app_state.crime_data.Z.arson: not a field of a crime data point" },
  };

  g_test_summary ("A malformed state is SIGMA_ERROR_INVALID_DATA naming the app and the field, "
                  "and leaves the app unchanged");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaApp) app = sigma_apps_create ("CityApp", "City", NULL);

      app_test_assert_load_fails_unchanged (app, sample_state, cases[i].state, cases[i].message);
    }
}

static void
test_lenient_state (void)
{
  g_test_summary ("In lenient mode a malformed data point or limit is skipped with a warning");

  if (app_test_lenient_subprocess ("*City: app_state.crime_data.B.violent_crime: missing (expected a number) (skipped)*"
                                   "City: app_state.api_call_limit: -4 is negative (skipped)*"))
    {
      g_autoptr(SigmaApp) app = sigma_city_app_new ("City");

      app_test_load_lenient (app, "{\"crime_data\": {\"A\": {\"violent_crime\": 1, \"property_crime\": 2},"
                                  " \"B\": {\"violent_crime\": null, \"property_crime\": 2}}, \"api_call_limit\": -4}");
      app_test_assert_state (app, "{\"api_call_limit\": 100, \"crime_data\": {\"A\": {\"violent_crime\": 1, \"property_crime\": 2}}}");
    }
}

static char *
run_script (void)
{
  Fixture fixture = { NULL, NULL }, *f = &fixture;
  g_autoptr(JsonNode) log = NULL;
  char *text;

  fixture_set_up (f, NULL);
  app_test_load_state (f->app, sample_state);
  for (guint i = 0; i < 5; i++)
    {
      /* calls past the rate limit fail: either way each one is logged */
      JsonNode *result = call_as (f, "get_crime_rate", "{\"zip_code\": \"EH2 2ER\"}",
                                  SIGMA_EVENT_TYPE_AGENT, NULL);

      g_clear_pointer (&result, json_node_unref);
      app_test_advance (f->env, 60);
    }
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (f->env)), ==, 5);
  log = sigma_event_log_to_json (sigma_environment_get_log (f->env));
  text = json_to_string (log, FALSE);
  app_test_fixture_clear (f);
  return text;
}

static void
test_determinism (void)
{
  g_autofree char *first = run_script ();
  g_autofree char *second = run_script ();

  g_test_summary ("The app draws no random numbers: the same calls give the same log");

  g_assert_cmpstr (first, ==, second);
}

static void
test_no_notifications (Fixture       *f,
                       gconstpointer  data)
{
  SigmaNotificationSystem *notifications = sigma_environment_get_notifications (f->env);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) u = NULL;
  g_autoptr(JsonNode) g = NULL;

  g_test_summary ("The app raises no notifications, even at HIGH verbosity (apps.md §11)");

  sigma_notification_system_set_verbosity (notifications, SIGMA_VERBOSITY_HIGH);
  app_test_load_state (f->app, sample_state);
  a = env_ok (f, "add_crime_rate", "{\"zip_code\": \"Z\", \"violent_crime_rate\": 1.0, \"property_crime_rate\": 2.0}");
  u = env_ok (f, "update_crime_rate", "{\"zip_code\": \"Z\", \"new_violent_crime_rate\": 3.0}");
  g = call_ok (f, "get_crime_rate", "{\"zip_code\": \"Z\"}");
  pending = sigma_notification_system_list_pending (notifications);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *event;

  g_test_summary ("Calls are logged with their event type, operation and result or ARE's error");

  app_test_load_state (f->app, sample_state);
  result = env_ok (f, "add_crime_rate", "{\"zip_code\": \"N1\", \"violent_crime_rate\": 1.5, \"property_crime_rate\": 2.5}");
  g_clear_pointer (&result, json_node_unref);
  result = call_as (f, "get_crime_rate", "{\"zip_code\": \"N2\"}", SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);

  g_assert_cmpuint (sigma_event_log_get_length (log), ==, 2);
  event = sigma_event_log_get (log, 0);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "City");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "add_crime_rate");
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_ENV);
  g_assert_cmpint (sigma_completed_event_get_operation (event), ==, SIGMA_TOOL_OPERATION_WRITE);
  g_assert_cmpstr (json_node_get_string (sigma_completed_event_get_return_value (event)), ==, "Added Successfully");
  event = sigma_event_log_get (log, 1);
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpint (sigma_completed_event_get_operation (event), ==, SIGMA_TOOL_OPERATION_READ);
  g_assert_cmpstr (sigma_completed_event_get_error_message (event), ==, UNKNOWN_ZIP);
}

/* Every CityApp app_state of the Gaia2 scenario round-trips. */
static void
test_corpus (void)
{
  static const char * const classes[] = { "CityApp", NULL };

  g_test_summary ("Every CityApp app_state of the Gaia2 universe scenario (apps and augmentation) "
                  "loads and round-trips exactly");

  app_test_corpus_check_round_trips (classes, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sigma/apps/city/" path, Fixture, NULL, fixture_set_up, func, app_test_fixture_tear_down)

  g_test_add_func ("/sigma/apps/city/create", test_create);
  g_test_add_func ("/sigma/apps/city/tools", test_tools);
  ADD ("get-crime-rate", test_get_crime_rate);
  ADD ("rate-limit", test_rate_limit);
  ADD ("zero-limit", test_zero_limit);
  ADD ("add-crime-rate", test_add_crime_rate);
  ADD ("update-crime-rate", test_update_crime_rate);
  ADD ("load-and-reset", test_load_and_reset);
  ADD ("reset-clears-cooldown", test_reset_clears_cooldown);
  ADD ("no-notifications", test_no_notifications);
  ADD ("log", test_log);
  g_test_add_func ("/sigma/apps/city/state-round-trip", test_state_round_trip);
  g_test_add_func ("/sigma/apps/city/malformed-state", test_malformed_state);
  g_test_add_func ("/sigma/apps/city/lenient-state", test_lenient_state);
  g_test_add_func ("/sigma/apps/city/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/city/corpus", test_corpus);

#undef ADD

  return g_test_run ();
}
