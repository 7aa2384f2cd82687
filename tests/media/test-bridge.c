/* test-bridge.c — vc-bridge in-process on 127.0.0.1:0 with headless
 * VcClientPeer's (test sources, fakesink): control API, token refusal before
 * the upgrade, malformed signalling, a real call with audio and composited
 * video, the composite's pixels (the other room's picture is in it), and
 * joins/leaves that do not stall the others.
 *
 * Every test has a watchdog; readiness is waited for by polling state on the
 * main loop, never by sleeping. */
#include "../common/vc-test-upstream.h"
#include "media-test.h"
#include "bridge-config.h"
#include "bridge-peer.h"
#include "bridge-room-open.h"
#include "bridge-server.h"
#include "vc-client-peer.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <gst/gst.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#define SECRET "integration-test-secret-0123"
#define WATCHDOG_S 150

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

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);
  g_autoptr (GError) error = NULL;

  vc_test_tolerate_upstream_bugs (); /* GTest resets it for each test */
  vc_config_set (config, "bridge", "listen", "127.0.0.1:0");
  vc_config_set (config, "bridge", "secret", SECRET);
  /* a smaller picture keeps the suite light on a 2-core CI machine */
  vc_config_set (config, "video", "width", "640");
  vc_config_set (config, "video", "height", "360");
  vc_config_set (config, "video", "bitrate_kbps", "600");
  if (data != NULL) /* "max_tiles" for the tests that need hidden participants */
    vc_config_set (config, "video", "max_tiles", data);
  f->settings = bridge_settings_load (config, &error);
  g_assert_no_error (error);
  f->server = bridge_server_new (f->settings);
  g_assert_true (bridge_server_listen (f->server, &error));
  g_assert_no_error (error);
  f->url = g_strdup (bridge_server_get_url (f->server));
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  f->session = soup_session_new ();
  f->watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
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
  /* let teardown hops run, and every pipeline stop, before the next test */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (vc_media_wait_disposals (10000));
  /* and every participant be freed: each one that joined used to keep
   * itself and its whole pipeline alive through its own callbacks */
  tick = g_timeout_add (50, on_tick, NULL); /* wakes the loop to check */
  WAIT_UNTIL (bridge_peer_count_alive () == 0, 10);
  g_source_remove (tick);
}

/* Returns the status; *@out_body (if not NULL) gets the body text. */
static guint
http (Fixture *f, const gchar *method, const gchar *path, const gchar *auth, const gchar *body,
      gchar **out_body)
{
  return media_test_http_text (f->session, f->url, method, path, auth, body, out_body);
}

#define AUTH "Bearer " SECRET

static void
create_room (Fixture *f, const gchar *id, const gchar *layout)
{
  g_autofree gchar *body = g_strdup_printf (
      "{\"id\":\"%s\",\"participants\":[{\"endpoint\":\"ubnd-tinh\",\"name\":\"UBND tỉnh Nghệ "
      "An\"},"
      "{\"endpoint\":\"tinh-uy\",\"name\":\"Tỉnh ủy\"},{\"endpoint\":\"ubnd-vinh\",\"name\":"
      "\"UBND TP Vinh\"},{\"endpoint\":\"ubnd-cua-lo\",\"name\":\"UBND TX Cửa Lò\"}],"
      "\"chair\":\"ubnd-tinh\",\"layout\":\"%s\"}",
      id, layout);
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, body, NULL), ==, 201);
}

static gchar *
make_token (const gchar *meeting, const gchar *endpoint, gint64 exp_offset, const gchar *secret)
{
  /* as the scheduler makes them: every room token names the chair */
  VcJwtClaims c = { .meeting = (gchar *)meeting,
                    .endpoint = (gchar *)endpoint,
                    .chair = "ubnd-tinh",
                    .exp = vc_time_now () + exp_offset,
                    .iat = vc_time_now () };
  return vc_jwt_sign (&c, secret);
}

static JsonObject *
get_room (Fixture *f, const gchar *id, JsonParser *parser)
{
  g_autofree gchar *path = g_strconcat ("/rooms/", id, NULL), *text = NULL;

  g_assert_cmpuint (http (f, "GET", path, AUTH, NULL, &text), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

/* ---- control API ---- */

static void
test_control_api (Fixture *f, gconstpointer data)
{
  g_autofree gchar *text = NULL;
  g_autofree gchar *big = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *room;

  g_assert_cmpuint (http (f, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (http (f, "GET", "/rooms", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (http (f, "GET", "/rooms", "Bearer wrong", NULL, NULL), ==, 401);
  create_room (f, "42", "grid");
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH,
                          "{\"id\":\"42\",\"participants\":[{\"endpoint\":\"ubnd-tinh\"}],"
                          "\"chair\":\"ubnd-tinh\"}",
                          NULL),
                    ==, 200);
  create_room (f, "43", "speaker");
  room = get_room (f, "43", parser);
  g_assert_cmpstr (json_object_get_string_member (room, "layout"), ==, "speaker");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (room, "participants")), ==,
                    4);
  g_assert_false (
      json_object_get_boolean_member (media_test_find_participant (room, "tinh-uy"), "connected"));
  g_assert_cmpuint (http (f, "POST", "/rooms/43/control", AUTH,
                          "{\"action\":\"mute\",\"endpoint\":\"tinh-uy\"}", NULL),
                    ==, 200);
  room = get_room (f, "43", parser);
  g_assert_true (
      json_object_get_boolean_member (media_test_find_participant (room, "tinh-uy"), "muted"));
  g_assert_cmpuint (http (f, "POST", "/rooms/43/control", AUTH,
                          "{\"action\":\"layout\",\"layout\":\"chair\"}", NULL),
                    ==, 200);
  g_assert_cmpuint (http (f, "POST", "/rooms/43/control", AUTH,
                          "{\"action\":\"floor\",\"endpoint\":\"nobody\"}", &text),
                    ==, 422);
  g_assert_nonnull (strstr (text, "\"error\""));
  g_assert_cmpuint (http (f, "POST", "/rooms/43/control", AUTH, "{\"action\":\"dance\"}", NULL), ==,
                    422);
  g_assert_cmpuint (http (f, "POST", "/rooms/43/control", AUTH, "not json", NULL), ==, 400);
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, "{\"id\":\"44\",\"participants\":7}", NULL),
                    ==, 422);
  big = g_strnfill (70 * 1024, 'x');
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH, big, NULL), ==, 413);
  g_assert_cmpuint (http (f, "DELETE", "/rooms/43", AUTH, NULL, NULL), ==, 204);
  g_assert_cmpuint (http (f, "GET", "/rooms/43", AUTH, NULL, NULL), ==, 404);
}

/* ---- tokens are checked before the upgrade ---- */

static guint
signal_status (Fixture *f, const gchar *room, const gchar *token)
{
  g_autofree gchar *path = g_strdup_printf ("/rooms/%s/signal?token=%s", room, token);
  return http (f, "GET", path, NULL, NULL, NULL);
}

static void
test_tokens_refused (Fixture *f, gconstpointer data)
{
  g_autofree gchar *bad_sig = make_token ("42", "ubnd-tinh", 600, "another-secret-entirely");
  g_autofree gchar *expired = make_token ("42", "ubnd-tinh", -10, SECRET);
  g_autofree gchar *other_room = make_token ("7", "ubnd-tinh", 600, SECRET);
  g_autofree gchar *uninvited = make_token ("42", "so-tc", 600, SECRET);
  g_autofree gchar *no_room = make_token ("99", "ubnd-tinh", 600, SECRET);
  g_autofree gchar *good = make_token ("42", "ubnd-tinh", 600, SECRET);

  create_room (f, "42", "grid");
  g_assert_cmpuint (signal_status (f, "42", "garbage"), ==, 401);
  g_assert_cmpuint (signal_status (f, "42", bad_sig), ==, 401);
  g_assert_cmpuint (signal_status (f, "42", expired), ==, 401);
  g_assert_cmpuint (signal_status (f, "42", other_room), ==, 403);
  g_assert_cmpuint (signal_status (f, "42", uninvited), ==, 403);
  /* a room token opens a missing room, but only with a WebSocket upgrade
   * (test-bridge-token-rooms.c): a plain GET leaves no room behind */
  g_assert_cmpuint (signal_status (f, "99", no_room), ==, 422);
  g_assert_cmpuint (http (f, "GET", "/rooms/99", AUTH, NULL, NULL), ==, 404);
  /* a good token without the upgrade headers is not a WebSocket: 400 */
  g_assert_cmpuint (signal_status (f, "42", good), ==, 400);
  /* a signed guest token (browser join link) passes the invitation check */
  {
    VcJwtClaims guest = { .meeting = "42",
                          .endpoint = "guest-7",
                          .name = "Khách",
                          .guest = TRUE,
                          .exp = vc_time_now () + 600 };
    g_autofree gchar *token = vc_jwt_sign (&guest, SECRET);
    g_assert_cmpuint (signal_status (f, "42", token), ==, 400);
  }
}

/* ---- malformed signalling ---- */

typedef struct
{
  SoupWebsocketConnection *ws;
  GPtrArray *messages;
} RawSocket;

static void
on_raw_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  RawSocket *raw = data;
  g_ptr_array_add (raw->messages,
                   g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_raw_connected (GObject *source, GAsyncResult *res, gpointer data)
{
  RawSocket *raw = data;
  g_autoptr (GError) error = NULL;

  raw->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &error);
  g_assert_no_error (error);
  g_signal_connect (raw->ws, "message", G_CALLBACK (on_raw_message), raw);
}

static gboolean
has_message (RawSocket *raw, const gchar *needle)
{
  for (guint i = 0; i < raw->messages->len; i++)
    if (strstr (g_ptr_array_index (raw->messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_malformed_messages (Fixture *f, gconstpointer data)
{
  g_autofree gchar *token = make_token ("42", "tinh-uy", 600, SECRET);
  g_autofree gchar *uri = g_strdup_printf ("ws%s/rooms/42/signal?token=%s", f->url + 4, token);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  RawSocket raw = { NULL, g_ptr_array_new_with_free_func (g_free) };
  g_autofree gchar *big = g_strnfill (70 * 1024, ' ');
  g_autoptr (JsonParser) parser = json_parser_new ();

  create_room (f, "42", "grid");
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_raw_connected, &raw);
  WAIT_UNTIL (raw.ws != NULL && has_message (&raw, "\"offer\""), 20);
  soup_websocket_connection_set_max_incoming_payload_size (raw.ws, 1 << 20);
  g_test_message ("offer: %s", (const gchar *)g_ptr_array_index (raw.messages, 0));
  /* docs/protocol.md §3: loss protection is in the offer */
  g_assert_true (has_message (&raw, "nack pli"));
  g_assert_true (has_message (&raw, "rtx/90000"));
  g_assert_true (has_message (&raw, "useinbandfec=1"));
  /* …but no RTX stream on the audio line: browsers refuse such an offer. */
  {
    const gchar *offer = g_ptr_array_index (raw.messages, 0);
    const gchar *audio = strstr (offer, "m=audio");
    g_assert_nonnull (audio);
    const gchar *next = strstr (audio + 1, "m=");
    g_autofree gchar *section = next ? g_strndup (audio, next - audio) : g_strdup (audio);
    g_assert_null (strstr (section, "ssrc-group:FID"));
    g_assert_null (strstr (section, "rtx/"));
  }
  g_assert_true (has_message (&raw, "OPUS/48000") || has_message (&raw, "opus/48000"));
  soup_websocket_connection_send_text (raw.ws, "this is not json");
  WAIT_UNTIL (has_message (&raw, "\"malformed\""), 10);
  soup_websocket_connection_send_text (raw.ws, "{\"type\":\"dance\"}");
  WAIT_UNTIL (has_message (&raw, "\"unexpected\""), 10);
  soup_websocket_connection_send_text (raw.ws, big);
  WAIT_UNTIL (has_message (&raw, "\"too_large\""), 10);
  /* nothing else changed: the socket is open and the peer is still there */
  g_assert_cmpint (soup_websocket_connection_get_state (raw.ws), ==, SOUP_WEBSOCKET_STATE_OPEN);
  get_room (f, "42", parser);
  soup_websocket_connection_close (raw.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&raw.ws);
  g_ptr_array_unref (raw.messages);
}

/* ---- a real call ---- */

static const gchar *ice_loopback[] = { "127.0.0.1", NULL };

static VcClientPeer *
start_peer_full (Fixture *f, const gchar *room, const gchar *endpoint, gdouble tone,
                 const gchar *video, const gchar *audio, VcClientPeerOutput output)
{
  g_autofree gchar *token = make_token (room, endpoint, 600, SECRET);
  g_autofree gchar *url = g_strdup_printf ("ws%s/rooms/%s/signal", f->url + 4, room);
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
  s.video_source = video;
  s.audio_source = audio;
  s.output = output;
  peer = vc_client_peer_new (&s);
  g_assert_true (vc_client_peer_start (peer, &error));
  g_assert_no_error (error);
  return peer;
}

static VcClientPeer *
start_peer_with (Fixture *f, const gchar *room, const gchar *endpoint, gdouble tone,
                 const gchar *video, const gchar *audio)
{
  return start_peer_full (f, room, endpoint, tone, video, audio, VC_CLIENT_PEER_OUTPUT_NONE);
}

static VcClientPeer *
start_peer (Fixture *f, const gchar *room, const gchar *endpoint, gdouble tone)
{
  return start_peer_with (f, room, endpoint, tone, "test", "test");
}

static VcClientPeerStats
stats_of (VcClientPeer *peer)
{
  VcClientPeerStats s;
  vc_client_peer_get_stats (peer, &s);
  return s;
}

static gboolean
peer_flowing (VcClientPeer *peer)
{
  VcClientPeerStats s = stats_of (peer);
  return vc_client_peer_get_state (peer) == VC_CLIENT_PEER_STATE_CONNECTED && s.video_frames >= 3
         && s.audio_buffers >= 25;
}

/* Like WAIT_UNTIL (peer_flowing (peer)) but says what was missing. */
static void
wait_flowing (VcClientPeer *peer, guint seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)seconds * G_USEC_PER_SEC;
  VcClientPeerStats st;

  while (!peer_flowing (peer) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (peer_flowing (peer))
    return;
  vc_client_peer_get_stats (peer, &st);
  g_error ("peer not flowing after %u s: state %s, %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT
           " audio buffers",
           seconds, vc_client_peer_state_to_string (vc_client_peer_get_state (peer)),
           st.video_frames, st.audio_buffers);
}

static gboolean
room_shows_connected (Fixture *f, const gchar *endpoint, gboolean expected)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *p = media_test_find_participant (get_room (f, "42", parser), endpoint);
  return json_object_get_boolean_member (p, "connected") == expected;
}

static gint64
participant_counter (Fixture *f, const gchar *endpoint, const gchar *member)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *p = media_test_find_participant (get_room (f, "42", parser), endpoint);
  return json_object_get_int_member (p, member);
}

static gboolean
participant_flag (Fixture *f, const gchar *endpoint, const gchar *member)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *p = media_test_find_participant (get_room (f, "42", parser), endpoint);
  return json_object_get_boolean_member (p, member);
}

/* Frames and audio must keep coming to @peers over @ms. */
static void
assert_keeps_flowing (VcClientPeer **peers, guint n, guint ms)
{
  VcClientPeerStats before[4];

  for (guint i = 0; i < n; i++)
    before[i] = stats_of (peers[i]);
  media_test_run_for (ms);
  for (guint i = 0; i < n; i++)
    {
      VcClientPeerStats after = stats_of (peers[i]);
      /* 15 fps and 50 audio buffers/s: ask for well over half of that */
      g_assert_cmpuint (after.video_frames - before[i].video_frames, >=, ms * 15 / 1000 / 2);
      g_assert_cmpuint (after.audio_buffers - before[i].audio_buffers, >=, ms * 50 / 1000 / 2);
    }
}

/* Layout and floor changes move and resize tiles while everybody keeps
 * receiving. */
static void
check_layout_changes (Fixture *f, VcClientPeer *a, VcClientPeer *b, VcClientPeer *c)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  VcClientPeer *all[] = { a, b, c };
  JsonObject *room;

  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"layout\",\"layout\":\"speaker\"}", NULL),
                    ==, 200);
  assert_keeps_flowing (all, 3, 1500);
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"floor\",\"endpoint\":\"tinh-uy\"}", NULL),
                    ==, 200);
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"layout\",\"layout\":\"chair\"}", NULL),
                    ==, 200);
  assert_keeps_flowing (all, 3, 1500);
  room = get_room (f, "42", parser);
  g_assert_cmpstr (json_object_get_string_member (room, "layout"), ==, "chair");
  g_assert_cmpstr (json_object_get_string_member (room, "floor"), ==, "tinh-uy");
  g_assert_cmpint (json_object_get_int_member (room, "tiles"), ==, 3);
}

static gint64
keyframes_sent (Fixture *f)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  return json_object_get_int_member (get_room (f, "42", parser), "keyframes_sent");
}

/* A participant's keyframe requests (PLI) are honoured, at most one per
 * [video] keyframe_min_interval_ms (500 ms): three at once give one now
 * and at most one merged at the end of that interval. */
static void
check_keyframe_requests (Fixture *f, VcClientPeer *a)
{
  gint64 before;

  media_test_run_for (f->settings->keyframe_min_interval_ms
                      + 100); /* out of the last join's interval */
  before = keyframes_sent (f);
  for (guint i = 0; i < 3; i++)
    vc_client_peer_request_keyframe (a);
  WAIT_UNTIL (keyframes_sent (f) >= before + 1, 5);
  media_test_run_for (f->settings->keyframe_min_interval_ms * 3 / 2);
  g_assert_cmpint (keyframes_sent (f), <=, before + 2);
}

static void
test_call (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, b = NULL, c = NULL, c2 = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *room;
  gint64 started = g_get_monotonic_time ();

  create_room (f, "42", "grid");
  a = start_peer (f, "42", "ubnd-tinh", 440);
  b = start_peer (f, "42", "tinh-uy", 660);
  wait_flowing (a, 40);
  wait_flowing (b, 40);
  g_assert_true (room_shows_connected (f, "ubnd-tinh", TRUE));
  g_assert_true (room_shows_connected (f, "tinh-uy", TRUE));

  /* a third joins during the call: the others do not stall */
  c = start_peer (f, "42", "ubnd-vinh", 880);
  {
    VcClientPeer *both[] = { a, b };
    assert_keeps_flowing (both, 2, 2000);
  }
  wait_flowing (c, 40);
  room = get_room (f, "42", parser);
  g_assert_cmpint (json_object_get_int_member (room, "tiles"), ==, 3);
  /* the RTP sessions' counters reach the room JSON (polled every 2 s); the
   * received bitrate needs two polls */
  WAIT_UNTIL (participant_counter (f, "ubnd-tinh", "rx_packets") > 0
                  && participant_counter (f, "ubnd-tinh", "tx_packets") > 0
                  && participant_counter (f, "ubnd-tinh", "bitrate_kbps") > 0,
              10);
  {
    JsonObject *p = media_test_find_participant (get_room (f, "42", parser), "ubnd-tinh");
    g_test_message ("ubnd-tinh: %" G_GINT64_FORMAT " kbit/s, loss %.3f, jitter %.1f ms",
                    json_object_get_int_member (p, "bitrate_kbps"),
                    json_object_get_double_member (p, "loss"),
                    json_object_get_double_member (p, "jitter_ms"));
    /* a test source at 200 kbit/s plus Opus, on loopback */
    g_assert_cmpint (json_object_get_int_member (p, "bitrate_kbps"), <, 2000);
    g_assert_cmpfloat (json_object_get_double_member (p, "loss"), >=, 0);
    g_assert_cmpfloat (json_object_get_double_member (p, "loss"), <=, 0.2);
    g_assert_cmpfloat (json_object_get_double_member (p, "jitter_ms"), >=, 0);
    g_assert_cmpfloat (json_object_get_double_member (p, "jitter_ms"), <, 1000);
  }

  /* it leaves: the others keep flowing and the room shows it gone */
  vc_client_peer_stop (c);
  WAIT_UNTIL (room_shows_connected (f, "ubnd-vinh", FALSE), 10);
  {
    VcClientPeer *both[] = { a, b };
    assert_keeps_flowing (both, 2, 2000);
  }
  /* and rejoins with the same token (a new peer object) */
  c2 = start_peer (f, "42", "ubnd-vinh", 880);
  wait_flowing (c2, 40);
  {
    VcClientPeer *all[] = { a, b, c2 };
    assert_keeps_flowing (all, 3, 1500);
  }
  check_layout_changes (f, a, b, c2);
  check_keyframe_requests (f, a);

  /* every join asked for a keyframe; the encoder got at most one per
   * interval */
  room = get_room (f, "42", parser);
  g_assert_cmpint (json_object_get_int_member (room, "keyframes_sent"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (room, "keyframes_sent"), <=,
                   (g_get_monotonic_time () - started)
                           / (f->settings->keyframe_min_interval_ms * G_TIME_SPAN_MILLISECOND)
                       + 1);
  vc_client_peer_stop (a);
  vc_client_peer_stop (b);
  vc_client_peer_stop (c2);
}

/* The benchmark's receivers (VC_CLIENT_PEER_OUTPUT_COUNT): video frames
 * are counted from the clear RTP header and dropped before decryption,
 * audio packets are counted after the jitter buffer; COUNT_VIDEO decodes
 * the audio only. Both see the composite at the room's rate and every
 * audio packet. */
static void
on_counted_video_decoded (VcClientPeer *peer, GstSample *frame, gpointer data)
{
  (*(guint *)data)++;
}

static void
test_counting_receivers (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, counter = NULL, audio_only = NULL;
  VcClientPeerStats c0, c1, o0, o1;
  guint decoded = 0;

  create_room (f, "42", "grid");
  a = start_peer (f, "42", "ubnd-tinh", 440);
  counter = start_peer_full (f, "42", "tinh-uy", 660, "test", "test", VC_CLIENT_PEER_OUTPUT_COUNT);
  audio_only = start_peer_full (f, "42", "ubnd-vinh", 880, "test", "test",
                                VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO);
  g_signal_connect (counter, "video-decoded", G_CALLBACK (on_counted_video_decoded), &decoded);
  g_signal_connect (audio_only, "video-decoded", G_CALLBACK (on_counted_video_decoded), &decoded);
  wait_flowing (a, 40);
  wait_flowing (counter, 40);
  wait_flowing (audio_only, 40);
  c0 = stats_of (counter);
  o0 = stats_of (audio_only);
  media_test_run_for (2000);
  c1 = stats_of (counter);
  o1 = stats_of (audio_only);
  /* 15 fps and 50 audio packets a second, with room for a slow machine */
  g_assert_cmpuint (c1.video_frames - c0.video_frames, >=, 15);
  g_assert_cmpuint (c1.video_frames - c0.video_frames, <=, 40);
  g_assert_cmpuint (o1.video_frames - o0.video_frames, >=, 15);
  g_assert_cmpuint (c1.audio_buffers - c0.audio_buffers, >=, 60);
  g_assert_cmpuint (o1.audio_buffers - o0.audio_buffers, >=, 15);
  g_assert_cmpuint (decoded, ==, 0);
  vc_client_peer_stop (a);
  vc_client_peer_stop (counter);
  vc_client_peer_stop (audio_only);
}

/* A participant that sends nothing for 5 s leaves the layout (bye "timeout")
 * while the others go on. */
static void
on_mute_state (VcClientPeer *peer, guint state, gpointer data)
{
  if (state == VC_CLIENT_PEER_STATE_CONNECTED)
    *(gint64 *)data = g_get_monotonic_time ();
}

static void
test_stall_leaves (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, mute = NULL;
  gint64 connected_at = 0;

  create_room (f, "42", "grid");
  a = start_peer (f, "42", "ubnd-tinh", 440);
  wait_flowing (a, 40);
  mute = start_peer_with (f, "42", "tinh-uy", 0, "none", "none");
  g_signal_connect (mute, "state-changed", G_CALLBACK (on_mute_state), &connected_at);
  WAIT_UNTIL (vc_client_peer_get_state (mute) == VC_CLIENT_PEER_STATE_CLOSED, 50);
  g_assert_cmpint (connected_at, >, 0); /* it was connected, then dropped */
  g_assert_cmpint (g_get_monotonic_time () - connected_at, >=, 3 * G_USEC_PER_SEC);
  g_assert_true (room_shows_connected (f, "tinh-uy", FALSE));
  g_assert_true (room_shows_connected (f, "ubnd-tinh", TRUE));
  {
    VcClientPeer *one[] = { a };
    assert_keeps_flowing (one, 1, 1000);
  }
  vc_client_peer_stop (a);
}

/* ---- mix-minus through the whole bridge ---- */

typedef struct
{
  GMutex lock;
  GArray *samples; /* gint16, the last few seconds */
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
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / ((gdouble)n * n / 4.0);
}

/* A sends 440 Hz and B 660 Hz: B hears 440 Hz and not its own 660 Hz, A the
 * reverse; a third listener C (silent) hears both. */
static void
test_mix_minus_call (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, b = NULL, c = NULL;
  AudioTap taps[3];
  VcClientPeer *peers[3];

  create_room (f, "42", "grid");
  a = start_peer (f, "42", "ubnd-tinh", 440);
  b = start_peer (f, "42", "tinh-uy", 660);
  c = start_peer (f, "42", "ubnd-vinh", 1000);
  peers[0] = a, peers[1] = b, peers[2] = c;
  for (guint i = 0; i < 3; i++)
    {
      g_mutex_init (&taps[i].lock);
      taps[i].samples = g_array_new (FALSE, FALSE, sizeof (gint16));
      g_signal_connect (peers[i], "audio-decoded", G_CALLBACK (on_audio_decoded), &taps[i]);
    }
  wait_flowing (a, 40);
  wait_flowing (b, 40);
  wait_flowing (c, 40);
  media_test_run_for (2500);
  g_test_message ("A: 440 %.2e 660 %.2e 1000 %.2e", tap_power (&taps[0], 440),
                  tap_power (&taps[0], 660), tap_power (&taps[0], 1000));
  g_test_message ("B: 440 %.2e 660 %.2e 1000 %.2e", tap_power (&taps[1], 440),
                  tap_power (&taps[1], 660), tap_power (&taps[1], 1000));
  /* the tones are at 0.3 (power ~0.09); what a listener hears of itself
   * must be at least 30 dB below what it hears of the others */
  g_assert_cmpfloat (tap_power (&taps[1], 440), >, 0.01);
  g_assert_cmpfloat (tap_power (&taps[1], 660), <, tap_power (&taps[1], 440) / 1000);
  g_assert_cmpfloat (tap_power (&taps[0], 660), >, 0.01);
  g_assert_cmpfloat (tap_power (&taps[0], 440), <, tap_power (&taps[0], 660) / 1000);
  g_assert_cmpfloat (tap_power (&taps[2], 440), >, 0.01);
  g_assert_cmpfloat (tap_power (&taps[2], 660), >, 0.01);
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *room = get_room (f, "42", parser);
    g_assert_false (json_object_get_null_member (room, "active_speaker"));
    g_assert_true (
        json_object_get_boolean_member (media_test_find_participant (room, "tinh-uy"), "speaking"));
  }
  /* muting A removes 440 Hz from what C hears; B (660 Hz) stays */
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"mute\",\"endpoint\":\"ubnd-tinh\"}", NULL),
                    ==, 200);
  media_test_run_for (1500);
  g_test_message ("C after muting A: 440 %.2e 660 %.2e", tap_power (&taps[2], 440),
                  tap_power (&taps[2], 660));
  g_assert_cmpfloat (tap_power (&taps[2], 440), <, tap_power (&taps[2], 660) / 1000);
  g_assert_cmpfloat (tap_power (&taps[2], 660), >, 0.01);
  for (guint i = 0; i < 3; i++)
    {
      g_signal_handlers_disconnect_by_data (peers[i], &taps[i]);
      vc_client_peer_stop (peers[i]);
    }
  media_test_run_for (100); /* an emission already in flight on a streaming thread ends */
  for (guint i = 0; i < 3; i++)
    {
      g_array_unref (taps[i].samples);
      g_mutex_clear (&taps[i].lock);
    }
}

static gboolean
peer_video_sending (VcClientPeer *peer)
{
  VcClientPeerStats st;

  vc_client_peer_get_stats (peer, &st);
  return st.video_sending;
}

static guint64
peer_video_held (VcClientPeer *peer)
{
  VcClientPeerStats st;

  vc_client_peer_get_stats (peer, &st);
  return st.video_frames_held;
}

/* With two tiles for three participants the third is not decoded, and the
 * bridge asks it to stop sending video ({"type":"state","send_video":false}):
 * nothing of its video reaches the bridge any more. When it gets the floor
 * its tile is created, it is asked to send again and resumes from a keyframe
 * (the bridge asks for one too) instead of its next one (20 s away with the
 * test encoder's keyframe distance of 300 frames); the participant that lost
 * its tile is asked to stop. */
static void
test_hidden_then_shown (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, b = NULL, c = NULL;
  gint64 asked, dropped;

  create_room (f, "42", "grid");
  a = start_peer (f, "42", "ubnd-tinh", 440);
  wait_flowing (a, 40);
  b = start_peer (f, "42", "tinh-uy", 660);
  wait_flowing (b, 40);
  c = start_peer (f, "42", "ubnd-vinh", 880);
  wait_flowing (c, 40);
  media_test_run_for (2500); /* c's first keyframe is long gone */
  g_assert_cmpint (participant_counter (f, "ubnd-vinh", "frames_shown"), ==, 0);
  g_assert_false (participant_flag (f, "ubnd-vinh", "tile"));
  g_assert_cmpint (participant_counter (f, "tinh-uy", "frames_shown"), >, 0);
  /* the hidden one holds its video; the shown ones send theirs, and none of
   * it is dropped; the hidden one stays in the call */
  g_assert_false (peer_video_sending (c));
  g_assert_cmpuint (peer_video_held (c), >, 10);
  g_assert_true (peer_video_sending (a));
  g_assert_true (peer_video_sending (b));
  g_assert_cmpint (participant_counter (f, "tinh-uy", "video_dropped"), ==, 0);
  g_assert_cmpint (participant_counter (f, "ubnd-tinh", "video_dropped"), ==, 0);
  g_assert_true (room_shows_connected (f, "ubnd-vinh", TRUE));
  /* what the bridge drops of the hidden one's video (packets in flight when
   * it was asked to stop) no longer grows: nothing arrives */
  dropped = participant_counter (f, "ubnd-vinh", "video_dropped");
  media_test_run_for (1000);
  g_assert_cmpint (participant_counter (f, "ubnd-vinh", "video_dropped"), ==, dropped);
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"floor\",\"endpoint\":\"ubnd-vinh\"}", NULL),
                    ==, 200);
  asked = g_get_monotonic_time ();
  g_assert_true (participant_flag (f, "ubnd-vinh", "tile"));
  WAIT_UNTIL (participant_counter (f, "ubnd-vinh", "frames_shown") > 0, 8);
  g_test_message ("hidden participant shown %.0f ms after the floor moved",
                  (g_get_monotonic_time () - asked) / 1000.0);
  g_assert_true (peer_video_sending (c));
  /* the one that lost its tile to it holds its video now */
  WAIT_UNTIL (!peer_video_sending (a) || !peer_video_sending (b), 5);
  g_assert_true (peer_video_sending (a) != peer_video_sending (b));
  /* shown now: its video is no longer dropped */
  dropped = participant_counter (f, "ubnd-vinh", "video_dropped");
  media_test_run_for (1000);
  g_assert_cmpint (participant_counter (f, "ubnd-vinh", "video_dropped"), ==, dropped);
  vc_client_peer_stop (a);
  vc_client_peer_stop (b);
  vc_client_peer_stop (c);
}

/* Each participant sends its video no larger than its tile: in the speaker
 * layout of the 640x360 composite the floor holder's tile is 480x270 and the
 * strip's 160x90, so of two 320x180 senders one sends whole and the other at
 * half size; when the floor moves they swap, and both tiles keep being fed
 * through the change of size (the encoder starts again, with a keyframe). */
static void
test_tile_sized_video (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, b = NULL;
  const gchar *const endpoints[] = { "ubnd-tinh", "tinh-uy" };

  create_room (f, "42", "speaker");
  a = start_peer (f, "42", endpoints[0], 440);
  wait_flowing (a, 40);
  b = start_peer (f, "42", endpoints[1], 660);
  wait_flowing (b, 40);
  for (guint round = 0; round < 2; round++)
    {
      VcClientPeer *large = round == 0 ? a : b, *small = round == 0 ? b : a;
      const gchar *small_id = endpoints[round == 0 ? 1 : 0];
      g_autofree gchar *floor
          = g_strdup_printf ("{\"action\":\"floor\",\"endpoint\":\"%s\"}", endpoints[round]);
      gint64 shown;

      g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH, floor, NULL), ==, 200);
      WAIT_UNTIL (stats_of (large).video_divisor == 1 && stats_of (small).video_divisor == 2, 10);
      /* what reaches the payloaders */
      WAIT_UNTIL (stats_of (small).video_width == 160 && stats_of (small).video_height == 90, 10);
      WAIT_UNTIL (stats_of (large).video_width == 320 && stats_of (large).video_height == 180, 10);
      shown = participant_counter (f, small_id, "frames_shown");
      WAIT_UNTIL (participant_counter (f, small_id, "frames_shown") > shown + 15, 10);
      shown = participant_counter (f, endpoints[round], "frames_shown");
      WAIT_UNTIL (participant_counter (f, endpoints[round], "frames_shown") > shown + 15, 10);
    }
  vc_client_peer_stop (a);
  vc_client_peer_stop (b);
}

/* A room deleted under connected peers says bye to them. */
static void
test_delete_room_says_bye (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL;

  create_room (f, "42", "speaker");
  a = start_peer (f, "42", "ubnd-tinh", 440);
  wait_flowing (a, 40);
  g_assert_cmpuint (http (f, "DELETE", "/rooms/42", AUTH, NULL, NULL), ==, 204);
  WAIT_UNTIL (vc_client_peer_get_state (a) == VC_CLIENT_PEER_STATE_CLOSED, 10);
}

/* ---- the composite's pixels ---- */

/* What the last decoded composite frame looked like (atomics: written on the
 * decoder's streaming thread, read on the main thread). */
typedef struct
{
  gint frames;
  gint luma_mean;    /* 0..255 */
  gint red_permille; /* chroma samples that are saturated red (U < 128, V > 190) */
  gint name_bright;  /* bright pixels in the bottom-left of the red tile: its name */
} PictureTap;

typedef struct
{
  guint left, top, right, bottom; /* luma pixels, right and bottom excluded */
} PictureBox;

/* The box around the saturated red chroma samples: the red sender's tile */
static guint64
picture_find_red (const GstVideoFrame *frame, PictureBox *box)
{
  guint w = GST_VIDEO_FRAME_WIDTH (frame), h = GST_VIDEO_FRAME_HEIGHT (frame);
  const guint8 *u = GST_VIDEO_FRAME_PLANE_DATA (frame, 1);
  const guint8 *v = GST_VIDEO_FRAME_PLANE_DATA (frame, 2);
  gint us = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 1), vs = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 2);
  guint64 red = 0;

  *box = (PictureBox){ w, h, 0, 0 };
  for (guint row = 0; row < h / 2; row++)
    for (guint col = 0; col < w / 2; col++)
      if (u[row * us + col] < 128 && v[row * vs + col] > 190)
        {
          red++;
          box->left = MIN (box->left, col * 2);
          box->top = MIN (box->top, row * 2);
          box->right = MAX (box->right, col * 2 + 2);
          box->bottom = MAX (box->bottom, row * 2 + 2);
        }
  return red;
}

/* Pixels brighter than solid red can be (luma 81) in the bottom-left of the
 * red tile, where the bridge draws the sender's name in white. */
static gint
picture_count_name (const GstVideoFrame *frame, const PictureBox *box)
{
  const guint8 *y = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  gint ys = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  gint bright = 0;

  if (box->right <= box->left || box->bottom <= box->top)
    return 0;
  for (guint row = box->bottom - (box->bottom - box->top) / 3; row < box->bottom; row++)
    for (guint col = box->left; col < box->left + (box->right - box->left) / 2; col++)
      bright += y[row * ys + col] > 180;
  return bright;
}

static void
picture_measure (const GstVideoFrame *frame, PictureTap *tap)
{
  guint w = GST_VIDEO_FRAME_WIDTH (frame), h = GST_VIDEO_FRAME_HEIGHT (frame);
  const guint8 *y = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  gint ys = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  guint64 luma = 0, red;
  PictureBox box;

  for (guint row = 0; row < h; row++)
    for (guint col = 0; col < w; col++)
      luma += y[row * ys + col];
  red = picture_find_red (frame, &box);
  g_atomic_int_set (&tap->luma_mean, (gint)(luma / ((guint64)w * h)));
  g_atomic_int_set (&tap->red_permille, (gint)(red * 1000 / ((guint64)(w / 2) * (h / 2))));
  g_atomic_int_set (&tap->name_bright, picture_count_name (frame, &box));
}

/* streaming thread (the peer's video decoder) */
static void
on_video_decoded (VcClientPeer *peer, GstSample *sample, gpointer data)
{
  PictureTap *tap = data;
  GstVideoInfo info;
  GstVideoFrame frame;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_I420
      || !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return;
  picture_measure (&frame, tap);
  gst_video_frame_unmap (&frame);
  g_atomic_int_inc (&tap->frames);
}

/* A sends solid red, B a white ball on black. The composite B receives must
 * not be black, and about a quarter of it (A's tile in a 2-tile grid) must
 * be A's red: until 21/11/2026 tiles were never composited and every
 * composite was black, while tests only counted frames. A's name must be
 * drawn, white, at the bottom-left of A's tile (media/bridge/bridge-label.c). */
static void
test_composite_pictures (Fixture *f, gconstpointer data)
{
  static PictureTap tap; /* static: a late emission never writes a dead frame */
  g_autoptr (VcClientPeer) a = NULL, b = NULL;

  memset (&tap, 0, sizeof tap);
  create_room (f, "77", "grid");
  a = start_peer_with (f, "77", "ubnd-tinh", 440, "test:red", "test");
  b = start_peer_with (f, "77", "tinh-uy", 660, "test", "test");
  g_signal_connect (b, "video-decoded", G_CALLBACK (on_video_decoded), &tap);
  wait_flowing (a, 30);
  wait_flowing (b, 30);
  /* tiles need a keyframe from their sender: wait for the picture, not a time */
  WAIT_UNTIL (g_atomic_int_get (&tap.red_permille) > 150, 30);
  g_assert_cmpint (g_atomic_int_get (&tap.red_permille), <, 600); /* B's tile is not red */
  g_assert_cmpint (g_atomic_int_get (&tap.luma_mean), >, 20);     /* not a black composite */
  WAIT_UNTIL (g_atomic_int_get (&tap.name_bright) > 30, 10);      /* A's name on its tile */
  g_signal_handlers_disconnect_by_data (b, &tap);
  vc_client_peer_stop (a);
  vc_client_peer_stop (b);
}

/* ---- rooms opened by join tokens (media/bridge-room-open.h) ---- */

/* GET /rooms/{id}/signal with the headers of a WebSocket upgrade but no key:
 * the bridge's verdict on the token comes first (its status and body), and
 * a token that passes gets libsoup's 400 for the incomplete handshake. */
static guint
signal_upgrade_status (Fixture *f, const gchar *room, const gchar *token, gchar **out_body)
{
  g_autofree gchar *uri = g_strdup_printf ("%s/rooms/%s/signal?token=%s", f->url, room, token);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr (GBytes) body = NULL;
  guint status;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Upgrade", "websocket");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "Upgrade");
  status = media_test_send (f->session, msg, &body);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return status;
}

static gchar *
make_guest_token (const gchar *meeting)
{
  VcJwtClaims c = { .meeting = (gchar *)meeting,
                    .endpoint = "guest-0a0b0c0d",
                    .name = "Khách",
                    .chair = "ubnd-tinh",
                    .guest = TRUE,
                    .exp = vc_time_now () + 600 };
  return vc_jwt_sign (&c, SECRET);
}

static guint
room_count (Fixture *f)
{
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (http (f, "GET", "/rooms", AUTH, NULL, &text), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_array_get_length (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rooms"));
}

/* Bad input never opens a room: an expired token, one signed with another
 * secret, a guest's, one for a room beyond the bridge's limits (rooms,
 * participants), one for a room the scheduler closed, a plain GET. Each is
 * refused with its own status and a message, and the bridge holds exactly
 * the rooms it held before. A valid room token opens its room. */
static void
test_token_rooms_refused (Fixture *f, gconstpointer data)
{
  g_autofree gchar *expired = make_token ("50", "ubnd-tinh", -10, SECRET);
  g_autofree gchar *forged = make_token ("50", "ubnd-tinh", 600, "another-secret-entirely");
  g_autofree gchar *guest = make_guest_token ("50");
  g_autofree gchar *opens = make_token ("61", "ubnd-vinh", 600, SECRET);
  g_autofree gchar *one_too_many = make_token ("61", "ubnd-cua-lo", 600, SECRET);
  g_autofree gchar *third_room = make_token ("62", "ubnd-tinh", 600, SECRET);
  g_autofree gchar *plain = make_token ("63", "ubnd-tinh", 600, SECRET);
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *room;

  /* two rooms and three participants at most */
  f->settings->max_rooms = 2;
  f->settings->capacity = 3;
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH,
                          "{\"id\":\"60\",\"participants\":[{\"endpoint\":\"ubnd-tinh\"},"
                          "{\"endpoint\":\"tinh-uy\"}],\"chair\":\"ubnd-tinh\"}",
                          NULL),
                    ==, 201);
  g_assert_cmpuint (signal_upgrade_status (f, "50", expired, &text), ==, 401);
  g_assert_nonnull (strstr (text, "expired"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (signal_upgrade_status (f, "50", forged, NULL), ==, 401);
  /* a guest waits for the room, and is told so */
  g_assert_cmpuint (signal_upgrade_status (f, "50", guest, &text), ==, 404);
  g_assert_nonnull (strstr (text, "not open yet"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (http (f, "GET", "/rooms/50", AUTH, NULL, NULL), ==, 404);
  /* a plain GET (no upgrade) does not open one either */
  g_assert_cmpuint (signal_status (f, "63", plain), ==, 422);
  g_assert_cmpuint (room_count (f), ==, 1);

  /* a valid room token opens its room (then libsoup refuses the keyless
   * handshake), with the token's endpoint, name and chair */
  g_assert_cmpuint (signal_upgrade_status (f, "61", opens, NULL), ==, 400);
  room = get_room (f, "61", parser);
  g_assert_cmpstr (json_object_get_string_member (room, "opened_by"), ==, "token");
  g_assert_cmpstr (json_object_get_string_member (room, "chair"), ==, "ubnd-tinh");
  g_assert_nonnull (media_test_find_participant (room, "ubnd-vinh"));
  g_assert_false (
      json_object_get_boolean_member (media_test_find_participant (room, "ubnd-vinh"), "guest"));
  /* the limits: a fourth participant, a third room */
  g_assert_cmpuint (signal_upgrade_status (f, "61", one_too_many, &text), ==, 503);
  g_assert_nonnull (strstr (text, "capacity"));
  g_clear_pointer (&text, g_free);
  g_assert_null (media_test_find_participant (get_room (f, "61", parser), "ubnd-cua-lo"));
  g_assert_cmpuint (signal_upgrade_status (f, "62", third_room, &text), ==, 503);
  g_assert_nonnull (strstr (text, "capacity"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (http (f, "GET", "/rooms/62", AUTH, NULL, NULL), ==, 404);
  g_assert_cmpuint (room_count (f), ==, 2);
  /* the guest is admitted once the room exists */
  {
    g_autofree gchar *guest61 = make_guest_token ("61");
    g_assert_cmpuint (signal_upgrade_status (f, "61", guest61, NULL), ==, 400);
  }

  /* the scheduler closes it: no token opens it again … */
  g_assert_cmpuint (http (f, "DELETE", "/rooms/61", AUTH, NULL, NULL), ==, 204);
  g_assert_cmpuint (signal_upgrade_status (f, "61", opens, &text), ==, 410);
  g_assert_nonnull (strstr (text, "closed"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (http (f, "GET", "/rooms/61", AUTH, NULL, NULL), ==, 404);
  /* … until the scheduler opens it itself */
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH,
                          "{\"id\":\"61\",\"participants\":[{\"endpoint\":\"ubnd-vinh\"}],"
                          "\"chair\":\"ubnd-tinh\"}",
                          NULL),
                    ==, 201);
  g_assert_cmpstr (json_object_get_string_member (get_room (f, "61", parser), "opened_by"), ==,
                   "scheduler");
  g_assert_cmpuint (signal_upgrade_status (f, "61", opens, NULL), ==, 400);
  /* in a room the scheduler manages, its list decides: not invited → 403 */
  g_assert_cmpuint (signal_upgrade_status (f, "61", one_too_many, NULL), ==, 403);
}

/* Rooms opened by tokens close by themselves: when nobody has been in them
 * for BRIDGE_ROOM_OPEN_EMPTY_CLOSE_S, or when every token that joined has
 * expired; an adopted room is the scheduler's to close. Driven with the
 * opener's own clock arguments, no waiting. */
static void
test_token_rooms_sweep (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) rooms
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)bridge_room_free);
  g_autoptr (BridgeRoomOpener) opener = bridge_room_opener_new (f->settings, rooms);
  gint64 now = vc_time_now (), mono = g_get_monotonic_time ();
  VcJwtClaims a
      = { .meeting = "70", .endpoint = "ubnd-tinh", .chair = "ubnd-tinh", .exp = now + 60 };
  VcJwtClaims b = { .meeting = "70", .endpoint = "tinh-uy", .exp = now + 600 };
  VcJwtClaims c = { .meeting = "71", .endpoint = "ubnd-tinh", .exp = now + 600 };
  VcJwtClaims d = { .meeting = "72", .endpoint = "ubnd-tinh", .exp = now + 60 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_nonnull (bridge_room_opener_admit (opener, &a, TRUE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (bridge_room_opener_admit (opener, &b, TRUE, &error)); /* exp now + 600 */
  g_assert_nonnull (bridge_room_opener_admit (opener, &c, TRUE, &error));
  g_assert_nonnull (bridge_room_opener_admit (opener, &d, TRUE, &error));
  g_assert_cmpuint (bridge_room_count_participants (g_hash_table_lookup (rooms, "70")), ==, 2);
  /* 72 is adopted: the scheduler posts it */
  g_assert_true (json_parser_load_from_data (
      parser, "{\"participants\":[{\"endpoint\":\"ubnd-tinh\"}],\"chair\":\"ubnd-tinh\"}", -1,
      NULL));
  g_assert_true (bridge_room_update (g_hash_table_lookup (rooms, "72"),
                                     json_node_get_object (json_parser_get_root (parser)), FALSE,
                                     &error));
  bridge_room_opener_note_posted (opener, "72");
  g_assert_false (bridge_room_is_token_opened (g_hash_table_lookup (rooms, "72")));

  /* nothing is due yet */
  g_assert_cmpuint (bridge_room_opener_sweep (opener, now, mono + G_USEC_PER_SEC), ==, 0);
  g_assert_cmpuint (g_hash_table_size (rooms), ==, 3);
  /* past the first token's expiry: 70 stays (b's token runs longer) */
  g_assert_cmpuint (bridge_room_opener_sweep (opener, now + 61, mono + 2 * G_USEC_PER_SEC), ==, 0);
  /* empty for long enough: 70 and 71 close, 72 (adopted) stays */
  g_assert_cmpuint (
      bridge_room_opener_sweep (opener, now + 62,
                                mono + (BRIDGE_ROOM_OPEN_EMPTY_CLOSE_S + 1) * G_USEC_PER_SEC),
      ==, 2);
  g_assert_cmpuint (g_hash_table_size (rooms), ==, 1);
  g_assert_true (g_hash_table_contains (rooms, "72"));
  /* reopened, then every token expired: closed at once */
  g_assert_nonnull (bridge_room_opener_admit (opener, &c, TRUE, &error));
  g_assert_cmpuint (bridge_room_opener_sweep (opener, now + 600, mono), ==, 1);
  g_assert_false (g_hash_table_contains (rooms, "71"));
}

/* The scheduler is away: nobody posts room 42, the rooms' own tokens open
 * it. Everything works as in a room the scheduler opened — mix-minus (each
 * hears the others' tones and not its own), the chair from the token's
 * claim, the chair's controls (mute, layout) — and the scheduler's POST
 * adopts it later without disturbing anybody: the full participant list
 * and names replace the token's, and media keeps flowing. */
static void
test_token_room_call (Fixture *f, gconstpointer data)
{
  g_autoptr (VcClientPeer) a = NULL, b = NULL, c = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  AudioTap taps[3];
  VcClientPeer *peers[3];
  JsonObject *room;

  a = start_peer (f, "42", "ubnd-tinh", 440);
  b = start_peer (f, "42", "tinh-uy", 660);
  c = start_peer (f, "42", "ubnd-vinh", 1000);
  peers[0] = a, peers[1] = b, peers[2] = c;
  for (guint i = 0; i < 3; i++)
    {
      g_mutex_init (&taps[i].lock);
      taps[i].samples = g_array_new (FALSE, FALSE, sizeof (gint16));
      g_signal_connect (peers[i], "audio-decoded", G_CALLBACK (on_audio_decoded), &taps[i]);
    }
  wait_flowing (a, 40);
  wait_flowing (b, 40);
  wait_flowing (c, 40);
  room = get_room (f, "42", parser);
  g_assert_cmpstr (json_object_get_string_member (room, "opened_by"), ==, "token");
  g_assert_cmpstr (json_object_get_string_member (room, "chair"), ==, "ubnd-tinh");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (room, "participants")), ==,
                    3);
  media_test_run_for (2500);
  /* Each hears the other and not itself. On a slow (sanitizer) build a
   * moment of the shared mix may leak one's own tone into the taps' last
   * seconds: give it up to 10 s to be gone before judging. */
  WAIT_UNTIL (tap_power (&taps[1], 660) < tap_power (&taps[1], 440) / 1000
                  && tap_power (&taps[0], 440) < tap_power (&taps[0], 660) / 1000,
              10);
  g_test_message ("A: 440 %.2e 660 %.2e; B: 440 %.2e 660 %.2e", tap_power (&taps[0], 440),
                  tap_power (&taps[0], 660), tap_power (&taps[1], 440), tap_power (&taps[1], 660));
  g_assert_cmpfloat (tap_power (&taps[1], 440), >, 0.01);
  g_assert_cmpfloat (tap_power (&taps[1], 660), <, tap_power (&taps[1], 440) / 1000);
  g_assert_cmpfloat (tap_power (&taps[0], 660), >, 0.01);
  g_assert_cmpfloat (tap_power (&taps[0], 440), <, tap_power (&taps[0], 660) / 1000);
  /* the chair's controls: mute A, the chair layout */
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"mute\",\"endpoint\":\"ubnd-tinh\"}", NULL),
                    ==, 200);
  g_assert_cmpuint (http (f, "POST", "/rooms/42/control", AUTH,
                          "{\"action\":\"layout\",\"layout\":\"chair\"}", NULL),
                    ==, 200);
  media_test_run_for (1500);
  g_test_message ("C after muting A: 440 %.2e 660 %.2e", tap_power (&taps[2], 440),
                  tap_power (&taps[2], 660));
  g_assert_cmpfloat (tap_power (&taps[2], 440), <, tap_power (&taps[2], 660) / 1000);
  g_assert_cmpfloat (tap_power (&taps[2], 660), >, 0.01);
  room = get_room (f, "42", parser);
  g_assert_cmpstr (json_object_get_string_member (room, "layout"), ==, "chair");
  g_assert_cmpint (json_object_get_int_member (room, "tiles"), ==, 3);

  /* the scheduler is back and adopts the room */
  g_assert_cmpuint (http (f, "POST", "/rooms", AUTH,
                          "{\"id\":\"42\",\"participants\":[{\"endpoint\":\"ubnd-tinh\",\"name\":"
                          "\"UBND tỉnh Nghệ An\"},{\"endpoint\":\"tinh-uy\",\"name\":\"Tỉnh ủy\"},"
                          "{\"endpoint\":\"ubnd-vinh\",\"name\":\"UBND TP Vinh\"},"
                          "{\"endpoint\":\"ubnd-cua-lo\",\"name\":\"UBND TX Cửa Lò\"}],"
                          "\"chair\":\"ubnd-tinh\",\"layout\":\"grid\"}",
                          NULL),
                    ==, 200); /* an existing room: updated */
  room = get_room (f, "42", parser);
  g_assert_cmpstr (json_object_get_string_member (room, "opened_by"), ==, "scheduler");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (room, "participants")), ==,
                    4);
  g_assert_cmpstr (
      json_object_get_string_member (media_test_find_participant (room, "ubnd-tinh"), "name"), ==,
      "UBND tỉnh Nghệ An");
  g_assert_true (
      json_object_get_boolean_member (media_test_find_participant (room, "ubnd-tinh"), "muted"));
  assert_keeps_flowing (peers, 3, 1500);
  g_assert_true (room_shows_connected (f, "ubnd-tinh", TRUE));
  g_assert_true (room_shows_connected (f, "tinh-uy", TRUE));
  g_assert_true (room_shows_connected (f, "ubnd-vinh", TRUE));
  for (guint i = 0; i < 3; i++)
    {
      g_signal_handlers_disconnect_by_data (peers[i], &taps[i]);
      vc_client_peer_stop (peers[i]);
    }
  media_test_run_for (100); /* an emission already in flight on a streaming thread ends */
  for (guint i = 0; i < 3; i++)
    {
      g_array_unref (taps[i].samples);
      g_mutex_clear (&taps[i].lock);
    }
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/bridge/http/control-api", Fixture, NULL, fixture_setup, test_control_api,
              fixture_teardown);
  g_test_add ("/bridge/signal/tokens-refused", Fixture, NULL, fixture_setup, test_tokens_refused,
              fixture_teardown);
  g_test_add ("/bridge/signal/malformed", Fixture, NULL, fixture_setup, test_malformed_messages,
              fixture_teardown);
  g_test_add ("/bridge/media/call-join-leave", Fixture, NULL, fixture_setup, test_call,
              fixture_teardown);
  g_test_add ("/bridge/media/stall-leaves", Fixture, NULL, fixture_setup, test_stall_leaves,
              fixture_teardown);
  g_test_add ("/bridge/media/mix-minus", Fixture, NULL, fixture_setup, test_mix_minus_call,
              fixture_teardown);
  g_test_add ("/bridge/media/counting-receivers", Fixture, NULL, fixture_setup,
              test_counting_receivers, fixture_teardown);
  g_test_add ("/bridge/media/keyframe-for-new-tile", Fixture, "2", fixture_setup,
              test_hidden_then_shown, fixture_teardown);
  g_test_add ("/bridge/media/tile-sized-video", Fixture, NULL, fixture_setup, test_tile_sized_video,
              fixture_teardown);
  g_test_add ("/bridge/media/delete-room-bye", Fixture, NULL, fixture_setup,
              test_delete_room_says_bye, fixture_teardown);
  g_test_add ("/bridge/media/composite-pictures", Fixture, NULL, fixture_setup,
              test_composite_pictures, fixture_teardown);
  g_test_add ("/bridge/token-rooms/refused", Fixture, NULL, fixture_setup, test_token_rooms_refused,
              fixture_teardown);
  g_test_add ("/bridge/token-rooms/sweep", Fixture, NULL, fixture_setup, test_token_rooms_sweep,
              fixture_teardown);
  g_test_add ("/bridge/token-rooms/call", Fixture, NULL, fixture_setup, test_token_room_call,
              fixture_teardown);
  return g_test_run ();
}
