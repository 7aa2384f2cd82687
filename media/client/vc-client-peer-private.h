/* vc-client-peer-private.h — what vc-client-peer.c (signalling, states) and
 * vc-client-peer-pipeline.c (the GStreamer side) share. */
#pragma once

#include "vc-atomic.h"
#include "vc-client-peer.h"
#include "vc-netem.h"

#include <gst/gst.h>

G_BEGIN_DECLS

/* Counters and flags touched by streaming threads. Reference-counted (a
 * g_atomic_rc_box) so that pad probes can outlive the peer object while the
 * pipeline is torn down on another thread. Every field is accessed atomically. */
typedef struct
{
  GWeakRef peer;         /* VcClientPeer, for the first-frame hop */
  GMainContext *context; /* where signals are emitted */
  gint64 video_frames;
  gint64 audio_buffers;
  gint64 video_packets;
  gint64 audio_lost;         /* RTP sequence numbers that never arrived */
  gint64 audio_media_gaps;   /* holes > 100 ms in the arriving RTP timeline */
  gint64 audio_arrival_gaps; /* wall-clock gaps at the jitter buffer's input */
  gint64 last_audio_us;
  gint64 first_frame_us;
  gint64 last_frame_us;  /* the video receiver's thread writes */
  gint64 longest_gap_us; /* between frames, since the last take */
  gint64 video_freezes;  /* intervals over 1 s */
  gint64 keyframes_requested;
  gint64 started_us;
  gint64 signal_open_us;
  gint64 last_click_sent_us;
  gint64 last_click_heard_us;
  gint stopping;
  /* the last element of the video receive branch (keyframe requests go
   * upstream from it); weak: a strong reference from here, with the
   * decoder's probe holding the shared state, kept both alive forever */
  GWeakRef video_receiver;
  /* video sending, held while the bridge's layout does not show us
   * ({"type":"state","send_video":false}); on resuming, frames wait for a
   * keyframe (the encoder is asked for one; a clip reaches its next one) */
  gint video_paused;
  gint video_wait_keyframe;
  gint64 video_frames_held;  /* encoded frames not sent: paused, or waiting for a keyframe */
  gint video_divisor_wanted; /* from the bridge's tile size (main thread writes) */
  gint video_fit_width;      /* live video: the size asked for last (main thread only) */
  gint video_fit_height;
  gint video_divisor;             /* what is sent now */
  gint video_width, video_height; /* caps reaching the payloader */
} VcClientPeerShared;

VcClientPeerShared *vc_client_peer_shared_new (VcClientPeer *peer, GMainContext *context);
VcClientPeerShared *vc_client_peer_shared_ref (VcClientPeerShared *shared);
void vc_client_peer_shared_unref (VcClientPeerShared *shared);

/* Builds the pipeline (webrtcbin named "webrtc", senders linked). Receive
 * branches are added on pad-added. */
GstElement *vc_client_peer_pipeline_build (const VcClientPeerSettings *settings,
                                           VcClientPeerShared *shared, VcNetem *netem,
                                           GError **error);

/* The video payloader's sink pad (where sending is held), or NULL without
 * video. */
GstPad *vc_client_peer_pipeline_video_gate (GstElement *pipeline);

/* main thread: sends the live video (test or camera) at @width × @height
 * (scaled before the encoder, which starts again there with a keyframe),
 * its bitrate in proportion to the area; FALSE when the video is a clip
 * (its player switches by itself). */
gboolean vc_client_peer_pipeline_resize_live (GstElement *pipeline, const VcClientPeerSettings *s,
                                              guint width, guint height);

/* Starts/stops the clock-driven pushing of clips (no-op without clips). */
void vc_client_peer_pipeline_start_clips (GstElement *pipeline);

/* streaming thread: decoded audio for "audio-decoded" handlers. */
void vc_client_peer_emit_audio_decoded (VcClientPeer *peer, GstBuffer *pcm);

/* streaming thread: a decoded frame leaving @pad, for "video-decoded". */
void vc_client_peer_emit_video_decoded (VcClientPeer *peer, GstPad *pad, GstBuffer *frame);

/* streaming thread: an audio RTP packet, for "audio-rtp" (RELAY). */
void vc_client_peer_emit_audio_rtp (VcClientPeer *peer, GstBuffer *rtp);

/* streaming thread: a depayloaded VP8 frame, for "video-encoded" (RELAY). */
void vc_client_peer_emit_video_encoded (VcClientPeer *peer, GstBuffer *frame);

/* main thread, after the pipeline was set to PLAYING: starts the "push"
 * sources' pads (vc_media_push_pad_start). */
void vc_client_peer_pipeline_start_push (GstElement *pipeline);

/* A "push" source's pad (transfer none), or NULL. */
GstPad *vc_client_peer_pipeline_push_pad (GstElement *pipeline, gboolean audio);

/* main thread: called when the first frame arrived. */
void vc_client_peer_emit_first_frame (VcClientPeer *peer);

G_END_DECLS
