/* sched-meeting.c — reading meetings; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-meeting.h"

#include "sched-error.h"
#include "sched-http.h"

#include "common/vc-time.h"

#define MEETING_COLUMNS                                                                            \
  "m.id, m.series_id, m.title, m.unit, m.chair, m.start_at, m.end_at, m.status, m.version, "       \
  "m.created_by, m.created_at, m.updated_at, m.ended_at, m.imported, m.held, "                     \
  "m.actual_seconds, m.present_count, m.invited_count"

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
  m->endpoints = g_ptr_array_new_with_free_func (g_free);
  return m;
}

static gboolean
meeting_load_endpoints (SchedDb *db, SchedMeeting *m, GError **error)
{
  /* Chair first, then the other rooms by code. */
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "SELECT endpoint FROM meeting_endpoints WHERE meeting_id = ?1 "
                          "ORDER BY endpoint <> ?2, endpoint",
                          error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, m->id);
  sched_db_bind_text (st, 2, m->chair);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (m->endpoints, g_strdup (sched_db_column_text (st, 0)));
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading meeting rooms");
      return FALSE;
    }
  sqlite3_reset (st);
  return TRUE;
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
  json_builder_end_object (b);
}

JsonNode *
sched_meeting_to_node (const SchedMeeting *m)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  sched_meeting_to_json (m, b);
  return json_builder_get_root (b);
}
