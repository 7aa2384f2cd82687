/* vc-media-wire.c — the sender's video divisor for a tile size. */
#include "vc-media-wire.h"

guint
vc_media_video_divisor (guint width, guint height, guint tile_width, guint tile_height)
{
  for (guint k = 4; k > 1 && tile_width > 0 && tile_height > 0; k /= 2)
    if (width / k >= tile_width && height / k >= tile_height)
      return k;
  return 1;
}
