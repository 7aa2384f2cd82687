/* bridge-record.h — a room's recording: the composite and the full mix,
 * muxed without re-encoding into WebM segments.
 *
 * The room's VP8 encoder and its shared-mix Opus encoder (everybody, no
 * mix-minus) already make what a recording needs; the recorder taps both
 * (bridge_video_set_tap, bridge_audio_set_tap) and pushes copies into a
 * pipeline of its own:
 *
 *   appsrc (VP8) ──┐
 *                  ├ splitmuxsink (webmmux, filesink) → DIR/ROOM/TIME-NNNN.webm
 *   appsrc (Opus) ─┘
 *
 * A segment ends at the first keyframe after `[recordings] segment_seconds`
 * (splitmuxsink asks for one, and the recorder passes the request on to the
 * room's encoder at the time it is due). Pausing ends the recording
 * pipeline (its last segment is finished: a gap, never frozen video);
 * resuming starts a new one. Segments are written as they go, so after a
 * kill -9 every finished one plays and the last plays up to where it
 * stopped.
 *
 * A write error (the disk full) or less than `[recordings] min_free_mb`
 * free removes the recording pipeline — the meeting goes on — and leaves the
 * state FAILED with its reason, counted in the bridge's metrics.
 *
 * Threads: the state machine runs on the main thread; the taps run on the
 * encoder's and the mixer's threads. BridgeRecord.lock protects the current
 * pipeline's sources and the counters they bump. */
#pragma once

#include "bridge-audio.h"
#include "bridge-config.h"
#include "bridge-video.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BRIDGE_RECORD_STATE_OFF,
  BRIDGE_RECORD_STATE_RECORDING,
  BRIDGE_RECORD_STATE_PAUSED,
  BRIDGE_RECORD_STATE_FAILED,
} BridgeRecordState;

const gchar *bridge_record_state_to_string (BridgeRecordState state);

typedef struct _BridgeRecord BridgeRecord;

/* main thread: the state changed by itself (failed); the room tells its
 * participants. */
typedef void (*BridgeRecordChangedFunc) (gpointer user_data);

/* main thread. @video and @audio must outlive the recorder's taps: the
 * room frees the recorder after stopping it (bridge_record_stop). */
BridgeRecord *bridge_record_new (const BridgeSettings *settings, const gchar *room_id,
                                 BridgeVideo *video, BridgeAudio *audio,
                                 BridgeRecordChangedFunc on_changed, gpointer user_data);
void bridge_record_free (BridgeRecord *record); /* stops it first */

/* main thread. Start: OFF or FAILED → RECORDING; a room id that cannot
 * name a folder is BRIDGE_ERROR_INVALID; a folder that cannot be made
 * leaves the recording FAILED with its reason (TRUE: the meeting goes on).
 * Already recording or paused is a no-op. Stop: → OFF, the last segment
 * finished. */
gboolean bridge_record_start (BridgeRecord *record, GError **error);
void bridge_record_stop (BridgeRecord *record);

/* main thread: RECORDING → PAUSED and back (a resume that cannot write
 * leaves it FAILED); otherwise BRIDGE_ERROR_NOT_RECORDING. */
gboolean bridge_record_pause (BridgeRecord *record, GError **error);
gboolean bridge_record_resume (BridgeRecord *record, GError **error);

BridgeRecordState bridge_record_get_state (BridgeRecord *record);

/* main thread, every second: stops the recording (FAILED, "disk_full")
 * when the recordings' file system has less than min_free_mb free. */
void bridge_record_check_disk (BridgeRecord *record);

/* main thread: {"state", "error", "started_at", "segments", "bytes"} */
void bridge_record_add_json (BridgeRecord *record, JsonBuilder *builder);

/* Process-wide figures for GET /metrics (any thread). */
typedef struct
{
  guint64 bytes_total;
  guint64 failures_disk_full;
  guint64 failures_write_error;
  guint64 segments_total;
} BridgeRecordTotals;

void bridge_record_get_totals (BridgeRecordTotals *totals);

/* any thread: is @path the segment a recording is writing now? */
gboolean bridge_record_is_writing (const gchar *path);

/* A room id that may name its recordings' folder: 1 to 64 of [A-Za-z0-9_-]. */
gboolean bridge_record_room_id_valid (const gchar *room_id);

G_END_DECLS
