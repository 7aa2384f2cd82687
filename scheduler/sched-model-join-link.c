/* sched-model-join-link.c — the join_links table; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-join-link.h"

gboolean
sched_join_link_insert (SchedDb *db, gint64 meeting_id, const gchar *name, const gchar *created_by,
                        gint64 created_at, gint64 expires_at, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "INSERT INTO join_links (meeting_id, name, created_by,"
                                       " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                       error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  sched_db_bind_text (st, 2, name);
  sched_db_bind_text (st, 3, created_by);
  sqlite3_bind_int64 (st, 4, created_at);
  sqlite3_bind_int64 (st, 5, expires_at);
  return sched_db_step_done (db, st, error);
}
