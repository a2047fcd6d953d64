/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

/* ------------------------------------------------------------------------------------ */
/* JSON                                                                                 */

JsonNode *
app_test_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

JsonObject *
app_test_parse_object (const char *json)
{
  g_autoptr(JsonNode) node = app_test_parse (json != NULL ? json : "{}");

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

const char *
app_test_fmt (const char *format,
              ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_queue_free (text);
  return text;
}

char *
app_test_array_members (JsonNode   *node,
                        const char *member)
{
  JsonArray *array = json_node_get_array (node);
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (array, i), member));
  return g_string_free (joined, FALSE);
}

void
app_test_assert_json (JsonNode   *actual,
                      const char *expected)
{
  g_autoptr(JsonNode) want = app_test_parse (expected);
  g_autofree char *want_text = json_to_string (want, FALSE);
  g_autofree char *got_text = actual != NULL ? json_to_string (actual, FALSE) : g_strdup ("null");

  g_assert_cmpstr (got_text, ==, want_text);
}

void
app_test_assert_same_json (JsonNode *actual,
                           JsonNode *expected)
{
  g_autofree char *want_text = json_to_string (expected, FALSE);
  g_autofree char *got_text = json_to_string (actual, FALSE);

  g_assert_true (json_node_equal (actual, expected));
  g_assert_cmpstr (got_text, ==, want_text);
}

/* ------------------------------------------------------------------------------------ */
/* Apps and environments                                                                */

SigmaApp *
app_test_create_app (const char *class_name,
                     const char *name)
{
  g_autoptr(GError) error = NULL;
  SigmaApp *app = sigma_apps_create (class_name, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (app);
  return app;
}

void
app_test_add_app (SigmaEnvironment *env,
                  SigmaApp         *app)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sigma_environment_add_app (env, app, &error));
  g_assert_no_error (error);
}

SigmaEnvironment *
app_test_env_new (gdouble start_time,
                  guint64 seed)
{
  SigmaEnvironment *env = sigma_environment_new ();

  sigma_environment_set_start_time (env, start_time);
  sigma_environment_set_seed (env, seed);
  return env;
}

void
app_test_advance (SigmaEnvironment *env,
                  gdouble           seconds)
{
  g_autoptr(GError) error = NULL;

  sigma_environment_advance (env, seconds, &error);
  g_assert_no_error (error);
}

SigmaCompletedEvent *
app_test_last_event (SigmaEnvironment *env)
{
  SigmaEventLog *log = sigma_environment_get_log (env);

  g_assert_cmpuint (sigma_event_log_get_length (log), >, 0);
  return sigma_event_log_get (log, sigma_event_log_get_length (log) - 1);
}

guint
app_test_n_pending (SigmaEnvironment *env)
{
  return sigma_notification_system_get_n_pending (sigma_environment_get_notifications (env));
}

const char *
app_test_last_pending_message (SigmaEnvironment *env)
{
  g_autoptr(GPtrArray) pending = sigma_notification_system_list_pending (sigma_environment_get_notifications (env));

  g_assert_cmpuint (pending->len, >, 0);
  return sigma_notification_get_message (g_ptr_array_index (pending, pending->len - 1));
}

char *
app_test_seeded_id (guint64     seed,
                    const char *app_name,
                    guint       index)
{
  guint32 seed32 = sigma_derive_seed (seed, app_name);
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (&seed32, 1);
  char *id = NULL;

  for (guint i = 0; i <= index; i++)
    {
      g_free (id);
      id = sigma_random_uuid_hex (rand);
    }
  return id;
}

void
app_test_fixture_init (AppTestFixture *f,
                       const char     *class_name,
                       const char     *name,
                       gdouble         start_time,
                       guint64         seed)
{
  f->env = app_test_env_new (start_time, seed);
  f->app = app_test_create_app (class_name, name);
  app_test_add_app (f->env, f->app);
}

void
app_test_fixture_clear (AppTestFixture *f)
{
  g_clear_object (&f->app);
  g_clear_object (&f->env);
}

void
app_test_fixture_tear_down (AppTestFixture *f,
                            gconstpointer   data)
{
  app_test_fixture_clear (f);
}

/* ------------------------------------------------------------------------------------ */
/* Tool calls                                                                           */

JsonNode *
app_test_call (SigmaEnvironment  *env,
               const char        *app,
               SigmaEventType     type,
               const char        *tool,
               const char        *args_json,
               GError           **error)
{
  g_autoptr(JsonObject) args = app_test_parse_object (args_json);

  return sigma_environment_call_tool (env, app, tool, args, type, error);
}

JsonNode *
app_test_call_nullable (SigmaEnvironment  *env,
                        const char        *app,
                        SigmaEventType     type,
                        const char        *tool,
                        const char        *args_json,
                        GError           **error)
{
  JsonNode *result = app_test_call (env, app, type, tool, args_json, error);

  if (result != NULL && JSON_NODE_HOLDS_NULL (result))
    g_clear_pointer (&result, json_node_unref);
  return result;
}

JsonNode *
app_test_call_ok (SigmaEnvironment *env,
                  const char       *app,
                  SigmaEventType    type,
                  const char       *tool,
                  const char       *args_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = app_test_call (env, app, type, tool, args_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

void
app_test_assert_call (SigmaEnvironment *env,
                      const char       *app,
                      const char       *tool,
                      const char       *args_json,
                      const char       *expected)
{
  g_autoptr(JsonNode) result = app_test_call_ok (env, app, SIGMA_EVENT_TYPE_AGENT, tool, args_json);

  if (expected != NULL)
    app_test_assert_json (result, expected);
}

JsonNode *
app_test_call_nullable_ok (SigmaEnvironment *env,
                           const char       *app,
                           SigmaEventType    type,
                           const char       *tool,
                           const char       *args_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = app_test_call_nullable (env, app, type, tool, args_json, &error);

  g_assert_no_error (error);
  return result;
}

void
app_test_call_fails (SigmaEnvironment *env,
                     const char       *app,
                     SigmaEventType    type,
                     const char       *tool,
                     const char       *args_json,
                     gint              code,
                     const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = app_test_call (env, app, type, tool, args_json, &error);

  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

void
app_test_load_state (SigmaApp   *app,
                     const char *state_json)
{
  g_autoptr(JsonNode) state = app_test_parse (state_json);
  g_autoptr(GError) error = NULL;

  g_assert_true (sigma_app_load_state (app, state, &error));
  g_assert_no_error (error);
}

void
app_test_assert_state (SigmaApp   *app,
                       const char *expected)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (app);

  app_test_assert_json (state, expected);
}

void
app_test_assert_state_round_trip (SigmaApp   *app,
                                  SigmaApp   *copy,
                                  const char *state_json)
{
  g_autoptr(JsonNode) input = app_test_parse (state_json);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sigma_app_load_state (app, input, &error));
  g_assert_no_error (error);
  state = sigma_app_get_state (app);
  app_test_assert_same_json (state, input);

  g_assert_true (sigma_app_load_state (copy, state, &error));
  g_assert_no_error (error);
  again = sigma_app_get_state (copy);
  app_test_assert_same_json (again, state);
}

guint
app_test_state_size (SigmaApp   *app,
                     const char *member)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (app);

  g_assert_nonnull (state);
  return json_object_get_size (json_object_get_object_member (json_node_get_object (state), member));
}

void
app_test_assert_load_fails (SigmaApp   *app,
                            const char *state_json,
                            const char *message)
{
  g_autoptr(JsonNode) state = app_test_parse (state_json);
  g_autoptr(GError) error = NULL;

  g_assert_false (sigma_app_load_state (app, state, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, message);
}

void
app_test_assert_load_fails_unchanged (SigmaApp   *app,
                                      const char *state_json,
                                      const char *bad_json,
                                      const char *message)
{
  app_test_load_state (app, state_json);
  app_test_assert_load_fails (app, bad_json, message);
  app_test_assert_state (app, state_json);
}

void
app_test_assert_fixed_point (SigmaApp *app)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (app);
  g_autofree char *text = json_to_string (state, FALSE);
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *again_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sigma_app_load_state (app, state, &error));
  g_assert_no_error (error);
  again = sigma_app_get_state (app);
  again_text = json_to_string (again, FALSE);
  g_assert_cmpstr (again_text, ==, text);
}

gboolean
app_test_lenient_subprocess (const char *stderr_pattern)
{
  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      return TRUE;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr (stderr_pattern);
  return FALSE;
}

void
app_test_load_lenient (SigmaApp   *app,
                       const char *state_json)
{
  sigma_app_set_lenient (app, TRUE);
  app_test_load_state (app, state_json);
}

/* ------------------------------------------------------------------------------------ */
/* The real data                                                                        */

char *
app_test_corpus_path (const char *relative)
{
  const char *dir = g_getenv ("SIGMA_CORPUS_DIR");

  return dir != NULL ? g_build_filename (dir, relative, NULL) : NULL;
}

JsonNode *
app_test_read_corpus (const char *relative)
{
  g_autofree char *path = app_test_corpus_path (relative);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return NULL;
  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

gboolean
app_test_have_corpus (void)
{
  if (g_getenv ("SIGMA_CORPUS_DIR") != NULL)
    return TRUE;
  g_test_skip ("SIGMA_CORPUS_DIR is not set");
  return FALSE;
}

const char *
app_test_corpus_class (JsonObject *entry)
{
  const char *class_name = json_object_get_string_member_with_default (entry, "class_name", NULL);

  return class_name != NULL ? class_name : json_object_get_string_member (entry, "name");
}

guint
app_test_corpus_foreach (JsonArray          *apps,
                         const char * const *classes,
                         AppTestCorpusFunc   func,
                         gpointer            user_data)
{
  guint checked = 0;

  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      const char *class_name = app_test_corpus_class (entry);

      if ((classes == NULL || g_strv_contains (classes, class_name)) && func (entry, class_name, user_data))
        checked++;
    }
  return checked;
}

guint
app_test_corpus_foreach_scenario (JsonNode           *scenario,
                                  const char * const *classes,
                                  AppTestCorpusFunc   func,
                                  gpointer            user_data)
{
  JsonObject *root = json_node_get_object (scenario);
  JsonNode *augmentation = json_object_get_member (root, "augmentation");
  guint checked = 0;

  if (json_object_has_member (root, "apps"))
    checked += app_test_corpus_foreach (json_object_get_array_member (root, "apps"), classes, func, user_data);
  if (augmentation != NULL && JSON_NODE_HOLDS_OBJECT (augmentation) &&
      json_object_has_member (json_node_get_object (augmentation), "apps"))
    checked += app_test_corpus_foreach (json_object_get_array_member (json_node_get_object (augmentation), "apps"),
                                        classes, func, user_data);
  return checked;
}

guint
app_test_corpus_foreach_file (const char * const *classes,
                              AppTestCorpusFunc   func)
{
  static const char * const files[] = { APP_TEST_CORPUS_GAIA2, APP_TEST_CORPUS_PARE };
  guint checked = 0;

  for (gsize f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(JsonNode) root = app_test_read_corpus (files[f]);

      checked += app_test_corpus_foreach_scenario (root, classes, func, (gpointer) files[f]);
    }
  return checked;
}

SigmaApp *
app_test_corpus_load (JsonObject *entry,
                      const char *class_name)
{
  JsonNode *app_state = json_object_get_member (entry, "app_state");
  SigmaApp *app = app_test_create_app (class_name, json_object_get_string_member (entry, "name"));
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (app_state);
  g_assert_true (sigma_app_load_state (app, app_state, &error));
  g_assert_no_error (error);
  return app;
}

gboolean
app_test_corpus_round_trip (JsonObject *entry,
                            const char *class_name,
                            gpointer    user_data)
{
  g_autoptr(SigmaApp) app = app_test_corpus_load (entry, class_name);
  g_autoptr(JsonNode) saved = sigma_app_get_state (app);

  app_test_assert_same_json (saved, json_object_get_member (entry, "app_state"));
  return TRUE;
}

gboolean
app_test_corpus_exports (JsonObject *entry,
                         const char *class_name,
                         gpointer    user_data)
{
  const AppTestExportFunc *expected_export = user_data;
  g_autoptr(SigmaApp) app = app_test_corpus_load (entry, class_name);
  g_autoptr(JsonNode) state = sigma_app_get_state (app);
  g_autoptr(JsonNode) expected = (*expected_export) (json_object_get_member (entry, "app_state"));

  g_assert_true (json_node_equal (state, expected));
  /* and Sigma's export is a fixed point, member order and number kinds included */
  app_test_assert_fixed_point (app);
  return TRUE;
}

void
app_test_corpus_check_round_trips (const char * const *classes,
                                   guint               min_checked)
{
  g_autoptr(JsonNode) gaia2 = NULL;

  if (!app_test_have_corpus ())
    return;
  gaia2 = app_test_read_corpus (APP_TEST_CORPUS_GAIA2);
  g_assert_cmpuint (app_test_corpus_foreach_scenario (gaia2, classes, app_test_corpus_round_trip, NULL), >=,
                    min_checked);
}

void
app_test_corpus_check_exports (const char * const *classes,
                               AppTestExportFunc   expected_export,
                               guint               n_apps,
                               guint               n_augmentation,
                               guint               n_pare)
{
  g_autoptr(JsonNode) gaia2 = NULL;
  g_autoptr(JsonNode) pare = NULL;
  JsonObject *root, *augmentation;

  if (!app_test_have_corpus ())
    return;
  gaia2 = app_test_read_corpus (APP_TEST_CORPUS_GAIA2);
  pare = app_test_read_corpus (APP_TEST_CORPUS_PARE);
  root = json_node_get_object (gaia2);
  augmentation = json_object_get_object_member (root, "augmentation");

  g_assert_cmpuint (app_test_corpus_foreach (json_object_get_array_member (root, "apps"), classes,
                                             app_test_corpus_exports, &expected_export), ==, n_apps);
  g_assert_cmpuint (app_test_corpus_foreach (json_object_get_array_member (augmentation, "apps"), classes,
                                             app_test_corpus_exports, &expected_export), ==, n_augmentation);
  g_assert_cmpuint (app_test_corpus_foreach (json_object_get_array_member (json_node_get_object (pare), "apps"),
                                             classes, app_test_corpus_exports, &expected_export), ==, n_pare);
}
