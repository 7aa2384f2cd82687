/* test-bridge-memory.c — joins and leaves give back every GStreamer object
 * and intern few GQuarks (issue #12, the bridge's memory over the soak).
 *
 * vc-bridge in-process on 127.0.0.1:0, GStreamer's leaks tracer on (set
 * before gst_init): rounds of participants join a room, flow, leave, and the
 * room is deleted. Once every participant is freed and every pipeline
 * stopped, the GStreamer objects created in rounds 3 and 4 and not destroyed
 * are counted (the tracer's "activity-get-checkpoint" action signal): none
 * may be left. GQuarks are never freed; they are numbered in order, so two
 * new ones made before and after the rounds count those interned meanwhile.
 *
 * Readiness is waited for by polling state on the main loop, never by
 * sleeping; a watchdog ends a stuck test. */
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
#include <errno.h>
#include <string.h>
#include <unistd.h>

#define SECRET "integration-test-secret-0123"
#define WATCHDOG_S 170
#define ROUNDS 4
#define PEERS 3

typedef struct
{
  BridgeSettings *settings;
  BridgeServer *server;
  SoupSession *session;
  guint watchdog;
  gchar *url;
} Fixture;

static const gchar *endpoints[] = { "ubnd-tinh", "tinh-uy", "ubnd-vinh" };
static const gchar *ice_loopback[] = { "127.0.0.1", NULL };

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

  vc_test_tolerate_upstream_bugs ();
  vc_config_set (config, "bridge", "listen", "127.0.0.1:0");
  vc_config_set (config, "bridge", "secret", SECRET);
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
  bridge_server_shutdown (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->session);
  g_clear_handle_id (&f->watchdog, g_source_remove);
  bridge_settings_free (f->settings);
  g_free (f->url);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (vc_media_wait_disposals (10000));
  WAIT_UNTIL (bridge_peer_count_alive () == 0, 10);
}

static guint
http (Fixture *f, const gchar *method, const gchar *path, const gchar *body)
{
  return media_test_http_text (f->session, f->url, method, path, "Bearer " SECRET, body, NULL);
}

static VcClientPeer *
start_peer (Fixture *f, const gchar *room, const gchar *endpoint)
{
  VcJwtClaims c = { .meeting = (gchar *)room,
                    .endpoint = (gchar *)endpoint,
                    .chair = "ubnd-tinh",
                    .exp = vc_time_now () + 600,
                    .iat = vc_time_now () };
  g_autofree gchar *token = vc_jwt_sign (&c, SECRET);
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
  s.tone_hz = 440;
  s.video_source = "test";
  s.audio_source = "test";
  s.output = VC_CLIENT_PEER_OUTPUT_NONE;
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

static void
print_types (const gchar *when, GHashTable *by_type)
{
  GHashTableIter iter;
  gpointer name, count;

  g_hash_table_iter_init (&iter, by_type);
  while (g_hash_table_iter_next (&iter, &name, &count))
    g_test_message ("%s: %u %s alive", when, GPOINTER_TO_UINT (count), (const gchar *)name);
}

static GstTracer *
leaks_tracer (void)
{
  GList *tracers = gst_tracing_get_active_tracers ();
  GstTracer *found = NULL;

  for (GList *l = tracers; l != NULL; l = l->next)
    if (found == NULL && g_str_equal (G_OBJECT_TYPE_NAME (l->data), "GstLeaksTracer"))
      found = gst_object_ref (l->data);
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

/* "type@address" of an entry of the tracer's checkpoint lists */
static gchar *
entry_key (const GValue *entry)
{
  const GstStructure *o = gst_value_get_structure (entry);
  const gchar *type = gst_structure_get_string (o, "type-name");
  const gchar *address = gst_structure_get_string (o, "address");

  g_assert_nonnull (type);
  g_assert_nonnull (address);
  return g_strconcat (type, "@", address, NULL);
}

/* The elements created since the tracer's previous checkpoint (or the start
 * of its tracking) and not destroyed since, by type name into @by_type; a
 * new checkpoint starts. The tracer lists the objects created and those
 * destroyed (type names and addresses, no references: no object dies in
 * the test's hands). An address reused by a later object of the same kind
 * could hide that one: the count may miss a leak, never invent one. */
static guint
objects_created_alive (GstTracer *tracer, GType base, GHashTable *by_type)
{
  g_autoptr (GstStructure) checkpoint = NULL;
  g_autoptr (GHashTable) destroyed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const GValue *created, *removed;
  guint n = 0;

  g_signal_emit_by_name (tracer, "activity-get-checkpoint", &checkpoint);
  g_assert_nonnull (checkpoint);
  created = gst_structure_get_value (checkpoint, "objects-created-list");
  removed = gst_structure_get_value (checkpoint, "objects-removed-list");
  g_assert_nonnull (created);
  g_assert_nonnull (removed);
  for (guint i = 0; i < gst_value_list_get_size (removed); i++)
    g_hash_table_add (destroyed, entry_key (gst_value_list_get_value (removed, i)));
  for (guint i = 0; i < gst_value_list_get_size (created); i++)
    {
      const GValue *entry = gst_value_list_get_value (created, i);
      g_autofree gchar *key = entry_key (entry);
      const gchar *name = gst_structure_get_string (gst_value_get_structure (entry), "type-name");
      GType type = name != NULL ? g_type_from_name (name) : 0;
      if (type == 0 || (base != G_TYPE_NONE && !g_type_is_a (type, base))
          || g_hash_table_contains (destroyed, key))
        continue;
      n++;
      g_hash_table_replace (
          by_type, (gpointer)g_type_name (type),
          GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (by_type, g_type_name (type)))
                            + 1));
    }
  return n;
}

/* A new quark: quarks are numbered in order and never freed, so the
 * difference between two marks is the number interned in between. */
static GQuark
quark_mark (void)
{
  static guint n;
  g_autofree gchar *name = g_strdup_printf ("test-bridge-memory-mark-%u", n++);

  return g_quark_from_string (name);
}

/* One round: PEERS join room @id, flow, leave; the room is deleted; then
 * every participant is freed and every pipeline stopped. With @tracer,
 * while they are all connected: the elements created since the last
 * checkpoint and alive (a webrtcbin at least on each side of each call). */
static void
join_leave_round (Fixture *f, const gchar *id, GstTracer *tracer)
{
  g_autofree gchar *body = g_strdup_printf (
      "{\"id\":\"%s\",\"participants\":[{\"endpoint\":\"ubnd-tinh\"},{\"endpoint\":\"tinh-uy\"},"
      "{\"endpoint\":\"ubnd-vinh\"}],\"chair\":\"ubnd-tinh\",\"layout\":\"grid\"}",
      id);
  g_autofree gchar *path = g_strconcat ("/rooms/", id, NULL);
  VcClientPeer *peers[PEERS];

  g_assert_cmpuint (http (f, "POST", "/rooms", body), ==, 201);
  for (guint i = 0; i < PEERS; i++)
    peers[i] = start_peer (f, id, endpoints[i]);
  for (guint i = 0; i < PEERS; i++)
    WAIT_UNTIL (peer_flowing (peers[i]), 60);
  if (tracer != NULL)
    {
      g_autoptr (GHashTable) during = g_hash_table_new (g_str_hash, g_str_equal);
      objects_created_alive (tracer, GST_TYPE_ELEMENT, during);
      print_types ("during a call", during);
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (during, "GstWebRTCBin")), >=,
                        2 * PEERS);
    }
  for (guint i = 0; i < PEERS; i++)
    vc_client_peer_stop (peers[i]);
  g_assert_cmpuint (http (f, "DELETE", path, NULL), ==, 204);
  for (guint i = 0; i < PEERS; i++)
    g_object_unref (peers[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  WAIT_UNTIL (bridge_peer_count_alive () == 0, 30);
  WAIT_UNTIL (vc_media_wait_disposals (0), 30);
  /* the teardown threads' last hops to the main loop */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Rounds 3..ROUNDS leave no GStreamer object behind (round 1 warms up,
 * round 2 shows that the count sees the calls' elements), and intern few
 * GQuarks: webrtcbin's statistics name every SSRC, candidate and transport,
 * and each name stayed interned for the life of the process (about 40 per
 * participant, both ends counted); what is left is webrtcbin's own
 * "ssrc-N-cname" and "ssrc-N-msid" caps fields of each description. */
static void
test_rounds_free_elements (Fixture *f, gconstpointer data)
{
  g_autoptr (GstTracer) tracer = leaks_tracer ();
  g_autoptr (GHashTable) left = g_hash_table_new (g_str_hash, g_str_equal);
  GQuark before, after;
  guint n, quarks;

  g_assert_nonnull (tracer);
  join_leave_round (f, "mem-1", NULL);
  g_signal_emit_by_name (tracer, "activity-start-tracking");
  join_leave_round (f, "mem-2", tracer);
  objects_created_alive (tracer, G_TYPE_NONE, left); /* a new checkpoint */
  g_hash_table_remove_all (left);
  before = quark_mark ();
  for (guint r = 3; r <= ROUNDS; r++)
    {
      g_autofree gchar *id = g_strdup_printf ("mem-%u", r);
      join_leave_round (f, id, NULL);
    }
  after = quark_mark ();
  quarks = after - before - 1;
  for (GQuark q = before + 1; q < after; q++)
    g_test_message ("interned: %s", g_quark_to_string (q));
  n = objects_created_alive (tracer, G_TYPE_NONE, left);
  print_types ("left after the rounds", left);
  g_signal_emit_by_name (tracer, "activity-stop-tracking");
  g_test_message ("rounds 3-%u: %u objects left, %u quarks interned", ROUNDS, n, quarks);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (quarks, <=, 12 * PEERS * (ROUNDS - 2));
}

int
main (int argc, char **argv)
{
  /* the leaks tracer must be there before GStreamer starts; no stacks */
  g_setenv ("GST_TRACERS", "leaks(stack-traces-flags=none)", TRUE);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/bridge/memory/rounds-free-elements", Fixture, NULL, fixture_setup,
              test_rounds_free_elements, fixture_teardown);
  return g_test_run ();
}
