/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sigma.h>

#include "app-test-util.h"

#include <string.h>

#define START_TIME 1728975600.0   /* 2024-10-15 07:00:00 UTC */
#define USER "rohini@cam.ac.uk"

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

typedef struct
{
  SigmaEnvironment *env;
  SigmaApp         *app;   /* (unowned): the environment holds it */
  SigmaApp         *fs;    /* (unowned) (nullable) */
} Setup;

static void
setup_init (Setup      *s,
            const char *class_name,
            gboolean    with_files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create (class_name, "Emails", &error);

  g_assert_no_error (error);
  s->env = sigma_environment_new ();
  sigma_environment_set_start_time (s->env, START_TIME);
  if (with_files)
    {
      g_autoptr(SigmaApp) fs = sigma_apps_create ("SandboxLocalFileSystem", "Files", &error);

      g_assert_no_error (error);
      sigma_environment_add_app (s->env, fs, &error);
      g_assert_no_error (error);
      s->fs = fs;
    }
  sigma_environment_add_app (s->env, app, &error);
  g_assert_no_error (error);
  s->app = app;
}

static void
setup_clear (Setup *s)
{
  g_clear_object (&s->env);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
call (Setup          *s,
      const char     *tool,
      const char     *args_json,
      SigmaEventType  type,
      GError        **error)
{
  g_autoptr(JsonObject) args = parse_object (args_json != NULL ? args_json : "{}");

  return sigma_environment_call_tool (s->env, "Emails", tool, args, type, error);
}

static JsonNode *
call_ok (Setup      *s,
         const char *tool,
         const char *args_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = call (s, tool, args_json, SIGMA_EVENT_TYPE_AGENT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static JsonNode *
env_ok (Setup      *s,
        const char *tool,
        const char *args_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = call (s, tool, args_json, SIGMA_EVENT_TYPE_ENV, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* Checks that a call fails with a tool error and that exact text. */
static void
call_fails (Setup          *s,
            const char     *tool,
            const char     *args_json,
            SigmaEventType  type,
            gint            code,
            const char     *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = call (s, tool, args_json, type, &error);
  SigmaCompletedEvent *last = sigma_environment_get_last_event (s->env);

  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  /* a failed call is logged too, with its error */
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, tool);
  g_assert_cmpstr (sigma_completed_event_get_error_message (last), ==, message);
}

static void
agent_fails (Setup      *s,
             const char *tool,
             const char *args_json,
             const char *message)
{
  call_fails (s, tool, args_json, SIGMA_EVENT_TYPE_AGENT, SIGMA_ERROR_TOOL_FAILED, message);
}

static char *
call_id (Setup      *s,
         const char *tool,
         const char *args_json,
         gboolean    env)
{
  g_autoptr(JsonNode) result = env ? env_ok (s, tool, args_json) : call_ok (s, tool, args_json);

  g_assert_true (JSON_NODE_HOLDS_VALUE (result));
  return g_strdup (json_node_get_string (result));
}

static void
load_state (Setup      *s,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = json_from_string (json, &error);

  g_assert_no_error (error);
  sigma_app_load_state (s->app, state, &error);
  g_assert_no_error (error);
}

static JsonObject *
folder_state (Setup      *s,
              const char *folder,
              JsonNode  **keep)
{
  *keep = sigma_app_get_state (s->app);
  return json_object_get_object_member (json_object_get_object_member (json_node_get_object (*keep), "folders"),
                                        folder);
}

static guint
folder_count (Setup      *s,
              const char *folder)
{
  g_autoptr(JsonNode) state = NULL;
  JsonObject *f = folder_state (s, folder, &state);

  return json_array_get_length (json_object_get_array_member (f, "emails"));
}

/* The email at @index of a folder, from the saved state. */
static JsonObject *
email_at (Setup      *s,
          const char *folder,
          guint       index,
          JsonNode  **keep)
{
  JsonObject *f = folder_state (s, folder, keep);

  return json_array_get_object_element (json_object_get_array_member (f, "emails"), index);
}

static char *
strings_of (JsonArray *array)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, json_array_get_string_element (array, i));
    }
  return g_strdup (out->str);
}

static void
assert_json_equal (JsonNode   *node,
                   const char *expected_json)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_json, NULL);
  g_autofree char *a = json_to_string (node, FALSE);
  g_autofree char *b = json_to_string (expected, FALSE);

  g_assert_cmpstr (a, ==, b);
}

static gboolean
is_hex_id (const char *id)
{
  if (strlen (id) != 32)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* Three INBOX emails at known times (the newest first), one SENT email, nothing else. */
static const char *small_state =
  "{\"user_email\": \"" USER "\", \"view_limit\": 5, \"folders\": {"
  " \"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": ["
  "  {\"sender\": \"kofi@gaia2mail.com\", \"recipients\": [\"" USER "\"], \"subject\": \"Quantum history\","
  "   \"content\": \"Dear Rohini,\\nLet us talk.\", \"email_id\": \"e3\", \"parent_id\": null,"
  "   \"cc\": [\"ana@x.org\"], \"attachments\": {}, \"timestamp\": 1728900000.5, \"is_read\": null},"
  "  {\"sender\": \"rohan@london.ac.uk\", \"recipients\": [\"" USER "\", \"team@london.ac.uk\"], \"subject\": \"Students\","
  "   \"content\": \"About the course\", \"email_id\": \"e2\", \"parent_id\": null,"
  "   \"cc\": [], \"attachments\": {\"notes.txt\": \"aGVsbG8=\"}, \"timestamp\": 1728800000, \"is_read\": false},"
  "  {\"sender\": \"ana@x.org\", \"recipients\": [\"" USER "\"], \"subject\": \"Lunch\","
  "   \"content\": \"Noon?\", \"email_id\": \"e1\", \"parent_id\": null,"
  "   \"cc\": [], \"attachments\": {}, \"timestamp\": 1728700000.25, \"is_read\": true}]},"
  " \"SENT\": {\"folder_name\": \"SENT\", \"emails\": ["
  "  {\"sender\": \"" USER "\", \"recipients\": [\"kofi@gaia2mail.com\", \"ana@x.org\"], \"subject\": \"Paper\","
  "   \"content\": \"Draft attached\", \"email_id\": \"s1\", \"parent_id\": null,"
  "   \"cc\": [], \"attachments\": {}, \"timestamp\": 1728600000.0, \"is_read\": true}]},"
  " \"DRAFT\": {\"folder_name\": \"DRAFT\", \"emails\": []},"
  " \"TRASH\": {\"folder_name\": \"TRASH\", \"emails\": []}}}";

static void
setup_small (Setup *s)
{
  setup_init (s, "EmailClientV2", FALSE);
  load_state (s, small_state);
}

/* ------------------------------------------------------------------------------------ */
/* Creation and tools                                                                   */

static void
test_create (void)
{
  const struct { const char *class_name, *name; } cases[] = {
    { "EmailClientV2", "EmailClientV2" },
    { "EmailClientApp", "EmailClientApp" },
    { "Mail", "Mail" },
  };

  g_test_summary ("EmailClientV2, EmailClientApp and Mail are the email app, named after the class "
                  "by default; notifications use the class name");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaApp) app = sigma_apps_create (cases[i].class_name, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (SIGMA_IS_EMAIL_APP (app));
      g_assert_cmpstr (sigma_app_get_name (app), ==, cases[i].name);
      g_assert_cmpstr (sigma_app_get_class_name (app), ==, cases[i].class_name);
    }

  {
    g_autoptr(SigmaApp) app = sigma_email_app_new (NULL);
    g_assert_cmpstr (sigma_app_get_name (app), ==, "EmailClientV2");
    g_assert_cmpstr (sigma_app_get_class_name (app), ==, "EmailClientV2");
  }
}

static void
test_tools (void)
{
  static const struct { const char *name; SigmaToolRole roles; SigmaToolOperation op; const char *params; } expected[] = {
    { "send_email", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, "recipients,subject,content,cc,attachment_paths" },
    { "download_attachments", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, "email_id,folder_name,path_to_save" },
    { "reply_to_email", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, "email_id,folder_name,content,attachment_paths" },
    { "list_emails", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, "folder_name,offset,limit" },
    { "get_email_by_id", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, "email_id,folder_name" },
    { "get_email_by_index", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, "idx,folder_name" },
    { "forward_email", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, "email_id,recipients,folder_name" },
    { "move_email", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, "email_id,source_folder_name,dest_folder_name" },
    { "delete_email", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, "email_id,folder_name" },
    { "search_emails", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, "query,folder_name" },
    { "send_email_to_user_only", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, "sender,subject,content" },
    { "reply_to_email_from_user", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, "sender,email_id,content,attachment_paths" },
    { "create_and_add_email", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, "sender,recipients,subject,content,folder_name" },
    { "create_and_add_email_with_time", SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE,
      "sender,recipients,subject,content,email_time,folder_name" },
  };
  g_autoptr(SigmaApp) app = sigma_email_app_new ("Emails");
  g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  g_autoptr(GPtrArray) agent_tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT);

  g_test_summary ("Every tool of ARE's EmailClientV2, in its registration order, with ARE's parameter "
                  "names, order, defaults, roles and operations, and a description for each");

  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (agent_tools->len, ==, 10);
  for (guint i = 0; i < tools->len; i++)
    {
      SigmaTool *tool = g_ptr_array_index (tools, i);
      g_autoptr(GString) params = g_string_new (NULL);

      g_assert_cmpstr (sigma_tool_get_name (tool), ==, expected[i].name);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, expected[i].roles);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, expected[i].op);
      g_assert_cmpuint (strlen (sigma_tool_get_description (tool)), >, 10);
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        {
          g_string_append_printf (params, "%s%s", p > 0 ? "," : "", sigma_tool_get_parameter_name (tool, p));
          g_assert_cmpuint (strlen (sigma_tool_get_parameter_description (tool, p)), >, 5);
        }
      g_assert_cmpstr (params->str, ==, expected[i].params);
    }

  /* defaults as in ARE */
  {
    SigmaTool *move = sigma_app_lookup_tool (app, "move_email");
    SigmaTool *list = sigma_app_lookup_tool (app, "list_emails");
    SigmaTool *download = sigma_app_lookup_tool (app, "download_attachments");

    g_assert_cmpstr (json_node_get_string (sigma_tool_get_parameter_default (move, 1)), ==, "INBOX");
    g_assert_cmpstr (json_node_get_string (sigma_tool_get_parameter_default (move, 2)), ==, "DRAFT");
    g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (list, 2)), ==, 10);
    g_assert_cmpstr (json_node_get_string (sigma_tool_get_parameter_default (download, 2)), ==, "Downloads/");
    g_assert_true (sigma_tool_get_parameter_required (sigma_app_lookup_tool (app, "get_email_by_index"), 0));
  }
}

/* ------------------------------------------------------------------------------------ */
/* Agent tools                                                                          */

static void
test_send_email (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *id = NULL;
  g_autofree char *recipients = NULL;
  g_autofree char *cc = NULL;
  JsonObject *email;
  SigmaCompletedEvent *last;

  g_test_summary ("send_email puts a new email from the user in SENT, stamped with the simulated "
                  "time and a 32-digit hex id; the call is logged with its result");

  setup_small (&s);
  id = call_id (&s, "send_email",
                "{\"recipients\": [\"a@b.com\", \"c@d.com\"], \"subject\": \"Hi\", \"content\": \"Hello\", \"cc\": [\"e@f.com\"]}",
                FALSE);
  g_assert_true (is_hex_id (id));

  g_assert_cmpuint (folder_count (&s, "SENT"), ==, 2);
  email = email_at (&s, "SENT", 0, &keep);   /* newest first */
  recipients = strings_of (json_object_get_array_member (email, "recipients"));
  cc = strings_of (json_object_get_array_member (email, "cc"));
  g_assert_cmpstr (json_object_get_string_member (email, "email_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (email, "sender"), ==, USER);
  g_assert_cmpstr (recipients, ==, "a@b.com,c@d.com");
  g_assert_cmpstr (cc, ==, "e@f.com");
  g_assert_cmpstr (json_object_get_string_member (email, "subject"), ==, "Hi");
  g_assert_cmpstr (json_object_get_string_member (email, "content"), ==, "Hello");
  g_assert_true (json_object_get_null_member (email, "parent_id"));
  g_assert_cmpfloat (json_object_get_double_member (email, "timestamp"), ==, START_TIME);
  g_assert_false (json_object_get_boolean_member (email, "is_read"));
  g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 3);

  last = sigma_environment_get_last_event (s.env);
  g_assert_cmpstr (sigma_completed_event_get_app_name (last), ==, "Emails");
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, "send_email");
  g_assert_cmpint (sigma_completed_event_get_event_type (last), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpstr (json_node_get_string (sigma_completed_event_get_return_value (last)), ==, id);

  /* defaults: nobody, nothing */
  {
    g_autofree char *empty = call_id (&s, "send_email", "{}", FALSE);
    g_assert_cmpuint (strlen (empty), ==, 32);
    g_assert_cmpuint (folder_count (&s, "SENT"), ==, 3);
  }
}

static void
test_send_email_errors (void)
{
  g_auto(Setup) s = { NULL, };
  g_auto(Setup) fresh = { NULL, };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_test_summary ("send_email rejects addresses without '@' (recipients, then cc) with ARE's text, "
                  "after drawing the id; a missing attachment or a missing file system is an error");

  setup_small (&s);
  agent_fails (&s, "send_email", "{\"recipients\": [\"a@b.com\", \"bob\"]}", "Invalid email address: bob");
  agent_fails (&s, "send_email", "{\"recipients\": [\"a@b.com\"], \"cc\": [\"carol\"]}", "Invalid email address: carol");
  agent_fails (&s, "send_email", "{\"attachment_paths\": [\"report.pdf\"]}", "File does not exist: report.pdf");
  g_assert_cmpuint (folder_count (&s, "SENT"), ==, 1);

  /* argument validation is the kernel's */
  call_fails (&s, "send_email", "{\"recipients\": \"a@b.com\"}", SIGMA_EVENT_TYPE_AGENT,
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'send_email': argument 'recipients' must be an array, got string");

  /* the failed calls advanced the generator, as in ARE (ids are drawn before validation) */
  first = call_id (&s, "send_email", "{}", FALSE);
  setup_small (&fresh);
  second = call_id (&fresh, "send_email", "{}", FALSE);
  g_assert_cmpstr (first, !=, second);
}

static void
test_list_emails (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) end = NULL;
  JsonObject *obj;
  JsonArray *emails;

  g_test_summary ("list_emails pages through a folder newest first, with ARE's ReturnedEmails fields; "
                  "the folder name is case-insensitive");

  setup_small (&s);
  all = call_ok (&s, "list_emails", "{}");
  obj = json_node_get_object (all);
  emails = json_object_get_array_member (obj, "emails");
  g_assert_cmpuint (json_array_get_length (emails), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 0), "email_id"), ==, "e3");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 2), "email_id"), ==, "e1");
  g_assert_cmpint (json_object_get_int_member (obj, "total_returned_emails"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (obj, "total_emails"), ==, 3);
  assert_json_equal (json_object_get_member (obj, "emails_range"), "[0, 3]");
  /* the email objects are ARE's, field for field */
  assert_json_equal (json_array_get_element (emails, 1),
                     "{\"sender\": \"rohan@london.ac.uk\", \"recipients\": [\"" USER "\", \"team@london.ac.uk\"],"
                     " \"subject\": \"Students\", \"content\": \"About the course\", \"email_id\": \"e2\","
                     " \"parent_id\": null, \"cc\": [], \"attachments\": {\"notes.txt\": \"aGVsbG8=\"},"
                     " \"timestamp\": 1728800000, \"is_read\": false}");

  page = call_ok (&s, "list_emails", "{\"folder_name\": \"inbox\", \"offset\": 1, \"limit\": 1}");
  assert_json_equal (json_object_get_member (json_node_get_object (page), "emails_range"), "[1, 2]");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (page), "total_returned_emails"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (page), "emails"), 0), "email_id"), ==, "e2");

  /* offset == count is allowed and returns nothing */
  end = call_ok (&s, "list_emails", "{\"folder_name\": \"Sent\", \"offset\": 1}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (end), "emails")), ==, 0);
  assert_json_equal (json_object_get_member (json_node_get_object (end), "emails_range"), "[1, 1]");

  agent_fails (&s, "list_emails", "{\"folder_name\": \"Spam\"}", "'SPAM'");
  agent_fails (&s, "list_emails", "{\"offset\": -1}", "Offset must be non-negative");
  agent_fails (&s, "list_emails", "{\"offset\": 4}", "Offset must be less than the number of emails");
  call_fails (&s, "list_emails", "{\"limit\": -1}", SIGMA_EVENT_TYPE_AGENT, SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'list_emails': argument 'limit' must be between 0 and 1000, got -1");
  call_fails (&s, "list_emails", "{\"limit\": 1001}", SIGMA_EVENT_TYPE_AGENT, SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'list_emails': argument 'limit' must be between 0 and 1000, got 1001");
}

static void
test_folder_names (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("Agent tools look folders up by upper-cased name (full Unicode) and fail with "
                  "the quoted name of a KeyError; environment tools need the exact value");

  setup_small (&s);
  {
    g_autoptr(JsonNode) a = call_ok (&s, "list_emails", "{\"folder_name\": \"tRaSh\"}");
    g_autoptr(JsonNode) b = call_ok (&s, "list_emails", "{\"folder_name\": \"\\u0131nbox\"}");   /* dotless i */

    g_assert_nonnull (a);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (b), "total_emails"), ==, 3);
  }
  agent_fails (&s, "search_emails", "{\"query\": \"x\", \"folder_name\": \"archive\"}", "'ARCHIVE'");
  agent_fails (&s, "search_emails", "{\"query\": \"x\", \"folder_name\": \"o'brien\"}", "\"O'BRIEN\"");
  agent_fails (&s, "get_email_by_id", "{\"email_id\": \"e1\", \"folder_name\": \"stra\\u00dfe\"}", "'STRASSE'");
  call_fails (&s, "create_and_add_email", "{\"sender\": \"a@b.com\", \"folder_name\": \"inbox\"}",
              SIGMA_EVENT_TYPE_ENV, SIGMA_ERROR_TOOL_FAILED, "'inbox' is not a valid EmailFolderName");
}

static void
test_get_email (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) by_id = NULL;
  g_autoptr(JsonNode) by_index = NULL;
  g_autoptr(JsonNode) last = NULL;
  g_autoptr(JsonNode) keep = NULL;

  g_test_summary ("get_email_by_id and get_email_by_index return the email and mark it read; "
                  "ARE's errors for unknown ids and indices (Python indexing for negative ones)");

  setup_small (&s);
  by_id = call_ok (&s, "get_email_by_id", "{\"email_id\": \"e3\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (by_id), "subject"), ==, "Quantum history");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (by_id), "is_read"));
  g_assert_true (json_object_get_boolean_member (email_at (&s, "INBOX", 0, &keep), "is_read"));

  by_index = call_ok (&s, "get_email_by_index", "{\"idx\": 1}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (by_index), "email_id"), ==, "e2");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (by_index), "is_read"));
  last = call_ok (&s, "get_email_by_index", "{\"idx\": -1, \"folder_name\": \"INBOX\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (last), "email_id"), ==, "e1");

  agent_fails (&s, "get_email_by_id", "{\"email_id\": \"nope\"}", "Email with id nope does not exist");
  /* only the named folder is searched */
  agent_fails (&s, "get_email_by_id", "{\"email_id\": \"s1\"}", "Email with id s1 does not exist");
  agent_fails (&s, "get_email_by_id", "{\"email_id\": \"e1\", \"folder_name\": \"junk\"}", "'JUNK'");
  agent_fails (&s, "get_email_by_index", "{\"idx\": 3}", "list index out of range");
  agent_fails (&s, "get_email_by_index", "{\"idx\": 4}", "Email with index 4 does not exist");
  agent_fails (&s, "get_email_by_index", "{\"idx\": -4}", "list index out of range");
  agent_fails (&s, "get_email_by_index", "{\"idx\": 0, \"folder_name\": \"draft\"}", "list index out of range");
  agent_fails (&s, "get_email_by_index", "{\"idx\": 0, \"folder_name\": \"x\"}", "'X'");
}

static void
test_forward_email (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) keep2 = NULL;
  g_autofree char *id = NULL;
  JsonObject *fwd;
  guint n_events;

  g_test_summary ("forward_email sends a copy with 'FWD: ' and '> ', the original's attachments and "
                  "parent id to SENT; it marks the original read and logs one event");

  setup_small (&s);
  n_events = sigma_event_log_get_length (sigma_environment_get_log (s.env));
  id = call_id (&s, "forward_email", "{\"email_id\": \"e2\", \"recipients\": [\"z@y.com\"]}", FALSE);
  /* the nested get_email_by_id is part of this event */
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (s.env)), ==, n_events + 1);

  fwd = email_at (&s, "SENT", 0, &keep);
  g_assert_cmpstr (json_object_get_string_member (fwd, "email_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (fwd, "subject"), ==, "FWD: Students");
  g_assert_cmpstr (json_object_get_string_member (fwd, "content"), ==, "> About the course");
  g_assert_cmpstr (json_object_get_string_member (fwd, "parent_id"), ==, "e2");
  g_assert_cmpstr (json_object_get_string_member (fwd, "sender"), ==, USER);
  assert_json_equal (json_object_get_member (fwd, "attachments"), "{\"notes.txt\": \"aGVsbG8=\"}");
  assert_json_equal (json_object_get_member (fwd, "cc"), "[]");
  g_assert_true (json_object_get_boolean_member (email_at (&s, "INBOX", 1, &keep2), "is_read"));

  /* only the first line gets the quote mark */
  sigma_environment_advance (s.env, 10, NULL);
  {
    g_autofree char *id2 = call_id (&s, "forward_email", "{\"email_id\": \"e3\"}", FALSE);
    g_autoptr(JsonNode) keep3 = NULL;

    g_assert_cmpuint (strlen (id2), ==, 32);
    g_assert_cmpstr (json_object_get_string_member (email_at (&s, "SENT", 0, &keep3), "content"), ==,
                     "> Dear Rohini,\nLet us talk.");
  }

  agent_fails (&s, "forward_email", "{\"email_id\": \"zz\"}", "Email with id zz does not exist");
  agent_fails (&s, "forward_email", "{\"email_id\": \"e1\", \"folder_name\": \"nowhere\"}", "'NOWHERE'");
  agent_fails (&s, "forward_email", "{\"email_id\": \"e1\", \"recipients\": [\"no-at\"]}", "Invalid email address: no-at");
}

static void
test_reply_to_email (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *reply2 = NULL;
  g_autofree char *args = NULL;
  JsonObject *email;

  g_test_summary ("reply_to_email answers the sender with 'Re: ' and the parent id; replying to the "
                  "user's own reply follows the parent chain through every folder");

  setup_small (&s);
  reply = call_id (&s, "reply_to_email", "{\"email_id\": \"e3\", \"content\": \"Gladly\"}", FALSE);
  email = email_at (&s, "SENT", 0, &keep);
  g_assert_cmpstr (json_object_get_string_member (email, "subject"), ==, "Re: Quantum history");
  g_assert_cmpstr (json_object_get_string_member (email, "content"), ==, "Gladly");
  g_assert_cmpstr (json_object_get_string_member (email, "parent_id"), ==, "e3");
  assert_json_equal (json_object_get_member (email, "recipients"), "[\"kofi@gaia2mail.com\"]");
  assert_json_equal (json_object_get_member (email, "cc"), "[]");

  /* a reply to the reply goes to kofi again, and the subject grows */
  args = g_strdup_printf ("{\"email_id\": \"%s\", \"folder_name\": \"SENT\"}", reply);
  sigma_environment_advance (s.env, 1, NULL);
  reply2 = call_id (&s, "reply_to_email", args, FALSE);
  {
    g_autoptr(JsonNode) keep2 = NULL;
    JsonObject *e = email_at (&s, "SENT", 0, &keep2);

    g_assert_cmpstr (json_object_get_string_member (e, "subject"), ==, "Re: Re: Quantum history");
    assert_json_equal (json_object_get_member (e, "recipients"), "[\"kofi@gaia2mail.com\"]");
  }

  /* the user's own email without a parent goes to... the user */
  sigma_environment_advance (s.env, 1, NULL);
  {
    g_autofree char *own = call_id (&s, "reply_to_email", "{\"email_id\": \"s1\", \"folder_name\": \"sent\"}", FALSE);
    g_autoptr(JsonNode) keep3 = NULL;

    g_assert_cmpuint (strlen (own), ==, 32);
    assert_json_equal (json_object_get_member (email_at (&s, "SENT", 0, &keep3), "recipients"), "[\"" USER "\"]");
  }

  agent_fails (&s, "reply_to_email", "{\"email_id\": \"e9\"}", "Email with id e9 does not exist");
  agent_fails (&s, "reply_to_email", "{\"email_id\": \"e1\", \"folder_name\": \"x\"}", "'X'");
  agent_fails (&s, "reply_to_email", "{\"email_id\": \"e1\", \"attachment_paths\": [\"a.txt\"]}", "File does not exist: a.txt");
}

static void
test_reply_chain_errors (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("reply_to_email fails with ARE's text when a parent is missing, and with an error "
                  "(where ARE loops forever) when the user's emails form a parent cycle");

  setup_init (&s, "EmailClientV2", FALSE);
  load_state (&s,
    "{\"user_email\": \"me@x.com\", \"view_limit\": 5, \"folders\": {"
    " \"SENT\": {\"folder_name\": \"SENT\", \"emails\": ["
    "  {\"sender\": \"me@x.com\", \"email_id\": \"a\", \"parent_id\": \"gone\", \"timestamp\": 3},"
    "  {\"sender\": \"me@x.com\", \"email_id\": \"b\", \"parent_id\": \"c\", \"timestamp\": 2},"
    "  {\"sender\": \"me@x.com\", \"email_id\": \"c\", \"parent_id\": \"b\", \"timestamp\": 1}]}}}");
  agent_fails (&s, "reply_to_email", "{\"email_id\": \"a\", \"folder_name\": \"SENT\"}", "Email with id gone not found");
  agent_fails (&s, "reply_to_email", "{\"email_id\": \"b\", \"folder_name\": \"SENT\"}",
               "The parent emails of email b form a cycle");
}

static void
test_move_and_delete (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *moved = NULL;
  g_autofree char *deleted = NULL;
  g_autoptr(JsonNode) keep = NULL;

  g_test_summary ("move_email moves between folders (DRAFT by default), keeping newest first; "
                  "delete_email moves to TRASH; ARE's errors");

  setup_small (&s);
  moved = call_id (&s, "move_email", "{\"email_id\": \"e2\"}", FALSE);
  g_assert_cmpstr (moved, ==, "e2");
  g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 2);
  g_assert_cmpuint (folder_count (&s, "DRAFT"), ==, 1);

  {
    g_autofree char *back = call_id (&s, "move_email",
                                     "{\"email_id\": \"e2\", \"source_folder_name\": \"draft\", \"dest_folder_name\": \"inbox\"}",
                                     FALSE);
    g_assert_cmpstr (back, ==, "e2");
    g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (email_at (&s, "INBOX", 1, &keep), "email_id"), ==, "e2");
  }

  deleted = call_id (&s, "delete_email", "{\"email_id\": \"e1\"}", FALSE);
  g_assert_cmpstr (deleted, ==, "e1");
  g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 2);
  g_assert_cmpuint (folder_count (&s, "TRASH"), ==, 1);
  /* deleting from TRASH keeps it there */
  {
    g_autofree char *again = call_id (&s, "delete_email", "{\"email_id\": \"e1\", \"folder_name\": \"TRASH\"}", FALSE);
    g_assert_cmpstr (again, ==, "e1");
    g_assert_cmpuint (folder_count (&s, "TRASH"), ==, 1);
  }

  agent_fails (&s, "move_email", "{\"email_id\": \"e1\"}", "Email with id e1 does not exist");
  agent_fails (&s, "move_email", "{\"email_id\": \"e3\", \"source_folder_name\": \"a\"}", "'A'");
  agent_fails (&s, "move_email", "{\"email_id\": \"e3\", \"dest_folder_name\": \"b\"}", "'B'");
  agent_fails (&s, "delete_email", "{\"email_id\": \"e1\"}", "Email with id e1 does not exist");
  agent_fails (&s, "delete_email", "{\"email_id\": \"e3\", \"folder_name\": \"c\"}", "'C'");
}

static void
test_search_emails (void)
{
  g_auto(Setup) s = { NULL, };
  const struct { const char *args; const char *ids; } cases[] = {
    { "{\"query\": \"QUANTUM\"}", "e3" },
    { "{\"query\": \"london\"}", "e2" },              /* sender */
    { "{\"query\": \"team@\"}", "e2" },               /* a recipient */
    { "{\"query\": \"ana@x\"}", "e1" },               /* sender only: cc is not searched */
    { "{\"query\": \"noon\"}", "e1" },                /* content */
    { "{\"query\": \"\"}", "e3,e2,e1" },
    { "{\"query\": \"paper\"}", "" },                 /* another folder */
    { "{\"query\": \"paper\", \"folder_name\": \"sent\"}", "s1" },
  };

  g_test_summary ("search_emails matches sender, recipients, subject and content case-insensitively, "
                  "in one folder, newest first");

  setup_small (&s);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) result = call_ok (&s, "search_emails", cases[i].args);
      JsonArray *array = json_node_get_array (result);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint k = 0; k < json_array_get_length (array); k++)
        g_string_append_printf (ids, "%s%s", k > 0 ? "," : "",
                                json_object_get_string_member (json_array_get_object_element (array, k), "email_id"));
      g_assert_cmpstr (ids->str, ==, cases[i].ids);
    }
  agent_fails (&s, "search_emails", "{\"query\": \"a\", \"folder_name\": \"spam\"}", "'SPAM'");
}

/* ------------------------------------------------------------------------------------ */
/* Environment and data tools                                                           */

static void
test_env_tools (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *email;

  g_test_summary ("send_email_to_user_only, reply_to_email_from_user and create_and_add_email put "
                  "unread emails in the right folder; ARE's errors");

  setup_small (&s);
  id1 = call_id (&s, "send_email_to_user_only", "{\"sender\": \"boss@corp.com\", \"subject\": \"Now\", \"content\": \"Call me\"}", TRUE);
  email = email_at (&s, "INBOX", 0, &keep);
  g_assert_cmpstr (json_object_get_string_member (email, "email_id"), ==, id1);
  assert_json_equal (json_object_get_member (email, "recipients"), "[\"" USER "\"]");
  g_assert_false (json_object_get_boolean_member (email, "is_read"));
  g_assert_cmpint (sigma_completed_event_get_event_type (sigma_environment_get_last_event (s.env)), ==, SIGMA_EVENT_TYPE_ENV);

  id2 = call_id (&s, "reply_to_email_from_user", "{\"sender\": \"ana@x.org\", \"email_id\": \"s1\", \"content\": \"Thanks\"}", TRUE);
  {
    g_autoptr(JsonNode) keep2 = NULL;
    JsonObject *reply = email_at (&s, "INBOX", 1, &keep2);   /* same time as id1: after it */

    g_assert_cmpstr (json_object_get_string_member (reply, "email_id"), ==, id2);
    g_assert_cmpstr (json_object_get_string_member (reply, "subject"), ==, "Re: Paper");
    g_assert_cmpstr (json_object_get_string_member (reply, "parent_id"), ==, "s1");
    g_assert_cmpstr (json_object_get_string_member (reply, "sender"), ==, "ana@x.org");
    assert_json_equal (json_object_get_member (reply, "recipients"), "[\"" USER "\"]");
  }

  id3 = call_id (&s, "create_and_add_email",
                 "{\"sender\": \"x@y.com\", \"recipients\": [\"p@q.com\"], \"subject\": \"S\", \"folder_name\": \"DRAFT\"}", TRUE);
  g_assert_cmpuint (folder_count (&s, "DRAFT"), ==, 1);
  {
    g_autoptr(JsonNode) keep3 = NULL;
    JsonObject *draft = email_at (&s, "DRAFT", 0, &keep3);

    g_assert_cmpstr (json_object_get_string_member (draft, "email_id"), ==, id3);
    g_assert_false (json_object_get_boolean_member (draft, "is_read"));
    g_assert_cmpfloat (json_object_get_double_member (draft, "timestamp"), ==, START_TIME);
  }

  call_fails (&s, "send_email_to_user_only", "{\"sender\": \"nobody\"}", SIGMA_EVENT_TYPE_ENV,
              SIGMA_ERROR_TOOL_FAILED, "Invalid email address: nobody");
  call_fails (&s, "reply_to_email_from_user", "{\"sender\": \"ana@x.org\", \"email_id\": \"e1\"}", SIGMA_EVENT_TYPE_ENV,
              SIGMA_ERROR_TOOL_FAILED, "Email with id e1 does not exist");
  call_fails (&s, "reply_to_email_from_user", "{\"sender\": \"eve@x.org\", \"email_id\": \"s1\"}", SIGMA_EVENT_TYPE_ENV,
              SIGMA_ERROR_TOOL_FAILED,
              "Sender eve@x.org is not a recipient of the email, the recipients are ['kofi@gaia2mail.com', 'ana@x.org']");
  call_fails (&s, "reply_to_email_from_user", "{\"sender\": \"ana@x.org\", \"email_id\": \"s1\", \"attachment_paths\": [\"f\"]}",
              SIGMA_EVENT_TYPE_ENV, SIGMA_ERROR_TOOL_FAILED, "File does not exist: f");
  call_fails (&s, "create_and_add_email", "{\"sender\": \"x\"}", SIGMA_EVENT_TYPE_ENV,
              SIGMA_ERROR_TOOL_FAILED, "Invalid email address: x");
  call_fails (&s, "create_and_add_email", "{\"sender\": \"x@y.com\", \"recipients\": [\"q\"]}", SIGMA_EVENT_TYPE_ENV,
              SIGMA_ERROR_TOOL_FAILED, "Invalid email address: q");
  call_fails (&s, "create_and_add_email", "{\"sender\": \"x@y.com\", \"folder_name\": \"Trash\"}", SIGMA_EVENT_TYPE_ENV,
              SIGMA_ERROR_TOOL_FAILED, "'Trash' is not a valid EmailFolderName");
}

static void
test_create_with_time (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *id = NULL;
  g_autofree char *now_id = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *email;

  g_test_summary ("create_and_add_email_with_time parses the time (Python strptime leniency), makes "
                  "a read email, and defaults to the simulated time");

  setup_small (&s);
  id = call_id (&s, "create_and_add_email_with_time",
                "{\"sender\": \"old@x.com\", \"email_time\": \"2024-1-2 3:4:5\", \"folder_name\": \"INBOX\"}", TRUE);
  email = email_at (&s, "INBOX", 3, &keep);   /* the oldest */
  g_assert_cmpstr (json_object_get_string_member (email, "email_id"), ==, id);
  g_assert_cmpfloat (json_object_get_double_member (email, "timestamp"), ==, 1704164645.0);
  g_assert_true (json_object_get_boolean_member (email, "is_read"));

  now_id = call_id (&s, "create_and_add_email_with_time", "{\"sender\": \"new@x.com\"}", TRUE);
  {
    g_autoptr(JsonNode) keep2 = NULL;
    g_assert_cmpfloat (json_object_get_double_member (email_at (&s, "INBOX", 0, &keep2), "timestamp"), ==, START_TIME);
  }

  call_fails (&s, "create_and_add_email_with_time", "{\"sender\": \"a@b.com\", \"email_time\": \"yesterday\"}",
              SIGMA_EVENT_TYPE_ENV, SIGMA_ERROR_TOOL_FAILED,
              "Invalid datetime format for the email time. Please use YYYY-MM-DD HH:MM:SS");
  call_fails (&s, "create_and_add_email_with_time", "{\"sender\": \"a@b.com\", \"email_time\": \"2024-02-30 00:00:00\"}",
              SIGMA_EVENT_TYPE_ENV, SIGMA_ERROR_TOOL_FAILED,
              "Invalid datetime format for the email time. Please use YYYY-MM-DD HH:MM:SS");
  call_fails (&s, "create_and_add_email_with_time", "{\"sender\": \"a@b.com\", \"folder_name\": \"junk\"}",
              SIGMA_EVENT_TYPE_ENV, SIGMA_ERROR_TOOL_FAILED, "'junk' is not a valid EmailFolderName");
}

static void
test_ordering (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *emails;

  g_test_summary ("Folders keep the loaded order until an email is added; then they are sorted "
                  "newest first, and equal timestamps keep their insertion order (stable sort)");

  setup_init (&s, "EmailClientV2", FALSE);
  load_state (&s,
    "{\"user_email\": \"me@x.com\", \"view_limit\": 5, \"folders\": {"
    " \"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": ["
    "  {\"sender\": \"a@x.com\", \"email_id\": \"old\", \"timestamp\": 10},"
    "  {\"sender\": \"a@x.com\", \"email_id\": \"new\", \"timestamp\": 30},"
    "  {\"sender\": \"a@x.com\", \"email_id\": \"tie1\", \"timestamp\": 20},"
    "  {\"sender\": \"a@x.com\", \"email_id\": \"tie2\", \"timestamp\": 20}]}}}");

  list = call_ok (&s, "list_emails", "{}");
  emails = json_object_get_array_member (json_node_get_object (list), "emails");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 0), "email_id"), ==, "old");

  /* an email at t=20 goes after the two ties */
  g_free (call_id (&s, "create_and_add_email_with_time",
                   "{\"sender\": \"b@x.com\", \"email_time\": \"1970-01-01 00:00:20\"}", TRUE));
  state = sigma_app_get_state (s.app);
  emails = json_object_get_array_member (json_object_get_object_member (json_object_get_object_member (
             json_node_get_object (state), "folders"), "INBOX"), "emails");
  for (guint i = 0; i < json_array_get_length (emails); i++)
    {
      JsonObject *e = json_array_get_object_element (emails, i);
      g_string_append_printf (ids, "%s ", g_str_equal (json_object_get_string_member (e, "sender"), "b@x.com")
                                          ? "added" : json_object_get_string_member (e, "email_id"));
    }
  g_assert_cmpstr (ids->str, ==, "new tie1 tie2 added old ");
}

/* ------------------------------------------------------------------------------------ */
/* Attachments through the file system app                                              */

static void
write_file (Setup      *s,
            const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  sigma_file_system_write_file (SIGMA_FILE_SYSTEM (s->fs), path, bytes, &error);
  g_assert_no_error (error);
}

static void
fs_invoke (Setup      *s,
           const char *tool,
           const char *args_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = parse_object (args_json);
  g_autoptr(JsonNode) result = sigma_app_invoke (s->fs, tool, args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static char *
read_file (Setup      *s,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sigma_file_system_read_file (SIGMA_FILE_SYSTEM (s->fs), path, &error);
  gsize size;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

static void
test_attachments (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *id = NULL;
  g_autofree char *args = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) paths = NULL;
  JsonObject *email;

  g_test_summary ("Attachments are read from the environment's file system app, stored as base64 "
                  "under their base name, and written back by download_attachments");

  setup_init (&s, "EmailClientV2", TRUE);
  fs_invoke (&s, "mkdir", "{\"path\": \"/Documents\"}");
  write_file (&s, "Documents/report.txt", "quarterly numbers");
  write_file (&s, "notes.md", "# notes");

  id = call_id (&s, "send_email",
                "{\"recipients\": [\"a@b.com\"], \"attachment_paths\": [\"Documents/report.txt\", \"/notes.md\"]}", FALSE);
  email = email_at (&s, "SENT", 0, &keep);
  /* "quarterly numbers" and "# notes" in base64 */
  assert_json_equal (json_object_get_member (email, "attachments"),
                     "{\"report.txt\": \"cXVhcnRlcmx5IG51bWJlcnM=\", \"notes.md\": \"IyBub3Rlcw==\"}");

  /* download_attachments writes the files into an existing directory */
  args = g_strdup_printf ("{\"email_id\": \"%s\", \"folder_name\": \"SENT\", \"path_to_save\": \"Documents\"}", id);
  fs_invoke (&s, "makedirs", "{\"path\": \"Downloads\"}");
  {
    g_autofree char *args2 = g_strdup_printf ("{\"email_id\": \"%s\", \"folder_name\": \"SENT\"}", id);
    g_autofree char *copy = NULL;

    paths = call_ok (&s, "download_attachments", args2);
    assert_json_equal (paths, "[\"Downloads/report.txt\", \"Downloads/notes.md\"]");
    copy = read_file (&s, "Downloads/report.txt");
    g_assert_cmpstr (copy, ==, "quarterly numbers");
  }
  {
    g_autoptr(JsonNode) into_documents = call_ok (&s, "download_attachments", args);
    assert_json_equal (into_documents, "[\"Documents/report.txt\", \"Documents/notes.md\"]");
  }
  /* the replies take attachments too */
  {
    g_autofree char *a1 = g_strdup_printf ("{\"sender\": \"a@b.com\", \"email_id\": \"%s\", \"attachment_paths\": [\"notes.md\"]}", id);
    g_autofree char *reply = call_id (&s, "reply_to_email_from_user", a1, TRUE);
    g_autofree char *a2 = g_strdup_printf ("{\"email_id\": \"%s\", \"attachment_paths\": [\"Documents/report.txt\"]}", reply);
    g_autofree char *answer = NULL;
    g_autoptr(JsonNode) keep2 = NULL;
    g_autoptr(JsonNode) keep3 = NULL;

    assert_json_equal (json_object_get_member (email_at (&s, "INBOX", 0, &keep2), "attachments"),
                       "{\"notes.md\": \"IyBub3Rlcw==\"}");
    sigma_environment_advance (s.env, 1, NULL);
    answer = call_id (&s, "reply_to_email", a2, FALSE);
    assert_json_equal (json_object_get_member (email_at (&s, "SENT", 0, &keep3), "attachments"),
                       "{\"report.txt\": \"cXVhcnRlcmx5IG51bWJlcnM=\"}");
  }
  {
    g_autofree char *plain = call_id (&s, "send_email", "{}", FALSE);
    g_autofree char *args3 = g_strdup_printf ("{\"email_id\": \"%s\", \"folder_name\": \"sent\"}", plain);
    g_autoptr(JsonNode) none = call_ok (&s, "download_attachments", args3);

    assert_json_equal (none, "[]");
  }
}

static void
test_attachment_errors (void)
{
  g_auto(Setup) s = { NULL, };
  g_auto(Setup) bare = { NULL, };
  g_autofree char *id = NULL;
  g_autofree char *args = NULL;

  g_test_summary ("Attachment errors: a missing file, a path outside the file system, a missing "
                  "target directory, and an environment without a file system app");

  setup_init (&s, "EmailClientV2", TRUE);
  write_file (&s, "a.txt", "A");
  agent_fails (&s, "send_email", "{\"attachment_paths\": [\"b.txt\"]}", "File does not exist: b.txt");
  agent_fails (&s, "send_email", "{\"attachment_paths\": [\"../etc/passwd\"]}", "File does not exist: ../etc/passwd");
  agent_fails (&s, "send_email", "{\"attachment_paths\": [\"/\"]}", "[Errno 21] Is a directory: '/'");

  id = call_id (&s, "send_email", "{\"attachment_paths\": [\"a.txt\"]}", FALSE);
  args = g_strdup_printf ("{\"email_id\": \"%s\", \"folder_name\": \"SENT\", \"path_to_save\": \"Missing/\"}", id);
  agent_fails (&s, "download_attachments", args, "[Errno 2] No such file or directory: '/Missing/a.txt'");
  agent_fails (&s, "download_attachments", "{\"email_id\": \"zz\"}", "Email with id zz does not exist");
  agent_fails (&s, "download_attachments", "{\"email_id\": \"zz\", \"folder_name\": \"q\"}", "'Q'");

  /* without a file system app nothing exists and nothing can be saved; the host is never used */
  setup_init (&bare, "EmailClientV2", FALSE);
  agent_fails (&bare, "send_email", "{\"attachment_paths\": [\"/etc/hostname\"]}", "File does not exist: /etc/hostname");
  load_state (&bare, small_state);
  agent_fails (&bare, "download_attachments", "{\"email_id\": \"e2\", \"path_to_save\": \"/tmp\"}",
               "[Errno 2] No such file or directory: '/tmp/notes.txt'");
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

static void
test_notifications (void)
{
  const struct { const char *class_name; SigmaVerbosity verbosity; const char *expected; } cases[] = {
    { "EmailClientV2", SIGMA_VERBOSITY_LOW, "" },
    { "EmailClientV2", SIGMA_VERBOSITY_MEDIUM,
      "EmailClientV2: New email received from boss@corp.com|EmailClientV2: New email received from x@y.com|"
      "EmailClientV2: New email received|" },
    { "EmailClientV2", SIGMA_VERBOSITY_HIGH,
      "EmailClientV2: New email received from boss@corp.com|EmailClientV2: New email received from x@y.com|"
      "EmailClientV2: New email received|" },
    { "Mail", SIGMA_VERBOSITY_MEDIUM,
      "Mail: New email received from boss@corp.com|Mail: New email received from x@y.com|Mail: New email received|" },
  };

  g_test_summary ("Incoming emails notify at MEDIUM and HIGH, with the class name and the sender; "
                  "agent tools, data tools and failed calls never notify");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Setup) s = { NULL, };
      g_autoptr(GPtrArray) pending = NULL;
      g_autoptr(GString) texts = g_string_new (NULL);
      SigmaNotificationSystem *ns;

      setup_init (&s, cases[i].class_name, FALSE);
      load_state (&s, small_state);
      ns = sigma_environment_get_notifications (s.env);
      sigma_notification_system_set_verbosity (ns, cases[i].verbosity);

      g_free (call_id (&s, "send_email_to_user_only", "{\"sender\": \"boss@corp.com\"}", TRUE));
      g_free (call_id (&s, "create_and_add_email", "{\"sender\": \"x@y.com\"}", TRUE));
      g_free (call_id (&s, "reply_to_email_from_user", "{\"sender\": \"ana@x.org\", \"email_id\": \"s1\"}", TRUE));
      g_free (call_id (&s, "create_and_add_email_with_time", "{\"sender\": \"d@y.com\"}", TRUE));
      g_free (call_id (&s, "send_email", "{\"recipients\": [\"a@b.com\"]}", FALSE));
      call_fails (&s, "create_and_add_email", "{\"sender\": \"bad\"}", SIGMA_EVENT_TYPE_ENV,
                  SIGMA_ERROR_TOOL_FAILED, "Invalid email address: bad");

      pending = sigma_notification_system_list_pending (ns);
      for (guint k = 0; k < pending->len; k++)
        {
          SigmaNotification *n = g_ptr_array_index (pending, k);

          g_assert_cmpint (sigma_notification_get_message_type (n), ==, SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION);
          g_assert_cmpfloat (sigma_notification_get_timestamp (n), ==, START_TIME);
          g_string_append_printf (texts, "%s|", sigma_notification_get_message (n));
        }
      g_assert_cmpstr (texts->str, ==, cases[i].expected);
    }
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static void
test_state_round_trip (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) input = json_from_string (small_state, NULL);
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_test_summary ("get_state returns the loaded state exactly (key order, integer timestamps, null "
                  "is_read, attachments), and loading it again changes nothing");

  setup_init (&s, "EmailClientV2", FALSE);
  load_state (&s, small_state);
  saved = sigma_app_get_state (s.app);
  a = json_to_string (input, FALSE);
  b = json_to_string (saved, FALSE);
  g_assert_cmpstr (b, ==, a);

  load_state (&s, b);
  again = sigma_app_get_state (s.app);
  g_assert_true (json_node_equal (again, saved));
}

static void
test_state_defaults (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *email;

  g_test_summary ("A new app has ARE's defaults; a state may omit folders (they keep their emails), "
                  "folder_name (the key is used), user_email and view_limit, and email fields other "
                  "than email_id and timestamp; reset empties the app");

  setup_init (&s, "EmailClientV2", FALSE);
  state = sigma_app_get_state (s.app);
  assert_json_equal (state,
    "{\"user_email\": \"user@meta.com\", \"view_limit\": 5, \"folders\": {"
    "\"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": []}, \"SENT\": {\"folder_name\": \"SENT\", \"emails\": []},"
    "\"DRAFT\": {\"folder_name\": \"DRAFT\", \"emails\": []}, \"TRASH\": {\"folder_name\": \"TRASH\", \"emails\": []}}}");

  load_state (&s, small_state);
  load_state (&s, "{\"folders\": {\"TRASH\": {\"emails\": [{\"email_id\": \"t1\", \"timestamp\": 1.5}]}}}");
  g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 3);
  g_assert_cmpuint (folder_count (&s, "TRASH"), ==, 1);
  email = email_at (&s, "TRASH", 0, &keep);
  assert_json_equal (json_object_get_member (email, "sender"), "\"user@meta.com\"");
  assert_json_equal (json_object_get_member (email, "attachments"), "{}");
  g_assert_false (json_object_get_boolean_member (email, "is_read"));
  {
    g_autoptr(JsonNode) st = sigma_app_get_state (s.app);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (st), "user_email"), ==, USER);
  }

  /* attachments may be null, cc null means [] */
  load_state (&s, "{\"folders\": {\"DRAFT\": {\"emails\": [{\"email_id\": \"d1\", \"timestamp\": 2, \"attachments\": null, \"cc\": null}]}}}");
  {
    g_autoptr(JsonNode) keep2 = NULL;
    JsonObject *d = email_at (&s, "DRAFT", 0, &keep2);

    g_assert_true (json_object_get_null_member (d, "attachments"));
    assert_json_equal (json_object_get_member (d, "cc"), "[]");
  }

  sigma_app_reset (s.app);
  {
    g_autoptr(JsonNode) empty = sigma_app_get_state (s.app);
    g_autoptr(JsonNode) fresh = NULL;
    g_auto(Setup) other = { NULL, };

    setup_init (&other, "EmailClientV2", FALSE);
    fresh = sigma_app_get_state (other.app);
    g_assert_true (json_node_equal (empty, fresh));
  }
}

static void
test_state_errors (void)
{
  const struct { const char *state; const char *message; } cases[] = {
    { "[]", "Emails: app_state must be a JSON object" },
    { "{\"user_email\": \"a@b.com\", \"view_limit\": 5}", "Emails: app_state.folders: missing (expected an object)" },
    { "{\"user_email\": 3, \"folders\": {}}", "Emails: app_state.user_email: expected a string" },
    { "{\"view_limit\": \"five\", \"folders\": {}}", "Emails: app_state.view_limit: expected an integer" },
    { "{\"folders\": {\"INBOX\": []}}", "Emails: app_state.folders.INBOX: expected an object" },
    { "{\"folders\": {\"INBOX\": {\"folder_name\": \"INBOX\"}}}", "Emails: app_state.folders.INBOX.emails: missing (expected an array)" },
    { "{\"folders\": {\"SPAM\": {\"emails\": []}}}", "Emails: app_state.folders.SPAM.folder_name: unknown folder 'SPAM'" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1}, 7]}}}",
      "Emails: app_state.folders.INBOX.emails[1]: expected an object" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1}, {\"email_id\": \"b\", \"timestamp\": 1, \"sender\": 4}]}}}",
      "Emails: app_state.folders.INBOX.emails[1].sender: expected a string" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"timestamp\": 1}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].email_id: missing (expected a string)" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\"}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].timestamp: missing (expected a number)" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": \"now\"}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].timestamp: expected a number" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1, \"labels\": []}]}}}",
      "Emails: app_state.folders.INBOX.emails[0]: unknown field 'labels'" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1, \"sender\": \"bob\"}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].sender: Invalid email address: bob" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1, \"recipients\": [\"a@b\", 3]}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].recipients[1]: expected a string" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1, \"cc\": [\"carol\"]}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].cc[0]: Invalid email address: carol" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1, \"attachments\": {\"f\": 1}}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].attachments.f: expected a string (base64 text)" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1, \"is_read\": \"yes\"}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].is_read: expected a boolean" },
    { "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"\", \"timestamp\": 1}]}}}",
      "Emails: app_state.folders.INBOX.emails[0].email_id: must not be empty" },
  };

  g_test_summary ("Malformed states fail with SIGMA_ERROR_INVALID_DATA naming the app and the JSON "
                  "path of the field, and leave the app unchanged");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Setup) s = { NULL, };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) state = json_from_string (cases[i].state, NULL);

      setup_small (&s);
      g_assert_false (sigma_app_load_state (s.app, state, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 3);
    }
}

static void
test_state_lenient (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = json_from_string (
    "{\"folders\": {\"INBOX\": {\"emails\": [{\"email_id\": \"a\", \"timestamp\": 1},"
    " {\"email_id\": \"b\", \"timestamp\": 1, \"sender\": \"bob\"}, {\"email_id\": \"c\", \"timestamp\": 2}]}}}", NULL);

  g_test_summary ("In lenient mode a malformed email is skipped with a warning and the others load");

  setup_init (&s, "EmailClientV2", FALSE);
  sigma_app_set_lenient (s.app, TRUE);
  g_test_expect_message ("Sigma", G_LOG_LEVEL_WARNING,
                         "Emails: app_state.folders.INBOX.emails[1].sender: Invalid email address: bob (skipped)");
  g_assert_true (sigma_app_load_state (s.app, state, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (folder_count (&s, "INBOX"), ==, 2);
}

static void
test_duplicate_ids (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) first = NULL;

  g_test_summary ("With duplicate ids (ARE allows them) lookups return the first email of the folder");

  setup_init (&s, "EmailClientV2", FALSE);
  load_state (&s,
    "{\"folders\": {\"INBOX\": {\"emails\": ["
    " {\"email_id\": \"d\", \"subject\": \"one\", \"timestamp\": 2},"
    " {\"email_id\": \"d\", \"subject\": \"two\", \"timestamp\": 1}]},"
    " \"SENT\": {\"emails\": [{\"email_id\": \"x\", \"subject\": \"sent\", \"timestamp\": 1}]},"
    " \"DRAFT\": {\"emails\": [{\"email_id\": \"x\", \"subject\": \"draft\", \"timestamp\": 1}]}}}");
  first = call_ok (&s, "get_email_by_id", "{\"email_id\": \"d\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first), "subject"), ==, "one");
  {
    g_autoptr(JsonNode) draft = call_ok (&s, "get_email_by_id", "{\"email_id\": \"x\", \"folder_name\": \"draft\"}");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (draft), "subject"), ==, "draft");
  }
}

static void
test_determinism (void)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);

  g_test_summary ("The same seed gives the same ids (the app's Python-parity generator); another "
                  "seed gives others; reset restarts the sequence");

  for (guint seed = 0; seed < 3; seed++)
    {
      g_auto(Setup) s = { NULL, };
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      setup_init (&s, "EmailClientV2", FALSE);
      sigma_environment_set_seed (s.env, seed < 2 ? 42 : 7);
      a = call_id (&s, "send_email", "{}", FALSE);
      b = call_id (&s, "send_email_to_user_only", "{\"sender\": \"a@b.com\"}", TRUE);
      g_ptr_array_add (runs, g_strconcat (a, "/", b, NULL));

      sigma_app_reset (s.app);
      {
        g_autofree char *again = call_id (&s, "send_email", "{}", FALSE);
        g_assert_cmpstr (again, ==, a);
      }
    }
  g_assert_cmpstr (g_ptr_array_index (runs, 0), ==, g_ptr_array_index (runs, 1));
  g_assert_cmpstr (g_ptr_array_index (runs, 0), !=, g_ptr_array_index (runs, 2));
}

/* ------------------------------------------------------------------------------------ */
/* Corpus                                                                               */

static SigmaApp *
load_corpus_app (JsonObject *entry)
{
  const char *name = json_object_get_string_member (entry, "name");
  const char *class_name = json_object_has_member (entry, "class_name") &&
                           !json_object_get_null_member (entry, "class_name")
                           ? json_object_get_string_member (entry, "class_name") : name;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = NULL;

  /* The universe 21 file names its apps only ("Emails"), which is no ARE class: the alias
   * table maps it to its canonical class. */
  if (sigma_apps_lookup_type (class_name) == G_TYPE_INVALID && sigma_apps_get_canonical_name (class_name) != NULL)
    class_name = sigma_apps_get_canonical_name (class_name);
  app = sigma_apps_create (class_name, name, &error);
  g_assert_no_error (error);
  sigma_app_load_state (app, json_object_get_member (entry, "app_state"), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&app);
}

static gboolean
is_email_entry (JsonObject *entry)
{
  const char *name = json_object_get_string_member (entry, "name");
  const char *class_name = json_object_has_member (entry, "class_name") &&
                           !json_object_get_null_member (entry, "class_name")
                           ? json_object_get_string_member (entry, "class_name") : name;

  return g_str_equal (class_name, "EmailClientV2") || g_str_equal (class_name, "EmailClientApp") ||
         g_str_equal (class_name, "Mail") || g_str_equal (name, "Emails");
}

static guint
check_gaia2_apps (JsonArray *apps)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      g_autoptr(SigmaApp) app = NULL;
      g_autoptr(JsonNode) saved = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if (!is_email_entry (entry))
        continue;
      app = load_corpus_app (entry);
      saved = sigma_app_get_state (app);
      a = json_to_string (json_object_get_member (entry, "app_state"), FALSE);
      b = json_to_string (saved, FALSE);
      g_assert_cmpstr (b, ==, a);
      g_assert_true (json_node_equal (saved, json_object_get_member (entry, "app_state")));
      n++;
    }
  return n;
}

static void
test_corpus_gaia2 (void)
{
  g_autoptr(JsonNode) root = app_test_read_corpus ("gaia2/scenario_universe_30_997a5b.json");
  JsonObject *scenario;

  g_test_summary ("Every Emails app_state of the Gaia2 scenario (apps[] and augmentation.apps[]) "
                  "loads and get_state gives back the same JSON, byte for byte");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR does not hold the Gaia2 scenario");
      return;
    }
  scenario = json_node_get_object (root);
  g_assert_cmpuint (check_gaia2_apps (json_object_get_array_member (scenario, "apps")), ==, 1);
  g_assert_cmpuint (check_gaia2_apps (json_object_get_array_member (
                      json_object_get_object_member (scenario, "augmentation"), "apps")), ==, 1);
}

static void
test_corpus_universe21 (void)
{
  g_autoptr(JsonNode) root = app_test_read_corpus ("are-scenarios/gaia2_universe21_env-augmentation-apps_via-pare.json");
  JsonArray *apps;
  guint n = 0;

  g_test_summary ("The universe 21 augmentation Emails state, which has only folders.INBOX.emails "
                  "(no user_email, view_limit or folder_name: ARE itself would drop it), loads; "
                  "get_state is that state completed with the defaults, and is a fixed point");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR does not hold the universe 21 augmentation data");
      return;
    }
  apps = json_object_get_array_member (json_node_get_object (root), "apps");
  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      g_autoptr(SigmaApp) app = NULL;
      g_autoptr(JsonNode) saved = NULL;
      g_autoptr(JsonNode) expected = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      JsonObject *folders, *inbox;

      if (!is_email_entry (entry))
        continue;
      app = load_corpus_app (entry);
      saved = sigma_app_get_state (app);

      /* The state ARE's exporter would write for this data: the input's INBOX emails,
       * unchanged, inside the full structure with the constructor defaults. Nothing else may
       * differ. */
      expected = json_from_string (
        "{\"user_email\": \"user@meta.com\", \"view_limit\": 5, \"folders\": {"
        "\"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": []}, \"SENT\": {\"folder_name\": \"SENT\", \"emails\": []},"
        "\"DRAFT\": {\"folder_name\": \"DRAFT\", \"emails\": []}, \"TRASH\": {\"folder_name\": \"TRASH\", \"emails\": []}}}",
        NULL);
      folders = json_object_get_object_member (json_node_get_object (expected), "folders");
      inbox = json_object_get_object_member (folders, "INBOX");
      json_object_set_member (inbox, "emails",
                              json_node_copy (json_object_get_member (json_object_get_object_member (json_object_get_object_member (
                                json_object_get_object_member (entry, "app_state"), "folders"), "INBOX"), "emails")));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (inbox, "emails")), >, 0);
      a = json_to_string (expected, FALSE);
      b = json_to_string (saved, FALSE);
      g_assert_cmpstr (b, ==, a);

      sigma_app_load_state (app, saved, &error);
      g_assert_no_error (error);
      again = sigma_app_get_state (app);
      g_assert_true (json_node_equal (again, saved));
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

/* ------------------------------------------------------------------------------------ */
/* The list cache (its speed is measured by `sigma bench --workload tool-call`)          */

/* The ids and read flags of the first page of a folder, as list_emails shows them. */
static char *
listed (Setup      *s,
        const char *folder)
{
  g_autofree char *args = g_strdup_printf ("{\"folder_name\": \"%s\"}", folder);
  g_autoptr(JsonNode) result = call_ok (s, "list_emails", args);
  JsonArray *emails = json_object_get_array_member (json_node_get_object (result), "emails");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (emails); i++)
    {
      JsonObject *e = json_array_get_object_element (emails, i);
      JsonNode *read = json_object_get_member (e, "is_read");

      g_string_append_printf (out, "%s%s%s", i > 0 ? " " : "", json_object_get_string_member (e, "email_id"),
                              JSON_NODE_HOLDS_NULL (read) ? "?" : json_node_get_boolean (read) ? "+" : "-");
    }
  return g_string_free (out, FALSE);
}

static void
test_list_cache (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *l0 = NULL, *l1 = NULL, *l2 = NULL, *l3 = NULL, *l4 = NULL, *l5 = NULL, *l6 = NULL;
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;

  g_test_summary ("list_emails results are shared while nothing changes, and every change (read "
                  "flag, new, moved or deleted email, load_state, reset) shows in the next listing");

  setup_small (&s);
  r1 = call_ok (&s, "list_emails", "{}");
  r2 = call_ok (&s, "list_emails", "{\"folder_name\": \"INBOX\", \"offset\": 0, \"limit\": 10}");
  g_assert_true (r1 == r2);   /* the same immutable result */

  l0 = listed (&s, "INBOX");
  g_assert_cmpstr (l0, ==, "e3? e2- e1+");
  json_node_unref (call_ok (&s, "get_email_by_id", "{\"email_id\": \"e2\"}"));
  l1 = listed (&s, "INBOX");
  g_assert_cmpstr (l1, ==, "e3? e2+ e1+");
  json_node_unref (call_ok (&s, "get_email_by_index", "{\"idx\": 0}"));
  l2 = listed (&s, "INBOX");
  g_assert_cmpstr (l2, ==, "e3+ e2+ e1+");
  json_node_unref (call_ok (&s, "move_email", "{\"email_id\": \"e1\", \"dest_folder_name\": \"SENT\"}"));
  l3 = listed (&s, "INBOX");
  g_assert_cmpstr (l3, ==, "e3+ e2+");
  {
    g_autofree char *sent = listed (&s, "SENT");
    g_assert_cmpstr (sent, ==, "e1+ s1+");
  }
  json_node_unref (call_ok (&s, "delete_email", "{\"email_id\": \"e3\"}"));
  l4 = listed (&s, "INBOX");
  g_assert_cmpstr (l4, ==, "e2+");
  g_free (call_id (&s, "create_and_add_email", "{\"sender\": \"n@x.com\", \"folder_name\": \"INBOX\"}", TRUE));
  l5 = listed (&s, "INBOX");
  g_assert_true (g_str_has_suffix (l5, "- e2+"));
  load_state (&s, small_state);
  l6 = listed (&s, "INBOX");
  g_assert_cmpstr (l6, ==, "e3? e2- e1+");
  sigma_app_reset (s.app);
  {
    g_autofree char *empty = listed (&s, "INBOX");
    g_assert_cmpstr (empty, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/apps/email/create", test_create);
  g_test_add_func ("/sigma/apps/email/tools", test_tools);
  g_test_add_func ("/sigma/apps/email/send-email", test_send_email);
  g_test_add_func ("/sigma/apps/email/send-email-errors", test_send_email_errors);
  g_test_add_func ("/sigma/apps/email/list-emails", test_list_emails);
  g_test_add_func ("/sigma/apps/email/folder-names", test_folder_names);
  g_test_add_func ("/sigma/apps/email/get-email", test_get_email);
  g_test_add_func ("/sigma/apps/email/forward-email", test_forward_email);
  g_test_add_func ("/sigma/apps/email/reply-to-email", test_reply_to_email);
  g_test_add_func ("/sigma/apps/email/reply-chain-errors", test_reply_chain_errors);
  g_test_add_func ("/sigma/apps/email/move-and-delete", test_move_and_delete);
  g_test_add_func ("/sigma/apps/email/search-emails", test_search_emails);
  g_test_add_func ("/sigma/apps/email/env-tools", test_env_tools);
  g_test_add_func ("/sigma/apps/email/create-with-time", test_create_with_time);
  g_test_add_func ("/sigma/apps/email/ordering", test_ordering);
  g_test_add_func ("/sigma/apps/email/attachments", test_attachments);
  g_test_add_func ("/sigma/apps/email/attachment-errors", test_attachment_errors);
  g_test_add_func ("/sigma/apps/email/notifications", test_notifications);
  g_test_add_func ("/sigma/apps/email/state/round-trip", test_state_round_trip);
  g_test_add_func ("/sigma/apps/email/state/defaults", test_state_defaults);
  g_test_add_func ("/sigma/apps/email/state/errors", test_state_errors);
  g_test_add_func ("/sigma/apps/email/state/lenient", test_state_lenient);
  g_test_add_func ("/sigma/apps/email/duplicate-ids", test_duplicate_ids);
  g_test_add_func ("/sigma/apps/email/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/email/corpus/gaia2", test_corpus_gaia2);
  g_test_add_func ("/sigma/apps/email/corpus/universe21", test_corpus_universe21);
  g_test_add_func ("/sigma/apps/email/list-cache", test_list_cache);

  return g_test_run ();
}
