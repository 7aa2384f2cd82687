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
 *   dim 'levelset' key = the meeting's set of those levels, comma-separated
 *                        (every meeting once; the successor grouping maps
 *                        each level of the set and counts the meeting once
 *                        per distinct level it maps to)
 *   dim 'endpoint-successor'  key = the room a member room counts under in
 *                        the statistics by successor, following its chain
 *                        of successors as the roster now stands (once per
 *                        distinct such room: rooms closed into one count a
 *                        meeting once); read for units=successor when no
 *                        room's period ends after the query's window
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
#define STATS_ROLLUP_VERSION 6

/* clang-format off */
#define MEMBER_OF(m) STATS_SQL_IS_MEMBER ("me", m)
#define INSERT_ROLLUP "INSERT INTO stats_rollup (" STATS_SQL_ROLLUP_COLUMNS ") "

/* The meetings m that start on the local days of the rows of @days (an
 * index range on meetings_by_start per day). */
#define MEETINGS_ON(days)                                                              \
  " FROM (" days ") d JOIN stats_rollup_meta r ON r.id = 1"                            \
  " JOIN meetings m ON m.start_at >= d.day * 86400 - r.offset_seconds"                 \
  " AND m.start_at < (d.day + 1) * 86400 - r.offset_seconds"

/* The sums of each dim for the meetings of @days, as rows (dim, day, key,
 * eight sums). */
#define SELECT_UNIT(days)                                                              \
  "SELECT 'unit', " STATS_SQL_DAY ("m") ", m.unit, " STATS_SQL_SUMS ("m")               \
  MEETINGS_ON (days) " GROUP BY 2, 3"
#define SELECT_ENDPOINT(days)                                                          \
  "SELECT 'endpoint', " STATS_SQL_DAY ("m") ", me.endpoint, " STATS_SQL_SUMS ("m")      \
  MEETINGS_ON (days) " JOIN meeting_endpoints me ON me.meeting_id = m.id"              \
  " WHERE " MEMBER_OF ("m") " GROUP BY 2, 3"
#define SELECT_LEVEL(days)                                                             \
  "SELECT 'level', " STATS_SQL_DAY ("m") ", l.level, " STATS_SQL_SUMS ("m")             \
  " FROM (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at")  \
  " AS level" MEETINGS_ON (days)                                                       \
  "       JOIN meeting_endpoints me ON me.meeting_id = m.id"                           \
  "       JOIN endpoints e ON e.code = me.endpoint"                                    \
  "       WHERE " MEMBER_OF ("m") ") l"                                                \
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3"
#define SELECT_LEVELSET(days)                                                          \
  "SELECT 'levelset', " STATS_SQL_DAY ("m") ", l.levels, " STATS_SQL_SUMS ("m")         \
  " FROM (SELECT s.id, group_concat(s.level) AS levels FROM"                           \
  "       (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at") \
  " AS level" MEETINGS_ON (days)                                                       \
  "        JOIN meeting_endpoints me ON me.meeting_id = m.id"                          \
  "        JOIN endpoints e ON e.code = me.endpoint"                                   \
  "        WHERE " MEMBER_OF ("m") " ORDER BY 1, 2) s GROUP BY s.id) l"                \
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3"

#define SELECT_ENDPOINT_SUCCESSOR(days)                                                \
  "WITH RECURSIVE" STATS_SQL_ROOM_FINAL ("final")                                                \
  " SELECT 'endpoint-successor', " STATS_SQL_DAY ("m") ", x.dest, " STATS_SQL_SUMS ("m") \
  " FROM (SELECT DISTINCT me.meeting_id AS id, f.dest AS dest" MEETINGS_ON (days)      \
  "       JOIN meeting_endpoints me ON me.meeting_id = m.id"                           \
  "       JOIN final f ON f.code = me.endpoint"                                        \
  "       WHERE " MEMBER_OF ("m") ") x"                                                \
  " JOIN meetings m ON m.id = x.id GROUP BY 2, 3"

/* Dirty days: marked by the triggers (day >= 0), or claimed by a
 * background refresh (-1 - day, sched_stats_rollup_claim). */
#define DIRTY_DAYS                                                                     \
  "SELECT CASE WHEN day < 0 THEN -1 - day ELSE day END AS day FROM stats_rollup_dirty"
#define DIRTY_MONTHS "SELECT " STATS_SQL_MONTH_OF ("day") " AS month FROM (" DIRTY_DAYS ")"
/* Every month row from the day rows (a rebuild; an upgrade from rollup
 * version 5, which had no month rows). */
#define ROLLUP_MONTHS_FROM_DAYS                                                        \
  "DELETE FROM stats_rollup_month;"                                                    \
  "INSERT INTO stats_rollup_month (dim, month, key, booked, cancelled, displaced,"     \
  " held, planned_seconds, actual_seconds, present, invited)"                          \
  " SELECT dim, " STATS_SQL_MONTH_OF ("day") ", key, SUM(booked), SUM(cancelled),"     \
  " SUM(displaced), SUM(held), SUM(planned_seconds), SUM(actual_seconds),"             \
  " SUM(present), SUM(invited) FROM stats_rollup GROUP BY 1, 2, 3;"
#define CLAIMED_DAYS "SELECT -1 - day AS day FROM stats_rollup_dirty WHERE day < 0"

/* The sums of the dirty days, per dim, replace what the rollup held. */
static const gchar rollup_refresh[] =
  "DELETE FROM stats_rollup WHERE dim IN ('unit', 'endpoint', 'level', 'levelset',"
  " 'endpoint-successor') AND day IN (" DIRTY_DAYS ");"
  INSERT_ROLLUP SELECT_UNIT (DIRTY_DAYS) ";"
  INSERT_ROLLUP SELECT_ENDPOINT (DIRTY_DAYS) ";"
  INSERT_ROLLUP SELECT_LEVEL (DIRTY_DAYS) ";"
  INSERT_ROLLUP SELECT_LEVELSET (DIRTY_DAYS) ";"
  INSERT_ROLLUP SELECT_ENDPOINT_SUCCESSOR (DIRTY_DAYS) ";"
  STATS_SQL_MONTHS_DELETE (DIRTY_MONTHS) ";"
  STATS_SQL_MONTHS_INSERT (DIRTY_MONTHS) ";"
  "UPDATE stats_rollup_meta SET refreshed_at = unixepoch() WHERE id = 1;"
  "DELETE FROM stats_rollup_dirty;";

/* The background refresh (sched-stats-refresher.c): one statement per dim
 * over the claimed days, read outside any write transaction. */
static const gchar *const rollup_claimed_selects[] = {
  SELECT_UNIT (CLAIMED_DAYS),
  SELECT_ENDPOINT (CLAIMED_DAYS),
  SELECT_LEVEL (CLAIMED_DAYS),
  SELECT_LEVELSET (CLAIMED_DAYS),
  SELECT_ENDPOINT_SUCCESSOR (CLAIMED_DAYS),
};

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
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3;"
  INSERT_ROLLUP
  "SELECT 'levelset', " STATS_SQL_DAY ("m") ", l.levels, " STATS_SQL_SUMS ("m")
  " FROM (SELECT s.id, group_concat(s.level) AS levels FROM"
  "       (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at") " AS level"
  "        FROM meetings m"
  "        JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "        JOIN endpoints e ON e.code = me.endpoint"
  "        WHERE " MEMBER_OF ("m") " ORDER BY 1, 2) s GROUP BY s.id) l"
  " JOIN meetings m ON m.id = l.id GROUP BY 2, 3;"
  INSERT_ROLLUP "WITH RECURSIVE" STATS_SQL_ROOM_FINAL ("final")
  " SELECT 'endpoint-successor', " STATS_SQL_DAY ("m") ", x.dest, " STATS_SQL_SUMS ("m")
  " FROM (SELECT DISTINCT me.meeting_id AS id, f.dest AS dest FROM meetings m"
  "       JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "       JOIN final f ON f.code = me.endpoint"
  "       WHERE " MEMBER_OF ("m") ") x"
  " JOIN meetings m ON m.id = x.id GROUP BY 2, 3;"
  ROLLUP_MONTHS_FROM_DAYS
  "UPDATE stats_rollup_meta SET refreshed_at = unixepoch() WHERE id = 1;";

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

/* 1970-01-01 as a GDate Julian day (day 1 is 0001-01-01). */
#define ROLLUP_EPOCH_JULIAN 719163

gint64
sched_stats_day_month (gint64 day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32)(day + ROLLUP_EPOCH_JULIAN));
  return (gint64)g_date_get_year (&date) * 12 + g_date_get_month (&date) - 1;
}

gint64
sched_stats_month_first_day (gint64 month)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, (GDateMonth)(month % 12 + 1), (GDateYear)(month / 12));
  return (gint64)g_date_get_julian (&date) - ROLLUP_EPOCH_JULIAN;
}

gboolean
sched_stats_rollup_freshness (SchedDb *db, gboolean *marked, gint64 *refreshed_at, GError **error)
{
  sqlite3_stmt *stmt
      = sched_db_prepare (db,
                          "SELECT EXISTS (SELECT 1 FROM stats_rollup_dirty),"
                          " (SELECT coalesce(refreshed_at, 0) FROM stats_rollup_meta WHERE id = 1)",
                          error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading the rollup's freshness");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *marked = sqlite3_column_int (stmt, 0) != 0;
  *refreshed_at = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
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

/* A rollup of version 5 (no month rows) for the same offset gets its month
 * rows from its day rows, which takes seconds where recounting 1,000,000
 * meetings takes minutes. 1: done; 0: not such a rollup; -1: error. */
static gint
rollup_upgrade_v5 (SchedDb *db, gint wanted, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 t0 = g_get_monotonic_time ();
  int rc;

  stmt = sched_db_prepare (db,
                           "SELECT 1 FROM stats_rollup_meta WHERE id = 1 AND version = 5"
                           " AND offset_seconds = ?1",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int (stmt, 1, wanted);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return 0;
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading the rollup version");
      return -1;
    }
  if (!sched_db_begin_immediate (db, error))
    return -1;
  /* clang-format off */
  if (!sched_db_exec (db,
                      ROLLUP_MONTHS_FROM_DAYS
                      "UPDATE stats_rollup_meta SET version = " G_STRINGIFY (STATS_ROLLUP_VERSION)
                      ", refreshed_at = CASE WHEN EXISTS (SELECT 1 FROM stats_rollup_dirty)"
                      " THEN NULL ELSE unixepoch() END WHERE id = 1;",
                      error))
    /* clang-format on */
    {
      sched_db_rollback (db);
      return -1;
    }
  if (!sched_db_commit (db, error))
    return -1;
  g_info ("statistics rollup: month rows added in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  return 1;
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
  if (!current)
    {
      switch (rollup_upgrade_v5 (db, wanted, error))
        {
          case 1:
            return TRUE;
          case -1:
            return FALSE;
          default:
            break;
        }
    }

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

/* ---- the background refresh (sched-stats-refresher.c) ---- */

/* clang-format off */
static const gchar sql_pending[] =
  "SELECT (SELECT count(*) FROM (SELECT 1"
  MEETINGS_ON ("SELECT day FROM stats_rollup_dirty WHERE day >= 0") " LIMIT ?1)),"
  " EXISTS (SELECT 1 FROM stats_rollup_dirty WHERE day < 0)";
/* clang-format on */

/* How many meetings start on the days marked dirty (counting stops past
 * @limit), and whether a background refresh has claimed days. */
gboolean
sched_stats_rollup_pending (SchedDb *db, gint64 limit, gint64 *meetings, gboolean *claimed,
                            GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql_pending, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, limit + 1);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "looking for changed days");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *meetings = sqlite3_column_int64 (stmt, 0);
  *claimed = sqlite3_column_int (stmt, 1) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sched_stats_rollup_claim (SchedDb *db, GError **error)
{
  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if (!sched_db_exec (db,
                      "INSERT OR IGNORE INTO stats_rollup_dirty (day)"
                      " SELECT -1 - day FROM stats_rollup_dirty WHERE day >= 0;"
                      "DELETE FROM stats_rollup_dirty WHERE day >= 0;",
                      error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  return sched_db_commit (db, error);
}

struct _SchedStatsRollupRows
{
  GArray *rows; /* RollupRow, by day */
};

typedef struct
{
  gint dim; /* index in rollup_dims */
  gint64 day;
  gchar *key;
  gint64 sums[8];
} RollupRow;

static const gchar *const rollup_dims[]
    = { "unit", "endpoint", "level", "levelset", "endpoint-successor" };

static void
rollup_row_clear (gpointer data)
{
  g_free (((RollupRow *)data)->key);
}

void
sched_stats_rollup_rows_free (SchedStatsRollupRows *rows)
{
  if (rows == NULL)
    return;
  g_clear_pointer (&rows->rows, g_array_unref);
  g_free (rows);
}

static gint
rollup_row_compare (gconstpointer a, gconstpointer b)
{
  const RollupRow *x = a, *y = b;
  return x->day < y->day ? -1 : x->day > y->day;
}

SchedStatsRollupRows *
sched_stats_rollup_compute_claimed (SchedDb *db, volatile gint *cancelled, GError **error)
{
  g_autoptr (SchedStatsRollupRows) out = g_new0 (SchedStatsRollupRows, 1);
  gboolean ok = TRUE;

  out->rows = g_array_new (FALSE, FALSE, sizeof (RollupRow));
  g_array_set_clear_func (out->rows, rollup_row_clear);
  /* one snapshot for the four statements */
  if (!sched_db_run (db, "BEGIN", error))
    return NULL;
  for (gsize d = 0; ok && d < G_N_ELEMENTS (rollup_claimed_selects); d++)
    {
      sqlite3_stmt *stmt = sched_db_prepare (db, rollup_claimed_selects[d], error);
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          RollupRow row = { .dim = (gint)d };

          row.day = sqlite3_column_int64 (stmt, 1);
          row.key = g_strdup (sched_db_column_text (stmt, 2));
          for (gint i = 0; i < 8; i++)
            row.sums[i] = sqlite3_column_int64 (stmt, 3 + i);
          if (row.key == NULL)
            row.key = g_strdup ("");
          g_array_append_val (out->rows, row);
        }
      if (rc != SQLITE_DONE)
        {
          sched_db_set_error (db, error, "refreshing the statistics rollup");
          ok = FALSE;
        }
      sqlite3_reset (stmt);
      if (ok && cancelled && g_atomic_int_get (cancelled))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
          ok = FALSE;
        }
    }
  sched_db_run (db, "COMMIT", NULL);
  if (!ok)
    return NULL;
  g_array_sort (out->rows, rollup_row_compare);
  return g_steal_pointer (&out);
}

/* clang-format off */
static const gchar sql_claimed_days[] =
  "SELECT -1 - day FROM stats_rollup_dirty WHERE day < 0 ORDER BY day DESC";
static const gchar sql_day_still_claimed[] =
  "SELECT 1 FROM stats_rollup_dirty WHERE day = -1 - ?1";
static const gchar sql_day_clear[] =
  "DELETE FROM stats_rollup WHERE dim IN ('unit', 'endpoint', 'level', 'levelset',"
  " 'endpoint-successor') AND day = ?1";
static const gchar sql_day_unclaim[] =
  "DELETE FROM stats_rollup_dirty WHERE day = -1 - ?1";
static const gchar sql_row_insert[] =
  INSERT_ROLLUP "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
/* clang-format on */

/* The claimed days, ascending. */
static GArray *
rollup_claimed_days (SchedDb *db, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql_claimed_days, error);
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 day = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (days, day);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading the claimed days");
      return NULL;
    }
  return g_steal_pointer (&days);
}

/* One day: its old rows go, the computed ones come, its claim ends;
 * nothing when the claim is gone (the day was refreshed meanwhile). */
static gboolean
rollup_store_day (SchedDb *db, const SchedStatsRollupRows *rows, guint *next, gint64 day,
                  GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql_day_still_claimed, error);
  int rc;

  while (*next < rows->rows->len && g_array_index (rows->rows, RollupRow, *next).day < day)
    (*next)++;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading the claimed days");
      return FALSE;
    }
  if (!(stmt = sched_db_prepare (db, sql_day_clear, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  if (!sched_db_step_done (db, stmt, error))
    return FALSE;
  for (; *next < rows->rows->len; (*next)++)
    {
      const RollupRow *row = &g_array_index (rows->rows, RollupRow, *next);

      if (row->day != day)
        break;
      if (!(stmt = sched_db_prepare (db, sql_row_insert, error)))
        return FALSE;
      sched_db_bind_text (stmt, 1, rollup_dims[row->dim]);
      sqlite3_bind_int64 (stmt, 2, row->day);
      sched_db_bind_text (stmt, 3, row->key);
      for (gint i = 0; i < 8; i++)
        sqlite3_bind_int64 (stmt, 4 + i, row->sums[i]);
      if (!sched_db_step_done (db, stmt, error))
        return FALSE;
    }
  if (!(stmt = sched_db_prepare (db, sql_day_unclaim, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  return sched_db_step_done (db, stmt, error);
}

/* clang-format off */
static const gchar sql_month_delete[] = STATS_SQL_MONTHS_DELETE ("SELECT ?1 AS month");
static const gchar sql_month_insert[] = STATS_SQL_MONTHS_INSERT ("SELECT ?1 AS month");
static const gchar sql_refreshed_at[] =
  "UPDATE stats_rollup_meta SET refreshed_at = max(coalesce(refreshed_at, 0), ?1) WHERE id = 1";
/* clang-format on */

/* The month rows of the months of @days, summed again from the day rows,
 * and the time the rollup counts every change up to, in one transaction. */
static gboolean
rollup_store_months (SchedDb *db, GArray *days, gint64 as_of, GError **error)
{
  g_autoptr (GArray) months = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  /* the days are in ascending order */
  for (guint i = 0; i < days->len; i++)
    {
      gint64 month = sched_stats_day_month (g_array_index (days, gint64, i));
      if (months->len == 0 || g_array_index (months, gint64, months->len - 1) != month)
        g_array_append_val (months, month);
    }
  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  for (guint i = 0; i < months->len; i++)
    for (gint k = 0; k < 2; k++)
      {
        stmt = sched_db_prepare (db, k == 0 ? sql_month_delete : sql_month_insert, error);
        if (stmt == NULL)
          goto fail;
        sqlite3_bind_int64 (stmt, 1, g_array_index (months, gint64, i));
        if (!sched_db_step_done (db, stmt, error))
          goto fail;
      }
  if (!(stmt = sched_db_prepare (db, sql_refreshed_at, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, as_of);
  if (!sched_db_step_done (db, stmt, error))
    goto fail;
  return sched_db_commit (db, error);

fail:
  sched_db_rollback (db);
  return FALSE;
}

gboolean
sched_stats_rollup_store_claimed (SchedDb *db, const SchedStatsRollupRows *rows,
                                  guint days_per_transaction, gint64 as_of, GError **error)
{
  g_autoptr (GArray) days = NULL;
  guint next = 0;

  g_return_val_if_fail (days_per_transaction > 0, FALSE);
  if (!sched_db_run (db, "BEGIN", error))
    return FALSE;
  days = rollup_claimed_days (db, error);
  sched_db_run (db, "COMMIT", NULL);
  if (days == NULL)
    return FALSE;
  /* Short write transactions: the main thread's writers wait at most one. */
  for (guint i = 0; i < days->len; i += days_per_transaction)
    {
      if (!sched_db_begin_immediate (db, error))
        return FALSE;
      for (guint k = i; k < MIN (days->len, i + days_per_transaction); k++)
        if (!rollup_store_day (db, rows, &next, g_array_index (days, gint64, k), error))
          {
            sched_db_rollback (db);
            return FALSE;
          }
      if (!sched_db_commit (db, error))
        return FALSE;
    }
  return rollup_store_months (db, days, as_of, error);
}
