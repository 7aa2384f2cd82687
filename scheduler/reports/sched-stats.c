/* sched-stats.c — the statistics query: totals and groups of a window, and
 * its comparison window.
 *
 * Each window is summed either from `meetings` directly (raw) or from the
 * daily rollup (sched-stats-rollup.c); both use the fragments of
 * sched-stats-sql.h, so they agree (the tests check that they do). The
 * rollup keeps /api/v1/stats within its latency budget on years of data
 * with ~4 rooms per meeting, where the raw per-room join is too slow. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"
#include "sched-stats-sql.h"
#include "sched-error.h"

#include <math.h>
#include <string.h>

/* Longest window we agree to sum (raw month queries run once per month). */
#define STATS_MAX_WINDOW_SECONDS (G_GINT64_CONSTANT (20) * 366 * 86400)

static const gchar *const group_names[] = {
  [SCHED_STATS_GROUP_NONE] = "none",         [SCHED_STATS_GROUP_UNIT] = "unit",
  [SCHED_STATS_GROUP_ENDPOINT] = "endpoint", [SCHED_STATS_GROUP_LEVEL] = "level",
  [SCHED_STATS_GROUP_MONTH] = "month",
};

static const gchar *const compare_names[] = {
  [SCHED_STATS_COMPARE_NONE] = "none",
  [SCHED_STATS_COMPARE_PREVIOUS_PERIOD] = "previous_period",
  [SCHED_STATS_COMPARE_PREVIOUS_YEAR] = "previous_year",
};

static const gchar *const units_names[] = {
  [SCHED_STATS_UNITS_HISTORIC] = "historic",
  [SCHED_STATS_UNITS_SUCCESSOR] = "successor",
};

gboolean
sched_stats_units_from_string (const gchar *text, SchedStatsUnits *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (units_names); i++)
    if (g_strcmp0 (text, units_names[i]) == 0)
      {
        *out = (SchedStatsUnits)i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
sched_stats_units_to_string (SchedStatsUnits units)
{
  g_return_val_if_fail ((gsize)units < G_N_ELEMENTS (units_names), "historic");
  return units_names[units];
}

gboolean
sched_stats_group_from_string (const gchar *text, SchedStatsGroup *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (group_names); i++)
    if (g_strcmp0 (text, group_names[i]) == 0)
      {
        *out = (SchedStatsGroup)i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
sched_stats_group_to_string (SchedStatsGroup group)
{
  g_return_val_if_fail ((gsize)group < G_N_ELEMENTS (group_names), "none");
  return group_names[group];
}

gboolean
sched_stats_compare_from_string (const gchar *text, SchedStatsCompare *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (compare_names); i++)
    if (g_strcmp0 (text, compare_names[i]) == 0)
      {
        *out = (SchedStatsCompare)i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
sched_stats_compare_to_string (SchedStatsCompare compare)
{
  g_return_val_if_fail ((gsize)compare < G_N_ELEMENTS (compare_names), "none");
  return compare_names[compare];
}

const gchar *
sched_stats_level_label (const gchar *level, const gchar *lang)
{
  static const struct
  {
    const gchar *code, *vi, *en;
  } labels[] = {
    { "central", "Trung ương", "Central" },  { "province", "Cấp tỉnh", "Province" },
    { "district", "Cấp huyện", "District" }, { "department", "Sở, ngành", "Department" },
    { "commune", "Cấp xã", "Commune" },
  };
  gboolean en = g_strcmp0 (lang, "en") == 0;

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (level, labels[i].code) == 0)
      return en ? labels[i].en : labels[i].vi;
  return level;
}

/* ---- metrics ---- */

gdouble
sched_stats_metrics_planned_minutes (const SchedStatsMetrics *m)
{
  return m->planned_seconds / 60.0;
}

gdouble
sched_stats_metrics_actual_minutes (const SchedStatsMetrics *m)
{
  return m->actual_seconds / 60.0;
}

gint64
sched_stats_metrics_cancelled_total (const SchedStatsMetrics *m)
{
  return m->cancelled + m->displaced;
}

gboolean
sched_stats_metrics_attendance_rate (const SchedStatsMetrics *m, gdouble *out)
{
  if (m->held == 0 || m->invited <= 0)
    return FALSE;
  *out = (gdouble)m->present / (gdouble)m->invited;
  return TRUE;
}

gboolean
sched_stats_change_pct (gdouble current, gdouble previous, gdouble *out)
{
  if (previous == 0)
    return FALSE;
  *out = (current - previous) / previous * 100.0;
  return TRUE;
}

static gboolean
field_booked (const SchedStatsMetrics *m, gdouble *out)
{
  *out = m->booked;
  return TRUE;
}

static gboolean
field_held (const SchedStatsMetrics *m, gdouble *out)
{
  *out = m->held;
  return TRUE;
}

static gboolean
field_cancelled (const SchedStatsMetrics *m, gdouble *out)
{
  *out = sched_stats_metrics_cancelled_total (m);
  return TRUE;
}

static gboolean
field_displaced (const SchedStatsMetrics *m, gdouble *out)
{
  *out = m->displaced;
  return TRUE;
}

static gboolean
field_planned_minutes (const SchedStatsMetrics *m, gdouble *out)
{
  *out = sched_stats_metrics_planned_minutes (m);
  return TRUE;
}

static gboolean
field_actual_minutes (const SchedStatsMetrics *m, gdouble *out)
{
  *out = sched_stats_metrics_actual_minutes (m);
  return TRUE;
}

static const SchedStatsField stats_fields[] = {
  { "meetings_booked", field_booked, 0 },
  { "meetings_held", field_held, 0 },
  { "meetings_cancelled", field_cancelled, 0 },
  { "meetings_displaced", field_displaced, 0 },
  { "planned_minutes", field_planned_minutes, 1 },
  { "actual_minutes", field_actual_minutes, 1 },
  { "attendance_rate", sched_stats_metrics_attendance_rate, 4 },
};

const SchedStatsField *
sched_stats_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (stats_fields);
  return stats_fields;
}

gdouble
sched_stats_round (gdouble value, gint decimals)
{
  gdouble scale = pow (10.0, decimals);
  return round (value * scale) / scale;
}

static void
metrics_read (sqlite3_stmt *stmt, int first, SchedStatsMetrics *m)
{
  m->booked = sqlite3_column_int64 (stmt, first + 0);
  m->cancelled = sqlite3_column_int64 (stmt, first + 1);
  m->displaced = sqlite3_column_int64 (stmt, first + 2);
  m->held = sqlite3_column_int64 (stmt, first + 3);
  m->planned_seconds = sqlite3_column_int64 (stmt, first + 4);
  m->actual_seconds = sqlite3_column_int64 (stmt, first + 5);
  m->present = sqlite3_column_int64 (stmt, first + 6);
  m->invited = sqlite3_column_int64 (stmt, first + 7);
}

static void
metrics_add (SchedStatsMetrics *into, const SchedStatsMetrics *m)
{
  into->booked += m->booked;
  into->cancelled += m->cancelled;
  into->displaced += m->displaced;
  into->held += m->held;
  into->planned_seconds += m->planned_seconds;
  into->actual_seconds += m->actual_seconds;
  into->present += m->present;
  into->invited += m->invited;
}

/* ---- windows ---- */

void
sched_stats_previous_window (GTimeZone *tz, gint64 from, gint64 to, SchedStatsCompare compare,
                             gint64 *out_from, gint64 *out_to)
{
  if (compare == SCHED_STATS_COMPARE_PREVIOUS_YEAR)
    {
      g_autoptr (GDateTime) fu = g_date_time_new_from_unix_utc (from);
      g_autoptr (GDateTime) tu = g_date_time_new_from_unix_utc (to);
      g_autoptr (GDateTime) fl = g_date_time_to_timezone (fu, tz);
      g_autoptr (GDateTime) tl = g_date_time_to_timezone (tu, tz);
      g_autoptr (GDateTime) fp = g_date_time_add_years (fl, -1);
      g_autoptr (GDateTime) tp = g_date_time_add_years (tl, -1);
      *out_from = g_date_time_to_unix (fp);
      *out_to = g_date_time_to_unix (tp);
    }
  else
    {
      *out_from = from - (to - from);
      *out_to = from;
    }
}

/* One local calendar month cut to the window. */
typedef struct
{
  gchar key[8];  /* "2024-06" */
  gchar name[8]; /* "06/2024" */
  gint64 from, to;
} StatsMonth;

static GArray *
stats_months (GTimeZone *tz, gint64 from, gint64 to)
{
  GArray *months = g_array_new (FALSE, TRUE, sizeof (StatsMonth));
  g_autoptr (GDateTime) fu = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) fl = g_date_time_to_timezone (fu, tz);
  gint year = g_date_time_get_year (fl);
  gint month = g_date_time_get_month (fl);

  for (;;)
    {
      g_autoptr (GDateTime) start = g_date_time_new (tz, year, month, 1, 0, 0, 0);
      g_autoptr (GDateTime) end = g_date_time_add_months (start, 1);
      StatsMonth m;
      gint64 s = g_date_time_to_unix (start), e = g_date_time_to_unix (end);

      if (s >= to)
        break;
      g_snprintf (m.key, sizeof m.key, "%04d-%02d", year, month);
      g_snprintf (m.name, sizeof m.name, "%02d/%04d", month, year);
      m.from = MAX (s, from);
      m.to = MIN (e, to);
      g_array_append_val (months, m);
      year = g_date_time_get_year (end);
      month = g_date_time_get_month (end);
    }
  return months;
}

static gint
stats_month_index (GArray *months, gint64 t)
{
  for (guint i = 0; i < months->len; i++)
    {
      const StatsMonth *m = &g_array_index (months, StatsMonth, i);
      if (t >= m->from && t < m->to)
        return (gint)i;
    }
  return -1;
}

/* The whole local days inside [from, to) that the rollup can answer for:
 * [*day_from, *day_to) as rollup day numbers and [*inner_from, *inner_to)
 * as times. FALSE when there is no rollup, the zone changes its offset in
 * the window (or has another offset than the rollup), or no whole day fits. */
static gboolean
stats_rollup_window (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, gint64 *day_from,
                     gint64 *day_to, gint64 *inner_from, gint64 *inner_to, GError **error)
{
  gint offset = 0;
  gint i_from, i_last;

  if (!sched_stats_rollup_offset (db, &offset, error))
    return FALSE;
  i_from = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, from);
  i_last = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, to - 1);
  if (i_from != i_last || g_time_zone_get_offset (tz, i_from) != offset)
    return FALSE;
  /* first local midnight at or after from, last one at or before to */
  *day_from = (from + offset + 86400 - 1) / 86400;
  *day_to = (to + offset) / 86400;
  if (*day_from >= *day_to)
    return FALSE;
  *inner_from = *day_from * 86400 - offset;
  *inner_to = *day_to * 86400 - offset;
  return TRUE;
}

/* Sums of one window: totals, and per key for @group (month keys are
 * indexes into @months, as "%u"). */
typedef struct
{
  SchedStatsMetrics totals;
  GHashTable *by_key; /* gchar* key -> SchedStatsMetrics* */
  gboolean used_rollup;
  /* group_by=level: keys are each meeting's set of levels ("district,
   * province"), for the successor grouping to fold (stats_window_fold) */
  gboolean level_sets;
  /* group_by=endpoint, units=successor: keys are the successor rooms as the
   * roster now stands, each meeting once per room (rollup dim
   * 'endpoint-successor', sql_raw_endpoint_successors) */
  gboolean room_successors;
  gboolean day_rows_only; /* SchedStatsQuery.day_rows_only */
  gint64 rows_read;       /* SchedStats.rows_read */
} StatsWindow;

static void
stats_window_clear (StatsWindow *w)
{
  g_clear_pointer (&w->by_key, g_hash_table_destroy);
}

static SchedStatsMetrics *
stats_window_slot (StatsWindow *w, const gchar *key)
{
  SchedStatsMetrics *m = g_hash_table_lookup (w->by_key, key);

  if (m == NULL)
    {
      m = g_new0 (SchedStatsMetrics, 1);
      g_hash_table_insert (w->by_key, g_strdup (key), m);
    }
  return m;
}

/* Runs a statement whose rows are (key, eight sums) and adds them. When
 * @into_totals, the rows also add up to the window's totals. */
static gboolean
stats_collect_keyed (SchedDb *db, sqlite3_stmt *stmt, StatsWindow *w, gboolean into_totals,
                     gboolean into_groups, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SchedStatsMetrics m;
      const gchar *key = sched_db_column_text (stmt, 0);

      metrics_read (stmt, 1, &m);
      w->rows_read++;
      if (into_totals)
        metrics_add (&w->totals, &m);
      if (into_groups && key)
        metrics_add (stats_window_slot (w, key), &m);
    }
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "statistics query");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* clang-format off */
static const gchar sql_raw_units[] =
  "SELECT m.unit, " STATS_SQL_SUMS ("m") " FROM meetings m"
  " WHERE m.start_at >= ?1 AND m.start_at < ?2 GROUP BY m.unit";

static const gchar sql_raw_endpoints[] =
  "SELECT me.endpoint, " STATS_SQL_SUMS ("m") " FROM meetings m"
  " JOIN meeting_endpoints me ON me.meeting_id = m.id"
  " WHERE m.start_at >= ?1 AND m.start_at < ?2 AND " STATS_SQL_IS_MEMBER ("me", "m")
  " GROUP BY me.endpoint";

static const gchar sql_raw_levels[] =
  "SELECT l.level, " STATS_SQL_SUMS ("m") " FROM"
  " (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at") " AS level"
  "  FROM meetings m"
  "  JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "  JOIN endpoints e ON e.code = me.endpoint"
  "  WHERE m.start_at >= ?1 AND m.start_at < ?2 AND " STATS_SQL_IS_MEMBER ("me", "m") ") l"
  " JOIN meetings m ON m.id = l.id GROUP BY l.level";

/* Each meeting once, keyed by the set of its rooms' levels (the rollup's
 * dim 'levelset'). */
static const gchar sql_raw_level_sets[] =
  "SELECT l.levels, " STATS_SQL_SUMS ("m") " FROM"
  " (SELECT s.id, group_concat(s.level) AS levels FROM"
  "  (SELECT DISTINCT me.meeting_id AS id, " STATS_SQL_LEVEL_AT ("e", "m.start_at") " AS level"
  "   FROM meetings m"
  "   JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "   JOIN endpoints e ON e.code = me.endpoint"
  "   WHERE m.start_at >= ?1 AND m.start_at < ?2 AND " STATS_SQL_IS_MEMBER ("me", "m")
  "   ORDER BY 1, 2) s GROUP BY s.id) l"
  " JOIN meetings m ON m.id = l.id GROUP BY l.levels";

/* Each meeting once per room it counts under by successor, as the roster
 * now stands (the rollup's dim 'endpoint-successor'). */
static const gchar sql_raw_endpoint_successors[] =
  "WITH RECURSIVE" STATS_SQL_ROOM_FINAL ("final")
  " SELECT x.dest, " STATS_SQL_SUMS ("m") " FROM"
  " (SELECT DISTINCT me.meeting_id AS id, f.dest AS dest FROM meetings m"
  "  JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "  JOIN final f ON f.code = me.endpoint"
  "  WHERE m.start_at >= ?1 AND m.start_at < ?2 AND " STATS_SQL_IS_MEMBER ("me", "m") ") x"
  " JOIN meetings m ON m.id = x.id GROUP BY x.dest";

/* Whether the rooms map at ?1 as they do now: no room's period with a
 * successor ends after ?1. */
static const gchar sql_rooms_final_at[] =
  "SELECT NOT EXISTS (SELECT 1 FROM endpoints WHERE successor IS NOT NULL"
  " AND valid_to IS NOT NULL AND valid_to > ?1)";

/* units=successor, group_by=endpoint: the meetings of [?1, ?2) with two or
 * more rooms that fold into one successor (?3: {room: successor} of the
 * rooms that fold), per successor with the number n of those rooms and the
 * meeting's eight values, which the successor's row holds n times instead
 * of once. Candidates are found from the folding rooms only: their active
 * rows by the index on (endpoint, start_at), and the cancelled or
 * displaced meetings of the window (whose rooms are inactive). */
static const gchar sql_raw_room_overlaps[] =
  "WITH fold(code, dest) AS (SELECT key, value FROM json_each(?3)),"
  " candidates(id) AS ("
  "  SELECT me.meeting_id FROM fold f JOIN meeting_endpoints me ON me.endpoint = f.code"
  "   AND me.active = 1 AND me.start_at >= ?1 AND me.start_at < ?2"
  "  UNION"
  "  SELECT m.id FROM meetings m JOIN meeting_endpoints me ON me.meeting_id = m.id"
  "   JOIN fold f ON f.code = me.endpoint"
  "   WHERE m.start_at >= ?1 AND m.start_at < ?2 AND m.status IN ('cancelled','displaced'))"
  " SELECT x.dest, x.n, " STATS_SQL_VALUES ("m", "") " FROM"
  " (SELECT me.meeting_id AS id, coalesce(f.dest, me.endpoint) AS dest, count(*) AS n"
  "  FROM candidates c JOIN meetings m ON m.id = c.id"
  "  JOIN meeting_endpoints me ON me.meeting_id = c.id"
  "  LEFT JOIN fold f ON f.code = me.endpoint"
  "  WHERE m.start_at >= ?1 AND m.start_at < ?2 AND " STATS_SQL_IS_MEMBER ("me", "m")
  "  GROUP BY 1, 2 HAVING count(*) > 1) x"
  " JOIN meetings m ON m.id = x.id";

/* No GROUP BY: the rows come in (day, key) order and would need a sort;
 * stats_collect_keyed() sums them per key in a hash table instead. */
static const gchar sql_rollup_keys[] =
  "SELECT key, booked, cancelled, displaced, held, planned_seconds,"
  " actual_seconds, present, invited FROM stats_rollup"
  " WHERE dim = ?1 AND day >= ?2 AND day < ?3";

static const gchar sql_rollup_month_keys[] =
  "SELECT key, booked, cancelled, displaced, held, planned_seconds,"
  " actual_seconds, present, invited FROM stats_rollup_month"
  " WHERE dim = ?1 AND month >= ?2 AND month < ?3";

static const gchar sql_rollup_months[] =
  "SELECT month, SUM(booked), SUM(cancelled), SUM(displaced), SUM(held), SUM(planned_seconds),"
  " SUM(actual_seconds), SUM(present), SUM(invited) FROM stats_rollup_month"
  " WHERE dim = 'unit' AND month >= ?1 AND month < ?2 GROUP BY month";

static const gchar sql_rollup_days[] =
  "SELECT day, SUM(booked), SUM(cancelled), SUM(displaced), SUM(held), SUM(planned_seconds),"
  " SUM(actual_seconds), SUM(present), SUM(invited) FROM stats_rollup"
  " WHERE dim = 'unit' AND day >= ?1 AND day < ?2 GROUP BY day";
/* clang-format on */

static gboolean
stats_window_raw (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, SchedStatsGroup group,
                  GArray *months, StatsWindow *w, GError **error)
{
  sqlite3_stmt *stmt;

  /* Totals (and unit groups): every meeting once, through its unit. */
  if (group == SCHED_STATS_GROUP_MONTH)
    {
      for (guint i = 0; i < months->len; i++)
        {
          const StatsMonth *month = &g_array_index (months, StatsMonth, i);
          gint64 month_from = MAX (month->from, from), month_to = MIN (month->to, to);
          gchar key[16];

          if (month_from >= month_to)
            continue;
          stmt = sched_db_prepare (db, sql_raw_units, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, month_from);
          sqlite3_bind_int64 (stmt, 2, month_to);
          g_snprintf (key, sizeof key, "%u", i);
          /* Rows are per unit; fold them into the month's slot. */
          StatsWindow month_window = { .by_key = NULL };
          if (!stats_collect_keyed (db, stmt, &month_window, TRUE, FALSE, error))
            return FALSE;
          metrics_add (&w->totals, &month_window.totals);
          metrics_add (stats_window_slot (w, key), &month_window.totals);
        }
      return TRUE;
    }

  stmt = sched_db_prepare (db, sql_raw_units, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  if (!stats_collect_keyed (db, stmt, w, TRUE, group == SCHED_STATS_GROUP_UNIT, error))
    return FALSE;

  if (group == SCHED_STATS_GROUP_ENDPOINT || group == SCHED_STATS_GROUP_LEVEL)
    {
      stmt = sched_db_prepare (
          db,
          group == SCHED_STATS_GROUP_ENDPOINT
              ? (w->room_successors ? sql_raw_endpoint_successors : sql_raw_endpoints)
          : w->level_sets ? sql_raw_level_sets
                          : sql_raw_levels,
          error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, from);
      sqlite3_bind_int64 (stmt, 2, to);
      if (!stats_collect_keyed (db, stmt, w, FALSE, TRUE, error))
        return FALSE;
    }
  return TRUE;
}

/* Sums of the rollup's rows of dim @dim from @table_sql (day or month rows
 * of [@first, @last)), into the window's totals and/or groups. */
static gboolean
stats_rollup_keyed (SchedDb *db, const gchar *table_sql, const gchar *dim, gint64 first,
                    gint64 last, StatsWindow *w, gboolean into_totals, gboolean into_groups,
                    GError **error)
{
  sqlite3_stmt *stmt;

  if (first >= last)
    return TRUE;
  stmt = sched_db_prepare (db, table_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dim, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, last);
  return stats_collect_keyed (db, stmt, w, into_totals, into_groups, error);
}

/* group_by=month: the unit rows of [@first, @last) summed per day or per
 * month (@table_sql), each into the window's month it starts in. */
static gboolean
stats_rollup_by_month (SchedDb *db, const gchar *table_sql, gboolean by_month, gint64 first,
                       gint64 last, gint offset, GArray *months, StatsWindow *w, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (first >= last)
    return TRUE;
  stmt = sched_db_prepare (db, table_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SchedStatsMetrics m;
      gint64 n = sqlite3_column_int64 (stmt, 0);
      gint64 day = by_month ? sched_stats_month_first_day (n) : n;
      gint index = stats_month_index (months, day * 86400 - offset);
      gchar key[16];

      metrics_read (stmt, 1, &m);
      w->rows_read++;
      metrics_add (&w->totals, &m);
      g_assert (index >= 0);
      g_snprintf (key, sizeof key, "%d", index);
      metrics_add (stats_window_slot (w, key), &m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "statistics rollup query");
      return FALSE;
    }
  return TRUE;
}

/* The whole local days [day_from, day_to) from the rollup: the whole
 * calendar months among them from the month rows, the days before and
 * after those from the day rows. A year reads about 12 rows per key (at
 * most 12 + 60 when it starts and ends mid-month) whatever the number of
 * meetings. */
static gboolean
stats_window_rollup (SchedDb *db, GTimeZone *tz, gint64 day_from, gint64 day_to,
                     SchedStatsGroup group, GArray *months, StatsWindow *w, GError **error)
{
  gint64 m_from = sched_stats_day_month (day_from), m_to = sched_stats_day_month (day_to);
  gint64 head_to, tail_from;
  const gchar *dim = NULL;
  gint offset = 0;

  (void)tz;
  if (sched_stats_month_first_day (m_from) < day_from)
    m_from++;
  if (m_to < m_from || w->day_rows_only)
    m_to = m_from;
  head_to = w->day_rows_only ? day_to : MIN (sched_stats_month_first_day (m_from), day_to);
  tail_from = MAX (sched_stats_month_first_day (m_to), head_to);

  if (group == SCHED_STATS_GROUP_MONTH)
    {
      if (!sched_stats_rollup_offset (db, &offset, error))
        return FALSE;
      return stats_rollup_by_month (db, sql_rollup_days, FALSE, day_from, head_to, offset, months,
                                    w, error)
             && stats_rollup_by_month (db, sql_rollup_months, TRUE, m_from, m_to, offset, months, w,
                                       error)
             && stats_rollup_by_month (db, sql_rollup_days, FALSE, tail_from, day_to, offset,
                                       months, w, error);
    }

  if (group == SCHED_STATS_GROUP_ENDPOINT)
    dim = w->room_successors ? "endpoint-successor" : "endpoint";
  else if (group == SCHED_STATS_GROUP_LEVEL)
    dim = w->level_sets ? "levelset" : "level";
  for (gint pass = 0; pass < (dim ? 2 : 1); pass++)
    {
      const gchar *d = pass == 0 ? "unit" : dim;
      gboolean totals = pass == 0, groups = pass == 1 || group == SCHED_STATS_GROUP_UNIT;

      if (!stats_rollup_keyed (db, sql_rollup_keys, d, day_from, head_to, w, totals, groups, error)
          || !stats_rollup_keyed (db, sql_rollup_month_keys, d, m_from, m_to, w, totals, groups,
                                  error)
          || !stats_rollup_keyed (db, sql_rollup_keys, d, tail_from, day_to, w, totals, groups,
                                  error))
        return FALSE;
    }
  return TRUE;
}

/* Sums [from, to): whole local days from the rollup, the partial days at
 * either end (an RFC 3339 bound that is not a local midnight) from the raw
 * tables, which is cheap for a few hours. Everything raw when the rollup
 * cannot answer (see stats_rollup_window) or @force_raw. */
static gboolean
stats_window_compute (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, SchedStatsGroup group,
                      gboolean force_raw, GArray *months, StatsWindow *w, GError **error)
{
  gint64 day_from = 0, day_to = 0, inner_from = 0, inner_to = 0;
  g_autoptr (GError) local = NULL;

  w->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!force_raw
      && stats_rollup_window (db, tz, from, to, &day_from, &day_to, &inner_from, &inner_to, &local))
    {
      w->used_rollup = TRUE;
      if (from < inner_from
          && !stats_window_raw (db, tz, from, inner_from, group, months, w, error))
        return FALSE;
      if (inner_to < to && !stats_window_raw (db, tz, inner_to, to, group, months, w, error))
        return FALSE;
      return stats_window_rollup (db, tz, day_from, day_to, group, months, w, error);
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return stats_window_raw (db, tz, from, to, group, months, w, error);
}

/* ---- rows ---- */

static void
stats_row_free (SchedStatsRow *row)
{
  g_free (row->key);
  g_free (row->name);
  g_free (row);
}

void
sched_stats_free (SchedStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->rows, g_ptr_array_unref);
  g_free (stats);
}

/* A unit's or room's name as it was at @at: the old value of its first
 * rename after @at, else its name today. */
/* clang-format off */
#define STATS_SQL_NAME_AT(table, kind)                                                 \
  "SELECT coalesce((SELECT h.old_value FROM roster_changes h WHERE h.kind = '" kind "'" \
  " AND h.code = t.code AND h.change = 'name' AND h.at > ?2 ORDER BY h.at LIMIT 1),"    \
  " t.name), "
static const gchar sql_unit_name[] =
  STATS_SQL_NAME_AT ("units", "unit") "t.priority FROM units t WHERE t.code = ?1";
static const gchar sql_room_name[] =
  STATS_SQL_NAME_AT ("endpoints", "endpoint") "0 FROM endpoints t WHERE t.code = ?1";
/* clang-format on */

static gboolean
stats_row_name (SchedDb *db, SchedStatsGroup group, gint64 at, SchedStatsRow *row, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (group == SCHED_STATS_GROUP_LEVEL)
    {
      row->name = g_strdup (sched_stats_level_label (row->key, "vi"));
      return TRUE;
    }
  stmt = sched_db_prepare (db, group == SCHED_STATS_GROUP_UNIT ? sql_unit_name : sql_room_name,
                           error);
  if (stmt == NULL)
    return FALSE;
  sched_db_bind_text (stmt, 1, row->key);
  sqlite3_bind_int64 (stmt, 2, at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->name = g_strdup (sched_db_column_text (stmt, 0));
      row->priority = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "statistics names");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (row->name == NULL)
    row->name = g_strdup (row->key);
  return TRUE;
}

static gint
stats_row_compare (gconstpointer a, gconstpointer b)
{
  const SchedStatsRow *x = *(SchedStatsRow *const *)a;
  const SchedStatsRow *y = *(SchedStatsRow *const *)b;

  if (x->current.held != y->current.held)
    return x->current.held > y->current.held ? -1 : 1;
  if (x->current.booked != y->current.booked)
    return x->current.booked > y->current.booked ? -1 : 1;
  if (x->priority != y->priority)
    return x->priority > y->priority ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* Months line up by position: the i-th month of the window against the
 * i-th month of the comparison window. */
static void
stats_rows_months (SchedStats *stats, GArray *months, StatsWindow *current, StatsWindow *previous)
{
  for (guint i = 0; i < months->len; i++)
    {
      const StatsMonth *month = &g_array_index (months, StatsMonth, i);
      SchedStatsRow *row = g_new0 (SchedStatsRow, 1);
      gchar key[16];
      SchedStatsMetrics *m;

      g_snprintf (key, sizeof key, "%u", i);
      row->key = g_strdup (month->key);
      row->name = g_strdup (month->name);
      if ((m = g_hash_table_lookup (current->by_key, key)))
        row->current = *m;
      if (previous->by_key && (m = g_hash_table_lookup (previous->by_key, key)))
        row->previous = *m;
      g_ptr_array_add (stats->rows, row);
    }
}

/* Units, rooms and levels line up by key; a key of either window is
 * listed when it had a booked meeting in one of them. */
static gboolean
stats_rows_keyed (SchedDb *db, SchedStats *stats, StatsWindow *current, StatsWindow *previous,
                  GError **error)
{
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, current->by_key);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (keys, key);
  if (previous->by_key)
    {
      g_hash_table_iter_init (&iter, previous->by_key);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (keys, key);
    }
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      SchedStatsRow *row = g_new0 (SchedStatsRow, 1);
      SchedStatsMetrics *m;

      row->key = g_strdup (key);
      g_ptr_array_add (stats->rows, row);
      if ((m = g_hash_table_lookup (current->by_key, key)))
        row->current = *m;
      if (previous->by_key && (m = g_hash_table_lookup (previous->by_key, key)))
        row->previous = *m;
      if (row->current.booked == 0 && row->previous.booked == 0)
        g_ptr_array_remove_index_fast (stats->rows, stats->rows->len - 1);
      else if (!stats_row_name (db, stats->query.group_by, stats->query.to - 1, row, error))
        return FALSE;
    }
  g_ptr_array_sort (stats->rows, stats_row_compare);
  return TRUE;
}

static SchedStatsMetrics *
stats_fold_slot (GHashTable *folded, const gchar *key)
{
  SchedStatsMetrics *m = g_hash_table_lookup (folded, key);

  if (m == NULL)
    {
      m = g_new0 (SchedStatsMetrics, 1);
      g_hash_table_insert (folded, g_strdup (key), m);
    }
  return m;
}

/* units=successor: the window's groups folded into their successors. A
 * key of level sets adds its meetings once to each distinct level its
 * levels map to (a meeting with a district and a commune room, the
 * district level mapping to the commune one, counts once there). */
static void
stats_window_fold (StatsWindow *w, const SchedStatsSuccessors *successors, SchedStatsGroup group)
{
  GHashTable *folded;
  GHashTableIter iter;
  gpointer key, value;

  if (w->by_key == NULL)
    return;
  folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, w->by_key);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (w->level_sets)
        {
          g_auto (GStrv) levels = g_strsplit (key, ",", -1);
          g_autoptr (GPtrArray) seen = g_ptr_array_new ();

          for (gchar **level = levels; *level; level++)
            {
              const gchar *into = sched_stats_successors_map (successors, group, *level);
              if (g_ptr_array_find_with_equal_func (seen, into, g_str_equal, NULL))
                continue;
              g_ptr_array_add (seen, (gpointer)into);
              metrics_add (stats_fold_slot (folded, into), value);
            }
          continue;
        }
      metrics_add (stats_fold_slot (folded, sched_stats_successors_map (successors, group, key)),
                   value);
    }
  g_hash_table_unref (w->by_key);
  w->by_key = folded;
  w->level_sets = FALSE;
}

/* units=successor, group_by=endpoint: takes back from each successor room
 * the extra counts of the meetings of [from, to) that had several rooms
 * folding into it (sql_raw_room_overlaps), so that a meeting counts once
 * per successor room as it counts once per unit. */
static gboolean
stats_window_unfold_overlaps (SchedDb *db, StatsWindow *w, gint64 from, gint64 to,
                              const gchar *rooms_json, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (w->by_key == NULL || rooms_json == NULL || from >= to)
    return TRUE;
  stmt = sched_db_prepare (db, sql_raw_room_overlaps, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  sqlite3_bind_text (stmt, 3, rooms_json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SchedStatsMetrics m, *slot = stats_window_slot (w, sched_db_column_text (stmt, 0));
      gint64 extra = sqlite3_column_int64 (stmt, 1) - 1;

      metrics_read (stmt, 2, &m);
      slot->booked -= extra * m.booked;
      slot->cancelled -= extra * m.cancelled;
      slot->displaced -= extra * m.displaced;
      slot->held -= extra * m.held;
      slot->planned_seconds -= extra * m.planned_seconds;
      slot->actual_seconds -= extra * m.actual_seconds;
      slot->present -= extra * m.present;
      slot->invited -= extra * m.invited;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "statistics query (rooms folding into one)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
stats_fold_successors (SchedDb *db, SchedStats *stats, StatsWindow *current, StatsWindow *previous,
                       GError **error)
{
  SchedStatsGroup group = stats->query.group_by;
  g_autoptr (SchedStatsSuccessors) successors = NULL;

  if (stats->query.units != SCHED_STATS_UNITS_SUCCESSOR
      || (group != SCHED_STATS_GROUP_UNIT && group != SCHED_STATS_GROUP_ENDPOINT
          && group != SCHED_STATS_GROUP_LEVEL))
    return TRUE;
  /* the roster at the last instant of the window */
  successors = sched_stats_successors_load (db, stats->query.to - 1, error);
  if (successors == NULL)
    return FALSE;
  stats_window_fold (current, successors, group);
  stats_window_fold (previous, successors, group);
  if (group == SCHED_STATS_GROUP_ENDPOINT && !current->room_successors)
    {
      g_autofree gchar *rooms = sched_stats_successors_rooms_json (successors);

      if (!stats_window_unfold_overlaps (db, current, stats->query.from, stats->query.to, rooms,
                                         error)
          || !stats_window_unfold_overlaps (db, previous, stats->previous_from, stats->previous_to,
                                            rooms, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
stats_rooms_final_at (SchedDb *db, gint64 at, gboolean *out, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql_rooms_final_at, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading room periods");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *out = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
stats_check_query (const SchedStatsQuery *query, GError **error)
{
  if (query->from >= query->to)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "to", "must be after from");
      return FALSE;
    }
  if (query->to - query->from > STATS_MAX_WINDOW_SECONDS)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "to",
                             "the window may span at most 20 years");
      return FALSE;
    }
  return TRUE;
}

static SchedStats *stats_compute (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query,
                                  GError **error);

SchedStats *
sched_stats_compute (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query, GError **error)
{
  SchedStats *stats;
  gboolean marked = FALSE;
  gint64 refreshed_at = 0;

  g_return_val_if_fail (db != NULL && tz != NULL && query != NULL, NULL);

  if (!query->stale_ok || query->force_raw)
    return stats_compute (db, tz, query, error);
  /* One read transaction: every statement sees the same rollup, even if
   * another connection commits meanwhile. */
  if (!sched_db_run (db, "BEGIN", error))
    return NULL;
  if (!sched_stats_rollup_freshness (db, &marked, &refreshed_at, error))
    {
      sched_db_run (db, "ROLLBACK", NULL);
      return NULL;
    }
  stats = stats_compute (db, tz, query, error);
  sched_db_run (db, stats ? "COMMIT" : "ROLLBACK", NULL);
  if (stats && marked)
    stats->as_of = refreshed_at;
  return stats;
}

static SchedStats *
stats_compute (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query, GError **error)
{
  g_autoptr (SchedStats) stats = NULL;
  g_autoptr (GArray) months = NULL;
  g_autoptr (GArray) previous_months = NULL;
  StatsWindow current = { 0 }, previous = { 0 };
  g_autoptr (GError) local = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (db != NULL && tz != NULL && query != NULL, NULL);

  if (!stats_check_query (query, error))
    return NULL;
  stats = g_new0 (SchedStats, 1);
  stats->query = *query;
  stats->as_of = g_get_real_time () / G_USEC_PER_SEC;
  if (!query->force_raw && !query->stale_ok && !sched_stats_rollup_refresh (db, &local))
    {
      /* A stale rollup must not be read; the raw tables give the same
       * numbers, only slower. */
      g_warning ("statistics rollup not refreshed, using the raw tables: %s", local->message);
      stats->query.force_raw = TRUE;
    }
  stats->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)stats_row_free);
  if (query->group_by == SCHED_STATS_GROUP_MONTH)
    months = stats_months (tz, query->from, query->to);
  current.level_sets = previous.level_sets
      = query->group_by == SCHED_STATS_GROUP_LEVEL && query->units == SCHED_STATS_UNITS_SUCCESSOR;
  if (query->group_by == SCHED_STATS_GROUP_ENDPOINT && query->units == SCHED_STATS_UNITS_SUCCESSOR
      && !query->fold_rooms
      && !stats_rooms_final_at (db, query->to - 1, &current.room_successors, error))
    goto out;
  previous.room_successors = current.room_successors;
  current.day_rows_only = previous.day_rows_only = query->day_rows_only;
  if (!stats_window_compute (db, tz, query->from, query->to, query->group_by,
                             stats->query.force_raw, months, &current, error))
    goto out;
  stats->totals = current.totals;
  stats->used_rollup = current.used_rollup;
  stats->rows_read += current.rows_read;

  if (query->compare != SCHED_STATS_COMPARE_NONE)
    {
      sched_stats_previous_window (tz, query->from, query->to, query->compare,
                                   &stats->previous_from, &stats->previous_to);
      if (query->group_by == SCHED_STATS_GROUP_MONTH)
        previous_months = stats_months (tz, stats->previous_from, stats->previous_to);
      if (!stats_window_compute (db, tz, stats->previous_from, stats->previous_to, query->group_by,
                                 stats->query.force_raw, previous_months, &previous, error))
        goto out;
      stats->previous_totals = previous.totals;
      stats->previous_used_rollup = previous.used_rollup;
      stats->rows_read += previous.rows_read;
    }

  if (query->compare != SCHED_STATS_COMPARE_NONE
      && !sched_stats_roster_changed (db, stats->previous_from, query->to,
                                      &stats->roster_changed_at, error))
    goto out;
  if (!stats_fold_successors (db, stats, &current, &previous, error))
    goto out;
  if (query->group_by == SCHED_STATS_GROUP_MONTH)
    stats_rows_months (stats, months, &current, &previous);
  else if (query->group_by != SCHED_STATS_GROUP_NONE
           && !stats_rows_keyed (db, stats, &current, &previous, error))
    goto out;
  ok = TRUE;

out:
  stats_window_clear (&current);
  stats_window_clear (&previous);
  return ok ? g_steal_pointer (&stats) : NULL;
}
