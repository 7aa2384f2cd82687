/* vc-bridge-load.c — load generator and meter for the bridge benchmark.
 *
 *   vc-bridge-load --url http://127.0.0.1:PORT --secret S --pid BRIDGE_PID
 *                  --participants N [--seconds 30] [--clips DIR]
 *                  [--record-pairs K]
 *
 * Creates room "bench" with N participants, then N-1 lightweight peers send a
 * pre-encoded 360p15 VP8 + Opus clip (no encoding; as rooms do, they hold
 * their video while the bridge does not show them and switch to a 180p copy
 * of the clip while their tile is that small) and count what comes back
 * without decoding it (video frames are counted from the clear RTP header and
 * dropped before decryption); one probe peer decodes the mix to detect the click
 * that the first sender injects every 2 s (mouth-to-ear through the bridge,
 * without capture/playback devices). After everybody has a first frame it
 * measures for --seconds: bridge CPU (from /proc/PID/stat), RSS, output
 * frame rate, audio gaps, connect-to-first-frame and click latency, and
 * prints one JSON line.
 *
 * Join storm (bench/media/run-join-storm.sh): --join-within MS starts the N
 * participants evenly within MS (default one every 50 ms) and reports the
 * time from each one's signalling WebSocket opening to its first composite
 * frame (open_first_frame_ms_median/_p95/_max) and how long the opens took
 * (join_span_ms).
 *
 * Loss (bench/media/run-loss-bench.sh):
 *
 *   ... --netem SPEC [--decode] [--live-video] [--outage-at S --outage-seconds 3]
 *
 * --netem puts every participant's link on an emulated lossy network, both
 * ways (media/vc-netem.h: "loss=5,packets=media", "jitter=100", ...).
 * --decode makes every participant a real receiver (jitter buffer with
 * NACK, depayloader asking for keyframes, VP8 and Opus decoders): decoded
 * frame rate, freezes over 1 s and the longest interval between decoded
 * frames at the receivers; the same for the senders' tiles at the bridge
 * (frames handed to the tile's decoder, polled every 100 ms); audio holes
 * over 100 ms in what reaches the receivers' decoders and the bridge's;
 * connection → first decoded frame. --live-video sends live-encoded test
 * video (as a room agent does) instead of the clips, so that a keyframe
 * request is answered at once rather than at the clip's next keyframe
 * (one a second). --outage-at cuts participant 1's link both ways S
 * seconds into the window for --outage-seconds and measures how long after
 * its end the composite is decoded there again and its tile at the bridge
 * is fed again; that participant is left out of the freeze figures.
 *
 * Audio only, and Janus (bench/media/run-janus-compare.sh):
 *
 *   ... --audio-only [--janus ws://127.0.0.1:PORT/ --janus-room ID]
 *
 * --audio-only: the participants send no video and only count the video a
 * server sends them (dropped before decryption); readiness is every
 * participant's first audio packet instead of its first frame, and the
 * first participant (the one that clicks) decodes its audio too, so that
 * "self_clicks_heard" says whether the mix it gets contains its own voice
 * (it must not: each participant receives the mix without itself).
 * --janus: the server is a Janus AudioBridge room (--pid is Janus' process):
 * the participants join it through vc-janus-adapter.h; there is no room to
 * post and no server counters to read (--url and --secret are not needed),
 * so the gap figures are the receivers' own. */
#include "vc-client-peer.h"
#include "vc-janus-adapter.h"
#include "vc-jwt.h"
#include "vc-netem.h"
#include "vc-time.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Recording (bench/media/run-record-bench.sh): --record-pairs K measures
 * 2K windows of --seconds, the room posted with recording off, then on,
 * alternating: the bridge's CPU in each and the bytes the recording wrote
 * (the room's recording.bytes), one JSON line per window. */

/* A sender's tile at the bridge (frames_shown, polled): the longest time
 * it stood still during the window and how often that exceeded 1 s. */
typedef struct
{
  gint64 frames, changed_us, longest_us;
  guint freezes;
  gboolean frozen; /* the current still period has been counted */
} TileWatch;

typedef struct
{
  gchar *url, *secret, *clips, *netem;
  gint pid, n, seconds;
  gint join_within_ms; /* all N join within this (a join storm); 0: one every 50 ms */
  gboolean decode, live_video;
  gdouble outage_at, outage_seconds;
  GPtrArray *peers;
  gint64 *connected_us; /* per peer: when it reached CONNECTED */
  VcClientPeer *probe, *clicker;
  GArray *click_ms;
  gint64 last_sent, last_heard;
  guint64 self_ticks; /* the load generator's own CPU in the window */
  /* loss mode */
  TileWatch *tiles;     /* per peer, during the window */
  gboolean watching;    /* the window is on: tiles are polled */
  gint64 outage_end_us; /* 0: no outage (yet) */
  gint64 outage_frames; /* the outaged peer's decoded frames when its outage ended */
  gint64 outage_tile_frames;
  gdouble recovery_rx_ms, recovery_tile_ms; /* -1 until seen */
  gint record_pairs;   /* --record-pairs: windows with recording off and on, alternating */
  gboolean audio_only; /* --audio-only: no video sent; ready at the first audio packet */
  gchar *janus;        /* --janus: Janus' WebSocket URL, or NULL for our bridge */
  gint64 janus_room;
  VcJanusAdapter *adapter;
  gint64 self_last_heard; /* audio-only: the clicker's own click heard back */
  guint self_clicks;
} Bench;

static gboolean
read_cpu_ticks (gint pid, guint64 *ticks)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%d/stat", pid), *text = NULL;
  g_auto (GStrv) f = NULL;
  const gchar *close;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (close = strrchr (text, ')')) == NULL)
    return FALSE;
  f = g_strsplit (close + 2, " ", 0); /* f[0] = state (field 3) */
  if (g_strv_length (f) < 13)
    return FALSE;
  *ticks = g_ascii_strtoull (f[11], NULL, 10) + g_ascii_strtoull (f[12], NULL, 10);
  return TRUE;
}

static guint64
read_rss_kb (gint pid)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%d/status", pid), *text = NULL;
  const gchar *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + 6, NULL, 10);
}

static gboolean
on_elapsed (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_elapsed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static guint
http_post (const gchar *url, const gchar *secret, const gchar *body)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autofree gchar *auth = g_strdup_printf ("Bearer %s", secret);
  g_autoptr (GBytes) reply = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  return soup_message_get_status (msg);
}

typedef struct
{
  gint64 frames_encoded, late_ticks, underruns, send_gaps, mix_in_gaps, encoder_gaps;
  gint64 skipped_ticks, resyncs, input_gaps, keyframes;
  gdouble send_max_ms;
} BridgeCounters;

/* "bench-07" → 7, or -1 */
static gint
endpoint_index (const gchar *endpoint)
{
  gchar *end = NULL;
  gint64 i;

  if (endpoint == NULL || !g_str_has_prefix (endpoint, "bench-"))
    return -1;
  i = g_ascii_strtoll (endpoint + 6, &end, 10);
  return end != endpoint + 6 && *end == '\0' ? (gint)i : -1;
}

/* GET /rooms/bench: the bridge's own view (encoded frames, mixer ticks that
 * ran late, participants' input underruns); with @frames_shown (one per
 * participant), the frames each sender's tile has been given. With an
 * outage, the participant whose link is cut is left out of the sums. */
static void
bridge_counters (Bench *b, BridgeCounters *out, gint64 *frames_shown)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree gchar *url = g_strdup_printf ("%s/rooms/bench", b->url);
  g_autofree gchar *auth = g_strdup_printf ("Bearer %s", b->secret);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *room;
  JsonArray *list;

  memset (out, 0, sizeof *out);
  if (b->janus != NULL)
    return; /* Janus: no such counters */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  if (reply == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                      g_bytes_get_size (reply), NULL))
    return;
  room = json_node_get_object (json_parser_get_root (parser));
  out->frames_encoded = json_object_get_int_member_with_default (room, "frames_encoded", 0);
  out->late_ticks = json_object_get_int_member_with_default (room, "mixer_late_ticks", 0);
  out->encoder_gaps = json_object_get_int_member_with_default (room, "mixer_encoder_gaps", 0);
  out->skipped_ticks = json_object_get_int_member_with_default (room, "mixer_skipped_ticks", 0);
  out->resyncs = json_object_get_int_member_with_default (room, "audio_timeline_resyncs", 0);
  out->keyframes = json_object_get_int_member_with_default (room, "keyframes_sent", 0);
  list = json_object_get_array_member (room, "participants");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      gint k = endpoint_index (json_object_get_string_member_with_default (p, "endpoint", NULL));
      if (frames_shown != NULL && k >= 0 && k < b->n)
        frames_shown[k] = json_object_get_int_member_with_default (p, "frames_shown", 0);
      if (b->outage_seconds > 0 && k == 1)
        continue; /* its link is cut on purpose: its input is not counted */
      out->underruns += json_object_get_int_member_with_default (p, "audio_underruns", 0);
      out->send_gaps += json_object_get_int_member_with_default (p, "audio_send_gaps", 0);
      out->mix_in_gaps += json_object_get_int_member_with_default (p, "audio_mix_in_gaps", 0);
      out->input_gaps += json_object_get_int_member_with_default (p, "audio_input_gaps", 0);
      out->send_max_ms = MAX (
          out->send_max_ms, json_object_get_double_member_with_default (p, "audio_send_max_ms", 0));
    }
}

static gchar *
endpoint_name (gint i)
{
  return g_strdup_printf ("bench-%02d", i);
}

static void
post_room (Bench *b, gboolean record)
{
  g_autoptr (GString) body
      = g_string_new ("{\"id\":\"bench\",\"layout\":\"grid\",\"chair\":\"bench-00\","
                      "\"participants\":[");
  g_autofree gchar *url = NULL;

  if (b->janus != NULL)
    return; /* the AudioBridge room is in Janus' configuration */
  url = g_strdup_printf ("%s/rooms", b->url);
  for (gint i = 0; i < b->n; i++)
    g_string_append_printf (body, "%s{\"endpoint\":\"bench-%02d\",\"name\":\"Huyện %02d\"}",
                            i ? "," : "", i, i);
  g_string_append_printf (body, "],\"record\":%s}", record ? "true" : "false");
  if (http_post (url, b->secret, body->str) / 100 != 2)
    g_error ("cannot post the bench room at %s", url);
}

/* the bench room's recording.bytes */
static gint64
recording_bytes (Bench *b)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree gchar *url = g_strdup_printf ("%s/rooms/bench", b->url);
  g_autofree gchar *auth = g_strdup_printf ("Bearer %s", b->secret);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *room;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  if (reply == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                      g_bytes_get_size (reply), NULL))
    return 0;
  room = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (room, "recording"))
    return 0;
  return json_object_get_int_member_with_default (json_object_get_object_member (room, "recording"),
                                                  "bytes", 0);
}

/* @video_height: 360 or 180 (16:9 VP8), 0 for the Opus clip */
static VcMediaClip *
clip (Bench *b, const gchar *name, guint video_height, guint click_period)
{
  g_autofree gchar *path = g_build_filename (b->clips, name, NULL);
  g_autoptr (GError) error = NULL;
  VcMediaClip *c = vc_media_clip_load (path, NULL);

  if (c != NULL)
    return c;
  c = video_height
          ? vc_media_clip_encode_video (video_height * 16 / 9, video_height, 15, 10, &error)
          : vc_media_clip_encode_audio (440, 0.01, 10, click_period, &error);
  if (c == NULL)
    g_error ("encoding %s: %s", name, error->message);
  g_mkdir_with_parents (b->clips, 0755);
  vc_media_clip_save (c, path, NULL);
  return c;
}

static VcClientPeer *
start_peer (Bench *b, gint i, VcMediaClip *video, VcMediaClip *video_half, VcMediaClip *audio,
            VcClientPeerOutput output)
{
  static const gchar *loopback[] = { "127.0.0.1", NULL };
  g_autofree gchar *endpoint = endpoint_name (i);
  VcJwtClaims claims = { .meeting = "bench", .endpoint = endpoint, .exp = vc_time_now () + 3600 };
  g_autofree gchar *token = b->janus ? g_strdup (endpoint) : vc_jwt_sign (&claims, b->secret);
  g_autofree gchar *signal_url = b->janus ? g_strdup (vc_janus_adapter_get_signal_url (b->adapter))
                                          : g_strdup_printf ("ws%s/rooms/bench/signal", b->url + 4);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  VcClientPeer *peer;

  s.signal_url = signal_url;
  s.token = token;
  s.ice_addresses = loopback;
  if (b->audio_only)
    s.video_source = "none";
  else if (b->live_video)
    s.video_source = "test"; /* encoded live (640x360, 500 kbit/s): keyframes on request */
  else
    {
      s.video_clip = video;
      s.video_clip_half = video_half; /* sent while its tile is that small, as rooms do */
    }
  s.audio_clip = audio;
  s.output = output;
  s.netem = b->netem;
  /* N participants in one process on the bridge's own cores: raising their
   * audio threads would put the harness ahead of the bridge it measures */
  s.audio_priority = VC_MEDIA_THREAD_NORMAL;
  peer = vc_client_peer_new (&s);
  if (!vc_client_peer_start (peer, &error))
    g_error ("peer %d: %s", i, error->message);
  return peer;
}

static gboolean
all_have_frames (Bench *b)
{
  for (guint i = 0; i < b->peers->len; i++)
    {
      VcClientPeerStats s;
      vc_client_peer_get_stats (g_ptr_array_index (b->peers, i), &s);
      if (b->audio_only ? s.audio_buffers == 0 : s.first_frame_us == 0)
        return FALSE;
    }
  return TRUE;
}

/* main thread (the peer's state changes hop there) */
static void
on_peer_state (VcClientPeer *peer, guint state, gpointer data)
{
  Bench *b = data;

  for (guint i = 0; i < b->peers->len; i++)
    if (g_ptr_array_index (b->peers, i) == peer && state == VC_CLIENT_PEER_STATE_CONNECTED
        && b->connected_us[i] == 0)
      b->connected_us[i] = g_get_monotonic_time ();
}

/* main thread, every 5 ms: pairs clicks sent with clicks heard */
static gboolean
on_click_poll (gpointer data)
{
  Bench *b = data;
  VcClientPeerStats sent, heard;

  vc_client_peer_get_stats (b->clicker, &sent);
  vc_client_peer_get_stats (b->probe, &heard);
  if (sent.last_click_heard_us != b->self_last_heard)
    {
      b->self_last_heard = sent.last_click_heard_us; /* its own click, back in its mix */
      b->self_clicks++;
    }
  if (sent.last_click_sent_us != b->last_sent)
    b->last_sent = sent.last_click_sent_us;
  if (heard.last_click_heard_us != b->last_heard)
    {
      b->last_heard = heard.last_click_heard_us;
      gint64 d = b->last_heard - b->last_sent;
      if (b->last_sent != 0 && d > 0 && d < G_USEC_PER_SEC)
        {
          gdouble ms = d / 1000.0;
          g_array_append_val (b->click_ms, ms);
        }
    }
  return G_SOURCE_CONTINUE;
}

/* main thread, every 100 ms during the window: each sender's tile at the
 * bridge, and the outaged participant's tile after its outage */
static gboolean
on_tile_poll (gpointer data)
{
  Bench *b = data;
  g_autofree gint64 *frames = g_new0 (gint64, b->n);
  BridgeCounters c;
  gint64 now;

  if (!b->watching)
    return G_SOURCE_CONTINUE;
  bridge_counters (b, &c, frames);
  now = g_get_monotonic_time ();
  for (gint i = 0; i < b->n; i++)
    {
      TileWatch *w = &b->tiles[i];
      if (frames[i] != w->frames)
        {
          w->frames = frames[i];
          w->changed_us = now;
          w->frozen = FALSE;
        }
      w->longest_us = MAX (w->longest_us, now - w->changed_us);
      if (!w->frozen && now - w->changed_us > G_USEC_PER_SEC)
        {
          w->freezes++;
          w->frozen = TRUE;
        }
    }
  if (b->outage_end_us != 0 && now >= b->outage_end_us && b->recovery_tile_ms < 0
      && frames[1] > b->outage_tile_frames)
    b->recovery_tile_ms = (now - b->outage_end_us) / 1000.0;
  return G_SOURCE_CONTINUE;
}

/* main thread, every 10 ms after an outage: the first composite frame
 * decoded again by the participant whose link was cut */
static gboolean
on_outage_poll (gpointer data)
{
  Bench *b = data;
  VcClientPeerStats s;
  gint64 now = g_get_monotonic_time ();

  if (b->outage_end_us == 0)
    return G_SOURCE_CONTINUE;
  vc_client_peer_get_stats (g_ptr_array_index (b->peers, 1), &s);
  if (now < b->outage_end_us)
    {
      b->outage_frames = (gint64)s.video_frames; /* frames in flight before the cut */
      return G_SOURCE_CONTINUE;
    }
  if ((gint64)s.video_frames > b->outage_frames)
    {
      b->recovery_rx_ms = (now - b->outage_end_us) / 1000.0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* main thread: the window reached --outage-at */
static gboolean
on_outage_start (gpointer data)
{
  Bench *b = data;
  VcClientPeerStats s;
  g_autofree gint64 *frames = g_new0 (gint64, b->n);
  BridgeCounters c;
  guint ms = (guint)(b->outage_seconds * 1000);

  vc_client_peer_set_outage (g_ptr_array_index (b->peers, 1), ms);
  b->outage_end_us = g_get_monotonic_time () + (gint64)ms * 1000;
  vc_client_peer_get_stats (g_ptr_array_index (b->peers, 1), &s);
  b->outage_frames = (gint64)s.video_frames;
  bridge_counters (b, &c, frames);
  b->outage_tile_frames = frames[1];
  g_timeout_add (10, on_outage_poll, b);
  return G_SOURCE_REMOVE;
}

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
  return x < y ? -1 : x > y;
}

static gdouble
percentile (GArray *values, gdouble p)
{
  if (values->len == 0)
    return -1;
  g_array_sort (values, cmp_double);
  return g_array_index (values, gdouble, MIN (values->len - 1, (guint)(p * values->len)));
}

typedef struct
{
  guint64 frames, audio, media_gaps, lost, arrival_gaps, freezes, keyframes_requested;
} Totals;

static void
snapshot (Bench *b, Totals *per_peer)
{
  for (guint i = 0; i < b->peers->len; i++)
    {
      VcClientPeerStats s;
      vc_client_peer_get_stats (g_ptr_array_index (b->peers, i), &s);
      per_peer[i].frames = s.video_frames;
      per_peer[i].audio = s.audio_buffers;
      per_peer[i].media_gaps = s.audio_media_gaps;
      per_peer[i].lost = s.audio_lost;
      per_peer[i].arrival_gaps = s.audio_arrival_gaps;
      per_peer[i].freezes = s.video_freezes;
      per_peer[i].keyframes_requested = s.keyframes_requested;
    }
}

static gdouble
load_average (void)
{
  g_autofree gchar *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

/* Whether peer @i's figures count: without --decode the last peer is the
 * decoding probe (counted apart); with an outage, participant 1 is not
 * counted in the freeze and gap figures. */
static gboolean
counted (Bench *b, guint i)
{
  if (!b->decode)
    return i + 1 < b->peers->len;
  return !(b->outage_seconds > 0 && i == 1);
}

/* Audio continuity over the window, summed over the counted receivers. */
static void
sum_audio (Bench *b, Totals *t0, Totals *t1, Totals *sum)
{
  memset (sum, 0, sizeof *sum);
  for (guint i = 0; i < b->peers->len; i++)
    if (counted (b, i))
      {
        sum->media_gaps += t1[i].media_gaps - t0[i].media_gaps;
        sum->lost += t1[i].lost - t0[i].lost;
        sum->arrival_gaps += t1[i].arrival_gaps - t0[i].arrival_gaps;
        sum->freezes += t1[i].freezes - t0[i].freezes;
        sum->keyframes_requested += t1[i].keyframes_requested - t0[i].keyframes_requested;
        sum->audio += t1[i].audio - t0[i].audio;
      }
}

/* frame rate (lowest, sum) and audio packet rate (lowest) of the counted
 * receivers */
static void
rates (Bench *b, gdouble seconds, Totals *t0, Totals *t1, gdouble *fps_min, gdouble *fps_sum,
       gdouble *audio_rate_min, guint *n)
{
  *fps_min = *audio_rate_min = 1e9;
  *fps_sum = 0;
  *n = 0;
  for (guint i = 0; i < b->peers->len; i++)
    if (counted (b, i))
      {
        gdouble fps = (t1[i].frames - t0[i].frames) / seconds;
        *fps_min = MIN (*fps_min, fps);
        *fps_sum += fps;
        *audio_rate_min = MIN (*audio_rate_min, (t1[i].audio - t0[i].audio) / seconds);
        (*n)++;
      }
}

typedef struct
{
  guint64 cpu_ticks, rss_empty, rss_full;
  gdouble seconds;
  gint64 longest_gap_us; /* the longest interval between frames at a counted receiver */
  Totals *t0, *t1;
  GArray *first_ms;           /* start → first frame, every peer */
  GArray *connected_first_ms; /* connection → first frame, every peer */
  GArray *open_first_ms;      /* signalling WebSocket open → first frame, every peer */
  GArray *open_connected_ms;  /* signalling WebSocket open → connected (ICE, DTLS) */
  gdouble join_span_ms;       /* first WebSocket open → last */
  BridgeCounters c0, c1;
} Window;

#define INT(k, v) json_builder_set_member_name (j, k), json_builder_add_int_value (j, (gint64)(v))
#define NUM(k, v) json_builder_set_member_name (j, k), json_builder_add_double_value (j, v)

/* --decode: what a lossy link does to video and audio */
static void
report_loss (Bench *b, Window *w, Totals *a, JsonBuilder *j)
{
  gint64 tile_longest = 0;
  guint tile_freezes = 0;

  for (gint i = 0; i < b->n; i++)
    if (counted (b, (guint)i))
      {
        tile_longest = MAX (tile_longest, b->tiles[i].longest_us);
        tile_freezes += b->tiles[i].freezes;
      }
  json_builder_set_member_name (j, "netem");
  json_builder_add_string_value (j, b->netem ? b->netem : "");
  INT ("video_freezes", a->freezes); /* intervals over 1 s between decoded frames */
  NUM ("video_longest_gap_ms", w->longest_gap_us / 1000.0);
  INT ("keyframes_requested", a->keyframes_requested);
  INT ("tile_freezes", tile_freezes); /* a sender's tile at the bridge still over 1 s */
  NUM ("tile_longest_still_ms", tile_longest / 1000.0);
  INT ("bridge_keyframes", w->c1.keyframes - w->c0.keyframes); /* the composite's, requested */
  NUM ("connected_first_frame_ms_median", percentile (w->connected_first_ms, 0.5));
  NUM ("connected_first_frame_ms_max", percentile (w->connected_first_ms, 1.0));
  INT ("bridge_audio_input_gaps", w->c1.input_gaps - w->c0.input_gaps);
  NUM ("outage_seconds", b->outage_seconds);
  NUM ("recovery_rx_ms", b->recovery_rx_ms);
  NUM ("recovery_tile_ms", b->recovery_tile_ms);
}

static void
report (Bench *b, Window *w)
{
  gdouble fps_min, fps_sum, audio_rate_min;
  guint receivers;
  long hz = sysconf (_SC_CLK_TCK), cores = sysconf (_SC_NPROCESSORS_ONLN);
  gdouble cpu_core = 100.0 * w->cpu_ticks / hz / w->seconds;
  g_autoptr (JsonBuilder) j = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;
  BridgeCounters *c0 = &w->c0, *c1 = &w->c1;
  Totals a;

  rates (b, w->seconds, w->t0, w->t1, &fps_min, &fps_sum, &audio_rate_min, &receivers);
  sum_audio (b, w->t0, w->t1, &a);
  json_builder_begin_object (j);
  json_builder_set_member_name (j, "server");
  json_builder_add_string_value (j, b->janus ? "janus-audiobridge" : "vc-bridge");
  json_builder_set_member_name (j, "audio_only");
  json_builder_add_boolean_value (j, b->audio_only);
  INT ("participants", b->n);
  NUM ("seconds", w->seconds);
  NUM ("cpu_percent_of_machine", cpu_core / cores);
  NUM ("cpu_percent_of_one_core", cpu_core);
  INT ("cores", cores);
  NUM ("rss_mb_empty_room", w->rss_empty / 1024.0);
  NUM ("rss_mb_full", w->rss_full / 1024.0);
  NUM ("rss_mb_per_participant", (gdouble)(w->rss_full - w->rss_empty) / 1024.0 / b->n);
  NUM ("fps_min", fps_min);
  NUM ("fps_mean", fps_sum / MAX (receivers, 1));
  NUM ("bridge_fps", (c1->frames_encoded - c0->frames_encoded) / w->seconds);
  NUM ("audio_packets_per_s_min", audio_rate_min);
  /* audio_gaps: holes over 100 ms that a listener gets from the bridge: in
   * the stream itself (RTP sequence and timeline at the receivers, which does
   * not depend on when this process reads its sockets) plus the bridge's own
   * late sends (measured at its socket). The receivers' wall-clock view,
   * which includes this process's starvation, is given apart. With
   * --decode, the receivers look at what leaves their jitter buffers. */
  INT ("audio_gaps", a.media_gaps + (guint64)(c1->send_gaps - c0->send_gaps));
  INT ("audio_media_gaps", a.media_gaps);
  INT ("audio_lost", a.lost);
  INT ("bridge_audio_send_gaps", c1->send_gaps - c0->send_gaps);
  NUM ("bridge_audio_send_max_ms", c1->send_max_ms);
  INT ("bridge_audio_mix_in_gaps", c1->mix_in_gaps - c0->mix_in_gaps);
  INT ("bridge_audio_encoder_gaps", c1->encoder_gaps - c0->encoder_gaps);
  INT ("bridge_mixer_late_ticks", c1->late_ticks - c0->late_ticks);
  INT ("bridge_mixer_skipped_ticks", c1->skipped_ticks - c0->skipped_ticks);
  INT ("bridge_audio_timeline_resyncs", c1->resyncs - c0->resyncs);
  INT ("bridge_input_underruns", c1->underruns - c0->underruns);
  INT ("receiver_arrival_gaps", a.arrival_gaps);
  NUM ("first_frame_ms_median", percentile (w->first_ms, 0.5));
  NUM ("first_frame_ms_max", percentile (w->first_ms, 1.0));
  /* the join storm (issue #14): WebSocket open → first composite frame */
  INT ("join_within_ms", b->join_within_ms);
  NUM ("join_span_ms", w->join_span_ms);
  NUM ("open_first_frame_ms_median", percentile (w->open_first_ms, 0.5));
  NUM ("open_first_frame_ms_p95", percentile (w->open_first_ms, 0.95));
  NUM ("open_first_frame_ms_max", percentile (w->open_first_ms, 1.0));
  /* where it goes: negotiation, ICE and DTLS, then the wait for a keyframe */
  NUM ("open_connected_ms_median", percentile (w->open_connected_ms, 0.5));
  NUM ("open_connected_ms_max", percentile (w->open_connected_ms, 1.0));
  NUM ("connected_first_frame_ms_median_all", percentile (w->connected_first_ms, 0.5));
  NUM ("connected_first_frame_ms_max_all", percentile (w->connected_first_ms, 1.0));
  NUM ("click_ms_median", percentile (b->click_ms, 0.5));
  NUM ("click_ms_max", percentile (b->click_ms, 1.0));
  INT ("clicks", b->click_ms->len);
  if (b->audio_only)
    INT ("self_clicks_heard", b->self_clicks);
  if (b->adapter != NULL)
    INT ("janus_failures", vc_janus_adapter_get_failures (b->adapter));
  NUM ("load_avg", load_average ());
  NUM ("loadgen_cpu_percent_of_machine", 100.0 * b->self_ticks / hz / w->seconds / cores);
  if (b->decode)
    report_loss (b, w, &a, j);
  json_builder_end_object (j);
  root = json_builder_get_root (j);
  text = json_to_string (root, FALSE);
  printf ("%s\n", text);
  fflush (stdout);
}

#undef INT
#undef NUM

static void
measure (Bench *b, guint64 rss_empty)
{
  g_autofree Totals *t0 = g_new0 (Totals, b->peers->len), *t1 = g_new0 (Totals, b->peers->len);
  g_autoptr (GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) connected_first_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) open_first_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) open_connected_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gint64 open_min = G_MAXINT64, open_max = 0;
  guint64 c0 = 0, c1 = 0, self0 = 0, self1 = 0;
  gint64 w0, w1;
  guint poll = 0;
  Window w = { .rss_empty = rss_empty, .t0 = t0, .t1 = t1 };

  for (guint i = 0; i < b->peers->len; i++)
    {
      VcClientPeerStats s;
      vc_client_peer_get_stats (g_ptr_array_index (b->peers, i), &s);
      gdouble ms = (s.first_frame_us - s.started_us) / 1000.0;
      if (s.first_frame_us == 0)
        continue; /* audio only: no video */
      g_array_append_val (first_ms, ms);
      if (b->connected_us[i] != 0 && s.first_frame_us != 0)
        {
          ms = (s.first_frame_us - b->connected_us[i]) / 1000.0;
          g_array_append_val (connected_first_ms, ms);
        }
      if (s.signal_open_us != 0)
        {
          /* one that never got a frame counts as the whole wait */
          ms = ((s.first_frame_us != 0 ? s.first_frame_us : g_get_monotonic_time ())
                - s.signal_open_us)
               / 1000.0;
          g_array_append_val (open_first_ms, ms);
          open_min = MIN (open_min, s.signal_open_us);
          if (b->connected_us[i] != 0)
            {
              ms = (b->connected_us[i] - s.signal_open_us) / 1000.0;
              g_array_append_val (open_connected_ms, ms);
            }
          open_max = MAX (open_max, s.signal_open_us);
        }
    }
  w.join_span_ms = open_max >= open_min ? (open_max - open_min) / 1000.0 : -1;
  run_ms (3000); /* settle after the last join */
  g_array_set_size (b->click_ms, 0);
  b->self_clicks = 0;
  snapshot (b, t0);
  bridge_counters (b, &w.c0, NULL);
  for (guint i = 0; i < b->peers->len; i++)
    vc_client_peer_take_longest_gap (g_ptr_array_index (b->peers, i));
  if (b->decode)
    {
      g_autofree gint64 *frames = g_new0 (gint64, b->n);
      BridgeCounters c;
      bridge_counters (b, &c, frames);
      for (gint i = 0; i < b->n; i++)
        {
          b->tiles[i].frames = frames[i];
          b->tiles[i].changed_us = g_get_monotonic_time ();
        }
      b->watching = TRUE;
      poll = g_timeout_add (100, on_tile_poll, b);
      if (b->outage_seconds > 0)
        g_timeout_add ((guint)(b->outage_at * 1000), on_outage_start, b);
    }
  read_cpu_ticks (b->pid, &c0);
  read_cpu_ticks (getpid (), &self0);
  w0 = g_get_monotonic_time ();
  run_ms (b->seconds * 1000);
  read_cpu_ticks (b->pid, &c1);
  read_cpu_ticks (getpid (), &self1);
  b->self_ticks = self1 - self0;
  w1 = g_get_monotonic_time ();
  b->watching = FALSE;
  g_clear_handle_id (&poll, g_source_remove);
  snapshot (b, t1);
  bridge_counters (b, &w.c1, NULL);
  for (guint i = 0; i < b->peers->len; i++)
    {
      gint64 gap = vc_client_peer_take_longest_gap (g_ptr_array_index (b->peers, i));
      if (counted (b, i))
        w.longest_gap_us = MAX (w.longest_gap_us, gap);
    }
  w.cpu_ticks = c1 - c0;
  w.seconds = (w1 - w0) / 1e6;
  w.rss_full = read_rss_kb (b->pid);
  w.first_ms = first_ms;
  w.connected_first_ms = connected_first_ms;
  w.open_first_ms = open_first_ms;
  w.open_connected_ms = open_connected_ms;
  report (b, &w);
}

/* --record-pairs K: 2K windows of --seconds in one run, recording off then
 * on (re-posting the room), each printed as one JSON line: the bridge's CPU
 * and what the recording wrote. */
static void
measure_record (Bench *b)
{
  run_ms (3000); /* settle after the last join */
  for (gint k = 0; k < 2 * b->record_pairs; k++)
    {
      gboolean record = k % 2 == 1;
      guint64 c0 = 0, c1 = 0;
      gint64 w0, w1, bytes0, bytes1;
      gdouble seconds;

      post_room (b, record);
      run_ms (2000); /* the first segment opens at the next keyframe */
      bytes0 = recording_bytes (b);
      read_cpu_ticks (b->pid, &c0);
      w0 = g_get_monotonic_time ();
      run_ms (b->seconds * 1000);
      read_cpu_ticks (b->pid, &c1);
      w1 = g_get_monotonic_time ();
      bytes1 = recording_bytes (b);
      seconds = (w1 - w0) / 1e6;
      printf ("{\"window\":%d,\"record\":%s,\"participants\":%d,\"seconds\":%.2f,"
              "\"cpu_percent_of_one_core\":%.2f,\"recorded_bytes_per_second\":%.0f,"
              "\"load_avg\":%.2f}\n",
              k, record ? "true" : "false", b->n, seconds,
              100.0 * (gdouble)(c1 - c0) / (gdouble)sysconf (_SC_CLK_TCK) / seconds,
              (gdouble)(bytes1 - bytes0) / seconds, load_average ());
      fflush (stdout);
    }
  post_room (b, FALSE);
}

int
main (int argc, char **argv)
{
  Bench b = {
    .seconds = 30, .clips = g_strdup ("bench-clips"), .recovery_rx_ms = -1, .recovery_tile_ms = -1
  };
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &b.url, "Bridge URL", "URL" },
    { "secret", 0, 0, G_OPTION_ARG_STRING, &b.secret, "Shared secret", "S" },
    { "pid", 0, 0, G_OPTION_ARG_INT, &b.pid, "Bridge process id", "PID" },
    { "participants", 'n', 0, G_OPTION_ARG_INT, &b.n, "Participants", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &b.seconds, "Measurement window", "S" },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &b.clips, "Clip cache folder", "DIR" },
    { "netem", 0, 0, G_OPTION_ARG_STRING, &b.netem,
      "Loss/jitter on every participant's link, both ways (vc-netem.h)", "SPEC" },
    { "decode", 0, 0, G_OPTION_ARG_NONE, &b.decode,
      "Every participant decodes (freezes, gaps, first frame)", NULL },
    { "live-video", 0, 0, G_OPTION_ARG_NONE, &b.live_video,
      "Send live-encoded test video instead of the clips", NULL },
    { "outage-at", 0, 0, G_OPTION_ARG_DOUBLE, &b.outage_at,
      "Cut participant 1's link this far into the window", "S" },
    { "outage-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &b.outage_seconds,
      "How long the cut lasts (with --outage-at)", "S" },
    { "join-within", 0, 0, G_OPTION_ARG_INT, &b.join_within_ms,
      "All participants join within this many ms, evenly (default: one every 50 ms)", "MS" },
    { "record-pairs", 0, 0, G_OPTION_ARG_INT, &b.record_pairs,
      "Windows with recording off then on, this many pairs (bridge CPU, bytes written)", "K" },
    { "audio-only", 0, 0, G_OPTION_ARG_NONE, &b.audio_only,
      "Participants send no video (ready at their first audio packet)", NULL },
    { "janus", 0, 0, G_OPTION_ARG_STRING, &b.janus,
      "The server is Janus: its WebSocket API (ws://127.0.0.1:PORT/), with --janus-room", "URL" },
    { "janus-room", 0, 0, G_OPTION_ARG_INT64, &b.janus_room, "Janus AudioBridge room id", "ID" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— vc-bridge load generator");
  g_autoptr (GError) error = NULL;
  g_autoptr (VcMediaClip) video = NULL, video_half = NULL, audio = NULL, audio_click = NULL;
  guint64 rss_empty;
  gint64 deadline;

  gst_init (&argc, &argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)
      || (b.janus == NULL && (b.url == NULL || b.secret == NULL))
      || (b.janus != NULL
          && (b.janus_room <= 0 || !b.audio_only || b.decode || b.netem != NULL
              || b.record_pairs > 0))
      || b.pid <= 0 || b.n < 2 || b.join_within_ms < 0
      || (b.outage_seconds > 0 && (b.netem == NULL || !b.decode)) || b.outage_at < 0
      || b.outage_seconds < 0 || b.outage_at + b.outage_seconds >= b.seconds)
    {
      g_printerr ("usage: vc-bridge-load --url URL --secret S --pid PID --participants N "
                  "[--netem SPEC] [--decode] [--live-video] [--outage-at S --outage-seconds S "
                  "(with --netem and --decode, within --seconds)] [--audio-only] [--janus URL "
                  "--janus-room ID (with --audio-only; instead of --url and --secret)]\n");
      return 2;
    }
  if (b.netem != NULL)
    {
      g_autoptr (VcNetem) check = vc_netem_new (b.netem, &error);
      if (error != NULL)
        {
          g_printerr ("--netem: %s\n", error->message);
          return 2;
        }
    }
  if (b.janus != NULL && (b.adapter = vc_janus_adapter_new (b.janus, b.janus_room, &error)) == NULL)
    {
      g_printerr ("--janus: %s\n", error->message);
      return 1;
    }
  video = clip (&b, "video-360p15.ivf", 360, 0);
  video_half = clip (&b, "video-180p15.ivf", 180, 0);
  audio = clip (&b, "audio-quiet.ivf", 0, 0);
  audio_click = clip (&b, "audio-click.ivf", 0, 2);
  post_room (&b, FALSE);
  run_ms (1500);
  rss_empty = read_rss_kb (b.pid);
  b.peers = g_ptr_array_new_with_free_func (g_object_unref);
  b.click_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  b.connected_us = g_new0 (gint64, b.n);
  b.tiles = g_new0 (TileWatch, b.n);
  for (gint i = 0; i < b.n; i++)
    {
      gboolean is_probe = i == b.n - 1;
      /* audio only: the clicker decodes its audio too (its own click must not come back) */
      gboolean decodes_audio = is_probe || (b.audio_only && i == 0);
      VcClientPeerOutput output = b.decode        ? VC_CLIENT_PEER_OUTPUT_NONE
                                  : decodes_audio ? VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO
                                                  : VC_CLIENT_PEER_OUTPUT_COUNT;
      VcClientPeer *p = start_peer (&b, i, video, video_half, i == 0 ? audio_click : audio, output);
      g_ptr_array_add (b.peers, p);
      g_signal_connect (p, "state-changed", G_CALLBACK (on_peer_state), &b);
      /* rooms do not all join in the same millisecond; a storm: N within
       * --join-within */
      run_ms (b.join_within_ms > 0 ? (guint)(b.join_within_ms / b.n) : 50);
    }
  b.clicker = g_ptr_array_index (b.peers, 0);
  b.probe = g_ptr_array_index (b.peers, b.n - 1);
  g_timeout_add (5, on_click_poll, &b);
  deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while (!all_have_frames (&b) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!all_have_frames (&b))
    g_printerr ("warning: not every participant got a frame within 90 s\n");
  if (b.record_pairs > 0)
    measure_record (&b);
  else
    measure (&b, rss_empty);
  for (guint i = 0; i < b.peers->len; i++)
    vc_client_peer_stop (g_ptr_array_index (b.peers, i));
  run_ms (500);
  vc_media_wait_disposals (5000);
  g_clear_pointer (&b.adapter, vc_janus_adapter_free);
  return 0;
}
