/* bridge-layout.c — grid, speaker and chair layouts. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-layout.h"

#include <math.h>

#define STRIP_MAX 6 /* small tiles under the large ones */

/* Fits a 16:9 tile inside the cell (x, y, w, h), centred, even sizes. */
static void
tile_fit (BridgeTile *t, guint participant, gint x, gint y, guint w, guint h)
{
  guint tw = w, th = w * 9 / 16;

  if (th > h)
    {
      th = h;
      tw = h * 16 / 9;
    }
  tw &= ~1u;
  th &= ~1u;
  t->participant = participant;
  t->width = MAX (tw, 2);
  t->height = MAX (th, 2);
  t->x = (x + (gint)(w - t->width) / 2) & ~1;
  t->y = (y + (gint)(h - t->height) / 2) & ~1;
}

static guint
layout_grid (guint n, gint speaker, guint max_tiles, guint W, guint H, BridgeTile *tiles)
{
  guint shown = MIN (n, max_tiles), cols, rows;

  if (shown == 0)
    return 0;
  cols = (guint)ceil (sqrt ((gdouble)shown));
  rows = (shown + cols - 1) / cols;
  for (guint i = 0; i < shown; i++)
    {
      guint who = i;
      /* keep the active speaker on screen when the grid is full */
      if (i == shown - 1 && speaker >= (gint)shown)
        who = (guint)speaker;
      tile_fit (&tiles[i], who, (gint)((i % cols) * W / cols), (gint)((i / cols) * H / rows),
                W / cols, H / rows);
    }
  return shown;
}

/* Small tiles in a strip of height @h at @y for everyone not in @skip. */
static guint
layout_strip (guint n, gint skip_a, gint skip_b, guint limit, gint y, guint W, guint h,
              BridgeTile *tiles)
{
  guint count = 0, cells;

  for (guint i = 0; i < n; i++)
    if ((gint)i != skip_a && (gint)i != skip_b)
      count++;
  count = MIN (count, limit);
  if (count == 0)
    return 0;
  cells = MAX (count, 4);
  for (guint i = 0, k = 0; i < n && k < count; i++)
    {
      if ((gint)i == skip_a || (gint)i == skip_b)
        continue;
      tile_fit (&tiles[k], i, (gint)(k * W / cells + (cells - count) * W / cells / 2), y, W / cells,
                h);
      k++;
    }
  return count;
}

guint
bridge_layout_compute (BridgeLayoutKind kind, guint n, gint speaker, gint chair, guint max_tiles,
                       guint W, guint H, BridgeTile *tiles)
{
  guint big_h = H * 3 / 4, large = 0;
  gint first, second = -1;

  if (n == 0 || max_tiles == 0)
    return 0;
  if (speaker >= (gint)n)
    speaker = -1;
  if (chair >= (gint)n)
    chair = -1;
  if (kind == BRIDGE_LAYOUT_GRID || n == 1)
    return layout_grid (n, speaker, max_tiles, W, H, tiles);
  if (kind == BRIDGE_LAYOUT_SPEAKER)
    first = speaker >= 0 ? speaker : (chair >= 0 ? chair : 0);
  else
    {
      first = chair >= 0 ? chair : (speaker >= 0 ? speaker : 0);
      second = speaker >= 0 && speaker != first ? speaker : -1;
    }
  if (second < 0)
    tile_fit (&tiles[large++], (guint)first, 0, 0, W, big_h);
  else
    {
      tile_fit (&tiles[large++], (guint)first, 0, 0, W / 2, big_h);
      tile_fit (&tiles[large++], (guint)second, (gint)(W / 2), 0, W / 2, big_h);
    }
  if (max_tiles <= large)
    return max_tiles;
  return large
         + layout_strip (n, first, second, MIN (STRIP_MAX, max_tiles - large), (gint)big_h, W,
                         H - big_h, tiles + large);
}
