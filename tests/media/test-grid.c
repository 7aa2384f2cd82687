/* test-grid.c — issue #14 item 3: a large meeting in the 5 x 5 grid.
 *
 * vc-bridge in-process on 127.0.0.1:0 with 30 headless VcClientPeer's
 * (counting receivers; 26 send a pre-encoded 512x288 clip with a 256x144
 * copy, the last four live test video at 320x180): the 1280x720 grid shows
 * 25 tiles of 256x144; every shown sender sends at most its tile's size
 * (the live ones scale to it before their encoder, the clips switch to
 * their small copy), so what the bridge decodes is never larger than the
 * tile; the five not shown hold their video. A hidden participant who
 * starts speaking (unmuted with a tone) gets a tile within about 2 s (the
 * speaker detector's 600 ms hold and the layout), taking the tile of one
 * who never spoke, and its picture reaches the composite. Readiness is
 * polled on the main loop, never slept for. */
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

#define SECRET "integration-test-secret-0123"
#define AUTH "Bearer " SECRET
#define WATCHDOG_S 600
#define N 30
#define TILES 25

static gboolean
on_watchdog (gpointer data)
{
  g_error ("watchdog: test took longer than %d s", WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

static const gchar *ice_loopback[] = { "127.0.0.1", NULL };

/* pre-encoded video for most participants (no encoder each: 30 live
 * encoders in one test process are too much for a shared 2-core machine):
 * 512x288 and its half, 256x144, which the clip player switches to for a
 * tile that small */
static VcMediaClip *clip_full, *clip_half, *clip_silence;

static VcClientPeer *
start_peer (const gchar *url, const gchar *endpoint, gdouble volume, gboolean live)
{
  VcJwtClaims c = { .meeting = "g", .endpoint = (gchar *)endpoint, .exp = vc_time_now () + 600 };
  g_autofree gchar *token = vc_jwt_sign (&c, SECRET);
  g_autofree gchar *signal_url = g_strdup_printf ("ws%s/rooms/g/signal", url + 4);
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  VcClientPeer *peer;

  s.signal_url = signal_url;
  s.token = token;
  s.ice_addresses = ice_loopback;
  s.width = 320;
  s.height = 180;
  s.fps = 10;
  s.video_bitrate_kbps = 150;
  s.tone_hz = 440;
  s.tone_volume = volume;
  s.video_source = "test";
  if (!live)
    {
      s.video_clip = clip_full;
      s.video_clip_half = clip_half;
    }
  if (volume == 0)
    s.audio_clip = clip_silence; /* no Opus encoder either */
  s.audio_source = "test";
  s.output = VC_CLIENT_PEER_OUTPUT_COUNT; /* nothing decoded on the test's side */
  s.audio_priority = VC_MEDIA_THREAD_NORMAL;
  peer = vc_client_peer_new (&s);
  g_assert_true (vc_client_peer_start (peer, &error));
  g_assert_no_error (error);
  return peer;
}

static JsonObject *
get_room (SoupSession *session, const gchar *url, JsonParser *parser)
{
  g_autofree gchar *text = NULL;

  g_assert_cmpuint (media_test_http_text (session, url, "GET", "/rooms/g", AUTH, NULL, &text), ==,
                    200);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static guint
count_connected (SoupSession *session, const gchar *url)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *list = json_object_get_array_member (get_room (session, url, parser), "participants");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (list); i++)
    n += json_object_get_boolean_member (json_array_get_object_element (list, i), "connected");
  return n;
}

/* Like WAIT_UNTIL, but the condition (a request to the bridge in this
 * process) is evaluated every 200 ms, not after every event of 30 peers. */
#define POLL_UNTIL(cond, seconds)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gint64 _end = g_get_monotonic_time () + (gint64)(seconds)*G_USEC_PER_SEC;                      \
    while (!(cond) && g_get_monotonic_time () < _end)                                              \
      media_test_run_for (200);                                                                    \
    if (!(cond))                                                                                   \
      g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond);                      \
  }                                                                                                \
  G_STMT_END

/* POLL_UNTIL (count_connected () >= n), saying how far it got. */
static void
wait_connected (SoupSession *session, const gchar *url, guint n, guint seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)seconds * G_USEC_PER_SEC, said = 0;
  guint got = 0;

  while ((got = count_connected (session, url)) < n && g_get_monotonic_time () < end)
    {
      if (g_get_monotonic_time () - said > 10 * G_USEC_PER_SEC)
        {
          g_test_message ("%u of %u connected", got, n);
          said = g_get_monotonic_time ();
        }
      media_test_run_for (200);
    }
  if (got < n)
    g_error ("only %u of %u participants connected after %u s", got, n, seconds);
}

static gint64
member_of (SoupSession *session, const gchar *url, const gchar *endpoint, const gchar *member)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *p = media_test_find_participant (get_room (session, url, parser), endpoint);

  g_assert_nonnull (p);
  return json_node_get_value_type (json_object_get_member (p, member)) == G_TYPE_BOOLEAN
             ? json_object_get_boolean_member (p, member)
             : json_object_get_int_member (p, member);
}

/* every shown participant's decoded input at the bridge is known and no
 * larger than its tile; returns how many are shown */
static gboolean
shown_inputs_fit (SoupSession *session, const gchar *url, guint *shown, gboolean check)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *list = json_object_get_array_member (get_room (session, url, parser), "participants");
  gboolean all_known = TRUE;

  *shown = 0;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      gint64 vw = json_object_get_int_member (p, "video_width");
      gint64 vh = json_object_get_int_member (p, "video_height");
      gint64 tw = json_object_get_int_member (p, "tile_width");
      gint64 th = json_object_get_int_member (p, "tile_height");
      if (!json_object_get_boolean_member (p, "tile"))
        continue;
      (*shown)++;
      g_assert_cmpint (tw, ==, 256); /* a 5 x 5 cell of 1280x720 */
      g_assert_cmpint (th, ==, 144);
      /* a 320x180 picture, scaled to the tile: what is decoded is the tile's size; until a
       * sender's resize reaches the bridge it may still be 320x180 */
      if (vw == 0 || vw > tw || vh > th)
        all_known = FALSE;
      if (check)
        {
          g_assert_cmpint (vw, >, 0);
          g_assert_cmpint (vw, <=, tw);
          g_assert_cmpint (vh, <=, th);
        }
    }
  return all_known;
}

static void
test_grid_25 (void)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);
  g_autoptr (GError) error = NULL;
  g_autoptr (BridgeSettings) settings = NULL;
  g_autoptr (BridgeServer) server = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GString) body = g_string_new ("{\"id\":\"g\",\"layout\":\"grid\",\"participants\":[");
  g_autofree gchar *mute = NULL, *unmute = NULL;
  VcClientPeer *peers[N];
  const gchar *speaker = "p29";
  const gchar *url;
  guint watchdog, shown = 0, hidden_not_sending = 0;
  gint64 unmuted_at;

  vc_test_tolerate_upstream_bugs ();
  clip_full = vc_media_clip_encode_video (512, 288, 10, 4, &error);
  g_assert_no_error (error);
  clip_half = vc_media_clip_encode_video (256, 144, 10, 4, &error);
  g_assert_no_error (error);
  clip_silence = vc_media_clip_encode_audio (440, 0, 4, 0, &error);
  g_assert_no_error (error);
  watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);
  vc_config_set (config, "bridge", "listen", "127.0.0.1:0");
  vc_config_set (config, "bridge", "secret", SECRET);
  /* 30 peers and the bridge in one process on a shared machine: a peer
   * starved for a few seconds is not a participant that went away */
  vc_config_set (config, "media", "stall_timeout_s", "30");
  settings = bridge_settings_load (config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (settings->max_tiles, ==, TILES); /* the default */
  g_assert_cmpuint (settings->width, ==, 1280);
  server = bridge_server_new (settings);
  g_assert_true (bridge_server_listen (server, &error));
  url = bridge_server_get_url (server);
  for (guint i = 0; i < N; i++)
    g_string_append_printf (body, "%s{\"endpoint\":\"p%02u\"}", i ? "," : "", i);
  g_string_append (body, "],\"chair\":\"p00\"}");
  g_assert_cmpuint (media_test_http_text (session, url, "POST", "/rooms", AUTH, body->str, NULL),
                    ==, 201);
  /* the one who will speak is muted at first (its tone does not count) */
  mute = g_strdup_printf ("{\"action\":\"mute\",\"endpoint\":\"%s\"}", speaker);
  unmute = g_strdup_printf ("{\"action\":\"unmute\",\"endpoint\":\"%s\"}", speaker);
  g_assert_cmpuint (
      media_test_http_text (session, url, "POST", "/rooms/g/control", AUTH, mute, NULL), ==, 200);
  /* five at a time, as rooms join over a minute or two, not all in the
   * same instant on a loaded test machine */
  for (guint i = 0; i < N - 1; i++)
    {
      g_autofree gchar *endpoint = g_strdup_printf ("p%02u", i);
      peers[i] = start_peer (url, endpoint, 0.0, i >= N - 4); /* the last three live */
      if (i % 5 == 4 || i == N - 2)
        wait_connected (session, url, i + 1, 120);
    }
  /* the speaker joins last: every tile is taken */
  peers[N - 1] = start_peer (url, speaker, 0.3, TRUE);
  wait_connected (session, url, N, 60);
  g_assert_false (member_of (session, url, speaker, "tile"));
  /* 25 shown, each sending at its tile's size; the others hold their video */
  POLL_UNTIL (shown_inputs_fit (session, url, &shown, FALSE), 60);
  shown_inputs_fit (session, url, &shown, TRUE);
  g_assert_cmpuint (shown, ==, TILES);
  for (guint i = 0; i < N; i++)
    {
      VcClientPeerStats st;
      g_autofree gchar *endpoint = g_strdup_printf ("p%02u", i);
      vc_client_peer_get_stats (peers[i], &st);
      if (member_of (session, url, endpoint, "tile"))
        {
          g_assert_true (st.video_sending);
          g_assert_cmpuint (st.video_width, <=, 256);
          g_assert_cmpuint (st.video_height, <=, 144);
        }
      else
        hidden_not_sending += !st.video_sending;
    }
  g_assert_cmpuint (hidden_not_sending, ==, N - TILES);
  /* the hidden one speaks: shown within about 2 s, and its picture reaches its tile */
  g_assert_cmpuint (
      media_test_http_text (session, url, "POST", "/rooms/g/control", AUTH, unmute, NULL), ==, 200);
  unmuted_at = g_get_monotonic_time ();
  while (!member_of (session, url, speaker, "tile")
         && g_get_monotonic_time () - unmuted_at < 10 * G_USEC_PER_SEC)
    media_test_run_for (50);
  g_test_message ("speaker shown %.0f ms after it started speaking",
                  (g_get_monotonic_time () - unmuted_at) / 1000.0);
  /* target about 2 s (the detector's 600 ms hold, then the layout); a
   * margin for a loaded machine */
  g_assert_cmpint (g_get_monotonic_time () - unmuted_at, <=, 3000 * G_TIME_SPAN_MILLISECOND);
  POLL_UNTIL (member_of (session, url, speaker, "frames_shown") > 0, 10);
  POLL_UNTIL (shown_inputs_fit (session, url, &shown, FALSE), 30);
  shown_inputs_fit (session, url, &shown, TRUE);
  g_assert_cmpuint (shown, ==, TILES); /* it took a tile, did not add one */
  g_assert_cmpuint (member_of (session, url, speaker, "video_width"), ==, 256);
  for (guint i = 0; i < N; i++)
    vc_client_peer_stop (peers[i]);
  for (guint i = 0; i < N; i++)
    g_object_unref (peers[i]);
  bridge_server_shutdown (server);
  g_clear_pointer (&clip_full, vc_media_clip_unref);
  g_clear_pointer (&clip_half, vc_media_clip_unref);
  g_clear_pointer (&clip_silence, vc_media_clip_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (vc_media_wait_disposals (20000));
  g_source_remove (watchdog);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bridge/grid/25-of-30", test_grid_25);
  return g_test_run ();
}
