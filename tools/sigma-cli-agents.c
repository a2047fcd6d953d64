/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <string.h>

#include "sigma-cli.h"

/*
 * The agent options shared by every command that runs agents (`sigma run`, `sigma batch`,
 * `sigma play`, `sigma serve`), and the one place that turns them into a #SigmaRunner.
 */

static gboolean
parse_think_time (const char      *text,
                  SigmaThinkTime  *mode,
                  gdouble         *seconds)
{
  char *end = NULL;

  if (g_str_equal (text, "measured"))
    {
      *mode = SIGMA_THINK_TIME_MEASURED;
      *seconds = 0;
      return TRUE;
    }
  if (!g_str_has_prefix (text, "fixed:"))
    return FALSE;
  *seconds = g_ascii_strtod (text + 6, &end);
  *mode = SIGMA_THINK_TIME_FIXED;
  return end != text + 6 && *end == '\0' && *seconds >= 0 && isfinite (*seconds);
}

void
sigma_cli_agent_options_init (SigmaCliAgentOptions *opts)
{
  memset (opts, 0, sizeof *opts);
  opts->seed = -1;
  opts->noise_rate = -1;
}

void
sigma_cli_agent_options_clear (SigmaCliAgentOptions *opts)
{
  g_clear_pointer (&opts->agent, g_free);
  g_clear_pointer (&opts->user, g_free);
  g_clear_pointer (&opts->think_time, g_free);
}

/* Entries of @opts for a GOptionContext's main group; --oracle is `--agent oracle`. */
void
sigma_cli_agent_options_add (SigmaCliAgentOptions *opts,
                             GOptionContext       *context)
{
  GOptionEntry entries[] = {
    { "agent", 0, 0, G_OPTION_ARG_STRING, &opts->agent,
      "The agent: oracle or scripted:FILE", "AGENT" },
    { "oracle", 0, 0, G_OPTION_ARG_NONE, &opts->oracle,
      "Replay the scenario's oracle as the agent (--agent oracle)", NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &opts->user,
      "The user: scripted (the scenario's own turns, the default)", "USER" },
    { "think-time", 0, 0, G_OPTION_ARG_STRING, &opts->think_time,
      "Simulated seconds per agent step: fixed:SECONDS (default fixed:1) or measured", "MODE" },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &opts->max_steps, "The most agent steps (default 200)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts->seed, "The run seed (default: the scenario's)", "N" },
    { "noise-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts->noise_rate, "Add background events, R per simulated minute", "R" },
    { "noise-horizon", 0, 0, G_OPTION_ARG_DOUBLE, &opts->noise_horizon,
      "Seconds over which background events arrive (default: the scenario's duration)", "S" },
    { "tool-failure", 0, 0, G_OPTION_ARG_DOUBLE, &opts->tool_failure, "Make agent tool calls fail with probability P", "P" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

/* Checks the options once they are parsed. */
gboolean
sigma_cli_agent_options_check (SigmaCliAgentOptions  *opts,
                               GError               **error)
{
  SigmaThinkTime mode;
  gdouble seconds;

  if (opts->oracle && opts->agent != NULL && !g_str_equal (opts->agent, "oracle"))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "--oracle and --agent name different agents");
      return FALSE;
    }
  if (opts->oracle && opts->agent == NULL)
    opts->agent = g_strdup ("oracle");
  if (opts->agent == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "choose an agent: --agent oracle|scripted:FILE (or --oracle)");
      return FALSE;
    }
  if (opts->seed < -1)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "the seed must be 0 or more");
      return FALSE;
    }
  if (!(opts->noise_horizon >= 0) || !(opts->tool_failure >= 0 && opts->tool_failure <= 1) ||
      !(opts->noise_rate >= 0 || opts->noise_rate == -1))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "--noise-rate and --noise-horizon must be 0 or more, --tool-failure between 0 and 1");
      return FALSE;
    }
  if (opts->max_steps < 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "--max-steps must be 1 or more");
      return FALSE;
    }
  if (opts->think_time != NULL && !parse_think_time (opts->think_time, &mode, &seconds))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "--think-time must be fixed:SECONDS or measured, not '%s'", opts->think_time);
      return FALSE;
    }
  if (opts->user != NULL && !g_str_equal (opts->user, "scripted"))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "unknown user '%s' (expected scripted)", opts->user);
      return FALSE;
    }
  return TRUE;
}

static SigmaAgent *
make_agent (SigmaCliAgentOptions  *opts,
            GError               **error)
{
  const char *spec = opts->agent;

  if (g_str_equal (spec, "oracle"))
    return sigma_oracle_agent_new ();
  if (g_str_has_prefix (spec, "scripted:") && spec[9] != '\0')
    return sigma_scripted_agent_new_from_file (spec + 9, error);
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
               "unknown agent '%s' (expected oracle or scripted:FILE)", spec);
  return NULL;
}

/* A runner for @scenario with the agent, user and settings @opts name. */
SigmaRunner *
sigma_cli_make_runner (SigmaScenario         *scenario,
                       SigmaCliAgentOptions  *opts,
                       GError               **error)
{
  g_autoptr(SigmaAgent) agent = NULL;
  SigmaRunner *runner;
  SigmaThinkTime mode = SIGMA_THINK_TIME_FIXED;
  gdouble seconds = 1.0;

  agent = make_agent (opts, error);
  if (agent == NULL)
    return NULL;
  runner = sigma_runner_new (scenario, agent);
  sigma_runner_set_agent_name (runner, opts->agent);
  if (opts->seed >= 0)
    sigma_runner_set_seed (runner, (guint64) opts->seed);
  if (opts->max_steps > 0)
    sigma_runner_set_max_steps (runner, (guint) opts->max_steps);
  if (opts->think_time != NULL)
    parse_think_time (opts->think_time, &mode, &seconds);
  sigma_runner_set_think_time (runner, mode, seconds);
  if (opts->noise_rate >= 0 || opts->tool_failure > 0)
    {
      g_autoptr(SigmaNoiseConfig) noise = NULL;
      guint64 seed = opts->seed >= 0 ? (guint64) opts->seed : sigma_scenario_get_seed (scenario);

      noise = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", MAX (opts->noise_rate, 0.0),
                            "horizon", opts->noise_horizon, "seed", seed,
                            "tool-failure-probability", opts->tool_failure, NULL);
      sigma_runner_set_noise (runner, noise);
    }
  return runner;
}
