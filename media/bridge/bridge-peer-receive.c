/* bridge-peer-receive.c — a participant's receive side (streaming
 * threads): its audio, decoded once here for the room's mixer
 * (bridge-opus.h says why not with opusdec); its video, handed encoded to
 * the room's compositor; and the filter at the ICE source that drops the
 * video of a participant the layout does not show, before decryption.
 * Each takes media_lock for reading, so that none touches the mixer or the
 * compositor once bridge_peer_close() has returned. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-peer-private.h"
#include "vc-atomic.h"
#include "vc-media-wire.h"

#include <gst/rtp/gstrtpbuffer.h>
#include <gst/video/video.h>

#define GST_CAT_DEFAULT bridge_peer_debug

/* The ICE source's thread, for every packet from the participant. SRTP
 * leaves the RTP header in clear: the video of a participant that the
 * layout does not show (N > [video] max_tiles) is dropped here, before
 * decryption, jitter buffer and depayloading, since nobody would see it.
 * When it is shown again its tile asks for a keyframe (PLI). Audio, RTCP,
 * DTLS and STUN always go on. Any packet counts as the participant being
 * alive (the stall timeout). */
static gboolean
peer_keep_packet (GstBuffer *buf, gint64 now, gpointer data)
{
  BridgePeer *peer = data;
  guint pt = 0;
  gboolean keep;

  if (vc_media_packet_kind (buf, &pt, NULL) != VC_PACKET_RTP || pt == VC_MEDIA_OPUS_PT)
    return TRUE;
  vc_atomic_int64_set (&peer->last_rx_us, now);
  g_rw_lock_reader_lock (&peer->media_lock);
  keep = peer->closing || bridge_video_is_shown (peer->video, peer->endpoint);
  g_rw_lock_reader_unlock (&peer->media_lock);
  if (!keep)
    vc_atomic_int64_add (&peer->video_dropped, 1);
  return keep;
}

GstPadProbeReturn
bridge_peer_on_receive_filter_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  return vc_media_probe_filter (info, peer_keep_packet, data);
}

/* decoded (or filled) samples, media_lock held for reading */
static void
on_audio_decoded (const gint16 *pcm, gsize n, gpointer data)
{
  BridgePeer *peer = data;

  if (!peer->closing && peer->audio_in != NULL)
    bridge_audio_input_push (peer->audio_in, pcm, n);
}

/* the jitter buffer's thread: one RTP packet of the participant's Opus,
 * decoded here (bridge-opus.h says why not with opusdec) */
GstFlowReturn
bridge_peer_on_audio_sample (GstAppSink *sink, gpointer data)
{
  BridgePeer *peer = data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  if (sample == NULL)
    return GST_FLOW_EOS;
  vc_media_thread_raise (peer->priority); /* decoding: once per thread */
  vc_atomic_int64_set (&peer->last_rx_us, g_get_monotonic_time ());
  if (!gst_rtp_buffer_map (gst_sample_get_buffer (sample), GST_MAP_READ, &rtp))
    return GST_FLOW_OK; /* not RTP: nothing to decode */
  g_rw_lock_reader_lock (&peer->media_lock);
  bridge_opus_decoder_push (peer->decoder, gst_rtp_buffer_get_seq (&rtp),
                            gst_rtp_buffer_get_payload (&rtp),
                            gst_rtp_buffer_get_payload_len (&rtp), on_audio_decoded, peer);
  g_rw_lock_reader_unlock (&peer->media_lock);
  gst_rtp_buffer_unmap (&rtp);
  return GST_FLOW_OK;
}

GstFlowReturn
bridge_peer_on_video_sample (GstAppSink *sink, gpointer data)
{
  BridgePeer *peer = data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  gboolean want_key = FALSE;
  gint64 now = g_get_monotonic_time ();

  if (sample == NULL)
    return GST_FLOW_EOS;
  vc_atomic_int64_set (&peer->last_rx_us, now);
  g_rw_lock_reader_lock (&peer->media_lock);
  if (!peer->closing)
    want_key
        = bridge_video_push_frame (peer->video, peer->endpoint, gst_sample_get_buffer (sample));
  g_rw_lock_reader_unlock (&peer->media_lock);
  /* ask the sender for a keyframe (PLI), at most once a second */
  if (want_key && now - peer->last_pli_us > G_USEC_PER_SEC)
    {
      peer->last_pli_us = now;
      gst_element_send_event (GST_ELEMENT (sink), gst_video_event_new_upstream_force_key_unit (
                                                      GST_CLOCK_TIME_NONE, TRUE, 0));
    }
  return GST_FLOW_OK;
}
