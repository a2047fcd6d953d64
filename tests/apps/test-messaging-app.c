/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

/*
 * MessagingAppV2 (apps.md §7.1): every tool's success and error paths through an environment,
 * the fuzzy user lookup, attachments through a file system, the app_state round trip on small
 * and real (corpus) data, malformed states, notifications and seeded ids.
 */

#define START_TIME 1728975600.0   /* 2024-10-15 07:00:00 UTC */
#define APP "Chats"

/* A NAME-mode state: a one-to-one conversation (default title) and a group with an
 * attachment. Times are written as the Gaia2 files write them (integers) and as floats. */
static const char *name_state =
  "{\"conversations\": {"
  "  \"c1\": {\"participant_ids\": [\"me\", \"u1\"], \"messages\": ["
  "    {\"sender_id\": \"u1\", \"message_id\": \"m1\", \"timestamp\": 1000, \"content\": \"Hello there\"},"
  "    {\"sender_id\": \"me\", \"message_id\": \"m2\", \"timestamp\": 2000.5, \"content\": \"Hi Alice\"}],"
  "    \"title\": \"Alice Smith\", \"conversation_id\": \"c1\", \"last_updated\": 2000.5},"
  "  \"c2\": {\"participant_ids\": [\"me\", \"u1\", \"u2\"], \"messages\": ["
  "    {\"sender_id\": \"u2\", \"message_id\": \"m3\", \"timestamp\": 3000.0, \"content\": \"Group news\","
  "     \"attachment\": \"aGVsbG8=\", \"attachment_name\": \"hello.txt\"}],"
  "    \"title\": \"Alice Smith, Bob Jones\", \"conversation_id\": \"c2\", \"last_updated\": 3000}},"
  " \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"NAME\","
  " \"name_to_id\": {\"Me Myself\": \"me\", \"Alice Smith\": \"u1\", \"Bob Jones\": \"u2\", \"Carol King\": \"u3\"},"
  " \"id_to_name\": {\"me\": \"Me Myself\", \"u1\": \"Alice Smith\", \"u2\": \"Bob Jones\", \"u3\": \"Carol King\"},"
  " \"current_user_id\": \"me\", \"current_user_name\": \"Me Myself\"}";

static const char *phone_state =
  "{\"conversations\": {}, \"messages_view_limit\": 10, \"conversation_view_limit\": 5,"
  " \"mode\": \"PHONE_NUMBER\", \"name_to_id\": {\"Me\": \"+100\", \"Ann\": \"+200\"},"
  " \"id_to_name\": {\"+100\": \"Me\", \"+200\": \"Ann\"},"
  " \"current_user_id\": \"+100\", \"current_user_name\": \"Me\"}";

/* ------------------------------------------------------------------------------------------ */
/* A file system app for attachments: files in memory, directories declared up front.         */

#define TEST_TYPE_FS (test_fs_get_type ())
G_DECLARE_FINAL_TYPE (TestFs, test_fs, TEST, FS, SigmaApp)

struct _TestFs
{
  SigmaApp    parent_instance;
  GHashTable *files;         /* path → GBytes */
  GHashTable *directories;   /* path set */
};

static void test_fs_iface_init (SigmaFileSystemInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFs, test_fs, SIGMA_TYPE_APP,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_FILE_SYSTEM, test_fs_iface_init))

static GBytes *
test_fs_read_file (SigmaFileSystem  *fs,
                   const char       *path,
                   GError          **error)
{
  GBytes *bytes = g_hash_table_lookup (TEST_FS (fs)->files, path);

  if (bytes == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "[Errno 21] Is a directory: '%s'", path);
      return NULL;
    }
  return g_bytes_ref (bytes);
}

static gboolean
test_fs_write_file (SigmaFileSystem  *fs,
                    const char       *path,
                    GBytes           *contents,
                    GError          **error)
{
  g_autofree char *directory = g_path_get_dirname (path);

  if (!g_hash_table_contains (TEST_FS (fs)->directories, directory))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such directory: '%s'", directory);
      return FALSE;
    }
  g_hash_table_insert (TEST_FS (fs)->files, g_strdup (path), g_bytes_ref (contents));
  return TRUE;
}

static gboolean
test_fs_exists (SigmaFileSystem *fs,
                const char      *path)
{
  return g_hash_table_contains (TEST_FS (fs)->files, path) ||
         g_hash_table_contains (TEST_FS (fs)->directories, path);
}

static gboolean
test_fs_is_directory (SigmaFileSystem *fs,
                      const char      *path)
{
  return g_hash_table_contains (TEST_FS (fs)->directories, path);
}

static void
test_fs_iface_init (SigmaFileSystemInterface *iface)
{
  iface->read_file = test_fs_read_file;
  iface->write_file = test_fs_write_file;
  iface->exists = test_fs_exists;
  iface->is_directory = test_fs_is_directory;
}

static void
test_fs_finalize (GObject *object)
{
  g_hash_table_unref (TEST_FS (object)->files);
  g_hash_table_unref (TEST_FS (object)->directories);
  G_OBJECT_CLASS (test_fs_parent_class)->finalize (object);
}

static void
test_fs_class_init (TestFsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_fs_finalize;
}

static void
test_fs_init (TestFs *self)
{
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->directories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->directories, g_strdup ("Downloads"));
  g_hash_table_add (self->directories, g_strdup ("Documents"));
  g_hash_table_insert (self->files, g_strdup ("Documents/notes.txt"),
                       g_bytes_new_static ("some notes", 10));
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

/* An environment at START_TIME with a messaging app named APP loaded from @state, and the
 * test file system first when @with_fs. */
static SigmaEnvironment *
make_env (const char  *state,
          gboolean     with_fs,
          SigmaApp   **app_out)
{
  SigmaEnvironment *env = app_test_env_new (START_TIME, 0);
  g_autoptr(SigmaApp) app = app_test_create_app ("MessagingAppV2", APP);

  if (with_fs)
    {
      g_autoptr(SigmaApp) fs = g_object_new (TEST_TYPE_FS, "name", "Files", NULL);

      app_test_add_app (env, fs);
    }
  app_test_load_state (app, state);
  app_test_add_app (env, app);
  if (app_out != NULL)
    *app_out = app;
  return env;
}

static JsonNode *
call_as (SigmaEnvironment  *env,
         SigmaEventType     type,
         const char        *tool,
         const char        *args_json,
         GError           **error)
{
  return app_test_call (env, APP, type, tool, args_json, error);
}

static JsonNode *
call (SigmaEnvironment  *env,
      const char        *tool,
      const char        *args_json,
      GError           **error)
{
  return call_as (env, SIGMA_EVENT_TYPE_AGENT, tool, args_json, error);
}

/* Calls a tool that must succeed and checks its result. */
static void
call_ok (SigmaEnvironment *env,
         const char       *tool,
         const char       *args_json,
         const char       *expected_json)
{
  app_test_assert_call (env, APP, tool, args_json, expected_json);
}

/* Calls a tool that must fail with @code and exactly @message. */
static void
call_fails (SigmaEnvironment *env,
            const char       *tool,
            const char       *args_json,
            gint              code,
            const char       *message)
{
  app_test_call_fails (env, APP, SIGMA_EVENT_TYPE_AGENT, tool, args_json, code, message);
}

#define TOOL_FAILED SIGMA_ERROR_TOOL_FAILED
#define BAD_ARGUMENT SIGMA_ERROR_INVALID_ARGUMENT

static char *
result_string (SigmaEnvironment *env,
               const char       *tool,
               const char       *args_json)
{
  g_autoptr(JsonNode) result = app_test_call_ok (env, APP, SIGMA_EVENT_TYPE_AGENT, tool, args_json);

  return g_strdup (json_node_get_string (result));
}

static JsonObject *
state_conversation (SigmaApp   *app,
                    const char *cid,
                    JsonNode  **state_out)
{
  JsonNode *state = sigma_app_get_state (app);
  JsonObject *conversations = json_object_get_object_member (json_node_get_object (state), "conversations");

  *state_out = state;
  return json_object_get_object_member (conversations, cid);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("MessagingAppV2", NULL, &error);
  g_autoptr(JsonNode) state = NULL;

  g_test_summary ("The app is created from its ARE class name, empty, in NAME mode");

  g_assert_no_error (error);
  g_assert_nonnull (app);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "MessagingAppV2");
  g_assert_cmpstr (sigma_app_get_name (app), ==, "MessagingAppV2");
  state = sigma_app_get_state (app);
  app_test_assert_json (state, "{\"conversations\": {}, \"messages_view_limit\": 10, \"conversation_view_limit\": 5,"
                               " \"mode\": \"NAME\", \"name_to_id\": {}, \"id_to_name\": {},"
                               " \"current_user_id\": null, \"current_user_name\": null}");
}

static void
test_tools (void)
{
  static const struct { const char *name; SigmaToolRole roles; SigmaToolOperation op; guint n_params; } expected[] = {
    { "get_user_id", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 1 },
    { "get_user_name_from_id", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 1 },
    { "lookup_user_id", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 1 },
    { "send_message", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, 3 },
    { "send_message_to_group_conversation", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, 3 },
    { "create_group_conversation", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 2 },
    { "get_existing_conversation_ids", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 1 },
    { "list_recent_conversations", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 4 },
    { "list_conversations_by_participant", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 5 },
    { "download_attachment", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, 3 },
    { "create_and_add_message", SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 3 },
    { "read_conversation", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 5 },
    { "add_participant_to_conversation", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 2 },
    { "remove_participant_from_conversation", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 2 },
    { "change_conversation_title", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, 2 },
    { "search", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 3 },
    { "regex_search", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, 3 },
  };
  g_autoptr(SigmaApp) app = sigma_messaging_app_new ("Messages");
  g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  SigmaTool *tool;

  g_test_summary ("All 17 tools, in ARE's definition order, with ARE's roles, operations and parameters");

  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < tools->len; i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpstr (sigma_tool_get_name (tool), ==, expected[i].name);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, expected[i].roles);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, expected[i].op);
      g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, expected[i].n_params);
      g_assert_cmpstr (sigma_tool_get_description (tool), !=, "");
    }

  /* parameter names, order and defaults of the widest tools */
  tool = sigma_app_lookup_tool (app, "list_conversations_by_participant");
  {
    static const char * const names[] = { "user_id", "offset", "limit", "offset_recent_messages_per_conversation",
                                          "limit_recent_messages_per_conversation" };
    static const gint64 defaults[] = { 0, 0, 5, 0, 5 };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_assert_cmpstr (sigma_tool_get_parameter_name (tool, i), ==, names[i]);
        if (i > 0)
          g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (tool, i)), ==, defaults[i]);
      }
  }
  tool = sigma_app_lookup_tool (app, "list_recent_conversations");
  g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (tool, 3)), ==, 10);
  tool = sigma_app_lookup_tool (app, "download_attachment");
  g_assert_cmpstr (json_node_get_string (sigma_tool_get_parameter_default (tool, 2)), ==, "Downloads/");
  tool = sigma_app_lookup_tool (app, "send_message");
  g_assert_cmpstr (json_node_get_string (sigma_tool_get_parameter_default (tool, 1)), ==, "");
  g_assert_true (JSON_NODE_HOLDS_NULL (sigma_tool_get_parameter_default (tool, 2)));
  g_assert_true (sigma_tool_get_parameter_nullable (tool, 2));
  tool = sigma_app_lookup_tool (app, "read_conversation");
  g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (tool, 2)), ==, 10);
}

static void
test_user_ids (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, NULL);

  g_test_summary ("get_user_id and get_user_name_from_id: exact lookups, null otherwise");

  call_ok (env, "get_user_id", "{\"user_name\": \"Alice Smith\"}", "\"u1\"");
  call_ok (env, "get_user_id", "{\"user_name\": \"alice smith\"}", "null");
  call_ok (env, "get_user_name_from_id", "{\"user_id\": \"u2\"}", "\"Bob Jones\"");
  call_ok (env, "get_user_name_from_id", "{\"user_id\": \"nobody\"}", "null");
  call_fails (env, "get_user_id", "{}", BAD_ARGUMENT, "Tool 'get_user_id' is missing the required argument 'user_name'");
}

static const char *fuzzy_state =
  "{\"conversations\": {}, \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"NAME\","
  " \"name_to_id\": {\"Katharina M\\u00fcller-Schneider\": \"k\", \"Luzia Santos\": \"ls\", \"Luzia B\": \"lb\","
  "   \"Luzia Barbosa\": \"lba\", \"Anna Lee\": \"a\", \"Kai\": \"kai\", \"Me\": \"me\"},"
  " \"id_to_name\": {\"me\": \"Me\"}, \"current_user_id\": \"me\", \"current_user_name\": \"Me\"}";

static void
test_lookup_user_id (void)
{
  static const struct { const char *query; const char *expected; } cases[] = {
    /* exact names first, case-sensitively */
    { "Luzia Barbosa", "{\"Luzia Barbosa\": \"lba\"}" },
    { "Kai", "{\"Kai\": \"kai\"}" },
    /* a whole-word prefix of a short name scores 95 (token set); the two longer names 90
     * (partial match, scale 0.9): best first, ties in map order */
    { "Luzia", "{\"Luzia B\": \"lb\", \"Luzia Santos\": \"ls\", \"Luzia Barbosa\": \"lba\"}" },
    { "  luzia\t", "{\"Luzia B\": \"lb\", \"Luzia Santos\": \"ls\", \"Luzia Barbosa\": \"lba\"}" },
    /* case only: the lower-cased exact name scores 100 */
    { "LUZIA BARBOSA", "{\"Luzia Barbosa\": \"lba\", \"Luzia B\": \"lb\"}" },
    /* word order does not matter (token sort 100 × 0.95); a shared word on a longer name
     * gives 100 × 0.95 × 0.9 = 85.5 */
    { "barbosa luzia", "{\"Luzia Barbosa\": \"lba\", \"Luzia B\": \"lb\"}" },
    { "Santos Luzia", "{\"Luzia Santos\": \"ls\", \"Luzia B\": \"lb\"}" },
    /* accents are not folded: "muller" only reaches 83.3 × 0.9 = 75 */
    { "M\xc3\xbc" "ller", "{\"Katharina M\\u00fcller-Schneider\": \"k\"}" },
    { "M\xc3\x9c" "LLER", "{\"Katharina M\\u00fcller-Schneider\": \"k\"}" },
    { "muller", "{}" },
    /* partial names: the length ratio picks the scale; 26/4 < 8 keeps 0.9, 26/2 ≥ 8 gives 0.6,
     * and 3/2 = 1.5 already takes the partial branch */
    { "kath", "{\"Katharina M\\u00fcller-Schneider\": \"k\"}" },
    { "ka", "{\"Kai\": \"kai\"}" },
    { "anna", "{\"Anna Lee\": \"a\"}" },
    { "zzz", "{}" },
    { "", "{}" },
    { "   ", "{}" },
  };
  g_autoptr(SigmaEnvironment) env = make_env (fuzzy_state, FALSE, NULL);
  g_autoptr(SigmaEnvironment) spec_env = NULL;

  g_test_summary ("lookup_user_id: exact names, then WRatio >= 80 on lower-cased names, best first, "
                  "ties in map order; case, accents, partial names, word order and whitespace");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(GList) members = NULL;
      g_autoptr(JsonNode) want = app_test_parse (cases[i].expected);
      g_autoptr(GList) want_members = json_object_get_members (json_node_get_object (want));
      GList *l, *w;

      json_object_set_string_member (args, "user_name", cases[i].query);
      result = sigma_environment_call_tool (env, APP, "lookup_user_id", args, SIGMA_EVENT_TYPE_AGENT, &error);
      g_assert_no_error (error);
      /* member order matters: compare the key sequences as well as the values */
      members = json_object_get_members (json_node_get_object (result));
      for (l = members, w = want_members; l != NULL && w != NULL; l = l->next, w = w->next)
        g_assert_cmpstr (l->data, ==, w->data);
      if (l != NULL || w != NULL)
        g_error ("lookup_user_id (\"%s\"): %s, expected %s", cases[i].query,
                 json_to_string (result, FALSE), cases[i].expected);
      app_test_assert_json (result, cases[i].expected);
    }

  /* the example of apps.md */
  spec_env = make_env ("{\"conversations\": {}, \"mode\": \"NAME\", \"name_to_id\": {\"Me\": \"1\","
                       " \"Ayita Kuznetsova\": \"2\", \"Luzia Barbosa\": \"3\", \"Luiz Silva\": \"4\"},"
                       " \"id_to_name\": {}, \"current_user_id\": \"1\", \"current_user_name\": \"Me\"}",
                       FALSE, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) result = call (spec_env, "lookup_user_id", "{\"user_name\": \"Luzia\"}", &error);

    g_assert_no_error (error);
    app_test_assert_json (result, "{\"Luzia Barbosa\": \"3\"}");
  }
}

static void
test_send_message (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, &app);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *new_cid = NULL;
  JsonObject *conversation;
  JsonArray *messages;
  guint log_length;

  g_test_summary ("send_message: reuses the one-to-one conversation with the default title, else "
                  "creates one; one logged event (the nested lookup is not logged)");

  call_ok (env, "send_message", "{\"user_id\": \"u1\", \"content\": \"See you\"}", "\"c1\"");
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (env)), ==, 1);
  g_assert_cmpstr (sigma_completed_event_get_function (app_test_last_event (env)), ==, "send_message");
  g_assert_true (sigma_completed_event_is_write (app_test_last_event (env)));

  conversation = state_conversation (app, "c1", &state);
  messages = json_object_get_array_member (conversation, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  {
    JsonObject *message = json_array_get_object_element (messages, 2);

    g_assert_cmpstr (json_object_get_string_member (message, "sender_id"), ==, "me");
    g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "See you");
    g_assert_cmpuint (strlen (json_object_get_string_member (message, "message_id")), ==, 32);
    g_assert_cmpfloat (json_object_get_double_member (message, "timestamp"), ==, START_TIME);
  }
  g_assert_cmpfloat (json_object_get_double_member (conversation, "last_updated"), ==, START_TIME);
  g_clear_pointer (&state, json_node_unref);

  /* a renamed one-to-one conversation is not reused */
  call_ok (env, "change_conversation_title", "{\"conversation_id\": \"c1\", \"title\": \"Best friend\"}", "\"c1\"");
  new_cid = result_string (env, "send_message", "{\"user_id\": \"u1\"}");
  g_assert_cmpstr (new_cid, !=, "c1");
  g_assert_cmpuint (strlen (new_cid), ==, 32);
  conversation = state_conversation (app, new_cid, &state);
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"me\", \"u1\"]");
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Alice Smith");
  g_assert_cmpstr (json_object_get_string_member (conversation, "conversation_id"), ==, new_cid);
  messages = json_object_get_array_member (conversation, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"), ==, "");
  g_clear_pointer (&state, json_node_unref);
  /* and the new one is reused next time */
  call_ok (env, "send_message", "{\"user_id\": \"u1\", \"content\": \"again\"}", NULL);
  {
    g_autofree char *again = result_string (env, "send_message", "{\"user_id\": \"u1\"}");
    g_assert_cmpstr (again, ==, new_cid);
  }

  /* errors: an unknown id in NAME mode; the failure is logged too */
  log_length = sigma_event_log_get_length (sigma_environment_get_log (env));
  call_fails (env, "send_message", "{\"user_id\": \"zz\"}", TOOL_FAILED,
              "User zz does not exist in Ids, you need to provide the Id of an existing user");
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (env)), ==, log_length + 1);
  g_assert_true (sigma_completed_event_is_failure (app_test_last_event (env)));
  /* no file system: no attachment */
  call_fails (env, "send_message", "{\"user_id\": \"u1\", \"attachment_path\": \"Documents/notes.txt\"}",
              TOOL_FAILED, "File Documents/notes.txt does not exist");
  call_fails (env, "send_message", "{\"user_id\": 3}", BAD_ARGUMENT,
              "Tool 'send_message': argument 'user_id' must be a string, got integer");
}

static void
test_send_message_errors (void)
{
  g_autoptr(SigmaEnvironment) env = make_env ("{\"conversations\": {}}", FALSE, NULL);
  g_autoptr(SigmaEnvironment) unknown_me = make_env ("{\"conversations\": {}, \"mode\": \"NAME\","
                                                      " \"name_to_id\": {}, \"id_to_name\": {\"u1\": \"A\"},"
                                                      " \"current_user_id\": \"me\", \"current_user_name\": \"Me\"}",
                                                      FALSE, NULL);

  g_test_summary ("send_message without a current user, and with one missing from id_to_name");

  call_fails (env, "send_message", "{\"user_id\": \"u1\"}", TOOL_FAILED, "Current user id must be set");
  call_fails (env, "send_message_to_group_conversation", "{\"conversation_id\": \"x\"}", TOOL_FAILED,
              "Conversation x does not exist");
  call_fails (unknown_me, "send_message", "{\"user_id\": \"u1\"}", TOOL_FAILED,
              "The current user id me is not a known user (id_to_name)");
}

static void
test_phone_number_mode (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (phone_state, FALSE, &app);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *cid = NULL;
  g_autofree char *known = NULL;
  g_autofree char *group = NULL;
  JsonObject *conversation;

  g_test_summary ("PHONE_NUMBER mode: any id with a digit is a valid recipient, titled by the raw "
                  "number when unknown");

  cid = result_string (env, "send_message", "{\"user_id\": \"+999 123\", \"content\": \"hi\"}");
  conversation = state_conversation (app, cid, &state);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "+999 123");
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"+100\", \"+999 123\"]");
  g_clear_pointer (&state, json_node_unref);

  known = result_string (env, "send_message", "{\"user_id\": \"+200\"}");
  conversation = state_conversation (app, known, &state);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Ann");
  g_clear_pointer (&state, json_node_unref);

  group = result_string (env, "create_group_conversation", "{\"user_ids\": [\"+300\", \"+200\"]}");
  conversation = state_conversation (app, group, &state);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "+300, Ann");

  call_fails (env, "send_message", "{\"user_id\": \"Ann\"}", TOOL_FAILED,
              "User Ann is not a valid phone number, you need to provide the phone number of an existing user");
  call_fails (env, "create_group_conversation", "{\"user_ids\": [\"+300\", \"nobody\"]}", TOOL_FAILED,
              "User nobody is not a valid phone number, you need to provide the phone number of an existing user");
}

static void
test_group_conversations (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, &app);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *titled = NULL;
  g_autofree char *untitled = NULL;
  g_autofree char *empty = NULL;
  JsonObject *conversation;

  g_test_summary ("create_group_conversation, send_message_to_group_conversation and "
                  "get_existing_conversation_ids");

  titled = result_string (env, "create_group_conversation", "{\"user_ids\": [\"u2\", \"u3\"], \"title\": \"Band\"}");
  untitled = result_string (env, "create_group_conversation", "{\"user_ids\": [\"u3\", \"u2\", \"u3\"]}");
  empty = result_string (env, "create_group_conversation", "{\"user_ids\": [\"u3\", \"u1\"], \"title\": \"\"}");

  conversation = state_conversation (app, titled, &state);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Band");
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"u2\", \"u3\", \"me\"]");
  app_test_assert_json (json_object_get_member (conversation, "messages"), "[]");
  g_assert_cmpfloat (json_object_get_double_member (conversation, "last_updated"), ==, START_TIME);
  conversation = json_object_get_object_member (json_object_get_object_member (json_node_get_object (state), "conversations"), untitled);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Bob Jones, Carol King");
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"u3\", \"u2\", \"me\"]");
  /* ARE's ConversationV2 turns an empty title into the joined participant ids */
  conversation = json_object_get_object_member (json_object_get_object_member (json_node_get_object (state), "conversations"), empty);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "u3, u1, me");

  call_fails (env, "create_group_conversation", "{\"user_ids\": [\"u2\"]}", TOOL_FAILED,
              "Must have at least two other participants");
  call_fails (env, "create_group_conversation", "{\"user_ids\": [\"u2\", \"ghost\"]}", TOOL_FAILED,
              "User ghost does not exist in Ids, you need to provide the Id of an existing user");
  call_fails (env, "create_group_conversation", "{\"user_ids\": [\"u2\", 7]}", BAD_ARGUMENT,
              "Tool 'create_group_conversation': argument 'user_ids' must be an array of string, element 1 is integer");

  call_ok (env, "send_message_to_group_conversation", "{\"conversation_id\": \"c2\", \"content\": \"Hey all\"}", "\"c2\"");
  call_fails (env, "send_message_to_group_conversation", "{\"conversation_id\": \"c1\"}", TOOL_FAILED,
              "Conversation c1 is not a group conversation");
  call_fails (env, "send_message_to_group_conversation", "{\"conversation_id\": \"nope\"}", TOOL_FAILED,
              "Conversation nope does not exist");

  call_ok (env, "get_existing_conversation_ids", "{\"user_ids\": [\"u1\"]}", "[\"c1\"]");
  call_ok (env, "get_existing_conversation_ids", "{\"user_ids\": [\"u2\", \"u1\", \"me\", \"u2\"]}", "[\"c2\"]");
  {
    g_autofree char *expected = g_strdup_printf ("[\"%s\", \"%s\"]", titled, untitled);
    call_ok (env, "get_existing_conversation_ids", "{\"user_ids\": [\"u3\", \"u2\"]}", expected);
  }
  call_ok (env, "get_existing_conversation_ids", "{\"user_ids\": []}", "[]");
}

static void
test_list_conversations (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, NULL);
  const char *c1_view = "{\"participant_ids\": [\"me\", \"u1\"], \"messages\": ["
                        "{\"sender_id\": \"me\", \"message_id\": \"m2\", \"timestamp\": 2000.5, \"content\": \"Hi Alice\"},"
                        "{\"sender_id\": \"u1\", \"message_id\": \"m1\", \"timestamp\": 1000, \"content\": \"Hello there\"}],"
                        " \"title\": \"Alice Smith\", \"conversation_id\": \"c1\", \"last_updated\": 2000.5}";
  const char *c2_view = "{\"participant_ids\": [\"me\", \"u1\", \"u2\"], \"messages\": ["
                        "{\"sender_id\": \"u2\", \"message_id\": \"m3\", \"timestamp\": 3000.0, \"content\": \"Group news\","
                        " \"attachment\": \"aGVsbG8=\", \"attachment_name\": \"hello.txt\"}],"
                        " \"title\": \"Alice Smith, Bob Jones\", \"conversation_id\": \"c2\", \"last_updated\": 3000}";
  g_autofree char *both = g_strdup_printf ("[%s, %s]", c2_view, c1_view);
  g_autofree char *in_order = g_strdup_printf ("[%s, %s]", c1_view, c2_view);
  g_autofree char *only_c1 = g_strdup_printf ("[%s]", c1_view);
  g_autofree char *only_c2 = g_strdup_printf ("[%s]", c2_view);

  g_test_summary ("list_recent_conversations and list_conversations_by_participant: order, "
                  "pagination, message windows, ARE's limit errors and Sigma's bounds");

  call_ok (env, "list_recent_conversations", NULL, both);
  call_ok (env, "list_recent_conversations", "{\"offset\": 1}", only_c1);
  call_ok (env, "list_recent_conversations", "{\"offset\": 2}", "[]");
  call_ok (env, "list_recent_conversations", "{\"limit\": 1}", only_c2);
  call_ok (env, "list_recent_conversations", "{\"offset\": 1, \"offset_recent_messages_per_conversation\": 1,"
                                             " \"limit_recent_messages_per_conversation\": 1}",
           "[{\"participant_ids\": [\"me\", \"u1\"], \"messages\": ["
           "{\"sender_id\": \"u1\", \"message_id\": \"m1\", \"timestamp\": 1000, \"content\": \"Hello there\"}],"
           " \"title\": \"Alice Smith\", \"conversation_id\": \"c1\", \"last_updated\": 2000.5}]");
  call_ok (env, "list_recent_conversations", "{\"offset_recent_messages_per_conversation\": 7}",
           "[{\"participant_ids\": [\"me\", \"u1\", \"u2\"], \"messages\": [], \"title\": \"Alice Smith, Bob Jones\","
           " \"conversation_id\": \"c2\", \"last_updated\": 3000},"
           " {\"participant_ids\": [\"me\", \"u1\"], \"messages\": [], \"title\": \"Alice Smith\","
           " \"conversation_id\": \"c1\", \"last_updated\": 2000.5}]");

  call_fails (env, "list_recent_conversations", "{\"limit\": 6}", TOOL_FAILED,
              "Limit must be smaller than the view limit of 5 - Please use a smaller limit and use offset to navigate");
  call_fails (env, "list_recent_conversations", "{\"offset\": -1}", TOOL_FAILED, "Offset must be non-negative");
  call_fails (env, "list_recent_conversations", "{\"offset\": 3}", TOOL_FAILED,
              "Offset is larger than the number of conversations");
  call_fails (env, "list_recent_conversations", "{\"limit_recent_messages_per_conversation\": 11}", TOOL_FAILED,
              "Limit must be smaller than the view limit of 10 - Please use a smaller limit and use offset to navigate");
  call_fails (env, "list_recent_conversations", "{\"offset_recent_messages_per_conversation\": -2}", TOOL_FAILED,
              "Offset must be non-negative");
  /* Sigma's own bounds, where ARE would slice with negative numbers */
  call_fails (env, "list_recent_conversations", "{\"limit\": -1}", BAD_ARGUMENT,
              "Tool 'list_recent_conversations': argument 'limit' must be between 0 and 1000, got -1");
  call_fails (env, "list_recent_conversations", "{\"limit_recent_messages_per_conversation\": -1}", BAD_ARGUMENT,
              "Tool 'list_recent_conversations': argument 'limit_recent_messages_per_conversation' must be "
              "between 0 and 1000, got -1");
  call_fails (env, "list_recent_conversations", "{\"offset_recent_messages_per_conversation\": 5000}", BAD_ARGUMENT,
              "Tool 'list_recent_conversations': argument 'offset_recent_messages_per_conversation' must be "
              "between 0 and 1000, got 5000");
  call_fails (env, "list_recent_conversations", "{\"limit\": 1.5}", BAD_ARGUMENT,
              "Tool 'list_recent_conversations': argument 'limit' must be an integer, got number");

  /* by participant: a substring of any participant id, dict order (not sorted) */
  call_ok (env, "list_conversations_by_participant", "{\"user_id\": \"u\"}", in_order);
  call_ok (env, "list_conversations_by_participant", "{\"user_id\": \"u2\"}", only_c2);
  call_ok (env, "list_conversations_by_participant", "{\"user_id\": \"nobody\"}", "[]");
  call_fails (env, "list_conversations_by_participant", "{\"user_id\": \"u1\", \"limit_recent_messages_per_conversation\": 11}",
              TOOL_FAILED, "Limit must be smaller than the view limit of 10 - Please use a smaller limit "
              "and use offset to navigate");
  call_fails (env, "list_conversations_by_participant", "{\"user_id\": \"u1\", \"offset\": 3}", TOOL_FAILED,
              "Offset is larger than the number of conversations");
  call_fails (env, "list_conversations_by_participant", "{\"user_id\": \"u1\", \"limit\": 9}", TOOL_FAILED,
              "Limit must be smaller than the view limit of 5 - Please use a smaller limit and use offset to navigate");
}

static void
test_sort_ties (void)
{
  g_autoptr(SigmaEnvironment) env = make_env ("{\"conversations\": {"
    " \"z\": {\"participant_ids\": [\"me\", \"u1\"], \"messages\": [], \"title\": \"Z\", \"conversation_id\": \"z\", \"last_updated\": 7},"
    " \"a\": {\"participant_ids\": [\"me\", \"u1\"], \"messages\": ["
    "   {\"sender_id\": \"u1\", \"message_id\": \"second\", \"timestamp\": 5, \"content\": \"\"},"
    "   {\"sender_id\": \"u1\", \"message_id\": \"first\", \"timestamp\": 5, \"content\": \"\"},"
    "   {\"sender_id\": \"u1\", \"message_id\": \"newest\", \"timestamp\": 6, \"content\": \"\"}],"
    "   \"title\": \"A\", \"conversation_id\": \"a\", \"last_updated\": 7.0},"
    " \"m\": {\"participant_ids\": [\"me\", \"u1\"], \"messages\": [], \"title\": \"M\", \"conversation_id\": \"m\", \"last_updated\": 7}},"
    " \"name_to_id\": {\"Me\": \"me\", \"U\": \"u1\"}, \"id_to_name\": {\"me\": \"Me\", \"u1\": \"U\"},"
    " \"current_user_id\": \"me\", \"current_user_name\": \"Me\"}", FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) listed = call (env, "list_recent_conversations", NULL, &error);
  g_autoptr(JsonNode) read = NULL;
  JsonArray *conversations, *messages;

  g_test_summary ("Newest-first sorts are stable, as Python's sorted(reverse=True): equal times "
                  "keep dict and list order");

  g_assert_no_error (error);
  conversations = json_node_get_array (listed);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conversations, 0), "conversation_id"), ==, "z");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conversations, 1), "conversation_id"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conversations, 2), "conversation_id"), ==, "m");

  read = call (env, "read_conversation", "{\"conversation_id\": \"a\"}", &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (read), "messages");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "message_id"), ==, "newest");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "message_id"), ==, "second");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 2), "message_id"), ==, "first");
}

static void
test_attachments (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (name_state, TRUE, &app);
  g_autoptr(SigmaEnvironment) no_fs = make_env (name_state, FALSE, NULL);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *message_id = NULL;
  SigmaFileSystem *fs;
  JsonObject *conversation, *message;
  JsonArray *messages;
  GBytes *saved;

  g_test_summary ("Attachments are read from and saved to the environment's file system; "
                  "download_attachment's errors");

  fs = sigma_environment_get_file_system (env);
  g_assert_nonnull (fs);

  call_ok (env, "send_message", "{\"user_id\": \"u1\", \"content\": \"notes\", \"attachment_path\": \"Documents/notes.txt\"}",
           "\"c1\"");
  conversation = state_conversation (app, "c1", &state);
  messages = json_object_get_array_member (conversation, "messages");
  message = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
  g_assert_cmpstr (json_object_get_string_member (message, "attachment"), ==, "c29tZSBub3Rlcw==");
  g_assert_cmpstr (json_object_get_string_member (message, "attachment_name"), ==, "notes.txt");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "notes");
  message_id = g_strdup (json_object_get_string_member (message, "message_id"));
  g_assert_cmpuint (strlen (message_id), ==, 32);

  call_ok (env, "send_message_to_group_conversation",
           "{\"conversation_id\": \"c2\", \"attachment_path\": \"Documents/notes.txt\"}", "\"c2\"");
  call_fails (env, "send_message", "{\"user_id\": \"u1\", \"attachment_path\": \"Documents/missing.txt\"}",
              TOOL_FAILED, "File Documents/missing.txt does not exist");
  /* a directory exists but cannot be read: the file system's error */
  call_fails (env, "send_message", "{\"user_id\": \"u1\", \"attachment_path\": \"Documents\"}",
              TOOL_FAILED, "[Errno 21] Is a directory: 'Documents'");

  /* download: the default folder, another folder, and the name joined as os.path.join does */
  call_ok (env, "download_attachment", "{\"conversation_id\": \"c2\", \"message_id\": \"m3\"}",
           "\"Downloads/hello.txt\"");
  saved = test_fs_read_file (fs, "Downloads/hello.txt", NULL);
  g_assert_nonnull (saved);
  g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved), "hello", 5);
  g_bytes_unref (saved);
  {
    g_autofree char *args = g_strdup_printf ("{\"conversation_id\": \"c1\", \"message_id\": \"%s\","
                                             " \"download_path\": \"Documents\"}", message_id);
    call_ok (env, "download_attachment", args, "\"Documents/notes.txt\"");
  }

  call_fails (env, "download_attachment", "{\"conversation_id\": \"zz\", \"message_id\": \"m3\"}",
              TOOL_FAILED, "Conversation with id zz not found");
  call_fails (env, "download_attachment", "{\"conversation_id\": \"c2\", \"message_id\": \"m9\"}",
              TOOL_FAILED, "No attachment found in the specified message");
  call_fails (env, "download_attachment", "{\"conversation_id\": \"c1\", \"message_id\": \"m1\"}",
              TOOL_FAILED, "'MessageV2' object has no attribute 'attachment'");
  call_fails (env, "download_attachment", "{\"conversation_id\": \"c2\", \"message_id\": \"m3\", \"download_path\": \"Nowhere\"}",
              TOOL_FAILED, "No such directory: 'Nowhere'");
  call_fails (no_fs, "download_attachment", "{\"conversation_id\": \"c2\", \"message_id\": \"m3\"}",
              TOOL_FAILED, "[Errno 2] No such file or directory: 'Downloads/hello.txt'");
}

static void
test_create_and_add_message (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, &app);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  JsonObject *conversation, *message;
  JsonArray *messages;

  g_test_summary ("create_and_add_message (ENV): whole-second timestamp, sender checks, returns null");

  g_assert_true (sigma_environment_advance (env, 12.75, &error));
  g_assert_no_error (error);
  result = call_as (env, SIGMA_EVENT_TYPE_ENV, "create_and_add_message",
                    "{\"conversation_id\": \"c2\", \"sender_id\": \"u2\", \"content\": \"Ping\"}", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (result));
  g_assert_cmpint (sigma_completed_event_get_event_type (app_test_last_event (env)), ==, SIGMA_EVENT_TYPE_ENV);

  conversation = state_conversation (app, "c2", &state);
  messages = json_object_get_array_member (conversation, "messages");
  message = json_array_get_object_element (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "sender_id"), ==, "u2");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "Ping");
  g_assert_cmpfloat (json_object_get_double_member (message, "timestamp"), ==, START_TIME + 12);
  g_assert_cmpfloat (json_object_get_double_member (conversation, "last_updated"), ==, START_TIME + 12);
  g_assert_false (json_object_has_member (message, "attachment"));

  call_fails (env, "create_and_add_message", "{\"conversation_id\": \"c9\", \"sender_id\": \"u2\", \"content\": \"x\"}",
              TOOL_FAILED, "Conversation with id c9 not found");
  call_fails (env, "create_and_add_message", "{\"conversation_id\": \"c1\", \"sender_id\": \"u2\", \"content\": \"x\"}",
              TOOL_FAILED, "Sender u2 not in conversation");
  call_fails (env, "create_and_add_message", "{\"conversation_id\": \"c1\", \"sender_id\": \"u1\"}",
              BAD_ARGUMENT, "Tool 'create_and_add_message' is missing the required argument 'content'");
}

static void
test_notifications (void)
{
  static const struct { SigmaVerbosity verbosity; gboolean notified; } levels[] = {
    { SIGMA_VERBOSITY_LOW, FALSE },
    { SIGMA_VERBOSITY_MEDIUM, TRUE },
    { SIGMA_VERBOSITY_HIGH, TRUE },
  };

  g_test_summary ("create_and_add_message notifies at MEDIUM and HIGH with ARE's text; other tools "
                  "and failed calls never notify");

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, NULL);
      SigmaNotificationSystem *notifications = sigma_environment_get_notifications (env);
      g_autoptr(GPtrArray) pending = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) result = NULL;

      sigma_notification_system_set_verbosity (notifications, levels[i].verbosity);
      result = call_as (env, SIGMA_EVENT_TYPE_ENV, "create_and_add_message",
                        "{\"conversation_id\": \"c1\", \"sender_id\": \"u1\", \"content\": \"Hi\"}", &error);
      g_assert_no_error (error);
      call_ok (env, "send_message", "{\"user_id\": \"u1\", \"content\": \"Hello\"}", NULL);
      call_fails (env, "create_and_add_message", "{\"conversation_id\": \"c9\", \"sender_id\": \"u1\", \"content\": \"x\"}",
                  TOOL_FAILED, "Conversation with id c9 not found");

      pending = sigma_notification_system_list_pending (notifications);
      if (!levels[i].notified)
        {
          g_assert_cmpuint (pending->len, ==, 0);
          continue;
        }
      g_assert_cmpuint (pending->len, ==, 1);
      g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 0)), ==,
                       "MessagingAppV2: New message received in conversation ID: c1");
      g_assert_cmpint (sigma_notification_get_message_type (g_ptr_array_index (pending, 0)), ==,
                       SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION);
      g_assert_cmpfloat (sigma_notification_get_timestamp (g_ptr_array_index (pending, 0)), ==, START_TIME);
    }
}

static void
test_read_conversation (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, NULL);
  const char *m1 = "{\"sender_id\": \"u1\", \"message_id\": \"m1\", \"timestamp\": 1000, \"content\": \"Hello there\"}";
  const char *m2 = "{\"sender_id\": \"me\", \"message_id\": \"m2\", \"timestamp\": 2000.5, \"content\": \"Hi Alice\"}";
  g_autofree char *all = g_strdup_printf ("{\"messages\": [%s, %s], \"metadata\": {\"message_range\": [0, 2],"
                                          " \"conversation_length\": 2, \"conversation_id\": \"c1\","
                                          " \"conversation_title\": \"Alice Smith\"}}", m2, m1);
  g_autofree char *second = g_strdup_printf ("{\"messages\": [%s], \"metadata\": {\"message_range\": [1, 2],"
                                             " \"conversation_length\": 2, \"conversation_id\": \"c1\","
                                             " \"conversation_title\": \"Alice Smith\"}}", m1);
  g_autofree char *early = g_strdup_printf ("{\"messages\": [%s], \"metadata\": {\"message_range\": [0, 1],"
                                            " \"conversation_length\": 1, \"conversation_id\": \"c1\","
                                            " \"conversation_title\": \"Alice Smith\"}}", m1);
  g_autofree char *late = g_strdup_printf ("{\"messages\": [%s], \"metadata\": {\"message_range\": [0, 1],"
                                           " \"conversation_length\": 1, \"conversation_id\": \"c1\","
                                           " \"conversation_title\": \"Alice Smith\"}}", m2);

  g_test_summary ("read_conversation: newest first, offset/limit window, date filter on whole "
                  "seconds, metadata, errors");

  call_ok (env, "read_conversation", "{\"conversation_id\": \"c1\"}", all);
  call_ok (env, "read_conversation", "{\"conversation_id\": \"c1\", \"offset\": 1, \"limit\": 5}", second);
  call_ok (env, "read_conversation", "{\"conversation_id\": \"c1\", \"offset\": 2}",
           "{\"messages\": [], \"metadata\": {\"message_range\": [2, 2], \"conversation_length\": 2,"
           " \"conversation_id\": \"c1\", \"conversation_title\": \"Alice Smith\"}}");
  /* 2000.5 counts as 2000 (1970-01-01 00:33:20) */
  call_ok (env, "read_conversation", "{\"conversation_id\": \"c1\", \"min_date\": \"1970-01-01 00:33:20\"}", late);
  /* Python's strptime leniency: one-digit fields */
  call_ok (env, "read_conversation", "{\"conversation_id\": \"c1\", \"min_date\": \"1970-1-1 0:16:40\","
                                     " \"max_date\": \"1970-01-01 00:33:19\"}", early);

  call_fails (env, "read_conversation", "{\"conversation_id\": \"zz\"}", TOOL_FAILED, "Conversation with id zz not found");
  call_fails (env, "read_conversation", "{\"conversation_id\": \"c1\", \"offset\": -1}", TOOL_FAILED, "Offset must be positive");
  call_fails (env, "read_conversation", "{\"conversation_id\": \"c1\", \"offset\": 3}", TOOL_FAILED,
              "Offset is larger than the number of messages");
  call_fails (env, "read_conversation", "{\"conversation_id\": \"c1\", \"min_date\": \"2024-10-15\"}", TOOL_FAILED,
              "time data '2024-10-15' does not match format '%Y-%m-%d %H:%M:%S'");
  call_fails (env, "read_conversation", "{\"conversation_id\": \"c1\", \"limit\": -1}", BAD_ARGUMENT,
              "Tool 'read_conversation': argument 'limit' must be between 0 and 1000, got -1");
  call_fails (env, "read_conversation", "{\"conversation_id\": \"c1\", \"limit\": 1001}", BAD_ARGUMENT,
              "Tool 'read_conversation': argument 'limit' must be between 0 and 1000, got 1001");
}

static void
test_participants_and_titles (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, &app);
  g_autoptr(JsonNode) state = NULL;
  JsonObject *conversation;

  g_test_summary ("add/remove participants keep a default title in step and leave custom titles; "
                  "change_conversation_title");

  call_ok (env, "add_participant_to_conversation", "{\"conversation_id\": \"c1\", \"user_id\": \"u3\"}", "\"c1\"");
  conversation = state_conversation (app, "c1", &state);
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"me\", \"u1\", \"u3\"]");
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Alice Smith, Carol King");
  g_clear_pointer (&state, json_node_unref);

  call_ok (env, "remove_participant_from_conversation", "{\"conversation_id\": \"c1\", \"user_id\": \"u1\"}", "\"c1\"");
  conversation = state_conversation (app, "c1", &state);
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"me\", \"u3\"]");
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Carol King");
  g_clear_pointer (&state, json_node_unref);

  /* an id the app does not know is added as is (ARE does not check it here) */
  call_ok (env, "change_conversation_title", "{\"conversation_id\": \"c2\", \"title\": \"Team\"}", "\"c2\"");
  call_ok (env, "add_participant_to_conversation", "{\"conversation_id\": \"c2\", \"user_id\": \"stranger\"}", "\"c2\"");
  conversation = state_conversation (app, "c2", &state);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "Team");
  app_test_assert_json (json_object_get_member (conversation, "participant_ids"), "[\"me\", \"u1\", \"u2\", \"stranger\"]");

  call_fails (env, "add_participant_to_conversation", "{\"conversation_id\": \"c2\", \"user_id\": \"u1\"}", TOOL_FAILED,
              "Participant u1 already in conversation");
  call_fails (env, "add_participant_to_conversation", "{\"conversation_id\": \"c7\", \"user_id\": \"u1\"}", TOOL_FAILED,
              "Conversation with id c7 not found");
  call_fails (env, "remove_participant_from_conversation", "{\"conversation_id\": \"c1\", \"user_id\": \"u1\"}", TOOL_FAILED,
              "Participant u1 not in conversation");
  call_fails (env, "remove_participant_from_conversation", "{\"conversation_id\": \"c7\", \"user_id\": \"u1\"}", TOOL_FAILED,
              "Conversation with id c7 not found");
  call_fails (env, "change_conversation_title", "{\"conversation_id\": \"c7\", \"title\": \"x\"}", TOOL_FAILED,
              "Conversation with id c7 not found");
  call_fails (env, "change_conversation_title", "{\"conversation_id\": \"c1\"}", BAD_ARGUMENT,
              "Tool 'change_conversation_title' is missing the required argument 'title'");
}

static void
test_search (void)
{
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, NULL);

  g_test_summary ("search and regex_search over participant ids, titles and message texts in a "
                  "date range; a bad date only fails once messages are reached");

  call_ok (env, "search", "{\"query\": \"ALICE\"}", "[\"c1\", \"c2\"]");
  call_ok (env, "search", "{\"query\": \"u2\"}", "[\"c2\"]");
  call_ok (env, "search", "{\"query\": \"hello THERE\"}", "[\"c1\"]");
  call_ok (env, "search", "{\"query\": \"news\"}", "[\"c2\"]");
  call_ok (env, "search", "{\"query\": \"news\", \"max_date\": \"1970-01-01 00:49:59\"}", "[]");
  call_ok (env, "search", "{\"query\": \"news\", \"min_date\": \"1970-01-01 00:50:00\"}", "[\"c2\"]");
  call_ok (env, "search", "{\"query\": \"\"}", "[\"c1\", \"c2\"]");
  /* every conversation matches before its messages: the bad date is never parsed */
  call_ok (env, "search", "{\"query\": \"m\", \"min_date\": \"garbage\"}", "[\"c1\", \"c2\"]");
  call_fails (env, "search", "{\"query\": \"news\", \"min_date\": \"garbage\"}", TOOL_FAILED,
              "time data 'garbage' does not match format '%Y-%m-%d %H:%M:%S'");

  call_ok (env, "regex_search", "{\"query\": \"^hel+o\"}", "[\"c1\"]");
  call_ok (env, "regex_search", "{\"query\": \"SMITH$\"}", "[\"c1\"]");
  call_ok (env, "regex_search", "{\"query\": \"u[12]\"}", "[\"c1\", \"c2\"]");
  call_ok (env, "regex_search", "{\"query\": \"news|alice\", \"max_date\": \"1970-01-01 00:00:01\"}", "[\"c1\", \"c2\"]");
  call_ok (env, "regex_search", "{\"query\": \"z{3}\"}", "[]");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) result = call (env, "regex_search", "{\"query\": \"(unclosed\"}", &error);

    g_assert_null (result);
    g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
    g_assert_nonnull (strstr (error->message, "missing terminating )"));
  }
}

static void
test_state_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_messaging_app_new ("Chats");
  g_autoptr(SigmaApp) again = sigma_messaging_app_new ("Chats");
  g_autoptr(JsonNode) null_title = app_test_parse ("{\"conversations\": {\"k\": {\"participant_ids\": [\"a\", \"a\", \"b\"],"
                                                   " \"messages\": [{\"sender_id\": \"a\", \"message_id\": \"x\", \"timestamp\": 1,"
                                                   " \"content\": \"\", \"attachment\": null, \"attachment_name\": null}],"
                                                   " \"title\": null, \"conversation_id\": \"other\", \"last_updated\": 5.25}},"
                                                   " \"messages_view_limit\": 3, \"conversation_view_limit\": 2,"
                                                   " \"mode\": \"PHONE_NUMBER\", \"name_to_id\": {}, \"id_to_name\": {},"
                                                   " \"current_user_id\": null, \"current_user_name\": null}");
  g_autoptr(JsonNode) state_null = NULL;
  g_autofree char *null_title_text = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonObject) limits = app_test_parse_object ("{\"limit\": 2, \"limit_recent_messages_per_conversation\": 3}");
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonObject) args = app_test_parse_object ("{\"user_ids\": [\"a\", \"b\"]}");
  g_autoptr(JsonObject) query = app_test_parse_object ("{\"query\": \"b\"}");

  g_test_summary ("get_state reproduces a loaded state exactly (keys, order, integer and float "
                  "times, null title, duplicate participants, key != conversation_id)");

  app_test_assert_state_round_trip (app, again, name_state);

  sigma_app_reset (again);
  g_assert_true (sigma_app_load_state (again, null_title, &error));
  g_assert_no_error (error);
  state_null = sigma_app_get_state (again);
  null_title_text = json_to_string (null_title, FALSE);
  app_test_assert_json (state_null, null_title_text);

  /* the listed copy goes through ConversationV2.__post_init__ again: participants deduplicated,
   * the missing title replaced by the joined participant ids */
  /* this state's view limits are 2 conversations and 3 messages, below the defaults */
  listed = sigma_app_invoke (again, "list_recent_conversations", limits, &error);
  g_assert_no_error (error);
  app_test_assert_json (listed, "[{\"participant_ids\": [\"a\", \"b\"], \"messages\": [{\"sender_id\": \"a\","
                                " \"message_id\": \"x\", \"timestamp\": 1, \"content\": \"\", \"attachment\": null,"
                                " \"attachment_name\": null}], \"title\": \"a, a, b\", \"conversation_id\": \"other\","
                                " \"last_updated\": 5.25}]");
  /* tools name the conversation by its key, search reports the conversation_id field */
  found = sigma_app_invoke (again, "get_existing_conversation_ids", args, &error);
  g_assert_no_error (error);
  app_test_assert_json (found, "[]");
  g_clear_pointer (&found, json_node_unref);
  found = sigma_app_invoke (again, "search", query, &error);
  g_assert_no_error (error);
  app_test_assert_json (found, "[\"other\"]");
}

static void
test_state_merge_and_reset (void)
{
  SigmaApp *app;
  g_autoptr(SigmaEnvironment) env = make_env (name_state, FALSE, &app);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) extra = app_test_parse ("{\"conversations\": {\"c3\": {\"participant_ids\": [\"me\", \"u3\"],"
                                              " \"messages\": [], \"title\": \"Carol King\", \"conversation_id\": \"c3\","
                                              " \"last_updated\": 50},"
                                              " \"c1\": {\"participant_ids\": [\"me\", \"u1\"], \"messages\": [],"
                                              " \"title\": \"Replaced\", \"conversation_id\": \"c1\", \"last_updated\": 1}}}");
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) empty = NULL;
  g_autoptr(GList) keys = NULL;
  JsonObject *conversations;

  g_test_summary ("load_state merges conversations (a key keeps its place) and keeps absent "
                  "fields; reset empties the app");

  g_assert_true (sigma_app_load_state (app, extra, &error));
  g_assert_no_error (error);
  state = sigma_app_get_state (app);
  conversations = json_object_get_object_member (json_node_get_object (state), "conversations");
  keys = json_object_get_members (conversations);
  g_assert_cmpuint (g_list_length (keys), ==, 3);
  g_assert_cmpstr (g_list_nth_data (keys, 0), ==, "c1");
  g_assert_cmpstr (g_list_nth_data (keys, 1), ==, "c2");
  g_assert_cmpstr (g_list_nth_data (keys, 2), ==, "c3");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (conversations, "c1"), "title"), ==, "Replaced");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "current_user_id"), ==, "me");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "mode"), ==, "NAME");
  call_ok (env, "get_user_id", "{\"user_name\": \"Carol King\"}", "\"u3\"");

  sigma_app_reset (app);
  empty = sigma_app_get_state (app);
  app_test_assert_json (empty, "{\"conversations\": {}, \"messages_view_limit\": 10, \"conversation_view_limit\": 5,"
                               " \"mode\": \"NAME\", \"name_to_id\": {}, \"id_to_name\": {},"
                               " \"current_user_id\": null, \"current_user_name\": null}");
  call_ok (env, "list_recent_conversations", NULL, "[]");
}

static void
test_malformed_state (void)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "[]", "Chats: app_state must be a JSON object" },
    { "{}", "Chats: app_state.conversations: missing (expected an object)" },
    { "{\"conversations\": []}", "Chats: app_state.conversations: expected an object" },
    { "{\"conversations\": {}, \"mode\": \"EMAIL\"}",
      "Chats: app_state.mode: expected \"NAME\" or \"PHONE_NUMBER\", got \"EMAIL\"" },
    { "{\"conversations\": {}, \"messages_view_limit\": \"10\"}", "Chats: app_state.messages_view_limit: expected an integer" },
    { "{\"conversations\": {}, \"conversation_view_limit\": 2.5}", "Chats: app_state.conversation_view_limit: expected an integer" },
    { "{\"conversations\": {}, \"name_to_id\": {\"A\": 1}}", "Chats: app_state.name_to_id.A: expected a string" },
    { "{\"conversations\": {}, \"current_user_id\": 7}", "Chats: app_state.current_user_id: expected a string" },
    { "{\"conversations\": {\"c\": 3}}", "Chats: app_state.conversations.c: expected an object" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [], \"messages\": [], \"title\": \"t\", \"conversation_id\": \"c\"}}}",
      "Chats: app_state.conversations.c.last_updated: missing (expected a number)" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [], \"messages\": [], \"conversation_id\": \"c\", \"last_updated\": 1}}}",
      "Chats: app_state.conversations.c.title: missing (expected a string or null)" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [\"a\", 2], \"messages\": [], \"title\": \"t\","
      " \"conversation_id\": \"c\", \"last_updated\": 1}}}",
      "Chats: app_state.conversations.c.participant_ids[1]: expected a string" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [], \"messages\": [{\"message_id\": \"m\"}], \"title\": \"t\","
      " \"conversation_id\": \"c\", \"last_updated\": 1}}}",
      "Chats: app_state.conversations.c.messages[0].sender_id: missing (expected a string)" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [], \"messages\": [{\"sender_id\": \"a\", \"timestamp\": \"noon\"}],"
      " \"title\": \"t\", \"conversation_id\": \"c\", \"last_updated\": 1}}}",
      "Chats: app_state.conversations.c.messages[0].timestamp: expected a number" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [], \"messages\": [{\"sender_id\": \"a\", \"sender\": \"b\"}],"
      " \"title\": \"t\", \"conversation_id\": \"c\", \"last_updated\": 1}}}",
      "Chats: app_state.conversations.c.messages[0].sender: unknown message field" },
    { "{\"conversations\": {\"c\": {\"participant_ids\": [], \"messages\": [{\"sender_id\": \"a\", \"attachment_name\": \"f\"}],"
      " \"title\": \"t\", \"conversation_id\": \"c\", \"last_updated\": 1}}}",
      "Chats: app_state.conversations.c.messages[0].attachment_name: unknown message field" },
  };

  g_test_summary ("Malformed states are SIGMA_ERROR_INVALID_DATA naming the app and the JSON path; "
                  "a failed load changes nothing");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaApp) app = sigma_messaging_app_new ("Chats");

      app_test_assert_load_fails_unchanged (app, name_state, cases[i].state, cases[i].message);
    }
}

static void
test_lenient_state (void)
{
  g_test_summary ("In lenient mode, malformed entries are skipped with a warning and the rest loads");

  if (app_test_lenient_subprocess ("*Chats: app_state.mode: expected \"NAME\" or \"PHONE_NUMBER\", got \"SMS\" (skipped)*"
                                   "*Chats: app_state.conversations.bad.title: expected a string (skipped)*"
                                   "*Chats: app_state.conversations.ok.participant_ids[1]: expected a string (skipped)*"
                                   "*Chats: app_state.conversations.ok.messages[0].sender_id: missing (expected a string) (skipped)*"))
    {
      g_autoptr(SigmaApp) app = sigma_messaging_app_new ("Chats");

      app_test_load_lenient (app, "{\"conversations\": {"
                                  " \"bad\": {\"participant_ids\": [], \"messages\": [], \"title\": 4,"
                                  "   \"conversation_id\": \"bad\", \"last_updated\": 1},"
                                  " \"ok\": {\"participant_ids\": [\"a\", 5], \"messages\": [{\"content\": \"no sender\"},"
                                  "   {\"sender_id\": \"a\", \"message_id\": \"m\", \"timestamp\": 2, \"content\": \"kept\"}],"
                                  "   \"title\": \"t\", \"conversation_id\": \"ok\", \"last_updated\": 2}},"
                                  " \"mode\": \"SMS\"}");
      app_test_assert_state (app, "{\"conversations\": {\"ok\": {\"participant_ids\": [\"a\"], \"messages\": ["
                                  "{\"sender_id\": \"a\", \"message_id\": \"m\", \"timestamp\": 2, \"content\": \"kept\"}],"
                                  " \"title\": \"t\", \"conversation_id\": \"ok\", \"last_updated\": 2}},"
                                  " \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"NAME\","
                                  " \"name_to_id\": {}, \"id_to_name\": {}, \"current_user_id\": null, \"current_user_name\": null}");
    }
}

/* The ids a fresh environment with @seed hands out for a new conversation and two messages. */
static char *
ids_for_seed (guint64 seed)
{
  g_autoptr(SigmaEnvironment) env = app_test_env_new (0, seed);
  g_autoptr(SigmaApp) app = app_test_create_app ("MessagingAppV2", APP);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *cid = NULL;
  JsonArray *messages;
  JsonObject *conversation;

  app_test_load_state (app, name_state);
  app_test_add_app (env, app);
  call_ok (env, "change_conversation_title", "{\"conversation_id\": \"c1\", \"title\": \"x\"}", NULL);
  cid = result_string (env, "send_message", "{\"user_id\": \"u1\"}");
  call_ok (env, "create_and_add_message", "{\"conversation_id\": \"c2\", \"sender_id\": \"u1\", \"content\": \"y\"}", NULL);
  conversation = state_conversation (app, cid, &state);
  messages = json_object_get_array_member (conversation, "messages");
  return g_strdup_printf ("%s %s", cid, json_object_get_string_member (json_array_get_object_element (messages, 0), "message_id"));
}

static void
test_determinism (void)
{
  g_autofree char *first = ids_for_seed (42);
  g_autofree char *second = ids_for_seed (42);
  g_autofree char *other = ids_for_seed (43);

  g_test_summary ("The same seed gives the same conversation and message ids; the message id is "
                  "drawn before the conversation id");

  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, !=, other);
  g_assert_cmpuint (strlen (first), ==, 65);
}

/* ------------------------------------------------------------------------------------------ */
/* Corpus                                                                                      */

/* The corpus file, or NULL when SIGMA_CORPUS_DIR is not set or lacks it. */
static JsonNode *
load_corpus_file (const char *relative)
{
  g_autofree char *path = app_test_corpus_path (relative);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return app_test_read_corpus (relative);
}

/* Loads one corpus app_state into a fresh app and checks get_state against it. A full state
 * must come back identical; a partial one (the PARE files carry only "conversations") must
 * come back with those members identical, the rest at their defaults, and be a fixed point. */
static void
check_corpus_state (const char *class_name,
                    const char *name,
                    JsonNode   *app_state,
                    gboolean    partial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = app_test_create_app (class_name, name);
  g_autoptr(SigmaApp) again = app_test_create_app (class_name, name);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) state_again = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;

  g_assert_true (sigma_app_load_state (app, app_state, &error));
  g_assert_no_error (error);
  state = sigma_app_get_state (app);

  if (!partial)
    {
      want = json_to_string (app_state, FALSE);
      got = json_to_string (state, FALSE);
      g_assert_true (g_str_equal (want, got));
    }
  else
    {
      JsonObject *input = json_node_get_object (app_state);
      JsonObject *output = json_node_get_object (state);
      g_autoptr(GList) members = json_object_get_members (input);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_free (want);
          g_free (got);
          want = json_to_string (json_object_get_member (input, l->data), FALSE);
          got = json_to_string (json_object_get_member (output, l->data), FALSE);
          g_assert_true (g_str_equal (want, got));
        }
      g_assert_cmpstr (json_object_get_string_member (output, "mode"), ==, "NAME");
      g_assert_true (json_object_get_null_member (output, "current_user_id"));
    }

  g_assert_true (sigma_app_load_state (again, state, &error));
  g_assert_no_error (error);
  state_again = sigma_app_get_state (again);
  g_free (want);
  g_free (got);
  want = json_to_string (state, FALSE);
  got = json_to_string (state_again, FALSE);
  g_assert_true (g_str_equal (want, got));
}

/* An AppTestCorpusFunc for the entries that name the class MessagingAppV2. */
static gboolean
check_gaia2_app (JsonObject *entry,
                 const char *class_name,
                 gpointer    user_data)
{
  if (g_strcmp0 (json_object_get_string_member_with_default (entry, "class_name", ""), "MessagingAppV2") != 0)
    return FALSE;
  check_corpus_state ("MessagingAppV2", json_object_get_string_member (entry, "name"),
                      json_object_get_member (entry, "app_state"), FALSE);
  return TRUE;
}

static void
test_corpus_gaia2 (void)
{
  g_autoptr(JsonNode) root = load_corpus_file (APP_TEST_CORPUS_GAIA2);
  JsonObject *scenario;

  g_test_summary ("Every MessagingAppV2 app_state of the Gaia2 scenario (apps[] and "
                  "augmentation.apps[]) loads and round-trips exactly");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR is not set or lacks the Gaia2 file");
      return;
    }
  scenario = json_node_get_object (root);
  g_assert_cmpuint (app_test_corpus_foreach (json_object_get_array_member (scenario, "apps"), NULL,
                                             check_gaia2_app, NULL), ==, 2);
  g_assert_cmpuint (app_test_corpus_foreach (json_object_get_array_member (json_object_get_object_member (scenario, "augmentation"),
                                                                           "apps"), NULL,
                                             check_gaia2_app, NULL), ==, 2);

  /* the data, not the alias table, says which instance uses phone numbers */
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (scenario, "apps")); i++)
    {
      JsonObject *entry = json_array_get_object_element (json_object_get_array_member (scenario, "apps"), i);
      const char *name = json_object_get_string_member (entry, "name");

      if (g_str_equal (name, "Messages"))
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "app_state"), "mode"), ==, "PHONE_NUMBER");
      else if (g_str_equal (name, "Chats"))
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "app_state"), "mode"), ==, "NAME");
    }
}

static void
test_corpus_gaia2_tools (void)
{
  g_autoptr(JsonNode) root = load_corpus_file (APP_TEST_CORPUS_GAIA2);
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(JsonNode) recent = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) cid = NULL;
  JsonArray *apps;

  g_test_summary ("The real Messages (PHONE_NUMBER) and Chats (NAME) states answer the tools");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR is not set or lacks the Gaia2 file");
      return;
    }
  env = app_test_env_new (START_TIME, 0);
  apps = json_object_get_array_member (json_node_get_object (root), "apps");
  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      g_autoptr(SigmaApp) app = NULL;

      if (g_strcmp0 (json_object_get_string_member (entry, "class_name"), "MessagingAppV2") != 0)
        continue;
      app = app_test_corpus_load (entry, "MessagingAppV2");
      app_test_add_app (env, app);
    }

  recent = app_test_call_ok (env, "Messages", SIGMA_EVENT_TYPE_AGENT, "list_recent_conversations", "{\"limit\": 5}");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (recent)), ==, 5);
  me = app_test_call_ok (env, "Messages", SIGMA_EVENT_TYPE_AGENT, "get_user_id", "{\"user_name\": \"Rohini Deshpande\"}");
  g_assert_cmpstr (json_node_get_string (me), ==, "+441223456789");
  found = app_test_call_ok (env, "Chats", SIGMA_EVENT_TYPE_AGENT, "lookup_user_id", "{\"user_name\": \"rohini\"}");
  g_assert_true (json_object_has_member (json_node_get_object (found), "Rohini Deshpande"));
  cid = app_test_call_ok (env, "Messages", SIGMA_EVENT_TYPE_AGENT, "send_message",
                          "{\"user_id\": \"+441234567890\", \"content\": \"Hello\"}");
  g_assert_nonnull (json_node_get_string (cid));
}

static void
test_corpus_pare (void)
{
  g_autoptr(JsonNode) root = load_corpus_file (APP_TEST_CORPUS_PARE);
  JsonArray *apps;
  guint n = 0;

  g_test_summary ("The PARE augmentation states of Messages and Chats (conversations only; class "
                  "from the name) load; their conversations round-trip and get_state is a fixed point");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR is not set or lacks the PARE file");
      return;
    }
  apps = json_object_get_array_member (json_node_get_object (root), "apps");
  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      const char *name = json_object_get_string_member (entry, "name");

      if (!g_str_equal (name, "Messages") && !g_str_equal (name, "Chats"))
        continue;
      /* "Messages" and "Chats" are instance names of MessagingAppV2 (APP_ALIAS) */
      g_assert_cmpstr (sigma_apps_get_canonical_name (name), ==, "MessagingAppV2");
      check_corpus_state ("MessagingAppV2", name, json_object_get_member (entry, "app_state"), TRUE);
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/apps/messaging/create", test_create);
  g_test_add_func ("/sigma/apps/messaging/tools", test_tools);
  g_test_add_func ("/sigma/apps/messaging/user-ids", test_user_ids);
  g_test_add_func ("/sigma/apps/messaging/lookup-user-id", test_lookup_user_id);
  g_test_add_func ("/sigma/apps/messaging/send-message", test_send_message);
  g_test_add_func ("/sigma/apps/messaging/send-message-errors", test_send_message_errors);
  g_test_add_func ("/sigma/apps/messaging/phone-number-mode", test_phone_number_mode);
  g_test_add_func ("/sigma/apps/messaging/group-conversations", test_group_conversations);
  g_test_add_func ("/sigma/apps/messaging/list-conversations", test_list_conversations);
  g_test_add_func ("/sigma/apps/messaging/sort-ties", test_sort_ties);
  g_test_add_func ("/sigma/apps/messaging/attachments", test_attachments);
  g_test_add_func ("/sigma/apps/messaging/create-and-add-message", test_create_and_add_message);
  g_test_add_func ("/sigma/apps/messaging/notifications", test_notifications);
  g_test_add_func ("/sigma/apps/messaging/read-conversation", test_read_conversation);
  g_test_add_func ("/sigma/apps/messaging/participants-and-titles", test_participants_and_titles);
  g_test_add_func ("/sigma/apps/messaging/search", test_search);
  g_test_add_func ("/sigma/apps/messaging/state-round-trip", test_state_round_trip);
  g_test_add_func ("/sigma/apps/messaging/state-merge-and-reset", test_state_merge_and_reset);
  g_test_add_func ("/sigma/apps/messaging/malformed-state", test_malformed_state);
  g_test_add_func ("/sigma/apps/messaging/lenient-state", test_lenient_state);
  g_test_add_func ("/sigma/apps/messaging/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/messaging/corpus/gaia2", test_corpus_gaia2);
  g_test_add_func ("/sigma/apps/messaging/corpus/gaia2-tools", test_corpus_gaia2_tools);
  g_test_add_func ("/sigma/apps/messaging/corpus/pare", test_corpus_pare);

  return g_test_run ();
}
