/* sched-model-room-site.c — endpoints.site; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-room-site.h"
#include "sched-error.h"

gboolean
sched_room_site_get (SchedDb *db, const gchar *code, gchar **site, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db, "SELECT site FROM endpoints WHERE code = ?1", error);
  int rc;

  *site = NULL;
  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW && sqlite3_column_type (st, 0) == SQLITE_TEXT)
    *site = g_strdup ((const gchar *)sqlite3_column_text (st, 0));
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "reading a room's site");
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_room_site_set (SchedDb *db, const gchar *code, const gchar *site, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (db, "UPDATE endpoints SET site = ?2 WHERE code = ?1", error);

  if (st == NULL)
    return FALSE;
  sched_db_bind_text (st, 1, code);
  sched_db_bind_text (st, 2, site);
  return sched_db_step_done (db, st, error);
}
