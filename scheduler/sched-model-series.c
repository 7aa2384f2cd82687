/* sched-model-series.c — the series table; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-series.h"

gboolean
sched_series_insert (SchedDb *db, const gchar *rule, gint64 created_at, gint64 *id, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "INSERT INTO series(rule, created_at) VALUES (?1, ?2)", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, rule);
  sqlite3_bind_int64 (st, 2, created_at);
  if (!sched_db_step_done (db, st, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (sched_db_handle (db));
  return TRUE;
}
