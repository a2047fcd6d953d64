/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libsoup/soup.h>
#include <sigma.h>

/* SigmaServer in-process, driven by a SoupSession in the same main context: a short
 * scripted session (so valgrind sees the server, its session threads and WebSocket-free
 * teardown), error answers, and idle reaping. */

typedef struct {
  SigmaServer *server;
  SoupSession *client;
  char        *base;
} Fixture;

typedef struct {
  GBytes *body;
  GError *error;
  gboolean done;
} Reply;

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Reply *reply = data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

/* Sends a request, runs the context until the answer; returns the status and the JSON. */
static guint
request (Fixture     *f,
         const char  *method,
         const char  *path,
         const char  *body,
         JsonNode   **json)
{
  g_autofree char *url = g_strconcat (f->base, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  Reply reply = { NULL, NULL, FALSE };

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->client, msg, G_PRIORITY_DEFAULT, NULL, on_reply, &reply);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reply.error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply.body, NULL),
                                             g_bytes_get_size (reply.body), NULL));
  if (json != NULL)
    *json = json_node_ref (json_parser_get_root (parser));
  g_bytes_unref (reply.body);
  return soup_message_get_status (msg);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;

  f->server = sigma_server_new (NULL);
  g_assert_true (sigma_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sigma_server_get_port (f->server), >, 0);
  f->base = sigma_server_get_url (f->server);
  g_assert_true (g_str_has_prefix (f->base, "http://127.0.0.1:"));
  /* no system proxy lookup (it would need GSettings schemas) */
  resolver = g_simple_proxy_resolver_new (NULL, NULL);
  f->client = soup_session_new_with_options ("proxy-resolver", resolver, NULL);
}

/* Iterates the default context for @ms milliseconds. */
static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  spin_for (200);   /* let the server see its clients go before it shuts down */
  sigma_server_shutdown (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->server);
  g_free (f->base);
}

static char *
scenario_body (void)
{
  const char *corpus = g_getenv ("SIGMA_CORPUS_DIR");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (corpus == NULL)
    return NULL;
  path = g_build_filename (corpus, "gaia2", "scenario_universe_30_997a5b.json", NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strdup_printf ("{\"scenario\": %s}", text);
}

static const char *
error_code (JsonNode *node)
{
  return json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "error"), "code");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;

  g_assert_cmpuint (request (f, "GET", "/health", NULL, &a), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/nowhere", NULL, &b), ==, 404);
  g_assert_cmpstr (error_code (b), ==, "not_found");
  g_assert_cmpuint (request (f, "DELETE", "/apps", NULL, &c), ==, 405);
  g_assert_cmpuint (request (f, "POST", "/sessions", "{oops", &d), ==, 400);
  g_assert_cmpuint (request (f, "POST", "/sessions", "{\"scenario_id\": \"x\", \"more\": 1}", &e), ==, 422);
}

static void
test_session (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *body = scenario_body ();
  g_autoptr(JsonNode) created = NULL, start = NULL, tool = NULL, reply = NULL, result = NULL, gone = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *path = NULL;

  if (body == NULL)
    {
      g_test_skip ("the corpus scenario is not available");
      return;
    }
  g_assert_cmpuint (request (f, "POST", "/sessions", body, &created), ==, 201);
  prefix = g_strconcat ("/sessions/", json_object_get_string_member (json_node_get_object (created), "session_id"), NULL);
  g_assert_cmpuint (sigma_server_get_n_sessions (f->server), ==, 1);

  path = g_strconcat (prefix, "/start", NULL);
  g_assert_cmpuint (request (f, "POST", path, NULL, &start), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (start), "messages")), ==, 1);
  g_free (path);

  path = g_strconcat (prefix, "/tool", NULL);
  g_assert_cmpuint (request (f, "POST", path, "{\"tool\": \"Calendar__get_all_tags\"}", &tool), ==, 200);
  g_assert_true (json_object_get_null_member (json_node_get_object (tool), "error"));
  g_free (path);

  path = g_strconcat (prefix, "/respond", NULL);
  g_assert_cmpuint (request (f, "POST", path, "{\"message\": \"done\"}", &reply), ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (reply), "finished"));
  g_free (path);

  path = g_strconcat (prefix, "/result", NULL);
  g_assert_cmpuint (request (f, "GET", path, NULL, &result), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "status"), ==, "failed");

  g_assert_cmpuint (request (f, "DELETE", prefix, NULL, &gone), ==, 200);
  g_assert_cmpuint (sigma_server_get_n_sessions (f->server), ==, 0);
  g_assert_true (sigma_server_is_idle (f->server));
}

static void
test_idle_reaping (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *body = scenario_body ();
  g_autoptr(JsonNode) created = NULL;
  gint64 deadline;

  if (body == NULL)
    {
      g_test_skip ("the corpus scenario is not available");
      return;
    }
  g_assert_cmpuint (request (f, "POST", "/sessions", body, &created), ==, 201);
  g_assert_cmpuint (sigma_server_get_n_sessions (f->server), ==, 1);
  sigma_server_set_idle_timeout (f->server, 0.2);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (sigma_server_get_n_sessions (f->server) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sigma_server_get_n_sessions (f->server), ==, 0);
}

static void
test_accept_failure (Fixture       *f,
                     gconstpointer  data)
{
  const char *request_text = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GArray) spare = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  struct rlimit saved, low;
  GSocket *socket;
  gint64 deadline;
  int fd;

  g_test_summary ("When accept() fails (here the process is out of file descriptors) the "
                  "server logs once, pauses and accepts the waiting client once it can: it "
                  "neither spins nor stops listening");

  if (g_getenv ("SIGMA_UNDER_VALGRIND") != NULL)
    {
      /* valgrind emulates the limit: it takes the connection, then refuses the descriptor */
      g_test_skip ("valgrind emulates the file limit");
      return;
    }

  /* the kernel completes the connection and queues it until the server accepts */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", sigma_server_get_port (f->server),
                                                NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);
  g_assert_cmpint (g_socket_send (socket, request_text, strlen (request_text), NULL, &error), ==,
                   (gssize) strlen (request_text));
  g_assert_no_error (error);

  /* use up every descriptor under a lowered limit, so that the server's accept() fails */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  low = saved;
  low.rlim_cur = MIN (saved.rlim_cur, 256);
  if (setrlimit (RLIMIT_NOFILE, &low) != 0)
    {
      g_test_skip ("cannot lower the file limit");
      return;
    }
  while ((fd = open ("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
    g_array_append_val (spare, fd);
  g_test_expect_message ("Sigma", G_LOG_LEVEL_WARNING, "Cannot accept a connection (*open files*)*");
  spin_for (350);   /* a few retries: still one warning */
  g_test_assert_expected_messages ();
  for (guint i = 0; i < spare->len; i++)
    close (g_array_index (spare, int, i));
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);

  /* answered once the retry accepts it */
  g_socket_set_blocking (socket, FALSE);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      char buffer[4096];
      gssize n;

      g_main_context_iteration (NULL, FALSE);
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
      if (n == 0)
        break;
      if (n > 0)
        g_string_append_len (answer, buffer, n);
      else
        g_usleep (1000);
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200"));
}

int
main (int    argc,
      char **argv)
{
  /* loopback needs no proxy; the system's resolver would want GSettings schemas */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("SigmaServer in-process: errors, a short played session, idle reaping, "
                  "a failing accept()");
  g_test_add ("/sigma/server/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/sigma/server/session", Fixture, NULL, fixture_setup, test_session, fixture_teardown);
  g_test_add ("/sigma/server/idle-reaping", Fixture, NULL, fixture_setup, test_idle_reaping, fixture_teardown);
  g_test_add ("/sigma/server/accept-failure", Fixture, NULL, fixture_setup, test_accept_failure, fixture_teardown);
  return g_test_run ();
}
