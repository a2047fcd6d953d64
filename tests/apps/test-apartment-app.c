/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

typedef AppTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  app_test_fixture_init (f, "RentAFlat", NULL, 0, 0);
}

static JsonNode *
call_type_ok (Fixture        *f,
              SigmaEventType  type,
              const char     *tool,
              const char     *args_json)
{
  return app_test_call_ok (f->env, "RentAFlat", type, tool, args_json);
}

static JsonNode *
call_ok (Fixture    *f,
         const char *tool,
         const char *args_json)
{
  return call_type_ok (f, SIGMA_EVENT_TYPE_AGENT, tool, args_json);
}

static void
call_fails (Fixture    *f,
            const char *tool,
            const char *args_json,
            gint        code,
            const char *message)
{
  app_test_call_fails (f->env, "RentAFlat", SIGMA_EVENT_TYPE_AGENT, tool, args_json, code, message);
}

static void
assert_call (Fixture    *f,
             const char *tool,
             const char *args_json,
             const char *expected)
{
  app_test_assert_call (f->env, "RentAFlat", tool, args_json, expected);
}

/* The keys of an {id: apartment} result, comma-separated. */
static void
assert_ids (Fixture    *f,
            const char *tool,
            const char *args_json,
            const char *expected)
{
  g_autoptr(JsonNode) result = call_ok (f, tool, args_json);
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, json_node_get_object (result));
  while (json_object_iter_next_ordered (&iter, &id, &node))
    g_string_append_printf (ids, "%s%s", ids->len > 0 ? "," : "", id);
  g_assert_cmpstr (ids->str, ==, expected);
}

#define APT(id, name, location, zip, price, bed, bath, type, sqft, furnished, floor, pets, lease, amenities) \
  "\"" id "\": {\"name\": \"" name "\", \"location\": \"" location "\", \"zip_code\": \"" zip "\"," \
  " \"price\": " price ", \"bedrooms\": " bed ", \"bathrooms\": " bath ", \"property_type\": \"" type "\"," \
  " \"square_footage\": " sqft ", \"furnished_status\": \"" furnished "\", \"floor_level\": \"" floor "\"," \
  " \"pet_policy\": \"" pets "\", \"lease_term\": \"" lease "\", \"apartment_id\": \"" id "\"," \
  " \"amenities\": " amenities

#define LISTINGS \
  "{\"apartments\": {" \
  APT ("a1", "London Luxe", "10 Downing St, London", "SW1A 2AA", "2500", "2", "1", "Apartment", "900", \
       "Furnished", "Upper floors", "No pets", "1 year", "[\"Gym\", \"Laundry\"]") "}," \
  APT ("a2", "Birmingham Bliss", "Corporation St, Birmingham", "B4 6TB", "1200", "1", "1", "Condo", "600", \
       "Unfurnished", "Ground floor", "Cats allowed", "6 months", "[\"Parking\"]") "}," \
  APT ("a3", "Glasgow Gardens", "Sauchiehall St, Glasgow", "G2 3LW", "1500.5", "3", "2", "Home", "1200", \
       "", "Third floor", "", "", "[\"laundry\", \"Garden\"]") "}}," \
  " \"saved_apartments\": [\"a2\"]}"

/* ------------------------------------------------------------------------------------ */

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("ApartmentListingApp", NULL, &error);
  g_autoptr(SigmaApp) rent = sigma_apps_create ("RentAFlat", NULL, &error);
  g_autoptr(GPtrArray) tools = NULL;
  SigmaTool *tool;
  static const char * const names[] = {
    "add_new_apartment", "update_apartment", "delete_apartment", "list_all_apartments",
    "get_apartment_details", "save_apartment", "remove_saved_apartment", "list_saved_apartments",
    "search_apartments",
  };
  static const char * const add_params[] = {
    "name", "location", "zip_code", "price", "number_of_bedrooms", "number_of_bathrooms",
    "square_footage", "property_type", "furnished_status", "floor_level", "pet_policy",
    "lease_term", "amenities",
  };
  static const char * const search_params[] = {
    "name", "location", "zip_code", "min_price", "max_price", "number_of_bedrooms",
    "number_of_bathrooms", "property_type", "square_footage", "furnished_status", "floor_level",
    "pet_policy", "lease_term", "amenities", "saved_only",
  };

  g_test_summary ("The app is created from both ARE class names, with ARE's tools and "
                  "parameters in ARE's order (13 and 15 for the two longest)");

  g_assert_no_error (error);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "ApartmentListingApp");
  g_assert_cmpstr (sigma_app_get_name (rent), ==, "RentAFlat");
  g_assert_cmpstr (sigma_app_get_class_name (rent), ==, "RentAFlat");

  tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < tools->len; i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpstr (sigma_tool_get_name (tool), ==, names[i]);
      g_assert_nonnull (sigma_tool_get_description (tool));
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        g_assert_nonnull (sigma_tool_get_parameter_description (tool, p));
    }

  tool = sigma_app_lookup_tool (app, "add_new_apartment");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, G_N_ELEMENTS (add_params));
  for (guint p = 0; p < G_N_ELEMENTS (add_params); p++)
    g_assert_cmpstr (sigma_tool_get_parameter_name (tool, p), ==, add_params[p]);
  g_assert_true (sigma_tool_get_parameter_nullable (tool, 12));
  g_assert_cmpint (sigma_tool_get_roles (tool), ==, SIGMA_TOOL_ROLE_DATA | SIGMA_TOOL_ROLE_ENV);

  tool = sigma_app_lookup_tool (app, "search_apartments");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, G_N_ELEMENTS (search_params));
  for (guint p = 0; p < G_N_ELEMENTS (search_params); p++)
    {
      g_assert_cmpstr (sigma_tool_get_parameter_name (tool, p), ==, search_params[p]);
      g_assert_false (sigma_tool_get_parameter_required (tool, p));
    }
  g_assert_cmpint (sigma_tool_get_roles (tool), ==, SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA);
  g_assert_cmpint (sigma_tool_get_operation (sigma_app_lookup_tool (app, "save_apartment")), ==,
                   SIGMA_TOOL_OPERATION_WRITE);
}

static void
test_listings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) id = NULL;
  g_autoptr(JsonNode) result = NULL;
  const char *expected;
  guint32 seed32;
  GRand *rand;
  g_autofree char *first_id = NULL;

  g_test_summary ("add_new_apartment, update_apartment, delete_apartment, get_apartment_details "
                  "and list_all_apartments, with their errors");

  id = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "add_new_apartment",
                     "{\"name\": \"Leeds Loft\", \"location\": \"Leeds\", \"zip_code\": \"LS1\", \"price\": 950,"
                     " \"number_of_bedrooms\": 1, \"number_of_bathrooms\": 1, \"square_footage\": 500}");
  /* The id is the app's first uuid_hex draw. */
  seed32 = sigma_derive_seed (0, "RentAFlat");
  rand = g_rand_new_with_seed_array (&seed32, 1);
  first_id = sigma_random_uuid_hex (rand);
  g_rand_free (rand);
  g_assert_cmpstr (json_node_get_string (id), ==, first_id);

  /* A float parameter stays a float; no amenities become []. */
  expected = app_test_fmt ("{\"name\": \"Leeds Loft\", \"location\": \"Leeds\", \"zip_code\": \"LS1\", \"price\": 950.0,"
                           " \"bedrooms\": 1, \"bathrooms\": 1, \"property_type\": \"\", \"square_footage\": 500,"
                           " \"furnished_status\": \"\", \"floor_level\": \"\", \"pet_policy\": \"\", \"lease_term\": \"\","
                           " \"apartment_id\": \"%s\", \"amenities\": [], \"saved\": false}", first_id);
  assert_call (f, "get_apartment_details", app_test_fmt ("{\"apartment_id\": \"%s\"}", first_id), expected);
  assert_call (f, "list_all_apartments", NULL, app_test_fmt ("{\"%s\": %s}", first_id, expected));

  result = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "update_apartment",
                         app_test_fmt ("{\"apartment_id\": \"%s\", \"new_price\": 900}", first_id));
  app_test_assert_json (result, app_test_fmt ("\"%s\"", first_id));
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "get_apartment_details", app_test_fmt ("{\"apartment_id\": \"%s\"}", first_id));
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (result), "price"), ==, 900.0);

  g_clear_pointer (&result, json_node_unref);
  result = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "delete_apartment", app_test_fmt ("{\"apartment_id\": \"%s\"}", first_id));
  g_assert_true (JSON_NODE_HOLDS_NULL (result));
  assert_call (f, "list_all_apartments", NULL, "{}");

  call_fails (f, "get_apartment_details", "{\"apartment_id\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, "Apartment does not exist");
  call_fails (f, "update_apartment", "{\"apartment_id\": \"x\", \"new_price\": 1.0}", SIGMA_ERROR_TOOL_FAILED,
              "Apartment does not exist");
  call_fails (f, "delete_apartment", "{\"apartment_id\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, "Apartment does not exist.");
  call_fails (f, "add_new_apartment", "{\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": 1,"
                                      " \"number_of_bedrooms\": 1.5, \"number_of_bathrooms\": 1, \"square_footage\": 5}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_new_apartment': argument 'number_of_bedrooms' must be an integer, got number");
  call_fails (f, "add_new_apartment", "{\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": 1,"
                                      " \"number_of_bedrooms\": 1, \"number_of_bathrooms\": 1, \"square_footage\": 5,"
                                      " \"amenities\": [\"Gym\", 3]}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_new_apartment': argument 'amenities' must be an array of string, element 1 is integer");
}

static void
test_saved (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("save_apartment, remove_saved_apartment and list_saved_apartments, including "
                  "ARE's KeyError for a saved apartment that was deleted");

  app_test_load_state (f->app, LISTINGS);
  assert_ids (f, "list_saved_apartments", NULL, "a2");

  result = call_ok (f, "save_apartment", "{\"apartment_id\": \"a3\"}");
  g_assert_true (JSON_NODE_HOLDS_NULL (result));
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "save_apartment", "{\"apartment_id\": \"a2\"}");   /* already saved */
  assert_ids (f, "list_saved_apartments", NULL, "a2,a3");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "get_apartment_details", "{\"apartment_id\": \"a3\"}");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (result), "saved"));

  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "remove_saved_apartment", "{\"apartment_id\": \"a2\"}");
  g_assert_true (JSON_NODE_HOLDS_NULL (result));
  assert_ids (f, "list_saved_apartments", NULL, "a3");
  call_fails (f, "remove_saved_apartment", "{\"apartment_id\": \"a2\"}", SIGMA_ERROR_TOOL_FAILED,
              "Apartment not in saved list");
  call_fails (f, "save_apartment", "{\"apartment_id\": \"zz\"}", SIGMA_ERROR_TOOL_FAILED, "Apartment does not exist");

  /* Deleting a saved apartment leaves its id in the saved list. */
  g_clear_pointer (&result, json_node_unref);
  result = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "delete_apartment", "{\"apartment_id\": \"a3\"}");
  call_fails (f, "list_saved_apartments", NULL, SIGMA_ERROR_TOOL_FAILED, "'a3'");
  call_fails (f, "search_apartments", "{\"saved_only\": true}", SIGMA_ERROR_TOOL_FAILED, "'a3'");
  {
    g_autoptr(JsonNode) all = call_ok (f, "list_all_apartments", NULL);
    g_autofree char *all_text = json_to_string (all, FALSE);

    app_test_assert_state (f->app, app_test_fmt ("{\"apartments\": %s, \"saved_apartments\": [\"a3\"]}", all_text));
  }
  /* ... and such a state loads back. */
  {
    g_autoptr(JsonNode) state = sigma_app_get_state (f->app);
    sigma_app_load_state (f->app, state, &error);
    g_assert_no_error (error);
  }
  /* Removing it drops the id, then fails on the missing apartment. */
  call_fails (f, "remove_saved_apartment", "{\"apartment_id\": \"a3\"}", SIGMA_ERROR_TOOL_FAILED, "'a3'");
  assert_ids (f, "list_saved_apartments", NULL, "");
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_test_summary ("search_apartments applies ARE's filters: truthy criteria only, case-insensitive "
                  "text, optional fields that pass when empty, all amenities, saved_only");

  app_test_load_state (f->app, LISTINGS);

  assert_ids (f, "search_apartments", NULL, "a1,a2,a3");
  assert_ids (f, "search_apartments", "{\"min_price\": 1500}", "a1,a3");
  assert_ids (f, "search_apartments", "{\"max_price\": 1500.5, \"min_price\": 0}", "a2,a3");
  assert_ids (f, "search_apartments", "{\"number_of_bedrooms\": 2}", "a1");
  assert_ids (f, "search_apartments", "{\"number_of_bedrooms\": 0, \"number_of_bathrooms\": 1}", "a1,a2");
  assert_ids (f, "search_apartments", "{\"square_footage\": 900}", "a1,a3");
  assert_ids (f, "search_apartments", "{\"zip_code\": \"B4 6TB\"}", "a2");
  assert_ids (f, "search_apartments", "{\"zip_code\": \"b4 6tb\"}", "");
  assert_ids (f, "search_apartments", "{\"zip_code\": \"\"}", "a1,a2,a3");
  assert_ids (f, "search_apartments", "{\"floor_level\": \"Ground floor\"}", "a2");
  assert_ids (f, "search_apartments", "{\"name\": \"GLASGOW\"}", "a3");
  assert_ids (f, "search_apartments", "{\"location\": \"st, \"}", "a1,a2,a3");
  assert_ids (f, "search_apartments", "{\"property_type\": \"condo\"}", "a2");
  assert_ids (f, "search_apartments", "{\"property_type\": \"Cond\"}", "");
  /* a3 has no furnishing, pet or lease value, so it passes those filters. */
  assert_ids (f, "search_apartments", "{\"furnished_status\": \"furnished\"}", "a1,a3");
  assert_ids (f, "search_apartments", "{\"pet_policy\": \"CATS ALLOWED\"}", "a2,a3");
  assert_ids (f, "search_apartments", "{\"lease_term\": \"1 YEAR\"}", "a1,a3");
  assert_ids (f, "search_apartments", "{\"amenities\": [\"LAUNDRY\"]}", "a1,a3");
  assert_ids (f, "search_apartments", "{\"amenities\": [\"laundry\", \"gym\"]}", "a1");
  assert_ids (f, "search_apartments", "{\"amenities\": []}", "a1,a2,a3");
  assert_ids (f, "search_apartments", "{\"saved_only\": true}", "a2");
  assert_ids (f, "search_apartments", "{\"saved_only\": true, \"min_price\": 2000}", "");

  call_fails (f, "search_apartments", "{\"min_price\": \"cheap\"}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'search_apartments': argument 'min_price' must be a number, got string");
  call_fails (f, "search_apartments", "{\"rooms\": 2}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'search_apartments' got an unknown argument 'rooms'");
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  g_autoptr(JsonNode) result = NULL;
  SigmaCompletedEvent *event;
  guint n;

  g_test_summary ("Calls through the environment are logged, with every argument defaulted");

  app_test_load_state (f->app, LISTINGS);
  n = sigma_event_log_get_length (log);
  result = call_ok (f, "search_apartments", "{\"name\": \"london\"}");
  g_assert_cmpuint (sigma_event_log_get_length (log), ==, n + 1);
  event = sigma_event_log_get (log, n);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "RentAFlat");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "search_apartments");
  g_assert_cmpuint (json_object_get_size (sigma_completed_event_get_args (event)), ==, 15);
  g_assert_false (json_object_get_boolean_member (sigma_completed_event_get_args (event), "saved_only"));
  g_assert_true (json_node_equal (sigma_completed_event_get_return_value (event), result));
}

static void
test_notifications (Fixture       *f,
                    gconstpointer  data)
{
  static const SigmaVerbosity levels[] = { SIGMA_VERBOSITY_LOW, SIGMA_VERBOSITY_MEDIUM, SIGMA_VERBOSITY_HIGH };
  SigmaNotificationSystem *notifications = sigma_environment_get_notifications (f->env);

  g_test_summary ("add_new_apartment notifies at HIGH only, with the ARE class name");

  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autoptr(JsonNode) id = NULL;
      guint before = sigma_notification_system_get_n_pending (notifications);

      sigma_notification_system_set_verbosity (notifications, levels[i]);
      id = call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "add_new_apartment",
                         "{\"name\": \"Cardiff Cove\", \"location\": \"Cardiff\", \"zip_code\": \"CF10\", \"price\": 800.0,"
                         " \"number_of_bedrooms\": 1, \"number_of_bathrooms\": 1, \"square_footage\": 450}");
      json_node_unref (call_ok (f, "save_apartment", app_test_fmt ("{\"apartment_id\": \"%s\"}", json_node_get_string (id))));
      json_node_unref (call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "update_apartment",
                                     app_test_fmt ("{\"apartment_id\": \"%s\", \"new_price\": 1.0}", json_node_get_string (id))));
      if (levels[i] < SIGMA_VERBOSITY_HIGH)
        g_assert_cmpuint (sigma_notification_system_get_n_pending (notifications), ==, before);
      else
        {
          g_autoptr(GPtrArray) pending = sigma_notification_system_list_pending (notifications);

          g_assert_cmpuint (pending->len, ==, before + 1);
          g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, pending->len - 1)), ==,
                           "RentAFlat: New apartment available with name Cardiff Cove");
        }
    }
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("load_state fills ARE's defaults, takes ids from the keys and marks saved "
                  "apartments; get_state is a fixed point; reset empties the app");

  app_test_load_state (f->app, "{\"apartments\": {\"k1\": {\"name\": \"N\", \"location\": \"L\", \"zip_code\": \"Z\", \"price\": 10,"
                               " \"bedrooms\": 1, \"bathrooms\": 1.5, \"property_type\": \"Flat\", \"square_footage\": 30,"
                               " \"apartment_id\": \"other\", \"pet_policy\": null, \"amenities\": null},"
                               " \"k2\": {\"name\": \"M\", \"location\": \"L\", \"zip_code\": \"Z\", \"price\": 11.5,"
                               " \"bedrooms\": 2, \"bathrooms\": 1, \"property_type\": \"Flat\", \"square_footage\": 40, \"saved\": true}},"
                               " \"saved_apartments\": [\"k1\"]}");
  app_test_assert_state (f->app, "{\"apartments\": {\"k1\": {\"name\": \"N\", \"location\": \"L\", \"zip_code\": \"Z\", \"price\": 10,"
                                 " \"bedrooms\": 1, \"bathrooms\": 1.5, \"property_type\": \"Flat\", \"square_footage\": 30,"
                                 " \"furnished_status\": \"\", \"floor_level\": \"\", \"pet_policy\": null, \"lease_term\": \"\","
                                 " \"apartment_id\": \"k1\", \"amenities\": null, \"saved\": true},"
                                 " \"k2\": {\"name\": \"M\", \"location\": \"L\", \"zip_code\": \"Z\", \"price\": 11.5,"
                                 " \"bedrooms\": 2, \"bathrooms\": 1, \"property_type\": \"Flat\", \"square_footage\": 40,"
                                 " \"furnished_status\": \"\", \"floor_level\": \"\", \"pet_policy\": \"\", \"lease_term\": \"\","
                                 " \"apartment_id\": \"k2\", \"amenities\": [], \"saved\": true}},"
                                 " \"saved_apartments\": [\"k1\"]}");

  json_node_unref (call_type_ok (f, SIGMA_EVENT_TYPE_ENV, "add_new_apartment",
                                 "{\"name\": \"O\", \"location\": \"L\", \"zip_code\": \"Z\", \"price\": 5,"
                                 " \"number_of_bedrooms\": 1, \"number_of_bathrooms\": 1, \"square_footage\": 9,"
                                 " \"amenities\": [\"Lift\"]}"));
  app_test_assert_fixed_point (f->app);

  app_test_load_state (f->app, "{}");
  app_test_assert_state (f->app, "{\"apartments\": {}, \"saved_apartments\": []}");
  app_test_load_state (f->app, LISTINGS);
  sigma_app_reset (f->app);
  app_test_assert_state (f->app, "{\"apartments\": {}, \"saved_apartments\": []}");
}

static void
test_malformed_state (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "[]", "RentAFlat: app_state must be a JSON object" },
    { "{\"apartments\": []}", "RentAFlat: app_state.apartments: expected an object" },
    { "{\"apartments\": {\"a\": 1}}", "RentAFlat: app_state.apartments.a: expected an object" },
    { "{\"apartments\": {\"a\": {\"name\": \"n\"}}}", "RentAFlat: app_state.apartments.a.location: missing (expected a string)" },
    { "{\"apartments\": {\"a\": {\"name\": \"n\", \"location\": \"l\", \"zip_code\": 12345}}}",
      "RentAFlat: app_state.apartments.a.zip_code: expected a string" },
    { "{\"apartments\": {\"a\": {\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": \"1\"}}}",
      "RentAFlat: app_state.apartments.a.price: expected a number" },
    { "{\"apartments\": {\"a\": {\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": 1,"
      " \"bedrooms\": 1, \"bathrooms\": 1, \"property_type\": \"p\", \"square_footage\": 1, \"view\": \"sea\"}}}",
      "RentAFlat: app_state.apartments.a.view: unexpected field" },
    { "{\"apartments\": {\"a\": {\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": 1,"
      " \"bedrooms\": 1, \"bathrooms\": 1, \"property_type\": \"p\", \"square_footage\": 1, \"amenities\": [1]}}}",
      "RentAFlat: app_state.apartments.a.amenities[0]: expected a string" },
    { "{\"apartments\": {\"a\": {\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": 1,"
      " \"bedrooms\": 1, \"bathrooms\": 1, \"property_type\": \"p\", \"square_footage\": 1, \"saved\": \"no\"}}}",
      "RentAFlat: app_state.apartments.a.saved: expected a boolean" },
    { "{\"saved_apartments\": {}}", "RentAFlat: app_state.saved_apartments: expected an array" },
    { "{\"saved_apartments\": [7]}", "RentAFlat: app_state.saved_apartments[0]: expected a string" },
  };

  g_test_summary ("A malformed state is INVALID_DATA naming the app and the JSON path; the app "
                  "is left empty");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      app_test_load_state (f->app, LISTINGS);
      app_test_assert_load_fails (f->app, cases[i].state, cases[i].message);
      app_test_assert_state (f->app, "{\"apartments\": {}, \"saved_apartments\": []}");
    }
}

static void
test_lenient (Fixture       *f,
              gconstpointer  data)
{
  g_test_summary ("In lenient mode a malformed apartment or saved id is skipped with a warning");

  if (app_test_lenient_subprocess ("*RentAFlat: app_state.apartments.bad.name: expected a string (skipped)*"
                                   "RentAFlat: app_state.saved_apartments[1]: expected a string (skipped)*"))
    {
      app_test_load_lenient (f->app,
        "{\"apartments\": {\"bad\": {\"name\": 1}, "
        APT ("a2", "B", "C", "D", "1", "1", "1", "Condo", "6", "", "", "", "", "[]") "}},"
        " \"saved_apartments\": [\"a2\", false]}");
      assert_ids (f, "list_all_apartments", NULL, "a2");
      assert_ids (f, "list_saved_apartments", NULL, "a2");
    }
}

static char *
add_with_seed (guint64 seed)
{
  const char *args = "{\"name\": \"n\", \"location\": \"l\", \"zip_code\": \"z\", \"price\": 1.0,"
                     " \"number_of_bedrooms\": 1, \"number_of_bathrooms\": 1, \"square_footage\": 5}";
  g_auto(AppTestFixture) flats = { NULL, NULL };
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;

  app_test_fixture_init (&flats, "RentAFlat", NULL, 0, seed);
  first = app_test_call_ok (flats.env, "RentAFlat", SIGMA_EVENT_TYPE_ENV, "add_new_apartment", args);
  second = app_test_call_ok (flats.env, "RentAFlat", SIGMA_EVENT_TYPE_ENV, "add_new_apartment", args);
  return g_strdup_printf ("%s %s", json_node_get_string (first), json_node_get_string (second));
}

static void
test_determinism (void)
{
  g_autofree char *a = add_with_seed (3);
  g_autofree char *b = add_with_seed (3);
  g_autofree char *c = add_with_seed (4);

  g_test_summary ("The same seed gives the same apartment ids; another seed others");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

/* ------------------------------------------------------------------------------------ */
/* Corpus: every RentAFlat app_state of the real data loads, and get_state gives it back.    */

/* What ARE's own export gives for a state: Gaia2 apartments carry no "saved" member, which
 * ARE's dataclass adds (true for the ids in saved_apartments, else false); an empty state
 * (PARE's) comes back with both members. Everything else must come back as it is. */
static JsonNode *
expected_export (JsonNode *state)
{
  g_autofree char *text = json_to_string (state, FALSE);
  JsonNode *copy = json_from_string (text, NULL);
  JsonObject *root = json_node_get_object (copy);
  JsonObjectIter iter;
  const char *id;
  JsonNode *apartment;
  JsonArray *saved;

  if (!json_object_has_member (root, "apartments"))
    json_object_set_object_member (root, "apartments", json_object_new ());
  if (!json_object_has_member (root, "saved_apartments"))
    json_object_set_array_member (root, "saved_apartments", json_array_new ());
  saved = json_object_get_array_member (root, "saved_apartments");

  json_object_iter_init_ordered (&iter, json_object_get_object_member (root, "apartments"));
  while (json_object_iter_next_ordered (&iter, &id, &apartment))
    {
      gboolean is_saved = FALSE;

      for (guint i = 0; i < json_array_get_length (saved); i++)
        is_saved |= g_str_equal (json_array_get_string_element (saved, i), id);
      if (!json_object_has_member (json_node_get_object (apartment), "saved"))
        json_object_set_boolean_member (json_node_get_object (apartment), "saved", is_saved);
    }
  return copy;
}

static void
test_corpus (void)
{
  static const char * const classes[] = { "RentAFlat", "ApartmentListingApp", NULL };

  g_test_summary ("Every RentAFlat app_state of the Gaia2 and PARE data loads and round-trips");

  /* PARE's augmentation data has an empty RentAFlat state. */
  app_test_corpus_check_exports (classes, expected_export, 1, 1, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sigma/apps/apartment/" path, Fixture, NULL, fixture_set_up, func, app_test_fixture_tear_down)

  g_test_add_func ("/sigma/apps/apartment/create", test_create);
  ADD ("listings", test_listings);
  ADD ("saved", test_saved);
  ADD ("search", test_search);
  ADD ("log", test_log);
  ADD ("notifications", test_notifications);
  ADD ("round-trip", test_round_trip);
  ADD ("malformed-state", test_malformed_state);
  ADD ("lenient", test_lenient);
  g_test_add_func ("/sigma/apps/apartment/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/apartment/corpus", test_corpus);

#undef ADD

  return g_test_run ();
}
