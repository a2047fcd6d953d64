/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "sigma-http-listener.h"

/*
 * SigmaServer accepts its TCP connections here and hands each one to libsoup as a stream
 * (soup_server_accept_iostream()) rather than through soup_server_listen():
 *
 * - libsoup 3.2's own listener leaks the GSocket of every connection it accepts
 *   (SoupListener's listen_watch() never drops the socket g_socket_accept() returned);
 * - it gives up listening for good on the first failed accept (for instance when the
 *   process is out of file descriptors), and GSocketService instead spins on the error;
 * - nothing bounds the number of open connections, so clients that hold connections open
 *   can take every descriptor the sessions need.
 *
 * libsoup keeps connections alive only for a server with listeners of its own; this one has
 * none, so each connection is closed after its response (see early_handler() in
 * sigma-server.c for why that is wanted with libsoup 3.2).
 *
 * Here a failed accept pauses accepting for RETRY_MS and logs at most once every
 * WARNING_INTERVAL_S; at max_connections open connections accepting pauses until one
 * closes (the kernel queues the rest, up to the backlog).
 *
 * The listener is reference-counted: itself and every open connection (through a weak
 * reference on its GSocketConnection) hold one, so a connection that outlives
 * sigma_http_listener_free() (a WebSocket, say) still finds it.
 */

#define BACKLOG            1024   /* the kernel caps it at net.core.somaxconn */
#define ACCEPT_BATCH       64     /* accepts per wake-up, so requests get their turn */
#define RETRY_MS           100
#define WARNING_INTERVAL_S 10

struct _SigmaHttpListener
{
  gatomicrefcount  ref_count;
  GMainContext    *context;         /* where it accepts */
  SoupServer      *soup;            /* NULL once freed */
  GSocket         *socket;
  GSource         *watch;           /* on the socket, while accepting */
  GSource         *retry;           /* while paused after a failed accept */
  guint            port;
  guint            max_connections;
  gint             n_connections;   /* atomic */
  gint64           last_warning;    /* monotonic µs */
};

static void start_watching (SigmaHttpListener *self);

static SigmaHttpListener *
listener_ref (SigmaHttpListener *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
listener_unref (gpointer data)
{
  SigmaHttpListener *self = data;

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_assert (self->soup == NULL && self->watch == NULL && self->retry == NULL);
  g_main_context_unref (self->context);
  g_free (self);
}

static void
stop_watching (SigmaHttpListener *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  if (self->retry != NULL)
    {
      g_source_destroy (self->retry);
      g_clear_pointer (&self->retry, g_source_unref);
    }
}

static void
warn_rate_limited (SigmaHttpListener *self,
                   const char        *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
warn_rate_limited (SigmaHttpListener *self,
                   const char        *format,
                   ...)
{
  gint64 now = g_get_monotonic_time ();
  va_list args;

  if (self->last_warning != 0 && now - self->last_warning < WARNING_INTERVAL_S * G_USEC_PER_SEC)
    return;
  self->last_warning = now;
  va_start (args, format);
  g_logv (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, format, args);
  va_end (args);
}

static gboolean
on_retry (gpointer user_data)
{
  SigmaHttpListener *self = user_data;

  g_clear_pointer (&self->retry, g_source_unref);
  start_watching (self);
  return G_SOURCE_REMOVE;
}

/* Runs in the listener's context once a connection is gone. */
static gboolean
resume_after_close (gpointer user_data)
{
  SigmaHttpListener *self = user_data;

  if (self->soup != NULL && self->watch == NULL && self->retry == NULL)
    start_watching (self);
  return G_SOURCE_REMOVE;
}

static void
on_connection_gone (gpointer  data,
                    GObject  *where_the_object_was)
{
  SigmaHttpListener *self = data;

  if ((guint) g_atomic_int_add (&self->n_connections, -1) == self->max_connections)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, resume_after_close,
                                listener_ref (self), listener_unref);
  listener_unref (self);
}

static void
serve (SigmaHttpListener *self,
       GSocket           *client)
{
  g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (client);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client, NULL);
  g_autoptr(GError) error = NULL;

  /* a client that has already gone has no remote address: nothing to serve */
  if (local == NULL || remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return;
    }
  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  g_atomic_int_inc (&self->n_connections);
  g_object_weak_ref (G_OBJECT (connection), on_connection_gone, listener_ref (self));
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("Dropping a connection: %s", error->message);
}

static gboolean
on_ready (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  SigmaHttpListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GError) error = NULL;

      if ((guint) g_atomic_int_get (&self->n_connections) >= self->max_connections)
        {
          /* resumed by on_connection_gone() */
          warn_rate_limited (self, "%u connections are open, the most this server takes; "
                             "new ones wait until one closes", self->max_connections);
          stop_watching (self);
          return G_SOURCE_REMOVE;
        }
      client = g_socket_accept (socket, NULL, &error);
      if (client == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          warn_rate_limited (self, "Cannot accept a connection (%s); trying again every %d ms",
                             error->message, RETRY_MS);
          stop_watching (self);
          self->retry = g_timeout_source_new (RETRY_MS);
          g_source_set_callback (self->retry, on_retry, self, NULL);
          g_source_attach (self->retry, self->context);
          return G_SOURCE_REMOVE;
        }
      serve (self, client);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_watching (SigmaHttpListener *self)
{
  g_assert (self->watch == NULL);
  self->watch = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_ready), self, NULL);
  g_source_attach (self->watch, self->context);
}

/*
 * sigma_http_listener_new:
 * @soup: the server that serves the connections
 * @address: the address to listen on (port 0: any free one)
 * @max_connections: the most connections open at once (at least 1)
 * @error: return location for a #GError
 *
 * Listens on @address and accepts in the thread-default main context of the caller.
 *
 * Returns: the listener, or %NULL with @error set
 */
SigmaHttpListener *
sigma_http_listener_new (SoupServer      *soup,
                         GSocketAddress  *address,
                         guint            max_connections,
                         GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  SigmaHttpListener *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);
  g_return_val_if_fail (max_connections > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return NULL;

  self = g_new0 (SigmaHttpListener, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->context = g_main_context_ref_thread_default ();
  self->soup = g_object_ref (soup);
  self->socket = g_steal_pointer (&socket);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->max_connections = max_connections;
  start_watching (self);
  return self;
}

guint
sigma_http_listener_get_port (SigmaHttpListener *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

/*
 * sigma_http_listener_free:
 *
 * Stops listening and closes the socket. Connections already handed to the SoupServer
 * are the server's to close (soup_server_disconnect()).
 */
void
sigma_http_listener_free (SigmaHttpListener *self)
{
  if (self == NULL)
    return;
  stop_watching (self);
  g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->soup);
  listener_unref (self);
}
