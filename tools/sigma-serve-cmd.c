/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include <glib-unix.h>

#include "sigma-cli.h"

/*
 * `sigma serve`: the HTTP + WebSocket API and the web UI (SigmaServer) until SIGINT or
 * SIGTERM. The first line on stdout is the URL it listens on (with --port 0, the real
 * port), so scripts and tests can read it.
 *
 * It opens the result store as `sigma batch` does (--db, else $SIGMA_DB, else the user data
 * folder) and, given --base-url, --model or --replay, a model client for LLM sessions and
 * drafts, made from the options every agent-running command shares.
 */

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;   /* removed by sigma_cli_serve() */
}

int
sigma_cli_serve (int    argc,
                 char **argv)
{
  g_autofree char *host = NULL;
  g_autofree char *db = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *url = NULL;
  gint port = 8000;
  gdouble idle_timeout = 1800;
  gint max_sessions = SIGMA_SERVER_DEFAULT_MAX_SESSIONS;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "The IP address to listen on (default 127.0.0.1)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "The TCP port (default 8000; 0 picks a free one)", "PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "The result store for saved sessions (default $SIGMA_DB, else $XDG_DATA_HOME/sigma/results.db)", "FILE" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Require 'Authorization: Bearer TOKEN' on every request", "TOKEN" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &idle_timeout,
      "Close a session after this many seconds without a request (default 1800; 0: never)", "S" },
    { "max-sessions", 0, 0, G_OPTION_ARG_INT, &max_sessions,
      "The most sessions open at once; more are refused with 503 (default 256)", "N" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario,
      "Open the web UI on this registered scenario (printed as the URL's #fragment)", "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- serve the API and the web UI");
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenarioRegistry) registry = NULL;
  g_autoptr(SigmaServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SigmaResultStore) store = NULL;
  g_auto(SigmaCliAgentOptions) llm;
  guint sigint, sigterm;

  sigma_cli_agent_options_init (&llm);
  g_option_context_add_main_entries (context, entries, NULL);
  sigma_cli_llm_options_add (&llm, context);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "sigma serve: %s\n", error->message);
      return 2;
    }
  if (argc != 1)
    {
      fprintf (stderr, "sigma serve: takes no arguments\n");
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      fprintf (stderr, "sigma serve: --port must be between 0 and 65535\n");
      return 2;
    }
  if (!(idle_timeout >= 0))
    {
      fprintf (stderr, "sigma serve: --idle-timeout must be 0 or more seconds\n");
      return 2;
    }
  if (max_sessions < 1)
    {
      fprintf (stderr, "sigma serve: --max-sessions must be 1 or more\n");
      return 2;
    }

  if (!sigma_cli_llm_options_check (&llm, &error))
    {
      fprintf (stderr, "sigma serve: %s\n", error->message);
      return 2;
    }

  db_path = sigma_cli_resolve_db_path (db, &error);
  store = db_path != NULL ? sigma_result_store_open (db_path, &error) : NULL;
  if (store == NULL)
    {
      fprintf (stderr, "sigma serve: %s\n", error->message);
      return 1;
    }
  /* without an endpoint, LLM sessions and drafts answer 503 rather than calling OpenAI */
  if (llm.base_url != NULL || llm.model != NULL || llm.replay != NULL || llm.record != NULL)
    {
      g_autoptr(SigmaLlmClient) client = sigma_cli_make_llm_client (&llm, &error);

      if (client == NULL)
        {
          fprintf (stderr, "sigma serve: %s\n", error->message);
          return 1;
        }
    }

  registry = sigma_cli_load_registry (TRUE);
  if (scenario != NULL && sigma_scenario_registry_lookup (registry, scenario) == NULL)
    {
      fprintf (stderr, "sigma serve: no registered scenario '%s' (see `sigma list`)\n", scenario);
      return 2;
    }
  server = sigma_server_new (registry);
  sigma_server_set_token (server, token);
  sigma_server_set_idle_timeout (server, idle_timeout);
  sigma_server_set_max_sessions (server, (guint) max_sessions);
  sigma_server_set_result_store (server, store);
  sigma_server_set_llm_client (server, llm.client);
  if (!sigma_server_listen (server, host != NULL ? host : "127.0.0.1", (guint) port, &error))
    {
      fprintf (stderr, "sigma serve: %s\n", error->message);
      /* a host that is not an address is bad input; a port in use is a failure to run */
      return g_error_matches (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT) ? 2 : 1;
    }

  url = sigma_server_get_url (server);
  if (scenario != NULL)
    printf ("%s#scenario=%s\n", url, scenario);
  else
    printf ("%s\n", url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  sigma_server_shutdown (server);
  /* answer what the sessions finished meanwhile, then go */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
