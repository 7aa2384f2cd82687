/* vc-client-peer.c — VcClientPeer: signalling and states.
 *
 * The bridge offers, we answer (docs/protocol.md §3). The WebSocket lives on
 * the main context of the thread that made the peer; webrtcbin calls us back
 * from its own threads and every such callback hops to that context with
 * g_main_context_invoke before touching the peer. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-client-peer-private.h"
#include "vc-netem.h"
#include "vc-signal.h"

#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <libsoup/soup.h>

GST_DEBUG_CATEGORY_STATIC (vc_client_peer_debug);
#define GST_CAT_DEFAULT vc_client_peer_debug

struct _VcClientPeer
{
  GObject parent;

  /* main thread only */
  VcClientPeerSettings settings; /* strings owned (see settings_copy) */
  gchar **ice_addresses;
  VcClientPeerState state;
  GMainContext *context;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  GCancellable *cancellable;
  GstElement *pipeline;
  GstElement *webrtc;
  guint bus_watch;
  VcClientPeerShared *shared; /* also referenced by streaming threads */
  VcNetem *netem;             /* tests and benchmarks: loss on our packets, or NULL */
  guint keyframe_timer;       /* while connected: asks for a keyframe when video is missing */
  gint64 connected_us;
  gint64 last_keyframe_request_us;
  guint refusal_status; /* the HTTP status that refused the upgrade, 0 = none */
};

G_DEFINE_TYPE (VcClientPeer, vc_client_peer, G_TYPE_OBJECT)

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_FIRST_FRAME,
  SIGNAL_ERROR,
  SIGNAL_BRIDGE_STATE,
  SIGNAL_AUDIO_DECODED,
  SIGNAL_VIDEO_DECODED,
  SIGNAL_VIDEO_ENCODED,
  SIGNAL_AUDIO_RTP,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const gchar *state_names[]
    = { "idle", "connecting", "negotiating", "connected", "failed", "closed" };

const gchar *
vc_client_peer_state_to_string (VcClientPeerState state)
{
  g_return_val_if_fail (state <= VC_CLIENT_PEER_STATE_CLOSED, "invalid");
  return state_names[state];
}

VcClientPeerSettings
vc_client_peer_settings_default (void)
{
  VcClientPeerSettings s = {
    .video_source = "test",
    .audio_source = "test",
    .tone_hz = 440.0,
    .tone_volume = 0.3,
    .width = 640,
    .height = 360,
    .fps = 15,
    .video_bitrate_kbps = 500,
    .jitter_latency_ms = 30,
    .video_jitter_latency_ms = 200,
    .output = VC_CLIENT_PEER_OUTPUT_NONE,
    .audio_priority = VC_MEDIA_THREAD_NICE,
  };
  return s;
}

static void
peer_set_state (VcClientPeer *peer, VcClientPeerState state)
{
  if (peer->state == state || peer->state >= VC_CLIENT_PEER_STATE_FAILED)
    return;
  GST_INFO ("peer %p: %s -> %s", peer, state_names[peer->state], state_names[state]);
  peer->state = state;
  g_signal_emit (peer, signals[SIGNAL_STATE_CHANGED], 0, (guint)state);
}

static void
peer_teardown (VcClientPeer *peer)
{
  if (peer->shared != NULL)
    g_atomic_int_set (&peer->shared->stopping, 1);
  g_cancellable_cancel (peer->cancellable);
  if (peer->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->ws, peer);
      if (soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&peer->ws);
    }
  if (peer->webrtc != NULL)
    g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
  g_clear_handle_id (&peer->bus_watch, g_source_remove);
  g_clear_handle_id (&peer->keyframe_timer, g_source_remove);
  /* peer->webrtc stays (a ref) until finalize: promise callbacks may still
   * run on webrtcbin's thread and use it. */
  vc_media_pipeline_dispose_async (g_steal_pointer (&peer->pipeline));
}

static void peer_fail (VcClientPeer *peer, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

static void
peer_fail (VcClientPeer *peer, const gchar *format, ...)
{
  g_autoptr (GError) error = NULL;
  va_list args;

  if (peer->state >= VC_CLIENT_PEER_STATE_FAILED)
    return;
  va_start (args, format);
  error = g_error_new_valist (VC_MEDIA_ERROR, VC_MEDIA_ERROR_SIGNALLING, format, args);
  va_end (args);
  GST_WARNING ("peer %p failed: %s", peer, error->message);
  peer_teardown (peer);
  peer_set_state (peer, VC_CLIENT_PEER_STATE_FAILED);
  g_signal_emit (peer, signals[SIGNAL_ERROR], 0, error);
}

/* streaming thread */
void
vc_client_peer_emit_audio_decoded (VcClientPeer *peer, GstBuffer *pcm)
{
  if (g_signal_has_handler_pending (peer, signals[SIGNAL_AUDIO_DECODED], 0, FALSE))
    g_signal_emit (peer, signals[SIGNAL_AUDIO_DECODED], 0, pcm);
}

/* streaming thread */
void
vc_client_peer_emit_video_decoded (VcClientPeer *peer, GstPad *pad, GstBuffer *frame)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstSample) sample = NULL;

  if (!g_signal_has_handler_pending (peer, signals[SIGNAL_VIDEO_DECODED], 0, FALSE))
    return;
  caps = gst_pad_get_current_caps (pad);
  sample = gst_sample_new (frame, caps, NULL, NULL);
  g_signal_emit (peer, signals[SIGNAL_VIDEO_DECODED], 0, sample);
}

/* streaming thread */
void
vc_client_peer_emit_audio_rtp (VcClientPeer *peer, GstBuffer *rtp)
{
  if (g_signal_has_handler_pending (peer, signals[SIGNAL_AUDIO_RTP], 0, FALSE))
    g_signal_emit (peer, signals[SIGNAL_AUDIO_RTP], 0, rtp);
}

/* streaming thread */
void
vc_client_peer_emit_video_encoded (VcClientPeer *peer, GstBuffer *frame)
{
  if (g_signal_has_handler_pending (peer, signals[SIGNAL_VIDEO_ENCODED], 0, FALSE))
    g_signal_emit (peer, signals[SIGNAL_VIDEO_ENCODED], 0, frame);
}

void
vc_client_peer_emit_first_frame (VcClientPeer *peer)
{
  if (peer->state < VC_CLIENT_PEER_STATE_FAILED)
    g_signal_emit (peer, signals[SIGNAL_FIRST_FRAME], 0);
}

/* ---- sending JSON (main thread) ---- */

static void
peer_send_text (VcClientPeer *peer, const gchar *text)
{
  if (peer->ws != NULL
      && soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (peer->ws, text);
}

void
vc_client_peer_send_raw (VcClientPeer *peer, const gchar *text)
{
  g_return_if_fail (VC_IS_CLIENT_PEER (peer));
  peer_send_text (peer, text);
}

/* ---- hops from webrtcbin threads ---- */

typedef struct
{
  VcClientPeer *peer;
  gchar *text; /* a message built with vc-signal.h */
} PeerHop;

static void
peer_hop_free (PeerHop *hop)
{
  g_object_unref (hop->peer);
  g_free (hop->text);
  g_free (hop);
}

/* main thread */
static gboolean
on_hop_send (gpointer data)
{
  PeerHop *hop = data;

  if (hop->peer->state >= VC_CLIENT_PEER_STATE_FAILED)
    return G_SOURCE_REMOVE;
  peer_send_text (hop->peer, hop->text);
  return G_SOURCE_REMOVE;
}

/* any thread: sends @text (owned) from the peer's context */
static void
peer_hop (VcClientPeer *peer, gchar *text)
{
  PeerHop *hop = g_new0 (PeerHop, 1);

  hop->peer = g_object_ref (peer);
  hop->text = text;
  g_main_context_invoke_full (peer->context, G_PRIORITY_DEFAULT, on_hop_send, hop,
                              (GDestroyNotify)peer_hop_free);
}

/* webrtcbin thread */
static void
on_webrtc_ice_candidate (GstElement *webrtc, guint mline, gchar *candidate, gpointer data)
{
  peer_hop (data, vc_signal_build_ice (candidate, mline));
}

/* webrtcbin thread (promise reply of create-answer) */
static void
on_answer_created (GstPromise *promise, gpointer data)
{
  VcClientPeer *peer = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GstWebRTCSessionDescription *answer = NULL;
  g_autofree gchar *text = NULL;

  if (reply != NULL)
    gst_structure_get (reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL);
  gst_promise_unref (promise);
  if (answer == NULL)
    {
      GST_WARNING ("webrtcbin could not create an answer");
      g_object_unref (peer);
      return;
    }
  vc_webrtc_set_description (peer->webrtc, TRUE, answer);
  text = gst_sdp_message_as_text (answer->sdp);
  GST_DEBUG ("answer: %s", text);
  peer_hop (peer, vc_signal_build_answer (text));
  gst_webrtc_session_description_free (answer);
  g_object_unref (peer);
}

/* Whether @t carries video: its kind once webrtcbin knows it, else the
 * offer's m-line it answers, else the caps of the sender we linked to it. */
static gboolean
transceiver_is_video (GstElement *webrtc, GstWebRTCRTPTransceiver *t)
{
  GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
  guint mline = G_MAXUINT;
  GstWebRTCSessionDescription *remote = NULL;
  gboolean video = FALSE, known = FALSE;
  g_autoptr (GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;

  g_object_get (t, "kind", &kind, "mlineindex", &mline, NULL);
  if (kind != GST_WEBRTC_KIND_UNKNOWN)
    return kind == GST_WEBRTC_KIND_VIDEO;
  g_object_get (webrtc, "remote-description", &remote, NULL);
  if (remote != NULL && mline < gst_sdp_message_medias_len (remote->sdp))
    {
      video = g_strcmp0 (gst_sdp_media_get_media (gst_sdp_message_get_media (remote->sdp, mline)),
                         "video")
              == 0;
      known = TRUE;
    }
  if (remote != NULL)
    gst_webrtc_session_description_free (remote);
  it = gst_element_iterate_sink_pads (webrtc);
  while (!known && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstPad *pad = g_value_get_object (&item);
      g_autoptr (GstWebRTCRTPTransceiver) pad_t = NULL;
      g_object_get (pad, "transceiver", &pad_t, NULL);
      if (pad_t == t)
        {
          g_autoptr (GstCaps) caps = gst_pad_peer_query_caps (pad, NULL);
          known = TRUE;
          video
              = caps != NULL && !gst_caps_is_empty (caps)
                && g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0), "media"),
                              "video")
                       == 0;
        }
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return video;
}

/* webrtcbin thread, before the answer: NACK and RTX on video, both ways.
 * webrtcbin (1.22) takes "nack" and the RTX payload out of its answer
 * unless the transceiver asks for them, and then neither end retransmits
 * anything: a lost packet of a keyframe cost the picture until the next
 * keyframe. Not on audio, which Opus FEC covers (as the bridge offers). */
static void
peer_enable_video_nack (VcClientPeer *peer)
{
  g_autoptr (GArray) transceivers = NULL;

  g_signal_emit_by_name (peer->webrtc, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers != NULL && i < transceivers->len; i++)
    {
      GstWebRTCRTPTransceiver *t = g_array_index (transceivers, GstWebRTCRTPTransceiver *, i);
      if (transceiver_is_video (peer->webrtc, t))
        g_object_set (t, "do-nack", TRUE, NULL);
    }
}

/* webrtcbin thread: a transceiver webrtcbin makes itself while answering
 * (video we receive but do not send) */
static void
on_webrtc_new_transceiver (GstElement *webrtc, GstWebRTCRTPTransceiver *t, gpointer data)
{
  if (transceiver_is_video (webrtc, t))
    g_object_set (t, "do-nack", TRUE, NULL);
}

/* webrtcbin thread (promise reply of set-remote-description) */
static void
on_remote_set (GstPromise *promise, gpointer data)
{
  VcClientPeer *peer = data;
  GstPromise *answer_promise;

  gst_promise_unref (promise);
  peer_enable_video_nack (peer);
  answer_promise = gst_promise_new_with_change_func (on_answer_created, peer, NULL);
  g_signal_emit_by_name (peer->webrtc, "create-answer", NULL, answer_promise);
}

/* ---- receiving signalling messages (main thread) ---- */

static void
peer_handle_offer (VcClientPeer *peer, const gchar *sdp_text)
{
  GstSDPMessage *sdp = NULL;
  GstWebRTCSessionDescription *offer;
  GstPromise *promise;

  if (gst_sdp_message_new_from_text (sdp_text, &sdp) != GST_SDP_OK)
    {
      peer_fail (peer, "bridge sent an unreadable offer");
      return;
    }
  offer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  promise = gst_promise_new_with_change_func (on_remote_set, g_object_ref (peer), NULL);
  g_signal_emit_by_name (peer->webrtc, "set-remote-description", offer, promise);
  gst_webrtc_session_description_free (offer);
}

/* main thread: the bridge shows us (send video) or not (hold it: it would
 * be dropped unread, and it costs both ends and the network) */
static void
peer_set_video_sending (VcClientPeer *peer, gboolean send)
{
  g_autoptr (GstPad) gate = NULL;

  if (peer->pipeline == NULL || g_atomic_int_get (&peer->shared->video_paused) == !send)
    return;
  if (!send)
    {
      g_atomic_int_set (&peer->shared->video_paused, 1);
      return;
    }
  /* resume from a keyframe: the bridge's decoder lost the thread */
  g_atomic_int_set (&peer->shared->video_wait_keyframe, 1);
  g_atomic_int_set (&peer->shared->video_paused, 0);
  gate = vc_client_peer_pipeline_video_gate (peer->pipeline);
  if (gate != NULL)
    gst_pad_push_event (gate,
                        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0));
}

/* main thread: the size of our tile in the bridge's composite (0 = not
 * said): send no larger than it needs. A live source is scaled to fit the
 * tile (its encoder starts again at the new size with a keyframe); a clip
 * has two sizes and switches at one of its keyframes. */
static void
peer_set_video_tile (VcClientPeer *peer, gint64 tile_width, gint64 tile_height)
{
  const VcClientPeerSettings *s = &peer->settings;
  VcMediaClip *clip = s->video_clip;
  guint width = clip ? clip->width : s->width, height = clip ? clip->height : s->height;
  guint divisor, fit_width, fit_height;

  if (peer->pipeline == NULL || tile_width < 0 || tile_height < 0 || tile_width > G_MAXUINT16
      || tile_height > G_MAXUINT16)
    return;
  divisor = vc_media_video_divisor (width, height, (guint)tile_width, (guint)tile_height);
  vc_media_video_fit (width, height, (guint)tile_width, (guint)tile_height, &fit_width,
                      &fit_height);
  if (clip != NULL)
    {
      /* the clip player follows video_divisor_wanted at a keyframe */
      g_atomic_int_set (&peer->shared->video_divisor_wanted, (gint)divisor);
      return;
    }
  if (peer->shared->video_fit_width == (gint)fit_width
      && peer->shared->video_fit_height == (gint)fit_height)
    return;
  if (vc_client_peer_pipeline_resize_live (peer->pipeline, s, fit_width, fit_height))
    {
      peer->shared->video_fit_width = (gint)fit_width;
      peer->shared->video_fit_height = (gint)fit_height;
      /* what the picture was divided by, rounded (stats) */
      g_atomic_int_set (&peer->shared->video_divisor_wanted,
                        (gint)MAX ((width + fit_width / 2) / fit_width, 1));
      g_atomic_int_set (&peer->shared->video_divisor,
                        (gint)MAX ((width + fit_width / 2) / fit_width, 1));
    }
}

static void
peer_handle_message (VcClientPeer *peer, const VcSignalMessage *msg, const gchar *text)
{
  switch (msg->type)
    {
      case VC_SIGNAL_OFFER:
        peer_handle_offer (peer, msg->sdp);
        break;
      case VC_SIGNAL_ICE:
        if (*msg->candidate != '\0')
          g_signal_emit_by_name (peer->webrtc, "add-ice-candidate", msg->mline, msg->candidate);
        break;
      case VC_SIGNAL_BYE:
        peer_teardown (peer);
        peer_set_state (peer, VC_CLIENT_PEER_STATE_CLOSED);
        break;
      case VC_SIGNAL_ERROR_MESSAGE:
        {
          g_autoptr (GError) error = g_error_new (VC_MEDIA_ERROR, VC_MEDIA_ERROR_SIGNALLING,
                                                  "bridge: %s: %s", msg->code, msg->message);
          g_signal_emit (peer, signals[SIGNAL_ERROR], 0, error);
        }
        break;
      case VC_SIGNAL_STATE:
        peer_set_video_sending (peer, msg->send_video);
        peer_set_video_tile (peer, msg->video_width, msg->video_height);
        g_signal_emit (peer, signals[SIGNAL_BRIDGE_STATE], 0, text);
        break;
      case VC_SIGNAL_ANSWER: /* vc_signal_parse() refuses these from the bridge */
      case VC_SIGNAL_LINK_STATE:
        g_assert_not_reached ();
    }
}

static void
on_ws_message (SoupWebsocketConnection *ws, gint kind, GBytes *message, gpointer data)
{
  VcClientPeer *peer = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (VcSignalMessage) msg = NULL;
  VcSignalType type = VC_SIGNAL_BYE;
  gsize len = 0;
  const gchar *text = g_bytes_get_data (message, &len);
  g_autofree gchar *copy = g_strndup (text, len);

  if (kind != SOUP_WEBSOCKET_DATA_TEXT)
    {
      GST_WARNING ("ignoring a binary message from the bridge");
      return;
    }
  msg = vc_signal_parse (text, len, VC_SIGNAL_FROM_BRIDGE, &type, &error);
  g_object_ref (peer);
  if (msg != NULL)
    peer_handle_message (peer, msg, copy);
  else if (type == VC_SIGNAL_OFFER)
    peer_fail (peer, "bridge sent an unreadable offer: %s", error->message);
  else
    GST_WARNING ("ignoring a message from the bridge: %s", error->message);
  g_object_unref (peer);
}

static void
on_ws_closed (SoupWebsocketConnection *ws, gpointer data)
{
  VcClientPeer *peer = data;

  if (peer->state < VC_CLIENT_PEER_STATE_FAILED)
    peer_fail (peer, "signalling closed by the bridge (code %u)",
               soup_websocket_connection_get_close_code (ws));
}

/* main thread: the WebSocket handshake finished */
static void
on_ws_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (VcClientPeer) peer = data;
  g_autoptr (GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupWebsocketConnection *ws
      = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (ws == NULL)
    {
      if (msg != NULL && soup_message_get_status (msg) >= 400)
        peer->refusal_status = soup_message_get_status (msg);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        peer_fail (peer, "signalling refused (HTTP %u): %s",
                   msg ? soup_message_get_status (msg) : 0, error->message);
      return;
    }
  peer->ws = ws;
  vc_atomic_int64_set (&peer->shared->signal_open_us, g_get_monotonic_time ());
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), peer);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), peer);
  peer_set_state (peer, VC_CLIENT_PEER_STATE_NEGOTIATING);
}

/* ---- pipeline bus and connection state ---- */

static gboolean
on_bus_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  VcClientPeer *peer = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) gerr = NULL;
      g_autofree gchar *dbg = NULL;
      gst_message_parse_error (msg, &gerr, &dbg);
      GST_WARNING ("pipeline error from %s: %s (%s)", GST_OBJECT_NAME (msg->src), gerr->message,
                   dbg);
      peer_fail (peer, "media pipeline error: %s", gerr->message);
    }
  return G_SOURCE_CONTINUE;
}

/* How long a receiver waits for video before it asks the bridge for a
 * keyframe (a PLI; the bridge honours one per room every
 * [video] keyframe_min_interval_ms, 500 ms by default), and how
 * often it asks again while nothing comes. Loss and outages cost a
 * keyframe (the depayloader waits for one after a hole it could not
 * repair, and asks with each frame it drops); these catch what those
 * requests do not: the first keyframe, or a request, lost on the way. */
#define KEYFRAME_FIRST_WAIT_US (400 * G_TIME_SPAN_MILLISECOND)
#define KEYFRAME_FREEZE_WAIT_US (500 * G_TIME_SPAN_MILLISECOND)
#define KEYFRAME_REPEAT_US (500 * G_TIME_SPAN_MILLISECOND)

/* main thread, every 100 ms while connected */
static gboolean
on_keyframe_timer (gpointer data)
{
  VcClientPeer *peer = data;
  gint64 now = g_get_monotonic_time ();
  gint64 last = vc_atomic_int64_get (&peer->shared->last_frame_us);
  gint64 since = last != 0 ? now - MAX (last, peer->connected_us) : now - peer->connected_us;
  gint64 wait = last != 0 ? KEYFRAME_FREEZE_WAIT_US : KEYFRAME_FIRST_WAIT_US;

  if (since > wait && now - peer->last_keyframe_request_us > KEYFRAME_REPEAT_US
      && !g_atomic_int_get (&peer->shared->stopping))
    {
      GST_DEBUG ("peer %p: no video for %" G_GINT64_FORMAT " ms, asking for a keyframe", peer,
                 since / 1000);
      vc_client_peer_request_keyframe (peer);
    }
  return G_SOURCE_CONTINUE;
}

/* main thread (after a hop) */
static gboolean
on_connection_state_idle (gpointer data)
{
  VcClientPeer *peer = data;
  GstWebRTCPeerConnectionState cs = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;

  if (peer->webrtc == NULL || peer->state >= VC_CLIENT_PEER_STATE_FAILED)
    return G_SOURCE_REMOVE;
  g_object_get (peer->webrtc, "connection-state", &cs, NULL);
  if (cs == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED)
    {
      GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (peer->pipeline), GST_DEBUG_GRAPH_SHOW_ALL,
                                         "vc-client-peer-connected");
      if (peer->state != VC_CLIENT_PEER_STATE_CONNECTED)
        {
          peer->connected_us = g_get_monotonic_time ();
          if (peer->keyframe_timer == 0)
            peer->keyframe_timer = g_timeout_add (100, on_keyframe_timer, peer);
        }
      peer_set_state (peer, VC_CLIENT_PEER_STATE_CONNECTED);
    }
  else if (cs == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
    peer_fail (peer, "ICE/DTLS connection failed");
  return G_SOURCE_REMOVE;
}

/* webrtcbin thread */
static void
on_webrtc_connection_state (GObject *webrtc, GParamSpec *pspec, gpointer data)
{
  VcClientPeer *peer = data;

  g_main_context_invoke_full (peer->context, G_PRIORITY_DEFAULT, on_connection_state_idle,
                              g_object_ref (peer), g_object_unref);
}

gboolean
vc_client_peer_start (VcClientPeer *peer, GError **error)
{
  g_autofree gchar *escaped = NULL, *url = NULL;
  g_autoptr (GstBus) bus = NULL;
  SoupMessage *msg;

  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), FALSE);
  g_return_val_if_fail (peer->state == VC_CLIENT_PEER_STATE_IDLE, FALSE);
  peer->netem = vc_netem_new (
      peer->settings.netem ? peer->settings.netem : vc_netem_spec_from_env (), error);
  if (peer->netem == NULL && error != NULL && *error != NULL)
    return FALSE;
  peer->pipeline
      = vc_client_peer_pipeline_build (&peer->settings, peer->shared, peer->netem, error);
  if (peer->pipeline == NULL)
    return FALSE;
  peer->webrtc = gst_bin_get_by_name (GST_BIN (peer->pipeline), "webrtc");
  g_signal_connect (peer->webrtc, "on-ice-candidate", G_CALLBACK (on_webrtc_ice_candidate), peer);
  g_signal_connect (peer->webrtc, "on-new-transceiver", G_CALLBACK (on_webrtc_new_transceiver),
                    peer);
  g_signal_connect (peer->webrtc, "notify::connection-state",
                    G_CALLBACK (on_webrtc_connection_state), peer);
  bus = gst_element_get_bus (peer->pipeline);
  peer->bus_watch = gst_bus_add_watch (bus, on_bus_message, peer);
  vc_atomic_int64_set (&peer->shared->started_us, g_get_monotonic_time ());
  if (gst_element_set_state (peer->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "pipeline refused to play");
      peer_teardown (peer);
      return FALSE;
    }
  vc_media_webrtc_learn_context (peer->webrtc);
  vc_client_peer_pipeline_start_clips (peer->pipeline);
  vc_client_peer_pipeline_start_push (peer->pipeline);
  escaped = g_uri_escape_string (peer->settings.token, NULL, FALSE);
  if (peer->settings.link_room != NULL)
    {
      g_autofree gchar *room = g_uri_escape_string (peer->settings.link_room, NULL, FALSE);
      url = g_strdup_printf ("%s?token=%s&link_room=%s", peer->settings.signal_url, escaped, room);
    }
  else
    url = g_strdup_printf ("%s?token=%s", peer->settings.signal_url, escaped);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_SIGNALLING, "bad signal URL %s",
                   peer->settings.signal_url);
      peer_teardown (peer);
      return FALSE;
    }
  peer_set_state (peer, VC_CLIENT_PEER_STATE_CONNECTING);
  soup_session_websocket_connect_async (peer->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        peer->cancellable, on_ws_connected, g_object_ref (peer));
  g_object_unref (msg);
  return TRUE;
}

void
vc_client_peer_stop (VcClientPeer *peer)
{
  g_autofree gchar *bye = NULL;

  g_return_if_fail (VC_IS_CLIENT_PEER (peer));
  if (peer->state >= VC_CLIENT_PEER_STATE_FAILED)
    return;
  bye = vc_signal_build_bye ("leaving");
  peer_send_text (peer, bye);
  peer_teardown (peer);
  peer_set_state (peer, VC_CLIENT_PEER_STATE_CLOSED);
}

void
vc_client_peer_request_keyframe (VcClientPeer *peer)
{
  g_autoptr (GstElement) receiver = NULL;

  g_return_if_fail (VC_IS_CLIENT_PEER (peer));
  if (peer->state != VC_CLIENT_PEER_STATE_CONNECTED)
    return;
  receiver = g_weak_ref_get (&peer->shared->video_receiver);
  if (receiver == NULL)
    return;
  peer->last_keyframe_request_us = g_get_monotonic_time ();
  vc_atomic_int64_add (&peer->shared->keyframes_requested, 1);
  /* travels upstream to webrtcbin, which sends it to the bridge as a PLI */
  gst_element_send_event (
      receiver, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0));
}

GstPad *
vc_client_peer_get_push_pad (VcClientPeer *peer, gboolean audio)
{
  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), NULL);
  return peer->pipeline != NULL ? vc_client_peer_pipeline_push_pad (peer->pipeline, audio) : NULL;
}

guint
vc_client_peer_get_refusal_status (VcClientPeer *peer)
{
  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), 0);
  return peer->refusal_status;
}

GstElement *
vc_client_peer_get_pipeline (VcClientPeer *peer)
{
  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), NULL);
  return peer->pipeline;
}

VcClientPeerState
vc_client_peer_get_state (VcClientPeer *peer)
{
  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), VC_CLIENT_PEER_STATE_FAILED);
  return peer->state;
}

void
vc_client_peer_get_stats (VcClientPeer *peer, VcClientPeerStats *stats)
{
  VcClientPeerShared *s;

  g_return_if_fail (VC_IS_CLIENT_PEER (peer));
  s = peer->shared;
  stats->video_frames = vc_atomic_int64_get (&s->video_frames);
  stats->audio_buffers = vc_atomic_int64_get (&s->audio_buffers);
  stats->video_packets = vc_atomic_int64_get (&s->video_packets);
  stats->audio_lost = vc_atomic_int64_get (&s->audio_lost);
  stats->audio_media_gaps = vc_atomic_int64_get (&s->audio_media_gaps);
  stats->audio_arrival_gaps = vc_atomic_int64_get (&s->audio_arrival_gaps);
  stats->first_frame_us = vc_atomic_int64_get (&s->first_frame_us);
  stats->started_us = vc_atomic_int64_get (&s->started_us);
  stats->signal_open_us = vc_atomic_int64_get (&s->signal_open_us);
  stats->last_click_sent_us = vc_atomic_int64_get (&s->last_click_sent_us);
  stats->last_click_heard_us = vc_atomic_int64_get (&s->last_click_heard_us);
  stats->video_sending = !g_atomic_int_get (&s->video_paused);
  stats->video_frames_held = vc_atomic_int64_get (&s->video_frames_held);
  stats->video_divisor = (guint)g_atomic_int_get (&s->video_divisor);
  stats->video_width = (guint)g_atomic_int_get (&s->video_width);
  stats->video_height = (guint)g_atomic_int_get (&s->video_height);
  stats->video_freezes = vc_atomic_int64_get (&s->video_freezes);
  stats->video_longest_gap_us = vc_atomic_int64_get (&s->longest_gap_us);
  stats->keyframes_requested = vc_atomic_int64_get (&s->keyframes_requested);
}

gint64
vc_client_peer_take_longest_gap (VcClientPeer *peer)
{
  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), 0);
  return vc_atomic_int64_exchange (&peer->shared->longest_gap_us, 0);
}

gboolean
vc_client_peer_set_outage (VcClientPeer *peer, guint ms)
{
  g_return_val_if_fail (VC_IS_CLIENT_PEER (peer), FALSE);
  if (peer->netem == NULL)
    return FALSE;
  vc_netem_set_outage (peer->netem, ms);
  return TRUE;
}

/* ---- GObject ---- */

VcClientPeer *
vc_client_peer_new (const VcClientPeerSettings *s)
{
  VcClientPeer *peer;

  g_return_val_if_fail (s != NULL && s->signal_url != NULL && s->token != NULL, NULL);
  peer = g_object_new (VC_TYPE_CLIENT_PEER, NULL);
  peer->settings = *s;
  peer->settings.signal_url = g_strdup (s->signal_url);
  peer->settings.token = g_strdup (s->token);
  peer->settings.link_room = g_strdup (s->link_room);
  peer->settings.netem = g_strdup (s->netem);
  peer->settings.video_source = g_strdup (s->video_source ? s->video_source : "none");
  peer->settings.audio_source = g_strdup (s->audio_source ? s->audio_source : "none");
  peer->ice_addresses = g_strdupv ((gchar **)s->ice_addresses);
  peer->settings.ice_addresses = (const gchar *const *)peer->ice_addresses;
  peer->settings.video_clip = s->video_clip ? vc_media_clip_ref (s->video_clip) : NULL;
  peer->settings.video_clip_half
      = s->video_clip_half ? vc_media_clip_ref (s->video_clip_half) : NULL;
  peer->settings.audio_clip = s->audio_clip ? vc_media_clip_ref (s->audio_clip) : NULL;
  return peer;
}

static void
vc_client_peer_finalize (GObject *object)
{
  VcClientPeer *peer = VC_CLIENT_PEER (object);

  peer_teardown (peer);
  g_clear_object (&peer->webrtc);
  g_free ((gchar *)peer->settings.signal_url);
  g_free ((gchar *)peer->settings.token);
  g_free ((gchar *)peer->settings.link_room);
  g_free ((gchar *)peer->settings.netem);
  g_clear_pointer (&peer->netem, vc_netem_unref);
  g_free ((gchar *)peer->settings.video_source);
  g_free ((gchar *)peer->settings.audio_source);
  g_strfreev (peer->ice_addresses);
  g_clear_pointer (&peer->settings.video_clip, vc_media_clip_unref);
  g_clear_pointer (&peer->settings.video_clip_half, vc_media_clip_unref);
  g_clear_pointer (&peer->settings.audio_clip, vc_media_clip_unref);
  g_clear_object (&peer->session);
  g_clear_object (&peer->cancellable);
  vc_client_peer_shared_unref (peer->shared);
  g_main_context_unref (peer->context);
  G_OBJECT_CLASS (vc_client_peer_parent_class)->finalize (object);
}

static void
vc_client_peer_init (VcClientPeer *peer)
{
  peer->context = g_main_context_ref_thread_default ();
  peer->session = soup_session_new ();
  peer->cancellable = g_cancellable_new ();
  peer->shared = vc_client_peer_shared_new (peer, peer->context);
}

static void
vc_client_peer_class_init (VcClientPeerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (vc_client_peer_debug, "vc-client-peer-signal", 0,
                           "vc client peer signalling");
  object_class->finalize = vc_client_peer_finalize;
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_FIRST_FRAME]
      = g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_BRIDGE_STATE]
      = g_signal_new ("bridge-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_AUDIO_DECODED]
      = g_signal_new ("audio-decoded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, GST_TYPE_BUFFER);
  signals[SIGNAL_VIDEO_DECODED]
      = g_signal_new ("video-decoded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, GST_TYPE_SAMPLE);
  signals[SIGNAL_AUDIO_RTP]
      = g_signal_new ("audio-rtp", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, GST_TYPE_BUFFER);
  signals[SIGNAL_VIDEO_ENCODED]
      = g_signal_new ("video-encoded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, GST_TYPE_BUFFER);
}
