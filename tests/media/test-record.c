/* test-record.c — issue #18: the bridge records a room (WebM segments of
 * the composite and the full mix, no re-encoding).
 *
 * A bridge in-process on 127.0.0.1:0 with headless VcClientPeer's sending
 * tones (440 and 660 Hz) and test pictures; what it wrote is decoded with
 * GStreamer (matroskademux ! vp8dec, opusdec) from start to end: every
 * segment plays, the total lasts the recording's time within a second, the
 * picture is 1280x720 and both tones are in the sound. Pause and resume
 * leave a gap; the control API and /recordings refuse bad input; a full
 * disk (a 1 MiB tmpfs in a private mount namespace: needs root, as CI runs)
 * stops the recording with an error and a metric while the call goes on; a
 * vc-bridge process killed with SIGKILL mid-recording leaves segments that
 * play and cover all but its last seconds.
 *
 * Readiness is awaited (state, counters), never slept for. */
#define _GNU_SOURCE /* unshare */
#include "../common/vc-test-upstream.h"
#include "media-test.h"
#include "bridge-config.h"
#include "bridge-peer.h"
#include "bridge-server.h"
#include "vc-client-peer.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define SECRET "integration-test-secret-0123"
#define AUTH "Bearer " SECRET
#define WATCHDOG_S 200

typedef struct
{
  BridgeSettings *settings;
  BridgeServer *server;
  SoupSession *session;
  guint watchdog;
  gchar *url;
  gchar *dir; /* the test's folder; recordings under DIR/rec */
  gchar *rec_dir;
} Fixture;

static gboolean
on_watchdog (gpointer data)
{
  g_error ("watchdog: test took longer than %d s", WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* @data: the recordings folder to use, or NULL for DIR/rec */
static void
fixture_setup_in (Fixture *f, const gchar *rec_dir, const gchar *min_free_mb)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);
  g_autoptr (GError) error = NULL;

  vc_test_tolerate_upstream_bugs ();
  f->dir = g_dir_make_tmp ("vc-record-XXXXXX", &error);
  g_assert_no_error (error);
  f->rec_dir = rec_dir ? g_strdup (rec_dir) : g_build_filename (f->dir, "rec", NULL);
  vc_config_set (config, "bridge", "listen", "127.0.0.1:0");
  vc_config_set (config, "bridge", "secret", SECRET);
  vc_config_set (config, "recordings", "directory", f->rec_dir);
  vc_config_set (config, "recordings", "segment_seconds", "2");
  vc_config_set (config, "recordings", "min_free_mb", min_free_mb);
  f->settings = bridge_settings_load (config, &error);
  g_assert_no_error (error);
  f->server = bridge_server_new (f->settings);
  g_assert_true (bridge_server_listen (f->server, &error));
  f->url = g_strdup (bridge_server_get_url (f->server));
  f->session = soup_session_new ();
  f->watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  fixture_setup_in (f, NULL, "0");
}

static void
remove_tree (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  guint tick;

  if (f->server != NULL)
    bridge_server_shutdown (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->session);
  g_clear_handle_id (&f->watchdog, g_source_remove);
  bridge_settings_free (f->settings);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (vc_media_wait_disposals (10000));
  tick = g_timeout_add (50, on_tick, NULL);
  WAIT_UNTIL (bridge_peer_count_alive () == 0, 10);
  g_source_remove (tick);
  if (g_getenv ("VC_RECORD_KEEP") == NULL)
    remove_tree (f->dir);
  else
    g_test_message ("kept %s", f->dir);
  g_free (f->url);
  g_free (f->dir);
  g_free (f->rec_dir);
}

/* ---- HTTP ---- */

/* the status; *@out_body gets the body; @range, @headers_out optional */
static guint
http_full (const gchar *base, SoupSession *session, const gchar *method, const gchar *path,
           const gchar *auth, const gchar *body, const gchar *range, GBytes **out_body,
           SoupMessageHeaders **out_headers)
{
  return media_test_http (session, base, method, path, auth, body, range, out_body, out_headers);
}

static guint
http (Fixture *f, const gchar *method, const gchar *path, const gchar *auth, const gchar *body,
      gchar **out_text)
{
  return media_test_http_text (f->session, f->url, method, path, auth, body, out_text);
}

static gchar *
room_body (const gchar *id, gboolean record)
{
  return g_strdup_printf (
      "{\"id\":\"%s\",\"participants\":[{\"endpoint\":\"ubnd-tinh\",\"name\":\"UBND tỉnh\"},"
      "{\"endpoint\":\"tinh-uy\",\"name\":\"Tỉnh ủy\"}],\"chair\":\"ubnd-tinh\","
      "\"layout\":\"grid\",\"record\":%s}",
      id, record ? "true" : "false");
}

/* the room's "recording" object, in @parser */
static JsonObject *
room_recording (const gchar *base, SoupSession *session, const gchar *id, JsonParser *parser)
{
  g_autofree gchar *path = g_strconcat ("/rooms/", id, NULL);
  g_autoptr (GBytes) body = NULL;

  g_assert_cmpuint (http_full (base, session, "GET", path, AUTH, NULL, NULL, &body, NULL), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize)g_bytes_get_size (body), NULL));
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "recording");
}

static gchar *
recording_state (Fixture *f, const gchar *id)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  return g_strdup (
      json_object_get_string_member (room_recording (f->url, f->session, id, parser), "state"));
}

static gboolean
recording_state_is (Fixture *f, const gchar *id, const gchar *state)
{
  g_autofree gchar *now = recording_state (f, id);
  return g_strcmp0 (now, state) == 0;
}

static gint64
frames_encoded (Fixture *f, const gchar *id)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  room_recording (f->url, f->session, id, parser);
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                     "frames_encoded");
}

static gint64
recording_segments (const gchar *base, SoupSession *session, const gchar *id)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  return json_object_get_int_member (room_recording (base, session, id, parser), "segments");
}

/* ---- peers ---- */

static const gchar *ice_loopback[] = { "127.0.0.1", NULL };

static VcClientPeer *
start_peer (const gchar *base, const gchar *room, const gchar *endpoint, gdouble tone)
{
  VcJwtClaims c = { .meeting = (gchar *)room,
                    .endpoint = (gchar *)endpoint,
                    .chair = "ubnd-tinh",
                    .exp = vc_time_now () + 600,
                    .iat = vc_time_now () };
  g_autofree gchar *token = vc_jwt_sign (&c, SECRET);
  g_autofree gchar *url = g_strdup_printf ("ws%s/rooms/%s/signal", base + 4, room);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  VcClientPeer *peer;

  s.signal_url = url;
  s.token = token;
  s.ice_addresses = ice_loopback;
  s.width = 320;
  s.height = 180;
  s.video_bitrate_kbps = 200;
  s.tone_hz = tone;
  peer = vc_client_peer_new (&s);
  g_assert_true (vc_client_peer_start (peer, &error));
  g_assert_no_error (error);
  return peer;
}

static gboolean
peer_flowing (VcClientPeer *peer)
{
  VcClientPeerStats s;
  vc_client_peer_get_stats (peer, &s);
  return vc_client_peer_get_state (peer) == VC_CLIENT_PEER_STATE_CONNECTED && s.video_frames >= 3
         && s.audio_buffers >= 25;
}

static guint64
peer_frames (VcClientPeer *peer)
{
  VcClientPeerStats s;
  vc_client_peer_get_stats (peer, &s);
  return s.video_frames;
}

/* A signalling socket that only listens: the last state message it got. */
typedef struct
{
  SoupWebsocketConnection *ws;
  gchar *last_state;
} StateListener;

static void
on_listener_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  StateListener *l = data;
  g_autofree gchar *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));

  if (strstr (text, "\"type\":\"state\"") != NULL)
    {
      g_free (l->last_state);
      l->last_state = g_steal_pointer (&text);
    }
}

static void
on_listener_connected (GObject *source, GAsyncResult *res, gpointer data)
{
  StateListener *l = data;
  g_autoptr (GError) error = NULL;

  l->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &error);
  g_assert_no_error (error);
  g_signal_connect (l->ws, "message", G_CALLBACK (on_listener_message), l);
}

static void
listener_connect (Fixture *f, StateListener *l, const gchar *room, const gchar *endpoint)
{
  VcJwtClaims c = { .meeting = (gchar *)room,
                    .endpoint = (gchar *)endpoint,
                    .chair = "ubnd-tinh",
                    .exp = vc_time_now () + 600,
                    .iat = vc_time_now () };
  g_autofree gchar *token = vc_jwt_sign (&c, SECRET);
  g_autofree gchar *url
      = g_strdup_printf ("ws%s/rooms/%s/signal?token=%s", f->url + 4, room, token);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);

  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_listener_connected, l);
  WAIT_UNTIL (l->ws != NULL, 20);
}

static gboolean
listener_says (StateListener *l, const gchar *needle)
{
  return l->last_state != NULL && strstr (l->last_state, needle) != NULL;
}

/* The recording mark in the composite a participant decodes: red pixels
 * in its top-right corner (the peers send a white ball on black). */
typedef struct
{
  gint red; /* atomic: in the last frame */
} MarkTap;

/* streaming thread (the peer's video decoder) */
static void
on_mark_decoded (VcClientPeer *peer, GstSample *sample, gpointer data)
{
  MarkTap *tap = data;
  GstVideoInfo info;
  GstVideoFrame frame;
  gint red = 0, w, h;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_I420
      || !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return;
  w = GST_VIDEO_FRAME_COMP_WIDTH (&frame, 1);
  h = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, 1);
  for (gint y = 0; y < h / 8; y++)
    for (gint x = w - w / 4; x < w; x++)
      {
        const guint8 *u = GST_VIDEO_FRAME_COMP_DATA (&frame, 1);
        const guint8 *v = GST_VIDEO_FRAME_COMP_DATA (&frame, 2);
        guint8 cu = u[y * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 1) + x];
        guint8 cv = v[y * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 2) + x];
        red += cv > 170 && cu < 110;
      }
  gst_video_frame_unmap (&frame);
  g_atomic_int_set (&tap->red, red);
}

/* ---- what was written ---- */

typedef struct
{
  gint width, height;
  guint64 video_frames;
  GstClockTime first, last; /* over both streams */
  GArray *samples;          /* S16 48 kHz mono */
  gboolean error;
} Decoded;

static void
decoded_note_time (Decoded *d, GstBuffer *buf)
{
  GstClockTime t = GST_BUFFER_PTS (buf), end;

  if (!GST_CLOCK_TIME_IS_VALID (t))
    return;
  end = t + (GST_BUFFER_DURATION_IS_VALID (buf) ? GST_BUFFER_DURATION (buf) : 0);
  if (!GST_CLOCK_TIME_IS_VALID (d->first) || t < d->first)
    d->first = t;
  if (!GST_CLOCK_TIME_IS_VALID (d->last) || end > d->last)
    d->last = end;
}

/* appsink streaming threads; the pipeline is read on the test's thread
 * only after EOS */
static GstFlowReturn
on_decoded_video (GstAppSink *sink, gpointer data)
{
  Decoded *d = data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstStructure *st = gst_caps_get_structure (gst_sample_get_caps (sample), 0);

  gst_structure_get_int (st, "width", &d->width);
  gst_structure_get_int (st, "height", &d->height);
  d->video_frames++;
  decoded_note_time (d, gst_sample_get_buffer (sample));
  return GST_FLOW_OK;
}

static GstFlowReturn
on_decoded_audio (GstAppSink *sink, gpointer data)
{
  Decoded *d = data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buf = gst_sample_get_buffer (sample);
  GstMapInfo map;

  decoded_note_time (d, buf);
  if (gst_buffer_map (buf, &map, GST_MAP_READ))
    {
      g_array_append_vals (d->samples, map.data, map.size / 2);
      gst_buffer_unmap (buf, &map);
    }
  return GST_FLOW_OK;
}

/* Demuxes and decodes @path to its end; FALSE when it does not play (an
 * error before the end of stream). */
static gboolean
decode_segment (const gchar *path, Decoded *d)
{
  g_autofree gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! matroskademux name=d "
      "d.video_0 ! queue ! vp8dec ! appsink name=v sync=false "
      "d.audio_0 ! queue ! opusdec ! audioconvert ! audioresample ! "
      "audio/x-raw,format=S16LE,channels=1,rate=48000 ! appsink name=a sync=false",
      path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr (GstElement) v = NULL, a = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  GstAppSinkCallbacks vcb = { .new_sample = on_decoded_video };
  GstAppSinkCallbacks acb = { .new_sample = on_decoded_audio };

  g_assert_no_error (error);
  v = gst_bin_get_by_name (GST_BIN (pipeline), "v");
  a = gst_bin_get_by_name (GST_BIN (pipeline), "a");
  gst_app_sink_set_callbacks (GST_APP_SINK (v), &vcb, d, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (a), &acb, d, NULL);
  d->first = d->last = GST_CLOCK_TIME_NONE;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) err = NULL;
      gst_message_parse_error (msg, &err, NULL);
      g_test_message ("%s: %s", path, err->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
}

static gdouble
goertzel_power (GArray *samples, guint from, guint n, gdouble freq)
{
  gdouble w = 2.0 * G_PI * freq / 48000.0, c = 2.0 * cos (w), s1 = 0, s2 = 0;

  for (guint i = from; i < from + n; i++)
    {
      gdouble s0 = g_array_index (samples, gint16, i) / 32768.0 + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / ((gdouble)n * n / 4.0);
}

typedef struct
{
  guint segments;
  gdouble seconds;   /* summed over segments */
  gdouble power_440; /* the loudest second of each tone */
  gdouble power_660;
  gint width, height;
  guint64 video_frames;
} Written;

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* every segment of @room, in name order: each must play to its end */
static Written
check_written (const gchar *rec_dir, const gchar *room)
{
  g_autofree gchar *dir_path = g_build_filename (rec_dir, room, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Written w = { 0 };
  const gchar *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *n = *(const gchar **)&g_ptr_array_index (names, i);
      g_autofree gchar *path = g_build_filename (dir_path, n, NULL);
      Decoded d = { 0 };
      gdouble seconds;

      g_assert_true (g_str_has_suffix (n, ".webm"));
      d.samples = g_array_new (FALSE, FALSE, sizeof (gint16));
      if (!decode_segment (path, &d))
        g_error ("segment %s does not play to its end", n);
      seconds = GST_CLOCK_TIME_IS_VALID (d.first) ? (d.last - d.first) / (gdouble)GST_SECOND : 0;
      g_test_message ("%s: %.2f s (%.2f to %.2f), %" G_GUINT64_FORMAT " frames %dx%d, %u samples",
                      n, seconds, d.first / (gdouble)GST_SECOND, d.last / (gdouble)GST_SECOND,
                      d.video_frames, d.width, d.height, d.samples->len);
      g_assert_cmpuint (d.video_frames, >, 0);
      g_assert_cmpuint (d.samples->len, >, 0);
      w.width = d.width;
      w.height = d.height;
      w.video_frames += d.video_frames;
      w.seconds += seconds;
      w.segments++;
      for (guint at = 0; at + 48000 <= d.samples->len; at += 24000)
        {
          w.power_440 = MAX (w.power_440, goertzel_power (d.samples, at, 48000, 440));
          w.power_660 = MAX (w.power_660, goertzel_power (d.samples, at, 48000, 660));
        }
      g_array_unref (d.samples);
    }
  return w;
}

/* ---- tests ---- */

/* A recorded call: every segment plays, lasts what the meeting did, at
 * 1280x720, with both tones in the sound; the room and the metrics say so. */
static void
test_record_call (Fixture *f, gconstpointer data)
{
  g_autofree gchar *body = room_body ("42", TRUE), *off = room_body ("42", FALSE);
  g_autofree gchar *metrics = NULL, *list = NULL;
  g_autoptr (VcClientPeer) a = NULL, b = NULL;
  gint64 started, stopped;
  Written w;

  /* the room is opened before the meeting; the recording starts with a
   * re-post, once the composite runs */
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, off, NULL), ==, 201);
  g_assert_true (recording_state_is (f, "42", "off"));
  WAIT_UNTIL (frames_encoded (f, "42") > 0, 30);
  started = g_get_monotonic_time ();
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, body, NULL), ==, 200);
  g_assert_true (recording_state_is (f, "42", "recording"));
  a = start_peer (f->url, "42", "ubnd-tinh", 440);
  b = start_peer (f->url, "42", "tinh-uy", 660);
  WAIT_UNTIL (peer_flowing (a) && peer_flowing (b), 60);
  g_assert_cmpuint (http (f, "GET", "/metrics", AUTH, NULL, &metrics), ==, 200);
  g_assert_nonnull (strstr (metrics, "vc_bridge_recordings_active 1\n"));
  g_assert_nonnull (strstr (metrics, "vc_bridge_rooms 1\n"));
  g_assert_nonnull (strstr (metrics, "vc_bridge_participants_connected 2\n"));
  /* a layout change and a leave during the recording */
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"layout\",\"layout\":\"speaker\"}", NULL),
                    ==, 200);
  media_test_run_for (3000);
  vc_client_peer_stop (b);
  media_test_run_for (3000);
  /* the listing marks the segment being written */
  g_assert_cmpuint (http (f, "GET", "/recordings?room=42", AUTH, NULL, &list), ==, 200);
  g_assert_nonnull (strstr (list, "\"complete\":false"));
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, off, NULL), ==, 200);
  stopped = g_get_monotonic_time ();
  g_assert_true (recording_state_is (f, "42", "off"));
  /* the last segment is finished off the main thread */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    g_free (list);
    list = NULL;
    while (g_get_monotonic_time () < end)
      {
        g_free (list);
        http (f, "GET", "/recordings?room=42", AUTH, NULL, &list);
        if (strstr (list, "\"complete\":false") == NULL)
          break;
        media_test_run_for (100);
      }
    g_assert_null (strstr (list, "\"complete\":false"));
  }
  w = check_written (f->rec_dir, "42");
  g_test_message ("%u segments, %.2f s of %.2f s; 440 Hz %.2e, 660 Hz %.2e", w.segments, w.seconds,
                  (stopped - started) / 1e6, w.power_440, w.power_660);
  g_assert_cmpuint (w.segments, >=, 3); /* 2 s segments */
  g_assert_cmpfloat (fabs (w.seconds - (stopped - started) / 1e6), <=, 1.0);
  g_assert_cmpint (w.width, ==, 1280);
  g_assert_cmpint (w.height, ==, 720);
  /* the tones are at 0.3 of full scale (power about 0.09 in the mix) */
  g_assert_cmpfloat (w.power_440, >, 0.01);
  g_assert_cmpfloat (w.power_660, >, 0.01);
  vc_client_peer_stop (a);
}

/* Pausing closes the segment: the time paused is missing from the files,
 * and the state says paused; pause and resume out of turn are 409. */
static void
test_record_pause (Fixture *f, gconstpointer data)
{
  g_autofree gchar *body = room_body ("7", TRUE), *off = room_body ("7", FALSE);
  g_autoptr (VcClientPeer) a = NULL;
  StateListener listener = { 0 };
  static MarkTap mark; /* static: a late emission never writes a dead frame */
  gint64 started, stopped, paused, resumed, segments;
  Written w;

  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, off, NULL), ==, 201);
  a = start_peer (f->url, "7", "ubnd-tinh", 440);
  g_signal_connect (a, "video-decoded", G_CALLBACK (on_mark_decoded), &mark);
  WAIT_UNTIL (peer_flowing (a), 60);
  g_assert_cmpint (g_atomic_int_get (&mark.red), <, 5); /* no mark before recording */
  /* the other participant only listens to its state messages */
  listener_connect (f, &listener, "7", "tinh-uy");
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, body, NULL), ==, 200);
  /* the recording and its resumption begin at a keyframe: timed from the
   * segments they open (test_record_call times the start from the POST) */
  WAIT_UNTIL (recording_segments (f->url, f->session, "7") >= 1, 30);
  started = g_get_monotonic_time ();
  WAIT_UNTIL (listener_says (&listener, "\"recording\":true"), 10);
  WAIT_UNTIL (g_atomic_int_get (&mark.red) > 40, 10); /* the red dot */
  /* pause half-way through the second 2 s segment, not on the boundary: a
   * pause within a frame of a new segment leaves that segment a single
   * video frame and no audio (docs/bridge.md, Known limits) */
  media_test_run_for (2500);
  g_assert_cmpuint (
      http (f, "POST", "/rooms/7/control", AUTH, "{\"action\":\"record_resume\"}", NULL), ==, 409);
  g_assert_cmpuint (
      http (f, "POST", "/rooms/7/control", AUTH, "{\"action\":\"record_pause\"}", NULL), ==, 200);
  paused = g_get_monotonic_time ();
  g_assert_true (recording_state_is (f, "7", "paused"));
  WAIT_UNTIL (listener_says (&listener, "\"recording\":false"), 10);
  WAIT_UNTIL (g_atomic_int_get (&mark.red) < 5, 10);
  g_assert_cmpuint (
      http (f, "POST", "/rooms/7/control", AUTH, "{\"action\":\"record_pause\"}", NULL), ==, 409);
  media_test_run_for (4000);
  segments = recording_segments (f->url, f->session, "7");
  g_assert_cmpuint (
      http (f, "POST", "/rooms/7/control", AUTH, "{\"action\":\"record_resume\"}", NULL), ==, 200);
  g_assert_true (recording_state_is (f, "7", "recording"));
  WAIT_UNTIL (recording_segments (f->url, f->session, "7") > segments, 30);
  resumed = g_get_monotonic_time ();
  WAIT_UNTIL (listener_says (&listener, "\"recording\":true"), 10);
  WAIT_UNTIL (g_atomic_int_get (&mark.red) > 40, 10);
  media_test_run_for (3000);
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, off, NULL), ==, 200);
  stopped = g_get_monotonic_time ();
  media_test_run_for (1500); /* the last segment finished (its EOS) */
  w = check_written (f->rec_dir, "7");
  g_test_message ("%u segments, %.2f s recorded over %.2f s, %.2f s paused", w.segments, w.seconds,
                  (stopped - started) / 1e6, (resumed - paused) / 1e6);
  g_assert_cmpuint (w.segments, >=, 2);
  /* the time paused (at least 4 s) is missing, give or take a second */
  g_assert_cmpfloat ((resumed - paused) / 1e6, >=, 4.0);
  g_assert_cmpfloat (fabs (w.seconds - (stopped - started - (resumed - paused)) / 1e6), <=, 1.0);
  g_signal_handlers_disconnect_by_data (a, &mark);
  vc_client_peer_stop (a);
  soup_websocket_connection_close (listener.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&listener.ws);
  g_free (listener.last_state);
}

static void
write_file (const gchar *path, gsize size)
{
  g_autofree gchar *data = g_malloc (size);
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (gchar)(i % 251);
  g_assert_true (g_file_set_contents (path, data, (gssize)size, &error));
}

static guint64 metric (Fixture *f, const gchar *line_start);

/* Clear 4xx answers; nothing outside the recordings folder is reachable. */
static void
test_record_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree gchar *room_dir = g_build_filename (f->rec_dir, "9", NULL);
  g_autofree gchar *seg = g_build_filename (room_dir, "20261203T140000Z-0001.webm", NULL);
  g_autofree gchar *outside = g_build_filename (f->dir, "secret.webm", NULL);
  g_autofree gchar *body = room_body ("9", FALSE), *text = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  const gchar *const bad_paths[] = {
    "/recordings/9/..%2f..%2fsecret.webm",
    "/recordings/9/%2e%2e",
    "/recordings/..%2f9/20261203T140000Z-0001.webm",
    "/recordings/9/20261203T140000Z-0001.webm%00",
    "/recordings/9/20261203T140000Z-0001.webm.x",
    "/recordings/9/secret.webm",
    "/recordings/9/a/b",
    "/recordings/9%2f../20261203T140000Z-0001.webm",
    "/recordings/"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "/20261203T140000Z-0001.webm",
    "/recordings/9/20261203T140000Z-000000000000000000000000000000000000000000000000001.webm",
  };

  g_assert_cmpuint (g_mkdir_with_parents (room_dir, 0700), ==, 0);
  write_file (seg, 1000);
  write_file (outside, 10);
  /* control API */
  g_assert_cmpuint (
      http (f, "POST", "/rooms/nope/control", AUTH, "{\"action\":\"record_pause\"}", NULL), ==,
      404);
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, body, NULL), ==, 201);
  g_assert_cmpuint (
      http (f, "POST", "/rooms/9/control", AUTH, "{\"action\":\"record_pause\"}", &text), ==, 409);
  g_assert_nonnull (strstr (text, "\"not_recording\""));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (
      http (f, "POST", "/rooms/9/control", AUTH, "{\"action\":\"record_resume\"}", NULL), ==, 409);
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH,
                          "{\"id\":\"9\",\"participants\":[],\"record\":\"yes\"}", NULL),
                    ==, 422);
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH,
                          "{\"id\":\"a.b\",\"participants\":[],\"record\":true}", NULL),
                    ==, 422);
  g_assert_true (recording_state_is (f, "9", "off"));
  /* a room whose folder cannot be made still opens: its recording fails */
  {
    g_autofree gchar *blocker = g_build_filename (f->rec_dir, "13", NULL);
    g_autofree gchar *thirteen = room_body ("13", TRUE);
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *rec;

    write_file (blocker, 1);
    g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, thirteen, NULL), ==, 201);
    rec = room_recording (f->url, f->session, "13", parser);
    g_assert_cmpstr (json_object_get_string_member (rec, "state"), ==, "failed");
    g_assert_nonnull (strstr (json_object_get_string_member (rec, "error"), "13"));
    g_assert_cmpuint (metric (f, "vc_bridge_recording_failures_total{reason=\"write_error\"} "), ==,
                      1);
  }
  /* the Bearer secret */
  g_assert_cmpuint (http (f, "GET", "/recordings?room=9", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (
      http (f, "GET", "/recordings/9/20261203T140000Z-0001.webm", "Bearer wrong", NULL, NULL), ==,
      401);
  g_assert_cmpuint (http (f, "GET", "/metrics", NULL, NULL, NULL), ==, 401);
  /* the listing */
  g_assert_cmpuint (http (f, "GET", "/recordings?room=..", AUTH, NULL, NULL), ==, 400);
  g_assert_cmpuint (http (f, "GET", "/recordings", AUTH, NULL, NULL), ==, 400);
  g_assert_cmpuint (http (f, "GET", "/recordings?room=404", AUTH, NULL, &text), ==, 200);
  g_assert_cmpstr (text, ==, "{\"recordings\":[]}");
  g_free (text);
  g_assert_cmpuint (http (f, "GET", "/recordings?room=9", AUTH, NULL, &text), ==, 200);
  g_assert_nonnull (strstr (text, "\"name\":\"20261203T140000Z-0001.webm\",\"bytes\":1000"));
  g_assert_nonnull (strstr (text, "\"started_at\":\"2026-12-03T14:00:00Z\",\"complete\":true"));
  /* path tricks */
  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      guint status = http (f, "GET", bad_paths[i], AUTH, NULL, NULL);
      g_test_message ("%s: %u", bad_paths[i], status);
      g_assert_true (status == 400 || status == 404);
    }
  g_assert_cmpuint (http (f, "GET", "/recordings/9/20261203T140000Z-0002.webm", AUTH, NULL, NULL),
                    ==, 404);
  /* the file, whole and in ranges */
  g_assert_cmpuint (http_full (f->url, f->session, "GET",
                               "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL, NULL, &bytes,
                               &headers),
                    ==, 200);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 1000);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "video/webm");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept-Ranges"), ==, "bytes");
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  g_assert_cmpuint (http_full (f->url, f->session, "GET",
                               "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL,
                               "bytes=10-19", &bytes, &headers),
                    ==, 206);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 10);
  g_assert_cmpint (((const guint8 *)g_bytes_get_data (bytes, NULL))[0], ==, 10);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Range"), ==, "bytes 10-19/1000");
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  g_assert_cmpuint (http_full (f->url, f->session, "GET",
                               "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL, "bytes=-100",
                               &bytes, NULL),
                    ==, 206);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 100);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_cmpuint (http_full (f->url, f->session, "GET",
                               "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL,
                               "bytes=1000-", NULL, &headers),
                    ==, 416);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Range"), ==, "bytes */1000");
  g_clear_pointer (&headers, soup_message_headers_unref);
  g_assert_cmpuint (http_full (f->url, f->session, "GET",
                               "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL, "bytes=abc",
                               NULL, NULL),
                    ==, 400);
  g_assert_cmpuint (http_full (f->url, f->session, "GET",
                               "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL,
                               "bytes=20-10", NULL, NULL),
                    ==, 400);
  /* delete, once */
  g_assert_cmpuint (
      http (f, "DELETE", "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL, NULL), ==, 204);
  g_assert_false (g_file_test (seg, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (
      http (f, "DELETE", "/recordings/9/20261203T140000Z-0001.webm", AUTH, NULL, NULL), ==, 404);
  g_assert_cmpuint (http (f, "DELETE", "/recordings/9/..%2fsecret.webm", AUTH, NULL, NULL), ==,
                    400);
  g_assert_true (g_file_test (outside, G_FILE_TEST_EXISTS));
}

/* ---- the disk fills up ---- */

static guint64
metric (Fixture *f, const gchar *line_start)
{
  g_autofree gchar *text = NULL;
  const gchar *at;

  g_assert_cmpuint (http (f, "GET", "/metrics", AUTH, NULL, &text), ==, 200);
  at = strstr (text, line_start);
  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (line_start), NULL, 10);
}

/* A 1 MiB tmpfs in a mount namespace of this process (root only): the
 * recording fails with "disk_full", the metric counts it, the peers keep
 * receiving media. */
static void
test_record_disk_full (Fixture *f, gconstpointer data)
{
  g_autofree gchar *body = room_body ("5", TRUE);
  g_autoptr (VcClientPeer) a = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *rec;
  guint64 frames;

  guint64 failures;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root for a private tmpfs (CI runs tests as root)");
      return;
    }
  failures = metric (f, "vc_bridge_recording_failures_total{reason=\"disk_full\"} ");
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, body, NULL), ==, 201);
  a = start_peer (f->url, "5", "ubnd-tinh", 440);
  WAIT_UNTIL (peer_flowing (a), 60);
  WAIT_UNTIL (recording_state_is (f, "5", "failed"), 60);
  rec = room_recording (f->url, f->session, "5", parser);
  g_assert_cmpstr (json_object_get_string_member (rec, "error"), ==, "disk_full");
  g_assert_cmpuint (metric (f, "vc_bridge_recording_failures_total{reason=\"disk_full\"} "), ==,
                    failures + 1);
  g_assert_cmpuint (metric (f, "vc_bridge_recordings_active "), ==, 0);
  /* the meeting goes on */
  frames = peer_frames (a);
  WAIT_UNTIL (peer_frames (a) > frames + 30, 20);
  g_assert_cmpuint (vc_client_peer_get_state (a), ==, VC_CLIENT_PEER_STATE_CONNECTED);
  if (data != NULL) /* stopped at min_free_mb, before the disk was full */
    {
      g_autoptr (GFile) dir = g_file_new_for_path (f->rec_dir);
      g_autoptr (GFileInfo) info
          = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
      guint64 left = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
      g_test_message ("%" G_GUINT64_FORMAT " bytes left", left);
      g_assert_cmpuint (left, >, 2 * 1024 * 1024);
      g_assert_cmpuint (left, <, 3 * 1024 * 1024);
    }
  vc_client_peer_stop (a);
}

static void
fixture_setup_tmpfs (Fixture *f, gconstpointer data)
{
  g_autofree gchar *mnt = NULL;

  if (geteuid () != 0)
    {
      fixture_setup (f, data);
      return;
    }
  mnt = g_dir_make_tmp ("vc-record-tmpfs-XXXXXX", NULL);
  g_assert_nonnull (mnt);
  /* @data "min_free": 4 MiB, recording to stop below 3 MiB free */
  if (mount ("tmpfs", mnt, "tmpfs", 0, data ? "size=4m" : "size=1m") != 0)
    g_error ("cannot mount a tmpfs: %s", g_strerror (errno));
  fixture_setup_in (f, mnt, data ? "3" : "0");
}

static void
fixture_teardown_tmpfs (Fixture *f, gconstpointer data)
{
  g_autofree gchar *mnt = g_strdup (f->rec_dir);

  fixture_teardown (f, data);
  if (geteuid () == 0)
    {
      umount (mnt);
      g_rmdir (mnt);
    }
}

/* ---- kill -9 ---- */

typedef struct
{
  gchar *line;
  gboolean done;
} LineResult;

static void
on_line (GObject *source, GAsyncResult *res, gpointer data)
{
  LineResult *r = data;

  r->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), res, NULL, NULL);
  r->done = TRUE;
}

/* A vc-bridge process records a call and is killed with SIGKILL: every
 * segment it left plays to where it stops, and together they cover all but
 * the last few seconds. */
static void
test_record_kill (Fixture *f, gconstpointer data)
{
  g_autofree gchar *config = g_build_filename (f->dir, "bridge.ini", NULL);
  g_autofree gchar *rec_dir = g_build_filename (f->dir, "killed", NULL);
  g_autofree gchar *ini = g_strdup_printf ("[bridge]\nlisten=127.0.0.1:0\nsecret=%s\n"
                                           "[ice]\naddresses=127.0.0.1\n"
                                           "[recordings]\ndirectory=%s\nsegment_seconds=2\n"
                                           "min_free_mb=0\n",
                                           SECRET, rec_dir);
  g_autofree gchar *exe = g_build_filename (g_getenv ("VC_BUILD_DIR"), "media", "vc-bridge", NULL);
  g_autofree gchar *body = room_body ("31", TRUE), *off = room_body ("31", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (VcClientPeer) a = NULL;
  LineResult line = { 0 };
  const gchar *url;
  gint64 started, killed;
  Written w;

  g_assert_nonnull (g_getenv ("VC_BUILD_DIR"));
  g_assert_true (g_file_set_contents (config, ini, -1, NULL));
  {
    g_autoptr (GSubprocessLauncher) launcher
        = media_test_child_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    child = g_subprocess_launcher_spawn (launcher, &error, exe, "--config", config, NULL);
  }
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  WAIT_UNTIL (line.done, 30);
  g_assert_nonnull (line.line);
  g_assert_true (g_str_has_prefix (line.line, "vc-bridge listening on "));
  url = line.line + strlen ("vc-bridge listening on ");
  g_assert_cmpuint (http_full (url, f->session, "POST", "/rooms", AUTH, off, NULL, NULL, NULL), ==,
                    201);
  a = start_peer (url, "31", "ubnd-tinh", 440);
  WAIT_UNTIL (peer_flowing (a), 60);
  g_assert_cmpuint (http_full (url, f->session, "POST", "/rooms", AUTH, body, NULL, NULL, NULL), ==,
                    200);
  /* from the first segment on (the recording waits for a keyframe; what
   * is asserted here is what the kill loses at the end) */
  WAIT_UNTIL (recording_segments (url, f->session, "31") >= 1, 30);
  started = g_get_monotonic_time ();
  WAIT_UNTIL (recording_segments (url, f->session, "31") >= 4, 60);
  media_test_run_for (1000); /* into the fourth segment */
  g_subprocess_send_signal (child, SIGKILL);
  killed = g_get_monotonic_time ();
  g_subprocess_wait (child, NULL, NULL);
  vc_client_peer_stop (a);
  w = check_written (rec_dir, "31");
  g_test_message ("after kill -9: %u segments, %.2f s of %.2f s", w.segments, w.seconds,
                  (killed - started) / 1e6);
  g_assert_cmpuint (w.segments, >=, 4);
  /* all but the last 2 s (the last cluster, the file's buffer) */
  g_assert_cmpfloat (w.seconds, >=, (killed - started) / 1e6 - 2.0);
  g_assert_cmpint (w.width, ==, 1280);
  g_assert_cmpfloat (w.power_440, >, 0.01);
  g_free (line.line);
}

int
main (int argc, char **argv)
{
  /* As root, the process gets mounts of its own before it has any thread
   * (a namespace is per thread, and GStreamer's pooled streaming threads
   * outlive a test): the disk-full test mounts its tmpfs there, and
   * nothing on the host changes. */
  if (geteuid () == 0
      && (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0))
    {
      g_printerr ("cannot make a private mount namespace: %s\n", g_strerror (errno));
      return 1;
    }
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/bridge/record/bad-input", Fixture, NULL, fixture_setup, test_record_bad_input,
              fixture_teardown);
  g_test_add ("/bridge/record/call", Fixture, NULL, fixture_setup, test_record_call,
              fixture_teardown);
  g_test_add ("/bridge/record/pause", Fixture, NULL, fixture_setup, test_record_pause,
              fixture_teardown);
  g_test_add ("/bridge/record/kill-9", Fixture, NULL, fixture_setup, test_record_kill,
              fixture_teardown);
  g_test_add ("/bridge/record/disk-full", Fixture, NULL, fixture_setup_tmpfs, test_record_disk_full,
              fixture_teardown_tmpfs);
  g_test_add ("/bridge/record/min-free", Fixture, "min_free", fixture_setup_tmpfs,
              test_record_disk_full, fixture_teardown_tmpfs);
  return g_test_run ();
}
