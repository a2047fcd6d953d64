/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sigma.h>

#include "sigma-json-private.h"

/*
 * ARE scenario/trace JSON: import, oracle runs, export, trace logs, judging, and every
 * malformed input. The corpus (real Gaia2 and PARE files) is read from SIGMA_CORPUS_DIR.
 */

#define GAIA2_FILE "gaia2/scenario_universe_30_997a5b.json"
#define GAIA2_START 1728975600.0
#define DUPLICATE_ORDER_FILE "are-scenarios/pare_trace_duplicate-order-cancellation-check_run4.json"

static const char * const pare_files[] = {
  "are-scenarios/pare_trace_add-missing-group-contacts_run1.json",
  "are-scenarios/pare_trace_apartment-feature-comparison-query_run4.json",
  "are-scenarios/pare_trace_cancelled-meeting-note-cleanup_run4.json",
  "are-scenarios/pare_trace_demo-simple-contact.json",
  DUPLICATE_ORDER_FILE,
  "are-scenarios/pare_trace_urgent-meeting-bumps-personal-errand_run3.json",
};

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

/* Lenient imports warn (g_warning), which a test makes fatal: while a test expects them,
 * warnings are not fatal and the library's are counted; everything else goes on as usual. */
static gboolean expecting_warnings;
static guint n_warnings;
static GLogLevelFlags saved_fatal_mask;

static void
expect_warnings (gboolean expect)
{
  if (expect && !expecting_warnings)
    saved_fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  else if (!expect && expecting_warnings)
    g_log_set_always_fatal (saved_fatal_mask);
  expecting_warnings = expect;
}

static GLogWriterOutput
test_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (expecting_warnings && (log_level & G_LOG_LEVEL_WARNING))
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && g_strcmp0 (fields[i].value, "Sigma") == 0)
          {
            n_warnings++;
            return G_LOG_WRITER_HANDLED;
          }
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static char *
corpus_path (const char *name)
{
  const char *dir = g_getenv ("SIGMA_CORPUS_DIR");

  if (dir == NULL)
    return NULL;
  return g_build_filename (dir, name, NULL);
}

/* The scenario of a corpus file, or NULL after g_test_skip(). */
static SigmaJsonScenario *
load_corpus (const char     *name,
             SigmaJsonFlags  flags)
{
  g_autofree char *path = corpus_path (name);
  g_autoptr(GError) error = NULL;
  SigmaJsonScenario *scenario;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("SIGMA_CORPUS_DIR does not hold the corpus");
      return NULL;
    }
  expect_warnings ((flags & SIGMA_JSON_LENIENT) != 0);
  scenario = sigma_json_scenario_new_from_file (path, flags, &error);
  expect_warnings (FALSE);
  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

static JsonNode *
parse_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = sigma_json_parse (text, strlen (text), SIGMA_JSON_PARSE_PYTHON_CONSTANTS, &error);

  g_assert_no_error (error);
  return node;
}

static gdouble
rel (SigmaCompletedEvent *event,
     gdouble              start)
{
  return sigma_completed_event_get_event_time (event) - start;
}

/* ------------------------------------------------------------------------------------ */
/* Gaia2                                                                                */

static void
test_gaia2_strict_load (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  SigmaScenario *base;
  JsonNode *augmentation;
  const char * const *tags;

  g_test_summary ("The real Gaia2 scenario loads in strict mode with ARE's reading of every field");

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return;
  base = SIGMA_SCENARIO (scenario);

  g_assert_cmpstr (sigma_scenario_get_scenario_id (base), ==, "scenario_universe_30_997a5b");
  g_assert_cmpfloat (sigma_scenario_get_start_time (base), ==, GAIA2_START);
  g_assert_cmpfloat (sigma_scenario_get_duration (base), ==, 1000.0);   /* null: ARE's default */
  g_assert_cmpfloat (sigma_scenario_get_time_increment (base), ==, 1.0);
  g_assert_cmpuint (sigma_scenario_get_seed (base), ==, 0);
  tags = sigma_scenario_get_tags (base);
  g_assert_nonnull (tags);
  g_assert_cmpstr (tags[0], ==, "Universe");
  g_assert_cmpstr (tags[1], ==, "Execution");
  g_assert_null (tags[2]);

  g_assert_cmpuint (sigma_json_scenario_get_n_apps (scenario), ==, 12);
  g_assert_cmpuint (sigma_json_scenario_get_n_events (scenario), ==, 10);
  g_assert_cmpuint (sigma_json_scenario_get_n_oracle_events (scenario), ==, 9);
  g_assert_cmpuint (sigma_json_scenario_get_n_turns (scenario), ==, 1);
  g_assert_cmpuint (sigma_json_scenario_get_n_completed_events (scenario), ==, 0);
  g_assert_true (g_str_has_prefix (sigma_json_scenario_get_task (scenario, 0),
                                   "Delete all the \"meeting with students\" events"));
  g_assert_true (g_str_has_suffix (sigma_json_scenario_get_task (scenario, 0), "\"Never Working Again\".\n"));
  g_assert_null (sigma_json_scenario_get_task (scenario, 1));
  g_assert_cmpint (sigma_json_scenario_get_event_turn (scenario, "OracleEvent-AGENT-a27d7618-b009-4809-aa1f-6a6d4808b11e"), ==, 0);
  g_assert_cmpint (sigma_json_scenario_get_event_turn (scenario, "nope"), ==, -1);
  g_assert_null (sigma_json_scenario_get_warnings (scenario)[0]);

  augmentation = sigma_json_scenario_get_augmentation (scenario);
  g_assert_nonnull (augmentation);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (augmentation));
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (augmentation),
                                                                         "tool_names_mapping")), ==, 105);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (augmentation),
                                                                         "apps")), ==, 5);
  g_assert_nonnull (sigma_json_scenario_get_app_state (scenario, "Shopping"));
  g_assert_null (sigma_json_scenario_get_app_state (scenario, "Nope"));
}

typedef struct
{
  const char *id;
  SigmaEventType type;
  const char *app;
  const char *function;
  gdouble time;
} Expected;

/* ARE's measured oracle run (corpus/gaia2/README.md) */
static const Expected gaia2_timeline[] = {
  { "Event-USER-60417f4a-9535-427c-b34e-c65393839fe0", SIGMA_EVENT_TYPE_USER, "AgentUserInterface", "send_message_to_agent", 0 },
  { "OracleEvent-AGENT-32b85fe5-1c00-4145-9a24-43c45ece170b", SIGMA_EVENT_TYPE_AGENT, "Calendar", "delete_calendar_event", 1 },
  { "OracleEvent-AGENT-81ca8a25-0c20-4e13-9ea3-db871ae618d6", SIGMA_EVENT_TYPE_AGENT, "Cabs", "order_ride", 1 },
  { "OracleEvent-AGENT-ab1c6b50-620b-48c1-8a2b-2e255263e709", SIGMA_EVENT_TYPE_AGENT, "Files", "rm", 1 },
  { "OracleEvent-AGENT-d1e36a6b-7f75-4866-b43f-199b0210ffb2", SIGMA_EVENT_TYPE_AGENT, "Emails", "reply_to_email", 1 },
  { "OracleEvent-AGENT-d2525b43-a5bf-40a4-a9a7-84e1d055bf84", SIGMA_EVENT_TYPE_AGENT, "Shopping", "add_to_cart", 1 },
  { "OracleEvent-AGENT-d445d335-8036-446a-88cd-322b80c55bca", SIGMA_EVENT_TYPE_AGENT, "Calendar", "delete_calendar_event", 1 },
  { "OracleEvent-AGENT-fc8b645c-101f-406a-8193-20202a9a4a73", SIGMA_EVENT_TYPE_AGENT, "Contacts", "edit_contact", 1 },
  { "OracleEvent-AGENT-a27d7618-b009-4809-aa1f-6a6d4808b11e", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", 2 },
  { "OracleEvent-AGENT-bebdb5dd-7f33-4a1a-8f32-ec328473c8a2", SIGMA_EVENT_TYPE_AGENT, "Shopping", "checkout", 2 },
};

static void
assert_gaia2_timeline (SigmaEventLog *log)
{
  g_assert_cmpuint (sigma_event_log_get_length (log), ==, G_N_ELEMENTS (gaia2_timeline));
  for (guint i = 0; i < G_N_ELEMENTS (gaia2_timeline); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);

      g_assert_cmpstr (sigma_completed_event_get_event_id (event), ==, gaia2_timeline[i].id);
      g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, gaia2_timeline[i].type);
      g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, gaia2_timeline[i].app);
      g_assert_cmpstr (sigma_completed_event_get_function (event), ==, gaia2_timeline[i].function);
      g_assert_cmpfloat (rel (event, GAIA2_START), ==, gaia2_timeline[i].time);
      if (sigma_completed_event_is_failure (event))
        g_error ("%s failed: %s", gaia2_timeline[i].id, sigma_completed_event_get_error_message (event));
      if (gaia2_timeline[i].type == SIGMA_EVENT_TYPE_AGENT)
        g_assert_true (sigma_completed_event_is_write (event));
    }
}

static const char *
return_string (SigmaEventLog *log,
               guint          index)
{
  JsonNode *value = sigma_completed_event_get_return_value (sigma_event_log_get (log, index));

  g_assert_nonnull (value);
  return json_node_get_string (value);
}

static void
test_gaia2_oracle_timeline (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  SigmaEventLog *log;
  JsonObject *ride;
  JsonObject *args;

  g_test_summary ("The Gaia2 oracle run reproduces ARE's measured timeline: the USER message at +0, "
                  "seven writes at +1 in event-id order, two at +2, the run ending at +2");

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return;
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_cmpfloat (sigma_environment_get_time (env) - GAIA2_START, ==, 2.0);

  log = sigma_environment_get_log (env);
  assert_gaia2_timeline (log);

  /* the values ARE repeats between runs (README, "Values that repeat") */
  g_assert_cmpstr (return_string (log, 1), ==, "Event feabca495da74c33b947de57eec34f32 successfully deleted.");
  g_assert_cmpstr (return_string (log, 4), ==, "05649cf7c0318882d675fcc6012cce41");
  g_assert_cmpstr (return_string (log, 5), ==, "15b6954930294cbf82a3a538f6da0fe9");
  g_assert_cmpstr (return_string (log, 7), ==, "Contact aefb3ded75854e6ead022efb1e3b9bcf updated successfully.");
  g_assert_cmpstr (return_string (log, 8), ==, "8cc8c7d6d06ab07491bed78fecb93f7c");
  ride = json_node_get_object (sigma_completed_event_get_return_value (sigma_event_log_get (log, 2)));
  g_assert_cmpstr (json_object_get_string_member (ride, "ride_id"), ==, "b24d9b91a482467b752c8a405be91369");
  g_assert_cmpstr (json_object_get_string_member (ride, "status"), ==, "BOOKED");
  g_assert_cmpstr (json_object_get_string_member (ride, "service_type"), ==, "Premium");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (ride, "price"), 10.05, 0.005);

  /* argument decoding: "True" as bool, "1" as int, "" for Optional[str] as None, JSON lists */
  args = sigma_completed_event_get_args (sigma_event_log_get (log, 3));
  g_assert_true (json_object_get_boolean_member (args, "recursive"));
  args = sigma_completed_event_get_args (sigma_event_log_get (log, 5));
  g_assert_cmpint (json_object_get_int_member (args, "quantity"), ==, 1);
  args = sigma_completed_event_get_args (sigma_event_log_get (log, 9));
  g_assert_true (json_object_get_null_member (args, "discount_code"));
  args = sigma_completed_event_get_args (sigma_event_log_get (log, 8));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (args, "recipients")), ==, 4);
  args = sigma_completed_event_get_args (sigma_event_log_get (log, 7));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (args, "updates"), "job"), ==,
                   "Never Working Again");
}

static JsonObject *
app_state (SigmaEnvironment *env,
           const char       *name,
           JsonNode        **keep)
{
  SigmaApp *app = sigma_environment_get_app (env, name);

  g_assert_nonnull (app);
  *keep = sigma_app_get_state (app);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static guint
count_files (JsonObject *node)
{
  guint n = g_strcmp0 (json_object_get_string_member (node, "type"), "file") == 0 ? 1 : 0;
  JsonArray *children = json_object_has_member (node, "children") ? json_object_get_array_member (node, "children")
                                                                   : NULL;

  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    n += count_files (json_array_get_object_element (children, i));
  return n;
}

static JsonObject *
user_contact (JsonObject *state)
{
  JsonObject *contacts = json_object_get_object_member (state, "contacts");

  return json_object_get_object_member (contacts, "aefb3ded75854e6ead022efb1e3b9bcf");
}

static void
test_gaia2_final_state (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) calendar = NULL, emails = NULL, contacts = NULL, internal = NULL;
  g_autoptr(JsonNode) shopping = NULL, cabs = NULL, files = NULL;
  JsonObject *folders, *orders, *order, *items, *ride;
  JsonArray *rides;
  GList *order_ids;

  g_test_summary ("The Gaia2 oracle run ends in ARE's measured final state (corpus/gaia2/README.md)");

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return;
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_no_error (error);

  /* Calendar: 372 → 370 events */
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (app_state (env, "Calendar", &calendar),
                                                                         "events")), ==, 370);

  /* Emails: SENT 130 → 132, INBOX stays at 131 */
  folders = json_object_get_object_member (app_state (env, "Emails", &emails), "folders");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (folders, "SENT"),
                                                                         "emails")), ==, 132);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (folders, "INBOX"),
                                                                         "emails")), ==, 131);

  /* Contacts: the user's job changed; InternalContacts did not */
  g_assert_cmpstr (json_object_get_string_member (user_contact (app_state (env, "Contacts", &contacts)), "job"), ==,
                   "Never Working Again");
  g_assert_cmpstr (json_object_get_string_member (user_contact (app_state (env, "InternalContacts", &internal)), "job"),
                   ==, "Theoretical Physicist");

  /* Shopping: one processed order of 11.95 with the item once; the cart is empty */
  orders = json_object_get_object_member (app_state (env, "Shopping", &shopping), "orders");
  g_assert_cmpuint (json_object_get_size (orders), ==, 1);
  order_ids = json_object_get_members (orders);
  order = json_object_get_object_member (orders, order_ids->data);
  g_list_free (order_ids);
  g_assert_cmpstr (json_object_get_string_member (order, "order_status"), ==, "processed");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (order, "order_total"), 11.95, 1e-9);
  items = json_object_get_object_member (order, "order_items");
  g_assert_cmpuint (json_object_get_size (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (items, "15b6954930294cbf82a3a538f6da0fe9"),
                                               "quantity"), ==, 1);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (shopping), "cart")), ==, 0);

  /* Cabs: ride_history 46 → 47, quotation_history 50 → 51; the new ride */
  rides = json_object_get_array_member (app_state (env, "Cabs", &cabs), "ride_history");
  g_assert_cmpuint (json_array_get_length (rides), ==, 47);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (cabs), "quotation_history")),
                    ==, 51);
  ride = json_array_get_object_element (rides, 46);
  g_assert_cmpstr (json_object_get_string_member (ride, "service_type"), ==, "Premium");
  g_assert_cmpstr (json_object_get_string_member (ride, "status"), ==, "BOOKED");
  g_assert_cmpfloat (json_object_get_double_member (ride, "time_stamp"), ==, 1729062000.0);

  /* Files: 298 → 198 files */
  before = json_node_copy (sigma_json_scenario_get_app_state (scenario, "Files"));
  g_assert_cmpuint (count_files (json_object_get_object_member (json_node_get_object (before), "files")), ==, 298);
  g_assert_cmpuint (count_files (json_object_get_object_member (app_state (env, "Files", &files), "files")), ==, 198);
}

static void
test_gaia2_judge (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rationale = NULL;
  SigmaEventLog *oracle_log;
  SigmaVerdict *verdict;

  g_test_summary ("The Gaia2 oracle run passes the judge against the reference oracle run");

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return;
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_scenario_validate (SIGMA_SCENARIO (scenario), env, &rationale, &error));
  g_assert_no_error (error);
  verdict = sigma_json_scenario_get_verdict (scenario, env);
  g_assert_nonnull (verdict);
  g_assert_true (sigma_verdict_get_passed (verdict));
  g_assert_cmpuint (sigma_verdict_get_n_turns (verdict), ==, 1);

  /* the reference run is ARE's timeline too */
  oracle_log = sigma_json_scenario_get_oracle_log (scenario, &error);
  g_assert_no_error (error);
  assert_gaia2_timeline (oracle_log);
  for (guint i = 1; i < sigma_event_log_get_length (oracle_log); i++)
    g_assert_true (SIGMA_IS_ORACLE_EVENT (sigma_completed_event_get_source (sigma_event_log_get (oracle_log, i))));
}

/* Two logs hold the same events: ids, types, times, apps, functions, arguments, outcomes. */
static void
assert_same_log (SigmaEventLog *a,
                 SigmaEventLog *b,
                 gboolean       compare_return_values)
{
  g_assert_cmpuint (sigma_event_log_get_length (a), ==, sigma_event_log_get_length (b));
  for (guint i = 0; i < sigma_event_log_get_length (a); i++)
    {
      SigmaCompletedEvent *x = sigma_event_log_get (a, i);
      SigmaCompletedEvent *y = sigma_event_log_get (b, i);
      JsonObject *xa = sigma_completed_event_get_args (x);
      JsonObject *ya = sigma_completed_event_get_args (y);

      g_assert_cmpstr (sigma_completed_event_get_event_id (x), ==, sigma_completed_event_get_event_id (y));
      g_assert_cmpint (sigma_completed_event_get_event_type (x), ==, sigma_completed_event_get_event_type (y));
      g_assert_cmpfloat (sigma_completed_event_get_event_time (x), ==, sigma_completed_event_get_event_time (y));
      g_assert_cmpstr (sigma_completed_event_get_app_name (x), ==, sigma_completed_event_get_app_name (y));
      g_assert_cmpstr (sigma_completed_event_get_function (x), ==, sigma_completed_event_get_function (y));
      g_assert_cmpint (sigma_completed_event_is_failure (x), ==, sigma_completed_event_is_failure (y));
      g_assert_cmpint (sigma_completed_event_is_write (x), ==, sigma_completed_event_is_write (y));
      if (xa != NULL && ya != NULL)
        g_assert_true (json_object_equal (xa, ya));
      else
        g_assert_true ((xa == NULL || json_object_get_size (xa) == 0) == (ya == NULL || json_object_get_size (ya) == 0));
      if (compare_return_values)
        {
          JsonNode *xr = sigma_completed_event_get_return_value (x);
          JsonNode *yr = sigma_completed_event_get_return_value (y);

          g_assert_true ((xr == NULL) == (yr == NULL));
          if (xr != NULL)
            g_assert_true (json_node_equal (xr, yr));
        }
    }
}

static void
test_gaia2_export_roundtrip (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaJsonScenario) again = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(SigmaEnvironment) env2 = NULL;
  g_autoptr(SigmaEventLog) trace_log = NULL;
  g_autoptr(SigmaVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  SigmaEventLog *log;

  g_test_summary ("A Gaia2 oracle run exported as an ARE trace re-imports strictly to the same scenario, "
                  "re-runs to the same log, and its completed_events read back as that log");

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return;
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_scenario_validate (SIGMA_SCENARIO (scenario), env, NULL, &error));
  log = sigma_environment_get_log (env);

  text = sigma_json_scenario_export_to_data (scenario, env, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, strlen (text));

  again = sigma_json_scenario_new_from_data (text, (gssize) length, SIGMA_JSON_STRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sigma_scenario_get_scenario_id (SIGMA_SCENARIO (again)), ==, "scenario_universe_30_997a5b");
  g_assert_cmpuint (sigma_json_scenario_get_n_apps (again), ==, 12);
  g_assert_cmpuint (sigma_json_scenario_get_n_events (again), ==, 10);
  g_assert_cmpuint (sigma_json_scenario_get_n_oracle_events (again), ==, 9);
  g_assert_cmpuint (sigma_json_scenario_get_n_turns (again), ==, 1);
  g_assert_cmpuint (sigma_json_scenario_get_n_completed_events (again), ==, 10);
  g_assert_cmpstr (sigma_json_scenario_get_task (again, 0), ==, sigma_json_scenario_get_task (scenario, 0));
  g_assert_cmpfloat (sigma_scenario_get_start_time (SIGMA_SCENARIO (again)), ==, GAIA2_START);
  g_assert_true (json_node_equal (sigma_json_scenario_get_app_state (again, "Shopping"),
                                  sigma_json_scenario_get_app_state (scenario, "Shopping")));
  g_assert_true (json_node_equal (sigma_json_scenario_get_app_state (again, "Files"),
                                  sigma_json_scenario_get_app_state (scenario, "Files")));

  /* the same log when re-run */
  env2 = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (again, env2, &error));
  g_assert_no_error (error);
  assert_same_log (log, sigma_environment_get_log (env2), TRUE);

  /* the exported completed_events read back as the run's log (return values as Python text) */
  trace_log = sigma_json_scenario_load_trace_log (again, &error);
  g_assert_no_error (error);
  assert_same_log (log, trace_log, FALSE);
  g_assert_cmpstr (return_string (trace_log, 4), ==, "05649cf7c0318882d675fcc6012cce41");

  /* and it is judged a pass against the original scenario */
  verdict = sigma_json_scenario_judge_log (scenario, trace_log, &error);
  g_assert_no_error (error);
  g_assert_true (sigma_verdict_get_passed (verdict));
}

static void
test_gaia2_export_format (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object, *definition, *annotation;
  JsonArray *completed, *events;
  gboolean saw_list = FALSE, saw_none = FALSE, saw_bool = FALSE;

  g_test_summary ("The export follows ARE's ExportedTrace (scenario-json.md §9.4 and §12): keys, "
                  "string-encoded arguments, Python text, one time field per event");

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return;
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_true (sigma_scenario_validate (SIGMA_SCENARIO (scenario), env, NULL, &error));
  g_assert_no_error (error);
  text = sigma_json_scenario_export_to_data (scenario, env, NULL, &error);
  g_assert_no_error (error);

  /* Python's json.dumps: ASCII only, ", " and ": " separators */
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_true (g_str_has_prefix (text, "{\"world_logs\": [], \"apps\": [{\"name\": \"AgentUserInterface\""));

  root = parse_text (text);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, "are_simulation_v1");
  g_assert_true (json_object_get_null_member (object, "augmentation"));
  g_assert_true (json_object_get_null_member (object, "context"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "apps")), ==, 12);
  definition = json_object_get_object_member (json_object_get_object_member (object, "metadata"), "definition");
  g_assert_cmpstr (json_object_get_string_member (definition, "scenario_id"), ==, "scenario_universe_30_997a5b");
  g_assert_cmpfloat (json_object_get_double_member (definition, "duration"), ==, 1000.0);
  g_assert_cmpint (json_object_get_int_member (definition, "time_increment_in_seconds"), ==, 1);
  /* ARE adds an empty TASK_HINT for the USER message */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (definition, "hints")), ==, 1);
  annotation = json_object_get_object_member (json_object_get_object_member (object, "metadata"), "annotation");
  g_assert_cmpstr (json_object_get_string_member (annotation, "validation_decision"), ==, "Valid");

  events = json_object_get_array_member (object, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 10);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *ev = json_array_get_object_element (events, i);

      /* exactly one of event_time and event_relative_time */
      g_assert_true (json_object_get_null_member (ev, "event_time") !=
                     json_object_get_null_member (ev, "event_relative_time"));
      if (g_str_equal (json_object_get_string_member (ev, "event_type"), "AGENT"))
        g_assert_true (json_object_has_member (ev, "event_time_comparator"));
    }
  /* ARE's list order: the root USER message first */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "event_type"), ==, "USER");

  completed = json_object_get_array_member (object, "completed_events");
  g_assert_cmpuint (json_array_get_length (completed), ==, 10);
  for (guint i = 0; i < json_array_get_length (completed); i++)
    {
      JsonObject *ev = json_array_get_object_element (completed, i);
      JsonObject *action = json_object_get_object_member (ev, "action");
      JsonObject *metadata = json_object_get_object_member (ev, "metadata");
      JsonArray *args = json_object_get_array_member (action, "args");

      g_assert_cmpstr (json_object_get_string_member (ev, "class_name"), ==, "CompletedEvent");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ev, "dependencies")), ==, 0);
      g_assert_true (json_object_get_null_member (ev, "event_relative_time"));
      g_assert_cmpstr (json_object_get_string_member (action, "operation_type"), ==, "WRITE");
      g_assert_nonnull (json_object_get_string_member (action, "action_id"));
      g_assert_true (json_object_has_member (metadata, "return_value"));
      g_assert_true (json_object_get_null_member (metadata, "exception"));
      for (guint j = 0; j < json_array_get_length (args); j++)
        {
          JsonObject *arg = json_array_get_object_element (args, j);
          JsonNode *value = json_object_get_member (arg, "value");
          const char *type = json_object_get_string_member (arg, "value_type");

          g_assert_true (JSON_NODE_HOLDS_NULL (value) || json_node_get_value_type (value) == G_TYPE_STRING);
          g_assert_true (JSON_NODE_HOLDS_NULL (value) == (type == NULL));
          if (g_strcmp0 (type, "list") == 0 && g_str_equal (json_object_get_string_member (arg, "name"), "recipients"))
            {
              g_assert_true (g_str_has_prefix (json_node_get_string (value), "[\"kaidennakamura@gaia2mail.com\", \""));
              saw_list = TRUE;
            }
          if (g_strcmp0 (type, "bool") == 0)
            {
              g_assert_cmpstr (json_node_get_string (value), ==, "True");
              saw_bool = TRUE;
            }
          if (type == NULL)
            saw_none = TRUE;   /* maxdepth and discount_code: None */
        }
    }
  g_assert_true (saw_list && saw_bool && saw_none);
}

/* The exported trace of a Gaia2 oracle run, as JSON to edit. */
static JsonNode *
gaia2_trace (SigmaJsonScenario **scenario_out)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  scenario = load_corpus (GAIA2_FILE, SIGMA_JSON_STRICT);
  if (scenario == NULL)
    return NULL;
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_no_error (error);
  text = sigma_json_scenario_export_to_data (scenario, env, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (scenario_out);
  *scenario_out = g_steal_pointer (&scenario);
  return parse_text (text);
}

static SigmaVerdict *
judge_trace (SigmaJsonScenario *scenario,
             JsonNode          *trace)
{
  g_autoptr(SigmaJsonScenario) loaded = NULL;
  g_autoptr(SigmaEventLog) log = NULL;
  g_autoptr(GError) error = NULL;
  SigmaVerdict *verdict;

  loaded = sigma_json_scenario_new_from_node (trace, SIGMA_JSON_STRICT, &error);
  g_assert_no_error (error);
  log = sigma_json_scenario_load_trace_log (loaded, &error);
  g_assert_no_error (error);
  verdict = sigma_json_scenario_judge_log (scenario, log, &error);
  g_assert_no_error (error);
  return verdict;
}

static JsonObject *
completed_event (JsonNode   *trace,
                 const char *id,
                 guint      *index)
{
  JsonArray *completed = json_object_get_array_member (json_node_get_object (trace), "completed_events");

  for (guint i = 0; i < json_array_get_length (completed); i++)
    {
      JsonObject *ev = json_array_get_object_element (completed, i);

      if (g_str_equal (json_object_get_string_member (ev, "event_id"), id))
        {
          if (index != NULL)
            *index = i;
          return ev;
        }
    }
  g_assert_not_reached ();
}

static void
test_judge_trace_edits (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  const char *delete_id = "OracleEvent-AGENT-32b85fe5-1c00-4145-9a24-43c45ece170b";
  const char *send_id = "OracleEvent-AGENT-a27d7618-b009-4809-aa1f-6a6d4808b11e";

  g_test_summary ("Editing the exported Gaia2 trace — one checked argument of a write changed, one write "
                  "removed, one extra write — makes the judge fail with a rationale naming that event");

  {
    g_autoptr(JsonNode) trace = gaia2_trace (&scenario);
    g_autoptr(SigmaVerdict) verdict = NULL;

    if (trace == NULL)
      return;
    verdict = judge_trace (scenario, trace);
    g_assert_true (sigma_verdict_get_passed (verdict));
  }

  /* a checked argument: the calendar event to delete */
  {
    g_autoptr(JsonNode) trace = gaia2_trace (&scenario);
    g_autoptr(SigmaVerdict) verdict = NULL;
    JsonObject *ev = completed_event (trace, delete_id, NULL);
    JsonObject *arg = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (ev, "action"),
                                                                                   "args"), 0);

    json_object_set_string_member (arg, "value", "00000000000000000000000000000000");
    verdict = judge_trace (scenario, trace);
    g_assert_false (sigma_verdict_get_passed (verdict));
    g_test_message ("changed argument: %s", sigma_verdict_get_rationale (verdict));
    g_assert_nonnull (strstr (sigma_verdict_get_rationale (verdict), "delete_calendar_event"));
  }

  /* a write removed */
  {
    g_autoptr(JsonNode) trace = gaia2_trace (&scenario);
    g_autoptr(SigmaVerdict) verdict = NULL;
    guint index;

    completed_event (trace, send_id, &index);
    json_array_remove_element (json_object_get_array_member (json_node_get_object (trace), "completed_events"), index);
    verdict = judge_trace (scenario, trace);
    g_assert_false (sigma_verdict_get_passed (verdict));
    g_test_message ("removed write: %s", sigma_verdict_get_rationale (verdict));
    g_assert_nonnull (strstr (sigma_verdict_get_rationale (verdict), "send_email"));
  }

  /* an extra write */
  {
    g_autoptr(JsonNode) trace = gaia2_trace (&scenario);
    g_autoptr(SigmaVerdict) verdict = NULL;
    JsonObject *original = completed_event (trace, send_id, NULL);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), original);
    g_autofree char *text = sigma_json_dumps (node);
    g_autoptr(JsonNode) copy = parse_text (text);

    json_object_set_string_member (json_node_get_object (copy), "event_id", "AGENT-Emails.send_email-extra");
    json_array_add_element (json_object_get_array_member (json_node_get_object (trace), "completed_events"),
                            g_steal_pointer (&copy));
    verdict = judge_trace (scenario, trace);
    g_assert_false (sigma_verdict_get_passed (verdict));
    g_test_message ("extra write: %s", sigma_verdict_get_rationale (verdict));
    g_assert_nonnull (strstr (sigma_verdict_get_rationale (verdict), "send_email"));
  }
}

/* A Gaia2 trace with the send_email write moved by @shift seconds, judged against @scenario. */
static gboolean
passes_with_send_email_moved (SigmaJsonScenario *scenario,
                              const char        *trace_text,
                              gdouble            shift)
{
  g_autoptr(JsonNode) trace = parse_text (trace_text);
  g_autoptr(SigmaVerdict) verdict = NULL;
  JsonObject *ev = completed_event (trace, "OracleEvent-AGENT-a27d7618-b009-4809-aa1f-6a6d4808b11e", NULL);

  json_object_set_double_member (ev, "event_time", json_object_get_double_member (ev, "event_time") + shift);
  verdict = judge_trace (scenario, trace);
  if (!sigma_verdict_get_passed (verdict))
    {
      g_test_message ("moved by %g s: %s", shift, sigma_verdict_get_rationale (verdict));
      g_assert_nonnull (strstr (sigma_verdict_get_rationale (verdict), "send_email"));
    }
  return sigma_verdict_get_passed (verdict);
}

static void
test_judge_time_edits (void)
{
  g_autofree char *path = corpus_path (GAIA2_FILE);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;

  g_test_summary ("Moving a write in time fails exactly when ARE's time check applies: never for a write "
                  "1 s after its parents without a comparator; outside [−10 s, +25 s] with EQUAL");

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_skip ("no corpus");
      return;
    }
  root = parse_text (contents);
  events = json_object_get_array_member (json_node_get_object (root), "events");

  for (guint with_comparator = 0; with_comparator < 2; with_comparator++)
    {
      g_autoptr(SigmaJsonScenario) scenario = NULL;
      g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
      g_autofree char *text = NULL;

      if (with_comparator)
        for (guint i = 0; i < json_array_get_length (events); i++)
          {
            JsonObject *ev = json_array_get_object_element (events, i);

            if (g_str_equal (json_object_get_string_member (ev, "event_id"),
                             "OracleEvent-AGENT-a27d7618-b009-4809-aa1f-6a6d4808b11e"))
              json_object_set_string_member (ev, "event_time_comparator", "EQUAL");
          }
      scenario = sigma_json_scenario_new_from_node (root, SIGMA_JSON_STRICT, &error);
      g_assert_no_error (error);
      g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
      g_assert_no_error (error);
      text = sigma_json_scenario_export_to_data (scenario, env, NULL, &error);
      g_assert_no_error (error);

      g_assert_true (passes_with_send_email_moved (scenario, text, 20));
      g_assert_true (passes_with_send_email_moved (scenario, text, -0.5));   /* still after its parents */
      /* the parents are 1 s earlier: relA = 1 + shift must stay within 1 − 10 … 1 + 25 */
      g_assert_cmpint (passes_with_send_email_moved (scenario, text, 30), ==, !with_comparator);
      g_assert_cmpint (passes_with_send_email_moved (scenario, text, 100), ==, !with_comparator);
    }
}

/* ------------------------------------------------------------------------------------ */
/* PARE traces (lenient)                                                                */

static void
test_pare_lenient_load (void)
{
  g_test_summary ("The PARE traces load in lenient mode (root ENV events, NoneType, Python-repr lists, "
                  "unknown app classes as opaque apps) and are rejected in strict mode");

  for (guint i = 0; i < G_N_ELEMENTS (pare_files); i++)
    {
      g_autoptr(SigmaJsonScenario) scenario = NULL;
      g_autofree char *path = corpus_path (pare_files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaJsonScenario) strict = NULL;
      g_autoptr(SigmaEventLog) trace_log = NULL;
      const char * const *warnings;
      g_autoptr(GPtrArray) apps = NULL;
      g_autoptr(SigmaEnvironment) env = NULL;

      n_warnings = 0;
      scenario = load_corpus (pare_files[i], SIGMA_JSON_LENIENT);
      if (scenario == NULL)
        return;
      g_assert_cmpuint (n_warnings, >, 0);
      warnings = sigma_json_scenario_get_warnings (scenario);
      g_assert_cmpuint (g_strv_length ((char **) warnings), ==, n_warnings);
      g_assert_cmpuint (sigma_json_scenario_get_n_completed_events (scenario), >, 0);

      trace_log = sigma_json_scenario_load_trace_log (scenario, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sigma_event_log_get_length (trace_log), ==, sigma_json_scenario_get_n_completed_events (scenario));

      /* the unknown classes are opaque apps that keep their state */
      env = sigma_environment_new ();
      g_assert_true (sigma_scenario_init_apps (SIGMA_SCENARIO (scenario), env, &error));
      g_assert_no_error (error);
      apps = sigma_environment_list_apps (env);
      for (guint a = 0; a < apps->len; a++)
        {
          SigmaApp *app = g_ptr_array_index (apps, a);
          g_autoptr(JsonNode) state = NULL;

          if (!SIGMA_IS_OPAQUE_APP (app))
            continue;
          state = sigma_app_get_state (app);
          g_assert_true (json_node_equal (state, sigma_json_scenario_get_app_state (scenario, sigma_app_get_name (app))));
        }

      strict = sigma_json_scenario_new_from_file (path, SIGMA_JSON_STRICT, &error);
      g_assert_null (strict);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SIGMA_ERROR);
    }
}

/* Runs a scenario without an agent until nothing is left. */
static SigmaEnvironment *
run_without_agent (SigmaJsonScenario *scenario)
{
  SigmaEnvironment *env = sigma_environment_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sigma_scenario_setup (SIGMA_SCENARIO (scenario), env, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  return env;
}

static void
test_pare_env_times (void)
{
  g_test_summary ("The ENV events of every PARE trace fire at their recorded times relative to the start");

  for (guint i = 0; i < G_N_ELEMENTS (pare_files); i++)
    {
      g_autoptr(SigmaJsonScenario) scenario = load_corpus (pare_files[i], SIGMA_JSON_LENIENT);
      g_autoptr(SigmaEnvironment) env = NULL;
      g_autoptr(SigmaEventLog) trace_log = NULL;
      g_autoptr(GError) error = NULL;
      SigmaEventLog *log;
      gdouble start;
      guint n_env = 0;

      if (scenario == NULL)
        return;
      start = sigma_scenario_get_start_time (SIGMA_SCENARIO (scenario));
      env = run_without_agent (scenario);
      log = sigma_environment_get_log (env);
      trace_log = sigma_json_scenario_load_trace_log (scenario, &error);
      g_assert_no_error (error);

      for (guint j = 0; j < sigma_event_log_get_length (trace_log); j++)
        {
          SigmaCompletedEvent *recorded = sigma_event_log_get (trace_log, j);
          SigmaCompletedEvent *ours;

          if (sigma_completed_event_get_event_type (recorded) != SIGMA_EVENT_TYPE_ENV)
            continue;
          ours = sigma_event_log_lookup (log, sigma_completed_event_get_event_id (recorded));
          g_assert_nonnull (ours);
          g_assert_cmpint (sigma_completed_event_get_event_type (ours), ==, SIGMA_EVENT_TYPE_ENV);
          g_assert_cmpfloat (rel (ours, start), ==, rel (recorded, start));
          g_assert_false (sigma_completed_event_is_failure (ours));
          n_env++;
        }
      g_assert_cmpuint (n_env, >, 0);
    }
}

static void
test_pare_condition_polling (void)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(SigmaEventLog) trace_log = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  g_autoptr(GPtrArray) recorded = g_ptr_array_new ();
  SigmaEventLog *log;
  SigmaCompletedEvent *dependent;
  gdouble start;
  gdouble first_true = -1;

  g_test_summary ("duplicate-order-cancellation-check: the condition polling record is reproduced, one "
                  "check per second from +10 s, the first true check at +310 s, its dependent ENV event at +310 s");

  scenario = load_corpus (DUPLICATE_ORDER_FILE, SIGMA_JSON_LENIENT);
  if (scenario == NULL)
    return;
  start = sigma_scenario_get_start_time (SIGMA_SCENARIO (scenario));
  env = run_without_agent (scenario);
  log = sigma_environment_get_log (env);
  trace_log = sigma_json_scenario_load_trace_log (scenario, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    if (sigma_completed_event_get_event_type (sigma_event_log_get (log, i)) == SIGMA_EVENT_TYPE_CONDITION)
      g_ptr_array_add (ours, sigma_event_log_get (log, i));
  for (guint i = 0; i < sigma_event_log_get_length (trace_log); i++)
    if (sigma_completed_event_get_event_type (sigma_event_log_get (trace_log, i)) == SIGMA_EVENT_TYPE_CONDITION)
      g_ptr_array_add (recorded, sigma_event_log_get (trace_log, i));

  g_assert_cmpuint (recorded->len, ==, 650);
  g_assert_cmpuint (ours->len, ==, recorded->len);
  for (guint i = 0; i < ours->len; i++)
    {
      SigmaCompletedEvent *a = g_ptr_array_index (ours, i);
      SigmaCompletedEvent *b = g_ptr_array_index (recorded, i);
      gboolean held = json_node_get_boolean (sigma_completed_event_get_return_value (a));

      g_assert_cmpstr (sigma_completed_event_get_event_id (a), ==, sigma_completed_event_get_event_id (b));
      g_assert_cmpfloat (rel (a, start), ==, rel (b, start));
      g_assert_cmpstr (sigma_completed_event_get_function (a), ==, sigma_completed_event_get_function (b));
      g_assert_cmpint (held, ==, json_node_get_boolean (sigma_completed_event_get_return_value (b)));
      if (held && first_true < 0)
        first_true = rel (a, start);
    }
  g_assert_cmpfloat (first_true, ==, 310.0);
  g_assert_cmpstr (sigma_completed_event_get_event_id (g_ptr_array_index (ours, 0)), ==,
                   "ConditionCheckEvent-CONDITION-ceea0799-f33e-4473-a729-24d063f56c5b-CHECK_0");
  g_assert_cmpfloat (rel (g_ptr_array_index (ours, 0), start), ==, 10.0);

  dependent = sigma_event_log_lookup (log, "ENV-Messages.create_and_add_message-3d3df518-03c3-43a0-b7df-38327568183b");
  g_assert_nonnull (dependent);
  g_assert_cmpfloat (rel (dependent, start), ==, 310.0);
  g_assert_nonnull (sigma_event_log_lookup (log, "ConditionCheckEvent-CONDITION-ceea0799-f33e-4473-a729-24d063f56c5b-CHECK_300"));
  g_assert_nonnull (sigma_event_log_lookup (log, "ConditionCheckEvent-CONDITION-f424df18-dfd9-4110-9eaf-fa7469d8921b-CHECK_348"));
}

static void
test_pare_strict_callback (void)
{
  g_autofree char *path = corpus_path (DUPLICATE_ORDER_FILE);
  g_autoptr(GPtrArray) problems = NULL;
  gboolean found = FALSE;

  g_test_summary ("In strict mode a condition naming a Python callback is reported with its JSON path");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no corpus");
      return;
    }
  problems = sigma_json_scenario_check_file (path, SIGMA_JSON_STRICT);
  for (guint i = 0; i < problems->len; i++)
    {
      GError *problem = g_ptr_array_index (problems, i);

      if (g_str_has_prefix (problem->message, "events[2].action.function: condition '_user_asked_about_order' "
                                              "names a Python callback"))
        {
          g_assert_error (problem, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* ------------------------------------------------------------------------------------ */
/* The example of scenario-json.md §11: two turns, a placeholder across turns             */

static const char spec_example[] =
  "{\"version\": \"are_simulation_v1\", \"metadata\": {\"definition\": {\"scenario_id\": \"demo_group_chat_two_turns\","
  " \"seed\": 0, \"duration\": 1800, \"time_increment_in_seconds\": 1, \"start_time\": 1728975600.0,"
  " \"hints\": [{\"hint_type\": \"TASK_HINT\", \"content\": \"Create the group, then post the greeting.\","
  " \"associated_event_id\": \"user_turn0\"}], \"run_number\": null, \"config\": \"execution\","
  " \"has_a2a_augmentation\": false, \"has_tool_augmentation\": false, \"has_env_events_augmentation\": false,"
  " \"has_exception\": false, \"exception_type\": null, \"exception_message\": null, \"tags\": [\"Execution\"],"
  " \"hf_metadata\": null}, \"simulation\": null, \"annotation\": null, \"execution\": null, \"runner_config\": null},"
  " \"apps\": ["
  "  {\"name\": \"AgentUserInterface\", \"class_name\": \"AgentUserInterface\", \"app_state\": {\"messages\": []}},"
  "  {\"name\": \"SystemApp\", \"class_name\": \"SystemApp\", \"app_state\": {}},"
  "  {\"name\": \"Contacts\", \"class_name\": \"ContactsApp\", \"app_state\": {\"view_limit\": 10, \"contacts\": {"
  "   \"c_me\": {\"contact_id\": \"c_me\", \"first_name\": \"Lea\", \"last_name\": \"Moreau\", \"is_user\": true, \"age\": 34,"
  "    \"phone\": \"+33600000000\", \"address\": \"12 Rue Oberkampf, Paris\"},"
  "   \"c_ana\": {\"contact_id\": \"c_ana\", \"first_name\": \"Ana\", \"last_name\": \"Silva\", \"age\": 31, \"phone\": \"+351910000001\"},"
  "   \"c_ben\": {\"contact_id\": \"c_ben\", \"first_name\": \"Ben\", \"last_name\": \"Okafor\", \"age\": 29, \"phone\": \"+447700000002\"}}}},"
  "  {\"name\": \"Chats\", \"class_name\": \"MessagingAppV2\", \"app_state\": {"
  "   \"conversations\": {}, \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"PHONE_NUMBER\","
  "   \"name_to_id\": {\"Ana Silva\": \"+351910000001\", \"Ben Okafor\": \"+447700000002\", \"Lea Moreau\": \"+33600000000\"},"
  "   \"id_to_name\": {\"+351910000001\": \"Ana Silva\", \"+447700000002\": \"Ben Okafor\", \"+33600000000\": \"Lea Moreau\"},"
  "   \"current_user_id\": \"+33600000000\", \"current_user_name\": \"Lea Moreau\"}}"
  " ],"
  " \"events\": ["
  "  {\"class_name\": \"Event\", \"event_type\": \"USER\", \"event_id\": \"user_turn0\", \"dependencies\": [], \"event_time\": null, \"event_relative_time\": 0.0,"
  "   \"action\": {\"action_id\": \"a_u0\", \"app\": \"AgentUserInterface\", \"function\": \"send_message_to_agent\", \"operation_type\": \"WRITE\", \"args\": ["
  "     {\"name\": \"content\", \"value\": \"Make a group chat 'Lisbon trip' with Ana and Ben.\", \"value_type\": \"str\"},"
  "     {\"name\": \"attachments\", \"value\": null, \"value_type\": null}]}},"
  "  {\"class_name\": \"OracleEvent\", \"event_type\": \"AGENT\", \"event_id\": \"oracle_create\", \"dependencies\": [\"user_turn0\"], \"event_time\": null, \"event_relative_time\": 1.0, \"event_time_comparator\": null,"
  "   \"action\": {\"action_id\": \"\", \"app\": \"Chats\", \"function\": \"create_group_conversation\", \"operation_type\": null, \"args\": ["
  "     {\"name\": \"user_ids\", \"value\": \"[\\\"+351910000001\\\", \\\"+447700000002\\\"]\", \"value_type\": \"list\"},"
  "     {\"name\": \"title\", \"value\": \"Lisbon trip\", \"value_type\": \"str | None\"}]}},"
  "  {\"class_name\": \"OracleEvent\", \"event_type\": \"AGENT\", \"event_id\": \"oracle_report0\", \"dependencies\": [\"oracle_create\"], \"event_time\": null, \"event_relative_time\": 1.0, \"event_time_comparator\": null,"
  "   \"action\": {\"action_id\": \"\", \"app\": \"AgentUserInterface\", \"function\": \"send_message_to_user\", \"operation_type\": null, \"args\": ["
  "     {\"name\": \"content\", \"value\": \"Created the group 'Lisbon trip' with Ana and Ben.\", \"value_type\": \"str\"}]}},"
  "  {\"class_name\": \"Event\", \"event_type\": \"USER\", \"event_id\": \"user_turn1\", \"dependencies\": [\"oracle_report0\"], \"event_time\": null, \"event_relative_time\": 0.0,"
  "   \"action\": {\"action_id\": \"a_u1\", \"app\": \"AgentUserInterface\", \"function\": \"send_message_to_agent\", \"operation_type\": \"WRITE\", \"args\": ["
  "     {\"name\": \"content\", \"value\": \"Reply 'See you Friday!' in that group.\", \"value_type\": \"str\"}]}},"
  "  {\"class_name\": \"Event\", \"event_type\": \"ENV\", \"event_id\": \"env_ana_msg\", \"dependencies\": [\"oracle_report0\"], \"event_time\": null, \"event_relative_time\": 1.0,"
  "   \"action\": {\"action_id\": \"a_e1\", \"app\": \"Chats\", \"function\": \"create_and_add_message\", \"operation_type\": \"WRITE\", \"args\": ["
  "     {\"name\": \"conversation_id\", \"value\": \"{{oracle_create}}\", \"value_type\": \"str\"},"
  "     {\"name\": \"sender_id\", \"value\": \"+351910000001\", \"value_type\": \"str\"},"
  "     {\"name\": \"content\", \"value\": \"Can't wait!\", \"value_type\": \"str\"}]}},"
  "  {\"class_name\": \"OracleEvent\", \"event_type\": \"AGENT\", \"event_id\": \"oracle_reply\", \"dependencies\": [\"user_turn1\"], \"event_time\": null, \"event_relative_time\": 1.0, \"event_time_comparator\": null,"
  "   \"action\": {\"action_id\": \"\", \"app\": \"Chats\", \"function\": \"send_message_to_group_conversation\", \"operation_type\": null, \"args\": ["
  "     {\"name\": \"conversation_id\", \"value\": \"{{oracle_create}}\", \"value_type\": \"str\"},"
  "     {\"name\": \"content\", \"value\": \"See you Friday!\", \"value_type\": \"str\"},"
  "     {\"name\": \"attachment_path\", \"value\": null, \"value_type\": \"str | None\"}]}},"
  "  {\"class_name\": \"OracleEvent\", \"event_type\": \"AGENT\", \"event_id\": \"oracle_report1\", \"dependencies\": [\"oracle_reply\"], \"event_time\": null, \"event_relative_time\": 1.0, \"event_time_comparator\": null,"
  "   \"action\": {\"action_id\": \"\", \"app\": \"AgentUserInterface\", \"function\": \"send_message_to_user\", \"operation_type\": null, \"args\": ["
  "     {\"name\": \"content\", \"value\": \"Posted 'See you Friday!' in Lisbon trip.\", \"value_type\": \"str\"}]}}"
  " ],"
  " \"completed_events\": [], \"world_logs\": [], \"context\": null, \"augmentation\": null}";

static SigmaJsonScenario *
load_example (void)
{
  g_autoptr(GError) error = NULL;
  SigmaJsonScenario *scenario = sigma_json_scenario_new_from_data (spec_example, -1, SIGMA_JSON_STRICT, &error);

  g_assert_no_error (error);
  return scenario;
}

static void
test_example_turns (void)
{
  g_autoptr(SigmaJsonScenario) scenario = load_example ();
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rationale = NULL;
  SigmaEventLog *reference;
  SigmaEventLog *log;
  static const struct { const char *id; gdouble t; } raw[] = {
    { "user_turn0", 0 }, { "oracle_create", 1 }, { "oracle_report0", 2 }, { "user_turn1", 2 },
    { "env_ana_msg", 3 }, { "oracle_reply", 3 }, { "oracle_report1", 4 },
  };

  g_test_summary ("The two-turn example of the spec: turns, tasks, placeholders, the reference oracle run's "
                  "times, and the gated oracle run turn by turn");

  g_assert_cmpuint (sigma_json_scenario_get_n_turns (scenario), ==, 2);
  g_assert_cmpstr (sigma_json_scenario_get_task (scenario, 0), ==, "Make a group chat 'Lisbon trip' with Ana and Ben.\n");
  g_assert_cmpstr (sigma_json_scenario_get_task (scenario, 1), ==, "Reply 'See you Friday!' in that group.\n");
  g_assert_cmpint (sigma_json_scenario_get_event_turn (scenario, "oracle_report0"), ==, 0);
  g_assert_cmpint (sigma_json_scenario_get_event_turn (scenario, "user_turn1"), ==, 1);
  g_assert_cmpint (sigma_json_scenario_get_event_turn (scenario, "env_ana_msg"), ==, 1);
  g_assert_cmpuint (scenario->placeholders->len, ==, 1);
  g_assert_cmpstr (((SigmaJsonPlaceholder *) g_ptr_array_index (scenario->placeholders, 0))->parent_tool_name, ==,
                   "Chats__create_group_conversation");

  /* the reference run: the DAG as written (spec "Derived facts") */
  reference = sigma_json_scenario_get_oracle_log (scenario, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sigma_event_log_get_length (reference), ==, G_N_ELEMENTS (raw));
  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_lookup (reference, raw[i].id);

      g_assert_nonnull (event);
      g_assert_false (sigma_completed_event_is_failure (event));
      g_assert_cmpfloat (rel (event, 1728975600.0), ==, raw[i].t);
    }

  /* the oracle run goes turn by turn through condition_turn_1: it is checked every second from
   * the start and holds once the first message to the user is in the log; at +2 its check sorts
   * before "oracle_report0" (ARE orders a tick by event id), so it holds at +3 */
  env = sigma_environment_new ();
  g_assert_true (sigma_json_scenario_run_oracle (scenario, env, &error));
  g_assert_no_error (error);
  log = sigma_environment_get_log (env);
  g_assert_cmpfloat (rel (sigma_event_log_lookup (log, "condition_turn_1-CHECK_2"), 1728975600.0), ==, 2);
  g_assert_false (json_node_get_boolean (sigma_completed_event_get_return_value (sigma_event_log_lookup (log, "condition_turn_1-CHECK_2"))));
  g_assert_true (json_node_get_boolean (sigma_completed_event_get_return_value (sigma_event_log_lookup (log, "condition_turn_1-CHECK_3"))));
  g_assert_cmpstr (sigma_completed_event_get_function (sigma_event_log_lookup (log, "condition_turn_1-CHECK_3")), ==,
                   "wrapped_condition__turn_idx_1__scenario_id_demo_group_chat_two_turns");
  g_assert_cmpfloat (rel (sigma_event_log_lookup (log, "user_turn1"), 1728975600.0), ==, 3);
  g_assert_cmpfloat (rel (sigma_event_log_lookup (log, "env_ana_msg"), 1728975600.0), ==, 4);
  g_assert_cmpfloat (rel (sigma_event_log_lookup (log, "oracle_report1"), 1728975600.0), ==, 5);
  g_assert_false (sigma_completed_event_is_failure (sigma_event_log_lookup (log, "env_ana_msg")));
  g_assert_null (sigma_event_log_lookup (log, "condition_turn_1-CHECK_4"));

  g_assert_true (sigma_scenario_validate (SIGMA_SCENARIO (scenario), env, &rationale, &error));
  g_assert_no_error (error);
}

static void
test_example_agent_placeholders (void)
{
  g_autoptr(SigmaJsonScenario) scenario = load_example ();
  g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonObject) create_args = json_object_new ();
  g_autoptr(JsonObject) message_args = json_object_new ();
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonArray) users = json_array_new ();
  SigmaEventLog *log;
  SigmaCompletedEvent *ana;

  g_test_summary ("In an agent run the turn gate opens after the agent's first message to the user and maps "
                  "the agent's create_group_conversation onto the oracle's, so the ENV event of turn 1 gets the "
                  "agent's conversation id");

  g_assert_true (sigma_scenario_setup (SIGMA_SCENARIO (scenario), env, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (sigma_environment_get_duration (env), ==, 1800.0);   /* the benchmark's */
  g_assert_true (sigma_environment_advance (env, 1.0, &error));
  g_assert_no_error (error);

  json_array_add_string_element (users, "+351910000001");
  json_array_add_string_element (users, "+447700000002");
  json_object_set_array_member (create_args, "user_ids", json_array_ref (users));
  json_object_set_string_member (create_args, "title", "Lisbon trip");
  conversation = sigma_environment_call_tool (env, "Chats", "create_group_conversation", create_args,
                                              SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_no_error (error);
  json_object_set_string_member (message_args, "content", "Done.");
  reply = sigma_environment_call_tool (env, "AgentUserInterface", "send_message_to_user", message_args,
                                       SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_no_error (error);
  g_assert_true (sigma_environment_advance (env, 5.0, &error));
  g_assert_no_error (error);

  log = sigma_environment_get_log (env);
  g_assert_nonnull (sigma_event_log_lookup (log, "user_turn1"));
  ana = sigma_event_log_lookup (log, "env_ana_msg");
  g_assert_nonnull (ana);
  if (sigma_completed_event_is_failure (ana))
    g_error ("env_ana_msg failed: %s", sigma_completed_event_get_error_message (ana));
  g_assert_true (json_node_equal (json_object_get_member (sigma_completed_event_get_args (ana), "conversation_id"),
                                  conversation));
  /* oracle events are expectations only in an agent run */
  g_assert_null (sigma_event_log_lookup (log, "oracle_create"));
}

/* ------------------------------------------------------------------------------------ */
/* Malformed input                                                                       */

/* The example with one member replaced: @path is a dotted path with [index] steps ending
 * with a member, @value JSON text, or NULL to remove the member. */
static char *
edited_example (const char *path,
                const char *value)
{
  g_autoptr(JsonNode) root = parse_text (spec_example);
  g_auto(GStrv) steps = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (steps);

  for (guint i = 0; i < n; i++)
    {
      char *bracket = strchr (steps[i], '[');
      g_autofree char *name = bracket != NULL ? g_strndup (steps[i], bracket - steps[i]) : g_strdup (steps[i]);
      JsonObject *object = json_node_get_object (node);

      if (i == n - 1 && bracket == NULL)
        {
          if (value == NULL)
            json_object_remove_member (object, name);
          else
            json_object_set_member (object, name, parse_text (value));
          break;
        }
      node = json_object_get_member (object, name);
      while (bracket != NULL)
        {
          guint index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);
          JsonArray *array = json_node_get_array (node);

          bracket = strchr (bracket + 1, '[');
          g_assert_false (i == n - 1 && bracket == NULL);   /* the last step is a member */
          node = json_array_get_element (array, index);
        }
    }
  return sigma_json_dumps (root);
}

static void
assert_load_error (const char *text,
                   gint        code,
                   const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaJsonScenario) scenario = sigma_json_scenario_new_from_data (text, -1, SIGMA_JSON_STRICT, &error);

  g_assert_null (scenario);
  g_assert_error (error, SIGMA_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("expected '%s' in the message: %s", message_part, error->message);
}

static void
test_error_not_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_test_summary ("Text that is not JSON: SIGMA_ERROR_INVALID_DATA with the line and column");

  assert_load_error ("{\"version\": \"are_simulation_v1\",\n  \"metadata\": }", SIGMA_ERROR_INVALID_DATA,
                     "line 2, column 15: expected a value, found '}'");
  assert_load_error ("{\"a\": [1, 2,, 3]}", SIGMA_ERROR_INVALID_DATA, "line 1, column 13");
  assert_load_error ("", SIGMA_ERROR_INVALID_DATA, "line 1, column 1: expected a value, found the end of the data");
  assert_load_error ("{\"a\": \"\xff\"}", SIGMA_ERROR_INVALID_DATA, "line 1, column 8: invalid UTF-8");
  assert_load_error ("{\"a\": 1} x", SIGMA_ERROR_INVALID_DATA, "line 1, column 10");
  assert_load_error ("{\"a\": \"tab\there\"}", SIGMA_ERROR_INVALID_DATA, "unescaped control character");
  assert_load_error ("{\"a\": 01}", SIGMA_ERROR_INVALID_DATA, "a number cannot start with 0");
  assert_load_error ("{\"a\": NaN}", SIGMA_ERROR_INVALID_DATA, "expected a value");
  assert_load_error ("[1, 2]", SIGMA_ERROR_INVALID_DATA, "expected a JSON object at the top level, found an array");

  /* from a file: the file name comes first */
  dir = g_dir_make_tmp ("sigma-json-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bad.json", NULL);
  g_assert_true (g_file_set_contents (path, "{\n\n  \"version\" \"x\"}", -1, &error));
  scenario = sigma_json_scenario_new_from_file (path, SIGMA_JSON_STRICT, &error);
  g_assert_null (scenario);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "line 3, column 13: expected ':' after a member name"));
  g_clear_error (&error);
  scenario = sigma_json_scenario_new_from_file ("/nonexistent/x.json", SIGMA_JSON_STRICT, &error);
  g_assert_null (scenario);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_remove (path);
  g_rmdir (dir);
}

static void
test_error_wrong_types (void)
{
  g_autofree char *t1 = edited_example ("events[0].event_relative_time", "\"0\"");
  g_autofree char *t2 = edited_example ("apps", "{}");
  g_autofree char *t3 = edited_example ("events[4].action.args[2].value", "3");
  g_autofree char *t4 = edited_example ("metadata.definition.scenario_id", NULL);
  g_autofree char *t5 = edited_example ("events[1].dependencies", "\"user_turn0\"");
  g_autofree char *t6 = edited_example ("metadata.definition.seed", "1.5");
  g_autofree char *t7 = edited_example ("events[3].event_type", "\"VALIDATION\"");
  g_autofree char *t8 = edited_example ("events[1].action.args[0].value", "\"[\\\"a\\\",\"");
  g_autofree char *t9 = edited_example ("events[0].event_relative_time", "-1");
  g_autofree char *t10 = edited_example ("metadata.definition.hints[0].hint_type", "\"task\"");

  g_test_summary ("Wrong types and bad values are SIGMA_ERROR_INVALID_DATA naming the JSON path");

  assert_load_error (t1, SIGMA_ERROR_INVALID_DATA, "events[0].event_relative_time: expected a number, found a string");
  assert_load_error (t2, SIGMA_ERROR_INVALID_DATA, "apps: expected an array, found an object");
  assert_load_error (t3, SIGMA_ERROR_INVALID_DATA, "events[4].action.args[2].value: expected a string, found a number");
  assert_load_error (t4, SIGMA_ERROR_INVALID_DATA, "metadata.definition.scenario_id: required member is missing");
  assert_load_error (t5, SIGMA_ERROR_INVALID_DATA, "events[1].dependencies: expected an array, found a string");
  assert_load_error (t6, SIGMA_ERROR_INVALID_DATA, "metadata.definition.seed: expected an integer");
  assert_load_error (t7, SIGMA_ERROR_INVALID_DATA, "events[3].event_type: VALIDATION events cannot be imported");
  assert_load_error (t8, SIGMA_ERROR_INVALID_DATA, "events[1].action.args[0].value: Error converting to JSON value");
  assert_load_error (t9, SIGMA_ERROR_INVALID_EVENT, "events[0].event_relative_time: event_relative_time must be non-negative");
  assert_load_error (t10, SIGMA_ERROR_INVALID_DATA, "metadata.definition.hints[0].hint_type: unknown hint type 'task'");
}

static void
test_error_version (void)
{
  g_autofree char *t1 = edited_example ("version", "\"2.0\"");
  g_autofree char *t2 = edited_example ("version", NULL);

  g_test_summary ("An unknown or missing version is an error naming `version`");

  assert_load_error (t1, SIGMA_ERROR_INVALID_DATA, "version: Unsupported version: '2.0'");
  assert_load_error (t2, SIGMA_ERROR_INVALID_DATA, "version: required member is missing");
}

static void
test_error_dependencies (void)
{
  g_autofree char *unknown = edited_example ("events[5].dependencies", "[\"user_turn9\"]");
  g_autofree char *cycle = edited_example ("events[1].dependencies", "[\"user_turn0\", \"oracle_report0\"]");
  g_autofree char *self_dep = edited_example ("events[2].dependencies", "[\"oracle_report0\"]");
  g_autofree char *duplicate = edited_example ("events[6].event_id", "\"oracle_reply\"");

  g_test_summary ("An unknown dependency id, a cycle and a duplicate id are errors naming the JSON path");

  assert_load_error (unknown, SIGMA_ERROR_UNKNOWN_DEPENDENCY,
                     "events[5].dependencies[0]: event 'oracle_reply' depends on an unknown event id 'user_turn9'");
  assert_load_error (cycle, SIGMA_ERROR_CYCLE, "the dependencies form a cycle: ");
  assert_load_error (cycle, SIGMA_ERROR_CYCLE, "'oracle_create'");
  assert_load_error (self_dep, SIGMA_ERROR_CYCLE, "events[2].dependencies[0]: the dependencies form a cycle");
  assert_load_error (duplicate, SIGMA_ERROR_DUPLICATE_ID, "events[6].event_id: two events have the id 'oracle_reply'");
}

static void
test_error_apps_and_tools (void)
{
  g_autofree char *unknown_class = edited_example ("apps[3].class_name", "\"StatefulMessagingApp\"");
  g_autofree char *unknown_app = edited_example ("events[4].action.app", "\"Whatsapp\"");
  g_autofree char *unknown_tool = edited_example ("events[4].action.function", "\"teleport\"");
  g_autofree char *oracle_tool = edited_example ("events[1].action.function", "\"create_group\"");
  g_autofree char *bad_state = edited_example ("apps[2].app_state.contacts.c_ana.age", "\"old\"");
  g_autoptr(SigmaJsonScenario) lenient = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("In strict mode an unknown app class, app or tool is an error naming the JSON path; "
                  "lenient mode keeps an unknown class as an opaque app");

  assert_load_error (unknown_class, SIGMA_ERROR_UNKNOWN_APP, "apps[3].class_name: unknown app class 'StatefulMessagingApp'");
  assert_load_error (unknown_app, SIGMA_ERROR_UNKNOWN_APP, "events[4].action.app: App Whatsapp not found");
  assert_load_error (unknown_tool, SIGMA_ERROR_UNKNOWN_TOOL, "events[4].action.function: Function 'teleport' not found in app 'Chats'");
  assert_load_error (oracle_tool, SIGMA_ERROR_UNKNOWN_TOOL, "events[1].action.function");
  assert_load_error (bad_state, SIGMA_ERROR_INVALID_DATA, "apps[2].app_state");

  n_warnings = 0;
  expect_warnings (TRUE);
  lenient = sigma_json_scenario_new_from_data (unknown_class, -1, SIGMA_JSON_LENIENT, &error);
  expect_warnings (FALSE);
  g_assert_no_error (error);
  g_assert_cmpuint (n_warnings, ==, 1);
  g_assert_nonnull (strstr (sigma_json_scenario_get_warnings (lenient)[0], "apps[3].class_name: unknown app class"));
}

static void
test_error_dag_rules (void)
{
  g_autofree char *root_env = edited_example ("events[4].dependencies", "[]");
  g_autofree char *root_oracle = edited_example ("events[1].dependencies", "[]");
  g_autofree char *after_smu = edited_example ("events[5].dependencies", "[\"oracle_report0\"]");
  g_autofree char *comparator = edited_example ("events[4].event_time_comparator", "\"EQUAL\"");
  g_autofree char *condition = edited_example ("events[4].event_type", "\"CONDITION\"");
  g_autoptr(JsonNode) late_root = parse_text (spec_example);
  g_autofree char *late = NULL;
  JsonObject *ev;

  g_test_summary ("ARE's DAG rules in strict mode: no root ENV or oracle event, only ENV and user messages "
                  "after a send_message_to_user, no comparator on ENV events, conditions need execution metadata, "
                  "a turn's events no later than its send_message_to_user");

  assert_load_error (root_env, SIGMA_ERROR_INVALID_EVENT, "events[4].dependencies: Env events must have only one predecessor event");
  assert_load_error (root_oracle, SIGMA_ERROR_INVALID_EVENT, "events[1].dependencies: Agent events must have at least one predecessor event");
  assert_load_error (after_smu, SIGMA_ERROR_INVALID_EVENT, "events[5].dependencies: The send_message_to_group_conversation event is not allowed to link after send_message_to_user");
  assert_load_error (comparator, SIGMA_ERROR_INVALID_DATA, "events[4].event_time_comparator: event_time_comparator is only supported for events of type AGENT");
  assert_load_error (condition, SIGMA_ERROR_INVALID_DATA, "events[4].action.function: condition 'create_and_add_message' names a Python callback");

  /* rule 6: the turn's send_message_to_user must be its latest event (ARE accumulates times
   * from 0 across a turn boundary, so env_ana_msg is at 30 and the message at 2) */
  ev = json_array_get_object_element (json_object_get_array_member (json_node_get_object (late_root), "events"), 4);
  json_object_set_double_member (ev, "event_relative_time", 30.0);
  late = sigma_json_dumps (late_root);
  assert_load_error (late, SIGMA_ERROR_INVALID_EVENT,
                     "events[6].dependencies: send_message_to_user event's time (2) should be the maximum of the turn (30)");

  /* … and no event added after it may be later */
  {
    g_autoptr(JsonNode) root = parse_text (spec_example);
    g_autoptr(JsonNode) extra = parse_text ("{\"class_name\": \"Event\", \"event_type\": \"USER\", \"event_id\": \"user_late\","
                                            " \"dependencies\": [\"oracle_reply\"], \"event_time\": null, \"event_relative_time\": 30,"
                                            " \"action\": {\"action_id\": \"a\", \"app\": \"AgentUserInterface\","
                                            " \"function\": \"send_message_to_agent\", \"operation_type\": null, \"args\": ["
                                            " {\"name\": \"content\", \"value\": \"and?\", \"value_type\": \"str\"}]}}");
    g_autofree char *text = NULL;

    /* a turn whose times are all 0 or 1 is not checked */
    json_object_set_double_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "events"), 4),
                                   "event_relative_time", 2.0);
    json_array_add_element (json_object_get_array_member (json_node_get_object (root), "events"), g_steal_pointer (&extra));
    text = sigma_json_dumps (root);
    assert_load_error (text, SIGMA_ERROR_INVALID_EVENT,
                       "events[7].dependencies: New event's time (31) exceeds send_message_to_user event's time (2)");
  }
}

static void
test_check_collects (void)
{
  g_autoptr(JsonNode) root = parse_text (spec_example);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) none = NULL;
  JsonArray *events = json_object_get_array_member (json_node_get_object (root), "events");
  static const char * const expected[] = {
    "version: Unsupported version",
    "apps[3].class_name: unknown app class 'Nope'",
    "events[0].event_relative_time: expected a number",
    "events[4].dependencies[0]: event 'env_ana_msg' depends on an unknown event id 'ghost'",
    "events[6].action.args[0].value: Non-optional type str cannot be None or empty",
  };

  g_test_summary ("sigma_json_scenario_check_data() collects every problem of a file, each with its JSON path");

  json_object_set_string_member (json_node_get_object (root), "version", "are_simulation_v2");
  json_object_set_string_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "apps"), 3),
                                 "class_name", "Nope");
  json_object_set_string_member (json_array_get_object_element (events, 0), "event_relative_time", "soon");
  json_array_remove_element (json_object_get_array_member (json_array_get_object_element (events, 4), "dependencies"), 0);
  json_array_add_string_element (json_object_get_array_member (json_array_get_object_element (events, 4), "dependencies"), "ghost");
  json_object_set_null_member (json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (json_array_get_object_element (events, 6), "action"), "args"), 0),
                               "value");
  text = sigma_json_dumps (root);

  problems = sigma_json_scenario_check_data (text, -1, SIGMA_JSON_STRICT);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", ((GError *) g_ptr_array_index (problems, i))->message);
  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < problems->len && !found; i++)
        found = strstr (((GError *) g_ptr_array_index (problems, i))->message, expected[e]) != NULL;
      if (!found)
        g_error ("no problem '%s' among %u", expected[e], problems->len);
    }

  none = sigma_json_scenario_check_data (spec_example, -1, SIGMA_JSON_STRICT);
  g_assert_cmpuint (none->len, ==, 0);
}

/* ------------------------------------------------------------------------------------ */
/* Values                                                                               */

static void
assert_decodes (const char *value,
                const char *value_type,
                const char *expected_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sigma_json_decode_value (value, value_type, FALSE, NULL, &error);
  g_autofree char *text = NULL;

  if (node == NULL)
    g_error ("'%s' as %s: %s", value, value_type, error->message);
  text = sigma_json_dumps (node);
  if (!g_str_equal (text, expected_json))
    g_error ("'%s' as %s gave %s, expected %s", value, value_type, text, expected_json);
}

static void
assert_decode_fails (const char *value,
                     const char *value_type,
                     const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sigma_json_decode_value (value, value_type, FALSE, NULL, &error);

  g_assert_null (node);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  if (strstr (error->message, message_part) == NULL)
    g_error ("'%s' as %s: expected '%s' in '%s'", value, value_type, message_part, error->message);
}

static void
assert_decodes_leniently (const char *value,
                          const char *value_type,
                          const char *expected_json,
                          guint       expected_leniency)
{
  g_autoptr(GError) error = NULL;
  guint leniencies = 0;
  g_autoptr(JsonNode) node = sigma_json_decode_value (value, value_type, TRUE, &leniencies, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = sigma_json_dumps (node);
  g_assert_cmpstr (text, ==, expected_json);
  g_assert_cmpuint (leniencies, ==, expected_leniency);
}

static void
test_decode_values (void)
{
  g_test_summary ("Argument values decode by value_type exactly as ARE's _parse_parameter_value (§6.3)");

  /* null and empty */
  assert_decodes (NULL, NULL, "null");
  assert_decodes (NULL, "Optional[str]", "null");
  assert_decodes ("", "Optional[str]", "null");
  assert_decodes ("", "str | None", "null");
  assert_decodes (NULL, "None | int", "null");
  assert_decodes ("", "dict[str, int | None] | None", "null");
  assert_decode_fails ("", "str", "Non-optional type str cannot be None or empty");
  assert_decode_fails (NULL, "int", "Non-optional type int cannot be None or empty");
  assert_decode_fails ("", "dict[str, int | None]", "Non-optional type");
  assert_decode_fails ("x", NULL, "needs a value_type");
  assert_decode_fails ("", NULL, "needs a value_type");

  /* placeholders are kept whatever the type */
  assert_decodes ("{{oracle_create}}", "int", "\"{{oracle_create}}\"");
  assert_decodes ("{{e.key.sub}}", "list", "\"{{e.key.sub}}\"");
  assert_decode_fails ("Hi {{x}}", "int", "invalid literal for int()");

  /* str */
  assert_decodes ("hello", "str", "\"hello\"");
  assert_decodes ("  spaced ", "str | None", "\"  spaced \"");
  assert_decodes ("42", "str", "\"42\"");

  /* int: Python's int() */
  assert_decodes ("1", "int", "1");
  assert_decodes (" -5 ", "int", "-5");
  assert_decodes ("+7", "int", "7");
  assert_decodes ("1_000", "int", "1000");
  assert_decodes ("007", "int", "7");
  assert_decodes ("5", "Optional[int]", "5");
  assert_decode_fails ("3.0", "int", "invalid literal for int() with base 10: '3.0'");
  assert_decode_fails ("1__0", "int", "invalid literal");
  assert_decode_fails ("_1", "int", "invalid literal");
  assert_decode_fails ("0x10", "int", "invalid literal");
  assert_decode_fails ("99999999999999999999", "int", "does not fit in 64 bits");

  /* float: Python's float() */
  assert_decodes ("2.5", "float", "2.5");
  assert_decodes (" 1e-5 ", "float", "1e-05");
  assert_decodes ("3", "float", "3.0");
  assert_decodes ("1_0.5", "float", "10.5");
  assert_decodes (".5", "float", "0.5");
  assert_decodes ("5.", "float", "5.0");
  assert_decodes ("-0", "float", "-0.0");
  {
    g_autoptr(JsonNode) inf = sigma_json_decode_value ("-Infinity", "float", FALSE, NULL, NULL);
    g_autoptr(JsonNode) nan = sigma_json_decode_value ("nan", "float | None", FALSE, NULL, NULL);

    g_assert_true (isinf (json_node_get_double (inf)) && json_node_get_double (inf) < 0);
    g_assert_true (isnan (json_node_get_double (nan)));
  }
  assert_decode_fails ("1.2.3", "float", "could not convert string to float");
  assert_decode_fails ("abc", "float", "could not convert string to float");

  /* bool: anything not true-ish is False, never an error */
  assert_decodes ("True", "bool", "true");
  assert_decodes ("yes", "bool", "true");
  assert_decodes ("1", "bool", "true");
  assert_decodes ("T", "bool", "true");
  assert_decodes ("y", "bool", "true");
  assert_decodes ("False", "bool", "false");
  assert_decodes ("no", "bool", "false");
  assert_decodes ("maybe", "bool", "false");
  assert_decodes (" true", "bool", "false");

  /* list and dict: json.loads, the declared element types are not checked */
  assert_decodes ("[\"a@x.com\"]", "list[str]", "[\"a@x.com\"]");
  assert_decodes ("[]", "list", "[]");
  assert_decodes ("{\"job\": \"Never\"}", "dict[str, Any]", "{\"job\": \"Never\"}");
  assert_decodes ("{\"a\": 1}", "list", "{\"a\": 1}");
  assert_decodes (" [1, 2.5, null] ", "list[int]", "[1, 2.5, null]");
  assert_decodes ("[NaN]", "list", "[NaN]");
  assert_decode_fails ("['David Wilson']", "list", "Error converting to JSON value ['David Wilson'] to list");
  assert_decode_fails ("{'a': 1}", "dict", "Error converting to JSON value");

  /* anything else is unsupported, including nested Optional */
  assert_decode_fails ("None", "NoneType", "Unsupported type NoneType");
  assert_decode_fails ("(1, 2)", "tuple", "Unsupported type tuple");
  assert_decode_fails ("2024-10-15", "datetime", "Unsupported type datetime");
  assert_decode_fails ("[\"a\"]", "Optional[list[str]]", "Unsupported type list[str]");
  assert_decode_fails ("x", " str", "Invalid type format");

  /* lenient mode: what ARE-derived tools write */
  assert_decodes_leniently ("None", "NoneType", "null", SIGMA_DECODE_NONE_TYPE);
  assert_decodes_leniently ("['David Wilson', \"O'Hara\"]", "list", "[\"David Wilson\", \"O'Hara\"]", SIGMA_DECODE_PYTHON_LITERAL);
  assert_decodes_leniently ("{'a': True, 'b': None, 1: (2, 3)}", "dict", "{\"a\": true, \"b\": null, \"1\": [2, 3]}",
                            SIGMA_DECODE_PYTHON_LITERAL);
  assert_decodes_leniently ("[1, 2]", NULL, "[1, 2]", SIGMA_DECODE_INFERRED_TYPE);
  assert_decodes_leniently ("text", NULL, "\"text\"", SIGMA_DECODE_INFERRED_TYPE);
  assert_decodes_leniently ("", "str", "\"\"", SIGMA_DECODE_EMPTY_AS_NULL);
  assert_decodes_leniently ("3.0", "int", "\"3.0\"", SIGMA_DECODE_KEPT_STRING);
  assert_decodes_leniently ("(1, 2)", "tuple", "[1, 2]", SIGMA_DECODE_KEPT_STRING);
  assert_decodes_leniently ("2024-10-15", "datetime", "\"2024-10-15\"", SIGMA_DECODE_KEPT_STRING);

  /* nullable types */
  g_assert_true (sigma_json_type_allows_none ("Optional[str]"));
  g_assert_true (sigma_json_type_allows_none ("int | None"));
  g_assert_true (sigma_json_type_allows_none ("None|str"));
  g_assert_false (sigma_json_type_allows_none ("dict[str, int | None]"));
  g_assert_false (sigma_json_type_allows_none ("str"));
  g_assert_false (sigma_json_type_allows_none ("NoneType"));
  g_assert_false (sigma_json_type_allows_none (NULL));
}

static void
assert_python (const char *json,
               const char *expected_dumps,
               const char *expected_str,
               const char *expected_type)
{
  g_autoptr(JsonNode) node = parse_text (json);
  g_autofree char *dumps = sigma_json_dumps (node);
  const char *type_name = NULL;
  g_autofree char *str = sigma_python_str (node, &type_name);
  g_autofree char *text = NULL;
  const char *value_type = NULL;

  g_assert_cmpstr (dumps, ==, expected_dumps);
  g_assert_cmpstr (str, ==, expected_str);
  g_assert_cmpstr (type_name, ==, expected_type);
  sigma_json_encode_value (node, &text, &value_type);
  if (expected_str != NULL)
    g_assert_cmpstr (value_type, ==, expected_type);
}

static void
test_python_text (void)
{
  g_test_summary ("Export text is Python's: json.dumps for lists and dicts, str() and repr() for return values");

  assert_python ("{\"a\": 1, \"b\": [true, null, 2.5]}", "{\"a\": 1, \"b\": [true, null, 2.5]}",
                 "{'a': 1, 'b': [True, None, 2.5]}", "dict");
  assert_python ("[\"caf\\u00e9\", \"\\ud83d\\ude00\", \"a\\\"b\", \"it's\"]",
                 "[\"caf\\u00e9\", \"\\ud83d\\ude00\", \"a\\\"b\", \"it's\"]",
                 "['café', '😀', 'a\"b', \"it's\"]", "list");
  assert_python ("\"line\\nbreak\"", "\"line\\nbreak\"", "line\nbreak", "str");
  assert_python ("1728975600.0", "1728975600.0", "1728975600.0", "float");
  assert_python ("1e-05", "1e-05", "1e-05", "float");
  assert_python ("1e16", "1e+16", "1e+16", "float");
  assert_python ("0.1", "0.1", "0.1", "float");
  assert_python ("123456789012345.6", "123456789012345.6", "123456789012345.6", "float");
  assert_python ("0.0001", "0.0001", "0.0001", "float");
  assert_python ("-3", "-3", "-3", "int");
  assert_python ("true", "true", "True", "bool");
  /* falsy values are exported as null */
  assert_python ("false", "false", NULL, NULL);
  assert_python ("0", "0", NULL, NULL);
  assert_python ("\"\"", "\"\"", NULL, NULL);
  assert_python ("[]", "[]", NULL, NULL);
  assert_python ("{}", "{}", NULL, NULL);
  assert_python ("null", "null", NULL, NULL);
}

static void
test_opaque_app (void)
{
  g_autoptr(SigmaApp) app = sigma_opaque_app_new ("Notes", "StatefulNotesApp");
  g_autoptr(JsonNode) state = parse_text ("{\"notes\": [{\"id\": 1}]}");
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "query", NULL };

  g_test_summary ("An opaque app stores its state, returns it unchanged, and has do-nothing tools");

  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "StatefulNotesApp");
  g_assert_true (sigma_app_load_state (app, state, &error));
  g_assert_no_error (error);
  saved = sigma_app_get_state (app);
  g_assert_true (json_node_equal (saved, state));

  sigma_opaque_app_add_function (SIGMA_OPAQUE_APP (app), "search_notes", names, SIGMA_TOOL_OPERATION_READ);
  sigma_opaque_app_add_function (SIGMA_OPAQUE_APP (app), "search_notes", NULL, SIGMA_TOOL_OPERATION_WRITE);
  g_assert_cmpint (sigma_tool_get_operation (sigma_app_lookup_tool (app, "search_notes")), ==, SIGMA_TOOL_OPERATION_READ);
  json_object_set_string_member (args, "query", "groceries");
  result = sigma_app_invoke (app, "search_notes", args, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (result));
}

/* ------------------------------------------------------------------------------------ */
/* Oracle actions of 320 Gaia2 scenarios (experiential's capture of the gaia2 dataset)       */

#define ORACLE_ACTION_FILES "are-scenarios/gaia2_exec-search_oracle-actions_via-experiential_"

/* The ARE value_type under which an argument of @type is decoded from its text. */
static const char *
value_type_of (SigmaValueType type)
{
  switch (type)
    {
    case SIGMA_VALUE_TYPE_INTEGER:
      return "int";
    case SIGMA_VALUE_TYPE_NUMBER:
      return "float";
    case SIGMA_VALUE_TYPE_BOOLEAN:
      return "bool";
    case SIGMA_VALUE_TYPE_ARRAY:
      return "list";
    case SIGMA_VALUE_TYPE_OBJECT:
      return "dict";
    case SIGMA_VALUE_TYPE_STRING:
    case SIGMA_VALUE_TYPE_ANY:
    default:
      return "str";
    }
}

/* The arguments of one oracle action, each text decoded by the declared type of the tool's
 * parameter of that name. NULL with @problem set when a name is not a parameter or a text
 * does not decode. */
static JsonObject *
decode_oracle_args (SigmaTool   *tool,
                    JsonObject  *texts,
                    char       **problem)
{
  g_autoptr(JsonObject) args = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *text;

  json_object_iter_init (&iter, texts);
  while (json_object_iter_next (&iter, &name, &text))
    {
      g_autoptr(GError) error = NULL;
      SigmaValueType type = SIGMA_VALUE_TYPE_ANY;
      gboolean found = FALSE;
      JsonNode *value;
      guint leniencies = 0;

      for (guint i = 0; i < sigma_tool_get_n_parameters (tool) && !found; i++)
        if (g_str_equal (sigma_tool_get_parameter_name (tool, i), name))
          {
            type = sigma_tool_get_parameter_type (tool, i);
            found = TRUE;
          }
      if (!found)
        {
          *problem = g_strdup_printf ("'%s' is not a parameter", name);
          return NULL;
        }
      /* the capture writes None as "" whatever the type (its `age` of add_new_contact) */
      if (JSON_NODE_HOLDS_NULL (text) ||
          (type != SIGMA_VALUE_TYPE_STRING && type != SIGMA_VALUE_TYPE_ANY && *json_node_get_string (text) == '\0'))
        value = json_node_new (JSON_NODE_NULL);
      else
        value = sigma_json_decode_value (json_node_get_string (text), value_type_of (type), TRUE,
                                         &leniencies, &error);
      if (value == NULL)
        {
          *problem = g_strdup_printf ("'%s' does not decode: %s", name, error->message);
          return NULL;
        }
      json_object_set_member (args, name, value);
    }
  return g_steal_pointer (&args);
}

static void
test_gaia2_oracle_actions (void)
{
  const char *parts[] = { "train", "test" };
  GString *problems = g_string_new (NULL);
  guint n_scenarios = 0, n_actions = 0, n_ok = 0, n_ran = 0;

  g_test_summary ("Every oracle action of 320 real Gaia2 scenarios names an existing tool with ARE's "
                  "parameter names, its arguments decode and validate, and running it on empty apps "
                  "gives a result or a GError, never a crash or a critical warning");

  for (gsize p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *name = g_strconcat (ORACLE_ACTION_FILES, parts[p], ".jsonl", NULL);
      g_autofree char *path = corpus_path (name);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL || !g_file_get_contents (path, &contents, NULL, &error))
        {
          g_test_skip ("SIGMA_CORPUS_DIR does not hold the corpus");
          g_string_free (problems, TRUE);
          return;
        }
      lines = g_strsplit (contents, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_autoptr(JsonNode) root = NULL;
          g_autoptr(SigmaEnvironment) env = NULL;
          JsonObject *data;
          JsonArray *oracle;

          if (*lines[l] == '\0')
            continue;
          root = parse_text (lines[l]);
          data = json_object_get_object_member (json_node_get_object (root), "data");
          oracle = json_object_get_array_member (data, "oracle");
          env = sigma_environment_new ();
          n_scenarios++;

          for (guint a = 0; a < json_array_get_length (oracle); a++)
            {
              JsonObject *action = json_array_get_object_element (oracle, a);
              const char *app_name = json_object_get_string_member (action, "app");
              const char *function = json_object_get_string_member (action, "function");
              g_autoptr(JsonObject) args = NULL;
              g_autoptr(JsonObject) effective = NULL;
              g_autoptr(JsonNode) result = NULL;
              g_autoptr(GError) call_error = NULL;
              g_autofree char *problem = NULL;
              SigmaApp *app = sigma_environment_get_app (env, app_name);
              SigmaTool *tool;

              n_actions++;
              if (app == NULL)
                {
                  const char *class_name = sigma_apps_get_canonical_name (app_name);
                  g_autoptr(SigmaApp) created = NULL;

                  /* Gaia2 names instances (Emails, Chats, Cabs…); the alias table knows their class */
                  if (class_name != NULL)
                    created = sigma_apps_create (class_name, app_name, &call_error);
                  else
                    g_set_error (&call_error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP, "no class for this name");

                  if (created == NULL || !sigma_environment_add_app (env, created, &call_error))
                    {
                      g_string_append_printf (problems, "%s line %u: app %s: %s\n", parts[p], l + 1,
                                              app_name, call_error->message);
                      continue;
                    }
                  app = created;
                }
              tool = sigma_app_lookup_tool (app, function);
              if (tool == NULL)
                {
                  g_string_append_printf (problems, "%s line %u: %s has no tool %s\n", parts[p], l + 1,
                                          app_name, function);
                  continue;
                }
              args = decode_oracle_args (tool, json_object_get_object_member (action, "args"), &problem);
              if (args != NULL)
                effective = sigma_tool_validate_args (tool, args, &call_error);
              if (args == NULL || effective == NULL)
                {
                  g_string_append_printf (problems, "%s line %u: %s__%s: %s\n", parts[p], l + 1, app_name,
                                          function, problem != NULL ? problem : call_error->message);
                  continue;
                }
              n_ok++;
              /* the apps are empty: most calls fail (no such email, event, apartment…), cleanly */
              result = sigma_environment_call_tool (env, app_name, function, args, SIGMA_EVENT_TYPE_AGENT,
                                                    &call_error);
              g_assert_true ((result == NULL) == (call_error != NULL));
              n_ran += result != NULL;
              if (sigma_environment_get_state (env) != SIGMA_ENVIRONMENT_STATE_RUNNING)
                break;   /* a message to the user with no turn gate may end nothing, but be safe */
            }
        }
    }

  g_test_message ("%u scenarios, %u oracle actions, %u validated, %u succeeded on empty apps",
                  n_scenarios, n_actions, n_ok, n_ran);
  g_assert_cmpstr (problems->str, ==, "");
  g_assert_cmpuint (n_scenarios, ==, 320);
  g_assert_cmpuint (n_ok, ==, n_actions);
  g_string_free (problems, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (test_log_writer, NULL, NULL);

  g_test_add_func ("/sigma/json/gaia2/strict-load", test_gaia2_strict_load);
  g_test_add_func ("/sigma/json/gaia2/oracle-timeline", test_gaia2_oracle_timeline);
  g_test_add_func ("/sigma/json/gaia2/final-state", test_gaia2_final_state);
  g_test_add_func ("/sigma/json/gaia2/judge", test_gaia2_judge);
  g_test_add_func ("/sigma/json/gaia2/export-roundtrip", test_gaia2_export_roundtrip);
  g_test_add_func ("/sigma/json/gaia2/export-format", test_gaia2_export_format);
  g_test_add_func ("/sigma/json/gaia2/judge-trace-edits", test_judge_trace_edits);
  g_test_add_func ("/sigma/json/gaia2/judge-time-edits", test_judge_time_edits);
  g_test_add_func ("/sigma/json/pare/lenient-load", test_pare_lenient_load);
  g_test_add_func ("/sigma/json/pare/env-times", test_pare_env_times);
  g_test_add_func ("/sigma/json/pare/condition-polling", test_pare_condition_polling);
  g_test_add_func ("/sigma/json/pare/strict-callback", test_pare_strict_callback);
  g_test_add_func ("/sigma/json/gaia2/oracle-actions", test_gaia2_oracle_actions);
  g_test_add_func ("/sigma/json/example/turns", test_example_turns);
  g_test_add_func ("/sigma/json/example/agent-placeholders", test_example_agent_placeholders);
  g_test_add_func ("/sigma/json/errors/not-json", test_error_not_json);
  g_test_add_func ("/sigma/json/errors/wrong-types", test_error_wrong_types);
  g_test_add_func ("/sigma/json/errors/version", test_error_version);
  g_test_add_func ("/sigma/json/errors/dependencies", test_error_dependencies);
  g_test_add_func ("/sigma/json/errors/apps-and-tools", test_error_apps_and_tools);
  g_test_add_func ("/sigma/json/errors/dag-rules", test_error_dag_rules);
  g_test_add_func ("/sigma/json/errors/check-collects", test_check_collects);
  g_test_add_func ("/sigma/json/values/decode", test_decode_values);
  g_test_add_func ("/sigma/json/values/python-text", test_python_text);
  g_test_add_func ("/sigma/json/opaque-app", test_opaque_app);

  return g_test_run ();
}
