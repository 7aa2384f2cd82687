/* ep-channel.c — WebSocket client of the scheduler's agent channel (see
 * ep-channel.h). Every callback here runs on the main thread. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-channel.h"

#include "ep-agent.h"

#include <libsoup/soup.h>

/* The messages and their limits are proto/vc-agent-wire.h's. */
#define CHANNEL_KEEPALIVE_SECONDS 10
#define CHANNEL_RETRY_MIN_MS 500
#define CHANNEL_RETRY_MAX_MS 5000
/* libsoup 3.2 pings but never gives up on a silent peer: a channel that has
 * heard nothing (message or pong) for this long is dropped and redialled. */
#define CHANNEL_SILENCE_US (35 * G_USEC_PER_SEC)

struct _EpChannel
{
  GObject parent;
  gchar *url;
  gchar *auth;
  SoupSession *session;
  GCancellable *cancellable; /* of the connect in flight */
  SoupWebsocketConnection *conn;
  EpChannelState state;
  guint retry_ms;
  guint retry_id;
  gchar *last_state;     /* JSON text, re-sent after a reconnect */
  gchar *last_readiness; /* JSON text */
  gboolean failing;      /* logged once per outage */
  gint64 heard_us;       /* monotonic: last message or pong */
  guint silence_id;
};

G_DEFINE_FINAL_TYPE (EpChannel, ep_channel, G_TYPE_OBJECT)

enum
{
  SIGNAL_SCHEDULE,
  SIGNAL_COMMAND,
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const gchar *const state_names[] = { "waiting", "connecting", "open", "stopped" };

static void channel_connect (EpChannel *channel);

static void
channel_set_state (EpChannel *channel, EpChannelState state)
{
  if (channel->state == state)
    return;
  g_debug ("channel: %s -> %s", state_names[channel->state], state_names[state]);
  channel->state = state;
  g_signal_emit (channel, signals[SIGNAL_STATE_CHANGED], 0, (guint)state);
}

static gboolean
on_retry (gpointer user_data)
{
  EpChannel *channel = user_data;

  channel->retry_id = 0;
  channel_connect (channel);
  return G_SOURCE_REMOVE;
}

static void
channel_wait (EpChannel *channel, const gchar *why)
{
  if (channel->state == EP_CHANNEL_STATE_STOPPED)
    return;
  if (!channel->failing)
    g_message ("channel: scheduler unreachable (%s); retrying", why);
  channel->failing = TRUE;
  channel_set_state (channel, EP_CHANNEL_STATE_WAITING);
  g_clear_handle_id (&channel->retry_id, g_source_remove);
  channel->retry_id = g_timeout_add (channel->retry_ms, on_retry, channel);
  channel->retry_ms = MIN (channel->retry_ms * 2, CHANNEL_RETRY_MAX_MS);
}

static void
channel_send_text (EpChannel *channel, const gchar *text)
{
  if (channel->conn
      && soup_websocket_connection_get_state (channel->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (channel->conn, text);
}

static void
channel_handle (EpChannel *channel, const gchar *text, gsize len)
{
  g_auto (VcAgentWireNotice) notice = { 0 };
  g_autoptr (GError) error = NULL;

  if (!vc_agent_wire_notice_parse (text, len, &notice, &error))
    {
      if (g_error_matches (error, VC_WIRE_ERROR, VC_WIRE_ERROR_UNKNOWN_TYPE))
        g_message ("channel: %s; ignored", error->message);
      else
        g_message ("channel: malformed message ignored (%s); a schedule in it is not taken",
                   error->message);
      return;
    }
  switch (notice.type)
    {
      case VC_AGENT_WIRE_NOTICE_SCHEDULE:
        {
          g_autoptr (EpSchedule) schedule
              = ep_schedule_new_from_wire (g_steal_pointer (&notice.schedule));

          g_signal_emit (channel, signals[SIGNAL_SCHEDULE], 0, schedule);
          break;
        }
      case VC_AGENT_WIRE_NOTICE_JOIN:
      case VC_AGENT_WIRE_NOTICE_LEAVE:
        g_signal_emit (channel, signals[SIGNAL_COMMAND], 0,
                       (guint)(notice.type == VC_AGENT_WIRE_NOTICE_JOIN ? EP_AGENT_COMMAND_JOIN
                                                                        : EP_AGENT_COMMAND_LEAVE),
                       notice.meeting);
        break;
      case VC_AGENT_WIRE_NOTICE_ERROR:
        g_message ("channel: the scheduler says (%s): %s", notice.code, notice.message);
        break;
    }
}

static void
on_conn_pong (SoupWebsocketConnection *conn, GBytes *message, gpointer user_data)
{
  EpChannel *channel = user_data;

  channel->heard_us = g_get_monotonic_time ();
}

static gboolean
on_silence_check (gpointer user_data)
{
  EpChannel *channel = user_data;

  if (channel->conn && g_get_monotonic_time () - channel->heard_us > CHANNEL_SILENCE_US)
    {
      g_message ("channel: nothing heard from the scheduler for %d s; reconnecting",
                 (int)(CHANNEL_SILENCE_US / G_USEC_PER_SEC));
      g_signal_handlers_disconnect_by_data (channel->conn, channel);
      g_clear_object (&channel->conn);
      channel->retry_ms = CHANNEL_RETRY_MIN_MS;
      channel_wait (channel, "silent");
    }
  return G_SOURCE_CONTINUE;
}

static void
on_conn_message (SoupWebsocketConnection *conn, gint data_type, GBytes *message, gpointer user_data)
{
  EpChannel *channel = user_data;
  gsize len = 0;

  channel->heard_us = g_get_monotonic_time ();
  const gchar *text = g_bytes_get_data (message, &len);

  if (data_type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_message ("channel: binary message ignored");
      return;
    }
  channel_handle (channel, text, len);
}

static void
on_conn_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  EpChannel *channel = user_data;

  g_signal_handlers_disconnect_by_data (conn, channel);
  g_clear_object (&channel->conn);
  if (channel->state == EP_CHANNEL_STATE_STOPPED)
    return;
  g_message ("channel: closed by the scheduler");
  channel->retry_ms = CHANNEL_RETRY_MIN_MS;
  channel_wait (channel, "closed");
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EpChannel *channel = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn
      = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (conn == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        channel_wait (channel, error->message);
      g_object_unref (channel);
      return;
    }
  g_clear_object (&channel->cancellable);
  channel->conn = conn;
  soup_websocket_connection_set_keepalive_interval (conn, CHANNEL_KEEPALIVE_SECONDS);
  soup_websocket_connection_set_max_incoming_payload_size (conn, VC_AGENT_WIRE_NOTICE_MAX_BYTES);
  g_signal_connect (conn, "message", G_CALLBACK (on_conn_message), channel);
  g_signal_connect (conn, "closed", G_CALLBACK (on_conn_closed), channel);
  g_signal_connect (conn, "pong", G_CALLBACK (on_conn_pong), channel);
  channel->heard_us = g_get_monotonic_time ();
  if (channel->silence_id == 0)
    channel->silence_id = g_timeout_add_seconds (5, on_silence_check, channel);
  if (channel->failing)
    g_message ("channel: connected to the scheduler again");
  else
    g_info ("channel: connected to the scheduler");
  channel->failing = FALSE;
  channel->retry_ms = CHANNEL_RETRY_MIN_MS;
  channel_set_state (channel, EP_CHANNEL_STATE_OPEN);
  if (channel->last_state)
    channel_send_text (channel, channel->last_state);
  if (channel->last_readiness)
    channel_send_text (channel, channel->last_readiness);
  g_object_unref (channel);
}

static void
channel_connect (EpChannel *channel)
{
  SoupMessage *msg;

  if (channel->state == EP_CHANNEL_STATE_STOPPED)
    return;
  msg = soup_message_new ("GET", channel->url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                channel->auth);
  channel_set_state (channel, EP_CHANNEL_STATE_CONNECTING);
  g_clear_object (&channel->cancellable);
  channel->cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (channel->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        channel->cancellable, on_connected, g_object_ref (channel));
  g_object_unref (msg);
}

void
ep_channel_start (EpChannel *channel)
{
  g_return_if_fail (EP_IS_CHANNEL (channel));
  if (channel->state == EP_CHANNEL_STATE_WAITING && channel->retry_id == 0)
    channel_connect (channel);
}

void
ep_channel_stop (EpChannel *channel)
{
  g_return_if_fail (EP_IS_CHANNEL (channel));
  channel_set_state (channel, EP_CHANNEL_STATE_STOPPED);
  g_clear_handle_id (&channel->retry_id, g_source_remove);
  g_clear_handle_id (&channel->silence_id, g_source_remove);
  if (channel->cancellable)
    g_cancellable_cancel (channel->cancellable);
  if (channel->conn)
    {
      g_signal_handlers_disconnect_by_data (channel->conn, channel);
      if (soup_websocket_connection_get_state (channel->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (channel->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&channel->conn);
    }
}

EpChannelState
ep_channel_get_state (EpChannel *channel)
{
  return channel->state;
}

void
ep_channel_send_state (EpChannel *channel, VcAgentWireState state, gint64 meeting)
{
  const VcAgentWireReport report = {
    .type = VC_AGENT_WIRE_REPORT_STATE,
    .state = state,
    .meeting = meeting > 0 ? meeting : 0,
  };

  g_free (channel->last_state);
  channel->last_state = vc_agent_wire_report_build (&report);
  channel_send_text (channel, channel->last_state);
}

void
ep_channel_send_readiness (EpChannel *channel, gint64 meeting, gboolean ready, const gchar *reason)
{
  const VcAgentWireReport report = {
    .type = VC_AGENT_WIRE_REPORT_READINESS,
    .meeting = meeting,
    .ready = ready,
    .reason = (gchar *)(reason ? reason : ""),
  };

  g_free (channel->last_readiness);
  channel->last_readiness = vc_agent_wire_report_build (&report);
  channel_send_text (channel, channel->last_readiness);
}

static void
ep_channel_dispose (GObject *object)
{
  EpChannel *channel = EP_CHANNEL (object);

  if (channel->state != EP_CHANNEL_STATE_STOPPED)
    ep_channel_stop (channel);
  g_clear_object (&channel->cancellable);
  g_clear_object (&channel->session);
  G_OBJECT_CLASS (ep_channel_parent_class)->dispose (object);
}

static void
ep_channel_finalize (GObject *object)
{
  EpChannel *channel = EP_CHANNEL (object);

  g_free (channel->url);
  g_free (channel->auth);
  g_free (channel->last_state);
  g_free (channel->last_readiness);
  G_OBJECT_CLASS (ep_channel_parent_class)->finalize (object);
}

static void
ep_channel_class_init (EpChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ep_channel_dispose;
  object_class->finalize = ep_channel_finalize;
  signals[SIGNAL_SCHEDULE] = g_signal_new ("schedule", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_COMMAND]
      = g_signal_new ("command", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ep_channel_init (EpChannel *channel)
{
  channel->state = EP_CHANNEL_STATE_WAITING;
  channel->retry_ms = CHANNEL_RETRY_MIN_MS;
}

EpChannel *
ep_channel_new (const gchar *scheduler_url, const gchar *token)
{
  EpChannel *channel = g_object_new (EP_TYPE_CHANNEL, NULL);

  channel->url = g_strconcat (scheduler_url, VC_AGENT_WIRE_PATH, NULL);
  channel->auth = g_strconcat ("Bearer ", token, NULL);
  channel->session = soup_session_new_with_options ("timeout", 10, NULL);
  return channel;
}
