/* sched-auth.c — API tokens and role checks; see sched-auth.h.
 *
 * Only the SHA-256 of a token is stored. Lookup hashes the presented token
 * and finds the row by its hash (an index lookup), then compares the stored
 * and computed digests in constant time, so the comparison does not leak how
 * much of a guess was right. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-auth.h"
#include "sched-error.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <string.h>

static const gchar *const role_names[] = { "admin", "secretariat", "manager", "endpoint", NULL };

void
sched_principal_free (SchedPrincipal *principal)
{
  if (principal == NULL)
    return;
  g_free (principal->unit);
  g_free (principal->endpoint);
  g_free (principal->name);
  g_free (principal);
}

const gchar *
sched_role_to_string (SchedRole role)
{
  g_return_val_if_fail (role <= SCHED_ROLE_ENDPOINT, "unknown");
  return role_names[role];
}

gboolean
sched_role_from_string (const gchar *text, SchedRole *out)
{
  for (gint i = 0; role_names[i]; i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *out = (SchedRole)i;
        return TRUE;
      }
  return FALSE;
}

gchar *
sched_principal_describe (const SchedPrincipal *p)
{
  const gchar *scope = p->unit ? p->unit : (p->endpoint ? p->endpoint : NULL);

  if (scope)
    return g_strdup_printf ("%s:%s:%s", sched_role_to_string (p->role), scope, p->name);
  return g_strdup_printf ("%s:%s", sched_role_to_string (p->role), p->name);
}

gchar *
sched_auth_create_token (SchedDb *db, SchedRole role, const gchar *unit, const gchar *endpoint,
                         const gchar *name, GError **error)
{
  gboolean exists = FALSE;

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "name", "a token needs a name");
      return NULL;
    }
  if (role == SCHED_ROLE_SECRETARIAT && unit == NULL)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "unit",
                             "a secretariat token needs --unit");
      return NULL;
    }
  if (role == SCHED_ROLE_ENDPOINT && endpoint == NULL)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "endpoint",
                             "an endpoint token needs --endpoint");
      return NULL;
    }
  if (unit && !sched_db_exists (db, "SELECT 1 FROM units WHERE code = ?1", unit, &exists, error))
    return NULL;
  if (unit && !exists)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "unit", "unknown unit '%s'", unit);
      return NULL;
    }
  if (endpoint
      && !sched_db_exists (db, "SELECT 1 FROM endpoints WHERE code = ?1 AND deleted = 0", endpoint,
                           &exists, error))
    return NULL;
  if (endpoint && !exists)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "endpoint", "unknown endpoint '%s'",
                             endpoint);
      return NULL;
    }

  g_autofree gchar *token = vc_secret_new_token (error);
  if (token == NULL)
    return NULL;
  g_autofree gchar *hash = vc_secret_hash (token);
  sqlite3_stmt *stmt
      = sched_db_prepare (db,
                          "INSERT INTO tokens (hash, role, unit, endpoint, name, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          error);
  if (stmt == NULL)
    return NULL;
  sched_db_bind_text (stmt, 1, hash);
  sched_db_bind_text (stmt, 2, sched_role_to_string (role));
  sched_db_bind_text (stmt, 3, role == SCHED_ROLE_SECRETARIAT ? unit : NULL);
  sched_db_bind_text (stmt, 4, role == SCHED_ROLE_ENDPOINT ? endpoint : NULL);
  sched_db_bind_text (stmt, 5, name);
  sqlite3_bind_int64 (stmt, 6, vc_time_now ());
  if (!sched_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&token);
}

SchedPrincipal *
sched_auth_lookup (SchedDb *db, const gchar *token, GError **error)
{
  g_autofree gchar *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (token == NULL || *token == '\0' || strlen (token) > 256)
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                           "a bearer token is required");
      return NULL;
    }
  hash = vc_secret_hash (token);
  stmt = sched_db_prepare (db,
                           "SELECT id, role, unit, endpoint, name, hash FROM tokens "
                           "WHERE hash = ?1 AND revoked = 0",
                           error);
  if (stmt == NULL)
    return NULL;
  sched_db_bind_text (stmt, 1, hash);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || !vc_secret_equal (sched_db_column_text (stmt, 5), hash))
    {
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        sched_db_set_error (db, error, "token lookup");
      else
        g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                             "the bearer token is not valid");
      sqlite3_reset (stmt);
      return NULL;
    }

  g_autoptr (SchedPrincipal) p = g_new0 (SchedPrincipal, 1);
  p->token_id = sqlite3_column_int64 (stmt, 0);
  if (!sched_role_from_string (sched_db_column_text (stmt, 1), &p->role))
    g_assert_not_reached (); /* CHECK constraint on tokens.role */
  p->unit = g_strdup (sched_db_column_text (stmt, 2));
  p->endpoint = g_strdup (sched_db_column_text (stmt, 3));
  p->name = g_strdup (sched_db_column_text (stmt, 4));
  sqlite3_reset (stmt);
  return g_steal_pointer (&p);
}

gboolean
sched_auth_can_read_all (const SchedPrincipal *p, GError **error)
{
  if (p->role != SCHED_ROLE_ENDPOINT)
    return TRUE;
  g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                       "an endpoint token may read only its own room's data");
  return FALSE;
}

gboolean
sched_auth_can_book_for_unit (const SchedPrincipal *p, const gchar *unit, GError **error)
{
  if (p->role == SCHED_ROLE_ADMIN)
    return TRUE;
  if (p->role == SCHED_ROLE_SECRETARIAT && g_strcmp0 (p->unit, unit) == 0)
    return TRUE;
  if (p->role == SCHED_ROLE_SECRETARIAT)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                 "the secretariat of %s may not book or change meetings of %s", p->unit,
                 unit ? unit : "another unit");
  else
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN, "the %s role may not book meetings",
                 sched_role_to_string (p->role));
  return FALSE;
}

gboolean
sched_auth_require_admin (const SchedPrincipal *p, GError **error)
{
  if (p->role == SCHED_ROLE_ADMIN)
    return TRUE;
  g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN, "this needs an admin token");
  return FALSE;
}

gboolean
sched_auth_is_endpoint (const SchedPrincipal *p, const gchar *endpoint, GError **error)
{
  if (p->role == SCHED_ROLE_ENDPOINT && g_strcmp0 (p->endpoint, endpoint) == 0)
    return TRUE;
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN, "this needs the token of room %s",
               endpoint ? endpoint : "(none)");
  return FALSE;
}

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
auth_token_from_row (sqlite3_stmt *stmt)
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

GPtrArray *
sched_auth_list_tokens (SchedDb *db, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (
      db, "SELECT id, role, unit, endpoint, name, created_at, revoked FROM tokens ORDER BY id",
      error);
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_token_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tokens, auth_token_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "listing tokens");
      return NULL;
    }
  return g_steal_pointer (&tokens);
}

SchedToken *
sched_auth_get_token (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (
      db, "SELECT id, role, unit, endpoint, name, created_at, revoked FROM tokens WHERE id = ?1",
      error);
  SchedToken *t = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    t = auth_token_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no token %" G_GINT64_FORMAT, id);
  else
    sched_db_set_error (db, error, "reading a token");
  sqlite3_reset (stmt);
  return t;
}

gboolean
sched_auth_set_revoked (SchedDb *db, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, "UPDATE tokens SET revoked = 1 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sched_db_step_done (db, stmt, error);
}
