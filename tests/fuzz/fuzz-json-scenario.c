/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdlib.h>

#include <sigma.h>

/*
 * libFuzzer target for the ARE JSON importer: every input is read strictly and leniently,
 * checked (collecting problems), and when it loads, its trace log is read and judged, the
 * scenario is set up in an environment (apps created, DAG scheduled) and exported, and it is
 * run with the oracle agent and judged as `sigma run --oracle` does. A crash, a leak, a
 * critical warning (a broken precondition inside the library) or a hang is a finding.
 */

static GLogWriterOutput
quiet_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;   /* lenient imports warn about every accepted deviation */
}

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (quiet_writer, NULL, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_setenv ("TMPDIR", g_get_tmp_dir (), FALSE);
  return 0;
}

static void
exercise (const char     *text,
          gsize           size,
          SigmaJsonFlags  flags)
{
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  problems = sigma_json_scenario_check_data (text, (gssize) size, flags);
  scenario = sigma_json_scenario_new_from_data (text, (gssize) size, flags, &error);
  /* check and load agree on whether the data is valid */
  if ((scenario == NULL) != (problems->len > 0))
    abort ();
  if (scenario == NULL)
    return;

  {
    g_autoptr(SigmaEventLog) log = sigma_json_scenario_load_trace_log (scenario, NULL);
    g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
    g_autofree char *exported = NULL;

    /* the recorded run, when there is one, is judged against the oracle */
    if (log != NULL)
      {
        g_autoptr(SigmaVerdict) verdict = sigma_json_scenario_judge_log (scenario, log, NULL);

        (void) verdict;
      }
    for (guint t = 0; t < sigma_json_scenario_get_n_turns (scenario); t++)
      (void) sigma_json_scenario_get_task (scenario, t);
    sigma_environment_set_oracle_mode (env, TRUE);
    if (sigma_scenario_setup (SIGMA_SCENARIO (scenario), env, NULL))
      {
        gsize length = 0;

        exported = sigma_json_scenario_export_to_data (scenario, env, &length, NULL);
        /* an export reads back */
        if (exported != NULL)
          {
            g_autoptr(SigmaJsonScenario) again = sigma_json_scenario_new_from_data (exported, (gssize) length,
                                                                                   flags | SIGMA_JSON_LENIENT, NULL);
            (void) again;
          }
      }
  }

  /* the whole path of `sigma run --oracle`: a fresh environment, the oracle agent, the judge */
  {
    g_autoptr(SigmaAgent) oracle = sigma_oracle_agent_new ();
    g_autoptr(SigmaRunner) runner = sigma_runner_new (SIGMA_SCENARIO (scenario), oracle);
    g_autoptr(SigmaRunResult) result = NULL;

    sigma_runner_set_max_steps (runner, 200);
    result = sigma_runner_run (runner, NULL, NULL);
    (void) result;
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = size > 0 ? (const char *) data : "";

  exercise (text, size, SIGMA_JSON_STRICT);
  exercise (text, size, SIGMA_JSON_LENIENT);
  return 0;
}
