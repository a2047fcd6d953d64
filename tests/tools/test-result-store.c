/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The result store (SQLite) and the batch statistics: pass@k and pass^k against values
 * computed by hand, storing and reading batches, runs and trajectories, retries, errors
 * for bad files, and several threads writing at once. */

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <sigma.h>

typedef struct {
  char             *dir;
  char             *path;
  SigmaResultStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("sigma-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "results.db", NULL);
  fixture->store = sigma_result_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static SigmaRunResult *
make_result (const char     *scenario_id,
             SigmaRunStatus  status,
             gdouble         score,
             guint64         tokens,
             gdouble         cost)
{
  SigmaRunResult *result = sigma_run_result_new (scenario_id, "scripted:test", 42);
  SigmaUsage usage = { 0, };

  usage.prompt_tokens = tokens;
  usage.completion_tokens = tokens / 2;
  usage.n_requests = 1;
  usage.cost = cost;
  sigma_run_result_set_verdict (result, status, status == SIGMA_RUN_STATUS_ERROR ? "endpoint down" : "why", score);
  sigma_run_result_set_end (result, status == SIGMA_RUN_STATUS_ERROR ? SIGMA_END_REASON_ERROR : SIGMA_END_REASON_AGENT_DONE,
                            3, 12.5, 0.25);
  sigma_run_result_set_usage (result, &usage);
  return result;
}

static JsonObject *
batch_config (guint runs)
{
  JsonObject *config = json_object_new ();

  json_object_set_string_member (config, "agent", "scripted:test");
  json_object_set_int_member (config, "runs", runs);
  json_object_set_int_member (config, "seed", 7);
  return config;
}

/* ------------------------------------------------------------------------------------- */

static void
test_pass_at_k (void)
{
  g_test_summary ("pass@k = 1 − C(n−c,k)/C(n,k) and pass^k = C(c,k)/C(n,k), by hand");

  /* n=5, c=2, k=2: C(3,2)/C(5,2) = 3/10; C(2,2)/C(5,2) = 1/10 */
  g_assert_cmpfloat_with_epsilon (sigma_pass_at_k (5, 2, 2), 0.7, 1e-12);
  g_assert_cmpfloat_with_epsilon (sigma_pass_hat_k (5, 2, 2), 0.1, 1e-12);
  /* n=10, c=3, k=5: 1 − C(7,5)/C(10,5) = 1 − 21/252; pass^5 = 0 (c < k) */
  g_assert_cmpfloat_with_epsilon (sigma_pass_at_k (10, 3, 5), 1.0 - 21.0 / 252.0, 1e-12);
  g_assert_cmpfloat (sigma_pass_hat_k (10, 3, 5), ==, 0.0);
  /* n=4, c=3, k=2: n−c < k so pass@2 = 1; pass^2 = C(3,2)/C(4,2) = 3/6 */
  g_assert_cmpfloat (sigma_pass_at_k (4, 3, 2), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (sigma_pass_hat_k (4, 3, 2), 0.5, 1e-12);
  /* k=1 is the pass rate */
  g_assert_cmpfloat_with_epsilon (sigma_pass_at_k (8, 3, 1), 3.0 / 8.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sigma_pass_hat_k (8, 3, 1), 3.0 / 8.0, 1e-12);
  /* nothing passed, everything passed */
  g_assert_cmpfloat (sigma_pass_at_k (3, 0, 2), ==, 0.0);
  g_assert_cmpfloat (sigma_pass_hat_k (3, 3, 3), ==, 1.0);
  g_assert_cmpfloat (sigma_pass_at_k (3, 3, 3), ==, 1.0);
}

static void
test_pass_at_k_preconditions (void)
{
  g_test_summary ("k above n, or c above n, is a programmer error");

  if (g_test_subprocess ())
    {
      sigma_pass_at_k (2, 1, 3);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*k >= 1 && k <= n*");
}

static void
add_run_json (JsonArray  *runs,
              const char *scenario,
              const char *status,
              gdouble     score,
              gint64      tokens,
              gdouble     cost)
{
  JsonObject *run = json_object_new ();
  JsonObject *usage = json_object_new ();

  json_object_set_string_member (run, "scenario_id", scenario);
  json_object_set_string_member (run, "status", status);
  json_object_set_double_member (run, "score", score);
  json_object_set_double_member (run, "wall_time", 0.5);
  json_object_set_int_member (usage, "prompt_tokens", tokens);
  json_object_set_int_member (usage, "completion_tokens", 10);
  json_object_set_int_member (usage, "requests", 2);
  json_object_set_double_member (usage, "cost", cost);
  json_object_set_object_member (run, "usage", usage);
  json_array_add_object_element (runs, run);
}

/* Scenario a: passed, failed, passed (scores 1, 0, 1). Scenario b: passed, error, failed
 * (scores 1, —, 0.5). */
static JsonArray *
sample_runs (void)
{
  JsonArray *runs = json_array_new ();

  add_run_json (runs, "a", "passed", 1, 100, 0.01);
  add_run_json (runs, "a", "failed", 0, 100, 0.01);
  add_run_json (runs, "b", "passed", 1, 100, 0.01);
  add_run_json (runs, "a", "passed", 1, 100, 0.01);
  add_run_json (runs, "b", "error", 0, 50, 0.005);
  add_run_json (runs, "b", "failed", 0.5, 100, 0.01);
  return runs;
}

static JsonObject *
scenario_stats (JsonObject *stats,
                guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (stats, "per_scenario"), i);
}

static void
test_statistics (void)
{
  g_autoptr(JsonArray) runs = sample_runs ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *stats, *usage, *a, *b;

  g_test_summary ("Batch statistics by hand: errors apart, pass rates over judged runs only");

  node = sigma_batch_statistics (runs, 2, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (stats, "k"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats, "runs"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (stats, "passed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (stats, "failed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats, "errors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "scenarios"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats, "scenarios_at_k"), ==, 2);
  /* a: n=3 c=2; b: n=2 c=1 (its error left out) */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "pass_at_1"), (2.0 / 3 + 1.0 / 2) / 2, 1e-12);
  /* pass@2: a 1 − C(1,2)/C(3,2) = 1, b 1 − C(1,2)/C(2,2) = 1 */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "pass_at_k"), 1.0, 1e-12);
  /* pass^2: a C(2,2)/C(3,2) = 1/3, b C(1,2)/C(2,2) = 0 */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "pass_hat_k"), 1.0 / 6, 1e-12);
  /* scores 1 0 1 1 0.5: mean 0.7, sample variance 0.8/4 = 0.2, s.e. sqrt(0.2/5) = 0.2 */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "mean_score"), 0.7, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "score_stderr"), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "wall_time"), 3.0, 1e-12);
  usage = json_object_get_object_member (stats, "usage");
  g_assert_cmpint (json_object_get_int_member (usage, "prompt_tokens"), ==, 550);
  g_assert_cmpint (json_object_get_int_member (usage, "completion_tokens"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (usage, "requests"), ==, 12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (usage, "cost"), 0.055, 1e-12);

  a = scenario_stats (stats, 0);
  b = scenario_stats (stats, 1);
  g_assert_cmpstr (json_object_get_string_member (a, "scenario_id"), ==, "a");
  g_assert_cmpint (json_object_get_int_member (a, "runs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (a, "passed"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (a, "verdict"), ==, "mixed");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "pass_rate"), 2.0 / 3, 1e-12);
  g_assert_cmpstr (json_object_get_string_member (b, "scenario_id"), ==, "b");
  g_assert_cmpint (json_object_get_int_member (b, "errors"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "pass_rate"), 0.5, 1e-12);
  g_clear_pointer (&node, json_node_unref);

  /* k=3: only a has 3 judged runs; pass@3 = 1, pass^3 = 0 */
  node = sigma_batch_statistics (runs, 3, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (stats, "scenarios_at_k"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (stats, "pass_at_k"), ==, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (stats, "pass_hat_k"), ==, 0.0);
}

static void
test_statistics_edges (void)
{
  g_autoptr(JsonArray) empty = json_array_new ();
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(JsonArray) bad = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *stats;

  g_test_summary ("No runs, only errors and malformed runs: null rates and clear errors");

  node = sigma_batch_statistics (empty, 1, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (stats, "pass_at_1"));
  g_assert_true (json_object_get_null_member (stats, "mean_score"));
  g_assert_true (json_object_get_null_member (stats, "score_stderr"));
  g_clear_pointer (&node, json_node_unref);

  add_run_json (errors, "x", "error", 0, 0, 0);
  add_run_json (errors, "x", "error", 0, 0, 0);
  node = sigma_batch_statistics (errors, 1, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (stats, "errors"), ==, 2);
  g_assert_true (json_object_get_null_member (stats, "pass_at_1"));
  g_assert_cmpstr (json_object_get_string_member (scenario_stats (stats, 0), "verdict"), ==, "error");
  g_assert_true (json_object_get_null_member (scenario_stats (stats, 0), "pass_rate"));
  g_clear_pointer (&node, json_node_unref);

  add_run_json (bad, "y", "maybe", 0, 0, 0);
  node = sigma_batch_statistics (bad, 1, &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "'maybe'"));
}

/* ------------------------------------------------------------------------------------- */

static void
test_store_batch (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) config = batch_config (3);
  g_autoptr(JsonNode) batches = NULL;
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GError) error = NULL;
  const struct { const char *scenario; SigmaRunStatus status; gdouble score; } plan[] = {
    { "a", SIGMA_RUN_STATUS_PASSED, 1 }, { "a", SIGMA_RUN_STATUS_FAILED, 0 },
    { "a", SIGMA_RUN_STATUS_PASSED, 1 }, { "b", SIGMA_RUN_STATUS_PASSED, 1 },
    { "b", SIGMA_RUN_STATUS_ERROR, 0 }, { "b", SIGMA_RUN_STATUS_FAILED, 0.5 },
  };
  JsonObject *batch, *stats, *run;
  gint64 batch_id;

  g_test_summary ("A batch and its runs are stored, listed and summarised");

  batch_id = sigma_result_store_add_batch (fixture->store, config, &error);
  g_assert_no_error (error);
  g_assert_cmpint (batch_id, >=, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (plan); i++)
    {
      g_autoptr(SigmaRunResult) result = make_result (plan[i].scenario, plan[i].status, plan[i].score, 100, 0.01);
      gint64 run_id = sigma_result_store_add_run (fixture->store, batch_id, i % 3, result, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (run_id, >=, 1);
    }

  batches = sigma_result_store_list_batches (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (batches)), ==, 1);
  batch = json_array_get_object_element (json_node_get_array (batches), 0);
  g_assert_cmpint (json_object_get_int_member (batch, "id"), ==, batch_id);
  g_assert_cmpstr (json_object_get_string_member (batch, "agent"), ==, "scripted:test");
  g_assert_cmpstr (json_object_get_string_member (batch, "status"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (batch, "runs"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (batch, "passed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (batch, "failed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (batch, "errors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (batch, "seed"), ==, 7);

  runs = sigma_result_store_list_runs (fixture->store, batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (runs)), ==, 6);
  run = json_array_get_object_element (json_node_get_array (runs), 4);
  g_assert_cmpstr (json_object_get_string_member (run, "scenario_id"), ==, "b");
  g_assert_cmpint (json_object_get_int_member (run, "run_index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (run, "rationale"), ==, "endpoint down");
  g_assert_cmpstr (json_object_get_string_member (run, "end_reason"), ==, "error");
  g_assert_cmpint (json_object_get_int_member (run, "steps"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (run, "seed"), ==, 42);
  g_assert_cmpfloat (json_object_get_double_member (run, "sim_time"), ==, 12.5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (run, "usage"), "prompt_tokens"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (run, "usage"), "completion_tokens"), ==, 50);

  g_assert_true (sigma_result_store_set_batch_status (fixture->store, batch_id, "finished", &error));
  g_assert_no_error (error);
  summary = sigma_result_store_get_batch (fixture->store, batch_id, &error);
  g_assert_no_error (error);
  batch = json_node_get_object (summary);
  g_assert_cmpstr (json_object_get_string_member (batch, "status"), ==, "finished");
  g_assert_cmpint (json_object_get_int_member (batch, "runs_per_scenario"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (batch, "config"), "seed"), ==, 7);
  stats = json_object_get_object_member (batch, "statistics");
  /* as in test_statistics, with k = 3 */
  g_assert_cmpint (json_object_get_int_member (stats, "errors"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "pass_at_1"), 7.0 / 12, 1e-12);
  g_assert_cmpint (json_object_get_int_member (stats, "scenarios_at_k"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "mean_score"), 0.7, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "score_stderr"), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (stats, "usage"), "cost"),
                                  0.06, 1e-12);
}

static void
test_store_retry_replaces (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) config = batch_config (1);
  g_autoptr(SigmaRunResult) error_run = make_result ("a", SIGMA_RUN_STATUS_ERROR, 0, 0, 0);
  g_autoptr(SigmaRunResult) retried = make_result ("a", SIGMA_RUN_STATUS_PASSED, 1, 0, 0);
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 batch_id, first, second;
  JsonObject *run;

  g_test_summary ("A run stored again under the same (source, index) replaces the old one and keeps its id");

  batch_id = sigma_result_store_add_batch (fixture->store, config, &error);
  g_assert_no_error (error);
  first = sigma_result_store_add_run_full (fixture->store, batch_id, "/x/a.json", 0, error_run, TRUE, NULL, &error);
  g_assert_no_error (error);
  second = sigma_result_store_add_run_full (fixture->store, batch_id, "/x/a.json", 0, retried, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, second);

  runs = sigma_result_store_list_runs (fixture->store, batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (runs)), ==, 1);
  run = json_array_get_object_element (json_node_get_array (runs), 0);
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "passed");
  g_assert_cmpstr (json_object_get_string_member (run, "source"), ==, "/x/a.json");
  g_assert_cmpstr (json_object_get_string_member (run, "scenario_id"), ==, "a");
}

static void
test_store_trajectory (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *corpus = g_getenv ("SIGMA_CORPUS_DIR");
  g_autofree char *file = NULL;
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(SigmaAgent) agent = NULL;
  g_autoptr(SigmaRunner) runner = NULL;
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(JsonNode) extra = NULL;
  g_autoptr(JsonNode) trajectory = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) solo = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *entry;
  gint64 run_id, solo_id;
  guint n_events;

  g_test_summary ("A real oracle run's event log is stored as its trajectory, with extra JSON");

  if (corpus == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR is not set");
      return;
    }
  file = g_build_filename (corpus, "gaia2", "scenario_universe_30_997a5b.json", NULL);
  scenario = sigma_json_scenario_new_from_file (file, SIGMA_JSON_STRICT, &error);
  g_assert_no_error (error);
  agent = sigma_oracle_agent_new ();
  runner = sigma_runner_new (SIGMA_SCENARIO (scenario), agent);
  result = sigma_runner_run (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_PASSED);
  n_events = sigma_event_log_get_length (sigma_run_result_get_log (result));
  g_assert_cmpuint (n_events, >, 0);

  extra = json_from_string ("{\"rejected\": [\"draft 1\"]}", &error);
  g_assert_no_error (error);
  run_id = sigma_result_store_add_run (fixture->store, 0, 0, result, extra, &error);
  g_assert_no_error (error);
  solo_id = sigma_result_store_add_run_full (fixture->store, 0, NULL, 0, result, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (solo_id, !=, run_id);

  trajectory = sigma_result_store_get_trajectory (fixture->store, run_id, &error);
  g_assert_no_error (error);
  object = json_node_get_object (trajectory);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "log")), ==, n_events);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_object_get_object_member (object, "extra"), "rejected"), 0), ==, "draft 1");
  entry = json_object_get_object_member (object, "run");
  g_assert_cmpstr (json_object_get_string_member (entry, "scenario_id"), ==, "scenario_universe_30_997a5b");
  g_assert_true (json_object_get_null_member (entry, "batch_id"));
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "passed");

  solo = sigma_result_store_get_trajectory (fixture->store, solo_id, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_null_member (json_node_get_object (solo), "log"));

  list = sigma_result_store_list_trajectories (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  entry = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpint (json_object_get_int_member (entry, "run_id"), ==, run_id);
  g_assert_cmpint (json_object_get_int_member (entry, "log_bytes"), >, 100);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (json_node_get_array (list), 1),
                                              "log_bytes"));
}

static void
test_store_not_found (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SigmaRunResult) result = make_result ("a", SIGMA_RUN_STATUS_PASSED, 1, 0, 0);
  g_autoptr(JsonObject) bad_runs = json_object_new ();
  g_autoptr(JsonObject) bad_type = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_test_summary ("Unknown batches and runs, and bad batch configurations, are errors that say so");

  node = sigma_result_store_get_batch (fixture->store, 99, &error);
  g_assert_null (node);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no batch 99"));
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);

  g_assert_null (sigma_result_store_list_runs (fixture->store, 99, &error));
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sigma_result_store_get_trajectory (fixture->store, 5, &error));
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sigma_result_store_get_run (fixture->store, 5, &error));
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (sigma_result_store_add_run (fixture->store, 99, 0, result, NULL, &error), ==, 0);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sigma_result_store_set_batch_status (fixture->store, 99, "finished", &error));
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  json_object_set_int_member (bad_runs, "runs", 0);
  g_assert_cmpint (sigma_result_store_add_batch (fixture->store, bad_runs, &error), ==, 0);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_set_int_member (bad_type, "agent", 3);
  g_assert_cmpint (sigma_result_store_add_batch (fixture->store, bad_type, &error), ==, 0);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "'agent'"));
  g_clear_error (&error);
  g_assert_false (sigma_result_store_set_batch_status (fixture->store, 1, "paused", &error));
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID);
}

/* ------------------------------------------------------------------------------------- */

static void
test_open_reopen (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) config = batch_config (1);
  g_autoptr(SigmaResultStore) again = NULL;
  g_autoptr(JsonNode) batches = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A store reopened keeps its data, its schema version and its WAL mode");

  sigma_result_store_add_batch (fixture->store, config, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  again = sigma_result_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_result_store_get_schema_version (again), ==, SIGMA_RESULT_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (sigma_result_store_get_path (again), ==, fixture->path);
  batches = sigma_result_store_list_batches (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (batches)), ==, 1);
  g_clear_object (&again);

  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
test_open_too_new (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SigmaResultStore) again = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_test_summary ("A database from a newer schema is refused with SCHEMA_TOO_NEW");

  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = sigma_result_store_open (fixture->path, &error);
  g_assert_null (again);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "version 99"));
}

static void
test_open_bad_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sigma-store-XXXXXX", &error);
  g_autofree char *corrupt = g_build_filename (dir, "corrupt.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir", "results.db", NULL);
  SigmaResultStore *store;

  g_test_summary ("A file that is no database and an unopenable path are errors naming the file");

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (corrupt, "this is not an SQLite database, just some text\n"
                                      "with enough bytes to fill more than a header of a hundred bytes, "
                                      "which is what SQLite reads first...............................", -1, &error));
  store = sigma_result_store_open (corrupt, &error);
  g_assert_null (store);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, corrupt));
  g_clear_error (&error);

  store = sigma_result_store_open (missing, &error);
  g_assert_null (store);
  g_assert_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  store = sigma_result_store_open (dir, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_unlink (corrupt);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------- */

#define N_THREADS 4
#define RUNS_PER_THREAD 25

typedef struct {
  SigmaResultStore *store;
  gint64            batch_id;
  guint             thread;
} Worker;

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < RUNS_PER_THREAD; i++)
    {
      g_autofree char *scenario = g_strdup_printf ("s%u", worker->thread);
      g_autoptr(SigmaRunResult) result = make_result (scenario, i % 2 ? SIGMA_RUN_STATUS_PASSED : SIGMA_RUN_STATUS_FAILED,
                                                      i % 2, 10, 0.001);
      g_autoptr(GError) error = NULL;

      if (sigma_result_store_add_run (worker->store, worker->batch_id, i, result, NULL, &error) == 0)
        return g_strdup (error->message);
    }
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonObject) config = batch_config (RUNS_PER_THREAD);
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GError) error = NULL;
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  JsonObject *stats;
  gint64 batch_id;

  g_test_summary ("Several threads store runs into one store at once; none is lost");

  batch_id = sigma_result_store_add_batch (fixture->store, config, &error);
  g_assert_no_error (error);
  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { fixture->store, batch_id, t };
      threads[t] = g_thread_new ("store-writer", worker_main, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *message = g_thread_join (threads[t]);

      g_assert_null (message);
    }
  summary = sigma_result_store_get_batch (fixture->store, batch_id, &error);
  g_assert_no_error (error);
  stats = json_object_get_object_member (json_node_get_object (summary), "statistics");
  g_assert_cmpint (json_object_get_int_member (stats, "runs"), ==, N_THREADS * RUNS_PER_THREAD);
  g_assert_cmpint (json_object_get_int_member (stats, "scenarios"), ==, N_THREADS);
  g_assert_cmpint (json_object_get_int_member (stats, "passed"), ==, N_THREADS * (RUNS_PER_THREAD / 2));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/store/pass-at-k", test_pass_at_k);
  g_test_add_func ("/sigma/store/pass-at-k-preconditions", test_pass_at_k_preconditions);
  g_test_add_func ("/sigma/store/statistics", test_statistics);
  g_test_add_func ("/sigma/store/statistics-edges", test_statistics_edges);
  g_test_add ("/sigma/store/batch", Fixture, NULL, fixture_setup, test_store_batch, fixture_teardown);
  g_test_add ("/sigma/store/retry-replaces", Fixture, NULL, fixture_setup, test_store_retry_replaces, fixture_teardown);
  g_test_add ("/sigma/store/trajectory", Fixture, NULL, fixture_setup, test_store_trajectory, fixture_teardown);
  g_test_add ("/sigma/store/not-found", Fixture, NULL, fixture_setup, test_store_not_found, fixture_teardown);
  g_test_add ("/sigma/store/reopen", Fixture, NULL, fixture_setup, test_open_reopen, fixture_teardown);
  g_test_add ("/sigma/store/too-new", Fixture, NULL, fixture_setup, test_open_too_new, fixture_teardown);
  g_test_add_func ("/sigma/store/bad-files", test_open_bad_files);
  g_test_add ("/sigma/store/threads", Fixture, NULL, fixture_setup, test_threads, fixture_teardown);

  return g_test_run ();
}
