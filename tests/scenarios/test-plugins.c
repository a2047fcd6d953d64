/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include <glib/gstdio.h>
#include <sigma.h>

#include "sigma-json-private.h"

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

typedef struct {
  const char *json;
  const char *scenario_id;   /* NULL: an error containing @error */
  const char *tags;          /* joined by ',' ; NULL: none kept */
  const char *error;
} ScanCase;

static void
test_json_scan (void)
{
  static const ScanCase cases[] = {
    /* metadata after other members, whose strings hold braces, brackets and escapes */
    { "{\"apps\": [{\"x\": \"}]\\\"{\", \"y\": [1, 2.5e3, true, null]}], \"metadata\": "
      "{\"simulation\": {}, \"definition\": {\"scenario_id\": \"late\", \"tags\": [\"Time\", \"Search\"]}}}",
      "late", "Time,Search", NULL },
    { "\xEF\xBB\xBF {\"metadata\":{\"definition\":{\"scenario_id\":\"a\\u00e9\\\"b\"}}}", "a\xC3\xA9\"b", NULL, NULL },
    { "{\"metadata\":{\"definition\":{\"scenario_id\":\"t\",\"tags\":[\"Time\",\"NoSuchTag\"]}}}", "t", NULL, NULL },
    { "{\"metadata\":{\"definition\":{\"scenario_id\":\"t\",\"tags\":[]}}}", "t", "", NULL },
    /* a nested object of the same name is not the top-level one */
    { "{\"other\": {\"metadata\": {\"definition\": {\"scenario_id\": \"nested\"}}}, "
      "\"metadata\": {\"definition\": {\"scenario_id\": \"top\"}}}", "top", NULL, NULL },
    { "{\"metadata\": {\"simulation\": {}}}", NULL, NULL, "no metadata.definition" },
    { "{\"metadata\": {\"definition\": {\"scenario_id\": 3}}}", NULL, NULL, "scenario_id: expected a string" },
    { "{\"metadata\": {\"definition\": [1]}}", NULL, NULL, "expected an object" },
    { "{\"metadata\": {\"definition\": {\"scenario_id\": \"x\"", NULL, NULL, "expected an object" },
    { "{\"metadata\": {\"definition\": {\"scenario_id\": \"x\",}}}", NULL, NULL, "metadata.definition: " },
    { "{\"a\": \"unterminated \\", NULL, NULL, "no metadata.definition" },
    { "[{\"metadata\": {}}]", NULL, NULL, "no metadata.definition" },
    { "", NULL, NULL, "no metadata.definition" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *scenario_id = NULL;
      g_auto(GStrv) tags = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("case %u: %s", i, cases[i].json);
      ok = sigma_json_scan_definition (cases[i].json, strlen (cases[i].json), &scenario_id, &tags, &error);
      if (cases[i].scenario_id == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
          g_assert_nonnull (strstr (error->message, cases[i].error));
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (scenario_id, ==, cases[i].scenario_id);
      if (cases[i].tags == NULL)
        g_assert_null (tags);
      else
        {
          g_autofree char *joined = g_strjoinv (",", tags);

          g_assert_cmpstr (joined, ==, cases[i].tags);
        }
    }
}

/* Listing reads only the id: a file whose body ARE would reject is listed, and creating it
 * reports the reader's error, naming the file. */
static void
test_json_errors_at_creation (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sigma-plugins-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "body.json", NULL);
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenario) scenario = NULL;

  g_assert_true (g_file_set_contents (path, "{\"metadata\": {\"definition\": {\"scenario_id\": "
                                      "\"listed\", \"tags\": [\"Time\"]}}, \"apps\": 12}", -1, NULL));
  g_assert_true (sigma_plugins_load_file (registry, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sigma_scenario_info_get_tags (sigma_scenario_registry_lookup (registry, "listed"))[0], ==, "Time");
  scenario = sigma_scenario_registry_create (registry, "listed", &error);
  g_assert_null (scenario);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_unlink (path);
  g_rmdir (dir);
}

/* Python plugin descriptions that are refused before any Python runs. */
static void
test_python_descriptions (void)
{
  static const struct { const char *contents; const char *error; } cases[] = {
    { "not a key file", ": not a plugin description: " },
    { "[Plugin]\nLoader=python3\n", ": the [Plugin] group has no Module key" },
    { "[Plugin]\nModule=\nLoader=python3\n", ": the [Plugin] group has no Module key" },
    { "[Plugin]\nModule=m\nLoader=lua\n", ": Loader=lua is not supported" },
    { "[Plugin]\nModule=m\n", ": Loader=(none) is not supported" },
  };
  g_autofree char *dir = g_dir_make_tmp ("sigma-plugins-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.plugin", NULL);
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

      g_assert_true (g_file_set_contents (path, cases[i].contents, -1, NULL));
      g_assert_false (sigma_plugins_load_file (registry, path, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].error));
      /* the folder reports it as one error and loads nothing */
      g_assert_cmpuint (sigma_plugins_load_folder (registry, dir, errors), ==, 0);
      g_assert_cmpuint (errors->len, ==, 1);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (drop_warnings, NULL, NULL);

  g_test_add_func ("/sigma/plugins/json-folder", test_folder_of_json_files);
  g_test_add_func ("/sigma/plugins/json-scan", test_json_scan);
  g_test_add_func ("/sigma/plugins/json-errors-at-creation", test_json_errors_at_creation);
  g_test_add_func ("/sigma/plugins/python-descriptions", test_python_descriptions);
  g_test_add_func ("/sigma/plugins/missing", test_missing_folder_and_files);
  g_test_add_func ("/sigma/plugins/search-path", test_search_path);
  return g_test_run ();
}
