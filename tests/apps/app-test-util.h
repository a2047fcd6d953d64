/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the app tests share: an environment holding the app under test, tool calls that must
 * succeed or fail with an exact message, app_state loads and comparisons, lenient loads in a
 * subprocess, and the real data under SIGMA_CORPUS_DIR. Every helper asserts as it goes. */

#include <sigma.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------------ */
/* JSON                                                                                 */

/* @json parsed; it must be valid. (transfer full) */
JsonNode   *app_test_parse            (const char *json);

/* @json parsed as an object; %NULL is `{}`. (transfer full) */
JsonObject *app_test_parse_object     (const char *json);

/* A formatted string, freed at the end of the test. */
const char *app_test_fmt              (const char *format,
                                       ...) G_GNUC_PRINTF (1, 2);

/* The string @member of each object of the array @node, joined with spaces. (transfer full) */
char       *app_test_array_members    (JsonNode   *node,
                                       const char *member);

/* Compares the serialisations, so that member order and integer-vs-float count. A %NULL
 * @actual is JSON null. */
void        app_test_assert_json      (JsonNode   *actual,
                                       const char *expected);

/* Equal values (json_node_equal()) with the same serialisation. */
void        app_test_assert_same_json (JsonNode   *actual,
                                       JsonNode   *expected);

/* ------------------------------------------------------------------------------------ */
/* Apps and environments                                                                */

/* sigma_apps_create(), which must succeed. (transfer full) */
SigmaApp         *app_test_create_app   (const char       *class_name,
                                         const char       *name);

void              app_test_add_app      (SigmaEnvironment *env,
                                         SigmaApp         *app);

/* A new environment starting at @start_time, with the run seed @seed. */
SigmaEnvironment *app_test_env_new      (gdouble           start_time,
                                         guint64           seed);

void              app_test_advance      (SigmaEnvironment *env,
                                         gdouble           seconds);

/* The last event of the log, which must not be empty. (transfer none) */
SigmaCompletedEvent *app_test_last_event (SigmaEnvironment *env);

/* The notifications pending for the agent: how many, and the text of the last one (there must
 * be one). */
guint             app_test_n_pending            (SigmaEnvironment *env);
const char       *app_test_last_pending_message (SigmaEnvironment *env);

/* The @index-th id (from 0) an app named @app_name draws under the run seed @seed: ARE's
 * uuid_hex(rng). (transfer full) */
char             *app_test_seeded_id    (guint64           seed,
                                         const char       *app_name,
                                         guint             index);

/* The app under test in its environment, for g_test_add(). */
typedef struct
{
  SigmaEnvironment *env;
  SigmaApp         *app;
} AppTestFixture;

/* An environment starting at @start_time with the seed @seed, holding a new app of
 * @class_name named @name (%NULL: ARE's default name). */
void              app_test_fixture_init  (AppTestFixture *f,
                                          const char     *class_name,
                                          const char     *name,
                                          gdouble         start_time,
                                          guint64         seed);

void              app_test_fixture_clear (AppTestFixture *f);

/* The tear-down of g_test_add(). */
void              app_test_fixture_tear_down (AppTestFixture *f,
                                              gconstpointer   data);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AppTestFixture, app_test_fixture_clear)

/* ------------------------------------------------------------------------------------ */
/* Tool calls through the environment, to the app named @app                             */

/* The result as the environment returns it (a tool without a result gives JSON null). */
JsonNode *app_test_call            (SigmaEnvironment  *env,
                                    const char        *app,
                                    SigmaEventType     type,
                                    const char        *tool,
                                    const char        *args_json,
                                    GError           **error);

/* The same, but a JSON null result is %NULL. */
JsonNode *app_test_call_nullable   (SigmaEnvironment  *env,
                                    const char        *app,
                                    SigmaEventType     type,
                                    const char        *tool,
                                    const char        *args_json,
                                    GError           **error);

/* A call that must succeed and return a result (JSON null counts). */
JsonNode *app_test_call_ok         (SigmaEnvironment  *env,
                                    const char        *app,
                                    SigmaEventType     type,
                                    const char        *tool,
                                    const char        *args_json);

/* A call as the agent that must succeed, with a result that serialises as @expected
 * (anything when %NULL). */
void      app_test_assert_call     (SigmaEnvironment  *env,
                                    const char        *app,
                                    const char        *tool,
                                    const char        *args_json,
                                    const char        *expected);

/* A call that must succeed; a JSON null result is %NULL. */
JsonNode *app_test_call_nullable_ok (SigmaEnvironment *env,
                                     const char       *app,
                                     SigmaEventType    type,
                                     const char       *tool,
                                     const char       *args_json);

/* A call that must fail, without a result, with @code and exactly @message (any message when
 * %NULL). */
void      app_test_call_fails      (SigmaEnvironment  *env,
                                    const char        *app,
                                    SigmaEventType     type,
                                    const char        *tool,
                                    const char        *args_json,
                                    gint               code,
                                    const char        *message);

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

/* Loads @state_json, which must succeed. */
void      app_test_load_state         (SigmaApp   *app,
                                       const char *state_json);

/* get_state() serialises as @expected. */
void      app_test_assert_state       (SigmaApp   *app,
                                       const char *expected);

/* Loads @state_json into @app: get_state() gives it back exactly (equal, with the same text),
 * and loading that into @copy gives it back again. */
void      app_test_assert_state_round_trip (SigmaApp   *app,
                                            SigmaApp   *copy,
                                            const char *state_json);

/* How many members the object @member of get_state() has. */
guint     app_test_state_size         (SigmaApp   *app,
                                       const char *member);

/* Loading @state_json fails with SIGMA_ERROR_INVALID_DATA and exactly @message. */
void      app_test_assert_load_fails  (SigmaApp   *app,
                                       const char *state_json,
                                       const char *message);

/* Loads @state_json; then loading @bad_json fails as app_test_assert_load_fails() says, and
 * leaves the state as it was (the same text). */
void      app_test_assert_load_fails_unchanged (SigmaApp   *app,
                                                const char *state_json,
                                                const char *bad_json,
                                                const char *message);

/* get_state() is a fixed point: loading it back gives the same text. */
void      app_test_assert_fixed_point (SigmaApp   *app);

/* A lenient load warns, and warnings are fatal in tests: the load runs in a subprocess where
 * they are not, and the parent checks what it wrote. In the subprocess this returns TRUE, and
 * the test loads, checks and returns; in the parent it runs the subprocess, asserts that it
 * passed and that its stderr matches @stderr_pattern, and returns FALSE. */
gboolean  app_test_lenient_subprocess (const char *stderr_pattern);

/* Makes @app lenient and loads @state_json, which must succeed. */
void      app_test_load_lenient       (SigmaApp   *app,
                                       const char *state_json);

/* ------------------------------------------------------------------------------------ */
/* The real data (SIGMA_CORPUS_DIR)                                                     */

#define APP_TEST_CORPUS_GAIA2 "gaia2/scenario_universe_30_997a5b.json"
#define APP_TEST_CORPUS_PARE  "are-scenarios/gaia2_universe21_env-augmentation-apps_via-pare.json"

/* The path of a corpus file, or %NULL when SIGMA_CORPUS_DIR is not set. (transfer full) */
char       *app_test_corpus_path  (const char *relative);

/* The corpus file parsed (it must parse), or %NULL when SIGMA_CORPUS_DIR is not set.
 * (transfer full) */
JsonNode   *app_test_read_corpus  (const char *relative);

/* Whether SIGMA_CORPUS_DIR is set; if not, the test is marked skipped. */
gboolean    app_test_have_corpus  (void);

/* The class of an app entry of a scenario: its class_name, or its name without one. */
const char *app_test_corpus_class (JsonObject *entry);

/* Checks one app entry of a scenario; returns whether it counts as checked. */
typedef gboolean (*AppTestCorpusFunc) (JsonObject *entry,
                                       const char *class_name,
                                       gpointer    user_data);

/* Calls @func on each entry of @apps whose class is one of @classes (%NULL-terminated; %NULL:
 * every entry); returns how many it checked. */
guint       app_test_corpus_foreach          (JsonArray          *apps,
                                              const char * const *classes,
                                              AppTestCorpusFunc   func,
                                              gpointer            user_data);

/* The same over the apps of @scenario, then those of its augmentation. */
guint       app_test_corpus_foreach_scenario (JsonNode           *scenario,
                                              const char * const *classes,
                                              AppTestCorpusFunc   func,
                                              gpointer            user_data);

/* The same over the Gaia2 scenario, then the PARE augmentation data, with the name of the file
 * as @func's user_data. */
guint       app_test_corpus_foreach_file     (const char * const *classes,
                                              AppTestCorpusFunc   func);

/* A new app of @class_name named as @entry, with the entry's app_state loaded.
 * (transfer full) */
SigmaApp   *app_test_corpus_load       (JsonObject *entry,
                                        const char *class_name);

/* An AppTestCorpusFunc: the entry's app_state loads and get_state() gives it back exactly. */
gboolean    app_test_corpus_round_trip (JsonObject *entry,
                                        const char *class_name,
                                        gpointer    user_data);

/* What ARE's own export gives for a corpus app_state, where that is not the state itself.
 * (transfer full) */
typedef JsonNode *(*AppTestExportFunc) (JsonNode *app_state);

/* An AppTestCorpusFunc, @user_data pointing to an AppTestExportFunc: the entry's app_state
 * loads, get_state() equals (json_node_equal()) what ARE's export gives for it, and is a fixed
 * point. */
gboolean    app_test_corpus_exports    (JsonObject *entry,
                                        const char *class_name,
                                        gpointer    user_data);

/* Checks with app_test_corpus_round_trip() every app of @classes in the Gaia2 scenario, apps
 * and augmentation: there must be at least @min_checked. Skips the test without the corpus. */
void        app_test_corpus_check_round_trips (const char * const *classes,
                                               guint               min_checked);

/* Checks with app_test_corpus_exports() every app of @classes in the Gaia2 scenario (there are
 * @n_apps in its apps, @n_augmentation in its augmentation) and in the PARE augmentation data
 * (@n_pare). Skips the test without the corpus. */
void        app_test_corpus_check_exports (const char * const *classes,
                                           AppTestExportFunc   expected_export,
                                           guint               n_apps,
                                           guint               n_augmentation,
                                           guint               n_pare);

G_END_DECLS
