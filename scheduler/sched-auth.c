/* sched-auth.c — API tokens and role checks; see sched-auth.h.
 *
 * Only the SHA-256 of a token is stored. Lookup hashes the presented token
 * and finds the row by its hash (an index lookup), then compares the stored
 * and computed digests in constant time, so the comparison does not leak how
 * much of a guess was right. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-auth.h"
#include "sched-error.h"
#include "sched-model-room.h"
#include "sched-model-token.h"
#include "sched-model-unit.h"
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
  if (unit && !sched_unit_exists (db, unit, &exists, error))
    return NULL;
  if (unit && !exists)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "unit", "unknown unit '%s'", unit);
      return NULL;
    }
  if (endpoint && !sched_room_exists (db, endpoint, FALSE, &exists, error))
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
  if (!sched_token_insert (db, hash, role, role == SCHED_ROLE_SECRETARIAT ? unit : NULL,
                           role == SCHED_ROLE_ENDPOINT ? endpoint : NULL, name, vc_time_now (),
                           NULL, error))
    return NULL;
  return g_steal_pointer (&token);
}

SchedPrincipal *
sched_auth_lookup (SchedDb *db, const gchar *token, GError **error)
{
  g_autofree gchar *hash = NULL;
  g_autofree gchar *stored = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (SchedToken) found = NULL;

  if (token == NULL || *token == '\0' || strlen (token) > 256)
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                           "a bearer token is required");
      return NULL;
    }
  hash = vc_secret_hash (token);
  found = sched_token_find_by_hash (db, hash, &stored, &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (found == NULL || !vc_secret_equal (stored, hash))
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                           "the bearer token is not valid");
      return NULL;
    }

  g_autoptr (SchedPrincipal) p = g_new0 (SchedPrincipal, 1);
  p->token_id = found->id;
  p->role = found->role;
  p->unit = g_steal_pointer (&found->unit);
  p->endpoint = g_steal_pointer (&found->endpoint);
  p->name = g_steal_pointer (&found->name);
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
sched_auth_can_run_meeting (SchedDb *db, const SchedPrincipal *p, const gchar *unit,
                            const gchar *chair, GError **error)
{
  g_autoptr (GError) refused = NULL;

  if (sched_auth_can_book_for_unit (p, unit, &refused))
    return TRUE;
  if (p->role == SCHED_ROLE_SECRETARIAT && p->unit && chair)
    {
      gboolean in = FALSE;
      if (!sched_room_in_unit (db, chair, p->unit, &in, error))
        return FALSE;
      if (in)
        return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&refused));
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
