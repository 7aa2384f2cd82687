/* bridge-peer.h — one participant's WebRTC connection on the bridge.
 *
 * A peer owns one small pipeline: webrtcbin, two push pads (aout, vout) that
 * carry the room's encoded mix and composite to the participant, and the receive
 * branches (Opus decoded once to S16 for the mixer, bridge-opus.h; VP8 left encoded and
 * handed to the room's compositor, which decodes it only if it shows a tile).
 * It also owns the signalling WebSocket (docs/protocol.md §3): the bridge
 * offers, the participant answers, ICE trickles both ways.
 *
 * States (main thread):
 *   NEGOTIATING (offer sent, waiting for answer/ICE/DTLS)
 *   -> CONNECTED (webrtcbin connection-state connected)
 *   -> CLOSED (bye, WebSocket closed, ICE failure, stall, room deleted,
 *              replaced by a rejoin). CLOSED is final.
 *
 * The room learns about changes through BridgePeerCallbacks, always on the
 * main thread. */
#pragma once

#include "bridge-audio.h"
#include "bridge-opus.h"
#include "bridge-video.h"
#include "vc-signal.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  BRIDGE_PEER_STATE_NEGOTIATING,
  BRIDGE_PEER_STATE_CONNECTED,
  BRIDGE_PEER_STATE_CLOSED,
} BridgePeerState;

typedef struct _BridgePeer BridgePeer;

typedef struct
{
  /* DTLS is up: the peer can be shown and fed. */
  void (*connected) (BridgePeer *peer, gpointer user_data);
  /* The peer closed itself (bye, socket gone, ICE failed); the room must drop
   * it with bridge_peer_close(). @reason is for logs and the bye. */
  void (*lost) (BridgePeer *peer, const gchar *reason, gpointer user_data);
  /* The peer sent {"type":"link_state"} (a child bridge's uplink:
   * docs/protocol.md §5); the room checks that it is a link. */
  void (*link_state) (BridgePeer *peer, const VcSignalMessage *msg, gpointer user_data);
} BridgePeerCallbacks;

typedef struct
{
  guint64 rx_packets, tx_packets;
  gdouble loss; /* fraction of expected packets lost, 0..1 */
  gdouble jitter_ms;
  gdouble bitrate_kbps;      /* received */
  guint64 audio_send_gaps;   /* audio packets that left for the participant more than
                              * 100 ms after the previous one (the bridge's own lateness) */
  gdouble audio_send_max_ms; /* longest interval between two audio packets sent */
  guint64 audio_mix_in_gaps; /* the same gaps, where the mix enters the peer's pipeline */
  guint64 video_dropped;     /* video packets dropped on arrival: the layout did not show it */
  BridgeOpusStats audio;     /* the participant's audio decoder: losses filled, bad packets */
} BridgePeerStats;

/* main thread: takes a ref on @ws and sends the offer. */
BridgePeer *bridge_peer_new (const BridgeSettings *settings, const gchar *room_id,
                             const gchar *endpoint, SoupWebsocketConnection *ws, BridgeAudio *audio,
                             BridgeVideo *video, const BridgePeerCallbacks *callbacks,
                             gpointer user_data, GError **error);
BridgePeer *bridge_peer_ref (BridgePeer *peer);
void bridge_peer_unref (BridgePeer *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgePeer, bridge_peer_unref)

/* main thread: sends {"type":"bye"} (when @reason is not NULL), closes the
 * socket, detaches from the mixer and compositor, and stops the pipeline off
 * the main thread. After it returns no streaming thread of the peer touches
 * the room. Idempotent. */
void bridge_peer_close (BridgePeer *peer, const gchar *reason);

/* main thread, before the participant's media flow: its jitter buffers'
 * latency (a child bridge's link gets [media] link_jitter_latency_ms) */
void bridge_peer_set_jitter_latency (BridgePeer *peer, guint ms);

const gchar *bridge_peer_get_endpoint (BridgePeer *peer);
BridgePeerState bridge_peer_get_state (BridgePeer *peer);
gint64 bridge_peer_get_connected_at (BridgePeer *peer); /* unix seconds, 0 = not yet */
gint64 bridge_peer_get_last_rx_us (BridgePeer *peer);   /* monotonic, any thread */
gint64 bridge_peer_get_created_us (BridgePeer *peer);
void bridge_peer_get_stats (BridgePeer *peer, BridgePeerStats *stats);

/* any thread: participants not yet freed, over the process (a participant
 * is freed on the main thread after its pipeline has stopped). For tests. */
guint bridge_peer_count_alive (void);
/* main thread: asks webrtcbin for fresh statistics (answer arrives later). */
void bridge_peer_poll_stats (BridgePeer *peer);
/* main thread: sends a JSON text message if the socket is open. */
void bridge_peer_send (BridgePeer *peer, const gchar *text);

G_END_DECLS
