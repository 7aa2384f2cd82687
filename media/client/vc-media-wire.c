/* vc-media-wire.c — the sender's video size for a tile size. */
#include "vc-media-wire.h"

guint
vc_media_video_divisor (guint width, guint height, guint tile_width, guint tile_height)
{
  for (guint k = 4; k > 1 && tile_width > 0 && tile_height > 0; k /= 2)
    if (width / k >= tile_width && height / k >= tile_height)
      return k;
  return 1;
}

void
vc_media_video_fit (guint width, guint height, guint tile_width, guint tile_height,
                    guint *out_width, guint *out_height)
{
  guint64 w = width, h = height;

  if (tile_width > 0 && tile_height > 0 && width > 0 && height > 0
      && (width > tile_width || height > tile_height))
    {
      /* the side that limits decides; the other follows the aspect */
      if ((guint64)tile_width * height <= (guint64)tile_height * width)
        {
          w = tile_width;
          h = (guint64)height * tile_width / width;
        }
      else
        {
          h = tile_height;
          w = (guint64)width * tile_height / height;
        }
    }
  *out_width = MAX ((guint)w & ~1u, 16u);
  *out_height = MAX ((guint)h & ~1u, 16u);
}
