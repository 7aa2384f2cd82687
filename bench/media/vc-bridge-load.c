/* vc-bridge-load.c — load generator and meter for the bridge benchmark.
 *
 *   vc-bridge-load --url http://127.0.0.1:PORT --secret S --pid BRIDGE_PID
 *                  --participants N [--seconds 30] [--clips DIR]
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
 * prints one JSON line. */
#include "vc-client-peer.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  gchar *url, *secret, *clips;
  gint pid, n, seconds;
  GPtrArray *peers;
  VcClientPeer *probe, *clicker;
  GArray *click_ms;
  gint64 last_sent, last_heard;
  guint64 self_ticks; /* the load generator's own CPU in the window */
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
  gint64 skipped_ticks, resyncs;
  gdouble send_max_ms;
} BridgeCounters;

/* GET /rooms/bench: the bridge's own view (encoded frames, mixer ticks that
 * ran late, participants' input underruns). */
static void
bridge_counters (Bench *b, BridgeCounters *out)
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
  list = json_object_get_array_member (room, "participants");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      out->underruns += json_object_get_int_member_with_default (p, "audio_underruns", 0);
      out->send_gaps += json_object_get_int_member_with_default (p, "audio_send_gaps", 0);
      out->mix_in_gaps += json_object_get_int_member_with_default (p, "audio_mix_in_gaps", 0);
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
create_room (Bench *b)
{
  g_autoptr (GString) body
      = g_string_new ("{\"id\":\"bench\",\"layout\":\"grid\",\"chair\":\"bench-00\","
                      "\"participants\":[");
  g_autofree gchar *url = g_strdup_printf ("%s/rooms", b->url);

  for (gint i = 0; i < b->n; i++)
    g_string_append_printf (body, "%s{\"endpoint\":\"bench-%02d\",\"name\":\"Huyện %02d\"}",
                            i ? "," : "", i, i);
  g_string_append (body, "]}");
  if (http_post (url, b->secret, body->str) / 100 != 2)
    g_error ("cannot create the bench room at %s", url);
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
  g_autofree gchar *token = vc_jwt_sign (&claims, b->secret);
  g_autofree gchar *signal_url = g_strdup_printf ("ws%s/rooms/bench/signal", b->url + 4);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  VcClientPeer *peer;

  s.signal_url = signal_url;
  s.token = token;
  s.ice_addresses = loopback;
  s.video_clip = video;
  s.video_clip_half = video_half; /* sent while its tile is that small, as rooms do */
  s.audio_clip = audio;
  s.output = output;
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
      if (s.first_frame_us == 0)
        return FALSE;
    }
  return TRUE;
}

/* main thread, every 5 ms: pairs clicks sent with clicks heard */
static gboolean
on_click_poll (gpointer data)
{
  Bench *b = data;
  VcClientPeerStats sent, heard;

  vc_client_peer_get_stats (b->clicker, &sent);
  vc_client_peer_get_stats (b->probe, &heard);
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
  guint64 frames, audio, media_gaps, lost, arrival_gaps;
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

/* Audio continuity over the window, summed over the light receivers. */
static void
sum_audio (Bench *b, Totals *t0, Totals *t1, Totals *sum)
{
  memset (sum, 0, sizeof *sum);
  for (guint i = 0; i + 1 < b->peers->len; i++) /* the probe decodes: counted apart */
    {
      sum->media_gaps += t1[i].media_gaps - t0[i].media_gaps;
      sum->lost += t1[i].lost - t0[i].lost;
      sum->arrival_gaps += t1[i].arrival_gaps - t0[i].arrival_gaps;
    }
}

/* frame rate (lowest, sum) and audio packet rate (lowest) of @n receivers */
static void
rates (guint n, gdouble seconds, Totals *t0, Totals *t1, gdouble *fps_min, gdouble *fps_sum,
       gdouble *audio_rate_min)
{
  *fps_min = *audio_rate_min = 1e9;
  *fps_sum = 0;
  for (guint i = 0; i < n; i++)
    {
      gdouble fps = (t1[i].frames - t0[i].frames) / seconds;
      *fps_min = MIN (*fps_min, fps);
      *fps_sum += fps;
      *audio_rate_min = MIN (*audio_rate_min, (t1[i].audio - t0[i].audio) / seconds);
    }
}

static void
report (Bench *b, guint64 cpu_ticks, gdouble seconds, guint64 rss_empty, guint64 rss_full,
        Totals *t0, Totals *t1, GArray *first_ms, BridgeCounters *c0, BridgeCounters *c1)
{
  gdouble fps_min, fps_sum, audio_rate_min;
  guint light = b->peers->len - 1;
  long hz = sysconf (_SC_CLK_TCK), cores = sysconf (_SC_NPROCESSORS_ONLN);
  gdouble cpu_core = 100.0 * cpu_ticks / hz / seconds;
  g_autoptr (JsonBuilder) j = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;
  Totals a;

  rates (light, seconds, t0, t1, &fps_min, &fps_sum, &audio_rate_min);
  sum_audio (b, t0, t1, &a);
#define INT(k, v) json_builder_set_member_name (j, k), json_builder_add_int_value (j, (gint64)(v))
#define NUM(k, v) json_builder_set_member_name (j, k), json_builder_add_double_value (j, v)
  json_builder_begin_object (j);
  INT ("participants", b->n);
  NUM ("seconds", seconds);
  NUM ("cpu_percent_of_machine", cpu_core / cores);
  NUM ("cpu_percent_of_one_core", cpu_core);
  INT ("cores", cores);
  NUM ("rss_mb_empty_room", rss_empty / 1024.0);
  NUM ("rss_mb_full", rss_full / 1024.0);
  NUM ("rss_mb_per_participant", (gdouble)(rss_full - rss_empty) / 1024.0 / b->n);
  NUM ("fps_min", fps_min);
  NUM ("fps_mean", fps_sum / light);
  NUM ("bridge_fps", (c1->frames_encoded - c0->frames_encoded) / seconds);
  NUM ("audio_packets_per_s_min", audio_rate_min);
  /* audio_gaps: holes over 100 ms that a listener gets from the bridge: in
   * the stream itself (RTP sequence and timeline at the receivers, which does
   * not depend on when this process reads its sockets) plus the bridge's own
   * late sends (measured at its socket). The receivers' wall-clock view,
   * which includes this process's starvation, is given apart. */
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
  NUM ("first_frame_ms_median", percentile (first_ms, 0.5));
  NUM ("first_frame_ms_max", percentile (first_ms, 1.0));
  NUM ("click_ms_median", percentile (b->click_ms, 0.5));
  NUM ("click_ms_max", percentile (b->click_ms, 1.0));
  INT ("clicks", b->click_ms->len);
  NUM ("load_avg", load_average ());
  NUM ("loadgen_cpu_percent_of_machine", 100.0 * b->self_ticks / hz / seconds / cores);
#undef INT
#undef NUM
  json_builder_end_object (j);
  root = json_builder_get_root (j);
  text = json_to_string (root, FALSE);
  printf ("%s\n", text);
  fflush (stdout);
}

static void
measure (Bench *b, guint64 rss_empty)
{
  g_autofree Totals *t0 = g_new0 (Totals, b->peers->len), *t1 = g_new0 (Totals, b->peers->len);
  g_autoptr (GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint64 c0 = 0, c1 = 0, self0 = 0, self1 = 0;
  gint64 w0, w1;
  BridgeCounters b0, b1;

  for (guint i = 0; i < b->peers->len; i++)
    {
      VcClientPeerStats s;
      vc_client_peer_get_stats (g_ptr_array_index (b->peers, i), &s);
      gdouble ms = (s.first_frame_us - s.started_us) / 1000.0;
      g_array_append_val (first_ms, ms);
    }
  run_ms (3000); /* settle after the last join */
  g_array_set_size (b->click_ms, 0);
  snapshot (b, t0);
  bridge_counters (b, &b0);
  read_cpu_ticks (b->pid, &c0);
  read_cpu_ticks (getpid (), &self0);
  w0 = g_get_monotonic_time ();
  run_ms (b->seconds * 1000);
  read_cpu_ticks (b->pid, &c1);
  read_cpu_ticks (getpid (), &self1);
  b->self_ticks = self1 - self0;
  w1 = g_get_monotonic_time ();
  snapshot (b, t1);
  bridge_counters (b, &b1);
  report (b, c1 - c0, (w1 - w0) / 1e6, rss_empty, read_rss_kb (b->pid), t0, t1, first_ms, &b0, &b1);
}

int
main (int argc, char **argv)
{
  Bench b = { .seconds = 30, .clips = g_strdup ("bench-clips") };
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &b.url, "Bridge URL", "URL" },
    { "secret", 0, 0, G_OPTION_ARG_STRING, &b.secret, "Shared secret", "S" },
    { "pid", 0, 0, G_OPTION_ARG_INT, &b.pid, "Bridge process id", "PID" },
    { "participants", 'n', 0, G_OPTION_ARG_INT, &b.n, "Participants", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &b.seconds, "Measurement window", "S" },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &b.clips, "Clip cache folder", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— vc-bridge load generator");
  g_autoptr (GError) error = NULL;
  g_autoptr (VcMediaClip) video = NULL, video_half = NULL, audio = NULL, audio_click = NULL;
  guint64 rss_empty;
  gint64 deadline;

  gst_init (&argc, &argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || b.url == NULL || b.secret == NULL
      || b.pid <= 0 || b.n < 2)
    {
      g_printerr ("usage: vc-bridge-load --url URL --secret S --pid PID --participants N\n");
      return 2;
    }
  video = clip (&b, "video-360p15.ivf", 360, 0);
  video_half = clip (&b, "video-180p15.ivf", 180, 0);
  audio = clip (&b, "audio-quiet.ivf", 0, 0);
  audio_click = clip (&b, "audio-click.ivf", 0, 2);
  create_room (&b);
  run_ms (1500);
  rss_empty = read_rss_kb (b.pid);
  b.peers = g_ptr_array_new_with_free_func (g_object_unref);
  b.click_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  for (gint i = 0; i < b.n; i++)
    {
      gboolean is_probe = i == b.n - 1;
      VcClientPeer *p
          = start_peer (&b, i, video, video_half, i == 0 ? audio_click : audio,
                        is_probe ? VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO : VC_CLIENT_PEER_OUTPUT_COUNT);
      g_ptr_array_add (b.peers, p);
      run_ms (50); /* rooms do not all join in the same millisecond */
    }
  b.clicker = g_ptr_array_index (b.peers, 0);
  b.probe = g_ptr_array_index (b.peers, b.n - 1);
  g_timeout_add (5, on_click_poll, &b);
  deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while (!all_have_frames (&b) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!all_have_frames (&b))
    g_printerr ("warning: not every participant got a frame within 90 s\n");
  measure (&b, rss_empty);
  for (guint i = 0; i < b.peers->len; i++)
    vc_client_peer_stop (g_ptr_array_index (b.peers, i));
  run_ms (500);
  vc_media_wait_disposals (5000);
  return 0;
}
