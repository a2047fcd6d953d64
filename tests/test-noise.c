/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <string.h>

#include <sigma.h>

/*
 * Noise (kernel/sigma-noise.c): background events and tool augmentation. Rates and per-app
 * content are measured from the log, not from the expander. The corpus (a real Gaia2 file)
 * is read from SIGMA_CORPUS_DIR.
 */

#define GAIA2_FILE "gaia2/scenario_universe_30_997a5b.json"
#define START 1728900000.0

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

static SigmaJsonScenario *
load_gaia2 (void)
{
  const char *dir = g_getenv ("SIGMA_CORPUS_DIR");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, GAIA2_FILE, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  SigmaJsonScenario *scenario;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("SIGMA_CORPUS_DIR does not hold the corpus");
      return NULL;
    }
  scenario = sigma_json_scenario_new_from_file (path, SIGMA_JSON_STRICT, &error);
  g_assert_no_error (error);
  return scenario;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
add_app (SigmaEnvironment *env,
         const char       *class_name,
         const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create (class_name, name, &error);

  g_assert_no_error (error);
  g_assert_true (sigma_environment_add_app (env, app, &error));
  g_assert_no_error (error);
}

/* An environment with the given apps (class, name pairs) and a user message at the start,
 * the anchor of the background events. */
static SigmaEnvironment *
new_env (gdouble            duration,
         const char * const *apps)
{
  SigmaEnvironment *env = sigma_environment_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(SigmaEvent) start = NULL;

  sigma_environment_set_start_time (env, START);
  sigma_environment_set_duration (env, duration);
  add_app (env, "AgentUserInterface", "AgentUserInterface");
  for (guint i = 0; apps[i] != NULL; i += 2)
    add_app (env, apps[i], apps[i + 1]);
  json_object_set_string_member (args, "content", "Hello, please keep an eye on my inbox.");
  start = sigma_action_event_new (SIGMA_EVENT_TYPE_USER, "AgentUserInterface", "send_message_to_agent", args);
  sigma_event_set_event_id (start, "user_start");
  sigma_event_set_delay (start, 5.0);
  g_assert_true (sigma_environment_schedule (env, start, &error));
  g_assert_no_error (error);
  return env;
}

static const char * const all_apps[] = {
  "EmailClientV2", "Emails", "MessagingAppV2", "Messages", "ShoppingApp", "Shopping",
  "ApartmentListingApp", "RentAFlat", "CalendarApp", "Calendar", NULL,
};

/* The completed noise events of @log (element-type SigmaCompletedEvent, borrowed). */
static GPtrArray *
noise_events (SigmaEventLog *log)
{
  GPtrArray *events = g_ptr_array_new ();

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);

      if (g_str_has_prefix (sigma_completed_event_get_event_id (event), SIGMA_NOISE_EVENT_PREFIX) &&
          sigma_completed_event_get_event_type (event) == SIGMA_EVENT_TYPE_ENV)
        g_ptr_array_add (events, event);
    }
  return events;
}

static char *
run_with_noise (guint64 seed)
{
  static const char * const apps[] = { "EmailClientV2", "Emails", "MessagingAppV2", "Messages", "ShoppingApp", "Shopping", NULL };
  g_autoptr(SigmaEnvironment) env = new_env (900.0, apps);
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "seed", seed, "rate", 20.0, NULL);
  g_autoptr(GError) error = NULL;

  sigma_environment_set_seed (env, 3);
  g_assert_true (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  return sigma_event_log_to_string (sigma_environment_get_log (env));
}

/* ------------------------------------------------------------------------------------ */
/* Configuration                                                                        */

static void
test_config_defaults (void)
{
  g_autoptr(SigmaNoiseConfig) config = sigma_noise_config_new ();
  guint n_messages, n_items;
  gdouble rate, horizon, failure;

  g_test_summary ("A new config has ARE's defaults; weights are keyed by class through the alias table");

  g_object_get (config, "rate", &rate, "horizon", &horizon, "messages-per-conversation", &n_messages,
                "items-per-product", &n_items, "tool-failure-probability", &failure, NULL);
  g_assert_cmpfloat (rate, ==, 10.0);
  g_assert_cmpfloat (horizon, ==, 0.0);
  g_assert_cmpuint (n_messages, ==, 4);
  g_assert_cmpuint (n_items, ==, 2);
  g_assert_cmpfloat (failure, ==, 0.0);
  g_assert_cmpuint (sigma_noise_config_get_seed (config), ==, 0);

  /* "Mail", "EmailClientV2" and "Emails" are all EmailClientApp */
  g_assert_cmpfloat (sigma_noise_config_get_app_weight (config, "EmailClientApp"), ==, 1.0);
  g_assert_cmpfloat (sigma_noise_config_get_app_weight (config, "Mail"), ==, 1.0);
  g_assert_cmpfloat (sigma_noise_config_get_app_weight (config, "MessagingApp"), ==, 1.0);
  g_assert_cmpfloat (sigma_noise_config_get_app_weight (config, "CalendarApp"), ==, 0.0);
  sigma_noise_config_set_app_weight (config, "Emails", 3.0);
  g_assert_cmpfloat (sigma_noise_config_get_app_weight (config, "EmailClientV2"), ==, 3.0);
  sigma_noise_config_set_app_weight (config, "Chats", 0.5);
  g_assert_cmpfloat (sigma_noise_config_get_app_weight (config, "MessagingAppV2"), ==, 0.5);

  sigma_noise_config_set_tool_name (config, "Emails__send_email", "Emails__dispatch_message");
  g_assert_cmpstr (sigma_noise_config_get_tool_name (config, "Emails__send_email"), ==, "Emails__dispatch_message");
  sigma_noise_config_set_tool_name (config, "Emails__send_email", NULL);
  g_assert_null (sigma_noise_config_get_tool_name (config, "Emails__send_email"));
}

static void
test_malformed (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "[1, 2]", "augmentation: expected an object" },
    { "{\"apps\": 3}", "augmentation.apps: expected an array" },
    { "{\"apps\": [{\"app_state\": {}}]}", "augmentation.apps[0].name: expected a string" },
    { "{\"apps\": [{\"name\": \"Emails\", \"app_state\": []}]}", "augmentation.apps[0].app_state: expected an object" },
    { "{\"apps\": [{\"name\": \"Shopping\", \"app_state\": {\"products\": {\"p1\": {\"name\": \"Mug\", "
      "\"variants\": {\"i1\": {\"price\": \"cheap\"}}}}}}]}",
      "augmentation.apps[0].app_state.products.p1.variants.i1.price: expected a number" },
    { "{\"apps\": [{\"name\": \"Chats\", \"app_state\": {\"conversations\": {\"c1\": {\"participant_ids\": [\"a\"], "
      "\"messages\": [{\"content\": \"hi\"}]}}}}]}",
      "augmentation.apps[0].app_state.conversations.c1.messages[0].sender_id: expected a string" },
    { "{\"apps\": [{\"name\": \"Mail\", \"app_state\": {\"folders\": {\"INBOX\": {\"emails\": [{\"sender\": \"a@b.c\", "
      "\"recipients\": [\"x\", 4]}]}}}}]}",
      "augmentation.apps[0].app_state.folders.INBOX.emails[0].recipients[1]: expected a string" },
    { "{\"apps\": [{\"name\": \"RentAFlat\", \"app_state\": {\"apartments\": {\"a1\": {\"name\": \"Flat\", "
      "\"location\": \"Here\", \"zip_code\": \"1\", \"price\": 900, \"bedrooms\": 1.5, \"bathrooms\": 1, "
      "\"square_footage\": 400}}}}]}",
      "augmentation.apps[0].app_state.apartments.a1.bedrooms: expected an integer" },
    { "{\"apps\": [], \"tool_names_mapping\": {\"Emails__send_email\": 7}}",
      "augmentation.tool_names_mapping.Emails__send_email: expected a string" },
  };

  g_test_summary ("Malformed augmentation data is an INVALID_DATA error naming the member, and leaves "
                  "the config unchanged");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaNoiseConfig) config = sigma_noise_config_new ();
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autoptr(GError) error = NULL;

      g_assert_false (sigma_noise_config_set_augmentation (config, node, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_null (sigma_noise_config_get_augmentation (config));
      g_assert_null (sigma_noise_config_get_tool_name (config, "Emails__send_email"));
    }
}

static void
test_apply_after_start (void)
{
  static const char * const apps[] = { "EmailClientV2", "Emails", NULL };
  g_autoptr(SigmaEnvironment) env = new_env (60.0, apps);
  g_autoptr(SigmaNoiseConfig) config = sigma_noise_config_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("Noise goes in before the clock starts");

  g_assert_true (sigma_environment_start (env, &error));
  g_assert_no_error (error);
  g_assert_false (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE);
}

static void
test_malformed_scenario_augmentation (void)
{
  g_autoptr(SigmaJsonScenario) scenario = load_gaia2 ();
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(SigmaNoiseConfig) config = sigma_noise_config_new ();
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A scenario whose augmentation data is malformed makes apply fail with the member "
                  "named, before anything is scheduled");
  if (scenario == NULL)
    return;

  bad = parse ("{\"apps\": [{\"name\": \"Messages\", \"app_state\": {\"conversations\": "
               "{\"c1\": {\"participant_ids\": \"+1555\", \"messages\": []}}}}]}");
  g_object_set (scenario, "augmentation", bad, NULL);
  env = sigma_environment_new ();
  g_assert_true (sigma_scenario_setup (SIGMA_SCENARIO (scenario), env, &error));
  g_assert_no_error (error);
  g_assert_false (sigma_noise_config_apply (config, env, SIGMA_SCENARIO (scenario), &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "scenario augmentation.apps[0].app_state.conversations.c1.participant_ids: expected an array");
  g_assert_null (sigma_environment_lookup_event (env, SIGMA_NOISE_EVENT_PREFIX "start"));
}

/* ------------------------------------------------------------------------------------ */
/* Background events                                                                    */

static void
test_same_seed (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_test_summary ("The same seed gives a byte-identical log; another seed another log (across processes: "
                  "the cli-noise-same-bytes test)");

  a = run_with_noise (11);
  b = run_with_noise (11);
  c = run_with_noise (12);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_nonnull (strstr (a, SIGMA_NOISE_EVENT_PREFIX));
}

static void
test_rate (void)
{
  static const char * const apps[] = { "EmailClientV2", "Emails", NULL };
  const gdouble horizon = 10 * 3600.0, rate = 10.0;
  g_autoptr(SigmaEnvironment) env = new_env (horizon + 600.0, apps);
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", rate, "horizon", horizon,
                                                     "seed", (guint64) 5, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) augmentation = NULL;
  g_autoptr(GPtrArray) noise = NULL;
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *anchor;
  gdouble anchor_time, last = 0.0, measured;
  guint in_horizon = 0;

  g_test_summary ("Over 10 simulated hours at 10 events per minute the log holds background events at "
                  "the configured rate, within 5 %");

  /* more inbox emails than the 6000 events asked for, so the material does not cap the count */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "apps");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Emails");
  json_builder_set_member_name (builder, "app_state");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "folders");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "INBOX");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "emails");
  json_builder_begin_array (builder);
  for (guint i = 0; i < 7000; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Weekly update %u", i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sender");
      json_builder_add_string_value (builder, "news@example.com");
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, subject);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  augmentation = json_builder_get_root (builder);
  g_assert_true (sigma_noise_config_set_augmentation (config, augmentation, &error));
  g_assert_no_error (error);

  g_assert_true (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);

  anchor = sigma_event_log_lookup (sigma_environment_get_log (env), "user_start");
  g_assert_nonnull (anchor);
  anchor_time = sigma_completed_event_get_event_time (anchor);
  noise = noise_events (sigma_environment_get_log (env));
  for (guint i = 0; i < noise->len; i++)
    {
      SigmaCompletedEvent *event = g_ptr_array_index (noise, i);
      gdouble t = sigma_completed_event_get_event_time (event) - anchor_time;

      g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "create_and_add_email");
      g_assert_false (sigma_completed_event_is_failure (event));
      g_assert_cmpfloat (t, >=, 0.0);
      g_assert_cmpfloat (t, >=, last);   /* the log is in time order */
      last = t;
      if (t <= horizon)
        in_horizon++;
    }
  g_assert_cmpuint (in_horizon, ==, noise->len);   /* nothing beyond the horizon */
  measured = in_horizon / (horizon / 60.0);
  g_test_message ("%u background events over %g s: %.3f per minute", in_horizon, horizon, measured);
  g_assert_cmpfloat (fabs (measured - rate) / rate, <, 0.05);
}

static void
test_apps (void)
{
  g_autoptr(SigmaEnvironment) env = new_env (1800.0, all_apps);
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", 30.0, "horizon", 1200.0,
                                                     "seed", (guint64) 2, NULL);
  g_autoptr(GPtrArray) noise = NULL;
  g_autoptr(GError) error = NULL;
  SigmaEventLog *log;
  GHashTable *seen;
  guint n_items_checked = 0, n_codes_checked = 0;

  g_test_summary ("With Sigma's own universe every app kind gets its events with the right tools and "
                  "arguments, placeholders resolve, and apps without noise get none");

  g_assert_true (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  log = sigma_environment_get_log (env);
  noise = noise_events (log);
  /* N = 30 × 1200 / 60 = 600, 150 per app; messaging replays every conversation (ARE) */
  g_assert_cmpuint (noise->len, >, 300);

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < noise->len; i++)
    {
      SigmaCompletedEvent *event = g_ptr_array_index (noise, i);
      const char *app = sigma_completed_event_get_app_name (event);
      const char *function = sigma_completed_event_get_function (event);
      JsonObject *args = sigma_completed_event_get_args (event);

      if (sigma_completed_event_is_failure (event))
        g_error ("%s failed: %s", sigma_completed_event_get_event_id (event), sigma_completed_event_get_error_message (event));
      g_hash_table_add (seen, (gpointer) function);
      if (g_str_equal (function, "create_and_add_email"))
        {
          g_assert_cmpstr (app, ==, "Emails");
          g_assert_cmpstr (json_object_get_string_member (args, "folder_name"), ==, "INBOX");
          g_assert_cmpstr (json_object_get_string_member (args, "subject"), !=, "");
        }
      else if (g_str_equal (function, "create_and_add_message"))
        {
          g_assert_cmpstr (app, ==, "Messages");
          g_assert_true (json_object_has_member (args, "conversation_id"));
          g_assert_true (json_object_has_member (args, "sender_id"));
        }
      else if (g_str_equal (function, "add_new_apartment"))
        {
          g_assert_cmpstr (app, ==, "RentAFlat");
          g_assert_true (json_object_has_member (args, "number_of_bedrooms"));
          g_assert_false (json_object_has_member (args, "bedrooms"));
          g_assert_false (json_object_has_member (args, "apartment_id"));
        }
      else if (g_str_equal (function, "add_item_to_product"))
        {
          /* the product id is the product event's return value */
          g_autoptr(GPtrArray) products = sigma_event_log_filter (log, SIGMA_EVENT_TYPE_ENV, "Shopping", "add_product");
          const char *product_id = json_object_get_string_member (args, "product_id");
          gboolean found = FALSE;

          g_assert_false (g_str_has_prefix (product_id, "{{"));
          for (guint j = 0; j < products->len; j++)
            if (g_strcmp0 (json_node_get_string (sigma_completed_event_get_return_value (g_ptr_array_index (products, j))),
                           product_id) == 0)
              found = TRUE;
          g_assert_true (found);
          n_items_checked++;
        }
      else if (g_str_equal (function, "add_discount_code"))
        {
          g_autoptr(GPtrArray) items = sigma_event_log_filter (log, SIGMA_EVENT_TYPE_ENV, "Shopping", "add_item_to_product");
          const char *item_id = json_object_get_string_member (args, "item_id");
          gboolean found = FALSE;

          for (guint j = 0; j < items->len; j++)
            if (g_strcmp0 (json_node_get_string (sigma_completed_event_get_return_value (g_ptr_array_index (items, j))),
                           item_id) == 0)
              found = TRUE;
          g_assert_true (found);
          n_codes_checked++;
        }
      else if (!g_str_equal (function, "add_product"))
        g_error ("unexpected background tool %s.%s", app, function);
      g_assert_cmpstr (app, !=, "Calendar");
    }
  g_assert_true (g_hash_table_contains (seen, "create_and_add_email"));
  g_assert_true (g_hash_table_contains (seen, "create_and_add_message"));
  g_assert_true (g_hash_table_contains (seen, "add_product"));
  g_assert_true (g_hash_table_contains (seen, "add_item_to_product"));
  g_assert_true (g_hash_table_contains (seen, "add_new_apartment"));
  g_assert_cmpuint (n_items_checked, >, 0);
  g_assert_cmpuint (n_codes_checked, >, 0);
  g_hash_table_unref (seen);
}

static void
test_weights (void)
{
  static const char * const apps[] = { "EmailClientV2", "Emails", "ApartmentListingApp", "RentAFlat", NULL };
  g_autoptr(SigmaEnvironment) env = new_env (1000.0, apps);
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", 12.0, "horizon", 600.0, NULL);
  g_autoptr(GPtrArray) noise = NULL;
  g_autoptr(GError) error = NULL;
  guint emails = 0, apartments = 0;

  g_test_summary ("A zero weight (set through an alias) takes an app out of the noise");

  sigma_noise_config_set_app_weight (config, "RentAFlat", 0.0);
  g_assert_true (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  noise = noise_events (sigma_environment_get_log (env));
  for (guint i = 0; i < noise->len; i++)
    {
      const char *app = sigma_completed_event_get_app_name (g_ptr_array_index (noise, i));

      emails += g_str_equal (app, "Emails");
      apartments += g_str_equal (app, "RentAFlat");
    }
  g_assert_cmpuint (apartments, ==, 0);
  /* all of N = 120 goes to the email app, minus the arrivals past the horizon */
  g_assert_cmpuint (emails, >, 90);
  g_assert_cmpuint (emails, <=, 120);
}

static void
test_start_condition (void)
{
  g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", 6.0, "horizon", 300.0, NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) noise = NULL;
  g_autoptr(GError) error = NULL;
  gdouble spoke;

  g_test_summary ("Without scenario events the noise waits for the user's first message to the agent");

  sigma_environment_set_start_time (env, START);
  sigma_environment_set_duration (env, 2000.0);
  add_app (env, "AgentUserInterface", "AgentUserInterface");
  add_app (env, "EmailClientV2", "Emails");
  g_assert_true (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sigma_environment_lookup_event (env, SIGMA_NOISE_EVENT_PREFIX "start"));

  g_assert_true (sigma_environment_advance (env, 400.0, &error));
  g_assert_no_error (error);
  noise = noise_events (sigma_environment_get_log (env));
  g_assert_cmpuint (noise->len, ==, 0);
  g_clear_pointer (&noise, g_ptr_array_unref);

  json_object_set_string_member (args, "content", "Hi");
  result = sigma_environment_call_tool (env, "AgentUserInterface", "send_message_to_agent", args,
                                        SIGMA_EVENT_TYPE_USER, &error);
  g_assert_no_error (error);
  spoke = sigma_environment_get_time (env);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  noise = noise_events (sigma_environment_get_log (env));
  g_assert_cmpuint (noise->len, >, 0);
  for (guint i = 0; i < noise->len; i++)
    g_assert_cmpfloat (sigma_completed_event_get_event_time (g_ptr_array_index (noise, i)), >=, spoke);
}

/* ------------------------------------------------------------------------------------ */
/* The judge                                                                            */

static SigmaEnvironment *
noisy_oracle_run (SigmaJsonScenario *scenario,
                  guint64            noise_seed)
{
  SigmaEnvironment *env = sigma_environment_new ();
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "seed", noise_seed, NULL);
  g_autoptr(GError) error = NULL;

  sigma_environment_set_oracle_mode (env, TRUE);
  g_assert_true (sigma_scenario_setup (SIGMA_SCENARIO (scenario), env, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_noise_config_apply (config, env, SIGMA_SCENARIO (scenario), &error));
  g_assert_no_error (error);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  return env;
}

static void
test_judge_ignores_noise (void)
{
  g_autoptr(SigmaJsonScenario) scenario = load_gaia2 ();
  g_autoptr(SigmaEnvironment) a = NULL;
  g_autoptr(SigmaEnvironment) b = NULL;
  g_autoptr(SigmaJudge) judge = NULL;
  g_autoptr(SigmaVerdict) verdict = NULL;
  g_autoptr(GPtrArray) noise_a = NULL;
  g_autoptr(GPtrArray) noise_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rationale = NULL;

  g_test_summary ("The judge ignores env_expansion events: a noisy oracle run passes against the clean "
                  "reference, and against a reference with other noise");
  if (scenario == NULL)
    return;

  a = noisy_oracle_run (scenario, 1);
  b = noisy_oracle_run (scenario, 2);
  noise_a = noise_events (sigma_environment_get_log (a));
  noise_b = noise_events (sigma_environment_get_log (b));
  g_assert_cmpuint (noise_a->len, >, 50);
  g_assert_cmpuint (noise_b->len, >, 50);

  /* against the scenario's own (clean) reference */
  g_assert_true (sigma_scenario_validate (SIGMA_SCENARIO (scenario), b, &rationale, &error));
  g_assert_no_error (error);

  /* against a reference that has background events of its own, which b does not have */
  judge = sigma_judge_new ();
  g_assert_true (sigma_judge_load_environment (judge, a, &error));
  g_assert_no_error (error);
  verdict = sigma_judge_judge (judge, sigma_environment_get_log (a), sigma_environment_get_log (b), &error);
  g_assert_no_error (error);
  if (!sigma_verdict_get_passed (verdict))
    g_error ("judged failed: %s", sigma_verdict_get_rationale (verdict));
}

/* ------------------------------------------------------------------------------------ */
/* Tool augmentation                                                                    */

static void
test_rename_tool (void)
{
  static const char * const apps[] = { "EmailClientV2", "Emails", NULL };
  g_autoptr(SigmaEnvironment) env = new_env (600.0, apps);
  g_autoptr(JsonNode) tools = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonArray) recipients = json_array_new ();
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *last;
  JsonArray *array;
  gboolean found_new = FALSE, found_old = FALSE;

  g_test_summary ("A renamed tool is listed and called by its new name; the log keeps the original");

  g_assert_false (sigma_environment_rename_tool (env, "Emails__no_such_tool", "x", NULL, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL);
  g_clear_error (&error);
  g_assert_false (sigma_environment_rename_tool (env, "Nope__send_email", "x", NULL, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP);
  g_clear_error (&error);
  g_assert_true (sigma_environment_rename_tool (env, "Emails__send_email", "Emails__dispatch_message",
                                                "Sends a message by electronic mail.", &error));
  g_assert_no_error (error);
  g_assert_false (sigma_environment_rename_tool (env, "Emails__reply_to_email", "Emails__dispatch_message", NULL, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID);
  g_clear_error (&error);

  tools = sigma_environment_list_agent_tools (env);
  array = json_node_get_array (tools);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *function = json_object_get_object_member (json_array_get_object_element (array, i), "function");
      const char *name = json_object_get_string_member (function, "name");

      g_assert_false (g_str_has_suffix (name, "create_and_add_email"));   /* an ENV tool */
      if (g_str_equal (name, "Emails__dispatch_message"))
        {
          found_new = TRUE;
          g_assert_cmpstr (json_object_get_string_member (function, "description"), ==, "Sends a message by electronic mail.");
          g_assert_true (json_object_has_member (json_object_get_object_member (function, "parameters"), "properties"));
        }
      found_old |= g_str_equal (name, "Emails__send_email");
    }
  g_assert_true (found_new);
  g_assert_false (found_old);

  json_array_add_string_element (recipients, "ana@example.com");
  json_object_set_array_member (args, "recipients", json_array_ref (recipients));
  json_object_set_string_member (args, "subject", "Hello");
  json_object_set_string_member (args, "content", "Hi Ana");
  result = sigma_environment_call_tool_by_name (env, "Emails__dispatch_message", args, SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  last = sigma_environment_get_last_event (env);
  g_assert_cmpstr (sigma_completed_event_get_app_name (last), ==, "Emails");
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, "send_email");
}

static void
test_failure_probability (void)
{
  static const char * const apps[] = { "EmailClientV2", "Emails", NULL };
  g_autoptr(SigmaEnvironment) env = new_env (600.0, apps);
  g_autoptr(SigmaNoiseConfig) config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", 0.0,
                                                     "tool-failure-probability", 1.0, NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The failure probability reaches agent calls, not environment calls");

  g_assert_true (sigma_noise_config_apply (config, env, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (sigma_app_get_failure_probability (sigma_environment_get_app (env, "Emails")), ==, 1.0);

  result = sigma_environment_call_tool (env, "Emails", "list_emails", args, SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_null (result);
  g_clear_error (&error);
  json_object_set_string_member (args, "sender", "bob@example.com");
  result = sigma_environment_call_tool (env, "Emails", "create_and_add_email", args, SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static void
test_renamed_oracle_run_passes (void)
{
  g_autoptr(SigmaJsonScenario) scenario = load_gaia2 ();
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(SigmaNoiseConfig) config = NULL;
  g_autoptr(JsonNode) tools = NULL;
  g_autoptr(GHashTable) agent_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rationale = NULL;
  SigmaEventLog *reference;
  JsonNode *mapping;
  JsonObject *names;
  JsonArray *array;
  guint renamed_calls = 0, calls = 0;

  g_test_summary ("An agent run that makes the oracle's calls through the scenario's renamed tools "
                  "passes the judge");
  if (scenario == NULL)
    return;

  reference = sigma_json_scenario_get_oracle_log (scenario, &error);
  g_assert_no_error (error);
  mapping = json_object_get_member (json_node_get_object (sigma_scenario_get_augmentation (SIGMA_SCENARIO (scenario))),
                                    "tool_names_mapping");
  g_assert_nonnull (mapping);
  names = json_node_get_object (mapping);

  env = sigma_environment_new ();
  g_assert_true (sigma_scenario_setup (SIGMA_SCENARIO (scenario), env, &error));
  g_assert_no_error (error);
  config = g_object_new (SIGMA_TYPE_NOISE_CONFIG, "rate", 0.0, NULL);
  g_assert_true (sigma_noise_config_apply (config, env, SIGMA_SCENARIO (scenario), &error));
  g_assert_no_error (error);

  /* the agent sees the new names only */
  agent_name = g_hash_table_new (g_str_hash, g_str_equal);
  tools = sigma_environment_list_agent_tools (env);
  array = json_node_get_array (tools);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *function = json_object_get_object_member (json_array_get_object_element (array, i), "function");

      g_hash_table_add (agent_name, (gpointer) json_object_get_string_member (function, "name"));
    }

  for (guint i = 0; i < sigma_event_log_get_length (reference); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (reference, i);
      g_autofree char *name = NULL;
      g_autoptr(JsonNode) result = NULL;
      const char *call_name;

      if (sigma_completed_event_get_event_type (event) != SIGMA_EVENT_TYPE_AGENT)
        continue;
      name = g_strconcat (sigma_completed_event_get_app_name (event), "__", sigma_completed_event_get_function (event), NULL);
      call_name = json_object_has_member (names, name) ? json_object_get_string_member (names, name) : name;
      g_assert_true (g_hash_table_contains (agent_name, call_name));
      if (!g_str_equal (call_name, name))
        {
          renamed_calls++;
          g_assert_false (g_hash_table_contains (agent_name, name));
        }
      g_assert_true (sigma_environment_run_until (env, sigma_completed_event_get_event_time (event), &error));
      g_assert_no_error (error);
      result = sigma_environment_call_tool_by_name (env, call_name, sigma_completed_event_get_args (event),
                                                    SIGMA_EVENT_TYPE_AGENT, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sigma_completed_event_get_function (sigma_environment_get_last_event (env)), ==,
                       sigma_completed_event_get_function (event));
      calls++;
    }
  g_assert_cmpuint (calls, >, 0);
  g_assert_cmpuint (renamed_calls, >, 0);
  g_assert_true (sigma_environment_run (env, &error));
  g_assert_no_error (error);
  if (!sigma_scenario_validate (SIGMA_SCENARIO (scenario), env, &rationale, &error))
    g_error ("the renamed run failed: %s", rationale);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/noise/config/defaults", test_config_defaults);
  g_test_add_func ("/sigma/noise/config/malformed", test_malformed);
  g_test_add_func ("/sigma/noise/config/apply-after-start", test_apply_after_start);
  g_test_add_func ("/sigma/noise/config/malformed-scenario-augmentation", test_malformed_scenario_augmentation);
  g_test_add_func ("/sigma/noise/events/same-seed", test_same_seed);
  g_test_add_func ("/sigma/noise/events/rate", test_rate);
  g_test_add_func ("/sigma/noise/events/apps", test_apps);
  g_test_add_func ("/sigma/noise/events/weights", test_weights);
  g_test_add_func ("/sigma/noise/events/start-condition", test_start_condition);
  g_test_add_func ("/sigma/noise/judge/ignores-noise", test_judge_ignores_noise);
  g_test_add_func ("/sigma/noise/tools/rename", test_rename_tool);
  g_test_add_func ("/sigma/noise/tools/failure", test_failure_probability);
  g_test_add_func ("/sigma/noise/tools/renamed-oracle-run", test_renamed_oracle_run_passes);

  return g_test_run ();
}
