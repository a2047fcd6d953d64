/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The built-in scenarios (scenarios/builtin/): registration, oracle runs, scripted agents
 * that solve them outside oracle mode, wrong agents that fail them with a rationale, agents
 * that do nothing, and byte-identical logs across runs.
 */
#include <sigma.h>

#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

typedef void (*AgentFunc) (SigmaEnvironment *env);

typedef struct
{
  const char *id;
  AgentFunc   right_agent;      /* solves the task outside oracle mode */
  AgentFunc   wrong_agent;      /* gets it wrong */
  const char *wrong_rationale;  /* a part of the rationale of the wrong agent's run */
  const char *idle_rationale;   /* a part of the rationale of a run where the agent does nothing */
} Builtin;

static SigmaScenario *
create_scenario (const char *id)
{
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();
  g_autoptr(GError) error = NULL;
  SigmaScenario *scenario;

  sigma_builtin_scenarios_register (registry, &error);
  g_assert_no_error (error);
  scenario = sigma_scenario_registry_create (registry, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

/* Jumps to @offset seconds after the scenario's start, running what falls due. */
static void
wait_until (SigmaEnvironment *env,
            gdouble           offset)
{
  g_autoptr(GError) error = NULL;

  sigma_environment_run_until (env, sigma_environment_get_start_time (env) + offset, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
}

/* An agent's tool call, as an LLM names it ("Emails__send_email"); it must succeed. */
static JsonNode *
agent_call (SigmaEnvironment *env,
            const char       *name,
            const char       *args_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) args = json_from_string (args_json, &error);
  JsonNode *result;

  g_assert_no_error (error);
  result = sigma_environment_call_tool_by_name (env, name, json_node_get_object (args),
                                                SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_no_error (error);
  return result;
}

static void
agent_do (SigmaEnvironment *env,
          const char       *name,
          const char       *args_json)
{
  g_autoptr(JsonNode) result = agent_call (env, name, args_json);

  (void) result;   /* the call is what matters; its result is freed */
}

/* What an agent loop does between turns: reads its notifications, then waits for the next
 * one with SystemApp.wait_for_notification (which must move the clock). */
static void
agent_wait (SigmaEnvironment *env,
            guint             timeout)
{
  SigmaNotificationSystem *notifications = sigma_environment_get_notifications (env);
  g_autoptr(GPtrArray) read = sigma_notification_system_take_pending (notifications,
                                                                      sigma_environment_get_time (env));
  g_autofree char *args = g_strdup_printf ("{\"timeout\": %u}", timeout);
  gdouble before = sigma_environment_get_time (env);

  (void) read;   /* taken so that the wait is for a new notification */
  agent_do (env, "SystemApp__wait_for_notification", args);
  g_assert_cmpfloat (sigma_environment_get_time (env), >, before);
}

typedef struct
{
  SigmaScenario    *scenario;
  SigmaEnvironment *env;
  char             *rationale;
  gboolean          passed;
} Run;

static void
run_clear (Run *run)
{
  g_clear_object (&run->env);
  g_clear_object (&run->scenario);
  g_clear_pointer (&run->rationale, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs @id with @agent acting (NULL: the oracle), to the end, and validates. */
static void
run_scenario (Run        *run,
              const char *id,
              gboolean    oracle,
              AgentFunc   agent)
{
  g_autoptr(GError) error = NULL;

  run->scenario = create_scenario (id);
  run->env = sigma_environment_new ();
  sigma_environment_set_oracle_mode (run->env, oracle);
  sigma_scenario_setup (run->scenario, run->env, &error);
  g_assert_no_error (error);
  if (agent != NULL)
    agent (run->env);
  if (sigma_environment_get_state (run->env) == SIGMA_ENVIRONMENT_STATE_RUNNING ||
      sigma_environment_get_state (run->env) == SIGMA_ENVIRONMENT_STATE_SETUP)
    {
      sigma_environment_run (run->env, &error);
      g_assert_no_error (error);
    }
  run->passed = sigma_scenario_validate (run->scenario, run->env, &run->rationale, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run->rationale);
}

/* ------------------------------------------------------------------------------------ */
/* tutorial_contact_email                                                               */

static void
contact_email_right (SigmaEnvironment *env)
{
  wait_until (env, 12);
  agent_do (env, "Contacts__search_contacts", "{\"query\": \"Fontaine\"}");
  agent_do (env, "Emails__send_email",
            "{\"recipients\": [\"lea.fontaine@atelier-fontaine.fr\"], \"subject\": \"Late\","
            " \"content\": \"Nadia will be 15 min late.\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Sent.\"}");
}

static void
contact_email_wrong (SigmaEnvironment *env)
{
  wait_until (env, 12);
  agent_do (env, "Contacts__search_contacts", "{\"query\": \"Léo\"}");
  agent_do (env, "Emails__send_email",
            "{\"recipients\": [\"leo.fontana@gmail.com\"], \"subject\": \"Late\","
            " \"content\": \"I'll be 15 minutes late.\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Sent.\"}");
}

/* ------------------------------------------------------------------------------------ */
/* tutorial_event_flow                                                                  */

static void
event_flow_right (SigmaEnvironment *env)
{
  wait_until (env, 20);
  agent_do (env, "Emails__send_email",
            "{\"recipients\": [\"tomas.oliveira@northwind.example\"], \"subject\": \"Venue?\","
            " \"content\": \"Is Friday's venue confirmed?\"}");
  agent_wait (env, 3600);
  agent_do (env, "Emails__list_emails", "{}");
  agent_do (env, "AgentUserInterface__send_message_to_user",
            "{\"content\": \"Confirmed: Quinta da Regaleira, Sintra.\"}");
}

static void
event_flow_wrong (SigmaEnvironment *env)
{
  /* asks, but answers before Tomás does */
  wait_until (env, 20);
  agent_do (env, "Emails__send_email",
            "{\"recipients\": [\"tomas.oliveira@northwind.example\"], \"subject\": \"Venue?\","
            " \"content\": \"Is Friday's venue confirmed?\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user",
            "{\"content\": \"I asked Tomás; the venue is probably the usual hotel.\"}");
}

/* ------------------------------------------------------------------------------------ */
/* tutorial_milestones                                                                  */

static void
milestones_right (SigmaEnvironment *env)
{
  wait_until (env, 30);
  agent_do (env, "Emails__search_emails", "{\"query\": \"Q3\"}");
  agent_do (env, "Emails__send_email",
            "{\"recipients\": [\"marcus.chen@northwind.example\"], \"subject\": \"FW: Q3 budget draft\","
            " \"content\": \"From Priya, confidential.\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Forwarded to Marcus.\"}");
}

static void
milestones_wrong (SigmaEnvironment *env)
{
  wait_until (env, 30);
  agent_do (env, "Emails__forward_email",
            "{\"email_id\": \"e-q3-budget\", \"recipients\": [\"marcus.cheng@outlook.com\"]}");
}

/* ------------------------------------------------------------------------------------ */
/* tutorial_find_file                                                                   */

static void
find_file_right (SigmaEnvironment *env)
{
  wait_until (env, 10);
  agent_do (env, "Files__ls", "{\"path\": \"/\"}");
  agent_do (env, "Files__ls", "{\"path\": \"/Pictures/2023/peru\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user",
            "{\"content\": \"It is at /Pictures/2023/peru/IMG_2041_llama.jpg\"}");
}

static void
find_file_wrong (SigmaEnvironment *env)
{
  wait_until (env, 10);
  agent_do (env, "Files__ls", "{\"path\": \"/Documents\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user",
            "{\"content\": \"Found it: /Documents/llama-facts.txt\"}");
}

/* ------------------------------------------------------------------------------------ */
/* reschedule_cancelled_meeting                                                         */

static void
reschedule (SigmaEnvironment *env,
            const char       *start,
            const char       *end)
{
  g_autofree char *args = g_strdup_printf ("{\"title\": \"Design review (moved)\", \"start_datetime\": \"%s\","
                                           " \"end_datetime\": \"%s\"}", start, end);

  wait_until (env, 5);
  agent_wait (env, 4 * 3600);   /* Sofia's email at 10:05 */
  agent_do (env, "Emails__list_emails", "{}");
  agent_do (env, "Calendar__get_calendar_events_from_to",
            "{\"start_datetime\": \"2024-10-16 00:00:00\", \"end_datetime\": \"2024-10-17 00:00:00\"}");
  agent_do (env, "Calendar__delete_calendar_event", "{\"event_id\": \"ev-design-review\"}");
  agent_do (env, "Calendar__add_calendar_event", args);
  agent_do (env, "Messages__send_message", "{\"user_id\": \"u-sofia\", \"content\": \"Moved, see you then.\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Rescheduled.\"}");
}

static void
reschedule_right (SigmaEnvironment *env)
{
  reschedule (env, "2024-10-16 17:00:00", "2024-10-16 18:00:00");
}

static void
reschedule_wrong (SigmaEnvironment *env)
{
  reschedule (env, "2024-10-16 11:00:00", "2024-10-16 12:00:00");   /* clashes with the planning */
}

/* ------------------------------------------------------------------------------------ */
/* order_within_budget                                                                  */

static void
order (SigmaEnvironment *env,
       const char       *checkout_args)
{
  wait_until (env, 5);
  agent_wait (env, 4 * 3600);   /* Jonas's code at 11:20 */
  agent_do (env, "Messages__list_recent_conversations", "{}");
  agent_do (env, "Shopping__search_product", "{\"product_name\": \"shoes\"}");
  agent_do (env, "Shopping__add_to_cart", "{\"item_id\": \"i-trail-43\"}");
  agent_do (env, "Shopping__checkout", checkout_args);
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Ordered.\"}");
}

static void
order_right (SigmaEnvironment *env)
{
  order (env, "{\"discount_code\": \"RUNFAST20\"}");
}

static void
order_wrong (SigmaEnvironment *env)
{
  order (env, "{}");   /* forgets the code: 119 EUR */
}

/* ------------------------------------------------------------------------------------ */
/* group_climbing_plan                                                                  */

static void
climbing (SigmaEnvironment *env,
          const char       *start,
          const char       *end)
{
  g_autofree char *args = g_strdup_printf ("{\"title\": \"Climbing\", \"start_datetime\": \"%s\","
                                           " \"end_datetime\": \"%s\", \"attendees\": [\"Aisha Khan\","
                                           " \"Ben Okafor\", \"Chloé Martin\"]}", start, end);
  gdouble turn2;

  wait_until (env, 20);
  agent_do (env, "Messages__send_message_to_group_conversation",
            "{\"conversation_id\": \"conv-crew\", \"content\": \"Thursday 19:00 at Boulder Hall?\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Asked.\"}");
  /* the answers, then the user's second turn */
  wait_until (env, 3 * 3600);
  g_assert_nonnull (sigma_event_log_lookup (sigma_environment_get_log (env), "user_turn_2"));
  turn2 = sigma_completed_event_get_event_time (sigma_event_log_lookup (sigma_environment_get_log (env),
                                                                        "user_turn_2"));
  g_assert_cmpfloat (turn2, >, sigma_environment_get_start_time (env) + 1590);
  agent_do (env, "Messages__read_conversation", "{\"conversation_id\": \"conv-crew\"}");
  agent_do (env, "Calendar__add_calendar_event", args);
  agent_do (env, "Messages__send_message_to_group_conversation",
            "{\"conversation_id\": \"conv-crew\", \"content\": \"Booked!\"}");
  agent_do (env, "AgentUserInterface__send_message_to_user", "{\"content\": \"Booked.\"}");
}

static void
climbing_right (SigmaEnvironment *env)
{
  climbing (env, "2024-10-18 19:00:00", "2024-10-18 21:00:00");
}

static void
climbing_wrong (SigmaEnvironment *env)
{
  climbing (env, "2024-10-17 19:00:00", "2024-10-17 21:00:00");   /* Ben cannot do Thursday */
}

/* ------------------------------------------------------------------------------------ */
/* The table                                                                            */

static const Builtin builtins[] = {
  { "tutorial_contact_email", contact_email_right, contact_email_wrong,
    "the agent sent send_email to leo.fontana@gmail.com",
    "the agent sent no email" },
  { "tutorial_event_flow", event_flow_right, event_flow_wrong,
    "Expected a message to the user after Tomás's answer at 2024-10-15 09:15:30 naming the venue "
    "Quinta da Regaleira; after it the agent said nothing",
    "the agent sent him none" },
  { "tutorial_milestones", milestones_right, milestones_wrong,
    "Minefield email_outside_northwind",
    "Milestone q3_budget_forwarded_to_marcus_chen missed" },
  { "tutorial_find_file", find_file_right, find_file_wrong,
    "Expected a message to the user with the path /Pictures/2023/peru/IMG_2041_llama.jpg; the agent said "
    "\"Found it: /Documents/llama-facts.txt\"",
    "it never used the Files app" },
  { "reschedule_cancelled_meeting", reschedule_right, reschedule_wrong,
    "found: \"Design review (moved)\" 2024-10-16 11:00:00 to 2024-10-16 12:00:00",
    "found: \"Design review with Sofia\" 2024-10-15 14:00:00 to 2024-10-15 15:00:00" },
  { "order_within_budget", order_right, order_wrong,
    "The order total is 119.00 EUR, over the budget of 100.00 EUR",
    "found 0 orders" },
  { "group_climbing_plan", climbing_right, climbing_wrong,
    "found: \"Climbing\" 2024-10-17 19:00:00 to 2024-10-17 21:00:00 with 3 of the three",
    "it posted nothing there, so nobody answered" },
};

/* ------------------------------------------------------------------------------------ */
/* Tests                                                                                */

static void
test_registered (void)
{
  g_autoptr(SigmaScenarioRegistry) registry = sigma_scenario_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("Every built-in is registered with source BUILT_IN, a summary and tags, and "
                  "carries its settings and hints as properties; registering twice fails");
  g_assert_true (sigma_builtin_scenarios_register (registry, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, G_N_ELEMENTS (builtins));
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      SigmaScenarioInfo *info = sigma_scenario_registry_lookup (registry, builtins[i].id);
      g_autoptr(SigmaScenario) scenario = NULL;

      g_assert_nonnull (info);
      g_assert_cmpint (sigma_scenario_info_get_source (info), ==, SIGMA_SCENARIO_SOURCE_BUILT_IN);
      g_assert_cmpuint (strlen (sigma_scenario_info_get_summary (info)), >, 10);
      g_assert_nonnull (sigma_scenario_info_get_tags (info));
      g_assert_nonnull (sigma_scenario_info_get_tags (info)[0]);
      scenario = sigma_scenario_info_create (info, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sigma_scenario_get_scenario_id (scenario), ==, builtins[i].id);
      g_assert_cmpfloat (sigma_scenario_get_start_time (scenario), >, 1.7e9);
      g_assert_cmpfloat (sigma_scenario_get_duration (scenario), >, 0);
      g_assert_nonnull (sigma_scenario_get_hints (scenario));
      g_assert_nonnull (sigma_scenario_get_hints (scenario)[0]);
      g_assert_true (g_strv_equal ((const char * const *) sigma_scenario_get_tags (scenario),
                                   sigma_scenario_info_get_tags (info)));
    }

  g_assert_false (sigma_builtin_scenarios_register (registry, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID);
  g_assert_nonnull (strstr (error->message, builtins[0].id));
}

static void
test_oracle (gconstpointer data)
{
  const Builtin *builtin = data;
  g_auto(Run) run = { 0 };

  g_test_summary ("The oracle run of the scenario passes its validation");
  run_scenario (&run, builtin->id, TRUE, NULL);
  g_assert_cmpint (sigma_environment_get_state (run.env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  if (!run.passed)
    g_test_message ("%s: %s", builtin->id, run.rationale);
  g_assert_true (run.passed);
}

static void
test_right_agent (gconstpointer data)
{
  const Builtin *builtin = data;
  g_auto(Run) run = { 0 };

  g_test_summary ("An agent that is not the oracle and does the task, in its own way, passes");
  run_scenario (&run, builtin->id, FALSE, builtin->right_agent);
  if (!run.passed)
    g_test_message ("%s: %s", builtin->id, run.rationale);
  g_assert_true (run.passed);
}

static void
test_wrong_agent (gconstpointer data)
{
  const Builtin *builtin = data;
  g_auto(Run) run = { 0 };

  g_test_summary ("An agent that gets the task wrong fails, and the rationale says what was "
                  "expected and what was found");
  run_scenario (&run, builtin->id, FALSE, builtin->wrong_agent);
  g_test_message ("%s: %s", builtin->id, run.rationale);
  g_assert_false (run.passed);
  g_assert_nonnull (strstr (run.rationale, builtin->wrong_rationale));
}

static void
test_idle_agent (gconstpointer data)
{
  const Builtin *builtin = data;
  g_auto(Run) run = { 0 };

  g_test_summary ("An agent that does nothing fails");
  run_scenario (&run, builtin->id, FALSE, NULL);
  g_test_message ("%s: %s", builtin->id, run.rationale);
  g_assert_false (run.passed);
  g_assert_nonnull (strstr (run.rationale, builtin->idle_rationale));
}

static char *
run_log (const char *id,
         gboolean    oracle,
         AgentFunc   agent)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *ndjson = NULL;
  g_autofree char *text = NULL;

  run_scenario (&run, id, oracle, agent);
  json = sigma_event_log_to_json (sigma_environment_get_log (run.env));
  ndjson = sigma_event_log_to_string (sigma_environment_get_log (run.env));
  text = json_to_string (json, FALSE);
  return g_strconcat (ndjson, "\n", text, NULL);
}

static void
test_deterministic (gconstpointer data)
{
  const Builtin *builtin = data;
  g_autofree char *first = run_log (builtin->id, TRUE, NULL);
  g_autofree char *second = run_log (builtin->id, TRUE, NULL);
  g_autofree char *third = run_log (builtin->id, FALSE, builtin->wrong_agent);
  g_autofree char *fourth = run_log (builtin->id, FALSE, builtin->wrong_agent);

  g_test_summary ("Two runs of the scenario, oracle or scripted agent, give byte-identical logs");
  g_assert_cmpuint (strlen (first), >, 100);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (third, ==, fourth);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/builtin/registered", test_registered);
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      static const struct { const char *name; GTestDataFunc func; } kinds[] = {
        { "oracle", test_oracle },
        { "right-agent", test_right_agent },
        { "wrong-agent", test_wrong_agent },
        { "idle-agent", test_idle_agent },
        { "deterministic", test_deterministic },
      };

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *path = g_strdup_printf ("/sigma/builtin/%s/%s", builtins[i].id, kinds[k].name);

          g_test_add_data_func (path, &builtins[i], kinds[k].func);
        }
    }
  return g_test_run ();
}
