/* sched-stats-rollup.c — a per-local-day rollup of the statistics, kept by
 * triggers.
 *
 * stats_rollup(dim, day, key, booked, cancelled, displaced, held,
 *              planned_seconds, actual_seconds, present, invited)
 *   dim 'unit'     key = meetings.unit     (every meeting once)
 *   dim 'endpoint' key = endpoint code     (once per member room)
 *   dim 'level'    key = endpoints.level   (once per distinct level of the
 *                                           member rooms)
 *   day = (start_at + offset_seconds) / 86400: the local day of the start,
 *   for the fixed UTC offset in stats_rollup_meta (Asia/Ho_Chi_Minh: +7 h).
 *
 * The triggers subtract a row's old contribution and add its new one, with
 * the very SQL fragments the raw queries use (sched-stats-sql.h). They live
 * in the database, so every writer keeps the rollup current, whichever
 * program it is. Created by the reports part at start (CREATE … IF NOT
 * EXISTS), not by the schema migration of sched-db.c. Writers must change
 * meetings and meeting_endpoints with INSERT/UPDATE/DELETE or UPSERT; a
 * plain REPLACE skips the delete triggers (recursive_triggers is off). */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"
#include "sched-stats-sql.h"
#include "sched-error.h"

/* Bump when the triggers or the definitions change: the next start drops
 * and recreates the triggers and rebuilds the table. */
#define STATS_ROLLUP_VERSION 1

/* clang-format off */
#define MEMBER_OF(m) STATS_SQL_IS_MEMBER ("me", m)
#define INSERT_ROLLUP "INSERT INTO stats_rollup (" STATS_SQL_ROLLUP_COLUMNS ") "
#define UPSERT STATS_SQL_ROLLUP_UPSERT ";"

/* The contribution of meeting @m (OLD or NEW of a trigger on meetings) to
 * the 'unit' dim, with @sign. */
#define MEETING_UNIT(m, sign)                                                          \
  INSERT_ROLLUP                                                                        \
  "VALUES ('unit', " STATS_SQL_DAY (m) ", " m ".unit, " STATS_SQL_VALUES (m, sign) ")" \
  UPSERT

/* … and to the 'endpoint' and 'level' dims, through its member rooms. */
#define MEETING_ROOMS(m, sign)                                                         \
  INSERT_ROLLUP                                                                        \
  "SELECT 'endpoint', " STATS_SQL_DAY (m) ", me.endpoint, " STATS_SQL_VALUES (m, sign)  \
  " FROM meeting_endpoints me"                                                         \
  " WHERE me.meeting_id = " m ".id AND " MEMBER_OF (m)                                 \
  UPSERT                                                                               \
  INSERT_ROLLUP                                                                        \
  "SELECT 'level', " STATS_SQL_DAY (m) ", l.level, " STATS_SQL_VALUES (m, sign)         \
  " FROM (SELECT DISTINCT e.level AS level FROM meeting_endpoints me"                  \
  "       JOIN endpoints e ON e.code = me.endpoint"                                    \
  "       WHERE me.meeting_id = " m ".id AND " MEMBER_OF (m) ") l"                      \
  " WHERE 1"                                                                           \
  UPSERT

/* The contribution of one room row @me (OLD or NEW of a trigger on
 * meeting_endpoints) of its meeting m, with @sign. Its level counts only
 * when no other member room of the meeting has the same level; @self
 * excludes the trigger's own row from "other". */
#define ROOM_ROW(me, sign, self)                                                       \
  INSERT_ROLLUP                                                                        \
  "SELECT 'endpoint', " STATS_SQL_DAY ("m") ", " me ".endpoint, "                       \
  STATS_SQL_VALUES ("m", sign)                                                         \
  " FROM meetings m"                                                                   \
  " WHERE m.id = " me ".meeting_id AND " STATS_SQL_IS_MEMBER (me, "m")                  \
  UPSERT                                                                               \
  INSERT_ROLLUP                                                                        \
  "SELECT 'level', " STATS_SQL_DAY ("m") ", e.level, " STATS_SQL_VALUES ("m", sign)      \
  " FROM meetings m JOIN endpoints e ON e.code = " me ".endpoint"                       \
  " WHERE m.id = " me ".meeting_id AND " STATS_SQL_IS_MEMBER (me, "m")                  \
  " AND NOT EXISTS (SELECT 1 FROM meeting_endpoints o"                                 \
  "                 JOIN endpoints oe ON oe.code = o.endpoint"                         \
  "                 WHERE o.meeting_id = m.id AND oe.level = e.level"                  \
  "                 AND " STATS_SQL_IS_MEMBER ("o", "m") " AND " self ")"               \
  UPSERT

#define MEETING_CHANGED                                                                \
  "OLD.unit IS NOT NEW.unit OR OLD.start_at IS NOT NEW.start_at"                       \
  " OR OLD.end_at IS NOT NEW.end_at OR OLD.status IS NOT NEW.status"                   \
  " OR OLD.held IS NOT NEW.held OR OLD.actual_seconds IS NOT NEW.actual_seconds"       \
  " OR OLD.present_count IS NOT NEW.present_count"                                     \
  " OR OLD.invited_count IS NOT NEW.invited_count"

/* The 'level' dim from scratch (also run when a room changes level). */
#define LEVELS_FROM_SCRATCH                                                            \
  INSERT_ROLLUP                                                                        \
  "SELECT 'level', " STATS_SQL_DAY ("m") ", l.level, " STATS_SQL_SUMS ("m")             \
  " FROM (SELECT DISTINCT me.meeting_id AS id, e.level AS level FROM meetings m"       \
  "       JOIN meeting_endpoints me ON me.meeting_id = m.id"                           \
  "       JOIN endpoints e ON e.code = me.endpoint"                                    \
  "       WHERE " MEMBER_OF ("m") ") l"                                                 \
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3;"

static const gchar rollup_tables[] =
  "CREATE TABLE IF NOT EXISTS stats_rollup_meta ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  offset_seconds INTEGER NOT NULL,"
  "  version INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS stats_rollup ("
  "  dim TEXT NOT NULL,"
  "  day INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  booked INTEGER NOT NULL DEFAULT 0,"
  "  cancelled INTEGER NOT NULL DEFAULT 0,"
  "  displaced INTEGER NOT NULL DEFAULT 0,"
  "  held INTEGER NOT NULL DEFAULT 0,"
  "  planned_seconds INTEGER NOT NULL DEFAULT 0,"
  "  actual_seconds INTEGER NOT NULL DEFAULT 0,"
  "  present INTEGER NOT NULL DEFAULT 0,"
  "  invited INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (dim, day, key)) WITHOUT ROWID;";

static const gchar rollup_drop_triggers[] =
  "DROP TRIGGER IF EXISTS stats_rollup_meeting_insert;"
  "DROP TRIGGER IF EXISTS stats_rollup_meeting_update;"
  "DROP TRIGGER IF EXISTS stats_rollup_meeting_delete;"
  "DROP TRIGGER IF EXISTS stats_rollup_room_insert;"
  "DROP TRIGGER IF EXISTS stats_rollup_room_update;"
  "DROP TRIGGER IF EXISTS stats_rollup_room_delete;"
  "DROP TRIGGER IF EXISTS stats_rollup_endpoint_level;";

static const gchar rollup_triggers[] =
  "CREATE TRIGGER IF NOT EXISTS stats_rollup_meeting_insert"
  " AFTER INSERT ON meetings BEGIN "
  MEETING_UNIT ("NEW", "")
  MEETING_ROOMS ("NEW", "")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_meeting_update"
  " AFTER UPDATE OF unit, start_at, end_at, status, held, actual_seconds, present_count,"
  " invited_count ON meetings WHEN " MEETING_CHANGED " BEGIN "
  MEETING_UNIT ("OLD", "-")
  MEETING_UNIT ("NEW", "")
  MEETING_ROOMS ("OLD", "-")
  MEETING_ROOMS ("NEW", "")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_meeting_delete"
  " AFTER DELETE ON meetings BEGIN "
  MEETING_UNIT ("OLD", "-")
  MEETING_ROOMS ("OLD", "-")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_room_insert"
  " AFTER INSERT ON meeting_endpoints BEGIN "
  ROOM_ROW ("NEW", "", "o.endpoint IS NOT NEW.endpoint")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_room_delete"
  " AFTER DELETE ON meeting_endpoints BEGIN "
  ROOM_ROW ("OLD", "-", "o.endpoint IS NOT OLD.endpoint")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_room_update"
  " AFTER UPDATE OF meeting_id, endpoint, active ON meeting_endpoints"
  " WHEN OLD.meeting_id IS NOT NEW.meeting_id OR OLD.endpoint IS NOT NEW.endpoint"
  " OR OLD.active IS NOT NEW.active BEGIN "
  ROOM_ROW ("OLD", "-", "NOT (o.meeting_id = NEW.meeting_id AND o.endpoint = NEW.endpoint)")
  ROOM_ROW ("NEW", "", "NOT (o.meeting_id = NEW.meeting_id AND o.endpoint = NEW.endpoint)")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_endpoint_level"
  " AFTER UPDATE OF level ON endpoints WHEN OLD.level IS NOT NEW.level BEGIN "
  "DELETE FROM stats_rollup WHERE dim = 'level';"
  LEVELS_FROM_SCRATCH
  "END;";

static const gchar rollup_rebuild[] =
  "DELETE FROM stats_rollup;"
  INSERT_ROLLUP
  "SELECT 'unit', " STATS_SQL_DAY ("m") ", m.unit, " STATS_SQL_SUMS ("m")
  " FROM meetings m GROUP BY 2, 3;"
  INSERT_ROLLUP
  "SELECT 'endpoint', " STATS_SQL_DAY ("m") ", me.endpoint, " STATS_SQL_SUMS ("m")
  " FROM meetings m JOIN meeting_endpoints me ON me.meeting_id = m.id"
  " WHERE " MEMBER_OF ("m") " GROUP BY 2, 3;"
  LEVELS_FROM_SCRATCH;
/* clang-format on */

gboolean
sched_stats_rollup_offset (SchedDb *db, gint *out_offset, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = sched_db_prepare (db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                           " AND name = 'stats_rollup_meta'",
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return FALSE; /* no rollup: not an error */
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "looking for the rollup");
      return FALSE;
    }
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
    return sched_db_exec (db, rollup_triggers, error); /* no-op when present */

  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if (!sched_db_exec (db, rollup_tables, error) || !sched_db_exec (db, rollup_drop_triggers, error)
      || !sched_db_exec (db, "DELETE FROM stats_rollup_meta", error))
    goto fail;
  stmt = sched_db_prepare (db,
                           "INSERT INTO stats_rollup_meta (id, offset_seconds, version)"
                           " VALUES (1, ?1, " G_STRINGIFY (STATS_ROLLUP_VERSION) ")",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, wanted);
  if (!sched_db_step_done (db, stmt, error) || !sched_db_exec (db, rollup_triggers, error)
      || !sched_stats_rollup_rebuild (db, error))
    goto fail;
  g_info ("statistics rollup built for UTC offset %+d s", wanted);
  return sched_db_commit (db, error);

fail:
  sched_db_rollback (db);
  return FALSE;
}
