/* vc-http-guard.c — see the header for why.
 *
 * How libsoup 3.2 loses a connection: after a keep-alive response it
 * prepares the next request on the same connection and waits for bytes.
 * If the client closes instead, libsoup reads end-of-file for a request
 * that never started, finishes it without a completion callback, and
 * nothing ever disconnects the connection: its socket stays in CLOSE-WAIT
 * and the connection object stays in the server's client list.
 *
 * What the guard does, with public API only:
 *
 *  - After each finished request it watches the raw socket of the
 *    connection at G_PRIORITY_HIGH, so it sees the client's close before
 *    libsoup's own (default-priority) read does. It peeks: end-of-file or
 *    an error means the client is gone, and the guard takes the connection
 *    from libsoup with soup_server_message_steal_connection() on the
 *    finished message (which still holds the connection) and closes it.
 *    Stealing removes the connection from the server's list and frees it,
 *    so nothing is left behind. Bytes mean the next request is coming: the
 *    socket watch stops and libsoup's "request-started" ends the idle
 *    period. The same steal closes a connection idle for longer than
 *    idle_timeout_ms.
 *
 *  - A connection is only ever stolen while libsoup still owns it and has
 *    not read end-of-file itself (libsoup would crash in its steal code
 *    after that): the high priority guarantees the first, and a message
 *    whose connection is gone has no socket any more, which every path
 *    checks first.
 *
 *  - From "request-started" (accept time for a connection's first request,
 *    the first byte for later ones) to "got-headers", a timer runs; when it
 *    fires the connection is taken, answered 408 and closed.
 *
 * Everything here runs on the server's main context thread. */
#define G_LOG_DOMAIN "vc-http-guard"

#include "vc-http-guard.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

struct _VcHttpGuard
{
  SoupServer *server; /* weak: the guard is freed before its server */
  VcHttpGuardLimits limits;
  VcHttpGuardCounters counters;
  GHashTable *header_watches; /* SoupServerMessage* -> HeaderWatch* (owned) */
  GHashTable *idle_watches;   /* GSocket* -> IdleWatch* (owned) */
};

/* A request whose headers have not arrived yet. */
typedef struct
{
  VcHttpGuard *guard;
  SoupServerMessage *msg; /* owned ref */
  GSource *timer;
} HeaderWatch;

/* A keep-alive connection between two requests. */
typedef struct
{
  VcHttpGuard *guard;
  SoupServerMessage *finished; /* owned ref: the last finished request */
  GSocket *socket;             /* owned ref */
  GSource *readable;           /* NULL once bytes of a next request arrived */
  GSource *timer;              /* NULL without idle_timeout_ms */
} IdleWatch;

static void
source_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
header_watch_free (HeaderWatch *watch)
{
  source_clear (&watch->timer);
  g_signal_handlers_disconnect_by_data (watch->msg, watch);
  g_object_unref (watch->msg);
  g_free (watch);
}

static void
idle_watch_free (IdleWatch *watch)
{
  source_clear (&watch->readable);
  source_clear (&watch->timer);
  g_object_unref (watch->finished);
  g_object_unref (watch->socket);
  g_free (watch);
}

/* TRUE while libsoup still holds @msg's connection open. */
static gboolean
guard_connection_alive (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket != NULL && !g_socket_is_closed (socket);
}

static void
on_goodbye_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Takes @msg's connection from libsoup and closes it, after writing
 * @goodbye (a whole HTTP response) if it is not NULL. */
static void
guard_take_and_close (SoupServerMessage *msg, const gchar *goodbye)
{
  g_autoptr (GIOStream) stream = NULL;

  if (!guard_connection_alive (msg))
    return;
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  if (goodbye == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), goodbye,
                                   strlen (goodbye), G_PRIORITY_DEFAULT, NULL, on_goodbye_written,
                                   g_object_ref (stream));
}

/* ---- headers ---- */

static gboolean
on_header_timer_fired (gpointer user_data)
{
  HeaderWatch *watch = user_data;
  VcHttpGuard *guard = watch->guard;
  g_autoptr (SoupServerMessage) msg = g_object_ref (watch->msg);

  g_clear_pointer (&watch->timer, g_source_unref);
  g_hash_table_remove (guard->header_watches, msg);
  if (!guard_connection_alive (msg))
    return G_SOURCE_REMOVE;
  guard->counters.closed_header_slow++;
  g_debug ("request headers not complete after %u ms: closing", guard->limits.header_timeout_ms);
  guard_take_and_close (msg, "HTTP/1.1 408 Request Timeout\r\n"
                             "Content-Type: text/plain; charset=utf-8\r\n"
                             "Content-Length: 40\r\n"
                             "Connection: close\r\n\r\n"
                             "request headers did not arrive in time\r\n");
  return G_SOURCE_REMOVE;
}

/* main thread: the headers are in, or the connection went away. */
static void
on_message_headers_done (SoupServerMessage *msg, gpointer user_data)
{
  HeaderWatch *watch = user_data;

  g_hash_table_remove (watch->guard->header_watches, msg);
}

static void
guard_watch_headers (VcHttpGuard *guard, SoupServerMessage *msg)
{
  HeaderWatch *watch;

  if (guard->limits.header_timeout_ms == 0)
    return;
  watch = g_new0 (HeaderWatch, 1);
  watch->guard = guard;
  watch->msg = g_object_ref (msg);
  watch->timer = g_timeout_source_new (guard->limits.header_timeout_ms);
  g_source_set_callback (watch->timer, on_header_timer_fired, watch, NULL);
  g_source_attach (watch->timer, NULL);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_message_headers_done), watch);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_headers_done), watch);
  g_hash_table_replace (guard->header_watches, msg, watch);
}

/* ---- idle keep-alive connections ---- */

/* main thread, at G_PRIORITY_HIGH: the idle connection's socket is
 * readable, hung up or in error. */
static gboolean
on_idle_socket_ready (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  IdleWatch *watch = user_data;
  VcHttpGuard *guard = watch->guard;
  g_autoptr (SoupServerMessage) finished = NULL;
  gchar byte;
  gssize n;

  if (!guard_connection_alive (watch->finished))
    {
      /* libsoup closed it itself (not keep-alive, or server shutdown). */
      g_clear_pointer (&watch->readable, g_source_unref);
      g_hash_table_remove (guard->idle_watches, socket);
      return G_SOURCE_REMOVE;
    }
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0)
    {
      /* The next request: libsoup reads it and "request-started" ends the
       * idle period; until then only the timer stays. */
      g_clear_pointer (&watch->readable, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  /* End-of-file or a reset: the client is gone. */
  guard->counters.closed_by_peer++;
  finished = g_object_ref (watch->finished);
  g_clear_pointer (&watch->readable, g_source_unref);
  g_hash_table_remove (guard->idle_watches, socket);
  guard_take_and_close (finished, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle_timer_fired (gpointer user_data)
{
  IdleWatch *watch = user_data;
  VcHttpGuard *guard = watch->guard;
  g_autoptr (SoupServerMessage) finished = g_object_ref (watch->finished);

  g_clear_pointer (&watch->timer, g_source_unref);
  if (watch->readable == NULL && guard_connection_alive (finished))
    {
      /* Bytes of a request arrived and libsoup has not started it yet:
       * leave it to the header timer that "request-started" sets. */
      return G_SOURCE_REMOVE;
    }
  g_hash_table_remove (guard->idle_watches, soup_server_message_get_socket (finished));
  if (guard_connection_alive (finished))
    {
      guard->counters.closed_idle++;
      guard_take_and_close (finished, NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
guard_watch_idle (VcHttpGuard *guard, SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  IdleWatch *watch;

  if (socket == NULL || g_socket_is_closed (socket))
    return;
  watch = g_new0 (IdleWatch, 1);
  watch->guard = guard;
  watch->finished = g_object_ref (msg);
  watch->socket = g_object_ref (socket);
  watch->readable = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (watch->readable, G_PRIORITY_HIGH);
  g_source_set_callback (watch->readable, G_SOURCE_FUNC (on_idle_socket_ready), watch, NULL);
  g_source_attach (watch->readable, NULL);
  if (guard->limits.idle_timeout_ms > 0)
    {
      watch->timer = g_timeout_source_new (guard->limits.idle_timeout_ms);
      g_source_set_callback (watch->timer, on_idle_timer_fired, watch, NULL);
      g_source_attach (watch->timer, NULL);
    }
  g_hash_table_replace (guard->idle_watches, socket, watch);
}

/* ---- server signals (main thread) ---- */

static void
on_server_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  VcHttpGuard *guard = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_hash_table_remove (guard->idle_watches, socket);
  if (guard->limits.tls)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");
  guard_watch_headers (guard, msg);
}

static void
on_server_request_finished (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  VcHttpGuard *guard = user_data;

  g_hash_table_remove (guard->header_watches, msg);
  if (!guard->limits.tls)
    guard_watch_idle (guard, msg);
}

static void
on_server_request_aborted (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  VcHttpGuard *guard = user_data;

  /* libsoup disconnects an aborted request's connection itself. */
  g_hash_table_remove (guard->header_watches, msg);
}

VcHttpGuard *
vc_http_guard_new (SoupServer *server, const VcHttpGuardLimits *limits)
{
  VcHttpGuard *guard;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  guard = g_new0 (VcHttpGuard, 1);
  guard->server = server;
  guard->limits = *limits;
  guard->header_watches
      = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)header_watch_free);
  guard->idle_watches = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)idle_watch_free);
  g_signal_connect (server, "request-started", G_CALLBACK (on_server_request_started), guard);
  g_signal_connect (server, "request-finished", G_CALLBACK (on_server_request_finished), guard);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_server_request_aborted), guard);
  return guard;
}

void
vc_http_guard_free (VcHttpGuard *guard)
{
  if (guard == NULL)
    return;
  g_signal_handlers_disconnect_by_data (guard->server, guard);
  g_clear_pointer (&guard->header_watches, g_hash_table_destroy);
  g_clear_pointer (&guard->idle_watches, g_hash_table_destroy);
  g_free (guard);
}

const VcHttpGuardCounters *
vc_http_guard_get_counters (VcHttpGuard *guard)
{
  g_return_val_if_fail (guard != NULL, NULL);
  return &guard->counters;
}
