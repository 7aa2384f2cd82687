/* sched-api-reorg.c — /api/v1/reorganisations: preview and apply a
 * reorganisation file (admin), list the applied ones, and the future
 * meetings the roster no longer allows (a secretariat sees its own unit's).
 * The work is sched-reorg.c's. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-api.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-json-text.h"
#include "sched-model-roster-change.h"
#include "sched-reorg.h"

#define REORG_PREFIX "/api/v1/reorganisations"

/* The body as the file's bytes: its checksum and lines are the file's. */
static const gchar *
reorg_read_body (SchedCore *core, SoupServerMessage *msg, GBytes **out, gsize *length,
                 GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  gint64 max
      = core->ctx->settings->max_body_bytes > 0 ? core->ctx->settings->max_body_bytes : 65536;
  const gchar *data;

  if (body->length > (goffset)max)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_TOO_LARGE,
                   "request body is %" G_GOFFSET_FORMAT " bytes; the limit is %" G_GINT64_FORMAT
                   " ([limits] max_body_bytes)",
                   body->length, max);
      return NULL;
    }
  *out = soup_message_body_flatten (body);
  data = g_bytes_get_data (*out, length);
  if (*length == 0 || !g_utf8_validate_len (data, *length, NULL))
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON,
                           "request body is empty or not valid UTF-8");
      return NULL;
    }
  if (!sched_json_text_check (data, *length, error))
    return NULL;
  return data;
}

static void
reorg_post (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg, SchedReorgMode mode)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) summary = NULL;
  g_autofree gchar *actor = sched_principal_describe (who);
  gsize length = 0;
  const gchar *data = reorg_read_body (core, msg, &bytes, &length, &error);

  if (data)
    summary = sched_reorg_run (core, data, length, actor, mode, &extra, &error);
  if (summary == NULL)
    {
      sched_http_reply_error_with (msg, error, extra);
      return;
    }
  sched_http_reply_json (msg, mode == SCHED_REORG_APPLY ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                         summary);
}

static void
reorg_list (SchedCore *core, SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = sched_reorganisation_list (core->ctx->db, &error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (list == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reorganisations");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const SchedReorganisation *r = list->pdata[i];
      g_autoptr (JsonNode) summary = json_from_string (r->summary ? r->summary : "{}", NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, r->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "checksum");
      json_builder_add_string_value (b, r->checksum);
      sched_json_add_time (b, "effective_at", r->effective_at);
      sched_json_add_time (b, "applied_at", r->applied_at);
      json_builder_set_member_name (b, "applied_by");
      json_builder_add_string_value (b, r->applied_by);
      json_builder_set_member_name (b, "summary");
      json_builder_add_value (b, summary ? g_steal_pointer (&summary)
                                         : json_node_new (JSON_NODE_NULL));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

/* A secretariat sees its own unit's meetings; others every unit's, or
 * ?unit=CODE's. ?from= (default now). */
static void
reorg_affected (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  const gchar *unit
      = who->role == SCHED_ROLE_SECRETARIAT ? who->unit : sched_http_query (query, "unit");
  gint64 from = 0;

  if (who->role == SCHED_ROLE_ENDPOINT)
    {
      g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                           "rooms do not read other meetings");
      sched_http_reply_error (msg, error);
      return;
    }
  if (!sched_http_query_time (query, "from", core->ctx->tz, sched_core_now (core), &from, &error)
      || !(node = sched_reorg_list_affected (core, from, unit, &error)))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  sched_http_reply_json (msg, SOUP_STATUS_OK, node);
}

/* main thread */
static void
on_reorganisations_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                            GHashTable *query, gpointer user_data)
{
  SchedCore *core = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_auto (GStrv) seg = who ? sched_http_path_segments (path, REORG_PREFIX) : NULL;
  gboolean get = g_strcmp0 (method, "GET") == 0;
  gboolean post = g_strcmp0 (method, "POST") == 0;

  if (who == NULL)
    sched_http_reply_error (msg, error);
  else if (seg[0] && seg[1])
    sched_api_reply_not_found (msg, path);
  else if (g_strcmp0 (seg[0], "affected") == 0)
    get ? reorg_affected (core, who, msg, query) : sched_api_reply_method_not_allowed (msg, "GET");
  else if (seg[0] && g_strcmp0 (seg[0], "preview") != 0)
    sched_api_reply_not_found (msg, path);
  else if (!(get && seg[0] == NULL) && !post)
    sched_api_reply_method_not_allowed (msg, seg[0] ? "POST" : "GET, POST");
  else if (!sched_auth_require_admin (who, &error))
    sched_http_reply_error (msg, error);
  else if (get)
    reorg_list (core, msg);
  else
    reorg_post (core, who, msg, seg[0] ? SCHED_REORG_PREVIEW : SCHED_REORG_APPLY);
}

void
sched_api_reorg_register (SchedCore *core, SoupServer *server)
{
  soup_server_add_handler (server, REORG_PREFIX, on_reorganisations_request, core, NULL);
}
