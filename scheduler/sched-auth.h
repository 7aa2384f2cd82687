/* sched-auth.h — API tokens and roles.
 *
 * Tokens are 256 random bits (vc_secret_new_token), stored only as their
 * SHA-256 (tokens.hash). A request's "Authorization: Bearer TOKEN" resolves
 * to a SchedPrincipal; the role rules are:
 *   admin        everything
 *   secretariat  books, changes, cancels meetings of its own unit; reads all
 *   manager      reads everything, books nothing
 *   endpoint     its own schedule and its own attendance events only */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef enum
{
  SCHED_ROLE_ADMIN,
  SCHED_ROLE_SECRETARIAT,
  SCHED_ROLE_MANAGER,
  SCHED_ROLE_ENDPOINT,
} SchedRole;

typedef struct
{
  gint64 token_id;
  SchedRole role;
  gchar *unit;     /* secretariat: its unit */
  gchar *endpoint; /* endpoint: its room */
  gchar *name;
} SchedPrincipal;

void sched_principal_free (SchedPrincipal *principal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedPrincipal, sched_principal_free)

const gchar *sched_role_to_string (SchedRole role);
gboolean sched_role_from_string (const gchar *text, SchedRole *out);

/* "actor" text for the audit log: "secretariat:ubnd-tinh:Nguyễn Văn A". */
gchar *sched_principal_describe (const SchedPrincipal *principal);

/* Creates a token; checks that unit/endpoint exist and fit the role
 * (secretariat needs a unit, endpoint needs an endpoint). Returns the token
 * text, shown once. */
gchar *sched_auth_create_token (SchedDb *db, SchedRole role, const gchar *unit,
                                const gchar *endpoint, const gchar *name, GError **error);

/* Resolves a bearer token (the text after "Bearer "). NULL with
 * SCHED_ERROR_UNAUTHORIZED when unknown or revoked. */
SchedPrincipal *sched_auth_lookup (SchedDb *db, const gchar *token, GError **error);

/* Role checks, each setting SCHED_ERROR_FORBIDDEN when refused. */
gboolean sched_auth_can_read_all (const SchedPrincipal *p,
                                  GError **error); /* admin, secretariat, manager */
gboolean sched_auth_can_book_for_unit (const SchedPrincipal *p, const gchar *unit, GError **error);
/* Who runs a meeting of @unit chaired by room @chair while it is on
 * (extend, end, pause and resume its recording): who may book for @unit,
 * and the secretariat of the chair room's unit. */
gboolean sched_auth_can_run_meeting (SchedDb *db, const SchedPrincipal *p, const gchar *unit,
                                     const gchar *chair, GError **error);
gboolean sched_auth_require_admin (const SchedPrincipal *p, GError **error);
gboolean sched_auth_is_endpoint (const SchedPrincipal *p, const gchar *endpoint, GError **error);

G_END_DECLS
