/* sched-stats-successor.c — the successor grouping of the statistics
 * (units=successor, issue #16), and whether the roster changed between two
 * windows.
 *
 * The sums are computed as for the historic grouping (per unit, room or
 * level, from the rollup and the raw tables); their keys are then folded
 * into the successors as the roster stands at the end of the window: a
 * unit dissolved, merged or split before that end is replaced by its
 * successor (the first one of a split), following the chain of later
 * reorganisations; so is a closed room. Each meeting has one unit, so the
 * unit grouping and the totals are exact. A room level maps to the level
 * its rooms' successors have at that end when all of them agree (every
 * district room became a commune room), and stays itself otherwise; a
 * meeting whose rooms fold into one successor (two district rooms that
 * became one commune room) counts once per historic room or level there
 * (docs/api-reports.md says so). Folding costs a hash lookup per group
 * row: the successor grouping is as fast as the historic one
 * (docs/benchmarks.md). */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"

/* Chains longer than this are a loop in the data (reorganisations refuse
 * cycles; this only bounds the walk). */
#define SUCCESSOR_MAX_STEPS 64

typedef struct
{
  gint64 valid_to; /* 0: still valid */
  gchar *successor;
  gchar *level; /* rooms: the level at the window's end */
} SuccessorLink;

struct _SchedStatsSuccessors
{
  GHashTable *unit_links; /* code -> SuccessorLink* */
  GHashTable *room_links;
  GHashTable *units;  /* code -> final code (only those that change) */
  GHashTable *rooms;  /* code -> final code */
  GHashTable *levels; /* level -> level */
};

static void
successor_link_free (SuccessorLink *link)
{
  g_free (link->successor);
  g_free (link->level);
  g_free (link);
}

void
sched_stats_successors_free (SchedStatsSuccessors *s)
{
  if (s == NULL)
    return;
  g_clear_pointer (&s->unit_links, g_hash_table_unref);
  g_clear_pointer (&s->room_links, g_hash_table_unref);
  g_clear_pointer (&s->units, g_hash_table_unref);
  g_clear_pointer (&s->rooms, g_hash_table_unref);
  g_clear_pointer (&s->levels, g_hash_table_unref);
  g_free (s);
}

/* clang-format off */
static const gchar sql_unit_links[] =
  "SELECT code, valid_to, successor, NULL FROM units";
/* A room's level at ?1: the old value of its first level change after ?1,
 * or its level today. */
static const gchar sql_room_links[] =
  "SELECT e.code, e.valid_to, e.successor, coalesce((SELECT h.old_value FROM roster_changes h"
  "  WHERE h.kind = 'endpoint' AND h.code = e.code AND h.change = 'level' AND h.at > ?1"
  "  ORDER BY h.at LIMIT 1), e.level) FROM endpoints e";
/* Every level each room has had. */
static const gchar sql_room_levels[] =
  "SELECT code, level FROM endpoints UNION"
  " SELECT code, old_value FROM roster_changes WHERE kind = 'endpoint' AND change = 'level'";
/* clang-format on */

static gboolean
successors_read_links (SchedDb *db, const gchar *sql, gint64 at, GHashTable *links, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, at);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SuccessorLink *link = g_new0 (SuccessorLink, 1);

      link->valid_to = sqlite3_column_int64 (stmt, 1);
      link->successor = g_strdup (sched_db_column_text (stmt, 2));
      link->level = g_strdup (sched_db_column_text (stmt, 3));
      g_hash_table_insert (links, g_strdup (sched_db_column_text (stmt, 0)), link);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading successors");
      return FALSE;
    }
  return TRUE;
}

/* What @code stands for at @at: its successor if its period ended by
 * then, and so on. */
static const gchar *
successors_resolve (GHashTable *links, const gchar *code, gint64 at)
{
  const gchar *current = code;

  for (gint step = 0; step < SUCCESSOR_MAX_STEPS; step++)
    {
      const SuccessorLink *link = g_hash_table_lookup (links, current);
      if (link == NULL || link->valid_to == 0 || link->valid_to > at || link->successor == NULL)
        return current;
      current = link->successor;
    }
  return current;
}

static void
successors_resolve_all (GHashTable *links, GHashTable *out, gint64 at)
{
  GHashTableIter iter;
  gpointer code;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &code, NULL))
    {
      const gchar *final = successors_resolve (links, code, at);
      if (g_strcmp0 (final, code) != 0)
        g_hash_table_insert (out, code, (gpointer) final);
    }
}

/* level -> the level at @at of its rooms' successors, when they agree. */
static gboolean
successors_map_levels (SchedDb *db, SchedStatsSuccessors *s, gint64 at, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql_room_levels, error);
  g_autoptr (GHashTable) votes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const gchar *code = sched_db_column_text (stmt, 0);
      const gchar *level = sched_db_column_text (stmt, 1);
      const gchar *final = successors_resolve (s->room_links, code, at);
      const SuccessorLink *link = g_hash_table_lookup (s->room_links, final);
      const gchar *target = link && link->level ? link->level : level;
      const gchar *seen;

      if (level == NULL)
        continue;
      seen = g_hash_table_lookup (votes, level);
      if (seen == NULL)
        g_hash_table_insert (votes, g_strdup (level), g_strdup (target));
      else if (g_strcmp0 (seen, target) != 0)
        g_hash_table_insert (votes, g_strdup (level), g_strdup (level)); /* no agreement */
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading room levels");
      return FALSE;
    }
  s->levels = g_steal_pointer (&votes);
  return TRUE;
}

SchedStatsSuccessors *
sched_stats_successors_load (SchedDb *db, gint64 at, GError **error)
{
  g_autoptr (SchedStatsSuccessors) s = g_new0 (SchedStatsSuccessors, 1);

  s->unit_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)successor_link_free);
  s->room_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)successor_link_free);
  s->units = g_hash_table_new (g_str_hash, g_str_equal);
  s->rooms = g_hash_table_new (g_str_hash, g_str_equal);
  if (!successors_read_links (db, sql_unit_links, at, s->unit_links, error)
      || !successors_read_links (db, sql_room_links, at, s->room_links, error))
    return NULL;
  successors_resolve_all (s->unit_links, s->units, at);
  successors_resolve_all (s->room_links, s->rooms, at);
  if (!successors_map_levels (db, s, at, error))
    return NULL;
  return g_steal_pointer (&s);
}

const gchar *
sched_stats_successors_map (const SchedStatsSuccessors *s, SchedStatsGroup group, const gchar *key)
{
  GHashTable *map = group == SCHED_STATS_GROUP_UNIT       ? s->units
                    : group == SCHED_STATS_GROUP_ENDPOINT ? s->rooms
                    : group == SCHED_STATS_GROUP_LEVEL    ? s->levels
                                                          : NULL;
  const gchar *mapped = map ? g_hash_table_lookup (map, key) : NULL;

  return mapped ? mapped : key;
}

gboolean
sched_stats_roster_changed (SchedDb *db, gint64 after, gint64 before, gint64 *at, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db,
                                         "SELECT coalesce(min(t), 0) FROM ("
                                         " SELECT valid_from AS t FROM units UNION ALL"
                                         " SELECT valid_to FROM units UNION ALL"
                                         " SELECT valid_from FROM endpoints UNION ALL"
                                         " SELECT valid_to FROM endpoints UNION ALL"
                                         " SELECT at FROM roster_changes) WHERE t > ?1 AND t < ?2",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, before);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading roster changes");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}
