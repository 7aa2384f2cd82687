/* bridge-video.h — a room's composited picture, encoded once.
 *
 * Pipeline (one per room, runs on the system clock):
 *
 *   videotestsrc pattern=black is-live ───────────┐
 *   appsrc tile-A ! vp8dec ! videoscale !          │
 *     overlaycomposition (its name) ! queue ───────┤ compositor ! vp8enc ! appsink
 *   appsrc tile-B ! ... ───────────────────────────┘
 *
 * The black live source keeps 15 fps flowing with zero or one participant.
 * Tiles exist only for the participants the layout shows, so hidden ones are
 * never decoded. The encoder's appsink thread pushes the encoded frames into
 * every listener's vout push pad (vc_media_push_pad_new); a listener that
 * just joined is held until the next keyframe.
 *
 * Threads: tiles are added/moved/removed on the main thread; encoded input is
 * pushed from peers' streaming threads; the encoder's appsink thread
 * distributes. BridgeVideo.lock protects the tile and output tables and the
 * keyframe limiter.
 *
 * A tile's name is drawn with Pango on the main thread only, when the tile is
 * created, renamed or resized (bridge-label.h); its overlaycomposition only
 * blends that picture on the tile's streaming thread. */
#pragma once

#include "bridge-config.h"
#include "bridge-layout.h"

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _BridgeVideo BridgeVideo;

BridgeVideo *bridge_video_new (const BridgeSettings *settings, const gchar *room_id,
                               GError **error);
void bridge_video_free (BridgeVideo *video);

/* main thread: @output is where the encoder's thread pushes the listener's
 * composite (vc_media_push_pad_new, video/x-vp8), stamped in the running
 * time of @pipeline; both referenced. A new output waits for a keyframe,
 * and one is requested. */
void bridge_video_add_output (BridgeVideo *video, const gchar *endpoint, GstPad *output,
                              GstElement *pipeline);
void bridge_video_remove_output (BridgeVideo *video, const gchar *endpoint);

/* any thread: asks the encoder for a keyframe, at most once per
 * `[video] keyframe_min_interval_ms` (requests in between are merged into
 * one at the end of the interval). */
void bridge_video_request_keyframe (BridgeVideo *video);

typedef struct
{
  const gchar *endpoint;
  const gchar *name; /* shown on the tile */
  BridgeTile tile;
} BridgeVideoTile;

/* main thread: the tiles to show from now on. Tiles of endpoints not listed
 * are removed; new ones are created and wait for a keyframe. Names are drawn
 * here, for new, renamed and resized tiles. */
void bridge_video_set_tiles (BridgeVideo *video, const BridgeVideoTile *tiles, guint n);

/* any thread: whether the layout shows @endpoint (it has a tile). Video from
 * a participant that is not shown is dropped on arrival, before decryption. */
gboolean bridge_video_is_shown (BridgeVideo *video, const gchar *endpoint);

/* streaming thread: one encoded VP8 frame from @endpoint. Returns TRUE when
 * the caller should ask that sender for a keyframe (tile waiting for one). */
gboolean bridge_video_push_frame (BridgeVideo *video, const gchar *endpoint, GstBuffer *frame);

/* The encoder's thread: every encoded frame of the composite, before it is
 * sent (@frame is the encoder's; the tap copies what it keeps). */
typedef void (*BridgeVideoTap) (GstBuffer *frame, gboolean keyframe, gpointer user_data);

/* main thread: @tap (NULL: none) sees every encoded frame from now on; a
 * tap removed is not called any more once this returns. */
void bridge_video_set_tap (BridgeVideo *video, BridgeVideoTap tap, gpointer user_data);

/* main thread: shows or hides the recording mark (a red dot and "REC" at
 * the top-right of the composite). */
void bridge_video_set_recording (BridgeVideo *video, gboolean shown);

typedef struct
{
  guint64 frames_encoded;
  guint64 keyframes_requested; /* honoured requests (rate-limited) */
  guint tiles;
} BridgeVideoStats;

void bridge_video_get_stats (BridgeVideo *video, BridgeVideoStats *stats);

/* any thread: frames of @endpoint handed to its tile's decoder, or -1 when
 * the layout does not show @endpoint. */
gint64 bridge_video_get_tile_frames (BridgeVideo *video, const gchar *endpoint);

/* any thread: the size of the pictures @endpoint's tile decodes (what the
 * participant sends, before the tile scales it); FALSE and 0 × 0 when it is
 * not shown or nothing was decoded yet. */
gboolean bridge_video_get_tile_input (BridgeVideo *video, const gchar *endpoint, guint *width,
                                      guint *height);

G_END_DECLS
