/* vc-media.h — GStreamer helpers shared by vc-bridge and vc-endpoint
 * (libvc-media).
 *
 * - vc_media_check_plugins(): at start, names the Debian package of every
 *   missing element so an installer knows what to apt-get.
 * - vc_webrtc_restrict_ice(): ICE gathers only on the configured addresses
 *   (the bridge and tests use 127.0.0.1; no STUN/TURN is ever set).
 * - the clip format: pre-encoded VP8/Opus frames in memory, read from and
 *   written to IVF-framed files (used by the benchmark load generator).
 * - vc_media_thread_raise(): a streaming thread that carries audio asks for a
 *   higher scheduling priority than video and codec threads.
 *
 * The WebRTC client peer lives in vc-client-peer.h. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define VC_MEDIA_ERROR (vc_media_error_quark ())
GQuark vc_media_error_quark (void);

typedef enum
{
  VC_MEDIA_ERROR_MISSING_PLUGIN, /* an element is not installed */
  VC_MEDIA_ERROR_PIPELINE,       /* building or running a pipeline failed */
  VC_MEDIA_ERROR_SIGNALLING,     /* the signalling peer misbehaved */
  VC_MEDIA_ERROR_CLIP,           /* a clip file is unreadable */
} VcMediaError;

/* Element sets to check. */
typedef enum
{
  VC_MEDIA_PLUGINS_WEBRTC = 1 << 0,  /* webrtcbin, nice, dtls, srtp, rtp */
  VC_MEDIA_PLUGINS_CODECS = 1 << 1,  /* vp8enc/dec, opusenc/dec */
  VC_MEDIA_PLUGINS_MIXING = 1 << 2,  /* compositor, overlaycomposition, videoscale */
  VC_MEDIA_PLUGINS_TEST = 1 << 3,    /* videotestsrc, audiotestsrc */
  VC_MEDIA_PLUGINS_DEVICES = 1 << 4, /* v4l2src, pulsesrc, alsasrc, autovideosink */
} VcMediaPlugins;

#define VC_MEDIA_PLUGINS_BRIDGE                                                                    \
  (VC_MEDIA_PLUGINS_WEBRTC | VC_MEDIA_PLUGINS_CODECS | VC_MEDIA_PLUGINS_MIXING                     \
   | VC_MEDIA_PLUGINS_TEST)

/* Calls gst_init_check() if needed. FALSE with @error listing every missing
 * element and its Debian package ("compositor (gstreamer1.0-plugins-base)"). */
gboolean vc_media_check_plugins (VcMediaPlugins which, GError **error);

/* Makes the ICE agent of @webrtcbin gather only on @addresses (NULL-terminated,
 * IP literals) and turns libnice's UPnP port mapping off. Call before any
 * negotiation. NULL or empty @addresses leaves libnice's default interfaces
 * (every one but loopback). Returns FALSE if the agent refused an address. */
gboolean vc_webrtc_restrict_ice (GstElement *webrtcbin, const gchar *const *addresses);

/* webrtcbin (1.22) puts a clocksync (sync=true) in front of each stream it
 * sends, which holds every buffer until its running time. Call on the
 * pipeline before webrtcbin is added to it: every clocksync that appears
 * anywhere inside gets sync=false, so buffers are sent as soon as they are
 * pushed. For senders that pace themselves and stamp buffers on their own
 * timeline (the bridge's mix). */
void vc_webrtc_send_unpaced (GstElement *pipeline);

/* Video received by @webrtcbin is repaired by retransmission: every
 * jitter buffer of a stream that the remote description announces on a
 * video m-line gets do-retransmission (NACK, answered from the sender's RTX
 * stream) and a latency of @latency_ms, the longest it waits for a missing
 * packet. webrtcbin (1.22) leaves retransmission off, and its one latency
 * (30 ms here, for audio) is shorter than a video frame interval: the last
 * packet of a frame is only missed when the next frame arrives. Packets
 * that arrive in order are not held: the latency costs only while a packet
 * is missing. Call once, after creating @webrtcbin. */
void vc_webrtc_tune_video_receive (GstElement *webrtcbin, guint latency_ms);

/* Emits set-local-description (@local) or set-remote-description on
 * @webrtcbin with a promise that nobody waits for: given none, a webrtcbin
 * that is already closed leaks the error reply it has no promise to hand to
 * (found by LeakSanitizer when a participant leaves during negotiation).
 * @description is a GstWebRTCSessionDescription (named by its struct tag so
 * that this header needs no unstable-API webrtc header). */
struct _GstWebRTCSessionDescription;
void vc_webrtc_set_description (GstElement *webrtcbin, gboolean local,
                                struct _GstWebRTCSessionDescription *description);

/* What a packet read from (or written to) a WebRTC socket carries, from its
 * first two bytes (RFC 7983, RFC 5761). SRTP leaves the RTP header in
 * clear, so for RTP @pt and @marker (either may be NULL) are set even
 * before decryption. */
typedef enum
{
  VC_PACKET_OTHER, /* STUN, DTLS, or too short */
  VC_PACKET_RTCP,
  VC_PACKET_RTP,
} VcPacketKind;
VcPacketKind vc_media_packet_kind (GstBuffer *buf, guint *pt, gboolean *marker);

/* The body of a buffer / buffer-list pad probe that drops each packet for
 * which @keep (called with the same monotonic time for a whole list)
 * returns FALSE. */
typedef gboolean (*VcPacketKeepFunc) (GstBuffer *buf, gint64 now_us, gpointer data);
GstPadProbeReturn vc_media_probe_filter (GstPadProbeInfo *info, VcPacketKeepFunc keep,
                                         gpointer data);

/* A source pad that belongs to no element, for pushing buffers into a
 * pipeline from a thread of one's own (gst_pad_push) instead of through an
 * appsrc, whose streaming thread would wake for every buffer. It is active,
 * carries stream-start, @caps and a TIME segment from 0 (buffers are
 * stamped in the pipeline's running time), answers queries as a live
 * source and drops upstream events. Link it to the first element's sink
 * pad; pushes return GST_FLOW_FLUSHING while that is not playing. */
GstPad *vc_media_push_pad_new (const gchar *stream_id, GstCaps *caps);

/* The caps of a mono Opus stream as the bridge and the clips carry it. */
#define VC_MEDIA_OPUS_CAPS "audio/x-opus,channel-mapping-family=0,channels=1,rate=48000"

/* @element's running time at clock time @now (its pipeline's clock), or
 * GST_CLOCK_TIME_NONE before it has a base time or if @now is before it. */
GstClockTime vc_media_running_time (GstElement *element, GstClockTime now);
/* Delivers the stream's start (stream-start, caps, segment) downstream: call
 * once the pipeline it is linked into has been set to PAUSED or PLAYING
 * (elements such as webrtcbin wait for caps before anything is pushed). */
void vc_media_push_pad_start (GstPad *pad);

/* Takes ownership of @pipeline, sets it to NULL and unrefs it on a short-lived
 * thread, so that a webrtcbin shutting down (DTLS, ICE) never blocks the
 * caller's main loop. Each webrtcbin in it first finishes the operations
 * already queued on its own thread (at most 2 s): the caller must queue no
 * more (no create-offer, set-local-description …) once it has handed the
 * pipeline over, or a transport made during the teardown is never freed. */
void vc_media_pipeline_dispose_async (GstElement *pipeline);
/* The same, then calls @done (@data) on the teardown thread once the
 * pipeline is in NULL (none of its streaming threads runs any more) and our
 * reference is dropped: where an owner that the pipeline's callbacks keep
 * alive lets go of its own references to the pipeline. */
void vc_media_pipeline_dispose_async_full (GstElement *pipeline, GDestroyNotify done,
                                           gpointer data);

/* Waits (at most @timeout_ms) until every pipeline handed to
 * vc_media_pipeline_dispose_async() is down. Call before the process exits,
 * so that no thread is still closing DTLS while the process unwinds. FALSE on
 * timeout. */
gboolean vc_media_wait_disposals (guint timeout_ms);

/* How much a thread that carries audio is raised above the process. */
typedef enum
{
  VC_MEDIA_THREAD_NORMAL,   /* left alone */
  VC_MEDIA_THREAD_NICE,     /* nice value 10 below (better than) the thread's */
  VC_MEDIA_THREAD_REALTIME, /* SCHED_RR at a low real-time priority, else NICE */
} VcMediaThreadPriority;

/* Raises the calling thread (once: later calls return at once) and returns
 * what it got: REALTIME needs CAP_SYS_NICE or RLIMIT_RTPRIO, NICE needs
 * CAP_SYS_NICE or RLIMIT_NICE (systemd LimitNICE=); without them the thread
 * stays NORMAL, which is logged once per process. A GStreamer task thread
 * returns to a pool when its task stops: call vc_media_thread_restore() from
 * a bus sync handler on GST_STREAM_STATUS_TYPE_LEAVE
 * (vc_media_bus_restore_threads() does that). */
VcMediaThreadPriority vc_media_thread_raise (VcMediaThreadPriority wanted);

/* Puts the calling thread back to the priority it had before
 * vc_media_thread_raise(); no-op for a thread that was not raised. */
void vc_media_thread_restore (void);

/* Installs a sync handler on @pipeline's bus that restores raised task
 * threads when their task leaves (the pipeline's bus must not have another
 * sync handler). */
void vc_media_bus_restore_threads (GstElement *pipeline);

/* A clip: pre-encoded frames of one stream, each a GstBuffer whose PTS/duration
 * are relative to the clip start. Immutable once loaded; share it with a ref
 * (a g_atomic_rc_box). */
typedef struct
{
  gchar fourcc[5];     /* "VP80" or "OPUS" */
  guint width, height; /* video only */
  guint rate_num, rate_den;
  GPtrArray *frames; /* GstBuffer, in order */
  guint click_every; /* audio: frame i carries a click when i % click_every == 0; 0 = none */
  GstClockTime duration;
} VcMediaClip;

VcMediaClip *vc_media_clip_ref (VcMediaClip *clip);
void vc_media_clip_unref (VcMediaClip *clip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcMediaClip, vc_media_clip_unref)

/* IVF framing (32-byte header, 12-byte frame headers), fourcc VP80 or OPUS. */
VcMediaClip *vc_media_clip_load (const gchar *path, GError **error);
gboolean vc_media_clip_save (const VcMediaClip *clip, const gchar *path, GError **error);

/* Encodes @seconds of test media with GStreamer into a clip: video is
 * videotestsrc (scrolling SMPTE bars, which keeps a CBR encoder at its
 * target, like a camera) VP8 at @width x @height, @fps; audio is a sine of @freq Hz
 * at @volume (0..1), Opus 20 ms frames, with a full-scale 5 ms click every
 * @click_period seconds when @click_period > 0. Blocks: call at start-up. */
VcMediaClip *vc_media_clip_encode_video (guint width, guint height, guint fps, guint seconds,
                                         GError **error);

/* How much a sender of @width × @height shrinks its video for a tile of
 * @tile_width × @tile_height in the bridge's composite: the largest divisor
 * of 1, 2 and 4 that still covers the tile (width / k >= tile_width and
 * height / k >= tile_height); 1 when the tile is not known (0). */
guint vc_media_video_divisor (guint width, guint height, guint tile_width, guint tile_height);
VcMediaClip *vc_media_clip_encode_audio (gdouble freq, gdouble volume, guint seconds,
                                         guint click_period, GError **error);

G_END_DECLS
