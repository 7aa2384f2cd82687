/* bridge-tile-pick.c — which participants the grid shows (N > tiles). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-tile-pick.h"

#include <string.h>

typedef struct
{
  gchar *endpoint;
  gint64 since_us; /* shown in this slot since */
} Slot;

struct _BridgeTilePick
{
  gint64 hold_us;
  GArray *slots;        /* Slot, in grid order */
  GHashTable *spoke_us; /* endpoint -> gint64 * last time it spoke */
};

static void
slot_clear (gpointer data)
{
  g_free (((Slot *)data)->endpoint);
}

BridgeTilePick *
bridge_tile_pick_new (guint hold_ms)
{
  BridgeTilePick *pick = g_new0 (BridgeTilePick, 1);

  pick->hold_us = (gint64)hold_ms * G_TIME_SPAN_MILLISECOND;
  pick->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (pick->slots, slot_clear);
  pick->spoke_us = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return pick;
}

void
bridge_tile_pick_free (BridgeTilePick *pick)
{
  if (pick == NULL)
    return;
  g_array_unref (pick->slots);
  g_hash_table_unref (pick->spoke_us);
  g_free (pick);
}

void
bridge_tile_pick_spoke (BridgeTilePick *pick, const gchar *endpoint, gint64 now_us)
{
  if (endpoint != NULL)
    g_hash_table_insert (pick->spoke_us, g_strdup (endpoint), g_memdup2 (&now_us, sizeof now_us));
}

static gint64
last_spoke (BridgeTilePick *pick, const gchar *endpoint)
{
  const gint64 *t = g_hash_table_lookup (pick->spoke_us, endpoint);

  return t != NULL ? *t : G_MININT64;
}

static gint
candidate_index (const gchar *const *candidates, guint n, const gchar *endpoint)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (candidates[i], endpoint) == 0)
      return (gint)i;
  return -1;
}

static gint
slot_index (BridgeTilePick *pick, const gchar *endpoint)
{
  for (guint i = 0; i < pick->slots->len; i++)
    if (g_strcmp0 (g_array_index (pick->slots, Slot, i).endpoint, endpoint) == 0)
      return (gint)i;
  return -1;
}

static void
slot_add (BridgeTilePick *pick, const gchar *endpoint, gint64 now_us)
{
  Slot s = { g_strdup (endpoint), now_us };

  g_array_append_val (pick->slots, s);
}

/* The slot a must endpoint may take: the least recently speaking shown
 * participant that is not a must and has been shown for the hold time; -1
 * and *@wait_until_us when none is free yet. */
static gint
victim (BridgeTilePick *pick, const gchar *must_a, const gchar *must_b, gint64 now_us,
        gint64 *wait_until_us)
{
  gint best = -1;
  gint64 best_spoke = G_MAXINT64;

  *wait_until_us = G_MAXINT64;
  for (guint i = 0; i < pick->slots->len; i++)
    {
      Slot *s = &g_array_index (pick->slots, Slot, i);
      gint64 spoke;
      if (g_strcmp0 (s->endpoint, must_a) == 0 || g_strcmp0 (s->endpoint, must_b) == 0)
        continue;
      if (now_us - s->since_us < pick->hold_us)
        {
          *wait_until_us = MIN (*wait_until_us, s->since_us + pick->hold_us);
          continue;
        }
      spoke = last_spoke (pick, s->endpoint);
      if (spoke < best_spoke)
        {
          best_spoke = spoke;
          best = (gint)i;
        }
    }
  return best;
}

guint
bridge_tile_pick_choose (BridgeTilePick *pick, const gchar *const *candidates, guint n,
                         const gchar *must_a, const gchar *must_b, guint max, gint64 now_us,
                         guint *out, gint64 *retry_at_us)
{
  const gchar *musts[2] = { must_a, must_b };
  guint count = 0;

  if (retry_at_us != NULL)
    *retry_at_us = 0;
  /* who left (or is no longer a candidate) frees a slot */
  for (guint i = pick->slots->len; i-- > 0;)
    if (candidate_index (candidates, n, g_array_index (pick->slots, Slot, i).endpoint) < 0)
      g_array_remove_index (pick->slots, i);
  if (n <= max)
    {
      /* everybody fits: roster order, and remembered as the slots */
      for (guint i = 0; i < n; i++)
        if (slot_index (pick, candidates[i]) < 0)
          slot_add (pick, candidates[i], now_us);
      for (guint i = 0; i < n; i++)
        out[i] = i;
      return n;
    }
  while (pick->slots->len > max) /* max lowered: keep the first */
    g_array_remove_index (pick->slots, pick->slots->len - 1);
  for (guint m = 0; m < G_N_ELEMENTS (musts); m++)
    {
      gint64 wait_until_us;
      gint v;
      if (musts[m] == NULL || candidate_index (candidates, n, musts[m]) < 0
          || slot_index (pick, musts[m]) >= 0)
        continue;
      if (pick->slots->len < max)
        {
          slot_add (pick, musts[m], now_us);
          continue;
        }
      v = victim (pick, must_a, must_b, now_us, &wait_until_us);
      if (v < 0)
        {
          if (retry_at_us != NULL && wait_until_us != G_MAXINT64
              && (*retry_at_us == 0 || wait_until_us < *retry_at_us))
            *retry_at_us = wait_until_us;
          continue;
        }
      g_free (g_array_index (pick->slots, Slot, v).endpoint);
      g_array_index (pick->slots, Slot, v).endpoint = g_strdup (musts[m]);
      g_array_index (pick->slots, Slot, v).since_us = now_us;
    }
  /* free slots go to the others in roster order */
  for (guint i = 0; i < n && pick->slots->len < max; i++)
    if (slot_index (pick, candidates[i]) < 0)
      slot_add (pick, candidates[i], now_us);
  for (guint i = 0; i < pick->slots->len; i++)
    out[count++]
        = (guint)candidate_index (candidates, n, g_array_index (pick->slots, Slot, i).endpoint);
  return count;
}
