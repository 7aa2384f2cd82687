/* sched-db-backup.c — backup, restore and the copy taken before a
 * migration; see the header. sqlite3_backup_* copies page by page under a
 * read transaction of the source, so a running scheduler goes on writing
 * (its WAL commits wait at most for one step). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-db-backup.h"
#include "sched-db.h"
#include "sched-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* Pages copied per step; between steps the source is unlocked. */
#define BACKUP_STEP_PAGES 1024
/* How long a step may wait for a writer (sqlite's busy handler). */
#define BACKUP_BUSY_MS 5000

static void
backup_set_sqlite_error (GError **error, sqlite3 *handle, const gchar *what, const gchar *path)
{
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "%s %s: %s", what, path,
               handle ? sqlite3_errmsg (handle) : "out of memory");
}

static sqlite3 *
backup_open (const gchar *path, int flags, GError **error)
{
  sqlite3 *handle = NULL;

  if (sqlite3_open_v2 (path, &handle, flags, NULL) != SQLITE_OK)
    {
      backup_set_sqlite_error (error, handle, "cannot open", path);
      sqlite3_close (handle);
      return NULL;
    }
  sqlite3_busy_timeout (handle, BACKUP_BUSY_MS);
  return handle;
}

/* One integer or text answer of a statement without parameters. */
static gboolean
backup_query_int (sqlite3 *handle, const gchar *sql, gint64 *out)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) == SQLITE_OK
                && sqlite3_step (stmt) == SQLITE_ROW;

  if (ok)
    *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return ok;
}

static gchar *
backup_query_text (sqlite3 *handle, const gchar *sql)
{
  sqlite3_stmt *stmt = NULL;
  gchar *text = NULL;

  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* Copies every page of @source's main database into @dest's. */
static gboolean
backup_copy (sqlite3 *source, sqlite3 *dest, const gchar *dest_path, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dest, "main", source, "main");
  int rc;

  if (backup == NULL)
    {
      backup_set_sqlite_error (error, dest, "cannot copy into", dest_path);
      return FALSE;
    }
  /* A writer holding the database stops a step; give up when no step has
   * made progress for BACKUP_BUSY_MS rather than wait for ever. */
  gint64 stalled_since = 0;

  do
    {
      rc = sqlite3_backup_step (backup, BACKUP_STEP_PAGES);
      if (rc == SQLITE_OK)
        stalled_since = 0;
      else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        {
          gint64 now = g_get_monotonic_time ();

          if (stalled_since == 0)
            stalled_since = now;
          else if (now - stalled_since > BACKUP_BUSY_MS * G_TIME_SPAN_MILLISECOND)
            break;
          sqlite3_sleep (10);
        }
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL,
                   "copying into %s: the database stayed busy for %d s; try again", dest_path,
                   BACKUP_BUSY_MS / 1000);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "copying into %s: %s", dest_path,
                   sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* NULL when @handle's database passes quick_check, else what it said. */
static gchar *
backup_check (sqlite3 *handle)
{
  g_autofree gchar *result = backup_query_text (handle, "PRAGMA quick_check");

  if (result == NULL)
    return g_strdup (sqlite3_errmsg (handle));
  if (g_strcmp0 (result, "ok") == 0)
    return NULL;
  return g_steal_pointer (&result);
}

static gchar *
backup_utc_stamp (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y%m%dT%H%M%SZ");
}

gboolean
sched_db_backup_save (const gchar *db_path, const gchar *dest_path, GError **error)
{
  g_autofree gchar *part = NULL;
  g_autofree gchar *problem = NULL;
  sqlite3 *source = NULL, *dest = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (db_path != NULL && dest_path != NULL, FALSE);

  if (g_file_test (dest_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_CONFLICT,
                   "%s exists: give the backup a new name", dest_path);
      return FALSE;
    }
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID, "no database at %s", db_path);
      return FALSE;
    }
  part = g_strconcat (dest_path, ".part", NULL);
  (void)g_unlink (part);
  if (!(source = backup_open (db_path, SQLITE_OPEN_READWRITE, error))
      || !(dest = backup_open (part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error))
      || !backup_copy (source, dest, part, error))
    goto out;
  if ((problem = backup_check (dest)) != NULL)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "the copy in %s is not sound: %s",
                   part, problem);
      goto out;
    }
  /* A copy of a WAL database is one too: made a single self-contained file
   * (vc-scheduler sets WAL again on the database it restores it into). */
  if (sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      backup_set_sqlite_error (error, dest, "cannot finish", part);
      goto out;
    }
  sqlite3_close (dest);
  dest = NULL;
  if (g_rename (part, dest_path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "renaming %s: %s", part,
                   g_strerror (saved));
      goto out;
    }
  ok = TRUE;
out:
  sqlite3_close (source);
  sqlite3_close (dest);
  if (!ok)
    (void)g_unlink (part);
  return ok;
}

/* Whether @handle holds a sound vc-scheduler database of a schema this
 * program can migrate. */
static gboolean
backup_check_restorable (sqlite3 *handle, const gchar *path, GError **error)
{
  g_autofree gchar *problem = NULL;
  gint64 version = -1, tables = 0;

  if (!backup_query_int (handle, "PRAGMA user_version", &version))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID, "%s is not an sqlite database: %s",
                   path, sqlite3_errmsg (handle));
      return FALSE;
    }
  if ((problem = backup_check (handle)) != NULL)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID, "%s is damaged: %s", path, problem);
      return FALSE;
    }
  backup_query_int (handle,
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                    "('meetings', 'meeting_endpoints', 'attendance_events', 'tokens')",
                    &tables);
  if (version < 1 || tables != 4)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID,
                   "%s is not a vc-scheduler database (schema version %" G_GINT64_FORMAT ")", path,
                   version);
      return FALSE;
    }
  if (version > SCHED_DB_SCHEMA_VERSION)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID,
                   "%s has schema version %" G_GINT64_FORMAT
                   ", newer than this program's (%d): restore it with a newer vc-scheduler",
                   path, version, SCHED_DB_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_db_backup_restore (const gchar *backup_path, const gchar *db_path, gchar **saved_path,
                         GError **error)
{
  g_autofree gchar *saved = NULL;
  sqlite3 *source = NULL, *dest = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (backup_path != NULL && db_path != NULL, FALSE);

  if (!g_file_test (backup_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID, "no backup file at %s", backup_path);
      return FALSE;
    }
  if (!(source = backup_open (backup_path, SQLITE_OPEN_READONLY, error))
      || !backup_check_restorable (source, backup_path, error))
    goto out;
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_autofree gchar *stamp = backup_utc_stamp ();
      saved = g_strconcat (db_path, ".before-restore-", stamp, NULL);
      if (!sched_db_backup_save (db_path, saved, error))
        goto out;
    }
  if (!(dest = backup_open (db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error))
      || !backup_copy (source, dest, db_path, error))
    goto out;
  ok = TRUE;
  if (saved_path)
    *saved_path = g_steal_pointer (&saved);
out:
  sqlite3_close (source);
  sqlite3_close (dest);
  return ok;
}

gchar *
sched_db_backup_before_migration (const gchar *db_path, GError **error)
{
  g_autofree gchar *stamp = NULL, *dest = NULL;
  sqlite3 *handle;
  gint64 version = 0;
  gboolean known;

  g_return_val_if_fail (db_path != NULL, NULL);

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  if (!(handle = backup_open (db_path, SQLITE_OPEN_READWRITE, error)))
    return NULL;
  known = backup_query_int (handle, "PRAGMA user_version", &version);
  sqlite3_close (handle);
  /* Unreadable, new (0) or current: sched_db_open() has the last word. */
  if (!known || version < 1 || version >= SCHED_DB_SCHEMA_VERSION)
    return NULL;
  stamp = backup_utc_stamp ();
  dest = g_strdup_printf ("%s.schema-%" G_GINT64_FORMAT "-%s.bak", db_path, version, stamp);
  if (!sched_db_backup_save (db_path, dest, error))
    return NULL;
  return g_steal_pointer (&dest);
}
