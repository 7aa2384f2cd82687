/* sched-model-meeting-room.c — the meeting_endpoints table; see the header.
 * Every statement is a string constant bound with parameters and cached by
 * sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-meeting-room.h"

#include "sched-error.h"
#include "sched-model-meeting.h"

gboolean
sched_meeting_room_insert (SchedDb *db, gint64 meeting_id, GPtrArray *endpoints, gint64 start,
                           gint64 end, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "INSERT INTO meeting_endpoints(meeting_id, endpoint, "
                                       "start_at, end_at, active) VALUES (?1, ?2, ?3, ?4, 1)",
                                       error);

  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < endpoints->len; i++)
    {
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, meeting_id);
      sched_db_bind_text (st, 2, g_ptr_array_index (endpoints, i));
      sqlite3_bind_int64 (st, 3, start);
      sqlite3_bind_int64 (st, 4, end);
      if (!sched_db_step_done (db, st, error))
        return FALSE;
    }
  return TRUE;
}

/* Runs @sql, a statement with ?1 = the meeting and optionally ?2 = @value. */
static gboolean
meeting_room_write (SchedDb *db, const gchar *sql, gint64 meeting_id, gboolean with_value,
                    gint64 value, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db, sql, error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  if (with_value)
    sqlite3_bind_int64 (st, 2, value);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_meeting_room_delete (SchedDb *db, gint64 meeting_id, GError **error)
{
  return meeting_room_write (db, "DELETE FROM meeting_endpoints WHERE meeting_id = ?1", meeting_id,
                             FALSE, 0, error);
}

gboolean
sched_meeting_room_deactivate (SchedDb *db, gint64 meeting_id, GError **error)
{
  return meeting_room_write (db, "UPDATE meeting_endpoints SET active = 0 WHERE meeting_id = ?1",
                             meeting_id, FALSE, 0, error);
}

gboolean
sched_meeting_room_set_end (SchedDb *db, gint64 meeting_id, gint64 end, GError **error)
{
  return meeting_room_write (db, "UPDATE meeting_endpoints SET end_at = ?2 WHERE meeting_id = ?1",
                             meeting_id, TRUE, end, error);
}

gboolean
sched_meeting_room_list (SchedDb *db, gint64 meeting_id, const gchar *first, GPtrArray *out,
                         GError **error)
{
  /* With ?2 NULL, "endpoint <> ?2" is NULL for every row: code order. */
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "SELECT endpoint FROM meeting_endpoints WHERE meeting_id = ?1 "
                          "ORDER BY endpoint <> ?2, endpoint",
                          error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  sched_db_bind_text (st, 2, first);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup (sched_db_column_text (st, 0)));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading meeting rooms");
      return FALSE;
    }
  return TRUE;
}

void
sched_participant_free (SchedParticipant *p)
{
  if (p == NULL)
    return;
  g_free (p->code);
  g_free (p->name);
  g_free (p);
}

GPtrArray *
sched_meeting_room_list_participants (SchedDb *db, gint64 meeting_id, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT me.endpoint, e.name FROM meeting_endpoints me"
                                       " JOIN endpoints e ON e.code = me.endpoint"
                                       " WHERE me.meeting_id = ?1 AND me.active = 1"
                                       " ORDER BY me.endpoint",
                                       error);
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_participant_free);
  int rc;

  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, meeting_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedParticipant *p = g_new0 (SchedParticipant, 1);

      p->code = g_strdup (sched_db_column_text (st, 0));
      p->name = g_strdup (sched_db_column_text (st, 1));
      g_ptr_array_add (out, p);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading participants");
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
sched_conflict_free (SchedConflict *c)
{
  if (c == NULL)
    return;
  g_free (c->endpoint);
  g_free (c->title);
  g_free (c->unit);
  g_free (c);
}

gboolean
sched_meeting_room_find_conflicts (SchedDb *db, GPtrArray *endpoints, gint64 start, gint64 end,
                                   gint64 exclude_id, GPtrArray *conflicts, GError **error)
{
  /* "e.start_at > start - 24 h" bounds the range scan of the partial index
   * meeting_endpoints_by_room_end: no meeting is longer than that. */
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT m.id, m.title, m.unit, m.start_at, m.end_at, coalesce(u.priority, 0) "
      "FROM meeting_endpoints e JOIN meetings m ON m.id = e.meeting_id "
      "LEFT JOIN units u ON u.code = m.unit "
      "WHERE e.endpoint = ?1 AND e.active = 1 AND e.start_at > ?2 - ?5 AND e.start_at < ?3 "
      "AND e.end_at > ?2 AND e.meeting_id <> ?4 ORDER BY e.start_at",
      error);
  int rc;

  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < endpoints->len; i++)
    {
      sqlite3_reset (st);
      sched_db_bind_text (st, 1, g_ptr_array_index (endpoints, i));
      sqlite3_bind_int64 (st, 2, start);
      sqlite3_bind_int64 (st, 3, end);
      sqlite3_bind_int64 (st, 4, exclude_id);
      sqlite3_bind_int64 (st, 5, SCHED_MEETING_MAX_SECONDS);
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          SchedConflict *c = g_new0 (SchedConflict, 1);
          c->endpoint = g_strdup (g_ptr_array_index (endpoints, i));
          c->meeting_id = sqlite3_column_int64 (st, 0);
          c->title = g_strdup (sched_db_column_text (st, 1));
          c->unit = g_strdup (sched_db_column_text (st, 2));
          c->start = sqlite3_column_int64 (st, 3);
          c->end = sqlite3_column_int64 (st, 4);
          c->priority = sqlite3_column_int (st, 5);
          g_ptr_array_add (conflicts, c);
        }
      if (rc != SQLITE_DONE)
        {
          sched_db_set_error (db, error, "checking conflicts");
          sqlite3_reset (st);
          return FALSE;
        }
    }
  sqlite3_reset (st);
  return TRUE;
}

gboolean
sched_meeting_room_list_spans (SchedDb *db, gint64 start, gint64 end, gint64 exclude_id,
                               GArray *out, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT meeting_id, min(start_at), max(end_at), count(*) FROM meeting_endpoints "
      "WHERE active = 1 AND start_at > ?1 - ?4 AND start_at < ?2 AND end_at > ?1 "
      "AND meeting_id <> ?3 GROUP BY meeting_id",
      error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, start);
  sqlite3_bind_int64 (st, 2, end);
  sqlite3_bind_int64 (st, 3, exclude_id);
  sqlite3_bind_int64 (st, 4, SCHED_MEETING_MAX_SECONDS);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedMeetingSpan span = {
        .meeting_id = sqlite3_column_int64 (st, 0),
        .start = sqlite3_column_int64 (st, 1),
        .end = sqlite3_column_int64 (st, 2),
        .n_rooms = sqlite3_column_int (st, 3),
      };
      g_array_append_val (out, span);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "checking capacity");
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_meeting_room_unit_seconds (SchedDb *db, const gchar *unit, gint64 from, gint64 to,
                                 gint64 *seconds, GError **error)
{
  /* "m.start_at > from - 24 h" bounds the scan of meetings_by_start: no
   * meeting is longer than that. */
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "SELECT coalesce(sum(min(e.end_at, ?3) - max(e.start_at, ?2)), 0) "
                          "FROM meetings m JOIN meeting_endpoints e ON e.meeting_id = m.id "
                          "WHERE m.start_at > ?2 - ?4 AND m.start_at < ?3 AND m.unit = ?1 "
                          "AND e.active = 1 AND e.end_at > ?2",
                          error);
  int rc;

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, unit);
  sqlite3_bind_int64 (st, 2, from);
  sqlite3_bind_int64 (st, 3, to);
  sqlite3_bind_int64 (st, 4, SCHED_MEETING_MAX_SECONDS);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading room-hours");
      sqlite3_reset (st);
      return FALSE;
    }
  *seconds = sqlite3_column_int64 (st, 0);
  sqlite3_reset (st);
  return TRUE;
}

gboolean
sched_meeting_room_has_future (SchedDb *db, const gchar *endpoint, gint64 now, gboolean *busy,
                               GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT 1 FROM meeting_endpoints e JOIN meetings m ON m.id = e.meeting_id "
      "WHERE e.endpoint = ?1 AND e.active = 1 AND m.status = 'scheduled' "
      "AND e.end_at > ?2 LIMIT 1",
      error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, endpoint);
  sqlite3_bind_int64 (st, 2, now);
  *busy = sqlite3_step (st) == SQLITE_ROW;
  sqlite3_reset (st);
  return TRUE;
}

void
sched_schedule_entry_free (SchedScheduleEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->title);
  g_free (e->unit);
  g_free (e->unit_name);
  g_free (e->chair);
  g_free (e->status);
  g_free (e->room_name);
  g_free (e);
}

GPtrArray *
sched_meeting_room_list_schedule (SchedDb *db, const gchar *endpoint, gint64 from, gint64 to,
                                  gint limit, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT m.id, m.title, m.unit, u.name, m.chair, m.start_at, m.end_at, m.status, e.name"
      " FROM meeting_endpoints me"
      " JOIN meetings m ON m.id = me.meeting_id"
      " JOIN units u ON u.code = m.unit"
      " JOIN endpoints e ON e.code = me.endpoint"
      " WHERE me.endpoint = ?1 AND me.active = 1 AND m.status = 'scheduled'"
      "   AND m.end_at > ?2 AND m.start_at < ?3"
      " ORDER BY m.start_at, m.id LIMIT ?4",
      error);
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_schedule_entry_free);
  int rc;

  if (st == NULL)
    return NULL;
  sched_db_bind_text (st, 1, endpoint);
  sqlite3_bind_int64 (st, 2, from);
  sqlite3_bind_int64 (st, 3, to);
  sqlite3_bind_int (st, 4, limit);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedScheduleEntry *e = g_new0 (SchedScheduleEntry, 1);

      e->id = sqlite3_column_int64 (st, 0);
      e->title = g_strdup (sched_db_column_text (st, 1));
      e->unit = g_strdup (sched_db_column_text (st, 2));
      e->unit_name = g_strdup (sched_db_column_text (st, 3));
      e->chair = g_strdup (sched_db_column_text (st, 4));
      e->start = sqlite3_column_int64 (st, 5);
      e->end = sqlite3_column_int64 (st, 6);
      e->status = g_strdup (sched_db_column_text (st, 7));
      e->room_name = g_strdup (sched_db_column_text (st, 8));
      g_ptr_array_add (out, e);
    }
  /* Reset now: ends its read transaction now, not at the next use. */
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading the schedule");
      return NULL;
    }
  return g_steal_pointer (&out);
}
