/* sched-agent-hub.c — the scheduler's end of the agent channel.
 *
 * Each room agent keeps one WebSocket open to GET /api/v1/agent with its
 * endpoint token. The token is checked in an early handler, before the
 * upgrade, so an unknown token gets a plain 401 and never a WebSocket. On
 * connect, and whenever the booking code calls schedule_changed, the hub
 * pushes the room's schedule; the agent answers with state and readiness
 * messages, which are kept as the room's presence for GET /api/v1/endpoints
 * and the monitor. A second channel of the same endpoint replaces the first.
 *
 * Each channel remembers the token it was opened with. When that token is
 * revoked the channel is closed with AGENT_CLOSE_TOKEN_REVOKED at once
 * (the token_revoked hook, for revocations through the API); a revocation
 * committed by another process (vc-scheduler token revoke) is found by a
 * check every AGENT_TOKEN_CHECK_MS that runs when the database changed
 * (PRAGMA data_version), and no schedule (with its join tokens) is sent on
 * a channel whose token is no longer valid.
 *
 * Everything here runs on the main thread. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-agent-hub.h"
#include "sched-agent-schedule.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-meeting-window.h"
#include "sched-model-token.h"
#include "vc-time.h"

#include "vc-agent-wire.h"

/* The channel's messages and limits are proto/vc-agent-wire.h's: a report
 * up to VC_AGENT_WIRE_REPORT_MAX_BYTES is read; a bigger one, in a frame up
 * to VC_AGENT_WIRE_REPORT_MAX_FRAME_BYTES, is answered with "too_large" and
 * the channel stays open (docs/protocol.md §4); a bigger frame is not read,
 * and libsoup closes the channel. The same limits as the bridge's
 * signalling (VC_SIGNAL_MAX_FRAME, media/client/vc-signal.h). */
#define AGENT_KEEPALIVE_SECONDS 15
#define AGENT_ENDPOINT_KEY "vc-agent-endpoint"
#define AGENT_TOKEN_KEY "vc-agent-token"
#define AGENT_TOKEN_CHECK_MS 1000
/* libsoup 3.2 pings but never drops a silent peer (a room whose network went
 * away without a FIN): a channel silent for this long is closed, so the
 * room shows offline. */
#define AGENT_SILENCE_US (3 * AGENT_KEEPALIVE_SECONDS * G_USEC_PER_SEC)

typedef struct
{
  SchedAgentHub *hub;
  gchar *endpoint;
  gint64 token_id; /* tokens.id it was opened with */
  SoupWebsocketConnection *conn;
  gulong message_id, closed_id, pong_id;
  gint64 heard_us;    /* monotonic: last message or pong */
  const gchar *state; /* vc_agent_wire_state_to_string(), NULL until told */
  gint64 meeting_id;
  gboolean ready_known;
  gboolean ready;
  gchar *ready_reason;
} SchedAgentChannel;

struct _SchedAgentHub
{
  SchedContext *ctx;
  SoupServer *server;
  GHashTable *channels; /* endpoint code (owned by the channel) → SchedAgentChannel* */
  guint silence_id;
  guint token_check_id;
  gint64 data_version; /* PRAGMA data_version at the last token check */
};

static void
channel_free (SchedAgentChannel *channel)
{
  if (channel->conn)
    {
      g_clear_signal_handler (&channel->message_id, channel->conn);
      g_clear_signal_handler (&channel->closed_id, channel->conn);
      g_clear_signal_handler (&channel->pong_id, channel->conn);
      if (soup_websocket_connection_get_state (channel->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (channel->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&channel->conn);
    }
  g_free (channel->endpoint);
  g_free (channel->ready_reason);
  g_free (channel);
}

static void
channel_send_text (SchedAgentChannel *channel, const gchar *text)
{
  if (soup_websocket_connection_get_state (channel->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (channel->conn, text);
}

static void
channel_send_error (SchedAgentChannel *channel, const gchar *code, const gchar *message)
{
  VcAgentWireNotice notice = {
    .type = VC_AGENT_WIRE_NOTICE_ERROR,
    .code = (gchar *)code,
    .message = (gchar *)message,
  };
  g_autofree gchar *text = vc_agent_wire_notice_build (&notice);

  channel_send_text (channel, text);
}

/* main thread: the revoked channel's connection, kept until its closing
 * handshake is over so that the agent gets the close code. */
static void
on_revoked_conn_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (conn, on_revoked_conn_closed, user_data);
  g_object_unref (conn);
}

/* Closes @channel's connection with AGENT_CLOSE_TOKEN_REVOKED; the caller
 * then drops the channel from the table. */
static void
channel_close_revoked (SchedAgentChannel *channel)
{
  g_message ("agent %s: token %" G_GINT64_FORMAT " revoked; channel closed", channel->endpoint,
             channel->token_id);
  if (soup_websocket_connection_get_state (channel->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  g_signal_connect (g_object_ref (channel->conn), "closed", G_CALLBACK (on_revoked_conn_closed),
                    NULL);
  soup_websocket_connection_close (channel->conn, VC_AGENT_WIRE_CLOSE_TOKEN_REVOKED,
                                   "token revoked");
}

/* Whether the channel's token is still valid (not revoked, not deleted);
 * TRUE when the database cannot say, so a failing read closes nothing. */
static gboolean
channel_token_valid (SchedAgentChannel *channel)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedToken) token = sched_token_get (channel->hub->ctx->db, channel->token_id, &error);

  if (token)
    return !token->revoked;
  if (g_error_matches (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND))
    return FALSE;
  g_warning ("agent %s: cannot check its token: %s", channel->endpoint, error->message);
  return TRUE;
}

static void
channel_send_schedule (SchedAgentChannel *channel)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text
      = sched_agent_schedule_build (channel->hub->ctx, channel->endpoint, vc_time_now (), &error);

  if (text == NULL)
    {
      g_warning ("agent %s: cannot build schedule: %s", channel->endpoint, error->message);
      return;
    }
  channel_send_text (channel, text);
  g_debug ("agent %s: schedule sent", channel->endpoint);
}

/* A state naming a meeting is believed only when the room may be in it
 * now (sched-meeting-window.h); otherwise the agent gets an "invalid" error
 * and the presence stays as it was. */
static gboolean
channel_check_meeting (SchedAgentChannel *channel, gint64 meeting)
{
  g_autoptr (GError) error = NULL;
  gint64 now = vc_time_now ();

  if (sched_meeting_window_check (channel->hub->ctx->db, meeting, channel->endpoint, now, now,
                                  &error))
    return TRUE;
  g_message ("agent %s: state for meeting %" G_GINT64_FORMAT " ignored: %s", channel->endpoint,
             meeting, sched_error_get_text (error));
  channel_send_error (channel,
                      g_error_matches (error, SCHED_ERROR, SCHED_ERROR_INVALID)
                          ? VC_AGENT_WIRE_ERROR_INVALID
                          : VC_AGENT_WIRE_ERROR_INTERNAL,
                      sched_error_get_text (error));
  return FALSE;
}

/* Applies an agent → scheduler message; FALSE when it is not one. */
static gboolean
channel_handle_text (SchedAgentChannel *channel, const gchar *text, gsize len, GError **error)
{
  g_auto (VcAgentWireReport) report = { 0 };

  if (!vc_agent_wire_report_parse (text, len, &report, error))
    return FALSE;
  switch (report.type)
    {
      case VC_AGENT_WIRE_REPORT_STATE:
        if (report.meeting != 0 && !channel_check_meeting (channel, report.meeting))
          break;
        channel->state = vc_agent_wire_state_to_string (report.state);
        channel->meeting_id = report.meeting;
        g_info ("agent %s: %s (meeting %" G_GINT64_FORMAT ")", channel->endpoint, channel->state,
                channel->meeting_id);
        break;
      case VC_AGENT_WIRE_REPORT_READINESS:
        channel->ready_known = TRUE;
        channel->ready = report.ready;
        g_free (channel->ready_reason);
        channel->ready_reason = g_steal_pointer (&report.reason);
        g_info ("agent %s: %s (%s)", channel->endpoint, channel->ready ? "ready" : "NOT ready",
                channel->ready_reason);
        break;
    }
  return TRUE;
}

static void
on_channel_message (SoupWebsocketConnection *conn, gint data_type, GBytes *message,
                    gpointer user_data)
{
  SchedAgentChannel *channel = user_data;
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  const gchar *text = g_bytes_get_data (message, &len);
  const gchar *code = VC_AGENT_WIRE_ERROR_MALFORMED;

  channel->heard_us = g_get_monotonic_time ();
  if (data_type != SOUP_WEBSOCKET_DATA_TEXT && len <= VC_AGENT_WIRE_REPORT_MAX_BYTES)
    g_set_error_literal (&error, VC_WIRE_ERROR, VC_WIRE_ERROR_MALFORMED,
                         "binary messages are not used");
  else if (channel_handle_text (channel, text, len, &error))
    return;
  if (g_error_matches (error, VC_WIRE_ERROR, VC_WIRE_ERROR_TOO_LARGE))
    code = VC_AGENT_WIRE_ERROR_TOO_LARGE;
  g_message ("agent %s: message ignored (%s): %s", channel->endpoint, code, error->message);
  channel_send_error (channel, code, error->message);
}

static void
on_channel_pong (SoupWebsocketConnection *conn, GBytes *message, gpointer user_data)
{
  SchedAgentChannel *channel = user_data;

  channel->heard_us = g_get_monotonic_time ();
}

static gboolean
on_silence_check (gpointer user_data)
{
  SchedAgentHub *hub = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  SchedAgentChannel *channel;

  g_hash_table_iter_init (&iter, hub->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&channel))
    if (now - channel->heard_us > AGENT_SILENCE_US)
      {
        g_message ("agent %s: silent for %d s, channel dropped", channel->endpoint,
                   (int)(AGENT_SILENCE_US / G_USEC_PER_SEC));
        g_hash_table_iter_remove (&iter);
      }
  return G_SOURCE_CONTINUE;
}

/* Closes the channels opened with a token that is no longer valid. */
static void
hub_close_revoked (SchedAgentHub *hub, gint64 token_id)
{
  GHashTableIter iter;
  SchedAgentChannel *channel;

  g_hash_table_iter_init (&iter, hub->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&channel))
    if (token_id > 0 ? channel->token_id == token_id : !channel_token_valid (channel))
      {
        channel_close_revoked (channel);
        g_hash_table_iter_remove (&iter);
      }
}

/* main thread, every AGENT_TOKEN_CHECK_MS: another connection (the CLI)
 * committed something, which may be a revocation. */
static gboolean
on_token_check (gpointer user_data)
{
  SchedAgentHub *hub = user_data;
  gint64 version = 0;

  if (g_hash_table_size (hub->channels) == 0
      || !sched_db_data_version (hub->ctx->db, &version, NULL))
    return G_SOURCE_CONTINUE;
  if (version != hub->data_version)
    {
      hub->data_version = version;
      hub_close_revoked (hub, 0);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_channel_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  SchedAgentChannel *channel = user_data;
  SchedAgentHub *hub = channel->hub;

  g_info ("agent %s: channel closed", channel->endpoint);
  /* Only if it is still the current channel of its endpoint. */
  if (g_hash_table_lookup (hub->channels, channel->endpoint) == channel)
    g_hash_table_remove (hub->channels, channel->endpoint);
}

/* Early handler: authenticate before the upgrade so a bad token is a 401. */
static void
on_agent_early (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  SchedAgentHub *hub = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) principal = sched_http_authenticate (hub->ctx, msg, &error);

  if (principal == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  if (principal->role != SCHED_ROLE_ENDPOINT || principal->endpoint == NULL)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                   "the agent channel needs an endpoint token");
      sched_http_reply_error (msg, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), AGENT_ENDPOINT_KEY, g_strdup (principal->endpoint),
                          g_free);
  g_object_set_data_full (G_OBJECT (msg), AGENT_TOKEN_KEY,
                          g_memdup2 (&principal->token_id, sizeof principal->token_id), g_free);
}

/* Runs before the upgrade (libsoup calls the plain handler first): leaves
 * WebSocket handshakes alone and answers anything else with 400. */
static void
on_agent_plain (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_server_message_get_status (msg) != 0
      || soup_message_headers_header_contains (headers, "Upgrade", "websocket"))
    return;
  sched_http_reply_text (msg, SOUP_STATUS_BAD_REQUEST, "text/plain", "WebSocket upgrade required\n",
                         -1);
}

static void
on_agent_websocket (SoupServer *server, SoupServerMessage *msg, const char *path,
                    SoupWebsocketConnection *conn, gpointer user_data)
{
  SchedAgentHub *hub = user_data;
  const gchar *endpoint = g_object_get_data (G_OBJECT (msg), AGENT_ENDPOINT_KEY);
  const gint64 *token_id = g_object_get_data (G_OBJECT (msg), AGENT_TOKEN_KEY);
  SchedAgentChannel *channel;

  if (endpoint == NULL || token_id == NULL)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unauthorized");
      return;
    }
  channel = g_new0 (SchedAgentChannel, 1);
  channel->hub = hub;
  channel->endpoint = g_strdup (endpoint);
  channel->token_id = *token_id;
  channel->conn = g_object_ref (conn);
  soup_websocket_connection_set_keepalive_interval (conn, AGENT_KEEPALIVE_SECONDS);
  soup_websocket_connection_set_max_incoming_payload_size (conn,
                                                           VC_AGENT_WIRE_REPORT_MAX_FRAME_BYTES);
  channel->message_id
      = g_signal_connect (conn, "message", G_CALLBACK (on_channel_message), channel);
  channel->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (on_channel_closed), channel);
  channel->pong_id = g_signal_connect (conn, "pong", G_CALLBACK (on_channel_pong), channel);
  channel->heard_us = g_get_monotonic_time ();
  /* Replaces (and closes) an earlier channel of the same room. */
  g_hash_table_replace (hub->channels, channel->endpoint, channel);
  g_info ("agent %s: channel open", endpoint);
  channel_send_schedule (channel);
}

SchedAgentHub *
sched_agent_hub_new (SchedContext *ctx, SoupServer *server)
{
  SchedAgentHub *hub = g_new0 (SchedAgentHub, 1);

  hub->ctx = ctx;
  hub->server = g_object_ref (server);
  hub->channels
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)channel_free);
  soup_server_add_early_handler (server, VC_AGENT_WIRE_PATH, on_agent_early, hub, NULL);
  soup_server_add_handler (server, VC_AGENT_WIRE_PATH, on_agent_plain, hub, NULL);
  soup_server_add_websocket_handler (server, VC_AGENT_WIRE_PATH, NULL, NULL, on_agent_websocket,
                                     hub, NULL);
  /* No permessage-deflate: libsoup checks the frame limit on the compressed
   * bytes and inflates without bound (a 200 KiB frame becomes 200 MB). The
   * agent channel is the server's only WebSocket. */
  soup_server_remove_websocket_extension (server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  hub->silence_id = g_timeout_add_seconds (AGENT_KEEPALIVE_SECONDS, on_silence_check, hub);
  hub->data_version = -1;
  hub->token_check_id = g_timeout_add (AGENT_TOKEN_CHECK_MS, on_token_check, hub);
  return hub;
}

void
sched_agent_hub_free (SchedAgentHub *hub)
{
  if (hub == NULL)
    return;
  g_clear_handle_id (&hub->silence_id, g_source_remove);
  g_clear_handle_id (&hub->token_check_id, g_source_remove);
  soup_server_remove_handler (hub->server, VC_AGENT_WIRE_PATH);
  g_clear_pointer (&hub->channels, g_hash_table_destroy);
  g_clear_object (&hub->server);
  g_free (hub);
}

void
sched_agent_hub_schedule_changed (SchedAgentHub *hub, const gchar *endpoint)
{
  GHashTableIter iter;
  SchedAgentChannel *channel;

  /* No join token leaves on a channel whose token was revoked meanwhile
   * (by another process: the periodic check may not have run yet). */
  if (endpoint)
    {
      channel = g_hash_table_lookup (hub->channels, endpoint);
      if (channel && channel_token_valid (channel))
        channel_send_schedule (channel);
      else if (channel)
        {
          channel_close_revoked (channel);
          g_hash_table_remove (hub->channels, endpoint);
        }
      return;
    }
  g_hash_table_iter_init (&iter, hub->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&channel))
    if (channel_token_valid (channel))
      channel_send_schedule (channel);
    else
      {
        channel_close_revoked (channel);
        g_hash_table_iter_remove (&iter);
      }
}

void
sched_agent_hub_token_revoked (SchedAgentHub *hub, gint64 token_id)
{
  g_return_if_fail (token_id > 0);
  hub_close_revoked (hub, token_id);
}

gboolean
sched_agent_hub_get_presence (SchedAgentHub *hub, const gchar *endpoint, SchedPresence *out)
{
  SchedAgentChannel *channel = g_hash_table_lookup (hub->channels, endpoint);

  *out = (SchedPresence){ 0 };
  if (channel == NULL)
    return FALSE;
  out->online = TRUE;
  out->state = channel->state;
  out->meeting_id = channel->meeting_id;
  out->ready_known = channel->ready_known;
  out->ready = channel->ready;
  out->ready_reason = channel->ready_reason;
  return TRUE;
}

gboolean
sched_agent_hub_send_command (SchedAgentHub *hub, const gchar *endpoint, VcAgentWireNoticeType type,
                              gint64 meeting_id)
{
  SchedAgentChannel *channel = g_hash_table_lookup (hub->channels, endpoint);
  VcAgentWireNotice notice = { .type = type, .meeting = meeting_id };
  g_autofree gchar *text = NULL;

  g_return_val_if_fail (type == VC_AGENT_WIRE_NOTICE_JOIN || type == VC_AGENT_WIRE_NOTICE_LEAVE,
                        FALSE);
  if (channel == NULL)
    return FALSE;
  text = vc_agent_wire_notice_build (&notice);
  channel_send_text (channel, text);
  return TRUE;
}
