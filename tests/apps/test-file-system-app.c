/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sigma.h>

#include "app-test-util.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

typedef struct
{
  SigmaEnvironment *env;
  SigmaApp         *app;   /* (unowned): the environment holds it */
  char             *root;  /* the app's root on the host */
} Setup;

static void
setup_init_full (Setup      *s,
                 const char *class_name,
                 const char *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create (class_name, "Files", &error);

  g_assert_no_error (error);
  if (root != NULL)
    g_object_set (app, "root", root, NULL);
  s->env = sigma_environment_new ();
  sigma_environment_add_app (s->env, app, &error);
  g_assert_no_error (error);
  s->app = app;
  s->root = g_strdup (sigma_file_system_app_get_root (SIGMA_FILE_SYSTEM_APP (app)));
  g_assert_nonnull (s->root);
}

static void
setup_init (Setup *s)
{
  setup_init_full (s, "SandboxLocalFileSystem", NULL);
}

static void
setup_clear (Setup *s)
{
  g_clear_object (&s->env);
  g_clear_pointer (&s->root, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
call (Setup       *s,
      const char  *tool,
      const char  *args_json,
      GError     **error)
{
  g_autoptr(JsonObject) args = parse_object (args_json != NULL ? args_json : "{}");

  return sigma_environment_call_tool (s->env, "Files", tool, args, SIGMA_EVENT_TYPE_AGENT, error);
}

static JsonNode *
call_ok (Setup      *s,
         const char *tool,
         const char *args_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = call (s, tool, args_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
run_ok (Setup      *s,
        const char *tool,
        const char *args_json)
{
  g_autoptr(JsonNode) result = call_ok (s, tool, args_json);

  g_assert_true (JSON_NODE_HOLDS_NULL (result));
}

static void
call_fails (Setup      *s,
            const char *tool,
            const char *args_json,
            const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = call (s, tool, args_json, &error);
  SigmaCompletedEvent *last = sigma_environment_get_last_event (s->env);

  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, tool);
  g_assert_cmpstr (sigma_completed_event_get_error_message (last), ==, message);
}

static void
assert_json (JsonNode   *node,
             const char *expected_json)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_json, NULL);
  g_autofree char *a = json_to_string (node, FALSE);
  g_autofree char *b = json_to_string (expected, FALSE);

  g_assert_cmpstr (a, ==, b);
}

static void
assert_result (Setup      *s,
               const char *tool,
               const char *args_json,
               const char *expected_json)
{
  g_autoptr(JsonNode) result = call_ok (s, tool, args_json);

  assert_json (result, expected_json);
}

/* Writes a host file below the root. */
static void
host_write (Setup      *s,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (s->root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
host_read (Setup      *s,
           const char *relative)
{
  g_autofree char *path = g_build_filename (s->root, relative, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
host_exists (Setup      *s,
             const char *relative)
{
  g_autofree char *path = g_build_filename (s->root, relative, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
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

/* The saved state without its host-dependent tmpdir. */
static char *
state_string (Setup *s)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (s->app);
  JsonObject *obj = json_node_get_object (state);

  if (json_object_has_member (obj, "tmpdir"))
    {
      g_assert_cmpstr (json_object_get_string_member (obj, "tmpdir"), ==, s->root);
      json_object_remove_member (obj, "tmpdir");
    }
  return json_to_string (state, FALSE);
}

static char *
compact (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_to_string (node, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Creation, tools and the root                                                         */

static void
test_create (void)
{
  const struct { const char *class_name; guint n_tools; } cases[] = {
    { "SandboxLocalFileSystem", 12 },
    { "Files", 12 },
    { "VirtualFileSystem", 10 },
  };

  g_test_summary ("SandboxLocalFileSystem, Files and VirtualFileSystem are the file system app, "
                  "named after the class by default, and implement SigmaFileSystem");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaApp) app = sigma_apps_create (cases[i].class_name, NULL, &error);
      g_autoptr(GPtrArray) tools = NULL;

      g_assert_no_error (error);
      g_assert_true (SIGMA_IS_FILE_SYSTEM_APP (app));
      g_assert_true (SIGMA_IS_FILE_SYSTEM (app));
      g_assert_cmpstr (sigma_app_get_name (app), ==, cases[i].class_name);
      g_assert_cmpstr (sigma_app_get_class_name (app), ==, cases[i].class_name);
      tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT);
      g_assert_cmpuint (tools->len, ==, cases[i].n_tools);
    }
}

static char *
describe_tools (SigmaApp *app)
{
  g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < tools->len; i++)
    {
      SigmaTool *tool = g_ptr_array_index (tools, i);

      g_assert_cmpint (sigma_tool_get_roles (tool), ==, SIGMA_TOOL_ROLE_AGENT);
      g_assert_cmpuint (strlen (sigma_tool_get_description (tool)), >, 10);
      g_string_append_printf (out, "%s%s(", i > 0 ? " " : "", sigma_tool_get_name (tool));
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        {
          g_string_append_printf (out, "%s%s", p > 0 ? "," : "", sigma_tool_get_parameter_name (tool, p));
          g_assert_cmpuint (strlen (sigma_tool_get_parameter_description (tool, p)), >, 5);
        }
      g_string_append_printf (out, ")%c", sigma_tool_get_operation (tool) == SIGMA_TOOL_OPERATION_WRITE ? 'W' : 'R');
    }
  return g_string_free (out, FALSE);
}

static void
test_tools (void)
{
  g_autoptr(SigmaApp) sandbox = sigma_file_system_app_new (NULL);
  g_autoptr(SigmaApp) virtual = sigma_apps_create ("VirtualFileSystem", NULL, NULL);
  g_autofree char *a = describe_tools (sandbox);
  g_autofree char *b = describe_tools (virtual);

  g_test_summary ("The agent tools of ARE's SandboxLocalFileSystem and VirtualFileSystem, in "
                  "registration order, with their parameters and operations");

  g_assert_cmpstr (sigma_app_get_class_name (sandbox), ==, "SandboxLocalFileSystem");
  g_assert_cmpstr (a, ==,
                   "open(path,mode,block_size,cache_options,compression)W cat(path,recursive,on_error)R "
                   "mkdir(path,create_parents)W makedirs(path,exist_ok)W mv(path1,path2,recursive,maxdepth)W "
                   "ls(path,detail)R rm(path,recursive,maxdepth)W exists(path)R display(path)R info(path)R "
                   "tree(path)R read_document(file_path,max_lines)R");
  g_assert_cmpstr (b, ==,
                   "open(path,mode)W cat(path)R mkdir(path,create_recursive)W mv(path1,path2)W "
                   "ls(path,detail)R rm(path,recursive)W rmdir(path)W exists(path)R info(path)R tree(path)R");
}

static void
test_root (void)
{
  g_autofree char *private_root = NULL;
  g_autofree char *configured = g_build_filename (g_get_tmp_dir (), "sigma-fs-test-root", NULL);
  g_autofree char *nested = g_build_filename (configured, "inner", NULL);

  g_test_summary ("Without a configured root the app makes a private temporary directory on first "
                  "use and removes it with the app; a configured root is created when missing and "
                  "kept afterwards");

  {
    g_autoptr(SigmaApp) app = sigma_file_system_app_new ("Files");

    private_root = g_strdup (sigma_file_system_app_get_root (SIGMA_FILE_SYSTEM_APP (app)));
    g_assert_true (g_file_test (private_root, G_FILE_TEST_IS_DIR));
    {
      g_autofree char *file = g_build_filename (private_root, "x.txt", NULL);
      g_assert_true (g_file_set_contents (file, "x", -1, NULL));
    }
  }
  g_assert_false (g_file_test (private_root, G_FILE_TEST_EXISTS));

  {
    g_autoptr(SigmaApp) app = g_object_new (SIGMA_TYPE_FILE_SYSTEM_APP, "name", "Files", "root", nested, NULL);
    g_autofree char *root = NULL;

    g_object_get (app, "root", &root, NULL);
    g_assert_cmpstr (root, ==, nested);
    {
      g_autoptr(JsonObject) args = parse_object ("{\"path\": \"/\"}");
      g_autoptr(JsonNode) exists = sigma_app_invoke (app, "exists", args, NULL);
      g_assert_true (json_node_get_boolean (exists));
    }
    g_assert_true (g_file_test (nested, G_FILE_TEST_IS_DIR));

    /* switching back to a private root */
    sigma_file_system_app_set_root (SIGMA_FILE_SYSTEM_APP (app), NULL);
    g_assert_cmpstr (sigma_file_system_app_get_root (SIGMA_FILE_SYSTEM_APP (app)), !=, nested);
  }
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_rmdir (nested), ==, 0);
  g_assert_cmpint (g_rmdir (configured), ==, 0);
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static void
test_open (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("open does at once what opening does (w creates or empties, x requires a new "
                  "file, r requires an existing one) and describes the handle; Python's mode rules");

  setup_init (&s);
  host_write (&s, "a.txt", "content");
  assert_result (&s, "open", "{\"path\": \"a.txt\"}", "{\"name\": \"/a.txt\", \"mode\": \"rb\"}");
  assert_result (&s, "open", "{\"path\": \"/b.txt\", \"mode\": \"w\"}", "{\"name\": \"/b.txt\", \"mode\": \"w\"}");
  g_assert_true (host_exists (&s, "b.txt"));
  assert_result (&s, "open", "{\"path\": \"a.txt\", \"mode\": \"wb\", \"block_size\": 1024, \"compression\": null}",
                 "{\"name\": \"/a.txt\", \"mode\": \"wb\"}");
  {
    g_autofree char *text = host_read (&s, "a.txt");
    g_assert_cmpstr (text, ==, "");
  }
  assert_result (&s, "open", "{\"path\": \"c.txt\", \"mode\": \"a+\"}", "{\"name\": \"/c.txt\", \"mode\": \"a+\"}");

  call_fails (&s, "open", "{\"path\": \"missing.txt\"}", "[Errno 2] No such file or directory: '/missing.txt'");
  call_fails (&s, "open", "{\"path\": \"a.txt\", \"mode\": \"x\"}", "[Errno 17] File exists: '/a.txt'");
  call_fails (&s, "open", "{\"path\": \"/\", \"mode\": \"r\"}", "[Errno 21] Is a directory: '/'");
  call_fails (&s, "open", "{\"path\": \"/\", \"mode\": \"w\"}", "[Errno 21] Is a directory: '/'");
  call_fails (&s, "open", "{\"path\": \"no/dir.txt\", \"mode\": \"w\"}", "[Errno 2] No such file or directory: '/no/dir.txt'");
  call_fails (&s, "open", "{\"path\": \"a.txt\", \"mode\": \"rw\"}", "invalid mode: 'rw'");
  call_fails (&s, "open", "{\"path\": \"a.txt\", \"mode\": \"q\"}", "invalid mode: 'q'");
  call_fails (&s, "open", "{\"path\": \"a.txt\", \"mode\": \"rbt\"}", "invalid mode: 'rbt'");
}

static void
test_cat (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("cat returns a file's text; recursive on a directory returns {path: text} and "
                  "handles the unreadable directories per on_error (raise, omit, return)");

  setup_init (&s);
  host_write (&s, "docs/a.txt", "alpha");
  host_write (&s, "docs/sub/b.txt", "beta");
  host_write (&s, "bin.dat", "\xff\xfe" "ok");

  assert_result (&s, "cat", "{\"path\": \"/docs/a.txt\"}", "\"alpha\"");
  assert_result (&s, "cat", "{\"path\": \"docs/a.txt\", \"recursive\": true}", "\"alpha\"");
  assert_result (&s, "cat", "{\"path\": \"bin.dat\"}", "\"\\ufffd\\ufffdok\"");
  assert_result (&s, "cat", "{\"path\": \"docs\", \"recursive\": true, \"on_error\": \"omit\"}",
                 "{\"/docs/a.txt\": \"alpha\", \"/docs/sub/b.txt\": \"beta\"}");
  assert_result (&s, "cat", "{\"path\": \"docs\", \"recursive\": true, \"on_error\": \"return\"}",
                 "{\"/docs\": \"[Errno 21] Is a directory: '/docs'\", \"/docs/a.txt\": \"alpha\","
                 " \"/docs/sub\": \"[Errno 21] Is a directory: '/docs/sub'\", \"/docs/sub/b.txt\": \"beta\"}");
  call_fails (&s, "cat", "{\"path\": \"docs\", \"recursive\": true}", "[Errno 21] Is a directory: '/docs'");
  call_fails (&s, "cat", "{\"path\": \"docs\"}", "[Errno 21] Is a directory: '/docs'");
  call_fails (&s, "cat", "{\"path\": \"nope\"}", "[Errno 2] No such file or directory: '/nope'");
}

static void
test_mkdir (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("mkdir creates a new directory (with parents by default), makedirs accepts an "
                  "existing one only with exist_ok; their errors");

  setup_init (&s);
  run_ok (&s, "mkdir", "{\"path\": \"/a/b/c\"}");
  g_assert_true (host_exists (&s, "a/b/c"));
  call_fails (&s, "mkdir", "{\"path\": \"/a/b\"}", "[Errno 17] File exists: '/a/b'");
  call_fails (&s, "mkdir", "{\"path\": \"x/y\", \"create_parents\": false}", "[Errno 2] No such file or directory: '/x/y'");
  run_ok (&s, "mkdir", "{\"path\": \"x\", \"create_parents\": false}");

  run_ok (&s, "makedirs", "{\"path\": \"m/n\"}");
  g_assert_true (host_exists (&s, "m/n"));
  call_fails (&s, "makedirs", "{\"path\": \"m/n\"}", "[Errno 17] File exists: '/m/n'");
  run_ok (&s, "makedirs", "{\"path\": \"m/n\", \"exist_ok\": true}");
  host_write (&s, "f.txt", "f");
  call_fails (&s, "makedirs", "{\"path\": \"f.txt\", \"exist_ok\": true}", "[Errno 17] File exists: '/f.txt'");
  call_fails (&s, "makedirs", "{\"path\": \"f.txt/sub\"}", "[Errno 20] Not a directory: '/f.txt/sub'");
}

static void
test_mv (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("mv renames, moves into an existing directory, and fails like shutil.move");

  setup_init (&s);
  host_write (&s, "a.txt", "A");
  host_write (&s, "dir/keep.txt", "K");
  run_ok (&s, "mv", "{\"path1\": \"a.txt\", \"path2\": \"b.txt\"}");
  g_assert_false (host_exists (&s, "a.txt"));
  g_assert_true (host_exists (&s, "b.txt"));
  run_ok (&s, "mv", "{\"path1\": \"/b.txt\", \"path2\": \"/dir\"}");
  g_assert_true (host_exists (&s, "dir/b.txt"));
  run_ok (&s, "mv", "{\"path1\": \"dir\", \"path2\": \"renamed\", \"recursive\": true}");
  g_assert_true (host_exists (&s, "renamed/keep.txt"));
  run_ok (&s, "mv", "{\"path1\": \"renamed/keep.txt\", \"path2\": \"/\"}");   /* into the root */
  g_assert_true (host_exists (&s, "keep.txt"));

  host_write (&s, "b.txt", "B2");
  call_fails (&s, "mv", "{\"path1\": \"b.txt\", \"path2\": \"renamed\"}", "Destination path '/renamed/b.txt' already exists");
  call_fails (&s, "mv", "{\"path1\": \"renamed\", \"path2\": \"renamed/inner\"}",
              "Cannot move a directory '/renamed' into itself '/renamed/inner'.");
  call_fails (&s, "mv", "{\"path1\": \"ghost\", \"path2\": \"x\"}", "[Errno 2] No such file or directory: '/ghost'");
  call_fails (&s, "mv", "{\"path1\": \"b.txt\", \"path2\": \"no/such/dir.txt\"}",
              "[Errno 2] No such file or directory: '/no/such/dir.txt'");
  call_fails (&s, "mv", "{\"path1\": \"/\", \"path2\": \"x\"}", "Operation not allowed on the sandbox root: /");
}

static void
test_ls_info_exists (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("ls lists sandbox paths (or name/size/type objects), info describes one path, "
                  "exists and display tell whether it exists");

  setup_init (&s);
  host_write (&s, "Documents/b.txt", "bb");
  host_write (&s, "Documents/a.txt", "a");
  host_write (&s, "z.txt", "zzz");

  assert_result (&s, "ls", "{}", "[\"/Documents\", \"/z.txt\"]");
  assert_result (&s, "ls", "{\"path\": \"/Documents\"}", "[\"/Documents/a.txt\", \"/Documents/b.txt\"]");
  assert_result (&s, "ls", "{\"path\": \"Documents/\", \"detail\": true}",
                 "[{\"name\": \"/Documents/a.txt\", \"size\": 1, \"type\": \"file\"},"
                 " {\"name\": \"/Documents/b.txt\", \"size\": 2, \"type\": \"file\"}]");
  assert_result (&s, "ls", "{\"path\": \"z.txt\"}", "[\"/z.txt\"]");
  assert_result (&s, "ls", "{\"path\": \"z.txt\", \"detail\": true}", "[{\"name\": \"/z.txt\", \"size\": 3, \"type\": \"file\"}]");
  call_fails (&s, "ls", "{\"path\": \"nothing\"}", "[Errno 2] No such file or directory: '/nothing'");

  assert_result (&s, "info", "{\"path\": \"Documents\"}", "{\"name\": \"/Documents\", \"size\": 0, \"type\": \"directory\"}");
  assert_result (&s, "info", "{\"path\": \"/\"}", "{\"name\": \"/\", \"size\": 0, \"type\": \"directory\"}");
  assert_result (&s, "info", "{\"path\": \"./Documents/../z.txt\"}", "{\"name\": \"/z.txt\", \"size\": 3, \"type\": \"file\"}");
  call_fails (&s, "info", "{\"path\": \"nothing\"}", "[Errno 2] No such file or directory: '/nothing'");

  assert_result (&s, "exists", "{\"path\": \"z.txt\"}", "true");
  assert_result (&s, "exists", "{\"path\": \"y.txt\"}", "false");
  assert_result (&s, "display", "{\"path\": \"/Documents/a.txt\"}", "true");
  assert_result (&s, "display", "{\"path\": \"/Documents/c.txt\"}", "false");
  call_fails (&s, "display", "{\"path\": \"../outside\"}", "Operation not allowed outside sandbox: ../outside");
}

static void
test_rm (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("rm removes files, and directories only when recursive; the root cannot be "
                  "removed; a maxdepth below 1 is fsspec's error");

  setup_init (&s);
  host_write (&s, "a.txt", "A");
  host_write (&s, "d/e/f.txt", "F");
  run_ok (&s, "rm", "{\"path\": \"a.txt\"}");
  g_assert_false (host_exists (&s, "a.txt"));
  call_fails (&s, "rm", "{\"path\": \"d\"}", "[Errno 21] Is a directory: '/d'");
  call_fails (&s, "rm", "{\"path\": \"d\", \"recursive\": true, \"maxdepth\": 0}", "maxdepth must be at least 1");
  run_ok (&s, "rm", "{\"path\": \"d\", \"recursive\": true, \"maxdepth\": 1}");
  g_assert_false (host_exists (&s, "d"));
  call_fails (&s, "rm", "{\"path\": \"a.txt\"}", "[Errno 2] No such file or directory: '/a.txt'");
  call_fails (&s, "rm", "{\"path\": \"/\", \"recursive\": true}", "Operation not allowed on the sandbox root: /");
  g_assert_true (g_file_test (s.root, G_FILE_TEST_IS_DIR));
}

static void
test_tree (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) sub = NULL;
  g_autoptr(JsonNode) file = NULL;

  g_test_summary ("tree draws ARE's tree: the base name of the path as given (\"/\" when empty), "
                  "sorted entries with ├── and └──, four spaces per level");

  setup_init (&s);
  host_write (&s, "Documents/notes.txt", "n");
  host_write (&s, "Documents/Archive/old.txt", "o");
  host_write (&s, "Downloads/x.pdf", "x");
  host_write (&s, "a.txt", "a");

  root = call_ok (&s, "tree", "{\"path\": \"/\"}");
  g_assert_cmpstr (json_node_get_string (root), ==,
                   "/\n"
                   "├── Documents\n"
                   "    ├── Archive\n"
                   "        └── old.txt\n"
                   "    └── notes.txt\n"
                   "├── Downloads\n"
                   "    └── x.pdf\n"
                   "└── a.txt\n");
  sub = call_ok (&s, "tree", "{\"path\": \"Documents\"}");
  g_assert_cmpstr (json_node_get_string (sub), ==,
                   "Documents\n"
                   "├── Archive\n"
                   "    └── old.txt\n"
                   "└── notes.txt\n");
  {
    g_autoptr(JsonNode) dot = call_ok (&s, "tree", "{}");
    g_assert_true (g_str_has_prefix (json_node_get_string (dot), ".\n├── Documents\n"));
  }
  file = call_ok (&s, "tree", "{\"path\": \"a.txt\"}");
  g_assert_cmpstr (json_node_get_string (file), ==, "a.txt\n└── a.txt\n");
  call_fails (&s, "tree", "{\"path\": \"missing\"}", "[Errno 2] No such file or directory: '/missing'");
}

static void
test_read_document (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(GString) long_text = g_string_new (NULL);

  g_test_summary ("read_document returns text documents, cut to max_lines with ARE's note; every "
                  "failure is ARE's 'File not found or could not be read' error");

  setup_init (&s);
  for (guint i = 1; i <= 25; i++)
    g_string_append_printf (long_text, "line %u\n", i);
  host_write (&s, "long.txt", long_text->str);
  host_write (&s, "short.md", "# Title\nbody");
  host_write (&s, "empty.txt", "");
  host_write (&s, "scan.pdf", "%PDF-1.4\n\xe2\x28\xa1");

  assert_result (&s, "read_document", "{\"file_path\": \"short.md\"}", "\"# Title\\nbody\"");
  {
    g_autoptr(JsonNode) cut = call_ok (&s, "read_document", "{\"file_path\": \"/long.txt\"}");
    g_autoptr(GString) expected = g_string_new (NULL);

    for (guint i = 1; i <= 20; i++)
      g_string_append_printf (expected, "%sline %u", i > 1 ? "\n" : "", i);
    g_string_append (expected, "\n\n[Document truncated. Showing 20 of 26 lines]");
    g_assert_cmpstr (json_node_get_string (cut), ==, expected->str);
  }
  {
    g_autoptr(JsonNode) three = call_ok (&s, "read_document", "{\"file_path\": \"long.txt\", \"max_lines\": 3}");
    g_assert_cmpstr (json_node_get_string (three), ==, "line 1\nline 2\nline 3\n\n[Document truncated. Showing 3 of 26 lines]");
  }
  {
    g_autoptr(JsonNode) all = call_ok (&s, "read_document", "{\"file_path\": \"long.txt\", \"max_lines\": null}");
    g_assert_cmpstr (json_node_get_string (all), ==, long_text->str);
  }
  call_fails (&s, "read_document", "{\"file_path\": \"empty.txt\"}",
              "File not found or could not be read: empty.txt. Error: File is empty: empty.txt");
  call_fails (&s, "read_document", "{\"file_path\": \"none.txt\"}",
              "File not found or could not be read: none.txt. Error: [Errno 2] No such file or directory: '/none.txt'");
  call_fails (&s, "read_document", "{\"file_path\": \"/scan.pdf\"}",
              "File not found or could not be read: /scan.pdf. Error: Cannot convert .pdf documents to text");
  call_fails (&s, "read_document", "{\"file_path\": \"../x\"}", "Operation not allowed outside sandbox: ../x");
}

static void
test_virtual_tools (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("VirtualFileSystem's own tools: mkdir with create_recursive and rmdir");

  setup_init_full (&s, "VirtualFileSystem", NULL);
  run_ok (&s, "mkdir", "{\"path\": \"a/b\"}");
  call_fails (&s, "mkdir", "{\"path\": \"c/d\", \"create_recursive\": false}", "[Errno 2] No such file or directory: '/c/d'");
  call_fails (&s, "rmdir", "{\"path\": \"a\"}", "[Errno 39] Directory not empty: '/a'");
  run_ok (&s, "rmdir", "{\"path\": \"a/b\"}");
  run_ok (&s, "rmdir", "{\"path\": \"a\"}");
  call_fails (&s, "rmdir", "{\"path\": \"a\"}", "[Errno 2] No such file or directory: '/a'");
  host_write (&s, "f", "x");
  call_fails (&s, "rmdir", "{\"path\": \"f\"}", "[Errno 20] Not a directory: '/f'");
  call_fails (&s, "rmdir", "{\"path\": \"/\"}", "Operation not allowed on the sandbox root: /");
  assert_result (&s, "cat", "{\"path\": \"f\"}", "\"x\"");
}

/* ------------------------------------------------------------------------------------ */
/* Paths and confinement                                                                */

static void
test_path_mapping (void)
{
  g_auto(Setup) s = { NULL, };

  g_test_summary ("ARE's path mapping: a leading / starts at the root (so /etc/passwd is a file "
                  "of the sandbox, never the host's), ~ is home/userhome, . and .. are resolved");

  setup_init (&s);
  call_fails (&s, "cat", "{\"path\": \"/etc/passwd\"}", "[Errno 2] No such file or directory: '/etc/passwd'");
  host_write (&s, "etc/passwd", "sandbox copy");
  assert_result (&s, "cat", "{\"path\": \"/etc/passwd\"}", "\"sandbox copy\"");
  assert_result (&s, "cat", "{\"path\": \"//etc//./passwd\"}", "\"sandbox copy\"");

  run_ok (&s, "makedirs", "{\"path\": \"~/notes\"}");
  g_assert_true (host_exists (&s, "home/userhome/notes"));
  run_ok (&s, "makedirs", "{\"path\": \"~bob\"}");   /* ARE: "~" is replaced first, so this is home/userhome/bob */
  json_node_unref (call_ok (&s, "open", "{\"path\": \"~bob/x\", \"mode\": \"w\"}"));
  g_assert_true (host_exists (&s, "home/userhome/bob/x"));
  assert_result (&s, "ls", "{\"path\": \"~\"}", "[\"/home/userhome/bob\", \"/home/userhome/notes\"]");
  assert_result (&s, "exists", "{\"path\": \"home/userhome/../userhome/notes/.\"}", "true");
}

static void
test_escape_dotdot (void)
{
  g_auto(Setup) s = { NULL, };
  const char *tools[] = { "cat", "exists", "ls", "info", "rm", "tree", "mkdir" };

  g_test_summary ("A path whose .. climbs above the root is rejected by every tool with "
                  "'Operation not allowed outside sandbox: <path>'");

  setup_init (&s);
  for (gsize i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      call_fails (&s, tools[i], "{\"path\": \"../etc/passwd\"}", "Operation not allowed outside sandbox: ../etc/passwd");
      call_fails (&s, tools[i], "{\"path\": \"/a/../../etc\"}", "Operation not allowed outside sandbox: /a/../../etc");
    }
  call_fails (&s, "mv", "{\"path1\": \"x\", \"path2\": \"..\"}", "Operation not allowed outside sandbox: ..");
  call_fails (&s, "open", "{\"path\": \"~/../../../x\", \"mode\": \"w\"}", "Operation not allowed outside sandbox: ~/../../../x");
}

static void
test_escape_symlink (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *outside = g_dir_make_tmp ("sigma-fs-outside-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename (outside, "secret.txt", NULL);
  g_autofree char *evil_dir = NULL;
  g_autofree char *evil_file = NULL;
  g_autofree char *good = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *message = "Operation not allowed outside sandbox: /evil/passwd (a symbolic link leads outside the root)";

  g_test_summary ("Symbolic links inside the root that lead outside it (to /etc, to a file "
                  "elsewhere) cannot be read, listed, written or followed; links inside work, and "
                  "rm removes the link itself");

  setup_init (&s);
  g_assert_true (g_file_set_contents (secret, "top secret", -1, NULL));
  evil_dir = g_build_filename (s.root, "evil", NULL);
  evil_file = g_build_filename (s.root, "leak.txt", NULL);
  g_assert_cmpint (symlink ("/etc", evil_dir), ==, 0);
  g_assert_cmpint (symlink (secret, evil_file), ==, 0);

  call_fails (&s, "cat", "{\"path\": \"/evil/passwd\"}", message);
  call_fails (&s, "ls", "{\"path\": \"evil\"}",
              "Operation not allowed outside sandbox: evil (a symbolic link leads outside the root)");
  call_fails (&s, "exists", "{\"path\": \"/evil/hostname\"}",
              "Operation not allowed outside sandbox: /evil/hostname (a symbolic link leads outside the root)");
  call_fails (&s, "tree", "{\"path\": \"/evil\"}",
              "Operation not allowed outside sandbox: /evil (a symbolic link leads outside the root)");
  call_fails (&s, "read_document", "{\"file_path\": \"leak.txt\"}",
              "Operation not allowed outside sandbox: leak.txt (a symbolic link leads outside the root)");
  call_fails (&s, "open", "{\"path\": \"leak.txt\", \"mode\": \"w\"}",
              "Operation not allowed outside sandbox: leak.txt (a symbolic link leads outside the root)");
  call_fails (&s, "mkdir", "{\"path\": \"evil/newdir\"}",
              "Operation not allowed outside sandbox: evil/newdir (a symbolic link leads outside the root)");
  call_fails (&s, "mv", "{\"path1\": \"/x\", \"path2\": \"evil\"}",
              "Operation not allowed outside sandbox: evil (a symbolic link leads outside the root)");

  /* through SigmaFileSystem (the email app's attachments) */
  g_assert_false (sigma_file_system_exists (SIGMA_FILE_SYSTEM (s.app), "leak.txt"));
  g_assert_false (sigma_file_system_is_directory (SIGMA_FILE_SYSTEM (s.app), "evil"));
  g_assert_null (sigma_file_system_read_file (SIGMA_FILE_SYSTEM (s.app), "leak.txt", &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_clear_error (&error);
  bytes = g_bytes_new_static ("pwned", 5);
  g_assert_false (sigma_file_system_write_file (SIGMA_FILE_SYSTEM (s.app), "leak.txt", bytes, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (secret, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "top secret");

  /* listings show the links without following them; get_state saves them as files */
  assert_result (&s, "ls", "{\"detail\": true}",
                 "[{\"name\": \"/evil\", \"size\": 0, \"type\": \"other\"}, {\"name\": \"/leak.txt\", \"size\": 0, \"type\": \"other\"}]");

  /* a link that stays inside is fine */
  host_write (&s, "real/data.txt", "inside");
  good = g_build_filename (s.root, "alias", NULL);
  g_assert_cmpint (symlink ("real", good), ==, 0);
  assert_result (&s, "cat", "{\"path\": \"alias/data.txt\"}", "\"inside\"");

  /* rm removes the link, not its target */
  run_ok (&s, "rm", "{\"path\": \"leak.txt\"}");
  run_ok (&s, "rm", "{\"path\": \"evil\", \"recursive\": true}");
  g_assert_false (host_exists (&s, "leak.txt"));
  g_assert_true (g_file_test (secret, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test ("/etc", G_FILE_TEST_IS_DIR));

  g_assert_cmpint (g_unlink (secret), ==, 0);
  g_assert_cmpint (g_rmdir (outside), ==, 0);
}

static void
test_interface (void)
{
  g_auto(Setup) s = { NULL, };
  SigmaFileSystem *fs;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) back = NULL;

  g_test_summary ("SigmaFileSystem (for attachments): read_file, write_file (into an existing "
                  "directory), exists and is_directory, with ARE's paths and errors");

  setup_init (&s);
  fs = SIGMA_FILE_SYSTEM (s.app);
  g_assert_true (sigma_file_system_write_file (fs, "/greeting.txt", data, &error));
  g_assert_no_error (error);
  back = sigma_file_system_read_file (fs, "greeting.txt", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, data));
  g_assert_true (sigma_file_system_exists (fs, "greeting.txt"));
  g_assert_false (sigma_file_system_is_directory (fs, "greeting.txt"));
  g_assert_true (sigma_file_system_is_directory (fs, "/"));
  g_assert_false (sigma_file_system_exists (fs, "../greeting.txt"));

  g_assert_false (sigma_file_system_write_file (fs, "Downloads/x.txt", data, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_cmpstr (error->message, ==, "[Errno 2] No such file or directory: '/Downloads/x.txt'");
  g_clear_error (&error);
  g_assert_null (sigma_file_system_read_file (fs, "/", &error));
  g_assert_cmpstr (error->message, ==, "[Errno 21] Is a directory: '/'");
  g_clear_error (&error);

  /* the environment hands the app to other apps */
  g_assert_true (sigma_environment_get_file_system (s.env) == fs);
}

static void
test_log_and_notifications (void)
{
  g_auto(Setup) s = { NULL, };
  SigmaNotificationSystem *ns;
  SigmaCompletedEvent *last;

  g_test_summary ("Calls are logged with their arguments and results; the file system raises no "
                  "notification at any verbosity");

  setup_init (&s);
  ns = sigma_environment_get_notifications (s.env);
  for (SigmaVerbosity v = SIGMA_VERBOSITY_LOW; v <= SIGMA_VERBOSITY_HIGH; v++)
    {
      sigma_notification_system_set_verbosity (ns, v);
      run_ok (&s, "makedirs", "{\"path\": \"d\", \"exist_ok\": true}");
      g_assert_cmpuint (sigma_notification_system_get_n_pending (ns), ==, 0);
    }
  last = sigma_environment_get_last_event (s.env);
  g_assert_cmpstr (sigma_completed_event_get_app_name (last), ==, "Files");
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, "makedirs");
  g_assert_true (sigma_completed_event_is_write (last));
  assert_json (sigma_completed_event_get_return_value (last), "null");
  {
    g_autoptr(JsonNode) r = call_ok (&s, "exists", "{\"path\": \"d\"}");
    assert_json (r, "true");
    last = sigma_environment_get_last_event (s.env);
    g_assert_false (sigma_completed_event_is_write (last));
    assert_json (sigma_completed_event_get_return_value (last), "true");
  }
}

static void
test_determinism (void)
{
  g_auto(Setup) a = { NULL, };
  g_auto(Setup) b = { NULL, };
  g_autofree char *state_a = NULL;
  g_autofree char *state_b = NULL;

  g_test_summary ("The app draws no ids; listings and saved states do not depend on the order in "
                  "which files were made (names sorted by code point) nor on the seed");

  setup_init (&a);
  setup_init (&b);
  sigma_environment_set_seed (b.env, 99);
  host_write (&a, "b.txt", "1");
  host_write (&a, "B.txt", "1");
  host_write (&a, "a/x", "1");
  host_write (&b, "a/x", "1");
  host_write (&b, "B.txt", "1");
  host_write (&b, "b.txt", "1");
  state_a = state_string (&a);
  state_b = state_string (&b);
  g_assert_cmpstr (state_a, ==, state_b);
  assert_result (&a, "ls", "{}", "[\"/B.txt\", \"/a\", \"/b.txt\"]");
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static const char *are_state =
  "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": ["
  "  {\"name\": \"Documents\", \"type\": \"directory\", \"children\": ["
  "    {\"name\": \"zeta.txt\", \"type\": \"file\"},"
  "    {\"name\": \"alpha.txt\", \"type\": \"file\"}]},"
  "  {\"name\": \"llama.jpg\", \"type\": \"file\"},"
  "  {\"name\": \"Empty\", \"type\": \"directory\", \"children\": []}]},"
  " \"tmpdir\": \"C:\\\\Temp\\\\are_simulation_fs_sandbox_x\"}";

static const char *gaia2_state =
  "{\"files\": {\"name\": \"/\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
  "  {\"name\": \"Documents\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
  "    {\"name\": \"news\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
  "      {\"name\": \"b.txt\", \"type\": \"file\", \"real_path\": \"demo_filesystem/Documents/news/b.txt\", \"children\": []},"
  "      {\"name\": \"a.txt\", \"type\": \"file\", \"real_path\": \"demo_filesystem/Documents/news/a.txt\", \"children\": []}]},"
  "    {\"name\": \"weather.csv\", \"type\": \"file\", \"real_path\": \"demo_filesystem/Documents/weather.csv\", \"children\": []}]},"
  "  {\"name\": \"Downloads\", \"type\": \"directory\", \"real_path\": null, \"children\": []}]}}";

static void
test_state_fresh (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("A new app saves ARE's form: an empty root named \"\" and the tmpdir (its root)");

  setup_init (&s);
  state = sigma_app_get_state (s.app);
  expected = g_strdup_printf ("{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": []}, \"tmpdir\": \"%s\"}", s.root);
  assert_json (state, expected);
}

static void
test_state_are (void)
{
  g_auto(Setup) s = { NULL, };
  g_autofree char *saved = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) input = json_from_string (are_state, NULL);

  g_test_summary ("An ARE state recreates the tree with empty files; get_state keeps the listed "
                  "order and gives the tmpdir of this app (ARE ignores the loaded one)");

  setup_init (&s);
  host_write (&s, "stale.txt", "from before");
  load_state (&s, are_state);
  g_assert_false (host_exists (&s, "stale.txt"));   /* the private root is emptied first */
  g_assert_true (host_exists (&s, "Documents/zeta.txt"));
  g_assert_true (host_exists (&s, "Empty"));
  {
    g_autofree char *text = host_read (&s, "llama.jpg");
    g_assert_cmpstr (text, ==, "");
  }
  json_object_remove_member (json_node_get_object (input), "tmpdir");
  expected = json_to_string (input, FALSE);
  saved = state_string (&s);
  g_assert_cmpstr (saved, ==, expected);

  /* tools change the tree: new entries come after the listed ones, sorted */
  json_node_unref (call_ok (&s, "open", "{\"path\": \"/Documents/beta.txt\", \"mode\": \"w\"}"));
  run_ok (&s, "rm", "{\"path\": \"llama.jpg\"}");
  {
    g_autofree char *after = state_string (&s);
    g_autofree char *want = compact (
      "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": ["
      "  {\"name\": \"Documents\", \"type\": \"directory\", \"children\": ["
      "    {\"name\": \"zeta.txt\", \"type\": \"file\"}, {\"name\": \"alpha.txt\", \"type\": \"file\"},"
      "    {\"name\": \"beta.txt\", \"type\": \"file\"}]},"
      "  {\"name\": \"Empty\", \"type\": \"directory\", \"children\": []}]}}");

    g_assert_cmpstr (after, ==, want);
  }
  assert_result (&s, "ls", "{\"path\": \"Documents\"}", "[\"/Documents/zeta.txt\", \"/Documents/alpha.txt\", \"/Documents/beta.txt\"]");
}

static void
test_state_gaia2 (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) saved = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_test_summary ("A Gaia2 state (root \"/\", real_path, files with children []) round-trips "
                  "exactly; new entries get real_path null; loading the saved state changes nothing");

  setup_init (&s);
  load_state (&s, gaia2_state);
  saved = sigma_app_get_state (s.app);
  a = compact (gaia2_state);
  b = json_to_string (saved, FALSE);
  g_assert_cmpstr (b, ==, a);

  load_state (&s, b);
  {
    g_autofree char *c = state_string (&s);
    g_assert_cmpstr (c, ==, a);
  }

  run_ok (&s, "mkdir", "{\"path\": \"/Downloads/new\"}");
  run_ok (&s, "mv", "{\"path1\": \"/Documents/weather.csv\", \"path2\": \"/Downloads/new\"}");
  {
    g_autofree char *after = state_string (&s);
    g_autofree char *want = compact (
      "{\"files\": {\"name\": \"/\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
      "  {\"name\": \"Documents\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
      "    {\"name\": \"news\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
      "      {\"name\": \"b.txt\", \"type\": \"file\", \"real_path\": \"demo_filesystem/Documents/news/b.txt\", \"children\": []},"
      "      {\"name\": \"a.txt\", \"type\": \"file\", \"real_path\": \"demo_filesystem/Documents/news/a.txt\", \"children\": []}]}]},"
      "  {\"name\": \"Downloads\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
      "    {\"name\": \"new\", \"type\": \"directory\", \"real_path\": null, \"children\": ["
      "      {\"name\": \"weather.csv\", \"type\": \"file\", \"real_path\": null, \"children\": []}]}]}]}}");

    g_assert_cmpstr (after, ==, want);
  }
}

static void
test_state_configured_root (void)
{
  g_autofree char *root = g_dir_make_tmp ("sigma-fs-content-XXXXXX", NULL);
  g_autofree char *extra = g_build_filename (root, "extra.txt", NULL);
  g_autofree char *content = NULL;

  g_test_summary ("With a configured root (the content root) load_state keeps the files there, "
                  "with their contents, and only adds what is missing; reset deletes nothing");

  {
    g_auto(Setup) s = { NULL, };

    setup_init_full (&s, "Files", root);
    host_write (&s, "Documents/news/a.txt", "news A");
    host_write (&s, "extra.txt", "mine");
    load_state (&s, gaia2_state);
    content = host_read (&s, "Documents/news/a.txt");
    g_assert_cmpstr (content, ==, "news A");
    g_assert_true (host_exists (&s, "Documents/news/b.txt"));
    assert_result (&s, "read_document", "{\"file_path\": \"Documents/news/a.txt\"}", "\"news A\"");
    g_assert_true (host_exists (&s, "extra.txt"));
    sigma_app_reset (s.app);
    g_assert_true (host_exists (&s, "extra.txt"));
  }
  /* the app never removes a configured root */
  g_assert_true (g_file_test (extra, G_FILE_TEST_EXISTS));
  {
    g_autoptr(SigmaApp) cleaner = sigma_file_system_app_new (NULL);
    g_autoptr(JsonObject) args = parse_object ("{\"path\": \"/\"}");
    g_autoptr(JsonNode) listing = NULL;
    g_autoptr(GError) error = NULL;

    /* tidy up through the app itself */
    sigma_file_system_app_set_root (SIGMA_FILE_SYSTEM_APP (cleaner), root);
    listing = sigma_app_invoke (cleaner, "ls", args, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (json_node_get_array (listing)); i++)
      {
        g_autoptr(JsonObject) rm = json_object_new ();
        g_autoptr(JsonNode) r = NULL;

        json_object_set_string_member (rm, "path", json_array_get_string_element (json_node_get_array (listing), i));
        json_object_set_boolean_member (rm, "recursive", TRUE);
        r = sigma_app_invoke (cleaner, "rm", rm, &error);
        g_assert_no_error (error);
      }
  }
  g_assert_cmpint (g_rmdir (root), ==, 0);
}

static void
test_state_reset (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("reset empties the private root and forgets the loaded state's form");

  setup_init (&s);
  load_state (&s, gaia2_state);
  sigma_app_reset (s.app);
  g_assert_false (host_exists (&s, "Documents"));
  state = sigma_app_get_state (s.app);
  expected = g_strdup_printf ("{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": []}, \"tmpdir\": \"%s\"}", s.root);
  assert_json (state, expected);
}

static void
test_state_errors (void)
{
  const struct { const char *state; const char *message; } cases[] = {
    { "7", "Files: app_state must be a JSON object" },
    { "{\"files\": [], \"tmpdir\": \"x\"}", "Files: app_state.files: expected an object" },
    { "{\"files\": {\"name\": \"\"}, \"other\": 1}", "Files: app_state: unknown field 'other'" },
    { "{\"files\": {\"type\": \"directory\"}}", "Files: app_state.files.name: missing (expected a string)" },
    { "{\"files\": {\"name\": \"\", \"type\": \"file\"}}", "Files: app_state.files.type: the root must be a directory" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"a\", \"type\": \"link\"}]}}",
      "Files: app_state.files.children[0].type: expected \"file\" or \"directory\", got 'link'" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"..\", \"type\": \"file\"}]}}",
      "Files: app_state.files.children[0].name: invalid file name '..'" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"a/../../b\", \"type\": \"file\"}]}}",
      "Files: app_state.files.children[0].name: invalid file name 'a/../../b'" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"d\", \"type\": \"directory\","
      " \"children\": [{\"name\": \"x\", \"type\": \"file\"}, {\"name\": \"x\", \"type\": \"file\"}]}]}}",
      "Files: app_state.files.children[0].children[1].name: duplicate name 'x'" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"f\", \"type\": \"file\","
      " \"children\": [{\"name\": \"x\", \"type\": \"file\"}]}]}}",
      "Files: app_state.files.children[0].children: a file cannot have children" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"f\", \"type\": \"file\", \"real_path\": 3}]}}",
      "Files: app_state.files.children[0].real_path: expected a string" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": [{\"name\": \"f\", \"type\": \"file\", \"size\": 3}]}}",
      "Files: app_state.files.children[0]: unknown field 'size'" },
    { "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": {}}}",
      "Files: app_state.files.children: expected an array" },
  };

  g_test_summary ("Malformed states fail with SIGMA_ERROR_INVALID_DATA naming the app and the JSON "
                  "path, and change nothing on disk");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Setup) s = { NULL, };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) state = json_from_string (cases[i].state, NULL);

      setup_init (&s);
      host_write (&s, "kept.txt", "k");
      g_assert_false (sigma_app_load_state (s.app, state, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_true (host_exists (&s, "kept.txt"));
    }
}

static void
test_state_lenient (void)
{
  g_auto(Setup) s = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = json_from_string (
    "{\"files\": {\"name\": \"\", \"type\": \"directory\", \"children\": ["
    " {\"name\": \"ok\", \"type\": \"directory\", \"children\": [{\"name\": \"in.txt\", \"type\": \"file\"}]},"
    " {\"name\": \"bad\", \"type\": \"directory\", \"children\": [{\"name\": \"x\", \"type\": \"pipe\"}, {\"name\": \"y\", \"type\": \"file\"}]},"
    " {\"name\": \"ok\", \"type\": \"file\"}]}}", NULL);

  g_test_summary ("In lenient mode a malformed node is skipped with a warning, with nothing left "
                  "behind, and the rest loads");

  setup_init (&s);
  sigma_app_set_lenient (s.app, TRUE);
  g_test_expect_message ("Sigma", G_LOG_LEVEL_WARNING,
                         "Files: app_state.files.children[1].children[0].type: expected \"file\" or \"directory\", got 'pipe' (skipped)");
  g_test_expect_message ("Sigma", G_LOG_LEVEL_WARNING, "Files: app_state.files.children[2].name: duplicate name 'ok' (skipped)");
  g_assert_true (sigma_app_load_state (s.app, state, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_true (host_exists (&s, "ok/in.txt"));
  g_assert_true (host_exists (&s, "bad/y"));
  g_assert_false (host_exists (&s, "bad/x"));
}

/* ------------------------------------------------------------------------------------ */
/* Corpus                                                                               */

static void
test_corpus (void)
{
  g_autoptr(JsonNode) root = app_test_read_corpus ("gaia2/scenario_universe_30_997a5b.json");
  JsonArray *apps;
  guint n = 0;

  g_test_summary ("The Gaia2 scenario's Files app (SandboxLocalFileSystem) loads, its 312-node "
                  "tree is recreated in the root, and get_state gives back the same JSON");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR does not hold the Gaia2 scenario");
      return;
    }
  apps = json_object_get_array_member (json_node_get_object (root), "apps");
  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      const char *class_name = json_object_get_string_member (entry, "class_name");
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaApp) app = NULL;
      g_autoptr(JsonNode) saved = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if (!g_str_equal (class_name, "SandboxLocalFileSystem") && !g_str_equal (class_name, "Files") &&
          !g_str_equal (class_name, "VirtualFileSystem"))
        continue;
      app = sigma_apps_create (class_name, json_object_get_string_member (entry, "name"), &error);
      g_assert_no_error (error);
      sigma_app_load_state (app, json_object_get_member (entry, "app_state"), &error);
      g_assert_no_error (error);
      saved = sigma_app_get_state (app);
      a = json_to_string (json_object_get_member (entry, "app_state"), FALSE);
      b = json_to_string (saved, FALSE);
      g_assert_cmpstr (b, ==, a);

      {
        g_autoptr(JsonObject) args = parse_object (
          "{\"path\": \"/Documents/benchmarks/robert_data/GAIA_validation/2023_validation_metadata.jsonl\"}");
        g_autoptr(JsonNode) exists = sigma_app_invoke (app, "exists", args, &error);

        g_assert_no_error (error);
        g_assert_true (json_node_get_boolean (exists));
      }
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

static void
test_corpus_state_dump (void)
{
  g_autoptr(JsonNode) root = app_test_read_corpus (
    "are-scenarios/waggle-os_are-oracle-run_scenario-find-image-file_initial-state.jsonl");
  g_autoptr(SigmaApp) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) listing = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  JsonArray *apps;
  JsonObject *entry;

  g_test_summary ("The file system of an environment state dump written by ARE itself (its "
                  "state carries `app_name` beside `files` and `tmpdir`) loads");

  if (root == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR does not hold the waggle-os state dump");
      return;
    }
  apps = json_object_get_array_member (json_node_get_object (root), "apps");
  entry = json_array_get_object_element (apps, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "app_name"), ==, "SandboxLocalFileSystem");
  app = sigma_apps_create ("SandboxLocalFileSystem", "SandboxLocalFileSystem", &error);
  g_assert_no_error (error);
  g_assert_true (sigma_app_load_state (app, json_array_get_element (apps, 0), &error));
  g_assert_no_error (error);
  json_object_set_string_member (args, "path", "/");
  listing = sigma_app_invoke (app, "ls", args, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listing)), ==, 11);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (listing), 10), ==, "/llama.jpg");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/apps/file-system/create", test_create);
  g_test_add_func ("/sigma/apps/file-system/tools", test_tools);
  g_test_add_func ("/sigma/apps/file-system/root", test_root);
  g_test_add_func ("/sigma/apps/file-system/open", test_open);
  g_test_add_func ("/sigma/apps/file-system/cat", test_cat);
  g_test_add_func ("/sigma/apps/file-system/mkdir", test_mkdir);
  g_test_add_func ("/sigma/apps/file-system/mv", test_mv);
  g_test_add_func ("/sigma/apps/file-system/ls-info-exists", test_ls_info_exists);
  g_test_add_func ("/sigma/apps/file-system/rm", test_rm);
  g_test_add_func ("/sigma/apps/file-system/tree", test_tree);
  g_test_add_func ("/sigma/apps/file-system/read-document", test_read_document);
  g_test_add_func ("/sigma/apps/file-system/virtual-tools", test_virtual_tools);
  g_test_add_func ("/sigma/apps/file-system/path-mapping", test_path_mapping);
  g_test_add_func ("/sigma/apps/file-system/escape/dotdot", test_escape_dotdot);
  g_test_add_func ("/sigma/apps/file-system/escape/symlink", test_escape_symlink);
  g_test_add_func ("/sigma/apps/file-system/interface", test_interface);
  g_test_add_func ("/sigma/apps/file-system/log-and-notifications", test_log_and_notifications);
  g_test_add_func ("/sigma/apps/file-system/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/file-system/state/fresh", test_state_fresh);
  g_test_add_func ("/sigma/apps/file-system/state/are", test_state_are);
  g_test_add_func ("/sigma/apps/file-system/state/gaia2", test_state_gaia2);
  g_test_add_func ("/sigma/apps/file-system/state/configured-root", test_state_configured_root);
  g_test_add_func ("/sigma/apps/file-system/state/reset", test_state_reset);
  g_test_add_func ("/sigma/apps/file-system/state/errors", test_state_errors);
  g_test_add_func ("/sigma/apps/file-system/state/lenient", test_state_lenient);
  g_test_add_func ("/sigma/apps/file-system/corpus", test_corpus);
  g_test_add_func ("/sigma/apps/file-system/corpus/state-dump", test_corpus_state_dump);

  return g_test_run ();
}
