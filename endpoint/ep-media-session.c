/* ep-media-session.c — one meeting's media in its own process (see
 * ep-media-session.h and, for the lines, ep-media-protocol.h).
 *
 * The process belongs to the agent (ep-subprocess.h): it ignores SIGINT and
 * SIGTERM, dies with the agent, and ends when the agent says leave or
 * closes stdin. Its stdout is the protocol channel
 * alone: everything else that would print to stdout goes to stderr. All of
 * this file runs on the main thread; VcClientPeer emits its signals there. */
#define G_LOG_DOMAIN "vc-endpoint-media"

#include "ep-media-session.h"
#include "ep-agent.h"
#include "ep-media-protocol.h"
#include "ep-subprocess.h"
#include "vc-client-peer.h"
#include "vc-media.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <gst/gst.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#define STATS_INTERVAL_S 10
#define TEARDOWN_TIMEOUT_MS 2000

typedef struct
{
  const EpConfig *config;
  GMainLoop *loop;
  GOutputStream *events;      /* the protocol channel (the original stdout) */
  GDataInputStream *commands; /* stdin */
  VcClientPeer *peer;
  gint64 meeting;
  gboolean joined;   /* the join line came */
  gboolean finished; /* "ended" sent */
  gboolean connected_sent;
  gchar *last_error;
  guint stats_id;
  guint failed_id;
  int status;
} EpMediaSession;

static void
session_send (EpMediaSession *s, const EpMediaMessage *m)
{
  g_autofree gchar *line = ep_media_message_to_line (m);
  g_autoptr (GError) error = NULL;

  /* A few hundred bytes into a pipe the agent drains from its main loop. */
  if (!g_output_stream_write_all (s->events, line, strlen (line), NULL, NULL, &error))
    {
      /* The agent is gone (PR_SET_PDEATHSIG ends us in a moment anyway). */
      g_debug ("agent unreachable: %s", error->message);
      g_main_loop_quit (s->loop);
    }
}

static void
session_send_stats (EpMediaSession *s)
{
  VcClientPeerStats stats = { 0 };
  EpMediaMessage m = { .type = EP_MEDIA_MESSAGE_STATS };

  if (s->peer == NULL)
    return;
  vc_client_peer_get_stats (s->peer, &stats);
  m.video_frames = stats.video_frames;
  m.audio_buffers = stats.audio_buffers;
  session_send (s, &m);
}

/* Stops the peer (bye to the bridge when it is still connected), sends the
 * last stats and "ended", and quits the loop. */
static void
session_finish (EpMediaSession *s, const gchar *reason)
{
  EpMediaMessage m = { .type = EP_MEDIA_MESSAGE_ENDED, .text = (gchar *)reason };

  if (s->finished)
    return;
  s->finished = TRUE;
  g_clear_handle_id (&s->stats_id, g_source_remove);
  g_clear_handle_id (&s->failed_id, g_source_remove);
  session_send_stats (s);
  if (s->peer)
    {
      g_signal_handlers_disconnect_by_data (s->peer, s);
      vc_client_peer_stop (s->peer);
    }
  session_send (s, &m);
  g_message ("meeting %" G_GINT64_FORMAT ": media ended (%s)", s->meeting, reason);
  g_main_loop_quit (s->loop);
}

static gboolean
on_failed_idle (gpointer user_data)
{
  EpMediaSession *s = user_data;
  const gchar *why = s->last_error ? s->last_error : "unknown";
  /* VcClientPeer names the status of a refused upgrade: a 404 means the
   * bridge has no room for the meeting yet, which the agent tells apart */
  g_autofree gchar *reason = strstr (why, "(HTTP 404)") != NULL
                                 ? g_strdup_printf ("%s (%s)", EP_AGENT_REASON_NO_ROOM, why)
                                 : g_strdup_printf ("connection failed: %s", why);

  s->failed_id = 0;
  session_finish (s, reason);
  return G_SOURCE_REMOVE;
}

/* main thread */
static void
on_peer_state_changed (VcClientPeer *peer, guint state, gpointer user_data)
{
  EpMediaSession *s = user_data;
  EpMediaMessage m
      = { .type = EP_MEDIA_MESSAGE_STATE, .text = (gchar *)vc_client_peer_state_to_string (state) };

  session_send (s, &m);
  if (state == VC_CLIENT_PEER_STATE_CONNECTED && !s->connected_sent)
    {
      EpMediaMessage c = { .type = EP_MEDIA_MESSAGE_CONNECTED };

      s->connected_sent = TRUE;
      session_send (s, &c);
    }
  else if (state == VC_CLIENT_PEER_STATE_FAILED && s->failed_id == 0)
    /* The "error" signal that says why comes right after this one. */
    s->failed_id = g_idle_add (on_failed_idle, s);
  else if (state == VC_CLIENT_PEER_STATE_CLOSED)
    session_finish (s, "closed by the bridge");
}

/* main thread */
static void
on_peer_error (VcClientPeer *peer, GError *error, gpointer user_data)
{
  EpMediaSession *s = user_data;
  EpMediaMessage m = { .type = EP_MEDIA_MESSAGE_ERROR, .text = error->message };

  g_free (s->last_error);
  s->last_error = g_strdup (error->message);
  session_send (s, &m);
}

/* main thread */
static void
on_peer_first_frame (VcClientPeer *peer, gpointer user_data)
{
  EpMediaSession *s = user_data;
  EpMediaMessage m = { .type = EP_MEDIA_MESSAGE_FIRST_FRAME,
                       .real_us = g_get_real_time (),
                       .mono_us = g_get_monotonic_time () };

  session_send (s, &m);
}

static gboolean
on_stats_timeout (gpointer user_data)
{
  session_send_stats (user_data);
  return G_SOURCE_CONTINUE;
}

static void
session_join (EpMediaSession *s, const EpMediaMessage *join)
{
  const EpConfig *c = s->config;
  VcClientPeerSettings settings = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;

  s->joined = TRUE;
  s->meeting = join->meeting;
  settings.signal_url = join->signal_url;
  settings.token = join->token;
  settings.ice_addresses = (const gchar *const *)c->ice_addresses;
  settings.video_source = c->video_source;
  settings.audio_source = c->audio_source;
  settings.width = c->width;
  settings.height = c->height;
  settings.fps = c->fps;
  settings.output
      = c->output == EP_OUTPUT_AUTO ? VC_CLIENT_PEER_OUTPUT_AUTO : VC_CLIENT_PEER_OUTPUT_NONE;
  s->peer = vc_client_peer_new (&settings);
  g_signal_connect (s->peer, "state-changed", G_CALLBACK (on_peer_state_changed), s);
  g_signal_connect (s->peer, "error", G_CALLBACK (on_peer_error), s);
  g_signal_connect (s->peer, "first-frame", G_CALLBACK (on_peer_first_frame), s);
  s->stats_id = g_timeout_add_seconds (STATS_INTERVAL_S, on_stats_timeout, s);
  if (!vc_client_peer_start (s->peer, &error))
    {
      g_autofree gchar *reason = g_strdup_printf ("cannot start: %s", error->message);

      session_finish (s, reason);
    }
}

static void on_command_line (GObject *source, GAsyncResult *result, gpointer user_data);

static void
session_read_next (EpMediaSession *s)
{
  g_data_input_stream_read_line_async (s->commands, G_PRIORITY_DEFAULT, NULL, on_command_line, s);
}

/* main thread */
static void
on_command_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EpMediaSession *s = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line
      = g_data_input_stream_read_line_finish_utf8 (s->commands, result, NULL, &error);
  EpMediaMessage m = { 0 };

  if (line == NULL)
    {
      /* EOF: the agent closed our stdin (leave) or is gone. */
      if (!s->joined)
        s->status = 1;
      session_finish (s, "left");
      return;
    }
  if (!ep_media_message_parse (line, &m, &error))
    g_warning ("ignored a malformed line from the agent: %s", error->message);
  else if (m.type == EP_MEDIA_MESSAGE_JOIN && !s->joined)
    session_join (s, &m);
  else if (m.type == EP_MEDIA_MESSAGE_LEAVE)
    session_finish (s, "left");
  ep_media_message_clear (&m);
  if (!s->finished)
    session_read_next (s);
}

/* Warm-up thread. The first DTLS element of a process generates the
 * certificate that every later one shares (an RSA key: 60–200 ms here, more
 * under load). Made while the join line is read and the signalling
 * connects, it is ready by the time the bridge's offer arrives, instead of
 * in the critical path of every join. */
static gpointer
session_warm_dtls (gpointer data)
{
  GstElement *dtls = gst_element_factory_make ("dtlsdec", NULL);

  g_clear_pointer (&dtls, gst_object_unref);
  return NULL;
}

/* Keeps fd 1 for the protocol and points fd 1 at stderr, so that nothing
 * else (a library's printf, GLib's default log writer for debug and info)
 * can corrupt the channel. Returns the protocol fd, or -1. */
static int
session_take_stdout (void)
{
  int fd = dup (STDOUT_FILENO);

  if (fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return -1;
  return fd;
}

int
ep_media_session_run (const EpConfig *config)
{
  EpMediaSession s = { .config = config };
  g_autoptr (GInputStream) in = NULL;
  GThread *warm;
  int fd = session_take_stdout ();

  if (fd < 0)
    {
      g_printerr ("vc-endpoint: media-session: cannot keep stdout: %s\n", g_strerror (errno));
      return 1;
    }
  ep_subprocess_helper_init ();
  gst_init (NULL, NULL);
  warm = g_thread_new ("dtls-warm-up", session_warm_dtls, NULL);
  s.loop = g_main_loop_new (NULL, FALSE);
  s.events = g_unix_output_stream_new (fd, TRUE);
  in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  s.commands = g_data_input_stream_new (in);
  session_read_next (&s);
  g_main_loop_run (s.loop);

  g_thread_join (warm);
  g_clear_object (&s.peer);
  if (!vc_media_wait_disposals (TEARDOWN_TIMEOUT_MS))
    g_message ("meeting %" G_GINT64_FORMAT ": pipeline still closing at exit", s.meeting);
  g_output_stream_close (s.events, NULL, NULL);
  g_clear_object (&s.events);
  g_clear_object (&s.commands);
  g_main_loop_unref (s.loop);
  g_free (s.last_error);
  return s.status;
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
      media_need (missing, "textoverlay", "gstreamer1.0-x");
      media_need (missing, "clockoverlay", "gstreamer1.0-x");
    }
  if (missing->len)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_MISSING_PLUGIN,
                   "missing GStreamer elements: %s", missing->str);
      return FALSE;
    }
  return TRUE;
}
