/* sched-http.c — request parsing and replies shared by every handler; see
 * sched-http.h. Runs on the main thread only. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-http.h"
#include "sched-error.h"
#include "sched-json-text.h"
#include "vc-time.h"

#include <stdio.h>
#include <string.h>

SchedPrincipal *
sched_http_authenticate (SchedContext *ctx, SoupServerMessage *msg, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                           "send Authorization: Bearer TOKEN");
      return NULL;
    }
  value += 7;
  while (*value == ' ')
    value++;
  return sched_auth_lookup (ctx->db, value, error);
}

JsonObject *
sched_http_read_json_object (SchedContext *ctx, SoupServerMessage *msg, JsonNode **out_root,
                             GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  gsize len = 0;
  const gchar *data;
  gint64 max = ctx->settings->max_body_bytes > 0 ? ctx->settings->max_body_bytes : 65536;

  g_return_val_if_fail (out_root != NULL, NULL);

  if (body->length > (goffset)max)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_TOO_LARGE,
                   "request body is %" G_GOFFSET_FORMAT " bytes; the limit is %" G_GINT64_FORMAT,
                   body->length, max);
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "request body is empty");
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON,
                           "request body is not valid UTF-8");
      return NULL;
    }
  /* Before json-glib, whose handling of these is erratic (a lone surrogate
   * just before the closing quote swallows the quote: a parse error). */
  if (!sched_json_text_check (data, len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, len, &local))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "request body is not JSON: %s",
                   local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON,
                           "request body must be a JSON object");
      return NULL;
    }
  *out_root = json_node_ref (root);
  return json_node_get_object (*out_root);
}

void
sched_http_reply_text (SoupServerMessage *msg, guint status, const gchar *content_type,
                       const gchar *body, gssize length)
{
  if (length < 0)
    length = strlen (body);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, length);
}

void
sched_http_reply_json (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree gchar *text = json_to_string (node, FALSE);
  sched_http_reply_text (msg, status, "application/json; charset=utf-8", text, -1);
}

void
sched_http_reply_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  sched_http_reply_json (msg, status, root);
}

gchar *
sched_http_error_json (const GError *error, JsonObject *extra)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *field = sched_error_get_field (error);
  g_autofree gchar *reason = sched_error_get_reason (error);
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, sched_error_code_name (error));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, error ? sched_error_get_text (error) : "unknown error");
  if (field)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
    }
  if (reason)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, reason);
    }
  if (extra)
    {
      JsonObjectIter iter;
      const gchar *name;
      JsonNode *value;
      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        {
          json_builder_set_member_name (b, name);
          json_builder_add_value (b, json_node_copy (value));
        }
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

void
sched_http_reply_error_with (SoupServerMessage *msg, const GError *error, JsonObject *extra)
{
  g_autofree gchar *text = sched_http_error_json (error, extra);
  guint status = sched_error_http_status (error);

  if (status >= 500)
    g_warning ("request failed: %s", error ? error->message : "unknown");
  sched_http_reply_text (msg, status, "application/json; charset=utf-8", text, -1);
}

void
sched_http_reply_error (SoupServerMessage *msg, const GError *error)
{
  sched_http_reply_error_with (msg, error, NULL);
}

gboolean
sched_http_parse_time (const gchar *text, const gchar *field, gint64 *out, GError **error)
{
  gint64 t = 0;

  if (!vc_time_parse (text, &t))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                             "%s must be an RFC 3339 time such as 2026-11-21T08:00:00+07:00",
                             field);
      return FALSE;
    }
  if (t < SCHED_TIME_MIN || t >= SCHED_TIME_END)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                             "%s must lie between 2000-01-01 and 2099-12-31 (UTC)", field);
      return FALSE;
    }
  *out = t;
  return TRUE;
}

/* "ws://HOST:PORT" (or wss://) of the bridge the join page may reach, or
 * NULL when no bridge is configured or its URL does not parse. */
static gchar *
security_bridge_origin (const SchedSettings *settings)
{
  g_autoptr (GUri) uri = NULL;
  const gchar *scheme;

  if (settings == NULL || settings->bridge_url == NULL || *settings->bridge_url == '\0')
    return NULL;
  uri = g_uri_parse (settings->bridge_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0)
    scheme = "wss";
  else
    scheme = "ws";
  /* g_uri_join brackets an IPv6 host and leaves out an absent port. */
  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, g_uri_get_host (uri), g_uri_get_port (uri), "",
                     NULL, NULL);
}

gchar *
sched_http_content_security_policy (const SchedSettings *settings)
{
  g_autofree gchar *bridge = security_bridge_origin (settings);

  /* 'self' covers ws:// to this server too (CSP level 3). Video elements
   * play MediaStreams (srcObject), which media-src does not govern. */
  return g_strdup_printf ("default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; font-src 'self'; connect-src 'self'%s%s; "
                          "media-src 'self' blob:; base-uri 'none'; form-action 'self'; "
                          "frame-ancestors 'none'",
                          bridge ? " " : "", bridge ? bridge : "");
}

void
sched_http_add_security_headers (SoupMessageHeaders *headers, const SchedSettings *settings)
{
  g_autofree gchar *csp = sched_http_content_security_policy (settings);

  soup_message_headers_replace (headers, "Content-Security-Policy", csp);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
}

const gchar *
sched_http_query (GHashTable *query, const gchar *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

gboolean
sched_http_parse_date_or_time (const gchar *text, const gchar *field, GTimeZone *tz, gint64 *out,
                               GError **error)
{
  gint y, m, d;
  gchar tail;

  if (vc_time_parse (text, out))
    return sched_http_parse_time (text, field, out, error);
  if (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    {
      g_autoptr (GDateTime) dt = g_date_time_new (tz, y, m, d, 0, 0, 0);
      if (dt && g_date_time_get_day_of_month (dt) == d)
        {
          *out = g_date_time_to_unix (dt);
          if (*out >= SCHED_TIME_MIN && *out < SCHED_TIME_END)
            return TRUE;
          sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                                 "%s must lie between 2000-01-01 and 2099-12-31", field);
          return FALSE;
        }
    }
  sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                         "'%s' is neither an RFC 3339 time nor a date YYYY-MM-DD", text);
  return FALSE;
}

gboolean
sched_http_query_time (GHashTable *query, const gchar *name, GTimeZone *tz, gint64 fallback,
                       gint64 *out, GError **error)
{
  const gchar *text = sched_http_query (query, name);

  if (text == NULL || *text == '\0')
    {
      *out = fallback;
      return TRUE;
    }
  return sched_http_parse_date_or_time (text, name, tz, out, error);
}

GStrv
sched_http_path_segments (const gchar *path, const gchar *prefix)
{
  gsize n = strlen (prefix);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (strncmp (path, prefix, n) == 0)
    {
      g_auto (GStrv) parts = g_strsplit (path + n, "/", -1);
      for (gsize i = 0; parts[i]; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static JsonNode *
json_member (JsonObject *o, const gchar *field, gboolean required, GError **error)
{
  JsonNode *n = json_object_get_member (o, field);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        sched_error_set_field (error, SCHED_ERROR_INVALID, field, "%s is required", field);
      return NULL;
    }
  return n;
}

const gchar *
sched_json_get_string (JsonObject *o, const gchar *field, gboolean required, GError **error)
{
  JsonNode *n = json_member (o, field, required, error);

  if (n == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "%s must be a string", field);
      return NULL;
    }
  return json_node_get_string (n);
}

gboolean
sched_json_get_int (JsonObject *o, const gchar *field, gboolean required, gint64 *out,
                    GError **error)
{
  GError *local = NULL;
  JsonNode *n = json_member (o, field, required, &local);

  if (n == NULL)
    {
      if (local)
        g_propagate_error (error, local);
      return local == NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "%s must be a whole number", field);
      return FALSE;
    }
  *out = json_node_get_int (n);
  return TRUE;
}

gboolean
sched_json_get_bool (JsonObject *o, const gchar *field, gboolean fallback, gboolean *out,
                     GError **error)
{
  JsonNode *n = json_member (o, field, FALSE, NULL);

  if (n == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "%s must be true or false", field);
      return FALSE;
    }
  *out = json_node_get_boolean (n);
  return TRUE;
}

gboolean
sched_json_get_time (JsonObject *o, const gchar *field, gboolean required, gint64 *out,
                     GError **error)
{
  GError *local = NULL;
  const gchar *text = sched_json_get_string (o, field, required, &local);

  if (text == NULL)
    {
      if (local)
        g_propagate_error (error, local);
      return local == NULL;
    }
  return sched_http_parse_time (text, field, out, error);
}

GPtrArray *
sched_json_get_string_array (JsonObject *o, const gchar *field, gboolean required, GError **error)
{
  JsonNode *n = json_member (o, field, required, error);
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  if (n == NULL)
    return required ? NULL : g_steal_pointer (&out);
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "%s must be an array of strings",
                             field);
      return NULL;
    }
  JsonArray *a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                                 "%s must be an array of strings", field);
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (json_node_get_string (e)));
    }
  return g_steal_pointer (&out);
}

void
sched_json_add_time (JsonBuilder *b, const gchar *name, gint64 unix_seconds)
{
  g_autofree gchar *text = vc_time_format_utc (unix_seconds);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}
