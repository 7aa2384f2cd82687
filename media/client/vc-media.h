/* vc-media.h — libvc-media's GStreamer helpers, shared by vc-bridge,
 * vc-endpoint and the load generator, one header each; this one includes
 * them all:
 *
 * - vc-media-error.h: the VC_MEDIA_ERROR domain.
 * - vc-gst-plugins.h: vc_media_check_plugins() names the Debian package of
 *   every missing element at start.
 * - vc-webrtc-ice.h: ICE gathers only on the configured addresses.
 * - vc-webrtc-tuning.h: unpaced sending, video retransmission, descriptions.
 * - vc-rtp-classify.h: what a packet on a WebRTC socket is, a filter probe.
 * - vc-push-pad.h: a pad of one's own to push buffers into a pipeline.
 * - vc-pipeline-dispose.h: pipelines torn down off the caller's thread.
 * - vc-thread-priority.h: threads that carry audio raise themselves.
 * - vc-clip.h: pre-encoded frames (IVF files) for the load generator.
 * - vc-media-wire.h: payload types, caps, the sender's video divisor.
 *
 * The WebRTC client peer lives in vc-client-peer.h; the signalling messages
 * in vc-signal.h. */
#pragma once

#include "vc-clip.h"
#include "vc-gst-plugins.h"
#include "vc-media-error.h"
#include "vc-media-wire.h"
#include "vc-pipeline-dispose.h"
#include "vc-push-pad.h"
#include "vc-rtp-classify.h"
#include "vc-thread-priority.h"
#include "vc-webrtc-ice.h"
#include "vc-webrtc-tuning.h"
