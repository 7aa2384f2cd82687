/* vc-cascade-bench.c — bridge-to-bridge links (issue #15): mouth-to-ear across
 * two link hops, side by side with one flat bridge, and what a link costs.
 *
 *   vc-cascade-bench --secret S --seconds 20 --clips DIR
 *                    --flat URL,PID --parent URL,PID --a URL,PID --b URL,PID
 *
 * (bench/media/run-cascade-bench.sh starts the four vc-bridge processes.)
 *
 *   flat     F/flat: f-click, f-probe               (one bridge)
 *   cascade  A/20: a-click  ->  P/10  ->  B/30: b-probe   (two link hops)
 *
 * The clickers send a pre-encoded Opus clip with a click every 2 s, the
 * probes decode what they get and note each click's onset (VcClientPeer's
 * click detector, as vc-bridge-load): mouth-to-ear through one bridge and
 * through room → child → parent → other child → room, measured in the same
 * windows. Every participant also sends a pre-encoded 360p VP8 clip.
 *
 * CPU (from /proc/PID/stat) of each bridge in windows of --seconds, two
 * rounds of:
 *   unlinked   the rooms above, no uplinks
 *   linked     A/20 and B/30 linked into P/10 (two links on P, one on A and
 *              B), and one more room with one participant on the flat bridge
 * A link costs (linked − unlinked) on a child, half of it on the parent; a
 * room the same difference on the flat bridge, in the same windows. Clicks
 * are paired in the linked windows only.
 * Prints one JSON line. Everything stays on loopback. */
#include "vc-client-peer.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 2

/* clicks are paired only while the rooms are linked */
static gboolean collecting;

enum
{
  FLAT,
  PARENT,
  CHILD_A,
  CHILD_B,
  N_BRIDGES
};

static const gchar *bridge_names[N_BRIDGES] = { "flat", "parent", "a", "b" };

typedef struct
{
  gchar *url;
  gint pid;
} BenchBridge;

typedef struct
{
  VcClientPeer *clicker, *probe;
  gint64 last_sent, last_heard;
  GArray *ms;
} ClickPair;

typedef struct
{
  BenchBridge bridges[N_BRIDGES];
  gchar *secret, *clips;
  guint seconds;
  gdouble link_kbps_sum; /* the parent's bitrate_kbps of its link participants, summed */
  guint link_kbps_samples;
  SoupSession *session;
  GPtrArray *peers;
  ClickPair pairs[2]; /* flat, cascade */
  VcMediaClip *video, *audio, *click;
} Bench;

/* ---- helpers ---- */

static gboolean
read_cpu_ticks (gint pid, guint64 *ticks)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%d/stat", pid), *text = NULL;
  g_auto (GStrv) f = NULL;
  const gchar *close;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (close = strrchr (text, ')')) == NULL)
    return FALSE;
  f = g_strsplit (close + 2, " ", 0);
  if (g_strv_length (f) < 13)
    return FALSE;
  *ticks = g_ascii_strtoull (f[11], NULL, 10) + g_ascii_strtoull (f[12], NULL, 10);
  return TRUE;
}

static gboolean
on_elapsed (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;
  g_timeout_add (ms, on_elapsed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GBytes *body;
  guint status;
  gboolean done;
} HttpResult;

static void
on_http_done (GObject *source, GAsyncResult *res, gpointer data)
{
  HttpResult *r = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), res);

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, NULL);
  r->status = soup_message_get_status (msg);
  r->done = TRUE;
}

static guint
http (Bench *b, guint bridge, const gchar *method, const gchar *path, const gchar *body,
      gchar **out)
{
  g_autofree gchar *uri = g_strconcat (b->bridges[bridge].url, path, NULL);
  g_autofree gchar *auth = g_strconcat ("Bearer ", b->secret, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  HttpResult r = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (b->session, msg, G_PRIORITY_DEFAULT, NULL, on_http_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (out != NULL)
    *out = r.body ? g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body))
                  : g_strdup ("");
  g_clear_pointer (&r.body, g_bytes_unref);
  return r.status;
}

static void
create_room (Bench *b, guint bridge, const gchar *id, const gchar *participants)
{
  g_autofree gchar *body = g_strdup_printf (
      "{\"id\":\"%s\",\"layout\":\"grid\",\"participants\":%s}", id, participants);

  if (http (b, bridge, "POST", "/rooms", body, NULL) != 201)
    g_error ("cannot create room %s on the %s bridge", id, bridge_names[bridge]);
}

static gchar *
token (Bench *b, const gchar *room, const gchar *endpoint, gboolean link)
{
  VcJwtClaims c = { .meeting = (gchar *)room,
                    .endpoint = (gchar *)endpoint,
                    .link = link,
                    .exp = vc_time_now () + 3600 };
  return vc_jwt_sign (&c, b->secret);
}

static VcClientPeer *
start_peer (Bench *b, guint bridge, const gchar *room, const gchar *endpoint, gboolean click,
            gboolean decode)
{
  static const gchar *loopback[] = { "127.0.0.1", NULL };
  g_autofree gchar *t = token (b, room, endpoint, FALSE);
  g_autofree gchar *url
      = g_strdup_printf ("ws%s/rooms/%s/signal", b->bridges[bridge].url + 4, room);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  VcClientPeer *peer;

  s.signal_url = url;
  s.token = t;
  s.ice_addresses = loopback;
  s.video_clip = b->video;
  s.audio_clip = click ? b->click : b->audio;
  /* the probes decode (their click detector listens to decoded audio) but
   * count video without decoding it */
  s.output = decode ? VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO : VC_CLIENT_PEER_OUTPUT_COUNT;
  s.audio_priority = VC_MEDIA_THREAD_NORMAL;
  peer = vc_client_peer_new (&s);
  if (!vc_client_peer_start (peer, &error))
    g_error ("%s: %s", endpoint, error->message);
  g_ptr_array_add (b->peers, peer);
  return peer;
}

static VcMediaClip *
clip (Bench *b, const gchar *name, gboolean video, guint click_period)
{
  g_autofree gchar *path = g_build_filename (b->clips, name, NULL);
  g_autoptr (GError) error = NULL;
  VcMediaClip *c = vc_media_clip_load (path, NULL);

  if (c != NULL)
    return c;
  c = video ? vc_media_clip_encode_video (640, 360, 15, 10, &error)
            : vc_media_clip_encode_audio (440, 0.01, 10, click_period, &error);
  if (c == NULL)
    g_error ("encoding %s: %s", name, error->message);
  g_mkdir_with_parents (b->clips, 0755);
  vc_media_clip_save (c, path, NULL);
  return c;
}

/* main thread, every 5 ms: pairs each clicker's clicks with its probe's */
static gboolean
on_click_poll (gpointer data)
{
  Bench *b = data;

  for (guint i = 0; i < G_N_ELEMENTS (b->pairs); i++)
    {
      ClickPair *p = &b->pairs[i];
      VcClientPeerStats sent, heard;
      if (p->clicker == NULL)
        continue;
      vc_client_peer_get_stats (p->clicker, &sent);
      vc_client_peer_get_stats (p->probe, &heard);
      p->last_sent = sent.last_click_sent_us;
      if (!collecting)
        p->last_heard = heard.last_click_heard_us;
      if (heard.last_click_heard_us != p->last_heard)
        {
          gint64 d = heard.last_click_heard_us - p->last_sent;
          p->last_heard = heard.last_click_heard_us;
          if (collecting && p->last_sent != 0 && d > 0 && d < G_USEC_PER_SEC)
            {
              gdouble ms = d / 1000.0;
              g_array_append_val (p->ms, ms);
            }
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

static void
wait_until_all_have_frames (Bench *b)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!all_have_frames (b))
    {
      if (g_get_monotonic_time () > end)
        for (guint i = 0; i < b->peers->len; i++)
          {
            VcClientPeerStats s;
            VcClientPeer *peer = g_ptr_array_index (b->peers, i);
            vc_client_peer_get_stats (peer, &s);
            if (s.first_frame_us == 0)
              g_error ("participant %u (%s) got no picture within 60 s", i,
                       vc_client_peer_state_to_string (vc_client_peer_get_state (peer)));
          }
      run_for (100);
    }
}

static gboolean
uplink_connected (Bench *b, guint bridge, const gchar *room)
{
  g_autofree gchar *path = g_strconcat ("/rooms/", room, NULL), *text = NULL;

  http (b, bridge, "GET", path, NULL, &text);
  return strstr (text, "\"uplink\":{\"state\":\"connected\"") != NULL;
}

static void
link_room (Bench *b, guint child, const gchar *room, const gchar *as)
{
  g_autofree gchar *t = token (b, "10", as, TRUE);
  g_autofree gchar *path = g_strdup_printf ("/rooms/%s/uplink", room);
  g_autofree gchar *body = g_strdup_printf (
      "{\"signal_url\":\"ws%s/rooms/10/signal\",\"token\":\"%s\"}", b->bridges[PARENT].url + 4, t);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (http (b, child, "POST", path, body, NULL) != 202)
    g_error ("cannot link room %s", room);
  while (!uplink_connected (b, child, room))
    {
      if (g_get_monotonic_time () > end)
        g_error ("room %s did not link within 60 s", room);
      run_for (100);
    }
}

/* What a link carries up: the parent's bitrate_kbps (what it receives) of
 * each link participant, sampled once a second for @samples seconds. The
 * way down carries the parent's composite and an own mix-minus, encoded
 * with the same [video] and [audio] settings as the child's way up. */
static void
sample_link_bitrate (Bench *b, guint samples)
{
  for (guint s = 0; s < samples; s++)
    {
      g_autofree gchar *text = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonArray *participants;

      run_for (1000);
      if (http (b, PARENT, "GET", "/rooms/10", NULL, &text) != 200
          || !json_parser_load_from_data (parser, text, -1, NULL))
        g_error ("cannot read the parent room");
      participants = json_object_get_array_member (
          json_node_get_object (json_parser_get_root (parser)), "participants");
      for (guint i = 0; i < json_array_get_length (participants); i++)
        {
          JsonObject *p = json_array_get_object_element (participants, i);
          if (json_object_get_boolean_member_with_default (p, "link", FALSE))
            {
              b->link_kbps_sum += (gdouble)json_object_get_int_member (p, "bitrate_kbps");
              b->link_kbps_samples++;
            }
        }
    }
}

/* CPU of every bridge over --seconds, % of one core */
static void
measure_cpu (Bench *b, gdouble *cpu)
{
  guint64 before[N_BRIDGES], after[N_BRIDGES];
  long hz = sysconf (_SC_CLK_TCK);

  for (guint i = 0; i < N_BRIDGES; i++)
    if (!read_cpu_ticks (b->bridges[i].pid, &before[i]))
      g_error ("cannot read the %s bridge's CPU", bridge_names[i]);
  run_for (b->seconds * 1000);
  for (guint i = 0; i < N_BRIDGES; i++)
    {
      if (!read_cpu_ticks (b->bridges[i].pid, &after[i]))
        g_error ("the %s bridge is gone", bridge_names[i]);
      cpu[i] = 100.0 * (gdouble)(after[i] - before[i]) / hz / b->seconds;
    }
}

static void
parse_bridge (BenchBridge *bridge, const gchar *value)
{
  g_auto (GStrv) parts = g_strsplit (value, ",", 2);

  if (g_strv_length (parts) != 2)
    g_error ("expected URL,PID: %s", value);
  bridge->url = g_strdup (parts[0]);
  bridge->pid = atoi (parts[1]);
}

int
main (int argc, char **argv)
{
  Bench b = { 0 };
  gchar *flat = NULL, *parent = NULL, *a = NULL, *bb = NULL;
  gint seconds = 20;
  GOptionEntry entries[] = {
    { "secret", 0, 0, G_OPTION_ARG_STRING, &b.secret, "the bridges' secret", "S" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "each window", "N" },
    { "clips", 0, 0, G_OPTION_ARG_STRING, &b.clips, "where the clips are kept", "DIR" },
    { "flat", 0, 0, G_OPTION_ARG_STRING, &flat, "the flat bridge", "URL,PID" },
    { "parent", 0, 0, G_OPTION_ARG_STRING, &parent, "the parent bridge", "URL,PID" },
    { "a", 0, 0, G_OPTION_ARG_STRING, &a, "child bridge A", "URL,PID" },
    { "b", 0, 0, G_OPTION_ARG_STRING, &bb, "child bridge B", "URL,PID" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- cascading benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) out = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;
  gdouble cpu[ROUNDS][2][N_BRIDGES], mean[2][N_BRIDGES];
  VcClientPeer *extra;
  gchar *extra_room = NULL, *extra_path = NULL;

  gst_init (&argc, &argv);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || b.secret == NULL || flat == NULL
      || parent == NULL || a == NULL || bb == NULL || b.clips == NULL || seconds <= 0)
    g_error ("usage: %s", error ? error->message : "see the comment at the top");
  b.seconds = (guint)seconds;
  parse_bridge (&b.bridges[FLAT], flat);
  parse_bridge (&b.bridges[PARENT], parent);
  parse_bridge (&b.bridges[CHILD_A], a);
  parse_bridge (&b.bridges[CHILD_B], bb);
  b.session = soup_session_new ();
  b.peers = g_ptr_array_new_with_free_func (g_object_unref);
  b.video = clip (&b, "video-360.ivf", TRUE, 0);
  b.audio = clip (&b, "audio.ivf", FALSE, 0);
  b.click = clip (&b, "audio-click.ivf", FALSE, 2);
  for (guint i = 0; i < 2; i++)
    b.pairs[i].ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  create_room (&b, FLAT, "flat", "[{\"endpoint\":\"f-click\"},{\"endpoint\":\"f-probe\"}]");
  create_room (&b, PARENT, "10",
               "[{\"endpoint\":\"p1\"},{\"endpoint\":\"huyen-a\",\"link\":true},"
               "{\"endpoint\":\"huyen-b\",\"link\":true}]");
  create_room (&b, CHILD_A, "20", "[{\"endpoint\":\"a-click\"}]");
  create_room (&b, CHILD_B, "30", "[{\"endpoint\":\"b-probe\"}]");
  b.pairs[0].clicker = start_peer (&b, FLAT, "flat", "f-click", TRUE, FALSE);
  b.pairs[0].probe = start_peer (&b, FLAT, "flat", "f-probe", FALSE, TRUE);
  start_peer (&b, PARENT, "10", "p1", FALSE, FALSE);
  b.pairs[1].clicker = start_peer (&b, CHILD_A, "20", "a-click", TRUE, FALSE);
  b.pairs[1].probe = start_peer (&b, CHILD_B, "30", "b-probe", FALSE, TRUE);
  wait_until_all_have_frames (&b);
  run_for (2000);

  /* two rounds of: unlinked, then linked with one more room on the flat
   * bridge, so that a link and a room are measured in the same windows */
  g_timeout_add (5, on_click_poll, &b);
  for (guint round = 0; round < ROUNDS; round++)
    {
      collecting = FALSE;
      measure_cpu (&b, cpu[round][0]);
      link_room (&b, CHILD_A, "20", "huyen-a");
      link_room (&b, CHILD_B, "30", "huyen-b");
      extra_room = g_strdup_printf ("flat-extra-%u", round);
      create_room (&b, FLAT, extra_room, "[{\"endpoint\":\"f2\"}]");
      extra = start_peer (&b, FLAT, extra_room, "f2", FALSE, FALSE);
      wait_until_all_have_frames (&b);
      run_for (3000);
      collecting = TRUE;
      measure_cpu (&b, cpu[round][1]);
      collecting = FALSE;
      sample_link_bitrate (&b, 5);
      http (&b, CHILD_A, "DELETE", "/rooms/20/uplink", NULL, NULL);
      http (&b, CHILD_B, "DELETE", "/rooms/30/uplink", NULL, NULL);
      vc_client_peer_stop (extra);
      g_ptr_array_remove (b.peers, extra);
      extra_path = g_strconcat ("/rooms/", extra_room, NULL);
      http (&b, FLAT, "DELETE", extra_path, NULL, NULL);
      g_clear_pointer (&extra_path, g_free);
      g_clear_pointer (&extra_room, g_free);
      run_for (3000);
    }
  for (guint i = 0; i < N_BRIDGES; i++)
    for (guint w = 0; w < 2; w++)
      mean[w][i] = (cpu[0][w][i] + cpu[1][w][i]) / ROUNDS;

  json_builder_begin_object (out);
#define NUM(k, v) json_builder_set_member_name (out, k), json_builder_add_double_value (out, v)
  NUM ("seconds", b.seconds);
  NUM ("flat_click_ms_median", percentile (b.pairs[0].ms, 0.5));
  NUM ("flat_click_ms_max", percentile (b.pairs[0].ms, 1.0));
  NUM ("flat_clicks", b.pairs[0].ms->len);
  NUM ("two_hops_click_ms_median", percentile (b.pairs[1].ms, 0.5));
  NUM ("two_hops_click_ms_max", percentile (b.pairs[1].ms, 1.0));
  NUM ("two_hops_clicks", b.pairs[1].ms->len);
  for (guint w = 0; w < 2; w++)
    for (guint i = 0; i < N_BRIDGES; i++)
      {
        static const gchar *windows[] = { "unlinked", "linked" };
        g_autofree gchar *key = g_strdup_printf ("cpu_%s_%s", bridge_names[i], windows[w]);
        NUM (key, mean[w][i]);
      }
  NUM ("link_cpu_parent", (mean[1][PARENT] - mean[0][PARENT]) / 2);
  NUM ("link_cpu_child_a", mean[1][CHILD_A] - mean[0][CHILD_A]);
  NUM ("link_cpu_child_b", mean[1][CHILD_B] - mean[0][CHILD_B]);
  NUM ("room_cpu_flat", mean[1][FLAT] - mean[0][FLAT]);
  NUM ("link_up_kbps_mean", b.link_kbps_samples ? b.link_kbps_sum / b.link_kbps_samples : 0);
#undef NUM
  json_builder_end_object (out);
  root = json_builder_get_root (out);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
  fflush (stdout);

  for (guint i = 0; i < b.peers->len; i++)
    vc_client_peer_stop (g_ptr_array_index (b.peers, i));
  run_for (500);
  return 0;
}
