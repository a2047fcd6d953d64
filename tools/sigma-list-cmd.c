/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "sigma-cli.h"

/*
 * `sigma list`, and the registry every command that takes a scenario id resolves it in:
 * the scenarios built into Sigma, then those of the plugin search path.
 */

/* Warnings of the library (lenient imports) go to stderr on one line each, unless a command
 * prints them itself. */
gboolean sigma_cli_quiet_warnings;

GLogWriterOutput
sigma_cli_log_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if ((log_level & G_LOG_LEVEL_WARNING) && !(log_level & G_LOG_FLAG_FATAL))
    {
      const char *message = NULL;

      if (sigma_cli_quiet_warnings)
        return G_LOG_WRITER_HANDLED;
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE"))
          message = fields[i].value;
      if (message != NULL)
        {
          fprintf (stderr, "sigma: warning: %s\n", message);
          return G_LOG_WRITER_HANDLED;
        }
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

SigmaScenarioRegistry *
sigma_cli_load_registry (gboolean report_errors)
{
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(GError) builtin_error = NULL;
  gboolean saved;

  /* The built-ins come first, so a plugin cannot take their ids. */
  if (!sigma_builtin_scenarios_register (registry, &builtin_error))
    g_ptr_array_add (errors, g_steal_pointer (&builtin_error));

  /* Plugin files are read to learn their ids; what a lenient read of each would warn about
   * is for the run of that scenario to report, not for every command. */
  saved = sigma_cli_quiet_warnings;
  sigma_cli_quiet_warnings = TRUE;
  sigma_plugins_load_search_path (registry, errors);
  sigma_cli_quiet_warnings = saved;
  if (report_errors)
    for (guint i = 0; i < errors->len; i++)
      fprintf (stderr, "sigma: warning: %s\n", ((GError *) g_ptr_array_index (errors, i))->message);
  return g_steal_pointer (&registry);
}

/* A scenario file, or a scenario registered in @registry (loaded from the plugin path when
 * %NULL, only if @file_or_id is no file). @create_lock, when given, is held while the
 * registered scenario is created (plugin code may not be thread-safe); files are read
 * without it. */
SigmaScenario *
sigma_cli_open_scenario_in (SigmaScenarioRegistry  *registry,
                            GMutex                 *create_lock,
                            const char             *file_or_id,
                            SigmaJsonFlags          flags,
                            GError                **error)
{
  g_autoptr(SigmaScenarioRegistry) loaded = NULL;
  SigmaScenarioInfo *info;
  SigmaScenario *scenario;

  if (g_file_test (file_or_id, G_FILE_TEST_EXISTS) || g_str_has_suffix (file_or_id, ".json"))
    return SIGMA_SCENARIO (sigma_json_scenario_new_from_file (file_or_id, flags, error));

  if (registry == NULL)
    registry = loaded = sigma_cli_load_registry (TRUE);
  info = sigma_scenario_registry_lookup (registry, file_or_id);
  if (info == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "'%s' is neither a scenario file nor a registered scenario id (see `sigma list`)",
                   file_or_id);
      return NULL;
    }
  if (create_lock != NULL)
    g_mutex_lock (create_lock);
  scenario = sigma_scenario_info_create (info, error);
  if (create_lock != NULL)
    g_mutex_unlock (create_lock);
  return scenario;
}

SigmaScenario *
sigma_cli_open_scenario (const char      *file_or_id,
                         SigmaJsonFlags   flags,
                         GError         **error)
{
  return sigma_cli_open_scenario_in (NULL, NULL, file_or_id, flags, error);
}

static const char *
source_name (SigmaScenarioSource source)
{
  switch (source)
    {
    case SIGMA_SCENARIO_SOURCE_BUILT_IN:
      return "built-in";
    case SIGMA_SCENARIO_SOURCE_C_PLUGIN:
      return "c-plugin";
    case SIGMA_SCENARIO_SOURCE_PYTHON_PLUGIN:
      return "python-plugin";
    case SIGMA_SCENARIO_SOURCE_JSON_FILE:
      return "json-file";
    case SIGMA_SCENARIO_SOURCE_APPLICATION:
    default:
      return "application";
    }
}

int
sigma_cli_list (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the scenarios as a JSON array", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- list the registered scenarios");
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenarioRegistry) registry = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "sigma list: %s\n", error->message);
      return 2;
    }
  if (argc != 1)
    {
      fprintf (stderr, "sigma list: takes no arguments\n");
      return 2;
    }

  registry = sigma_cli_load_registry (TRUE);
  n = g_list_model_get_n_items (G_LIST_MODEL (registry));
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SigmaScenarioInfo) info = g_list_model_get_item (G_LIST_MODEL (registry), i);
      const char *summary = sigma_scenario_info_get_summary (info);
      gboolean has_summary = summary != NULL && summary[0] != '\0';
      const char *location = sigma_scenario_info_get_location (info);
      const char * const *tags = sigma_scenario_info_get_tags (info);

      if (!json)
        {
          printf ("%-40s %-14s %s\n", sigma_scenario_info_get_scenario_id (info),
                  source_name (sigma_scenario_info_get_source (info)),
                  has_summary ? summary : (location != NULL ? location : ""));
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scenario_id");
      json_builder_add_string_value (builder, sigma_scenario_info_get_scenario_id (info));
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, source_name (sigma_scenario_info_get_source (info)));
      json_builder_set_member_name (builder, "summary");
      if (has_summary)
        json_builder_add_string_value (builder, summary);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "location");
      if (location != NULL)
        json_builder_add_string_value (builder, location);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint t = 0; tags != NULL && tags[t] != NULL; t++)
        json_builder_add_string_value (builder, tags[t]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      sigma_cli_print_json (root);
    }
  return 0;
}
