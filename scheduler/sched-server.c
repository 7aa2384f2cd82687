/* sched-server.c — wiring the booking service; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-server.h"

#include "sched-api.h"
#include "sched-booking.h"
#include "sched-error.h"
#include "sched-holiday-admin.h"
#include "sched-roster.h"

#include "common/vc-http-guard.h"
#include "common/vc-time.h"
#include "sched-http.h"

#include <string.h>

struct _SchedServer
{
  SchedCore core;
  SoupServer *soup;
  VcHttpGuard *guard; /* closes connections libsoup 3.2 would leak */
};

SchedContext *
sched_server_context_new (SchedSettings *settings, GError **error)
{
  g_autoptr (SchedContext) ctx = g_new0 (SchedContext, 1);
  gboolean loaded = FALSE;

  ctx->settings = settings;
  ctx->tz = g_time_zone_new_identifier (settings->time_zone);
  if (ctx->tz == NULL)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "[site] time_zone: unknown time zone '%s'", settings->time_zone);
      return NULL;
    }
  ctx->db = sched_db_open (settings->db_path, error);
  if (ctx->db == NULL
      || !sched_db_set_sync (ctx->db,
                             settings->db_sync_full ? SCHED_DB_SYNC_FULL : SCHED_DB_SYNC_NORMAL,
                             settings->db_sync_interval_ms, error))
    return NULL;
  if (!sched_roster_load_if_empty (ctx->db, settings->roster_path, ctx->tz, settings, &loaded,
                                   error))
    return NULL;
  if (loaded)
    g_message ("loaded the roster %s into %s", settings->roster_path, settings->db_path);
  return g_steal_pointer (&ctx);
}

void
sched_server_context_free (SchedContext *ctx)
{
  if (ctx == NULL)
    return;
  g_clear_pointer (&ctx->db, sched_db_close);
  g_clear_pointer (&ctx->tz, g_time_zone_unref);
  g_clear_pointer (&ctx->settings, sched_settings_free);
  g_free (ctx);
}

/* main thread: count responses by status class for /metrics. */
static void
on_server_request_finished (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  SchedServer *server = user_data;
  guint status = soup_server_message_get_status (msg);

  if (status >= 100 && status < 600)
    server->core.metrics.http_responses[status / 100]++;
}

/* A chunked body has no declared length: its chunks are counted as they
 * arrive, and the request is refused the moment the count passes the limit
 * (see on_message_got_chunk). */
typedef struct
{
  SchedServer *server;
  gint64 received;
} BodyCount;

/* main thread: the 413 reply is on the wire; end the connection. */
static void
on_too_large_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
append_header (const char *name, const char *value, gpointer user_data)
{
  g_string_append_printf (user_data, "%s: %s\r\n", name, value);
}

/* Answers 413 (or 400) on a connection taken from libsoup, which would
 * otherwise go on reading the body to its end before it let anyone answer.
 * The security headers come from sched_http_add_security_headers, as on
 * every other answer. */
static void
server_refuse_stolen (SchedServer *server, GIOStream *stream, const GError *error)
{
  g_autofree gchar *body = sched_http_error_json (error, NULL);
  g_autoptr (SoupMessageHeaders) security
      = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  guint status = sched_error_http_status (error);
  GString *reply = g_string_new (NULL);

  sched_http_add_security_headers (security, server->core.ctx->settings);
  g_string_append_printf (reply,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n",
                          status, soup_status_get_phrase (status), strlen (body));
  soup_message_headers_foreach (security, append_header, reply);
  g_string_append_printf (reply, "Connection: close\r\n\r\n%s", body);

  server->core.metrics.http_responses[status / 100]++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), reply->str, reply->len,
                                   G_PRIORITY_DEFAULT, NULL, on_too_large_written, stream);
  g_object_set_data_full (G_OBJECT (stream), "sched-reply", g_string_free (reply, FALSE), g_free);
}

/* main thread, while libsoup reads a chunked body */
static void
on_message_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  BodyCount *count = user_data;
  SchedServer *server = count->server;
  gint64 max = server->core.ctx->settings->max_body_bytes;
  g_autoptr (GError) error = NULL;
  GIOStream *stream;

  count->received += g_bytes_get_size (chunk);
  if (count->received <= max)
    return;
  g_set_error (&error, SCHED_ERROR, SCHED_ERROR_TOO_LARGE,
               "request body is larger than the limit of %" G_GINT64_FORMAT " bytes", max);
  /* @msg, and @count with it, may be gone after this. */
  stream = soup_server_message_steal_connection (msg);
  if (stream)
    server_refuse_stolen (server, stream, error);
}

/* A declared body over the limit by up to this much is read (and thrown
 * away) before the 413; a larger or malformed Content-Length is answered at
 * once, on a connection taken from libsoup. */
#define SERVER_DRAIN_MARGIN (1024 * 1024)

/* main thread: refuse a body over the limit before reading it (declared
 * length) or while reading it (chunked). */
static void
on_message_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  SchedServer *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gint64 max = server->core.ctx->settings->max_body_bytes;
  const gchar *text = soup_message_headers_get_one (headers, "Content-Length");
  g_autoptr (GError) error = NULL;
  guint64 length = 0;
  gboolean digits;
  BodyCount *count;
  GIOStream *stream;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      count = g_new0 (BodyCount, 1);
      count->server = server;
      g_signal_connect_data (msg, "got-chunk", G_CALLBACK (on_message_got_chunk), count,
                             (GClosureNotify)(void (*) (void))g_free, 0);
      return;
    }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH || text == NULL)
    return;
  /* Checked on the header's text: libsoup's own parsing wraps "-1" and
   * 2^64 around into lengths it then waits for. */
  digits = *text != '\0' && strspn (text, "0123456789") == strlen (text);
  if (digits && g_ascii_string_to_unsigned (text, 10, 0, (guint64)max, &length, NULL))
    return;
  if (digits
      && g_ascii_string_to_unsigned (text, 10, 0, (guint64)max + SERVER_DRAIN_MARGIN, &length,
                                     NULL))
    {
      /* A little over the limit: answered once the body is read, so that a
       * client still sending it reads the 413 instead of a reset. */
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_TOO_LARGE,
                   "request body is %" G_GUINT64_FORMAT " bytes; the limit is %" G_GINT64_FORMAT,
                   length, max);
      sched_http_reply_error (msg, error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      return;
    }
  if (digits)
    g_set_error (&error, SCHED_ERROR, SCHED_ERROR_TOO_LARGE,
                 "request body is %.40s bytes; the limit is %" G_GINT64_FORMAT, text, max);
  else
    g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_BAD_JSON,
                         "Content-Length is not a decimal number of bytes");
  /* Huge or not a number: answered now, not after a body that will not
   * come (libsoup would wait for the declared length, or for ever). */
  stream = soup_server_message_steal_connection (msg);
  if (stream)
    server_refuse_stolen (server, stream, error);
}

/* main thread */
static void
on_server_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_message_got_headers), user_data);
}

SchedServer *
sched_server_new (SchedContext *ctx, GError **error)
{
  g_autoptr (SchedServer) server = g_new0 (SchedServer, 1);
  g_autoptr (GTlsCertificate) cert = NULL;
  const SchedSettings *s = ctx->settings;

  server->core.ctx = ctx;
  server->core.started_at = vc_time_now ();
  server->core.holidays_file = sched_holidays_new ();
  server->core.statics = sched_static_new ();
  if (s->holidays_path
      && !sched_holidays_load (server->core.holidays_file, s->holidays_path, error))
    return NULL;
  if (!sched_holiday_calendar_reload (&server->core, error))
    return NULL;
  if (s->tls_certificate)
    {
      g_autoptr (GError) local = NULL;
      cert = g_tls_certificate_new_from_files (s->tls_certificate, s->tls_key, &local);
      if (cert == NULL)
        {
          g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                       "[server] tls_certificate: cannot load %s / %s: %s", s->tls_certificate,
                       s->tls_key, local->message);
          return NULL;
        }
    }
  server->soup = soup_server_new ("server-header", "vc-scheduler ", "tls-certificate", cert, NULL);
  server->guard = vc_http_guard_new (server->soup,
                                     &(VcHttpGuardLimits){
                                         .header_timeout_ms = s->header_timeout_ms,
                                         .idle_timeout_ms = s->idle_timeout_ms,
                                         .tls = cert != NULL,
                                         .max_header_bytes = VC_HTTP_GUARD_MAX_HEADER_BYTES_DEFAULT,
                                     });
  server->core.connections = vc_http_guard_get_counters (server->guard);
  g_signal_connect (server->soup, "request-started", G_CALLBACK (on_server_request_started),
                    server);
  g_signal_connect (server->soup, "request-finished", G_CALLBACK (on_server_request_finished),
                    server);
  sched_api_service_register (&server->core, server->soup);
  sched_api_roster_register (&server->core, server->soup);
  sched_api_meetings_register (&server->core, server->soup);
  sched_api_tokens_register (&server->core, server->soup);
  sched_api_reorg_register (&server->core, server->soup);
  sched_api_holidays_register (&server->core, server->soup);
  return g_steal_pointer (&server);
}

void
sched_server_free (SchedServer *server)
{
  if (server == NULL)
    return;
  sched_booking_batch_shutdown (&server->core);
  server->core.connections = NULL;
  g_clear_pointer (&server->guard, vc_http_guard_free);
  if (server->soup)
    {
      soup_server_disconnect (server->soup);
      g_signal_handlers_disconnect_by_data (server->soup, server);
      g_clear_object (&server->soup);
    }
  g_clear_pointer (&server->core.holidays, sched_holidays_free);
  g_clear_pointer (&server->core.holidays_file, sched_holidays_free);
  g_clear_pointer (&server->core.statics, sched_static_free);
  g_free (server);
}

SoupServer *
sched_server_get_soup_server (SchedServer *server)
{
  return server->soup;
}

SchedCore *
sched_server_get_core (SchedServer *server)
{
  return &server->core;
}

static GInetAddress *
server_resolve (const gchar *host, GError **error)
{
  GInetAddress *addr = g_inet_address_new_from_string (host);
  g_autolist (GInetAddress) found = NULL;
  g_autoptr (GResolver) resolver = NULL;

  if (addr)
    return addr;
  /* Start-up only: a blocking lookup before the loop runs is fine. */
  resolver = g_resolver_get_default ();
  found = g_resolver_lookup_by_name (resolver, host, NULL, error);
  if (found == NULL)
    return NULL;
  return g_object_ref (found->data);
}

/* Many clients connect at once (50 booking requests in flight, a room
 * agent per endpoint reconnecting after an outage): the default backlog
 * of a GSocketListener (10) makes the kernel reset some of them, so the
 * socket is made here with a deeper one. */
#define SERVER_LISTEN_BACKLOG 1024

gboolean
sched_server_listen (SchedServer *server, GError **error)
{
  const SchedSettings *s = server->core.ctx->settings;
  g_autoptr (GInetAddress) addr = server_resolve (s->listen_host, error);
  g_autoptr (GSocketAddress) where = NULL;
  g_autoptr (GSocket) sock = NULL;

  if (addr == NULL)
    return FALSE;
  where = g_inet_socket_address_new (addr, s->listen_port);
  sock = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL || !g_socket_bind (sock, where, TRUE, error))
    return FALSE;
  g_socket_set_listen_backlog (sock, SERVER_LISTEN_BACKLOG);
  if (!g_socket_listen (sock, error))
    return FALSE;
  return soup_server_listen_socket (server->soup, sock,
                                    s->tls_certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

guint16
sched_server_get_port (SchedServer *server)
{
  GSList *uris = soup_server_get_uris (server->soup);
  guint16 port = uris ? (guint16)g_uri_get_port (uris->data) : 0;

  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return port;
}

gchar *
sched_server_get_url (SchedServer *server)
{
  const SchedSettings *s = server->core.ctx->settings;
  guint16 port = sched_server_get_port (server);
  gboolean v6 = strchr (s->listen_host, ':') != NULL;

  if (port == 0)
    return NULL;
  return g_strdup_printf ("%s://%s%s%s:%u", s->tls_certificate ? "https" : "http", v6 ? "[" : "",
                          s->listen_host, v6 ? "]" : "", port);
}
