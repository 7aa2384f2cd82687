/* sched-model-holiday.c — the holidays table; see the header. Every
 * statement is a string constant bound with parameters and cached by
 * sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-holiday.h"

#include "sched-error.h"
#include "sched-http.h"

#define HOLIDAY_COLUMNS "id, first_day, last_day, name, name_en, official, updated_by, updated_at"

void
sched_holiday_entry_free (SchedHolidayEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->first_day);
  g_free (entry->last_day);
  g_free (entry->name);
  g_free (entry->name_en);
  g_free (entry->updated_by);
  g_free (entry);
}

JsonNode *
sched_holiday_entry_to_node (const SchedHolidayEntry *e)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, e->id);
  json_builder_set_member_name (b, "start");
  json_builder_add_string_value (b, e->first_day);
  json_builder_set_member_name (b, "end");
  json_builder_add_string_value (b, e->last_day);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, e->name);
  json_builder_set_member_name (b, "name_en");
  if (e->name_en)
    json_builder_add_string_value (b, e->name_en);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "official");
  json_builder_add_boolean_value (b, e->official);
  json_builder_set_member_name (b, "updated_by");
  json_builder_add_string_value (b, e->updated_by ? e->updated_by : "");
  sched_json_add_time (b, "updated_at", e->updated_at);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static SchedHolidayEntry *
holiday_from_row (sqlite3_stmt *stmt)
{
  SchedHolidayEntry *e = g_new0 (SchedHolidayEntry, 1);

  e->id = sqlite3_column_int64 (stmt, 0);
  e->first_day = g_strdup (sched_db_column_text (stmt, 1));
  e->last_day = g_strdup (sched_db_column_text (stmt, 2));
  e->name = g_strdup (sched_db_column_text (stmt, 3));
  e->name_en = g_strdup (sched_db_column_text (stmt, 4));
  e->official = sqlite3_column_int (stmt, 5) != 0;
  e->updated_by = g_strdup (sched_db_column_text (stmt, 6));
  e->updated_at = sqlite3_column_int64 (stmt, 7);
  return e;
}

static GPtrArray *
holiday_collect (SchedDb *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_holiday_entry_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, holiday_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing holidays");
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
sched_holiday_entry_list (SchedDb *db, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (
      db, "SELECT " HOLIDAY_COLUMNS " FROM holidays ORDER BY first_day, id", error);

  return stmt ? holiday_collect (db, stmt, error) : NULL;
}

GPtrArray *
sched_holiday_entry_list_between (SchedDb *db, const gchar *first_day, const gchar *last_day,
                                  GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db,
                                         "SELECT " HOLIDAY_COLUMNS " FROM holidays "
                                         "WHERE first_day <= ?2 AND last_day >= ?1 "
                                         "ORDER BY first_day, id",
                                         error);

  if (stmt == NULL)
    return NULL;
  sched_db_bind_text (stmt, 1, first_day);
  sched_db_bind_text (stmt, 2, last_day);
  return holiday_collect (db, stmt, error);
}

SchedHolidayEntry *
sched_holiday_entry_get (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *stmt
      = sched_db_prepare (db, "SELECT " HOLIDAY_COLUMNS " FROM holidays WHERE id = ?1", error);
  SchedHolidayEntry *e = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    e = holiday_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no holiday %" G_GINT64_FORMAT, id);
  else
    sched_db_set_error (db, error, "reading a holiday");
  sqlite3_reset (stmt);
  return e;
}

static void
holiday_bind (sqlite3_stmt *stmt, const SchedHolidayEntry *e)
{
  sched_db_bind_text (stmt, 1, e->first_day);
  sched_db_bind_text (stmt, 2, e->last_day);
  sched_db_bind_text (stmt, 3, e->name);
  sched_db_bind_text (stmt, 4, e->name_en);
  sqlite3_bind_int (stmt, 5, e->official ? 1 : 0);
  sched_db_bind_text (stmt, 6, e->updated_by ? e->updated_by : "system");
  sqlite3_bind_int64 (stmt, 7, e->updated_at);
}

gboolean
sched_holiday_entry_insert (SchedDb *db, const SchedHolidayEntry *e, gint64 *id, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (
      db,
      "INSERT INTO holidays (first_day, last_day, name, name_en, official, updated_by, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      error);

  if (stmt == NULL)
    return FALSE;
  holiday_bind (stmt, e);
  if (!sched_db_step_done (db, stmt, error))
    return FALSE;
  if (id)
    *id = sqlite3_last_insert_rowid (sched_db_handle (db));
  return TRUE;
}

gboolean
sched_holiday_entry_update (SchedDb *db, const SchedHolidayEntry *e, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (
      db,
      "UPDATE holidays SET first_day = ?1, last_day = ?2, name = ?3, name_en = ?4, "
      "official = ?5, updated_by = ?6, updated_at = ?7 WHERE id = ?8",
      error);

  if (stmt == NULL)
    return FALSE;
  holiday_bind (stmt, e);
  sqlite3_bind_int64 (stmt, 8, e->id);
  return sched_db_step_done (db, stmt, error);
}

gboolean
sched_holiday_entry_delete (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, "DELETE FROM holidays WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sched_db_step_done (db, stmt, error);
}
