/* vc-client-peer-pipeline.c — the GStreamer side of VcClientPeer.
 *
 * One pipeline per peer: senders (test sources, camera/microphone, or clips
 * pushed by a clock callback) into one webrtcbin; receive branches added when
 * webrtcbin exposes a pad. In COUNT mode nothing is decoded: video frames are
 * counted from the RTP header at the ICE source and dropped there, before
 * decryption, and audio packets are counted at a fakesink; that is what lets
 * one process emulate 44 rooms. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-client-peer-private.h"

#include <gst/app/gstappsrc.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (vc_client_peer_pipeline_debug);
#define GST_CAT_DEFAULT vc_client_peer_pipeline_debug

#define CLICK_THRESHOLD 16000 /* |sample| above this is a click onset */
#define AUDIO_GAP_US (100 * G_TIME_SPAN_MILLISECOND)
#define AUDIO_GAP_SAMPLES (100 * 48) /* 100 ms at Opus' 48 kHz RTP clock */

VcClientPeerShared *
vc_client_peer_shared_new (VcClientPeer *peer, GMainContext *context)
{
  VcClientPeerShared *shared = g_atomic_rc_box_new0 (VcClientPeerShared);

  shared->video_divisor_wanted = 1;
  shared->video_divisor = 1;
  g_weak_ref_init (&shared->peer, peer);
  g_weak_ref_init (&shared->video_receiver, NULL);
  shared->context = g_main_context_ref (context);
  return shared;
}

VcClientPeerShared *
vc_client_peer_shared_ref (VcClientPeerShared *shared)
{
  return g_atomic_rc_box_acquire (shared);
}

static void
shared_clear (gpointer data)
{
  VcClientPeerShared *shared = data;

  g_weak_ref_clear (&shared->peer);
  g_weak_ref_clear (&shared->video_receiver);
  g_main_context_unref (shared->context);
}

void
vc_client_peer_shared_unref (VcClientPeerShared *shared)
{
  if (shared != NULL)
    g_atomic_rc_box_release_full (shared, shared_clear);
}

/* ---- first frame: streaming thread -> main thread ---- */

static gboolean
on_first_frame_idle (gpointer data)
{
  VcClientPeerShared *shared = data;
  g_autoptr (VcClientPeer) peer = g_weak_ref_get (&shared->peer);

  if (peer != NULL && !g_atomic_int_get (&shared->stopping))
    vc_client_peer_emit_first_frame (peer);
  return G_SOURCE_REMOVE;
}

/* streaming thread */
static void
shared_count_video_frame (VcClientPeerShared *shared)
{
  gint64 now = g_get_monotonic_time ();
  gint64 last = vc_atomic_int64_exchange (&shared->last_frame_us, now);

  if (last != 0)
    {
      gint64 gap = now - last;
      if (gap > G_USEC_PER_SEC)
        vc_atomic_int64_add (&shared->video_freezes, 1);
      if (gap > vc_atomic_int64_get (&shared->longest_gap_us))
        vc_atomic_int64_set (&shared->longest_gap_us, gap);
    }
  if (vc_atomic_int64_add (&shared->video_frames, 1) == 0)
    {
      vc_atomic_int64_set (&shared->first_frame_us, now);
      g_main_context_invoke_full (shared->context, G_PRIORITY_DEFAULT, on_first_frame_idle,
                                  vc_client_peer_shared_ref (shared),
                                  (GDestroyNotify)vc_client_peer_shared_unref);
    }
}

/* ---- receive side probes (streaming threads) ---- */

static GstPadProbeReturn
on_encoded_video_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  VcClientPeerShared *shared = data;
  g_autoptr (VcClientPeer) peer = NULL;

  shared_count_video_frame (shared);
  peer = g_weak_ref_get (&shared->peer);
  if (peer != NULL && !g_atomic_int_get (&shared->stopping))
    vc_client_peer_emit_video_encoded (peer, GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_decoded_video_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  VcClientPeerShared *shared = data;
  g_autoptr (VcClientPeer) peer = NULL;

  shared_count_video_frame (shared);
  peer = g_weak_ref_get (&shared->peer);
  if (peer != NULL && !g_atomic_int_get (&shared->stopping))
    vc_client_peer_emit_video_decoded (peer, pad, GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

static void
shared_detect_click (VcClientPeerShared *shared, GstBuffer *buf)
{
  GstMapInfo map;
  gint64 now = g_get_monotonic_time ();

  if (now - vc_atomic_int64_get (&shared->last_click_heard_us) < G_USEC_PER_SEC / 2)
    return;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return;
  for (gsize i = 0; i + 1 < map.size; i += 2)
    {
      gint16 s = (gint16)(map.data[i] | (map.data[i + 1] << 8));
      if (ABS ((gint)s) > CLICK_THRESHOLD)
        {
          /* the onset lies i/2 samples into a buffer that just left the decoder */
          vc_atomic_int64_set (&shared->last_click_heard_us, now);
          break;
        }
    }
  gst_buffer_unmap (buf, &map);
}

static GstPadProbeReturn
on_decoded_audio_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  VcClientPeerShared *shared = data;

  VcClientPeer *peer;

  vc_atomic_int64_add (&shared->audio_buffers, 1);
  shared_detect_click (shared, GST_PAD_PROBE_INFO_BUFFER (info));
  peer = g_weak_ref_get (&shared->peer);
  if (peer != NULL)
    {
      if (!g_atomic_int_get (&shared->stopping))
        vc_client_peer_emit_audio_decoded (peer, GST_PAD_PROBE_INFO_BUFFER (info));
      g_object_unref (peer);
    }
  return GST_PAD_PROBE_OK;
}

/* RELAY: an audio RTP packet as it leaves the jitter buffer, undecoded */
static GstPadProbeReturn
on_relayed_audio_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  VcClientPeerShared *shared = data;
  g_autoptr (VcClientPeer) peer = NULL;

  vc_atomic_int64_add (&shared->audio_buffers, 1);
  peer = g_weak_ref_get (&shared->peer);
  if (peer != NULL && !g_atomic_int_get (&shared->stopping))
    vc_client_peer_emit_audio_rtp (peer, GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

/* Continuity of one audio RTP stream as seen by one probe (one streaming
 * thread per pad, so no lock). */
typedef struct
{
  VcClientPeerShared *shared;
  gboolean seen;
  guint16 seq;
  guint32 ts;
  gint64 arrival_us;
} RtpTrack;

/* Reads @buf's sequence number and timestamp; returns the number of packets
 * missing before it (0 for the first, the next or a late duplicate) and
 * sets @*hole_samples to the RTP time since the previous packet (0 if not
 * newer). */
static gint
rtp_track_update (RtpTrack *track, GstBuffer *buf, gint64 now, gint64 *interval_us,
                  gint32 *hole_samples)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint16 seq;
  guint32 ts;
  gint16 step;

  *interval_us = 0;
  *hole_samples = 0;
  if (!gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return 0;
  seq = gst_rtp_buffer_get_seq (&rtp);
  ts = gst_rtp_buffer_get_timestamp (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  step = (gint16)(guint16)(seq - track->seq);
  if (track->seen && step <= 0)
    return 0; /* duplicate or reordered: not newer */
  if (track->seen)
    {
      *interval_us = now - track->arrival_us;
      *hole_samples = (gint32)(ts - track->ts);
    }
  track->seq = seq;
  track->ts = ts;
  track->arrival_us = now;
  step = track->seen ? step : 1;
  track->seen = TRUE;
  return step - 1;
}

/* Decoding modes: the audio RTP that leaves the jitter buffer, i.e. what
 * the decoder gets: packets lost on the way or too late for the jitter
 * buffer are missing here (the decoder fills one from the next packet's
 * FEC, more by concealment). Jitter buffer's streaming thread. */
static GstPadProbeReturn
on_received_audio_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  RtpTrack *track = data;
  gint64 interval;
  gint32 hole;
  gint missing;

  if (!(info->type & GST_PAD_PROBE_TYPE_BUFFER))
    return GST_PAD_PROBE_OK;
  missing = rtp_track_update (track, GST_PAD_PROBE_INFO_BUFFER (info), g_get_monotonic_time (),
                              &interval, &hole);
  vc_atomic_int64_add (&track->shared->audio_lost, missing);
  if (hole > AUDIO_GAP_SAMPLES)
    vc_atomic_int64_add (&track->shared->audio_media_gaps, 1);
  if (interval > AUDIO_GAP_US)
    vc_atomic_int64_add (&track->shared->audio_arrival_gaps, 1);
  return GST_PAD_PROBE_OK;
}

static void
rtp_track_free (gpointer data)
{
  RtpTrack *track = data;

  vc_client_peer_shared_unref (track->shared);
  g_free (track);
}

/* ---- COUNT modes: counted from the RTP header, dropped before decryption ---- */

/* One per ICE source (one with max-bundle), used by its streaming thread. */
typedef struct
{
  RtpTrack audio;     /* continuity of the audio stream */
  gboolean all_media; /* COUNT: audio too; COUNT_VIDEO: video only */
} CountProbe;

static void
count_probe_free (gpointer data)
{
  CountProbe *probe = data;

  vc_client_peer_shared_unref (probe->audio.shared);
  g_free (probe);
}

/* SRTP leaves the RTP header in clear, so a receiver that only counts can
 * count from it and drop the packet before decryption, jitter buffer and
 * depayloading: video frames by the marker bit of the VP8 payload type;
 * audio packets, losses and holes in the stream's timeline (what a
 * listener's jitter buffer could not repair) from sequence numbers and
 * timestamps. RTCP, DTLS and STUN go on. */
static gboolean
count_and_keep (GstBuffer *buf, gint64 now, gpointer data)
{
  CountProbe *probe = data;
  VcClientPeerShared *shared = probe->audio.shared;
  guint pt = 0;
  gboolean marker = FALSE;

  if (vc_media_packet_kind (buf, &pt, &marker) != VC_PACKET_RTP)
    return TRUE; /* STUN, DTLS, RTCP */
  if (pt == VC_MEDIA_OPUS_PT)
    {
      gint64 interval;
      gint32 hole;
      gint missing;

      if (!probe->all_media)
        return TRUE;
      missing = rtp_track_update (&probe->audio, buf, now, &interval, &hole);
      vc_atomic_int64_add (&shared->audio_buffers, 1);
      vc_atomic_int64_add (&shared->audio_lost, missing);
      if (hole > AUDIO_GAP_SAMPLES)
        vc_atomic_int64_add (&shared->audio_media_gaps, 1);
      if (interval > AUDIO_GAP_US)
        vc_atomic_int64_add (&shared->audio_arrival_gaps, 1);
      return FALSE;
    }
  if (pt == VC_MEDIA_VP8_PT)
    {
      vc_atomic_int64_add (&shared->video_packets, 1);
      if (marker)
        shared_count_video_frame (shared);
    }
  return FALSE; /* video and its retransmissions */
}

static GstPadProbeReturn
on_count_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  return vc_media_probe_filter (info, count_and_keep, data);
}

/* any thread that adds an element inside webrtcbin; @data: the shared
 * state, its output mode in "vc-output" */
static void
on_count_element_added (GstBin *bin, GstBin *sub_bin, GstElement *element, gpointer data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  g_autoptr (GstPad) src = NULL;
  CountProbe *probe;

  if (factory == NULL
      || g_strcmp0 (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)), "nicesrc") != 0)
    return;
  probe = g_new0 (CountProbe, 1);
  probe->audio.shared = vc_client_peer_shared_ref (data);
  probe->all_media = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (bin), "vc-output"))
                     == VC_CLIENT_PEER_OUTPUT_COUNT;
  src = gst_element_get_static_pad (element, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_count_probe, probe, count_probe_free);
}

/* any streaming thread that carries audio: raised once, then the probe goes */
static GstPadProbeReturn
on_audio_thread_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  vc_media_thread_raise (GPOINTER_TO_INT (data));
  return GST_PAD_PROBE_REMOVE;
}

static void
probe_audio_thread (GstPad *pad, VcMediaThreadPriority priority)
{
  if (priority != VC_MEDIA_THREAD_NORMAL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                       on_audio_thread_probe, GINT_TO_POINTER (priority), NULL);
}

/* The ICE source's thread and the receive queue's (decryption) carry the
 * audio that arrives, along with the video. */
static void
probe_receive_threads (GstElement *webrtc, VcMediaThreadPriority priority)
{
  static const gchar *const factories[] = { "nicesrc", "queue" };

  for (guint i = 0; i < G_N_ELEMENTS (factories); i++)
    {
      g_autoptr (GstIterator) it
          = gst_bin_iterate_all_by_element_factory_name (GST_BIN (webrtc), factories[i]);
      GValue item = G_VALUE_INIT;

      while (it != NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
        {
          g_autoptr (GstPad) pad = gst_element_get_static_pad (g_value_get_object (&item), "src");
          if (pad != NULL)
            probe_audio_thread (pad, priority);
          g_value_reset (&item);
        }
      g_value_unset (&item);
    }
}

static void
add_probe (GstElement *element, const gchar *pad_name, GstPadProbeCallback cb,
           VcClientPeerShared *shared)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (element, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, cb, vc_client_peer_shared_ref (shared),
                     (GDestroyNotify)vc_client_peer_shared_unref);
}

/* Links @pad to a new bin described by @desc; returns its last element. */
static GstElement *
link_branch (GstElement *pipeline, GstPad *pad, const gchar *desc, GstElement **last)
{
  g_autoptr (GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (desc, TRUE, &error);
  g_autoptr (GstPad) sink = NULL;

  if (bin == NULL)
    {
      GST_ERROR ("cannot build receive branch '%s': %s", desc, error->message);
      return NULL;
    }
  gst_bin_add (GST_BIN (pipeline), bin);
  sink = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    GST_ERROR ("cannot link receive branch '%s'", desc);
  gst_element_sync_state_with_parent (bin);
  *last = gst_bin_get_by_name (GST_BIN (bin), "probe");
  return bin;
}

static const gchar *
branch_description (gboolean video, VcClientPeerOutput output)
{
  if (output == VC_CLIENT_PEER_OUTPUT_COUNT
      || (output == VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO && video))
    return "fakesink name=probe sync=false async=false";
  /* after a loss that retransmission could not repair, the depayloader
   * drops frames until the next keyframe (the decoder would only show
   * garbage) and asks for one (a PLI to the bridge) */
  if (video && output == VC_CLIENT_PEER_OUTPUT_RELAY)
    return "queue ! rtpvp8depay request-keyframe=true wait-for-keyframe=true ! "
           "identity name=probe ! fakesink sync=false async=false";
  if (video)
    return output == VC_CLIENT_PEER_OUTPUT_AUTO
               ? "queue ! rtpvp8depay request-keyframe=true wait-for-keyframe=true ! "
                 "vp8dec name=probe ! videoconvert ! autovideosink sync=false"
               : "queue ! rtpvp8depay request-keyframe=true wait-for-keyframe=true ! "
                 "vp8dec name=probe ! fakesink sync=false async=false";
  /* relayed audio (a child bridge's uplink) is handed over on the jitter
   * buffer's own thread: no queue, no thread hop on a server-to-server path */
  if (output == VC_CLIENT_PEER_OUTPUT_RELAY)
    return "identity name=probe ! fakesink sync=false async=false";
  return output == VC_CLIENT_PEER_OUTPUT_AUTO
             ? "queue ! rtpopusdepay ! opusdec plc=true use-inband-fec=true ! capsfilter "
               "name=probe caps=audio/x-raw,format=S16LE,rate=48000,channels=1 ! audioconvert ! "
               "audioresample ! autoaudiosink"
             : "queue ! rtpopusdepay ! opusdec plc=true use-inband-fec=true ! capsfilter "
               "name=probe caps=audio/x-raw,format=S16LE,rate=48000,channels=1 ! "
               "fakesink sync=false async=false";
}

/* streaming thread (webrtcbin pad-added) */
static void
on_webrtc_pad_added (GstElement *webrtc, GstPad *pad, gpointer data)
{
  VcClientPeerShared *shared = data;
  VcClientPeerOutput output = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (webrtc), "vc-output"));
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstElement) probe = NULL;
  const gchar *media;
  gboolean video;
  VcMediaThreadPriority priority;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_string (gst_caps_get_structure (caps, 0), "media");
  video = g_strcmp0 (media, "video") == 0;
  GST_INFO ("receiving %s", media);
  GstElement *pipeline = GST_ELEMENT (gst_element_get_parent (webrtc));
  link_branch (pipeline, pad, branch_description (video, output), &probe);
  gst_object_unref (pipeline);
  if (probe == NULL)
    return;
  if (video)
    g_weak_ref_set (&shared->video_receiver, probe);
  priority = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (webrtc), "vc-audio-priority"));
  if (!video && priority != VC_MEDIA_THREAD_NORMAL)
    {
      g_autoptr (GstPad) sink = gst_element_get_static_pad (probe, "sink");
      probe_audio_thread (sink, priority); /* the audio jitter buffer's thread */
      probe_receive_threads (webrtc, priority);
    }
  if (output == VC_CLIENT_PEER_OUTPUT_COUNT
      || (output == VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO && video))
    return; /* counted and dropped at the ICE source (on_count_probe) */
  add_probe (probe, "src",
             !video && output == VC_CLIENT_PEER_OUTPUT_RELAY ? on_relayed_audio_probe
             : !video                                        ? on_decoded_audio_probe
             : output == VC_CLIENT_PEER_OUTPUT_RELAY         ? on_encoded_video_probe
                                                             : on_decoded_video_probe,
             shared);
  if (!video)
    {
      RtpTrack *track = g_new0 (RtpTrack, 1);
      track->shared = vc_client_peer_shared_ref (shared);
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_received_audio_probe, track,
                         rtp_track_free);
    }
}

/* ---- clips pushed by the clock (clock thread) ---- */

typedef struct
{
  VcMediaClip *clip; /* the one being sent: full or half (not referenced) */
  VcMediaClip *full, *half;
  GstElement *appsrc;
  VcClientPeerShared *shared;
  guint index;
  gboolean audio;
  VcMediaThreadPriority priority;
} ClipPlayer;

static void
clip_player_free (gpointer data)
{
  ClipPlayer *player = data;

  vc_media_clip_unref (player->full);
  g_clear_pointer (&player->half, vc_media_clip_unref);
  gst_object_unref (player->appsrc);
  vc_client_peer_shared_unref (player->shared);
  g_free (player);
}

static GstCaps *
clip_caps (VcMediaClip *clip, gboolean audio)
{
  if (audio)
    return gst_caps_from_string (VC_MEDIA_OPUS_CAPS);
  return gst_caps_new_simple ("video/x-vp8", "width", G_TYPE_INT, clip->width, "height", G_TYPE_INT,
                              clip->height, "framerate", GST_TYPE_FRACTION, clip->rate_num,
                              clip->rate_den, NULL);
}

/* clock thread: moves to the clip of the size the bridge wants, at one of
 * its keyframes (the frame at the same place in the other clip) */
static void
clip_player_follow_size (ClipPlayer *player)
{
  gboolean want_half
      = player->half != NULL && g_atomic_int_get (&player->shared->video_divisor_wanted) >= 2;
  VcMediaClip *target = want_half ? player->half : player->full;
  g_autoptr (GstCaps) caps = NULL;

  if (target == player->clip)
    return;
  player->index %= target->frames->len;
  if (GST_BUFFER_FLAG_IS_SET (g_ptr_array_index (target->frames, player->index),
                              GST_BUFFER_FLAG_DELTA_UNIT))
    return;
  player->clip = target;
  caps = clip_caps (target, FALSE);
  gst_app_src_set_caps (GST_APP_SRC (player->appsrc), caps);
  g_atomic_int_set (&player->shared->video_divisor, want_half ? 2 : 1);
}

/* clock thread (system clock async waits) */
static gboolean
on_clip_tick (GstClock *clock, GstClockTime time, GstClockID id, gpointer data)
{
  ClipPlayer *player = data;
  GstBuffer *frame;
  GstClockTime base;

  if (g_atomic_int_get (&player->shared->stopping))
    return TRUE;
  if (!player->audio)
    clip_player_follow_size (player);
  if (player->audio) /* the clock thread paces audio: raise it (once) */
    vc_media_thread_raise (player->priority);
  frame = gst_buffer_copy (g_ptr_array_index (player->clip->frames, player->index));
  /* stamped with the time the frame was due, as a capture device would,
   * not with the time this thread got round to it: a late push is late
   * arrival (jitter), not a hole in the stream's timeline */
  base = gst_element_get_base_time (player->appsrc);
  GST_BUFFER_PTS (frame) = time >= base ? time - base : 0;
  GST_BUFFER_DTS (frame) = GST_CLOCK_TIME_NONE;
  if (player->audio && player->clip->click_every && player->index % player->clip->click_every == 0)
    vc_atomic_int64_set (&player->shared->last_click_sent_us, g_get_monotonic_time ());
  gst_app_src_push_buffer (GST_APP_SRC (player->appsrc), frame);
  player->index = (player->index + 1) % player->clip->frames->len;
  return TRUE;
}

static void
clip_id_release (gpointer data)
{
  GstClockID id = data;

  gst_clock_id_unschedule (id);
  gst_clock_id_unref (id);
}

static void
clip_player_start (GstElement *pipeline, const gchar *name)
{
  g_autoptr (GstElement) appsrc = gst_bin_get_by_name (GST_BIN (pipeline), name);
  ClipPlayer *player;
  g_autoptr (GstClock) clock = NULL;
  GstClockID id;

  if (appsrc == NULL)
    return;
  player = g_object_steal_data (G_OBJECT (appsrc), "vc-clip-player");
  g_return_if_fail (player != NULL);
  clock = gst_system_clock_obtain ();
  id = gst_clock_new_periodic_id (
      clock, gst_clock_get_time (clock),
      gst_util_uint64_scale (GST_SECOND, player->clip->rate_den, player->clip->rate_num));
  gst_clock_id_wait_async (id, on_clip_tick, player, clip_player_free);
  g_object_set_data_full (G_OBJECT (pipeline), name, id, clip_id_release);
}

void
vc_client_peer_pipeline_start_clips (GstElement *pipeline)
{
  clip_player_start (pipeline, "videoclip");
  clip_player_start (pipeline, "audioclip");
}

static GstElement *
clip_source (VcMediaClip *clip, VcMediaClip *half, gboolean audio, VcClientPeerShared *shared,
             VcMediaThreadPriority priority)
{
  GstElement *appsrc = gst_element_factory_make ("appsrc", audio ? "audioclip" : "videoclip");
  g_autoptr (GstCaps) caps = clip_caps (clip, audio);
  ClipPlayer *player = g_new0 (ClipPlayer, 1);

  g_object_set (appsrc, "caps", caps, "is-live", TRUE, "do-timestamp", FALSE, "format",
                GST_FORMAT_TIME, "max-bytes", (guint64)1 << 20, NULL);
  player->full = vc_media_clip_ref (clip);
  player->clip = player->full;
  if (half != NULL && half->frames->len > 0)
    player->half = vc_media_clip_ref (half);
  player->appsrc = gst_object_ref (appsrc);
  player->shared = vc_client_peer_shared_ref (shared);
  player->audio = audio;
  player->priority = priority;
  g_object_set_data_full (G_OBJECT (appsrc), "vc-clip-player", player, clip_player_free);
  return appsrc;
}

/* ---- senders ---- */

static gchar *
video_source_description (const VcClientPeerSettings *s, GError **error)
{
  g_autofree gchar *src = NULL;

  if (g_strcmp0 (s->video_source, "test") == 0)
    src = g_strdup ("videotestsrc is-live=true pattern=ball");
  else if (g_str_has_prefix (s->video_source, "test:")
           && strspn (s->video_source + 5, "abcdefghijklmnopqrstuvwxyz-")
                  == strlen (s->video_source + 5))
    src = g_strdup_printf ("videotestsrc is-live=true pattern=%s", s->video_source + 5);
  else if (g_str_has_prefix (s->video_source, "v4l2:"))
    src = g_strdup_printf ("v4l2src device=%s ! videorate", s->video_source + 5);
  else
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "unknown video source '%s'",
                   s->video_source);
      return NULL;
    }
  return g_strdup_printf (
      "%s ! videoconvert ! videoscale ! capsfilter name=videosize caps=video/x-raw,format=I420,"
      "width=%u,height=%u,framerate=%u/1 ! vp8enc name=videoenc deadline=1 cpu-used=8 "
      "end-usage=cbr target-bitrate=%u keyframe-max-dist=300 lag-in-frames=0 "
      "error-resilient=default",
      src, s->width, s->height, s->fps, s->video_bitrate_kbps * 1000);
}

static gchar *
audio_source_description (const VcClientPeerSettings *s, GError **error)
{
  g_autofree gchar *src = NULL;

  if (g_strcmp0 (s->audio_source, "test") == 0)
    src = g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=%g volume=%g "
                           "samplesperbuffer=960",
                           s->tone_hz, s->tone_volume);
  else if (g_strcmp0 (s->audio_source, "pulse") == 0)
    src = g_strdup ("pulsesrc");
  else if (g_str_has_prefix (s->audio_source, "alsa:"))
    src = g_strdup_printf ("alsasrc device=%s", s->audio_source + 5);
  else
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "unknown audio source '%s'",
                   s->audio_source);
      return NULL;
    }
  return g_strdup_printf ("%s ! audioconvert ! audioresample ! audio/x-raw,rate=48000,"
                          "channels=1 ! opusenc frame-size=20 bitrate=32000 inband-fec=true "
                          "packet-loss-percentage=10",
                          src);
}

/* the video encoder's (or clip's) streaming thread, each frame before it
 * is payloaded: held while the bridge does not show us */
static GstPadProbeReturn
on_video_gate_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  VcClientPeerShared *shared = data;
  GstBuffer *buf;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
      GstCaps *caps = NULL;
      gint width = 0, height = 0;
      if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS)
        {
          gst_event_parse_caps (event, &caps);
          gst_structure_get_int (gst_caps_get_structure (caps, 0), "width", &width);
          gst_structure_get_int (gst_caps_get_structure (caps, 0), "height", &height);
          g_atomic_int_set (&shared->video_width, width);
          g_atomic_int_set (&shared->video_height, height);
        }
      return GST_PAD_PROBE_OK;
    }
  buf = GST_PAD_PROBE_INFO_BUFFER (info);
  if (g_atomic_int_get (&shared->video_paused)
      || (g_atomic_int_get (&shared->video_wait_keyframe)
          && GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT)))
    {
      vc_atomic_int64_add (&shared->video_frames_held, 1);
      return GST_PAD_PROBE_DROP;
    }
  g_atomic_int_set (&shared->video_wait_keyframe, 0);
  return GST_PAD_PROBE_OK;
}

GstPad *
vc_client_peer_pipeline_video_gate (GstElement *pipeline)
{
  g_autoptr (GstElement) pay = gst_bin_get_by_name (GST_BIN (pipeline), "videopay");

  return pay != NULL ? gst_element_get_static_pad (pay, "sink") : NULL;
}

gboolean
vc_client_peer_pipeline_resize_live (GstElement *pipeline, const VcClientPeerSettings *s,
                                     guint width, guint height)
{
  g_autoptr (GstElement) size = gst_bin_get_by_name (GST_BIN (pipeline), "videosize");
  g_autoptr (GstElement) enc = gst_bin_get_by_name (GST_BIN (pipeline), "videoenc");
  g_autoptr (GstCaps) caps = NULL;
  /* the bitrate follows the area */
  guint bitrate = (guint)((guint64)s->video_bitrate_kbps * 1000 * width * height
                          / MAX ((guint64)s->width * s->height, 1));

  if (size == NULL || enc == NULL)
    return FALSE;
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "I420", "width", G_TYPE_INT,
                              (gint)width, "height", G_TYPE_INT, (gint)height, "framerate",
                              GST_TYPE_FRACTION, (gint)s->fps, 1, NULL);
  /* the encoder starts again at the new size, with a keyframe */
  g_object_set (enc, "target-bitrate", MAX (bitrate, 50000u), NULL);
  g_object_set (size, "caps", caps, NULL);
  return TRUE;
}

/* Adds [@encoder] ! payloader ! capsfilter and links it to @webrtc. */
static gboolean
add_sender (GstElement *pipeline, GstElement *webrtc, GstElement *encoder, gboolean audio,
            VcClientPeerShared *shared, GError **error)
{
  GstElement *pay
      = gst_element_factory_make (audio ? "rtpopuspay" : "rtpvp8pay", audio ? NULL : "videopay");
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  g_autoptr (GstCaps) caps
      = gst_caps_from_string (audio ? VC_MEDIA_OPUS_RTP_CAPS : VC_MEDIA_VP8_RTP_CAPS);

  if (!audio)
    {
      g_autoptr (GstPad) gate = gst_element_get_static_pad (pay, "sink");
      gst_util_set_object_arg (G_OBJECT (pay), "picture-id-mode", "15-bit");
      gst_pad_add_probe (gate, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                         on_video_gate_probe, vc_client_peer_shared_ref (shared),
                         (GDestroyNotify)vc_client_peer_shared_unref);
    }
  g_object_set (pay, "mtu", 1200, NULL);
  g_object_set (filter, "caps", caps, NULL);
  gst_bin_add_many (GST_BIN (pipeline), encoder, pay, filter, NULL);
  if (!gst_element_link_many (encoder, pay, filter, NULL)
      || !gst_element_link_pads (filter, "src", webrtc, "sink_%u"))
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "cannot link %s sender",
                   audio ? "audio" : "video");
      return FALSE;
    }
  return TRUE;
}

/* "push": the caller's own thread pushes encoded media into a pad of its
 * own linked to an identity, which the payloader follows */
static GstElement *
push_source (gboolean audio, const VcClientPeerSettings *s)
{
  GstElement *head = gst_element_factory_make ("identity", audio ? "audiopush" : "videopush");
  g_autoptr (GstCaps) caps
      = audio ? gst_caps_from_string (VC_MEDIA_OPUS_CAPS)
              : gst_caps_new_simple ("video/x-vp8", "width", G_TYPE_INT, (gint)s->width, "height",
                                     G_TYPE_INT, (gint)s->height, "framerate", GST_TYPE_FRACTION,
                                     (gint)s->fps, 1, NULL);
  GstPad *pad = vc_media_push_pad_new (audio ? "vc-push-audio" : "vc-push-video", caps);

  /* linked once the identity is in the pipeline (push_source_link): adding
   * an element to a bin unlinks its pads from pads outside the bin */
  g_object_set_data_full (G_OBJECT (head), "vc-push-pad", pad, gst_object_unref);
  return head;
}

static gboolean
push_source_link (GstElement *head, GError **error)
{
  GstPad *pad = g_object_get_data (G_OBJECT (head), "vc-push-pad");
  g_autoptr (GstPad) sink = gst_element_get_static_pad (head, "sink");

  if (pad != NULL && gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "cannot link a push source");
      return FALSE;
    }
  return TRUE;
}

GstPad *
vc_client_peer_pipeline_push_pad (GstElement *pipeline, gboolean audio)
{
  g_autoptr (GstElement) head
      = gst_bin_get_by_name (GST_BIN (pipeline), audio ? "audiopush" : "videopush");

  return head != NULL ? g_object_get_data (G_OBJECT (head), "vc-push-pad") : NULL;
}

void
vc_client_peer_pipeline_start_push (GstElement *pipeline)
{
  for (int audio = 0; audio < 2; audio++)
    {
      GstPad *pad = vc_client_peer_pipeline_push_pad (pipeline, audio);
      if (pad != NULL)
        vc_media_push_pad_start (pad);
    }
}

static GstElement *
make_sender_head (const gchar *source, VcMediaClip *clip, gboolean audio,
                  const VcClientPeerSettings *s, VcClientPeerShared *shared, GError **error)
{
  g_autofree gchar *desc = NULL;
  g_autoptr (VcMediaClip) loaded = NULL;

  if (clip == NULL && g_strcmp0 (source, "push") == 0)
    return push_source (audio, s);
  if (clip == NULL && g_str_has_prefix (source, "file:"))
    {
      loaded = vc_media_clip_load (source + 5, error);
      if (loaded == NULL)
        return NULL;
      clip = loaded;
    }
  if (clip != NULL)
    {
      if (clip->frames->len == 0)
        {
          g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_CLIP, "empty clip");
          return NULL;
        }
      return clip_source (clip, audio ? NULL : s->video_clip_half, audio, shared,
                          s->audio_priority);
    }
  desc = audio ? audio_source_description (s, error) : video_source_description (s, error);
  if (desc == NULL)
    return NULL;
  return gst_parse_bin_from_description (desc, TRUE, error);
}

GstElement *
vc_client_peer_pipeline_build (const VcClientPeerSettings *s, VcClientPeerShared *shared,
                               VcNetem *netem, GError **error)
{
  static gsize once = 0;
  g_autoptr (GstElement) pipeline = gst_pipeline_new ("vc-client-peer");
  GstElement *webrtc = gst_element_factory_make ("webrtcbin", "webrtc");

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (vc_client_peer_pipeline_debug, "vc-client-peer", 0,
                               "vc WebRTC client peer");
      g_once_init_leave (&once, 1);
    }
  if (webrtc == NULL)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_MISSING_PLUGIN,
                   "webrtcbin missing (gstreamer1.0-plugins-bad)");
      return NULL;
    }
  gst_util_set_object_arg (G_OBJECT (webrtc), "bundle-policy", "max-bundle");
  g_object_set (webrtc, "latency", s->jitter_latency_ms, NULL);
  vc_webrtc_tune_video_receive (webrtc, s->video_jitter_latency_ms);
  vc_media_bus_restore_threads (pipeline);
  /* first, so that its probes run before the counting ones: they count
   * what survived the emulated network */
  if (netem != NULL)
    vc_netem_attach (netem, pipeline);
  /* pushed media is paced by whoever pushes it (a bridge's mixer and
   * encoder): as on the bridge, packets leave when they are made */
  if (g_strcmp0 (s->audio_source, "push") == 0 || g_strcmp0 (s->video_source, "push") == 0)
    vc_webrtc_send_unpaced (pipeline);
  g_object_set_data (G_OBJECT (webrtc), "vc-output", GINT_TO_POINTER (s->output));
  g_object_set_data (G_OBJECT (webrtc), "vc-audio-priority", GINT_TO_POINTER (s->audio_priority));
  gst_bin_add (GST_BIN (pipeline), webrtc);
  vc_webrtc_restrict_ice (webrtc, s->ice_addresses);
  if (s->output == VC_CLIENT_PEER_OUTPUT_COUNT || s->output == VC_CLIENT_PEER_OUTPUT_COUNT_VIDEO)
    {
      g_object_set_data (G_OBJECT (pipeline), "vc-output", GINT_TO_POINTER (s->output));
      g_signal_connect_data (pipeline, "deep-element-added", G_CALLBACK (on_count_element_added),
                             vc_client_peer_shared_ref (shared),
                             (GClosureNotify)(void (*) (void))vc_client_peer_shared_unref, 0);
    }
  for (int audio = 0; audio < 2; audio++)
    {
      const gchar *source = audio ? s->audio_source : s->video_source;
      VcMediaClip *clip = audio ? s->audio_clip : s->video_clip;
      GstElement *head;

      if (clip == NULL && (source == NULL || g_strcmp0 (source, "none") == 0))
        continue;
      head = make_sender_head (source, clip, audio, s, shared, error);
      if (head == NULL || !add_sender (pipeline, webrtc, head, audio, shared, error)
          || !push_source_link (head, error))
        return NULL;
      if (audio) /* the capture (or clip) thread, which also payloads and sends */
        {
          g_autoptr (GstPad) src = gst_element_get_static_pad (head, "src");
          probe_audio_thread (src, s->audio_priority);
        }
    }
  g_signal_connect_data (webrtc, "pad-added", G_CALLBACK (on_webrtc_pad_added),
                         vc_client_peer_shared_ref (shared),
                         (GClosureNotify)(void (*) (void))vc_client_peer_shared_unref, 0);
  return g_steal_pointer (&pipeline);
}
