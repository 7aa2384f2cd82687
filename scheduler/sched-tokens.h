/* sched-tokens.h — administering API tokens: listing and revoking them,
 * from the command line (vc-scheduler token list | token revoke ID) and
 * over HTTP (GET /api/v1/tokens, DELETE /api/v1/tokens/ID, admin only).
 *
 * A token's secret is shown once, when it is created (sched-auth.c), and
 * stored only as its hash: neither is ever shown here. */
#pragma once

#include "sched-auth.h"
#include "sched-core.h"
#include "sched-model-token.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Revokes token @id in one transaction with an audit line
 * "token_revoked" by @actor, then tells the agent hub
 * (sched_context_token_revoked), which closes the channels opened with it.
 * NOT_FOUND when there is no such token, CONFLICT when it is already
 * revoked. Returns the token as it now is. */
SchedToken *sched_tokens_revoke (SchedContext *ctx, gint64 id, const gchar *actor, GError **error);

/* {"id", "role", "unit", "endpoint", "name", "created_at", "revoked"} */
JsonNode *sched_token_to_node (const SchedToken *token);

G_END_DECLS
