/* bridge-peer-signal.c — a participant's signalling (docs/protocol.md §3):
 * webrtcbin's offer and candidates go out over the WebSocket (made on
 * webrtcbin's threads, sent from the main thread), the participant's
 * answer, candidates and bye come in (main thread). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-peer-private.h"
#include "vc-signal.h"

#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#define GST_CAT_DEFAULT bridge_peer_debug

void
bridge_peer_send (BridgePeer *peer, const gchar *text)
{
  if (peer->ws != NULL
      && soup_websocket_connection_get_state (peer->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (peer->ws, text);
}

void
bridge_peer_send_error (BridgePeer *peer, VcSignalError code, const gchar *message)
{
  g_autofree gchar *text = vc_signal_build_error (code, message);
  bridge_peer_send (peer, text);
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
      bridge_peer_hop_send (peer, vc_signal_build_offer (sdp));
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
  bridge_peer_hop_send (data, vc_signal_build_ice (candidate, mline));
}

void
bridge_peer_signal_connect_webrtc (BridgePeer *peer)
{
  g_signal_connect (peer->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed),
                    peer);
  g_signal_connect (peer->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), peer);
}

/* ---- signalling from the participant (main thread) ---- */

static void
peer_handle_answer (BridgePeer *peer, const gchar *sdp_text)
{
  GstSDPMessage *sdp = NULL;
  GstWebRTCSessionDescription *answer;

  if (peer->answered)
    {
      bridge_peer_send_error (peer, VC_SIGNAL_ERROR_UNEXPECTED, "the answer was already given");
      return;
    }
  if (gst_sdp_message_new_from_text (sdp_text, &sdp) != GST_SDP_OK
      || gst_sdp_message_medias_len (sdp) == 0)
    {
      if (sdp != NULL)
        gst_sdp_message_free (sdp);
      bridge_peer_send_error (peer, VC_SIGNAL_ERROR_MALFORMED, "the answer's SDP cannot be read");
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
  g_autoptr (GError) error = NULL;
  g_autoptr (VcSignalMessage) msg = NULL;

  if (peer->state == BRIDGE_PEER_STATE_CLOSED)
    return;
  if (kind != SOUP_WEBSOCKET_DATA_TEXT)
    {
      bridge_peer_send_error (
          peer, len > VC_SIGNAL_MAX_MESSAGE ? VC_SIGNAL_ERROR_TOO_LARGE : VC_SIGNAL_ERROR_MALFORMED,
          "only text messages are accepted");
      return;
    }
  msg = vc_signal_parse (bytes, len, VC_SIGNAL_FROM_PEER, NULL, &error);
  if (msg == NULL)
    {
      GST_INFO ("room %s, %s: refused message: %s", peer->room_id, peer->endpoint, error->message);
      bridge_peer_send_error (peer, error->code, error->message);
      return;
    }
  switch (msg->type)
    {
      case VC_SIGNAL_ANSWER:
        peer_handle_answer (peer, msg->sdp);
        break;
      case VC_SIGNAL_ICE:
        if (*msg->candidate != '\0')
          g_signal_emit_by_name (peer->webrtc, "add-ice-candidate", msg->mline, msg->candidate);
        break;
      case VC_SIGNAL_BYE:
        peer->callbacks->lost (peer, NULL, peer->user_data);
        break;
      case VC_SIGNAL_LINK_STATE:
        peer->callbacks->link_state (peer, msg, peer->user_data);
        break;
      default: /* vc_signal_parse() refuses what a participant does not send */
        g_assert_not_reached ();
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws, gpointer data)
{
  BridgePeer *peer = data;

  if (peer->state != BRIDGE_PEER_STATE_CLOSED)
    peer->callbacks->lost (peer, NULL, peer->user_data);
}

void
bridge_peer_signal_attach (BridgePeer *peer)
{
  soup_websocket_connection_set_max_incoming_payload_size (peer->ws, VC_SIGNAL_MAX_FRAME);
  soup_websocket_connection_set_keepalive_interval (peer->ws, 15);
  g_signal_connect (peer->ws, "message", G_CALLBACK (on_ws_message), peer);
  g_signal_connect (peer->ws, "closed", G_CALLBACK (on_ws_closed), peer);
}
