/* sched-model-roster-change.c — roster_changes and reorganisations; see the
 * header. Every statement is a string constant bound with parameters and
 * cached by sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-roster-change.h"

void
sched_roster_change_free (SchedRosterChange *change)
{
  if (change == NULL)
    return;
  g_free (change->kind);
  g_free (change->code);
  g_free (change->change);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

gboolean
sched_roster_change_insert (SchedDb *db, const SchedRosterChange *change, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "INSERT INTO roster_changes (reorganisation_id, at, kind, code, change, old_value,"
      " new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      error);

  if (st == NULL)
    return FALSE;
  if (change->reorganisation_id > 0)
    sqlite3_bind_int64 (st, 1, change->reorganisation_id);
  else
    sqlite3_bind_null (st, 1);
  sqlite3_bind_int64 (st, 2, change->at);
  sched_db_bind_text (st, 3, change->kind);
  sched_db_bind_text (st, 4, change->code);
  sched_db_bind_text (st, 5, change->change);
  sched_db_bind_text (st, 6, change->old_value);
  sched_db_bind_text (st, 7, change->new_value);
  return sched_db_step_done (db, st, error);
}

GPtrArray *
sched_roster_change_list (SchedDb *db, const gchar *kind, const gchar *code, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "SELECT id, coalesce(reorganisation_id, 0), at, kind, code, change, old_value, new_value"
      " FROM roster_changes WHERE ?2 IS NULL OR (kind = ?1 AND code = ?2) ORDER BY at, id",
      error);
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_roster_change_free);
  int rc;

  if (st == NULL)
    return NULL;
  sched_db_bind_text (st, 1, kind);
  sched_db_bind_text (st, 2, code);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedRosterChange *c = g_new0 (SchedRosterChange, 1);

      c->id = sqlite3_column_int64 (st, 0);
      c->reorganisation_id = sqlite3_column_int64 (st, 1);
      c->at = sqlite3_column_int64 (st, 2);
      c->kind = g_strdup (sched_db_column_text (st, 3));
      c->code = g_strdup (sched_db_column_text (st, 4));
      c->change = g_strdup (sched_db_column_text (st, 5));
      c->old_value = g_strdup (sched_db_column_text (st, 6));
      c->new_value = g_strdup (sched_db_column_text (st, 7));
      g_ptr_array_add (out, c);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing roster changes");
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
sched_roster_change_last_at (SchedDb *db, const gchar *kind, const gchar *code, gint64 *at,
                             GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT coalesce(max(at), 0) FROM roster_changes WHERE kind = ?1 AND code = ?2", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, kind);
  sched_db_bind_text (st, 2, code);
  if (sqlite3_step (st) != SQLITE_ROW)
    {
      sqlite3_reset (st);
      sched_db_set_error (db, error, "reading roster changes");
      return FALSE;
    }
  *at = sqlite3_column_int64 (st, 0);
  sqlite3_reset (st);
  return TRUE;
}

void
sched_reorganisation_free (SchedReorganisation *r)
{
  if (r == NULL)
    return;
  g_free (r->name);
  g_free (r->checksum);
  g_free (r->applied_by);
  g_free (r->summary);
  g_free (r);
}

#define REORGANISATION_COLUMNS "id, name, checksum, effective_at, applied_at, applied_by, summary"

static SchedReorganisation *
reorganisation_from_row (sqlite3_stmt *st)
{
  SchedReorganisation *r = g_new0 (SchedReorganisation, 1);

  r->id = sqlite3_column_int64 (st, 0);
  r->name = g_strdup (sched_db_column_text (st, 1));
  r->checksum = g_strdup (sched_db_column_text (st, 2));
  r->effective_at = sqlite3_column_int64 (st, 3);
  r->applied_at = sqlite3_column_int64 (st, 4);
  r->applied_by = g_strdup (sched_db_column_text (st, 5));
  r->summary = g_strdup (sched_db_column_text (st, 6));
  return r;
}

gboolean
sched_reorganisation_insert (SchedDb *db, const SchedReorganisation *r, gint64 *id, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "INSERT INTO reorganisations (name, checksum, effective_at, applied_at, applied_by, summary)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, r->name);
  sched_db_bind_text (st, 2, r->checksum);
  sqlite3_bind_int64 (st, 3, r->effective_at);
  sqlite3_bind_int64 (st, 4, r->applied_at);
  sched_db_bind_text (st, 5, r->applied_by);
  sched_db_bind_text (st, 6, r->summary);
  if (!sched_db_step_done (db, st, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (sched_db_handle (db));
  return TRUE;
}

SchedReorganisation *
sched_reorganisation_find (SchedDb *db, const gchar *name, const gchar *checksum, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "SELECT " REORGANISATION_COLUMNS " FROM reorganisations"
                                       " WHERE name = ?1 OR checksum = ?2 ORDER BY id LIMIT 1",
                                       error);
  SchedReorganisation *r = NULL;
  int rc;

  if (st == NULL)
    return NULL;
  sched_db_bind_text (st, 1, name);
  sched_db_bind_text (st, 2, checksum);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    r = reorganisation_from_row (st);
  else if (rc != SQLITE_DONE)
    sched_db_set_error (db, error, "reading reorganisations");
  sqlite3_reset (st);
  return r;
}

GPtrArray *
sched_reorganisation_list (SchedDb *db, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT " REORGANISATION_COLUMNS " FROM reorganisations ORDER BY id", error);
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_reorganisation_free);
  int rc;

  if (st == NULL)
    return NULL;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, reorganisation_from_row (st));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing reorganisations");
      return NULL;
    }
  return g_steal_pointer (&out);
}
