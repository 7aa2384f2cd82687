/* bridge-uplink.c — a child room's link to its parent room (bridge-uplink.h).
 *
 * Each attempt is one VcClientPeer with "push" sources and the RELAY output,
 * and one UplinkMedia: the little state its streaming-thread callbacks share
 * with the main thread (the room's mixer input and compositor, and whether
 * the attempt is over). The main thread wires the attempt into the room when
 * it connects and unwires it, under the media lock, before it lets go. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-uplink.h"

#include "bridge-opus.h"
#include "bridge-room.h"
#include "vc-atomic.h"
#include "vc-client-peer.h"
#include "vc-signal.h"
#include "vc-time.h"

#include <gst/rtp/gstrtpbuffer.h>
#include <gst/video/video.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (bridge_uplink_debug);
#define GST_CAT_DEFAULT bridge_uplink_debug

#define RETRY_FIRST_MS 500
#define RETRY_MAX_MS 10000
#define MAX_TOKEN_LEN 4096
#define KEYFRAME_REQUEST_INTERVAL_US G_USEC_PER_SEC

/* Shared by one attempt's streaming threads and the main thread; a
 * g_atomic_rc_box. @lock protects @closing and @input; @video is the
 * room's, valid while !closing. */
typedef struct
{
  GRWLock lock;
  gboolean closing;
  BridgeAudioInput *input;    /* the parent's audio into the room's mixer, once connected */
  BridgeOpusDecoder *decoder; /* the parent's audio: the client's audio thread only */
  BridgeVideo *video;
  GMainContext *context;
  GWeakRef peer;             /* VcClientPeer: keyframe requests hop back to it */
  gint64 last_keyframe_us;   /* atomic */
  gint keyframe_hop_pending; /* atomic */
} UplinkMedia;

struct _BridgeUplink
{
  const BridgeSettings *settings;
  gchar *room_id;
  gchar *identity;      /* "BRIDGE-INSTANCE/ROOM" */
  gchar *tree;          /* the rooms above, root first, from the parent's state; NULL = not yet */
  gchar *floor;         /* the parent's floor (a room's code), from its state; NULL = none */
  gboolean floor_below; /* that room is in this room's sub-tree */
  gchar *speaker;       /* the parent's active speaker, from its state; NULL = nobody */
  gchar *reported;      /* the last link_state sent on this connection */
  BridgeAudio *audio;
  BridgeVideo *video;
  gchar *signal_url;
  gchar *token;
  BridgeUplinkState state;
  guint attempts;
  gchar *last_error;
  gint64 connected_at; /* unix seconds, 0 = not connected */
  guint delay_ms;      /* the next retry's */
  guint retry_source;
  VcClientPeer *peer; /* the current attempt */
  UplinkMedia *media; /* its shared state */
  gulong keyframe_probe;
  gboolean wired; /* its media are in the room's mixer and compositor */
  BridgeUplinkChangedFunc changed;
  gpointer user_data;
};

static const gchar *state_names[] = { "off", "connecting", "connected", "retrying" };

const gchar *
bridge_uplink_state_to_string (BridgeUplinkState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "off");
  return state_names[state];
}

/* ---- the attempt's shared state ---- */

static void
media_clear (gpointer data)
{
  UplinkMedia *media = data;

  g_rw_lock_clear (&media->lock);
  bridge_opus_decoder_free (media->decoder);
  g_weak_ref_clear (&media->peer);
  g_main_context_unref (media->context);
}

static void
media_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, media_clear);
}

static void
media_unref_closure (gpointer data, GClosure *closure)
{
  media_unref (data);
}

/* decoded (or filled) samples of the parent's mix-minus, lock held */
static void
on_parent_audio_decoded (const gint16 *pcm, gsize n, gpointer data)
{
  UplinkMedia *media = data;

  if (!media->closing && media->input != NULL)
    bridge_audio_input_push (media->input, pcm, n);
}

/* streaming thread (the client's audio jitter buffer): one RTP packet of
 * the parent's mix-minus, decoded here as the bridge decodes a
 * participant's (bridge-opus.h): a loss is filled from the next packet's
 * FEC when it comes, but no packet waits for the next one, as opusdec's
 * in-band FEC would make it (20 ms a hop) */
static void
on_parent_audio (VcClientPeer *peer, GstBuffer *rtp, gpointer data)
{
  UplinkMedia *media = data;
  GstRTPBuffer packet = GST_RTP_BUFFER_INIT;

  if (!gst_rtp_buffer_map (rtp, GST_MAP_READ, &packet))
    return;
  g_rw_lock_reader_lock (&media->lock);
  if (!media->closing && media->input != NULL)
    bridge_opus_decoder_push (
        media->decoder, gst_rtp_buffer_get_seq (&packet), gst_rtp_buffer_get_payload (&packet),
        gst_rtp_buffer_get_payload_len (&packet), on_parent_audio_decoded, media);
  g_rw_lock_reader_unlock (&media->lock);
  gst_rtp_buffer_unmap (&packet);
}

/* main thread: the room's tile for the parent waits for a keyframe */
static gboolean
on_keyframe_wanted (gpointer data)
{
  UplinkMedia *media = data;
  g_autoptr (VcClientPeer) peer = g_weak_ref_get (&media->peer);

  g_atomic_int_set (&media->keyframe_hop_pending, 0);
  if (peer != NULL)
    vc_client_peer_request_keyframe (peer);
  return G_SOURCE_REMOVE;
}

/* streaming thread (the client's depayloader): one frame of the parent's
 * composite, for the room's tile "@parent" */
static void
on_parent_video (VcClientPeer *peer, GstBuffer *frame, gpointer data)
{
  UplinkMedia *media = data;
  gboolean want_key = FALSE;
  gint64 now = g_get_monotonic_time ();

  g_rw_lock_reader_lock (&media->lock);
  if (!media->closing && media->input != NULL)
    want_key = bridge_video_push_frame (media->video, BRIDGE_UPLINK_ENDPOINT, frame);
  g_rw_lock_reader_unlock (&media->lock);
  if (want_key
      && now - vc_atomic_int64_get (&media->last_keyframe_us) > KEYFRAME_REQUEST_INTERVAL_US
      && g_atomic_int_compare_and_exchange (&media->keyframe_hop_pending, 0, 1))
    {
      vc_atomic_int64_set (&media->last_keyframe_us, now);
      g_main_context_invoke_full (media->context, G_PRIORITY_DEFAULT, on_keyframe_wanted,
                                  g_atomic_rc_box_acquire (media), media_unref);
    }
}

/* the parent's RTCP thread: it asks for a keyframe of our composite (PLI) */
static GstPadProbeReturn
on_push_video_upstream (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  UplinkMedia *media = data;

  if (gst_video_event_is_force_key_unit (GST_PAD_PROBE_INFO_EVENT (info)))
    {
      g_rw_lock_reader_lock (&media->lock);
      if (!media->closing)
        bridge_video_request_keyframe (media->video);
      g_rw_lock_reader_unlock (&media->lock);
    }
  return GST_PAD_PROBE_OK;
}

/* ---- attempts (main thread) ---- */

static void uplink_attempt (BridgeUplink *uplink);

static void
uplink_set_error (BridgeUplink *uplink, const gchar *message)
{
  g_free (uplink->last_error);
  uplink->last_error = g_strdup (message);
}

static gboolean
on_release_peer (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* Unwires the attempt from the room and lets the client go. */
static void
uplink_drop_attempt (BridgeUplink *uplink)
{
  BridgeAudioInput *input = NULL;
  gboolean was_wired = uplink->wired;

  if (uplink->media != NULL)
    {
      g_rw_lock_writer_lock (&uplink->media->lock);
      uplink->media->closing = TRUE;
      input = g_steal_pointer (&uplink->media->input);
      g_rw_lock_writer_unlock (&uplink->media->lock);
    }
  if (uplink->wired)
    {
      bridge_video_remove_output (uplink->video, BRIDGE_UPLINK_ENDPOINT);
      uplink->wired = FALSE;
    }
  bridge_audio_remove_input (uplink->audio, input);
  if (uplink->peer != NULL)
    {
      GstPad *pad = vc_client_peer_get_push_pad (uplink->peer, FALSE);
      if (pad != NULL && uplink->keyframe_probe != 0)
        gst_pad_remove_probe (pad, uplink->keyframe_probe);
      uplink->keyframe_probe = 0;
      g_signal_handlers_disconnect_by_data (uplink->peer, uplink);
      g_signal_handlers_disconnect_by_data (uplink->peer, uplink->media);
      vc_client_peer_stop (uplink->peer);
      /* not from inside its own signal emission */
      g_idle_add (on_release_peer, g_steal_pointer (&uplink->peer));
    }
  g_clear_pointer (&uplink->media, media_unref);
  g_clear_pointer (&uplink->tree, g_free);
  g_clear_pointer (&uplink->floor, g_free);
  g_clear_pointer (&uplink->speaker, g_free);
  g_clear_pointer (&uplink->reported, g_free);
  uplink->floor_below = FALSE;
  uplink->connected_at = 0;
  /* not connected any more (the caller says what next): the room's layout
   * drops the parent's tile */
  uplink->state = BRIDGE_UPLINK_STATE_OFF;
  if (was_wired && uplink->changed != NULL)
    uplink->changed (uplink, uplink->user_data);
}

static gboolean
on_retry (gpointer data)
{
  BridgeUplink *uplink = data;

  uplink->retry_source = 0;
  uplink_attempt (uplink);
  return G_SOURCE_REMOVE;
}

/* The attempt failed or the link was lost: try again later, or give up on
 * a refused token. */
static void
uplink_fail (BridgeUplink *uplink, const gchar *reason)
{
  guint status = uplink->peer != NULL ? vc_client_peer_get_refusal_status (uplink->peer) : 0;
  g_autofree gchar *message = NULL;

  if (status == 409)
    message = g_strdup_printf ("a loop: the parent room is this room or below it in the tree "
                               "(HTTP %u, refused before any media)",
                               status);
  else if (status == 401 || status == 403 || status == 410)
    message = g_strdup_printf ("the parent refused the link (HTTP %u: %s)", status,
                               status == 401   ? "a bad or expired link token"
                               : status == 403 ? "a token for another room, or not a link token "
                                                 "for a participant invited as a link"
                                               : "the parent's room was closed");
  else
    message = g_strdup (reason);
  uplink_set_error (uplink, message);
  uplink_drop_attempt (uplink);
  if (status == 401 || status == 403 || status == 409 || status == 410)
    {
      g_message ("room %s: uplink off: %s", uplink->room_id, message);
      uplink->state = BRIDGE_UPLINK_STATE_OFF;
      return;
    }
  g_info ("room %s: uplink retrying in %u ms: %s", uplink->room_id, uplink->delay_ms, message);
  uplink->state = BRIDGE_UPLINK_STATE_RETRYING;
  uplink->retry_source = g_timeout_add (uplink->delay_ms, on_retry, uplink);
  uplink->delay_ms = MIN (uplink->delay_ms * 2, RETRY_MAX_MS);
}

/* The client connected: the room's mix-minus and composite go up, the
 * parent's come down. */
static void
uplink_wire (BridgeUplink *uplink)
{
  GstPad *audio_pad = vc_client_peer_get_push_pad (uplink->peer, TRUE);
  GstPad *video_pad = vc_client_peer_get_push_pad (uplink->peer, FALSE);
  GstElement *pipeline = vc_client_peer_get_pipeline (uplink->peer);
  BridgeAudioInput *input;

  g_assert (audio_pad != NULL && video_pad != NULL && pipeline != NULL);
  input = bridge_audio_add_input (uplink->audio, BRIDGE_UPLINK_ENDPOINT, audio_pad, pipeline);
  if (input == NULL)
    {
      uplink_fail (uplink, "the room has no room for another audio input");
      return;
    }
  bridge_audio_set_link (uplink->audio, BRIDGE_UPLINK_ENDPOINT);
  bridge_audio_set_listening (uplink->audio, BRIDGE_UPLINK_ENDPOINT, TRUE);
  g_rw_lock_writer_lock (&uplink->media->lock);
  uplink->media->input = input;
  g_rw_lock_writer_unlock (&uplink->media->lock);
  bridge_video_add_output (uplink->video, BRIDGE_UPLINK_ENDPOINT, video_pad, pipeline);
  uplink->keyframe_probe
      = gst_pad_add_probe (video_pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_push_video_upstream,
                           g_atomic_rc_box_acquire (uplink->media), media_unref);
  uplink->wired = TRUE;
  uplink->state = BRIDGE_UPLINK_STATE_CONNECTED;
  uplink->connected_at = vc_time_now ();
  uplink->delay_ms = RETRY_FIRST_MS;
  g_clear_pointer (&uplink->last_error, g_free);
  g_message ("room %s: linked to its parent %s", uplink->room_id, uplink->signal_url);
  if (uplink->changed != NULL)
    uplink->changed (uplink, uplink->user_data);
}

static void
on_peer_state (VcClientPeer *peer, guint state, gpointer data)
{
  BridgeUplink *uplink = data;

  if (peer != uplink->peer)
    return;
  if (state == VC_CLIENT_PEER_STATE_CONNECTED && !uplink->wired)
    uplink_wire (uplink);
  else if (state == VC_CLIENT_PEER_STATE_CLOSED)
    uplink_fail (uplink, uplink->last_error ? uplink->last_error : "the parent closed the link");
}

/* Is @identity one of the space-separated rooms of @tree? */
static gboolean
tree_holds (const gchar *tree, const gchar *identity)
{
  g_auto (GStrv) rooms = g_strsplit (tree, " ", -1);

  return g_strv_contains ((const gchar *const *)rooms, identity);
}

/* Replaces *@field by a copy of @value; TRUE when it changed. */
static gboolean
uplink_update (gchar **field, const gchar *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* the parent's {"type":"state"}: its tree of rooms, its floor and its
 * active speaker (docs/protocol.md §5) */
static void
on_parent_state (VcClientPeer *peer, const gchar *text, gpointer data)
{
  BridgeUplink *uplink = data;
  g_autoptr (VcSignalMessage) msg = NULL;
  gboolean changed;

  if (peer != uplink->peer)
    return;
  msg = vc_signal_parse (text, strlen (text), VC_SIGNAL_FROM_BRIDGE, NULL, NULL);
  if (msg == NULL)
    return;
  changed = uplink_update (&uplink->floor, msg->floor);
  changed |= uplink_update (&uplink->speaker, msg->active_speaker);
  if (uplink->floor_below != (msg->floor != NULL && msg->floor_below))
    {
      uplink->floor_below = msg->floor != NULL && msg->floor_below;
      changed = TRUE;
    }
  if (msg->tree == NULL || g_strcmp0 (msg->tree, uplink->tree) == 0)
    {
      if (changed && uplink->changed != NULL)
        uplink->changed (uplink, uplink->user_data);
      return;
    }
  if (tree_holds (msg->tree, uplink->identity))
    {
      g_autofree gchar *message = g_strdup_printf (
          "a loop: this room is already above its parent in the tree (%s)", msg->tree);
      g_message ("room %s: uplink off: %s", uplink->room_id, message);
      uplink_set_error (uplink, message);
      uplink_drop_attempt (uplink);
      uplink->state = BRIDGE_UPLINK_STATE_OFF;
      return;
    }
  g_free (uplink->tree);
  uplink->tree = g_strdup (msg->tree);
  /* the room passes its tree on to its own links */
  if (uplink->changed != NULL)
    uplink->changed (uplink, uplink->user_data);
}

static void
on_peer_error (VcClientPeer *peer, GError *error, gpointer data)
{
  BridgeUplink *uplink = data;

  if (peer != uplink->peer)
    return;
  if (vc_client_peer_get_state (peer) == VC_CLIENT_PEER_STATE_FAILED)
    uplink_fail (uplink, error->message);
  else
    g_info ("room %s: uplink: %s", uplink->room_id, error->message); /* the link goes on */
}

static void
uplink_attempt (BridgeUplink *uplink)
{
  VcClientPeerSettings s = vc_client_peer_settings_default ();
  g_autoptr (GError) error = NULL;
  UplinkMedia *media = g_atomic_rc_box_new0 (UplinkMedia);

  g_rw_lock_init (&media->lock);
  media->decoder = bridge_opus_decoder_new ();
  media->video = uplink->video;
  media->context = g_main_context_ref_thread_default ();
  s.signal_url = uplink->signal_url;
  s.token = uplink->token;
  s.link_room = uplink->identity; /* the parent refuses a loop before the upgrade */
  s.ice_addresses = (const gchar *const *)uplink->settings->ice_addresses;
  s.video_source = "push";
  s.audio_source = "push";
  s.width = uplink->settings->width;
  s.height = uplink->settings->height;
  s.fps = uplink->settings->fps;
  /* a server-to-server path: a shorter jitter buffer ([media] link_jitter_latency_ms) */
  s.jitter_latency_ms = uplink->settings->link_jitter_latency_ms;
  s.video_jitter_latency_ms = uplink->settings->video_jitter_latency_ms;
  s.audio_priority = uplink->settings->audio_priority;
  s.output = VC_CLIENT_PEER_OUTPUT_RELAY;
  uplink->attempts++;
  uplink->state = BRIDGE_UPLINK_STATE_CONNECTING;
  uplink->media = media;
  uplink->peer = vc_client_peer_new (&s);
  g_weak_ref_init (&media->peer, uplink->peer);
  g_signal_connect (uplink->peer, "state-changed", G_CALLBACK (on_peer_state), uplink);
  g_signal_connect (uplink->peer, "error", G_CALLBACK (on_peer_error), uplink);
  g_signal_connect (uplink->peer, "bridge-state", G_CALLBACK (on_parent_state), uplink);
  g_signal_connect_data (uplink->peer, "audio-rtp", G_CALLBACK (on_parent_audio),
                         g_atomic_rc_box_acquire (media), media_unref_closure, 0);
  g_signal_connect_data (uplink->peer, "video-encoded", G_CALLBACK (on_parent_video),
                         g_atomic_rc_box_acquire (media), media_unref_closure, 0);
  GST_INFO ("room %s: uplink attempt %u to %s", uplink->room_id, uplink->attempts,
            uplink->signal_url);
  if (!vc_client_peer_start (uplink->peer, &error))
    uplink_fail (uplink, error->message);
}

/* ---- life ---- */

gboolean
bridge_uplink_check_request (const gchar *signal_url, const gchar *token, GError **error)
{
  g_autoptr (GUri) uri = signal_url ? g_uri_parse (signal_url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || !g_str_has_suffix (g_uri_get_path (uri), "/signal") || g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "'signal_url' must be the parent room's ws:// or wss:// …/rooms/ID/signal "
                   "URL, without a query");
      return FALSE;
    }
  if (token == NULL || *token == '\0' || strlen (token) > MAX_TOKEN_LEN
      || strchr (token, '.') == NULL)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "'token' must be a link token (a JWT of at most %d characters)", MAX_TOKEN_LEN);
      return FALSE;
    }
  return TRUE;
}

BridgeUplink *
bridge_uplink_new (const BridgeSettings *settings, const gchar *room_id, const gchar *identity,
                   BridgeAudio *audio, BridgeVideo *video, const gchar *signal_url,
                   const gchar *token, BridgeUplinkChangedFunc changed, gpointer user_data)
{
  static gsize once = 0;
  BridgeUplink *uplink = g_new0 (BridgeUplink, 1);

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_uplink_debug, "bridge-uplink", 0, "vc-bridge cascading");
      g_once_init_leave (&once, 1);
    }
  uplink->settings = settings;
  uplink->room_id = g_strdup (room_id);
  uplink->identity = g_strdup (identity);
  uplink->audio = audio;
  uplink->video = video;
  uplink->signal_url = g_strdup (signal_url);
  uplink->token = g_strdup (token);
  uplink->changed = changed;
  uplink->user_data = user_data;
  uplink->delay_ms = RETRY_FIRST_MS;
  uplink_attempt (uplink);
  return uplink;
}

void
bridge_uplink_free (BridgeUplink *uplink)
{
  if (uplink == NULL)
    return;
  g_clear_handle_id (&uplink->retry_source, g_source_remove);
  uplink->changed = NULL;
  uplink_drop_attempt (uplink);
  g_free (uplink->room_id);
  g_free (uplink->identity);
  g_free (uplink->signal_url);
  g_free (uplink->token);
  g_free (uplink->last_error);
  g_free (uplink);
}

const gchar *
bridge_uplink_get_tree (BridgeUplink *uplink)
{
  return uplink != NULL && uplink->state == BRIDGE_UPLINK_STATE_CONNECTED ? uplink->tree : NULL;
}

const gchar *
bridge_uplink_get_floor (BridgeUplink *uplink, gboolean *below)
{
  gboolean connected = uplink != NULL && uplink->state == BRIDGE_UPLINK_STATE_CONNECTED;

  *below = connected && uplink->floor_below;
  return connected ? uplink->floor : NULL;
}

const gchar *
bridge_uplink_get_speaker (BridgeUplink *uplink)
{
  return uplink != NULL && uplink->state == BRIDGE_UPLINK_STATE_CONNECTED ? uplink->speaker : NULL;
}

void
bridge_uplink_report (BridgeUplink *uplink, const gchar *speaker, const gchar *const *rooms,
                      const gchar *const *names)
{
  g_autofree gchar *text = NULL;
  guint n = g_strv_length ((gchar **)rooms);

  if (uplink == NULL || uplink->state != BRIDGE_UPLINK_STATE_CONNECTED || uplink->peer == NULL)
    return;
  /* within the contract's limits: at most VC_SIGNAL_MAX_LINK_ROOMS rooms
   * (the first ones: local participants come first) and one message */
  n = MIN (n, VC_SIGNAL_MAX_LINK_ROOMS);
  for (;;)
    {
      g_auto (GStrv) some = g_new0 (gchar *, n + 1), some_names = g_new0 (gchar *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          some[i] = g_strdup (rooms[i]);
          some_names[i] = g_strdup (names[i]);
        }
      g_free (text);
      text = vc_signal_build_link_report (speaker, (const gchar *const *)some,
                                          (const gchar *const *)some_names);
      if (strlen (text) <= VC_SIGNAL_MAX_MESSAGE || n == 0)
        break;
      n /= 2;
    }
  if (g_strcmp0 (text, uplink->reported) == 0)
    return;
  vc_client_peer_send_raw (uplink->peer, text);
  g_free (uplink->reported);
  uplink->reported = g_steal_pointer (&text);
}

BridgeUplinkState
bridge_uplink_get_state (BridgeUplink *uplink)
{
  return uplink != NULL ? uplink->state : BRIDGE_UPLINK_STATE_OFF;
}

void
bridge_uplink_to_json (BridgeUplink *uplink, JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b,
                                 bridge_uplink_state_to_string (bridge_uplink_get_state (uplink)));
  json_builder_set_member_name (b, "signal_url");
  uplink ? json_builder_add_string_value (b, uplink->signal_url) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, uplink ? uplink->attempts : 0);
  json_builder_set_member_name (b, "last_error");
  uplink && uplink->last_error ? json_builder_add_string_value (b, uplink->last_error)
                               : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "connected_at");
  if (uplink != NULL && uplink->connected_at != 0)
    {
      g_autofree gchar *at = vc_time_format_utc (uplink->connected_at);
      json_builder_add_string_value (b, at);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}
