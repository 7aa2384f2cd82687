/* bridge-server.c — routes, authentication and error mapping.
 *
 * Every handler runs on the main thread. Errors are BRIDGE_ERROR codes
 * mapped to HTTP statuses in one place (server_reply_error) and answered as
 * {"error": CODE, "message": TEXT}. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-server.h"

#include "bridge-record.h"
#include "bridge-recordings-http.h"
#include "bridge-room-open.h"
#include "bridge-room.h"
#include "vc-signal.h"
#include "bridge-video.h"
#include "vc-http-guard.h"
#include "vc-jwt.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <libsoup/soup.h>
#include <string.h>

#define MAX_BODY (64 * 1024)

struct _BridgeServer
{
  GObject parent;
  const BridgeSettings *settings;
  SoupServer *soup;
  VcHttpGuard *guard;       /* closes connections libsoup 3.2 would leak */
  GHashTable *rooms;        /* id -> BridgeRoom */
  BridgeRoomOpener *opener; /* rooms opened by a join token (bridge-room-open.h) */
  gchar *url;
};

G_DEFINE_FINAL_TYPE (BridgeServer, bridge_server, G_TYPE_OBJECT)

/* ---- replies ---- */

static void
server_reply_json (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree gchar *text = node ? json_to_string (node, FALSE) : NULL;

  if (text != NULL)
    soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                      g_steal_pointer (&text), strlen (text));
  soup_server_message_set_status (msg, status, NULL);
}

static void
server_reply_error (SoupServerMessage *msg, guint status, const gchar *code, const gchar *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  server_reply_json (msg, status, root);
}

static void
server_reply_gerror (SoupServerMessage *msg, const GError *error)
{
  static const struct
  {
    guint status;
    const gchar *code;
  } map[] = {
    [BRIDGE_ERROR_INVALID] = { 422, "invalid" },
    [BRIDGE_ERROR_NOT_FOUND] = { 404, "not_found" },
    [BRIDGE_ERROR_CAPACITY] = { 503, "capacity" },
    [BRIDGE_ERROR_FORBIDDEN] = { 403, "forbidden" },
    [BRIDGE_ERROR_MEDIA] = { 500, "media" },
    [BRIDGE_ERROR_CLOSED] = { 410, "closed" },
    [BRIDGE_ERROR_CONFLICT] = { 409, "conflict" },
    [BRIDGE_ERROR_NOT_RECORDING] = { 409, "not_recording" },
    [BRIDGE_ERROR_LOOP] = { 409, "loop" },
  };

  if (error->domain == BRIDGE_ERROR && error->code >= 0 && error->code < (gint)G_N_ELEMENTS (map))
    server_reply_error (msg, map[error->code].status, map[error->code].code, error->message);
  else
    server_reply_error (msg, 500, "internal", error->message);
}

/* ---- helpers ---- */

static gboolean
server_authorized (BridgeServer *self, SoupServerMessage *msg)
{
  const gchar *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (auth != NULL && g_str_has_prefix (auth, "Bearer ")
      && vc_secret_equal (auth + 7, self->settings->secret))
    return TRUE;
  server_reply_error (msg, 401, "unauthorized", "a valid Bearer secret is required");
  return FALSE;
}

static JsonObject *
server_read_body (SoupServerMessage *msg, JsonParser *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = NULL;
  JsonNode *root;

  if (body->length > MAX_BODY)
    {
      server_reply_error (msg, 413, "too_large", "bodies are limited to 64 KiB");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      server_reply_error (msg, 400, "malformed", "the body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

static guint
server_count_invited (BridgeServer *self, const gchar *except_id)
{
  GHashTableIter iter;
  BridgeRoom *room;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&room))
    if (g_strcmp0 (bridge_room_get_id (room), except_id) != 0)
      n += bridge_room_count_participants (room);
  return n;
}

/* ---- /capacity ---- */

/* What the scheduler checks bookings against (docs/protocol.md §2): the
 * limits POST /rooms enforces, and what is in use now. */
static void
server_get_capacity (BridgeServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "max_rooms");
  json_builder_add_int_value (b, self->settings->max_rooms);
  json_builder_set_member_name (b, "max_participants");
  json_builder_add_int_value (b, self->settings->capacity);
  json_builder_set_member_name (b, "rooms");
  json_builder_add_int_value (b, g_hash_table_size (self->rooms));
  json_builder_set_member_name (b, "participants");
  json_builder_add_int_value (b, server_count_invited (self, NULL));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  server_reply_json (msg, 200, root);
}

static void
on_capacity (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer data)
{
  BridgeServer *self = data;

  if (!server_authorized (self, msg))
    return;
  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    server_get_capacity (self, msg);
  else
    server_reply_error (msg, 405, "method", "method not allowed here");
}

/* ---- /rooms ---- */

static void
server_post_rooms (BridgeServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *body = server_read_body (msg, parser);
  const gchar *id;
  BridgeRoom *room;
  gboolean creating;
  JsonNode *participants;

  if (body == NULL)
    return;
  id = json_object_get_string_member_with_default (body, "id", NULL);
  participants = json_object_get_member (body, "participants");
  if (id == NULL || *id == '\0' || strlen (id) > 64 || strchr (id, '/') != NULL)
    {
      server_reply_error (msg, 422, "invalid", "'id' must be a room id string");
      return;
    }
  room = g_hash_table_lookup (self->rooms, id);
  creating = room == NULL;
  if (participants != NULL && JSON_NODE_HOLDS_ARRAY (participants)
      && (server_count_invited (self, id)
                  + json_array_get_length (json_node_get_array (participants))
              > self->settings->capacity
          || (creating && g_hash_table_size (self->rooms) >= self->settings->max_rooms)))
    {
      server_reply_error (msg, 503, "capacity", "the bridge is full");
      return;
    }
  if (creating && (room = bridge_room_new (self->settings, id, &error)) == NULL)
    {
      server_reply_error (msg, 500, "media", error->message);
      return;
    }
  if (!bridge_room_update (room, body, creating, &error))
    {
      if (creating)
        bridge_room_free (room);
      server_reply_gerror (msg, error);
      return;
    }
  if (creating)
    g_hash_table_insert (self->rooms, g_strdup (id), room);
  bridge_room_opener_note_posted (self->opener, id);
  g_autoptr (JsonNode) node = bridge_room_to_json (room);
  server_reply_json (msg, creating ? 201 : 200, node);
}

static void
server_list_rooms (BridgeServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  GHashTableIter iter;
  BridgeRoom *room;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rooms");
  json_builder_begin_array (b);
  g_hash_table_iter_init (&iter, self->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&room))
    json_builder_add_value (b, bridge_room_to_json (room));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  server_reply_json (msg, 200, root);
}

/* a string member, or NULL (absent or of another type) */
static const gchar *
body_string (JsonObject *body, const gchar *name)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* POST /rooms/{id}/uplink {"signal_url": …, "token": …} (bridge-uplink.h) */
static void
server_post_uplink (SoupServerMessage *msg, BridgeRoom *room)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *body = server_read_body (msg, parser);

  if (body == NULL)
    return;
  if (!bridge_room_set_uplink (room, body_string (body, "signal_url"), body_string (body, "token"),
                               &error))
    {
      server_reply_gerror (msg, error);
      return;
    }
  node = bridge_room_to_json (room);
  server_reply_json (msg, 202, node);
}

static void
server_room_request (BridgeServer *self, SoupServerMessage *msg, const gchar *id,
                     const gchar *action)
{
  BridgeRoom *room = g_hash_table_lookup (self->rooms, id);
  const gchar *method = soup_server_message_get_method (msg);

  /* even a room the bridge does not have: no join token opens it again */
  if (action == NULL && g_str_equal (method, "DELETE"))
    bridge_room_opener_note_deleted (self->opener, id);
  if (room == NULL)
    {
      server_reply_error (msg, 404, "not_found", "no such room");
      return;
    }
  if (action == NULL && g_str_equal (method, "GET"))
    {
      g_autoptr (JsonNode) node = bridge_room_to_json (room);
      server_reply_json (msg, 200, node);
    }
  else if (action == NULL && g_str_equal (method, "DELETE"))
    {
      g_hash_table_remove (self->rooms, id);
      soup_server_message_set_status (msg, 204, NULL);
    }
  else if (g_strcmp0 (action, "control") == 0 && g_str_equal (method, "POST"))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      JsonObject *body = server_read_body (msg, parser);
      if (body == NULL)
        return;
      if (!bridge_room_control (room, body, &error))
        server_reply_gerror (msg, error);
      else
        {
          g_autoptr (JsonNode) node = bridge_room_to_json (room);
          server_reply_json (msg, 200, node);
        }
    }
  else if (g_strcmp0 (action, "uplink") == 0 && g_str_equal (method, "POST"))
    server_post_uplink (msg, room);
  else if (g_strcmp0 (action, "uplink") == 0 && g_str_equal (method, "DELETE"))
    {
      g_autoptr (GError) error = NULL;
      if (!bridge_room_clear_uplink (room, &error))
        server_reply_gerror (msg, error);
      else
        soup_server_message_set_status (msg, 204, NULL);
    }
  else
    server_reply_error (msg, 405, "method", "method not allowed here");
}

/* ---- /recordings, /metrics ---- */

static void
on_recordings (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer data)
{
  BridgeServer *self = data;

  if (server_authorized (self, msg))
    bridge_recordings_http_handle (self->settings, msg, path, query);
}

/* Prometheus text: what the bridge carries, and its recordings */
static void
on_metrics (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  BridgeServer *self = data;
  g_autoptr (GString) text = g_string_new (NULL);
  BridgeRecordTotals totals;
  GHashTableIter iter;
  BridgeRoom *room;
  guint connected = 0, recording = 0;

  if (!server_authorized (self, msg))
    return;
  if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      server_reply_error (msg, 405, "method", "method not allowed here");
      return;
    }
  g_hash_table_iter_init (&iter, self->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&room))
    {
      connected += bridge_room_count_connected (room);
      recording += bridge_room_is_recording (room);
    }
  bridge_record_get_totals (&totals);
  g_string_append_printf (
      text,
      "# HELP vc_bridge_rooms Rooms open on the bridge.\n# TYPE vc_bridge_rooms gauge\n"
      "vc_bridge_rooms %u\n"
      "# HELP vc_bridge_participants Participants invited to the open rooms.\n"
      "# TYPE vc_bridge_participants gauge\nvc_bridge_participants %u\n"
      "# HELP vc_bridge_participants_connected Participants connected now.\n"
      "# TYPE vc_bridge_participants_connected gauge\nvc_bridge_participants_connected %u\n"
      "# HELP vc_bridge_recordings_active Rooms being recorded now (not paused).\n"
      "# TYPE vc_bridge_recordings_active gauge\nvc_bridge_recordings_active %u\n"
      "# HELP vc_bridge_recording_bytes_total Bytes written to recordings.\n"
      "# TYPE vc_bridge_recording_bytes_total counter\n"
      "vc_bridge_recording_bytes_total %" G_GUINT64_FORMAT "\n"
      "# HELP vc_bridge_recording_segments_total Recording segments begun.\n"
      "# TYPE vc_bridge_recording_segments_total counter\n"
      "vc_bridge_recording_segments_total %" G_GUINT64_FORMAT "\n"
      "# HELP vc_bridge_recording_failures_total Recordings stopped by an error.\n"
      "# TYPE vc_bridge_recording_failures_total counter\n"
      "vc_bridge_recording_failures_total{reason=\"disk_full\"} %" G_GUINT64_FORMAT "\n"
      "vc_bridge_recording_failures_total{reason=\"write_error\"} %" G_GUINT64_FORMAT "\n",
      g_hash_table_size (self->rooms), server_count_invited (self, NULL), connected, recording,
      totals.bytes_total, totals.segments_total, totals.failures_disk_full,
      totals.failures_write_error);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4; charset=utf-8",
                                    SOUP_MEMORY_COPY, text->str, text->len);
  soup_server_message_set_status (msg, 200, NULL);
}

/* ---- signalling ---- */

/* Checks the join token before the upgrade; on success leaves the status
 * unset so that the WebSocket handler completes the handshake. */
static void
server_check_signal (BridgeServer *self, SoupServerMessage *msg, const gchar *id)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr (GHashTable) query = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJwtClaims) claims = NULL;
  const gchar *token = NULL;
  BridgeRoom *room;

  if (g_uri_get_query (uri) != NULL)
    query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (query != NULL)
    token = g_hash_table_lookup (query, "token");
  if (token == NULL
      || (claims = vc_jwt_verify (token, self->settings->secret, vc_time_now (), &error)) == NULL)
    {
      server_reply_error (msg, 401, "unauthorized",
                          error ? error->message : "a join token is required");
      return;
    }
  if (g_strcmp0 (claims->meeting, id) != 0)
    {
      server_reply_error (msg, 403, "forbidden", "the token is for another room");
      return;
    }
  /* invited, or a room token that opens the room (bridge-room-open.h);
   * a child bridge's link only with a link token, and the other way round */
  if ((room = bridge_room_opener_admit (
           self->opener, claims,
           soup_message_headers_header_contains (soup_server_message_get_request_headers (msg),
                                                 "Upgrade", "websocket"),
           &error))
          == NULL
      || !bridge_room_check_link (room, claims->endpoint, claims->link,
                                  query ? g_hash_table_lookup (query, "link_room") : NULL, &error))
    {
      server_reply_gerror (msg, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), "vc-claims", g_steal_pointer (&claims),
                          (GDestroyNotify)vc_jwt_claims_free);
}

/* main thread: the handshake succeeded */
static void
on_websocket (SoupServer *soup, SoupServerMessage *msg, const char *path,
              SoupWebsocketConnection *ws, gpointer data)
{
  BridgeServer *self = data;
  VcJwtClaims *claims = g_object_get_data (G_OBJECT (msg), "vc-claims");
  g_autoptr (GError) error = NULL;
  BridgeRoom *room = claims ? g_hash_table_lookup (self->rooms, claims->meeting) : NULL;

  if (room == NULL || !bridge_room_join (room, claims->endpoint, claims->name, ws, &error))
    {
      g_autofree gchar *text = vc_signal_build_error (VC_SIGNAL_ERROR_UNEXPECTED,
                                                      error ? error->message : "the room is gone");
      soup_websocket_connection_send_text (ws, text);
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
}

/* ---- routing ---- */

static void
on_rooms (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
          gpointer data)
{
  BridgeServer *self = data;
  g_auto (GStrv) parts = g_strsplit (path + 1, "/", 0); /* "rooms", id, action */
  guint n = g_strv_length (parts);
  const gchar *method = soup_server_message_get_method (msg);

  if (n == 3 && g_str_equal (parts[2], "signal") && g_str_equal (method, "GET"))
    {
      server_check_signal (self, msg, parts[1]);
      return;
    }
  if (!server_authorized (self, msg))
    return;
  if (n == 1 || (n == 2 && *parts[1] == '\0'))
    {
      if (g_str_equal (method, "POST"))
        server_post_rooms (self, msg);
      else if (g_str_equal (method, "GET"))
        server_list_rooms (self, msg);
      else
        server_reply_error (msg, 405, "method", "method not allowed here");
    }
  else if (n == 2 || n == 3)
    server_room_request (self, msg, parts[1], n == 3 ? parts[2] : NULL);
  else
    server_reply_error (msg, 404, "not_found", "no such resource");
}

static void
on_healthz (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  server_reply_json (msg, 200, root);
}

static void
on_default (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  server_reply_error (msg, 404, "not_found", "no such resource");
}

/* Refuses oversized bodies as soon as the headers are in. */
static void
on_request_early (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer data)
{
  goffset length
      = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));

  if (length > MAX_BODY)
    server_reply_error (msg, 413, "too_large", "bodies are limited to 64 KiB");
}

/* A room's participants connect at once (44 agents at a meeting's start, a
 * wave of rejoins after a network outage): with a GSocketListener's default
 * backlog of 10 the kernel drops the SYNs beyond it and the clients retry
 * after 1, 3, 7 … s (500 connections took 40 s). Same depth as
 * vc-scheduler's listening socket (sched_server_listen). */
#define SERVER_LISTEN_BACKLOG 1024

gboolean
bridge_server_listen (BridgeServer *self, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (self->settings->listen_host);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocket) sock = NULL;
  GSList *uris;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "listen address '%s' is not an IP address", self->settings->listen_host);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, self->settings->listen_port);
  sock = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL || !g_socket_bind (sock, address, TRUE, error))
    return FALSE;
  g_socket_set_listen_backlog (sock, SERVER_LISTEN_BACKLOG);
  if (!g_socket_listen (sock, error) || !soup_server_listen_socket (self->soup, sock, 0, error))
    return FALSE;
  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      GUri *uri = uris->data;
      g_free (self->url);
      gboolean v6 = strchr (self->settings->listen_host, ':') != NULL;
      self->url = g_strdup_printf (v6 ? "http://[%s]:%d" : "http://%s:%d",
                                   self->settings->listen_host, g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return TRUE;
}

const gchar *
bridge_server_get_url (BridgeServer *self)
{
  return self->url;
}

void
bridge_server_shutdown (BridgeServer *self)
{
  g_hash_table_remove_all (self->rooms); /* peers get bye "room-closed" */
  soup_server_disconnect (self->soup);
}

BridgeServer *
bridge_server_new (const BridgeSettings *settings)
{
  BridgeServer *self = g_object_new (BRIDGE_TYPE_SERVER, NULL);

  self->settings = settings;
  self->opener = bridge_room_opener_new (settings, self->rooms);
  return self;
}

static void
bridge_server_finalize (GObject *object)
{
  BridgeServer *self = BRIDGE_SERVER (object);

  g_clear_pointer (&self->opener, bridge_room_opener_free);
  g_hash_table_unref (self->rooms);
  g_clear_pointer (&self->guard, vc_http_guard_free);
  g_clear_object (&self->soup);
  g_free (self->url);
  G_OBJECT_CLASS (bridge_server_parent_class)->finalize (object);
}

static void
bridge_server_init (BridgeServer *self)
{
  self->rooms
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)bridge_room_free);
  self->soup = soup_server_new ("server-header", "vc-bridge", NULL);
  self->guard = vc_http_guard_new (self->soup,
                                   &(VcHttpGuardLimits){
                                       .header_timeout_ms = VC_HTTP_GUARD_HEADER_TIMEOUT_MS_DEFAULT,
                                       .idle_timeout_ms = VC_HTTP_GUARD_IDLE_TIMEOUT_MS_DEFAULT,
                                       .max_header_bytes = VC_HTTP_GUARD_MAX_HEADER_BYTES_DEFAULT,
                                   });
  soup_server_add_early_handler (self->soup, NULL, on_request_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_default, self, NULL);
  soup_server_add_handler (self->soup, "/healthz", on_healthz, self, NULL);
  soup_server_add_handler (self->soup, "/rooms", on_rooms, self, NULL);
  soup_server_add_handler (self->soup, "/capacity", on_capacity, self, NULL);
  soup_server_add_handler (self->soup, "/recordings", on_recordings, self, NULL);
  soup_server_add_handler (self->soup, "/metrics", on_metrics, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/rooms", NULL, NULL, on_websocket, self, NULL);
  /* No permessage-deflate: libsoup checks the frame limit
   * (VC_SIGNAL_MAX_FRAME) on the compressed bytes and inflates without
   * bound, so a 200 KiB frame became 200 MB in the bridge. Signalling
   * messages are small and rare. */
  soup_server_remove_websocket_extension (self->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
}

static void
bridge_server_class_init (BridgeServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bridge_server_finalize;
}
