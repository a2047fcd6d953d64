/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Tests of SigmaJudge, Gaia2's graph-per-event judge (validation.md §2).
 *
 * Every scenario test builds two logs by hand: an oracle run (the scenario's events, oracle
 * mode) and an agent run (the same environment and user events, plus tool calls made at
 * chosen times through sigma_environment_call_tool()). Both environments hold the tiny
 * JudgeTestApp below, instantiated under the app names Gaia2 uses, with WRITE and READ
 * tools whose names are in ARE's checker registry. */

#include <string.h>

#include <sigma.h>
#include "sigma-judge.h"
#include "sigma-arg-checkers.h"

#define S 1700000000.0   /* 2023-11-14 22:13:20 UTC, a Tuesday */
#define AUI "AgentUserInterface"

/* ------------------------------------------------------------------------------------ */
/* A tiny app: tools with nullable parameters that default to null                       */

#define JUDGE_TYPE_TEST_APP (judge_test_app_get_type ())
G_DECLARE_FINAL_TYPE (JudgeTestApp, judge_test_app, JUDGE, TEST_APP, SigmaApp)

struct _JudgeTestApp
{
  SigmaApp  parent_instance;
  JsonNode *state;
};

G_DEFINE_FINAL_TYPE (JudgeTestApp, judge_test_app, SIGMA_TYPE_APP)

typedef struct
{
  const char         *app;
  const char         *tool;
  SigmaToolOperation  operation;
  const char         *params;   /* comma-separated */
} ToolDecl;

#define W SIGMA_TOOL_OPERATION_WRITE
#define R SIGMA_TOOL_OPERATION_READ

static const ToolDecl tool_decls[] = {
  { AUI, "send_message_to_user", W, "content" },
  { AUI, "send_message_to_agent", W, "content" },
  { "Emails", "send_email", W, "recipients,subject,content,cc,attachment_paths" },
  { "Emails", "list_emails", R, "folder" },
  { "Emails", "add_email", W, "subject" },
  { "Emails", "fail_write", W, "reason" },
  { "Mailbox", "send_email", W, "recipients,subject,content,cc,attachment_paths" },
  { "Contacts", "add_new_contact", W, "first_name,last_name,email,phone" },
  { "Contacts", "edit_contact", W, "contact_id,updates" },
  { "Calendar", "add_calendar_event", W, "title,start_datetime,end_datetime,attendees,description,location,tag" },
  { "Shopping", "add_to_cart", W, "item_id,quantity" },
  { "Shopping", "checkout", W, "discount_code" },
  { "Chats", "create_group_conversation", W, "user_ids,title" },
  { "Chats", "send_message_to_group_conversation", W, "conversation_id,content,attachment_path" },
  { "CabApp", "get_quotation", W, "start_location,end_location" },
  { "Reminders", "add_reminder", W, "title" },
};

static const char * const app_names[] = {
  AUI, "Emails", "Mailbox", "Contacts", "Calendar", "Shopping", "Chats", "CabApp", "Reminders",
};

static JsonNode *
test_tool_cb (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  const char *tool = user_data;

  if (g_str_equal (tool, "fail_write"))
    {
      g_set_error_literal (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED, "This tool always fails");
      return NULL;
    }
  if (g_str_equal (tool, "create_group_conversation"))
    {
      g_autofree char *id = g_strdup_printf ("conv-%.0f", sigma_app_get_time (app) - S);
      return json_node_init_string (json_node_alloc (), id);
    }
  if (g_str_equal (tool, "send_message_to_user") || g_str_equal (tool, "send_message_to_agent"))
    return NULL;
  {
    g_autofree char *id = g_strdup_printf ("%s-%.0f", tool, sigma_app_get_time (app) - S);
    return json_node_init_string (json_node_alloc (), id);
  }
}

static JsonNode *
judge_test_app_get_state (SigmaApp *app)
{
  JudgeTestApp *self = JUDGE_TEST_APP (app);

  return self->state != NULL ? json_node_copy (self->state) : NULL;
}

static void
judge_test_app_finalize (GObject *object)
{
  JudgeTestApp *self = JUDGE_TEST_APP (object);

  g_clear_pointer (&self->state, json_node_unref);
  G_OBJECT_CLASS (judge_test_app_parent_class)->finalize (object);
}

static void
judge_test_app_constructed (GObject *object)
{
  SigmaApp *app = SIGMA_APP (object);
  const char *name;

  G_OBJECT_CLASS (judge_test_app_parent_class)->constructed (object);

  name = sigma_app_get_name (app);
  for (guint i = 0; i < G_N_ELEMENTS (tool_decls); i++)
    {
      g_auto(GStrv) params = NULL;
      SigmaTool *tool;

      if (!g_str_equal (tool_decls[i].app, name))
        continue;
      tool = sigma_tool_new (tool_decls[i].tool, "A test tool.",
                             SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_USER | SIGMA_TOOL_ROLE_ENV,
                             tool_decls[i].operation);
      params = g_strsplit (tool_decls[i].params, ",", -1);
      for (guint p = 0; params[p] != NULL; p++)
        if (params[p][0] != '\0')
          {
            sigma_tool_add_optional_parameter (tool, params[p], SIGMA_VALUE_TYPE_ANY, "A parameter.", NULL);
            sigma_tool_set_parameter_nullable (tool, params[p], TRUE);
          }
      sigma_tool_set_handler (tool, test_tool_cb, (gpointer) tool_decls[i].tool, NULL);
      sigma_app_add_tool (app, tool);
      sigma_tool_unref (tool);
    }
}

static void
judge_test_app_class_init (JudgeTestAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->constructed = judge_test_app_constructed;
  object_class->finalize = judge_test_app_finalize;
  app_class->get_state = judge_test_app_get_state;
}

static void
judge_test_app_init (JudgeTestApp *self)
{
}

/* ------------------------------------------------------------------------------------ */
/* Scenario helpers                                                                      */

typedef struct
{
  const char          *id;
  SigmaEventType       type;       /* AGENT: an oracle event */
  const char          *app;
  const char          *tool;
  const char          *args;       /* JSON object */
  const char          *parent;     /* id, or NULL for a root */
  gdouble              delay;
  gdouble              absolute;   /* > 0: absolute time S + absolute */
  SigmaTimeComparator  comparator;
  const char          *parent2;
} EventSpec;

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json != NULL ? json : "{}", &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
parse_node (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static SigmaEnvironment *
new_env (void)
{
  SigmaEnvironment *env = sigma_environment_new ();

  sigma_environment_set_start_time (env, S);
  for (guint i = 0; i < G_N_ELEMENTS (app_names); i++)
    {
      g_autoptr(GError) error = NULL;
      /* the ARE class of each app is its name, except Mailbox: an EmailClientV2 */
      const char *class_name = g_str_equal (app_names[i], "Mailbox") ? "EmailClientV2" : app_names[i];
      g_autoptr(SigmaApp) app = g_object_new (JUDGE_TYPE_TEST_APP, "name", app_names[i],
                                              "class-name", class_name, NULL);

      sigma_environment_add_app (env, app, &error);
      g_assert_no_error (error);
    }
  return env;
}

static void
schedule_specs (SigmaEnvironment *env,
                const EventSpec  *specs,
                gboolean          oracles)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; specs[i].id != NULL; i++)
    {
      const EventSpec *spec = &specs[i];
      g_autoptr(JsonObject) args = parse_object (spec->args);
      SigmaEvent *event;

      if (spec->type == SIGMA_EVENT_TYPE_AGENT)
        {
          if (!oracles)
            continue;
          event = sigma_oracle_event_new (spec->app, spec->tool, args);
          sigma_oracle_event_set_comparator (SIGMA_ORACLE_EVENT (event), spec->comparator);
        }
      else
        event = sigma_action_event_new (spec->type, spec->app, spec->tool, args);

      sigma_event_set_event_id (event, spec->id);
      if (spec->absolute > 0)
        sigma_event_set_event_time (event, S + spec->absolute);
      else
        sigma_event_set_delay (event, spec->delay);
      if (spec->parent != NULL)
        sigma_event_depends_on (event, g_hash_table_lookup (by_id, spec->parent));
      if (spec->parent2 != NULL)
        sigma_event_depends_on (event, g_hash_table_lookup (by_id, spec->parent2));
      g_hash_table_insert (by_id, (gpointer) spec->id, event);
      g_ptr_array_add (events, event);
    }

  sigma_environment_schedule_events (env, events, &error);
  g_assert_no_error (error);
}

/* The oracle run of a scenario. */
static SigmaEnvironment *
oracle_run (const EventSpec *specs)
{
  g_autoptr(GError) error = NULL;
  SigmaEnvironment *env = new_env ();

  schedule_specs (env, specs, TRUE);
  sigma_environment_set_oracle_mode (env, TRUE);
  sigma_environment_run (env, &error);
  g_assert_no_error (error);
  return env;
}

/* An environment or user event of the agent run, at S + @at. */
static void
schedule_at (SigmaEnvironment *env,
             const char       *id,
             SigmaEventType    type,
             const char       *app,
             const char       *tool,
             const char       *args_json,
             gdouble           at)
{
  g_autoptr(JsonObject) args = parse_object (args_json);
  g_autoptr(SigmaEvent) event = sigma_action_event_new (type, app, tool, args);
  g_autoptr(GError) error = NULL;

  sigma_event_set_event_id (event, id);
  sigma_event_set_event_time (event, S + at);
  sigma_environment_schedule (env, event, &error);
  g_assert_no_error (error);
}

/* The agent calls a tool at S + @at. Returns the id of the logged event. */
static char *
act (SigmaEnvironment *env,
     gdouble           at,
     const char       *app,
     const char       *tool,
     const char       *args_json)
{
  g_autoptr(JsonObject) args = parse_object (args_json);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  sigma_environment_run_until (env, S + at, &error);
  g_assert_no_error (error);
  result = sigma_environment_call_tool (env, app, tool, args, SIGMA_EVENT_TYPE_AGENT, &error);
  g_clear_error (&error);   /* failed calls are logged, and part of some tests */
  return g_strdup (sigma_completed_event_get_event_id (sigma_environment_get_last_event (env)));
}

static void
act_ (SigmaEnvironment *env,
      gdouble           at,
      const char       *app,
      const char       *tool,
      const char       *args_json)
{
  g_free (act (env, at, app, tool, args_json));
}

static SigmaVerdict *
judge_with (SigmaJudge       *judge,
            SigmaEnvironment *oracle,
            SigmaEnvironment *agent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaJudge) own = judge != NULL ? g_object_ref (judge) : sigma_judge_new ();
  SigmaVerdict *verdict = sigma_judge_judge (own, sigma_environment_get_log (oracle),
                                             sigma_environment_get_log (agent), &error);

  g_assert_no_error (error);
  g_assert_nonnull (verdict);
  if (sigma_verdict_get_rationale (verdict) != NULL)
    g_test_message ("rationale:\n%s", sigma_verdict_get_rationale (verdict));
  return verdict;
}

#define assert_contains(haystack, needle) G_STMT_START {                                   \
    const char *h__ = (haystack);                                                           \
    const char *n__ = (needle);                                                             \
    if (h__ == NULL || strstr (h__, n__) == NULL)                                           \
      g_error ("%s:%d: expected to find\n%s\nin\n%s", __FILE__, __LINE__, n__,               \
               h__ != NULL ? h__ : "(null)");                                               \
  } G_STMT_END

#define assert_not_contains(haystack, needle) G_STMT_START {                               \
    const char *h__ = (haystack);                                                           \
    if (h__ != NULL && strstr (h__, (needle)) != NULL)                                      \
      g_error ("%s:%d: did not expect\n%s\nin\n%s", __FILE__, __LINE__, (needle), h__);       \
  } G_STMT_END

static void
assert_passed (SigmaVerdict *verdict)
{
  if (!sigma_verdict_get_passed (verdict))
    g_error ("expected a pass, got:\n%s", sigma_verdict_get_rationale (verdict));
  g_assert_null (sigma_verdict_get_rationale (verdict));
  g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==, "None");
}

static void
assert_failed (SigmaVerdict *verdict)
{
  g_assert_false (sigma_verdict_get_passed (verdict));
  g_assert_nonnull (sigma_verdict_get_rationale (verdict));
}

/* ------------------------------------------------------------------------------------ */
/* The base scenario: the user asks for an email; the oracle sends it, then replies      */

#define TASK "{\"content\": \"Send the report to Bob\"}"
#define EMAIL_ARGS "{\"recipients\": [\"bob@x.com\"], \"subject\": \"Report\", \"content\": \"Here is the report.\", \"cc\": [], \"attachment_paths\": []}"
#define DONE "{\"content\": \"Done.\"}"

static const EventSpec email_scenario[] = {
  { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
  { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "u0", 5 },
  { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
  { NULL }
};

static SigmaEnvironment *
email_agent (void)
{
  SigmaEnvironment *env = new_env ();

  schedule_at (env, "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, 0);
  return env;
}

static void
test_pass (void)
{
  g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
  g_autoptr(SigmaEnvironment) agent = email_agent ();
  g_autoptr(SigmaVerdict) verdict = NULL;
  g_autofree char *email_id = NULL;
  g_autofree char *smu_id = NULL;

  g_test_summary ("An agent that does what the oracle did passes; the verdict maps agent events "
                  "to oracle events and names the soft judge");

  email_id = act (agent, 4, "Emails", "send_email", EMAIL_ARGS);
  smu_id = act (agent, 6, AUI, "send_message_to_user", DONE);
  verdict = judge_with (NULL, oracle, agent);

  assert_passed (verdict);
  g_assert_cmpuint (sigma_verdict_get_n_turns (verdict), ==, 1);
  g_assert_true (sigma_verdict_get_turn_passed (verdict, 0));
  g_assert_true (sigma_verdict_get_turn_judged (verdict, 0));
  g_assert_cmpint (sigma_verdict_get_failed_turn (verdict), ==, -1);
  g_assert_null (sigma_verdict_get_exception (verdict));
  g_assert_cmpstr (sigma_verdict_get_soft_judge (verdict), ==, "exact");
  g_assert_cmpuint (sigma_verdict_get_n_soft_calls (verdict), ==, 0);
  g_assert_cmpstr (sigma_verdict_lookup_oracle_event (verdict, email_id), ==, "o_email");
  g_assert_cmpstr (sigma_verdict_lookup_oracle_event (verdict, smu_id), ==, "o_smu");
  g_assert_cmpstr (sigma_verdict_lookup_agent_event (verdict, "o_email"), ==, email_id);
  g_assert_cmpstr (sigma_verdict_lookup_agent_event (verdict, "u0"), ==, "u0");
}

static void
test_verdict_json (void)
{
  g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
  g_autoptr(SigmaEnvironment) agent = email_agent ();
  g_autoptr(SigmaVerdict) verdict = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *email_id = NULL;
  JsonObject *root, *turn, *failure, *attempt, *soft, *config;
  JsonArray *turns, *oracle_events, *attempts;

  g_test_summary ("sigma_verdict_to_json() renders the verdict, the per-turn matches and the "
                  "failure with the agent event, the oracle event and the failed argument");

  email_id = act (agent, 4, "Emails", "send_email",
                  "{\"recipients\": [\"carol@x.com\"], \"subject\": \"Report\", \"content\": \"Here is the report.\"}");
  act_ (agent, 6, AUI, "send_message_to_user", DONE);
  verdict = judge_with (NULL, oracle, agent);
  assert_failed (verdict);

  node = sigma_verdict_to_json (verdict);
  root = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (root, "passed"));
  g_assert_cmpint (json_object_get_int_member (root, "failed_turn"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "n_turns"), ==, 1);
  assert_contains (json_object_get_string_member (root, "are_rationale"),
                   "Failure: Agent did not perform the following oracle tool call:");
  soft = json_object_get_object_member (root, "soft_judge");
  g_assert_cmpstr (json_object_get_string_member (soft, "name"), ==, "exact");
  g_assert_cmpint (json_object_get_int_member (soft, "calls"), ==, 0);
  config = json_object_get_object_member (root, "config");
  g_assert_cmpfloat (json_object_get_double_member (config, "start_time"), ==, S);
  g_assert_cmpfloat (json_object_get_double_member (config, "post_event_tolerance_seconds"), ==, 25.0);

  turns = json_object_get_array_member (root, "turns");
  g_assert_cmpuint (json_array_get_length (turns), ==, 1);
  turn = json_array_get_object_element (turns, 0);
  g_assert_cmpstr (json_object_get_string_member (turn, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (turn, "task"), ==, "Send the report to Bob\n");
  oracle_events = json_object_get_array_member (turn, "oracle_events");
  g_assert_cmpuint (json_array_get_length (oracle_events), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (oracle_events, 0), "event_id"), ==, "u0");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (oracle_events, 0), "matched_agent_event_id"), ==, "u0");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (oracle_events, 1), "matched_agent_event_id"));

  failure = json_object_get_object_member (turn, "failure");
  g_assert_cmpstr (json_object_get_string_member (failure, "kind"), ==, "oracle_event_matching");
  g_assert_cmpstr (json_object_get_string_member (failure, "oracle_event_id"), ==, "o_email");
  attempts = json_object_get_array_member (failure, "attempts");
  g_assert_cmpuint (json_array_get_length (attempts), ==, 2);
  attempt = json_array_get_object_element (attempts, 0);
  g_assert_cmpstr (json_object_get_string_member (attempt, "agent_event_id"), ==, "u0");
  g_assert_cmpstr (json_object_get_string_member (attempt, "reason"), ==, "already matched");
  attempt = json_array_get_object_element (attempts, 1);
  g_assert_cmpstr (json_object_get_string_member (attempt, "agent_event_id"), ==, email_id);
  g_assert_cmpstr (json_object_get_string_member (attempt, "reason"), ==, "tool judge reject");
  g_assert_cmpstr (json_object_get_string_member (attempt, "check"), ==, "argument");
  g_assert_cmpstr (json_object_get_string_member (attempt, "argument"), ==, "recipients");
  g_assert_cmpstr (json_object_get_string_member (attempt, "checker"), ==, "unordered_list_checker");
  g_assert_true (json_object_has_member (json_object_get_object_member (root, "matches"), "u0"));
}

/* ------------------------------------------------------------------------------------ */
/* §2.2 the event filter                                                                 */

static const EventSpec email_with_read_scenario[] = {
  { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
  { "o_read", SIGMA_EVENT_TYPE_AGENT, "Emails", "list_emails", "{}", "u0", 1 },
  { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "u0", 5 },
  { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
  { NULL }
};

static void
test_filter (void)
{
  g_test_summary ("READ calls and failed calls are never judged, on either side; CabApp "
                  "get_quotation counts as a read; any successful extra WRITE is judged");

  /* pass: reads and failed writes around the expected calls; the oracle's READ is ignored */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_with_read_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 1, "Emails", "list_emails", "{}");
    act_ (agent, 2, "Emails", "list_emails", "{\"folder\": \"SENT\"}");
    act_ (agent, 3, "Emails", "fail_write", "{\"reason\": \"x\"}");
    act_ (agent, 3, "Emails", "send_email", "{\"bogus_argument\": 1}");   /* fails validation */
    act_ (agent, 3, "CabApp", "get_quotation", "{\"start_location\": \"Home\"}");
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  /* fail: a successful WRITE is judged, and the turn has one send_email too many */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_with_read_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autofree char *extra = NULL;

    act_ (agent, 1, "Emails", "list_emails", "{}");
    extra = act (agent, 2, "Emails", "send_email", "{\"recipients\": [\"bob@x.com\"], \"content\": \"draft\"}");
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                     "Failure: \nAgent and oracle counters do not match for the following tools:\n"
                     "- Tool 'Emails__send_email': Agent count 2, Oracle count 1");
    assert_contains (sigma_verdict_get_rationale (verdict), extra);
    assert_not_contains (sigma_verdict_get_rationale (verdict), "list_emails");
  }

  /* EmailClientV2.add_email made by the agent is treated as an ENV event */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    sigma_judge_set_app_class_name (judge, "Emails", "EmailClientV2");
    act_ (agent, 2, "Emails", "add_email", "{\"subject\": \"x\"}");
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (judge, oracle, agent);
    assert_failed (verdict);
    assert_contains (sigma_verdict_get_are_rationale (verdict),
                     "- Tool 'EmailClientV2__add_email': Agent count 1, Oracle count 0");
  }
}

/* ------------------------------------------------------------------------------------ */
/* §2.5 (1) the per-tool call counts and the send_message_to_user slack                  */

static const EventSpec no_reply_scenario[] = {
  { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
  { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "u0", 5 },
  { NULL }
};

static void
test_counts (void)
{
  g_test_summary ("The tool-call multiset must match; the agent may send one more message to "
                  "the user than the oracle, never fewer");

  /* a missing write: the count check fails and the details name the oracle event */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                     "Failure: \nAgent and oracle counters do not match for the following tools:\n"
                     "- Tool 'Emails__send_email': Agent count 0, Oracle count 1");
    assert_contains (sigma_verdict_get_rationale (verdict),
                     "- tool 'Emails__send_email': oracle events o_email; agent events none");
  }

  /* no reply at all */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                     "Failure: \nOracle sent 1 more message(s) than agent.");
    assert_contains (sigma_verdict_get_rationale (verdict), "oracle events o_smu; agent events none");
  }

  /* the slack: the oracle turn has no reply, the agent may send one … */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (no_reply_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  /* … or none … */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (no_reply_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  /* … but not when the slack is 0 */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (no_reply_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaJudge) judge = g_object_new (SIGMA_TYPE_JUDGE, "extra-send-message-to-user-allowed", 0, NULL);
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (judge, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                     "Failure: \nAgent message to user count exceeds oracle AUI count by more than 0.");
  }

  /* an extra message in mid-turn closes the slice early: the email lands in the next one */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 2, AUI, "send_message_to_user", "{\"content\": \"Working on it\"}");
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    assert_contains (sigma_verdict_get_are_rationale (verdict),
                     "- Tool 'Emails__send_email': Agent count 0, Oracle count 1");
  }

  /* an extra message after the last expected one lands in a slice that is never judged */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    act_ (agent, 8, AUI, "send_message_to_user", "{\"content\": \"Anything else?\"}");
    act_ (agent, 9, "Shopping", "checkout", "{}");
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }
}

static void
test_extra_write (void)
{
  g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
  g_autoptr(SigmaEnvironment) agent = email_agent ();
  g_autoptr(SigmaVerdict) verdict = NULL;
  g_autofree char *extra = NULL;

  g_test_summary ("A WRITE the oracle did not make fails the turn, even a harmless one, and "
                  "the rationale names it");

  act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
  extra = act (agent, 5, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}");
  act_ (agent, 6, AUI, "send_message_to_user", DONE);
  verdict = judge_with (NULL, oracle, agent);
  assert_failed (verdict);
  g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                   "Failure: \nAgent and oracle counters do not match for the following tools:\n"
                   "- Tool 'Shopping__add_to_cart': Agent count 1, Oracle count 0");
  assert_contains (sigma_verdict_get_rationale (verdict), "oracle events none; agent events ");
  assert_contains (sigma_verdict_get_rationale (verdict), extra);
}

/* ------------------------------------------------------------------------------------ */
/* §2.5 (2) matching: checked arguments, removed writes, greedy order                    */

static void
test_arguments (void)
{
  g_test_summary ("A changed checked argument fails and names the argument; unchecked "
                  "arguments and list order do not matter");

  /* fail: another recipient */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autofree char *email_id = NULL;
    g_autofree char *expected = NULL;

    email_id = act (agent, 4, "Emails", "send_email",
                    "{\"recipients\": [\"carol@x.com\"], \"subject\": \"Report\", \"content\": \"Here is the report.\"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);

    expected = g_strdup_printf ("Failure: Agent did not perform the following oracle tool call:\n"
                                "tool name: Emails__send_email\n"
                                "tool args:\n"
                                "-recipients: ['bob@x.com']\n"
                                "-subject: Report\n"
                                "-content: Here is the report.\n"
                                "-cc: []\n"
                                "-attachment_paths: []\n"
                                "\n"
                                "List of matching attempts:\n"
                                "-Failure matching agent event (ID: u0) with oracle event (ID: o_email), "
                                "reason: already matched\n"
                                "-Failure matching agent event (ID: %s) with oracle event (ID: o_email), "
                                "reason: tool judge reject", email_id);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==, expected);
    assert_contains (sigma_verdict_get_rationale (verdict), "oracle event o_email (Emails__send_email) was not matched");
    assert_contains (sigma_verdict_get_rationale (verdict),
                     "argument 'recipients' (unordered_list_checker): agent ['carol@x.com'], oracle ['bob@x.com']");
    assert_contains (sigma_verdict_get_rationale (verdict), email_id);
  }

  /* pass: recipients in another order with a duplicate; the tag of a calendar event is unchecked */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email",
        "{\"recipients\": [\"bob@x.com\", \"amy@x.com\"], \"subject\": \"Report\"}", "u0", 5 },
      { "o_event", SIGMA_EVENT_TYPE_AGENT, "Calendar", "add_calendar_event",
        "{\"title\": \"Review\", \"start_datetime\": \"2023-11-15 10:00:00\", "
        "\"end_datetime\": \"2023-11-15 11:00:00\", \"tag\": \"work\"}", "u0", 5 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1, 0, 0, "o_event" },
      { NULL }
    };
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 3, "Calendar", "add_calendar_event",
          "{\"title\": \"review!\", \"start_datetime\": \"2023-11-15 10:00:00\", "
          "\"end_datetime\": \"2023-11-15 11:00:00\", \"tag\": \"personal\"}");
    act_ (agent, 4, "Emails", "send_email",
          "{\"recipients\": [\"amy@x.com\", \"bob@x.com\", \"amy@x.com\"], \"subject\": \"report\"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }
}

static void
test_removed_write (void)
{
  static const EventSpec scenario[] = {
    { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
    { "o_bob", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", "{\"recipients\": [\"bob@x.com\"]}", "u0", 5 },
    { "o_amy", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", "{\"recipients\": [\"amy@x.com\"]}", "u0", 5 },
    { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_bob", 1, 0, 0, "o_amy" },
    { NULL }
  };

  g_test_summary ("A removed write fails and names the oracle event; independent oracle calls "
                  "may come in any order; one agent call cannot match two oracle calls");

  /* removed: only Bob gets an email */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", "{\"recipients\": [\"bob@x.com\"]}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    assert_contains (sigma_verdict_get_are_rationale (verdict), "Agent count 1, Oracle count 2");
    assert_contains (sigma_verdict_get_rationale (verdict), "oracle events o_amy, o_bob");
  }

  /* both, in the other order */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autofree char *amy = NULL;
    g_autofree char *bob = NULL;

    amy = act (agent, 3, "Emails", "send_email", "{\"recipients\": [\"amy@x.com\"]}");
    bob = act (agent, 4, "Emails", "send_email", "{\"recipients\": [\"bob@x.com\"]}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
    g_assert_cmpstr (sigma_verdict_lookup_agent_event (verdict, "o_bob"), ==, bob);
    g_assert_cmpstr (sigma_verdict_lookup_agent_event (verdict, "o_amy"), ==, amy);
  }

  /* the same email twice: o_amy (first in the oracle log) takes the first, and o_bob finds it
   * already matched and rejects the second */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    g_autofree char *lines = NULL;

    first = act (agent, 3, "Emails", "send_email", "{\"recipients\": [\"amy@x.com\"]}");
    second = act (agent, 4, "Emails", "send_email", "{\"recipients\": [\"amy@x.com\"]}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_lookup_agent_event (verdict, "o_amy"), ==, first);
    lines = g_strdup_printf ("List of matching attempts:\n"
                             "-Failure matching agent event (ID: u0) with oracle event (ID: o_bob), reason: already matched\n"
                             "-Failure matching agent event (ID: %s) with oracle event (ID: o_bob), reason: already matched\n"
                             "-Failure matching agent event (ID: %s) with oracle event (ID: o_bob), reason: tool judge reject",
                             first, second);
    assert_contains (sigma_verdict_get_are_rationale (verdict), "tool name: Emails__send_email\ntool args:\n-recipients: ['bob@x.com']");
    assert_contains (sigma_verdict_get_are_rationale (verdict), lines);
    assert_contains (sigma_verdict_get_rationale (verdict), "already matched to oracle event o_amy");
  }
}

/* ------------------------------------------------------------------------------------ */
/* Causality and placeholders                                                            */

static const EventSpec cart_scenario[] = {
  { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Buy a pen\"}", NULL, 0 },
  { "o_cart", SIGMA_EVENT_TYPE_AGENT, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}", "u0", 2 },
  { "o_checkout", SIGMA_EVENT_TYPE_AGENT, "Shopping", "checkout", "{\"discount_code\": \"SAVE\"}", "o_cart", 1 },
  { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_checkout", 1 },
  { NULL }
};

static SigmaEnvironment *
cart_agent (void)
{
  SigmaEnvironment *env = new_env ();

  schedule_at (env, "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Buy a pen\"}", 0);
  return env;
}

static void
test_causality (void)
{
  g_test_summary ("An agent event that comes before the match of its oracle parent fails with "
                  "reason causality");

  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (cart_scenario);
    g_autoptr(SigmaEnvironment) agent = cart_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 3, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}");
    act_ (agent, 5, "Shopping", "checkout", "{\"discount_code\": \" SAVE \"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (cart_scenario);
    g_autoptr(SigmaEnvironment) agent = cart_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autofree char *checkout = NULL;
    g_autofree char *cart = NULL;
    g_autofree char *line = NULL;
    g_autofree char *detail = NULL;

    checkout = act (agent, 3, "Shopping", "checkout", "{\"discount_code\": \"SAVE\"}");
    cart = act (agent, 5, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    line = g_strdup_printf ("-Failure matching agent event (ID: %s) with oracle event (ID: o_checkout), "
                            "reason: causality", checkout);
    assert_contains (sigma_verdict_get_are_rationale (verdict), "tool name: Shopping__checkout");
    assert_contains (sigma_verdict_get_are_rationale (verdict), line);
    detail = g_strdup_printf ("causality: the parent oracle event o_cart is matched to agent event %s, "
                              "which does not come before this one", cart);
    assert_contains (sigma_verdict_get_rationale (verdict), detail);
  }
}

static const EventSpec group_scenario[] = {
  { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Start a group\"}", NULL, 0 },
  { "o_create", SIGMA_EVENT_TYPE_AGENT, "Chats", "create_group_conversation",
    "{\"user_ids\": [\"u1\", \"u2\"], \"title\": \"Team\"}", "u0", 2 },
  { "o_send", SIGMA_EVENT_TYPE_AGENT, "Chats", "send_message_to_group_conversation",
    "{\"conversation_id\": \"{{o_create}}\", \"content\": \"Hello team\"}", "o_create", 1 },
  { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_send", 1 },
  { NULL }
};

static void
test_placeholders (void)
{
  g_test_summary ("An oracle argument {{id}} takes the return value of the agent event matched "
                  "to oracle event id: the agent must reuse its own id");

  /* the oracle run created conv-2; the agent creates conv-4 and must use it */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (group_scenario);
    g_autoptr(SigmaEnvironment) agent = new_env ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    schedule_at (agent, "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Start a group\"}", 0);
    act_ (agent, 4, "Chats", "create_group_conversation", "{\"user_ids\": [\"u2\", \"u1\"], \"title\": \"Team\"}");
    act_ (agent, 5, "Chats", "send_message_to_group_conversation",
          "{\"conversation_id\": \"conv-4\", \"content\": \"Hello team\"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (group_scenario);
    g_autoptr(SigmaEnvironment) agent = new_env ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    schedule_at (agent, "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Start a group\"}", 0);
    act_ (agent, 4, "Chats", "create_group_conversation", "{\"user_ids\": [\"u2\", \"u1\"], \"title\": \"Team\"}");
    act_ (agent, 5, "Chats", "send_message_to_group_conversation",
          "{\"conversation_id\": \"conv-2\", \"content\": \"Hello team\"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    assert_contains (sigma_verdict_get_are_rationale (verdict), "-conversation_id: conv-4");
    assert_contains (sigma_verdict_get_rationale (verdict),
                     "argument 'conversation_id' (eq_checker): agent 'conv-2', oracle 'conv-4'");
  }
}

/* ------------------------------------------------------------------------------------ */
/* §2.6 the time check                                                                   */

/* The email scenario with the email @delay after the user's message, a comparator, and
 * optionally an absolute time. The agent sends the email at S + @at. */
static SigmaVerdict *
judge_timed_email (gdouble              delay,
                   SigmaTimeComparator  comparator,
                   gdouble              absolute,
                   gdouble              at,
                   SigmaJudge          *judge)
{
  EventSpec scenario[] = {
    { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
    { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "u0", delay, absolute, comparator },
    { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
    { NULL }
  };
  g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
  g_autoptr(SigmaEnvironment) agent = email_agent ();

  act_ (agent, at, "Emails", "send_email", EMAIL_ARGS);
  act_ (agent, at + 1, AUI, "send_message_to_user", DONE);
  return judge_with (judge, oracle, agent);
}

static void
assert_time_verdict (gdouble              delay,
                     SigmaTimeComparator  comparator,
                     gdouble              absolute,
                     gdouble              at,
                     gboolean             passes)
{
  g_autoptr(SigmaVerdict) verdict = judge_timed_email (delay, comparator, absolute, at, NULL);

  g_test_message ("delay %g, comparator %d, absolute %g, agent at +%g: expect %s",
                  delay, comparator, absolute, at, passes ? "pass" : "fail");
  if (passes)
    assert_passed (verdict);
  else
    {
      assert_failed (verdict);
      assert_contains (sigma_verdict_get_are_rationale (verdict), "oracle event (ID: o_email), reason: tool judge reject");
      assert_contains (sigma_verdict_get_rationale (verdict), "time: ");
    }
}

static void
test_time (void)
{
  g_test_summary ("Moving a write in time fails exactly when validation.md §2.6 checks it: a "
                  "comparator, or more than 1 s after the parents, or an absolute time; the "
                  "window is [-10 s, +25 s], one-sided for LESS_THAN and GREATER_THAN");

  /* no comparator, 5 s after the user's message: checked, relative window [-5, 30] */
  assert_time_verdict (5, SIGMA_TIME_COMPARATOR_NONE, 0, 30, TRUE);
  assert_time_verdict (5, SIGMA_TIME_COMPARATOR_NONE, 0, 31, FALSE);
  assert_time_verdict (5, SIGMA_TIME_COMPARATOR_NONE, 0, 0, TRUE);

  /* no comparator, at most 1 s after the parents: never checked */
  assert_time_verdict (1, SIGMA_TIME_COMPARATOR_NONE, 0, 100, TRUE);
  assert_time_verdict (0, SIGMA_TIME_COMPARATOR_NONE, 0, 500, TRUE);

  /* EQUAL: checked even at 1 s: window [-9, 26] */
  assert_time_verdict (1, SIGMA_TIME_COMPARATOR_EQUAL, 0, 26, TRUE);
  assert_time_verdict (1, SIGMA_TIME_COMPARATOR_EQUAL, 0, 27, FALSE);

  /* LESS_THAN: only a deadline (5 + 25) */
  assert_time_verdict (5, SIGMA_TIME_COMPARATOR_LESS_THAN, 0, 0, TRUE);
  assert_time_verdict (5, SIGMA_TIME_COMPARATOR_LESS_THAN, 0, 30, TRUE);
  assert_time_verdict (5, SIGMA_TIME_COMPARATOR_LESS_THAN, 0, 31, FALSE);

  /* GREATER_THAN: only an earliest time (20 - 10) */
  assert_time_verdict (20, SIGMA_TIME_COMPARATOR_GREATER_THAN, 0, 9, FALSE);
  assert_time_verdict (20, SIGMA_TIME_COMPARATOR_GREATER_THAN, 0, 10, TRUE);
  assert_time_verdict (20, SIGMA_TIME_COMPARATOR_GREATER_THAN, 0, 500, TRUE);

  /* an absolute oracle time S + 100: the agent's absolute time within [S + 90, S + 125] */
  assert_time_verdict (0, SIGMA_TIME_COMPARATOR_NONE, 100, 89, FALSE);
  assert_time_verdict (0, SIGMA_TIME_COMPARATOR_NONE, 100, 90, TRUE);
  assert_time_verdict (0, SIGMA_TIME_COMPARATOR_NONE, 100, 125, TRUE);
  assert_time_verdict (0, SIGMA_TIME_COMPARATOR_NONE, 100, 126, FALSE);
  assert_time_verdict (0, SIGMA_TIME_COMPARATOR_LESS_THAN, 100, 20, TRUE);

  /* the tolerances are properties */
  {
    g_autoptr(SigmaJudge) judge = g_object_new (SIGMA_TYPE_JUDGE, "post-event-tolerance", 5.0,
                                                "pre-event-tolerance", 1.0, NULL);
    g_autoptr(SigmaVerdict) late = judge_timed_email (5, SIGMA_TIME_COMPARATOR_NONE, 0, 11, judge);
    g_autoptr(SigmaVerdict) early = judge_timed_email (5, SIGMA_TIME_COMPARATOR_NONE, 0, 3, judge);
    g_autoptr(SigmaVerdict) fine = judge_timed_email (5, SIGMA_TIME_COMPARATOR_NONE, 0, 10, judge);

    assert_failed (late);
    assert_contains (sigma_verdict_get_rationale (late), "not within [4.000, 10.000]");
    assert_failed (early);
    assert_passed (fine);
  }

  /* the reference is the agent time of the matched parent: a late user message moves it */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "e_mail", SIGMA_EVENT_TYPE_ENV, "Emails", "add_email", "{\"subject\": \"Hi\"}", "u0", 10 },
      { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "e_mail", 5 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
      { NULL }
    };
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    /* in the agent run the email arrives at +100: the write at +104 is 4 s after it */
    schedule_at (agent, "e_mail", SIGMA_EVENT_TYPE_ENV, "Emails", "add_email", "{\"subject\": \"Hi\"}", 100);
    act_ (agent, 104, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 105, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  /* §4.1: a READ oracle step cuts the graph, so the write is timed from the start with the
   * accumulated delay (2 s > 1 s): window [-8, 27] */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_read", SIGMA_EVENT_TYPE_AGENT, "Emails", "list_emails", "{}", "u0", 1 },
      { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "o_read", 1 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
      { NULL }
    };

    for (guint late = 0; late < 2; late++)
      {
        g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
        g_autoptr(SigmaEnvironment) agent = email_agent ();
        g_autoptr(SigmaVerdict) verdict = NULL;

        act_ (agent, 1, "Emails", "list_emails", "{}");
        act_ (agent, late ? 30 : 27, "Emails", "send_email", EMAIL_ARGS);
        act_ (agent, 31, AUI, "send_message_to_user", DONE);
        verdict = judge_with (NULL, oracle, agent);
        if (late)
          {
            assert_failed (verdict);
            assert_contains (sigma_verdict_get_rationale (verdict), "time: the agent acted 30.000 s after its reference");
          }
        else
          assert_passed (verdict);
      }
  }
}

/* ------------------------------------------------------------------------------------ */
/* §2.3 multi-turn                                                                       */

static const EventSpec two_turn_scenario[] = {
  { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
  { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "u0", 5 },
  { "o_smu0", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
  { "u1", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Now buy a pen\"}", "o_smu0", 2 },
  { "o_cart", SIGMA_EVENT_TYPE_AGENT, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}", "u1", 3 },
  { "o_smu1", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", "{\"content\": \"Bought.\"}", "o_cart", 1 },
  { NULL }
};

static SigmaEnvironment *
two_turn_agent (void)
{
  SigmaEnvironment *env = email_agent ();

  schedule_at (env, "u1", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", "{\"content\": \"Now buy a pen\"}", 20);
  return env;
}

static void
test_multi_turn (void)
{
  g_test_summary ("Turns are split by the oracle's replies to the user and by the agent's; "
                  "each turn is judged in order and judging stops at the first failure");

  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (two_turn_scenario);
    g_autoptr(SigmaEnvironment) agent = two_turn_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autoptr(JsonNode) json = NULL;
    JsonArray *turns;

    act_ (agent, 5, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 7, AUI, "send_message_to_user", DONE);
    act_ (agent, 23, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}");
    act_ (agent, 25, AUI, "send_message_to_user", "{\"content\": \"Bought.\"}");
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
    g_assert_cmpuint (sigma_verdict_get_n_turns (verdict), ==, 2);
    g_assert_true (sigma_verdict_get_turn_passed (verdict, 0));
    g_assert_true (sigma_verdict_get_turn_passed (verdict, 1));

    json = sigma_verdict_to_json (verdict);
    turns = json_object_get_array_member (json_node_get_object (json), "turns");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (turns, 1), "task"), ==,
                     "Now buy a pen\n");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (turns, 1),
                                                                            "oracle_events")), ==, 3);
  }

  /* the turn-1 call made in turn 0 fails turn 0; turn 1 is not judged */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (two_turn_scenario);
    g_autoptr(SigmaEnvironment) agent = two_turn_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}");
    act_ (agent, 5, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 7, AUI, "send_message_to_user", DONE);
    act_ (agent, 25, AUI, "send_message_to_user", "{\"content\": \"Bought.\"}");
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpint (sigma_verdict_get_failed_turn (verdict), ==, 0);
    g_assert_false (sigma_verdict_get_turn_passed (verdict, 0));
    g_assert_true (sigma_verdict_get_turn_judged (verdict, 0));
    g_assert_false (sigma_verdict_get_turn_judged (verdict, 1));
    g_assert_null (sigma_verdict_get_turn_rationale (verdict, 1));
    assert_contains (sigma_verdict_get_are_rationale (verdict),
                     "- Tool 'Shopping__add_to_cart': Agent count 1, Oracle count 0");
  }

  /* turn 0 passes; turn 1 misses its reply */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (two_turn_scenario);
    g_autoptr(SigmaEnvironment) agent = two_turn_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 5, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 7, AUI, "send_message_to_user", DONE);
    act_ (agent, 23, "Shopping", "add_to_cart", "{\"item_id\": \"pen\", \"quantity\": 1}");
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpint (sigma_verdict_get_failed_turn (verdict), ==, 1);
    g_assert_true (sigma_verdict_get_turn_passed (verdict, 0));
    g_assert_cmpstr (sigma_verdict_get_turn_rationale (verdict, 1), ==, sigma_verdict_get_rationale (verdict));
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                     "Failure: \nOracle sent 1 more message(s) than agent.");
  }
}

/* ------------------------------------------------------------------------------------ */
/* Environment events, the registry, exceptions                                          */

static void
test_env_events (void)
{
  static const EventSpec scenario[] = {
    { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
    { "e_mail", SIGMA_EVENT_TYPE_ENV, "Emails", "add_email", "{\"subject\": \"Hi\"}", "u0", 2 },
    { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "e_mail", 2 },
    { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
    { NULL }
  };

  g_test_summary ("Environment and user events of the oracle are matched by id in the agent run");

  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    schedule_at (agent, "e_mail", SIGMA_EVENT_TYPE_ENV, "Emails", "add_email", "{\"subject\": \"Hi\"}", 2);
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
    g_assert_cmpstr (sigma_verdict_lookup_agent_event (verdict, "e_mail"), ==, "e_mail");
  }

  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    schedule_at (agent, "e_other", SIGMA_EVENT_TYPE_ENV, "Emails", "add_email", "{\"subject\": \"Hi\"}", 2);
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==,
                     "Failure: Oracle env/user event e_mail could not be matched. This is likely a bug !");
  }
}

static void
test_exceptions (void)
{
  g_test_summary ("ARE's exceptions give the verdict \"Exception\": an oracle WRITE tool "
                  "missing from the checker registry, an unparsable datetime argument");

  /* a WRITE oracle tool outside the registry */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_remind", SIGMA_EVENT_TYPE_AGENT, "Reminders", "add_reminder", "{\"title\": \"Call Bob\"}", "u0", 1 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_remind", 1 },
      { NULL }
    };
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autoptr(JsonNode) json = NULL;
    JsonObject *failure;

    act_ (agent, 1, "Reminders", "add_reminder", "{\"title\": \"Call Bob\"}");
    act_ (agent, 2, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==, "Exception");
    assert_contains (sigma_verdict_get_exception (verdict), "Tool Reminders__add_reminder not supported");
    assert_contains (sigma_verdict_get_rationale (verdict), "Tool Reminders__add_reminder not supported");
    json = sigma_verdict_to_json (verdict);
    failure = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (json), "turns"), 0), "failure");
    g_assert_cmpstr (json_object_get_string_member (failure, "kind"), ==, "exception");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (json), "turns"), 0), "status"), ==, "exception");
  }

  /* an unparsable agent datetime; a different but parsable spelling matches */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_event", SIGMA_EVENT_TYPE_AGENT, "Calendar", "add_calendar_event",
        "{\"title\": \"Review\", \"start_datetime\": \"2023-11-15 10:00:00\", \"end_datetime\": \"2023-11-15 11:00:00\"}", "u0", 1 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_event", 1 },
      { NULL }
    };

    for (guint bad = 0; bad < 2; bad++)
      {
        g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
        g_autoptr(SigmaEnvironment) agent = email_agent ();
        g_autoptr(SigmaVerdict) verdict = NULL;

        act_ (agent, 1, "Calendar", "add_calendar_event",
              bad ? "{\"title\": \"Review\", \"start_datetime\": \"2023-11-15T10:00:00\", \"end_datetime\": \"2023-11-15 11:00:00\"}"
                  : "{\"title\": \"Review\", \"start_datetime\": \"2023-11-15 10:0:0\", \"end_datetime\": \"2023-11-15  11:00:00\"}");
        act_ (agent, 2, AUI, "send_message_to_user", DONE);
        verdict = judge_with (NULL, oracle, agent);
        if (bad)
          {
            assert_failed (verdict);
            g_assert_cmpstr (sigma_verdict_get_are_rationale (verdict), ==, "Exception");
            g_assert_cmpstr (sigma_verdict_get_exception (verdict), ==,
                             "ValueError: time data '2023-11-15T10:00:00' does not match format '%Y-%m-%d %H:%M:%S'");
          }
        else
          assert_passed (verdict);
      }
  }

  /* an agent-only WRITE outside the registry just fails the count check */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 3, "Reminders", "add_reminder", "{\"title\": \"x\"}");
    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    assert_contains (sigma_verdict_get_are_rationale (verdict), "- Tool 'Reminders__add_reminder': Agent count 1, Oracle count 0");
    g_assert_null (sigma_verdict_get_exception (verdict));
  }
}

static void
test_read_only_oracle (void)
{
  static const EventSpec scenario[] = {
    { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
    { "o_read", SIGMA_EVENT_TYPE_AGENT, "Emails", "list_emails", "{}", "u0", 1 },
    { NULL }
  };

  g_test_summary ("An oracle of READ calls only is still judged: the agent must not write");

  for (guint writes = 0; writes < 2; writes++)
    {
      g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
      g_autoptr(SigmaEnvironment) agent = email_agent ();
      g_autoptr(SigmaVerdict) verdict = NULL;

      act_ (agent, 1, "Emails", "list_emails", "{}");
      if (writes)
        act_ (agent, 2, "Emails", "send_email", EMAIL_ARGS);
      verdict = judge_with (NULL, oracle, agent);
      if (writes)
        {
          assert_failed (verdict);
          assert_contains (sigma_verdict_get_are_rationale (verdict), "- Tool 'Emails__send_email': Agent count 1, Oracle count 0");
        }
      else
        assert_passed (verdict);
    }
}

static void
test_bad_logs (void)
{
  g_test_summary ("Logs that are not an oracle run's are a GError, not a verdict");

  /* no oracle events at all (ARE gives no verdict: "no_validation") */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { NULL }
    };
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SigmaVerdict) verdict = NULL;

    verdict = sigma_judge_judge (judge, sigma_environment_get_log (oracle), sigma_environment_get_log (agent), &error);
    g_assert_null (verdict);
    g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
  }

  /* an oracle run in which an event failed */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_fail", SIGMA_EVENT_TYPE_AGENT, "Emails", "fail_write", "{}", "u0", 1 },
      { NULL }
    };
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SigmaVerdict) verdict = NULL;

    verdict = sigma_judge_judge (judge, sigma_environment_get_log (oracle), sigma_environment_get_log (agent), &error);
    g_assert_null (verdict);
    g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
    assert_contains (error->message, "The oracle run failed: event 'o_fail' (Emails.fail_write): This tool always fails");
  }

  /* an agent log used as the oracle holds no oracle event */
  {
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    verdict = sigma_judge_judge (judge, sigma_environment_get_log (agent), sigma_environment_get_log (agent), &error);
    g_assert_null (verdict);
    g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
    assert_contains (error->message, "holds no oracle event");
  }

  /* an oracle run with a tool call made directly: it has no source event, so no turn */
  {
    g_autoptr(SigmaEnvironment) oracle = new_env ();
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autoptr(JsonObject) args = parse_object ("{\"subject\": \"x\"}");
    g_autoptr(JsonNode) result = NULL;

    schedule_specs (oracle, email_scenario, TRUE);
    sigma_environment_set_oracle_mode (oracle, TRUE);
    sigma_environment_run_until (oracle, S + 2, &error);
    g_assert_no_error (error);
    result = sigma_environment_call_tool (oracle, "Emails", "add_email", args, SIGMA_EVENT_TYPE_ENV, &error);
    g_assert_no_error (error);
    sigma_environment_run (oracle, &error);
    g_assert_no_error (error);

    verdict = sigma_judge_judge (judge, sigma_environment_get_log (oracle), sigma_environment_get_log (agent), &error);
    g_assert_null (verdict);
    g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
    assert_contains (error->message, "has no source event: it is not the log of an oracle run");
  }
}

/* ------------------------------------------------------------------------------------ */
/* §2.9 soft comparisons                                                                 */

static void
test_soft_exact (void)
{
  g_test_summary ("Free-text arguments: equal after normalisation passes without the soft "
                  "judge; otherwise the exact soft judge is asked, fails, and the verdict says so");

  /* normalisation shortcut: no soft call */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email",
          "{\"recipients\": [\"bob@x.com\"], \"subject\": \" REPORT \", \"content\": \"Here is the réport!\"}");
    act_ (agent, 6, AUI, "send_message_to_user", "{\"content\": \"done\"}");
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
    g_assert_cmpuint (sigma_verdict_get_n_soft_calls (verdict), ==, 0);
  }

  /* a reworded reply: the exact soft judge rejects it */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autoptr(JsonNode) json = NULL;
    JsonArray *comparisons;
    JsonObject *cmp;

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", "{\"content\": \"I have sent the email.\"}");
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpuint (sigma_verdict_get_n_soft_calls (verdict), ==, 1);
    assert_contains (sigma_verdict_get_are_rationale (verdict), "tool name: AgentUserInterface__send_message_to_user");
    assert_contains (sigma_verdict_get_rationale (verdict),
                     "argument 'content' (soft judge 'exact'): the normalised texts differ: "
                     "agent 'i have sent the email', oracle 'done'");

    json = sigma_verdict_to_json (verdict);
    comparisons = json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (json), "turns"), 0),
                                                "soft_comparisons");
    g_assert_cmpuint (json_array_get_length (comparisons), ==, 1);
    cmp = json_array_get_object_element (comparisons, 0);
    g_assert_cmpstr (json_object_get_string_member (cmp, "argument"), ==, "content");
    g_assert_cmpstr (json_object_get_string_member (cmp, "expected"), ==, "Done.");
    g_assert_cmpstr (json_object_get_string_member (cmp, "actual"), ==, "I have sent the email.");
    g_assert_false (json_object_get_boolean_member (cmp, "equal"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (json), "soft_judge"), "name"),
                     ==, "exact");
  }

  /* an empty oracle text is not compared */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email",
        "{\"recipients\": [\"bob@x.com\"], \"subject\": \"\", \"content\": null}", "u0", 5 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
      { NULL }
    };
    g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email", "{\"recipients\": [\"bob@x.com\"], \"subject\": \"Anything\", \"content\": \"at all\"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_passed (verdict);
  }

  /* placeholder_checker rejects a template signature before any soft judge */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(SigmaVerdict) verdict = NULL;

    act_ (agent, 4, "Emails", "send_email",
          "{\"recipients\": [\"bob@x.com\"], \"subject\": \"Report\", \"content\": \"Here is the report.\\nBest regards,\\nYour Name\"}");
    act_ (agent, 6, AUI, "send_message_to_user", DONE);
    verdict = judge_with (NULL, oracle, agent);
    assert_failed (verdict);
    g_assert_cmpuint (sigma_verdict_get_n_soft_calls (verdict), ==, 0);
    assert_contains (sigma_verdict_get_rationale (verdict),
                     "placeholder_checker: the agent's text contains the template placeholder 'Best regards,\\nYour Name'");
  }

  /* a dict argument with no soft checker of its own goes through content_checker */
  {
    static const EventSpec scenario[] = {
      { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
      { "o_edit", SIGMA_EVENT_TYPE_AGENT, "Contacts", "edit_contact",
        "{\"contact_id\": \"c1\", \"updates\": {\"phone\": \"555\"}}", "u0", 1 },
      { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_edit", 1 },
      { NULL }
    };

    for (guint same = 0; same < 2; same++)
      {
        g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
        g_autoptr(SigmaEnvironment) agent = email_agent ();
        g_autoptr(SigmaVerdict) verdict = NULL;

        act_ (agent, 1, "Contacts", "edit_contact",
              same ? "{\"contact_id\": \"c1\", \"updates\": {\"Phone\": \"555.\"}}"
                   : "{\"contact_id\": \"c1\", \"updates\": {\"phone\": \"556\"}}");
        act_ (agent, 2, AUI, "send_message_to_user", DONE);
        verdict = judge_with (NULL, oracle, agent);
        if (same)
          assert_passed (verdict);
        else
          {
            assert_failed (verdict);
            assert_contains (sigma_verdict_get_rationale (verdict),
                             "argument 'updates' (soft judge 'exact'): the normalised texts differ: "
                             "agent 'phone 556', oracle 'phone 555'");
          }
      }
  }
}

/* A custom soft judge: answers from a table, records what it was asked. */
#define TEST_TYPE_SOFT_JUDGE (test_soft_judge_get_type ())
G_DECLARE_FINAL_TYPE (TestSoftJudge, test_soft_judge, TEST, SOFT_JUDGE, GObject)

struct _TestSoftJudge
{
  GObject   parent_instance;
  guint     calls;
  gboolean  answer;
  gboolean  fail;
  char     *last_tool;
  char     *last_arg;
  char     *last_expected;
  char     *last_actual;
  char     *last_context;
};

static void test_soft_judge_iface_init (SigmaSoftJudgeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSoftJudge, test_soft_judge, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_SOFT_JUDGE, test_soft_judge_iface_init))

static const char *
test_soft_judge_get_name (SigmaSoftJudge *judge)
{
  return "test:table";
}

static gboolean
test_soft_judge_compare (SigmaSoftJudge  *judge,
                         const char      *tool_name,
                         const char      *arg_name,
                         const char      *expected,
                         const char      *actual,
                         const char      *context,
                         gboolean        *equal,
                         char           **explanation,
                         GError         **error)
{
  TestSoftJudge *self = TEST_SOFT_JUDGE (judge);

  self->calls++;
  g_free (self->last_tool);
  g_free (self->last_arg);
  g_free (self->last_expected);
  g_free (self->last_actual);
  g_free (self->last_context);
  self->last_tool = g_strdup (tool_name);
  self->last_arg = g_strdup (arg_name);
  self->last_expected = g_strdup (expected);
  self->last_actual = g_strdup (actual);
  self->last_context = g_strdup (context);

  if (self->fail)
    {
      g_set_error_literal (error, SIGMA_ERROR, SIGMA_ERROR_FAILED, "the model abstained");
      return FALSE;
    }
  *equal = self->answer;
  if (!self->answer)
    *explanation = g_strdup ("the table says no");
  return TRUE;
}

static void
test_soft_judge_iface_init (SigmaSoftJudgeInterface *iface)
{
  iface->get_name = test_soft_judge_get_name;
  iface->compare = test_soft_judge_compare;
}

static void
test_soft_judge_finalize (GObject *object)
{
  TestSoftJudge *self = TEST_SOFT_JUDGE (object);

  g_free (self->last_tool);
  g_free (self->last_arg);
  g_free (self->last_expected);
  g_free (self->last_actual);
  g_free (self->last_context);
  G_OBJECT_CLASS (test_soft_judge_parent_class)->finalize (object);
}

static void
test_soft_judge_class_init (TestSoftJudgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_soft_judge_finalize;
}

static void
test_soft_judge_init (TestSoftJudge *self)
{
  self->answer = TRUE;
}

static void
test_soft_custom (void)
{
  g_test_summary ("A SigmaSoftJudge implemented outside the library is called for free-text "
                  "arguments, with ARE's context, and decides the match");

  /* it accepts the reworded reply */
  {
    g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
    g_autoptr(SigmaEnvironment) agent = email_agent ();
    g_autoptr(TestSoftJudge) soft = g_object_new (TEST_TYPE_SOFT_JUDGE, NULL);
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();
    g_autoptr(SigmaVerdict) verdict = NULL;
    g_autoptr(JsonNode) context = NULL;
    JsonObject *ctx;
    JsonArray *checkers;

    sigma_judge_set_soft_judge (judge, SIGMA_SOFT_JUDGE (soft));
    g_assert_true (sigma_judge_get_soft_judge (judge) == SIGMA_SOFT_JUDGE (soft));
    sigma_judge_set_user_details (judge, "Ada", "Lovelace", "12 Main St");

    act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
    act_ (agent, 6, AUI, "send_message_to_user", "{\"content\": \"I have sent the email.\"}");
    verdict = judge_with (judge, oracle, agent);
    assert_passed (verdict);
    g_assert_cmpuint (soft->calls, ==, 1);
    g_assert_cmpuint (sigma_verdict_get_n_soft_calls (verdict), ==, 1);
    g_assert_cmpstr (sigma_verdict_get_soft_judge (verdict), ==, "test:table");
    g_assert_cmpstr (soft->last_tool, ==, "AgentUserInterface__send_message_to_user");
    g_assert_cmpstr (soft->last_arg, ==, "content");
    g_assert_cmpstr (soft->last_expected, ==, "Done.");
    g_assert_cmpstr (soft->last_actual, ==, "I have sent the email.");

    context = parse_node (soft->last_context);
    ctx = json_node_get_object (context);
    g_assert_cmpstr (json_object_get_string_member (ctx, "task"), ==, "Send the report to Bob\n");
    g_assert_cmpstr (json_object_get_string_member (ctx, "user_name"), ==, "Ada Lovelace");
    g_assert_cmpstr (json_object_get_string_member (ctx, "user_address"), ==, "12 Main St");
    g_assert_cmpstr (json_object_get_string_member (ctx, "today_date"), ==, "2023-11-14 Tuesday");
    g_assert_cmpstr (json_object_get_string_member (ctx, "oracle_event_id"), ==, "o_smu");
    checkers = json_object_get_array_member (ctx, "soft_checkers");
    g_assert_cmpuint (json_array_get_length (checkers), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (checkers, 0), ==, "sanity_checker");
    g_assert_cmpstr (json_array_get_string_element (checkers, 1), ==, "user_message_checker");
  }

  /* it is not consulted when the texts normalise to the same; it rejects; it fails */
  for (guint mode = 0; mode < 3; mode++)
    {
      g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
      g_autoptr(SigmaEnvironment) agent = email_agent ();
      g_autoptr(TestSoftJudge) soft = g_object_new (TEST_TYPE_SOFT_JUDGE, NULL);
      g_autoptr(SigmaJudge) judge = g_object_new (SIGMA_TYPE_JUDGE, "soft-judge", soft, NULL);
      g_autoptr(SigmaVerdict) verdict = NULL;

      soft->answer = mode != 1;
      soft->fail = mode == 2;
      act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
      act_ (agent, 6, AUI, "send_message_to_user", mode == 0 ? "{\"content\": \"DONE\"}" : "{\"content\": \"Sent!\"}");
      verdict = judge_with (judge, oracle, agent);
      if (mode == 0)
        {
          assert_passed (verdict);
          g_assert_cmpuint (soft->calls, ==, 0);
        }
      else
        {
          assert_failed (verdict);
          g_assert_cmpuint (soft->calls, ==, 1);
          assert_contains (sigma_verdict_get_rationale (verdict),
                           mode == 1 ? "argument 'content' (soft judge 'test:table'): the table says no"
                                     : "argument 'content' (soft judge 'test:table'): no answer, which rejects: the model abstained");
        }
    }

  /* setting NULL restores the exact judge */
  {
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();

    sigma_judge_set_soft_judge (judge, NULL);
    g_assert_true (SIGMA_IS_EXACT_SOFT_JUDGE (sigma_judge_get_soft_judge (judge)));
    g_assert_cmpstr (sigma_soft_judge_get_name (sigma_judge_get_soft_judge (judge)), ==, "exact");
  }
}

static void
test_scripted (void)
{
  g_test_summary ("The scripted judge runs contain_any/contain_all and hard checks per oracle "
                  "event and never consults the soft judge");

  for (guint good = 0; good < 2; good++)
    {
      g_autoptr(SigmaEnvironment) oracle = oracle_run (email_scenario);
      g_autoptr(SigmaEnvironment) agent = email_agent ();
      g_autoptr(TestSoftJudge) soft = g_object_new (TEST_TYPE_SOFT_JUDGE, NULL);
      g_autoptr(SigmaJudge) judge = g_object_new (SIGMA_TYPE_JUDGE, "soft-judge", soft, NULL);
      g_autoptr(JsonObject) targets = parse_object ("{\"targets\": [\"REPORT\", \"bob\"]}");
      g_autoptr(SigmaVerdict) verdict = NULL;
      g_autoptr(GError) error = NULL;

      sigma_judge_add_scripted_check (judge, "o_smu", "content", "contain_all_checker", targets, &error);
      g_assert_no_error (error);
      g_assert_true (sigma_judge_get_scripted (judge));
      g_assert_false (sigma_judge_add_scripted_check (judge, "o_smu", "content", "llm_checker", NULL, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);

      act_ (agent, 4, "Emails", "send_email", EMAIL_ARGS);
      act_ (agent, 6, AUI, "send_message_to_user",
            good ? "{\"content\": \"Bob has the report now\"}" : "{\"content\": \"Sent it to Bob\"}");
      verdict = judge_with (judge, oracle, agent);
      g_assert_cmpuint (soft->calls, ==, 0);
      if (good)
        assert_passed (verdict);
      else
        {
          assert_failed (verdict);
          assert_contains (sigma_verdict_get_rationale (verdict),
                           "argument 'content' (contain_all_checker): agent 'Sent it to Bob', targets ['REPORT', 'bob']");
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* The scenario context: app classes and the user contact                                */

static void
test_load_environment (void)
{
  static const EventSpec scenario[] = {
    { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 0 },
    { "o_email", SIGMA_EVENT_TYPE_AGENT, "Mailbox", "send_email", EMAIL_ARGS, "u0", 5 },
    { "o_event", SIGMA_EVENT_TYPE_AGENT, "Calendar", "add_calendar_event",
      "{\"title\": \"Review\", \"start_datetime\": \"2023-11-15 10:00:00\", \"end_datetime\": \"2023-11-15 11:00:00\", "
      "\"attendees\": [\"Ada Lovelace\", \"Bob Smith\"]}", "u0", 5 },
    { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1, 0, 0, "o_event" },
    { NULL }
  };

  g_test_summary ("sigma_judge_load_environment() reads the start time, the app classes (tool "
                  "names) and the user contact (attendee tolerance) as ARE does");

  for (guint with_user = 0; with_user < 2; with_user++)
    {
      g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
      g_autoptr(SigmaEnvironment) agent = email_agent ();
      g_autoptr(SigmaJudge) judge = sigma_judge_new ();
      g_autoptr(SigmaVerdict) verdict = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) json = NULL;
      JsonArray *oracle_events;

      if (with_user)
        {
          JudgeTestApp *contacts = JUDGE_TEST_APP (sigma_environment_get_app (oracle, "Contacts"));

          contacts->state = parse_node ("{\"contacts\": {\"c0\": {\"first_name\": \"Bob\", \"last_name\": \"Smith\", \"is_user\": false},"
                                        " \"c1\": {\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"is_user\": true, \"address\": \"12 Main St\"}}}");
          sigma_judge_load_environment (judge, oracle, &error);
          g_assert_no_error (error);
          g_assert_cmpfloat (sigma_judge_get_start_time (judge), ==, S);
        }
      else
        sigma_judge_set_app_class_name (judge, "Mailbox", "EmailClientV2");

      act_ (agent, 3, "Calendar", "add_calendar_event",
            "{\"title\": \"Review\", \"start_datetime\": \"2023-11-15 10:00:00\", \"end_datetime\": \"2023-11-15 11:00:00\", "
            "\"attendees\": [\"bob smith\"]}");
      act_ (agent, 4, "Mailbox", "send_email", EMAIL_ARGS);
      act_ (agent, 6, AUI, "send_message_to_user", DONE);
      verdict = judge_with (judge, oracle, agent);

      json = sigma_verdict_to_json (verdict);
      oracle_events = json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (json), "turns"), 0),
                                                    "oracle_events");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (oracle_events, 1), "tool_name"), ==,
                       "EmailClientV2__send_email");
      if (with_user)
        {
          /* the user may be left out of the attendees */
          assert_passed (verdict);
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (json), "config"), "user_name"),
                           ==, "Ada Lovelace");
        }
      else
        {
          assert_failed (verdict);
          assert_contains (sigma_verdict_get_are_rationale (verdict), "tool name: Calendar__add_calendar_event");
          assert_contains (sigma_verdict_get_rationale (verdict),
                           "argument 'attendees' (list_attendees_checker): agent ['bob smith'], oracle ['Ada Lovelace', 'Bob Smith']");
        }
    }

  /* a contacts app with two user contacts, or none, is an error, as in ARE */
  for (guint n_users = 0; n_users < 3; n_users += 2)
    {
      g_autoptr(SigmaEnvironment) env = new_env ();
      g_autoptr(SigmaJudge) judge = sigma_judge_new ();
      g_autoptr(GError) error = NULL;
      JudgeTestApp *contacts = JUDGE_TEST_APP (sigma_environment_get_app (env, "Contacts"));

      contacts->state = parse_node (n_users == 2 ? "{\"contacts\": {\"a\": {\"first_name\": \"A\", \"is_user\": true},"
                                                   " \"b\": {\"first_name\": \"B\", \"is_user\": true}}}"
                                                 : "{\"contacts\": {}}");
      g_assert_false (sigma_judge_load_environment (judge, env, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
    }
}

static void
test_start_time (void)
{
  static const EventSpec scenario[] = {
    { "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, NULL, 3 },
    { "o_read", SIGMA_EVENT_TYPE_AGENT, "Emails", "list_emails", "{}", "u0", 1 },
    { "o_email", SIGMA_EVENT_TYPE_AGENT, "Emails", "send_email", EMAIL_ARGS, "o_read", 1 },
    { "o_smu", SIGMA_EVENT_TYPE_AGENT, AUI, "send_message_to_user", DONE, "o_email", 1 },
    { NULL }
  };

  g_test_summary ("Without a start time the judge infers it from the oracle log's first root "
                  "event (its time minus its delay); the property overrides it");

  {
    g_autoptr(SigmaJudge) judge = sigma_judge_new ();

    g_assert_cmpfloat (sigma_judge_get_start_time (judge), <, 0);
    sigma_judge_set_start_time (judge, S);
    g_assert_cmpfloat (sigma_judge_get_start_time (judge), ==, S);
    sigma_judge_set_start_time (judge, -5);
    g_assert_cmpfloat (sigma_judge_get_start_time (judge), ==, -1.0);
  }

  /* The write hangs under a READ, so it is timed from the start. Inferred start S: the oracle
   * wrote 5 s after it, so it is checked and +100 is too late. With the start set to S + 4 the
   * oracle wrote 1 s after it: not checked. */
  for (guint explicit_start = 0; explicit_start < 2; explicit_start++)
    {
      g_autoptr(SigmaEnvironment) oracle = oracle_run (scenario);
      g_autoptr(SigmaEnvironment) agent = new_env ();
      g_autoptr(SigmaJudge) judge = sigma_judge_new ();
      g_autoptr(SigmaVerdict) verdict = NULL;
      g_autoptr(JsonNode) json = NULL;

      if (explicit_start)
        g_object_set (judge, "start-time", S + 4, NULL);
      schedule_at (agent, "u0", SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", TASK, 3);
      act_ (agent, 100, "Emails", "send_email", EMAIL_ARGS);
      act_ (agent, 101, AUI, "send_message_to_user", DONE);
      verdict = judge_with (judge, oracle, agent);
      json = sigma_verdict_to_json (verdict);
      g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (json_node_get_object (json), "config"), "start_time"),
                         ==, explicit_start ? S + 4 : S);
      if (explicit_start)
        assert_passed (verdict);
      else
        {
          assert_failed (verdict);
          assert_contains (sigma_verdict_get_rationale (verdict), "time: the agent acted 100.000 s after its reference, not within [-5.000, 30.000]");
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* §2.7 the hard checkers, one by one                                                    */

static gboolean
check (SigmaCheckerType  type,
       const char       *agent,
       const char       *oracle,
       GError          **error)
{
  g_autoptr(JsonNode) a = agent != NULL ? parse_node (agent) : NULL;
  g_autoptr(JsonNode) o = oracle != NULL ? parse_node (oracle) : NULL;
  const char * const tolerance[] = { "Ada Lovelace", NULL };
  const char * const targets[] = { "café", "6PM", NULL };
  gboolean result = FALSE;

  if (!sigma_arg_checker_run (type, a, o, tolerance, targets, &result, error))
    return FALSE;
  return result;
}

static void
assert_check_at (int               line,
                 SigmaCheckerType  type,
                 const char       *agent,
                 const char       *oracle,
                 gboolean          expected)
{
  g_autoptr(GError) error = NULL;
  gboolean result = check (type, agent, oracle, &error);

  g_assert_no_error (error);
  if (result != expected)
    g_error ("line %d: %s(%s, %s) gave %d", line, sigma_checker_type_to_string (type),
             agent != NULL ? agent : "NULL", oracle != NULL ? oracle : "NULL", result);
}

static void
assert_check_raises_at (int               line,
                        SigmaCheckerType  type,
                        const char       *agent,
                        const char       *oracle,
                        const char       *message)
{
  g_autoptr(GError) error = NULL;

  check (type, agent, oracle, &error);
  if (error == NULL)
    g_error ("line %d: %s(%s, %s) did not raise", line, sigma_checker_type_to_string (type),
             agent != NULL ? agent : "NULL", oracle != NULL ? oracle : "NULL");
  g_assert_true (error->domain == SIGMA_PY_ERROR);
  assert_contains (error->message, message);
}

#define assert_check(type, agent, oracle, expected) \
  assert_check_at (__LINE__, (type), (agent), (oracle), (expected))
#define assert_check_raises(type, agent, oracle, message) \
  assert_check_raises_at (__LINE__, (type), (agent), (oracle), (message))

static void
test_checker_eq (void)
{
  g_test_summary ("eq_checker is Python ==: types matter, except int, float and bool");

  assert_check (SIGMA_CHECKER_EQ, "\"abc\"", "\"abc\"", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "\"2\"", "2", FALSE);
  assert_check (SIGMA_CHECKER_EQ, "2", "2.0", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "2", "2.5", FALSE);
  assert_check (SIGMA_CHECKER_EQ, "true", "1", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "false", "0.0", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "9007199254740993", "9007199254740992.0", FALSE);
  assert_check (SIGMA_CHECKER_EQ, "null", "null", TRUE);
  assert_check (SIGMA_CHECKER_EQ, NULL, "null", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "null", "\"\"", FALSE);
  assert_check (SIGMA_CHECKER_EQ, "[1, 2]", "[1, 2.0]", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "[1, 2]", "[2, 1]", FALSE);
  assert_check (SIGMA_CHECKER_EQ, "{\"a\": 1, \"b\": [true]}", "{\"b\": [1], \"a\": 1}", TRUE);
  assert_check (SIGMA_CHECKER_EQ, "{\"a\": 1}", "{\"a\": 1, \"b\": 2}", FALSE);
  assert_check (SIGMA_CHECKER_EQ, "\"Abc\"", "\"abc\"", FALSE);
}

static void
test_checker_eq_str_strip (void)
{
  g_test_summary ("eq_str_strip_checker: falsy values are \"\", strings are stripped of Python "
                  "white space");

  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "\"  Bob\\t\"", "\"Bob\"", TRUE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "\"\\u00a0Bob\\u3000\"", "\"Bob\"", TRUE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "null", "\"\"", TRUE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "\"\"", "null", TRUE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "0", "\"\"", TRUE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "\" \"", "null", TRUE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "\"bob\"", "\"Bob\"", FALSE);
  assert_check (SIGMA_CHECKER_EQ_STR_STRIP, "\"Bo b\"", "\"Bob\"", FALSE);
  assert_check_raises (SIGMA_CHECKER_EQ_STR_STRIP, "5", "\"5\"", "'int' object has no attribute 'strip'");
}

static void
test_checker_lists (void)
{
  g_test_summary ("unordered_list_checker compares sets (duplicates ignored; None equals []); "
                  "unordered_path_list_checker compares normalised paths");

  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "[\"a\", \"b\"]", "[\"b\", \"a\", \"a\"]", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "null", "[]", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "[]", "null", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "null", "null", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "null", "[\"a\"]", FALSE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "[\"a\"]", "null", FALSE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "[\"a\"]", "[\"A\"]", FALSE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "[\"a\"]", "[\"a\", \"b\"]", FALSE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "[1, true]", "[1.0]", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_LIST, "\"ab\"", "[\"b\", \"a\"]", TRUE);
  assert_check_raises (SIGMA_CHECKER_UNORDERED_LIST, "[[\"x\"]]", "[[\"x\"]]", "unhashable type: 'list'");
  assert_check_raises (SIGMA_CHECKER_UNORDERED_LIST, "null", "5", "object of type 'int' has no len()");

  assert_check (SIGMA_CHECKER_UNORDERED_PATH_LIST, "[\"/a/b/../c\", \"d//e/\"]", "[\"a/c\", \"/d/e\"]", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_PATH_LIST, "[\"./x\", \"x\"]", "[\"/x\"]", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_PATH_LIST, "null", "[]", TRUE);
  assert_check (SIGMA_CHECKER_UNORDERED_PATH_LIST, "[\"a\"]", "[\"b\"]", FALSE);
  assert_check (SIGMA_CHECKER_UNORDERED_PATH_LIST, "[\"a/b\"]", "[\"b/a\"]", FALSE);
  assert_check_raises (SIGMA_CHECKER_UNORDERED_PATH_LIST, "[1]", "[\"a\"]", "expected str, bytes or os.PathLike object, not int");
}

static void
test_checker_path (void)
{
  g_test_summary ("path_checker: POSIX normpath, then leading slashes stripped; None only "
                  "equals None");

  assert_check (SIGMA_CHECKER_PATH, "\"/Documents/./report.pdf\"", "\"Documents/report.pdf\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"a/b/\"", "\"a/b\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"//x\"", "\"x\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"///x//y\"", "\"x/y\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"/a/../../b\"", "\"b\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"../a\"", "\"a\"", FALSE);
  assert_check (SIGMA_CHECKER_PATH, "\"a/./b/..\"", "\"a\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"\"", "\".\"", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "\"A\"", "\"a\"", FALSE);
  assert_check (SIGMA_CHECKER_PATH, "null", "null", TRUE);
  assert_check (SIGMA_CHECKER_PATH, "null", "\"\"", FALSE);

  {
    static const char * const cases[][2] = {
      { "", "." }, { "/", "/" }, { "//", "//" }, { "///", "/" }, { "a//b", "a/b" },
      { "../../a", "../../a" }, { "/..", "/" }, { "a/..", "." }, { "//a/../b", "//b" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *norm = sigma_py_normpath (cases[i][0]);
        g_assert_cmpstr (norm, ==, cases[i][1]);
      }
  }
}

static void
test_checker_datetime (void)
{
  g_test_summary ("datetime_checker: strptime with %Y-%m-%d %H:%M:%S and its leniencies; "
                  "anything else raises");

  assert_check (SIGMA_CHECKER_DATETIME, "\"2024-01-05 09:03:00\"", "\"2024-01-05 09:03:00\"", TRUE);
  assert_check (SIGMA_CHECKER_DATETIME, "\"2024-1-5 9:3:0\"", "\"2024-01-05 09:03:00\"", TRUE);
  assert_check (SIGMA_CHECKER_DATETIME, "\"2024-01- 5 09:03:00\"", "\"2024-01-05 09:03:00\"", TRUE);
  assert_check (SIGMA_CHECKER_DATETIME, "\"2024-01-05 \\t 09:03:00\"", "\"2024-01-05 09:03:00\"", TRUE);
  assert_check (SIGMA_CHECKER_DATETIME, "\"2024-02-29 23:59:59\"", "\"2024-02-29 23:59:59\"", TRUE);
  assert_check (SIGMA_CHECKER_DATETIME, "\"2024-01-05 09:03:01\"", "\"2024-01-05 09:03:00\"", FALSE);
  assert_check (SIGMA_CHECKER_DATETIME, "null", "null", TRUE);
  assert_check (SIGMA_CHECKER_DATETIME, "null", "\"2024-01-05 09:03:00\"", FALSE);
  assert_check (SIGMA_CHECKER_DATETIME, "\"not a date\"", "null", FALSE);   /* None: no parsing */
  /* \d matches any Unicode decimal digit */
  assert_check (SIGMA_CHECKER_DATETIME, "\"\\u0662\\u0660\\u0662\\u0664-01-05 09:03:00\"", "\"2024-01-05 09:03:00\"", TRUE);

  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"2024-01-05T09:03:00\"", "\"2024-01-05 09:03:00\"",
                       "ValueError: time data '2024-01-05T09:03:00' does not match format '%Y-%m-%d %H:%M:%S'");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"2024-01-05 09:03\"", "\"2024-01-05 09:03:00\"",
                       "ValueError: time data '2024-01-05 09:03' does not match format '%Y-%m-%d %H:%M:%S'");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"2024-01-05 09:03:00 \"", "\"2024-01-05 09:03:00\"",
                       "unconverted data remains:  ");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"2023-02-29 10:00:00\"", "\"2024-01-05 09:03:00\"",
                       "day is out of range for month");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"2024-01-05 10:00:60\"", "\"2024-01-05 09:03:00\"",
                       "second must be in 0..59");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"2024-13-05 10:00:00\"", "\"2024-01-05 09:03:00\"",
                       "does not match format");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "\"0000-01-05 10:00:00\"", "\"2024-01-05 09:03:00\"",
                       "year 0 is out of range");
  assert_check_raises (SIGMA_CHECKER_DATETIME, "1704445380", "\"2024-01-05 09:03:00\"",
                       "strptime() argument 1 must be str, not int");
}

static void
test_checker_phone (void)
{
  g_test_summary ("phone_number_checker compares the digits only; None only equals None");

  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"+1 (555) 123-4567\"", "\"15551234567\"", TRUE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"555.123.4567\"", "\"555 123 4567\"", TRUE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"555-1234\"", "\"5551235\"", FALSE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"+15551234567\"", "\"5551234567\"", FALSE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "null", "null", TRUE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "null", "\"\"", FALSE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"n/a\"", "\"\"", TRUE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"\\u0665\\u0665\"", "\"\\u0665\\u0665\"", TRUE);
  assert_check (SIGMA_CHECKER_PHONE_NUMBER, "\"\\u0665\\u0665\"", "\"55\"", FALSE);
  assert_check_raises (SIGMA_CHECKER_PHONE_NUMBER, "5551234", "\"5551234\"", "'int' object is not iterable");
}

static void
test_checker_attendees (void)
{
  g_test_summary ("list_attendees_checker: normalised names, the user may be left out, an empty "
                  "oracle list accepts anything");

  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[\"Zed\"]", "[]", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[\"Zed\"]", "null", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[]", "[\"Ada Lovelace\"]", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "null", "[\"ada lovelace.\"]", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[\"bob smith\"]", "[\"Ada Lovelace\", \"Bob Smith\"]", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[\"Bob Smith\", \"Ada Lovelace\"]", "[\"Bob Smith\"]", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[\"José Núñez\"]", "[\"jose nunez\"]", TRUE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[\"Bob Smith\", \"Carol\"]", "[\"Ada Lovelace\", \"Bob Smith\"]", FALSE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "[]", "[\"Bob Smith\"]", FALSE);
  assert_check (SIGMA_CHECKER_LIST_ATTENDEES, "null", "[\"Bob Smith\"]", FALSE);
  assert_check_raises (SIGMA_CHECKER_LIST_ATTENDEES, "[1]", "[\"Bob\"]", "'int' object has no attribute 'lower'");
}

static void
test_checker_contain (void)
{
  g_test_summary ("contain_any_checker and contain_all_checker: case-insensitive substrings");

  assert_check (SIGMA_CHECKER_CONTAIN_ANY, "\"Meet at the CAFÉ at 5pm\"", NULL, TRUE);
  assert_check (SIGMA_CHECKER_CONTAIN_ALL, "\"Meet at the CAFÉ at 5pm\"", NULL, FALSE);
  assert_check (SIGMA_CHECKER_CONTAIN_ALL, "\"Café at 6pm\"", NULL, TRUE);
  assert_check (SIGMA_CHECKER_CONTAIN_ANY, "\"Tea at 5\"", NULL, FALSE);
  assert_check_raises (SIGMA_CHECKER_CONTAIN_ANY, "null", NULL, "'NoneType' object has no attribute 'lower'");
}

static void
test_normalize (void)
{
  static const char * const strs[][2] = {
    { "  Héllo, Wörld!  ", "hello world" },
    { "Ça-va?", "cava" },
    { "\u201cquoted\u201d \u2014 dash", "\u201cquoted\u201d \u2014 dash" },
    { "ΟΔΟΣ", "οδος" },
    { "e\u0301", "e" },
    { "\u00a0x\u2003", "x" },
    { "[Your Name]", "your name" },
  };
  static const char * const args[][2] = {
    { "null", "none" },
    { "true", "true" },
    { "[\"a\", \"b\"]", "a b" },
    { "{\"k\": \"v\"}", "k v" },
    { "1.0", "10" },
    { "1e-05", "1e05" },
    { "[\"it's\"]", "its" },
    { "\"Tab\\there\"", "tab\there" },
  };
  static const char * const reprs[][2] = {
    { "1e16", "1e+16" }, { "1e15", "1000000000000000.0" }, { "0.0001", "0.0001" },
    { "0.00001", "1e-05" }, { "0.1", "0.1" }, { "123456789012345678.0", "1.2345678901234568e+17" },
    { "-0.0", "-0.0" }, { "2.5", "2.5" }, { "100.0", "100.0" }, { "1.5e300", "1.5e+300" },
    { "[\"a'b\", \"c\\\"d\", \"e\\nf\", null, true, 3]", "[\"a'b\", 'c\"d', 'e\\nf', None, True, 3]" },
    { "{\"k\": [1.0, \"\\u00e9\\u0001\"]}", "{'k': [1.0, '\u00e9\\x01']}" },
  };

  g_test_summary ("normalize_str and normalize_arg as in ARE: lower case, NFD without marks, no "
                  "ASCII punctuation, stripped; Python str() and repr() of values");

  for (guint i = 0; i < G_N_ELEMENTS (strs); i++)
    {
      g_autofree char *norm = sigma_normalize_str (strs[i][0]);
      g_assert_cmpstr (norm, ==, strs[i][1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    {
      g_autoptr(JsonNode) node = parse_node (args[i][0]);
      g_autofree char *norm = sigma_normalize_arg (node);
      g_assert_cmpstr (norm, ==, args[i][1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (reprs); i++)
    {
      g_autoptr(JsonNode) node = parse_node (reprs[i][0]);
      g_autofree char *text = sigma_py_repr (node);
      g_assert_cmpstr (text, ==, reprs[i][1]);
    }

  {
    const char *found = NULL;

    g_assert_true (sigma_text_has_placeholder ("Thanks, [user's name]", &found));
    g_assert_cmpstr (found, ==, "[User's Name]");
    g_assert_true (sigma_text_has_placeholder ("Best,\nYOUR NAME", NULL));
    g_assert_false (sigma_text_has_placeholder ("Best,\nAda", NULL));
  }
}

static void
test_registry (void)
{
  g_test_summary ("The checker registry has ARE's 89 keys with app and tool aliases; the soft "
                  "checker registry its aliases");

  {
    const SigmaArgChecker *args;
    guint n = 0;

    g_assert_cmpuint (sigma_checker_registry_get_n_keys (), ==, 89);

    args = sigma_checker_registry_lookup ("EmailClientApp__send_email", &n);
    g_assert_nonnull (args);
    g_assert_cmpuint (n, ==, 5);
    g_assert_cmpstr (args[0].arg_name, ==, "recipients");
    g_assert_cmpint (args[4].type, ==, SIGMA_CHECKER_LLM);
    g_assert_true (sigma_checker_registry_lookup ("EmailClientV2__send_email", NULL) == args);
    g_assert_true (sigma_checker_registry_lookup ("Mail__send_email", NULL) == args);
    g_assert_true (sigma_checker_registry_lookup ("Emails__send_email", NULL) == args);

    args = sigma_checker_registry_lookup ("CalendarApp__add_calendar_event", &n);
    g_assert_cmpuint (n, ==, 6);
    g_assert_cmpstr (args[0].arg_name, ==, "attendees");
    g_assert_cmpint (args[1].type, ==, SIGMA_CHECKER_DATETIME);

    args = sigma_checker_registry_lookup ("CabApp__user_cancel_ride", &n);
    g_assert_nonnull (args);
    g_assert_cmpuint (n, ==, 0);

    g_assert_true (sigma_checker_registry_lookup ("SandBoxLocalFileSystem__makedirs", NULL) ==
                   sigma_checker_registry_lookup ("SandboxLocalFileSystem__mkdir", NULL));
    g_assert_true (sigma_checker_registry_lookup ("Files__mkdir", NULL) ==
                   sigma_checker_registry_lookup ("SandboxLocalFileSystem__mkdir", NULL));
    args = sigma_checker_registry_lookup ("VirtualFileSystem__mkdir", &n);
    g_assert_cmpuint (n, ==, 2);
    g_assert_null (sigma_checker_registry_lookup ("Files__makedirs", NULL));
    g_assert_null (sigma_checker_registry_lookup ("MessagingAppV2__download_attachment", NULL));
    g_assert_null (sigma_checker_registry_lookup ("ReminderApp__add_reminder", NULL));
    g_assert_null (sigma_checker_registry_lookup ("SandboxLocalFileSystem__set_permissions", NULL));
    g_assert_nonnull (sigma_checker_registry_lookup ("Chats__send_message_to_group_conversation", NULL));
    g_assert_nonnull (sigma_checker_registry_lookup ("RentAFlat__save_apartment", NULL));
    g_assert_nonnull (sigma_checker_registry_lookup ("Cabs__order_ride", NULL));
    g_assert_nonnull (sigma_checker_registry_lookup ("Shopping__checkout", NULL));
    g_assert_nonnull (sigma_checker_registry_lookup ("Contacts__edit_contact", NULL));
  }

  {
    const SigmaSoftCheckerType *soft;
    guint n = 0;

    soft = sigma_soft_checker_registry_lookup ("Chats__send_message_to_group_conversation", &n);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpint (soft[0], ==, SIGMA_SOFT_CHECKER_PLACEHOLDER);
    g_assert_cmpint (soft[2], ==, SIGMA_SOFT_CHECKER_MESSAGE);
    soft = sigma_soft_checker_registry_lookup ("Messages__change_conversation_title", &n);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpint (soft[0], ==, SIGMA_SOFT_CHECKER_CONTENT);
    soft = sigma_soft_checker_registry_lookup ("Mail__reply_to_email", &n);
    g_assert_cmpuint (n, ==, 4);
    g_assert_cmpint (soft[3], ==, SIGMA_SOFT_CHECKER_EMAIL);
    g_assert_null (sigma_soft_checker_registry_lookup ("Contacts__edit_contact", &n));
    g_assert_cmpuint (n, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/judge/pass", test_pass);
  g_test_add_func ("/sigma/judge/verdict-json", test_verdict_json);
  g_test_add_func ("/sigma/judge/filter", test_filter);
  g_test_add_func ("/sigma/judge/counts", test_counts);
  g_test_add_func ("/sigma/judge/extra-write", test_extra_write);
  g_test_add_func ("/sigma/judge/arguments", test_arguments);
  g_test_add_func ("/sigma/judge/removed-write", test_removed_write);
  g_test_add_func ("/sigma/judge/causality", test_causality);
  g_test_add_func ("/sigma/judge/placeholders", test_placeholders);
  g_test_add_func ("/sigma/judge/time", test_time);
  g_test_add_func ("/sigma/judge/multi-turn", test_multi_turn);
  g_test_add_func ("/sigma/judge/env-events", test_env_events);
  g_test_add_func ("/sigma/judge/exceptions", test_exceptions);
  g_test_add_func ("/sigma/judge/read-only-oracle", test_read_only_oracle);
  g_test_add_func ("/sigma/judge/bad-logs", test_bad_logs);
  g_test_add_func ("/sigma/judge/soft/exact", test_soft_exact);
  g_test_add_func ("/sigma/judge/soft/custom", test_soft_custom);
  g_test_add_func ("/sigma/judge/scripted", test_scripted);
  g_test_add_func ("/sigma/judge/load-environment", test_load_environment);
  g_test_add_func ("/sigma/judge/start-time", test_start_time);
  g_test_add_func ("/sigma/judge/checkers/eq", test_checker_eq);
  g_test_add_func ("/sigma/judge/checkers/eq-str-strip", test_checker_eq_str_strip);
  g_test_add_func ("/sigma/judge/checkers/lists", test_checker_lists);
  g_test_add_func ("/sigma/judge/checkers/path", test_checker_path);
  g_test_add_func ("/sigma/judge/checkers/datetime", test_checker_datetime);
  g_test_add_func ("/sigma/judge/checkers/phone", test_checker_phone);
  g_test_add_func ("/sigma/judge/checkers/attendees", test_checker_attendees);
  g_test_add_func ("/sigma/judge/checkers/contain", test_checker_contain);
  g_test_add_func ("/sigma/judge/normalize", test_normalize);
  g_test_add_func ("/sigma/judge/registry", test_registry);

  return g_test_run ();
}
