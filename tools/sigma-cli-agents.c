/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <string.h>

#include "sigma-cli.h"

#define DEFAULT_MODEL "gpt-4o-mini"
#define DEFAULT_BASE_URL "https://api.openai.com/v1"

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

/* The think time the options name (checked by sigma_cli_agent_options_check()), or fixed
 * @default_seconds when they name none. */
void
sigma_cli_agent_options_get_think_time (SigmaCliAgentOptions *opts,
                                        gdouble               default_seconds,
                                        SigmaThinkTime       *mode,
                                        gdouble              *seconds)
{
  *mode = SIGMA_THINK_TIME_FIXED;
  *seconds = default_seconds;
  if (opts->think_time != NULL)
    parse_think_time (opts->think_time, mode, seconds);
}

void
sigma_cli_agent_options_init (SigmaCliAgentOptions *opts)
{
  memset (opts, 0, sizeof *opts);
  opts->seed = -1;
  opts->noise_rate = -1;
  opts->llm_retries = -1;
}

void
sigma_cli_agent_options_clear (SigmaCliAgentOptions *opts)
{
  g_clear_pointer (&opts->agent, g_free);
  g_clear_pointer (&opts->user, g_free);
  g_clear_pointer (&opts->think_time, g_free);
  g_clear_pointer (&opts->model, g_free);
  g_clear_pointer (&opts->base_url, g_free);
  g_clear_pointer (&opts->record, g_free);
  g_clear_pointer (&opts->replay, g_free);
  g_clear_pointer (&opts->prices, g_free);
  g_clear_pointer (&opts->soft_judge, g_free);
  g_clear_object (&opts->client);
}

/* Entries of @opts for a GOptionContext's main group; --oracle is `--agent oracle`. */
void
sigma_cli_agent_options_add (SigmaCliAgentOptions *opts,
                             GOptionContext       *context)
{
  GOptionEntry entries[] = {
    { "agent", 0, 0, G_OPTION_ARG_STRING, &opts->agent,
      "The agent: oracle, scripted:FILE, llm or human (you, at the terminal)", "AGENT" },
    { "oracle", 0, 0, G_OPTION_ARG_NONE, &opts->oracle,
      "Replay the scenario's oracle as the agent (--agent oracle)", NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &opts->user,
      "The user: scripted (the scenario's own turns, the default) or llm", "USER" },
    { "think-time", 0, 0, G_OPTION_ARG_STRING, &opts->think_time,
      "Simulated seconds per agent step: fixed:SECONDS (default fixed:1) or measured", "MODE" },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &opts->max_steps, "The most agent steps (default 200)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts->seed, "The run seed (default: the scenario's)", "N" },
    { "noise-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts->noise_rate, "Add background events, R per simulated minute", "R" },
    { "noise-horizon", 0, 0, G_OPTION_ARG_DOUBLE, &opts->noise_horizon,
      "Seconds over which background events arrive (default: the scenario's duration)", "S" },
    { "tool-failure", 0, 0, G_OPTION_ARG_DOUBLE, &opts->tool_failure, "Make agent tool calls fail with probability P", "P" },
    { "soft-judge", 0, 0, G_OPTION_ARG_STRING, &opts->soft_judge,
      "How free-text arguments are judged: exact or llm (default: llm with --agent llm)", "JUDGE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  sigma_cli_llm_options_add (opts, context);
}

/* Only the model options of @opts (--model, --base-url, --record, --replay, --prices,
 * --llm-timeout, --llm-retries): `sigma serve`, whose sessions pick their agent. */
void
sigma_cli_llm_options_add (SigmaCliAgentOptions *opts,
                           GOptionContext       *context)
{
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &opts->model,
      "The model of the LLM agent, user and soft judge (default " DEFAULT_MODEL ")", "MODEL" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &opts->base_url,
      "The OpenAI-compatible endpoint (default " DEFAULT_BASE_URL "); key from SIGMA_LLM_API_KEY or OPENAI_API_KEY", "URL" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &opts->record, "Record every model exchange to a cassette", "FILE" },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &opts->replay,
      "Answer model requests from a cassette, without the network", "FILE" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &opts->prices,
      "Model prices, USD per 1M tokens: {\"MODEL\": {\"prompt\": P, \"completion\": C}} (default: $SIGMA_LLM_PRICES)", "FILE" },
    { "llm-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opts->llm_timeout,
      "The most seconds one model request may take (default 120)", "S" },
    { "llm-retries", 0, 0, G_OPTION_ARG_INT, &opts->llm_retries,
      "How many times a model request failing with 429, 5xx or a connection error is retried (default 3)", "N" },
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
                   "choose an agent: --agent oracle|scripted:FILE|llm|human (or --oracle)");
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
  if (opts->user != NULL && !g_str_equal (opts->user, "scripted") && !g_str_equal (opts->user, "llm"))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "unknown user '%s' (expected scripted or llm)", opts->user);
      return FALSE;
    }
  if (opts->soft_judge != NULL && !g_str_equal (opts->soft_judge, "exact") &&
      !g_str_equal (opts->soft_judge, "llm"))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "unknown soft judge '%s' (expected exact or llm)", opts->soft_judge);
      return FALSE;
    }
  return sigma_cli_llm_options_check (opts, error);
}

/* Checks the model options once they are parsed. */
gboolean
sigma_cli_llm_options_check (SigmaCliAgentOptions  *opts,
                             GError               **error)
{
  if (opts->llm_timeout < 0 || !isfinite (opts->llm_timeout))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "--llm-timeout must be more than 0 seconds");
      return FALSE;
    }
  if (opts->llm_retries < -1 || opts->llm_retries > 100)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "--llm-retries must be 0 to 100");
      return FALSE;
    }
  if (opts->record != NULL && opts->replay != NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "--record and --replay exclude each other");
      return FALSE;
    }
  return TRUE;
}

/* The one model client of a run: the agent, the user simulator and the soft judge share it,
 * and with it the cassette. Kept on @opts once made. */
SigmaLlmClient *
sigma_cli_make_llm_client (SigmaCliAgentOptions  *opts,
                           GError               **error)
{
  g_autoptr(SigmaLlmClient) client = NULL;
  const char *key = g_getenv ("SIGMA_LLM_API_KEY");
  const char *prices = opts->prices != NULL ? opts->prices : g_getenv ("SIGMA_LLM_PRICES");

  if (opts->client != NULL)
    return g_object_ref (opts->client);
  client = sigma_llm_client_new (opts->base_url, opts->model != NULL ? opts->model : DEFAULT_MODEL);
  if (key == NULL || *key == '\0')
    key = g_getenv ("OPENAI_API_KEY");
  sigma_llm_client_set_api_key (client, key);
  if (opts->llm_timeout > 0)
    sigma_llm_client_set_timeout (client, opts->llm_timeout);
  if (opts->llm_retries >= 0)
    sigma_llm_client_set_max_retries (client, (guint) opts->llm_retries);
  if (opts->seed >= 0)
    sigma_llm_client_set_seed (client, (guint64) opts->seed);
  if (prices != NULL && *prices != '\0' && !sigma_llm_client_load_prices (client, prices, error))
    return NULL;
  if (opts->record != NULL && !sigma_llm_client_record_to (client, opts->record, error))
    return NULL;
  if (opts->replay != NULL && !sigma_llm_client_replay_from (client, opts->replay, error))
    return NULL;
  opts->client = g_object_ref (client);
  return g_steal_pointer (&client);
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
  if (g_str_equal (spec, "llm"))
    {
      g_autoptr(SigmaLlmClient) client = sigma_cli_make_llm_client (opts, error);

      return client != NULL ? sigma_llm_agent_new (client) : NULL;
    }
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
               "unknown agent '%s' (expected oracle, scripted:FILE, llm or human)", spec);
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
  SigmaThinkTime mode;
  gdouble seconds;

  /* a person (sigma play) drives the runner from outside: no agent object */
  if (!g_str_equal (opts->agent, "human"))
    {
      agent = make_agent (opts, error);
      if (agent == NULL)
        return NULL;
    }
  runner = sigma_runner_new (scenario, agent);
  if (SIGMA_IS_LLM_AGENT (agent))
    {
      g_autofree char *name = g_strdup_printf ("llm:%s", sigma_llm_client_get_model (opts->client));

      sigma_runner_set_agent_name (runner, name);
    }
  else
    sigma_runner_set_agent_name (runner, opts->agent);
  if (opts->user != NULL && g_str_equal (opts->user, "llm"))
    {
      g_autoptr(SigmaLlmClient) client = sigma_cli_make_llm_client (opts, error);
      g_autoptr(SigmaUserSimulator) user = NULL;

      if (client == NULL)
        {
          g_object_unref (runner);
          return NULL;
        }
      user = sigma_llm_user_simulator_new (client);
      sigma_runner_set_user_simulator (runner, user);
    }
  if (SIGMA_IS_JSON_SCENARIO (scenario) &&
      (opts->soft_judge != NULL ? g_str_equal (opts->soft_judge, "llm") : SIGMA_IS_LLM_AGENT (agent)))
    {
      g_autoptr(SigmaLlmClient) client = sigma_cli_make_llm_client (opts, error);
      g_autoptr(SigmaSoftJudge) judge = NULL;

      if (client == NULL)
        {
          g_object_unref (runner);
          return NULL;
        }
      judge = sigma_llm_soft_judge_new (client);
      sigma_json_scenario_set_soft_judge (SIGMA_JSON_SCENARIO (scenario), judge);
    }
  if (opts->seed >= 0)
    sigma_runner_set_seed (runner, (guint64) opts->seed);
  if (opts->max_steps > 0)
    sigma_runner_set_max_steps (runner, (guint) opts->max_steps);
  sigma_cli_agent_options_get_think_time (opts, 1.0, &mode, &seconds);
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
