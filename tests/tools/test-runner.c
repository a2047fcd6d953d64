/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include <sigma.h>

/*
 * SigmaRunner: an agent played through a scenario on the simulated clock.
 *
 * The scenario of these tests has two user turns: "add Ada Lovelace" at the start; after the
 * agent's first answer a gate opens and "how many contacts?" arrives 5 s later. An ENV event
 * adds Bob 15 s after the start, while the agent is thinking. The oracle does the work in
 * time; `validate` wants exactly one Ada Lovelace and an answer to each turn.
 */

#define START 1700000000.0

typedef struct { SigmaScenario parent_instance; } TestScenario;
typedef struct { SigmaScenarioClass parent_class; } TestScenarioClass;

static GType test_scenario_get_type (void);
G_DEFINE_TYPE (TestScenario, test_scenario, SIGMA_TYPE_SCENARIO)

static JsonObject *
args_new (const char *first,
          ...)
{
  JsonObject *args = json_object_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *key = first; key != NULL; key = va_arg (ap, const char *))
    json_object_set_string_member (args, key, va_arg (ap, const char *));
  va_end (ap);
  return args;
}

static gboolean
test_scenario_init_apps (SigmaScenario     *scenario,
                         SigmaEnvironment  *env,
                         GError           **error)
{
  g_autoptr(SigmaApp) aui = sigma_agent_user_interface_new ("AgentUserInterface");
  g_autoptr(SigmaApp) contacts = sigma_contacts_app_new ("Contacts");

  return sigma_environment_add_app (env, aui, error) && sigma_environment_add_app (env, contacts, error);
}

static guint
count_agent_messages (SigmaEnvironment *env)
{
  SigmaEventLog *log = sigma_environment_get_log (env);
  guint n = 0;

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *ev = sigma_event_log_get (log, i);

      if (sigma_completed_event_get_event_type (ev) == SIGMA_EVENT_TYPE_AGENT &&
          g_strcmp0 (sigma_completed_event_get_function (ev), "send_message_to_user") == 0)
        n++;
    }
  return n;
}

static gboolean
first_turn_answered (SigmaEnvironment *env,
                     gpointer          user_data)
{
  return count_agent_messages (env) >= 1;
}

static gboolean
schedule (SigmaEnvironment  *env,
          SigmaEvent        *event,
          const char        *id,
          gdouble            delay,
          SigmaEvent        *after,
          GError           **error)
{
  g_autoptr(SigmaEvent) owned = event;   /* takes @event */

  sigma_event_set_event_id (owned, id);
  sigma_event_set_delay (owned, delay);
  if (after != NULL)
    sigma_event_depends_on (owned, after);
  return sigma_environment_schedule (env, owned, error);
}

static gboolean
test_scenario_build_events (SigmaScenario     *scenario,
                            SigmaEnvironment  *env,
                            GError           **error)
{
  g_autoptr(JsonObject) turn1_args = args_new ("content", "Please add Ada Lovelace (ada@example.org) to my contacts.", NULL);
  g_autoptr(JsonObject) bob_args = args_new ("first_name", "Bob", "last_name", "Marley", NULL);
  g_autoptr(JsonObject) turn2_args = args_new ("content", "Thanks. How many contacts do I have now?", NULL);
  g_autoptr(JsonObject) ada_args = args_new ("first_name", "Ada", "last_name", "Lovelace", "email", "ada@example.org", NULL);
  g_autoptr(JsonObject) done_args = args_new ("content", "Ada Lovelace is in your contacts.", NULL);
  g_autoptr(JsonObject) count_args = args_new ("content", "You have 2 contacts.", NULL);
  SigmaEvent *turn1, *gate, *turn2, *oracle_ada, *oracle_done;

  turn1 = sigma_action_event_new (SIGMA_EVENT_TYPE_USER, "AgentUserInterface", "send_message_to_agent", turn1_args);
  gate = sigma_condition_event_new ("first_turn_answered", first_turn_answered, NULL, NULL);
  turn2 = sigma_action_event_new (SIGMA_EVENT_TYPE_USER, "AgentUserInterface", "send_message_to_agent", turn2_args);
  oracle_ada = sigma_oracle_event_new ("Contacts", "add_new_contact", ada_args);
  oracle_done = sigma_oracle_event_new ("AgentUserInterface", "send_message_to_user", done_args);

  g_object_ref (turn1);
  g_object_ref (gate);
  g_object_ref (turn2);
  g_object_ref (oracle_ada);
  if (!schedule (env, turn1, "turn1", 0, NULL, error) ||
      !schedule (env, sigma_action_event_new (SIGMA_EVENT_TYPE_ENV, "Contacts", "add_new_contact", bob_args),
                 "bob_arrives", 15, turn1, error) ||
      !schedule (env, oracle_ada, "oracle_ada", 5, turn1, error) ||
      !schedule (env, oracle_done, "oracle_done", 1, oracle_ada, error) ||
      !schedule (env, gate, "gate", 0, turn1, error) ||
      !schedule (env, turn2, "turn2", 5, gate, error) ||
      !schedule (env, sigma_oracle_event_new ("AgentUserInterface", "send_message_to_user", count_args),
                 "oracle_count", 1, turn2, error))
    {
      g_object_unref (turn1);
      g_object_unref (gate);
      g_object_unref (turn2);
      g_object_unref (oracle_ada);
      return FALSE;
    }
  g_object_unref (turn1);
  g_object_unref (gate);
  g_object_unref (turn2);
  g_object_unref (oracle_ada);
  return TRUE;
}

static gboolean
test_scenario_validate (SigmaScenario     *scenario,
                        SigmaEnvironment  *env,
                        char             **rationale,
                        GError           **error)
{
  SigmaApp *contacts = sigma_environment_get_app (env, "Contacts");
  g_autoptr(JsonObject) args = args_new ("query", "Ada Lovelace", NULL);
  g_autoptr(JsonNode) found = sigma_app_invoke (contacts, "search_contacts", args, error);
  guint n_found, n_messages;

  if (found == NULL)
    return FALSE;
  n_found = json_array_get_length (json_node_get_array (found));
  n_messages = count_agent_messages (env);
  if (n_found != 1)
    {
      *rationale = g_strdup_printf ("expected exactly one Ada Lovelace in the contacts, found %u", n_found);
      return FALSE;
    }
  if (n_messages < 2)
    {
      *rationale = g_strdup_printf ("expected an answer to each of the 2 user turns, found %u", n_messages);
      return FALSE;
    }
  *rationale = g_strdup ("Ada Lovelace was added and both turns were answered");
  return TRUE;
}

static void
test_scenario_class_init (TestScenarioClass *klass)
{
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  scenario_class->init_apps = test_scenario_init_apps;
  scenario_class->build_events = test_scenario_build_events;
  scenario_class->validate = test_scenario_validate;
}

static void
test_scenario_init (TestScenario *self)
{
}

static SigmaScenario *
scenario_new (void)
{
  return g_object_new (test_scenario_get_type (),
                       "scenario-id", "runner_two_turns",
                       "start-time", START,
                       "duration", 3600.0,
                       "time-increment", 1.0,
                       NULL);
}

/* A recording agent: plays a script and keeps every observation it was given. */
typedef struct
{
  GObject    parent_instance;
  GPtrArray *script;        /* SigmaAgentAction */
  GPtrArray *observations;  /* SigmaObservation */
  guint      next;
  gboolean   fail_at_step;  /* return an error at step `next == fail_step` */
  guint      fail_step;
} RecAgent;
typedef struct { GObjectClass parent_class; } RecAgentClass;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RecAgent, g_object_unref)

static void rec_agent_iface_init (SigmaAgentInterface *iface);
static GType rec_agent_get_type (void);
G_DEFINE_TYPE_WITH_CODE (RecAgent, rec_agent, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SIGMA_TYPE_AGENT, rec_agent_iface_init))

static SigmaAgentAction *
rec_agent_step (SigmaAgent        *agent,
                SigmaObservation  *obs,
                GError           **error)
{
  RecAgent *self = (RecAgent *) agent;

  g_ptr_array_add (self->observations, sigma_observation_ref (obs));
  if (self->fail_at_step && self->next == self->fail_step)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "the model endpoint refused the connection");
      return NULL;
    }
  if (self->next >= self->script->len)
    return sigma_agent_action_new_done ();
  return sigma_agent_action_ref (g_ptr_array_index (self->script, self->next++));
}

static void
rec_agent_iface_init (SigmaAgentInterface *iface)
{
  iface->step = rec_agent_step;
}

static void
rec_agent_finalize (GObject *object)
{
  RecAgent *self = (RecAgent *) object;

  g_ptr_array_unref (self->script);
  g_ptr_array_unref (self->observations);
  G_OBJECT_CLASS (rec_agent_parent_class)->finalize (object);
}

static void
rec_agent_class_init (RecAgentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rec_agent_finalize;
}

static void
rec_agent_init (RecAgent *self)
{
  self->script = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_agent_action_unref);
  self->observations = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_observation_unref);
}

/* A script in the JSON form of sigma_agent_action_new_from_json(). */
static RecAgent *
rec_agent_new (const char *script_json)
{
  RecAgent *self = g_object_new (rec_agent_get_type (), NULL);
  g_autoptr(JsonNode) node = json_from_string (script_json, NULL);
  JsonArray *array;

  g_assert_nonnull (node);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) error = NULL;
      SigmaAgentAction *action = sigma_agent_action_new_from_json (json_array_get_element (array, i), &error);

      g_assert_no_error (error);
      g_ptr_array_add (self->script, action);
    }
  return self;
}

#define GOOD_SCRIPT \
  "[{\"tool\": \"Contacts__add_new_contact\", \"args\": {\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"email\": \"ada@example.org\"}}," \
  " {\"message\": \"Done: Ada Lovelace is in your contacts.\"}," \
  " {\"tool\": \"Contacts__get_contacts\", \"args\": {}}," \
  " {\"message\": \"You have 2 contacts.\"}]"

static SigmaRunResult *
run_script (const char     *script,
            gdouble         think,
            RecAgent      **agent_out)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(RecAgent) agent = rec_agent_new (script);
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, SIGMA_AGENT (agent));
  g_autoptr(GError) error = NULL;
  SigmaRunResult *result;

  sigma_runner_set_think_time (runner, SIGMA_THINK_TIME_FIXED, think);
  result = sigma_runner_run (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  if (agent_out != NULL)
    *agent_out = g_object_ref (agent);
  return result;
}

/* Index of the first logged event with this function and type, or -1. */
static gint
find_event (SigmaEventLog  *log,
            const char     *function,
            SigmaEventType  type,
            guint           nth)
{
  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *ev = sigma_event_log_get (log, i);

      if (sigma_completed_event_get_event_type (ev) == type &&
          g_strcmp0 (sigma_completed_event_get_function (ev), function) == 0 && nth-- == 0)
        return (gint) i;
    }
  return -1;
}

static gdouble
event_time (SigmaEventLog *log,
            gint           index)
{
  g_assert_cmpint (index, >=, 0);
  return sigma_completed_event_get_event_time (sigma_event_log_get (log, (guint) index)) - START;
}

static void
test_scripted_pass (void)
{
  g_autoptr(RecAgent) agent = NULL;
  g_autoptr(SigmaRunResult) result = run_script (GOOD_SCRIPT, 10, &agent);
  SigmaEventLog *log = sigma_run_result_get_log (result);
  SigmaObservation *first, *third;
  GPtrArray *notes;

  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_PASSED);
  g_assert_cmpstr (sigma_run_result_get_rationale (result), ==, "Ada Lovelace was added and both turns were answered");
  g_assert_cmpint (sigma_run_result_get_end_reason (result), ==, SIGMA_END_REASON_LAST_TURN);
  g_assert_cmpuint (sigma_run_result_get_steps (result), ==, 4);
  g_assert_cmpfloat (sigma_run_result_get_score (result), ==, 1.0);

  /* think time: every step costs 10 simulated seconds; the ENV event at 15 s fires while the
   * agent thinks about step 2, before its message at 20 s */
  g_assert_cmpfloat (event_time (log, find_event (log, "add_new_contact", SIGMA_EVENT_TYPE_AGENT, 0)), ==, 10);
  g_assert_cmpfloat (event_time (log, find_event (log, "add_new_contact", SIGMA_EVENT_TYPE_ENV, 0)), ==, 15);
  g_assert_cmpfloat (event_time (log, find_event (log, "send_message_to_user", SIGMA_EVENT_TYPE_AGENT, 0)), ==, 20);
  g_assert_cmpint (find_event (log, "add_new_contact", SIGMA_EVENT_TYPE_ENV, 0), <,
                   find_event (log, "send_message_to_user", SIGMA_EVENT_TYPE_AGENT, 0));
  /* the gate opens at the next tick after the answer; the second turn 5 s later, and the
   * agent's next step starts from there */
  g_assert_cmpfloat (event_time (log, find_event (log, "send_message_to_agent", SIGMA_EVENT_TYPE_USER, 1)), ==, 26);
  g_assert_cmpfloat (event_time (log, find_event (log, "get_contacts", SIGMA_EVENT_TYPE_AGENT, 0)), ==, 36);
  g_assert_cmpfloat (sigma_run_result_get_sim_time (result), ==, 46);

  /* observations: the first carries the user's task; the third, the second turn */
  g_assert_cmpuint (agent->observations->len, ==, 4);
  first = g_ptr_array_index (agent->observations, 0);
  notes = sigma_observation_get_notifications (first);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpint (sigma_notification_get_message_type (g_ptr_array_index (notes, 0)), ==,
                   SIGMA_MESSAGE_TYPE_USER_MESSAGE);
  g_assert_nonnull (strstr (sigma_notification_get_message (g_ptr_array_index (notes, 0)), "Please add Ada Lovelace"));
  g_assert_null (sigma_observation_get_last_action (first));
  third = g_ptr_array_index (agent->observations, 2);
  notes = sigma_observation_get_notifications (third);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_nonnull (strstr (sigma_notification_get_message (g_ptr_array_index (notes, 0)), "How many contacts"));
  g_assert_cmpfloat (sigma_observation_get_time (third) - START, ==, 26);
}

static void
test_wrong_agent_fails (void)
{
  g_autoptr(SigmaRunResult) result = NULL;

  result = run_script ("[{\"tool\": \"Contacts__add_new_contact\", \"args\": {\"first_name\": \"Ada\", \"last_name\": \"Byron\"}},"
                       " {\"message\": \"Done.\"}, {\"message\": \"You have 2.\"}]", 1, NULL);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_FAILED);
  g_assert_cmpstr (sigma_run_result_get_rationale (result), ==,
                   "expected exactly one Ada Lovelace in the contacts, found 0");
  g_assert_cmpfloat (sigma_run_result_get_score (result), ==, 0.0);
}

static void
test_done_ends_run (void)
{
  g_autoptr(SigmaRunResult) result = run_script ("[{\"done\": true}]", 1, NULL);

  g_assert_cmpint (sigma_run_result_get_end_reason (result), ==, SIGMA_END_REASON_AGENT_DONE);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_FAILED);
  g_assert_cmpuint (sigma_run_result_get_steps (result), ==, 1);
}

static void
test_max_steps (void)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(RecAgent) agent = rec_agent_new ("[{\"wait\": 1}, {\"wait\": 1}, {\"wait\": 1}, {\"wait\": 1}, {\"wait\": 1}]");
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, SIGMA_AGENT (agent));
  g_autoptr(SigmaRunResult) result = NULL;

  sigma_runner_set_max_steps (runner, 3);
  result = sigma_runner_run (runner, NULL, NULL);
  g_assert_cmpint (sigma_run_result_get_end_reason (result), ==, SIGMA_END_REASON_MAX_STEPS);
  g_assert_cmpuint (sigma_run_result_get_steps (result), ==, 3);
}

static void
test_tool_error_reaches_agent (void)
{
  g_autoptr(RecAgent) agent = NULL;
  g_autoptr(SigmaRunResult) result = NULL;
  SigmaObservation *second;

  g_autofree char *script = NULL;

  /* an unknown tool, then a wrong argument type, then the good script */
  script = g_strconcat ("[{\"tool\": \"Contacts__no_such_tool\", \"args\": {}},"
                        " {\"tool\": \"Contacts__add_new_contact\", \"args\": {\"first_name\": 3}},",
                        &GOOD_SCRIPT[1], NULL);
  result = run_script (script, 1, &agent);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_PASSED);
  second = g_ptr_array_index (agent->observations, 1);
  g_assert_cmpstr (sigma_agent_action_get_tool_name (sigma_observation_get_last_action (second)), ==,
                   "Contacts__no_such_tool");
  g_assert_nonnull (sigma_observation_get_last_error (second));
  g_assert_nonnull (strstr (sigma_observation_get_last_error (second), "no_such_tool"));
  g_assert_nonnull (sigma_observation_get_last_error (g_ptr_array_index (agent->observations, 2)));
  g_assert_null (sigma_observation_get_last_error (g_ptr_array_index (agent->observations, 3)));
}

static void
test_wait_jumps_clock (void)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, NULL);
  g_autoptr(SigmaAgentAction) wait = sigma_agent_action_new_wait (600);
  g_autoptr(SigmaAgentAction) wait_short = sigma_agent_action_new_wait (3);
  g_autoptr(SigmaObservation) obs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sigma_runner_start (runner, &error));
  g_assert_no_error (error);
  obs = sigma_runner_observe (runner);
  g_assert_cmpuint (sigma_observation_get_notifications (obs)->len, ==, 1);
  g_clear_pointer (&obs, sigma_observation_unref);

  /* nothing notifies: a short wait costs exactly its timeout */
  g_assert_true (sigma_runner_perform (runner, wait_short, 0, NULL, &error));
  g_assert_cmpfloat (sigma_environment_get_time (sigma_runner_get_environment (runner)) - START, ==, 3);
  /* Bob's arrival notifies nobody (contacts are silent at MEDIUM verbosity): the long wait
   * runs the ENV event at 15 s and goes on to its timeout */
  g_assert_true (sigma_runner_perform (runner, wait, 0, NULL, &error));
  g_assert_cmpfloat (sigma_environment_get_time (sigma_runner_get_environment (runner)) - START, ==, 603);
  g_assert_cmpint (find_event (sigma_environment_get_log (sigma_runner_get_environment (runner)),
                               "add_new_contact", SIGMA_EVENT_TYPE_ENV, 0), >=, 0);
}

static void
test_perform_states (void)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, NULL);
  g_autoptr(SigmaAgentAction) done = sigma_agent_action_new_done ();
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(SigmaRunResult) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (sigma_runner_perform (runner, done, 0, NULL, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (sigma_runner_finish (runner, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_true (sigma_runner_start (runner, &error));
  g_assert_false (sigma_runner_start (runner, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_true (sigma_runner_perform (runner, done, 0, NULL, &error));
  g_assert_true (sigma_runner_is_finished (runner));
  g_assert_false (sigma_runner_perform (runner, done, 0, NULL, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "agent_done"));

  result = sigma_runner_finish (runner, NULL);
  again = sigma_runner_finish (runner, NULL);
  g_assert_true (result == again);
}

static char *
log_text (SigmaRunResult *result)
{
  return sigma_event_log_to_string (sigma_run_result_get_log (result));
}

static void
test_oracle_agent (void)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(SigmaScenario) scenario2 = scenario_new ();
  g_autoptr(SigmaAgent) oracle = sigma_oracle_agent_new ();
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, oracle);
  g_autoptr(SigmaRunResult) result = sigma_runner_run (runner, NULL, NULL);
  g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
  g_autofree char *by_runner = NULL;
  g_autofree char *by_env = NULL;

  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_PASSED);
  g_assert_cmpstr (sigma_run_result_get_agent_name (result), ==, "oracle");

  /* the same log as the environment's own oracle mode */
  sigma_environment_set_oracle_mode (env, TRUE);
  sigma_notification_system_set_verbosity (sigma_environment_get_notifications (env), SIGMA_VERBOSITY_MEDIUM);
  g_assert_true (sigma_scenario_setup (scenario2, env, NULL));
  g_assert_true (sigma_environment_run (env, NULL));
  by_runner = log_text (result);
  by_env = sigma_event_log_to_string (sigma_environment_get_log (env));
  g_assert_cmpstr (by_runner, ==, by_env);
}

static void
test_deterministic (void)
{
  g_autoptr(SigmaRunResult) a = run_script (GOOD_SCRIPT, 7, NULL);
  g_autoptr(SigmaRunResult) b = run_script (GOOD_SCRIPT, 7, NULL);
  g_autofree char *text_a = log_text (a);
  g_autofree char *text_b = log_text (b);

  g_assert_cmpstr (text_a, ==, text_b);
}

static void
test_agent_error_is_infrastructure (void)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(RecAgent) agent = rec_agent_new (GOOD_SCRIPT);
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, SIGMA_AGENT (agent));
  g_autoptr(SigmaRunResult) result = NULL;

  agent->fail_at_step = TRUE;
  agent->fail_step = 1;
  result = sigma_runner_run (runner, NULL, NULL);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_ERROR);
  g_assert_cmpint (sigma_run_result_get_end_reason (result), ==, SIGMA_END_REASON_ERROR);
  g_assert_cmpstr (sigma_run_result_get_rationale (result), ==,
                   "Agent: the model endpoint refused the connection");
}

static void
test_cancelled (void)
{
  g_autoptr(SigmaScenario) scenario = scenario_new ();
  g_autoptr(RecAgent) agent = rec_agent_new (GOOD_SCRIPT);
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, SIGMA_AGENT (agent));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SigmaRunResult) result = NULL;

  g_cancellable_cancel (cancellable);
  result = sigma_runner_run (runner, cancellable, NULL);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_ERROR);
  g_assert_cmpuint (sigma_run_result_get_steps (result), ==, 0);
}

static void
test_script_errors (void)
{
  const char *bad[] = {
    "{\"tool\": \"x\"}",
    "[{\"tool\": 3}]",
    "[{\"message\": \"ok\"}, {\"tool\": \"A__b\", \"args\": []}]",
    "[{\"wait\": -1}]",
    "[{\"nothing\": 1}]",
  };
  const char *expected[] = {
    "A script must be a JSON array of actions, not JsonObject",
    "Script action 0: Agent action member 'tool' must be a non-empty string",
    "Script action 1: Agent action 'A__b': member 'args' must be an object, not JsonArray",
    "Script action 0: Agent action member 'wait' must be a number of seconds ≥ 0",
    "Script action 0: An agent action needs one of 'tool', 'message', 'wait' or 'done'",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaAgent) none = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(SigmaAgent) agent = sigma_scripted_agent_new_from_json (node, &error);

      g_assert_null (agent);
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, expected[i]);
      g_clear_error (&error);
    }
  none = sigma_scripted_agent_new_from_file ("/nonexistent/script.json", &error);
  g_assert_null (none);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "/nonexistent/script.json"));
}

static void
test_action_json_round_trip (void)
{
  const char *forms[] = {
    "{\"tool\":\"Contacts__search_contacts\",\"args\":{\"query\":\"Ada\"}}",
    "{\"message\":\"Hello\"}",
    "{\"wait\":30.0}",
    "{\"done\":true}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (forms[i], NULL);
      g_autoptr(SigmaAgentAction) action = sigma_agent_action_new_from_json (node, NULL);
      g_autoptr(JsonNode) back = sigma_agent_action_to_json (action);
      g_autofree char *text = json_to_string (back, FALSE);

      g_assert_cmpstr (text, ==, forms[i]);
    }
}

/* The Gaia2 corpus scenario: the oracle passes; an agent that does nothing fails with the
 * judge's rationale. */
static void
test_are_scenario (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SIGMA_CORPUS_DIR"), "gaia2",
                                            "scenario_universe_30_997a5b.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaJsonScenario) s1 = NULL;
  g_autoptr(SigmaJsonScenario) s2 = NULL;
  g_autoptr(SigmaAgent) oracle = sigma_oracle_agent_new ();
  g_autoptr(RecAgent) lazy = rec_agent_new ("[{\"message\": \"Sorry, I cannot help.\"}]");
  g_autoptr(SigmaRunner) r1 = NULL;
  g_autoptr(SigmaRunner) r2 = NULL;
  g_autoptr(SigmaRunResult) pass = NULL;
  g_autoptr(SigmaRunResult) fail = NULL;

  s1 = sigma_json_scenario_new_from_file (path, SIGMA_JSON_STRICT, &error);
  g_assert_no_error (error);
  s2 = sigma_json_scenario_new_from_file (path, SIGMA_JSON_STRICT, &error);
  g_assert_no_error (error);
  r1 = sigma_runner_new (SIGMA_SCENARIO (s1), oracle);
  r2 = sigma_runner_new (SIGMA_SCENARIO (s2), SIGMA_AGENT (lazy));
  pass = sigma_runner_run (r1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_run_result_get_status (pass), ==, SIGMA_RUN_STATUS_PASSED);
  fail = sigma_runner_run (r2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_run_result_get_status (fail), ==, SIGMA_RUN_STATUS_FAILED);
  g_assert_cmpint (sigma_run_result_get_end_reason (fail), ==, SIGMA_END_REASON_LAST_TURN);
  g_assert_nonnull (strstr (sigma_run_result_get_rationale (fail), "Agent count 0, Oracle count"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sigma/runner/scripted-pass", test_scripted_pass);
  g_test_add_func ("/sigma/runner/wrong-agent-fails", test_wrong_agent_fails);
  g_test_add_func ("/sigma/runner/done-ends-run", test_done_ends_run);
  g_test_add_func ("/sigma/runner/max-steps", test_max_steps);
  g_test_add_func ("/sigma/runner/tool-error-reaches-agent", test_tool_error_reaches_agent);
  g_test_add_func ("/sigma/runner/wait-jumps-clock", test_wait_jumps_clock);
  g_test_add_func ("/sigma/runner/perform-states", test_perform_states);
  g_test_add_func ("/sigma/runner/oracle-agent", test_oracle_agent);
  g_test_add_func ("/sigma/runner/deterministic", test_deterministic);
  g_test_add_func ("/sigma/runner/agent-error-is-infrastructure", test_agent_error_is_infrastructure);
  g_test_add_func ("/sigma/runner/cancelled", test_cancelled);
  g_test_add_func ("/sigma/runner/script-errors", test_script_errors);
  g_test_add_func ("/sigma/runner/action-json-round-trip", test_action_json_round_trip);
  g_test_add_func ("/sigma/runner/are-scenario", test_are_scenario);

  return g_test_run ();
}
