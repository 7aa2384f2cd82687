/* sched-uplink.c — setting and removing a meeting's link to a central
 * conference; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-uplink.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-meeting.h"

#include <string.h>

#define MAX_SIGNAL_URL_LEN 2048
#define MAX_TOKEN_LEN 4096 /* the bridge's limit (media/bridge/bridge-uplink.c) */

void
sched_uplink_claims_clear (SchedUplinkClaims *claims)
{
  g_clear_pointer (&claims->endpoint, g_free);
  g_clear_pointer (&claims->meeting, g_free);
}

static gboolean
uplink_check_url (const gchar *signal_url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const gchar *scheme, *host;

  if (strlen (signal_url) > MAX_SIGNAL_URL_LEN)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "signal_url",
                             "is longer than %d characters", MAX_SIGNAL_URL_LEN);
      return FALSE;
    }
  uri = g_uri_parse (signal_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "ws") != 0 && g_strcmp0 (scheme, "wss") != 0))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "signal_url",
                             "must be a ws:// or wss:// URL");
      return FALSE;
    }
  if (host == NULL || *host == '\0')
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "signal_url", "must name a host");
      return FALSE;
    }
  if (!g_str_has_suffix (g_uri_get_path (uri), "/signal") || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "signal_url",
                             "must be the central room's signalling URL, …/rooms/ID/signal, "
                             "without a query");
      return FALSE;
    }
  return TRUE;
}

/* A base64url part of a JWT: [A-Za-z0-9_-]+, no padding. */
static gboolean
uplink_is_base64url (const gchar *part)
{
  if (*part == '\0')
    return FALSE;
  for (const gchar *c = part; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

/* The JSON object a base64url part holds, or NULL. */
static JsonNode *
uplink_decode_part (const gchar *part)
{
  gsize len = strlen (part);
  g_autoptr (GString) text = g_string_new_len (part, (gssize)len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  if (len % 4 == 1)
    return NULL;
  g_strdelimit (text->str, "-", '+');
  g_strdelimit (text->str, "_", '/');
  while (text->len % 4 != 0)
    g_string_append_c (text, '=');
  raw = g_base64_decode (text->str, &raw_len);
  if (raw == NULL || raw_len == 0 || !g_utf8_validate ((const gchar *)raw, (gssize)raw_len, NULL)
      || !json_parser_load_from_data (parser, (const gchar *)raw, (gssize)raw_len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
uplink_check_token (const gchar *token, gint64 now, SchedUplinkClaims *claims, GError **error)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (JsonNode) header = NULL;
  g_autoptr (JsonNode) payload = NULL;
  JsonObject *o;
  JsonNode *member;

  if (*token == '\0')
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "token", "must not be empty");
      return FALSE;
    }
  if (strlen (token) > MAX_TOKEN_LEN)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "token", "is longer than %d characters",
                             MAX_TOKEN_LEN);
      return FALSE;
    }
  parts = g_strsplit (token, ".", -1);
  if (g_strv_length (parts) != 3 || !uplink_is_base64url (parts[0])
      || !uplink_is_base64url (parts[1]) || !uplink_is_base64url (parts[2])
      || (header = uplink_decode_part (parts[0])) == NULL
      || (payload = uplink_decode_part (parts[1])) == NULL)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "token",
                             "must be a link token: a JWT of three base64url parts");
      return FALSE;
    }
  o = json_node_get_object (payload);
  member = json_object_get_member (o, "link");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_BOOLEAN || !json_node_get_boolean (member))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "token",
                             "is not a link token (its claims have no \"link\": true)");
      return FALSE;
    }
  member = json_object_get_member (o, "exp");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_INT64 && json_node_get_int (member) <= now)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "token", "has expired");
      return FALSE;
    }
  if (claims)
    {
      member = json_object_get_member (o, "endpoint");
      if (member && JSON_NODE_HOLDS_VALUE (member)
          && json_node_get_value_type (member) == G_TYPE_STRING)
        claims->endpoint = g_strdup (json_node_get_string (member));
      member = json_object_get_member (o, "meeting");
      if (member && JSON_NODE_HOLDS_VALUE (member)
          && json_node_get_value_type (member) == G_TYPE_STRING)
        claims->meeting = g_strdup (json_node_get_string (member));
      member = json_object_get_member (o, "exp");
      if (member && JSON_NODE_HOLDS_VALUE (member)
          && json_node_get_value_type (member) == G_TYPE_INT64)
        claims->exp = json_node_get_int (member);
      claims->link = TRUE;
    }
  return TRUE;
}

gboolean
sched_uplink_check (const gchar *signal_url, const gchar *token, gint64 now,
                    SchedUplinkClaims *claims, GError **error)
{
  g_return_val_if_fail (signal_url != NULL && token != NULL, FALSE);

  return uplink_check_url (signal_url, error) && uplink_check_token (token, now, claims, error);
}

/* Can meeting @id take a link? */
static gboolean
uplink_check_meeting (SchedDb *db, gint64 id, gint64 now, GError **error)
{
  g_autoptr (SchedMeeting) meeting = sched_meeting_load (db, id, error);

  if (meeting == NULL)
    return FALSE;
  if (g_strcmp0 (meeting->status, "scheduled") != 0 || meeting->end <= now)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, NULL, "meeting_over",
                              "meeting %" G_GINT64_FORMAT " is %s: it cannot join a central "
                              "conference any more",
                              id, meeting->end <= now ? "over" : meeting->status);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
uplink_audit_detail (const gchar *signal_url, const SchedUplinkClaims *claims)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "signal_url");
  json_builder_add_string_value (b, signal_url);
  if (claims && claims->endpoint)
    {
      json_builder_set_member_name (b, "endpoint");
      json_builder_add_string_value (b, claims->endpoint);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

SchedUplink *
sched_uplink_set (SchedDb *db, gint64 meeting_id, const gchar *signal_url, const gchar *token,
                  const gchar *actor, gint64 now, GError **error)
{
  g_auto (SchedUplinkClaims) claims = { 0 };
  g_autoptr (SchedUplink) uplink = NULL;
  g_autoptr (JsonNode) detail = NULL;

  g_return_val_if_fail (actor != NULL, NULL);
  if (!sched_uplink_check (signal_url, token, now, &claims, error))
    return NULL;
  if (!sched_db_begin_immediate (db, error))
    return NULL;
  uplink = g_new0 (SchedUplink, 1);
  uplink->meeting_id = meeting_id;
  uplink->signal_url = g_strdup (signal_url);
  uplink->token = g_strdup (token);
  uplink->set_by = g_strdup (actor);
  uplink->set_at = now;
  detail = uplink_audit_detail (signal_url, &claims);
  if (!uplink_check_meeting (db, meeting_id, now, error) || !sched_uplink_put (db, uplink, error)
      || !sched_audit_record (db, now, actor, "uplink_set", meeting_id, detail, error)
      || !sched_db_commit (db, error))
    {
      sched_db_rollback (db);
      return NULL;
    }
  g_message ("meeting %" G_GINT64_FORMAT " links to %s (set by %s)", meeting_id, signal_url, actor);
  return g_steal_pointer (&uplink);
}

gboolean
sched_uplink_clear (SchedDb *db, gint64 meeting_id, const gchar *actor, gint64 now, GError **error)
{
  g_autoptr (SchedMeeting) meeting = NULL;
  g_autoptr (SchedUplink) old = NULL;
  g_autoptr (JsonNode) detail = NULL;
  gboolean removed = FALSE;

  g_return_val_if_fail (actor != NULL, FALSE);
  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if ((meeting = sched_meeting_load (db, meeting_id, error)) == NULL)
    goto fail;
  old = sched_uplink_get (db, meeting_id, error);
  if (old == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND,
                     "meeting %" G_GINT64_FORMAT " has no link to a central conference",
                     meeting_id);
      goto fail;
    }
  detail = uplink_audit_detail (old->signal_url, NULL);
  if (!sched_uplink_delete (db, meeting_id, &removed, error)
      || !sched_audit_record (db, now, actor, "uplink_cleared", meeting_id, detail, error)
      || !sched_db_commit (db, error))
    goto fail;
  g_message ("meeting %" G_GINT64_FORMAT " no longer links to %s (cleared by %s)", meeting_id,
             old->signal_url, actor);
  return TRUE;

fail:
  sched_db_rollback (db);
  return FALSE;
}

void
sched_uplink_add_json (const SchedUplink *uplink, JsonBuilder *b)
{
  g_auto (SchedUplinkClaims) claims = { 0 };

  if (uplink)
    sched_uplink_check (uplink->signal_url, uplink->token, 0, &claims, NULL);
  json_builder_set_member_name (b, "signal_url");
  uplink ? json_builder_add_string_value (b, uplink->signal_url) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "endpoint");
  claims.endpoint ? json_builder_add_string_value (b, claims.endpoint)
                  : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "central_room");
  claims.meeting ? json_builder_add_string_value (b, claims.meeting)
                 : json_builder_add_null_value (b);
  if (claims.exp > 0)
    sched_json_add_time (b, "token_expires_at", claims.exp);
  else
    {
      json_builder_set_member_name (b, "token_expires_at");
      json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "set_by");
  uplink ? json_builder_add_string_value (b, uplink->set_by) : json_builder_add_null_value (b);
  if (uplink)
    sched_json_add_time (b, "set_at", uplink->set_at);
  else
    {
      json_builder_set_member_name (b, "set_at");
      json_builder_add_null_value (b);
    }
}
