/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The LLM client, soft judge and user simulator against an in-process OpenAI-compatible
 * server (a SoupServer on 127.0.0.1, port 0, in a thread of its own) that answers from a
 * script.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sigma.h>

/* ------------------------------------------------------------------------------------ */
/* The scripted server                                                                  */

typedef struct {
  guint  status;
  char  *body;
  char  *retry_after;
  guint  delay_ms;
} Answer;

typedef struct {
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GThread      *thread;
  char         *base_url;
  GQueue        script;      /* Answer */
  GPtrArray    *bodies;      /* request bodies received */
  GPtrArray    *auth;        /* Authorization headers received */
} Fake;

static void
answer_free (Answer *answer)
{
  g_free (answer->body);
  g_free (answer->retry_after);
  g_free (answer);
}

static void
fake_push (Fake       *fake,
           guint       status,
           const char *body,
           const char *retry_after,
           guint       delay_ms)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->body = g_strdup (body);
  answer->retry_after = g_strdup (retry_after);
  answer->delay_ms = delay_ms;
  g_mutex_lock (&fake->lock);
  g_queue_push_tail (&fake->script, answer);
  g_mutex_unlock (&fake->lock);
}

/* A chat completion with @content and @calls (a JSON array text of tool calls, or NULL). */
static char *
completion (const char *content,
            const char *calls,
            guint       prompt_tokens,
            guint       completion_tokens)
{
  g_autofree char *quoted = NULL;

  if (content != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), content);

      quoted = json_to_string (node, FALSE);
    }
  return g_strdup_printf ("{\"id\": \"x\", \"choices\": [{\"index\": 0, \"finish_reason\": \"%s\", "
                          "\"message\": {\"role\": \"assistant\", \"content\": %s%s%s}}], "
                          "\"usage\": {\"prompt_tokens\": %u, \"completion_tokens\": %u}}",
                          calls != NULL ? "tool_calls" : "stop", quoted != NULL ? quoted : "null",
                          calls != NULL ? ", \"tool_calls\": " : "", calls != NULL ? calls : "",
                          prompt_tokens, completion_tokens);
}

static gboolean
unpause (gpointer data)
{
  soup_server_message_unpause (SOUP_SERVER_MESSAGE (data));
  return G_SOURCE_REMOVE;
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fake *fake = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  Answer *answer;

  g_mutex_lock (&fake->lock);
  g_ptr_array_add (fake->bodies, g_strndup (request->data, request->length));
  g_ptr_array_add (fake->auth, g_strdup (auth != NULL ? auth : ""));
  answer = g_queue_pop_head (&fake->script);
  g_mutex_unlock (&fake->lock);

  /* one request per connection: nothing stays open between tests */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (answer == NULL)
    {
      const char *body = "{\"error\": {\"message\": \"no scripted answer left\"}}";

      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      answer->body, strlen (answer->body));
  if (answer->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  answer->retry_after);
  if (answer->delay_ms > 0)
    {
      GSource *source = g_timeout_source_new (answer->delay_ms);

      soup_server_message_pause (msg);
      g_source_set_callback (source, unpause, g_object_ref (msg), g_object_unref);
      g_source_attach (source, fake->context);
      g_source_unref (source);
    }
  answer_free (answer);
}

static gpointer
fake_thread (gpointer data)
{
  Fake *fake = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake->context);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_mutex_lock (&fake->lock);
  fake->base_url = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
  fake->ready = TRUE;
  g_cond_signal (&fake->cond);
  g_mutex_unlock (&fake->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake->loop);

  soup_server_disconnect (fake->server);
  /* let closed connections finish (bounded), then drop what the loop still holds */
  for (guint i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (fake->context, FALSE))
        ;
      g_usleep (1000);
    }
  g_clear_object (&fake->server);
  while (g_main_context_iteration (fake->context, FALSE))
    ;
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static Fake *
fake_new (void)
{
  Fake *fake = g_new0 (Fake, 1);

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->cond);
  g_queue_init (&fake->script);
  fake->bodies = g_ptr_array_new_with_free_func (g_free);
  fake->auth = g_ptr_array_new_with_free_func (g_free);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->thread = g_thread_new ("fake-openai", fake_thread, fake);
  g_mutex_lock (&fake->lock);
  while (!fake->ready)
    g_cond_wait (&fake->cond, &fake->lock);
  g_mutex_unlock (&fake->lock);
  return fake;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Stops the server (the port then refuses connections); the Fake stays readable. */
static void
fake_stop (Fake *fake)
{
  if (fake->thread == NULL)
    return;
  g_main_context_invoke (fake->context, quit_loop, fake->loop);
  g_thread_join (fake->thread);
  fake->thread = NULL;
}

static void
fake_free (Fake *fake)
{
  fake_stop (fake);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_queue_clear_full (&fake->script, (GDestroyNotify) answer_free);
  g_ptr_array_unref (fake->bodies);
  g_ptr_array_unref (fake->auth);
  g_free (fake->base_url);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->cond);
  g_free (fake);
}

static guint
fake_n_requests (Fake *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->bodies->len;
  g_mutex_unlock (&fake->lock);
  return n;
}

static JsonArray *
one_user_message (const char *text)
{
  JsonArray *messages = json_array_new ();
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", "user");
  json_object_set_string_member (message, "content", text);
  json_array_add_object_element (messages, message);
  return messages;
}

static SigmaLlmClient *
fast_client (Fake       *fake,
             const char *model)
{
  SigmaLlmClient *client = sigma_llm_client_new (fake->base_url, model);

  sigma_llm_client_set_retry_delay (client, 0.001, 0.05);
  sigma_llm_client_set_seed (client, 7);
  return client;
}

/* ------------------------------------------------------------------------------------ */

static void
test_client_tool_calls (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(JsonArray) messages = one_user_message ("Find Ann");
  g_autoptr(JsonArray) tools = json_array_new ();
  g_autoptr(SigmaLlmReply) reply = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(JsonObject) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *body = completion ("Looking.",
    "[{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"Contacts__search_contacts\", "
    "\"arguments\": \"{\\\"query\\\": \\\"Ann\\\"}\"}}, "
    "{\"id\": \"c2\", \"type\": \"function\", \"function\": {\"name\": \"Contacts__get_contact\", "
    "\"arguments\": \"{broken\"}}]", 1000, 100);
  SigmaUsage usage = { 0, };
  JsonObject *request, *message;

  g_test_summary ("A reply with parallel tool calls: ids, names, arguments (one malformed), usage and cost");
  json_array_add_element (tools, json_from_string ("{\"type\": \"function\", \"function\": "
                                                   "{\"name\": \"Contacts__search_contacts\"}}", NULL));
  fake_push (fake, 200, body, NULL, 0);
  sigma_llm_client_set_api_key (client, "sk-unit");
  reply = sigma_llm_client_chat (client, messages, tools, "auto", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  g_assert_cmpstr (sigma_llm_reply_get_content (reply), ==, "Looking.");
  g_assert_cmpstr (sigma_llm_reply_get_finish_reason (reply), ==, "tool_calls");
  g_assert_cmpuint (sigma_llm_reply_get_n_tool_calls (reply), ==, 2);
  g_assert_cmpstr (sigma_llm_reply_get_tool_call_id (reply, 0), ==, "c1");
  g_assert_cmpstr (sigma_llm_reply_get_tool_call_name (reply, 1), ==, "Contacts__get_contact");
  args = sigma_llm_reply_parse_tool_call_arguments (reply, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (args, "query"), ==, "Ann");
  bad = sigma_llm_reply_parse_tool_call_arguments (reply, 1, &error);
  g_assert_null (bad);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_ARGUMENTS);
  g_assert_nonnull (strstr (error->message, "c2"));
  g_assert_nonnull (strstr (error->message, "not valid JSON"));

  message = sigma_llm_reply_get_message (reply);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "assistant");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "tool_calls")), ==, 2);

  /* gpt-4o: 2.50 / 10.00 USD per million */
  g_assert_cmpuint (sigma_llm_reply_get_usage (reply)->prompt_tokens, ==, 1000);
  g_assert_cmpuint (sigma_llm_reply_get_usage (reply)->completion_tokens, ==, 100);
  g_assert_cmpuint (sigma_llm_reply_get_usage (reply)->n_requests, ==, 1);
  g_assert_cmpfloat_with_epsilon (sigma_llm_reply_get_usage (reply)->cost, 0.0035, 1e-12);
  sigma_llm_client_get_usage (client, &usage);
  g_assert_cmpfloat_with_epsilon (usage.cost, 0.0035, 1e-12);

  /* what was sent */
  g_assert_cmpstr (g_ptr_array_index (fake->auth, 0), ==, "Bearer sk-unit");
  g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (fake->bodies, 0), -1, NULL));
  request = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "gpt-4o");
  g_assert_cmpstr (json_object_get_string_member (request, "tool_choice"), ==, "auto");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "tools")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "messages")), ==, 1);
  fake_free (fake);
}

static void
test_client_retries (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(JsonArray) messages = one_user_message ("hi");
  g_autoptr(SigmaLlmReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = completion ("hello", NULL, 10, 2);

  g_test_summary ("429 (with Retry-After) and 500 are retried; the third try succeeds");
  fake_push (fake, 429, "{\"error\": {\"message\": \"slow down\"}}", "0.2", 0);
  fake_push (fake, 500, "{\"error\": {\"message\": \"boom\"}}", NULL, 0);
  fake_push (fake, 200, body, NULL, 0);
  sigma_llm_client_set_max_retries (client, 2);
  sigma_llm_client_set_retry_delay (client, 0.001, 1.0);
  /* the server's Retry-After wins over the (much shorter) backoff; the client logs its waits */
  g_log_set_debug_enabled (TRUE);
  g_test_expect_message ("Sigma", G_LOG_LEVEL_DEBUG, "*HTTP 429*slow down; retry 1 of 2 in 0.20 s");
  g_test_expect_message ("Sigma", G_LOG_LEVEL_DEBUG, "*HTTP 500*boom; retry 2 of 2 in 0.00 s");
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_test_assert_expected_messages ();
  g_log_set_debug_enabled (FALSE);
  g_assert_no_error (error);
  g_assert_cmpstr (sigma_llm_reply_get_content (reply), ==, "hello");
  g_assert_cmpuint (sigma_llm_reply_get_usage (reply)->n_requests, ==, 3);
  g_assert_cmpuint (fake_n_requests (fake), ==, 3);
  fake_free (fake);
}

static void
test_client_give_up (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(JsonArray) messages = one_user_message ("hi");
  g_autoptr(SigmaLlmReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  SigmaUsage usage = { 0, };

  g_test_summary ("After max-retries the error names the endpoint, the status and the retries");
  for (guint i = 0; i < 3; i++)
    fake_push (fake, 503, "{\"error\": {\"message\": \"overloaded\"}}", NULL, 0);
  sigma_llm_client_set_max_retries (client, 2);
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "HTTP 503"));
  g_assert_nonnull (strstr (error->message, "overloaded"));
  g_assert_nonnull (strstr (error->message, "/v1/chat/completions"));
  g_assert_nonnull (strstr (error->message, "gave up after 2 retries"));
  g_assert_cmpuint (fake_n_requests (fake), ==, 3);
  sigma_llm_client_get_usage (client, &usage);
  g_assert_cmpuint (usage.n_requests, ==, 3);
  g_clear_error (&error);

  /* 429 to the end: rate limited */
  fake_push (fake, 429, NULL, "0", 0);
  fake_push (fake, 429, NULL, "0", 0);
  sigma_llm_client_set_max_retries (client, 1);
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_RATE_LIMITED);
  g_clear_error (&error);

  /* other 4xx: no retry */
  fake_push (fake, 401, "{\"error\": {\"message\": \"bad key\"}}", NULL, 0);
  fake_push (fake, 200, "{}", NULL, 0);
  sigma_llm_client_set_max_retries (client, 3);
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "HTTP 401"));
  g_assert_nonnull (strstr (error->message, "bad key"));
  g_assert_cmpuint (fake_n_requests (fake), ==, 6);
  fake_free (fake);
}

static void
test_client_bad_response (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(JsonArray) messages = one_user_message ("hi");
  g_autoptr(GError) error = NULL;
  SigmaLlmReply *reply;

  g_test_summary ("Bodies that are not chat completions are BAD_RESPONSE errors, not crashes");
  fake_push (fake, 200, "this is not json", NULL, 0);
  fake_push (fake, 200, "{\"choices\": []}", NULL, 0);
  fake_push (fake, 200, "{\"choices\": [{\"message\": {\"tool_calls\": [{\"function\": {}}]}}]}", NULL, 0);
  fake_push (fake, 200, "[1, 2]", NULL, 0);
  for (guint i = 0; i < 4; i++)
    {
      reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
      g_assert_null (reply);
      g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (fake_n_requests (fake), ==, 4);
  fake_free (fake);
}

static void
test_client_timeout (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(JsonArray) messages = one_user_message ("hi");
  g_autoptr(GError) error = NULL;
  g_autofree char *body = completion ("late", NULL, 1, 1);
  SigmaLlmReply *reply;

  g_test_summary ("A request longer than the timeout fails with TIMEOUT");
  fake_push (fake, 200, body, NULL, 3000);
  sigma_llm_client_set_timeout (client, 0.3);
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "0.3 s"));
  fake_free (fake);
}

static void
test_client_connection (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(JsonArray) messages = one_user_message ("hi");
  g_autoptr(GError) error = NULL;
  SigmaLlmReply *reply;

  g_test_summary ("A closed port is a CONNECTION error after the retries");
  fake_stop (fake);
  sigma_llm_client_set_max_retries (client, 1);
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CONNECTION);
  g_assert_nonnull (strstr (error->message, fake->base_url));
  fake_free (fake);
}

static void
test_client_cassette (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) recorder = fast_client (fake, "gpt-4o");
  g_autoptr(SigmaLlmClient) player = NULL;
  g_autoptr(JsonArray) first = one_user_message ("one");
  g_autoptr(JsonArray) second = one_user_message ("two");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sigma-llm-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cassette.ndjson", NULL);
  g_autofree char *body1 = completion ("first answer", NULL, 5, 1);
  g_autofree char *body2 = completion (NULL, "[{\"id\": \"k\", \"type\": \"function\", \"function\": "
                                       "{\"name\": \"f\", \"arguments\": \"{}\"}}]", 6, 2);
  SigmaLlmReply *reply;

  g_test_summary ("Recorded exchanges replay without the server; a changed request is named");
  fake_push (fake, 200, body1, NULL, 0);
  fake_push (fake, 200, body2, NULL, 0);
  g_assert_true (sigma_llm_client_record_to (recorder, path, &error));
  g_assert_no_error (error);
  reply = sigma_llm_client_chat (recorder, first, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sigma_llm_reply_unref (reply);
  reply = sigma_llm_client_chat (recorder, second, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sigma_llm_reply_unref (reply);
  fake_stop (fake);

  /* another host and port: only the path counts */
  player = sigma_llm_client_new ("http://127.0.0.1:9/v1", "gpt-4o");
  g_assert_true (sigma_llm_client_replay_from (player, path, &error));
  g_assert_no_error (error);
  reply = sigma_llm_client_chat (player, first, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sigma_llm_reply_get_content (reply), ==, "first answer");
  sigma_llm_reply_unref (reply);
  /* the second request differs from the recording */
  reply = sigma_llm_client_chat (player, first, NULL, NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_REPLAY_MISMATCH);
  g_assert_nonnull (strstr (error->message, "request 2 diverges from the recording at messages[0].content"));
  g_clear_error (&error);
  /* past the end */
  reply = sigma_llm_client_chat (player, second, NULL, NULL, NULL, &error);
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_REPLAY_MISMATCH);
  g_assert_nonnull (strstr (error->message, "request 3 was never recorded"));
  g_clear_error (&error);

  /* a fresh player replays both */
  g_clear_object (&player);
  player = sigma_llm_client_new (NULL, "gpt-4o");
  g_assert_true (sigma_llm_client_replay_from (player, path, &error));
  reply = sigma_llm_client_chat (player, first, NULL, NULL, NULL, &error);
  sigma_llm_reply_unref (reply);
  reply = sigma_llm_client_chat (player, second, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sigma_llm_reply_get_n_tool_calls (reply), ==, 1);
  g_assert_cmpstr (sigma_llm_reply_get_tool_call_id (reply, 0), ==, "k");
  sigma_llm_reply_unref (reply);

  /* a broken cassette */
  g_assert_true (g_file_set_contents (path, "{\"request\": 1}\n", -1, NULL));
  g_assert_false (sigma_llm_client_replay_from (player, path, &error));
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CASSETTE);
  g_assert_nonnull (strstr (error->message, "line 1"));

  g_unlink (path);
  g_rmdir (dir);
  fake_free (fake);
}

static void
test_client_prices (void)
{
  g_autoptr(SigmaLlmClient) client = sigma_llm_client_new ("http://127.0.0.1:9/v1", "gpt-4o");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sigma-llm-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "prices.json", NULL);
  gdouble prompt, completion_price;

  g_test_summary ("The price table: built-in list prices, dated versions, a prices file");
  g_assert_true (sigma_llm_client_get_price (client, "gpt-4o-2024-08-06", &prompt, &completion_price));
  g_assert_cmpfloat (prompt, ==, 2.5);
  g_assert_true (sigma_llm_client_get_price (client, "gpt-4o-mini-2024-07-18", &prompt, NULL));
  g_assert_cmpfloat (prompt, ==, 0.15);
  g_assert_false (sigma_llm_client_get_price (client, "my-model", &prompt, &completion_price));
  g_assert_cmpfloat (prompt, ==, 0);

  g_assert_true (g_file_set_contents (path, "{\"my-model\": {\"prompt\": 1, \"completion\": 2.5}}", -1, NULL));
  g_assert_true (sigma_llm_client_load_prices (client, path, &error));
  g_assert_no_error (error);
  g_assert_true (sigma_llm_client_get_price (client, "my-model", &prompt, &completion_price));
  g_assert_cmpfloat (completion_price, ==, 2.5);

  g_assert_true (g_file_set_contents (path, "{\"other\": {\"prompt\": -1, \"completion\": 2}}", -1, NULL));
  g_assert_false (sigma_llm_client_load_prices (client, path, &error));
  g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "other"));
  g_assert_false (sigma_llm_client_get_price (client, "other", NULL, NULL));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_client_unknown_price (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "no-such-model");
  g_autoptr(JsonArray) messages = one_user_message ("hi");
  g_autoptr(GError) error = NULL;
  g_autofree char *body = completion ("ok", NULL, 1000, 1000);
  SigmaLlmReply *reply;

  g_test_summary ("An unknown model costs 0, with one warning");
  fake_push (fake, 200, body, NULL, 0);
  fake_push (fake, 200, body, NULL, 0);
  g_test_expect_message ("Sigma", G_LOG_LEVEL_WARNING, "*no-such-model*");
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpfloat (sigma_llm_reply_get_usage (reply)->cost, ==, 0);
  sigma_llm_reply_unref (reply);
  /* no second warning */
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sigma_llm_reply_unref (reply);
  fake_free (fake);
}

/* ------------------------------------------------------------------------------------ */

static void
test_soft_judge (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(SigmaSoftJudge) judge = sigma_llm_soft_judge_new (client);
  g_autoptr(GError) error = NULL;
  g_autofree char *yes = completion ("Same facts. [[Success]]", NULL, 50, 5);
  g_autofree char *no = completion ("The date differs. [[Failure]]", NULL, 50, 5);
  g_autofree char *neither = completion ("I think they are the same.", NULL, 50, 5);
  g_autofree char *lower = completion ("[[success]]", NULL, 50, 5);
  g_autofree char *explanation = NULL;
  gboolean equal = FALSE;
  SigmaUsage usage = { 0, };

  g_test_summary ("The LLM soft judge: [[Success]] / [[Failure]], case-sensitive; no token abstains");
  g_assert_true (sigma_llm_soft_judge_parse_answer ("x [[Success]]", &equal));
  g_assert_true (equal);
  g_assert_true (sigma_llm_soft_judge_parse_answer ("[[Failure]]", &equal));
  g_assert_false (equal);
  g_assert_false (sigma_llm_soft_judge_parse_answer ("[[failure]]", &equal));
  g_assert_cmpstr (sigma_soft_judge_get_name (judge), ==, "llm:gpt-4o");

  fake_push (fake, 200, yes, NULL, 0);
  fake_push (fake, 200, no, NULL, 0);
  fake_push (fake, 200, neither, NULL, 0);
  fake_push (fake, 200, lower, NULL, 0);

  g_assert_true (sigma_soft_judge_compare (judge, "Emails__send_email", "content", "Meet at 5",
                                           "Let's meet at 5 pm", "{\"user_name\": \"Ann Lee\"}",
                                           &equal, &explanation, &error));
  g_assert_no_error (error);
  g_assert_true (equal);
  g_assert_null (explanation);
  g_assert_nonnull (strstr (g_ptr_array_index (fake->bodies, 0), "Let's meet at 5 pm"));
  g_assert_nonnull (strstr (g_ptr_array_index (fake->bodies, 0), "Ann Lee"));

  g_assert_true (sigma_soft_judge_compare (judge, "Emails__send_email", "content", "Meet on Monday",
                                           "Meet on Tuesday", NULL, &equal, &explanation, &error));
  g_assert_false (equal);
  g_assert_nonnull (strstr (explanation, "date differs"));

  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (sigma_soft_judge_compare (judge, "Emails__send_email", "content", "a", "b", NULL,
                                                &equal, NULL, &error));
      g_assert_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "abstained"));
      g_clear_error (&error);
    }
  sigma_llm_soft_judge_get_usage (SIGMA_LLM_SOFT_JUDGE (judge), &usage);
  g_assert_cmpuint (usage.n_requests, ==, 4);
  g_assert_cmpuint (usage.prompt_tokens, ==, 200);
  fake_free (fake);
}

/* ------------------------------------------------------------------------------------ */

typedef SigmaScenario TestScenario;
typedef SigmaScenarioClass TestScenarioClass;
static GType test_scenario_get_type (void);
G_DEFINE_TYPE (TestScenario, test_scenario, SIGMA_TYPE_SCENARIO)

static void
test_scenario_class_init (TestScenarioClass *klass)
{
}

static void
test_scenario_init (TestScenario *self)
{
}

static void
test_user_simulator (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(SigmaUserSimulator) user = sigma_llm_user_simulator_new (client);
  g_autoptr(SigmaScenario) scenario = g_object_new (test_scenario_get_type (), NULL);
  g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = completion ("My name is Ann.", NULL, 20, 4);
  g_autofree char *second = completion ("Perfect, thanks! ###STOP###", NULL, 30, 4);
  g_autofree char *third = completion ("###STOP###", NULL, 30, 4);
  g_autofree char *reply = NULL;
  JsonArray *messages;
  gboolean finished = FALSE;
  SigmaUsage usage = { 0, };

  g_test_summary ("The LLM user answers the agent and ends the conversation with ###STOP###");
  fake_push (fake, 200, first, NULL, 0);
  fake_push (fake, 200, second, NULL, 0);
  fake_push (fake, 200, third, NULL, 0);
  sigma_llm_user_simulator_set_instructions (SIGMA_LLM_USER_SIMULATOR (user), "Book a table for Ann.");
  g_assert_true (sigma_user_simulator_start (user, scenario, env, &error));
  g_assert_no_error (error);

  reply = sigma_user_simulator_reply (user, "What is your name?", &finished, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply, ==, "My name is Ann.");
  g_assert_false (finished);
  g_free (reply);

  reply = sigma_user_simulator_reply (user, "Booked.", &finished, &error);
  g_assert_cmpstr (reply, ==, "Perfect, thanks!");
  g_assert_true (finished);
  g_clear_pointer (&reply, g_free);

  finished = FALSE;
  reply = sigma_user_simulator_reply (user, "Anything else?", &finished, &error);
  g_assert_no_error (error);
  g_assert_null (reply);
  g_assert_true (finished);

  messages = sigma_llm_user_simulator_get_messages (SIGMA_LLM_USER_SIMULATOR (user));
  g_assert_cmpuint (json_array_get_length (messages), ==, 7);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"),
                            "Book a table for Ann."));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "role"), ==, "user");
  sigma_user_simulator_get_usage (user, &usage);
  g_assert_cmpuint (usage.n_requests, ==, 3);
  g_assert_cmpuint (usage.completion_tokens, ==, 12);
  fake_free (fake);
}

/* ------------------------------------------------------------------------------------ */
/* The agent in a run: a scenario with a user interface and contacts, no SystemApp; the
 * user writes at t = 0 and again at t = 30. */

typedef SigmaScenario AgentScenario;
typedef SigmaScenarioClass AgentScenarioClass;
static GType agent_scenario_get_type (void);
G_DEFINE_TYPE (AgentScenario, agent_scenario, SIGMA_TYPE_SCENARIO)

static gboolean
agent_scenario_init_apps (SigmaScenario     *scenario,
                          SigmaEnvironment  *env,
                          GError           **error)
{
  g_autoptr(SigmaApp) aui = sigma_agent_user_interface_new ("AgentUserInterface");
  g_autoptr(SigmaApp) contacts = sigma_contacts_app_new ("Contacts");

  return sigma_environment_add_app (env, aui, error) && sigma_environment_add_app (env, contacts, error);
}

static gboolean
schedule_user_message (SigmaEnvironment  *env,
                       const char        *text,
                       gdouble            delay,
                       GError           **error)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(SigmaEvent) event = NULL;

  json_object_set_string_member (args, "content", text);
  event = sigma_action_event_new (SIGMA_EVENT_TYPE_USER, "AgentUserInterface", "send_message_to_agent", args);
  sigma_event_set_delay (event, delay);
  return sigma_environment_schedule (env, event, error);
}

static gboolean
agent_scenario_build_events (SigmaScenario     *scenario,
                             SigmaEnvironment  *env,
                             GError           **error)
{
  return schedule_user_message (env, "Add Bob to my contacts", 0, error) &&
         schedule_user_message (env, "His last name is Stone", 30, error);
}

static void
agent_scenario_class_init (AgentScenarioClass *klass)
{
  klass->init_apps = agent_scenario_init_apps;
  klass->build_events = agent_scenario_build_events;
}

static void
agent_scenario_init (AgentScenario *self)
{
}

static JsonArray *
request_messages (Fake       *fake,
                  guint       index,
                  JsonParser *parser)
{
  g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (fake->bodies, index), -1, NULL));
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages");
}

static const char *
message_member (JsonArray  *messages,
                guint       index,
                const char *member)
{
  return json_object_get_string_member (json_array_get_object_element (messages, index), member);
}

static void
test_agent_run (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(SigmaAgent) agent = sigma_llm_agent_new (client);
  g_autoptr(SigmaScenario) scenario = g_object_new (agent_scenario_get_type (), "scenario-id", "llm-agent",
                                                    "start-time", 1728975600.0, "duration", 600.0, NULL);
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, agent);
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = completion ("Let me look.",
    "[{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"Contacts__get_contacts\", \"arguments\": \"{}\"}},"
    " {\"id\": \"c2\", \"type\": \"function\", \"function\": {\"name\": \"Contacts__add_new_contact\", \"arguments\": \"{\\\"first_name\\\": \"}},"
    " {\"id\": \"c3\", \"type\": \"function\", \"function\": {\"name\": \"wait_for_notification\", \"arguments\": \"{\\\"timeout\\\": 5}\"}}]",
    100, 10);
  g_autofree char *second = completion ("Bob Stone is in your contacts.", NULL, 200, 20);
  JsonArray *tools, *messages;
  const SigmaUsage *usage;
  gboolean has_wait = FALSE, has_add = FALSE;

  g_test_summary ("The LLM agent: parallel calls one per step, a malformed call answered with an error, "
                  "the wait tool without a SystemApp, notifications after the tool results, a text reply "
                  "as the message to the user");
  fake_push (fake, 200, first, NULL, 0);
  fake_push (fake, 200, second, NULL, 0);
  sigma_runner_set_think_time (runner, SIGMA_THINK_TIME_FIXED, 20);
  result = sigma_runner_run (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_run_result_get_end_reason (result), ==, SIGMA_END_REASON_LAST_TURN);
  g_assert_cmpuint (fake_n_requests (fake), ==, 2);
  /* c1, the wait (c2 never ran), the message */
  g_assert_cmpuint (sigma_run_result_get_steps (result), ==, 3);
  usage = sigma_run_result_get_usage (result);
  g_assert_cmpuint (usage->n_requests, ==, 2);
  g_assert_cmpuint (usage->prompt_tokens, ==, 300);
  g_assert_cmpfloat_with_epsilon (usage->cost, (300 * 2.5 + 30 * 10.0) / 1e6, 1e-12);

  tools = sigma_llm_agent_get_tools (SIGMA_LLM_AGENT (agent));
  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      const char *name = json_object_get_string_member (
        json_object_get_object_member (json_array_get_object_element (tools, i), "function"), "name");

      has_wait |= g_str_equal (name, "wait_for_notification");
      has_add |= g_str_equal (name, "Contacts__add_new_contact");
      g_assert_false (g_str_equal (name, "AgentUserInterface__send_message_to_agent"));   /* USER role */
    }
  g_assert_true (has_wait);
  g_assert_true (has_add);

  messages = request_messages (fake, 0, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_nonnull (strstr (message_member (messages, 0, "content"), "2024-10-15 07:00:00"));
  g_assert_nonnull (strstr (message_member (messages, 0, "content"), "wait_for_notification"));
  g_assert_cmpstr (message_member (messages, 1, "role"), ==, "user");
  g_assert_nonnull (strstr (message_member (messages, 1, "content"), "Add Bob to my contacts"));

  messages = request_messages (fake, 1, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 7);
  g_assert_cmpstr (message_member (messages, 2, "role"), ==, "assistant");
  g_assert_cmpstr (message_member (messages, 3, "tool_call_id"), ==, "c1");
  g_assert_cmpstr (message_member (messages, 4, "tool_call_id"), ==, "c2");
  g_assert_nonnull (strstr (message_member (messages, 4, "content"), "not valid JSON"));
  g_assert_cmpstr (message_member (messages, 5, "tool_call_id"), ==, "c3");
  g_assert_true (g_str_has_prefix (message_member (messages, 5, "content"), "Waited"));
  /* the user's second message comes after every tool result */
  g_assert_cmpstr (message_member (messages, 6, "role"), ==, "user");
  g_assert_nonnull (strstr (message_member (messages, 6, "content"), "His last name is Stone"));
  fake_free (fake);
}

static void
test_agent_endpoint_down (void)
{
  Fake *fake = fake_new ();
  g_autoptr(SigmaLlmClient) client = fast_client (fake, "gpt-4o");
  g_autoptr(SigmaAgent) agent = sigma_llm_agent_new (client);
  g_autoptr(SigmaScenario) scenario = g_object_new (agent_scenario_get_type (), "scenario-id", "llm-agent", NULL);
  g_autoptr(SigmaRunner) runner = sigma_runner_new (scenario, agent);
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("An endpoint that keeps failing ends the run with an ERROR status, not a failure");
  for (guint i = 0; i < 2; i++)
    fake_push (fake, 502, "{\"error\": {\"message\": \"bad gateway\"}}", NULL, 0);
  sigma_llm_client_set_max_retries (client, 1);
  result = sigma_runner_run (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sigma_run_result_get_status (result), ==, SIGMA_RUN_STATUS_ERROR);
  g_assert_nonnull (strstr (sigma_run_result_get_rationale (result), "HTTP 502"));
  g_assert_nonnull (strstr (sigma_run_result_get_rationale (result), "gave up after 1 retries"));
  g_assert_cmpuint (fake_n_requests (fake), ==, 2);
  fake_free (fake);
}

static void
drop_message (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* GIO's socket-client chatter would only clutter the TAP output */
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, drop_message, NULL);

  g_test_add_func ("/sigma/llm/client/tool-calls", test_client_tool_calls);
  g_test_add_func ("/sigma/llm/client/retries", test_client_retries);
  g_test_add_func ("/sigma/llm/client/give-up", test_client_give_up);
  g_test_add_func ("/sigma/llm/client/bad-response", test_client_bad_response);
  g_test_add_func ("/sigma/llm/client/timeout", test_client_timeout);
  g_test_add_func ("/sigma/llm/client/connection", test_client_connection);
  g_test_add_func ("/sigma/llm/client/cassette", test_client_cassette);
  g_test_add_func ("/sigma/llm/client/prices", test_client_prices);
  g_test_add_func ("/sigma/llm/client/unknown-price", test_client_unknown_price);
  g_test_add_func ("/sigma/llm/soft-judge", test_soft_judge);
  g_test_add_func ("/sigma/llm/user-simulator", test_user_simulator);
  g_test_add_func ("/sigma/llm/agent/run", test_agent_run);
  g_test_add_func ("/sigma/llm/agent/endpoint-down", test_agent_endpoint_down);
  return g_test_run ();
}
