/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include <gmodule.h>

#include "sigma-error.h"
#include "sigma-json-private.h"
#include "sigma-json-scenario.h"
#include "sigma-plugins.h"
#include "sigma-plugins-private.h"

/**
 * SECTION:sigma-plugins
 * @title: Plugins
 * @short_description: Scenarios found in plugin folders
 *
 * A plugin folder holds scenarios that Sigma finds at run time, without being rebuilt:
 *
 * - C modules (`*.so`), each exporting a #SigmaPluginRegisterFunc named
 *   %SIGMA_PLUGIN_REGISTER_SYMBOL that registers the module's scenarios;
 * - ARE scenario files (`*.json`), each registered under the scenario id it declares; only
 *   the id and tags are read when the folder is loaded, the whole file when the scenario is
 *   created: strictly when it follows ARE's rules, leniently otherwise;
 * - Python plugins: a libpeas plugin description (`*.plugin`, with `Loader=python3`) and the
 *   Python module it names, whose #SigmaScenarioProvider registers the module's scenarios.
 *
 * The search path is `SIGMA_PLUGIN_PATH` (folders separated by the platform's search path
 * separator) followed by the installed plugin folder. Folders that do not exist are skipped.
 * One bad file does not stop the others from loading: each failure is collected as a #GError
 * naming the file.
 */

/* The installed plugin folder, set by the build. */
#ifndef SIGMA_PLUGIN_DIR
#define SIGMA_PLUGIN_DIR "/usr/local/lib/sigma-1/plugins"
#endif

/**
 * sigma_plugins_get_search_path:
 *
 * The folders searched for plugins, in order: those of the `SIGMA_PLUGIN_PATH` environment
 * variable, then the installed plugin folder.
 *
 * Returns: (transfer full) (array zero-terminated=1): the folders
 */
char **
sigma_plugins_get_search_path (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *env = g_getenv ("SIGMA_PLUGIN_PATH");

  if (env != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        if (dirs[i][0] != '\0')
          g_strv_builder_add (builder, dirs[i]);
    }
  g_strv_builder_add (builder, SIGMA_PLUGIN_DIR);
  return g_strv_builder_end (builder);
}

static SigmaScenario *
json_source_create (const char  *scenario_id,
                    gpointer     user_data,
                    GError     **error)
{
  const char *path = user_data;
  g_autoptr(SigmaJsonScenario) scenario = NULL;
  g_autoptr(GError) strict_error = NULL;

  /* Files written by ARE-derived tools load leniently; if that fails too, the strict error
   * is the one that explains what ARE would reject. */
  scenario = sigma_json_scenario_new_from_file (path, SIGMA_JSON_STRICT, &strict_error);
  if (scenario == NULL)
    scenario = sigma_json_scenario_new_from_file (path, SIGMA_JSON_LENIENT, NULL);
  if (scenario == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&strict_error), "%s: ", path);
      return NULL;
    }
  if (g_strcmp0 (sigma_scenario_get_scenario_id (SIGMA_SCENARIO (scenario)), scenario_id) != 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "%s: the file now declares scenario '%s', not '%s'", path,
                   sigma_scenario_get_scenario_id (SIGMA_SCENARIO (scenario)), scenario_id);
      return NULL;
    }
  return SIGMA_SCENARIO (g_steal_pointer (&scenario));
}

/* Listing a folder of large ARE files must not parse them: only the scenario id and tags are
 * read now (a light scan of metadata.definition), the file when the scenario is created. */
static gboolean
load_json (SigmaScenarioRegistry  *registry,
           const char             *path,
           GError                **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *scenario_id = NULL;
  g_auto(GStrv) tags = NULL;

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return FALSE;
  if (!sigma_json_scan_definition (g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
                                   &scenario_id, &tags, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (!sigma_scenario_registry_register_factory (registry, scenario_id, NULL,
                                                 (const char * const *) tags,
                                                 SIGMA_SCENARIO_SOURCE_JSON_FILE, path,
                                                 json_source_create, g_strdup (path), g_free,
                                                 error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_module (SigmaScenarioRegistry  *registry,
             const char             *path,
             GError                **error)
{
  GModule *module;
  SigmaPluginRegisterFunc register_func = NULL;

  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "%s: not a loadable module: %s", path, g_module_error ());
      return FALSE;
    }
  if (!g_module_symbol (module, SIGMA_PLUGIN_REGISTER_SYMBOL, (gpointer *) &register_func) ||
      register_func == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "%s: the module does not export %s()", path, SIGMA_PLUGIN_REGISTER_SYMBOL);
      g_module_close (module);
      return FALSE;
    }

  /* Types the module registers cannot be unregistered: it stays loaded, even if it fails
   * half-way, since it may already have registered some. */
  g_module_make_resident (module);
  if (!register_func (registry, path, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                     "%s: %s() failed without saying why", path, SIGMA_PLUGIN_REGISTER_SYMBOL);
      else if (error != NULL)
        g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

/**
 * sigma_plugins_load_file:
 * @registry: a #SigmaScenarioRegistry
 * @path: (type filename): a C plugin module (`.so`), an ARE scenario file (`.json`) or a
 *   Python plugin description (`.plugin`)
 * @error: return location for a #GError
 *
 * Registers the scenarios of one plugin file.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
sigma_plugins_load_file (SigmaScenarioRegistry  *registry,
                         const char             *path,
                         GError                **error)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (registry), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_str_has_suffix (path, ".json"))
    return load_json (registry, path, error);
  if (g_str_has_suffix (path, "." G_MODULE_SUFFIX))
    return load_module (registry, path, error);
  if (g_str_has_suffix (path, SIGMA_PYTHON_PLUGIN_SUFFIX))
    return _sigma_plugins_load_python (registry, path, error);
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
               "%s: not a plugin (expected a .%s module, a .json scenario or a .plugin "
               "description)", path, G_MODULE_SUFFIX);
  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sigma_plugins_load_folder:
 * @registry: a #SigmaScenarioRegistry
 * @folder: (type filename): a plugin folder
 * @errors: (element-type GLib.Error) (nullable): an array that collects a #GError for each
 *   file that failed to load
 *
 * Registers the scenarios of every plugin file in @folder, in the order of the file names.
 * Files that are neither modules, `.json` files nor `.plugin` descriptions are ignored (the
 * Python modules beside a description are loaded through it); a folder that cannot be read
 * is one error.
 *
 * Returns: the number of files loaded
 */
guint
sigma_plugins_load_folder (SigmaScenarioRegistry *registry,
                           const char            *folder,
                           GPtrArray             *errors)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;
  guint loaded = 0;

  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (registry), 0);
  g_return_val_if_fail (folder != NULL, 0);

  dir = g_dir_open (folder, 0, &error);
  if (dir == NULL)
    {
      if (errors != NULL)
        {
          g_prefix_error (&error, "Plugin folder %s: ", folder);
          g_ptr_array_add (errors, g_steal_pointer (&error));
        }
      return 0;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, "." G_MODULE_SUFFIX) ||
        g_str_has_suffix (name, SIGMA_PYTHON_PLUGIN_SUFFIX))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (sigma_plugins_load_file (registry, path, &error))
        loaded++;
      else if (errors != NULL)
        g_ptr_array_add (errors, g_steal_pointer (&error));
      else
        g_clear_error (&error);
    }
  return loaded;
}

/**
 * sigma_plugins_load_search_path:
 * @registry: a #SigmaScenarioRegistry
 * @errors: (element-type GLib.Error) (nullable): an array that collects a #GError for each
 *   file that failed to load
 *
 * Loads every folder of sigma_plugins_get_search_path() that exists. An id registered by an
 * earlier folder wins: the later registration is an error in @errors.
 *
 * Returns: the number of files loaded
 */
guint
sigma_plugins_load_search_path (SigmaScenarioRegistry *registry,
                                GPtrArray             *errors)
{
  g_auto(GStrv) dirs = NULL;
  guint loaded = 0;

  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (registry), 0);

  dirs = sigma_plugins_get_search_path ();
  for (guint i = 0; dirs[i] != NULL; i++)
    if (g_file_test (dirs[i], G_FILE_TEST_IS_DIR))
      loaded += sigma_plugins_load_folder (registry, dirs[i], errors);
  return loaded;
}
