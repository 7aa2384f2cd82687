/* vc-client-peer-private.h — what vc-client-peer.c (signalling, states) and
 * vc-client-peer-pipeline.c (the GStreamer side) share. */
#pragma once

#include "vc-client-peer.h"

#include <gst/gst.h>

G_BEGIN_DECLS

#define VC_MEDIA_VP8_PT 96
#define VC_MEDIA_OPUS_PT 111

/* Counters and flags touched by streaming threads. Reference-counted so that
 * pad probes can outlive the peer object while the pipeline is torn down on
 * another thread. Every field is accessed atomically. */
typedef struct
{
  gint ref_count;
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
  gint64 started_us;
  gint64 last_click_sent_us;
  gint64 last_click_heard_us;
  gint stopping;
  GstElement *video_receiver; /* atomic: last element of the video receive branch, ref */
} VcClientPeerShared;

VcClientPeerShared *vc_client_peer_shared_new (VcClientPeer *peer, GMainContext *context);
VcClientPeerShared *vc_client_peer_shared_ref (VcClientPeerShared *shared);
void vc_client_peer_shared_unref (VcClientPeerShared *shared);

/* Builds the pipeline (webrtcbin named "webrtc", senders linked). Receive
 * branches are added on pad-added. */
GstElement *vc_client_peer_pipeline_build (const VcClientPeerSettings *settings,
                                           VcClientPeerShared *shared, GError **error);

/* Starts/stops the clock-driven pushing of clips (no-op without clips). */
void vc_client_peer_pipeline_start_clips (GstElement *pipeline);

/* streaming thread: decoded audio for "audio-decoded" handlers. */
void vc_client_peer_emit_audio_decoded (VcClientPeer *peer, GstBuffer *pcm);

/* streaming thread: a decoded frame leaving @pad, for "video-decoded". */
void vc_client_peer_emit_video_decoded (VcClientPeer *peer, GstPad *pad, GstBuffer *frame);

/* main thread: called when the first frame arrived. */
void vc_client_peer_emit_first_frame (VcClientPeer *peer);

G_END_DECLS
