/* sched-tokens.c — listing and revoking tokens; see sched-tokens.h.
 *
 * Revocation is immediate for HTTP (every request looks the token up) and,
 * through the token_revoked hook, for the agent channels opened with it.
 * A revocation committed by another process (the CLI next to a running
 * scheduler) reaches the hub through its periodic check
 * (agents/sched-agent-hub.c). Main thread only. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-tokens.h"

#include "sched-api.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"

static void
tokens_add_string_or_null (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
sched_token_to_node (const SchedToken *t)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, t->id);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, sched_role_to_string (t->role));
  tokens_add_string_or_null (b, "unit", t->unit);
  tokens_add_string_or_null (b, "endpoint", t->endpoint);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, t->name);
  sched_json_add_time (b, "created_at", t->created_at);
  json_builder_set_member_name (b, "revoked");
  json_builder_add_boolean_value (b, t->revoked);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

SchedToken *
sched_tokens_revoke (SchedContext *ctx, gint64 id, const gchar *actor, GError **error)
{
  g_autoptr (SchedToken) token = NULL;
  g_autoptr (JsonNode) detail = NULL;

  if (!sched_db_begin_immediate (ctx->db, error))
    return NULL;
  token = sched_token_get (ctx->db, id, error);
  if (token == NULL)
    goto fail;
  if (token->revoked)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_CONFLICT,
                   "token %" G_GINT64_FORMAT " is already revoked", id);
      goto fail;
    }
  token->revoked = TRUE;
  detail = sched_token_to_node (token);
  if (!sched_token_set_revoked (ctx->db, id, error)
      || !sched_audit_record (ctx->db, vc_time_now (), actor, "token_revoked", 0, detail, error)
      || !sched_db_commit (ctx->db, error))
    goto fail;
  g_message ("token %" G_GINT64_FORMAT " (%s %s) revoked by %s", id,
             sched_role_to_string (token->role), token->name, actor);
  sched_context_token_revoked (ctx, id);
  return g_steal_pointer (&token);

fail:
  sched_db_rollback (ctx->db);
  return NULL;
}

static void
tokens_list (SchedCore *core, SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tokens = sched_token_list (core->ctx->db, &error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (tokens == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tokens");
  json_builder_begin_array (b);
  for (guint i = 0; i < tokens->len; i++)
    json_builder_add_value (b, sched_token_to_node (tokens->pdata[i]));
  json_builder_end_array (b);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

static void
tokens_revoke (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
               const gchar *path, const gchar *id_text)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *actor = sched_principal_describe (who);
  g_autoptr (SchedToken) token = NULL;
  g_autoptr (JsonNode) node = NULL;
  gint64 id = 0;

  if (!sched_api_parse_id (id_text, &id))
    {
      sched_api_reply_not_found (msg, path);
      return;
    }
  token = sched_tokens_revoke (core->ctx, id, actor, &error);
  if (token == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  node = sched_token_to_node (token);
  sched_http_reply_json (msg, SOUP_STATUS_OK, node);
}

/* main thread: GET /api/v1/tokens, DELETE /api/v1/tokens/ID (admin) */
static void
on_tokens_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                   gpointer user_data)
{
  SchedCore *core = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_auto (GStrv) seg = who ? sched_http_path_segments (path, "/api/v1/tokens") : NULL;

  if (who == NULL || !sched_auth_require_admin (who, &error))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  if (seg[0] && seg[1])
    sched_api_reply_not_found (msg, path);
  else if (seg[0] == NULL && g_strcmp0 (method, "GET") == 0)
    tokens_list (core, msg);
  else if (seg[0] == NULL)
    sched_api_reply_method_not_allowed (msg, "GET");
  else if (g_strcmp0 (method, "DELETE") == 0)
    tokens_revoke (core, who, msg, path, seg[0]);
  else
    sched_api_reply_method_not_allowed (msg, "DELETE");
}

void
sched_api_tokens_register (SchedCore *core, SoupServer *server)
{
  soup_server_add_handler (server, "/api/v1/tokens", on_tokens_request, core, NULL);
}
