/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sigma-cli.h"

typedef struct
{
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} Command;

/* Pretty-printed JSON on stdout, the form of every --json output. */
void
sigma_cli_print_json (JsonNode *node)
{
  g_autofree char *text = sigma_json_to_string (node, TRUE);

  printf ("%s\n", text);
}

static int cmd_version (int argc, char **argv);
static int cmd_help    (int argc, char **argv);

static const Command commands[] = {
  { "version", "Print the version of Sigma", cmd_version },
  { "bench", "Run a kernel benchmark workload", sigma_cli_bench },
  { "apps", "List the app classes and their aliases", sigma_cli_apps },
  { "tools", "Show the tools of an app class", sigma_cli_tools },
  { "list", "List the registered scenarios (built-in and plugins)", sigma_cli_list },
  { "run", "Run a scenario (an ARE file or a registered id) and judge the run", sigma_cli_run },
  { "play", "Play the agent of a scenario yourself, at the terminal", sigma_cli_play },
  { "judge", "Judge an ARE trace against its scenario's oracle", sigma_cli_judge },
  { "validate", "Check an ARE scenario or trace file", sigma_cli_validate },
  { "serve", "Serve the HTTP + WebSocket API and the web UI", sigma_cli_serve },
  { "batch", "Run scenarios × K with an agent, store every run, report pass@k", sigma_cli_batch },
  { "results", "List the batches of the result store, or summarise one", sigma_cli_results },
  { "help", "Show the commands", cmd_help },
};

static int
cmd_version (int    argc,
             char **argv)
{
  if (argc > 1)
    {
      fprintf (stderr, "sigma version: unexpected argument '%s'\n", argv[1]);
      return 2;
    }
  printf ("sigma %s\n", sigma_get_version_string ());
  return 0;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: sigma COMMAND [OPTIONS…]\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun 'sigma COMMAND --help' for the options of a command.\n");
}

static int
cmd_help (int    argc,
          char **argv)
{
  print_usage (stdout);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_log_set_writer_func (sigma_cli_log_writer, NULL, NULL);

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--version") == 0)
    return cmd_version (1, argv + 1);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    return cmd_help (argc - 1, argv + 1);

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "sigma: unknown command '%s'\n\n", argv[1]);
  print_usage (stderr);
  return 2;
}
