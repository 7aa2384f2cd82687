/* sched-model-unit.c — the units table; see the header. Every statement is
 * a string constant bound with parameters and cached by sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-unit.h"

#include "sched-error.h"

#define UNIT_INSERT_COLUMNS "code, name, priority, level, parent, valid_from, valid_to, successor"
#define UNIT_COLUMNS UNIT_INSERT_COLUMNS ", record_default"

void
sched_unit_free (SchedUnit *unit)
{
  if (unit == NULL)
    return;
  g_free (unit->code);
  g_free (unit->name);
  g_free (unit->level);
  g_free (unit->parent);
  g_free (unit->successor);
  g_free (unit);
}

gboolean
sched_unit_is_valid_at (const SchedUnit *unit, gint64 at)
{
  return (unit->valid_from == 0 || at >= unit->valid_from)
         && (unit->valid_to == 0 || at < unit->valid_to);
}

static SchedUnit *
unit_from_row (sqlite3_stmt *st)
{
  SchedUnit *unit = g_new0 (SchedUnit, 1);

  unit->code = g_strdup (sched_db_column_text (st, 0));
  unit->name = g_strdup (sched_db_column_text (st, 1));
  unit->priority = sqlite3_column_int (st, 2);
  unit->level = g_strdup (sched_db_column_text (st, 3));
  unit->parent = g_strdup (sched_db_column_text (st, 4));
  unit->valid_from = sqlite3_column_int64 (st, 5); /* NULL reads as 0 */
  unit->valid_to = sqlite3_column_int64 (st, 6);
  unit->successor = g_strdup (sched_db_column_text (st, 7));
  unit->record_default
      = sqlite3_column_type (st, 8) == SQLITE_NULL ? -1 : (sqlite3_column_int (st, 8) != 0);
  return unit;
}

GPtrArray *
sched_unit_list (SchedDb *db, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT " UNIT_COLUMNS " FROM units ORDER BY priority DESC, code", error);
  g_autoptr (GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_unit_free);
  int rc;

  if (st == NULL)
    return NULL;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (units, unit_from_row (st));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing units");
      return NULL;
    }
  return g_steal_pointer (&units);
}

SchedUnit *
sched_unit_get (SchedDb *db, const gchar *code, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "SELECT " UNIT_COLUMNS " FROM units WHERE code = ?1", error);
  SchedUnit *unit = NULL;
  int rc;

  if (st == NULL)
    return NULL;
  sched_db_bind_text (st, 1, code);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    unit = unit_from_row (st);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no unit '%s'", code);
  else
    sched_db_set_error (db, error, "reading a unit");
  sqlite3_reset (st);
  return unit;
}

gboolean
sched_unit_exists (SchedDb *db, const gchar *code, gboolean *exists, GError **error)
{
  return sched_db_exists (db, "SELECT 1 FROM units WHERE code = ?1", code, exists, error);
}

gint
sched_unit_get_priority (SchedDb *db, const gchar *code)
{
  sqlite3_stmt *st = sched_db_prepare (db, "SELECT priority FROM units WHERE code = ?1", NULL);
  gint priority = 0;

  if (st == NULL)
    return 0;
  sched_db_bind_text (st, 1, code);
  if (sqlite3_step (st) == SQLITE_ROW)
    priority = sqlite3_column_int (st, 0);
  sqlite3_reset (st);
  return priority;
}

gboolean
sched_unit_count (SchedDb *db, gint64 *count, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db, "SELECT count(*) FROM units", error);

  if (st == NULL)
    return FALSE;
  if (sqlite3_step (st) != SQLITE_ROW)
    {
      sqlite3_reset (st);
      sched_db_set_error (db, error, "counting units");
      return FALSE;
    }
  *count = sqlite3_column_int64 (st, 0);
  sqlite3_reset (st);
  return TRUE;
}

gboolean
sched_unit_insert (SchedDb *db, const gchar *code, const gchar *name, gint priority, GError **error)
{
  SchedUnit unit = {
    .code = (gchar *)code,
    .name = (gchar *)name,
    .priority = priority,
  };

  return sched_unit_insert_full (db, &unit, error);
}

gboolean
sched_unit_insert_full (SchedDb *db, const SchedUnit *unit, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "INSERT INTO units(" UNIT_INSERT_COLUMNS ")"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                       error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, unit->code);
  sched_db_bind_text (st, 2, unit->name);
  sqlite3_bind_int (st, 3, unit->priority);
  sched_db_bind_text (st, 4, unit->level);
  sched_db_bind_text (st, 5, unit->parent);
  sched_db_bind_bound (st, 6, unit->valid_from);
  sched_db_bind_bound (st, 7, unit->valid_to);
  sched_db_bind_text (st, 8, unit->successor);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_unit_update (SchedDb *db, const gchar *code, const gchar *name, const gchar *level,
                   const gchar *parent, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db,
                                       "UPDATE units SET name = coalesce(?2, name),"
                                       " level = coalesce(?3, level), parent = coalesce(?4, parent)"
                                       " WHERE code = ?1",
                                       error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sched_db_bind_text (st, 2, name);
  sched_db_bind_text (st, 3, level);
  sched_db_bind_text (st, 4, parent);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_unit_end (SchedDb *db, const gchar *code, gint64 at, const gchar *successor, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "UPDATE units SET valid_to = ?2, successor = ?3 WHERE code = ?1", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sqlite3_bind_int64 (st, 2, at);
  sched_db_bind_text (st, 3, successor);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_unit_get_record_default (SchedDb *db, const gchar *code, gint *out, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "SELECT record_default FROM units WHERE code = ?1", error);
  int rc;

  *out = -1;
  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW && sqlite3_column_type (st, 0) != SQLITE_NULL)
    *out = sqlite3_column_int (st, 0) != 0 ? 1 : 0;
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading a unit's record default");
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_unit_set_record_default (SchedDb *db, const gchar *code, gint value, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "UPDATE units SET record_default = ?2 WHERE code = ?1", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  if (value >= 0)
    sqlite3_bind_int (st, 2, value ? 1 : 0);
  return sched_db_step_done (db, st, error);
}
