/* sched-stats-rollup.c — a per-local-day rollup of the statistics, filled
 * from the meetings.
 *
 * stats_rollup(dim, day, key, booked, cancelled, displaced, held,
 *              planned_seconds, actual_seconds, present, invited)
 *   dim 'unit'     key = meetings.unit     (every meeting once)
 *   dim 'endpoint' key = endpoint code     (once per member room)
 *   dim 'level'    key = a room's level    (once per distinct level of the
 *                                           member rooms, each room's level
 *                                           as it was at the meeting's start)
 *   day = (start_at + offset_seconds) / 86400: the local day of the start,
 *   for the fixed UTC offset in stats_rollup_meta (Asia/Ho_Chi_Minh: +7 h).
 *
 * The tables and their triggers belong to the schema (v4, sched-db.c). The
 * triggers only mark the local day of every changed meeting or room row in
 * stats_rollup_dirty, whichever program writes; this file recomputes the
 * sums of the dirty days from the meetings, with the very SQL fragments the
 * raw queries use (sched-stats-sql.h), before a statistics query reads the
 * rollup (sched_stats_rollup_refresh), and builds the whole rollup when it
 * was built for another UTC offset or definitions, or never
 * (sched_stats_rollup_ensure, at every start). */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"
#include "sched-stats-sql.h"
#include "sched-error.h"

/* Bump when the definitions change: the next start rebuilds the table. */
#define STATS_ROLLUP_VERSION 3

/* clang-format off */
#define MEMBER_OF(m) STATS_SQL_IS_MEMBER ("me", m)
#define INSERT_ROLLUP "INSERT INTO stats_rollup (" STATS_SQL_ROLLUP_COLUMNS ") "

/* The meetings m that start on a dirty local day (an index range on
 * meetings_by_start per dirty day). */
#define DIRTY_MEETINGS                                                                 \
  " FROM stats_rollup_dirty d JOIN stats_rollup_meta r ON r.id = 1"                    \
  " JOIN meetings m ON m.start_at >= d.day * 86400 - r.offset_seconds"                 \
  " AND m.start_at < (d.day + 1) * 86400 - r.offset_seconds"

/* The sums of the dirty days, per dim, replace what the rollup held. */
static const gchar rollup_refresh[] =
  "DELETE FROM stats_rollup WHERE dim IN ('unit', 'endpoint', 'level')"
  " AND day IN (SELECT day FROM stats_rollup_dirty);"
  INSERT_ROLLUP
  "SELECT 'unit', " STATS_SQL_DAY ("m") ", m.unit, " STATS_SQL_SUMS ("m")
  DIRTY_MEETINGS " GROUP BY 2, 3;"
  INSERT_ROLLUP
  "SELECT 'endpoint', " STATS_SQL_DAY ("m") ", me.endpoint, " STATS_SQL_SUMS ("m")
  DIRTY_MEETINGS " JOIN meeting_endpoints me ON me.meeting_id = m.id"
  " WHERE " MEMBER_OF ("m") " GROUP BY 2, 3;"
  INSERT_ROLLUP
  "SELECT 'level', " STATS_SQL_DAY ("m") ", l.level, " STATS_SQL_SUMS ("m")
  " FROM (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at") " AS level"
  DIRTY_MEETINGS
  "       JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "       JOIN endpoints e ON e.code = me.endpoint"
  "       WHERE " MEMBER_OF ("m") ") l"
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3;"
  "DELETE FROM stats_rollup_dirty;";

/* Everything from scratch. */
static const gchar rollup_rebuild[] =
  "DELETE FROM stats_rollup;"
  "DELETE FROM stats_rollup_dirty;"
  INSERT_ROLLUP
  "SELECT 'unit', " STATS_SQL_DAY ("m") ", m.unit, " STATS_SQL_SUMS ("m")
  " FROM meetings m GROUP BY 2, 3;"
  INSERT_ROLLUP
  "SELECT 'endpoint', " STATS_SQL_DAY ("m") ", me.endpoint, " STATS_SQL_SUMS ("m")
  " FROM meetings m JOIN meeting_endpoints me ON me.meeting_id = m.id"
  " WHERE " MEMBER_OF ("m") " GROUP BY 2, 3;"
  INSERT_ROLLUP
  "SELECT 'level', " STATS_SQL_DAY ("m") ", l.level, " STATS_SQL_SUMS ("m")
  " FROM (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at") " AS level"
  "       FROM meetings m"
  "       JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "       JOIN endpoints e ON e.code = me.endpoint"
  "       WHERE " MEMBER_OF ("m") ") l"
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3;";
/* clang-format on */

gboolean
sched_stats_rollup_offset (SchedDb *db, gint *out_offset, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = sched_db_prepare (db,
                           "SELECT offset_seconds FROM stats_rollup_meta"
                           " WHERE id = 1 AND version = " G_STRINGIFY (STATS_ROLLUP_VERSION),
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_offset = sqlite3_column_int (stmt, 0);
      found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    sched_db_set_error (db, error, "reading the rollup offset");
  sqlite3_reset (stmt);
  return found;
}

gboolean
sched_stats_rollup_rebuild (SchedDb *db, GError **error)
{
  return sched_db_exec (db, rollup_rebuild, error);
}

gboolean
sched_stats_rollup_refresh (SchedDb *db, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, "SELECT 1 FROM stats_rollup_dirty LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE; /* the usual case: nothing changed since the last query */
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "looking for changed days");
      return FALSE;
    }
  /* A savepoint: a transaction of its own, or part of the caller's. */
  if (!sched_db_run (db, "SAVEPOINT stats_rollup_refresh", error))
    return FALSE;
  if (!sched_db_exec (db, rollup_refresh, error))
    {
      sched_db_run (db, "ROLLBACK TO stats_rollup_refresh", NULL);
      sched_db_run (db, "RELEASE stats_rollup_refresh", NULL);
      return FALSE;
    }
  return sched_db_run (db, "RELEASE stats_rollup_refresh", error);
}

gboolean
sched_stats_rollup_ensure (SchedDb *db, GTimeZone *tz, GError **error)
{
  g_autoptr (GError) local = NULL;
  gint offset = 0, wanted;
  gboolean current;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL && tz != NULL, FALSE);

  /* Local days are cut at the zone's present offset; windows of another
   * offset (a zone with daylight saving) fall back to the raw queries. */
  wanted = g_time_zone_get_offset (
      tz,
      g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, g_get_real_time () / G_USEC_PER_SEC));
  current = sched_stats_rollup_offset (db, &offset, &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (current && offset == wanted)
    return TRUE;

  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if (!sched_db_exec (db, "DELETE FROM stats_rollup_meta", error))
    goto fail;
  stmt = sched_db_prepare (db,
                           "INSERT INTO stats_rollup_meta (id, offset_seconds, version)"
                           " VALUES (1, ?1, " G_STRINGIFY (STATS_ROLLUP_VERSION) ")",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, wanted);
  if (!sched_db_step_done (db, stmt, error) || !sched_stats_rollup_rebuild (db, error))
    goto fail;
  g_info ("statistics rollup built for UTC offset %+d s", wanted);
  return sched_db_commit (db, error);

fail:
  sched_db_rollback (db);
  return FALSE;
}
