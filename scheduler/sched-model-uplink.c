/* sched-model-uplink.c — the meeting_uplinks table; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-uplink.h"

void
sched_uplink_free (SchedUplink *uplink)
{
  if (uplink == NULL)
    return;
  g_free (uplink->signal_url);
  g_free (uplink->token);
  g_free (uplink->set_by);
  g_free (uplink);
}

SchedUplink *
sched_uplink_get (SchedDb *db, gint64 meeting_id, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT signal_url, token, set_by, set_at"
                                       " FROM meeting_uplinks WHERE meeting_id = ?1",
                                       error);
  SchedUplink *uplink;
  int rc;

  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, meeting_id);
  rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (st);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading a meeting's uplink");
      sqlite3_reset (st);
      return NULL;
    }
  uplink = g_new0 (SchedUplink, 1);
  uplink->meeting_id = meeting_id;
  uplink->signal_url = g_strdup (sched_db_column_text (st, 0));
  uplink->token = g_strdup (sched_db_column_text (st, 1));
  uplink->set_by = g_strdup (sched_db_column_text (st, 2));
  uplink->set_at = sqlite3_column_int64 (st, 3);
  sqlite3_reset (st);
  return uplink;
}

gboolean
sched_uplink_put (SchedDb *db, const SchedUplink *uplink, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "INSERT OR REPLACE INTO meeting_uplinks"
                                       " (meeting_id, signal_url, token, set_by, set_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5)",
                                       error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, uplink->meeting_id);
  sched_db_bind_text (st, 2, uplink->signal_url);
  sched_db_bind_text (st, 3, uplink->token);
  sched_db_bind_text (st, 4, uplink->set_by);
  sqlite3_bind_int64 (st, 5, uplink->set_at);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_uplink_delete (SchedDb *db, gint64 meeting_id, gboolean *removed, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "DELETE FROM meeting_uplinks WHERE meeting_id = ?1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  if (!sched_db_step_done (db, st, error))
    return FALSE;
  *removed = sqlite3_changes (sched_db_handle (db)) > 0;
  return TRUE;
}
