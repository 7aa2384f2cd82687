/* sched-uplink-api.c — the meeting's central-conference link over HTTP; see
 * the header. The rules (what a link is, who may set it on which meeting)
 * are in sched-uplink.c and sched-auth.c; posting it to the bridge is
 * sched-bridge-uplink.c's. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-uplink-api.h"

#include "sched-bridge-uplink.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-meeting.h"
#include "sched-uplink.h"
#include "vc-time.h"

typedef struct
{
  SchedContext *ctx;
  SchedBridge *bridge;
} UplinkApi;

static UplinkApi api_state; /* one scheduler per process */

/* The bridge room's "uplink" object, or NULL when the room is not open. */
static JsonObject *
uplink_api_live (UplinkApi *api, gint64 meeting_id)
{
  JsonNode *room = api->bridge ? sched_bridge_get_room (api->bridge, meeting_id) : NULL;
  JsonObject *o = room && JSON_NODE_HOLDS_OBJECT (room) ? json_node_get_object (room) : NULL;
  JsonNode *up = o ? json_object_get_member (o, "uplink") : NULL;

  return up && JSON_NODE_HOLDS_OBJECT (up) ? json_node_get_object (up) : NULL;
}

static void
add_string_or_null (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  value ? json_builder_add_string_value (b, value) : json_builder_add_null_value (b);
}

/* {"meeting_id", stored link…, "room_open", "state", "attempts",
 *  "last_error", "connected_at"} */
static void
uplink_api_reply (UplinkApi *api, SoupServerMessage *msg, gint64 meeting_id,
                  const SchedUplink *link)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonObject *live = uplink_api_live (api, meeting_id);
  const gchar *live_url
      = live ? json_object_get_string_member_with_default (live, "signal_url", NULL) : NULL;
  const gchar *state = "off", *last_error = NULL, *connected_at = NULL;
  gint64 attempts = 0;

  /* The bridge's state when it is of this link; before the room opens, or
   * until the link is posted, "waiting". */
  if (live && link && g_strcmp0 (live_url, link->signal_url) == 0)
    {
      state = json_object_get_string_member_with_default (live, "state", "off");
      attempts = json_object_get_int_member_with_default (live, "attempts", 0);
      last_error = json_object_get_string_member_with_default (live, "last_error", NULL);
      connected_at = json_object_get_string_member_with_default (live, "connected_at", NULL);
    }
  else if (link)
    state = "waiting";
  if (link && last_error == NULL && api->bridge)
    last_error
        = sched_bridge_uplinks_get_error (sched_bridge_get_uplinks (api->bridge), meeting_id);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "meeting_id");
  json_builder_add_int_value (b, meeting_id);
  sched_uplink_add_json (link, b);
  json_builder_set_member_name (b, "room_open");
  json_builder_add_boolean_value (b, live != NULL);
  add_string_or_null (b, "state", state);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, attempts);
  add_string_or_null (b, "last_error", last_error);
  add_string_or_null (b, "connected_at", connected_at);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

static void
uplink_api_changed (UplinkApi *api, gint64 meeting_id)
{
  if (api->bridge)
    sched_bridge_uplinks_changed (sched_bridge_get_uplinks (api->bridge), meeting_id);
}

/* PUT {"signal_url": …, "token": …} */
static gboolean
uplink_api_put (UplinkApi *api, const SchedPrincipal *who, SoupServerMessage *msg,
                gint64 meeting_id, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SchedUplink) link = NULL;
  g_autofree gchar *actor = sched_principal_describe (who);
  JsonObject *o;
  const gchar *signal_url, *token;

  if ((o = sched_http_read_json_object (api->ctx, msg, &root, error)) == NULL
      || (signal_url = sched_json_get_string (o, "signal_url", TRUE, error)) == NULL
      || (token = sched_json_get_string (o, "token", TRUE, error)) == NULL)
    return FALSE;
  link = sched_uplink_set (api->ctx->db, meeting_id, signal_url, token, actor, vc_time_now (),
                           error);
  if (link == NULL)
    return FALSE;
  uplink_api_changed (api, meeting_id);
  uplink_api_reply (api, msg, meeting_id, link);
  return TRUE;
}

/* The SchedContext hook for /api/v1/meetings/{id}/uplink. */
static void
hook_meeting_uplink (SchedContext *ctx, const SchedPrincipal *who, SoupServerMessage *msg,
                     gint64 meeting_id)
{
  UplinkApi *api = &api_state;
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) meeting = NULL;
  g_autoptr (SchedUplink) link = NULL;
  g_autofree gchar *actor = NULL;

  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0
      && g_strcmp0 (method, "PUT") != 0 && g_strcmp0 (method, "DELETE") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, PUT, DELETE");
      sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain",
                             "method not allowed\n", -1);
      return;
    }
  if ((meeting = sched_meeting_load (ctx->db, meeting_id, &error)) == NULL)
    goto fail;
  if (g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0)
    {
      if (!sched_auth_can_read_all (who, &error))
        goto fail;
      link = sched_uplink_get (ctx->db, meeting_id, &error);
      if (error)
        goto fail;
      uplink_api_reply (api, msg, meeting_id, link);
      return;
    }
  if (!sched_auth_can_run_meeting (ctx->db, who, meeting->unit, meeting->chair, &error))
    goto fail;
  if (g_strcmp0 (method, "PUT") == 0)
    {
      if (!uplink_api_put (api, who, msg, meeting_id, &error))
        goto fail;
      return;
    }
  actor = sched_principal_describe (who);
  if (!sched_uplink_clear (ctx->db, meeting_id, actor, vc_time_now (), &error))
    goto fail;
  uplink_api_changed (api, meeting_id);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  return;

fail:
  sched_http_reply_error (msg, error);
}

void
sched_uplink_api_register (SchedContext *ctx, SchedBridge *bridge)
{
  api_state = (UplinkApi){ .ctx = ctx, .bridge = bridge };
  ctx->meeting_uplink = hook_meeting_uplink;
}

void
sched_uplink_api_unregister (SchedContext *ctx)
{
  ctx->meeting_uplink = NULL;
  api_state = (UplinkApi){ 0 };
}
