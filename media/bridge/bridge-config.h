/* bridge-config.h — vc-bridge's typed settings, read once at start.
 *
 * Layers: embedded defaults (the same as conf/bridge.ini), then --config, then
 * command-line overrides. Errors name the file, group and key (exit 78). */
#pragma once

#include "vc-config.h"
#include "vc-media.h"

G_BEGIN_DECLS

typedef enum
{
  BRIDGE_LAYOUT_GRID,
  BRIDGE_LAYOUT_SPEAKER,
  BRIDGE_LAYOUT_CHAIR,
} BridgeLayoutKind;

const gchar *bridge_layout_kind_to_string (BridgeLayoutKind kind);
gboolean bridge_layout_kind_from_string (const gchar *text, BridgeLayoutKind *out);

/* The grid's most tiles: 6 x 6 (a 213x120 tile at 1280x720). */
#define BRIDGE_MAX_TILES 36

typedef struct
{
  gchar *listen_host;
  guint16 listen_port;
  gchar *secret;
  guint capacity;
  guint max_rooms;
  gchar **ice_addresses;
  guint width, height, fps, video_bitrate_kbps, max_tiles;
  guint tile_hold_ms;              /* a grid tile given to a speaker stays at least this long */
  guint encoder_speed;             /* vp8enc cpu-used, 0 (best) .. 16 (fastest) */
  guint keyframe_min_interval_ms;  /* the room's keyframes, on request, at most this often */
  guint join_keyframe_interval_ms; /* ... and for a participant that connects, this often */
  gchar *font;
  BridgeLayoutKind default_layout;
  guint personal_mixes, audio_bitrate_kbps;
  gdouble speaker_threshold_db, speaker_margin_db;
  guint speaker_hold_ms;
  VcMediaThreadPriority audio_priority; /* threads that carry audio */
  guint jitter_latency_ms;
  guint link_jitter_latency_ms;  /* the same for a bridge-to-bridge link, on both its ends */
  guint video_jitter_latency_ms; /* the longest a video packet is awaited (retransmission) */
  guint stall_timeout_s;
  gchar *recordings_dir;       /* [recordings] directory: DIR/ROOM/NAME.webm */
  guint segment_seconds;       /* [recordings] segment_seconds, 2..300 */
  guint64 recordings_min_free; /* [recordings] min_free_mb, in bytes: stop below it */
  gchar *netem; /* [test] netem: loss/jitter on every participant's link (vc-netem.h), or NULL */
} BridgeSettings;

/* Embedded defaults as key-file text. */
extern const gchar bridge_settings_defaults[];

BridgeSettings *bridge_settings_load (VcConfig *config, GError **error);
void bridge_settings_free (BridgeSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgeSettings, bridge_settings_free)

G_END_DECLS
