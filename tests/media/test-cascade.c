/* test-cascade.c — bridge-to-bridge links (issue #15, part 1): three
 * vc-bridge servers in-process on 127.0.0.1:0, each with its own secret, and
 * headless VcClientPeer's in their rooms.
 *
 *   P (province)  room 10: p1 (510 Hz), huyen-a (link), huyen-b (link)
 *   A (district)  room 20: a1 (940 Hz, solid red picture), uplink to P/10 as huyen-a
 *                 room 21: a2 (1280 Hz), uplink to A/20 as xa-c (a third level)
 *   B (district)  room 30: b1 (1150 Hz), uplink to P/10 as huyen-b
 *
 * Tones are checked with the Goertzel power of what each participant
 * decodes, as in test-bridge.c: every room hears every other room of the
 * tree and never itself. Readiness is waited for by polling state, never
 * by sleeping; every test has a watchdog. */
#include "../common/vc-test-upstream.h"
#include "media-test.h"
#include "bridge-config.h"
#include "bridge-peer.h"
#include "bridge-server.h"
#include "vc-client-peer.h"
#include "vc-jwt.h"
#include "vc-signal.h"
#include "vc-time.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <signal.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#define WATCHDOG_S 240
#define N_BRIDGES 3

typedef struct
{
  BridgeSettings *settings;
  BridgeServer *server;
  gchar *url;    /* http://127.0.0.1:PORT */
  gchar *secret; /* its own: a link token is signed with the parent's */
} Bridge;

typedef struct
{
  Bridge bridges[N_BRIDGES]; /* P, A, B */
  SoupSession *session;
  guint watchdog;
} Fixture;

enum
{
  P,
  A,
  B
};

static const gchar *ice_loopback[] = { "127.0.0.1", NULL };

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

static void
bridge_start (Bridge *b, guint i)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);
  g_autoptr (GError) error = NULL;

  b->secret = g_strdup_printf ("cascade-test-secret-%u-0123456789", i);
  vc_config_set (config, "bridge", "listen", "127.0.0.1:0");
  vc_config_set (config, "bridge", "secret", b->secret);
  /* four rooms, three links and four participants on a shared 2-core
   * machine: small composites */
  vc_config_set (config, "video", "width", "320");
  vc_config_set (config, "video", "height", "180");
  vc_config_set (config, "video", "bitrate_kbps", "300");
  b->settings = bridge_settings_load (config, &error);
  g_assert_no_error (error);
  b->server = bridge_server_new (b->settings);
  g_assert_true (bridge_server_listen (b->server, &error));
  g_assert_no_error (error);
  b->url = g_strdup (bridge_server_get_url (b->server));
}

static gchar *bridge_exe; /* build/media/vc-bridge, from the command line */

typedef struct
{
  gchar *line;
  gboolean done;
} LineResult;

static void
on_line (GObject *source, GAsyncResult *res, gpointer data)
{
  LineResult *r = data;

  r->line
      = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res, NULL, NULL);
  r->done = TRUE;
}

/* Starts vc-bridge as a process of its own as bridge @i; its URL comes
 * from the line it prints once it listens. */
static GSubprocess *
bridge_spawn (Bridge *b, guint i, const gchar *dir)
{
  g_autofree gchar *ini = g_build_filename (dir, "bridge.ini", NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  GSubprocess *process;
  LineResult r = { 0 };

  g_free (b->secret);
  b->secret = g_strdup_printf ("cascade-test-secret-%u-0123456789", i);
  text = g_strdup_printf ("[bridge]\nlisten = 127.0.0.1:0\nsecret = %s\n[ice]\naddresses = "
                          "127.0.0.1\n[video]\nwidth = 320\nheight = 180\nbitrate_kbps = 300\n",
                          b->secret);
  g_assert_true (g_file_set_contents (ini, text, -1, &error));
  {
    g_autoptr (GSubprocessLauncher) launcher
        = media_test_child_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    process = g_subprocess_launcher_spawn (launcher, &error, bridge_exe, "--config", ini, NULL);
  }
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &r);
  WAIT_UNTIL (r.done, 30);
  g_assert_nonnull (r.line);
  g_assert_true (g_str_has_prefix (r.line, "vc-bridge listening on http://127.0.0.1:"));
  g_free (b->url);
  b->url = g_strdup (r.line + strlen ("vc-bridge listening on "));
  g_free (r.line);
  return process;
}

static void
bridge_stop (Bridge *b)
{
  if (b->server == NULL)
    {
      g_clear_pointer (&b->url, g_free);
      g_clear_pointer (&b->secret, g_free);
      return;
    }
  bridge_server_shutdown (b->server);
  g_clear_object (&b->server);
  g_clear_pointer (&b->settings, bridge_settings_free);
  g_clear_pointer (&b->url, g_free);
  g_clear_pointer (&b->secret, g_free);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  vc_test_tolerate_upstream_bugs ();
  /* "child-process": B runs as a vc-bridge process of its own (killed and
   * restarted by the test) */
  for (guint i = 0; i < N_BRIDGES; i++)
    if (!(i == B && g_strcmp0 (data, "child-process") == 0))
      bridge_start (&f->bridges[i], i);
  f->session = soup_session_new ();
  f->watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  guint tick;

  /* children first: their uplinks say bye to a parent that is still there */
  for (gint i = N_BRIDGES - 1; i >= 0; i--)
    bridge_stop (&f->bridges[i]);
  g_clear_object (&f->session);
  g_clear_handle_id (&f->watchdog, g_source_remove);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (vc_media_wait_disposals (10000));
  tick = g_timeout_add (50, on_tick, NULL);
  WAIT_UNTIL (bridge_peer_count_alive () == 0, 10);
  g_source_remove (tick);
}

/* ---- HTTP ---- */

static guint
http (Fixture *f, guint bridge, const gchar *method, const gchar *path, const gchar *body,
      gchar **out_body)
{
  Bridge *b = &f->bridges[bridge];
  g_autofree gchar *auth = g_strconcat ("Bearer ", b->secret, NULL);

  return media_test_http_text (f->session, b->url, method, path, auth, body, out_body);
}

static JsonObject *
get_room (Fixture *f, guint bridge, const gchar *id, JsonParser *parser)
{
  g_autofree gchar *path = g_strconcat ("/rooms/", id, NULL), *text = NULL;

  g_assert_cmpuint (http (f, bridge, "GET", path, NULL, &text), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static gboolean
participant_connected (Fixture *f, guint bridge, const gchar *room, const gchar *endpoint)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *p = media_test_find_participant (get_room (f, bridge, room, parser), endpoint);

  g_assert_nonnull (p);
  return json_object_get_boolean_member (p, "connected");
}

/* the member @name of the room's "uplink" object, as text ("" for null) */
static gchar *
uplink_member (Fixture *f, guint bridge, const gchar *room, const gchar *name)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *uplink = json_object_get_object_member (get_room (f, bridge, room, parser), "uplink");
  JsonNode *node = json_object_get_member (uplink, name);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (json_node_get_string (node));
}

/* The room knows a room above it: GET /rooms/{id}'s "tree" (the rooms from
 * the root down to this one) names more than itself */
static gboolean
uplink_tree_known (Fixture *f, guint bridge, const gchar *room)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = get_room (f, bridge, room, parser);
  const gchar *tree = json_object_get_string_member_with_default (o, "tree", "");

  return strchr (tree, ' ') != NULL;
}

static gint64
room_tiles (Fixture *f, guint bridge, const gchar *room)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  return json_object_get_int_member (get_room (f, bridge, room, parser), "tiles");
}

static gboolean
uplink_state_is (Fixture *f, guint bridge, const gchar *room, const gchar *state)
{
  g_autofree gchar *now = uplink_member (f, bridge, room, "state");
  return g_str_equal (now, state);
}

static void
create_room (Fixture *f, guint bridge, const gchar *id, const gchar *participants_json)
{
  g_autofree gchar *body = g_strdup_printf (
      "{\"id\":\"%s\",\"participants\":%s,\"layout\":\"grid\"}", id, participants_json);
  g_assert_cmpuint (http (f, bridge, "POST", "/rooms", body, NULL), ==, 201);
}

/* ---- tokens and links ---- */

static gchar *
make_token (Bridge *b, const gchar *meeting, const gchar *endpoint, gboolean link,
            gint64 exp_offset)
{
  VcJwtClaims c = { .meeting = (gchar *)meeting,
                    .endpoint = (gchar *)endpoint,
                    .link = link,
                    .exp = vc_time_now () + exp_offset,
                    .iat = vc_time_now () };
  return vc_jwt_sign (&c, b->secret);
}

static gchar *
signal_url (Bridge *b, const gchar *room)
{
  return g_strdup_printf ("ws%s/rooms/%s/signal", b->url + 4, room);
}

/* POST /rooms/@child_room/uplink on @child, to @parent_room on @parent */
static guint
post_uplink (Fixture *f, guint child, const gchar *child_room, const gchar *url, const gchar *token)
{
  g_autofree gchar *path = g_strdup_printf ("/rooms/%s/uplink", child_room);
  g_autofree gchar *body = g_strdup_printf ("{\"signal_url\":\"%s\",\"token\":\"%s\"}", url, token);
  return http (f, child, "POST", path, body, NULL);
}

static void
link_rooms (Fixture *f, guint child, const gchar *child_room, guint parent,
            const gchar *parent_room, const gchar *as)
{
  g_autofree gchar *token = make_token (&f->bridges[parent], parent_room, as, TRUE, 600);
  g_autofree gchar *url = signal_url (&f->bridges[parent], parent_room);

  g_assert_cmpuint (post_uplink (f, child, child_room, url, token), ==, 202);
}

/* ---- participants ---- */

static VcClientPeer *
start_peer_at (Fixture *f, guint bridge, const gchar *room, const gchar *endpoint, gdouble tone,
               gdouble volume, const gchar *video)
{
  Bridge *b = &f->bridges[bridge];
  g_autofree gchar *token = make_token (b, room, endpoint, FALSE, 600);
  g_autofree gchar *url = signal_url (b, room);
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
  s.tone_volume = volume;
  s.video_source = video;
  s.audio_source = "test";
  s.output = VC_CLIENT_PEER_OUTPUT_NONE;
  peer = vc_client_peer_new (&s);
  g_assert_true (vc_client_peer_start (peer, &error));
  g_assert_no_error (error);
  return peer;
}

static VcClientPeer *
start_peer (Fixture *f, guint bridge, const gchar *room, const gchar *endpoint, gdouble tone,
            const gchar *video)
{
  return start_peer_at (f, bridge, room, endpoint, tone, 0.15, video);
}

static gboolean
peer_flowing (VcClientPeer *peer)
{
  VcClientPeerStats s;

  vc_client_peer_get_stats (peer, &s);
  return vc_client_peer_get_state (peer) == VC_CLIENT_PEER_STATE_CONNECTED && s.video_frames >= 3
         && s.audio_buffers >= 25;
}

/* ---- what a participant hears (Goertzel, as test-bridge.c) ---- */

typedef struct
{
  GMutex lock;
  GArray *samples; /* gint16, the last 3 s */
} AudioTap;

/* streaming thread */
static void
on_audio_decoded (VcClientPeer *peer, GstBuffer *pcm, gpointer data)
{
  AudioTap *tap = data;
  GstMapInfo map;

  if (!gst_buffer_map (pcm, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&tap->lock);
  g_array_append_vals (tap->samples, map.data, map.size / 2);
  if (tap->samples->len > 48000 * 3)
    g_array_remove_range (tap->samples, 0, tap->samples->len - 48000 * 3);
  g_mutex_unlock (&tap->lock);
  gst_buffer_unmap (pcm, &map);
}

/* A tone at 0.15 measures about 0.01-0.02 here, silence below 1e-6: a tone
 * more than 20 dB below its level, after up to three links on a loaded
 * machine whose mixers run late now and then, is still heard. */
#define HEARD 2e-4
/* Its own tone coming back would measure like the others (~0.01); what
 * the codecs' distortion of the other three tones leaves at its frequency
 * after two or three Opus generations measured up to ~8e-6 (-34 dB). */
#define OWN_MAX 2e-5

/* the power of @freq over the last second, 0..~0.25 for a full-scale sine */
static gdouble
tap_power (AudioTap *tap, gdouble freq)
{
  gdouble w = 2.0 * G_PI * freq / 48000.0, c = 2.0 * cos (w), s1 = 0, s2 = 0;
  guint n;

  g_mutex_lock (&tap->lock);
  n = MIN (tap->samples->len, 48000);
  for (guint i = tap->samples->len - n; i < tap->samples->len; i++)
    {
      gdouble s0 = g_array_index (tap->samples, gint16, i) / 32768.0 + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  g_mutex_unlock (&tap->lock);
  return n == 0 ? 0 : (s1 * s1 + s2 * s2 - c * s1 * s2) / ((gdouble)n * n / 4.0);
}

/* ---- what a participant sees ---- */

/* saturated red chroma samples (U < 128, V > 190) in the last decoded
 * composite, per thousand: a1's solid red, wherever it is nested */
typedef struct
{
  gint red_permille;
  gint frames;
} PictureTap;

/* streaming thread (the peer's video decoder) */
static void
on_video_decoded (VcClientPeer *peer, GstSample *sample, gpointer data)
{
  PictureTap *tap = data;
  GstVideoInfo info;
  GstVideoFrame frame;
  guint64 red = 0;
  guint w, h;
  gint us, vs;
  const guint8 *u, *v;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_I420
      || !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return;
  w = GST_VIDEO_FRAME_WIDTH (&frame) / 2, h = GST_VIDEO_FRAME_HEIGHT (&frame) / 2;
  u = GST_VIDEO_FRAME_PLANE_DATA (&frame, 1), v = GST_VIDEO_FRAME_PLANE_DATA (&frame, 2);
  us = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 1), vs = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 2);
  for (guint row = 0; row < h; row++)
    for (guint col = 0; col < w; col++)
      red += u[row * us + col] < 128 && v[row * vs + col] > 190;
  gst_video_frame_unmap (&frame);
  g_atomic_int_set (&tap->red_permille, (gint)(red * 1000 / ((guint64)w * h)));
  g_atomic_int_inc (&tap->frames);
}

/* ---- the tree ---- */

#define N_ROOMS 4

typedef struct
{
  guint bridge;
  const gchar *room;
  const gchar *endpoint;
  gdouble tone;
} Member;

/* one participant per room; rooms 20 and 30 are children of 10, 21 of 20.
 * No sum, difference or third-order product of two or three of these tones
 * falls within 80 Hz of another, and the four at 0.15 stay below the
 * mixer's limiter knee (0.75): what a room hears of its own tone is the
 * mix-minus's doing, not intermodulation. */
static const Member members[N_ROOMS] = {
  { P, "10", "p1", 510 },
  { A, "20", "a1", 940 },
  { B, "30", "b1", 1150 },
  { A, "21", "a2", 1280 },
};

typedef struct
{
  VcClientPeer *peers[N_ROOMS];
  AudioTap taps[N_ROOMS];
} Tree;

static void
tree_build (Fixture *f, Tree *t)
{
  create_room (f, P, "10",
               "[{\"endpoint\":\"p1\",\"name\":\"UBND tỉnh\"},"
               "{\"endpoint\":\"huyen-a\",\"name\":\"Huyện A\",\"link\":true},"
               "{\"endpoint\":\"huyen-b\",\"name\":\"Huyện B\",\"link\":true}]");
  create_room (f, A, "20",
               "[{\"endpoint\":\"a1\",\"name\":\"UBND huyện A\"},"
               "{\"endpoint\":\"xa-c\",\"name\":\"Xã C\",\"link\":true}]");
  create_room (f, A, "21", "[{\"endpoint\":\"a2\",\"name\":\"UBND xã C\"}]");
  create_room (f, B, "30", "[{\"endpoint\":\"b1\",\"name\":\"UBND huyện B\"}]");
  link_rooms (f, A, "20", P, "10", "huyen-a");
  link_rooms (f, B, "30", P, "10", "huyen-b");
  link_rooms (f, A, "21", A, "20", "xa-c");
  for (guint i = 0; i < N_ROOMS; i++)
    {
      const Member *m = &members[i];
      t->peers[i]
          = start_peer (f, m->bridge, m->room, m->endpoint, m->tone, i == 1 ? "test:red" : "test");
      g_mutex_init (&t->taps[i].lock);
      t->taps[i].samples = g_array_new (FALSE, FALSE, sizeof (gint16));
      g_signal_connect (t->peers[i], "audio-decoded", G_CALLBACK (on_audio_decoded), &t->taps[i]);
    }
  WAIT_UNTIL (uplink_state_is (f, A, "20", "connected"), 60);
  WAIT_UNTIL (uplink_state_is (f, B, "30", "connected"), 60);
  WAIT_UNTIL (uplink_state_is (f, A, "21", "connected"), 60);
  for (guint i = 0; i < N_ROOMS; i++)
    WAIT_UNTIL (peer_flowing (t->peers[i]), 60);
  WAIT_UNTIL (participant_connected (f, P, "10", "huyen-a"), 30);
  WAIT_UNTIL (participant_connected (f, P, "10", "huyen-b"), 30);
  WAIT_UNTIL (participant_connected (f, A, "20", "xa-c"), 30);
}

static void
tree_free (Tree *t)
{
  for (guint i = 0; i < N_ROOMS; i++)
    {
      g_signal_handlers_disconnect_by_data (t->peers[i], &t->taps[i]);
      vc_client_peer_stop (t->peers[i]);
    }
  media_test_run_for (100); /* an emission already in flight on a streaming thread ends */
  for (guint i = 0; i < N_ROOMS; i++)
    {
      g_clear_object (&t->peers[i]);
      g_array_unref (t->taps[i].samples);
      g_mutex_clear (&t->taps[i].lock);
    }
}

/* Every room hears every other room's tone, and its own at least 30 dB
 * below a tone's level (OWN_MAX), or 30 dB below the weakest other tone (as
 * test-bridge.c's mix-minus test), or no louder than the noise next to it.
 * FALSE, with the powers in @why, while that does not hold. */
static gboolean
tree_hears_right (Tree *t, GString *why)
{
  gboolean ok = TRUE;

  g_string_truncate (why, 0);
  for (guint i = 0; i < N_ROOMS; i++)
    {
      gdouble own = tap_power (&t->taps[i], members[i].tone), weakest = G_MAXDOUBLE, floor;
      g_string_append_printf (why, "%s:", members[i].endpoint);
      for (guint k = 0; k < N_ROOMS; k++)
        {
          gdouble power = tap_power (&t->taps[i], members[k].tone);
          g_string_append_printf (why, " %.0f=%.1e", members[k].tone, power);
          if (k != i)
            weakest = MIN (weakest, power);
        }
      /* what is around the own tone: a click (a late mixer tick on this
       * loaded machine) puts energy at every frequency, its own included */
      floor = (tap_power (&t->taps[i], members[i].tone - 37)
               + tap_power (&t->taps[i], members[i].tone + 37)
               + tap_power (&t->taps[i], members[i].tone - 53)
               + tap_power (&t->taps[i], members[i].tone + 53))
              / 4;
      g_string_append_printf (why, " (floor %.1e); ", floor);
      ok &= weakest > HEARD && (own < OWN_MAX || own < weakest / 1000 || own < 4 * floor);
    }
  return ok;
}

/* Waits up to @seconds for the tree to hear right; fails with the powers
 * and the rooms' state if it never does. The verdict is the last reading's
 * (the taps keep moving). */
static void
tree_check (Fixture *f, Tree *t, GString *why, const gchar *when, guint seconds)
{
  g_autofree gchar *room_p = NULL, *room_a = NULL, *room_c = NULL;
  gint64 end = g_get_monotonic_time () + (gint64)seconds * G_USEC_PER_SEC;
  gboolean ok;

  while (!(ok = tree_hears_right (t, why)) && g_get_monotonic_time () < end)
    media_test_run_for (500);
  if (ok)
    {
      g_test_message ("%s: %s", when, why->str);
      return;
    }
  http (f, P, "GET", "/rooms/10", NULL, &room_p);
  http (f, A, "GET", "/rooms/20", NULL, &room_a);
  http (f, A, "GET", "/rooms/21", NULL, &room_c);
  g_error ("%s, the tree does not hear right: %s\nP/10: %s\nA/20: %s\nA/21: %s", when, why->str,
           room_p, room_a, room_c);
}

static void
test_tree (Fixture *f, gconstpointer data)
{
  Tree t = { 0 };
  g_autoptr (GString) why = g_string_new (NULL);

  tree_build (f, &t);
  /* the tones cross up to three links: wait for them to settle, then hold */
  tree_check (f, &t, why, "settled", 30);
  /* and again, 2 s on. On a machine so loaded that the mixers skip ticks,
   * an ordinary participant whose own input ran dry loses its personal
   * mix for a moment and hears itself in the shared one (not a link
   * matter: the same happens on one bridge), so give it 10 s */
  media_test_run_for (2000);
  tree_check (f, &t, why, "2 s later", 10);
  /* a1's red picture reaches b1, on the other child, through P (the
   * parent's composite is a tile of B/30's, A/20's composite a tile of
   * P/10's): about 1/16 of 1/4 of b1's picture */
  {
    static PictureTap tap; /* static: a late emission never writes a dead frame */
    gint before;

    memset (&tap, 0, sizeof tap);
    g_signal_connect (t.peers[2], "video-decoded", G_CALLBACK (on_video_decoded), &tap);
    WAIT_UNTIL (g_atomic_int_get (&tap.red_permille) >= 2, 30);
    before = g_atomic_int_get (&tap.red_permille);
    g_test_message ("b1 sees a1's red: %d per mille", before);
    /* P's chair gives the floor to A/20 (huyen-a): in P's speaker layout
     * it fills most of P's picture, so b1 sees much more of a1's red */
    g_assert_cmpuint (http (f, P, "POST", "/rooms/10/control",
                            "{\"action\":\"layout\",\"layout\":\"speaker\"}", NULL),
                      ==, 200);
    g_assert_cmpuint (http (f, P, "POST", "/rooms/10/control",
                            "{\"action\":\"floor\",\"endpoint\":\"huyen-a\"}", NULL),
                      ==, 200);
    WAIT_UNTIL (g_atomic_int_get (&tap.red_permille) >= 2 * before + 4, 30);
    g_test_message ("b1 sees a1's red after the floor: %d per mille",
                    g_atomic_int_get (&tap.red_permille));
    g_signal_handlers_disconnect_by_data (t.peers[2], &tap);
  }
  /* the parent lists its children as connected links */
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *p = media_test_find_participant (get_room (f, P, "10", parser), "huyen-a");
    g_assert_true (json_object_get_boolean_member (p, "link"));
  }
  tree_free (&t);
}

/* ---- the floor across the tree ---- */

/* main thread: a participant's last {"type":"state"} */
static void
on_bridge_state (VcClientPeer *peer, const gchar *text, gpointer data)
{
  gchar **last = data;

  g_free (*last);
  *last = g_strdup (text);
}

/* The room's member @name (a string or null: "" for null) */
static gchar *
room_member (Fixture *f, guint bridge, const gchar *room, const gchar *name)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = get_room (f, bridge, room, parser);
  JsonNode *node = json_object_get_member (o, name);

  g_assert_nonnull (node);
  return g_strdup (JSON_NODE_HOLDS_NULL (node) ? "" : json_node_get_string (node));
}

static gboolean
room_member_is (Fixture *f, guint bridge, const gchar *room, const gchar *name, const gchar *value)
{
  g_autofree gchar *now = room_member (f, bridge, room, name);
  return g_str_equal (now, value);
}

/* The link @link of the room lists @code among the rooms below it, with
 * @room_name */
static gboolean
link_lists (Fixture *f, guint bridge, const gchar *room, const gchar *link, const gchar *code,
            const gchar *room_name)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *p = media_test_find_participant (get_room (f, bridge, room, parser), link);
  JsonArray *rooms = json_object_get_array_member (p, "rooms");

  for (guint i = 0; i < json_array_get_length (rooms); i++)
    {
      JsonObject *r = json_array_get_object_element (rooms, i);
      if (g_str_equal (json_object_get_string_member (r, "endpoint"), code))
        return g_str_equal (json_object_get_string_member (r, "name"), room_name);
    }
  return FALSE;
}

/* The participant's last state names @floor as the tree's floor */
static gboolean
state_floor_is (gchar *const *last, const gchar *floor)
{
  g_autoptr (VcSignalMessage) msg = NULL;

  if (*last == NULL)
    return FALSE;
  msg = vc_signal_parse (*last, strlen (*last), VC_SIGNAL_FROM_BRIDGE, NULL, NULL);
  g_assert_nonnull (msg);
  return g_strcmp0 (msg->floor, floor) == 0;
}

static void
control (Fixture *f, guint bridge, const gchar *room, const gchar *body, guint status)
{
  g_autofree gchar *path = g_strdup_printf ("/rooms/%s/control", room);
  g_assert_cmpuint (http (f, bridge, "POST", path, body, NULL), ==, status);
}

/* Issue #15: P/10 with A/20 and B/30 linked under it. The children report
 * their rooms up, so P lists b1 under huyen-b; P's chair gives the floor to
 * b1, a room on another bridge: P shows huyen-b large, B shows b1 large, and
 * A, the other child, shows P's picture large and tells a1 that b1 has the
 * floor. b1 sends solid red, a1 and p1 a ball on black, so how much red a1
 * sees is how large b1 is in A's picture (the speaker layout everywhere:
 * about 0.56 of the picture a level, so 0.56³ ≈ 18 % of red through three
 * big tiles, against well under 1 % while A shows a1 large). a1 speaks
 * loudest, so without the floor A's speaker layout shows a1 large. */
static void
test_floor (Fixture *f, gconstpointer data)
{
  static PictureTap tap; /* static: a late emission never writes a dead frame */
  g_autofree gchar *a1_state = NULL;
  g_autoptr (VcClientPeer) p1 = NULL, a1 = NULL, b1 = NULL;
  gint before;

  create_room (f, P, "10",
               "[{\"endpoint\":\"p1\",\"name\":\"UBND tỉnh\"},"
               "{\"endpoint\":\"huyen-a\",\"name\":\"Huyện A\",\"link\":true},"
               "{\"endpoint\":\"huyen-b\",\"name\":\"Huyện B\",\"link\":true}]");
  create_room (f, A, "20", "[{\"endpoint\":\"a1\",\"name\":\"UBND huyện A\"}]");
  create_room (f, B, "30", "[{\"endpoint\":\"b1\",\"name\":\"UBND huyện B\"}]");
  for (guint b = P; b <= B; b++)
    control (f, b,
             b == P   ? "10"
             : b == A ? "20"
                      : "30",
             "{\"action\":\"layout\",\"layout\":\"speaker\"}", 200);
  link_rooms (f, A, "20", P, "10", "huyen-a");
  link_rooms (f, B, "30", P, "10", "huyen-b");
  p1 = start_peer_at (f, P, "10", "p1", 510, 0.02, "test:ball");
  a1 = start_peer_at (f, A, "20", "a1", 940, 0.3, "test:ball");
  b1 = start_peer_at (f, B, "30", "b1", 1150, 0.02, "test:red");
  memset (&tap, 0, sizeof tap);
  g_signal_connect (a1, "bridge-state", G_CALLBACK (on_bridge_state), &a1_state);
  g_signal_connect (a1, "video-decoded", G_CALLBACK (on_video_decoded), &tap);
  WAIT_UNTIL (uplink_state_is (f, A, "20", "connected"), 60);
  WAIT_UNTIL (uplink_state_is (f, B, "30", "connected"), 60);
  WAIT_UNTIL (peer_flowing (p1) && peer_flowing (a1) && peer_flowing (b1), 60);

  /* the children report their rooms: P can name them */
  WAIT_UNTIL (link_lists (f, P, "10", "huyen-b", "b1", "UBND huyện B"), 30);
  WAIT_UNTIL (link_lists (f, P, "10", "huyen-a", "a1", "UBND huyện A"), 30);
  /* and their speakers: P names a1, the room that speaks, not the link */
  WAIT_UNTIL (room_member_is (f, P, "10", "active_speaker", "a1"), 30);
  /* a code that is nowhere in the tree is refused, nothing changes */
  control (f, P, "10", "{\"action\":\"floor\",\"endpoint\":\"xa-z\"}", 422);
  g_assert_true (room_member_is (f, P, "10", "floor", ""));

  /* before: A shows a1 large, P's picture (with B's in it) small */
  WAIT_UNTIL (g_atomic_int_get (&tap.frames) >= 10, 30);
  media_test_run_for (1000);
  before = g_atomic_int_get (&tap.red_permille);
  g_test_message ("a1 sees b1's red before the floor: %d per mille", before);

  /* P's chair gives the floor to b1, a room on B */
  control (f, P, "10", "{\"action\":\"floor\",\"endpoint\":\"b1\"}", 200);
  g_assert_true (room_member_is (f, P, "10", "floor", "b1"));
  g_assert_true (room_member_is (f, P, "10", "floor_tile", "huyen-b"));
  WAIT_UNTIL (room_member_is (f, B, "30", "floor_tile", "b1"), 30);
  g_assert_true (room_member_is (f, B, "30", "floor", "b1"));
  WAIT_UNTIL (room_member_is (f, A, "20", "floor_tile", "@parent"), 30);
  g_assert_true (room_member_is (f, A, "20", "floor", "b1"));
  /* a1's state says so, and its picture shows b1 large */
  WAIT_UNTIL (state_floor_is (&a1_state, "b1"), 30);
  WAIT_UNTIL (g_atomic_int_get (&tap.red_permille) >= 2 * before + 60, 60);
  g_test_message ("a1 sees b1's red with the floor: %d per mille",
                  g_atomic_int_get (&tap.red_permille));

  /* the floor taken back: every room follows its own speaker again */
  control (f, P, "10", "{\"action\":\"floor\",\"endpoint\":null}", 200);
  WAIT_UNTIL (room_member_is (f, A, "20", "floor", ""), 30);
  WAIT_UNTIL (room_member_is (f, B, "30", "floor", ""), 30);
  WAIT_UNTIL (state_floor_is (&a1_state, NULL), 30);
  g_assert_true (room_member_is (f, A, "20", "floor_tile", ""));

  g_signal_handlers_disconnect_by_data (a1, &tap);
  g_signal_handlers_disconnect_by_data (a1, &a1_state);
  vc_client_peer_stop (p1);
  vc_client_peer_stop (a1);
  vc_client_peer_stop (b1);
}

/* ---- a child bridge killed mid-meeting ---- */

static void
tap_init (AudioTap *tap, VcClientPeer *peer)
{
  g_mutex_init (&tap->lock);
  tap->samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_signal_connect (peer, "audio-decoded", G_CALLBACK (on_audio_decoded), tap);
}

static void
tap_clear (AudioTap *tap, VcClientPeer *peer)
{
  g_signal_handlers_disconnect_by_data (peer, tap);
  vc_client_peer_stop (peer);
  media_test_run_for (100); /* an emission already in flight ends */
  g_array_unref (tap->samples);
  g_mutex_clear (&tap->lock);
}

static gboolean
hears (AudioTap *tap, gdouble tone)
{
  return tap_power (tap, tone) > HEARD;
}

static VcClientPeer *
start_b_room (Fixture *f)
{
  create_room (f, B, "30", "[{\"endpoint\":\"b1\",\"name\":\"UBND huyện B\"}]");
  link_rooms (f, B, "30", P, "10", "huyen-b");
  return start_peer (f, B, "30", "b1", 1150, "test");
}

/* B (a vc-bridge process) is killed with SIGKILL while P/10, A/20 and B/30
 * talk: P shows huyen-b disconnected, p1 and a1 never stop hearing each
 * other; B is started again, its room and uplink posted again (as the
 * scheduler would) and everybody hears everybody again. */
static void
test_child_killed (Fixture *f, gconstpointer data)
{
  g_autofree gchar *dir = g_dir_make_tmp ("vc-cascade-XXXXXX", NULL);
  g_autoptr (GSubprocess) child = NULL, again = NULL;
  VcClientPeer *p1, *a1, *b1;
  AudioTap tp, ta, tb, tb2;
  gint64 end;

  g_assert_nonnull (dir);
  child = bridge_spawn (&f->bridges[B], B, dir);
  create_room (f, P, "10",
               "[{\"endpoint\":\"p1\"},{\"endpoint\":\"huyen-a\",\"link\":true},"
               "{\"endpoint\":\"huyen-b\",\"link\":true}]");
  create_room (f, A, "20", "[{\"endpoint\":\"a1\"}]");
  link_rooms (f, A, "20", P, "10", "huyen-a");
  p1 = start_peer (f, P, "10", "p1", 510, "test");
  a1 = start_peer (f, A, "20", "a1", 940, "test");
  b1 = start_b_room (f);
  tap_init (&tp, p1);
  tap_init (&ta, a1);
  tap_init (&tb, b1);
  WAIT_UNTIL (hears (&tp, 940) && hears (&tp, 1150) && hears (&ta, 510) && hears (&ta, 1150)
                  && hears (&tb, 510) && hears (&tb, 940),
              60);

  g_subprocess_force_exit (child);
  g_assert_true (g_subprocess_wait (child, NULL, NULL));
  /* P lets the dead child go; meanwhile, and after, P and A go on */
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  {
    /* checked every 250 ms; "never stops" allows a moment of a slow
     * (sanitizer) build's scheduling, not more than a second in a row */
    guint silent = 0;

    while (participant_connected (f, P, "10", "huyen-b") && g_get_monotonic_time () < end)
      {
        media_test_run_for (250);
        silent = hears (&tp, 940) && hears (&ta, 510) ? 0 : silent + 1;
        g_assert_cmpuint (silent, <=, 4);
      }
  }
  g_assert_false (participant_connected (f, P, "10", "huyen-b"));
  g_assert_true (participant_connected (f, P, "10", "huyen-a"));
  media_test_run_for (1500); /* the second that B's tone took to fade */
  g_assert_true (hears (&tp, 940) && hears (&ta, 510));
  g_assert_false (hears (&tp, 1150));
  g_assert_false (hears (&ta, 1150));
  tap_clear (&tb, b1);
  g_clear_object (&b1);

  /* B again, on another port: its room and uplink posted again */
  again = bridge_spawn (&f->bridges[B], B, dir);
  b1 = start_b_room (f);
  tap_init (&tb2, b1);
  WAIT_UNTIL (participant_connected (f, P, "10", "huyen-b"), 60);
  WAIT_UNTIL (hears (&tp, 1150) && hears (&ta, 1150) && hears (&tb2, 510) && hears (&tb2, 940), 60);
  g_assert_true (hears (&tp, 940) && hears (&ta, 510));

  tap_clear (&tb2, b1);
  tap_clear (&tp, p1);
  tap_clear (&ta, a1);
  g_object_unref (b1);
  g_object_unref (p1);
  g_object_unref (a1);
  g_subprocess_send_signal (again, SIGTERM);
  g_assert_true (g_subprocess_wait (again, NULL, NULL));
  {
    g_autofree gchar *ini = g_build_filename (dir, "bridge.ini", NULL);
    g_unlink (ini);
    g_rmdir (dir);
  }
}

/* ---- bad input ---- */

/* P/10's uplink to A/20 (a loop) is off; until then, at every look, A/20
 * never had P/10's link (xa-c) connected */
static gboolean
loop_refused (Fixture *f)
{
  g_assert_false (participant_connected (f, A, "20", "xa-c"));
  return uplink_state_is (f, P, "10", "off");
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree gchar *url_p = signal_url (&f->bridges[P], "10");
  g_autofree gchar *other_room = make_token (&f->bridges[P], "11", "huyen-a", TRUE, 600);
  g_autofree gchar *expired = make_token (&f->bridges[P], "10", "huyen-a", TRUE, -60);
  g_autofree gchar *not_link = make_token (&f->bridges[P], "10", "huyen-a", FALSE, 600);
  g_autofree gchar *link_for_p1 = make_token (&f->bridges[P], "10", "p1", TRUE, 600);
  g_autofree gchar *good = make_token (&f->bridges[P], "10", "huyen-a", TRUE, 600);
  g_autofree gchar *text = NULL, *err = NULL, *attempts = NULL;
  struct
  {
    const gchar *token;
    const gchar *says;
  } refused[] = {
    { other_room, "HTTP 403" },
    { expired, "HTTP 401" },
    { not_link, "HTTP 403" },
    { link_for_p1, "HTTP 403" },
  };
  g_autoptr (VcClientPeer) p1 = NULL;

  create_room (f, P, "10", "[{\"endpoint\":\"p1\"},{\"endpoint\":\"huyen-a\",\"link\":true}]");
  create_room (f, A, "20", "[{\"endpoint\":\"a1\"},{\"endpoint\":\"xa-c\",\"link\":true}]");
  p1 = start_peer (f, P, "10", "p1", 510, "test");
  WAIT_UNTIL (peer_flowing (p1), 60);

  /* before any uplink: off */
  g_assert_true (uplink_state_is (f, A, "20", "off"));
  /* malformed requests: 422 naming the member, no uplink started */
  g_assert_cmpuint (http (f, A, "POST", "/rooms/20/uplink", "{\"token\":\"a.b.c\"}", &text), ==,
                    422);
  g_assert_nonnull (strstr (text, "signal_url"));
  g_assert_cmpuint (post_uplink (f, A, "20", "http://127.0.0.1:1/rooms/10/signal", good), ==, 422);
  g_assert_cmpuint (post_uplink (f, A, "20", url_p, ""), ==, 422);
  g_assert_cmpuint (http (f, A, "POST", "/rooms/20/uplink", "[1]", NULL), ==, 400);
  g_assert_cmpuint (post_uplink (f, A, "99", url_p, good), ==, 404);
  g_assert_true (uplink_state_is (f, A, "20", "off"));
  g_assert_cmpuint (http (f, A, "DELETE", "/rooms/20/uplink", NULL, NULL), ==, 404);

  /* tokens the parent refuses: the uplink ends "off" with the reason */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_cmpuint (post_uplink (f, A, "20", url_p, refused[i].token), ==, 202);
      WAIT_UNTIL (uplink_state_is (f, A, "20", "off"), 20);
      g_clear_pointer (&err, g_free);
      err = uplink_member (f, A, "20", "last_error");
      g_test_message ("refused %u: %s", i, err);
      g_assert_nonnull (strstr (err, refused[i].says));
      g_assert_false (participant_connected (f, P, "10", "huyen-a"));
    }
  /* a link token never opens a room on the parent */
  {
    g_autofree gchar *missing = make_token (&f->bridges[P], "12", "huyen-a", TRUE, 600);
    g_autofree gchar *url_missing = signal_url (&f->bridges[P], "12");
    g_assert_cmpuint (post_uplink (f, A, "20", url_missing, missing), ==, 202);
    WAIT_UNTIL (g_strcmp0 (err = (g_free (err), uplink_member (f, A, "20", "last_error")), "") != 0,
                20);
    g_assert_cmpuint (http (f, P, "GET", "/rooms/12", NULL, NULL), ==, 404);
    g_assert_cmpuint (http (f, A, "DELETE", "/rooms/20/uplink", NULL, NULL), ==, 204);
  }

  /* a bridge that is not there: retried with back-off, the reason shown */
  g_assert_cmpuint (post_uplink (f, A, "20", "ws://127.0.0.1:9/rooms/10/signal", good), ==, 202);
  WAIT_UNTIL (
      (g_free (attempts), attempts = uplink_member (f, A, "20", "attempts"), atoi (attempts) >= 3),
      30);
  {
    g_autofree gchar *state = uplink_member (f, A, "20", "state"); /* one read: it moves */
    g_assert_true (g_str_equal (state, "retrying") || g_str_equal (state, "connecting"));
  }
  g_clear_pointer (&err, g_free);
  err = uplink_member (f, A, "20", "last_error");
  g_assert_cmpstr (err, !=, "");
  /* a second parent meanwhile: 409, the first one goes on */
  g_assert_cmpuint (post_uplink (f, A, "20", url_p, good), ==, 409);
  g_assert_cmpuint (http (f, A, "DELETE", "/rooms/20/uplink", NULL, NULL), ==, 204);
  g_assert_true (uplink_state_is (f, A, "20", "off"));

  /* after all that, the good token links */
  g_assert_cmpuint (post_uplink (f, A, "20", url_p, good), ==, 202);
  WAIT_UNTIL (uplink_state_is (f, A, "20", "connected"), 60);
  WAIT_UNTIL (participant_connected (f, P, "10", "huyen-a"), 30);

  /* a loop: P/10 linked under A/20, its own child, as A/20's link xa-c.
   * P/10's uplink names its room in the join; A/20 knows the tree above it
   * (P/10) and refuses the join before the upgrade (409): P/10's uplink
   * turns off after one attempt, never connected, xa-c never joins A/20
   * (no media, so no feedback), and A/20's own link to P/10 stays */
  WAIT_UNTIL (uplink_tree_known (f, A, "20"), 30);
  {
    g_autofree gchar *loop = make_token (&f->bridges[A], "20", "xa-c", TRUE, 600);
    g_autofree gchar *url_a = signal_url (&f->bridges[A], "20");
    g_autofree gchar *connected_at = NULL;
    g_assert_cmpuint (post_uplink (f, P, "10", url_a, loop), ==, 202);
    WAIT_UNTIL (loop_refused (f), 60);
    g_clear_pointer (&err, g_free);
    err = uplink_member (f, P, "10", "last_error");
    g_test_message ("loop: %s", err);
    g_assert_nonnull (strstr (err, "a loop"));
    g_assert_nonnull (strstr (err, "HTTP 409"));
    g_clear_pointer (&attempts, g_free);
    attempts = uplink_member (f, P, "10", "attempts");
    g_assert_cmpstr (attempts, ==, "1");
    connected_at = uplink_member (f, P, "10", "connected_at");
    g_assert_cmpstr (connected_at, ==, "");
    g_assert_false (participant_connected (f, A, "20", "xa-c"));
    g_assert_true (uplink_state_is (f, A, "20", "connected"));
    g_assert_true (participant_connected (f, P, "10", "huyen-a"));
    /* no retry storm: over 1.5 s (three first back-offs) still one attempt */
    media_test_run_for (1500);
    g_clear_pointer (&attempts, g_free);
    attempts = uplink_member (f, P, "10", "attempts");
    g_assert_cmpstr (attempts, ==, "1");
    g_assert_true (uplink_state_is (f, P, "10", "off"));
    g_assert_false (participant_connected (f, A, "20", "xa-c"));
    g_assert_cmpuint (http (f, P, "DELETE", "/rooms/10/uplink", NULL, NULL), ==, 204);
  }

  /* nothing else was disturbed: p1 still flows */
  WAIT_UNTIL (peer_flowing (p1), 5);

  /* the parent drops the link (no longer invited): it says bye, the retry
   * is refused, and the child's layout loses the parent's tile */
  WAIT_UNTIL (room_tiles (f, A, "20") == 1, 20);
  g_assert_cmpuint (http (f, P, "POST", "/rooms",
                          "{\"id\":\"10\",\"participants\":[{\"endpoint\":\"p1\"}]}", NULL),
                    ==, 200);
  WAIT_UNTIL (uplink_state_is (f, A, "20", "off"), 30);
  g_clear_pointer (&err, g_free);
  err = uplink_member (f, A, "20", "last_error");
  g_assert_nonnull (strstr (err, "HTTP 403"));
  WAIT_UNTIL (room_tiles (f, A, "20") == 0, 10);
  g_assert_cmpuint (http (f, A, "DELETE", "/rooms/20/uplink", NULL, NULL), ==, 204);
  g_assert_true (uplink_state_is (f, A, "20", "off"));
  WAIT_UNTIL (peer_flowing (p1), 5);
  vc_client_peer_stop (p1);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  bridge_exe = g_strdup (argc > 1 ? argv[1] : "build/media/vc-bridge");
  g_test_add ("/cascade/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/cascade/tree", Fixture, NULL, fixture_setup, test_tree, fixture_teardown);
  g_test_add ("/cascade/floor", Fixture, NULL, fixture_setup, test_floor, fixture_teardown);
  g_test_add ("/cascade/child-killed", Fixture, "child-process", fixture_setup, test_child_killed,
              fixture_teardown);
  return g_test_run ();
}
