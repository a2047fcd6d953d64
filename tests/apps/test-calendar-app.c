/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

/* Monday, 2024-10-14 09:00:00 UTC: the simulated time the tests start at. */
#define T0            1728896400.0
#define MIDNIGHT      1728864000.0   /* 2024-10-14 00:00:00 */
#define SEED          42
#define BAD_DATETIME  "Invalid datetime format. Please use YYYY-MM-DD HH:MM:SS"

typedef AppTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  app_test_fixture_init (f, data != NULL ? data : "Calendar", NULL, T0, SEED);
}

/* Calls a tool of the fixture's app through the environment, as the agent. */
static JsonNode *
call (Fixture     *f,
      const char  *tool,
      const char  *args_json,
      GError     **error)
{
  return app_test_call (f->env, sigma_app_get_name (f->app), SIGMA_EVENT_TYPE_AGENT, tool, args_json, error);
}

static JsonNode *
call_as (Fixture        *f,
         const char     *tool,
         const char     *args_json,
         SigmaEventType  type,
         GError        **error)
{
  return app_test_call (f->env, sigma_app_get_name (f->app), type, tool, args_json, error);
}

static JsonNode *
call_ok (Fixture    *f,
         const char *tool,
         const char *args_json)
{
  return app_test_call_ok (f->env, sigma_app_get_name (f->app), SIGMA_EVENT_TYPE_AGENT, tool, args_json);
}

static void
call_fails (Fixture    *f,
            const char *tool,
            const char *args_json,
            gint        code,
            const char *message)
{
  app_test_call_fails (f->env, sigma_app_get_name (f->app), SIGMA_EVENT_TYPE_AGENT, tool, args_json, code, message);
}

static char *
add_event (Fixture    *f,
           const char *args_json)
{
  g_autoptr(JsonNode) id = call_ok (f, "add_calendar_event", args_json);

  return g_strdup (json_node_get_string (id));
}

static char *
expected_id (const char *name,
             guint       index)
{
  return app_test_seeded_id (SEED, name, index);
}

/* Two events on Monday 2024-10-14 plus one on the day before and one the day after. */
static const char sample_state[] =
  "{\"events\": {"
  "\"e1\": {\"event_id\": \"e1\", \"title\": \"Team Meeting\", \"start_datetime\": 1728900000,"
  " \"end_datetime\": 1728903600, \"tag\": \"Work\", \"description\": \"Weekly sync\","
  " \"location\": \"Room 1\", \"attendees\": [\"Ana Lima\", \"Bo Chen\"],"
  " \"start_strftime\": \"Monday, 2024-10-14 10:00:00\", \"end_strftime\": \"Monday, 2024-10-14 11:00:00\"},"
  "\"e2\": {\"event_id\": \"e2\", \"title\": \"Lunch\", \"start_datetime\": 1728907200.5,"
  " \"end_datetime\": 1728910800.0, \"tag\": null, \"description\": null, \"location\": \"Cafe\","
  " \"attendees\": [], \"start_strftime\": \"Monday, 2024-10-14 12:00:00\", \"end_strftime\": \"Monday, 2024-10-14 13:00:00\"},"
  "\"e0\": {\"event_id\": \"e0\", \"title\": \"Late call\", \"start_datetime\": 1728860400,"
  " \"end_datetime\": 1728864000, \"tag\": \"Work\", \"description\": \"\", \"location\": null,"
  " \"attendees\": [\"Bo Chen\"], \"start_strftime\": \"Sunday, 2024-10-13 23:00:00\", \"end_strftime\": \"Monday, 2024-10-14 00:00:00\"},"
  "\"e3\": {\"event_id\": \"e3\", \"title\": \"Dentist\", \"start_datetime\": 1728950400,"
  " \"end_datetime\": 1728952200, \"tag\": \"Personal\", \"description\": \"Check-up\", \"location\": null,"
  " \"attendees\": [], \"start_strftime\": \"Tuesday, 2024-10-15 00:00:00\", \"end_strftime\": \"Tuesday, 2024-10-15 00:30:00\"}"
  "}}";

/* ------------------------------------------------------------------------------------ */

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("CalendarApp", NULL, &error);
  g_autoptr(SigmaApp) named = sigma_calendar_app_new (NULL);

  g_test_summary ("The app is created from its ARE class names, with ARE's default names");

  g_assert_no_error (error);
  g_assert_nonnull (app);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "CalendarApp");
  g_assert_cmpstr (sigma_app_get_name (named), ==, "CalendarApp");
  g_clear_object (&app);
  app = sigma_apps_create ("Calendar", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sigma_app_get_name (app), ==, "Calendar");
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "Calendar");
}

static void
test_tools (void)
{
  static const struct { const char *name; SigmaToolRole roles; SigmaToolOperation op; } expected[] = {
    { "add_calendar_event", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "add_calendar_event_by_attendee", SIGMA_TOOL_ROLE_ENV | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "get_calendar_event", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ },
    { "delete_calendar_event_by_attendee", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE },
    { "delete_calendar_event", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "get_calendar_events_from_to", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ },
    { "read_today_calendar_events", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ },
    { "get_all_tags", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ },
    { "get_calendar_events_by_tag", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ },
    { "search_events", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
  };
  static const char * const add_params[] = {
    "title", "start_datetime", "end_datetime", "tag", "description", "location", "attendees",
  };
  g_autoptr(SigmaApp) app = sigma_calendar_app_new ("Calendar");
  g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  SigmaTool *tool;

  g_test_summary ("Every ARE calendar tool exists in ARE's order, with its roles and operation "
                  "(every edit is a WRITE), parameters, order and defaults");

  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < tools->len; i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpstr (sigma_tool_get_name (tool), ==, expected[i].name);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, expected[i].roles);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, expected[i].op);
      g_assert_cmpstr (sigma_tool_get_description (tool), !=, "");
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        g_assert_cmpstr (sigma_tool_get_parameter_description (tool, p), !=, "");
    }

  tool = sigma_app_lookup_tool (app, "add_calendar_event");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, G_N_ELEMENTS (add_params));
  for (guint p = 0; p < G_N_ELEMENTS (add_params); p++)
    {
      g_assert_cmpstr (sigma_tool_get_parameter_name (tool, p), ==, add_params[p]);
      g_assert_false (sigma_tool_get_parameter_required (tool, p));
    }
  g_assert_cmpstr (json_node_get_string (sigma_tool_get_parameter_default (tool, 0)), ==, "Event");

  tool = sigma_app_lookup_tool (app, "add_calendar_event_by_attendee");
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 0), ==, "who_add");
  g_assert_true (sigma_tool_get_parameter_required (tool, 0));

  tool = sigma_app_lookup_tool (app, "get_calendar_events_from_to");
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 2), ==, "offset");
  g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (tool, 2)), ==, 0);
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 3), ==, "limit");
  g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (tool, 3)), ==, 10);
}

static void
test_add_event (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *want0 = expected_id ("Calendar", 0);
  g_autoptr(JsonNode) event = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("add_calendar_event stores the event under an id from the app rng and returns it");

  id = add_event (f, "{\"title\": \"Review\", \"start_datetime\": \"2024-10-14 10:00:00\","
                     " \"end_datetime\": \"2024-10-14 11:30:00\", \"tag\": \"Work\","
                     " \"description\": \"Quarterly\", \"location\": \"Room 2\","
                     " \"attendees\": [\"Ana Lima\"]}");
  g_assert_cmpstr (id, ==, want0);

  expected = g_strdup_printf ("{\"event_id\": \"%s\"}", id);
  event = call_ok (f, "get_calendar_event", expected);
  g_free (expected);
  expected = g_strdup_printf ("{\"event_id\": \"%s\", \"title\": \"Review\", \"start_datetime\": 1728900000.0,"
                              " \"end_datetime\": 1728905400.0, \"tag\": \"Work\", \"description\": \"Quarterly\","
                              " \"location\": \"Room 2\", \"attendees\": [\"Ana Lima\"],"
                              " \"start_strftime\": \"Monday, 2024-10-14 10:00:00\","
                              " \"end_strftime\": \"Monday, 2024-10-14 11:30:00\"}", id);
  app_test_assert_json (event, expected);
}

static void
test_add_event_defaults (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *args = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("add_calendar_event without arguments: title \"Event\", from now (to the second) "
                  "for one hour, no tag, description or location, no attendees");

  sigma_environment_advance (f->env, 0.75, &error);
  g_assert_no_error (error);
  id = add_event (f, "{}");
  args = g_strdup_printf ("{\"event_id\": \"%s\"}", id);
  event = call_ok (f, "get_calendar_event", args);
  expected = g_strdup_printf ("{\"event_id\": \"%s\", \"title\": \"Event\", \"start_datetime\": 1728896400.0,"
                              " \"end_datetime\": 1728900000.0, \"tag\": null, \"description\": null,"
                              " \"location\": null, \"attendees\": [],"
                              " \"start_strftime\": \"Monday, 2024-10-14 09:00:00\","
                              " \"end_strftime\": \"Monday, 2024-10-14 10:00:00\"}", id);
  app_test_assert_json (event, expected);
}

static void
test_add_event_lenient_dates (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *args = NULL;
  g_autoptr(JsonNode) event = NULL;
  JsonObject *obj;

  g_test_summary ("Dates are parsed with Python strptime's leniency: one-digit fields, runs of "
                  "spaces; an event may start and end at the same time");

  id = add_event (f, "{\"start_datetime\": \"2024-10-14  9:5:7\", \"end_datetime\": \"2024-10-14 09:05:07\"}");
  args = g_strdup_printf ("{\"event_id\": \"%s\"}", id);
  event = call_ok (f, "get_calendar_event", args);
  obj = json_node_get_object (event);
  g_assert_cmpfloat (json_object_get_double_member (obj, "start_datetime"), ==, T0 + 5 * 60 + 7);
  g_assert_cmpfloat (json_object_get_double_member (obj, "end_datetime"), ==, T0 + 5 * 60 + 7);
}

static void
test_add_event_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *next = NULL;
  g_autofree char *want = expected_id ("Calendar", 3);

  g_test_summary ("add_calendar_event rejects malformed dates and a start after the end with "
                  "ARE's messages, after drawing the id as ARE does");

  call_fails (f, "add_calendar_event", "{\"start_datetime\": \"2024-10-14T10:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, BAD_DATETIME);
  call_fails (f, "add_calendar_event", "{\"end_datetime\": \"2024-02-30 10:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, BAD_DATETIME);
  call_fails (f, "add_calendar_event",
              "{\"start_datetime\": \"2024-10-14 11:00:00\", \"end_datetime\": \"2024-10-14 10:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, "Start time cannot be after end time.");
  call_fails (f, "add_calendar_event", "{\"attendees\": [1]}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_calendar_event': argument 'attendees' must be an array of string, element 0 is integer");
  g_assert_cmpuint (app_test_state_size (f->app, "events"), ==, 0);

  /* three failed calls drew three ids; the fourth call gets the fourth id */
  next = add_event (f, "{}");
  g_assert_cmpstr (next, ==, want);
}

static void
test_add_event_same_id (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *want = expected_id ("Calendar", 0);
  g_autofree char *state = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonObjectIter iter;
  const char *key;
  guint position = 0;

  g_test_summary ("An added event whose id is already a key replaces that event in place, as a "
                  "Python dict assignment does");

  state = g_strdup_printf ("{\"events\": {\"a\": {\"event_id\": \"a\", \"start_datetime\": 1, \"end_datetime\": 2},"
                           " \"%s\": {\"event_id\": \"old\", \"title\": \"Old\", \"start_datetime\": 1, \"end_datetime\": 2},"
                           " \"b\": {\"event_id\": \"b\", \"start_datetime\": 1, \"end_datetime\": 2}}}", want);
  app_test_load_state (f->app, state);
  id = add_event (f, "{\"title\": \"New\"}");
  g_assert_cmpstr (id, ==, want);

  saved = sigma_app_get_state (f->app);
  json_object_iter_init_ordered (&iter, json_object_get_object_member (json_node_get_object (saved), "events"));
  while (json_object_iter_next_ordered (&iter, &key, NULL))
    {
      if (position == 1)
        g_assert_cmpstr (key, ==, want);
      position++;
    }
  g_assert_cmpuint (position, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (json_node_get_object (saved), "events"), want), "title"), ==, "New");
}

static void
test_add_by_attendee (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) id = NULL;
  g_autoptr(JsonNode) id2 = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("add_calendar_event_by_attendee adds the creator to the attendees once and "
                  "names them in the title and description");

  id = call_as (f, "add_calendar_event_by_attendee",
                "{\"who_add\": \"Bo Chen\", \"title\": \"Sync\", \"start_datetime\": \"2024-10-14 10:00:00\","
                " \"end_datetime\": \"2024-10-14 10:30:00\", \"description\": \"Plans\", \"attendees\": [\"Ana Lima\"]}",
                SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  args = g_strdup_printf ("{\"event_id\": \"%s\"}", json_node_get_string (id));
  event = call_ok (f, "get_calendar_event", args);
  expected = g_strdup_printf ("{\"event_id\": \"%s\", \"title\": \"Event created by Bo Chen: Sync\","
                              " \"start_datetime\": 1728900000.0, \"end_datetime\": 1728901800.0, \"tag\": null,"
                              " \"description\": \"Event created by Bo Chen: Plans\", \"location\": null,"
                              " \"attendees\": [\"Ana Lima\", \"Bo Chen\"],"
                              " \"start_strftime\": \"Monday, 2024-10-14 10:00:00\","
                              " \"end_strftime\": \"Monday, 2024-10-14 10:30:00\"}", json_node_get_string (id));
  app_test_assert_json (event, expected);

  /* creator already listed, empty description, default title */
  id2 = call_as (f, "add_calendar_event_by_attendee",
                 "{\"who_add\": \"Bo Chen\", \"description\": \"\", \"attendees\": [\"Bo Chen\"]}",
                 SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  g_free (args);
  args = g_strdup_printf ("{\"event_id\": \"%s\"}", json_node_get_string (id2));
  g_clear_pointer (&event, json_node_unref);
  event = call_ok (f, "get_calendar_event", args);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event), "title"), ==,
                   "Event created by Bo Chen: Event");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event), "description"), ==,
                   "Event created by Bo Chen");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (event), "attendees")), ==, 1);

  call_fails (f, "add_calendar_event_by_attendee", "{\"who_add\": \"X\", \"start_datetime\": \"soon\"}",
              SIGMA_ERROR_TOOL_FAILED, BAD_DATETIME);
  call_fails (f, "add_calendar_event_by_attendee",
              "{\"who_add\": \"X\", \"start_datetime\": \"2024-10-14 12:00:00\", \"end_datetime\": \"2024-10-14 11:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, "Start time cannot be after end time.");
  call_fails (f, "add_calendar_event_by_attendee", "{}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_calendar_event_by_attendee' is missing the required argument 'who_add'");
}

static void
test_get_event (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) event = NULL;

  g_test_summary ("get_calendar_event returns the stored event; an unknown id is ARE's error");

  app_test_load_state (f->app, sample_state);
  event = call_ok (f, "get_calendar_event", "{\"event_id\": \"e2\"}");
  app_test_assert_json (event,
                        "{\"event_id\": \"e2\", \"title\": \"Lunch\", \"start_datetime\": 1728907200.5,"
                        " \"end_datetime\": 1728910800.0, \"tag\": null, \"description\": null, \"location\": \"Cafe\","
                        " \"attendees\": [], \"start_strftime\": \"Monday, 2024-10-14 12:00:00\","
                        " \"end_strftime\": \"Monday, 2024-10-14 13:00:00\"}");
  call_fails (f, "get_calendar_event", "{\"event_id\": \"nope\"}", SIGMA_ERROR_TOOL_FAILED,
              "Calendar Event with id nope does not exist.");
}

static void
test_delete_event (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("delete_calendar_event removes the event and confirms; an unknown id is ARE's error");

  app_test_load_state (f->app, sample_state);
  result = call_ok (f, "delete_calendar_event", "{\"event_id\": \"e1\"}");
  app_test_assert_json (result, "\"Event e1 successfully deleted.\"");
  g_assert_cmpuint (app_test_state_size (f->app, "events"), ==, 3);
  call_fails (f, "delete_calendar_event", "{\"event_id\": \"e1\"}", SIGMA_ERROR_TOOL_FAILED,
              "Calendar Event with id e1 does not exist.");
  call_fails (f, "get_calendar_event", "{\"event_id\": \"e1\"}", SIGMA_ERROR_TOOL_FAILED,
              "Calendar Event with id e1 does not exist.");
}

static void
test_delete_by_attendee (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("delete_calendar_event_by_attendee needs an attendee (exact name); its errors are ARE's");

  app_test_load_state (f->app, sample_state);
  call_fails (f, "delete_calendar_event_by_attendee", "{\"event_id\": \"zz\", \"who_delete\": \"Bo Chen\"}",
              SIGMA_ERROR_TOOL_FAILED, "Calendar Event with id zz does not exist.");
  call_fails (f, "delete_calendar_event_by_attendee", "{\"event_id\": \"e1\", \"who_delete\": \"bo chen\"}",
              SIGMA_ERROR_TOOL_FAILED, "bo chen is not an attendee of the event.");
  result = call_as (f, "delete_calendar_event_by_attendee", "{\"event_id\": \"e1\", \"who_delete\": \"Bo Chen\"}",
                    SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  app_test_assert_json (result, "\"Event e1 successfully deleted by Bo Chen.\"");
  g_assert_cmpuint (app_test_state_size (f->app, "events"), ==, 3);
}

static void
test_events_from_to (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  JsonArray *events;

  g_test_summary ("get_calendar_events_from_to keeps strictly overlapping events in insertion "
                  "order and pages them as ARE does");

  app_test_load_state (f->app, sample_state);

  /* the whole Monday: e0 only touches midnight and e3 starts at the next midnight */
  result = call_ok (f, "get_calendar_events_from_to",
                    "{\"start_datetime\": \"2024-10-14 00:00:00\", \"end_datetime\": \"2024-10-15 00:00:00\"}");
  events = json_object_get_array_member (json_node_get_object (result), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "event_id"), ==, "e1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1), "event_id"), ==, "e2");
  app_test_assert_json (json_object_get_member (json_node_get_object (result), "range"), "[0, 2]");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "total"), ==, 2);
  g_clear_pointer (&result, json_node_unref);

  /* a wider range, in dict order (e1, e2, e0, e3), second page */
  result = call_ok (f, "get_calendar_events_from_to",
                    "{\"start_datetime\": \"2024-10-13 00:00:00\", \"end_datetime\": \"2024-10-16 00:00:00\","
                    " \"offset\": 1, \"limit\": 2}");
  events = json_object_get_array_member (json_node_get_object (result), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "event_id"), ==, "e2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1), "event_id"), ==, "e0");
  app_test_assert_json (json_object_get_member (json_node_get_object (result), "range"), "[1, 3]");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "total"), ==, 4);
  g_clear_pointer (&result, json_node_unref);

  /* past the end: empty page, range (offset, total) */
  result = call_ok (f, "get_calendar_events_from_to",
                    "{\"start_datetime\": \"2024-10-13 00:00:00\", \"end_datetime\": \"2024-10-16 00:00:00\","
                    " \"offset\": 7, \"limit\": 0}");
  app_test_assert_json (result, "{\"events\": [], \"range\": [7, 4], \"total\": 4}");
  g_clear_pointer (&result, json_node_unref);

  /* an empty range at an instant inside e1 */
  result = call_ok (f, "get_calendar_events_from_to",
                    "{\"start_datetime\": \"2024-10-14 10:30:00\", \"end_datetime\": \"2024-10-14 10:30:00\"}");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "total"), ==, 1);
}

static void
test_events_from_to_errors (Fixture       *f,
                            gconstpointer  data)
{
  g_test_summary ("get_calendar_events_from_to: ARE's date errors, and Sigma's offset/limit checks");

  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-14\", \"end_datetime\": \"2024-10-15 00:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, BAD_DATETIME);
  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-14 00:00:00\", \"end_datetime\": \"2024-10-15 00:00:00 \"}",
              SIGMA_ERROR_TOOL_FAILED, BAD_DATETIME);
  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-15 00:00:00\", \"end_datetime\": \"2024-10-14 00:00:00\"}",
              SIGMA_ERROR_TOOL_FAILED, "Start time cannot be after end time.");
  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-14 00:00:00\", \"end_datetime\": \"2024-10-15 00:00:00\", \"offset\": -1}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_calendar_events_from_to': argument 'offset' must be non-negative, got -1");
  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-14 00:00:00\", \"end_datetime\": \"2024-10-15 00:00:00\", \"limit\": -5}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_calendar_events_from_to': argument 'limit' must be between 0 and 1000, got -5");
  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-14 00:00:00\", \"end_datetime\": \"2024-10-15 00:00:00\", \"limit\": 1001}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_calendar_events_from_to': argument 'limit' must be between 0 and 1000, got 1001");
  call_fails (f, "get_calendar_events_from_to",
              "{\"start_datetime\": \"2024-10-14 00:00:00\", \"end_datetime\": \"2024-10-15 00:00:00\", \"limit\": 2.5}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_calendar_events_from_to': argument 'limit' must be an integer, got number");
}

static void
test_read_today (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  SigmaCompletedEvent *last;
  guint before;

  g_test_summary ("read_today_calendar_events lists the first 10 events of the UTC day of now, "
                  "logged as one event (no separate nested event)");

  app_test_load_state (f->app, sample_state);
  for (guint i = 0; i < 11; i++)
    {
      g_autofree char *id = add_event (f, "{\"start_datetime\": \"2024-10-14 20:00:00\","
                                          " \"end_datetime\": \"2024-10-14 21:00:00\"}");
      g_assert_nonnull (id);
    }

  before = sigma_event_log_get_length (log);
  result = call_ok (f, "read_today_calendar_events", NULL);
  g_assert_cmpuint (sigma_event_log_get_length (log), ==, before + 1);
  last = sigma_event_log_get (log, before);
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, "read_today_calendar_events");

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (result), "events")), ==, 10);
  app_test_assert_json (json_object_get_member (json_node_get_object (result), "range"), "[0, 10]");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "total"), ==, 13);
  g_clear_pointer (&result, json_node_unref);

  /* the next day at 23:59: only e3 */
  sigma_environment_advance (f->env, 86400 + 15 * 3600 - 60, &error);
  g_assert_no_error (error);
  result = call_ok (f, "read_today_calendar_events", NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "total"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (result), "events"), 0), "event_id"), ==, "e3");
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) tags = NULL;
  g_autoptr(JsonNode) work = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autofree char *id = NULL;

  g_test_summary ("get_all_tags lists distinct non-empty tags in first-seen order; "
                  "get_calendar_events_by_tag matches exactly and rejects an empty tag");

  app_test_load_state (f->app, sample_state);
  id = add_event (f, "{\"tag\": \"\"}");
  tags = call_ok (f, "get_all_tags", NULL);
  app_test_assert_json (tags, "[\"Work\", \"Personal\"]");

  work = call_ok (f, "get_calendar_events_by_tag", "{\"tag\": \"Work\"}");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (work)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (work), 0), "event_id"), ==, "e1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (work), 1), "event_id"), ==, "e0");
  none = call_ok (f, "get_calendar_events_by_tag", "{\"tag\": \"work\"}");
  app_test_assert_json (none, "[]");
  call_fails (f, "get_calendar_events_by_tag", "{\"tag\": \"\"}", SIGMA_ERROR_TOOL_FAILED, "Tag cannot be empty.");
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *query; const char *ids; } cases[] = {
    { "MEETING", "e1" },          /* title, any case */
    { "weekly", "e1" },           /* description */
    { "cafe", "e2" },             /* location */
    { "bo chen", "e1 e0" },       /* attendees */
    { "personal", "" },           /* not the tag */
    { "", "e1 e2 e0 e3" },        /* the empty string is in every title */
  };

  g_test_summary ("search_events matches the title, description, location and attendees "
                  "ignoring case, not the tag");

  app_test_load_state (f->app, sample_state);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *args = g_strdup_printf ("{\"query\": \"%s\"}", cases[i].query);
      g_autoptr(JsonNode) result = call_ok (f, "search_events", args);
      g_autofree char *ids = app_test_array_members (result, "event_id");

      g_assert_cmpstr (ids, ==, cases[i].ids);
    }
}

static void
test_state_round_trip (void)
{
  g_autoptr(SigmaApp) app = sigma_calendar_app_new ("Calendar");
  g_autoptr(SigmaApp) copy = sigma_calendar_app_new ("Calendar");

  g_test_summary ("get_state reproduces a loaded state exactly (keys, order, integer and float "
                  "times), and load_state(get_state()) is a fixed point");

  app_test_assert_state_round_trip (app, copy, sample_state);
}

static void
test_state_normalised (void)
{
  g_autoptr(SigmaApp) app = sigma_calendar_app_new ("Calendar");
  g_autoptr(JsonNode) state = NULL;
  JsonObject *events, *event;
  g_autofree char *id = app_test_seeded_id (0, "Calendar", 0);

  g_test_summary ("Loading fills ARE's defaults and recomputes the display strings; the dict "
                  "key stays the lookup key even when it differs from event_id");

  app_test_load_state (app, "{\"events\": {\"k1\": {\"event_id\": \"other\", \"start_datetime\": 0, \"end_datetime\": 60,"
                            " \"start_strftime\": \"stale\"},"
                            " \"k2\": {\"event_id\": \"\", \"start_datetime\": 0, \"end_datetime\": 0}}}");
  state = sigma_app_get_state (app);
  events = json_object_get_object_member (json_node_get_object (state), "events");
  event = json_object_get_object_member (events, "k1");
  g_assert_cmpstr (json_object_get_string_member (event, "event_id"), ==, "other");
  g_assert_cmpstr (json_object_get_string_member (event, "title"), ==, "Event");
  g_assert_true (json_object_get_null_member (event, "tag"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "attendees")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "start_strftime"), ==, "Thursday, 1970-01-01 00:00:00");
  g_assert_cmpstr (json_object_get_string_member (event, "end_strftime"), ==, "Thursday, 1970-01-01 00:01:00");

  /* an empty id is replaced by one from the app rng (seed 0 outside an environment) */
  event = json_object_get_object_member (events, "k2");
  g_assert_cmpstr (json_object_get_string_member (event, "event_id"), ==, id);
}

static void
test_load_replaces (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = NULL;

  g_test_summary ("load_state replaces every event; reset empties the calendar");

  id = add_event (f, "{}");
  app_test_load_state (f->app, sample_state);
  g_assert_cmpuint (app_test_state_size (f->app, "events"), ==, 4);
  app_test_load_state (f->app, "{\"events\": {}}");
  g_assert_cmpuint (app_test_state_size (f->app, "events"), ==, 0);
  app_test_load_state (f->app, sample_state);
  sigma_app_reset (f->app);
  g_assert_cmpuint (app_test_state_size (f->app, "events"), ==, 0);
}

static void
test_malformed_state (void)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "[]", "Calendar: app_state must be a JSON object" },
    { "{}", "Calendar: app_state.events: missing (expected an object)" },
    { "{\"events\": []}", "Calendar: app_state.events: expected an object" },
    { "{\"events\": {\"a\": 3}}", "Calendar: app_state.events.a: expected an object" },
    { "{\"events\": {\"a\": {\"end_datetime\": 5}}}",
      "Calendar: app_state.events.a.start_datetime: missing (expected a number)" },
    { "{\"events\": {\"a\": {\"start_datetime\": \"2024-10-14 10:00:00\", \"end_datetime\": 5}}}",
      "Calendar: app_state.events.a.start_datetime: expected a number" },
    { "{\"events\": {\"a\": {\"start_datetime\": 1e20, \"end_datetime\": 1e20}}}",
      "Calendar: app_state.events.a.start_datetime: 1e+20 is not a time between the years 1 and 9999" },
    { "{\"events\": {\"a\": {\"start_datetime\": 9, \"end_datetime\": 5}}}",
      "Calendar: app_state.events.a.start_datetime: Start time cannot be after end time." },
    { "{\"events\": {\"a\": {\"start_datetime\": 1, \"end_datetime\": 5, \"colour\": \"red\"}}}",
      "Calendar: app_state.events.a.colour: not a field of a calendar event" },
    { "{\"events\": {\"a\": {\"start_datetime\": 1, \"end_datetime\": 5, \"title\": null}}}",
      "Calendar: app_state.events.a.title: expected a string" },
    { "{\"events\": {\"a\": {\"start_datetime\": 1, \"end_datetime\": 5, \"tag\": 7}}}",
      "Calendar: app_state.events.a.tag: expected a string" },
    { "{\"events\": {\"a\": {\"start_datetime\": 1, \"end_datetime\": 5, \"attendees\": null}}}",
      "Calendar: app_state.events.a.attendees: expected an array" },
    { "{\"events\": {\"a\": {\"start_datetime\": 1, \"end_datetime\": 5, \"attendees\": [\"x\", 2]}}}",
      "Calendar: app_state.events.a.attendees[1]: expected a string" },
  };

  g_test_summary ("A malformed state is SIGMA_ERROR_INVALID_DATA naming the app and the field, "
                  "and leaves the app unchanged");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaApp) app = sigma_calendar_app_new ("Calendar");
      g_autoptr(JsonNode) after = NULL;

      app_test_load_state (app, sample_state);
      app_test_assert_load_fails (app, cases[i].state, cases[i].message);
      after = sigma_app_get_state (app);
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (after), "events")), ==, 4);
    }
}

static void
test_lenient_state (void)
{
  g_test_summary ("In lenient mode a malformed event is skipped with a warning and the others load "
                  "(ARE would lose every event after it)");

  if (app_test_lenient_subprocess ("*WARNING*Calendar: app_state.events.b.start_datetime: missing (expected a number) (skipped)*"))
    {
      g_autoptr(SigmaApp) app = sigma_calendar_app_new ("Calendar");
      g_autoptr(JsonNode) state = NULL;
      JsonObject *events;

      app_test_load_lenient (app, "{\"events\": {\"a\": {\"start_datetime\": 1, \"end_datetime\": 5},"
                                  " \"b\": {\"end_datetime\": 5}, \"c\": {\"start_datetime\": 2, \"end_datetime\": 3}}}");
      state = sigma_app_get_state (app);
      events = json_object_get_object_member (json_node_get_object (state), "events");
      g_assert_cmpuint (json_object_get_size (events), ==, 2);
      g_assert_true (json_object_has_member (events, "a"));
      g_assert_true (json_object_has_member (events, "c"));
    }
}

static void
check_notifications (const char     *class_name,
                     SigmaVerbosity  verbosity,
                     gboolean        expected)
{
  Fixture fixture = { NULL, NULL }, *f = &fixture;
  SigmaNotificationSystem *notifications;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) id = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *added = g_strdup_printf ("%s: New calendar event added by Bo Chen", class_name);
  g_autofree char *removed = g_strdup_printf ("%s: Calendar event deleted by Ana Lima", class_name);

  fixture_set_up (f, class_name);
  notifications = sigma_environment_get_notifications (f->env);
  sigma_notification_system_set_verbosity (notifications, verbosity);

  id = call_as (f, "add_calendar_event_by_attendee", "{\"who_add\": \"Bo Chen\", \"attendees\": [\"Ana Lima\"]}",
                SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  args = g_strdup_printf ("{\"event_id\": \"%s\", \"who_delete\": \"Ana Lima\"}", json_node_get_string (id));
  deleted = call_as (f, "delete_calendar_event_by_attendee", args, SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  /* failed calls and other tools notify nothing */
  missing = g_strdup_printf ("Calendar Event with id %s does not exist.", json_node_get_string (id));
  call_fails (f, "delete_calendar_event_by_attendee", args, SIGMA_ERROR_TOOL_FAILED, missing);
  g_clear_pointer (&id, json_node_unref);
  id = call (f, "add_calendar_event", "{}", &error);
  g_assert_no_error (error);

  pending = sigma_notification_system_list_pending (notifications);
  if (!expected)
    {
      g_assert_cmpuint (pending->len, ==, 0);
    }
  else
    {
      g_assert_cmpuint (pending->len, ==, 2);
      g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 0)), ==, added);
      g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 1)), ==, removed);
      g_assert_cmpint (sigma_notification_get_message_type (g_ptr_array_index (pending, 0)), ==,
                       SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION);
      g_assert_cmpfloat (sigma_notification_get_timestamp (g_ptr_array_index (pending, 0)), ==, T0);
    }
  app_test_fixture_clear (f);
}

static void
test_notifications (void)
{
  g_test_summary ("Attendees adding or deleting events notify at MEDIUM and HIGH with ARE's texts, "
                  "which start with the ARE class name");

  check_notifications ("Calendar", SIGMA_VERBOSITY_LOW, FALSE);
  check_notifications ("Calendar", SIGMA_VERBOSITY_MEDIUM, TRUE);
  check_notifications ("Calendar", SIGMA_VERBOSITY_HIGH, TRUE);
  check_notifications ("CalendarApp", SIGMA_VERBOSITY_MEDIUM, TRUE);
}

static void
test_determinism (void)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);

  g_test_summary ("The same seed gives the same ids; another seed gives others");

  for (guint run = 0; run < 3; run++)
    {
      Fixture fixture = { NULL, NULL }, *f = &fixture;

      fixture_set_up (f, NULL);
      if (run == 2)
        sigma_environment_set_seed (f->env, SEED + 1);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *id = add_event (f, "{}");

          if (run == 0)
            g_ptr_array_add (first, g_steal_pointer (&id));
          else if (run == 1)
            g_assert_cmpstr (id, ==, g_ptr_array_index (first, i));
          else
            g_assert_cmpstr (id, !=, g_ptr_array_index (first, i));
        }
      app_test_fixture_clear (f);
    }
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  SigmaCompletedEvent *event;

  g_test_summary ("Calls through the environment are logged with their operation, arguments "
                  "(defaults filled in), result or ARE's error text");

  id = add_event (f, "{\"title\": \"A\"}");
  result = call (f, "get_calendar_event", "{\"event_id\": \"missing\"}", &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);

  g_assert_cmpuint (sigma_event_log_get_length (log), ==, 2);
  event = sigma_event_log_get (log, 0);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "Calendar");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "add_calendar_event");
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpint (sigma_completed_event_get_operation (event), ==, SIGMA_TOOL_OPERATION_WRITE);
  g_assert_true (sigma_completed_event_is_write (event));
  g_assert_cmpstr (json_node_get_string (sigma_completed_event_get_return_value (event)), ==, id);
  g_assert_true (json_object_get_null_member (sigma_completed_event_get_args (event), "attendees"));
  g_assert_cmpstr (json_object_get_string_member (sigma_completed_event_get_args (event), "title"), ==, "A");

  event = sigma_event_log_get (log, 1);
  g_assert_true (sigma_completed_event_is_failure (event));
  g_assert_cmpint (sigma_completed_event_get_operation (event), ==, SIGMA_TOOL_OPERATION_READ);
  g_assert_cmpstr (sigma_completed_event_get_error_message (event), ==,
                   "Calendar Event with id missing does not exist.");
}

/* Every Calendar/CalendarApp app_state of the Gaia2 scenario loads and get_state gives it back. */
static void
test_corpus (void)
{
  static const char * const classes[] = { "Calendar", "CalendarApp", NULL };

  g_test_summary ("Every calendar app_state of the Gaia2 universe scenario (apps and augmentation) "
                  "loads and round-trips exactly");

  app_test_corpus_check_round_trips (classes, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sigma/apps/calendar/" path, Fixture, NULL, fixture_set_up, func, app_test_fixture_tear_down)

  g_test_add_func ("/sigma/apps/calendar/create", test_create);
  g_test_add_func ("/sigma/apps/calendar/tools", test_tools);
  ADD ("add-event", test_add_event);
  ADD ("add-event-defaults", test_add_event_defaults);
  ADD ("add-event-lenient-dates", test_add_event_lenient_dates);
  ADD ("add-event-errors", test_add_event_errors);
  ADD ("add-event-same-id", test_add_event_same_id);
  ADD ("add-by-attendee", test_add_by_attendee);
  ADD ("get-event", test_get_event);
  ADD ("delete-event", test_delete_event);
  ADD ("delete-by-attendee", test_delete_by_attendee);
  ADD ("events-from-to", test_events_from_to);
  ADD ("events-from-to-errors", test_events_from_to_errors);
  ADD ("read-today", test_read_today);
  ADD ("tags", test_tags);
  ADD ("search", test_search);
  ADD ("load-replaces", test_load_replaces);
  ADD ("log", test_log);
  g_test_add_func ("/sigma/apps/calendar/state-round-trip", test_state_round_trip);
  g_test_add_func ("/sigma/apps/calendar/state-normalised", test_state_normalised);
  g_test_add_func ("/sigma/apps/calendar/malformed-state", test_malformed_state);
  g_test_add_func ("/sigma/apps/calendar/lenient-state", test_lenient_state);
  g_test_add_func ("/sigma/apps/calendar/notifications", test_notifications);
  g_test_add_func ("/sigma/apps/calendar/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/calendar/corpus", test_corpus);

#undef ADD

  return g_test_run ();
}
