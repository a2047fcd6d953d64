/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include <glib/gstdio.h>
#include <sigma.h>

/*
 * Plugin folders, seen from the library: which files register what, and how failures are
 * collected without stopping the rest. (Loading a real C module against the shared library is
 * tested through `sigma` in tests/plugins, since this program links Sigma statically.)
 */

static char *
corpus_path (const char *name)
{
  return g_build_filename (g_getenv ("SIGMA_CORPUS_DIR"), "are-scenarios", name, NULL);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

/* Lenient reads warn; those warnings are not what these tests are about. */
static GLogWriterOutput
drop_warnings (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  if (log_level & G_LOG_LEVEL_WARNING)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_folder_of_json_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sigma-plugins-XXXXXX", NULL);
  g_autofree char *source = corpus_path ("pare_trace_demo-simple-contact.json");
  g_autofree char *good = g_build_filename (dir, "good.json", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.json", NULL);
  g_autofree char *bad_module = g_build_filename (dir, "bad.so", NULL);
  g_autofree char *other = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(SigmaScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  SigmaScenarioInfo *info;
  guint loaded;

  copy_file (source, good);
  g_assert_true (g_file_set_contents (broken, "{ \"metadata\": ", -1, NULL));
  g_assert_true (g_file_set_contents (bad_module, "not a module", -1, NULL));
  g_assert_true (g_file_set_contents (other, "ignored", -1, NULL));

  loaded = sigma_plugins_load_folder (registry, dir, errors);
  g_assert_cmpuint (loaded, ==, 1);
  g_assert_cmpuint (errors->len, ==, 2);
  /* In file-name order: bad.so, then broken.json */
  g_assert_nonnull (strstr (((GError *) errors->pdata[0])->message, "bad.so: not a loadable module"));
  g_assert_nonnull (strstr (((GError *) errors->pdata[1])->message, "broken.json: "));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  info = sigma_scenario_registry_lookup (registry, "demo_simple_contact");
  g_assert_nonnull (info);
  g_assert_cmpint (sigma_scenario_info_get_source (info), ==, SIGMA_SCENARIO_SOURCE_JSON_FILE);
  g_assert_cmpstr (sigma_scenario_info_get_location (info), ==, good);

  scenario = sigma_scenario_registry_create (registry, "demo_simple_contact", &error);
  g_assert_no_error (error);
  g_assert_true (SIGMA_IS_JSON_SCENARIO (scenario));
  g_assert_cmpstr (sigma_scenario_get_scenario_id (scenario), ==, "demo_simple_contact");

  /* Loading the same folder again registers nothing new: each id is taken. */
  g_ptr_array_set_size (errors, 0);
  loaded = sigma_plugins_load_folder (registry, dir, errors);
  g_assert_cmpuint (loaded, ==, 0);
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_true (g_error_matches (errors->pdata[2], SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID));
  g_assert_nonnull (strstr (((GError *) errors->pdata[2])->message, "good.json: "));

  /* A file that changed since it was listed says so when it is created. */
  g_assert_true (g_file_set_contents (good, "{}", -1, NULL));
  g_clear_object (&scenario);
  scenario = sigma_scenario_registry_create (registry, "demo_simple_contact", &error);
  g_assert_null (scenario);
  g_assert_nonnull (error);

  g_unlink (good);
  g_unlink (broken);
  g_unlink (bad_module);
  g_unlink (other);
  g_rmdir (dir);
}

static void
test_missing_folder_and_files (void)
{
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (sigma_plugins_load_folder (registry, "/nonexistent/sigma-plugins", errors), ==, 0);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_nonnull (strstr (((GError *) errors->pdata[0])->message, "/nonexistent/sigma-plugins"));
  g_assert_cmpuint (sigma_plugins_load_folder (registry, "/nonexistent/sigma-plugins", NULL), ==, 0);

  g_assert_false (sigma_plugins_load_file (registry, "/nonexistent/plugin.txt", &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sigma_plugins_load_file (registry, "/nonexistent/plugin.so", &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/plugin.so"));
}

static void
test_search_path (void)
{
  g_auto(GStrv) path = NULL;
  guint n;

  g_setenv ("SIGMA_PLUGIN_PATH", "/first" G_SEARCHPATH_SEPARATOR_S G_SEARCHPATH_SEPARATOR_S "/second", TRUE);
  path = sigma_plugins_get_search_path ();
  n = g_strv_length (path);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (path[0], ==, "/first");
  g_assert_cmpstr (path[1], ==, "/second");
  g_assert_true (g_str_has_suffix (path[2], "/sigma-1/plugins"));
  g_unsetenv ("SIGMA_PLUGIN_PATH");
  g_strfreev (g_steal_pointer (&path));
  path = sigma_plugins_get_search_path ();
  g_assert_cmpuint (g_strv_length (path), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (drop_warnings, NULL, NULL);

  g_test_add_func ("/sigma/plugins/json-folder", test_folder_of_json_files);
  g_test_add_func ("/sigma/plugins/missing", test_missing_folder_and_files);
  g_test_add_func ("/sigma/plugins/search-path", test_search_path);
  return g_test_run ();
}
