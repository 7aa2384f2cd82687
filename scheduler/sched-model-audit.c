/* sched-model-audit.c — audit_log rows; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-audit.h"

gboolean
sched_audit_record (SchedDb *db, gint64 at, const gchar *actor, const gchar *action,
                    gint64 meeting_id, JsonNode *detail, GError **error)
{
  sqlite3_stmt *st = sched_db_prepare (
      db,
      "INSERT INTO audit_log(at, actor, action, meeting_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
      error);
  g_autofree gchar *text = detail ? json_to_string (detail, FALSE) : NULL;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, at);
  sched_db_bind_text (st, 2, actor ? actor : "system");
  sched_db_bind_text (st, 3, action);
  if (meeting_id > 0)
    sqlite3_bind_int64 (st, 4, meeting_id);
  else
    sqlite3_bind_null (st, 4);
  sched_db_bind_text (st, 5, text);
  return sched_db_step_done (db, st, error);
}
