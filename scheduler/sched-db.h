/* sched-db.h — the scheduler's sqlite database: open, schema, statements.
 *
 * One SchedDb per process, used from the main thread only. WAL mode; opened
 * with synchronous=FULL, so that every acknowledged write survives kill -9 and
 * a power cut; vc-scheduler then applies [database] synchronous
 * (sched_db_set_sync: NORMAL by default, a power cut can lose at most the
 * last sync interval). The schema (schema v1 in sched-db.c) is the contract between the
 * booking, attendance, statistics and agent code: read it before writing SQL.
 *
 * SQL is bound, never built: sched_db_prepare() returns a cached, reset
 * statement for a constant SQL string. Writes that check and then write run
 * inside sched_db_begin_immediate() … sched_db_commit() / sched_db_rollback(). */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "sched-db-syncer.h"

G_BEGIN_DECLS

typedef struct _SchedDb SchedDb;

#define SCHED_DB_SCHEMA_VERSION 10

/* Opens (creating if needed) and migrates the database at @path. */
SchedDb *sched_db_open (const gchar *path, GError **error);

/* How a commit reaches the disk. FULL (what sched_db_open sets): the commit
 * waits for its fsync. NORMAL: the commit is in the WAL file when it returns
 * (it survives kill -9) and a syncer thread checkpoints — and so syncs — the
 * WAL within @interval_ms (sched-db-syncer.c). */
typedef enum
{
  SCHED_DB_SYNC_FULL,
  SCHED_DB_SYNC_NORMAL,
} SchedDbSync;

gboolean sched_db_set_sync (SchedDb *db, SchedDbSync mode, gint interval_ms, GError **error);
/* The syncer of a NORMAL database, NULL for FULL. */
SchedDbSyncer *sched_db_get_syncer (SchedDb *db);
void sched_db_close (SchedDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedDb, sched_db_close)

sqlite3 *sched_db_handle (SchedDb *db);

/* A cached statement for @sql (a string constant), reset and with its
 * bindings cleared. Owned by @db: do not finalize. NULL + error on failure. */
sqlite3_stmt *sched_db_prepare (SchedDb *db, const gchar *sql, GError **error);

/* Runs one statement without parameters (a string constant) through the
 * statement cache: for BEGIN, COMMIT, SAVEPOINT and the like on hot paths. */
gboolean sched_db_run (SchedDb *db, const gchar *sql, GError **error);

/* Runs @sql (no parameters, may hold several statements; parsed each time). */
gboolean sched_db_exec (SchedDb *db, const gchar *sql, GError **error);

gboolean sched_db_begin_immediate (SchedDb *db, GError **error);
gboolean sched_db_commit (SchedDb *db, GError **error);
void sched_db_rollback (SchedDb *db);

/* Whether the database answers a trivial query (GET /healthz). */
gboolean sched_db_ping (SchedDb *db);

/* PRAGMA data_version: changes when another connection committed. */
gboolean sched_db_data_version (SchedDb *db, gint64 *version, GError **error);

/* Sets a SCHED_ERROR_INTERNAL error from the connection's last message. */
void sched_db_set_error (SchedDb *db, GError **error, const gchar *what);

/* Steps a statement expected to finish (SQLITE_DONE); error otherwise. */
gboolean sched_db_step_done (SchedDb *db, sqlite3_stmt *stmt, GError **error);

/* Runs @sql (a string constant with one text parameter, ?1 = @text) and
 * sets @exists to whether it returned a row. */
gboolean sched_db_exists (SchedDb *db, const gchar *sql, const gchar *text, gboolean *exists,
                          GError **error);

/* Binds a UTF-8 string or NULL. */
void sched_db_bind_text (sqlite3_stmt *stmt, int index, const gchar *text);
/* Binds a period bound of the roster: 0 (unbounded) as NULL. */
void sched_db_bind_bound (sqlite3_stmt *stmt, int index, gint64 value);
/* Column text as const gchar* (NULL for SQL NULL). */
const gchar *sched_db_column_text (sqlite3_stmt *stmt, int index);

G_END_DECLS
