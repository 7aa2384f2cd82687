/* test-http-guard.c — VcHttpGuard on an in-process SoupServer bound to
 * 127.0.0.1:0: keep-alive connections that the client closes are freed
 * (the libsoup 3.2 CLOSE-WAIT leak), keep-alive itself still works, idle
 * connections end after the idle timeout, slow headers get 408.
 *
 * Clients run in a thread of their own with plain blocking sockets, so
 * that the server's main loop keeps turning in the test's main thread. */
#include "vc-http-guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

typedef struct
{
  SoupServer *server;
  VcHttpGuard *guard;
  guint16 port;
  guint baseline_fds;
} Fixture;

typedef struct
{
  guint header_timeout_ms;
  guint idle_timeout_ms;
} Limits;

/* Open sockets of this process (the listener and live connections): what
 * the leak kept. Other descriptors (GLib's worker eventfds made on first
 * use) do not count. */
static guint
count_open_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const gchar *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree gchar *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        n++;
    }
  return n;
}

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok\n", 3);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
on_websocket (SoupServer *server, SoupServerMessage *msg, const char *path,
              SoupWebsocketConnection *connection, gpointer user_data)
{
  /* keep it until its client goes */
  g_signal_connect (g_object_ref (connection), "closed", G_CALLBACK (g_object_unref), NULL);
}

static void
setup (Fixture *f, gconstpointer data)
{
  const Limits *limits = data;
  g_autoptr (GError) error = NULL;
  GSList *uris;

  alarm (60);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, on_request, NULL, NULL);
  soup_server_add_websocket_handler (f->server, "/ws", NULL, NULL, on_websocket, NULL, NULL);
  f->guard = vc_http_guard_new (f->server,
                                &(VcHttpGuardLimits){
                                    .header_timeout_ms = limits->header_timeout_ms,
                                    .idle_timeout_ms = limits->idle_timeout_ms,
                                    .max_header_bytes = VC_HTTP_GUARD_MAX_HEADER_BYTES_DEFAULT,
                                });
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->port = (guint16)g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  f->baseline_fds = count_open_fds ();
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->guard, vc_http_guard_free);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  alarm (0);
}

/* ---- client side (client thread) ---- */

static int
client_connect (guint16 port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  struct timeval timeout = { .tv_sec = 10 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  g_assert_cmpint (connect (fd, (struct sockaddr *)&addr, sizeof addr), ==, 0);
  return fd;
}

static void
client_send (int fd, const gchar *text, gsize length)
{
  gsize sent = 0;

  while (sent < length)
    {
      gssize n = send (fd, text + sent, length - sent, MSG_NOSIGNAL);
      if (n < 0)
        return; /* the server may close first: the reader says what came */
      sent += n;
    }
}

/* Reads until the response's body ("ok\n") or a 408 is in, or end of
 * file. Returns what was read. */
static gchar *
client_read_response (int fd, gboolean *eof)
{
  GString *text = g_string_new (NULL);
  gchar buf[4096];

  *eof = FALSE;
  while (!g_str_has_suffix (text->str, "ok\n") && !g_str_has_suffix (text->str, "time\r\n"))
    {
      gssize n = recv (fd, buf, sizeof buf, 0);
      if (n <= 0)
        {
          *eof = TRUE;
          break;
        }
      g_string_append_len (text, buf, n);
    }
  return g_string_free (text, FALSE);
}

/* TRUE if the server closes the connection within the receive timeout. */
static gboolean
client_wait_closed (int fd)
{
  gchar buf[256];

  for (;;)
    {
      gssize n = recv (fd, buf, sizeof buf, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET))
        return TRUE;
      if (n < 0)
        return FALSE; /* timeout */
    }
}

typedef struct
{
  Fixture *f;
  void (*body) (Fixture *f, gpointer data);
  gpointer data;
  gint done;
} ClientRun;

static gpointer
client_thread (gpointer user_data)
{
  ClientRun *run = user_data;

  run->body (run->f, run->data);
  g_atomic_int_set (&run->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Runs @body in a client thread while the server's loop turns here. */
static void
run_client (Fixture *f, void (*body) (Fixture *f, gpointer data), gpointer data)
{
  ClientRun run = { f, body, data, 0 };
  GThread *thread = g_thread_new ("client", client_thread, &run);

  while (!g_atomic_int_get (&run.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Turns the loop until the server is back to its baseline of open files,
 * or 5 s have passed; returns the last count. */
static guint
settle_open_fds (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint n = count_open_fds ();

  while (n > f->baseline_fds && g_get_monotonic_time () < deadline)
    {
      /* Wake at least every 10 ms to count again. */
      g_autoptr (GSource) tick = g_timeout_source_new (10);

      g_source_set_callback (tick, on_tick, NULL, NULL);
      g_source_attach (tick, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (tick);
      n = count_open_fds ();
    }
  return n;
}

static const gchar request[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/* ---- tests ---- */

#define SHORT_CONNECTIONS 200

static void
many_short_connections (Fixture *f, gpointer data)
{
  for (guint i = 0; i < SHORT_CONNECTIONS; i++)
    {
      int fd = client_connect (f->port);
      gboolean eof;
      g_autofree gchar *reply = NULL;

      client_send (fd, request, strlen (request));
      reply = client_read_response (fd, &eof);
      g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
      g_assert_false (eof); /* keep-alive: the server left it open */
      close (fd);
    }
}

/* The CLOSE-WAIT leak: 200 clients that each send one keep-alive request
 * and close leave the server with no more open files than before. */
static void
test_closed_keepalive_freed (Fixture *f, gconstpointer data)
{
  run_client (f, many_short_connections, NULL);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
  g_assert_cmpuint (vc_http_guard_get_counters (f->guard)->closed_by_peer, ==, SHORT_CONNECTIONS);
}

static void
three_requests_one_connection (Fixture *f, gpointer data)
{
  int fd = client_connect (f->port);

  for (guint i = 0; i < 3; i++)
    {
      gboolean eof;
      g_autofree gchar *reply = NULL;

      client_send (fd, request, strlen (request));
      reply = client_read_response (fd, &eof);
      g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
      g_assert_false (eof);
    }
  close (fd);
}

/* The guard does not end keep-alive: three requests on one connection. */
static void
test_keepalive_still_works (Fixture *f, gconstpointer data)
{
  run_client (f, three_requests_one_connection, NULL);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
  g_assert_cmpuint (vc_http_guard_get_counters (f->guard)->closed_by_peer, ==, 1);
}

static void
one_request_then_wait (Fixture *f, gpointer data)
{
  int fd = client_connect (f->port);
  gboolean eof;
  g_autofree gchar *reply = NULL;

  client_send (fd, request, strlen (request));
  reply = client_read_response (fd, &eof);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
  *(gboolean *)data = client_wait_closed (fd);
  close (fd);
}

/* An idle keep-alive connection is closed by the server after the idle
 * timeout (250 ms here), and nothing stays open. */
static void
test_idle_timeout (Fixture *f, gconstpointer data)
{
  gboolean closed = FALSE;

  run_client (f, one_request_then_wait, &closed);
  g_assert_true (closed);
  g_assert_cmpuint (vc_http_guard_get_counters (f->guard)->closed_idle, ==, 1);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
}

typedef struct
{
  const gchar *send;
  gchar *reply;
  gboolean eof;
} SlowClient;

static void
slow_headers (Fixture *f, gpointer data)
{
  SlowClient *c = data;
  int fd = client_connect (f->port);

  client_send (fd, c->send, strlen (c->send));
  c->reply = client_read_response (fd, &c->eof);
  if (!c->eof)
    c->eof = client_wait_closed (fd);
  close (fd);
}

/* Half a request, or nothing at all: 408 after header_timeout_ms, then
 * the connection is closed. */
static void
test_slow_headers (Fixture *f, gconstpointer data)
{
  const gchar *partial[] = { "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", "" };

  for (guint i = 0; i < G_N_ELEMENTS (partial); i++)
    {
      SlowClient c = { .send = partial[i] };

      run_client (f, slow_headers, &c);
      g_assert_true (g_str_has_prefix (c.reply, "HTTP/1.1 408"));
      g_assert_true (c.eof);
      g_free (c.reply);
    }
  g_assert_cmpuint (vc_http_guard_get_counters (f->guard)->closed_header_slow, ==,
                    G_N_ELEMENTS (partial));
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
}

/* A second request that never completes its headers on a keep-alive
 * connection gets the same 408. */
static void
slow_second_request (Fixture *f, gpointer data)
{
  SlowClient *c = data;
  int fd = client_connect (f->port);
  g_autofree gchar *first = NULL;

  client_send (fd, request, strlen (request));
  first = client_read_response (fd, &c->eof);
  g_assert_true (g_str_has_prefix (first, "HTTP/1.1 200"));
  client_send (fd, c->send, strlen (c->send));
  c->reply = client_read_response (fd, &c->eof);
  if (!c->eof)
    c->eof = client_wait_closed (fd);
  close (fd);
}

static void
test_slow_second_request (Fixture *f, gconstpointer data)
{
  SlowClient c = { .send = "GET / HTTP/1.1\r\nHo" };

  run_client (f, slow_second_request, &c);
  g_assert_true (g_str_has_prefix (c.reply, "HTTP/1.1 408"));
  g_assert_true (c.eof);
  g_free (c.reply);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
}

/* A request of @header_bytes of headers, whole. */
static gchar *
big_request (gsize header_bytes)
{
  GString *text = g_string_new ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");

  while (text->len < header_bytes)
    g_string_append_c (text, 'a');
  g_string_append (text, "\r\n\r\n");
  return g_string_free (text, FALSE);
}

typedef struct
{
  gsize header_bytes;
  gboolean second; /* on a keep-alive connection, after one normal request */
  gchar *reply;
} BigClient;

static void
big_headers (Fixture *f, gpointer data)
{
  BigClient *c = data;
  g_autofree gchar *big = big_request (c->header_bytes);
  int fd = client_connect (f->port);
  gboolean eof;

  if (c->second)
    {
      g_autofree gchar *first = NULL;

      client_send (fd, request, strlen (request));
      first = client_read_response (fd, &eof);
      g_assert_true (g_str_has_prefix (first, "HTTP/1.1 200"));
    }
  else
    {
      /* The request line first, so that the server has taken the
       * connection before the long headers come (were they all there at
       * once, libsoup would read them in the same call that accepts). */
      client_send (fd, big, 16);
      g_usleep (50 * 1000); /* spacing the pieces is the point here */
      client_send (fd, big + 16, strlen (big) - 16);
      c->reply = client_read_response (fd, &eof);
      close (fd);
      return;
    }
  client_send (fd, big, strlen (big));
  c->reply = client_read_response (fd, &eof);
  close (fd);
}

/* Headers of 100 KB (over libsoup's own 64 KiB, which it drops without a
 * word) are answered 431, on a new connection and on a kept-alive one;
 * 40 KB (over the guard's 32 KiB) on a kept-alive one too; 20 KB pass. */
static void
test_large_headers (Fixture *f, gconstpointer data)
{
  const BigClient cases[] = {
    { 100 * 1000, FALSE },
    { 100 * 1000, TRUE },
    { 40 * 1000, TRUE },
  };
  BigClient small = { 20 * 1000, TRUE };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BigClient c = cases[i];

      run_client (f, big_headers, &c);
      g_assert_nonnull (c.reply);
      if (!g_str_has_prefix (c.reply, "HTTP/1.1 431"))
        g_error ("case %u (%" G_GSIZE_FORMAT " bytes, %s request): %.40s", i, c.header_bytes,
                 c.second ? "second" : "first", c.reply);
      g_free (c.reply);
    }
  g_assert_cmpuint (vc_http_guard_get_counters (f->guard)->closed_header_large, ==,
                    G_N_ELEMENTS (cases));
  run_client (f, big_headers, &small);
  g_assert_true (g_str_has_prefix (small.reply, "HTTP/1.1 200"));
  g_free (small.reply);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
}

static void
trickled_second_request (Fixture *f, gpointer data)
{
  gboolean *served = data;
  int fd = client_connect (f->port);
  g_autofree gchar *first = NULL, *second = NULL;
  gboolean eof;

  client_send (fd, request, strlen (request));
  first = client_read_response (fd, &eof);
  /* The second request's headers in three pieces, each after the server
   * had time to look (it answers nothing before the whole block). */
  client_send (fd, "GET /x HTTP/1.1\r\n", 17);
  g_usleep (50 * 1000); /* spacing the pieces is the point of the test */
  client_send (fd, "Host: 127.0.0.1\r\n", 17);
  g_usleep (50 * 1000);
  client_send (fd, "\r\n", 2);
  second = client_read_response (fd, &eof);
  *served = g_str_has_prefix (second, "HTTP/1.1 200");
  close (fd);
}

/* Headers held back while incomplete still reach libsoup once whole. */
static void
test_trickled_headers (Fixture *f, gconstpointer data)
{
  gboolean served = FALSE;

  run_client (f, trickled_second_request, &served);
  g_assert_true (served);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
}

static void
half_second_request_then_close (Fixture *f, gpointer data)
{
  int fd = client_connect (f->port);
  g_autofree gchar *first = NULL;
  gboolean eof;

  client_send (fd, request, strlen (request));
  first = client_read_response (fd, &eof);
  client_send (fd, "GET /x HTTP/1.1\r\nHo", 19);
  close (fd);
}

/* Half a second request, then the client closes: freed, no 408 wait. */
static void
test_half_request_closed (Fixture *f, gconstpointer data)
{
  run_client (f, half_second_request_then_close, NULL);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
}

static void
websocket_first_then_drop (Fixture *f, gpointer data)
{
  static const gchar upgrade[] = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                 "Sec-WebSocket-Version: 13\r\n\r\n";
  gchar **reply = data;
  int fd = client_connect (f->port);
  gchar buf[1024];
  gssize n;

  g_usleep (50 * 1000); /* the server takes the connection before any byte */
  client_send (fd, upgrade, strlen (upgrade));
  n = recv (fd, buf, sizeof buf - 1, 0);
  *reply = g_strndup (buf, MAX (n, 0));
  close (fd); /* no closing handshake: the TCP connection just ends */
}

/* A connection whose first request is a WebSocket upgrade belongs to the
 * WebSocket once upgraded: when its client drops it, the guard must not
 * touch it (it used to take it from libsoup a second time, and the
 * server's connection was freed twice). */
static void
test_websocket_left_alone (Fixture *f, gconstpointer data)
{
  g_autofree gchar *reply = NULL;

  run_client (f, websocket_first_then_drop, &reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 101"));
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
  g_assert_cmpuint (vc_http_guard_get_counters (f->guard)->closed_by_peer, ==, 0);
  /* still serving */
  run_client (f, three_requests_one_connection, NULL);
}

/* ---- libsoup 3.2's stray reference on accepted sockets ---- */

typedef struct
{
  guint live; /* tracked sockets not yet finalized */
  guint seen;
} SocketCount;

static void
on_tracked_socket_finalized (gpointer data, GObject *where_the_object_was)
{
  ((SocketCount *)data)->live--;
}

/* Runs after the guard's own handler: weak-references each connection's
 * socket once, to see whether it is ever freed. */
static void
on_track_request_started (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  SocketCount *count = data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || g_object_get_data (G_OBJECT (socket), "test-tracked") != NULL)
    return;
  g_object_set_data (G_OBJECT (socket), "test-tracked", count);
  g_object_weak_ref (G_OBJECT (socket), on_tracked_socket_finalized, count);
  count->live++;
  count->seen++;
}

static const gchar request_close[]
    = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

/* Half the connections ask to be closed (libsoup closes them), half stay
 * keep-alive and the client closes them (the guard does). */
static void
short_connections_both_ways (Fixture *f, gpointer data)
{
  for (guint i = 0; i < SHORT_CONNECTIONS; i++)
    {
      const gchar *text = i % 2 ? request_close : request;
      int fd = client_connect (f->port);
      gboolean eof;
      g_autofree gchar *reply = NULL;

      client_send (fd, text, strlen (text));
      reply = client_read_response (fd, &eof);
      g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
      close (fd);
    }
}

/* Every accepted socket is freed once its connection is gone: memory
 * does not grow with the number of connections served. */
static void
test_accepted_sockets_freed (Fixture *f, gconstpointer data)
{
  SocketCount count = { 0 };
  gint64 deadline;

  g_signal_connect (f->server, "request-started", G_CALLBACK (on_track_request_started), &count);
  run_client (f, short_connections_both_ways, NULL);
  g_assert_cmpuint (settle_open_fds (f), <=, f->baseline_fds);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (count.live > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handlers_disconnect_by_data (f->server, &count);
  g_assert_cmpuint (count.seen, ==, SHORT_CONNECTIONS);
  g_assert_cmpuint (count.live, ==, 0);
}

int
main (int argc, char **argv)
{
  static const Limits relaxed = { .header_timeout_ms = 5000, .idle_timeout_ms = 0 };
  static const Limits long_headers = { .header_timeout_ms = 20000, .idle_timeout_ms = 0 };
  static const Limits short_idle = { .header_timeout_ms = 5000, .idle_timeout_ms = 250 };
  static const Limits short_headers = { .header_timeout_ms = 300, .idle_timeout_ms = 0 };

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/http-guard/closed-keepalive-freed", Fixture, &relaxed, setup,
              test_closed_keepalive_freed, teardown);
  g_test_add ("/http-guard/keepalive-still-works", Fixture, &relaxed, setup,
              test_keepalive_still_works, teardown);
  g_test_add ("/http-guard/idle-timeout", Fixture, &short_idle, setup, test_idle_timeout, teardown);
  g_test_add ("/http-guard/slow-headers", Fixture, &short_headers, setup, test_slow_headers,
              teardown);
  g_test_add ("/http-guard/slow-second-request", Fixture, &short_headers, setup,
              test_slow_second_request, teardown);
  g_test_add ("/http-guard/large-headers", Fixture, &relaxed, setup, test_large_headers, teardown);
  g_test_add ("/http-guard/trickled-headers", Fixture, &relaxed, setup, test_trickled_headers,
              teardown);
  /* With a header timeout longer than the settle wait, only the peer's
   * close can free the connection in time. */
  g_test_add ("/http-guard/half-request-closed", Fixture, &long_headers, setup,
              test_half_request_closed, teardown);
  g_test_add ("/http-guard/websocket-left-alone", Fixture, &relaxed, setup,
              test_websocket_left_alone, teardown);
  g_test_add ("/http-guard/accepted-sockets-freed", Fixture, &relaxed, setup,
              test_accepted_sockets_freed, teardown);
  return g_test_run ();
}
