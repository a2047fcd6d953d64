/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

#define START_TIME 1729000000.5   /* 2024-10-15 13:46:40.5 UTC */

typedef AppTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* Gaia2's instance name for ARE's CabApp. */
  app_test_fixture_init (f, "CabApp", "Cabs", START_TIME, 0);
}

static JsonNode *
call_type_ok (Fixture        *f,
              SigmaEventType  type,
              const char     *tool,
              const char     *args_json)
{
  return app_test_call_ok (f->env, "Cabs", type, tool, args_json);
}

static JsonNode *
call_ok (Fixture    *f,
         const char *tool,
         const char *args_json)
{
  return call_type_ok (f, SIGMA_EVENT_TYPE_AGENT, tool, args_json);
}

static void
call_type_fails (Fixture        *f,
                 SigmaEventType  type,
                 const char     *tool,
                 const char     *args_json,
                 gint            code,
                 const char     *message)
{
  app_test_call_fails (f->env, "Cabs", type, tool, args_json, code, message);
}

static void
call_fails (Fixture    *f,
            const char *tool,
            const char *args_json,
            gint        code,
            const char *message)
{
  call_type_fails (f, SIGMA_EVENT_TYPE_AGENT, tool, args_json, code, message);
}

static void
assert_call (Fixture    *f,
             const char *tool,
             const char *args_json,
             const char *expected)
{
  app_test_assert_call (f->env, "Cabs", tool, args_json, expected);
}

#define DEFAULT_CONFIG \
  "{\"Default\": {\"nb_seats\": 4, \"price_per_km\": 1.0, \"base_delay_min\": 5, \"max_distance_km\": 25}," \
  " \"Premium\": {\"nb_seats\": 4, \"price_per_km\": 2.0, \"base_delay_min\": 3, \"max_distance_km\": 25}," \
  " \"Van\": {\"nb_seats\": 6, \"price_per_km\": 1.5, \"base_delay_min\": 7, \"max_distance_km\": 25}}"

/*
 * Expected values computed by running ARE's quotation code (cab.py: calculate_distance,
 * calculate_price, get_quotation, Ride.update_delay) in Python with
 * random.Random(sigma_derive_seed (0, "Cabs")), i.e. the same MT19937 stream.
 */
#define Q1 \
  "{\"ride_id\": \"b24d9b91a482467b752c8a405be91369\", \"status\": null, \"service_type\": \"Default\"," \
  " \"start_location\": \"Home\", \"end_location\": \"Office\", \"price\": 5.025289136318819," \
  " \"duration\": 9.652972139112634, \"time_stamp\": 1729000000.0, \"distance_km\": 5.025289136318819," \
  " \"delay\": 10, \"delay_history\": []}"
#define LIST_DEFAULT \
  "{\"ride_id\": \"eb7b0470c69b523b6953fe694eda3538\", \"status\": null, \"service_type\": \"Default\"," \
  " \"start_location\": \"Home\", \"end_location\": \"Office\", \"price\": 3.678970754504554," \
  " \"duration\": 9.64552570832886, \"time_stamp\": 1729004400.0, \"distance_km\": 5.025289136318819," \
  " \"delay\": 7, \"delay_history\": []}"
#define LIST_PREMIUM \
  "{\"ride_id\": \"8f980693ed1325948a401f480f921fb5\", \"status\": null, \"service_type\": \"Premium\"," \
  " \"start_location\": \"Home\", \"end_location\": \"Office\", \"price\": 10.050578272637638," \
  " \"duration\": 11.987396026978427, \"time_stamp\": 1729004400.0, \"distance_km\": 5.025289136318819," \
  " \"delay\": 7, \"delay_history\": []}"
#define LIST_VAN \
  "{\"ride_id\": \"c69588487c65e7bca9a8211d860534ee\", \"status\": null, \"service_type\": \"Van\"," \
  " \"start_location\": \"Home\", \"end_location\": \"Office\", \"price\": 7.537933704478229," \
  " \"duration\": 13.133640631481429, \"time_stamp\": 1729004400.0, \"distance_km\": 5.025289136318819," \
  " \"delay\": 10, \"delay_history\": []}"
#define ORDERED \
  "{\"ride_id\": \"88065952af2f874b77601429dad320ca\", \"status\": \"BOOKED\", \"service_type\": \"Premium\"," \
  " \"start_location\": \"Home\", \"end_location\": \"Office\", \"price\": 11.375413821412902," \
  " \"duration\": 15.780430164484446, \"time_stamp\": 1729000000.0, \"distance_km\": 5.025289136318819," \
  " \"delay\": 6, \"delay_history\": [{\"delay\": 6, \"time_stamp\": 1729000000.0}]}"
#define AFTER_STATUS \
  "{\"ride_id\": \"88065952af2f874b77601429dad320ca\", \"status\": \"BOOKED\", \"service_type\": \"Premium\"," \
  " \"start_location\": \"Home\", \"end_location\": \"Office\", \"price\": 11.375413821412902," \
  " \"duration\": 15.780430164484446, \"time_stamp\": 1729000000.0, \"distance_km\": 5.025289136318819," \
  " \"delay\": -2.455728991578919, \"delay_history\": [{\"delay\": 6, \"time_stamp\": 1729000000.0}," \
  " {\"delay\": -2.455728991578919, \"time_stamp\": 1729000000.0}]}"

/* ------------------------------------------------------------------------------------ */

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("CabApp", "Cabs", &error);
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(JsonNode) state = NULL;
  static const char * const names[] = {
    "add_new_ride", "get_quotation", "list_rides", "order_ride", "cancel_ride", "user_cancel_ride",
    "end_ride", "update_ride_status", "get_current_ride_status", "get_ride", "get_ride_history",
    "get_ride_history_length",
  };

  g_test_summary ("The app is created as CabApp under Gaia2's name Cabs, with ARE's tools in "
                  "ARE's order and the default services");

  g_assert_no_error (error);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "CabApp");
  g_assert_cmpstr (sigma_apps_get_canonical_name ("Cabs"), ==, "CabApp");

  tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < tools->len; i++)
    {
      SigmaTool *tool = g_ptr_array_index (tools, i);

      g_assert_cmpstr (sigma_tool_get_name (tool), ==, names[i]);
      g_assert_nonnull (sigma_tool_get_description (tool));
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        g_assert_nonnull (sigma_tool_get_parameter_description (tool, p));
    }
  g_assert_cmpint (sigma_tool_get_roles (sigma_app_lookup_tool (app, "cancel_ride")), ==,
                   SIGMA_TOOL_ROLE_DATA | SIGMA_TOOL_ROLE_ENV);
  g_assert_cmpint (sigma_tool_get_roles (sigma_app_lookup_tool (app, "order_ride")), ==,
                   SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA);
  g_assert_cmpint (sigma_tool_get_operation (sigma_app_lookup_tool (app, "list_rides")), ==,
                   SIGMA_TOOL_OPERATION_READ);
  g_assert_cmpint (sigma_tool_get_operation (sigma_app_lookup_tool (app, "user_cancel_ride")), ==,
                   SIGMA_TOOL_OPERATION_WRITE);

  state = sigma_app_get_state (app);
  app_test_assert_json (state, "{\"ride_history\": [], \"quotation_history\": [], \"d_service_config\": " DEFAULT_CONFIG "}");
}

static void
test_quotations (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("get_quotation, list_rides, order_ride and get_current_ride_status give "
                  "ARE's numbers for the same random stream");

  assert_call (f, "get_quotation", "{\"start_location\": \"Home\", \"end_location\": \"Office\","
                                   " \"service_type\": \"Default\"}", Q1);
  /* Same trip: the known distance, and the earlier Default price varied by ±50 %. */
  assert_call (f, "list_rides", "{\"start_location\": \"Home\", \"end_location\": \"Office\","
                                " \"ride_time\": \"2024-10-15 15:00:00\"}",
               "[" LIST_DEFAULT "," LIST_PREMIUM "," LIST_VAN "]");
  assert_call (f, "order_ride", "{\"start_location\": \"Home\", \"end_location\": \"Office\","
                                " \"service_type\": \"Premium\"}", ORDERED);
  app_test_advance (f->env, 120);
  assert_call (f, "get_current_ride_status", NULL, AFTER_STATUS);

  /* The booked ride is the quotation object itself: both histories show its changes. */
  app_test_assert_state (f->app, "{\"ride_history\": [" AFTER_STATUS "],"
                                 " \"quotation_history\": [" Q1 "," LIST_DEFAULT "," LIST_PREMIUM "," LIST_VAN ","
                            AFTER_STATUS "], \"d_service_config\": " DEFAULT_CONFIG "}");
}

static void
test_quotation_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("Quotation errors: bad ride time, unknown service, too far, missing setting");

  call_fails (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Default\","
                                  " \"ride_time\": \"tomorrow\"}", SIGMA_ERROR_TOOL_FAILED,
              "Invalid datetime format for the ride time. Please use YYYY-MM-DD HH:MM:SS");
  call_fails (f, "list_rides", "{\"start_location\": \"A\", \"end_location\": \"B\", \"ride_time\": \"2024-13-01 00:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, "Invalid datetime format for the ride time. Please use YYYY-MM-DD HH:MM:SS");
  call_fails (f, "order_ride", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Limo\"}",
              SIGMA_ERROR_TOOL_FAILED, "Invalid service type.");
  call_fails (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\"}",
              SIGMA_ERROR_INVALID_ARGUMENT, "Tool 'get_quotation' is missing the required argument 'service_type'");

  app_test_load_state (f->app, "{\"ride_history\": [], \"quotation_history\": [],"
                               " \"d_service_config\": {\"Tiny\": {\"price_per_km\": 1, \"base_delay_min\": 1, \"max_distance_km\": 2},"
                               " \"Odd\": {\"base_delay_min\": 1, \"max_distance_km\": 50}}}");
  call_fails (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Tiny\"}",
              SIGMA_ERROR_TOOL_FAILED, "Distance exceeds maximum allowed.");
  call_fails (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Odd\"}",
              SIGMA_ERROR_TOOL_FAILED, "'price_per_km'");
  /* list_rides stops at the first failing service. */
  call_fails (f, "list_rides", "{\"start_location\": \"A\", \"end_location\": \"B\"}",
              SIGMA_ERROR_TOOL_FAILED, "Distance exceeds maximum allowed.");

  /* An earlier quote with a price but no time stamp: ARE's price variation subtracts None. */
  app_test_load_state (f->app, "{\"quotation_history\": [{\"ride_id\": \"q\", \"start_location\": \"A\", \"end_location\": \"B\","
                               " \"service_type\": \"Default\", \"price\": 5.0, \"distance_km\": 6.0}]}");
  call_fails (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Default\"}",
              SIGMA_ERROR_TOOL_FAILED, "unsupported operand type(s) for -: 'float' and 'NoneType'");
}

static void
test_integer_prices (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) ride = NULL;
  JsonObject *object;

  g_test_summary ("With integer settings and a known integer distance, price and delay stay "
                  "integers, as Python's arithmetic keeps them");

  app_test_load_state (f->app, "{\"ride_history\": [], \"quotation_history\": [{\"ride_id\": \"r0\", \"start_location\": \"A\","
                               " \"end_location\": \"B\", \"distance_km\": 6, \"service_type\": \"Other\"}],"
                               " \"d_service_config\": {\"Default\": {\"nb_seats\": 4, \"price_per_km\": 2, \"base_delay_min\": 5,"
                               " \"max_distance_km\": 25}}}");
  ride = call_ok (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Default\"}");
  object = json_node_get_object (ride);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "price")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "price"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (object, "distance_km"), ==, 6);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "delay")), ==, G_TYPE_INT64);
}

static void
test_ride_lifecycle (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) ride = NULL;
  g_autoptr(JsonNode) history = NULL;
  const char *order = "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Van\"}";

  g_test_summary ("order_ride, update_ride_status, end_ride, cancel_ride, user_cancel_ride and "
                  "get_current_ride_status, with their errors");

  call_fails (f, "get_current_ride_status", NULL, SIGMA_ERROR_TOOL_FAILED, "No ride ordered.");
  call_fails (f, "user_cancel_ride", NULL, SIGMA_ERROR_TOOL_FAILED, "You have no on-going ride.");
  call_type_fails (f, SIGMA_EVENT_TYPE_ENV, "end_ride", NULL, SIGMA_ERROR_TOOL_FAILED, "You have no on-going ride.");
  call_type_fails (f, SIGMA_EVENT_TYPE_ENV, "cancel_ride", NULL, SIGMA_ERROR_TOOL_FAILED, "You have no on-going ride.");
  call_type_fails (f, SIGMA_EVENT_TYPE_ENV, "cancel_ride", "{\"who_cancel\": \"cat\"}", SIGMA_ERROR_TOOL_FAILED,
                   "who_cancel must be either 'driver' or 'user'.");
  call_type_fails (f, SIGMA_EVENT_TYPE_ENV, "update_ride_status", "{\"status\": \"DELAYED\"}",
                   SIGMA_ERROR_TOOL_FAILED, "You have no on-going ride.");

  ride = call_ok (f, "order_ride", order);
  call_fails (f, "order_ride", order, SIGMA_ERROR_TOOL_FAILED, "You have an on-going ride.");
  call_type_fails (f, SIGMA_EVENT_TYPE_ENV, "update_ride_status", "{\"status\": \"LOST\"}", SIGMA_ERROR_TOOL_FAILED,
                   "status must be one of 'DELAYED', 'IN_PROGRESS', 'ARRIVED_AT_PICKUP'");
  g_clear_pointer (&ride, json_node_unref);
  ride = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "update_ride_status", "{\"status\": \"DELAYED\"}");
  app_test_assert_json (ride, "\"Ride status has been updated to DELAYED.\"");
  g_clear_pointer (&ride, json_node_unref);
  ride = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "update_ride_status",
                       "{\"status\": \"ARRIVED_AT_PICKUP\", \"message\": \"I'm outside\"}");
  app_test_assert_json (ride, "\"Ride status has been updated to ARRIVED_AT_PICKUP. Message from your driver: I'm outside\"");
  g_clear_pointer (&ride, json_node_unref);
  ride = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "end_ride", NULL);
  app_test_assert_json (ride, "\"Ride has been completed.\"");

  g_clear_pointer (&ride, json_node_unref);
  ride = call_ok (f, "order_ride", order);
  g_clear_pointer (&ride, json_node_unref);
  ride = call_ok (f, "user_cancel_ride", NULL);
  app_test_assert_json (ride, "\"Ride has been cancelled, sorry to see you go.\"");

  g_clear_pointer (&ride, json_node_unref);
  ride = call_ok (f, "order_ride", order);
  g_clear_pointer (&ride, json_node_unref);
  ride = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "cancel_ride", "{\"message\": \"\"}");
  app_test_assert_json (ride, "\"The ride has been cancelled. Sorry for the inconvenience.\"");

  g_clear_pointer (&ride, json_node_unref);
  ride = call_ok (f, "order_ride", order);
  g_clear_pointer (&ride, json_node_unref);
  ride = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "cancel_ride", "{\"who_cancel\": \"user\", \"message\": \"Sorry!\"}");
  app_test_assert_json (ride, "\"Sorry!\"");

  history = call_ok (f, "get_ride_history", NULL);
  {
    JsonObject *rides = json_object_get_object_member (json_node_get_object (history), "rides");
    static const char * const statuses[] = { "COMPLETED", "CANCELLED", "CANCELLED", "CANCELLED" };

    g_assert_cmpuint (json_object_get_size (rides), ==, 4);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (rides, app_test_fmt ("%u", i)), "status"),
                       ==, statuses[i]);
  }
}

static void
test_assertion (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) ride = NULL;
  g_autoptr(JsonNode) id = NULL;

  g_test_summary ("A ride recorded after the booked one breaks ARE's `assert on_going_ride == "
                  "ride_history[-1]`, whose message is empty");

  ride = call_ok (f, "order_ride", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Van\"}");
  id = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "add_new_ride",
                     "{\"service_type\": \"Van\", \"start_location\": \"C\", \"end_location\": \"D\", \"price\": 3}");
  call_type_fails (f, SIGMA_EVENT_TYPE_ENV, "end_ride", NULL, SIGMA_ERROR_TOOL_FAILED, "");
  call_fails (f, "user_cancel_ride", NULL, SIGMA_ERROR_TOOL_FAILED, "");
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) id = NULL;
  g_autofree char *ride = NULL;

  g_test_summary ("add_new_ride, get_ride, get_ride_history and get_ride_history_length, with "
                  "their errors");

  assert_call (f, "get_ride_history_length", NULL, "0");
  id = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "add_new_ride",
                     "{\"service_type\": \"Default\", \"start_location\": \"A\", \"end_location\": \"B\", \"price\": 12,"
                     " \"time_stamp\": 1728000000}");
  /* Float parameters are kept as floats; the ride is in both histories, without a delay. */
  ride = g_strdup_printf ("{\"ride_id\": \"%s\", \"status\": \"BOOKED\", \"service_type\": \"Default\","
                          " \"start_location\": \"A\", \"end_location\": \"B\", \"price\": 12.0, \"duration\": 0.0,"
                          " \"time_stamp\": 1728000000.0, \"distance_km\": 0.0, \"delay\": null, \"delay_history\": []}",
                          json_node_get_string (id));
  assert_call (f, "get_ride", "{\"idx\": 0}", ride);
  assert_call (f, "get_ride_history_length", NULL, "1");
  assert_call (f, "get_ride_history", "{\"offset\": 0, \"limit\": 5}",
               app_test_fmt ("{\"rides\": {\"0\": %s}, \"range\": [0, 1], \"total\": 1}", ride));
  assert_call (f, "get_ride_history", "{\"offset\": 3}", "{\"rides\": {}, \"range\": [3, 1], \"total\": 1}");
  app_test_assert_state (f->app, app_test_fmt ("{\"ride_history\": [%s], \"quotation_history\": [%s], \"d_service_config\": " DEFAULT_CONFIG "}",
                                 ride, ride));

  call_fails (f, "get_ride", "{\"idx\": 1}", SIGMA_ERROR_TOOL_FAILED, "Ride does not exist.");
  call_fails (f, "get_ride", "{\"idx\": -1}", SIGMA_ERROR_TOOL_FAILED, "Ride does not exist.");
  call_fails (f, "get_ride_history", "{\"offset\": -1}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_ride_history': argument 'offset' must be non-negative, got -1");
  call_fails (f, "get_ride_history", "{\"limit\": 5000}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_ride_history': argument 'limit' must be between 0 and 1000, got 5000");
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  g_autoptr(JsonNode) rides = NULL;
  SigmaCompletedEvent *event;
  guint n = sigma_event_log_get_length (log);

  g_test_summary ("list_rides is logged as one event: its quotations are not logged on their own");

  rides = call_ok (f, "list_rides", "{\"start_location\": \"A\", \"end_location\": \"B\"}");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (rides)), ==, 3);
  g_assert_cmpuint (sigma_event_log_get_length (log), ==, n + 1);
  event = sigma_event_log_get (log, n);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "Cabs");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "list_rides");
  g_assert_false (sigma_completed_event_is_write (event));
  g_assert_true (json_node_equal (sigma_completed_event_get_return_value (event), rides));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (sigma_completed_event_get_args (event), "ride_time")));
}

/* Runs the notifying calls at @verbosity; returns how many notifications they raised. */
static guint
notify_round (Fixture        *f,
              SigmaVerbosity  verbosity)
{
  const char *order = "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Default\"}";
  guint before = app_test_n_pending (f->env);

  sigma_notification_system_set_verbosity (sigma_environment_get_notifications (f->env), verbosity);

  json_node_unref (call_ok (f, "order_ride", order));
  json_node_unref (call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "update_ride_status", "{\"status\": \"IN_PROGRESS\"}"));
  if (verbosity == SIGMA_VERBOSITY_HIGH)
    g_assert_cmpstr (app_test_last_pending_message (f->env), ==, "CabApp: ride status updated");
  json_node_unref (call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "end_ride", NULL));
  if (verbosity >= SIGMA_VERBOSITY_MEDIUM)
    g_assert_cmpstr (app_test_last_pending_message (f->env), ==, "CabApp: ride completed");

  /* The agent's own cancellation is not notified; the user's and the driver's are. */
  json_node_unref (call_ok (f, "order_ride", order));
  json_node_unref (call_ok (f, "user_cancel_ride", NULL));
  json_node_unref (call_ok (f, "order_ride", order));
  json_node_unref (call_type_ok (f, SIGMA_EVENT_TYPE_USER, "user_cancel_ride", NULL));
  if (verbosity >= SIGMA_VERBOSITY_MEDIUM)
    g_assert_cmpstr (app_test_last_pending_message (f->env), ==, "CabApp: ride cancelled");
  json_node_unref (call_ok (f, "order_ride", order));
  json_node_unref (call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "cancel_ride", NULL));

  return app_test_n_pending (f->env) - before;
}

static void
test_notifications (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("Notifications: none at LOW; completions and user or driver cancellations at "
                  "MEDIUM; status updates too at HIGH");

  g_assert_cmpuint (notify_round (f, SIGMA_VERBOSITY_LOW), ==, 0);
  g_assert_cmpuint (notify_round (f, SIGMA_VERBOSITY_MEDIUM), ==, 3);
  g_assert_cmpuint (notify_round (f, SIGMA_VERBOSITY_HIGH), ==, 4);
}

#define STATE_RIDE(id, extra) \
  "{\"ride_id\": \"" id "\", \"status\": \"BOOKED\", \"service_type\": \"Premium\", \"start_location\": \"S\"," \
  " \"end_location\": \"E\", \"price\": 20.4, \"duration\": 12.5, \"time_stamp\": 1728776949.14," \
  " \"distance_km\": 5.93, \"delay\": null, \"delay_history\": []" extra "}"

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("load_state drops ARE's cab_app and seed keys; get_state is a fixed point; "
                  "reset leaves no services");

  app_test_load_state (f->app, "{\"ride_history\": [" STATE_RIDE ("r1", ", \"seed\": 0") "],"
                               " \"quotation_history\": [" STATE_RIDE ("r1", ", \"cab_app\": null, \"seed\": 0") ","
                               " {\"ride_id\": \"q2\", \"start_location\": \"S\", \"end_location\": \"E\", \"delay\": 4,"
                               " \"delay_history\": [{\"delay\": 4, \"time_stamp\": 1.0}]}],"
                               " \"d_service_config\": {\"Solo\": {\"price_per_km\": 3, \"base_delay_min\": 2.5,"
                               " \"max_distance_km\": 30, \"colour\": \"blue\"}}}");
  app_test_assert_state (f->app, "{\"ride_history\": [" STATE_RIDE ("r1", "") "],"
                                 " \"quotation_history\": [" STATE_RIDE ("r1", "") ","
                                 " {\"ride_id\": \"q2\", \"status\": null, \"service_type\": null, \"start_location\": \"S\","
                                 " \"end_location\": \"E\", \"price\": null, \"duration\": null, \"time_stamp\": null,"
                                 " \"distance_km\": null, \"delay\": 4, \"delay_history\": [{\"delay\": 4, \"time_stamp\": 1.0}]}],"
                                 " \"d_service_config\": {\"Solo\": {\"price_per_km\": 3, \"base_delay_min\": 2.5,"
                                 " \"max_distance_km\": 30, \"colour\": \"blue\"}}}");

  json_node_unref (call_ok (f, "order_ride", "{\"start_location\": \"S\", \"end_location\": \"E\","
                                             " \"service_type\": \"Solo\"}"));
  app_test_assert_fixed_point (f->app);
  /* The ride in progress is not part of the state. */
  call_fails (f, "get_current_ride_status", NULL, SIGMA_ERROR_TOOL_FAILED, "No ride ordered.");

  /* A missing member reads as a new app has it. */
  app_test_load_state (f->app, "{}");
  app_test_assert_state (f->app, "{\"ride_history\": [], \"quotation_history\": [], \"d_service_config\": " DEFAULT_CONFIG "}");

  sigma_app_reset (f->app);
  app_test_assert_state (f->app, "{\"ride_history\": [], \"quotation_history\": [], \"d_service_config\": {}}");
  call_fails (f, "get_quotation", "{\"start_location\": \"A\", \"end_location\": \"B\", \"service_type\": \"Default\"}",
              SIGMA_ERROR_TOOL_FAILED, "Invalid service type.");
}

static void
test_missing_ride_id (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) state = NULL;
  JsonObject *ride;

  g_test_summary ("A ride without an id gets one from the app's generator (ARE: uuid4)");

  app_test_load_state (f->app, "{\"ride_history\": [{\"ride_id\": \"\"}, {}]}");
  state = sigma_app_get_state (f->app);
  for (guint i = 0; i < 2; i++)
    {
      ride = json_array_get_object_element (json_object_get_array_member (json_node_get_object (state), "ride_history"), i);
      g_assert_cmpuint (strlen (json_object_get_string_member (ride, "ride_id")), ==, 32);
    }
}

static void
test_malformed_state (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "3", "Cabs: app_state must be a JSON object" },
    { "{\"ride_history\": {}}", "Cabs: app_state.ride_history: expected an array" },
    { "{\"ride_history\": [3]}", "Cabs: app_state.ride_history[0]: expected an object" },
    { "{\"quotation_history\": [{}, {\"price\": \"cheap\"}]}",
      "Cabs: app_state.quotation_history[1].price: expected a number" },
    { "{\"ride_history\": [{\"status\": 1}]}", "Cabs: app_state.ride_history[0].status: expected a string" },
    { "{\"ride_history\": [{\"driver\": \"Bob\"}]}", "Cabs: app_state.ride_history[0].driver: unexpected field" },
    { "{\"ride_history\": [{\"delay_history\": [1]}]}",
      "Cabs: app_state.ride_history[0].delay_history[0]: expected an object" },
    { "{\"d_service_config\": []}", "Cabs: app_state.d_service_config: expected an object" },
    { "{\"d_service_config\": {\"Van\": 3}}", "Cabs: app_state.d_service_config.Van: expected an object" },
    { "{\"d_service_config\": {\"Van\": {\"price_per_km\": \"1\"}}}",
      "Cabs: app_state.d_service_config.Van.price_per_km: expected a number" },
  };

  g_test_summary ("A malformed state is INVALID_DATA naming the app and the JSON path; the app "
                  "is left as new");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      app_test_load_state (f->app, "{\"ride_history\": [{\"ride_id\": \"x\"}]}");
      app_test_assert_load_fails (f->app, cases[i].state, cases[i].message);
      app_test_assert_state (f->app, "{\"ride_history\": [], \"quotation_history\": [], \"d_service_config\": " DEFAULT_CONFIG "}");
    }
}

static void
test_lenient (Fixture       *f,
              gconstpointer  data)
{
  g_test_summary ("In lenient mode a malformed ride or service is skipped with a warning");

  if (app_test_lenient_subprocess ("*Cabs: app_state.ride_history[0].price: expected a number (skipped)*"
                                   "Cabs: app_state.d_service_config.Bad: expected an object (skipped)*"))
    {
      g_autoptr(JsonNode) result = NULL;

      app_test_load_lenient (f->app, "{\"ride_history\": [{\"ride_id\": \"a\", \"price\": true}, {\"ride_id\": \"b\"}],"
                                     " \"d_service_config\": {\"Bad\": [], \"Good\": {\"price_per_km\": 1}}}");
      result = sigma_app_get_state (f->app);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (result),
                                                                              "ride_history")), ==, 1);
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (result),
                                                                              "d_service_config")), ==, 1);
    }
}

static char *
quote_with_seed (guint64 seed)
{
  g_auto(AppTestFixture) cabs = { NULL, NULL };
  g_autoptr(JsonNode) rides = NULL;

  app_test_fixture_init (&cabs, "CabApp", "Cabs", 0, seed);
  rides = app_test_call_ok (cabs.env, "Cabs", SIGMA_EVENT_TYPE_AGENT, "list_rides",
                            "{\"start_location\": \"A\", \"end_location\": \"B\"}");
  return json_to_string (rides, FALSE);
}

static void
test_determinism (void)
{
  g_autofree char *a = quote_with_seed (11);
  g_autofree char *b = quote_with_seed (11);
  g_autofree char *c = quote_with_seed (12);

  g_test_summary ("The same seed gives the same quotations and ride ids; another seed others");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

/* ------------------------------------------------------------------------------------ */
/* Corpus: every Cabs/CabApp app_state of the real data loads, and get_state gives it back.   */

/* What ARE's own export gives for a state: load_state drops the "seed" and "cab_app" keys
 * Gaia2 rides carry, so they do not come back. Everything else must. */
static JsonNode *
expected_export (JsonNode *state)
{
  g_autofree char *text = json_to_string (state, FALSE);
  JsonNode *copy = json_from_string (text, NULL);
  static const char * const lists[] = { "ride_history", "quotation_history" };

  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *rides = json_object_get_array_member (json_node_get_object (copy), lists[l]);

      for (guint i = 0; i < json_array_get_length (rides); i++)
        {
          JsonObject *ride = json_array_get_object_element (rides, i);

          if (json_object_has_member (ride, "seed"))
            json_object_remove_member (ride, "seed");
          if (json_object_has_member (ride, "cab_app"))
            json_object_remove_member (ride, "cab_app");
        }
    }
  return copy;
}

static void
test_corpus (void)
{
  static const char * const classes[] = { "CabApp", NULL };

  g_test_summary ("Every CabApp app_state of the Gaia2 and PARE data loads and round-trips");

  app_test_corpus_check_exports (classes, expected_export, 1, 0, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sigma/apps/cab/" path, Fixture, NULL, fixture_set_up, func, app_test_fixture_tear_down)

  g_test_add_func ("/sigma/apps/cab/create", test_create);
  ADD ("quotations", test_quotations);
  ADD ("quotation-errors", test_quotation_errors);
  ADD ("integer-prices", test_integer_prices);
  ADD ("ride-lifecycle", test_ride_lifecycle);
  ADD ("assertion", test_assertion);
  ADD ("history", test_history);
  ADD ("log", test_log);
  ADD ("notifications", test_notifications);
  ADD ("round-trip", test_round_trip);
  ADD ("missing-ride-id", test_missing_ride_id);
  ADD ("malformed-state", test_malformed_state);
  ADD ("lenient", test_lenient);
  g_test_add_func ("/sigma/apps/cab/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/cab/corpus", test_corpus);

#undef ADD

  return g_test_run ();
}
