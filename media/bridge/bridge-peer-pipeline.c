/* bridge-peer-pipeline.c — a participant's pipeline:
 *
 *
 *   pad vout (room composite, VP8) ! rtpvp8pay ! webrtcbin   pushed by the room's VP8
 *   pad aout (mix-minus, Opus)     ! rtpopuspay ! webrtcbin  encoder / mixer thread
 *   webrtcbin ! appsink (RTP Opus) -> bridge-opus decoder -> S16 48k mono -> mixer ring
 *
 * Payloading, SRTP and sending run on the threads that push into the pads
 * (the room's encoder and mixer); receive branches are linked as webrtcbin
 * adds its pads. Once connected, the meters and the audio threads'
 * priority are put on the transport's pads. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-peer-private.h"
#include "vc-media-wire.h"

#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#define GST_CAT_DEFAULT bridge_peer_debug

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
  bridge_wire_meter_watch (peer->wire, pad);
}

static void
peer_probe_receive (BridgePeer *peer, GstPad *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_receive_probe, GINT_TO_POINTER (peer->priority), NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     bridge_peer_on_receive_filter_probe, bridge_peer_ref (peer),
                     (GDestroyNotify)bridge_peer_unref);
}

/* main thread, once connected: measures when audio really leaves for the
 * participant (at the ICE sink) and where the mix enters its pipeline, and
 * raises the threads that carry its audio. */
void
bridge_peer_pipeline_watch_audio_threads (BridgePeer *peer)
{
  peer_each_transport_pad (peer, "nicesink", "sink", peer_probe_send);
  peer_each_transport_pad (peer, "nicesrc", "src", peer_probe_receive);
  bridge_wire_meter_watch (peer->mix_in, peer->audio_out);
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
  static GstAppSinkCallbacks audio_cb = { .new_sample = bridge_peer_on_audio_sample };
  static GstAppSinkCallbacks video_cb = { .new_sample = bridge_peer_on_video_sample };

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

/* ---- pipeline (main thread) ---- */

static void
on_connection_state_notify (GObject *webrtc, GParamSpec *pspec, gpointer data)
{
  bridge_peer_hop_connection_state (data);
}

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

gboolean
bridge_peer_pipeline_build (BridgePeer *peer, const BridgeSettings *s, GError **error)
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
  bridge_peer_signal_connect_webrtc (peer);
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
  vc_media_webrtc_learn_context (peer->webrtc);
  /* webrtcbin offers once it knows the caps of what it will send */
  vc_media_push_pad_start (peer->video_out);
  vc_media_push_pad_start (peer->audio_out);
  return TRUE;
}
