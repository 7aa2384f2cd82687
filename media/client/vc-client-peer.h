/* vc-client-peer.h — a WebRTC peer that joins a vc-bridge room.
 *
 * Used by the room agent (vc-endpoint), the bridge's integration tests and
 * the benchmark load generator. It speaks docs/protocol.md §3: it opens the
 * signalling WebSocket, answers the bridge's offer, trickles ICE, sends its
 * camera/microphone (or test sources, or a pre-encoded clip) and plays or
 * counts what the bridge sends back.
 *
 * Usage (main thread, with a running GMainLoop):
 *
 *   VcClientPeerSettings s = vc_client_peer_settings_default ();
 *   s.signal_url = "ws://127.0.0.1:8090/rooms/42/signal";   // no token here
 *   s.token = join_token;
 *   s.ice_addresses = (const gchar *[]) { "127.0.0.1", NULL };
 *   s.video_source = "test";  s.audio_source = "test";  s.tone_hz = 440;
 *   s.output = VC_CLIENT_PEER_OUTPUT_NONE;
 *   g_autoptr (VcClientPeer) peer = vc_client_peer_new (&s);
 *   g_signal_connect (peer, "state-changed", G_CALLBACK (on_state), NULL);
 *   g_signal_connect (peer, "first-frame", G_CALLBACK (on_first_frame), NULL);
 *   vc_client_peer_start (peer);
 *   ...
 *   vc_client_peer_stop (peer);   // sends bye; the pipeline is torn down off
 *                                 // the main thread
 *
 * Every signal is emitted on the thread-default main context of the thread
 * that called vc_client_peer_new(). A stopped peer cannot be restarted: make a
 * new one with the same token to rejoin. */
#pragma once

#include "vc-media.h"

#include <glib-object.h>

G_BEGIN_DECLS

/* The life of a peer:
 *   IDLE --start--> CONNECTING (WebSocket handshake)
 *        --> NEGOTIATING (offer/answer, ICE, DTLS)
 *        --> CONNECTED (webrtcbin connection-state "connected")
 *   any --> FAILED (signalling refused or lost, ICE/DTLS failure, pipeline error;
 *                   the "error" signal says why)
 *   any --> CLOSED (vc_client_peer_stop() or a "bye" from the bridge)
 * FAILED and CLOSED are final. */
typedef enum
{
  VC_CLIENT_PEER_STATE_IDLE,
  VC_CLIENT_PEER_STATE_CONNECTING,
  VC_CLIENT_PEER_STATE_NEGOTIATING,
  VC_CLIENT_PEER_STATE_CONNECTED,
  VC_CLIENT_PEER_STATE_FAILED,
  VC_CLIENT_PEER_STATE_CLOSED,
} VcClientPeerState;

const gchar *vc_client_peer_state_to_string (VcClientPeerState state);

typedef enum
{
  VC_CLIENT_PEER_OUTPUT_NONE,        /* decode, then fakesink (tests, headless agents) */
  VC_CLIENT_PEER_OUTPUT_AUTO,        /* decode, then autovideosink / autoaudiosink */
  VC_CLIENT_PEER_OUTPUT_COUNT,       /* no decoding: count RTP packets (load generator); video is
                                      * counted from the clear RTP header and dropped before
                                      * decryption */
  VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO, /* video as COUNT, audio decoded as NONE */
  VC_CLIENT_PEER_OUTPUT_RELAY,       /* nothing decoded: each audio RTP packet goes to
                                      * "audio-rtp" as it leaves the jitter buffer, each
                                      * depayloaded VP8 frame to "video-encoded" (a child
                                      * bridge's uplink decodes the one for its mixer and feeds
                                      * its compositor with the other) */
} VcClientPeerOutput;

typedef struct
{
  const gchar *signal_url;           /* ws://HOST:PORT/rooms/ID/signal, no token */
  const gchar *token;                /* join token (docs/protocol.md §1) */
  const gchar *link_room;            /* a child bridge's uplink: its room's name across bridges
                                      * ("BRIDGE-INSTANCE/ROOM"), sent with the token so that
                                      * the parent refuses a loop before any media flows
                                      * (docs/protocol.md §5); NULL for a participant */
  const gchar *const *ice_addresses; /* NULL-terminated; NULL = every interface */
  const gchar *video_source;     /* "test" | "test:PATTERN" (videotestsrc) | "v4l2:/dev/videoN" |
                                  * "file:PATH.ivf" | "push" | "none" */
  const gchar *audio_source;     /* "test" | "pulse" | "alsa:DEVICE" | "file:PATH.ivf" | "push" |
                                  * "none"; "push": encoded VP8 (width x height at fps) or Opus
                                  * that the caller pushes itself into
                                  * vc_client_peer_get_push_pad() */
  VcMediaClip *video_clip;       /* optional: shared pre-encoded VP8 (overrides video_source) */
  VcMediaClip *video_clip_half;  /* optional: the same at half width and height, sent while the
                                  * bridge shows us in a tile that small (from its next
                                  * keyframe on) */
  VcMediaClip *audio_clip;       /* optional: shared pre-encoded Opus (overrides audio_source) */
  gdouble tone_hz;               /* test audio frequency */
  gdouble tone_volume;           /* test audio volume, 0..1 */
  guint width, height, fps;      /* what we send (test / v4l2) */
  guint video_bitrate_kbps;      /* what we send (test / v4l2) */
  guint jitter_latency_ms;       /* webrtcbin jitter-buffer latency */
  guint video_jitter_latency_ms; /* video: the longest a missing packet is awaited (NACK) */
  VcClientPeerOutput output;
  VcMediaThreadPriority audio_priority; /* threads that send, receive or decode audio */
  const gchar *netem; /* tests and benchmarks only: loss/jitter on our packets (vc-netem.h);
                       * NULL = $VC_TEST_NETEM, if set */
} VcClientPeerSettings;

/* test sources, 640x360 at 15 fps, 500 kbit/s, 440 Hz at 0.3, 30 ms jitter
 * buffer (200 ms for a missing video packet), output NONE, audio threads raised by nice levels when
 * allowed. */
VcClientPeerSettings vc_client_peer_settings_default (void);

/* What the peer has received so far; read from any thread. */
typedef struct
{
  guint64 video_frames;       /* decoded frames (COUNT modes: complete frames, by RTP marker) */
  guint64 audio_buffers;      /* decoded audio buffers (COUNT: audio RTP packets) */
  guint64 video_packets;      /* video RTP packets from the bridge (COUNT modes only) */
  gint64 first_frame_us;      /* monotonic time of the first video frame, 0 = none yet */
  gint64 started_us;          /* monotonic time of vc_client_peer_start() */
  gint64 signal_open_us;      /* monotonic time its signalling WebSocket opened, 0 = not yet */
  gint64 last_click_sent_us;  /* monotonic time the last clip click was sent, 0 = none */
  gint64 last_click_heard_us; /* monotonic time a click onset was heard (decoded output) */
  /* Audio RTP continuity. COUNT: as it arrives (read from the clear header
   * at the ICE source; the packets are then dropped, not decrypted).
   * Decoding modes: as it leaves the jitter buffer for the decoder, so
   * packets that came too late count as lost. */
  guint64 audio_lost;         /* sequence numbers that never arrived */
  guint64 audio_media_gaps;   /* holes over 100 ms in the stream itself: RTP timestamps of
                               * consecutive arriving packets more than 100 ms apart
                               * (a loss run or a jump in the sender's timeline); does
                               * not depend on when this process reads its sockets */
  guint64 audio_arrival_gaps; /* wall-clock gaps over 100 ms between arriving packets
                               * (includes this process's own scheduling delays) */
  /* video sending: FALSE while the bridge's layout does not show us
   * ({"type":"state","send_video":false}); frames not sent meanwhile, and
   * until the first keyframe after resuming */
  gboolean video_sending;
  guint64 video_frames_held;
  /* what we send is our width and height divided by about this: the
   * bridge's state message says the size of our tile; a clip is divided by
   * 1, 2 or 4 (vc_media_video_divisor; one without a half-size copy stays at
   * 1), a live source is scaled to fit the tile (vc_media_video_fit) and
   * this is the ratio of widths, rounded */
  guint video_divisor;
  guint video_width, video_height; /* of the frames being sent (their caps at the payloader) */
  /* video received: intervals between frames (decoded, or complete in COUNT
   * modes) after the first */
  guint64 video_freezes;       /* intervals over 1 s */
  gint64 video_longest_gap_us; /* the longest since the last vc_client_peer_take_longest_gap() */
  guint64 keyframes_requested; /* PLIs we asked for: no frame yet, or none for too long */
} VcClientPeerStats;

#define VC_TYPE_CLIENT_PEER (vc_client_peer_get_type ())
G_DECLARE_FINAL_TYPE (VcClientPeer, vc_client_peer, VC, CLIENT_PEER, GObject)

/* Copies @settings (strings are duplicated, clips are referenced). */
VcClientPeer *vc_client_peer_new (const VcClientPeerSettings *settings);

/* Builds the pipeline and connects. FALSE with @error when the pipeline cannot
 * be built (missing element, bad source). Asynchronous failures come as the
 * "error" signal and the FAILED state. */
gboolean vc_client_peer_start (VcClientPeer *peer, GError **error);

/* Sends bye, closes the WebSocket and tears the pipeline down off the main
 * thread. Idempotent. */
void vc_client_peer_stop (VcClientPeer *peer);

VcClientPeerState vc_client_peer_get_state (VcClientPeer *peer);
void vc_client_peer_get_stats (VcClientPeer *peer, VcClientPeerStats *stats);

/* Asks the bridge for a keyframe of the composite (an RTCP PLI), e.g. after
 * a decoding error. The bridge honours at most one per second per room. */
void vc_client_peer_request_keyframe (VcClientPeer *peer);

/* Returns the longest interval between two received video frames since the
 * last call (or the first frame), and starts a new measurement. */
gint64 vc_client_peer_take_longest_gap (VcClientPeer *peer);

/* Tests and benchmarks, with a netem spec only: drops every packet both ways
 * for @ms from now (an outage of our link). FALSE without netem. */
gboolean vc_client_peer_set_outage (VcClientPeer *peer, guint ms);

/* After vc_client_peer_start(), with a "push" source: the pad to push the
 * encoded frames or packets into (gst_pad_push, from one's own thread),
 * stamped in the running time of vc_client_peer_get_pipeline() (see
 * vc-push-pad.h). Upstream events (a keyframe request from the bridge)
 * reach the pad's peer and can be watched with a probe on it. NULL without
 * such a source; transfer none. */
GstPad *vc_client_peer_get_push_pad (VcClientPeer *peer, gboolean audio);
GstElement *vc_client_peer_get_pipeline (VcClientPeer *peer);

/* The HTTP status (4xx, 5xx) with which the bridge refused the signalling
 * upgrade (docs/protocol.md §3: a bad token, another room, no such room),
 * or 0 when it did not (not yet, or it failed otherwise). */
guint vc_client_peer_get_refusal_status (VcClientPeer *peer);

/* Sends one raw text message on the signalling channel (tests; a child
 * bridge's uplink sends its link_state with it). */
void vc_client_peer_send_raw (VcClientPeer *peer, const gchar *text);

/* Signals:
 *   "state-changed" (VcClientPeer *peer, guint new_state, gpointer user_data)
 *   "first-frame"   (VcClientPeer *peer, gpointer user_data)
 *       first video frame from the bridge (decoded, or complete in COUNT mode)
 *   "error"         (VcClientPeer *peer, GError *error, gpointer user_data)
 *       also for an {"type":"error"} message from the bridge (the peer goes on)
 *   "bridge-state"  (VcClientPeer *peer, const gchar *json, gpointer user_data)
 *       a {"type":"state"} message (active speaker, layout, muted,
 *       send_video, video_width/video_height); the peer itself holds its
 *       video while send_video is false and resumes from a keyframe, and
 *       sends it no larger than its tile needs
 *   "audio-decoded" (VcClientPeer *peer, GstBuffer *pcm, gpointer user_data)
 *       decoded audio from the bridge (S16LE, 48 kHz, mono), emitted on a
 *       STREAMING THREAD and only in the NONE/AUTO outputs (tests, meters)
 *   "video-decoded" (VcClientPeer *peer, GstSample *frame, gpointer user_data)
 *       a decoded composite frame (raw video with its caps), same threads
 *       and outputs as "audio-decoded" (tests look at its pixels) */

G_END_DECLS
