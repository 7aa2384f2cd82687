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
 *  - Over-long headers: libsoup drops a request whose headers pass 64 KiB
 *    without answering. When the first bytes of a later request reach an
 *    idle connection, the guard peeks at them before libsoup reads: headers
 *    complete within max_header_bytes go on to libsoup; more bytes than
 *    that without the end of the headers are answered 431 (the connection
 *    taken as above); an incomplete beginning is held back with
 *    SO_RCVLOWAT (the socket reads as ready again only when more bytes
 *    came), so libsoup reads nothing before the guard has seen the whole
 *    header block or the header timer fired. A connection's first request
 *    is read by libsoup at once when it accepts the connection, in the same
 *    call that emits "request-started": the guard peeks there first.
 *    Nothing waiting: it watches for the first bytes as on an idle
 *    connection. A beginning: libsoup reads it, and the guard watches the
 *    rest, counting what libsoup took. More than libsoup will take as
 *    headers: libsoup is about to fail without a word, so the guard writes
 *    431 on the fresh connection first (nothing was written on it yet).
 *
 *  - libsoup 3.2's listener accepts each socket with g_socket_accept()
 *    and never drops that reference after handing the socket to the
 *    connection (fixed upstream in 3.4): the connection closes the file
 *    descriptor, but the GSocket and what hangs on it stay in memory for
 *    good, about 0.5 KiB per connection, the slow growth of a long-running
 *    server. The first "request-started" of each connection is emitted
 *    while the listener's call is still on the stack and the connection
 *    holds its own references, so the guard drops the stray one there,
 *    once per socket (a mark on the socket says it was done), and only on
 *    the libsoup versions that leak it.
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
  gboolean drop_accept_refs;  /* this libsoup's listener leaks a socket ref */
};

/* A request whose headers have not arrived yet. */
typedef struct
{
  VcHttpGuard *guard;
  SoupServerMessage *msg; /* owned ref */
  GSource *timer;
} HeaderWatch;

/* A keep-alive connection between two requests, or a new connection
 * before its first byte. */
typedef struct
{
  VcHttpGuard *guard;
  SoupServerMessage *owner; /* owned ref: the last finished request, or the
                             * connection's first request before any byte */
  gboolean first;           /* @owner is the first request; no timer here:
                             * its header timer runs from the accept */
  GSocket *socket;          /* owned ref */
  GSource *readable;        /* NULL once the next request's headers are whole */
  GSource *timer;           /* idle timer, then the header timer; may be NULL */
  gssize held;              /* bytes held back with SO_RCVLOWAT, or 0 */
  gsize consumed;           /* header bytes libsoup read before the watch */
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
socket_set_low_water (GSocket *socket, gint bytes)
{
  if (!g_socket_is_closed (socket))
    setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_RCVLOWAT, &bytes, sizeof bytes);
}

static void
idle_watch_free (IdleWatch *watch)
{
  if (watch->held > 0)
    socket_set_low_water (watch->socket, 1);
  source_clear (&watch->readable);
  source_clear (&watch->timer);
  g_signal_handlers_disconnect_by_data (watch->owner, watch);
  g_object_unref (watch->owner);
  g_object_unref (watch->socket);
  g_free (watch);
}

/* TRUE while libsoup still holds @msg's connection open. A connection the
 * guard took is marked on its socket: libsoup keeps the socket pointer
 * after a steal, and stealing twice would free the connection twice. */
static gboolean
guard_connection_alive (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket != NULL && !g_socket_is_closed (socket)
         && g_object_get_data (G_OBJECT (socket), "vc-http-guard-taken") == NULL;
}

/* After an answer to a request the guard refuses, the client may still be
 * sending: closing with unread bytes would reset the connection and could
 * take the answer with it. So the guard stops writing, reads and drops
 * what comes for a moment, then closes (a lingering close). */
typedef struct
{
  GIOStream *stream;
  GSocket *socket;
  GSource *readable;
  GSource *timer;
  gsize dropped;
} Lingering;

#define LINGER_MS 2000
#define LINGER_MAX_BYTES (1024 * 1024)

static void
lingering_free (Lingering *linger)
{
  source_clear (&linger->readable);
  source_clear (&linger->timer);
  g_io_stream_close (linger->stream, NULL, NULL);
  g_object_unref (linger->stream);
  g_object_unref (linger->socket);
  g_free (linger);
}

static gboolean
on_lingering_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Lingering *linger = user_data;
  gchar buf[16384];
  gssize n = recv (g_socket_get_fd (socket), buf, sizeof buf, MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0 && (linger->dropped += n) < LINGER_MAX_BYTES)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&linger->readable, g_source_unref);
  lingering_free (linger);
  return G_SOURCE_REMOVE;
}

static gboolean
on_lingering_timeout (gpointer user_data)
{
  Lingering *linger = user_data;

  g_clear_pointer (&linger->timer, g_source_unref);
  lingering_free (linger);
  return G_SOURCE_REMOVE;
}

/* main thread: the answer is written; stop writing and linger. */
static void
on_goodbye_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lingering *linger = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)
      || !g_socket_shutdown (linger->socket, FALSE, TRUE, NULL))
    {
      lingering_free (linger);
      return;
    }
  linger->readable = g_socket_create_source (linger->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (linger->readable, G_SOURCE_FUNC (on_lingering_readable), linger, NULL);
  g_source_attach (linger->readable, NULL);
  linger->timer = g_timeout_source_new (LINGER_MS);
  g_source_set_callback (linger->timer, on_lingering_timeout, linger, NULL);
  g_source_attach (linger->timer, NULL);
}

/* Takes @msg's connection from libsoup and closes it, after writing
 * @goodbye (a whole HTTP response) if it is not NULL. */
static void
guard_take_and_close (VcHttpGuard *guard, SoupServerMessage *msg, const gchar *goodbye)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr (GIOStream) stream = NULL;
  Lingering *linger;

  if (!guard_connection_alive (msg))
    return;
  g_object_set_data (G_OBJECT (socket), "vc-http-guard-taken", GINT_TO_POINTER (1));
  g_hash_table_remove (guard->idle_watches, socket);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  if (goodbye == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  linger = g_new0 (Lingering, 1);
  linger->stream = g_steal_pointer (&stream);
  linger->socket = g_object_ref (socket);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (linger->stream), goodbye,
                                   strlen (goodbye), G_PRIORITY_DEFAULT, NULL, on_goodbye_written,
                                   linger);
}

/* What the bytes waiting on a socket say about a request's headers. */
typedef enum
{
  PEEK_NOTHING,   /* nothing to read yet */
  PEEK_GONE,      /* end-of-file or an error */
  PEEK_WHOLE,     /* the headers end within the limit */
  PEEK_PARTIAL,   /* a beginning, no end yet, within the limit */
  PEEK_TOO_LARGE, /* more than the limit and no end */
} PeekResult;

static const gchar too_large_answer[] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                                        "Content-Type: text/plain; charset=utf-8\r\n"
                                        "Content-Length: 34\r\n"
                                        "Connection: close\r\n\r\n"
                                        "request headers are over the limit";

/* Peeks at the waiting bytes of a request's headers, of which libsoup
 * already read @consumed; @n_out gets how many are waiting (up to the
 * limit + 1). */
static PeekResult
guard_peek_headers (GSocket *socket, gsize limit, gsize consumed, gssize *n_out)
{
  gsize room = limit > consumed + 4 ? limit - consumed : 4;
  g_autofree gchar *buf = g_malloc (room + 1);
  gssize n = recv (g_socket_get_fd (socket), buf, room + 1, MSG_PEEK | MSG_DONTWAIT);

  *n_out = MAX (n, 0);
  if (limit == 0 && n > 0)
    return PEEK_WHOLE; /* no limit: any byte is libsoup's to read */
  if (n < 0)
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? PEEK_NOTHING : PEEK_GONE;
  if (n == 0)
    return PEEK_GONE;
  /* (a NUL, which no header may hold, ends the search early: harmless) */
  if (g_strstr_len (buf, n, "\r\n\r\n") != NULL || g_strstr_len (buf, n, "\n\n") != NULL)
    return PEEK_WHOLE;
  /* The end of the headers may straddle what libsoup read and what waits:
   * leave such a request to libsoup. */
  if (consumed > 0 && (buf[0] == '\r' || buf[0] == '\n'))
    return PEEK_WHOLE;
  return (gsize)n > room ? PEEK_TOO_LARGE : PEEK_PARTIAL;
}

/* ---- headers ---- */

static const gchar timeout_answer[] = "HTTP/1.1 408 Request Timeout\r\n"
                                      "Content-Type: text/plain; charset=utf-8\r\n"
                                      "Content-Length: 40\r\n"
                                      "Connection: close\r\n\r\n"
                                      "request headers did not arrive in time\r\n";

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
  guard_take_and_close (guard, msg, timeout_answer);
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

static gboolean on_idle_timer_fired (gpointer user_data);

/* Ends @watch and closes its connection, after @goodbye if not NULL. */
static void
idle_watch_close (IdleWatch *watch, const gchar *goodbye)
{
  VcHttpGuard *guard = watch->guard;
  g_autoptr (SoupServerMessage) owner = g_object_ref (watch->owner);

  g_hash_table_remove (guard->idle_watches, watch->socket); /* frees @watch */
  guard_take_and_close (guard, owner, goodbye);
}

/* main thread, at G_PRIORITY_HIGH: the idle connection's socket is
 * readable, hung up or in error. */
static gboolean
on_idle_socket_ready (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  IdleWatch *watch = user_data;
  VcHttpGuard *guard = watch->guard;
  gssize n = 0;
  PeekResult peek;

  if (!guard_connection_alive (watch->owner))
    {
      /* libsoup closed it itself (not keep-alive, or server shutdown). */
      g_clear_pointer (&watch->readable, g_source_unref);
      g_hash_table_remove (guard->idle_watches, socket);
      return G_SOURCE_REMOVE;
    }
  peek = guard_peek_headers (socket, guard->limits.max_header_bytes, watch->consumed, &n);
  g_debug ("connection %d: %s, %" G_GSSIZE_FORMAT " bytes waiting, peek %d",
           g_socket_get_fd (socket), watch->first ? "first request" : "idle", n, peek);
  /* Held bytes that did not grow, yet the socket reads as ready: the
   * client closed after half a request. */
  if (peek == PEEK_PARTIAL && n == watch->held)
    peek = PEEK_GONE;
  switch (peek)
    {
      case PEEK_NOTHING:
        return G_SOURCE_CONTINUE;
      case PEEK_WHOLE:
        /* The next request: libsoup reads it and "request-started" ends the
         * idle period. */
        if (watch->held > 0)
          socket_set_low_water (socket, 1);
        watch->held = 0;
        g_clear_pointer (&watch->readable, g_source_unref);
        return G_SOURCE_REMOVE;
      case PEEK_PARTIAL:
        if (watch->held == 0 && guard->limits.header_timeout_ms > 0)
          {
            /* From now on the header timer runs, not the idle one. */
            source_clear (&watch->timer);
            watch->timer = g_timeout_source_new (guard->limits.header_timeout_ms);
            g_source_set_callback (watch->timer, on_idle_timer_fired, watch, NULL);
            g_source_attach (watch->timer, NULL);
          }
        watch->held = n;
        socket_set_low_water (socket, (gint)n + 1);
        return G_SOURCE_CONTINUE;
      case PEEK_TOO_LARGE:
        guard->counters.closed_header_large++;
        g_clear_pointer (&watch->readable, g_source_unref);
        idle_watch_close (watch, too_large_answer);
        return G_SOURCE_REMOVE;
      case PEEK_GONE:
      default:
        guard->counters.closed_by_peer++;
        g_clear_pointer (&watch->readable, g_source_unref);
        idle_watch_close (watch, NULL);
        return G_SOURCE_REMOVE;
    }
}

/* main thread: the idle timer, or the header timer once half a request
 * is held. */
static gboolean
on_idle_timer_fired (gpointer user_data)
{
  IdleWatch *watch = user_data;
  VcHttpGuard *guard = watch->guard;

  g_clear_pointer (&watch->timer, g_source_unref);
  if (!guard_connection_alive (watch->owner))
    {
      g_hash_table_remove (guard->idle_watches, watch->socket);
      return G_SOURCE_REMOVE;
    }
  if (watch->readable == NULL)
    {
      /* Whole headers are waiting and libsoup is about to read them:
       * "request-started" ends this watch. */
      return G_SOURCE_REMOVE;
    }
  if (watch->held > 0)
    {
      guard->counters.closed_header_slow++;
      idle_watch_close (watch, timeout_answer);
    }
  else
    {
      guard->counters.closed_idle++;
      idle_watch_close (watch, NULL);
    }
  return G_SOURCE_REMOVE;
}

/* main thread: the first request's headers are in, or the connection is
 * gone (closed, or given away). */
static void
on_watched_request_done (SoupServerMessage *msg, gpointer user_data)
{
  IdleWatch *watch = user_data;

  g_hash_table_remove (watch->guard->idle_watches, watch->socket); /* frees @watch */
}

static void
guard_watch_idle (VcHttpGuard *guard, SoupServerMessage *msg, gboolean first, gsize consumed)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  IdleWatch *watch;

  if (socket == NULL || g_socket_is_closed (socket))
    return;
  watch = g_new0 (IdleWatch, 1);
  watch->guard = guard;
  watch->owner = g_object_ref (msg);
  watch->first = first;
  watch->consumed = consumed;
  watch->socket = g_object_ref (socket);
  watch->readable = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (watch->readable, G_PRIORITY_HIGH);
  g_source_set_callback (watch->readable, G_SOURCE_FUNC (on_idle_socket_ready), watch, NULL);
  g_source_attach (watch->readable, NULL);
  if (!first && guard->limits.idle_timeout_ms > 0)
    {
      watch->timer = g_timeout_source_new (guard->limits.idle_timeout_ms);
      g_source_set_callback (watch->timer, on_idle_timer_fired, watch, NULL);
      g_source_attach (watch->timer, NULL);
    }
  /* The guard must never look at, let alone take, a connection that
   * libsoup closed or gave away (a WebSocket upgrade takes it from the
   * server; taking it a second time would free it twice): the
   * connection's end ends the watch. And once libsoup has a first
   * request's headers, that watch is over, since the request may take
   * the connection. */
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_watched_request_done), watch);
  if (first)
    g_signal_connect (msg, "got-headers", G_CALLBACK (on_watched_request_done), watch);
  g_hash_table_replace (guard->idle_watches, socket, watch);
}

/* ---- server signals (main thread) ---- */

/* libsoup gives up on headers over 64 KiB, reading 8 KiB at a time. */
#define SOUP_HEADER_LIMIT (64 * 1024 + 8 * 1024)

/* main thread, in "request-started" of a connection's first request, just
 * before libsoup reads it (at once, in the same call). Nothing waiting
 * yet: the guard watches for the first bytes like on an idle connection.
 * A beginning: libsoup reads it, and the guard watches the rest. More
 * bytes waiting than libsoup will take as headers: libsoup is about to
 * fail and close without a word, so the guard answers 431 first on the
 * fresh connection. */
static void
guard_check_first_request (VcHttpGuard *guard, SoupServerMessage *msg, GSocket *socket)
{
  gssize n;

  switch (guard_peek_headers (socket, SOUP_HEADER_LIMIT, 0, &n))
    {
      case PEEK_NOTHING:
        guard_watch_idle (guard, msg, TRUE, 0);
        break;
      case PEEK_PARTIAL:
        g_debug ("first request: %" G_GSSIZE_FORMAT " bytes waiting, libsoup reads them", n);
        /* libsoup reads these @n bytes now; the guard looks at the rest. */
        guard_watch_idle (guard, msg, TRUE, n);
        break;
      case PEEK_TOO_LARGE:
        g_debug ("first request: %" G_GSSIZE_FORMAT " bytes waiting: 431 for libsoup", n);
        guard->counters.closed_header_large++;
        send (g_socket_get_fd (socket), too_large_answer, strlen (too_large_answer),
              MSG_DONTWAIT | MSG_NOSIGNAL);
        break;
      default:
        break;
    }
}

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-http-guard-accept-ref-dropped, guard_accept_ref_dropped)
/* clang-format on */

/* TRUE for the libsoup versions whose listener leaks a reference on each
 * accepted socket: 3.2.x and the 3.3 development series. */
static gboolean
guard_listener_leaks_sockets (void)
{
  return soup_get_major_version () == 3
         && (soup_get_minor_version () == 2 || soup_get_minor_version () == 3);
}

/* main thread, in a connection's first "request-started", inside the
 * listener's accept call: drops the listener's stray reference on the
 * socket, once. */
static void
guard_drop_accept_ref (VcHttpGuard *guard, GSocket *socket)
{
  GObject *object = G_OBJECT (socket);

  if (!guard->drop_accept_refs
      || g_object_get_qdata (object, guard_accept_ref_dropped_quark ()) != NULL)
    return;
  g_object_set_qdata (object, guard_accept_ref_dropped_quark (), GINT_TO_POINTER (1));
  g_object_unref (socket);
  guard->counters.accept_refs_dropped++;
}

static void
on_server_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  VcHttpGuard *guard = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    guard_drop_accept_ref (guard, socket);

  /* A later request on a keep-alive connection ends its idle watch; the
   * first one has none. */
  if (socket != NULL && !g_hash_table_remove (guard->idle_watches, socket) && !guard->limits.tls
      && guard->limits.max_header_bytes > 0)
    guard_check_first_request (guard, msg, socket);
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
    guard_watch_idle (guard, msg, FALSE, 0);
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
  guard->drop_accept_refs = guard_listener_leaks_sockets ();
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
