/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>
#include <sys/resource.h>

#include "sigma-server.h"
#include "sigma-http-listener.h"
#include "sigma-utils.h"
#include "sigma-apps.h"
#include "sigma-app.h"
#include "sigma-action-event.h"
#include "sigma-agent-user-interface.h"
#include "sigma-completed-event.h"
#include "sigma-enum-types.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-event.h"
#include "sigma-event-log.h"
#include "sigma-event-queue.h"
#include "sigma-json-scenario.h"
#include "sigma-llm-agent.h"
#include "sigma-llm-soft-judge.h"
#include "sigma-llm-user-simulator.h"
#include "sigma-notification-system.h"
#include "sigma-oracle-agent.h"
#include "sigma-runner.h"
#include "sigma-run-result.h"
#include "sigma-tool.h"
#include "sigma-version.h"
#include "sigma-tools-enum-types.h"

/**
 * SigmaServer:
 *
 * The HTTP front door of Sigma: a REST + WebSocket API over `libsoup` and the web UI where
 * a person plays the agent (`sigma serve`; see the server guide for every endpoint).
 *
 * The HTTP plane lives in the #GMainContext that is the thread default when
 * sigma_server_listen() is called. Every session (one run of one scenario) has a thread of
 * its own with its own #GMainContext: its #SigmaRunner lives there and is only touched
 * there. A request on a session is parsed and checked in the HTTP thread, then handed to
 * the session's thread; the HTTP message is paused meanwhile and answered when the work is
 * done, so sessions run concurrently and requests on one session are serialised.
 *
 * Events, notifications and state changes of a session's environment are streamed to the
 * WebSocket clients of `/sessions/{id}/ws` as JSON messages with a `type`.
 *
 * A session with no request for longer than the idle timeout is closed and its thread
 * joined. With a token set, every request needs `Authorization: Bearer TOKEN` (a browser's
 * WebSocket, which cannot send headers, may pass `?token=TOKEN` instead).
 *
 * Since: 0.1
 */

#define UI_RESOURCE_PREFIX "/org/sigma/ui"

typedef enum {
  SESSION_CREATED,
  SESSION_RUNNING,
  SESSION_FINISHED,
} SessionState;

typedef struct _Session Session;

struct _SigmaServer
{
  GObject                parent_instance;

  SigmaScenarioRegistry *registry;
  char                  *token;
  char                  *db_path;
  gdouble                idle_timeout;
  guint                  max_sessions;
  SigmaResultStore      *store;         /* nullable; thread-safe, shared with sessions */
  SigmaLlmClient        *client;        /* nullable; thread-safe, shared with sessions */

  SoupServer            *soup;
  SigmaHttpListener     *listener;      /* accepts the connections soup serves */
  GMainContext          *context;       /* the HTTP plane's */
  GSource               *reaper;
  char                  *host;          /* as listened on */
  GHashTable            *sessions;      /* id → Session; HTTP thread only */
  guint64                next_session;
  gint64                 started_at;
};

G_DEFINE_FINAL_TYPE (SigmaServer, sigma_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_TOKEN,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_SESSIONS,
  PROP_DB_PATH,
  PROP_RESULT_STORE,
  PROP_LLM_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Sessions                                                                             */

struct _Session
{
  gatomicrefcount  ref_count;
  char            *id;
  char            *scenario_id;
  char            *agent;               /* human | oracle | llm */
  gdouble          think_time;
  gboolean         autoplay;            /* an LLM agent plays the whole run in start */
  SigmaResultStore *store;              /* nullable; thread-safe */
  SigmaLlmClient  *client;              /* nullable; thread-safe */
  GCancellable    *cancellable;         /* cancelled when the session closes */
  gint             state;               /* SessionState, atomic */
  gint64           created_at;          /* wall clock, µs since the epoch */

  GMainContext    *context;             /* the session thread's */
  GMainLoop       *loop;
  GThread         *thread;
  GMainContext    *http_context;        /* where answers and WebSocket messages go */

  /* session thread only */
  SigmaRunner     *runner;
  JsonArray       *history;
  JsonArray       *drafts;              /* generated, not yet sent nor rejected */
  JsonArray       *rejected;            /* drafts the human did not send */
  gint64           run_id;              /* in the result store once saved, else 0 */

  /* HTTP thread only */
  gint64           last_active;         /* monotonic µs */
  guint            n_pending;
  GPtrArray       *websockets;          /* SoupWebsocketConnection */
  gboolean         closed;
};

static Session *
session_ref (Session *s)
{
  g_atomic_ref_count_inc (&s->ref_count);
  return s;
}

static void
session_unref (Session *s)
{
  if (!g_atomic_ref_count_dec (&s->ref_count))
    return;
  g_assert (s->thread == NULL);
  g_assert (s->websockets->len == 0);
  g_clear_object (&s->runner);
  g_clear_pointer (&s->history, json_array_unref);
  g_clear_pointer (&s->drafts, json_array_unref);
  g_clear_pointer (&s->rejected, json_array_unref);
  g_clear_object (&s->store);
  g_clear_object (&s->client);
  g_clear_object (&s->cancellable);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  g_main_context_unref (s->http_context);
  g_ptr_array_unref (s->websockets);
  g_free (s->id);
  g_free (s->scenario_id);
  g_free (s->agent);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_unref)

static const char *
enum_nick (GType type,
           gint  value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v != NULL ? v->value_nick : "unknown";

  g_type_class_unref (klass);   /* enum classes are never finalized: the nick stays */
  return nick;
}

static const char *
session_state_name (Session *s)
{
  switch ((SessionState) g_atomic_int_get (&s->state))
    {
    case SESSION_CREATED:
      return "created";
    case SESSION_RUNNING:
      return "running";
    case SESSION_FINISHED:
    default:
      return "finished";
    }
}

/* --- streaming to WebSocket clients (posted from the session thread) --- */

typedef struct {
  Session *session;
  char    *text;
} Broadcast;

static gboolean
broadcast_in_http_thread (gpointer data)
{
  Broadcast *b = data;

  for (guint i = 0; i < b->session->websockets->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (b->session->websockets, i);

      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (conn, b->text);
    }
  return G_SOURCE_REMOVE;
}

static void
broadcast_free (gpointer data)
{
  Broadcast *b = data;

  session_unref (b->session);
  g_free (b->text);
  g_free (b);
}

/* Takes @object; called in the session thread. */
static void
session_broadcast (Session    *s,
                   const char *type,
                   JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  Broadcast *b = g_new0 (Broadcast, 1);

  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "session_id", s->id);
  json_node_take_object (node, object);
  b->session = session_ref (s);
  b->text = sigma_json_to_string (node, FALSE);
  g_main_context_invoke_full (s->http_context, G_PRIORITY_DEFAULT, broadcast_in_http_thread,
                              b, broadcast_free);
}

/* Takes @node, which may be %NULL (a JSON null then). */
static void
set_member_or_null (JsonObject *object,
                    const char *name,
                    JsonNode   *node)
{
  if (node != NULL)
    json_object_set_member (object, name, node);
  else
    json_object_set_null_member (object, name);
}

static JsonObject *
notification_to_object (SigmaNotification *n)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "type", enum_nick (SIGMA_TYPE_MESSAGE_TYPE,
                                                       sigma_notification_get_message_type (n)));
  json_object_set_string_member (o, "message", sigma_notification_get_message (n));
  json_object_set_double_member (o, "timestamp", sigma_notification_get_timestamp (n));
  return o;
}

static void
history_add (Session    *s,
             const char *role,
             JsonObject *entry)
{
  SigmaEnvironment *env = sigma_runner_get_environment (s->runner);

  json_object_set_string_member (entry, "role", role);
  json_object_set_double_member (entry, "time", sigma_environment_get_time (env));
  json_array_add_object_element (s->history, entry);
}

/* An AGENT event of a run the server's own agent plays (autoplay), as the history entry a
 * person's action gets: a message to the user, or a tool call with its result or error. */
static void
history_add_agent_event (Session             *s,
                         SigmaEnvironment    *env,
                         SigmaCompletedEvent *event)
{
  const char *app_name = sigma_completed_event_get_app_name (event);
  const char *function = sigma_completed_event_get_function (event);
  JsonObject *args = sigma_completed_event_get_args (event);
  JsonNode *result = sigma_completed_event_get_return_value (event);
  const char *error = sigma_completed_event_get_error_message (event);
  JsonNode *content = args != NULL ? json_object_get_member (args, "content") : NULL;
  g_autoptr(SigmaAgentAction) action = NULL;
  JsonObject *entry = json_object_new ();
  gboolean message;

  message = app_name != NULL && g_str_equal (function, "send_message_to_user") &&
            SIGMA_IS_AGENT_USER_INTERFACE (sigma_environment_get_app (env, app_name)) &&
            content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
            json_node_get_value_type (content) == G_TYPE_STRING;
  if (message)
    action = sigma_agent_action_new_message (json_node_get_string (content));
  else
    {
      g_autofree char *tool = g_strconcat (app_name != NULL ? app_name : "", "__", function, NULL);

      action = sigma_agent_action_new_tool_call (tool, args);
    }
  json_object_set_member (entry, "action", sigma_agent_action_to_json (action));
  if (!message && result != NULL)
    json_object_set_member (entry, "result", json_node_copy (result));
  if (error != NULL)
    json_object_set_string_member (entry, "error", error);
  history_add (s, message ? "agent" : "tool", entry);
}

static void
on_event_completed (SigmaEnvironment    *env,
                    SigmaCompletedEvent *event,
                    Session             *s)
{
  JsonObject *o = json_object_new ();

  if (s->autoplay && sigma_completed_event_get_event_type (event) == SIGMA_EVENT_TYPE_AGENT)
    history_add_agent_event (s, env, event);
  set_member_or_null (o, "event", sigma_completed_event_to_json (event));
  json_object_set_double_member (o, "time", sigma_environment_get_time (env));
  session_broadcast (s, "event", o);
}

static void
on_notification (SigmaEnvironment  *env,
                 SigmaNotification *notification,
                 Session           *s)
{
  JsonObject *o = json_object_new ();

  if (s->autoplay)   /* what a person would have been shown, when it was raised */
    history_add (s, sigma_notification_get_message_type (notification) == SIGMA_MESSAGE_TYPE_USER_MESSAGE ?
                    "user" : "notification", notification_to_object (notification));
  json_object_set_object_member (o, "notification", notification_to_object (notification));
  json_object_set_double_member (o, "time", sigma_environment_get_time (env));
  session_broadcast (s, "notification", o);
}

static void
on_state_changed (SigmaEnvironment      *env,
                  SigmaEnvironmentState  old_state,
                  SigmaEnvironmentState  new_state,
                  Session               *s)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "old", enum_nick (SIGMA_TYPE_ENVIRONMENT_STATE, old_state));
  json_object_set_string_member (o, "new", enum_nick (SIGMA_TYPE_ENVIRONMENT_STATE, new_state));
  json_object_set_double_member (o, "time", sigma_environment_get_time (env));
  session_broadcast (s, "state", o);
}

static gpointer
session_thread_main (gpointer data)
{
  Session *s = data;

  g_main_context_push_thread_default (s->context);
  g_main_loop_run (s->loop);
  /* the runner lives and dies in this thread */
  if (s->runner != NULL)
    g_signal_handlers_disconnect_by_data (sigma_runner_get_environment (s->runner), s);
  g_clear_object (&s->runner);
  while (g_main_context_iteration (s->context, FALSE))
    ;
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

static Session *
session_new (const char    *id,
             SigmaRunner   *runner,
             const char    *agent,
             gdouble        think_time,
             gboolean       autoplay,
             SigmaServer   *server,
             GError       **error)
{
  g_autoptr(Session) s = g_new0 (Session, 1);
  g_autofree char *name = g_strdup_printf ("sigma-session-%s", id);
  SigmaEnvironment *env = sigma_runner_get_environment (runner);

  g_atomic_ref_count_init (&s->ref_count);
  s->id = g_strdup (id);
  s->scenario_id = g_strdup (sigma_scenario_get_scenario_id (sigma_runner_get_scenario (runner)));
  s->agent = g_strdup (agent);
  s->think_time = think_time;
  s->autoplay = autoplay;
  s->store = server->store != NULL ? g_object_ref (server->store) : NULL;
  s->client = server->client != NULL ? g_object_ref (server->client) : NULL;
  s->cancellable = g_cancellable_new ();
  s->created_at = g_get_real_time ();
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  s->http_context = g_main_context_ref (server->context);
  s->runner = g_object_ref (runner);
  s->history = json_array_new ();
  s->drafts = json_array_new ();
  s->rejected = json_array_new ();
  s->last_active = g_get_monotonic_time ();
  s->websockets = g_ptr_array_new ();

  /* emitted in the session thread only (nothing runs before the thread starts) */
  g_signal_connect (env, "event-completed", G_CALLBACK (on_event_completed), s);
  g_signal_connect (env, "notification", G_CALLBACK (on_notification), s);
  g_signal_connect (env, "state-changed", G_CALLBACK (on_state_changed), s);

  s->thread = g_thread_try_new (name, session_thread_main, s, error);
  if (s->thread == NULL)
    {
      g_signal_handlers_disconnect_by_data (env, s);
      return NULL;
    }
  return g_steal_pointer (&s);
}

static gboolean
quit_session_loop (gpointer data)
{
  Session *s = data;

  g_main_loop_quit (s->loop);
  return G_SOURCE_REMOVE;
}

static void on_websocket_closed (SoupWebsocketConnection *conn,
                                 Session                 *s);

/* HTTP thread: closes the WebSockets, lets queued work finish, stops and joins the thread. */
static void
session_close (Session *s)
{
  g_autoptr(GPtrArray) conns = NULL;

  if (s->closed)
    return;
  s->closed = TRUE;

  conns = g_ptr_array_copy (s->websockets, NULL, NULL);
  for (guint i = 0; i < conns->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (conns, i);

      g_signal_handlers_disconnect_by_func (conn, on_websocket_closed, s);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "session closed");
      g_object_unref (conn);
      session_unref (s);          /* the connection's reference */
    }
  g_ptr_array_set_size (s->websockets, 0);

  /* an LLM agent playing stops at its next step; then every job already queued runs (they
   * run at the default priority) */
  g_cancellable_cancel (s->cancellable);
  g_main_context_invoke_full (s->context, G_PRIORITY_LOW, quit_session_loop, s, NULL);
  g_thread_join (g_steal_pointer (&s->thread));
}

/* ------------------------------------------------------------------------------------ */
/* Answers                                                                              */

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonNode          *node)
{
  g_autofree char *text = sigma_json_to_string (node, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer (&text), len);
}

static JsonNode *
error_node (const char *code,
            const char *message)
{
  JsonObject *inner = json_object_new ();
  JsonObject *outer = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (inner, "code", code);
  json_object_set_string_member (inner, "message", message);
  json_object_set_object_member (outer, "error", inner);
  json_node_take_object (node, outer);
  return node;
}

static const char *
status_code_name (guint status)
{
  switch (status)
    {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 422: return "unprocessable";
    case 501: return "not_implemented";
    case 502: return "bad_gateway";
    case 503: return "unavailable";
    default: return "internal";
    }
}

static void set_error_response (SoupServerMessage *msg,
                                guint              status,
                                const char        *format,
                                ...) G_GNUC_PRINTF (3, 4);

static void
set_error_response (SoupServerMessage *msg,
                    guint              status,
                    const char        *format,
                    ...)
{
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) node = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  node = error_node (status_code_name (status), message);
  set_json_response (msg, status, node);
}

/* The HTTP status a session operation's #GError maps to. */
static guint
status_for_error (const GError *error)
{
  if (error->domain == SIGMA_ERROR)
    switch (error->code)
      {
      case SIGMA_ERROR_INVALID_STATE:
        return SOUP_STATUS_CONFLICT;
      case SIGMA_ERROR_INVALID_ARGUMENT:
      case SIGMA_ERROR_INVALID_DATA:
        return SOUP_STATUS_UNPROCESSABLE_ENTITY;
      default:
        break;
      }
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

/* ------------------------------------------------------------------------------------ */
/* Jobs: work handed from the HTTP thread to a session thread                           */

typedef JsonNode *(*SessionOp) (Session     *s,
                                JsonObject  *request,
                                guint       *status,
                                GError     **error);

typedef struct {
  Session           *session;
  SoupServerMessage *msg;
  SessionOp          op;
  JsonObject        *request;       /* nullable */
  gboolean           disconnected;  /* HTTP thread only */
  gulong             disconnected_id;
  guint              status;
  JsonNode          *response;
  GError            *error;
} Job;

static void
job_free (Job *job)
{
  if (job->disconnected_id != 0)
    g_signal_handler_disconnect (job->msg, job->disconnected_id);
  g_object_unref (job->msg);
  session_unref (job->session);
  g_clear_pointer (&job->request, json_object_unref);
  g_clear_pointer (&job->response, json_node_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
job_answer_in_http_thread (gpointer data)
{
  Job *job = data;

  job->session->n_pending--;
  job->session->last_active = g_get_monotonic_time ();
  if (!job->disconnected)
    {
      if (job->error != NULL)
        {
          g_autoptr(JsonNode) node = error_node (status_code_name (job->status), job->error->message);

          set_json_response (job->msg, job->status, node);
        }
      else
        set_json_response (job->msg, job->status, job->response);
      soup_server_message_unpause (job->msg);
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

static gboolean
job_run_in_session_thread (gpointer data)
{
  Job *job = data;

  job->status = SOUP_STATUS_OK;
  job->response = job->op (job->session, job->request, &job->status, &job->error);
  if (job->response == NULL && job->error == NULL)
    g_set_error (&job->error, SIGMA_ERROR, SIGMA_ERROR_FAILED, "The operation returned nothing");
  if (job->error != NULL && job->status < 400)
    job->status = status_for_error (job->error);
  g_main_context_invoke (job->session->http_context, job_answer_in_http_thread, job);
  return G_SOURCE_REMOVE;
}

static void
on_job_message_disconnected (SoupServerMessage *msg,
                             Job               *job)
{
  job->disconnected = TRUE;
}

static void
session_submit (Session           *s,
                SoupServerMessage *msg,
                SessionOp          op,
                JsonObject        *request)
{
  Job *job = g_new0 (Job, 1);

  job->session = session_ref (s);
  job->msg = g_object_ref (msg);
  job->op = op;
  job->request = request != NULL ? json_object_ref (request) : NULL;
  job->disconnected_id = g_signal_connect (msg, "disconnected",
                                           G_CALLBACK (on_job_message_disconnected), job);
  s->n_pending++;
  s->last_active = g_get_monotonic_time ();
  /* a provisional status keeps libsoup from treating the paused message as a WebSocket
   * handshake; the real one is set when the job answers */
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
  soup_server_message_pause (msg);
  g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT, job_run_in_session_thread, job, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Session operations (session thread)                                                  */

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static void
update_state (Session *s)
{
  if (sigma_runner_is_finished (s->runner))
    g_atomic_int_set (&s->state, SESSION_FINISHED);
}

/* Observes the runner and adds what arrived to @reply: "messages" (the user's words) and
 * "notifications" (everything else), and both to the history. */
static void
add_observation (Session    *s,
                 JsonObject *reply)
{
  g_autoptr(SigmaObservation) obs = sigma_runner_observe (s->runner);
  GPtrArray *notes = sigma_observation_get_notifications (obs);
  JsonArray *messages = json_array_new ();
  JsonArray *others = json_array_new ();

  for (guint i = 0; i < notes->len; i++)
    {
      SigmaNotification *n = g_ptr_array_index (notes, i);
      JsonObject *entry = notification_to_object (n);

      /* an autoplayed run's history was written as it ran (on_notification()) */
      if (sigma_notification_get_message_type (n) == SIGMA_MESSAGE_TYPE_USER_MESSAGE)
        {
          json_array_add_string_element (messages, sigma_notification_get_message (n));
          if (!s->autoplay)
            history_add (s, "user", notification_to_object (n));
        }
      else if (!s->autoplay)
        history_add (s, "notification", notification_to_object (n));
      json_array_add_object_element (others, entry);
    }
  json_object_set_array_member (reply, "messages", messages);
  json_object_set_array_member (reply, "notifications", others);
}

static void
add_status (Session    *s,
            JsonObject *reply)
{
  SigmaEnvironment *env = sigma_runner_get_environment (s->runner);
  gboolean finished = sigma_runner_is_finished (s->runner);

  update_state (s);
  json_object_set_double_member (reply, "time", sigma_environment_get_time (env));
  json_object_set_int_member (reply, "step", sigma_runner_get_n_steps (s->runner));
  json_object_set_boolean_member (reply, "finished", finished);
  if (finished)
    json_object_set_string_member (reply, "end_reason",
                                   sigma_end_reason_to_string (sigma_runner_get_end_reason (s->runner)));
  else
    json_object_set_null_member (reply, "end_reason");
}

static gboolean
check_running (Session  *s,
               GError  **error)
{
  if (g_atomic_int_get (&s->state) == SESSION_CREATED)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Session %s has not started: POST /sessions/%s/start first", s->id, s->id);
      return FALSE;
    }
  if (g_atomic_int_get (&s->state) == SESSION_FINISHED || sigma_runner_is_finished (s->runner))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Session %s has finished (%s): only history, state, events and result remain",
                   s->id, sigma_end_reason_to_string (sigma_runner_get_end_reason (s->runner)));
      return FALSE;
    }
  return TRUE;
}

static JsonArray *
session_tools (Session *s)
{
  g_autoptr(GPtrArray) apps = sigma_environment_list_apps (sigma_runner_get_environment (s->runner));
  JsonArray *tools = json_array_new ();

  for (guint i = 0; i < apps->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (apps, i);
      g_autoptr(GPtrArray) list = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT);

      for (guint t = 0; t < list->len; t++)
        json_array_add_element (tools, sigma_tool_to_json_schema (g_ptr_array_index (list, t),
                                                                  sigma_app_get_name (app)));
    }
  return tools;
}

static JsonNode *
op_start (Session     *s,
          JsonObject  *request,
          guint       *status,
          GError     **error)
{
  SigmaScenario *scenario = sigma_runner_get_scenario (s->runner);
  const char * const *hints = sigma_scenario_get_hints (scenario);
  g_autoptr(SigmaRunResult) result = NULL;
  JsonObject *reply;
  JsonArray *hint_array;

  if (g_atomic_int_get (&s->state) != SESSION_CREATED)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE, "Session %s has already started", s->id);
      return NULL;
    }
  if (s->autoplay)
    {
      /* the LLM agent plays the whole run now; a model that fails ends it with an error
       * verdict (sigma_runner_run()), only a scenario that cannot be set up is an error */
      g_atomic_int_set (&s->state, SESSION_RUNNING);
      result = sigma_runner_run (s->runner, s->cancellable, error);
    }
  if (s->autoplay ? result == NULL : !sigma_runner_start (s->runner, error))
    {
      g_atomic_int_set (&s->state, SESSION_FINISHED);
      g_prefix_error (error, "Session %s could not start: ", s->id);
      *status = SOUP_STATUS_UNPROCESSABLE_ENTITY;
      return NULL;
    }
  g_atomic_int_set (&s->state, SESSION_RUNNING);

  reply = json_object_new ();
  if (result != NULL)
    json_object_set_member (reply, "result", sigma_run_result_to_json (result, FALSE));
  json_object_set_string_member (reply, "session_id", s->id);
  json_object_set_string_member (reply, "scenario_id", sigma_scenario_get_scenario_id (scenario));
  json_object_set_string_member (reply, "agent", s->agent);
  add_observation (s, reply);
  json_object_set_array_member (reply, "tools", session_tools (s));
  hint_array = json_array_new ();
  for (guint i = 0; hints != NULL && hints[i] != NULL; i++)
    json_array_add_string_element (hint_array, hints[i]);
  if (SIGMA_IS_JSON_SCENARIO (scenario))
    {
      const char *task = sigma_json_scenario_get_task (SIGMA_JSON_SCENARIO (scenario), 0);

      if (task != NULL && *task != '\0')
        json_object_set_string_member (reply, "task", task);
    }
  json_object_set_array_member (reply, "hints", hint_array);
  add_status (s, reply);
  return object_node (reply);
}

static JsonNode *
perform (Session           *s,
         SigmaAgentAction  *action,
         gboolean           tool,
         GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) result = NULL;
  JsonObject *reply;
  JsonObject *entry;

  if (!check_running (s, error))
    return NULL;

  sigma_runner_perform (s->runner, action, s->think_time, &result, &local_error);

  entry = json_object_new ();
  json_object_set_member (entry, "action", sigma_agent_action_to_json (action));
  reply = json_object_new ();
  if (tool)
    {
      json_object_set_string_member (reply, "tool", sigma_agent_action_get_tool_name (action));
      if (result != NULL)
        {
          json_object_set_member (reply, "result", json_node_copy (result));
          json_object_set_member (entry, "result", json_node_copy (result));
        }
      else
        json_object_set_null_member (reply, "result");
    }
  if (local_error != NULL)
    {
      /* a tool error is the agent's outcome, not an HTTP error */
      JsonObject *err = json_object_new ();

      json_object_set_string_member (err, "code", local_error->domain == SIGMA_ERROR ?
                                     enum_nick (SIGMA_TYPE_ERROR, local_error->code) : "failed");
      json_object_set_string_member (err, "message", local_error->message);
      json_object_set_string_member (entry, "error", local_error->message);
      json_object_set_object_member (reply, "error", err);
    }
  else
    json_object_set_null_member (reply, "error");
  history_add (s, tool ? "tool" : "agent", entry);
  add_observation (s, reply);
  add_status (s, reply);
  return object_node (reply);
}

/* The drafts generate-response made since the last message to the user: the one @sent
 * (verbatim, but for surrounding blanks) was used, the others are rejected. @sent is %NULL
 * when the run ends without another message. */
static void
settle_drafts (Session    *s,
               const char *sent)
{
  g_autofree char *sent_stripped = sent != NULL ? g_strstrip (g_strdup (sent)) : NULL;

  for (guint i = 0; i < json_array_get_length (s->drafts); i++)
    {
      JsonObject *draft = json_array_get_object_element (s->drafts, i);
      g_autofree char *text = g_strstrip (g_strdup (json_object_get_string_member (draft, "draft")));
      JsonObject *entry;

      if (sent_stripped != NULL && g_str_equal (text, sent_stripped))
        continue;
      entry = json_object_new ();
      json_object_set_string_member (entry, "description", json_object_get_string_member (draft, "description"));
      json_object_set_string_member (entry, "draft", json_object_get_string_member (draft, "draft"));
      json_object_set_double_member (entry, "time", json_object_get_double_member (draft, "time"));
      json_object_set_int_member (entry, "step", json_object_get_int_member (draft, "step"));
      if (sent != NULL)
        json_object_set_string_member (entry, "sent_instead", sent);
      else
        json_object_set_null_member (entry, "sent_instead");
      json_array_add_object_element (s->rejected, entry);
    }
  json_array_unref (s->drafts);
  s->drafts = json_array_new ();
}

/* The conversation so far as the text a model reads: the user's and the agent's messages,
 * and the agent's tool calls, oldest first. */
static char *
conversation_text (Session *s)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (s->history); i++)
    {
      JsonObject *entry = json_array_get_object_element (s->history, i);
      const char *role = json_object_get_string_member (entry, "role");
      JsonNode *action_node = json_object_get_member (entry, "action");
      JsonObject *action = action_node != NULL && JSON_NODE_HOLDS_OBJECT (action_node)
                           ? json_node_get_object (action_node) : NULL;

      if (g_str_equal (role, "user"))
        g_string_append_printf (text, "User: %s\n", json_object_get_string_member (entry, "message"));
      else if (g_str_equal (role, "agent") && action != NULL && json_object_has_member (action, "message"))
        g_string_append_printf (text, "Assistant: %s\n",
                                json_object_get_string_member_with_default (action, "message", ""));
      else if (g_str_equal (role, "tool") && action != NULL)
        g_string_append_printf (text, "Assistant called the tool %s\n",
                                json_object_get_string_member_with_default (action, "tool", "?"));
    }
  return g_string_free (text, FALSE);
}

#define DRAFT_SYSTEM_PROMPT \
  "You write, for an AI assistant, the message it sends next to its user. The assistant " \
  "tells you in a few words what the message must say; you write the whole message, in the " \
  "language and the tone of the conversation. Answer with the message text only: no " \
  "preamble, no quotes."

static JsonNode *
op_generate_response (Session     *s,
                      JsonObject  *request,
                      guint       *status,
                      GError     **error)
{
  const char *description = json_object_get_string_member (request, "description");
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autoptr(SigmaLlmReply) answer = NULL;
  g_autofree char *conversation = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *draft = NULL;
  JsonObject *message;
  JsonObject *entry;
  JsonObject *reply;

  if (!check_running (s, error))
    return NULL;

  conversation = conversation_text (s);
  prompt = g_strdup_printf ("The conversation so far:\n%s\nWhat the next message must say: %s",
                            *conversation != '\0' ? conversation : "(none)\n", description);
  message = json_object_new ();
  json_object_set_string_member (message, "role", "system");
  json_object_set_string_member (message, "content", DRAFT_SYSTEM_PROMPT);
  json_array_add_object_element (messages, message);
  message = json_object_new ();
  json_object_set_string_member (message, "role", "user");
  json_object_set_string_member (message, "content", prompt);
  json_array_add_object_element (messages, message);

  answer = sigma_llm_client_chat (s->client, messages, NULL, NULL, s->cancellable, error);
  if (answer == NULL)
    {
      g_prefix_error (error, "Session %s: the model could not draft a reply: ", s->id);
      *status = SOUP_STATUS_BAD_GATEWAY;
      return NULL;
    }
  draft = g_strstrip (g_strdup (sigma_llm_reply_get_content (answer) != NULL ? sigma_llm_reply_get_content (answer) : ""));
  if (*draft == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                   "Session %s: the model answered no text for the draft (finish reason %s)", s->id,
                   sigma_llm_reply_get_finish_reason (answer) != NULL ? sigma_llm_reply_get_finish_reason (answer) : "none");
      *status = SOUP_STATUS_BAD_GATEWAY;
      return NULL;
    }

  entry = json_object_new ();
  json_object_set_string_member (entry, "description", description);
  json_object_set_string_member (entry, "draft", draft);
  json_object_set_double_member (entry, "time", sigma_environment_get_time (sigma_runner_get_environment (s->runner)));
  json_object_set_int_member (entry, "step", sigma_runner_get_n_steps (s->runner));
  json_array_add_object_element (s->drafts, entry);

  reply = json_object_new ();
  json_object_set_string_member (reply, "session_id", s->id);
  json_object_set_string_member (reply, "draft", draft);
  json_object_set_int_member (reply, "pending_drafts", json_array_get_length (s->drafts));
  return object_node (reply);
}

static JsonNode *
op_save (Session     *s,
         JsonObject  *request,
         guint       *status,
         GError     **error)
{
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(JsonNode) extra = NULL;
  JsonObject *extra_object;
  JsonObject *reply;

  if (g_atomic_int_get (&s->state) == SESSION_CREATED)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Session %s has not started: there is nothing to save", s->id);
      return NULL;
    }
  if (s->run_id == 0)
    {
      result = sigma_runner_finish (s->runner, error);
      if (result == NULL)
        return NULL;
      g_atomic_int_set (&s->state, SESSION_FINISHED);
      settle_drafts (s, NULL);

      extra_object = json_object_new ();
      json_object_set_string_member (extra_object, "saved_by", "sigma serve");
      json_object_set_string_member (extra_object, "session_id", s->id);
      json_object_set_array_member (extra_object, "rejected_drafts", json_array_ref (s->rejected));
      extra = object_node (extra_object);
      s->run_id = sigma_result_store_add_run (s->store, 0, 0, result, extra, error);
      if (s->run_id == 0)
        {
          g_prefix_error (error, "Session %s cannot be saved: ", s->id);
          return NULL;
        }
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "session_id", s->id);
  json_object_set_int_member (reply, "run_id", s->run_id);
  json_object_set_int_member (reply, "rejected_drafts", json_array_get_length (s->rejected));
  return object_node (reply);
}

static JsonNode *
op_respond (Session     *s,
            JsonObject  *request,
            guint       *status,
            GError     **error)
{
  const char *message = json_object_get_string_member (request, "message");
  g_autoptr(SigmaAgentAction) action = sigma_agent_action_new_message (message);

  if (!check_running (s, error))
    return NULL;
  settle_drafts (s, message);
  return perform (s, action, FALSE, error);
}

static JsonNode *
op_tool (Session     *s,
         JsonObject  *request,
         guint       *status,
         GError     **error)
{
  JsonObject *args = json_object_has_member (request, "args")
                     ? json_object_get_object_member (request, "args") : NULL;
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(SigmaAgentAction) action =
    sigma_agent_action_new_tool_call (json_object_get_string_member (request, "tool"),
                                      args != NULL ? args : empty);

  return perform (s, action, TRUE, error);
}

static JsonNode *
op_wait (Session     *s,
         JsonObject  *request,
         guint       *status,
         GError     **error)
{
  gdouble timeout = json_object_has_member (request, "timeout")
                    ? json_object_get_double_member (request, "timeout") : 60.0;
  g_autoptr(SigmaAgentAction) action = sigma_agent_action_new_wait (timeout);

  return perform (s, action, FALSE, error);
}

static JsonNode *
op_done (Session     *s,
         JsonObject  *request,
         guint       *status,
         GError     **error)
{
  g_autoptr(SigmaAgentAction) action = sigma_agent_action_new_done ();

  return perform (s, action, FALSE, error);
}

static JsonNode *
op_history (Session     *s,
            JsonObject  *request,
            guint       *status,
            GError     **error)
{
  JsonObject *reply = json_object_new ();
  JsonNode *copy = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (copy, s->history);
  json_object_set_string_member (reply, "session_id", s->id);
  json_object_set_member (reply, "history", json_node_copy (copy));
  json_node_unref (copy);
  add_status (s, reply);
  return object_node (reply);
}

static JsonNode *
op_state (Session     *s,
          JsonObject  *request,
          guint       *status,
          GError     **error)
{
  g_autoptr(GPtrArray) apps = sigma_environment_list_apps (sigma_runner_get_environment (s->runner));
  JsonObject *reply = json_object_new ();
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < apps->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (apps, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "name", sigma_app_get_name (app));
      json_object_set_string_member (o, "class_name", sigma_app_get_class_name (app));
      set_member_or_null (o, "state", sigma_app_get_state (app));
      json_array_add_object_element (array, o);
    }
  json_object_set_string_member (reply, "session_id", s->id);
  json_object_set_array_member (reply, "apps", array);
  add_status (s, reply);
  return object_node (reply);
}

static JsonNode *
op_events (Session     *s,
           JsonObject  *request,
           guint       *status,
           GError     **error)
{
  SigmaEnvironment *env = sigma_runner_get_environment (s->runner);
  g_autoptr(GPtrArray) events = sigma_environment_list_events (env);
  SigmaEventLog *log = sigma_environment_get_log (env);
  JsonObject *reply = json_object_new ();
  JsonArray *dag = json_array_new ();
  JsonArray *pending = json_array_new ();
  g_autoptr(GPtrArray) queued = sigma_event_queue_to_array (sigma_environment_get_queue (env));

  for (guint i = 0; i < events->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (events, i);
      g_autoptr(GPtrArray) deps = sigma_event_get_dependencies (event);
      SigmaCompletedEvent *done = sigma_event_log_lookup (log, sigma_event_get_event_id (event));
      JsonObject *o = json_object_new ();
      JsonArray *dep_ids = json_array_new ();

      json_object_set_string_member (o, "event_id", sigma_event_get_event_id (event));
      json_object_set_string_member (o, "event_type", enum_nick (SIGMA_TYPE_EVENT_TYPE,
                                                                 sigma_event_get_event_type (event)));
      json_object_set_string_member (o, "kind", G_OBJECT_TYPE_NAME (event));
      json_object_set_string_member (o, "status", enum_nick (SIGMA_TYPE_EVENT_STATUS,
                                                             sigma_event_get_status (event)));
      if (sigma_event_has_event_time (event))
        json_object_set_double_member (o, "event_time", sigma_event_get_event_time (event));
      else
        json_object_set_null_member (o, "event_time");
      json_object_set_double_member (o, "delay", sigma_event_get_delay (event));
      for (guint d = 0; d < deps->len; d++)
        json_array_add_string_element (dep_ids, sigma_event_get_event_id (g_ptr_array_index (deps, d)));
      json_object_set_array_member (o, "depends_on", dep_ids);
      if (SIGMA_IS_ACTION_EVENT (event))
        {
          json_object_set_string_member (o, "app", sigma_action_event_get_app_name (SIGMA_ACTION_EVENT (event)));
          json_object_set_string_member (o, "function", sigma_action_event_get_function (SIGMA_ACTION_EVENT (event)));
        }
      json_object_set_boolean_member (o, "failed", done != NULL && sigma_completed_event_is_failure (done));
      json_array_add_object_element (dag, o);
    }
  for (guint i = 0; i < queued->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (queued, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "event_id", sigma_event_get_event_id (event));
      json_object_set_double_member (o, "event_time", sigma_event_get_event_time (event));
      json_array_add_object_element (pending, o);
    }
  json_object_set_string_member (reply, "session_id", s->id);
  set_member_or_null (reply, "completed", sigma_event_log_to_json (log));
  json_object_set_array_member (reply, "pending", pending);
  json_object_set_array_member (reply, "events", dag);
  add_status (s, reply);
  return object_node (reply);
}

static JsonNode *
op_result (Session     *s,
           JsonObject  *request,
           guint       *status,
           GError     **error)
{
  g_autoptr(SigmaRunResult) result = NULL;
  JsonNode *node;

  if (g_atomic_int_get (&s->state) == SESSION_CREATED)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Session %s has not started: there is nothing to judge", s->id);
      return NULL;
    }
  result = sigma_runner_finish (s->runner, error);
  if (result == NULL)
    return NULL;
  g_atomic_int_set (&s->state, SESSION_FINISHED);
  node = sigma_run_result_to_json (result, FALSE);
  json_object_set_string_member (json_node_get_object (node), "session_id", s->id);
  return node;
}

/* ------------------------------------------------------------------------------------ */
/* Request bodies                                                                       */

typedef enum {
  FIELD_STRING,
  FIELD_OBJECT,
  FIELD_NUMBER,
  FIELD_INTEGER,
  FIELD_BOOLEAN,
} FieldType;

typedef struct {
  const char *name;
  FieldType   type;
  gboolean    required;
} Field;

static const char *
field_type_name (FieldType type)
{
  switch (type)
    {
    case FIELD_STRING: return "a string";
    case FIELD_OBJECT: return "an object";
    case FIELD_NUMBER: return "a number";
    case FIELD_INTEGER: return "an integer";
    case FIELD_BOOLEAN:
    default: return "a boolean";
    }
}

static gboolean
field_has_type (JsonNode  *node,
                FieldType  type)
{
  GType vt;

  if (type == FIELD_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  vt = json_node_get_value_type (node);
  switch (type)
    {
    case FIELD_STRING:
      return vt == G_TYPE_STRING;
    case FIELD_NUMBER:
      return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
    case FIELD_INTEGER:
      return vt == G_TYPE_INT64;
    case FIELD_BOOLEAN:
    case FIELD_OBJECT:
    default:
      return vt == G_TYPE_BOOLEAN;
    }
}

/* Parses the request body as a JSON object with exactly @fields; answers 400/413/422 and
 * returns %NULL when it is not. An empty body is an empty object. */
static JsonObject *
parse_body (SoupServerMessage *msg,
            const Field       *fields,
            gsize              max_body)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  const char *data = g_bytes_get_data (bytes, NULL);
  JsonNode *root;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gsize len = g_bytes_get_size (bytes);

  if (len > max_body)
    {
      set_error_response (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                          "The request body has %" G_GSIZE_FORMAT " bytes; at most %" G_GSIZE_FORMAT " are accepted",
                          len, max_body);
      return NULL;
    }
  if (len == 0)   /* no body is an empty object, which still needs its required fields */
    {
      data = "{}";
      len = 2;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not UTF-8 text");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &error))
    {
      set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not valid JSON: %s", error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      const Field *f = NULL;

      for (guint i = 0; fields != NULL && fields[i].name != NULL; i++)
        if (g_str_equal (fields[i].name, name))
          f = &fields[i];
      if (f == NULL)
        {
          set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Unknown field '%s' in the request body", name);
          return NULL;
        }
      if (!field_has_type (member, f->type))
        {
          set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "Field '%s' must be %s", name, field_type_name (f->type));
          return NULL;
        }
    }
  for (guint i = 0; fields != NULL && fields[i].name != NULL; i++)
    if (fields[i].required && !json_object_has_member (object, fields[i].name))
      {
        set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Field '%s' is required", fields[i].name);
        return NULL;
      }
  return json_object_ref (object);
}

/* ------------------------------------------------------------------------------------ */
/* Global endpoints (HTTP thread)                                                       */

static const char *
source_name (SigmaScenarioSource source)
{
  return enum_nick (SIGMA_TYPE_SCENARIO_SOURCE, source);
}

static void
handle_health (SigmaServer       *self,
               SoupServerMessage *msg)
{
  JsonObject *o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (o, "status", "ok");
  json_object_set_string_member (o, "version", SIGMA_VERSION_S);
  json_object_set_int_member (o, "sessions", g_hash_table_size (self->sessions));
  json_object_set_double_member (o, "uptime", (g_get_monotonic_time () - self->started_at) / 1e6);
  json_object_set_boolean_member (o, "auth", self->token != NULL);
  if (self->client != NULL)
    json_object_set_string_member (o, "model", sigma_llm_client_get_model (self->client));
  else
    json_object_set_null_member (o, "model");
  json_object_set_double_member (o, "idle_timeout", self->idle_timeout);
  json_object_set_int_member (o, "max_sessions", self->max_sessions);
  if (self->store != NULL)
    json_object_set_string_member (o, "db", sigma_result_store_get_path (self->store));
  else if (self->db_path != NULL)
    json_object_set_string_member (o, "db", self->db_path);
  else
    json_object_set_null_member (o, "db");
  node = object_node (o);
  set_json_response (msg, SOUP_STATUS_OK, node);
}

static void
handle_scenarios (SigmaServer       *self,
                  SoupServerMessage *msg)
{
  GListModel *model = G_LIST_MODEL (self->registry);
  guint n = g_list_model_get_n_items (model);
  JsonArray *array = json_array_new ();
  JsonObject *o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SigmaScenarioInfo) info = g_list_model_get_item (model, i);
      const char * const *tags = sigma_scenario_info_get_tags (info);
      const char *summary = sigma_scenario_info_get_summary (info);
      JsonObject *entry = json_object_new ();
      JsonArray *tag_array = json_array_new ();

      json_object_set_string_member (entry, "scenario_id", sigma_scenario_info_get_scenario_id (info));
      json_object_set_string_member (entry, "summary", summary != NULL ? summary : "");
      json_object_set_string_member (entry, "source", source_name (sigma_scenario_info_get_source (info)));
      for (guint t = 0; tags != NULL && tags[t] != NULL; t++)
        json_array_add_string_element (tag_array, tags[t]);
      json_object_set_array_member (entry, "tags", tag_array);
      json_array_add_object_element (array, entry);
    }
  json_object_set_array_member (o, "scenarios", array);
  node = object_node (o);
  set_json_response (msg, SOUP_STATUS_OK, node);
}

static void
handle_apps (SigmaServer       *self,
             SoupServerMessage *msg)
{
  g_auto(GStrv) names = sigma_apps_list_class_names ();
  JsonArray *array = json_array_new ();
  JsonObject *o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(SigmaApp) app = NULL;
      g_autoptr(GPtrArray) tools = NULL;
      JsonObject *entry;
      JsonArray *tool_array;

      /* aliases share a class: list each class once, under its canonical name */
      if (!g_str_equal (sigma_apps_get_canonical_name (names[i]), names[i]))
        continue;
      app = sigma_apps_create (names[i], NULL, NULL);
      if (app == NULL)
        continue;
      entry = json_object_new ();
      tool_array = json_array_new ();
      tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT);
      for (guint t = 0; t < tools->len; t++)
        json_array_add_element (tool_array, sigma_tool_to_json_schema (g_ptr_array_index (tools, t),
                                                                       sigma_app_get_name (app)));
      json_object_set_string_member (entry, "class_name", names[i]);
      json_object_set_string_member (entry, "default_name", sigma_apps_get_default_name (names[i]));
      json_object_set_array_member (entry, "tools", tool_array);
      json_array_add_object_element (array, entry);
    }
  json_object_set_array_member (o, "apps", array);
  node = object_node (o);
  set_json_response (msg, SOUP_STATUS_OK, node);
}

/* The open sessions (GLib 2.74 has no g_hash_table_get_values_as_ptr_array()). */
static GPtrArray *
sessions_to_array (SigmaServer *self)
{
  GPtrArray *array = g_ptr_array_sized_new (g_hash_table_size (self->sessions));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (array, value);
  return array;
}

static JsonObject *
session_summary (Session *s)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "session_id", s->id);
  json_object_set_string_member (o, "scenario_id", s->scenario_id);
  json_object_set_string_member (o, "agent", s->agent);
  json_object_set_string_member (o, "state", session_state_name (s));
  json_object_set_int_member (o, "created_at", s->created_at / G_USEC_PER_SEC);
  json_object_set_double_member (o, "idle", (g_get_monotonic_time () - s->last_active) / 1e6);
  json_object_set_int_member (o, "websockets", s->websockets->len);
  return o;
}

static gint
compare_sessions (gconstpointer a,
                  gconstpointer b)
{
  const Session *sa = *(Session * const *) a;
  const Session *sb = *(Session * const *) b;

  return sa->created_at < sb->created_at ? -1 : sa->created_at > sb->created_at ? 1 : g_strcmp0 (sa->id, sb->id);
}

static void
handle_list_sessions (SigmaServer       *self,
                      SoupServerMessage *msg)
{
  g_autoptr(GPtrArray) list = sessions_to_array (self);
  JsonArray *array = json_array_new ();
  JsonObject *o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_ptr_array_sort (list, compare_sessions);
  for (guint i = 0; i < list->len; i++)
    json_array_add_object_element (array, session_summary (g_ptr_array_index (list, i)));
  json_object_set_array_member (o, "sessions", array);
  node = object_node (o);
  set_json_response (msg, SOUP_STATUS_OK, node);
}

static const Field create_fields[] = {
  { "scenario_id", FIELD_STRING, FALSE },
  { "scenario", FIELD_OBJECT, FALSE },
  { "agent", FIELD_STRING, FALSE },
  { "user", FIELD_STRING, FALSE },
  { "seed", FIELD_INTEGER, FALSE },
  { "think_time", FIELD_NUMBER, FALSE },
  { "lenient", FIELD_BOOLEAN, FALSE },
  { NULL, 0, FALSE }
};

static void
handle_create_session (SigmaServer       *self,
                       SoupServerMessage *msg)
{
  g_autoptr(JsonObject) req = parse_body (msg, create_fields, SIGMA_SERVER_MAX_SCENARIO_BODY);
  g_autoptr(SigmaScenario) scenario = NULL;
  g_autoptr(SigmaRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;
  g_autofree char *location = NULL;
  const char *agent = "human";
  const char *user = "scripted";
  gdouble think_time = 1.0;
  Session *s;
  JsonObject *o;

  if (req == NULL)
    return;
  if (g_hash_table_size (self->sessions) >= self->max_sessions)
    {
      set_error_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                          "The server holds its maximum of %u sessions: DELETE /sessions/{id} of one "
                          "that is done, or wait for idle ones to be closed", self->max_sessions);
      return;
    }
  if (json_object_has_member (req, "agent"))
    agent = json_object_get_string_member (req, "agent");
  if (json_object_has_member (req, "user"))
    user = json_object_get_string_member (req, "user");
  if (!g_str_equal (agent, "human") && !g_str_equal (agent, "oracle") && !g_str_equal (agent, "llm"))
    {
      set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                          "Unknown agent '%s' (expected human, oracle or llm)", agent);
      return;
    }
  if (!g_str_equal (user, "scripted") && !g_str_equal (user, "llm"))
    {
      set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Unknown user '%s' (expected scripted or llm)", user);
      return;
    }
  if ((g_str_equal (agent, "llm") || g_str_equal (user, "llm")) && self->client == NULL)
    {
      set_error_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                          "%s 'llm' needs a model, and no LLM endpoint is configured: start `sigma serve` "
                          "with --base-url URL (or --model, --replay FILE)", g_str_equal (agent, "llm") ? "Agent" : "User");
      return;
    }
  if (json_object_has_member (req, "think_time"))
    {
      think_time = json_object_get_double_member (req, "think_time");
      if (!(think_time >= 0) || !isfinite (think_time) || think_time > 86400)
        {
          set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                              "Field 'think_time' must be between 0 and 86400 seconds");
          return;
        }
    }
  if (json_object_has_member (req, "seed") && json_object_get_int_member (req, "seed") < 0)
    {
      set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Field 'seed' must be 0 or more");
      return;
    }
  if (json_object_has_member (req, "scenario_id") == json_object_has_member (req, "scenario"))
    {
      set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                          "Give exactly one of 'scenario_id' (a registered scenario) and 'scenario' (an ARE JSON object)");
      return;
    }

  if (json_object_has_member (req, "scenario_id"))
    {
      const char *scenario_id = json_object_get_string_member (req, "scenario_id");
      SigmaScenarioInfo *info = sigma_scenario_registry_lookup (self->registry, scenario_id);

      if (info == NULL)
        {
          set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No scenario '%s' is registered (see GET /scenarios)",
                              scenario_id);
          return;
        }
      scenario = sigma_scenario_info_create (info, &error);
    }
  else
    {
      SigmaJsonFlags flags = json_object_has_member (req, "lenient") &&
                             json_object_get_boolean_member (req, "lenient") ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT;

      scenario = (SigmaScenario *) sigma_json_scenario_new_from_node (json_object_get_member (req, "scenario"),
                                                                      flags, &error);
    }
  if (scenario == NULL)
    {
      set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "The scenario cannot be loaded: %s", error->message);
      return;
    }

  if (g_str_equal (agent, "oracle"))
    {
      g_autoptr(SigmaAgent) oracle = sigma_oracle_agent_new ();

      runner = sigma_runner_new (scenario, oracle);
      sigma_runner_set_agent_name (runner, agent);
    }
  else if (g_str_equal (agent, "llm"))
    {
      g_autoptr(SigmaAgent) llm = sigma_llm_agent_new (self->client);
      g_autofree char *name = g_strdup_printf ("llm:%s", sigma_llm_client_get_model (self->client));

      /* as `sigma run --agent llm`: free-text arguments are judged by the model */
      if (SIGMA_IS_JSON_SCENARIO (scenario))
        {
          g_autoptr(SigmaSoftJudge) judge = sigma_llm_soft_judge_new (self->client);

          sigma_json_scenario_set_soft_judge (SIGMA_JSON_SCENARIO (scenario), judge);
        }
      runner = sigma_runner_new (scenario, llm);
      sigma_runner_set_agent_name (runner, name);
    }
  else
    {
      runner = sigma_runner_new (scenario, NULL);
      sigma_runner_set_agent_name (runner, agent);
    }
  if (g_str_equal (user, "llm"))
    {
      g_autoptr(SigmaUserSimulator) simulator = sigma_llm_user_simulator_new (self->client);

      sigma_runner_set_user_simulator (runner, simulator);
    }
  if (json_object_has_member (req, "seed"))
    sigma_runner_set_seed (runner, (guint64) json_object_get_int_member (req, "seed"));
  sigma_runner_set_think_time (runner, SIGMA_THINK_TIME_FIXED, think_time);

  id = g_strdup_printf ("%" G_GUINT64_FORMAT "-%08x", ++self->next_session, g_random_int ());
  s = session_new (id, runner, agent, think_time, g_str_equal (agent, "llm"), self, &error);
  if (s == NULL)
    {
      set_error_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Cannot start a session thread: %s", error->message);
      return;
    }
  g_hash_table_insert (self->sessions, s->id, s);

  o = session_summary (s);
  node = object_node (o);
  location = g_strconcat ("/sessions/", s->id, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  set_json_response (msg, SOUP_STATUS_CREATED, node);
}

/* ------------------------------------------------------------------------------------ */
/* WebSockets                                                                           */

static void
on_websocket_closed (SoupWebsocketConnection *conn,
                     Session                 *s)
{
  if (g_ptr_array_remove (s->websockets, conn))
    {
      g_signal_handlers_disconnect_by_func (conn, on_websocket_closed, s);
      g_object_unref (conn);
      session_unref (s);
    }
}

static void
websocket_cb (SoupServer              *soup,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  SigmaServer *self = user_data;
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  Session *s;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *hello;

  /* the handler checked the route before the handshake: /sessions/ID/ws */
  s = g_strv_length (parts) == 4 ? g_hash_table_lookup (self->sessions, parts[2]) : NULL;
  if (s == NULL || s->closed)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "no such session");
      return;
    }
  g_ptr_array_add (s->websockets, g_object_ref (conn));
  session_ref (s);
  g_signal_connect (conn, "closed", G_CALLBACK (on_websocket_closed), s);
  soup_websocket_connection_set_keepalive_interval (conn, 30);

  hello = session_summary (s);
  json_object_set_string_member (hello, "type", "hello");
  node = object_node (hello);
  text = sigma_json_to_string (node, FALSE);
  soup_websocket_connection_send_text (conn, text);
}

/* ------------------------------------------------------------------------------------ */
/* Routing                                                                              */

static gboolean
constant_time_equal (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < lb; i++)
    diff |= (guint8) (((const guchar *) b)[i] ^ ((const guchar *) a)[la == 0 ? 0 : i % la]);
  return diff == 0;
}

static gboolean
authorized (SigmaServer       *self,
            SoupServerMessage *msg)
{
  const char *header;
  GUri *uri;

  if (self->token == NULL)
    return TRUE;
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    return constant_time_equal (header + 7, self->token);

  /* a browser's WebSocket cannot send headers */
  uri = soup_server_message_get_uri (msg);
  if (g_str_has_suffix (g_uri_get_path (uri), "/ws") && g_uri_get_query (uri) != NULL)
    {
      g_autoptr(GHashTable) query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
      const char *token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;

      return token != NULL && constant_time_equal (token, self->token);
    }
  return FALSE;
}

static void
answer_unauthorized (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                "Bearer realm=\"sigma\"");
  set_error_response (msg, SOUP_STATUS_UNAUTHORIZED, "This server needs 'Authorization: Bearer TOKEN'");
}

/* Before the body is read: the token, and bodies over the cap by their announced length.
 *
 * Every answer but a WebSocket handshake also says `Connection: close`: libsoup 3.2 leaks a
 * kept-alive connection (its descriptor and all) that the client closes before sending
 * another request, so SigmaHttpListener gives it no listener of its own, which makes
 * libsoup close each connection after its response; the header tells the client so. */
static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SigmaServer *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  goffset length;
  goffset max_body;

  if (!soup_message_headers_header_contains (request_headers, "Upgrade", "websocket"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (!authorized (self, msg))
    {
      answer_unauthorized (msg);
      return;
    }
  length = soup_message_headers_get_content_length (request_headers);
  max_body = g_str_equal (path, "/sessions") ? SIGMA_SERVER_MAX_SCENARIO_BODY : SIGMA_SERVER_MAX_BODY;
  if (length > max_body)
    {
      set_error_response (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                          "The request body has %" G_GOFFSET_FORMAT " bytes; at most %" G_GOFFSET_FORMAT " are accepted",
                          length, max_body);
    }
}

static gboolean
check_method (SoupServerMessage *msg,
              const char        *allowed)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) list = g_strsplit (allowed, ", ", -1);

  if (g_strv_contains ((const char * const *) list, method))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  set_error_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "%s is not allowed here (allowed: %s)", method, allowed);
  return FALSE;
}

static const Field no_fields[] = { { NULL, 0, FALSE } };
static const Field respond_fields[] = { { "message", FIELD_STRING, TRUE }, { NULL, 0, FALSE } };
static const Field tool_fields[] = {
  { "tool", FIELD_STRING, TRUE },
  { "args", FIELD_OBJECT, FALSE },
  { NULL, 0, FALSE }
};
static const Field wait_fields[] = { { "timeout", FIELD_NUMBER, FALSE }, { NULL, 0, FALSE } };
static const Field generate_fields[] = { { "description", FIELD_STRING, TRUE }, { NULL, 0, FALSE } };

typedef struct {
  const char  *name;
  const char  *method;
  SessionOp    op;
  const Field *fields;       /* NULL: no body (GET) */
} SessionRoute;

static const SessionRoute session_routes[] = {
  { "start", "POST", op_start, no_fields },
  { "respond", "POST", op_respond, respond_fields },
  { "tool", "POST", op_tool, tool_fields },
  { "wait", "POST", op_wait, wait_fields },
  { "done", "POST", op_done, no_fields },
  { "generate-response", "POST", op_generate_response, generate_fields },
  { "save", "POST", op_save, no_fields },
  { "history", "GET", op_history, NULL },
  { "state", "GET", op_state, NULL },
  { "events", "GET", op_events, NULL },
  { "result", "GET", op_result, NULL },
  { NULL, NULL, NULL, NULL }
};

static void
handle_delete_session (SigmaServer       *self,
                       SoupServerMessage *msg,
                       Session           *s)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_hash_table_steal (self->sessions, s->id);
  session_close (s);
  o = json_object_new ();
  json_object_set_string_member (o, "session_id", s->id);
  json_object_set_boolean_member (o, "deleted", TRUE);
  node = object_node (o);
  set_json_response (msg, SOUP_STATUS_OK, node);
  session_unref (s);
}

static void
handle_session (SigmaServer       *self,
                SoupServerMessage *msg,
                char             **parts,
                guint              n_parts)
{
  Session *s = g_hash_table_lookup (self->sessions, parts[2]);
  const char *action = n_parts > 3 ? parts[3] : NULL;
  const SessionRoute *route = NULL;

  if (n_parts > 4)
    {
      set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No route %s", g_uri_get_path (soup_server_message_get_uri (msg)));
      return;
    }
  if (action != NULL)
    {
      for (guint i = 0; session_routes[i].name != NULL; i++)
        if (g_str_equal (session_routes[i].name, action))
          route = &session_routes[i];
      if (route == NULL && !g_str_equal (action, "ws"))
        {
          set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No route /sessions/{id}/%s", action);
          return;
        }
    }
  if (s == NULL)
    {
      set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No session '%s' (it may have ended or been reaped)", parts[2]);
      return;
    }
  s->last_active = g_get_monotonic_time ();

  if (action == NULL)
    {
      if (!check_method (msg, "GET, DELETE"))
        return;
      if (g_str_equal (soup_server_message_get_method (msg), "DELETE"))
        handle_delete_session (self, msg, s);
      else
        {
          g_autoptr(JsonNode) node = object_node (session_summary (s));

          set_json_response (msg, SOUP_STATUS_OK, node);
        }
      return;
    }
  if (g_str_equal (action, "ws"))
    {
      g_autoptr(GError) error = NULL;

      if (!check_method (msg, "GET"))
        return;
      if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &error))
        {
          set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "A WebSocket upgrade is expected here: %s", error->message);
          return;
        }
      /* no status: libsoup completes the handshake and calls websocket_cb */
      return;
    }

  if (!check_method (msg, route->method))
    return;
  if (route->fields != NULL)
    {
      g_autoptr(JsonObject) req = parse_body (msg, route->fields, SIGMA_SERVER_MAX_BODY);

      if (req == NULL)
        return;
      if (route->op == op_wait && json_object_has_member (req, "timeout"))
        {
          gdouble timeout = json_object_get_double_member (req, "timeout");

          if (!(timeout >= 0) || !isfinite (timeout))
            {
              set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Field 'timeout' must be 0 or more seconds");
              return;
            }
        }
      if (route->op == op_tool && *json_object_get_string_member (req, "tool") == '\0')
        {
          set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Field 'tool' must not be empty");
          return;
        }
      if (route->op == op_generate_response)
        {
          g_autofree char *description = g_strstrip (g_strdup (json_object_get_string_member (req, "description")));

          if (s->client == NULL)
            {
              set_error_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                  "No LLM endpoint is configured: start `sigma serve` with --base-url URL "
                                  "(or --model, --replay FILE) to draft replies");
              return;
            }
          if (*description == '\0')
            {
              set_error_response (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                  "Field 'description' must say what the reply should say");
              return;
            }
        }
      if (route->op == op_save && s->store == NULL)
        {
          set_error_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                              "No result store is open: start `sigma serve` with --db FILE to save sessions");
          return;
        }
      session_submit (s, msg, route->op, req);
    }
  else
    session_submit (s, msg, route->op, NULL);
}

static void
handle_static (SigmaServer       *self,
               SoupServerMessage *msg,
               const char        *path)
{
  g_autofree char *resource = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *name = g_str_equal (path, "/") ? "/index.html" : path + 3;   /* "/ui/x" → "/x" */

  if (!check_method (msg, "GET, HEAD"))
    return;
  if (strstr (name, "..") != NULL)
    {
      set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No file %s", path);
      return;
    }
  resource = g_strconcat (UI_RESOURCE_PREFIX, name, NULL);
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No file %s", path);
      return;
    }
  if (g_str_has_suffix (name, ".html"))
    content_type = g_strdup ("text/html; charset=utf-8");
  else if (g_str_has_suffix (name, ".css"))
    content_type = g_strdup ("text/css; charset=utf-8");
  else if (g_str_has_suffix (name, ".js"))
    content_type = g_strdup ("text/javascript; charset=utf-8");
  else if (g_str_has_suffix (name, ".svg"))
    content_type = g_strdup ("image/svg+xml");
  else
    content_type = g_strdup ("application/octet-stream");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* GET /trajectories[/{id}] and GET /batches[/{id}]. The store serialises its calls with a
 * mutex, so reading it here while session threads save is safe; its reads are small. */
static void
handle_store (SigmaServer       *self,
              SoupServerMessage *msg,
              const char        *what,
              const char        *id_text)
{
  gboolean batches = g_str_equal (what, "batches");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint64 id = 0;

  if (self->store == NULL)
    {
      set_error_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                          "No result store is open: start `sigma serve` with --db FILE to read /%s", what);
      return;
    }
  if (id_text != NULL &&
      (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL) || !g_ascii_isdigit (id_text[0])))
    {
      set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No %s '%s' (ids are positive integers)",
                          batches ? "batch" : "trajectory", id_text);
      return;
    }

  if (id_text == NULL)
    {
      g_autoptr(JsonNode) list = batches ? sigma_result_store_list_batches (self->store, &error)
                                         : sigma_result_store_list_trajectories (self->store, &error);

      if (list != NULL)
        {
          JsonObject *o = json_object_new ();

          json_object_set_member (o, what, g_steal_pointer (&list));
          node = object_node (o);
        }
    }
  else if (batches)
    {
      node = sigma_result_store_get_batch (self->store, (gint64) id, &error);
      if (node != NULL)
        {
          JsonNode *runs = sigma_result_store_list_runs (self->store, (gint64) id, &error);

          if (runs != NULL)
            json_object_set_member (json_node_get_object (node), "runs", runs);
          else
            g_clear_pointer (&node, json_node_unref);
        }
    }
  else
    node = sigma_result_store_get_trajectory (self->store, (gint64) id, &error);

  if (node == NULL)
    {
      if (g_error_matches (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND))
        set_error_response (msg, SOUP_STATUS_NOT_FOUND, "%s", error->message);
      else
        set_error_response (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Cannot read /%s: %s", what, error->message);
      return;
    }
  set_json_response (msg, SOUP_STATUS_OK, node);
}

/* The segments of a raw request path, each percent-decoded ("/a/b%20c" → "", "a", "b c"), or
 * %NULL when an escape is malformed or decodes to a NUL byte or to text that is not UTF-8.
 * Splitting first keeps an encoded '/' inside its segment. */
static GStrv
split_path (const char *raw)
{
  g_auto(GStrv) parts = g_strsplit (raw, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *decoded = g_uri_unescape_string (parts[i], NULL);

      if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
        {
          g_free (decoded);
          return NULL;
        }
      g_free (parts[i]);
      parts[i] = decoded;
    }
  return g_steal_pointer (&parts);
}

static void
server_handler (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SigmaServer *self = user_data;
  g_auto(GStrv) parts = NULL;
  guint n;

  /* the early handler answered already (401, 413) */
  if (soup_server_message_get_status (msg) != 0)
    return;
  if (!authorized (self, msg))
    {
      answer_unauthorized (msg);
      return;
    }

  /* libsoup leaves the path as sent (raw-paths), so that a malformed escape gets an answer
   * in JSON like every other error */
  parts = split_path (path);                /* "/a/b" → "", "a", "b" */
  if (parts == NULL)
    {
      g_autofree char *shown = g_strescape (path, NULL);

      set_error_response (msg, SOUP_STATUS_BAD_REQUEST,
                          "The request path \"%s\" is not valid: a malformed %%-escape, a NUL byte or text that is not UTF-8",
                          shown);
      return;
    }
  if (g_str_equal (path, "/") || g_str_has_prefix (path, "/ui/"))
    {
      g_autofree char *decoded = g_strjoinv ("/", parts);

      handle_static (self, msg, decoded);
      return;
    }

  n = g_strv_length (parts);
  if (n >= 2 && parts[n - 1][0] == '\0')   /* a trailing slash */
    {
      g_free (parts[n - 1]);
      parts[--n] = NULL;
    }

  if (n == 2 && g_str_equal (parts[1], "health"))
    {
      if (check_method (msg, "GET"))
        handle_health (self, msg);
    }
  else if (n == 2 && g_str_equal (parts[1], "scenarios"))
    {
      if (check_method (msg, "GET"))
        handle_scenarios (self, msg);
    }
  else if (n == 2 && g_str_equal (parts[1], "apps"))
    {
      if (check_method (msg, "GET"))
        handle_apps (self, msg);
    }
  else if (n == 2 && g_str_equal (parts[1], "sessions"))
    {
      if (!check_method (msg, "GET, POST"))
        return;
      if (g_str_equal (soup_server_message_get_method (msg), "POST"))
        handle_create_session (self, msg);
      else
        handle_list_sessions (self, msg);
    }
  else if (n >= 3 && g_str_equal (parts[1], "sessions") && parts[2][0] != '\0')
    handle_session (self, msg, parts, n);
  else if ((n == 2 || n == 3) && (g_str_equal (parts[1], "trajectories") || g_str_equal (parts[1], "batches")))
    {
      if (check_method (msg, "GET"))
        handle_store (self, msg, parts[1], n == 3 ? parts[2] : NULL);
    }
  else
    set_error_response (msg, SOUP_STATUS_NOT_FOUND, "No route %s", path);
}

/* ------------------------------------------------------------------------------------ */
/* Idle sessions                                                                        */

static gboolean
reap_idle_sessions (gpointer data)
{
  SigmaServer *self = data;
  g_autoptr(GPtrArray) idle = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  if (self->idle_timeout <= 0)
    return G_SOURCE_CONTINUE;
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Session *s = value;

      if (s->n_pending == 0 && (now - s->last_active) / 1e6 > self->idle_timeout)
        g_ptr_array_add (idle, s);
    }
  for (guint i = 0; i < idle->len; i++)
    {
      Session *s = g_ptr_array_index (idle, i);

      g_debug ("Session %s idle for over %g s: closing it", s->id, self->idle_timeout);
      g_hash_table_steal (self->sessions, s->id);
      session_close (s);
      session_unref (s);
    }
  return G_SOURCE_CONTINUE;
}

static void
update_reaper (SigmaServer *self)
{
  guint interval;

  if (self->reaper != NULL)
    {
      g_source_destroy (self->reaper);
      g_clear_pointer (&self->reaper, g_source_unref);
    }
  if (self->context == NULL || self->idle_timeout <= 0)
    return;
  /* check a few times per timeout, at least every second */
  interval = (guint) CLAMP (self->idle_timeout * 1000 / 4, 50, 1000);
  self->reaper = g_timeout_source_new (interval);
  g_source_set_name (self->reaper, "[sigma] idle session reaper");
  g_source_set_callback (self->reaper, reap_idle_sessions, self, NULL);
  g_source_attach (self->reaper, self->context);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
close_all_sessions (SigmaServer *self)
{
  g_autoptr(GPtrArray) all = sessions_to_array (self);

  g_hash_table_steal_all (self->sessions);
  for (guint i = 0; i < all->len; i++)
    {
      session_close (g_ptr_array_index (all, i));
      session_unref (g_ptr_array_index (all, i));
    }
}

static void
sigma_server_dispose (GObject *object)
{
  SigmaServer *self = SIGMA_SERVER (object);

  sigma_server_shutdown (self);
  g_clear_object (&self->registry);
  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sigma_server_parent_class)->dispose (object);
}

static void
sigma_server_finalize (GObject *object)
{
  SigmaServer *self = SIGMA_SERVER (object);

  g_hash_table_unref (self->sessions);
  g_free (self->token);
  g_free (self->db_path);
  g_free (self->host);

  G_OBJECT_CLASS (sigma_server_parent_class)->finalize (object);
}

static void
sigma_server_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SigmaServer *self = SIGMA_SERVER (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_double (value, self->idle_timeout);
      break;
    case PROP_MAX_SESSIONS:
      g_value_set_uint (value, self->max_sessions);
      break;
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;
    case PROP_RESULT_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LLM_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_server_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SigmaServer *self = SIGMA_SERVER (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    case PROP_TOKEN:
      sigma_server_set_token (self, g_value_get_string (value));
      break;
    case PROP_IDLE_TIMEOUT:
      sigma_server_set_idle_timeout (self, g_value_get_double (value));
      break;
    case PROP_MAX_SESSIONS:
      sigma_server_set_max_sessions (self, g_value_get_uint (value));
      break;
    case PROP_DB_PATH:
      sigma_server_set_db_path (self, g_value_get_string (value));
      break;
    case PROP_RESULT_STORE:
      sigma_server_set_result_store (self, g_value_get_object (value));
      break;
    case PROP_LLM_CLIENT:
      sigma_server_set_llm_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_server_constructed (GObject *object)
{
  SigmaServer *self = SIGMA_SERVER (object);

  G_OBJECT_CLASS (sigma_server_parent_class)->constructed (object);
  if (self->registry == NULL)
    self->registry = sigma_scenario_registry_new ();
}

static void
sigma_server_class_init (SigmaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sigma_server_dispose;
  object_class->finalize = sigma_server_finalize;
  object_class->get_property = sigma_server_get_property;
  object_class->set_property = sigma_server_set_property;
  object_class->constructed = sigma_server_constructed;

  /**
   * SigmaServer:registry:
   *
   * The scenarios sessions may be created from by id.
   */
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, SIGMA_TYPE_SCENARIO_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaServer:token:
   *
   * The bearer token every request must carry, or %NULL for none.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaServer:idle-timeout:
   *
   * Seconds without a request after which a session is closed; 0 keeps sessions forever.
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_double ("idle-timeout", NULL, NULL, 0, G_MAXDOUBLE, 1800,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaServer:max-sessions:
   *
   * The most sessions open at once. Each has a thread of its own; beyond this number
   * `POST /sessions` answers 503 until a session is deleted or closed for idleness.
   *
   * Since: 0.1
   */
  properties[PROP_MAX_SESSIONS] =
    g_param_spec_uint ("max-sessions", NULL, NULL, 1, G_MAXUINT, SIGMA_SERVER_DEFAULT_MAX_SESSIONS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaServer:db-path:
   *
   * The path `GET /health` reports as the result store's when #SigmaServer:result-store
   * is unset, or %NULL. The server does not open it: set #SigmaServer:result-store.
   */
  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaServer:result-store:
   *
   * The result store `POST /sessions/{id}/save` writes to and `GET /trajectories` and
   * `GET /batches` read, or %NULL (those endpoints then answer 503). Sessions keep the
   * store they were created with.
   *
   * Since: 0.1
   */
  properties[PROP_RESULT_STORE] =
    g_param_spec_object ("result-store", NULL, NULL, SIGMA_TYPE_RESULT_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaServer:llm-client:
   *
   * The model behind sessions with `"agent": "llm"` or `"user": "llm"` and behind
   * `POST /sessions/{id}/generate-response`, or %NULL (those answer 503). Sessions keep the
   * client they were created with; they share it, and so its usage and cassette.
   *
   * Since: 0.1
   */
  properties[PROP_LLM_CLIENT] =
    g_param_spec_object ("llm-client", NULL, NULL, SIGMA_TYPE_LLM_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_server_init (SigmaServer *self)
{
  self->idle_timeout = 1800;
  self->max_sessions = SIGMA_SERVER_DEFAULT_MAX_SESSIONS;
  self->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  self->started_at = g_get_monotonic_time ();
}

/**
 * sigma_server_new:
 * @registry: (nullable): the scenarios that sessions may name by id; %NULL for an empty
 *   registry (sessions then post their scenario)
 *
 * Returns: (transfer full): a new server; it serves nothing before sigma_server_listen()
 */
SigmaServer *
sigma_server_new (SigmaScenarioRegistry *registry)
{
  g_return_val_if_fail (registry == NULL || SIGMA_IS_SCENARIO_REGISTRY (registry), NULL);
  return g_object_new (SIGMA_TYPE_SERVER, "registry", registry, NULL);
}

/**
 * sigma_server_get_registry:
 * @self: a #SigmaServer
 *
 * Returns: (transfer none): the registry of scenarios
 */
SigmaScenarioRegistry *
sigma_server_get_registry (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), NULL);
  return self->registry;
}

/**
 * sigma_server_get_token:
 * @self: a #SigmaServer
 *
 * Returns: (nullable): the bearer token requests need, or %NULL
 */
const char *
sigma_server_get_token (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), NULL);
  return self->token;
}

/**
 * sigma_server_set_token:
 * @self: a #SigmaServer
 * @token: (nullable): the bearer token every request must carry, or %NULL for none; an
 *   empty token means none
 */
void
sigma_server_set_token (SigmaServer *self,
                        const char  *token)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));

  if (token != NULL && *token == '\0')
    token = NULL;
  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

/**
 * sigma_server_get_idle_timeout:
 * @self: a #SigmaServer
 *
 * Returns: the idle timeout of sessions, in seconds (0: none)
 */
gdouble
sigma_server_get_idle_timeout (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), 0);
  return self->idle_timeout;
}

/**
 * sigma_server_set_idle_timeout:
 * @self: a #SigmaServer
 * @seconds: wall-clock seconds without a request after which a session is closed and its
 *   thread joined (≥ 0; 0 keeps sessions until deleted; default 1800)
 */
void
sigma_server_set_idle_timeout (SigmaServer *self,
                               gdouble      seconds)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));
  g_return_if_fail (seconds >= 0 && isfinite (seconds));

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  update_reaper (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/**
 * sigma_server_get_max_sessions:
 * @self: a #SigmaServer
 *
 * Returns: the most sessions the server holds at once
 *
 * Since: 0.1
 */
guint
sigma_server_get_max_sessions (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), 0);
  return self->max_sessions;
}

/**
 * sigma_server_set_max_sessions:
 * @self: a #SigmaServer
 * @max_sessions: the most sessions open at once (≥ 1; default
 *   %SIGMA_SERVER_DEFAULT_MAX_SESSIONS). Lowering it closes no session: creating one is
 *   refused until fewer are open.
 *
 * Since: 0.1
 */
void
sigma_server_set_max_sessions (SigmaServer *self,
                               guint        max_sessions)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));
  g_return_if_fail (max_sessions >= 1);

  if (self->max_sessions == max_sessions)
    return;
  self->max_sessions = max_sessions;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SESSIONS]);
}

/**
 * sigma_server_get_db_path:
 * @self: a #SigmaServer
 *
 * Returns: (nullable) (type filename): the result store's path, or %NULL
 */
const char *
sigma_server_get_db_path (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), NULL);
  return self->db_path;
}

/**
 * sigma_server_set_db_path:
 * @self: a #SigmaServer
 * @path: (nullable) (type filename): the result store's path, or %NULL
 */
void
sigma_server_set_db_path (SigmaServer *self,
                          const char  *path)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));

  if (g_strcmp0 (self->db_path, path) == 0)
    return;
  g_free (self->db_path);
  self->db_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_PATH]);
}

/**
 * sigma_server_get_result_store:
 * @self: a #SigmaServer
 *
 * Returns: (transfer none) (nullable): the result store sessions are saved to, or %NULL
 *
 * Since: 0.1
 */
SigmaResultStore *
sigma_server_get_result_store (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), NULL);

  return self->store;
}

/**
 * sigma_server_set_result_store:
 * @self: a #SigmaServer
 * @store: (nullable): the result store to save sessions to and to serve, or %NULL
 *
 * Sets #SigmaServer:result-store. Call it from the thread that runs the server's context
 * (or before sigma_server_listen()); sessions already open keep their store.
 *
 * Since: 0.1
 */
void
sigma_server_set_result_store (SigmaServer      *self,
                               SigmaResultStore *store)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));
  g_return_if_fail (store == NULL || SIGMA_IS_RESULT_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT_STORE]);
}

/**
 * sigma_server_get_llm_client:
 * @self: a #SigmaServer
 *
 * Returns: (transfer none) (nullable): the model client of LLM sessions and drafts, or %NULL
 *
 * Since: 0.1
 */
SigmaLlmClient *
sigma_server_get_llm_client (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), NULL);

  return self->client;
}

/**
 * sigma_server_set_llm_client:
 * @self: a #SigmaServer
 * @client: (nullable): the model client, or %NULL
 *
 * Sets #SigmaServer:llm-client. Call it from the thread that runs the server's context (or
 * before sigma_server_listen()); sessions already open keep their client.
 *
 * Since: 0.1
 */
void
sigma_server_set_llm_client (SigmaServer    *self,
                             SigmaLlmClient *client)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));
  g_return_if_fail (client == NULL || SIGMA_IS_LLM_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LLM_CLIENT]);
}

/* The most connections open at once: half the file limit, so that clients holding
 * connections open cannot take the descriptors the sessions (their threads' wake-ups), the
 * result store and the LLM client need. */
static guint
max_connections (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 4096;
  return limit.rlim_cur > 128 ? (guint) MIN (limit.rlim_cur / 2, 65536) : 16;
}

/**
 * sigma_server_listen:
 * @self: a #SigmaServer
 * @host: an IP address to listen on (`127.0.0.1`, `::1`, `0.0.0.0`, …)
 * @port: the TCP port, or 0 for any free one (see sigma_server_get_port())
 * @error: return location for a #GError
 *
 * Starts serving in the thread-default #GMainContext of the caller, which must then run
 * it. A server listens once.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_server_listen (SigmaServer  *self,
                     const char   *host,
                     guint         port,
                     GError      **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) soup = NULL;

  g_return_val_if_fail (SIGMA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->soup != NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE, "The server is already listening");
      return FALSE;
    }
  if (port > 65535)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "Port %u is out of range (0–65535)", port);
      return FALSE;
    }
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "'%s' is not an IP address (for instance 127.0.0.1 or ::1)", host);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (address, port);

  soup = soup_server_new ("server-header", "sigma/" SIGMA_VERSION_S " ", "raw-paths", TRUE, NULL);
  /* the connections are accepted by SigmaHttpListener, not soup_server_listen(): see there
   * and early_handler() */
  self->listener = sigma_http_listener_new (soup, socket_address, max_connections (), error);
  if (self->listener == NULL)
    {
      g_prefix_error (error, "Cannot listen on %s port %u: ", host, port);
      return FALSE;
    }
  soup_server_add_early_handler (soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (soup, NULL, server_handler, self, NULL);
  soup_server_add_websocket_handler (soup, NULL, NULL, NULL, websocket_cb, self, NULL);
  self->soup = g_steal_pointer (&soup);
  self->host = g_inet_address_to_string (address);
  self->context = g_main_context_ref_thread_default ();
  update_reaper (self);
  return TRUE;
}

/**
 * sigma_server_get_port:
 * @self: a #SigmaServer
 *
 * Returns: the port the server listens on, or 0 when it does not
 */
guint
sigma_server_get_port (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), 0);

  return self->listener != NULL ? sigma_http_listener_get_port (self->listener) : 0;
}

/**
 * sigma_server_get_url:
 * @self: a #SigmaServer
 *
 * Returns: (transfer full) (nullable): the URL the server listens on
 *   (`http://127.0.0.1:8000/`), or %NULL when it does not
 */
char *
sigma_server_get_url (SigmaServer *self)
{
  guint port;

  g_return_val_if_fail (SIGMA_IS_SERVER (self), NULL);

  /* not soup_server_get_uris(), which leaks an address in libsoup 3.2 */
  port = sigma_server_get_port (self);
  if (port == 0)
    return NULL;
  return g_strdup_printf (strchr (self->host, ':') != NULL ? "http://[%s]:%u/" : "http://%s:%u/",
                          self->host, port);
}

/**
 * sigma_server_get_n_sessions:
 * @self: a #SigmaServer
 *
 * Returns: the number of open sessions
 */
guint
sigma_server_get_n_sessions (SigmaServer *self)
{
  g_return_val_if_fail (SIGMA_IS_SERVER (self), 0);
  return g_hash_table_size (self->sessions);
}

/**
 * sigma_server_is_idle:
 * @self: a #SigmaServer
 *
 * Whether no request is waiting for a session thread: every request received so far has
 * been answered (or its client went away).
 *
 * Returns: %TRUE when nothing is in flight
 */
gboolean
sigma_server_is_idle (SigmaServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (SIGMA_IS_SERVER (self), TRUE);

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Session *) value)->n_pending > 0)
      return FALSE;
  return TRUE;
}

/**
 * sigma_server_shutdown:
 * @self: a #SigmaServer
 *
 * Stops listening, closes every session (their queued requests are still answered once
 * the caller's context runs again) and joins their threads. Called on dispose.
 */
void
sigma_server_shutdown (SigmaServer *self)
{
  g_return_if_fail (SIGMA_IS_SERVER (self));

  close_all_sessions (self);
  if (self->reaper != NULL)
    {
      g_source_destroy (self->reaper);
      g_clear_pointer (&self->reaper, g_source_unref);
    }
  g_clear_pointer (&self->listener, sigma_http_listener_free);
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
}
