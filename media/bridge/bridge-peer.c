/* bridge-peer.c — a participant: its life, its states, and the hops from
 * GStreamer threads to the main thread. Its signalling, pipeline, receive
 * side and statistics are in bridge-peer-*.c (bridge-peer-private.h lists
 * them).
 *
 *   pad vout (room composite, VP8) ! rtpvp8pay ! webrtcbin   pushed by the room's VP8
 *   pad aout (mix-minus, Opus)     ! rtpopuspay ! webrtcbin  encoder / mixer thread
 *   webrtcbin ! appsink (RTP Opus) -> bridge-opus decoder -> S16 48k mono -> mixer ring
 *   webrtcbin ! rtpvp8depay ! appsink -> room compositor tile (if shown)
 *
 * Threads: signalling and states on the main thread; webrtcbin callbacks and
 * appsink callbacks on GStreamer threads, which hop to the main thread with
 * g_main_context_invoke. media_lock (a GRWLock) lets bridge_peer_close() wait
 * for in-flight appsink callbacks, so none touches the mixer or compositor
 * after it returns.
 *
 * The participant's threads that carry audio (the ICE source's, the audio
 * jitter buffer's, which decodes) raise themselves to [audio]
 * thread_priority on their first buffer (the room's mixer thread, which
 * payloads, encrypts and sends the mix, is raised already), and two meters
 * count the audio packets that leave more than 100 ms after the previous
 * one, where the mix enters (aout) and at the socket (nicesink): the
 * bridge's own contribution to audio gaps (docs/bridge.md). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-memory.h"
#include "bridge-peer-private.h"
#include "vc-atomic.h"
#include "vc-time.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

GST_DEBUG_CATEGORY (bridge_peer_debug);
#define GST_CAT_DEFAULT bridge_peer_debug

static void peer_finalize (BridgePeer *peer);

static gint peers_alive; /* atomic */

guint
bridge_peer_count_alive (void)
{
  return (guint)g_atomic_int_get (&peers_alive);
}

BridgePeer *
bridge_peer_ref (BridgePeer *peer)
{
  return g_atomic_rc_box_acquire (peer);
}

void
bridge_peer_unref (BridgePeer *peer)
{
  g_atomic_rc_box_release_full (peer, (GDestroyNotify)peer_finalize);
}

void
bridge_peer_set_jitter_latency (BridgePeer *peer, guint ms)
{
  g_return_if_fail (peer != NULL);
  if (peer->webrtc != NULL)
    g_object_set (peer->webrtc, "latency", ms, NULL);
}

const gchar *
bridge_peer_get_endpoint (BridgePeer *peer)
{
  return peer->endpoint;
}

BridgePeerState
bridge_peer_get_state (BridgePeer *peer)
{
  return peer->state;
}

gint64
bridge_peer_get_connected_at (BridgePeer *peer)
{
  return peer->connected_at;
}

gint64
bridge_peer_get_last_rx_us (BridgePeer *peer)
{
  return vc_atomic_int64_get (&peer->last_rx_us);
}

gint64
bridge_peer_get_created_us (BridgePeer *peer)
{
  return peer->created_us;
}

/* ---- hops to the main thread ---- */

typedef struct
{
  BridgePeer *peer;
  gchar *text;
  gint what; /* 0 send text, 1 connection state changed */
} PeerHop;

static void
peer_hop_free (PeerHop *hop)
{
  bridge_peer_unref (hop->peer);
  g_free (hop->text);
  g_free (hop);
}

/* main thread */
static gboolean
on_peer_hop (gpointer data)
{
  PeerHop *hop = data;

  if (hop->peer->state == BRIDGE_PEER_STATE_CLOSED)
    return G_SOURCE_REMOVE;
  if (hop->what == 0)
    bridge_peer_send (hop->peer, hop->text);
  else
    bridge_peer_on_connection_state (hop->peer);
  return G_SOURCE_REMOVE;
}

static void
peer_hop (BridgePeer *peer, gint what, gchar *text)
{
  PeerHop *hop = g_new0 (PeerHop, 1);

  hop->peer = bridge_peer_ref (peer);
  hop->what = what;
  hop->text = text;
  g_main_context_invoke_full (peer->context, G_PRIORITY_DEFAULT, on_peer_hop, hop,
                              (GDestroyNotify)peer_hop_free);
}

void
bridge_peer_hop_send (BridgePeer *peer, gchar *text)
{
  peer_hop (peer, 0, text);
}

void
bridge_peer_hop_connection_state (BridgePeer *peer)
{
  peer_hop (peer, 1, NULL);
}

/* ---- states (main thread) ---- */

/* main thread */
void
bridge_peer_on_connection_state (BridgePeer *peer)
{
  GstWebRTCPeerConnectionState cs = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;

  g_object_get (peer->webrtc, "connection-state", &cs, NULL);
  if (cs == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED
      && peer->state == BRIDGE_PEER_STATE_NEGOTIATING)
    {
      peer->state = BRIDGE_PEER_STATE_CONNECTED;
      peer->connected_at = vc_time_now ();
      vc_atomic_int64_set (&peer->last_rx_us, g_get_monotonic_time ());
      GST_INFO ("room %s: %s connected", peer->room_id, peer->endpoint);
      GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (peer->pipeline), GST_DEBUG_GRAPH_SHOW_ALL,
                                         "bridge-peer-connected");
      bridge_audio_set_listening (peer->audio, peer->endpoint, TRUE);
      bridge_video_add_output (peer->video, peer->endpoint, peer->video_out, peer->pipeline);
      peer->callbacks->connected (peer, peer->user_data);
      /* after the room laid it out: its video is dropped only if not shown */
      bridge_peer_pipeline_watch_audio_threads (peer);
    }
  else if (cs == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
    peer->callbacks->lost (peer, "ice-failed", peer->user_data);
}

/* ---- life ---- */

/* main thread, after the teardown: no streaming thread uses the pipeline
 * any more, and nothing on the main thread does after close */
static gboolean
on_peer_torn_down (gpointer data)
{
  BridgePeer *peer = data;

  /* a pipeline frees several MB in many small blocks */
  bridge_memory_schedule_trim ();
  gst_clear_object (&peer->video_out);
  gst_clear_object (&peer->audio_out);
  gst_clear_object (&peer->webrtc);
  gst_clear_object (&peer->pipeline);
  return G_SOURCE_REMOVE;
}

/* teardown thread: the pipeline is in NULL */
static void
peer_torn_down (gpointer data)
{
  BridgePeer *peer = data;
  /* an idle source, not g_main_context_invoke(), which would run it right
   * here when no thread happens to own the context at this moment */
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, on_peer_torn_down, peer, (GDestroyNotify)bridge_peer_unref);
  g_source_attach (source, peer->context);
  g_source_unref (source);
}

void
bridge_peer_close (BridgePeer *peer, const gchar *reason)
{
  if (peer->state == BRIDGE_PEER_STATE_CLOSED)
    return;
  peer->state = BRIDGE_PEER_STATE_CLOSED;
  GST_INFO ("room %s: closing %s (%s)", peer->room_id, peer->endpoint, reason ? reason : "-");
  if (peer->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->ws, peer);
      if (reason != NULL)
        {
          g_autofree gchar *bye = vc_signal_build_bye (reason);
          bridge_peer_send (peer, bye);
        }
      if (soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_rw_lock_writer_lock (&peer->media_lock);
  peer->closing = TRUE;
  g_rw_lock_writer_unlock (&peer->media_lock);
  bridge_video_remove_output (peer->video, peer->endpoint);
  bridge_audio_remove_input (peer->audio, g_steal_pointer (&peer->audio_in));
  g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
  g_clear_handle_id (&peer->bus_watch, g_source_remove);
  if (peer->video_probe != 0)
    {
      gst_pad_remove_probe (peer->video_out, peer->video_probe);
      peer->video_probe = 0;
    }
  /* webrtcbin may take a while to close DTLS and ICE: off the main thread.
   * Nothing in the pipeline points at the peer any more but the appsink
   * callbacks and the receive probe, which hold references to it: the peer
   * lets go of the pipeline once it is stopped (peer_torn_down), which
   * frees those, and with them the peer. */
  vc_media_pipeline_dispose_async_full (gst_object_ref (peer->pipeline), peer_torn_down,
                                        bridge_peer_ref (peer));
}

BridgePeer *
bridge_peer_new (const BridgeSettings *s, const gchar *room_id, const gchar *endpoint,
                 SoupWebsocketConnection *ws, BridgeAudio *audio, BridgeVideo *video,
                 const BridgePeerCallbacks *callbacks, gpointer user_data, GError **error)
{
  static gsize once = 0;
  g_autoptr (BridgePeer) peer = g_atomic_rc_box_new0 (BridgePeer);

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_peer_debug, "bridge-peer", 0, "vc-bridge participant");
      g_once_init_leave (&once, 1);
    }
  g_atomic_int_inc (&peers_alive);
  peer->room_id = g_strdup (room_id);
  peer->endpoint = g_strdup (endpoint);
  peer->callbacks = callbacks;
  peer->user_data = user_data;
  peer->context = g_main_context_ref_thread_default ();
  peer->audio = audio;
  peer->video = video;
  peer->ws = g_object_ref (ws);
  peer->created_us = g_get_monotonic_time ();
  peer->priority = s->audio_priority;
  peer->wire = bridge_wire_meter_new (TRUE);
  peer->mix_in = bridge_wire_meter_new (FALSE);
  peer->decoder = bridge_opus_decoder_new ();
  g_rw_lock_init (&peer->media_lock);
  g_mutex_init (&peer->stats_lock);
  bridge_peer_signal_attach (peer);
  if (!bridge_peer_pipeline_build (peer, s, error))
    {
      bridge_peer_close (peer, "media-error");
      return NULL;
    }
  peer->audio_in = bridge_audio_add_input (audio, endpoint, peer->audio_out, peer->pipeline);
  return g_steal_pointer (&peer);
}

/* last reference: after bridge_peer_close() and the teardown thread */
static void
peer_finalize (BridgePeer *peer)
{
  g_clear_object (&peer->ws);
  g_clear_pointer (&peer->wire, bridge_wire_meter_unref);
  g_clear_pointer (&peer->mix_in, bridge_wire_meter_unref);
  g_clear_pointer (&peer->decoder, bridge_opus_decoder_free);
  g_clear_pointer (&peer->netem, vc_netem_unref);
  gst_clear_object (&peer->video_out);
  gst_clear_object (&peer->audio_out);
  gst_clear_object (&peer->webrtc);
  gst_clear_object (&peer->pipeline);
  g_rw_lock_clear (&peer->media_lock);
  g_mutex_clear (&peer->stats_lock);
  g_main_context_unref (peer->context);
  g_free (peer->room_id);
  g_free (peer->endpoint);
  g_atomic_int_dec_and_test (&peers_alive);
}
