/* sched-stats-recordings.c — recorded hours in /api/v1/stats (issue #18).
 *
 * Kept apart from the meeting figures (sched-stats.c, the rollup): the
 * hours of the recordings kept (not deleted by an admin or by retention)
 * of the meetings that start in the window, per group, added to the JSON
 * as "recorded_hours" in the totals and in each group. A meeting's
 * recording counts in full for its unit, for each of its rooms, for each
 * of their (current) levels once, and in the local month of its start.
 * With units=successor the keys fold as the meeting figures' do. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"

#include "sched-error.h"

/* The recordings drive the joins (CROSS JOIN fixes the order in sqlite):
 * the work grows with the recordings kept, which retention bounds, not
 * with the meetings of the window — left to itself, the planner walked
 * every meeting of the window (a third of a million in a year at
 * 1,000,000 meetings) to probe for its recordings. */
/* clang-format off */
#define RECORDED_FROM                                                                    \
  " FROM recordings r CROSS JOIN meetings m ON m.id = r.meeting_id"                     \
  " WHERE r.deleted_at IS NULL AND m.start_at >= ?1 AND m.start_at < ?2"
static const gchar sql_total[] = "SELECT '', m.start_at, r.seconds" RECORDED_FROM;
static const gchar sql_units[] = "SELECT m.unit, m.start_at, r.seconds" RECORDED_FROM;
/* clang-format on */

static const gchar sql_rooms_join[]
    = "SELECT me.endpoint, m.start_at, r.seconds FROM recordings r"
      " CROSS JOIN meetings m ON m.id = r.meeting_id"
      " JOIN meeting_endpoints me ON me.meeting_id = m.id AND me.active = 1"
      " WHERE r.deleted_at IS NULL AND m.start_at >= ?1 AND m.start_at < ?2";
/* each recording once per distinct level of its meeting's rooms */
static const gchar sql_levels_join[]
    = "SELECT e.level, m.start_at, r.seconds FROM recordings r"
      " CROSS JOIN meetings m ON m.id = r.meeting_id"
      " CROSS JOIN meeting_endpoints me ON me.meeting_id = m.id AND me.active = 1"
      " CROSS JOIN endpoints e ON e.code = me.endpoint"
      " WHERE r.deleted_at IS NULL AND m.start_at >= ?1 AND m.start_at < ?2"
      " GROUP BY r.id, e.level";

static gchar *
recorded_month_key (GTimeZone *tz, gint64 start)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (start);
  g_autoptr (GDateTime) there = utc ? g_date_time_to_timezone (utc, tz) : NULL;

  return there ? g_date_time_format (there, "%Y-%m") : g_strdup ("");
}

gboolean
sched_stats_recorded_seconds (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query,
                              GHashTable *by_key, gdouble *total, GError **error)
{
  const gchar *sql = sql_total;
  g_autoptr (SchedStatsSuccessors) successors = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *total = 0;
  switch (query->group_by)
    {
      case SCHED_STATS_GROUP_UNIT:
        sql = sql_units;
        break;
      case SCHED_STATS_GROUP_ENDPOINT:
        sql = sql_rooms_join;
        break;
      case SCHED_STATS_GROUP_LEVEL:
        sql = sql_levels_join;
        break;
      case SCHED_STATS_GROUP_MONTH:
      case SCHED_STATS_GROUP_NONE:
        break;
    }
  if (query->units == SCHED_STATS_UNITS_SUCCESSOR && query->group_by != SCHED_STATS_GROUP_MONTH
      && query->group_by != SCHED_STATS_GROUP_NONE
      && (successors = sched_stats_successors_load (db, query->to, error)) == NULL)
    return FALSE;
  if ((stmt = sched_db_prepare (db, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, query->from);
  sqlite3_bind_int64 (stmt, 2, query->to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const gchar *key = sched_db_column_text (stmt, 0);
      gdouble seconds = sqlite3_column_double (stmt, 2);
      g_autofree gchar *month = NULL;
      gdouble *slot;

      if (query->group_by == SCHED_STATS_GROUP_MONTH)
        key = month = recorded_month_key (tz, sqlite3_column_int64 (stmt, 1));
      else if (successors && key)
        key = sched_stats_successors_map (successors, query->group_by, key);
      if (query->group_by != SCHED_STATS_GROUP_LEVEL
          && query->group_by != SCHED_STATS_GROUP_ENDPOINT)
        *total += seconds;
      if (key == NULL || query->group_by == SCHED_STATS_GROUP_NONE)
        continue;
      if ((slot = g_hash_table_lookup (by_key, key)) == NULL)
        {
          slot = g_new0 (gdouble, 1);
          g_hash_table_insert (by_key, g_strdup (key), slot);
        }
      *slot += seconds;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "recorded hours");
      return FALSE;
    }
  /* rooms and levels count a recording more than once: the total is the
   * recordings' own sum */
  if (query->group_by == SCHED_STATS_GROUP_LEVEL || query->group_by == SCHED_STATS_GROUP_ENDPOINT)
    {
      if ((stmt = sched_db_prepare (db, sql_total, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, query->from);
      sqlite3_bind_int64 (stmt, 2, query->to);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        *total += sqlite3_column_double (stmt, 2);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          sched_db_set_error (db, error, "recorded hours");
          return FALSE;
        }
    }
  return TRUE;
}

static gdouble
recorded_hours (gdouble seconds)
{
  return sched_stats_round (seconds / 3600.0, 2);
}

gboolean
sched_stats_add_recorded_hours (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query,
                                JsonNode *root, GError **error)
{
  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *o = json_node_get_object (root);
  JsonArray *groups;
  gdouble total = 0;

  if (!sched_stats_recorded_seconds (db, tz, query, by_key, &total, error))
    return FALSE;
  json_object_set_double_member (json_object_get_object_member (o, "totals"), "recorded_hours",
                                 recorded_hours (total));
  groups = json_object_get_array_member (o, "groups");
  for (guint i = 0; groups && i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      gdouble *seconds = g_hash_table_lookup (by_key, json_object_get_string_member (g, "key"));

      json_object_set_double_member (g, "recorded_hours", recorded_hours (seconds ? *seconds : 0));
    }
  return TRUE;
}
