/* bridge-peer.c — a participant's webrtcbin pipeline and signalling.
 *
 *   pad vout (room composite, VP8) ! rtpvp8pay ! webrtcbin   pushed by the room's VP8
 *   pad aout (mix-minus, Opus)     ! rtpopuspay ! webrtcbin  encoder / mixer thread
 *   webrtcbin ! appsink (RTP Opus) -> bridge-opus decoder -> S16 48k mono -> mixer ring
 *   webrtcbin ! rtpvp8depay ! appsink -> room compositor tile (if shown)
 *
 * Threads: signalling and states on the main thread; webrtcbin callbacks and
 * appsink callbacks on GStreamer threads, which hop to the main thread with
 * g_main_context_invoke. media_lock (a GRWLock) lets bridge_peer_close() wait
 * for in-flight appsink callbacks, so none touches the mixer or compositor
 * after it returns.
 *
 * The participant's threads that carry audio (the ICE source's, the audio
 * jitter buffer's, which decodes) raise themselves to [audio]
 * thread_priority on their first buffer (the room's mixer thread, which
 * payloads, encrypts and sends the mix, is raised already), and two meters
 * count the audio packets that leave more than 100 ms after the previous
 * one, where the mix enters (aout) and at the socket (nicesink): the
 * bridge's own contribution to audio gaps (docs/bridge.md). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-peer.h"

#include "bridge-opus.h"
#include "bridge-signal.h"
#include "vc-atomic.h"
#include "vc-media-wire.h"
#include "vc-netem.h"
#include "vc-time.h"

#include <gst/app/gstappsink.h>
#include <malloc.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

GST_DEBUG_CATEGORY_STATIC (bridge_peer_debug);
#define GST_CAT_DEFAULT bridge_peer_debug

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

  GRWLock media_lock;       /* writers: close; readers: appsink callbacks */
  gboolean closing;         /* media_lock */
  gint64 last_rx_us;        /* atomic */
  gint64 video_dropped;     /* atomic: packets of hidden video dropped on arrival */
  gint64 last_pli_us;       /* streaming thread of the video appsink only */
  struct WireMeter *wire;   /* audio leaving for the participant (at the socket) */
  struct WireMeter *mix_in; /* audio entering the participant's pipeline (aout) */

  GMutex stats_lock; /* protects stats and the previous sample */
  BridgePeerStats stats;
  guint64 prev_rx_bytes;
  gint64 prev_stats_us;
};

static void peer_finalize (BridgePeer *peer);

static gint peers_alive; /* atomic */

guint
bridge_peer_count_alive (void)
{
  return (guint)g_atomic_int_get (&peers_alive);
}

BridgePeer *
bridge_peer_ref (BridgePeer *peer)
{
  return g_atomic_rc_box_acquire (peer);
}

void
bridge_peer_unref (BridgePeer *peer)
{
  g_atomic_rc_box_release_full (peer, (GDestroyNotify)peer_finalize);
}

const gchar *
bridge_peer_get_endpoint (BridgePeer *peer)
{
  return peer->endpoint;
}

BridgePeerState
bridge_peer_get_state (BridgePeer *peer)
{
  return peer->state;
}

gint64
bridge_peer_get_connected_at (BridgePeer *peer)
{
  return peer->connected_at;
}

gint64
bridge_peer_get_last_rx_us (BridgePeer *peer)
{
  return vc_atomic_int64_get (&peer->last_rx_us);
}

gint64
bridge_peer_get_created_us (BridgePeer *peer)
{
  return peer->created_us;
}

void
bridge_peer_send (BridgePeer *peer, const gchar *text)
{
  if (peer->ws != NULL
      && soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (peer->ws, text);
}

static void
peer_send_error (BridgePeer *peer, const gchar *code, const gchar *message)
{
  g_autofree gchar *text = bridge_signal_build_error (code, message);
  bridge_peer_send (peer, text);
}

/* ---- hops to the main thread ---- */

typedef struct
{
  BridgePeer *peer;
  gchar *text;
  gint what; /* 0 send text, 1 connection state changed */
} PeerHop;

static void
peer_hop_free (PeerHop *hop)
{
  bridge_peer_unref (hop->peer);
  g_free (hop->text);
  g_free (hop);
}

static void peer_on_connection_state (BridgePeer *peer);

/* main thread */
static gboolean
on_peer_hop (gpointer data)
{
  PeerHop *hop = data;

  if (hop->peer->state == BRIDGE_PEER_STATE_CLOSED)
    return G_SOURCE_REMOVE;
  if (hop->what == 0)
    bridge_peer_send (hop->peer, hop->text);
  else
    peer_on_connection_state (hop->peer);
  return G_SOURCE_REMOVE;
}

static void
peer_hop (BridgePeer *peer, gint what, gchar *text)
{
  PeerHop *hop = g_new0 (PeerHop, 1);

  hop->peer = bridge_peer_ref (peer);
  hop->what = what;
  hop->text = text;
  g_main_context_invoke_full (peer->context, G_PRIORITY_DEFAULT, on_peer_hop, hop,
                              (GDestroyNotify)peer_hop_free);
}

/* ---- offer (webrtcbin threads) ---- */

static void
on_offer_created (GstPromise *promise, gpointer data)
{
  BridgePeer *peer = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GstWebRTCSessionDescription *offer = NULL;

  if (reply != NULL)
    gst_structure_get (reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL);
  gst_promise_unref (promise);
  /* Under media_lock: once the peer is closing, nothing more is queued on
   * webrtcbin's thread, so the teardown can wait for what is queued there
   * (vc_media_pipeline_dispose_async) before it stops the pipeline. */
  g_rw_lock_reader_lock (&peer->media_lock);
  if (offer != NULL && !peer->closing)
    {
      g_autofree gchar *sdp = gst_sdp_message_as_text (offer->sdp);
      vc_webrtc_set_description (peer->webrtc, TRUE, offer);
      peer_hop (peer, 0, bridge_signal_build_offer (sdp));
    }
  else if (offer == NULL)
    GST_ERROR ("room %s: no offer for %s", peer->room_id, peer->endpoint);
  g_rw_lock_reader_unlock (&peer->media_lock);
  g_clear_pointer (&offer, gst_webrtc_session_description_free);
  bridge_peer_unref (peer);
}

static void
on_negotiation_needed (GstElement *webrtc, gpointer data)
{
  BridgePeer *peer = data;
  GstPromise *promise;

  g_rw_lock_reader_lock (&peer->media_lock);
  if (!peer->closing)
    {
      promise = gst_promise_new_with_change_func (on_offer_created, bridge_peer_ref (peer), NULL);
      g_signal_emit_by_name (webrtc, "create-offer", NULL, promise);
    }
  g_rw_lock_reader_unlock (&peer->media_lock);
}

static void
on_ice_candidate (GstElement *webrtc, guint mline, gchar *candidate, gpointer data)
{
  peer_hop (data, 0, bridge_signal_build_ice (candidate, mline));
}

static void
on_connection_state_notify (GObject *webrtc, GParamSpec *pspec, gpointer data)
{
  peer_hop (data, 1, NULL);
}

/* ---- audio threads: timing meters and priority (streaming threads) ---- */

#define AUDIO_SEND_GAP_US (100 * G_TIME_SPAN_MILLISECOND)

static gboolean
packet_is_audio (GstBuffer *buf)
{
  guint pt = 0;

  return vc_media_packet_kind (buf, &pt, NULL) == VC_PACKET_RTP && pt == VC_MEDIA_OPUS_PT;
}

/* Shared by the peer and its probe (reference-counted: the probe may outlive
 * the peer while the pipeline is torn down). */
struct WireMeter
{
  gint64 last_us; /* only the thread that carries the audio */
  gint64 gaps;    /* atomic */
  gint64 max_us;  /* atomic */
};

static void
wire_meter_count (struct WireMeter *wire, GstBuffer *buf, gboolean rtp)
{
  gint64 now, interval;

  if (rtp && !packet_is_audio (buf))
    return;
  now = g_get_monotonic_time ();
  interval = wire->last_us ? now - wire->last_us : 0;
  wire->last_us = now;
  if (interval > AUDIO_SEND_GAP_US)
    vc_atomic_int64_add (&wire->gaps, 1);
  if (interval > vc_atomic_int64_get (&wire->max_us))
    vc_atomic_int64_set (&wire->max_us, interval);
}

static GstPadProbeReturn
on_wire_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  struct WireMeter *wire = data;

  /* no priority here: the encoders' threads carry the packets to the
   * socket, video as well as audio */
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    wire_meter_count (wire, GST_PAD_PROBE_INFO_BUFFER (info), TRUE);
  else
    {
      GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
      for (guint i = 0; i < gst_buffer_list_length (list); i++)
        wire_meter_count (wire, gst_buffer_list_get (list, i), TRUE);
    }
  return GST_PAD_PROBE_OK;
}

/* the room's mixer thread, pushing into aout */
static GstPadProbeReturn
on_mix_in_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  wire_meter_count (data, GST_PAD_PROBE_INFO_BUFFER (info), FALSE);
  return GST_PAD_PROBE_OK;
}

/* the ICE source's streaming thread: it reads the participant's audio along
 * with its video from the socket (cheap), so it gets the audio priority; the
 * receive queue's thread, which decrypts, does not (it would lift all the
 * incoming video above the room's encoder) */
static GstPadProbeReturn
on_receive_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  vc_media_thread_raise (GPOINTER_TO_INT (data));
  return GST_PAD_PROBE_REMOVE;
}

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

static GstPadProbeReturn
on_receive_filter_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  return vc_media_probe_filter (info, peer_keep_packet, data);
}

/* Calls @func (@pad_name of each element of @factory inside webrtcbin). */
static void
peer_each_transport_pad (BridgePeer *peer, const gchar *factory, const gchar *pad_name,
                         void (*func) (BridgePeer *peer, GstPad *pad))
{
  g_autoptr (GstIterator) it
      = gst_bin_iterate_all_by_element_factory_name (GST_BIN (peer->webrtc), factory);
  GValue item = G_VALUE_INIT;

  while (it != NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      g_autoptr (GstPad) pad = gst_element_get_static_pad (g_value_get_object (&item), pad_name);
      if (pad != NULL)
        func (peer, pad);
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

static void
peer_probe_send (BridgePeer *peer, GstPad *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, on_wire_probe,
                     g_atomic_rc_box_acquire (peer->wire), (GDestroyNotify)g_atomic_rc_box_release);
}

static void
peer_probe_receive (BridgePeer *peer, GstPad *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_receive_probe, GINT_TO_POINTER (peer->priority), NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_receive_filter_probe, bridge_peer_ref (peer),
                     (GDestroyNotify)bridge_peer_unref);
}

/* main thread, once connected: measures when audio really leaves for the
 * participant (at the ICE sink) and where the mix enters its pipeline, and
 * raises the threads that carry its audio. */
static void
peer_watch_audio_threads (BridgePeer *peer)
{
  peer_each_transport_pad (peer, "nicesink", "sink", peer_probe_send);
  peer_each_transport_pad (peer, "nicesrc", "src", peer_probe_receive);
  gst_pad_add_probe (peer->audio_out, GST_PAD_PROBE_TYPE_BUFFER, on_mix_in_probe,
                     g_atomic_rc_box_acquire (peer->mix_in),
                     (GDestroyNotify)g_atomic_rc_box_release);
}

/* main thread */
static void
peer_on_connection_state (BridgePeer *peer)
{
  GstWebRTCPeerConnectionState cs = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;

  g_object_get (peer->webrtc, "connection-state", &cs, NULL);
  if (cs == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED
      && peer->state == BRIDGE_PEER_STATE_NEGOTIATING)
    {
      peer->state = BRIDGE_PEER_STATE_CONNECTED;
      peer->connected_at = vc_time_now ();
      vc_atomic_int64_set (&peer->last_rx_us, g_get_monotonic_time ());
      GST_INFO ("room %s: %s connected", peer->room_id, peer->endpoint);
      GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (peer->pipeline), GST_DEBUG_GRAPH_SHOW_ALL,
                                         "bridge-peer-connected");
      bridge_audio_set_listening (peer->audio, peer->endpoint, TRUE);
      bridge_video_add_output (peer->video, peer->endpoint, peer->video_out, peer->pipeline);
      peer->callbacks->connected (peer, peer->user_data);
      /* after the room laid it out: its video is dropped only if not shown */
      peer_watch_audio_threads (peer);
    }
  else if (cs == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
    peer->callbacks->lost (peer, "ice-failed", peer->user_data);
}

/* ---- receive side (streaming threads) ---- */

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
static GstFlowReturn
on_audio_sample (GstAppSink *sink, gpointer data)
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

static GstFlowReturn
on_video_sample (GstAppSink *sink, gpointer data)
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

static GstElement *
peer_link_receiver (BridgePeer *peer, GstPad *pad, const gchar *desc, GstAppSinkCallbacks *cb)
{
  g_autoptr (GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (desc, TRUE, &error);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstPad) sinkpad = NULL;

  g_assert_no_error (error); /* fixed descriptions; plugins checked at start */
  sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), cb, bridge_peer_ref (peer),
                              (GDestroyNotify)bridge_peer_unref);
  gst_bin_add (GST_BIN (peer->pipeline), bin);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    GST_ERROR ("room %s: cannot link receiver of %s", peer->room_id, peer->endpoint);
  gst_element_sync_state_with_parent (bin);
  return bin;
}

/* streaming thread (webrtcbin pad-added) */
static void
on_pad_added (GstElement *webrtc, GstPad *pad, gpointer data)
{
  BridgePeer *peer = data;
  g_autoptr (GstCaps) caps = NULL;
  const gchar *media;
  static GstAppSinkCallbacks audio_cb = { .new_sample = on_audio_sample };
  static GstAppSinkCallbacks video_cb = { .new_sample = on_video_sample };

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_string (gst_caps_get_structure (caps, 0), "media");
  if (g_strcmp0 (media, "audio") == 0)
    peer_link_receiver (
        peer, pad, "appsink name=sink sync=false async=false max-buffers=20 drop=true", &audio_cb);
  else if (g_strcmp0 (media, "video") == 0)
    peer_link_receiver (peer, pad,
                        "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! "
                        "appsink name=sink sync=false async=false max-buffers=10 drop=true",
                        &video_cb);
  else
    {
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr (GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
      gst_bin_add (GST_BIN (peer->pipeline), sink);
      gst_pad_link (pad, sinkpad);
      gst_element_sync_state_with_parent (sink);
    }
}

/* ---- keyframe requests from the participant (PLI/FIR arrive as upstream
 * force-key-unit events at our video pad; RTCP thread) ---- */

static GstPadProbeReturn
on_video_out_upstream (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  BridgePeer *peer = data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  if (gst_video_event_is_force_key_unit (event))
    {
      g_rw_lock_reader_lock (&peer->media_lock);
      if (!peer->closing)
        bridge_video_request_keyframe (peer->video);
      g_rw_lock_reader_unlock (&peer->media_lock);
    }
  return GST_PAD_PROBE_OK;
}

/* ---- pipeline ---- */

/* "@payloader ! capsfilter caps=@rtp_caps ! webrtcbin", fed through a pad
 * of the bridge's own (@caps): the room's VP8 encoder thread pushes the
 * composite into it (stamped with the participant's running time,
 * bridge-video.c), the mixer thread the mix (stamped on the mix's timeline,
 * bridge-audio.c). Payloading, SRTP and sending run on those threads: no
 * thread of the participant wakes for each frame or 20 ms packet. */
static GstPad *
peer_add_sender (BridgePeer *peer, const gchar *payloader, const gchar *rtp_caps, GstCaps *caps,
                 const gchar *stream_id)
{
  g_autofree gchar *desc
      = g_strdup_printf ("%s mtu=1200 ! capsfilter caps=\"%s\"", payloader, rtp_caps);
  g_autoptr (GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (desc, TRUE, &error);
  g_autoptr (GstPad) sink = NULL;
  GstPad *pad = vc_media_push_pad_new (stream_id, caps);

  g_assert_no_error (error);
  gst_bin_add (GST_BIN (peer->pipeline), bin);
  if (!gst_element_link_pads (bin, "src", peer->webrtc, "sink_%u"))
    GST_ERROR ("room %s: cannot link %s to webrtcbin", peer->room_id, stream_id);
  sink = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    GST_ERROR ("room %s: cannot link %s for %s", peer->room_id, stream_id, peer->endpoint);
  return pad;
}

static void
peer_configure_transceivers (BridgePeer *peer)
{
  g_autoptr (GArray) transceivers = NULL;

  g_signal_emit_by_name (peer->webrtc, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers != NULL && i < transceivers->len; i++)
    {
      GstWebRTCRTPTransceiver *t = g_array_index (transceivers, GstWebRTCRTPTransceiver *, i);
      GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
      g_object_get (t, "kind", &kind, NULL);
      if (kind == GST_WEBRTC_KIND_UNKNOWN) /* before caps: senders are added video first */
        kind = i == 0 ? GST_WEBRTC_KIND_VIDEO : GST_WEBRTC_KIND_AUDIO;
      /* NACK/RTX for video only: audio relies on Opus in-band FEC, and
       * browsers refuse an offer whose audio line carries an RTX stream
       * ("ssrc-group:FID" on m=audio). */
      g_object_set (t, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, "do-nack",
                    kind != GST_WEBRTC_KIND_AUDIO, NULL);
    }
}

static gboolean
on_peer_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  BridgePeer *peer = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR && peer->state != BRIDGE_PEER_STATE_CLOSED)
    {
      g_autoptr (GError) err = NULL;
      g_autofree gchar *dbg = NULL;
      gst_message_parse_error (msg, &err, &dbg);
      g_warning ("room %s, %s: media error from %s: %s", peer->room_id, peer->endpoint,
                 GST_OBJECT_NAME (msg->src), err->message);
      peer->callbacks->lost (peer, "media-error", peer->user_data);
    }
  return G_SOURCE_CONTINUE;
}

/* Media is UDP (no TURN, no TCP fallback is offered to anybody): without
 * this, every participant's ICE agent would also listen on a TCP port per
 * address, open to anyone, for nothing. */
static void
peer_disable_ice_tcp (BridgePeer *peer)
{
  g_autoptr (GObject) ice = NULL;

  g_object_get (peer->webrtc, "ice-agent", &ice, NULL);
  if (ice != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "ice-tcp") != NULL)
    g_object_set (ice, "ice-tcp", FALSE, NULL);
}

static gboolean
peer_build (BridgePeer *peer, const BridgeSettings *s, GError **error)
{
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstCaps) video_caps = NULL, audio_caps = NULL;

  peer->pipeline = gst_pipeline_new (NULL);
  /* tests and benchmarks: loss and jitter on this participant's link (the
   * spec was checked when the settings were loaded) */
  peer->netem = vc_netem_new (s->netem, NULL);
  if (peer->netem != NULL)
    vc_netem_attach (peer->netem, peer->pipeline);
  /* audio is stamped on the mix's timeline, anchored when the listener
   * joined (bridge-audio.c): if that first packet was late, as joins under
   * load make it, webrtcbin's clocksync would hold every later one back by
   * as much for the whole meeting (~200 ms mouth-to-ear at N = 44). The
   * mixer and encoders pace the stream: packets leave when they are made. */
  vc_webrtc_send_unpaced (peer->pipeline);
  peer->webrtc = gst_element_factory_make ("webrtcbin", "webrtc");
  gst_util_set_object_arg (G_OBJECT (peer->webrtc), "bundle-policy", "max-bundle");
  g_object_set (peer->webrtc, "latency", s->jitter_latency_ms, NULL);
  vc_webrtc_tune_video_receive (peer->webrtc, s->video_jitter_latency_ms);
  gst_bin_add (GST_BIN (peer->pipeline), gst_object_ref (peer->webrtc));
  vc_webrtc_restrict_ice (peer->webrtc, (const gchar *const *)s->ice_addresses);
  peer_disable_ice_tcp (peer);
  video_caps = gst_caps_new_simple ("video/x-vp8", "width", G_TYPE_INT, (gint)s->width, "height",
                                    G_TYPE_INT, (gint)s->height, "framerate", GST_TYPE_FRACTION,
                                    (gint)s->fps, 1, NULL);
  audio_caps = gst_caps_from_string (VC_MEDIA_OPUS_CAPS);
  peer->video_out = peer_add_sender (
      peer, "rtpvp8pay picture-id-mode=15-bit",
      VC_MEDIA_VP8_RTP_CAPS ",rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true",
      video_caps, "vc-bridge-composite");
  peer->audio_out = peer_add_sender (
      peer, "rtpopuspay", VC_MEDIA_OPUS_RTP_CAPS ",useinbandfec=(string)1,minptime=(string)10",
      audio_caps, "vc-bridge-mix");
  peer_configure_transceivers (peer);
  peer->video_probe = gst_pad_add_probe (peer->video_out, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
                                         on_video_out_upstream, peer, NULL);
  g_signal_connect (peer->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed),
                    peer);
  g_signal_connect (peer->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), peer);
  g_signal_connect (peer->webrtc, "notify::connection-state",
                    G_CALLBACK (on_connection_state_notify), peer);
  g_signal_connect (peer->webrtc, "pad-added", G_CALLBACK (on_pad_added), peer);
  bus = gst_element_get_bus (peer->pipeline);
  peer->bus_watch = gst_bus_add_watch (bus, on_peer_bus, peer);
  vc_media_bus_restore_threads (peer->pipeline);
  if (gst_element_set_state (peer->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE,
                   "participant pipeline refused to start");
      return FALSE;
    }
  /* webrtcbin offers once it knows the caps of what it will send */
  vc_media_push_pad_start (peer->video_out);
  vc_media_push_pad_start (peer->audio_out);
  return TRUE;
}

/* ---- signalling from the participant (main thread) ---- */

static void
peer_handle_answer (BridgePeer *peer, const gchar *sdp_text)
{
  GstSDPMessage *sdp = NULL;
  GstWebRTCSessionDescription *answer;

  if (peer->answered)
    {
      peer_send_error (peer, "unexpected", "the answer was already given");
      return;
    }
  if (gst_sdp_message_new_from_text (sdp_text, &sdp) != GST_SDP_OK
      || gst_sdp_message_medias_len (sdp) == 0)
    {
      if (sdp != NULL)
        gst_sdp_message_free (sdp);
      peer_send_error (peer, "malformed", "the answer's SDP cannot be read");
      return;
    }
  peer->answered = TRUE;
  answer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
  vc_webrtc_set_description (peer->webrtc, FALSE, answer);
  gst_webrtc_session_description_free (answer);
}

static void
on_ws_message (SoupWebsocketConnection *ws, gint kind, GBytes *message, gpointer data)
{
  BridgePeer *peer = data;
  gsize len = 0;
  const gchar *bytes = g_bytes_get_data (message, &len);
  const gchar *code = NULL;
  g_autofree gchar *detail = NULL;
  g_autoptr (BridgeSignalMessage) msg = NULL;

  if (peer->state == BRIDGE_PEER_STATE_CLOSED)
    return;
  if (kind != SOUP_WEBSOCKET_DATA_TEXT)
    {
      peer_send_error (peer, len > BRIDGE_SIGNAL_MAX_MESSAGE ? "too_large" : "malformed",
                       "only text messages are accepted");
      return;
    }
  msg = bridge_signal_parse (bytes, len, &code, &detail);
  if (msg == NULL)
    {
      GST_INFO ("room %s, %s: refused message: %s", peer->room_id, peer->endpoint, detail);
      peer_send_error (peer, code, detail);
      return;
    }
  switch (msg->type)
    {
      case BRIDGE_SIGNAL_ANSWER:
        peer_handle_answer (peer, msg->sdp);
        break;
      case BRIDGE_SIGNAL_ICE:
        if (*msg->candidate != '\0')
          g_signal_emit_by_name (peer->webrtc, "add-ice-candidate", msg->mline, msg->candidate);
        break;
      case BRIDGE_SIGNAL_BYE:
        peer->callbacks->lost (peer, NULL, peer->user_data);
        break;
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws, gpointer data)
{
  BridgePeer *peer = data;

  if (peer->state != BRIDGE_PEER_STATE_CLOSED)
    peer->callbacks->lost (peer, NULL, peer->user_data);
}

/* ---- statistics ---- */

static gdouble
stat_number (const GstStructure *s, const gchar *field)
{
  const GValue *v = gst_structure_get_value (s, field);
  GValue d = G_VALUE_INIT;
  gdouble out = 0;

  if (v == NULL)
    return 0;
  g_value_init (&d, G_TYPE_DOUBLE);
  if (g_value_transform (v, &d))
    out = g_value_get_double (&d);
  g_value_unset (&d);
  return out;
}

typedef struct
{
  gdouble rx, tx, lost, jitter, rx_bytes;
  guint inbound;
} StatsSum;

static gboolean
stats_field (GQuark field, const GValue *value, gpointer data)
{
  StatsSum *sum = data;
  const GstStructure *s;
  GstWebRTCStatsType type = 0;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get_enum (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, (gint *)&type))
    return TRUE;
  if (type == GST_WEBRTC_STATS_INBOUND_RTP)
    {
      sum->rx += stat_number (s, "packets-received");
      sum->lost += MAX (0, stat_number (s, "packets-lost"));
      sum->jitter = MAX (sum->jitter, stat_number (s, "jitter"));
      sum->rx_bytes += stat_number (s, "bytes-received");
      sum->inbound++;
    }
  else if (type == GST_WEBRTC_STATS_OUTBOUND_RTP)
    sum->tx += stat_number (s, "packets-sent");
  return TRUE;
}

/* webrtcbin thread (get-stats promise) */
static void
on_stats (GstPromise *promise, gpointer data)
{
  BridgePeer *peer = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  StatsSum sum = { 0 };
  gint64 now = g_get_monotonic_time ();

  if (reply != NULL)
    gst_structure_foreach (reply, stats_field, &sum);
  gst_promise_unref (promise);
  g_mutex_lock (&peer->stats_lock);
  if (sum.inbound > 0)
    {
      peer->stats.rx_packets = (guint64)sum.rx;
      peer->stats.loss = sum.rx + sum.lost > 0 ? sum.lost / (sum.rx + sum.lost) : 0;
      peer->stats.jitter_ms = sum.jitter * 1000.0;
      if (peer->prev_stats_us != 0 && now > peer->prev_stats_us)
        peer->stats.bitrate_kbps = (sum.rx_bytes - (gdouble)peer->prev_rx_bytes) * 8.0
                                   / ((now - peer->prev_stats_us) / 1000.0);
      peer->prev_rx_bytes = (guint64)sum.rx_bytes;
      peer->prev_stats_us = now;
    }
  peer->stats.tx_packets = (guint64)sum.tx;
  g_mutex_unlock (&peer->stats_lock);
  bridge_peer_unref (peer);
}

void
bridge_peer_poll_stats (BridgePeer *peer)
{
  if (peer->state != BRIDGE_PEER_STATE_CONNECTED)
    return;
  g_signal_emit_by_name (peer->webrtc, "get-stats", NULL,
                         gst_promise_new_with_change_func (on_stats, bridge_peer_ref (peer), NULL));
}

void
bridge_peer_get_stats (BridgePeer *peer, BridgePeerStats *stats)
{
  g_mutex_lock (&peer->stats_lock);
  *stats = peer->stats;
  g_mutex_unlock (&peer->stats_lock);
  stats->audio_send_gaps = vc_atomic_int64_get (&peer->wire->gaps);
  stats->audio_send_max_ms = vc_atomic_int64_get (&peer->wire->max_us) / 1000.0;
  stats->audio_mix_in_gaps = vc_atomic_int64_get (&peer->mix_in->gaps);
  stats->video_dropped = vc_atomic_int64_get (&peer->video_dropped);
  bridge_opus_decoder_get_stats (peer->decoder, &stats->audio);
}

/* ---- life ---- */

static guint heap_trim_source; /* main thread */

/* main thread, 2 s after the last participant of a wave left: a pipeline
 * frees several MB in many small blocks, which glibc keeps for the process
 * unless asked to give them back (a meeting's 44 leaving at once) */
static gboolean
on_heap_trim (gpointer data)
{
  heap_trim_source = 0;
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}

/* main thread, after the teardown: no streaming thread uses the pipeline
 * any more, and nothing on the main thread does after close */
static gboolean
on_peer_torn_down (gpointer data)
{
  BridgePeer *peer = data;

  if (heap_trim_source != 0)
    g_source_remove (heap_trim_source);
  heap_trim_source = g_timeout_add_seconds (2, on_heap_trim, NULL);
  gst_clear_object (&peer->video_out);
  gst_clear_object (&peer->audio_out);
  gst_clear_object (&peer->webrtc);
  gst_clear_object (&peer->pipeline);
  return G_SOURCE_REMOVE;
}

/* teardown thread: the pipeline is in NULL */
static void
peer_torn_down (gpointer data)
{
  BridgePeer *peer = data;
  /* an idle source, not g_main_context_invoke(), which would run it right
   * here when no thread happens to own the context at this moment */
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, on_peer_torn_down, peer, (GDestroyNotify)bridge_peer_unref);
  g_source_attach (source, peer->context);
  g_source_unref (source);
}

void
bridge_peer_close (BridgePeer *peer, const gchar *reason)
{
  if (peer->state == BRIDGE_PEER_STATE_CLOSED)
    return;
  peer->state = BRIDGE_PEER_STATE_CLOSED;
  GST_INFO ("room %s: closing %s (%s)", peer->room_id, peer->endpoint, reason ? reason : "-");
  if (peer->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->ws, peer);
      if (reason != NULL)
        {
          g_autofree gchar *bye = bridge_signal_build_bye (reason);
          bridge_peer_send (peer, bye);
        }
      if (soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_rw_lock_writer_lock (&peer->media_lock);
  peer->closing = TRUE;
  g_rw_lock_writer_unlock (&peer->media_lock);
  bridge_video_remove_output (peer->video, peer->endpoint);
  bridge_audio_remove_input (peer->audio, g_steal_pointer (&peer->audio_in));
  g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
  g_clear_handle_id (&peer->bus_watch, g_source_remove);
  if (peer->video_probe != 0)
    {
      gst_pad_remove_probe (peer->video_out, peer->video_probe);
      peer->video_probe = 0;
    }
  /* webrtcbin may take a while to close DTLS and ICE: off the main thread.
   * Nothing in the pipeline points at the peer any more but the appsink
   * callbacks and the receive probe, which hold references to it: the peer
   * lets go of the pipeline once it is stopped (peer_torn_down), which
   * frees those, and with them the peer. */
  vc_media_pipeline_dispose_async_full (gst_object_ref (peer->pipeline), peer_torn_down,
                                        bridge_peer_ref (peer));
}

BridgePeer *
bridge_peer_new (const BridgeSettings *s, const gchar *room_id, const gchar *endpoint,
                 SoupWebsocketConnection *ws, BridgeAudio *audio, BridgeVideo *video,
                 const BridgePeerCallbacks *callbacks, gpointer user_data, GError **error)
{
  static gsize once = 0;
  g_autoptr (BridgePeer) peer = g_atomic_rc_box_new0 (BridgePeer);

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_peer_debug, "bridge-peer", 0, "vc-bridge participant");
      g_once_init_leave (&once, 1);
    }
  g_atomic_int_inc (&peers_alive);
  peer->room_id = g_strdup (room_id);
  peer->endpoint = g_strdup (endpoint);
  peer->callbacks = callbacks;
  peer->user_data = user_data;
  peer->context = g_main_context_ref_thread_default ();
  peer->audio = audio;
  peer->video = video;
  peer->ws = g_object_ref (ws);
  peer->created_us = g_get_monotonic_time ();
  peer->priority = s->audio_priority;
  peer->wire = g_atomic_rc_box_new0 (struct WireMeter);
  peer->mix_in = g_atomic_rc_box_new0 (struct WireMeter);
  peer->decoder = bridge_opus_decoder_new ();
  g_rw_lock_init (&peer->media_lock);
  g_mutex_init (&peer->stats_lock);
  soup_websocket_connection_set_max_incoming_payload_size (ws, BRIDGE_SIGNAL_MAX_FRAME);
  soup_websocket_connection_set_keepalive_interval (ws, 15);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), peer);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), peer);
  if (!peer_build (peer, s, error))
    {
      bridge_peer_close (peer, "media-error");
      return NULL;
    }
  peer->audio_in = bridge_audio_add_input (audio, endpoint, peer->audio_out, peer->pipeline);
  return g_steal_pointer (&peer);
}

/* last reference: after bridge_peer_close() and the teardown thread */
static void
peer_finalize (BridgePeer *peer)
{
  g_clear_object (&peer->ws);
  g_clear_pointer (&peer->wire, g_atomic_rc_box_release);
  g_clear_pointer (&peer->mix_in, g_atomic_rc_box_release);
  g_clear_pointer (&peer->decoder, bridge_opus_decoder_free);
  g_clear_pointer (&peer->netem, vc_netem_unref);
  gst_clear_object (&peer->video_out);
  gst_clear_object (&peer->audio_out);
  gst_clear_object (&peer->webrtc);
  gst_clear_object (&peer->pipeline);
  g_rw_lock_clear (&peer->media_lock);
  g_mutex_clear (&peer->stats_lock);
  g_main_context_unref (peer->context);
  g_free (peer->room_id);
  g_free (peer->endpoint);
  g_atomic_int_dec_and_test (&peers_alive);
}
