/* bridge-peer-private.h — what the files of BridgePeer share: its struct
 * and the functions each part gives the others.
 *
 *   bridge-peer.c           the object: life, states, hops to the main thread
 *   bridge-peer-signal.c    the signalling WebSocket and webrtcbin's offer/ICE
 *   bridge-peer-pipeline.c  the webrtcbin pipeline: senders, receivers, probes
 *   bridge-peer-receive.c   the receive side: audio decoded for the mixer,
 *                           video handed to the compositor, hidden video dropped
 *   bridge-peer-stats.c     webrtcbin's statistics and the meters' counts
 *
 * Only these files include it. */
#pragma once

#include "bridge-peer.h"
#include "bridge-wire-meter.h"
#include "vc-netem.h"
#include "vc-signal.h"

#include <gst/app/gstappsink.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (bridge_peer_debug);

struct _BridgePeer
{
  gchar *room_id;
  gchar *endpoint;
  const BridgePeerCallbacks *callbacks;
  gpointer user_data;
  GMainContext *context;
  BridgeAudio *audio; /* the room's; outlives us while not closed */
  BridgeVideo *video;
  VcMediaThreadPriority priority; /* for threads that carry audio */

  /* main thread */
  BridgePeerState state;
  SoupWebsocketConnection *ws;
  GstElement *pipeline;
  GstElement *webrtc;
  GstPad *video_out; /* the room's encoder thread pushes the composite here */
  GstPad *audio_out; /* the mixer thread pushes the mix here (vc_media_push_pad_new) */
  guint bus_watch;
  gulong video_probe; /* keyframe requests at video_out */
  BridgeAudioInput *audio_in;
  BridgeOpusDecoder *decoder; /* the audio appsink's streaming thread */
  gboolean answered;
  gint64 connected_at;
  gint64 created_us;
  VcNetem *netem; /* [test] netem: loss on this participant's link, or NULL */

  GRWLock media_lock;      /* writers: close; readers: appsink callbacks */
  gboolean closing;        /* media_lock */
  gint64 last_rx_us;       /* atomic */
  gint64 video_dropped;    /* atomic: packets of hidden video dropped on arrival */
  gint64 last_pli_us;      /* streaming thread of the video appsink only */
  BridgeWireMeter *wire;   /* audio leaving for the participant (at the socket) */
  BridgeWireMeter *mix_in; /* audio entering the participant's pipeline (aout) */

  GMutex stats_lock; /* protects stats and the previous sample */
  BridgePeerStats stats;
  guint64 prev_rx_bytes;
  gint64 prev_stats_us;
};

/* bridge-peer.c, main thread: webrtcbin's connection state changed. */
void bridge_peer_on_connection_state (BridgePeer *peer);
/* bridge-peer.c, any thread: sends @text (owned) on the main thread. */
void bridge_peer_hop_send (BridgePeer *peer, gchar *text);
/* bridge-peer.c, any thread: runs bridge_peer_on_connection_state() on the
 * main thread. */
void bridge_peer_hop_connection_state (BridgePeer *peer);

/* bridge-peer-signal.c, main thread: takes the participant's messages from
 * @peer->ws (limits, keep-alive, handlers). */
void bridge_peer_signal_attach (BridgePeer *peer);
/* bridge-peer-signal.c, main thread: webrtcbin's offer and candidates go to
 * the participant. */
void bridge_peer_signal_connect_webrtc (BridgePeer *peer);
/* bridge-peer-signal.c, main thread: sends an error message. */
void bridge_peer_send_error (BridgePeer *peer, VcSignalError code, const gchar *message);

/* bridge-peer-pipeline.c, main thread: builds and starts the pipeline. */
gboolean bridge_peer_pipeline_build (BridgePeer *peer, const BridgeSettings *s, GError **error);
/* bridge-peer-pipeline.c, main thread, once connected: the meters and the
 * audio threads' priority at the transport's pads. */
void bridge_peer_pipeline_watch_audio_threads (BridgePeer *peer);

/* bridge-peer-receive.c, streaming threads: the receive branches' appsink
 * callbacks and the ICE source's packet filter. */
GstFlowReturn bridge_peer_on_audio_sample (GstAppSink *sink, gpointer data);
GstFlowReturn bridge_peer_on_video_sample (GstAppSink *sink, gpointer data);
GstPadProbeReturn bridge_peer_on_receive_filter_probe (GstPad *pad, GstPadProbeInfo *info,
                                                       gpointer data);

G_END_DECLS
