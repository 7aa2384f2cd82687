/* sched-db-backup.h — copies of the scheduler's database, made and put back
 * with sqlite's online backup API while the database may be in use.
 *
 * `vc-scheduler backup FILE` and `restore FILE` (sched-main.c), and the copy
 * vc-scheduler saves beside its database before it migrates an older schema
 * (docs/deployment.md, "Upgrades"). Errors are SCHED_ERROR_*: CONFLICT for
 * a target that exists, INVALID for a file that is not a vc-scheduler
 * database of a schema this program knows, INTERNAL for sqlite's failures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies the database at @db_path (which must exist) to @dest_path, which
 * must not: the copy is written beside it under a temporary name, checked
 * (PRAGMA quick_check) and renamed into place. */
gboolean sched_db_backup_save (const gchar *db_path, const gchar *dest_path, GError **error);

/* Replaces the contents of the database at @db_path (created if absent) by
 * those of @backup_path, after checking that @backup_path is a sound
 * vc-scheduler database of schema 1..SCHED_DB_SCHEMA_VERSION. An existing
 * database is first saved as <db_path>.before-restore-<UTC time>; its name
 * is returned in @saved_path (NULL when there was none). The schema is
 * migrated at the next start. Stop the scheduler first: a running one would
 * keep what it holds in memory. */
gboolean sched_db_backup_restore (const gchar *backup_path, const gchar *db_path,
                                  gchar **saved_path, GError **error);

/* Before a start migrates it: when the database at @db_path exists with a
 * schema older than SCHED_DB_SCHEMA_VERSION, saves it as
 * <db_path>.schema-<version>-<UTC time>.bak and returns that name; else
 * returns NULL without an error. */
gchar *sched_db_backup_before_migration (const gchar *db_path, GError **error);

G_END_DECLS
