/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

/* 2023-11-14 22:13:20 UTC */
#define T0 1700000000.0
#define AUI "AgentUserInterface"
#define ID_PATTERN "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

static SigmaEnvironment *
make_env (guint64 seed)
{
  SigmaEnvironment *env = app_test_env_new (T0, seed);
  g_autoptr(SigmaApp) app = sigma_agent_user_interface_new (NULL);

  app_test_add_app (env, app);
  return env;
}

static SigmaApp *
get_aui (SigmaEnvironment *env)
{
  return sigma_environment_get_app (env, AUI);
}

/* The environment returns a JSON null for "no result": NULL here, for g_assert_null(). */
static JsonNode *
call (SigmaEnvironment  *env,
      const char        *tool,
      const char        *args_json,
      SigmaEventType     type,
      GError           **error)
{
  return app_test_call_nullable (env, AUI, type, tool, args_json, error);
}

/* A call that must succeed. */
static JsonNode *
call_ok (SigmaEnvironment *env,
         const char       *tool,
         const char       *args_json,
         SigmaEventType    type)
{
  return app_test_call_nullable_ok (env, AUI, type, tool, args_json);
}

static JsonArray *
state_messages (SigmaApp *app, JsonNode **holder)
{
  *holder = sigma_app_get_state (app);
  g_assert_nonnull (*holder);
  return json_object_get_array_member (json_node_get_object (*holder), "messages");
}

static void
assert_id_format (const char *id)
{
  g_assert_nonnull (id);
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_true (g_regex_match_simple (ID_PATTERN, id, 0, 0));
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static void
test_tools (void)
{
  g_autoptr(SigmaApp) app = sigma_apps_create (AUI, NULL, NULL);
  static const struct { const char *name; SigmaToolRole roles; SigmaToolOperation op; } expected[] = {
    { "send_message_to_user", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "send_message_to_agent", SIGMA_TOOL_ROLE_USER, SIGMA_TOOL_OPERATION_WRITE },
    { "get_last_message_from_user", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
    { "get_last_unread_messages", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
    { "get_last_message_from_agent", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
    { "get_all_messages", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
  };
  g_autoptr(GPtrArray) tools = NULL;
  SigmaTool *tool;

  g_test_summary ("The app declares ARE's six tools in ARE's order, with their roles, operations and parameters");

  g_assert_nonnull (app);
  g_assert_true (SIGMA_IS_AGENT_USER_INTERFACE (app));
  g_assert_cmpstr (sigma_app_get_name (app), ==, AUI);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, AUI);

  tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_USER |
                                     SIGMA_TOOL_ROLE_ENV | SIGMA_TOOL_ROLE_DATA);
  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpstr (sigma_tool_get_name (tool), ==, expected[i].name);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, expected[i].roles);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, expected[i].op);
      g_assert_nonnull (sigma_tool_get_description (tool));
    }

  tool = sigma_app_lookup_tool (app, "send_message_to_agent");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, 3);
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 0), ==, "content");
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 1), ==, "attachments");
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 2), ==, "base64_utf8_encoded_attachment_contents");
  for (guint i = 0; i < 3; i++)
    g_assert_false (sigma_tool_get_parameter_required (tool, i));
  tool = sigma_app_lookup_tool (app, "send_message_to_user");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, 1);
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 0), ==, "content");
  g_assert_false (sigma_tool_get_parameter_required (tool, 0));
}

static void
test_send_message_to_user (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (7);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) state = NULL;
  SigmaCompletedEvent *event;
  JsonArray *messages;
  JsonObject *message;

  g_test_summary ("send_message_to_user appends a read Agent message stamped now and returns null; "
                  "the AGENT call is logged and raises no notification");

  result = call_ok (env, "send_message_to_user", "{\"content\": \"Done.\"}", SIGMA_EVENT_TYPE_AGENT);
  g_assert_null (result);

  event = app_test_last_event (env);
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, AUI);
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "send_message_to_user");
  g_assert_true (sigma_completed_event_is_write (event));
  g_assert_false (sigma_completed_event_is_failure (event));
  g_assert_true (JSON_NODE_HOLDS_NULL (sigma_completed_event_get_return_value (event)));

  messages = state_messages (get_aui (env), &state);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  message = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "sender"), ==, "Agent");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "Done.");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "attachments")), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (message, "timestamp"), ==, T0);
  g_assert_cmpfloat (json_object_get_double_member (message, "time_read"), ==, T0);
  assert_id_format (json_object_get_string_member (message, "id"));

  /* the default content is "" */
  g_clear_pointer (&state, json_node_unref);
  g_assert_null (call_ok (env, "send_message_to_user", NULL, SIGMA_EVENT_TYPE_AGENT));
  messages = state_messages (get_aui (env), &state);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==, "");

  g_assert_cmpuint (sigma_notification_system_get_n_pending (sigma_environment_get_notifications (env)), ==, 0);
}

static void
test_send_message_to_agent (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (7);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  SigmaCompletedEvent *event;
  SigmaNotification *notification;
  JsonObject *message;
  const char *id;

  g_test_summary ("send_message_to_agent appends an unread User message with its attachments, returns its "
                  "id, is logged as a USER event and notifies the agent with ARE's message text");

  app_test_advance (env, 65);
  result = call_ok (env, "send_message_to_agent",
                    "{\"content\": \"Book a table\", \"attachments\": [\"/Documents/menu.pdf\"],"
                    " \"base64_utf8_encoded_attachment_contents\": [{\"content\": \"aGk=\"}]}",
                    SIGMA_EVENT_TYPE_USER);
  g_assert_nonnull (result);
  id = json_node_get_string (result);
  assert_id_format (id);

  event = app_test_last_event (env);
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_USER);
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "send_message_to_agent");
  g_assert_true (sigma_completed_event_is_write (event));
  g_assert_cmpstr (json_node_get_string (sigma_completed_event_get_return_value (event)), ==, id);

  message = json_array_get_object_element (state_messages (get_aui (env), &state), 0);
  app_test_assert_json (json_object_get_member (message, "attachments"), "[\"/Documents/menu.pdf\"]");
  g_assert_cmpstr (json_object_get_string_member (message, "sender"), ==, "User");
  g_assert_cmpfloat (json_object_get_double_member (message, "timestamp"), ==, T0 + 65);
  g_assert_true (json_object_get_null_member (message, "time_read"));
  g_assert_cmpstr (json_object_get_string_member (message, "id"), ==, id);

  pending = sigma_notification_system_list_pending (sigma_environment_get_notifications (env));
  g_assert_cmpuint (pending->len, ==, 1);
  notification = g_ptr_array_index (pending, 0);
  g_assert_cmpint (sigma_notification_get_message_type (notification), ==, SIGMA_MESSAGE_TYPE_USER_MESSAGE);
  g_assert_cmpfloat (sigma_notification_get_timestamp (notification), ==, T0 + 65);
  g_assert_cmpstr (sigma_notification_get_message (notification), ==,
                   "Received at: 2023-11-14 22:14:25\n"
                   "Sender: User\n"
                   "Message: Book a table\n"
                   "Already read: True\n"
                   "Read at: 2023-11-14 22:14:25");
}

static void
test_send_message_to_agent_invalid (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (7);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) state = NULL;

  g_test_summary ("Arguments of the wrong type are rejected before the app runs: no message, no notification");

  result = call (env, "send_message_to_agent", "{\"content\": 3}", SIGMA_EVENT_TYPE_USER, &error);
  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  result = call (env, "send_message_to_agent", "{\"attachments\": [\"a\", 1]}", SIGMA_EVENT_TYPE_USER, &error);
  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "attachments"));
  g_clear_error (&error);

  result = call (env, "send_message_to_user", "{\"content\": \"x\", \"to\": \"y\"}", SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT);

  g_assert_cmpuint (json_array_get_length (state_messages (get_aui (env), &state)), ==, 0);
  g_assert_cmpuint (sigma_notification_system_get_n_pending (sigma_environment_get_notifications (env)), ==, 0);
}

static void
test_get_last_message_from_user (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (1);
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("get_last_message_from_user returns null with no user message, else the last one, "
                  "marked read on the first read only");

  result = call_ok (env, "get_last_message_from_user", NULL, SIGMA_EVENT_TYPE_AGENT);
  g_assert_null (result);
  g_assert_true (JSON_NODE_HOLDS_NULL (sigma_completed_event_get_return_value (app_test_last_event (env))));
  g_assert_false (sigma_completed_event_is_write (app_test_last_event (env)));

  g_clear_pointer (&result, json_node_unref);
  result = call_ok (env, "send_message_to_agent", "{\"content\": \"first\"}", SIGMA_EVENT_TYPE_USER);
  g_clear_pointer (&result, json_node_unref);
  app_test_advance (env, 1);
  result = call_ok (env, "send_message_to_agent", "{\"content\": \"second\"}", SIGMA_EVENT_TYPE_USER);
  id = g_strdup (json_node_get_string (result));
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (env, "send_message_to_user", "{\"content\": \"reply\"}", SIGMA_EVENT_TYPE_AGENT);

  app_test_advance (env, 9);
  result = call_ok (env, "get_last_message_from_user", NULL, SIGMA_EVENT_TYPE_AGENT);
  expected = g_strdup_printf ("{\"sender\": \"User\", \"content\": \"second\", \"attachments\": [],"
                              " \"timestamp\": 1700000001.0, \"time_read\": 1700000010.0, \"id\": \"%s\"}", id);
  app_test_assert_json (result, expected);
  app_test_assert_json (sigma_completed_event_get_return_value (app_test_last_event (env)), expected);

  /* already read: the read time stays */
  app_test_advance (env, 5);
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (env, "get_last_message_from_user", NULL, SIGMA_EVENT_TYPE_AGENT);
  app_test_assert_json (result, expected);
}

static void
test_get_last_unread_messages (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (1);
  g_autoptr(JsonNode) result = NULL;
  JsonArray *array;

  g_test_summary ("get_last_unread_messages returns the unread user messages oldest first, marks them "
                  "read, and then returns an empty list");

  result = call_ok (env, "get_last_unread_messages", NULL, SIGMA_EVENT_TYPE_AGENT);
  app_test_assert_json (result, "[]");

  g_clear_pointer (&result, json_node_unref);
  result = call_ok (env, "send_message_to_agent", "{\"content\": \"a\"}", SIGMA_EVENT_TYPE_USER);
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (env, "send_message_to_user", "{\"content\": \"b\"}", SIGMA_EVENT_TYPE_AGENT);
  app_test_advance (env, 2);
  result = call_ok (env, "send_message_to_agent", "{\"content\": \"c\"}", SIGMA_EVENT_TYPE_USER);
  g_clear_pointer (&result, json_node_unref);
  app_test_advance (env, 3);

  result = call_ok (env, "get_last_unread_messages", NULL, SIGMA_EVENT_TYPE_AGENT);
  array = json_node_get_array (result);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "content"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "content"), ==, "c");
  for (guint i = 0; i < 2; i++)
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (array, i), "time_read"),
                       ==, T0 + 5);
  g_assert_false (sigma_completed_event_is_write (app_test_last_event (env)));

  g_clear_pointer (&result, json_node_unref);
  result = call_ok (env, "get_last_unread_messages", NULL, SIGMA_EVENT_TYPE_AGENT);
  app_test_assert_json (result, "[]");
}

static void
test_get_last_message_from_agent (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (1);
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("get_last_message_from_agent returns null, then the agent's last message");

  result = call_ok (env, "get_last_message_from_agent", NULL, SIGMA_EVENT_TYPE_AGENT);
  g_assert_null (result);

  result = call_ok (env, "send_message_to_user", "{\"content\": \"one\"}", SIGMA_EVENT_TYPE_AGENT);
  app_test_advance (env, 1);
  result = call_ok (env, "send_message_to_user", "{\"content\": \"two\"}", SIGMA_EVENT_TYPE_AGENT);
  result = call_ok (env, "send_message_to_agent", "{\"content\": \"three\"}", SIGMA_EVENT_TYPE_USER);
  g_clear_pointer (&result, json_node_unref);

  result = call_ok (env, "get_last_message_from_agent", NULL, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "content"), ==, "two");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "sender"), ==, "Agent");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (result), "time_read"), ==, T0 + 1);
}

static void
test_get_all_messages (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) result = NULL;
  JsonArray *array;
  const char *contents[] = { "late", "tie-1", "tie-2", "early" };

  g_test_summary ("get_all_messages returns every message newest first, equal times in the order received, "
                  "and marks all of them read now, the agent's included");

  state = app_test_parse ("{\"messages\": ["
                          "{\"sender\": \"User\", \"content\": \"early\", \"attachments\": [], \"timestamp\": 10,"
                          " \"time_read\": null, \"id\": \"a\"},"
                          "{\"sender\": \"Agent\", \"content\": \"tie-1\", \"attachments\": [], \"timestamp\": 20.5,"
                          " \"time_read\": 20.5, \"id\": \"b\"},"
                          "{\"sender\": \"User\", \"content\": \"late\", \"attachments\": [], \"timestamp\": 30,"
                          " \"time_read\": null, \"id\": \"c\"},"
                          "{\"sender\": \"User\", \"content\": \"tie-2\", \"attachments\": [], \"timestamp\": 20.5,"
                          " \"time_read\": null, \"id\": \"d\"}]}");
  sigma_app_load_state (get_aui (env), state, &error);
  g_assert_no_error (error);

  result = call_ok (env, "get_all_messages", NULL, SIGMA_EVENT_TYPE_AGENT);
  array = json_node_get_array (result);
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *message = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, contents[i]);
      g_assert_cmpfloat (json_object_get_double_member (message, "time_read"), ==, T0);
    }
  g_assert_false (sigma_completed_event_is_write (app_test_last_event (env)));

  /* the state keeps the order received */
  g_clear_pointer (&state, json_node_unref);
  array = state_messages (get_aui (env), &state);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 3), "id"), ==, "d");
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

static void
test_notifications (void)
{
  const SigmaVerbosity levels[] = { SIGMA_VERBOSITY_LOW, SIGMA_VERBOSITY_MEDIUM, SIGMA_VERBOSITY_HIGH };

  g_test_summary ("A user message notifies the agent at every verbosity, also from an ENV call; the "
                  "agent's own calls notify nothing");

  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autoptr(SigmaEnvironment) env = make_env (3);
      SigmaNotificationSystem *ns = sigma_environment_get_notifications (env);
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(GPtrArray) pending = NULL;

      sigma_notification_system_set_verbosity (ns, levels[i]);
      result = call_ok (env, "send_message_to_user", "{\"content\": \"hi\"}", SIGMA_EVENT_TYPE_AGENT);
      result = call_ok (env, "get_all_messages", NULL, SIGMA_EVENT_TYPE_AGENT);
      g_clear_pointer (&result, json_node_unref);
      result = call_ok (env, "get_last_unread_messages", NULL, SIGMA_EVENT_TYPE_AGENT);
      g_clear_pointer (&result, json_node_unref);
      g_assert_cmpuint (sigma_notification_system_get_n_pending (ns), ==, 0);

      app_test_advance (env, 86400);
      result = call_ok (env, "send_message_to_agent", "{\"content\": \"line 1\\nline 2\"}", SIGMA_EVENT_TYPE_USER);
      g_clear_pointer (&result, json_node_unref);
      result = call_ok (env, "send_message_to_agent", NULL, SIGMA_EVENT_TYPE_ENV);

      pending = sigma_notification_system_list_pending (ns);
      g_assert_cmpuint (pending->len, ==, 2);
      g_assert_cmpint (sigma_notification_get_message_type (g_ptr_array_index (pending, 0)), ==,
                       SIGMA_MESSAGE_TYPE_USER_MESSAGE);
      g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 0)), ==,
                       "Received at: 2023-11-15 22:13:20\nSender: User\nMessage: line 1\nline 2\n"
                       "Already read: True\nRead at: 2023-11-15 22:13:20");
      g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 1)), ==,
                       "Received at: 2023-11-15 22:13:20\nSender: User\nMessage: \n"
                       "Already read: True\nRead at: 2023-11-15 22:13:20");
    }
}

static void
test_scheduled_user_message (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (3);
  g_autoptr(SigmaEvent) event = NULL;
  g_autoptr(JsonNode) args = app_test_parse ("{\"content\": \"Delete the meetings\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) logged = NULL;

  g_test_summary ("A scheduled USER event send_message_to_agent, as in Gaia2 scenarios, is logged as USER and "
                  "notifies the agent at the event time");

  event = sigma_action_event_new (SIGMA_EVENT_TYPE_USER, AUI, "send_message_to_agent", json_node_get_object (args));
  sigma_event_set_delay (event, 5);
  sigma_environment_schedule (env, event, &error);
  g_assert_no_error (error);
  sigma_environment_start (env, &error);
  g_assert_no_error (error);
  sigma_environment_run_until (env, T0 + 10, &error);
  g_assert_no_error (error);

  logged = sigma_event_log_filter (sigma_environment_get_log (env), SIGMA_EVENT_TYPE_USER, AUI,
                                   "send_message_to_agent");
  g_assert_cmpuint (logged->len, ==, 1);
  g_assert_cmpfloat (sigma_completed_event_get_event_time (g_ptr_array_index (logged, 0)), ==, T0 + 5);

  pending = sigma_notification_system_list_pending (sigma_environment_get_notifications (env));
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 0)), ==,
                   "Received at: 2023-11-14 22:13:25\nSender: User\nMessage: Delete the meetings\n"
                   "Already read: True\nRead at: 2023-11-14 22:13:25");
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static const char *sample_state =
  "{\"messages\": ["
  "{\"sender\": \"User\", \"content\": \"I need to find the image file\", \"attachments\": [],"
  " \"timestamp\": 1728000000.0030155, \"time_read\": null, \"id\": \"7ec5bf32-7b2d-4bc9-a05f-4fbc6309c4c7\"},"
  "{\"sender\": \"Agent\", \"content\": \"The image file is `llama.jpg`\", \"attachments\": [\"/llama.jpg\"],"
  " \"timestamp\": 1728000001, \"time_read\": 1728000001, \"id\": null},"
  "{\"sender\": \"User\", \"content\": \"Thanks\", \"attachments\": [],"
  " \"timestamp\": 1728000005.5, \"time_read\": 1728000006.25, \"id\": \"x\"}]}";

static void
test_state_round_trip (void)
{
  g_autoptr(SigmaApp) app = sigma_agent_user_interface_new (NULL);
  g_autoptr(SigmaApp) copy = sigma_agent_user_interface_new (NULL);

  g_test_summary ("get_state gives back the loaded state exactly: member order, integers, nulls, and the "
                  "timestamps as loaded (ARE would re-base them to start at 0.0)");

  app_test_assert_state_round_trip (app, copy, sample_state);
}

static void
test_state_defaults (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (0);
  g_autoptr(JsonNode) state = app_test_parse ("{\"messages\": [{\"sender\": \"USER\", \"content\": \"hi\"},"
                                              " {\"sender\": \"agent\", \"content\": \"yo\", \"timestamp\": 5}]}");
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Optional message fields take ARE's defaults and the sender is matched case-insensitively; "
                  "a missing timestamp is the current simulated time");

  g_assert_true (sigma_app_load_state (get_aui (env), state, &error));
  g_assert_no_error (error);
  saved = sigma_app_get_state (get_aui (env));
  app_test_assert_json (saved, "{\"messages\": ["
                               "{\"sender\": \"User\", \"content\": \"hi\", \"attachments\": [], \"timestamp\": 1700000000.0,"
                               " \"time_read\": null, \"id\": null},"
                               "{\"sender\": \"Agent\", \"content\": \"yo\", \"attachments\": [], \"timestamp\": 5,"
                               " \"time_read\": null, \"id\": null}]}");
}

static void
test_state_reset (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (0);
  g_autoptr(JsonNode) state = app_test_parse (sample_state);
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("reset empties the conversation; loading replaces it");

  result = call_ok (env, "send_message_to_user", "{\"content\": \"before\"}", SIGMA_EVENT_TYPE_AGENT);
  g_assert_true (sigma_app_load_state (get_aui (env), state, &error));
  saved = sigma_app_get_state (get_aui (env));
  app_test_assert_json (saved, sample_state);

  sigma_app_reset (get_aui (env));
  g_clear_pointer (&saved, json_node_unref);
  saved = sigma_app_get_state (get_aui (env));
  app_test_assert_json (saved, "{\"messages\": []}");
}

static void
test_state_malformed (void)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "[]", "AgentUserInterface: app_state must be a JSON object" },
    { "{}", "AgentUserInterface: app_state.messages: missing (expected an array)" },
    { "{\"messages\": {}}", "AgentUserInterface: app_state.messages: expected an array" },
    { "{\"messages\": [3]}", "AgentUserInterface: app_state.messages[0]: expected an object" },
    { "{\"messages\": [{\"sender\": \"User\", \"content\": \"a\"}, {\"content\": \"b\"}]}",
      "AgentUserInterface: app_state.messages[1].sender: missing (expected a string)" },
    { "{\"messages\": [{\"sender\": 1, \"content\": \"a\"}]}",
      "AgentUserInterface: app_state.messages[0].sender: expected a string" },
    { "{\"messages\": [{\"sender\": \"Bot\", \"content\": \"a\"}]}",
      "AgentUserInterface: app_state.messages[0].sender: expected \"User\" or \"Agent\", got \"Bot\"" },
    { "{\"messages\": [{\"sender\": \"User\"}]}",
      "AgentUserInterface: app_state.messages[0].content: missing (expected a string)" },
    { "{\"messages\": [{\"sender\": \"User\", \"content\": \"a\", \"attachments\": [\"x\", 2]}]}",
      "AgentUserInterface: app_state.messages[0].attachments[1]: expected a string" },
    { "{\"messages\": [{\"sender\": \"User\", \"content\": \"a\", \"timestamp\": \"noon\"}]}",
      "AgentUserInterface: app_state.messages[0].timestamp: expected a number" },
    { "{\"messages\": [{\"sender\": \"User\", \"content\": \"a\", \"time_read\": true}]}",
      "AgentUserInterface: app_state.messages[0].time_read: expected a number" },
    { "{\"messages\": [{\"sender\": \"User\", \"content\": \"a\", \"id\": 7}]}",
      "AgentUserInterface: app_state.messages[0].id: expected a string" },
  };

  g_test_summary ("A malformed state is INVALID_DATA naming the app and the JSON path, and leaves the app "
                  "unchanged");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaApp) app = sigma_agent_user_interface_new (NULL);

      app_test_assert_load_fails_unchanged (app, sample_state, cases[i].state, cases[i].message);
    }
}

static void
test_state_lenient (void)
{
  g_test_summary ("In lenient mode a malformed message is skipped with a warning and the rest loads");

  if (app_test_lenient_subprocess ("*AgentUserInterface: app_state.messages[1].content: expected a string (skipped)*"))
    {
      g_autoptr(SigmaApp) app = sigma_agent_user_interface_new (NULL);
      g_autoptr(JsonNode) saved = NULL;
      JsonArray *messages;

      app_test_load_lenient (app, "{\"messages\": [{\"sender\": \"User\", \"content\": \"kept\"},"
                                  " {\"sender\": \"User\", \"content\": 5},"
                                  " {\"sender\": \"Agent\", \"content\": \"also kept\", \"timestamp\": 1}]}");
      messages = state_messages (app, &saved);
      g_assert_cmpuint (json_array_get_length (messages), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==,
                       "also kept");
    }
}

/* ------------------------------------------------------------------------------------ */
/* Determinism                                                                          */

static GPtrArray *
send_three (guint64 seed)
{
  g_autoptr(SigmaEnvironment) env = make_env (seed);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) state = NULL;
  JsonArray *messages;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) id = call_ok (env, "send_message_to_agent", "{\"content\": \"q\"}", SIGMA_EVENT_TYPE_USER);

      g_ptr_array_add (ids, g_strdup (json_node_get_string (id)));
    }
  g_assert_null (call_ok (env, "send_message_to_user", "{\"content\": \"a\"}", SIGMA_EVENT_TYPE_AGENT));
  messages = state_messages (get_aui (env), &state);
  g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (messages, 2), "id")));
  return ids;
}

static void
test_determinism (void)
{
  g_autoptr(GPtrArray) a = send_three (42);
  g_autoptr(GPtrArray) b = send_three (42);
  g_autoptr(GPtrArray) c = send_three (43);

  g_test_summary ("Message ids are version-4 UUID strings drawn from the app rng: the same seed gives the "
                  "same ids, another seed other ids");

  for (guint i = 0; i < 3; i++)
    {
      assert_id_format (g_ptr_array_index (a, i));
      g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
      g_assert_cmpstr (g_ptr_array_index (a, i), !=, g_ptr_array_index (c, i));
    }
  g_assert_cmpstr (g_ptr_array_index (a, 0), !=, g_ptr_array_index (a, 1));
}

/* ------------------------------------------------------------------------------------ */
/* Corpus                                                                               */

/* An AppTestCorpusFunc for the AgentUserInterface entries; @file names the corpus file. */
static gboolean
check_corpus_app (JsonObject *entry,
                  const char *class_name,
                  gpointer    file)
{
  if (sigma_apps_lookup_type (class_name) != SIGMA_TYPE_AGENT_USER_INTERFACE)
    return FALSE;
  g_test_message ("%s: %s (%s)", (const char *) file, json_object_get_string_member (entry, "name"), class_name);
  return app_test_corpus_round_trip (entry, class_name, NULL);
}

static void
test_corpus (void)
{
  g_test_summary ("Every AgentUserInterface app_state of the real corpus loads and get_state reproduces it");

  if (!app_test_have_corpus ())
    return;
  /* The Gaia2 scenario declares one AgentUserInterface ({"messages": []}). */
  g_assert_cmpuint (app_test_corpus_foreach_file (NULL, check_corpus_app), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/apps/agent-user-interface/tools", test_tools);
  g_test_add_func ("/sigma/apps/agent-user-interface/send-message-to-user", test_send_message_to_user);
  g_test_add_func ("/sigma/apps/agent-user-interface/send-message-to-agent", test_send_message_to_agent);
  g_test_add_func ("/sigma/apps/agent-user-interface/send-message-to-agent/invalid", test_send_message_to_agent_invalid);
  g_test_add_func ("/sigma/apps/agent-user-interface/get-last-message-from-user", test_get_last_message_from_user);
  g_test_add_func ("/sigma/apps/agent-user-interface/get-last-unread-messages", test_get_last_unread_messages);
  g_test_add_func ("/sigma/apps/agent-user-interface/get-last-message-from-agent", test_get_last_message_from_agent);
  g_test_add_func ("/sigma/apps/agent-user-interface/get-all-messages", test_get_all_messages);
  g_test_add_func ("/sigma/apps/agent-user-interface/notifications", test_notifications);
  g_test_add_func ("/sigma/apps/agent-user-interface/notifications/scheduled", test_scheduled_user_message);
  g_test_add_func ("/sigma/apps/agent-user-interface/state/round-trip", test_state_round_trip);
  g_test_add_func ("/sigma/apps/agent-user-interface/state/defaults", test_state_defaults);
  g_test_add_func ("/sigma/apps/agent-user-interface/state/reset", test_state_reset);
  g_test_add_func ("/sigma/apps/agent-user-interface/state/malformed", test_state_malformed);
  g_test_add_func ("/sigma/apps/agent-user-interface/state/lenient", test_state_lenient);
  g_test_add_func ("/sigma/apps/agent-user-interface/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/agent-user-interface/corpus", test_corpus);

  return g_test_run ();
}
