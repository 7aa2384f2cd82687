/* sched-model-token.c — the tokens table; see the header. Every statement
 * is a string constant bound with parameters and cached by
 * sched_db_prepare(). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-model-token.h"

#include "sched-error.h"

#define TOKEN_COLUMNS "id, role, unit, endpoint, name, created_at, revoked"

void
sched_token_free (SchedToken *token)
{
  if (token == NULL)
    return;
  g_free (token->unit);
  g_free (token->endpoint);
  g_free (token->name);
  g_free (token);
}

static SchedToken *
token_from_row (sqlite3_stmt *stmt)
{
  SchedToken *t = g_new0 (SchedToken, 1);

  t->id = sqlite3_column_int64 (stmt, 0);
  if (!sched_role_from_string (sched_db_column_text (stmt, 1), &t->role))
    g_assert_not_reached (); /* CHECK constraint on tokens.role */
  t->unit = g_strdup (sched_db_column_text (stmt, 2));
  t->endpoint = g_strdup (sched_db_column_text (stmt, 3));
  t->name = g_strdup (sched_db_column_text (stmt, 4));
  t->created_at = sqlite3_column_int64 (stmt, 5);
  t->revoked = sqlite3_column_int (stmt, 6) != 0;
  return t;
}

gboolean
sched_token_insert (SchedDb *db, const gchar *hash, SchedRole role, const gchar *unit,
                    const gchar *endpoint, const gchar *name, gint64 created_at, gint64 *id,
                    GError **error)
{
  sqlite3_stmt *stmt
      = sched_db_prepare (db,
                          "INSERT INTO tokens (hash, role, unit, endpoint, name, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          error);

  if (stmt == NULL)
    return FALSE;
  sched_db_bind_text (stmt, 1, hash);
  sched_db_bind_text (stmt, 2, sched_role_to_string (role));
  sched_db_bind_text (stmt, 3, unit);
  sched_db_bind_text (stmt, 4, endpoint);
  sched_db_bind_text (stmt, 5, name);
  sqlite3_bind_int64 (stmt, 6, created_at);
  if (!sched_db_step_done (db, stmt, error))
    return FALSE;
  if (id)
    *id = sqlite3_last_insert_rowid (sched_db_handle (db));
  return TRUE;
}

SchedToken *
sched_token_find_by_hash (SchedDb *db, const gchar *hash, gchar **stored_hash, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db,
                                         "SELECT " TOKEN_COLUMNS ", hash FROM tokens "
                                         "WHERE hash = ?1 AND revoked = 0",
                                         error);
  SchedToken *t = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sched_db_bind_text (stmt, 1, hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      t = token_from_row (stmt);
      *stored_hash = g_strdup (sched_db_column_text (stmt, 7));
    }
  else if (rc != SQLITE_DONE)
    sched_db_set_error (db, error, "token lookup");
  sqlite3_reset (stmt);
  return t;
}

SchedToken *
sched_token_get (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *stmt
      = sched_db_prepare (db, "SELECT " TOKEN_COLUMNS " FROM tokens WHERE id = ?1", error);
  SchedToken *t = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    t = token_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no token %" G_GINT64_FORMAT, id);
  else
    sched_db_set_error (db, error, "reading a token");
  sqlite3_reset (stmt);
  return t;
}

GPtrArray *
sched_token_list (SchedDb *db, GError **error)
{
  sqlite3_stmt *stmt
      = sched_db_prepare (db, "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY id", error);
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_token_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tokens, token_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing tokens");
      return NULL;
    }
  return g_steal_pointer (&tokens);
}

gboolean
sched_token_set_revoked (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sched_db_step_done (db, stmt, error);
}

gboolean
sched_token_revoke_by_name_prefix (SchedDb *db, const gchar *prefix, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (
      db, "UPDATE tokens SET revoked = 1 WHERE name LIKE ?1 ESCAPE '\\'", error);
  g_autoptr (GString) pattern = g_string_new (NULL);

  if (stmt == NULL)
    return FALSE;
  /* The prefix matches itself only: its own % and _ are escaped. */
  for (const gchar *p = prefix; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  sched_db_bind_text (stmt, 1, pattern->str);
  return sched_db_step_done (db, stmt, error);
}
