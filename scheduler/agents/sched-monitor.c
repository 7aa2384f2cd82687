/* sched-monitor.c — what the operators see and press while meetings run.
 *
 * The monitor joins three sources: the endpoints table, the agents' presence
 * (sched-agent-hub.c) and the last room state polled from the bridge
 * (sched-bridge.c). Controls are forwarded to the bridge as they are; guest
 * join links are join tokens with guest=true, recorded in join_links. The
 * join page learns where to connect from GET /api/v1/join/{id}, authorised
 * by the join token itself: a link carries no address of its own to trust.
 *
 * Handlers run on the main thread. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-monitor.h"
#include "sched-agent-schedule.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-join-link.h"
#include "sched-model-meeting.h"
#include "sched-model-room.h"
#include "vc-jwt.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <string.h>

typedef struct
{
  SchedContext *ctx;
  SchedAgentHub *hub;
  SchedBridge *bridge;
} SchedMonitor;

static SchedMonitor monitor_state; /* one scheduler per process */

static gboolean
monitor_parse_id (const gchar *text, gint64 *out)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out = (gint64)value;
  return TRUE;
}

static void
monitor_add_endpoints (SchedMonitor *m, JsonBuilder *b, GError **error)
{
  g_autoptr (GPtrArray) rooms = sched_room_list (m->ctx->db, SCHED_ROOM_ORDER_CODE, error);

  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; rooms && i < rooms->len; i++)
    {
      const SchedRoom *room = g_ptr_array_index (rooms, i);
      SchedPresence p = { 0 };

      sched_agent_hub_get_presence (m->hub, room->code, &p);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, room->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, room->name);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, room->level);
      json_builder_set_member_name (b, "unit");
      if (room->unit)
        json_builder_add_string_value (b, room->unit);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "online");
      json_builder_add_boolean_value (b, p.online);
      json_builder_set_member_name (b, "state");
      if (p.state)
        json_builder_add_string_value (b, p.state);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "in_meeting");
      json_builder_add_boolean_value (b, g_strcmp0 (p.state, "in_meeting") == 0);
      json_builder_set_member_name (b, "meeting");
      if (p.meeting_id > 0)
        json_builder_add_int_value (b, p.meeting_id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "ready");
      if (p.ready_known)
        json_builder_add_boolean_value (b, p.ready);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "ready_reason");
      if (p.ready_reason)
        json_builder_add_string_value (b, p.ready_reason);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* The scheduled meetings running at @now, in start order. */
static void
monitor_add_meetings (SchedMonitor *m, JsonBuilder *b, gint64 now, GError **error)
{
  SchedMeetingFilter filter = {
    .from = now,   /* ending after now … */
    .to = now + 1, /* … starting at or before now */
    .status = "scheduled",
    .limit = G_MAXINT,
  };
  g_autoptr (GPtrArray) meetings
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_meeting_free);

  json_builder_set_member_name (b, "meetings");
  json_builder_begin_array (b);
  if (!sched_meeting_list (m->ctx->db, &filter, meetings, error))
    g_ptr_array_set_size (meetings, 0);
  for (guint i = 0; i < meetings->len; i++)
    {
      const SchedMeeting *meeting = g_ptr_array_index (meetings, i);
      JsonNode *room = sched_bridge_get_room (m->bridge, meeting->id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, meeting->id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, meeting->title);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, meeting->unit);
      json_builder_set_member_name (b, "chair");
      json_builder_add_string_value (b, meeting->chair);
      sched_json_add_time (b, "start", meeting->start);
      sched_json_add_time (b, "end", meeting->end);
      json_builder_set_member_name (b, "room");
      if (room)
        json_builder_add_value (b, json_node_copy (room));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
on_monitor (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  SchedMonitor *m = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) p = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (!g_str_equal (path, "/api/v1/monitor"))
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no such resource");
      sched_http_reply_error (msg, error);
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "GET only\n", -1);
      return;
    }
  if ((p = sched_http_authenticate (m->ctx, msg, &error)) == NULL
      || !sched_auth_can_read_all (p, &error))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  monitor_add_endpoints (m, b, &error);
  if (error == NULL)
    monitor_add_meetings (m, b, vc_time_now (), &error);
  json_builder_end_object (b);
  if (error)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

static void
on_control_answer (guint status, GBytes *body, const GError *error, gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  if (status == 0)
    {
      g_autoptr (GError) e
          = g_error_new (SCHED_ERROR, SCHED_ERROR_UNAVAILABLE, "bridge unreachable: %s",
                         error ? error->message : "unknown error");
      sched_http_reply_error (msg, e);
    }
  else
    {
      gsize len = 0;
      const gchar *data = g_bytes_get_data (body, &len);

      sched_http_reply_text (msg, status, "application/json", data ? data : "", len);
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static void
monitor_control (SchedMonitor *m, SoupServerMessage *msg, gint64 id, JsonNode *root)
{
  JsonObject *o = json_node_get_object (root);
  const gchar *action = json_object_get_string_member_with_default (o, "action", NULL);

  if (action == NULL)
    {
      g_autoptr (GError) error = NULL;

      sched_error_set_field (&error, SCHED_ERROR_INVALID, "action", "is required");
      sched_http_reply_error (msg, error);
      return;
    }
  soup_server_message_pause (msg);
  sched_bridge_control (m->bridge, id, root, on_control_answer, g_object_ref (msg));
}

static void
monitor_join_link (SchedMonitor *m, SoupServerMessage *msg, const SchedPrincipal *p, gint64 id,
                   const SchedMeeting *meeting, JsonObject *o)
{
  g_autoptr (GError) error = NULL;
  const gchar *name = sched_json_get_string (o, "name", TRUE, &error);
  gint64 now = vc_time_now ();
  gint64 expires = meeting->end + m->ctx->settings->join_token_margin_seconds;
  guint8 random[4];
  g_autofree gchar *guest = NULL;
  g_autofree gchar *signal = NULL;
  g_autofree gchar *token = NULL;
  g_autofree gchar *actor = NULL;
  g_autofree gchar *url = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (name == NULL)
    goto fail;
  if (*name == '\0' || strlen (name) > 100)
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "name", "must be 1 to 100 bytes");
      goto fail;
    }
  if (g_strcmp0 (meeting->status, "scheduled") != 0 || meeting->end <= now)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_CONFLICT, "the meeting is over or cancelled");
      goto fail;
    }
  for (guint i = 0; i < sizeof random; i++)
    random[i] = g_random_int_range (0, 256);
  guest = g_strdup_printf ("guest-%02x%02x%02x%02x", random[0], random[1], random[2], random[3]);
  signal = sched_agent_signal_url (m->ctx->settings, id);
  token = sched_agent_join_token (m->ctx->settings, id, guest, name, meeting->chair, TRUE, expires,
                                  now);
  if (signal == NULL || token == NULL)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_UNAVAILABLE, "no bridge is configured");
      goto fail;
    }
  actor = sched_principal_describe (p);
  if (!sched_join_link_insert (m->ctx->db, id, name, actor, now, expires, &error))
    goto fail;

  /* No signalling address in the link: the join page asks GET
   * /api/v1/join/{id} for it (on_join). */
  url = g_strdup_printf ("/#/join?meeting=%" G_GINT64_FORMAT "&token=%s", id, token);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "signal_url");
  json_builder_add_string_value (b, signal);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "endpoint");
  json_builder_add_string_value (b, guest);
  sched_json_add_time (b, "expires", expires);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_CREATED, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* /api/v1/monitor/meetings/{id}/control and …/join-links */
static void
on_monitor_meeting (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer user_data)
{
  SchedMonitor *m = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) p = NULL;
  g_auto (GStrv) seg = sched_http_path_segments (path, "/api/v1/monitor/meetings");
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SchedMeeting) meeting = NULL;
  JsonObject *o;
  gint64 id = 0;

  if (seg == NULL || g_strv_length (seg) != 2 || !monitor_parse_id (seg[0], &id)
      || !(g_str_equal (seg[1], "control") || g_str_equal (seg[1], "join-links")))
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no such resource");
      goto fail;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "POST only\n", -1);
      return;
    }
  if ((p = sched_http_authenticate (m->ctx, msg, &error)) == NULL)
    goto fail;
  if ((meeting = sched_meeting_load (m->ctx->db, id, &error)) == NULL
      || !sched_auth_can_book_for_unit (p, meeting->unit, &error))
    goto fail;
  if ((o = sched_http_read_json_object (m->ctx, msg, &root, &error)) == NULL)
    goto fail;
  if (g_str_equal (seg[1], "control"))
    monitor_control (m, msg, id, root);
  else
    monitor_join_link (m, msg, p, id, meeting, o);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* GET /api/v1/join/{id} with "Authorization: Bearer JOIN_TOKEN": the
 * signalling URL of the meeting's bridge room, for the join page. The token
 * must be one this scheduler signed, unexpired, for this meeting. */
static void
on_join (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  SchedMonitor *m = user_data;
  const SchedSettings *s = m->ctx->settings;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) jwt_error = NULL;
  g_auto (GStrv) seg = sched_http_path_segments (path, "/api/v1/join");
  g_autoptr (SchedMeeting) meeting = NULL;
  g_autoptr (VcJwtClaims) claims = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *signal = NULL;
  const gchar *auth;
  gint64 id = 0;

  if (seg == NULL || g_strv_length (seg) != 1 || !monitor_parse_id (seg[0], &id))
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no such resource");
      goto fail;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "GET only\n", -1);
      return;
    }
  signal = sched_agent_signal_url (s, id);
  if (signal == NULL || s->bridge_secret == NULL || *s->bridge_secret == '\0')
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_UNAVAILABLE, "no bridge is configured");
      goto fail;
    }
  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                       "Authorization");
  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    {
      g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                           "send Authorization: Bearer JOIN_TOKEN");
      goto fail;
    }
  claims = vc_jwt_verify (auth + 7, s->bridge_secret, vc_time_now (), &jwt_error);
  if (claims == NULL)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED, "join token refused: %s",
                   jwt_error->message);
      goto fail;
    }
  if (g_strcmp0 (claims->meeting, seg[0]) != 0)
    {
      g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_UNAUTHORIZED,
                           "the join token is for another meeting");
      goto fail;
    }
  if ((meeting = sched_meeting_load (m->ctx->db, id, &error)) == NULL)
    goto fail;
  if (g_strcmp0 (meeting->status, "scheduled") != 0 || meeting->end <= vc_time_now ())
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_CONFLICT, "the meeting is over or cancelled");
      goto fail;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "meeting");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "signal_url");
  json_builder_add_string_value (b, signal);
  json_builder_set_member_name (b, "endpoint");
  json_builder_add_string_value (b, claims->endpoint);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, claims->name);
  sched_json_add_time (b, "expires", claims->exp);
  /* What the guest's page shows: the meeting's title and times. */
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, meeting->title);
  sched_json_add_time (b, "start", meeting->start);
  sched_json_add_time (b, "end", meeting->end);
  /* a guest cannot open the room on the bridge: the page waits until it is
   * open (docs/protocol.md §3); null when the bridge does not answer us */
  json_builder_set_member_name (b, "room_open");
  if (sched_bridge_is_reachable (m->bridge))
    json_builder_add_boolean_value (b, sched_bridge_get_room (m->bridge, id) != NULL);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* /api/v1/agents/{endpoint}/join | leave  {"meeting": ID} */
static void
on_agents (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  SchedMonitor *m = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) p = NULL;
  g_auto (GStrv) seg = sched_http_path_segments (path, "/api/v1/agents");
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonObject *o;
  gint64 meeting = 0;

  if (seg == NULL || g_strv_length (seg) != 2
      || !(g_str_equal (seg[1], "join") || g_str_equal (seg[1], "leave")))
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no such resource");
      goto fail;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "POST only\n", -1);
      return;
    }
  if ((p = sched_http_authenticate (m->ctx, msg, &error)) == NULL
      || !sched_auth_require_admin (p, &error))
    goto fail;
  if ((o = sched_http_read_json_object (m->ctx, msg, &root, &error)) == NULL
      || !sched_json_get_int (o, "meeting", TRUE, &meeting, &error))
    goto fail;
  if (!sched_agent_hub_send_command (m->hub, seg[0],
                                     g_str_equal (seg[1], "join") ? VC_AGENT_WIRE_NOTICE_JOIN
                                                                  : VC_AGENT_WIRE_NOTICE_LEAVE,
                                     meeting))
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "the agent of %s is offline",
                   seg[0]);
      goto fail;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sent");
  json_builder_add_string_value (b, seg[1]);
  json_builder_set_member_name (b, "endpoint");
  json_builder_add_string_value (b, seg[0]);
  json_builder_set_member_name (b, "meeting");
  json_builder_add_int_value (b, meeting);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

void
sched_monitor_register (SchedContext *ctx, SoupServer *server, SchedAgentHub *hub,
                        SchedBridge *bridge)
{
  monitor_state = (SchedMonitor){ .ctx = ctx, .hub = hub, .bridge = bridge };
  soup_server_add_handler (server, "/api/v1/monitor", on_monitor, &monitor_state, NULL);
  soup_server_add_handler (server, "/api/v1/monitor/meetings", on_monitor_meeting, &monitor_state,
                           NULL);
  soup_server_add_handler (server, "/api/v1/agents", on_agents, &monitor_state, NULL);
  soup_server_add_handler (server, "/api/v1/join", on_join, &monitor_state, NULL);
}

void
sched_monitor_unregister (SoupServer *server)
{
  soup_server_remove_handler (server, "/api/v1/monitor");
  soup_server_remove_handler (server, "/api/v1/monitor/meetings");
  soup_server_remove_handler (server, "/api/v1/agents");
  soup_server_remove_handler (server, "/api/v1/join");
  monitor_state = (SchedMonitor){ 0 };
}
