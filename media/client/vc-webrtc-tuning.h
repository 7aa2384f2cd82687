/* vc-webrtc-tuning.h — webrtcbin (1.22) settings that both ends of a call need and
 * that webrtcbin has no property for: unpaced sending, retransmission and
 * latency on received video, descriptions set with a promise nobody waits for. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

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

G_END_DECLS
