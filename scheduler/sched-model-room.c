/* sched-model-room.c — the endpoints table; see the header. Every
 * statement is a string constant bound with parameters and cached by
 * sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-room.h"

#include "sched-error.h"

#define ROOM_COLUMNS "code, name, level, unit, parent, valid_from, valid_to, successor"

void
sched_room_free (SchedRoom *room)
{
  if (room == NULL)
    return;
  g_free (room->code);
  g_free (room->name);
  g_free (room->level);
  g_free (room->unit);
  g_free (room->parent);
  g_free (room->successor);
  g_free (room);
}

static SchedRoom *
room_from_row (sqlite3_stmt *st)
{
  SchedRoom *room = g_new0 (SchedRoom, 1);

  room->code = g_strdup (sched_db_column_text (st, 0));
  room->name = g_strdup (sched_db_column_text (st, 1));
  room->level = g_strdup (sched_db_column_text (st, 2));
  room->unit = g_strdup (sched_db_column_text (st, 3));
  room->parent = g_strdup (sched_db_column_text (st, 4));
  room->valid_from = sqlite3_column_int64 (st, 5); /* NULL reads as 0 */
  room->valid_to = sqlite3_column_int64 (st, 6);
  room->successor = g_strdup (sched_db_column_text (st, 7));
  return room;
}

gboolean
sched_room_is_valid_at (const SchedRoom *room, gint64 at)
{
  return (room->valid_from == 0 || at >= room->valid_from)
         && (room->valid_to == 0 || at < room->valid_to);
}

static const gchar *
room_list_sql (SchedRoomOrder order)
{
  switch (order)
    {
      case SCHED_ROOM_ORDER_LEVEL:
        return "SELECT " ROOM_COLUMNS " FROM endpoints WHERE deleted = 0 "
               "ORDER BY CASE level WHEN 'central' THEN -1 WHEN 'province' THEN 0 "
               "WHEN 'department' THEN 1 WHEN 'district' THEN 2 ELSE 3 END, code";
      case SCHED_ROOM_ORDER_ROSTER:
        return "SELECT " ROOM_COLUMNS " FROM endpoints WHERE deleted = 0 ORDER BY rowid";
      case SCHED_ROOM_ORDER_CODE:
      default:
        return "SELECT " ROOM_COLUMNS " FROM endpoints WHERE deleted = 0 ORDER BY code";
    }
}

GPtrArray *
sched_room_list (SchedDb *db, SchedRoomOrder order, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db, room_list_sql (order), error);
  g_autoptr (GPtrArray) rooms = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_room_free);
  int rc;

  if (st == NULL)
    return NULL;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (rooms, room_from_row (st));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing endpoints");
      return NULL;
    }
  return g_steal_pointer (&rooms);
}

SchedRoom *
sched_room_get (SchedDb *db, const gchar *code, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "SELECT " ROOM_COLUMNS " FROM endpoints WHERE code = ?1 AND deleted = 0", error);
  SchedRoom *room = NULL;
  int rc;

  if (st == NULL)
    return NULL;
  sched_db_bind_text (st, 1, code);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    room = room_from_row (st);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no room '%s'", code);
  else
    sched_db_set_error (db, error, "reading a room");
  sqlite3_reset (st);
  return room;
}

gboolean
sched_room_exists (SchedDb *db, const gchar *code, gboolean with_deleted, gboolean *exists,
                   GError **error)
{
  if (with_deleted)
    return sched_db_exists (db, "SELECT 1 FROM endpoints WHERE code = ?1", code, exists, error);
  return sched_db_exists (db, "SELECT 1 FROM endpoints WHERE code = ?1 AND deleted = 0", code,
                          exists, error);
}

gboolean
sched_room_in_unit (SchedDb *db, const gchar *code, const gchar *unit, gboolean *in, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "SELECT 1 FROM endpoints WHERE code = ?1 AND unit = ?2", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sched_db_bind_text (st, 2, unit);
  rc = sqlite3_step (st);
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading a room");
      return FALSE;
    }
  *in = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
sched_room_count (SchedDb *db, gint64 *count, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db, "SELECT count(*) FROM endpoints", error);

  if (st == NULL)
    return FALSE;
  if (sqlite3_step (st) != SQLITE_ROW)
    {
      sqlite3_reset (st);
      sched_db_set_error (db, error, "counting rooms");
      return FALSE;
    }
  *count = sqlite3_column_int64 (st, 0);
  sqlite3_reset (st);
  return TRUE;
}

gboolean
sched_room_insert (SchedDb *db, const SchedRoom *room, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "INSERT INTO endpoints(" ROOM_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, room->code);
  sched_db_bind_text (st, 2, room->name);
  sched_db_bind_text (st, 3, room->level);
  sched_db_bind_text (st, 4, room->unit);
  sched_db_bind_text (st, 5, room->parent);
  sched_db_bind_bound (st, 6, room->valid_from);
  sched_db_bind_bound (st, 7, room->valid_to);
  sched_db_bind_text (st, 8, room->successor);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_room_update (SchedDb *db, const gchar *code, const gchar *name, const gchar *level,
                   const gchar *unit, const gchar *parent, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "UPDATE endpoints SET name = coalesce(?2, name), level = coalesce(?3, level), "
      "unit = CASE WHEN ?4 IS NULL THEN unit WHEN ?4 = '' THEN NULL ELSE ?4 END, "
      "parent = CASE WHEN ?5 IS NULL THEN parent WHEN ?5 = '' THEN NULL ELSE ?5 END "
      "WHERE code = ?1",
      error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sched_db_bind_text (st, 2, name);
  sched_db_bind_text (st, 3, level);
  sched_db_bind_text (st, 4, unit);
  sched_db_bind_text (st, 5, parent);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_room_set_parent (SchedDb *db, const gchar *code, const gchar *parent, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "UPDATE endpoints SET parent = ?2 WHERE code = ?1", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sched_db_bind_text (st, 2, parent);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_room_mark_deleted (SchedDb *db, const gchar *code, GError **error)
{
  sqlite3_stmt *st
      = sched_db_prepare (db, "UPDATE endpoints SET deleted = 1 WHERE code = ?1", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  return sched_db_step_done (db, st, error);
}

gboolean
sched_room_end (SchedDb *db, const gchar *code, gint64 at, const gchar *successor, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db, "UPDATE endpoints SET valid_to = ?2, successor = ?3 WHERE code = ?1", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sqlite3_bind_int64 (st, 2, at);
  sched_db_bind_text (st, 3, successor);
  return sched_db_step_done (db, st, error);
}
