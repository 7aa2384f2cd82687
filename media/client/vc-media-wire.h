/* vc-media-wire.h — what the two ends of a call agree on, on the wire:
 * the payload types, clock rates and caps of the VP8 video and Opus audio
 * streams that the bridge offers and the client answers (docs/protocol.md
 * §3), and how much a sender shrinks its video for the tile the bridge's
 * state message gives it (a clip by 2 or 4, a live source to the tile).
 *
 * Public: the bridge (media/bridge/) and the client (vc-client-peer*)
 * include it; nothing of the client's private headers is needed by the
 * bridge (tests/media/check-bridge-includes.sh). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RTP payload types of the bridge's offer. */
#define VC_MEDIA_VP8_PT 96
#define VC_MEDIA_OPUS_PT 111

/* RTP clock rates (RFC 7741, RFC 7587). */
#define VC_MEDIA_VP8_CLOCK_RATE 90000
#define VC_MEDIA_OPUS_CLOCK_RATE 48000

/* The RTP caps of each stream, as webrtcbin's senders are given them (the
 * bridge appends its feedback and FEC fields). */
#define VC_MEDIA_VP8_RTP_CAPS                                                                      \
  "application/x-rtp,media=video,encoding-name=VP8,clock-rate=" G_STRINGIFY (                      \
      VC_MEDIA_VP8_CLOCK_RATE) ",payload=" G_STRINGIFY (VC_MEDIA_VP8_PT)
#define VC_MEDIA_OPUS_RTP_CAPS                                                                     \
  "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=" G_STRINGIFY (                     \
      VC_MEDIA_OPUS_CLOCK_RATE) ",payload=" G_STRINGIFY (VC_MEDIA_OPUS_PT)

/* The caps of a mono Opus stream as the bridge and the clips carry it. */
#define VC_MEDIA_OPUS_CAPS "audio/x-opus,channel-mapping-family=0,channels=1,rate=48000"

/* How much a sender of @width × @height shrinks its video for a tile of
 * @tile_width × @tile_height in the bridge's composite: the largest divisor
 * of 1, 2 and 4 that still covers the tile (width / k >= tile_width and
 * height / k >= tile_height); 1 when the tile is not known (0). */
guint vc_media_video_divisor (guint width, guint height, guint tile_width, guint tile_height);

/* The size a sender that can scale (a live source before its encoder) sends
 * for a tile of @tile_width × @tile_height: its @width × @height picture
 * scaled down to fit inside the tile, keeping its aspect, even sides of at
 * least 16; never larger than the picture; the picture itself when the tile
 * is not known (0). */
void vc_media_video_fit (guint width, guint height, guint tile_width, guint tile_height,
                         guint *out_width, guint *out_height);

G_END_DECLS
