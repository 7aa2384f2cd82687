/* sched-model-unit.c — the units table; see the header. Every statement is
 * a string constant bound with parameters and cached by sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-unit.h"

void
sched_unit_free (SchedUnit *unit)
{
  if (unit == NULL)
    return;
  g_free (unit->code);
  g_free (unit->name);
  g_free (unit);
}

GPtrArray *
sched_unit_list (SchedDb *db, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT code, name, priority FROM units ORDER BY priority DESC, code", error);
  g_autoptr (GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_unit_free);
  int rc;

  if (st == NULL)
    return NULL;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SchedUnit *unit = g_new0 (SchedUnit, 1);

      unit->code = g_strdup (sched_db_column_text (st, 0));
      unit->name = g_strdup (sched_db_column_text (st, 1));
      unit->priority = sqlite3_column_int (st, 2);
      g_ptr_array_add (units, unit);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing units");
      return NULL;
    }
  return g_steal_pointer (&units);
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
  sqlite3_stmt *st
      = sched_db_prepare (db, "INSERT INTO units(code, name, priority) VALUES (?1, ?2, ?3)", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sched_db_bind_text (st, 2, name);
  sqlite3_bind_int (st, 3, priority);
  return sched_db_step_done (db, st, error);
}
