/* sched-model-meeting.c — the meetings table; see the header. Every
 * statement is a string constant bound with parameters and cached by
 * sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-meeting.h"

#include "sched-error.h"
#include "sched-http.h"

#include "common/vc-time.h"

#define MEETING_COLUMNS                                                                            \
  "m.id, m.series_id, m.title, m.unit, m.chair, m.start_at, m.end_at, m.status, m.version, "       \
  "m.created_by, m.created_at, m.updated_at, m.ended_at, m.imported, m.held, "                     \
  "m.actual_seconds, m.present_count, m.invited_count, m.record"

void
sched_meeting_free (SchedMeeting *m)
{
  if (m == NULL)
    return;
  g_free (m->title);
  g_free (m->unit);
  g_free (m->chair);
  g_free (m->status);
  g_free (m->created_by);
  g_clear_pointer (&m->endpoints, g_ptr_array_unref);
  g_free (m);
}

gboolean
sched_meeting_status_is_valid (const gchar *status)
{
  return g_strcmp0 (status, "scheduled") == 0 || g_strcmp0 (status, "cancelled") == 0
         || g_strcmp0 (status, "displaced") == 0 || g_strcmp0 (status, "ended") == 0;
}

static SchedMeeting *
meeting_from_row (sqlite3_stmt *st)
{
  SchedMeeting *m = g_new0 (SchedMeeting, 1);

  m->id = sqlite3_column_int64 (st, 0);
  m->series_id = sqlite3_column_int64 (st, 1);
  m->title = g_strdup (sched_db_column_text (st, 2));
  m->unit = g_strdup (sched_db_column_text (st, 3));
  m->chair = g_strdup (sched_db_column_text (st, 4));
  m->start = sqlite3_column_int64 (st, 5);
  m->end = sqlite3_column_int64 (st, 6);
  m->status = g_strdup (sched_db_column_text (st, 7));
  m->version = sqlite3_column_int64 (st, 8);
  m->created_by = g_strdup (sched_db_column_text (st, 9));
  m->created_at = sqlite3_column_int64 (st, 10);
  m->updated_at = sqlite3_column_int64 (st, 11);
  m->ended_at = sqlite3_column_int64 (st, 12);
  m->imported = sqlite3_column_int (st, 13) != 0;
  m->held = sqlite3_column_int (st, 14) != 0;
  m->actual_seconds = sqlite3_column_int64 (st, 15);
  m->present_count = sqlite3_column_int64 (st, 16);
  m->invited_count = sqlite3_column_int64 (st, 17);
  m->record = sqlite3_column_int (st, 18) != 0;
  m->endpoints = g_ptr_array_new_with_free_func (g_free);
  return m;
}

/* Chair first, then the other rooms by code. */
static gboolean
meeting_load_endpoints (SchedDb *db, SchedMeeting *m, GError **error)
{
  return sched_meeting_room_list (db, m->id, m->chair, m->endpoints, error);
}

SchedMeeting *
sched_meeting_load (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "SELECT " MEETING_COLUMNS " FROM meetings m WHERE m.id = ?1", error);
  g_autoptr (SchedMeeting) m = NULL;
  int rc;

  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, id);
  rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no meeting %" G_GINT64_FORMAT, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "reading meeting");
      sqlite3_reset (st);
      return NULL;
    }
  m = meeting_from_row (st);
  sqlite3_reset (st);
  if (!meeting_load_endpoints (db, m, error))
    return NULL;
  return g_steal_pointer (&m);
}

gboolean
sched_meeting_has_endpoint (const SchedMeeting *m, const gchar *endpoint)
{
  for (guint i = 0; i < m->endpoints->len; i++)
    if (g_strcmp0 (g_ptr_array_index (m->endpoints, i), endpoint) == 0)
      return TRUE;
  return FALSE;
}

gboolean
sched_meeting_list (SchedDb *db, const SchedMeetingFilter *f, GPtrArray *out, GError **error)
{
  /* start_at > from - 24 h bounds the index range (no meeting is longer). */
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "SELECT " MEETING_COLUMNS " FROM meetings m "
                          "WHERE m.start_at > ?1 - ?7 AND m.start_at < ?2 AND m.end_at > ?1 "
                          "AND (?3 IS NULL OR m.unit = ?3) "
                          "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM meeting_endpoints e "
                          "     WHERE e.meeting_id = m.id AND e.endpoint = ?4)) "
                          "AND (?5 IS NULL OR m.status = ?5) "
                          "ORDER BY m.start_at, m.id LIMIT ?6",
                          error);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_meeting_free);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, f->from);
  sqlite3_bind_int64 (st, 2, f->to);
  sched_db_bind_text (st, 3, f->unit);
  sched_db_bind_text (st, 4, f->endpoint);
  sched_db_bind_text (st, 5, f->status);
  sqlite3_bind_int (st, 6, f->limit > 0 ? f->limit : 1000);
  sqlite3_bind_int64 (st, 7, SCHED_MEETING_MAX_SECONDS);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (found, meeting_from_row (st));
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing meetings");
      sqlite3_reset (st);
      return FALSE;
    }
  sqlite3_reset (st);
  for (guint i = 0; i < found->len; i++)
    {
      if (!meeting_load_endpoints (db, g_ptr_array_index (found, i), error))
        return FALSE;
    }
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (out, g_steal_pointer (&g_ptr_array_index (found, i)));
  g_ptr_array_set_free_func (found, NULL);
  return TRUE;
}

void
sched_meeting_to_json (const SchedMeeting *m, JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, m->id);
  json_builder_set_member_name (b, "series_id");
  if (m->series_id)
    json_builder_add_int_value (b, m->series_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, m->title);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, m->unit);
  json_builder_set_member_name (b, "chair");
  json_builder_add_string_value (b, m->chair);
  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->endpoints->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (m->endpoints, i));
  json_builder_end_array (b);
  sched_json_add_time (b, "start", m->start);
  sched_json_add_time (b, "end", m->end);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, m->status);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, m->version);
  json_builder_set_member_name (b, "created_by");
  json_builder_add_string_value (b, m->created_by);
  sched_json_add_time (b, "created_at", m->created_at);
  sched_json_add_time (b, "updated_at", m->updated_at);
  json_builder_set_member_name (b, "ended_at");
  if (m->ended_at)
    {
      g_autofree gchar *t = vc_time_format_utc (m->ended_at);
      json_builder_add_string_value (b, t);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "imported");
  json_builder_add_boolean_value (b, m->imported);
  json_builder_set_member_name (b, "held");
  json_builder_add_boolean_value (b, m->held);
  json_builder_set_member_name (b, "actual_seconds");
  json_builder_add_int_value (b, m->actual_seconds);
  json_builder_set_member_name (b, "present_count");
  json_builder_add_int_value (b, m->present_count);
  json_builder_set_member_name (b, "invited_count");
  json_builder_add_int_value (b, m->invited_count);
  json_builder_set_member_name (b, "record");
  json_builder_add_boolean_value (b, m->record);
  json_builder_end_object (b);
}

JsonNode *
sched_meeting_to_node (const SchedMeeting *m)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  sched_meeting_to_json (m, b);
  return json_builder_get_root (b);
}

gboolean
sched_meeting_insert (SchedDb *db, const SchedMeeting *m, gint64 *id, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "INSERT INTO meetings(series_id, title, unit, chair, start_at, end_at, status, created_by, "
      "created_at, updated_at, ended_at, imported, invited_count, record) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13)",
      error);

  if (st == NULL)
    return FALSE;
  if (m->series_id > 0)
    sqlite3_bind_int64 (st, 1, m->series_id);
  sched_db_bind_text (st, 2, m->title);
  sched_db_bind_text (st, 3, m->unit);
  sched_db_bind_text (st, 4, m->chair);
  sqlite3_bind_int64 (st, 5, m->start);
  sqlite3_bind_int64 (st, 6, m->end);
  sched_db_bind_text (st, 7, m->status);
  sched_db_bind_text (st, 8, m->created_by);
  sqlite3_bind_int64 (st, 9, m->created_at);
  if (m->ended_at > 0)
    sqlite3_bind_int64 (st, 10, m->ended_at);
  sqlite3_bind_int (st, 11, m->imported ? 1 : 0);
  sqlite3_bind_int (st, 12, (int)m->invited_count);
  sqlite3_bind_int (st, 13, m->record ? 1 : 0);
  if (!sched_db_step_done (db, st, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (sched_db_handle (db));
  return TRUE;
}

gboolean
sched_meeting_update (SchedDb *db, const SchedMeeting *m, gint64 now, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "UPDATE meetings SET title = ?2, unit = ?3, chair = ?4, start_at = ?5, end_at = ?6, "
      "invited_count = ?7, record = ?9, version = version + 1, updated_at = ?8 WHERE id = ?1",
      error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, m->id);
  sched_db_bind_text (st, 2, m->title);
  sched_db_bind_text (st, 3, m->unit);
  sched_db_bind_text (st, 4, m->chair);
  sqlite3_bind_int64 (st, 5, m->start);
  sqlite3_bind_int64 (st, 6, m->end);
  sqlite3_bind_int (st, 7, (int)m->invited_count);
  sqlite3_bind_int64 (st, 8, now);
  sqlite3_bind_int (st, 9, m->record ? 1 : 0);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_meeting_set_status (SchedDb *db, gint64 id, const gchar *status, gint64 now, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "UPDATE meetings SET status = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
      error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  sched_db_bind_text (st, 2, status);
  sqlite3_bind_int64 (st, 3, now);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_meeting_displace (SchedDb *db, gint64 id, gint64 now, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "UPDATE meetings SET status = 'displaced', version = "
                                       "version + 1, updated_at = ?2 WHERE id = ?1 AND status = "
                                       "'scheduled'",
                                       error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int64 (st, 2, now);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_meeting_set_end (SchedDb *db, gint64 id, gint64 end, gboolean ended, gint64 now,
                       GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "UPDATE meetings SET end_at = CASE WHEN ?3 THEN end_at ELSE ?2 END, "
                          "ended_at = CASE WHEN ?3 THEN ?2 ELSE ended_at END, "
                          "status = CASE WHEN ?3 THEN 'ended' ELSE status END, "
                          "version = version + 1, updated_at = ?4 WHERE id = ?1",
                          error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int64 (st, 2, end);
  sqlite3_bind_int (st, 3, ended ? 1 : 0);
  sqlite3_bind_int64 (st, 4, now);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_meeting_set_attendance (SchedDb *db, gint64 id, gboolean held, gint64 actual_seconds,
                              gint64 present_count, gint64 invited_count, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "UPDATE meetings SET held = ?2, actual_seconds = ?3, present_count = ?4, "
                          "invited_count = ?5 WHERE id = ?1",
                          error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int (st, 2, held ? 1 : 0);
  sqlite3_bind_int64 (st, 3, actual_seconds);
  sqlite3_bind_int64 (st, 4, present_count);
  sqlite3_bind_int64 (st, 5, invited_count);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_meeting_get_room_window (SchedDb *db, gint64 id, const gchar *endpoint, gint64 *start,
                               gint64 *end, gboolean *has_room, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT m.start_at, m.end_at, m.status, m.ended_at, "
                                       "EXISTS (SELECT 1 FROM meeting_endpoints e "
                                       "        WHERE e.meeting_id = m.id AND e.endpoint = ?2) "
                                       "FROM meetings m WHERE m.id = ?1",
                                       error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  sched_db_bind_text (st, 2, endpoint);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (st);
      if (rc == SQLITE_DONE)
        g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no meeting %" G_GINT64_FORMAT, id);
      else
        sched_db_set_error (db, error, "reading the meeting");
      return FALSE;
    }
  *start = sqlite3_column_int64 (st, 0);
  *end = sqlite3_column_int64 (st, 1);
  if (g_strcmp0 (sched_db_column_text (st, 2), "ended") == 0 && sqlite3_column_int64 (st, 3) > 0)
    *end = MIN (*end, sqlite3_column_int64 (st, 3));
  *has_room = sqlite3_column_int (st, 4) != 0;
  sqlite3_reset (st);
  return TRUE;
}

gboolean
sched_meeting_list_live_ids (SchedDb *db, gint64 starts_by, gint64 ends_after, GArray *out,
                             GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT id FROM meetings WHERE status = 'scheduled'"
                                       " AND start_at <= ?1 AND end_at > ?2",
                                       error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, starts_by);
  sqlite3_bind_int64 (st, 2, ends_after);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (st, 0);
      g_array_append_val (out, id);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing running meetings");
      return FALSE;
    }
  return TRUE;
}

/* clang-format off */
#define OUT_OF_PERIOD(row, t)                                                          \
  "((" row ".valid_to IS NOT NULL AND " t " >= " row ".valid_to)"                     \
  " OR (" row ".valid_from IS NOT NULL AND " t " < " row ".valid_from))"
/* clang-format on */

gboolean
sched_meeting_list_out_of_roster_ids (SchedDb *db, gint64 from, const gchar *unit, GArray *out,
                                      GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT m.id FROM meetings m JOIN units u ON u.code = m.unit"
      " WHERE m.status = 'scheduled' AND m.start_at >= ?1 AND (?2 IS NULL OR m.unit = ?2)"
      " AND (" OUT_OF_PERIOD (
          "u", "m.start_at") "  OR EXISTS (SELECT 1 FROM meeting_endpoints me JOIN endpoints e ON "
                             "e.code = me.endpoint"
                             "   WHERE me.meeting_id = m.id AND me.active = 1 AND " OUT_OF_PERIOD (
                                 "e", "m.start_at") "))"
                                                    " ORDER BY m.start_at, m.id",
      error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, from);
  sched_db_bind_text (st, 2, unit);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (st, 0);
      g_array_append_val (out, id);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing meetings outside the roster");
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_meeting_find_displaceable (SchedDb *db, gint64 at, gint priority, GArray *skip, gint64 *id,
                                 GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT m.id FROM meetings m LEFT JOIN units u ON u.code = m.unit "
      "WHERE m.status = 'scheduled' AND m.start_at <= ?1 AND m.end_at > ?1 "
      "AND coalesce(u.priority, 0) < ?2 ORDER BY coalesce(u.priority, 0), m.id DESC",
      error);
  int rc;

  *id = 0;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, at);
  sqlite3_bind_int (st, 2, priority);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW && *id == 0)
    {
      gint64 candidate = sqlite3_column_int64 (st, 0);
      gboolean taken = FALSE;

      for (guint i = 0; skip && i < skip->len && !taken; i++)
        taken = g_array_index (skip, gint64, i) == candidate;
      if (!taken)
        *id = candidate;
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "choosing a meeting to displace");
      return FALSE;
    }
  return TRUE;
}

void
sched_meeting_count_free (SchedMeetingCount *count)
{
  if (count == NULL)
    return;
  g_free (count->status);
  g_free (count);
}

GPtrArray *
sched_meeting_count_by_status (SchedDb *db, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT status, count(*) FROM meetings GROUP BY status ORDER BY status", error);
  g_autoptr (GPtrArray) counts
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_meeting_count_free);
  int rc;

  if (st == NULL)
    return NULL;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedMeetingCount *c = g_new0 (SchedMeetingCount, 1);

      c->status = g_strdup (sched_db_column_text (st, 0));
      c->count = sqlite3_column_int64 (st, 1);
      g_ptr_array_add (counts, c);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "counting meetings");
      return NULL;
    }
  return g_steal_pointer (&counts);
}

gboolean
sched_meeting_list_series (SchedDb *db, gint64 series_id, gint64 from_start, GArray *ids,
                           GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT id FROM meetings WHERE series_id = ?1 AND "
                                       "start_at >= ?2 AND status = 'scheduled' ORDER BY start_at",
                                       error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, series_id);
  sqlite3_bind_int64 (st, 2, from_start);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (st, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing a series");
      return FALSE;
    }
  return TRUE;
}
