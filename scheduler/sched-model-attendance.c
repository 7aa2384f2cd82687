/* sched-model-attendance.c — the attendance_events table; see the header.
 * Every statement is a string constant bound with parameters and cached
 * by sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-attendance.h"

gboolean
sched_attendance_event_insert (SchedDb *db, const gchar *id, gint64 meeting_id,
                               const gchar *endpoint, const gchar *type, gint64 at,
                               const gchar *reason, gint64 received_at, gboolean *duplicate,
                               GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "INSERT INTO attendance_events(id, meeting_id, endpoint, type, at, reason, received_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO NOTHING",
      error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, id);
  sqlite3_bind_int64 (st, 2, meeting_id);
  sched_db_bind_text (st, 3, endpoint);
  sched_db_bind_text (st, 4, type);
  sqlite3_bind_int64 (st, 5, at);
  sched_db_bind_text (st, 6, reason);
  sqlite3_bind_int64 (st, 7, received_at);
  if (!sched_db_step_done (db, st, error))
    return FALSE;
  *duplicate = sqlite3_changes (sched_db_handle (db)) == 0;
  return TRUE;
}

void
sched_attendance_event_free (SchedAttendanceEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->endpoint);
  g_free (event);
}

GPtrArray *
sched_attendance_event_list (SchedDb *db, gint64 meeting_id, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT endpoint, type, at FROM attendance_events "
                                       "WHERE meeting_id = ?1 ORDER BY endpoint, at, type",
                                       error);
  g_autoptr (GPtrArray) events
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_attendance_event_free);
  int rc;

  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, meeting_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedAttendanceEvent *e = g_new0 (SchedAttendanceEvent, 1);

      e->endpoint = g_strdup (sched_db_column_text (st, 0));
      e->joined = g_strcmp0 (sched_db_column_text (st, 1), "joined") == 0;
      e->at = sqlite3_column_int64 (st, 2);
      g_ptr_array_add (events, e);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading attendance");
      return NULL;
    }
  return g_steal_pointer (&events);
}
