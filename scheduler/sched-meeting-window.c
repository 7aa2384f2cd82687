/* sched-meeting-window.c — see sched-meeting-window.h. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-meeting-window.h"
#include "sched-error.h"

#include "common/vc-time.h"

gboolean
sched_meeting_window_check (SchedDb *db, gint64 meeting_id, const gchar *endpoint, gint64 at,
                            gint64 now, GError **error)
{
  /* Any row of the room, active or not: a meeting cancelled while it ran,
   * or a room taken off it, still had the room in it until then. */
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT m.start_at, m.end_at, m.status, m.ended_at, "
                                       "EXISTS (SELECT 1 FROM meeting_endpoints e "
                                       "        WHERE e.meeting_id = m.id AND e.endpoint = ?2) "
                                       "FROM meetings m WHERE m.id = ?1",
                                       error);
  gint64 start, end;
  gboolean in;
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  sched_db_bind_text (st, 2, endpoint);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (st);
      if (rc != SQLITE_DONE)
        {
          sched_db_set_error (db, error, "reading the meeting");
          return FALSE;
        }
      sched_error_set_field (error, SCHED_ERROR_INVALID, "meeting",
                             "there is no meeting %" G_GINT64_FORMAT, meeting_id);
      return FALSE;
    }
  start = sqlite3_column_int64 (st, 0);
  end = sqlite3_column_int64 (st, 1);
  if (g_strcmp0 (sched_db_column_text (st, 2), "ended") == 0 && sqlite3_column_int64 (st, 3) > 0)
    end = MIN (end, sqlite3_column_int64 (st, 3));
  in = sqlite3_column_int (st, 4) != 0;
  sqlite3_reset (st);
  if (!in)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "meeting",
                             "room '%s' is not in meeting %" G_GINT64_FORMAT, endpoint, meeting_id);
      return FALSE;
    }
  if (at > now + SCHED_CLOCK_SKEW_SECONDS)
    {
      g_autofree gchar *text = vc_time_format_utc (at);
      sched_error_set_field (error, SCHED_ERROR_INVALID, "at", "%s is in the future", text);
      return FALSE;
    }
  if (at < start - SCHED_MEETING_EARLY_SECONDS || at > end + SCHED_MEETING_LATE_SECONDS)
    {
      g_autofree gchar *text = vc_time_format_utc (at);
      g_autofree gchar *from = vc_time_format_utc (start - SCHED_MEETING_EARLY_SECONDS);
      g_autofree gchar *to = vc_time_format_utc (end + SCHED_MEETING_LATE_SECONDS);
      sched_error_set_field (error, SCHED_ERROR_INVALID, "at",
                             "%s lies outside meeting %" G_GINT64_FORMAT " (%s to %s)", text,
                             meeting_id, from, to);
      return FALSE;
    }
  return TRUE;
}
