/* sched-meeting-window.c — see sched-meeting-window.h. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-meeting-window.h"
#include "sched-error.h"
#include "sched-model-meeting.h"

#include "common/vc-time.h"

gboolean
sched_meeting_window_check (SchedDb *db, gint64 meeting_id, const gchar *endpoint, gint64 at,
                            gint64 now, GError **error)
{
  g_autoptr (GError) local = NULL;
  gint64 start = 0, end = 0;
  gboolean in = FALSE;

  if (!sched_meeting_get_room_window (db, meeting_id, endpoint, &start, &end, &in, &local))
    {
      if (!g_error_matches (local, SCHED_ERROR, SCHED_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      sched_error_set_field (error, SCHED_ERROR_INVALID, "meeting",
                             "there is no meeting %" G_GINT64_FORMAT, meeting_id);
      return FALSE;
    }
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
