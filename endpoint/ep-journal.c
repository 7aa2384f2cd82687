/* ep-journal.c — the room's local journal (see ep-journal.h).
 *
 * Schema (user_version 1):
 *   segments(id PK, meeting, title, joined_event, joined_us, duration_ms,
 *            heartbeat_us, left_event, left_reason, open)
 *       one stay in a meeting; joined_us is the wall clock at the join,
 *       duration_ms grows at every heartbeat (monotonic clock), so a crash
 *       loses at most one heartbeat interval.
 *   events(seq PK, id UUID UNIQUE, meeting, type, at, reason, acked)
 *       joined/left events; the outbox is "acked = 0".
 * A left event's time is the join's wall-clock time plus the monotonic
 * duration, so the scheduler's durations match the journal's. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-journal.h"

#include <gio/gio.h>
#include <sqlite3.h>

#define EP_JOURNAL_SCHEMA_VERSION 1

struct _EpJournal
{
  sqlite3 *db;
  GHashTable *statements; /* const gchar *sql (static) → sqlite3_stmt* */
  /* The open segment, if any. */
  gint64 segment_id;
  gint64 segment_meeting;
  gint64 segment_joined_us; /* wall clock */
  gint64 segment_mono_us;   /* monotonic clock at the join */
};

static const gchar schema_v1[] = "CREATE TABLE segments ("
                                 "  id INTEGER PRIMARY KEY,"
                                 "  meeting INTEGER NOT NULL,"
                                 "  title TEXT,"
                                 "  joined_event TEXT NOT NULL,"
                                 "  joined_us INTEGER NOT NULL,"
                                 "  duration_ms INTEGER NOT NULL DEFAULT 0,"
                                 "  heartbeat_us INTEGER,"
                                 "  left_event TEXT,"
                                 "  left_reason TEXT,"
                                 "  open INTEGER NOT NULL DEFAULT 1);"
                                 "CREATE INDEX segments_by_join ON segments(joined_us);"
                                 "CREATE TABLE events ("
                                 "  seq INTEGER PRIMARY KEY,"
                                 "  id TEXT NOT NULL UNIQUE,"
                                 "  meeting INTEGER NOT NULL,"
                                 "  type TEXT NOT NULL CHECK (type IN ('joined','left')),"
                                 "  at INTEGER NOT NULL,"
                                 "  reason TEXT,"
                                 "  acked INTEGER NOT NULL DEFAULT 0);"
                                 "CREATE INDEX events_outbox ON events(seq) WHERE acked = 0;";

void
ep_event_free (EpEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->type);
  g_free (event->reason);
  g_free (event);
}

void
ep_report_row_free (EpReportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->title);
  g_free (row);
}

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
journal_fail (EpJournal *j, GError **error, const gchar *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "journal: %s: %s", what,
               sqlite3_errmsg (j->db));
  return FALSE;
}

static gboolean
journal_exec (EpJournal *j, const gchar *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (j->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "journal: %s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
journal_prepare (EpJournal *j, const gchar *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (j->statements, sql);

  if (stmt)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v2 (j->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      journal_fail (j, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (j->statements, (gpointer)sql, stmt);
  return stmt;
}

static gboolean
journal_step_done (EpJournal *j, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return journal_fail (j, error, "write");
  return TRUE;
}

static gboolean
journal_migrate (EpJournal *j, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gint version = -1;

  if (sqlite3_prepare_v2 (j->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (version < 0)
    return journal_fail (j, error, "reading user_version");
  if (version > EP_JOURNAL_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "journal schema %d is newer than this program", version);
      return FALSE;
    }
  if (version == EP_JOURNAL_SCHEMA_VERSION)
    return TRUE;
  if (!journal_exec (j, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!journal_exec (j, schema_v1, error) || !journal_exec (j, "PRAGMA user_version = 1", error))
    {
      journal_exec (j, "ROLLBACK", NULL);
      return FALSE;
    }
  return journal_exec (j, "COMMIT", error);
}

EpJournal *
ep_journal_open (const gchar *path, GError **error)
{
  g_autoptr (EpJournal) j = g_new0 (EpJournal, 1);

  j->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, statement_free);
  if (sqlite3_open_v2 (path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open journal %s: %s", path,
                   j->db ? sqlite3_errmsg (j->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (j->db, 2000);
  if (!journal_exec (j, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error)
      || !journal_migrate (j, error))
    return NULL;
  return g_steal_pointer (&j);
}

void
ep_journal_close (EpJournal *j)
{
  if (j == NULL)
    return;
  g_clear_pointer (&j->statements, g_hash_table_destroy);
  if (j->db)
    sqlite3_close (j->db);
  g_free (j);
}

static gboolean
journal_add_event (EpJournal *j, const gchar *id, gint64 meeting, const gchar *type, gint64 at,
                   const gchar *reason, GError **error)
{
  static const gchar sql[]
      = "INSERT INTO events (id, meeting, type, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)";
  sqlite3_stmt *stmt = journal_prepare (j, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, meeting);
  sqlite3_bind_text (stmt, 3, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, at);
  if (reason)
    sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 5);
  return journal_step_done (j, stmt, error);
}

/* Closes segment @id: duration, left event at joined + duration. */
static gboolean
journal_close_segment (EpJournal *j, gint64 id, gint64 meeting, gint64 joined_us,
                       gint64 duration_ms, const gchar *reason, GError **error)
{
  static const gchar sql[] = "UPDATE segments SET duration_ms = ?2, left_event = ?3,"
                             " left_reason = ?4, open = 0 WHERE id = ?1";
  g_autofree gchar *uuid = g_uuid_string_random ();
  gint64 left_at = (joined_us + duration_ms * 1000 + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
  sqlite3_stmt *stmt = journal_prepare (j, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, duration_ms);
  sqlite3_bind_text (stmt, 3, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_TRANSIENT);
  if (!journal_step_done (j, stmt, error))
    return FALSE;
  return journal_add_event (j, uuid, meeting, "left", left_at, reason, error);
}

gint
ep_journal_recover (EpJournal *j, GError **error)
{
  static const gchar sql[]
      = "SELECT id, meeting, joined_us, duration_ms FROM segments WHERE open = 1 ORDER BY id";
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64) * 4);
  sqlite3_stmt *stmt;
  int rc;

  if (!journal_exec (j, "BEGIN IMMEDIATE", error))
    return -1;
  if ((stmt = journal_prepare (j, sql, error)) == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 row[4];

      for (int i = 0; i < 4; i++)
        row[i] = sqlite3_column_int64 (stmt, i);
      g_array_append_vals (rows, row, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_fail (j, error, "reading open segments");
      goto fail;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      gint64 *row = (gint64 *)(rows->data + i * sizeof (gint64) * 4);

      if (!journal_close_segment (j, row[0], row[1], row[2], row[3], "crash", error))
        goto fail;
      g_message ("journal: meeting %" G_GINT64_FORMAT ": segment left open by a crash closed "
                 "at its last heartbeat (%" G_GINT64_FORMAT " s)",
                 row[1], row[3] / 1000);
    }
  if (!journal_exec (j, "COMMIT", error))
    goto fail;
  return (gint)rows->len;

fail:
  journal_exec (j, "ROLLBACK", NULL);
  return -1;
}

gboolean
ep_journal_join (EpJournal *j, gint64 meeting, const gchar *title, gint64 real_us, gint64 mono_us,
                 GError **error)
{
  static const gchar sql[]
      = "INSERT INTO segments (meeting, title, joined_event, joined_us, heartbeat_us)"
        " VALUES (?1, ?2, ?3, ?4, ?4)";
  g_autofree gchar *uuid = g_uuid_string_random ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (j->segment_id == 0, FALSE);

  if (!journal_exec (j, "BEGIN IMMEDIATE", error))
    return FALSE;
  if ((stmt = journal_prepare (j, sql, error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, meeting);
  sqlite3_bind_text (stmt, 2, title ? title : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, real_us);
  if (!journal_step_done (j, stmt, error))
    goto fail;
  j->segment_id = sqlite3_last_insert_rowid (j->db);
  if (!journal_add_event (j, uuid, meeting, "joined",
                          (real_us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC, NULL, error)
      || !journal_exec (j, "COMMIT", error))
    {
      j->segment_id = 0;
      goto fail;
    }
  j->segment_meeting = meeting;
  j->segment_joined_us = real_us;
  j->segment_mono_us = mono_us;
  return TRUE;

fail:
  journal_exec (j, "ROLLBACK", NULL);
  return FALSE;
}

gboolean
ep_journal_heartbeat (EpJournal *j, gint64 mono_us, GError **error)
{
  static const gchar sql[] = "UPDATE segments SET duration_ms = ?2, heartbeat_us = ?3"
                             " WHERE id = ?1";
  gint64 duration_ms = (mono_us - j->segment_mono_us) / 1000;
  sqlite3_stmt *stmt;

  if (j->segment_id == 0)
    return TRUE;
  if ((stmt = journal_prepare (j, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, j->segment_id);
  sqlite3_bind_int64 (stmt, 2, MAX (duration_ms, 0));
  sqlite3_bind_int64 (stmt, 3, j->segment_joined_us + MAX (duration_ms, 0) * 1000);
  return journal_step_done (j, stmt, error);
}

gboolean
ep_journal_leave (EpJournal *j, const gchar *reason, gint64 mono_us, GError **error)
{
  gint64 duration_ms = MAX ((mono_us - j->segment_mono_us) / 1000, 0);

  if (j->segment_id == 0)
    return TRUE;
  if (!journal_exec (j, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!journal_close_segment (j, j->segment_id, j->segment_meeting, j->segment_joined_us,
                              duration_ms, reason, error)
      || !journal_exec (j, "COMMIT", error))
    {
      journal_exec (j, "ROLLBACK", NULL);
      return FALSE;
    }
  j->segment_id = 0;
  j->segment_meeting = 0;
  return TRUE;
}

gint64
ep_journal_open_meeting (EpJournal *j)
{
  return j->segment_meeting;
}

GPtrArray *
ep_journal_outbox (EpJournal *j, guint limit, GError **error)
{
  static const gchar sql[] = "SELECT id, meeting, type, at, reason FROM events"
                             " WHERE acked = 0 ORDER BY seq LIMIT ?1";
  sqlite3_stmt *stmt = journal_prepare (j, sql, error);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)ep_event_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EpEvent *e = g_new0 (EpEvent, 1);

      e->id = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
      e->meeting = sqlite3_column_int64 (stmt, 1);
      e->type = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
      e->at = sqlite3_column_int64 (stmt, 3);
      e->reason = g_strdup ((const gchar *)sqlite3_column_text (stmt, 4));
      g_ptr_array_add (events, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_fail (j, error, "reading the outbox");
      return NULL;
    }
  return g_steal_pointer (&events);
}

guint
ep_journal_outbox_count (EpJournal *j)
{
  static const gchar sql[] = "SELECT count(*) FROM events WHERE acked = 0";
  sqlite3_stmt *stmt = journal_prepare (j, sql, NULL);
  guint n = 0;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return n;
}

gboolean
ep_journal_ack (EpJournal *j, GPtrArray *ids, GError **error)
{
  static const gchar sql[] = "UPDATE events SET acked = 1 WHERE id = ?1";

  if (!journal_exec (j, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = journal_prepare (j, sql, error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_TRANSIENT);
      if (!journal_step_done (j, stmt, error))
        goto fail;
    }
  return journal_exec (j, "COMMIT", error);

fail:
  journal_exec (j, "ROLLBACK", NULL);
  return FALSE;
}

GPtrArray *
ep_journal_report (EpJournal *j, gint64 from, gint64 to, GError **error)
{
  static const gchar sql[]
      = "SELECT meeting, max(title), min(joined_us), sum(duration_ms), count(*) FROM segments"
        " WHERE joined_us >= ?1 AND joined_us < ?2 GROUP BY meeting ORDER BY min(joined_us)";
  sqlite3_stmt *stmt = journal_prepare (j, sql, error);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)ep_report_row_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from == G_MININT64 ? G_MININT64 : from * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 2, to == G_MAXINT64 ? G_MAXINT64 : to * G_USEC_PER_SEC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EpReportRow *row = g_new0 (EpReportRow, 1);

      row->meeting = sqlite3_column_int64 (stmt, 0);
      row->title = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
      row->first_joined = sqlite3_column_int64 (stmt, 2) / G_USEC_PER_SEC;
      row->duration_ms = sqlite3_column_int64 (stmt, 3);
      row->segments = sqlite3_column_int (stmt, 4);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_fail (j, error, "reading segments");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
ep_journal_segments (EpJournal *j, gint64 meeting, guint *count, gint64 *duration_ms,
                     GError **error)
{
  static const gchar sql[]
      = "SELECT count(*), coalesce(sum(duration_ms), 0) FROM segments WHERE meeting = ?1";
  sqlite3_stmt *stmt = journal_prepare (j, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, meeting);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return journal_fail (j, error, "reading segments");
    }
  *count = sqlite3_column_int (stmt, 0);
  *duration_ms = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}
