/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
sigma_cli_run (int    argc,
               char **argv)
{
  gboolean oracle = FALSE, lenient = FALSE, json = FALSE;
  gint64 seed = -1;
  gdouble noise_rate = -1, noise_horizon = 0, tool_failure = 0;
  char *trace_out = NULL;
  GOptionEntry entries[] = {
    { "oracle", 0, 0, G_OPTION_ARG_NONE, &oracle, "Replay the scenario's oracle as the agent", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "The run seed (default: the file's)", "N" },
    { "noise-rate", 0, 0, G_OPTION_ARG_DOUBLE, &noise_rate, "Add background events, R per simulated minute", "R" },
    { "noise-horizon", 0, 0, G_OPTION_ARG_DOUBLE, &noise_horizon,
      "Seconds over which background events arrive (default: the scenario's duration)", "S" },
    { "tool-failure", 0, 0, G_OPTION_ARG_DOUBLE, &tool_failure, "Make agent tool calls fail with probability P", "P" },
    { "lenient", 0, 0, G_OPTION_ARG_NONE, &lenient, "Accept what ARE-derived tools write", NULL },
    { "trace-out", 0, 0, G_OPTION_ARG_FILENAME, &trace_out, "Write the run as an ARE trace", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenario) scenario = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(SigmaNoiseConfig) noise = NULL;
  g_autofree char *rationale = NULL;
  g_autofree char *trace_path = NULL;
  SigmaJsonScenario *json_scenario = NULL;
  gint64 start = g_get_monotonic_time ();
  gdouble wall, sim;
  gboolean passed;
  guint n_turns = 0;
  const char *scenario_id;

  context = g_option_context_new ("FILE|ID - run a scenario (an ARE file or a registered id) and judge the run");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, "run", &argc, &argv))
    return EXIT_ERROR;
  trace_path = trace_out;
  if (argc != 2)
    return fail_with ("run", json, NULL, "name one scenario file or registered scenario id");
  if (!oracle)
    return fail_with ("run", json, NULL,
                      "no agent is available yet (agents come with a later issue); "
                      "use --oracle to replay the scenario's oracle actions");
  if (seed < -1)
    return fail_with ("run", json, NULL, "the seed must be 0 or more");
  if (!(noise_horizon >= 0) || !(tool_failure >= 0 && tool_failure <= 1) || !(noise_rate >= 0 || noise_rate == -1))
    return fail_with ("run", json, NULL, "--noise-rate and --noise-horizon must be 0 or more, --tool-failure between 0 and 1");

  scenario = sigma_cli_open_scenario (argv[1], lenient ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT, &error);
  if (scenario == NULL)
    return fail_with ("run", json, NULL, error->message);
  scenario_id = sigma_scenario_get_scenario_id (scenario);
  if (seed >= 0)
    g_object_set (scenario, "seed", (guint64) seed, NULL);
  if (SIGMA_IS_JSON_SCENARIO (scenario))
    json_scenario = SIGMA_JSON_SCENARIO (scenario);
  if (trace_path != NULL && json_scenario == NULL)
    return fail_with ("run", json, scenario_id, "--trace-out needs an ARE JSON scenario");

  if (noise_rate >= 0 || tool_failure > 0)
    noise = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", MAX (noise_rate, 0.0), "horizon", noise_horizon,
                          "seed", sigma_scenario_get_seed (scenario), "tool-failure-probability", tool_failure, NULL);

  env = sigma_environment_new ();
  if (noise != NULL)
    {
      /* as sigma_json_scenario_run_oracle(), with the noise added between setup and run */
      sigma_environment_set_oracle_mode (env, TRUE);
      if (!sigma_scenario_setup (scenario, env, &error) ||
          !sigma_noise_config_apply (noise, env, scenario, &error) ||
          !sigma_environment_run (env, &error))
        return fail_with ("run", json, scenario_id, error->message);
    }
  else if (json_scenario != NULL)
    {
      if (!sigma_json_scenario_run_oracle (json_scenario, env, &error))
        return fail_with ("run", json, scenario_id, error->message);
    }
  else
    {
      sigma_environment_set_oracle_mode (env, TRUE);
      if (!sigma_scenario_setup (scenario, env, &error) || !sigma_environment_run (env, &error))
        return fail_with ("run", json, scenario_id, error->message);
    }
  passed = sigma_scenario_validate (scenario, env, &rationale, &error);
  if (error != NULL)
    return fail_with ("run", json, scenario_id, error->message);
  if (json_scenario != NULL)
    {
      n_turns = sigma_json_scenario_get_n_turns (json_scenario);
      if (trace_path != NULL && !sigma_json_scenario_export_to_file (json_scenario, env, trace_path, &error))
        return fail_with ("run", json, scenario_id, error->message);
    }

  wall = (g_get_monotonic_time () - start) / 1e6;
  sim = sigma_environment_get_time (env) - sigma_environment_get_start_time (env);
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
      json_builder_add_int_value (builder, n_turns);
      json_builder_set_member_name (builder, "events");
      json_builder_add_int_value (builder, sigma_event_log_get_length (sigma_environment_get_log (env)));
      json_builder_set_member_name (builder, "sim_seconds");
      json_builder_add_double_value (builder, sim);
      json_builder_set_member_name (builder, "wall_seconds");
      json_builder_add_double_value (builder, wall);
      json_builder_set_member_name (builder, "rationale");
      if (rationale != NULL && !passed)
        json_builder_add_string_value (builder, rationale);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sigma_cli_print_json (root);
    }
  else
    {
      printf ("%s: %s (%u turn%s, %u events, %g s simulated, %.3f s wall)\n", scenario_id,
              passed ? "pass" : "fail", n_turns, n_turns == 1 ? "" : "s",
              sigma_event_log_get_length (sigma_environment_get_log (env)), sim, wall);
      if (!passed && rationale != NULL)
        printf ("%s\n", rationale);
    }
  g_clear_object (&env);   /* apps may hold resources, such as the Files app's sandbox */
  exit_scenario = g_steal_pointer (&scenario);
  return passed ? EXIT_PASS : EXIT_FAIL;
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
