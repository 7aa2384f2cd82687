/* ep-media.c — EpMediaOps over VcClientPeer (see ep-media.h).
 *
 * One VcClientPeer per attempt: a stopped peer cannot restart, so a retry is
 * a new peer with the newest token. The peer's CONNECTED state is "joined";
 * FAILED or CLOSED (the bridge said bye, or the room went away) is "lost",
 * reported from an idle callback so that EpAgent is never re-entered from
 * inside its own join(). */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-media.h"
#include "vc-client-peer.h"
#include "vc-media.h"

#include <malloc.h>

struct _EpMedia
{
  const EpConfig *config;
  gint64 last_latency_ms;
};

typedef struct
{
  EpMedia *media;
  EpAgent *agent; /* borrowed: the agent leaves every handle before it dies */
  VcClientPeer *peer;
  gint64 meeting;
  gint64 scheduled_start_s;
  gint64 began_us; /* monotonic, when this attempt began */
  gboolean reported_connected;
  guint lost_id;
  gchar *lost_reason;
} EpMediaJoin;

static gboolean
on_lost_idle (gpointer user_data)
{
  EpMediaJoin *join = user_data;

  join->lost_id = 0;
  ep_agent_media_lost (join->agent, join, join->lost_reason ? join->lost_reason : "lost");
  return G_SOURCE_REMOVE;
}

static void
join_report_lost (EpMediaJoin *join, const gchar *reason)
{
  if (join->lost_id)
    return;
  g_free (join->lost_reason);
  join->lost_reason = g_strdup (reason);
  join->lost_id = g_idle_add (on_lost_idle, join);
}

static void
on_peer_state_changed (VcClientPeer *peer, guint state, gpointer user_data)
{
  EpMediaJoin *join = user_data;

  g_debug ("meeting %" G_GINT64_FORMAT ": peer %s", join->meeting,
           vc_client_peer_state_to_string (state));
  if (state == VC_CLIENT_PEER_STATE_CONNECTED && !join->reported_connected)
    {
      join->reported_connected = TRUE;
      ep_agent_media_connected (join->agent, join);
    }
  else if (state == VC_CLIENT_PEER_STATE_FAILED)
    join_report_lost (join, "connection failed");
  else if (state == VC_CLIENT_PEER_STATE_CLOSED)
    join_report_lost (join, "closed by the bridge");
}

static void
on_peer_error (VcClientPeer *peer, GError *error, gpointer user_data)
{
  EpMediaJoin *join = user_data;

  /* Malformed bridge messages come here too; the peer goes on. */
  g_message ("meeting %" G_GINT64_FORMAT ": bridge: %s", join->meeting, error->message);
}

static void
on_peer_first_frame (VcClientPeer *peer, gpointer user_data)
{
  EpMediaJoin *join = user_data;
  gint64 latency_ms = g_get_real_time () / 1000 - join->scheduled_start_s * 1000;
  g_autofree gchar *value = g_strdup_printf ("%" G_GINT64_FORMAT, latency_ms);

  join->media->last_latency_ms = latency_ms;
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EP_JOIN_LATENCY_MS", value, "MESSAGE",
                    "meeting %" G_GINT64_FORMAT ": first frame from the bridge %" G_GINT64_FORMAT
                    " ms after the scheduled start (%" G_GINT64_FORMAT " ms after joining began)",
                    join->meeting, latency_ms, (g_get_monotonic_time () - join->began_us) / 1000);
}

static gpointer
media_join (EpAgent *agent, const EpMeeting *meeting, gpointer user_data)
{
  EpMedia *media = user_data;
  const EpConfig *c = media->config;
  EpMediaJoin *join = g_new0 (EpMediaJoin, 1);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;

  join->media = media;
  join->agent = agent;
  join->meeting = meeting->id;
  join->scheduled_start_s = meeting->start;
  join->began_us = g_get_monotonic_time ();
  s.signal_url = meeting->signal_url;
  s.token = meeting->join_token;
  s.ice_addresses = (const gchar *const *)c->ice_addresses;
  s.video_source = c->video_source;
  s.audio_source = c->audio_source;
  s.width = c->width;
  s.height = c->height;
  s.fps = c->fps;
  s.output = c->output == EP_OUTPUT_AUTO ? VC_CLIENT_PEER_OUTPUT_AUTO : VC_CLIENT_PEER_OUTPUT_NONE;
  join->peer = vc_client_peer_new (&s);
  g_signal_connect (join->peer, "state-changed", G_CALLBACK (on_peer_state_changed), join);
  g_signal_connect (join->peer, "error", G_CALLBACK (on_peer_error), join);
  g_signal_connect (join->peer, "first-frame", G_CALLBACK (on_peer_first_frame), join);
  if (!vc_client_peer_start (join->peer, &error))
    join_report_lost (join, error->message);
  return join;
}

/* main thread. A meeting's pipeline is torn down on a helper thread and its
 * streaming threads free their buffers as they end; a few seconds later most
 * of that heap is free but still held by glibc. Give it back, so that an idle
 * room's agent stays small between meetings. */
static gboolean
on_trim_timeout (gpointer data)
{
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}

static void
media_leave (EpAgent *agent, gpointer handle, gpointer user_data)
{
  EpMediaJoin *join = handle;

  g_clear_handle_id (&join->lost_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (join->peer, join);
  vc_client_peer_stop (join->peer);
  g_clear_object (&join->peer);
  g_free (join->lost_reason);
  g_free (join);
  g_timeout_add_seconds (3, on_trim_timeout, NULL);
}

static const EpMediaOps media_ops = {
  .join = media_join,
  .leave = media_leave,
};

const EpMediaOps *
ep_media_ops (void)
{
  return &media_ops;
}

EpMedia *
ep_media_new (const EpConfig *config)
{
  EpMedia *media = g_new0 (EpMedia, 1);

  media->config = config;
  return media;
}

void
ep_media_free (EpMedia *media)
{
  g_free (media);
}

gint64
ep_media_last_first_frame_latency_ms (EpMedia *media)
{
  return media->last_latency_ms;
}

/* Elements this room's settings need beyond vc_media_check_plugins()'
 * WebRTC/codec sets, each with the Debian package that ships it. */
static void
media_need (GString *missing, const gchar *element, const gchar *package)
{
  g_autoptr (GstElementFactory) factory = gst_element_factory_find (element);

  if (factory == NULL)
    g_string_append_printf (missing, "%s%s (%s)", missing->len ? ", " : "", element, package);
}

gboolean
ep_media_check (const EpConfig *config, GError **error)
{
  VcMediaPlugins which = VC_MEDIA_PLUGINS_WEBRTC | VC_MEDIA_PLUGINS_CODECS;
  g_autoptr (GString) missing = g_string_new (NULL);

  if (g_str_equal (config->video_source, "test") || g_str_equal (config->audio_source, "test"))
    which |= VC_MEDIA_PLUGINS_TEST;
  if (!vc_media_check_plugins (which, error))
    return FALSE;
  if (g_str_has_prefix (config->video_source, "v4l2:"))
    media_need (missing, "v4l2src", "gstreamer1.0-plugins-good");
  if (g_str_equal (config->audio_source, "pulse"))
    media_need (missing, "pulsesrc", "gstreamer1.0-pulseaudio");
  if (g_str_has_prefix (config->audio_source, "alsa:"))
    media_need (missing, "alsasrc", "gstreamer1.0-alsa");
  if (config->output == EP_OUTPUT_AUTO)
    {
      media_need (missing, "autovideosink", "gstreamer1.0-plugins-good");
      media_need (missing, "autoaudiosink", "gstreamer1.0-plugins-good");
      media_need (missing, "textoverlay", "gstreamer1.0-plugins-base");
      media_need (missing, "clockoverlay", "gstreamer1.0-plugins-base");
    }
  if (missing->len)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_MISSING_PLUGIN,
                   "missing GStreamer elements: %s", missing->str);
      return FALSE;
    }
  return TRUE;
}
