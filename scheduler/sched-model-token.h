/* sched-model-token.h — the tokens table: API tokens as stored, by the
 * SHA-256 of their secret (the secret itself is never stored).
 *
 * Part of the model layer (libvc-sched-base). The rules — making a secret,
 * hashing it, comparing in constant time, roles — are sched-auth.c, which
 * vc-scheduler, its CLI and vc-stack all create and check tokens with. */
#pragma once

#include "sched-auth.h"

G_BEGIN_DECLS

/* A stored token as administrators see it: never its secret (only its
 * hash is stored, and not even that is shown). */
typedef struct
{
  gint64 id;
  SchedRole role;
  gchar *unit;     /* secretariat */
  gchar *endpoint; /* endpoint */
  gchar *name;
  gint64 created_at;
  gboolean revoked;
} SchedToken;

void sched_token_free (SchedToken *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedToken, sched_token_free)

/* Inserts a token whose secret hashes to @hash (unit and endpoint may be
 * NULL) and sets *id (may be NULL). */
gboolean sched_token_insert (SchedDb *db, const gchar *hash, SchedRole role, const gchar *unit,
                             const gchar *endpoint, const gchar *name, gint64 created_at,
                             gint64 *id, GError **error);
/* The unrevoked token stored with @hash, its stored hash in *stored_hash
 * (for the caller's constant-time comparison). NULL without error when
 * there is none; NULL with error when the database fails. */
SchedToken *sched_token_find_by_hash (SchedDb *db, const gchar *hash, gchar **stored_hash,
                                      GError **error);
/* Token @id; NULL with SCHED_ERROR_NOT_FOUND when there is none. */
SchedToken *sched_token_get (SchedDb *db, gint64 id, GError **error);
/* Every token, revoked ones too, by id. */
GPtrArray *sched_token_list (SchedDb *db, GError **error);
/* Marks token @id revoked (no check, no audit: see sched_tokens_revoke()). */
gboolean sched_token_set_revoked (SchedDb *db, gint64 id, GError **error);
/* Marks revoked every token whose name starts with @prefix (ASCII letters
 * compared without case, as SQL LIKE does). */
gboolean sched_token_revoke_by_name_prefix (SchedDb *db, const gchar *prefix, GError **error);

G_END_DECLS
