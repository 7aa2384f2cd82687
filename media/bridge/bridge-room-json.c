/* bridge-room-json.c — one room as the control API shows it (GET
 * /rooms/{id}, docs/api.md of the bridge, docs/protocol.md §5 for the
 * tree): its layout, floor and speaker, mixer and encoder counters, uplink,
 * recording, and each participant's connection, audio and video figures.
 * Main thread only; the state itself is bridge-room.c's. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-room-private.h"

#include "bridge-peer.h"
#include "vc-time.h"

#include <math.h>

static void
participant_to_json (BridgeRoom *room, Participant *p, JsonBuilder *b)
{
  BridgePeer *peer = g_hash_table_lookup (room->peers, p->endpoint);
  gboolean connected = peer && bridge_peer_get_state (peer) == BRIDGE_PEER_STATE_CONNECTED;
  BridgeAudioInputInfo info = { BRIDGE_MIXER_SILENCE_DB, FALSE, p->muted, FALSE, 0 };
  BridgePeerStats stats = { 0 };
  gint64 tile_frames = bridge_video_get_tile_frames (room->video, p->endpoint);
  guint input_width, input_height;

  bridge_video_get_tile_input (room->video, p->endpoint, &input_width, &input_height);
  if (connected)
    {
      bridge_audio_get_info (room->audio, p->endpoint, &info);
      bridge_peer_get_stats (peer, &stats);
    }
  json_builder_begin_object (b);
#define MEMBER(k, call) json_builder_set_member_name (b, k), call
  MEMBER ("endpoint", json_builder_add_string_value (b, p->endpoint));
  MEMBER ("name", json_builder_add_string_value (b, p->name ? p->name : p->endpoint));
  MEMBER ("guest", json_builder_add_boolean_value (b, !p->invited));
  MEMBER ("link", json_builder_add_boolean_value (b, p->link));
  MEMBER ("connected", json_builder_add_boolean_value (b, connected));
  MEMBER ("speaking", json_builder_add_boolean_value (b, connected && info.speaking));
  MEMBER ("muted", json_builder_add_boolean_value (b, p->muted));
  MEMBER ("audio_level", json_builder_add_double_value (b, round (info.level_db * 10) / 10));
  MEMBER ("personal_mix", json_builder_add_boolean_value (b, info.personal_mix));
  MEMBER ("audio_underruns", json_builder_add_int_value (b, (gint64)info.underruns));
  MEMBER ("tile", json_builder_add_boolean_value (b, tile_frames >= 0));
  MEMBER ("frames_shown", json_builder_add_int_value (b, MAX (tile_frames, 0)));
  MEMBER ("tile_width", json_builder_add_int_value (b, p->tile_width));
  MEMBER ("tile_height", json_builder_add_int_value (b, p->tile_height));
  MEMBER ("video_width", json_builder_add_int_value (b, input_width));
  MEMBER ("video_height", json_builder_add_int_value (b, input_height));
  MEMBER ("rx_packets", json_builder_add_int_value (b, (gint64)stats.rx_packets));
  MEMBER ("tx_packets", json_builder_add_int_value (b, (gint64)stats.tx_packets));
  MEMBER ("loss", json_builder_add_double_value (b, round (stats.loss * 1000) / 1000));
  MEMBER ("jitter_ms", json_builder_add_double_value (b, round (stats.jitter_ms * 10) / 10));
  MEMBER ("bitrate_kbps", json_builder_add_int_value (b, (gint64)stats.bitrate_kbps));
  MEMBER ("audio_send_gaps", json_builder_add_int_value (b, (gint64)stats.audio_send_gaps));
  MEMBER ("audio_mix_in_gaps", json_builder_add_int_value (b, (gint64)stats.audio_mix_in_gaps));
  MEMBER ("video_dropped", json_builder_add_int_value (b, (gint64)stats.video_dropped));
  MEMBER ("audio_fec_frames", json_builder_add_int_value (b, (gint64)stats.audio.fec));
  MEMBER ("audio_concealed_frames", json_builder_add_int_value (b, (gint64)stats.audio.concealed));
  MEMBER ("audio_bad_packets", json_builder_add_int_value (b, (gint64)stats.audio.bad));
  MEMBER ("audio_input_gaps", json_builder_add_int_value (b, (gint64)stats.audio.resets));
  MEMBER ("audio_send_max_ms",
          json_builder_add_double_value (b, round (stats.audio_send_max_ms * 10) / 10));
  if (p->link)
    {
      /* the rooms its child bridge reported below it */
      json_builder_set_member_name (b, "rooms");
      json_builder_begin_array (b);
      for (guint i = 0; p->below != NULL && p->below[i] != NULL; i++)
        {
          json_builder_begin_object (b);
          MEMBER ("endpoint", json_builder_add_string_value (b, p->below[i]));
          MEMBER ("name", json_builder_add_string_value (b, p->below_names[i]));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "connected_at");
  if (connected)
    {
      g_autofree gchar *at = vc_time_format_utc (bridge_peer_get_connected_at (peer));
      json_builder_add_string_value (b, at);
    }
  else
    json_builder_add_null_value (b);
#undef MEMBER
  json_builder_end_object (b);
}

static void
add_nullable (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  value ? json_builder_add_string_value (b, value) : json_builder_add_null_value (b);
}

JsonNode *
bridge_room_to_json (BridgeRoom *room)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  BridgeVideoStats vs;
  BridgeAudioStats as;

  bridge_video_get_stats (room->video, &vs);
  bridge_audio_get_stats (room->audio, &as);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, room->id);
  json_builder_set_member_name (b, "layout");
  json_builder_add_string_value (b, bridge_layout_kind_to_string (room->layout));
  add_nullable (b, "chair", room->chair);
  json_builder_set_member_name (b, "opened_by");
  json_builder_add_string_value (b, room->token_opened ? "token" : "scheduler");
  {
    /* across a tree of bridges, the rooms themselves (docs/protocol.md §5) */
    const gchar *code, *floor = bridge_room_floor (room, &code);
    add_nullable (b, "active_speaker", bridge_room_speaker_named (room));
    add_nullable (b, "floor", code);
    add_nullable (b, "floor_tile", floor);
  }
  json_builder_set_member_name (b, "frames_encoded");
  json_builder_add_int_value (b, (gint64)vs.frames_encoded);
  json_builder_set_member_name (b, "keyframes_sent");
  json_builder_add_int_value (b, (gint64)vs.keyframes_requested);
  json_builder_set_member_name (b, "tiles");
  json_builder_add_int_value (b, vs.tiles);
  json_builder_set_member_name (b, "mixer_ticks");
  json_builder_add_int_value (b, (gint64)as.ticks);
  json_builder_set_member_name (b, "mixer_late_ticks");
  json_builder_add_int_value (b, (gint64)as.late_ticks);
  json_builder_set_member_name (b, "mixer_skipped_ticks");
  json_builder_add_int_value (b, (gint64)as.skipped_ticks);
  json_builder_set_member_name (b, "audio_timeline_resyncs");
  json_builder_add_int_value (b, (gint64)as.timeline_resyncs);
  json_builder_set_member_name (b, "mixer_encoder_gaps");
  json_builder_add_int_value (b, (gint64)as.encoder_gaps);
  json_builder_set_member_name (b, "uplink");
  bridge_uplink_to_json (room->uplink, b);
  {
    /* this room's place in a tree of bridges (docs/protocol.md §5) */
    g_autofree gchar *tree = bridge_room_tree (room);
    json_builder_set_member_name (b, "tree");
    json_builder_add_string_value (b, tree);
  }
  json_builder_set_member_name (b, "recording");
  bridge_record_add_json (room->record, b);
  json_builder_set_member_name (b, "participants");
  json_builder_begin_array (b);
  for (guint i = 0; i < room->participants->len; i++)
    participant_to_json (room, g_ptr_array_index (room->participants, i), b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
