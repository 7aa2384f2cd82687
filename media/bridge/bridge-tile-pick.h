/* bridge-tile-pick.h — who gets one of the grid's tiles when the room has
 * more participants than tiles.
 *
 * Pure bookkeeping, main thread, time given by the caller. The shown set is
 * kept as slots (a tile's place in the grid) so that a change moves one
 * tile, not all of them. The active speaker and the floor holder (the
 * "must" endpoints) are always shown: when one is not, it takes a free slot
 * or the slot of the shown participant who spoke least recently, but never
 * one shown for less than the hold time (so tiles do not flap when the
 * speaker moves around the room); if every other slot is that recent, the
 * caller is told when to ask again. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BridgeTilePick BridgeTilePick;

BridgeTilePick *bridge_tile_pick_new (guint hold_ms);
void bridge_tile_pick_free (BridgeTilePick *pick);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgeTilePick, bridge_tile_pick_free)

/* @endpoint spoke (became or stopped being the active speaker) at @now_us. */
void bridge_tile_pick_spoke (BridgeTilePick *pick, const gchar *endpoint, gint64 now_us);

/* @candidates (@n endpoints, roster order) can be shown; @must_a and
 * @must_b (or NULL) must be, in that order of priority. Writes at most
 * @max indices into @candidates to @out, in slot order (all @n in roster
 * order when @n <= @max), and returns how many. *@retry_at_us (if not NULL)
 * is set to the monotonic time at which a must endpoint that had to wait for
 * the hold time can be shown, or 0. */
guint bridge_tile_pick_choose (BridgeTilePick *pick, const gchar *const *candidates, guint n,
                               const gchar *must_a, const gchar *must_b, guint max, gint64 now_us,
                               guint *out, gint64 *retry_at_us);

G_END_DECLS
