/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "sigma-cli.h"

/*
 * `sigma run`, `sigma judge` and `sigma validate`: ARE scenario and trace files.
 *
 * Exit status: 0 pass (or a valid file), 1 fail (or a file with problems), 2 bad input or an
 * error, with a one-line message on stderr.
 */

enum {
  EXIT_PASS = 0,
  EXIT_FAIL = 1,
  EXIT_ERROR = 2,
};

/* The scenario of a finished command is left to the OS at exit: freeing a Gaia2 file's 2.5 MB
 * of parsed JSON costs about as much as the rest of a run. Kept reachable, not leaked. */
static SigmaScenario *volatile exit_scenario;

/* The first line of @message, for one-line diagnostics. */
static char *
one_line (const char *message)
{
  const char *nl = strchr (message, '\n');

  return nl != NULL ? g_strndup (message, nl - message) : g_strdup (message);
}

static int
fail_with (const char *command,
           gboolean    json,
           const char *scenario_id,
           const char *message)
{
  g_autofree char *line = one_line (message);

  fprintf (stderr, "sigma %s: %s\n", command, line);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scenario_id");
      if (scenario_id != NULL)
        json_builder_add_string_value (builder, scenario_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder, "error");
      json_builder_set_member_name (builder, "rationale");
      json_builder_add_string_value (builder, message);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sigma_cli_print_json (root);
    }
  return EXIT_ERROR;
}

static gboolean
parse_options (GOptionContext  *context,
               const char      *command,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "sigma %s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* sigma run                                                                            */

static void
print_run_result (SigmaRunResult *result,
                  guint           n_turns,
                  gboolean        json)
{
  SigmaRunStatus status = sigma_run_result_get_status (result);
  const char *verdict = status == SIGMA_RUN_STATUS_PASSED ? "pass" :
                        status == SIGMA_RUN_STATUS_FAILED ? "fail" : "error";
  SigmaEventLog *log = sigma_run_result_get_log (result);
  guint n_events = log != NULL ? sigma_event_log_get_length (log) : 0;
  g_autofree char *turns = n_turns > 0 ? g_strdup_printf ("%u turn%s, ", n_turns, n_turns == 1 ? "" : "s")
                                       : g_strdup ("");

  if (json)
    {
      g_autoptr(JsonNode) root = sigma_run_result_to_json (result, FALSE);
      JsonObject *object = json_node_get_object (root);

      /* the members earlier versions printed, kept for scripts */
      json_object_set_string_member (object, "verdict", verdict);
      json_object_set_int_member (object, "turns", n_turns);
      json_object_set_int_member (object, "events", n_events);
      json_object_set_double_member (object, "sim_seconds", sigma_run_result_get_sim_time (result));
      json_object_set_double_member (object, "wall_seconds", sigma_run_result_get_wall_time (result));
      if (status == SIGMA_RUN_STATUS_PASSED)
        json_object_set_null_member (object, "rationale");
      sigma_cli_print_json (root);
      return;
    }
  printf ("%s: %s (agent %s, %s%u steps, %u events, %g s simulated, %.3f s wall, ended: %s)\n",
          sigma_run_result_get_scenario_id (result), verdict, sigma_run_result_get_agent_name (result),
          turns, sigma_run_result_get_steps (result), n_events,
          sigma_run_result_get_sim_time (result), sigma_run_result_get_wall_time (result),
          sigma_end_reason_to_string (sigma_run_result_get_end_reason (result)));
  if (status != SIGMA_RUN_STATUS_PASSED && sigma_run_result_get_rationale (result) != NULL)
    printf ("%s\n", sigma_run_result_get_rationale (result));
}

int
sigma_cli_run (int    argc,
               char **argv)
{
  gboolean lenient = FALSE, json = FALSE;
  char *trace_out = NULL;
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "lenient", 0, 0, G_OPTION_ARG_NONE, &lenient, "Accept what ARE-derived tools write", NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Store the run in this result store (SQLite)", "FILE" },
    { "trace-out", 0, 0, G_OPTION_ARG_FILENAME, &trace_out, "Write the run as an ARE trace", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL }
  };
  g_auto(SigmaCliAgentOptions) opts;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenario) scenario = NULL;
  g_autoptr(SigmaRunner) runner = NULL;
  g_autoptr(SigmaRunResult) result = NULL;
  g_autofree char *trace_path = NULL;
  SigmaJsonScenario *json_scenario = NULL;
  guint n_turns = 0;
  const char *scenario_id;
  int status;

  sigma_cli_agent_options_init (&opts);
  context = g_option_context_new ("FILE|ID - run a scenario (an ARE file or a registered id) with an agent and judge the run");
  g_option_context_add_main_entries (context, entries, NULL);
  sigma_cli_agent_options_add (&opts, context);
  if (!parse_options (context, "run", &argc, &argv))
    return EXIT_ERROR;
  trace_path = trace_out;
  if (argc != 2)
    return fail_with ("run", json, NULL, "name one scenario file or registered scenario id");
  if (!sigma_cli_agent_options_check (&opts, &error))
    return fail_with ("run", json, NULL, error->message);

  scenario = sigma_cli_open_scenario (argv[1], lenient ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT, &error);
  if (scenario == NULL)
    return fail_with ("run", json, NULL, error->message);
  scenario_id = sigma_scenario_get_scenario_id (scenario);
  if (SIGMA_IS_JSON_SCENARIO (scenario))
    json_scenario = SIGMA_JSON_SCENARIO (scenario);
  if (trace_path != NULL && json_scenario == NULL)
    return fail_with ("run", json, scenario_id, "--trace-out needs an ARE JSON scenario");

  runner = sigma_cli_make_runner (scenario, &opts, &error);
  if (runner == NULL)
    return fail_with ("run", json, scenario_id, error->message);
  if (g_str_equal (opts.agent, "human"))
    return sigma_cli_play_runner (runner, &opts, FALSE);
  result = sigma_runner_run (runner, NULL, &error);
  if (result == NULL)
    return fail_with ("run", json, scenario_id, error->message);
  if (opts.client != NULL)
    {
      /* the agent, the user simulator and the soft judge share one model client */
      SigmaUsage usage = { 0, };

      sigma_llm_client_get_usage (opts.client, &usage);
      sigma_run_result_set_usage (result, &usage);
    }
  if (db != NULL && !sigma_cli_store_run (db, result, &error))
    return fail_with ("run", json, scenario_id, error->message);
  if (sigma_run_result_get_status (result) == SIGMA_RUN_STATUS_ERROR)
    return fail_with ("run", json, scenario_id, sigma_run_result_get_rationale (result));
  if (json_scenario != NULL)
    {
      n_turns = sigma_json_scenario_get_n_turns (json_scenario);
      if (trace_path != NULL &&
          !sigma_json_scenario_export_to_file (json_scenario, sigma_runner_get_environment (runner),
                                               trace_path, &error))
        return fail_with ("run", json, scenario_id, error->message);
    }

  print_run_result (result, n_turns, json);
  status = sigma_run_result_get_status (result) == SIGMA_RUN_STATUS_PASSED ? EXIT_PASS : EXIT_FAIL;
  g_clear_object (&runner);   /* apps may hold resources, such as the Files app's sandbox */
  exit_scenario = g_steal_pointer (&scenario);
  return status;
}

/* ------------------------------------------------------------------------------------ */
/* sigma judge                                                                          */

int
sigma_cli_judge (int    argc,
                 char **argv)
{
  gboolean lenient = FALSE, json = FALSE;
  char *scenario_file = NULL;
  GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario_file,
      "The scenario whose oracle is the reference (default: the trace itself)", "FILE" },
    { "lenient", 0, 0, G_OPTION_ARG_NONE, &lenient, "Accept what ARE-derived tools write", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaJsonScenario) trace = NULL;
  g_autoptr(SigmaJsonScenario) reference = NULL;
  g_autoptr(SigmaEventLog) log = NULL;
  g_autoptr(SigmaVerdict) verdict = NULL;
  g_autofree char *scenario_path = NULL;
  SigmaJsonScenario *scenario;
  SigmaJsonFlags flags;
  const char *scenario_id;
  gboolean passed;
  gint64 start = g_get_monotonic_time ();

  context = g_option_context_new ("TRACE - judge a recorded run against its scenario's oracle");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, "judge", &argc, &argv))
    return EXIT_ERROR;
  scenario_path = scenario_file;
  if (argc != 2)
    return fail_with ("judge", json, NULL, "name one trace file");
  flags = lenient ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT;

  trace = sigma_json_scenario_new_from_file (argv[1], flags, &error);
  if (trace == NULL)
    return fail_with ("judge", json, NULL, error->message);
  scenario = trace;
  if (scenario_path != NULL)
    {
      reference = sigma_json_scenario_new_from_file (scenario_path, flags, &error);
      if (reference == NULL)
        return fail_with ("judge", json, NULL, error->message);
      scenario = reference;
    }
  scenario_id = sigma_scenario_get_scenario_id (SIGMA_SCENARIO (scenario));
  if (sigma_json_scenario_get_n_completed_events (trace) == 0)
    return fail_with ("judge", json, scenario_id, "the trace has no completed_events to judge");

  log = sigma_json_scenario_load_trace_log (trace, &error);
  if (log == NULL)
    return fail_with ("judge", json, scenario_id, error->message);
  verdict = sigma_json_scenario_judge_log (scenario, log, &error);
  if (verdict == NULL)
    return fail_with ("judge", json, scenario_id, error->message);
  passed = sigma_verdict_get_passed (verdict);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scenario_id");
      json_builder_add_string_value (builder, scenario_id);
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder, passed ? "pass" : "fail");
      json_builder_set_member_name (builder, "turns");
      json_builder_add_int_value (builder, sigma_json_scenario_get_n_turns (scenario));
      json_builder_set_member_name (builder, "events");
      json_builder_add_int_value (builder, sigma_event_log_get_length (log));
      json_builder_set_member_name (builder, "wall_seconds");
      json_builder_add_double_value (builder, (g_get_monotonic_time () - start) / 1e6);
      json_builder_set_member_name (builder, "rationale");
      if (!passed && sigma_verdict_get_rationale (verdict) != NULL)
        json_builder_add_string_value (builder, sigma_verdict_get_rationale (verdict));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "details");
      json_builder_add_value (builder, sigma_verdict_to_json (verdict));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sigma_cli_print_json (root);
    }
  else
    {
      printf ("%s: %s (%u turn%s, %u events judged)\n", scenario_id, passed ? "pass" : "fail",
              sigma_json_scenario_get_n_turns (scenario), sigma_json_scenario_get_n_turns (scenario) == 1 ? "" : "s",
              sigma_event_log_get_length (log));
      if (!passed && sigma_verdict_get_rationale (verdict) != NULL)
        printf ("%s\n", sigma_verdict_get_rationale (verdict));
    }
  return passed ? EXIT_PASS : EXIT_FAIL;
}

/* ------------------------------------------------------------------------------------ */
/* sigma validate                                                                       */

static const char *
error_code_name (const GError *error)
{
  static GEnumClass *klass;
  GEnumValue *value;

  if (error->domain != SIGMA_ERROR)
    return g_quark_to_string (error->domain);
  if (klass == NULL)
    klass = g_type_class_ref (SIGMA_TYPE_ERROR);
  value = g_enum_get_value (klass, error->code);
  return value != NULL ? value->value_nick : "failed";
}

int
sigma_cli_validate (int    argc,
                    char **argv)
{
  gboolean lenient = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "lenient", 0, 0, G_OPTION_ARG_NONE, &lenient, "Accept what ARE-derived tools write", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the problems as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  SigmaJsonFlags flags;
  const char *path;
  gboolean unreadable;

  context = g_option_context_new ("FILE - check an ARE scenario or trace file");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, "validate", &argc, &argv))
    return EXIT_ERROR;
  if (argc != 2)
    {
      fprintf (stderr, "sigma validate: name one file\n");
      return EXIT_ERROR;
    }
  path = argv[1];
  flags = lenient ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT;

  problems = sigma_json_scenario_check_file (path, flags);
  unreadable = problems->len == 1 && ((GError *) g_ptr_array_index (problems, 0))->domain == G_FILE_ERROR;
  if (problems->len == 0)
    {
      /* load it once more for the summary and what lenient mode let through */
      sigma_cli_quiet_warnings = TRUE;
      scenario = sigma_json_scenario_new_from_file (path, flags, NULL);
      sigma_cli_quiet_warnings = FALSE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, problems->len == 0);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        {
          GError *problem = g_ptr_array_index (problems, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, error_code_name (problem));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, problem->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "warnings");
      json_builder_begin_array (builder);
      if (scenario != NULL)
        {
          const char * const *warnings = sigma_json_scenario_get_warnings (scenario);

          for (guint i = 0; warnings[i] != NULL; i++)
            json_builder_add_string_value (builder, warnings[i]);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sigma_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < problems->len; i++)
        printf ("%s: %s\n", path, ((GError *) g_ptr_array_index (problems, i))->message);
      if (scenario != NULL)
        {
          const char * const *warnings = sigma_json_scenario_get_warnings (scenario);
          guint n_turns = sigma_json_scenario_get_n_turns (scenario);

          for (guint i = 0; warnings[i] != NULL; i++)
            printf ("%s: warning: %s\n", path, warnings[i]);
          printf ("%s: valid (%s): scenario %s, %u apps, %u events (%u oracle), %u turn%s, %u completed events\n",
                  path, lenient ? "lenient" : "strict",
                  sigma_scenario_get_scenario_id (SIGMA_SCENARIO (scenario)),
                  sigma_json_scenario_get_n_apps (scenario), sigma_json_scenario_get_n_events (scenario),
                  sigma_json_scenario_get_n_oracle_events (scenario), n_turns, n_turns == 1 ? "" : "s",
                  sigma_json_scenario_get_n_completed_events (scenario));
        }
      else if (problems->len > 0)
        fprintf (stderr, "sigma validate: %s: %u problem%s\n", path, problems->len, problems->len == 1 ? "" : "s");
    }
  if (unreadable)
    return EXIT_ERROR;
  return problems->len == 0 ? EXIT_PASS : EXIT_FAIL;
}
