/* bridge-layout.h — where each tile goes in the composited picture.
 *
 * Pure geometry: given the layout kind, the participants that send video (in
 * roster order), the active speaker and the chair, it returns the tiles to
 * show. Participants without a tile are not decoded at all. */
#pragma once

#include "bridge-config.h"

G_BEGIN_DECLS

typedef struct
{
  guint participant; /* index into the list given to bridge_layout_compute() */
  gint x, y;
  guint width, height; /* even, 16:9 inside its cell */
} BridgeTile;

/* @n participants; @speaker and @chair are indices or -1. Writes at most
 * @max_tiles tiles into @tiles (caller allocates @max_tiles) and returns how
 * many. The first tile is the large one in speaker/chair layouts. */
guint bridge_layout_compute (BridgeLayoutKind kind, guint n, gint speaker, gint chair,
                             guint max_tiles, guint width, guint height, BridgeTile *tiles);

G_END_DECLS
