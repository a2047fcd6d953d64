/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include <girepository.h>
#include <libpeas/peas.h>

#include "sigma-error.h"
#include "sigma-plugins-private.h"
#include "sigma-scenario-provider.h"

/*
 * Python plugins, loaded through libpeas' python3 loader (which embeds CPython, or joins the
 * interpreter of a Python host).
 *
 * One PeasEngine serves the whole process, for the reason the C modules stay resident: an
 * imported Python module and the GTypes its classes registered cannot be unloaded, and a
 * module name can be imported only once per interpreter. The engine is created on first use
 * and never released; the folders added to its search path are remembered so that loading a
 * folder into several registries scans it once.
 */

#ifndef SIGMA_PLUGIN_DIR
#define SIGMA_PLUGIN_DIR "/usr/local/lib/sigma-1/plugins"
#endif
/* The installed typelib folder: $libdir/girepository-1.0, beside $libdir/sigma-1/plugins. */
#define SIGMA_TYPELIB_DIR SIGMA_PLUGIN_DIR "/../../girepository-1.0"

typedef struct {
  PeasEngine *engine;
  GHashTable *folders;   /* folder → TRUE, added to the engine's search path */
} PythonHost;

/* Recursive: a plugin may load plugins while it registers its scenarios. */
static GRecMutex python_host_lock;

static PythonHost *
python_host_get (void)
{
  static PythonHost *host = NULL;

  if (host == NULL)
    {
      GList *versions = g_irepository_enumerate_versions (g_irepository_get_default (), "Sigma");

      /* The embedded interpreter imports the Sigma typelib like any Python program: when it
       * is not on the typelib path already (GI_TYPELIB_PATH in the build tree, the system
       * folder for a /usr install), add the installed one of this library. */
      if (versions == NULL)
        g_irepository_prepend_search_path (SIGMA_TYPELIB_DIR);
      g_list_free_full (versions, g_free);

      host = g_new0 (PythonHost, 1);
      host->engine = peas_engine_new ();
      peas_engine_enable_loader (host->engine, "python3");
      host->folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  return host;
}

/* libpeas reports what goes wrong only as log messages: the Python loader logs the
 * traceback of a syntax error or of an exception at import without a log domain, the engine
 * then says "Error loading plugin" in its own. Collect both while it works for one file, and
 * leave out the frames of importlib, which say nothing about the plugin. */
typedef struct {
  GString *messages;
  guint    peas_handler;
  guint    default_handler;
} PeasMessages;

#define PEAS_LOG_LEVELS (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | \
                         G_LOG_LEVEL_MESSAGE | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION)

static void
collect_message (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  PeasMessages *messages = user_data;
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);
  gboolean in_importlib = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "  File \""))
        in_importlib = strstr (line, "importlib") != NULL;
      else if (!g_str_has_prefix (line, "    "))
        in_importlib = FALSE;
      if (in_importlib || line[0] == '\0')
        continue;
      if (messages->messages->len > 0)
        g_string_append_c (messages->messages, '\n');
      g_string_append (messages->messages, line);
    }
}

static void
peas_messages_start (PeasMessages *messages)
{
  messages->messages = g_string_new (NULL);
  messages->peas_handler = g_log_set_handler ("libpeas", PEAS_LOG_LEVELS, collect_message, messages);
  messages->default_handler = g_log_set_handler (NULL, PEAS_LOG_LEVELS, collect_message, messages);
}

static char *
peas_messages_stop (PeasMessages *messages)
{
  g_log_remove_handler ("libpeas", messages->peas_handler);
  g_log_remove_handler (NULL, messages->default_handler);
  return g_string_free (messages->messages, FALSE);
}

static gboolean
read_description (const char  *path,
                  char       **module_name,
                  GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *module = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: not a plugin description: %s", path, local_error->message);
      return FALSE;
    }
  module = g_key_file_get_string (keyfile, "Plugin", "Module", NULL);
  if (module == NULL || module[0] == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: the [Plugin] group has no Module key naming the Python module", path);
      return FALSE;
    }
  loader = g_key_file_get_string (keyfile, "Plugin", "Loader", NULL);
  if (g_strcmp0 (loader, "python3") != 0 && g_strcmp0 (loader, "python") != 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: Loader=%s is not supported: a plugin description is for a Python "
                   "plugin (Loader=python3); C plugins are .%s modules", path,
                   loader != NULL ? loader : "(none)", G_MODULE_SUFFIX);
      return FALSE;
    }
  *module_name = g_steal_pointer (&module);
  return TRUE;
}

static gboolean
load_python_plugin_locked (SigmaScenarioRegistry  *registry,
                           const char             *path,
                           GError                **error)
{
  PythonHost *host;
  g_autofree char *module_name = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *messages = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GObject) extension = NULL;
  PeasMessages collector;
  PeasPluginInfo *info;
  gboolean loaded;

  if (!read_description (path, &module_name, error))
    return FALSE;

  host = python_host_get ();
  folder = g_path_get_dirname (path);
  if (!g_hash_table_contains (host->folders, folder))
    {
      /* libpeas reads every description of the folder now; its complaints about the other
       * files are theirs, and each file gets its own error when it is loaded. */
      peas_messages_start (&collector);
      peas_engine_add_search_path (host->engine, folder, NULL);
      g_free (peas_messages_stop (&collector));
      g_hash_table_add (host->folders, g_strdup (folder));
    }

  info = peas_engine_get_plugin_info (host->engine, module_name);
  if (info == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: libpeas did not accept the plugin description", path);
      return FALSE;
    }
  if (g_strcmp0 (peas_plugin_info_get_module_dir (info), folder) != 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID,
                   "%s: the Python module name '%s' is already used by the plugin in %s",
                   path, module_name, peas_plugin_info_get_module_dir (info));
      return FALSE;
    }

  peas_messages_start (&collector);
  loaded = peas_engine_load_plugin (host->engine, info);
  messages = peas_messages_stop (&collector);
  if (!loaded || !peas_plugin_info_is_loaded (info))
    {
      if (messages[0] == '\0' && !peas_plugin_info_is_available (info, &local_error))
        g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED, "%s: the Python module '%s' failed to load: %s",
                     path, module_name, local_error->message);
      else
        g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED, "%s: the Python module '%s' failed to load: %s",
                     path, module_name, messages[0] != '\0' ? messages : "libpeas gave no reason");
      return FALSE;
    }

  if (!peas_engine_provides_extension (host->engine, info, SIGMA_TYPE_SCENARIO_PROVIDER))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: the Python module '%s' defines no SigmaScenarioProvider "
                   "(a subclass of Sigma.ScenarioPlugin)", path, module_name);
      return FALSE;
    }
  extension = G_OBJECT (peas_engine_create_extension (host->engine, info,
                                                      SIGMA_TYPE_SCENARIO_PROVIDER, NULL));
  if (extension == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                   "%s: the Python module '%s' could not create its SigmaScenarioProvider",
                   path, module_name);
      return FALSE;
    }
  if (!sigma_scenario_provider_register_scenarios (SIGMA_SCENARIO_PROVIDER (extension),
                                                   registry, path, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

/*
 * _sigma_plugins_load_python:
 * @registry: the registry
 * @path: a libpeas plugin description (`.plugin`) with Loader=python3
 * @error: return location for a #GError
 *
 * Loads the Python module the description names (once per process) and lets its
 * #SigmaScenarioProvider register its scenarios in @registry.
 */
gboolean
_sigma_plugins_load_python (SigmaScenarioRegistry  *registry,
                            const char             *path,
                            GError                **error)
{
  gboolean ok;

  g_assert (SIGMA_IS_SCENARIO_REGISTRY (registry));
  g_assert (path != NULL);

  g_rec_mutex_lock (&python_host_lock);
  ok = load_python_plugin_locked (registry, path, error);
  g_rec_mutex_unlock (&python_host_lock);
  return ok;
}
