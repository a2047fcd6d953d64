/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigma-cli.h"

/*
 * `sigma batch`: scenarios × k runs of one agent on a pool of worker threads, each finished
 * run stored at once in the result store; `--resume` and `--retry-errors` continue a batch.
 * `sigma results`: the batches of a store, or the summary of one.
 *
 * Exit status: 0 every run passed, 1 some run failed or ended in error, 2 the batch could
 * not run (bad options, unknown scenarios, a result store that cannot be opened or written).
 */

enum {
  EXIT_PASS = 0,
  EXIT_FAIL = 1,
  EXIT_ERROR = 2,
};

/* ------------------------------------------------------------------------------------ */
/* The result store                                                                     */

/* --db, else $SIGMA_DB, else $XDG_DATA_HOME/sigma/results.db (its folder created). */
char *
sigma_cli_resolve_db_path (const char  *option,
                           GError     **error)
{
  const char *env = g_getenv ("SIGMA_DB");
  g_autofree char *dir = NULL;

  if (option != NULL)
    return g_strdup (option);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  dir = g_build_filename (g_get_user_data_dir (), "sigma", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create the folder of the result store %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  return g_build_filename (dir, "results.db", NULL);
}

/* `sigma run --db FILE`: stores a single run (no batch). */
gboolean
sigma_cli_store_run (const char      *db_path,
                     SigmaRunResult  *result,
                     GError         **error)
{
  g_autoptr(SigmaResultStore) store = sigma_result_store_open (db_path, error);

  if (store == NULL)
    return FALSE;
  return sigma_result_store_add_run (store, 0, 0, result, NULL, error) != 0;
}

/* ------------------------------------------------------------------------------------ */
/* The plan: which scenarios, which runs                                                */

/* The folder of shipped scenario files: the source tree's in a build, else the installed one. */
static char *
shipped_scenarios_dir (void)
{
  g_autofree char *source = g_build_filename (SIGMA_SOURCE_DATA_DIR, "scenarios", NULL);

  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&source);
  return g_build_filename (SIGMA_INSTALLED_DATA_DIR, "scenarios", NULL);
}

/* The ARE JSON files of @dir, sorted; FALSE if it cannot be read. */
static gboolean
add_folder (GPtrArray   *sources,
            const char  *dir,
            GError     **error)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (sources, g_strdup (*(char **) &files->pdata[i]));
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The scenarios of a new batch: each argument is a registered id, a file or a folder of
 * ARE JSON files. Without arguments: the built-in scenarios, else the shipped files. */
static GPtrArray *
expand_scenarios (char                  **args,
                  SigmaScenarioRegistry  *registry,
                  GError                **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);

  if (args[0] == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (registry));
      g_autofree char *dir = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SigmaScenarioInfo) info = g_list_model_get_item (G_LIST_MODEL (registry), i);

          if (sigma_scenario_info_get_source (info) == SIGMA_SCENARIO_SOURCE_BUILT_IN)
            g_ptr_array_add (sources, g_strdup (sigma_scenario_info_get_scenario_id (info)));
        }
      if (sources->len > 0)
        return g_steal_pointer (&sources);
      dir = shipped_scenarios_dir ();
      if (g_file_test (dir, G_FILE_TEST_IS_DIR) && !add_folder (sources, dir, error))
        return NULL;
      if (sources->len == 0)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                       "no scenarios named, none built in and no ARE JSON files in %s: "
                       "name scenario files, folders or registered ids", dir);
          return NULL;
        }
      return g_steal_pointer (&sources);
    }

  for (guint i = 0; args[i] != NULL; i++)
    {
      const char *arg = args[i];

      if (g_file_test (arg, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *dir = g_canonicalize_filename (arg, NULL);
          guint before = sources->len;

          if (!add_folder (sources, dir, error))
            return NULL;
          if (sources->len == before)
            {
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                           "folder %s has no .json scenario files", arg);
              return NULL;
            }
        }
      else if (g_file_test (arg, G_FILE_TEST_EXISTS))
        g_ptr_array_add (sources, g_canonicalize_filename (arg, NULL));
      else if (sigma_scenario_registry_lookup (registry, arg) != NULL)
        g_ptr_array_add (sources, g_strdup (arg));
      else
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                       "'%s' is neither a scenario file, a folder nor a registered scenario id "
                       "(see `sigma list`)", arg);
          return NULL;
        }
    }
  /* the same scenario named twice would share its (source, k) keys */
  {
    g_autoptr(GPtrArray) sorted = g_ptr_array_copy (sources, NULL, NULL);

    g_ptr_array_set_free_func (sorted, NULL);   /* the copy borrows the strings */
    g_ptr_array_sort (sorted, compare_strings);
    for (guint i = 1; i < sorted->len; i++)
      if (g_str_equal (g_ptr_array_index (sorted, i), g_ptr_array_index (sorted, i - 1)))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                       "scenario %s is named twice", (const char *) g_ptr_array_index (sorted, i));
          return NULL;
        }
  }
  return g_steal_pointer (&sources);
}

/* ------------------------------------------------------------------------------------ */
/* Running                                                                              */

typedef struct {
  char  *source;
  guint  run_index;
} Unit;

static void
unit_free (Unit *unit)
{
  if (unit == NULL)
    return;
  g_free (unit->source);
  g_free (unit);
}

typedef struct {
  SigmaResultStore      *store;
  SigmaScenarioRegistry *registry;       /* empty when every source is a file */
  GMutex                 registry_lock;  /* scenario creation from plugins, one at a time */
  SigmaCliAgentOptions  *opts;
  gint64                 batch_id;
  gint64                 base_seed;      /* -1: each scenario's seed */
  gboolean               lenient;

  GMutex                 lock;           /* what follows */
  guint                  n_total;
  guint                  n_done;
  guint                  n_passed;
  guint                  n_failed;
  guint                  n_errors;
  GError                *store_error;    /* the first; the remaining runs are skipped */
  gboolean               tty;
} Batch;

/* One run, in a worker thread with its own main context. Never NULL: what fails before
 * the run is judged is a run in error (infrastructure), with the reason. */
static SigmaRunResult *
run_unit (Batch *batch,
          Unit  *unit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenario) scenario = NULL;
  g_autoptr(SigmaRunner) runner = NULL;
  SigmaRunResult *result = NULL;
  SigmaCliAgentOptions opts = *batch->opts;   /* shallow: only the seed differs */
  guint64 seed = 0;

  scenario = sigma_cli_open_scenario_in (batch->registry, &batch->registry_lock, unit->source,
                                         batch->lenient ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT, &error);
  if (scenario != NULL)
    {
      seed = (batch->base_seed >= 0 ? (guint64) batch->base_seed : sigma_scenario_get_seed (scenario))
             + unit->run_index;
      opts.seed = (gint64) seed;
      runner = sigma_cli_make_runner (scenario, &opts, &error);
    }
  if (runner != NULL)
    result = sigma_runner_run (runner, NULL, &error);
  if (result == NULL)
    {
      const char *id = scenario != NULL ? sigma_scenario_get_scenario_id (scenario) : unit->source;
      g_autofree char *why = g_strdup_printf ("The run could not be made: %s", error->message);

      result = sigma_run_result_new (id, batch->opts->agent, seed);
      sigma_run_result_set_verdict (result, SIGMA_RUN_STATUS_ERROR, why, 0);
      sigma_run_result_set_end (result, SIGMA_END_REASON_ERROR, 0, 0, 0);
    }
  return result;
}

static void
report_progress (Batch          *batch,
                 SigmaRunResult *result,
                 Unit           *unit)
{
  if (batch->tty)
    {
      const guint width = 30;
      guint filled = batch->n_total > 0 ? batch->n_done * width / batch->n_total : width;
      char bar[31];

      memset (bar, '#', filled);
      memset (bar + filled, '.', width - filled);
      bar[width] = '\0';
      fprintf (stderr, "\r[%s] %u/%u  passed %u  failed %u  errors %u ", bar, batch->n_done,
               batch->n_total, batch->n_passed, batch->n_failed, batch->n_errors);
      if (batch->n_done == batch->n_total)
        fputc ('\n', stderr);
    }
  else
    fprintf (stderr, "sigma batch: %u/%u %s #%u: %s\n", batch->n_done, batch->n_total,
             sigma_run_result_get_scenario_id (result), unit->run_index,
             sigma_run_status_to_string (sigma_run_result_get_status (result)));
  fflush (stderr);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  Unit *unit = data;
  Batch *batch = user_data;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean skip;

  g_mutex_lock (&batch->lock);
  skip = batch->store_error != NULL;
  g_mutex_unlock (&batch->lock);
  if (skip)
    {
      unit_free (unit);
      return;
    }

  /* one environment per run, on this thread's own context */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  result = run_unit (batch, unit);
  g_main_context_pop_thread_default (context);

  sigma_result_store_add_run_full (batch->store, batch->batch_id, unit->source, unit->run_index,
                                   result, TRUE, NULL, &error);

  g_mutex_lock (&batch->lock);
  if (error != NULL)
    {
      if (batch->store_error == NULL)
        batch->store_error = g_steal_pointer (&error);
    }
  else
    {
      batch->n_done++;
      switch (sigma_run_result_get_status (result))
        {
        case SIGMA_RUN_STATUS_PASSED:
          batch->n_passed++;
          break;
        case SIGMA_RUN_STATUS_FAILED:
          batch->n_failed++;
          break;
        case SIGMA_RUN_STATUS_ERROR:
        default:
          batch->n_errors++;
          break;
        }
      report_progress (batch, result, unit);
    }
  g_mutex_unlock (&batch->lock);
  unit_free (unit);
}

/* ------------------------------------------------------------------------------------ */
/* Reports                                                                              */

static const char *
string_or_null (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
print_rate (const char *label,
            JsonObject *stats,
            const char *member)
{
  JsonNode *node = json_object_get_member (stats, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    printf ("  %-10s n/a\n", label);
  else
    printf ("  %-10s %.3f\n", label, json_node_get_double (node));
}

static void
print_summary (JsonObject *batch)
{
  JsonObject *stats = json_object_get_object_member (batch, "statistics");
  JsonObject *usage = json_object_get_object_member (stats, "usage");
  JsonArray *scenarios = json_object_get_array_member (stats, "per_scenario");
  g_autofree char *pass_k = g_strdup_printf ("pass@%" G_GINT64_FORMAT, json_object_get_int_member (stats, "k"));
  g_autofree char *hat_k = g_strdup_printf ("pass^%" G_GINT64_FORMAT, json_object_get_int_member (stats, "k"));
  JsonNode *mean = json_object_get_member (stats, "mean_score");
  JsonNode *stderr_node = json_object_get_member (stats, "score_stderr");
  const char *agent = string_or_null (batch, "agent");

  printf ("Batch %" G_GINT64_FORMAT " (%s, %s): %" G_GINT64_FORMAT " scenario%s × %" G_GINT64_FORMAT
          " run%s, agent %s\n",
          json_object_get_int_member (batch, "id"), json_object_get_string_member (batch, "created"),
          json_object_get_string_member (batch, "status"),
          json_object_get_int_member (stats, "scenarios"),
          json_object_get_int_member (stats, "scenarios") == 1 ? "" : "s",
          json_object_get_int_member (batch, "runs_per_scenario"),
          json_object_get_int_member (batch, "runs_per_scenario") == 1 ? "" : "s",
          agent != NULL ? agent : "unknown");
  for (guint i = 0; i < json_array_get_length (scenarios); i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      gint64 errors = json_object_get_int_member (s, "errors");

      printf ("  %-40s %-6s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " passed",
              json_object_get_string_member (s, "scenario_id"), json_object_get_string_member (s, "verdict"),
              json_object_get_int_member (s, "passed"),
              json_object_get_int_member (s, "passed") + json_object_get_int_member (s, "failed"));
      if (errors > 0)
        printf (", %" G_GINT64_FORMAT " error%s", errors, errors == 1 ? "" : "s");
      printf ("\n");
    }
  printf ("Runs: %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " passed, %" G_GINT64_FORMAT " failed, %"
          G_GINT64_FORMAT " errors: infrastructure, not counted in the rates)\n",
          json_object_get_int_member (stats, "runs"), json_object_get_int_member (stats, "passed"),
          json_object_get_int_member (stats, "failed"), json_object_get_int_member (stats, "errors"));
  print_rate ("pass@1", stats, "pass_at_1");
  if (json_object_get_int_member (stats, "k") > 1)
    {
      print_rate (pass_k, stats, "pass_at_k");
      print_rate (hat_k, stats, "pass_hat_k");
    }
  if (mean != NULL && !JSON_NODE_HOLDS_NULL (mean))
    {
      if (stderr_node != NULL && !JSON_NODE_HOLDS_NULL (stderr_node))
        printf ("  %-10s %.3f ± %.3f (s.e.)\n", "score", json_node_get_double (mean), json_node_get_double (stderr_node));
      else
        printf ("  %-10s %.3f\n", "score", json_node_get_double (mean));
    }
  printf ("Tokens: %" G_GINT64_FORMAT " prompt + %" G_GINT64_FORMAT " completion in %" G_GINT64_FORMAT
          " requests, cost $%.4f; wall time %.3f s\n",
          json_object_get_int_member (usage, "prompt_tokens"), json_object_get_int_member (usage, "completion_tokens"),
          json_object_get_int_member (usage, "requests"), json_object_get_double_member (usage, "cost"),
          json_object_get_double_member (stats, "wall_time"));
}

static int
fail_with (const char *command,
           const char *message)
{
  fprintf (stderr, "sigma %s: %s\n", command, message);
  return EXIT_ERROR;
}

/* 0 if every run passed, 1 otherwise. */
static int
summary_status (JsonObject *batch)
{
  JsonObject *stats = json_object_get_object_member (batch, "statistics");

  return json_object_get_int_member (stats, "failed") == 0 && json_object_get_int_member (stats, "errors") == 0
         ? EXIT_PASS : EXIT_FAIL;
}

/* ------------------------------------------------------------------------------------ */
/* sigma batch                                                                          */

static char *
config_string (JsonObject *config,
               const char *name)
{
  JsonNode *node = json_object_get_member (config, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gint64
config_int (JsonObject *config,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (config, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/* Restores the options of a stored batch; FALSE if its configuration is not one `sigma
 * batch` wrote. */
static gboolean
restore_config (JsonObject            *config,
                SigmaCliAgentOptions  *opts,
                GPtrArray             *sources,
                gint                  *runs,
                gboolean              *lenient,
                GError               **error)
{
  JsonNode *node = json_object_get_member (config, "scenarios");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "the batch has no list of scenarios (was it made by `sigma batch`?)");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "scenario %u of the batch is not a string", i);
          return FALSE;
        }
      g_ptr_array_add (sources, g_strdup (json_node_get_string (element)));
    }
  opts->agent = config_string (config, "agent");
  opts->user = config_string (config, "user");
  opts->think_time = config_string (config, "think_time");
  opts->max_steps = (gint) config_int (config, "max_steps", 0);
  opts->seed = config_int (config, "seed", -1);
  *runs = (gint) config_int (config, "runs", 1);
  *lenient = json_object_get_boolean_member_with_default (config, "lenient", FALSE);
  if (opts->agent == NULL || *runs < 1 || sources->len == 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "the batch's configuration lacks its agent, runs or scenarios");
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
make_config (SigmaCliAgentOptions *opts,
             GPtrArray            *sources,
             gint                  runs,
             gint                  jobs,
             gboolean              lenient,
             int                   argc,
             char                **argv)
{
  JsonObject *config = json_object_new ();
  JsonArray *array = json_array_new ();
  g_autofree char *command = NULL;
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < sources->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (sources, i));
  g_strv_builder_add (words, "sigma");
  for (int i = 0; i < argc; i++)
    g_strv_builder_add (words, argv[i]);
  strv = g_strv_builder_end (words);
  command = g_strjoinv (" ", strv);

  json_object_set_string_member (config, "command", command);
  json_object_set_array_member (config, "scenarios", array);
  json_object_set_string_member (config, "agent", opts->agent);
  json_object_set_int_member (config, "runs", runs);
  json_object_set_int_member (config, "jobs", jobs);
  if (opts->seed >= 0)
    json_object_set_int_member (config, "seed", opts->seed);
  else
    json_object_set_null_member (config, "seed");
  if (opts->user != NULL)
    json_object_set_string_member (config, "user", opts->user);
  if (opts->think_time != NULL)
    json_object_set_string_member (config, "think_time", opts->think_time);
  if (opts->max_steps > 0)
    json_object_set_int_member (config, "max_steps", opts->max_steps);
  json_object_set_boolean_member (config, "lenient", lenient);
  return config;
}

static gboolean
uses_registry (GPtrArray *sources)
{
  for (guint i = 0; i < sources->len; i++)
    {
      const char *source = g_ptr_array_index (sources, i);

      if (!g_file_test (source, G_FILE_TEST_EXISTS) && !g_str_has_suffix (source, ".json"))
        return TRUE;
    }
  return FALSE;
}

int
sigma_cli_batch (int    argc,
                 char **argv)
{
  gboolean lenient = FALSE, json = FALSE;
  gint runs = G_MININT, jobs = 1;   /* G_MININT: --runs not given */
  gint64 resume_id = 0, retry_id = 0;
  char *db_option = NULL;
  GOptionEntry entries[] = {
    { "runs", 'k', 0, G_OPTION_ARG_INT, &runs, "Runs per scenario, the k of pass@k (default 1)", "K" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Runs at once, on worker threads (default 1)", "J" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_option,
      "The result store (default $SIGMA_DB, else $XDG_DATA_HOME/sigma/results.db)", "FILE" },
    { "resume", 0, 0, G_OPTION_ARG_INT64, &resume_id, "Continue batch ID: run what it has not stored", "ID" },
    { "retry-errors", 0, 0, G_OPTION_ARG_INT64, &retry_id, "Run again the runs of batch ID that ended in error", "ID" },
    { "lenient", 0, 0, G_OPTION_ARG_NONE, &lenient, "Accept what ARE-derived tools write", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the batch summary as JSON", NULL },
    { NULL }
  };
  g_auto(SigmaCliAgentOptions) opts;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *db_arg = NULL;
  g_autoptr(SigmaResultStore) store = NULL;
  g_autoptr(SigmaScenarioRegistry) registry = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
  g_autoptr(JsonNode) summary = NULL;
  GThreadPool *pool;
  Batch batch = { 0, };
  gint64 batch_id;
  int orig_argc = argc;
  g_auto(GStrv) orig_argv = g_strdupv (argv);   /* the command line, for the batch's record */

  sigma_cli_agent_options_init (&opts);
  context = g_option_context_new ("[SCENARIO…] - run scenarios (files, folders of ARE JSON files, registered "
                                  "ids) × K with an agent, store every run and report pass@k");
  g_option_context_add_main_entries (context, entries, NULL);
  sigma_cli_agent_options_add (&opts, context);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail_with ("batch", error->message);
  db_arg = db_option;
  if (jobs < 1 || jobs > 256)
    return fail_with ("batch", "--jobs must be between 1 and 256");
  if (runs != G_MININT && runs < 1)
    return fail_with ("batch", "--runs must be 1 or more");
  if (resume_id != 0 && retry_id != 0)
    return fail_with ("batch", "--resume and --retry-errors are exclusive");
  if (resume_id < 0 || retry_id < 0)
    return fail_with ("batch", "a batch id is 1 or more");

  db_path = sigma_cli_resolve_db_path (db_arg, &error);
  if (db_path == NULL)
    return fail_with ("batch", error->message);
  store = sigma_result_store_open (db_path, &error);
  if (store == NULL)
    return fail_with ("batch", error->message);

  if (resume_id != 0 || retry_id != 0)
    {
      g_autoptr(JsonNode) stored = NULL;
      g_autoptr(JsonNode) stored_runs = NULL;
      g_autoptr(GHashTable) stored_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) error_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      JsonArray *array;
      gint stored_k = 1;

      batch_id = resume_id != 0 ? resume_id : retry_id;
      if (argc > 1)
        return fail_with ("batch", "--resume and --retry-errors take the batch's own scenarios; name none");
      if (opts.agent != NULL || opts.oracle || runs != G_MININT || opts.seed >= 0)
        return fail_with ("batch", "--resume and --retry-errors use the batch's own agent, runs and seed");
      stored = sigma_result_store_get_batch (store, batch_id, &error);
      if (stored == NULL)
        return fail_with ("batch", error->message);
      if (!restore_config (json_object_get_object_member (json_node_get_object (stored), "config"), &opts,
                           sources, &stored_k, &lenient, &error))
        {
          g_autofree char *message = g_strdup_printf ("batch %" G_GINT64_FORMAT ": %s", batch_id, error->message);

          return fail_with ("batch", message);
        }
      runs = stored_k;
      stored_runs = sigma_result_store_list_runs (store, batch_id, &error);
      if (stored_runs == NULL)
        return fail_with ("batch", error->message);
      array = json_node_get_array (stored_runs);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *run = json_array_get_object_element (array, i);
          char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", json_object_get_int_member (run, "run_index"),
                                       json_object_get_string_member (run, "source"));

          if (g_str_equal (json_object_get_string_member (run, "status"), "error"))
            g_hash_table_add (error_keys, g_strdup (key));
          g_hash_table_add (stored_keys, key);
        }
      /* resume: every (scenario, k) not stored yet; retry: the stored errors only */
      for (guint i = 0; i < sources->len; i++)
        for (gint k = 0; k < runs; k++)
          {
            g_autofree char *key = g_strdup_printf ("%d:%s", k, (const char *) g_ptr_array_index (sources, i));
            Unit *unit;

            if (resume_id != 0 ? g_hash_table_contains (stored_keys, key) : !g_hash_table_contains (error_keys, key))
              continue;
            unit = g_new0 (Unit, 1);
            unit->source = g_strdup (g_ptr_array_index (sources, i));
            unit->run_index = k;
            g_ptr_array_add (units, unit);
          }
      /* an empty registry when every source is a file: workers never load plugins */
      registry = uses_registry (sources) ? sigma_cli_load_registry (TRUE) : sigma_scenario_registry_new ();
      if (!sigma_cli_agent_options_check (&opts, &error))
        return fail_with ("batch", error->message);
      if (!sigma_result_store_set_batch_status (store, batch_id, "running", &error))
        return fail_with ("batch", error->message);
    }
  else
    {
      g_autoptr(JsonObject) config = NULL;
      g_autoptr(GPtrArray) expanded = NULL;

      if (runs == G_MININT)
        runs = 1;
      if (opts.agent == NULL && !opts.oracle)
        opts.agent = g_strdup ("oracle");
      if (!sigma_cli_agent_options_check (&opts, &error))
        return fail_with ("batch", error->message);
      if (g_str_has_prefix (opts.agent, "scripted:") && opts.agent[9] != '\0')
        {
          /* a resumed batch may run from another folder */
          g_autofree char *script = g_canonicalize_filename (opts.agent + 9, NULL);

          g_free (opts.agent);
          opts.agent = g_strconcat ("scripted:", script, NULL);
        }
      registry = sigma_cli_load_registry (TRUE);
      expanded = expand_scenarios (argv + 1, registry, &error);
      if (expanded == NULL)
        return fail_with ("batch", error->message);
      for (guint i = 0; i < expanded->len; i++)
        g_ptr_array_add (sources, g_strdup (g_ptr_array_index (expanded, i)));
      config = make_config (&opts, sources, runs, jobs, lenient, orig_argc, orig_argv);
      batch_id = sigma_result_store_add_batch (store, config, &error);
      if (batch_id == 0)
        return fail_with ("batch", error->message);
      for (guint i = 0; i < sources->len; i++)
        for (gint k = 0; k < runs; k++)
          {
            Unit *unit = g_new0 (Unit, 1);

            unit->source = g_strdup (g_ptr_array_index (sources, i));
            unit->run_index = k;
            g_ptr_array_add (units, unit);
          }
    }

  fprintf (stderr, "sigma batch: batch %" G_GINT64_FORMAT " in %s: %u run%s to make (%u scenario%s × %d), %d job%s\n",
           batch_id, db_path, units->len, units->len == 1 ? "" : "s", sources->len,
           sources->len == 1 ? "" : "s", runs, jobs, jobs == 1 ? "" : "s");

  batch.store = store;
  batch.registry = registry;
  g_mutex_init (&batch.registry_lock);
  g_mutex_init (&batch.lock);
  batch.opts = &opts;
  batch.batch_id = batch_id;
  batch.base_seed = opts.seed;
  batch.lenient = lenient;
  batch.n_total = units->len;
  batch.tty = isatty (fileno (stderr));

  pool = g_thread_pool_new (worker, &batch, jobs, TRUE, &error);
  if (pool == NULL)
    return fail_with ("batch", error->message);
  for (guint i = 0; i < units->len; i++)
    if (!g_thread_pool_push (pool, g_steal_pointer (&units->pdata[i]), &error))
      {
        g_thread_pool_free (pool, TRUE, TRUE);
        return fail_with ("batch", error->message);
      }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&batch.registry_lock);
  g_mutex_clear (&batch.lock);

  if (batch.store_error != NULL)
    {
      g_autoptr(GError) store_error = g_steal_pointer (&batch.store_error);

      sigma_result_store_set_batch_status (store, batch_id, "interrupted", NULL);
      return fail_with ("batch", store_error->message);
    }
  if (!sigma_result_store_set_batch_status (store, batch_id, "finished", &error))
    return fail_with ("batch", error->message);

  summary = sigma_result_store_get_batch (store, batch_id, &error);
  if (summary == NULL)
    return fail_with ("batch", error->message);
  json_object_set_int_member (json_node_get_object (summary), "ran", batch.n_done);
  json_object_set_string_member (json_node_get_object (summary), "db", db_path);
  if (json)
    sigma_cli_print_json (summary);
  else
    print_summary (json_node_get_object (summary));
  return summary_status (json_node_get_object (summary));
}

/* ------------------------------------------------------------------------------------ */
/* sigma results                                                                        */

int
sigma_cli_results (int    argc,
                   char **argv)
{
  gboolean json = FALSE;
  char *db_option = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_option,
      "The result store (default $SIGMA_DB, else $XDG_DATA_HOME/sigma/results.db)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[BATCH_ID] - list the batches of the result store, or summarise one");
  g_autoptr(GError) error = NULL;
  g_autofree char *db_arg = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(SigmaResultStore) store = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 batch_id = 0;
  char *end = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail_with ("results", error->message);
  db_arg = db_option;
  if (argc > 2)
    return fail_with ("results", "name at most one batch id");
  if (argc == 2)
    {
      batch_id = g_ascii_strtoll (argv[1], &end, 10);
      if (end == argv[1] || *end != '\0' || batch_id < 1)
        return fail_with ("results", "a batch id is a number, 1 or more");
    }
  db_path = sigma_cli_resolve_db_path (db_arg, &error);
  if (db_path == NULL)
    return fail_with ("results", error->message);
  store = sigma_result_store_open (db_path, &error);
  if (store == NULL)
    return fail_with ("results", error->message);

  if (batch_id != 0)
    {
      node = sigma_result_store_get_batch (store, batch_id, &error);
      if (node == NULL)
        return fail_with ("results", error->message);
      if (json)
        sigma_cli_print_json (node);
      else
        print_summary (json_node_get_object (node));
      return EXIT_PASS;
    }

  node = sigma_result_store_list_batches (store, &error);
  if (node == NULL)
    return fail_with ("results", error->message);
  if (json)
    sigma_cli_print_json (node);
  else
    {
      JsonArray *batches = json_node_get_array (node);

      if (json_array_get_length (batches) == 0)
        printf ("No batches in %s\n", db_path);
      for (guint i = 0; i < json_array_get_length (batches); i++)
        {
          JsonObject *b = json_array_get_object_element (batches, i);
          const char *agent = string_or_null (b, "agent");

          printf ("%4" G_GINT64_FORMAT "  %s  %-11s  %-24s  %3" G_GINT64_FORMAT " runs: %" G_GINT64_FORMAT
                  " passed, %" G_GINT64_FORMAT " failed, %" G_GINT64_FORMAT " errors\n",
                  json_object_get_int_member (b, "id"), json_object_get_string_member (b, "created"),
                  json_object_get_string_member (b, "status"), agent != NULL ? agent : "unknown",
                  json_object_get_int_member (b, "runs"), json_object_get_int_member (b, "passed"),
                  json_object_get_int_member (b, "failed"), json_object_get_int_member (b, "errors"));
        }
    }
  return EXIT_PASS;
}
