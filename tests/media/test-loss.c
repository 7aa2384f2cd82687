/* test-loss.c — video and audio through vc-bridge on a lossy link.
 *
 * The bridge runs in-process on 127.0.0.1:0 with headless VcClientPeer's
 * (test sources, decoding, fakesink). Loss, jitter and outages are made
 * on each participant's own packets, both ways (media/client/vc-netem.h: pad
 * probes on its ICE source and sink, before decryption and the jitter
 * buffer), since this kernel has no netem.
 *
 * Targets (issue #12, item 15), each asserted with a modest margin for a
 * loaded 2-core CI machine (about 0.2 s, and the 0.1 s resolution of
 * polling the bridge's tile counters):
 *   - first composite frame ≤ 2 s after the connection at 10 % loss
 *     (asserted ≤ 2.5 s);
 *   - no freeze over 1 s at 5 % loss, either direction (longest interval
 *     between decoded frames ≤ 1.2 s; a tile at the bridge still ≤ 1.3 s);
 *   - after a 3 s outage, video back ≤ 1 s after it ends (≤ 1.2 s at the
 *     participant, ≤ 1.3 s at its tile).
 *
 * Every test has a watchdog; readiness is waited for by polling state on
 * the main loop, never by sleeping. */
#include "../common/vc-test-upstream.h"
#include "media-test.h"
#include "bridge-config.h"
#include "bridge-peer.h"
#include "bridge-server.h"
#include "vc-client-peer.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <gst/gst.h>
#include <libsoup/soup.h>
#include <string.h>

#define SECRET "loss-test-secret-0123456789"
#define WATCHDOG_S 100

typedef struct
{
  BridgeSettings *settings;
  BridgeServer *server;
  SoupSession *session;
  guint watchdog;
  gchar *url;
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

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);
  g_autoptr (GError) error = NULL;

  vc_test_tolerate_upstream_bugs (); /* GTest resets it for each test */
  vc_config_set (config, "bridge", "listen", "127.0.0.1:0");
  vc_config_set (config, "bridge", "secret", SECRET);
  /* as bridge-call: a smaller picture keeps the suite light on 2 cores */
  vc_config_set (config, "video", "width", "640");
  vc_config_set (config, "video", "height", "360");
  vc_config_set (config, "video", "bitrate_kbps", "600");
  f->settings = bridge_settings_load (config, &error);
  g_assert_no_error (error);
  f->server = bridge_server_new (f->settings);
  g_assert_true (bridge_server_listen (f->server, &error));
  g_assert_no_error (error);
  f->url = g_strdup (bridge_server_get_url (f->server));
  f->session = soup_session_new ();
  f->watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  guint tick;

  bridge_server_shutdown (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->session);
  g_clear_handle_id (&f->watchdog, g_source_remove);
  bridge_settings_free (f->settings);
  g_free (f->url);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (vc_media_wait_disposals (10000));
  tick = g_timeout_add (50, on_tick, NULL);
  WAIT_UNTIL (bridge_peer_count_alive () == 0, 10);
  g_source_remove (tick);
}

static guint
http (Fixture *f, const gchar *method, const gchar *path, const gchar *body, gchar **out_body)
{
  return media_test_http_text (f->session, f->url, method, path, "Bearer " SECRET, body, out_body);
}

static void
create_room (Fixture *f)
{
  g_assert_cmpuint (
      http (f, "POST", "/rooms",
            "{\"id\":\"12\",\"participants\":[{\"endpoint\":\"ubnd-tinh\",\"name\":\"UBND tỉnh\"},"
            "{\"endpoint\":\"tinh-uy\",\"name\":\"Tỉnh ủy\"},{\"endpoint\":\"ubnd-vinh\","
            "\"name\":\"UBND TP Vinh\"}],\"chair\":\"ubnd-tinh\",\"layout\":\"grid\"}",
            NULL),
      ==, 201);
}

/* frames of @endpoint given to its tile's decoder (participant → bridge) */
static gint64
tile_frames (Fixture *f, const gchar *endpoint)
{
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *list;

  g_assert_cmpuint (http (f, "GET", "/rooms/12", NULL, &text), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "participants");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      if (g_str_equal (json_object_get_string_member (p, "endpoint"), endpoint))
        return json_object_get_int_member_with_default (p, "frames_shown", 0);
    }
  return -1;
}

static const gchar *ice_loopback[] = { "127.0.0.1", NULL };

static VcClientPeer *
start_peer (Fixture *f, const gchar *endpoint, const gchar *netem)
{
  g_autofree gchar *url = g_strdup_printf ("ws%s/rooms/12/signal", f->url + 4);
  VcJwtClaims claims
      = { .meeting = "12", .endpoint = (gchar *)endpoint, .exp = vc_time_now () + 600 };
  g_autofree gchar *token = vc_jwt_sign (&claims, SECRET);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  VcClientPeer *peer;

  s.signal_url = url;
  s.token = token;
  s.ice_addresses = ice_loopback;
  s.width = 320;
  s.height = 180;
  s.video_bitrate_kbps = 200;
  s.netem = netem;
  peer = vc_client_peer_new (&s);
  g_assert_true (vc_client_peer_start (peer, &error));
  g_assert_no_error (error);
  return peer;
}

static VcClientPeerStats
stats_of (VcClientPeer *peer)
{
  VcClientPeerStats s;
  vc_client_peer_get_stats (peer, &s);
  return s;
}

typedef struct
{
  VcClientPeer *peer;
  gint64 connected_us; /* when it reached CONNECTED, 0 before */
} Joined;

static void
on_state_changed (VcClientPeer *peer, guint state, gpointer data)
{
  Joined *j = data;

  if (state == VC_CLIENT_PEER_STATE_CONNECTED && j->connected_us == 0)
    j->connected_us = g_get_monotonic_time ();
}

static gboolean
all_have_frames (Joined *j, guint n)
{
  for (guint i = 0; i < n; i++)
    if (stats_of (j[i].peer).first_frame_us == 0)
      return FALSE;
  return TRUE;
}

/* Watches a tile's frame counter (participant → bridge) while the loop
 * runs: the longest time it stood still, polled every 100 ms (so within
 * ~0.2 s). */
typedef struct
{
  Fixture *f;
  const gchar *endpoint;
  gint64 frames, changed_us, longest_us;
} TileWatch;

static gboolean
on_tile_poll (gpointer data)
{
  TileWatch *w = data;
  gint64 frames = tile_frames (w->f, w->endpoint), now = g_get_monotonic_time ();

  if (frames != w->frames)
    {
      w->frames = frames;
      w->changed_us = now;
    }
  w->longest_us = MAX (w->longest_us, now - w->changed_us);
  return G_SOURCE_CONTINUE;
}

/* Starts a room's participants on links with @loss_percent each way and
 * waits until each has a first composite frame. */
static void
join_all (Fixture *f, Joined *joined, guint n, guint loss_percent)
{
  static const gchar *endpoints[] = { "ubnd-tinh", "tinh-uy", "ubnd-vinh" };

  create_room (f);
  for (guint i = 0; i < n; i++)
    {
      /* fixed seeds: the same draws on every run (threads still vary the
       * packets they fall on). RTP and RTCP only: a lost DTLS flight waits
       * for OpenSSL's 1 s timer (doubling), which can take the handshake
       * past the bridge's patience; that is the connection, not video. */
      g_autofree gchar *spec
          = g_strdup_printf ("loss=%u,packets=media,seed=%u", loss_percent, 1200 + i);
      joined[i].peer = start_peer (f, endpoints[i], spec);
      g_signal_connect (joined[i].peer, "state-changed", G_CALLBACK (on_state_changed), &joined[i]);
    }
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    while (!all_have_frames (joined, n) && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  for (guint i = 0; i < n; i++)
    if (stats_of (joined[i].peer).first_frame_us == 0)
      g_error ("%s at %u %%: no frame after 30 s, state %s, %" G_GUINT64_FORMAT
               " keyframe requests",
               endpoints[i], loss_percent,
               vc_client_peer_state_to_string (vc_client_peer_get_state (joined[i].peer)),
               stats_of (joined[i].peer).keyframes_requested);
  for (guint i = 0; i < n; i++)
    {
      VcClientPeerStats s = stats_of (joined[i].peer);
      g_test_message ("%s at %u %%: first frame %.0f ms after connecting (%.0f ms after "
                      "starting: signalling, ICE, DTLS), %" G_GUINT64_FORMAT " keyframe requests",
                      endpoints[i], loss_percent, (s.first_frame_us - joined[i].connected_us) / 1e3,
                      (s.first_frame_us - s.started_us) / 1e3, s.keyframes_requested);
    }
}

static void
leave_all (Joined *joined, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      vc_client_peer_stop (joined[i].peer);
      g_clear_object (&joined[i].peer);
    }
}

/* 10 % loss each way on every participant's link: each gets its first
 * composite soon after its connection. Target 2 s, asserted ≤ 2.5 s:
 * measured 0.1-1.1 s (RTP/RTCP loss); with loss on DTLS too, 3.1-4.0 s
 * for the first to join in some runs, and a handshake that never ended
 * once. Before NACK/RTX and the receivers' keyframe requests it took up to
 * 9.9 s, or never came (the composite's keyframes are 10 s apart).
 * Connecting itself (DTLS) is not in the figure: a lost DTLS flight waits
 * for OpenSSL's 1 s timer. */
static void
test_first_frame_at_10 (Fixture *f, gconstpointer data)
{
  Joined joined[3] = { 0 };

  join_all (f, joined, 3, 10);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (stats_of (joined[i].peer).first_frame_us - joined[i].connected_us, <=,
                     2500 * G_TIME_SPAN_MILLISECOND);
  leave_all (joined, 3);
}

/* 5 % loss each way: video keeps flowing both ways. Target: no freeze
 * over 1 s. Measured since NACKs leave at once (vc-media.c) and the
 * room's keyframes may follow each other by 500 ms: 14-15.7 of the 15
 * frames a second decoded, longest interval 0.18-0.84 s, a tile at the
 * bridge still at most 0.3 s (before: 9-11 fps, 1.1-1.7 s and up to
 * 2.6 s: NACKs waited for RTCP's regular interval, the packets they asked
 * for were given up, and each cost a keyframe, given once a second).
 * Asserted: ≥ 12 fps, the longest interval between decoded composite
 * frames ≤ 1.2 s at each receiver, and a sender's tile at the bridge
 * (polled every 100 ms) never standing still over 1.3 s. Audio: 50
 * decoded buffers a second, loss filled by FEC and concealment (not less
 * than 45 a second). */
static void
test_flowing_at_5 (Fixture *f, gconstpointer data)
{
  Joined joined[2] = { 0 };
  TileWatch watch = { f, "tinh-uy", 0, 0, 0 };
  VcClientPeerStats before[2];
  guint poll;

  join_all (f, joined, 2, 5);
  WAIT_UNTIL (tile_frames (f, "tinh-uy") > 0, 10); /* its tile has had a keyframe */
  for (guint i = 0; i < 2; i++)
    {
      vc_client_peer_take_longest_gap (joined[i].peer);
      before[i] = stats_of (joined[i].peer);
    }
  watch.changed_us = g_get_monotonic_time ();
  poll = g_timeout_add (100, on_tile_poll, &watch);
  media_test_run_for (10000);
  g_source_remove (poll);
  for (guint i = 0; i < 2; i++)
    {
      VcClientPeerStats after = stats_of (joined[i].peer);
      gint64 longest = vc_client_peer_take_longest_gap (joined[i].peer);
      g_test_message ("receiver %u: %.1f fps, longest gap %.0f ms, %.1f audio buffers/s", i,
                      (after.video_frames - before[i].video_frames) / 10.0, longest / 1e3,
                      (after.audio_buffers - before[i].audio_buffers) / 10.0);
      g_assert_cmpint (longest, <=, 1200 * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpuint (after.video_frames - before[i].video_frames, >=, 120);
      g_assert_cmpuint (after.audio_buffers - before[i].audio_buffers, >=, 450);
    }
  g_test_message ("tile of tinh-uy at the bridge: longest still %.0f ms", watch.longest_us / 1e3);
  g_assert_cmpint (watch.longest_us, <=, 1300 * G_TIME_SPAN_MILLISECOND);
  leave_all (joined, 2);
}

/* A 3 s outage of one participant's link, both ways: its video, both
 * ways, is back within 1 s of the end (target 1 s; asserted 1.2 s at the
 * participant and 1.3 s at its tile, polled every 100 ms; measured
 * 0.08-0.74 s: the keyframe it needs is asked for as soon as packets come
 * back, and the bridge's limiter answers at once after a quiet
 * interval). */
static void
test_outage_recovery (Fixture *f, gconstpointer data)
{
  Joined joined[2] = { 0 };
  TileWatch watch = { f, "tinh-uy", 0, 0, 0 };
  gint64 rx, tile;
  guint poll;

  join_all (f, joined, 2, 0);
  WAIT_UNTIL (tile_frames (f, "tinh-uy") > 0, 10); /* its tile has had a keyframe */
  vc_client_peer_take_longest_gap (joined[1].peer);
  g_assert_true (vc_client_peer_set_outage (joined[1].peer, 3000));
  watch.frames = tile_frames (f, "tinh-uy");
  watch.changed_us = g_get_monotonic_time ();
  poll = g_timeout_add (100, on_tile_poll, &watch);
  media_test_run_for (3000 + 2500); /* the outage, then time to recover and more */
  g_source_remove (poll);
  /* the longest interval spans the outage: what is over 3 s is recovery
   * (and up to one frame interval before the outage began) */
  rx = vc_client_peer_take_longest_gap (joined[1].peer) - 3 * G_USEC_PER_SEC;
  tile = watch.longest_us - 3 * G_USEC_PER_SEC;
  g_test_message ("after a 3 s outage: composite back at the participant in %.0f ms, its own "
                  "video at the bridge in %.0f ms (polled every 100 ms)",
                  rx / 1e3, tile / 1e3);
  g_assert_cmpint (rx, <=, 1200 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (tile, <=, 1300 * G_TIME_SPAN_MILLISECOND); /* + the poll's resolution */
  /* and it keeps flowing */
  g_assert_cmpuint (stats_of (joined[1].peer).video_freezes, <=, 1);
  leave_all (joined, 2);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/bridge/loss/first-frame-at-10", Fixture, NULL, fixture_setup,
              test_first_frame_at_10, fixture_teardown);
  g_test_add ("/bridge/loss/flowing-at-5", Fixture, NULL, fixture_setup, test_flowing_at_5,
              fixture_teardown);
  g_test_add ("/bridge/loss/outage-recovery", Fixture, NULL, fixture_setup, test_outage_recovery,
              fixture_teardown);
  return g_test_run ();
}
