/* sched-model-recording.c — the recordings table; see the header. Every
 * statement is a string constant bound with parameters and cached by
 * sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-recording.h"

#include "sched-error.h"

#include <string.h>

#define RECORDING_COLUMNS                                                                          \
  "id, meeting_id, segment, name, bytes, seconds, started_at, fetched_at, deleted_at, deleted_by"

void
sched_recording_free (SchedRecording *r)
{
  if (r == NULL)
    return;
  g_free (r->name);
  g_free (r->deleted_by);
  g_free (r);
}

gboolean
sched_recording_name_is_valid (const gchar *name)
{
  gsize len = name ? strlen (name) : 0;

  if (len == 0 || len > 100 || name[0] == '.')
    return FALSE;
  return strspn (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

static SchedRecording *
recording_from_row (sqlite3_stmt *st)
{
  SchedRecording *r = g_new0 (SchedRecording, 1);

  r->id = sqlite3_column_int64 (st, 0);
  r->meeting_id = sqlite3_column_int64 (st, 1);
  r->segment = sqlite3_column_int (st, 2);
  r->name = g_strdup (sched_db_column_text (st, 3));
  r->bytes = sqlite3_column_int64 (st, 4);
  r->seconds = sqlite3_column_double (st, 5);
  r->started_at = sqlite3_column_int64 (st, 6);
  r->fetched_at = sqlite3_column_int64 (st, 7);
  r->deleted_at = sqlite3_column_int64 (st, 8);
  r->deleted_by = g_strdup (sched_db_column_text (st, 9));
  return r;
}

/* Steps @st to its end, appending each row to @out. */
static gboolean
recording_collect (SchedDb *db, sqlite3_stmt *st, GPtrArray *out, const gchar *what, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, recording_from_row (st));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, what);
      return FALSE;
    }
  return TRUE;
}

SchedRecording *
sched_recording_get (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "SELECT " RECORDING_COLUMNS " FROM recordings WHERE id = ?1", error);
  SchedRecording *r = NULL;
  int rc;

  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, id);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    r = recording_from_row (st);
  sqlite3_reset (st);
  if (rc == SQLITE_DONE)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no recording %" G_GINT64_FORMAT, id);
  else if (rc != SQLITE_ROW)
    sched_db_set_error (db, error, "reading a recording");
  return r;
}

gboolean
sched_recording_list_meeting (SchedDb *db, gint64 meeting_id, GPtrArray *out, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT " RECORDING_COLUMNS " FROM recordings "
                                       "WHERE meeting_id = ?1 AND deleted_at IS NULL "
                                       "ORDER BY segment",
                                       error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  return recording_collect (db, st, out, "listing a meeting's recordings", error);
}

gboolean
sched_recording_exists (SchedDb *db, gint64 meeting_id, const gchar *name, gboolean *exists,
                        GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT 1 FROM recordings WHERE meeting_id = ?1 AND name = ?2", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, meeting_id);
  sched_db_bind_text (st, 2, name);
  rc = sqlite3_step (st);
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "looking up a recording");
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
sched_recording_insert (SchedDb *db, const SchedRecording *r, gint64 *id, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "INSERT INTO recordings (meeting_id, segment, name, bytes, seconds, started_at, "
      "fetched_at) VALUES (?1, (SELECT coalesce(max(segment), 0) + 1 FROM recordings "
      "WHERE meeting_id = ?1), ?2, ?3, ?4, ?5, ?6)",
      error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, r->meeting_id);
  sched_db_bind_text (st, 2, r->name);
  sqlite3_bind_int64 (st, 3, r->bytes);
  sqlite3_bind_double (st, 4, r->seconds);
  sqlite3_bind_int64 (st, 5, r->started_at);
  sqlite3_bind_int64 (st, 6, r->fetched_at);
  if (!sched_db_step_done (db, st, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (sched_db_handle (db));
  return TRUE;
}

gboolean
sched_recording_mark_deleted (SchedDb *db, gint64 id, gint64 at, const gchar *actor, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "UPDATE recordings SET deleted_at = ?2, deleted_by = ?3 WHERE id = ?1 AND deleted_at IS NULL",
      error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int64 (st, 2, at);
  sched_db_bind_text (st, 3, actor);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_recording_list_started_before (SchedDb *db, gint64 before, GPtrArray *out, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT " RECORDING_COLUMNS " FROM recordings "
                                       "WHERE started_at < ?1 AND deleted_at IS NULL "
                                       "ORDER BY started_at",
                                       error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, before);
  return recording_collect (db, st, out, "listing old recordings", error);
}

gboolean
sched_recording_list_recorded_meetings (SchedDb *db, gint64 starts_by, gint64 over_after,
                                        GArray *out, GError **error)
{
  /* start_at > over_after - 24 h bounds the index range (no meeting is
   * longer); a meeting ended early is over at its ended_at. */
  sqlite3_stmt *st
      = sched_db_prepare (db,
                          "SELECT id FROM meetings WHERE start_at > ?2 - 86400 AND start_at <= ?1 "
                          "AND coalesce(ended_at, end_at) > ?2 ORDER BY start_at, id",
                          error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, starts_by);
  sqlite3_bind_int64 (st, 2, over_after);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (st, 0);
      g_array_append_val (out, id);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing recorded meetings");
      return FALSE;
    }
  return TRUE;
}
