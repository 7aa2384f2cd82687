/* test-sched-agents.c — the scheduler's live side in-process: the agent
 * channel (schedule on connect with a valid join token, pushes on change,
 * presence from state messages, malformed → error and the channel stays,
 * unknown token refused before the upgrade), the monitor, join commands and
 * guest links, and the bridge room opener against a fake bridge that records
 * POST/DELETE /rooms. Everything waits on the main loop with a watchdog. */
#include "sched-agent-schedule.h"
#include "sched-agents.h"
#include "sched-auth.h"
#include "sched-bridge.h"
#include "sched-model-token.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define SECRET "bridge-secret-for-tests"

typedef struct
{
  gint64 at_us; /* real time */
  gchar *method;
  gchar *path;
  gchar *body;
} BridgeCall;

typedef struct
{
  gchar *dir;
  SchedSettings settings;
  SchedContext ctx;
  SoupServer *server;
  gchar *url;
  SoupServer *bridge;
  GPtrArray *bridge_calls;    /* BridgeCall* */
  guint bridge_failing_posts; /* answer this many more POST /rooms with 503 */
  guint bridge_lost_rooms;    /* answer this many more GET /rooms/ID with 404 */
  guint bridge_token_rooms;   /* answer this many more GET /rooms/ID "opened_by":"token" */
  const gchar *bridge_list;   /* the answer to GET /rooms, NULL: an empty list */
  gchar *endpoint_token;
  gchar *admin_token;
  SoupSession *session;
  GMainLoop *loop;
  guint watchdog;
  /* the agent's WebSocket */
  SoupWebsocketConnection *ws;
  GPtrArray *received; /* JsonNode* */
} Fixture;

static void
bridge_call_free (BridgeCall *c)
{
  g_free (c->method);
  g_free (c->path);
  g_free (c->body);
  g_free (c);
}

static gboolean
on_watchdog (gpointer data)
{
  g_error ("watchdog: the test took too long");
  return G_SOURCE_REMOVE;
}

static void
on_bridge_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                   gpointer user_data)
{
  Fixture *f = user_data;
  BridgeCall *c = g_new0 (BridgeCall, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const gchar *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");
  const gchar *method = soup_server_message_get_method (msg);

  g_assert_cmpstr (auth, ==, "Bearer " SECRET);
  c->at_us = g_get_real_time ();
  c->method = g_strdup (method);
  c->path = g_strdup (path);
  c->body = g_strndup (body->data, body->length);
  g_ptr_array_add (f->bridge_calls, c);
  if (g_str_equal (method, "POST") && g_str_equal (path, "/rooms") && f->bridge_failing_posts > 0)
    {
      f->bridge_failing_posts--;
      soup_server_message_set_status (msg, 503, NULL);
    }
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/rooms/")
           && f->bridge_lost_rooms > 0)
    {
      f->bridge_lost_rooms--;
      soup_server_message_set_status (msg, 404, NULL);
    }
  else if (g_str_equal (method, "DELETE"))
    soup_server_message_set_status (msg, 204, NULL);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/rooms"))
    {
      const gchar *list = f->bridge_list ? f->bridge_list : "{\"rooms\":[]}";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, list,
                                        strlen (list));
    }
  else if (g_str_equal (method, "GET") && f->bridge_token_rooms > 0)
    {
      static const gchar room[]
          = "{\"id\":\"1\",\"layout\":\"grid\",\"opened_by\":\"token\",\"participants\":[]}";
      f->bridge_token_rooms--;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, room,
                                        strlen (room));
    }
  else if (g_str_has_suffix (path, "/control"))
    {
      static const gchar answer[] = "{\"id\":\"1\",\"layout\":\"speaker\"}";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer,
                                        strlen (answer));
    }
  else
    {
      static const gchar room[] = "{\"id\":\"1\",\"layout\":\"grid\",\"participants\":[]}";
      soup_server_message_set_status (msg, g_str_equal (method, "POST") ? 201 : 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, room,
                                        strlen (room));
    }
  if (f->loop)
    g_main_loop_quit (f->loop);
}

/* GET /capacity: what vc-bridge reports (docs/protocol.md §2). */
static void
on_bridge_capacity (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer user_data)
{
  static const gchar answer[]
      = "{\"max_rooms\":8,\"max_participants\":200,\"rooms\":0,\"participants\":0}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer,
                                    strlen (answer));
}

static gchar *
server_url (SoupServer *server)
{
  g_autoslist (GUri) uris = soup_server_get_uris (server);

  return g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
db_exec (Fixture *f, const gchar *sql)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sched_db_exec (f->ctx.db, sql, &error));
  g_assert_no_error (error);
}

static void
insert_meeting (Fixture *f, gint64 id, const gchar *title, gint64 start, gint64 end,
                const gchar *rooms_csv)
{
  g_auto (GStrv) rooms = g_strsplit (rooms_csv, ",", -1);
  sqlite3_stmt *stmt;
  g_autoptr (GError) error = NULL;

  stmt = sched_db_prepare (f->ctx.db,
                           "INSERT INTO meetings (id, title, unit, chair, start_at, end_at,"
                           " created_at, updated_at) VALUES (?1, ?2, 'ubnd-tinh', 'ubnd-tinh',"
                           " ?3, ?4, ?3, ?3)",
                           &error);
  sqlite3_bind_int64 (stmt, 1, id);
  sched_db_bind_text (stmt, 2, title);
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  g_assert_true (sched_db_step_done (f->ctx.db, stmt, &error));
  for (guint i = 0; rooms[i]; i++)
    {
      stmt = sched_db_prepare (f->ctx.db,
                               "INSERT INTO meeting_endpoints (meeting_id, endpoint, start_at,"
                               " end_at) VALUES (?1, ?2, ?3, ?4)",
                               &error);
      sqlite3_bind_int64 (stmt, 1, id);
      sched_db_bind_text (stmt, 2, rooms[i]);
      sqlite3_bind_int64 (stmt, 3, start);
      sqlite3_bind_int64 (stmt, 4, end);
      g_assert_true (sched_db_step_done (f->ctx.db, stmt, &error));
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *db_path = NULL;

  f->watchdog = g_timeout_add_seconds (60, on_watchdog, NULL);
  f->dir = g_dir_make_tmp ("vc-agents-test-XXXXXX", &error);
  db_path = g_build_filename (f->dir, "s.db", NULL);
  f->bridge_calls = g_ptr_array_new_with_free_func ((GDestroyNotify)bridge_call_free);
  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);

  f->bridge = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->bridge, "/rooms", on_bridge_request, f, NULL);
  soup_server_add_handler (f->bridge, "/capacity", on_bridge_capacity, f, NULL);
  g_assert_true (soup_server_listen_local (f->bridge, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));

  f->settings.bridge_url = server_url (f->bridge);
  f->settings.bridge_secret = g_strdup (SECRET);
  f->settings.room_open_lead_seconds = data ? GPOINTER_TO_INT (data) : 300;
  f->settings.join_token_margin_seconds = 1800;
  f->settings.max_body_bytes = 65536;
  f->ctx.settings = &f->settings;
  f->ctx.db = sched_db_open (db_path, &error);
  g_assert_no_error (error);
  f->ctx.tz = g_time_zone_new_offset (7 * 3600);
  db_exec (f, "INSERT INTO units (code, name) VALUES ('ubnd-tinh', 'UBND tỉnh');"
              "INSERT INTO endpoints (code, name, level, unit) VALUES"
              " ('ubnd-tinh', 'UBND tỉnh', 'province', 'ubnd-tinh'),"
              " ('ubnd-vinh', 'UBND TP Vinh', 'district', 'ubnd-tinh');");
  f->endpoint_token = sched_auth_create_token (f->ctx.db, SCHED_ROLE_ENDPOINT, NULL, "ubnd-vinh",
                                               "agent", &error);
  g_assert_no_error (error);
  f->admin_token
      = sched_auth_create_token (f->ctx.db, SCHED_ROLE_ADMIN, NULL, NULL, "admin", &error);
  g_assert_no_error (error);

  f->server = soup_server_new (NULL, NULL);
  sched_agents_register (&f->ctx, f->server);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  f->url = server_url (f->server);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->ws)
    {
      g_signal_handlers_disconnect_by_data (f->ws, f);
      g_clear_object (&f->ws);
    }
  g_clear_object (&f->session);
  sched_agents_unregister (&f->ctx);
  g_clear_object (&f->server);
  g_clear_object (&f->bridge);
  sched_db_close (f->ctx.db);
  g_time_zone_unref (f->ctx.tz);
  g_free (f->settings.bridge_url);
  g_free (f->settings.bridge_secret);
  g_free (f->url);
  g_free (f->endpoint_token);
  g_free (f->admin_token);
  g_ptr_array_unref (f->bridge_calls);
  g_ptr_array_unref (f->received);
  {
    g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
    const gchar *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree gchar *p = g_build_filename (f->dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (f->dir);
  }
  g_free (f->dir);
  g_source_remove (f->watchdog);
}

/* ---- the agent's WebSocket ---- */

static void
on_ws_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const gchar *data = g_bytes_get_data (message, &len);

  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  g_ptr_array_add (f->received, json_node_copy (json_parser_get_root (parser)));
  if (f->loop)
    g_main_loop_quit (f->loop);
}

typedef struct
{
  Fixture *f;
  SoupWebsocketConnection *ws;
  GError *error;
  guint status;
  gboolean done;
} ConnectResult;

static void
on_ws_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ConnectResult *r = user_data;

  r->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &r->error);
  r->done = TRUE;
  g_main_loop_quit (r->f->loop);
}

static SoupWebsocketConnection *
ws_connect (Fixture *f, const gchar *token, guint *status, GError **error)
{
  g_autofree gchar *url = g_strconcat (f->url, "/api/v1/agent", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  ConnectResult r = { .f = f };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  f->loop = loop;
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_ws_connected, &r);
  while (!r.done)
    g_main_loop_run (loop);
  f->loop = NULL;
  *status = soup_message_get_status (msg);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ws;
}

/* Runs the loop until @n messages have arrived; returns the last. */
static JsonObject *
wait_message (Fixture *f, guint n)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  f->loop = loop;
  while (f->received->len < n)
    g_main_loop_run (loop);
  f->loop = NULL;
  return json_node_get_object (f->received->pdata[n - 1]);
}

static void
agent_open (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;

  f->ws = ws_connect (f, f->endpoint_token, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 101);
  g_signal_connect (f->ws, "message", G_CALLBACK (on_ws_message), f);
}

/* ---- plain HTTP calls ---- */

typedef struct
{
  GMainLoop *loop;
  GBytes *body;
} HttpResult;

static void
on_http_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HttpResult *r = user_data;

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_main_loop_quit (r->loop);
}

static guint
call (Fixture *f, const gchar *method, const gchar *path, const gchar *token, const gchar *body,
      JsonNode **out)
{
  g_autofree gchar *url = g_strconcat (f->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  HttpResult r = { .loop = loop };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body)
    {
      g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_http_done, &r);
  g_main_loop_run (loop);
  g_assert_nonnull (r.body);
  if (out)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      gsize len = 0;
      const gchar *data = g_bytes_get_data (r.body, &len);

      *out = json_parser_load_from_data (parser, data, len, NULL)
                 ? json_node_copy (json_parser_get_root (parser))
                 : NULL;
    }
  g_bytes_unref (r.body);
  return soup_message_get_status (msg);
}

/* ---- tests ---- */

static void
test_schedule_on_connect (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();
  JsonObject *msg;
  JsonArray *meetings;
  JsonObject *m;
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJwtClaims) claims = NULL;
  g_autofree gchar *signal = NULL;

  insert_meeting (f, 1, "Giao ban tháng 11", now + 3600, now + 7200, "ubnd-tinh,ubnd-vinh");
  insert_meeting (f, 2, "Không có Vinh", now + 3600, now + 7200, "ubnd-tinh");
  agent_open (f);
  msg = wait_message (f, 1);
  g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "schedule");
  g_assert_cmpstr (json_object_get_string_member (msg, "endpoint"), ==, "ubnd-vinh");
  meetings = json_object_get_array_member (msg, "meetings");
  g_assert_cmpuint (json_array_get_length (meetings), ==, 1);
  m = json_array_get_object_element (meetings, 0);
  g_assert_cmpint (json_object_get_int_member (m, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (m, "unit_name"), ==, "UBND tỉnh");
  signal = g_strdup_printf ("ws://127.0.0.1:%s/rooms/1/signal",
                            strrchr (f->settings.bridge_url, ':') + 1);
  g_assert_cmpstr (json_object_get_string_member (m, "signal_url"), ==, signal);
  claims = vc_jwt_verify (json_object_get_string_member (m, "join_token"), SECRET, now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (claims->meeting, ==, "1");
  g_assert_cmpstr (claims->endpoint, ==, "ubnd-vinh");
  g_assert_cmpstr (claims->name, ==, "UBND TP Vinh");
  /* every room token names the chair: it may open the room (protocol.md §1) */
  g_assert_cmpstr (claims->chair, ==, "ubnd-tinh");
  g_assert_false (claims->guest);
  g_assert_cmpint (claims->exp, ==, now + 7200 + 1800);

  /* A booking change pushes a new schedule. */
  insert_meeting (f, 3, "Họp mới", now + 600, now + 1200, "ubnd-vinh");
  f->ctx.schedule_changed (&f->ctx, "ubnd-vinh");
  msg = wait_message (f, 2);
  meetings = json_object_get_array_member (msg, "meetings");
  g_assert_cmpuint (json_array_get_length (meetings), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (meetings, 0), "id"),
                   ==, 3); /* start order */
  /* …and for every room. */
  db_exec (f, "UPDATE meetings SET status = 'cancelled' WHERE id = 3;"
              "UPDATE meeting_endpoints SET active = 0 WHERE meeting_id = 3;");
  f->ctx.schedule_changed (&f->ctx, NULL);
  msg = wait_message (f, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (msg, "meetings")), ==, 1);
}

static void
test_presence_and_malformed (Fixture *f, gconstpointer data)
{
  SchedPresence p;
  JsonObject *msg;
  gint64 now = vc_time_now ();

  g_assert_false (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  insert_meeting (f, 1, "A", now - 60, now + 600, "ubnd-vinh");
  agent_open (f);
  wait_message (f, 1);
  g_assert_true (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  g_assert_true (p.online);
  g_assert_null (p.state);

  soup_websocket_connection_send_text (
      f->ws, "{\"type\":\"state\",\"state\":\"in_meeting\",\"meeting\":1}");
  soup_websocket_connection_send_text (
      f->ws,
      "{\"type\":\"readiness\",\"meeting\":1,\"ready\":false,\"reason\":\"camera: no data\"}");
  /* Malformed: each gets an error, the channel stays open. Messages are
   * handled in order, so once the last error is back the state is known. */
  soup_websocket_connection_send_text (f->ws, "not json");
  soup_websocket_connection_send_text (f->ws, "{\"type\":\"state\",\"state\":\"dancing\"}");
  soup_websocket_connection_send_text (f->ws,
                                       "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":\"x\"}");
  soup_websocket_connection_send_text (f->ws, "[1,2]");
  soup_websocket_connection_send_text (f->ws, "");
  /* Members of the wrong JSON type (a critical in json-glib's getters). */
  soup_websocket_connection_send_text (f->ws, "{\"type\":{},\"state\":\"idle\"}");
  soup_websocket_connection_send_text (f->ws,
                                       "{\"type\":\"readiness\",\"ready\":true,\"reason\":[1]}");
  msg = wait_message (f, 8);
  for (guint i = 1; i < 8; i++)
    {
      msg = json_node_get_object (f->received->pdata[i]);
      g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (msg, "code"), ==, "malformed");
    }
  g_assert_cmpint (soup_websocket_connection_get_state (f->ws), ==, SOUP_WEBSOCKET_STATE_OPEN);
  g_assert_true (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  g_assert_cmpstr (p.state, ==, "in_meeting");
  g_assert_cmpint (p.meeting_id, ==, 1);
  g_assert_true (p.ready_known);
  g_assert_false (p.ready);
  g_assert_cmpstr (p.ready_reason, ==, "camera: no data");

  /* The monitor shows it. */
  {
    g_autoptr (JsonNode) root = NULL;
    JsonArray *endpoints;
    JsonArray *meetings;

    g_assert_cmpuint (call (f, "GET", "/api/v1/monitor", f->admin_token, NULL, &root), ==, 200);
    endpoints = json_object_get_array_member (json_node_get_object (root), "endpoints");
    meetings = json_object_get_array_member (json_node_get_object (root), "meetings");
    g_assert_cmpuint (json_array_get_length (endpoints), ==, 2);
    {
      JsonObject *vinh = json_array_get_object_element (endpoints, 1);

      g_assert_cmpstr (json_object_get_string_member (vinh, "code"), ==, "ubnd-vinh");
      g_assert_true (json_object_get_boolean_member (vinh, "online"));
      g_assert_true (json_object_get_boolean_member (vinh, "in_meeting"));
      g_assert_cmpint (json_object_get_int_member (vinh, "meeting"), ==, 1);
      g_assert_false (json_object_get_boolean_member (vinh, "ready"));
      g_assert_false (
          json_object_get_boolean_member (json_array_get_object_element (endpoints, 0), "online"));
    }
    g_assert_cmpuint (json_array_get_length (meetings), ==, 1);
    g_assert_cmpuint (call (f, "GET", "/api/v1/monitor", f->endpoint_token, NULL, NULL), ==, 403);
  }

  /* Join/leave commands reach the agent; an offline agent is a 404. */
  g_assert_cmpuint (
      call (f, "POST", "/api/v1/agents/ubnd-vinh/join", f->admin_token, "{\"meeting\":1}", NULL),
      ==, 200);
  msg = wait_message (f, 9);
  g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "join");
  g_assert_cmpint (json_object_get_int_member (msg, "meeting"), ==, 1);
  g_assert_cmpuint (
      call (f, "POST", "/api/v1/agents/ubnd-tinh/leave", f->admin_token, "{\"meeting\":1}", NULL),
      ==, 404);
  g_assert_cmpuint (call (f, "POST", "/api/v1/agents/ubnd-vinh/leave", f->endpoint_token,
                          "{\"meeting\":1}", NULL),
                    ==, 403);

  /* Closing the channel: offline. */
  soup_websocket_connection_close (f->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p))
    g_main_context_iteration (NULL, TRUE);
}

/* Issue #12, finding 13: a state naming a meeting the room is not in, a
 * meeting that does not exist (-1), one two days ahead, or an id out of
 * range (10^30, which json-glib would read as -1) is answered with an
 * error and the presence (what the monitor shows) does not change. */
static void
test_state_window (Fixture *f, gconstpointer data)
{
  static const gchar *const refused[] = {
    "{\"type\":\"state\",\"state\":\"in_meeting\",\"meeting\":2}",
    "{\"type\":\"state\",\"state\":\"in_meeting\",\"meeting\":-1}",
    "{\"type\":\"state\",\"state\":\"joining\",\"meeting\":3}",
    "{\"type\":\"state\",\"state\":\"in_meeting\",\"meeting\":1000000000000000000000000000000}",
  };
  static const gchar *const codes[] = { "invalid", "invalid", "invalid", "malformed" };
  gint64 now = vc_time_now ();
  SchedPresence p;
  JsonObject *msg;

  insert_meeting (f, 1, "Của Vinh", now - 60, now + 600, "ubnd-tinh,ubnd-vinh");
  insert_meeting (f, 2, "Không có Vinh", now - 60, now + 600, "ubnd-tinh");
  insert_meeting (f, 3, "Hai ngày nữa", now + 2 * 86400, now + 2 * 86400 + 3600,
                  "ubnd-tinh,ubnd-vinh");
  agent_open (f);
  wait_message (f, 1);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    soup_websocket_connection_send_text (f->ws, refused[i]);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      msg = wait_message (f, 2 + i);
      g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (msg, "code"), ==, codes[i]);
    }
  g_assert_true (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  g_assert_null (p.state);
  g_assert_cmpint (p.meeting_id, ==, 0);

  /* The room's own meeting, now: believed. A malformed frame after it is
   * the barrier (frames are handled in order). */
  soup_websocket_connection_send_text (
      f->ws, "{\"type\":\"state\",\"state\":\"in_meeting\",\"meeting\":1}");
  soup_websocket_connection_send_text (f->ws, "[]");
  msg = wait_message (f, 2 + G_N_ELEMENTS (refused));
  g_assert_cmpstr (json_object_get_string_member (msg, "code"), ==, "malformed");
  g_assert_true (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  g_assert_cmpstr (p.state, ==, "in_meeting");
  g_assert_cmpint (p.meeting_id, ==, 1);
}

static gint64
token_id_of (Fixture *f, const gchar *token)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) p = sched_auth_lookup (f->ctx.db, token, &error);

  g_assert_no_error (error);
  return p->token_id;
}

/* Runs the main context until @ws is closed (no sleep: the watchdog bounds
 * it); returns the seconds it took. */
static gdouble
wait_closed (SoupWebsocketConnection *ws)
{
  gint64 from = g_get_monotonic_time ();

  while (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  return (gdouble)(g_get_monotonic_time () - from) / G_USEC_PER_SEC;
}

static SoupWebsocketConnection *
open_with (Fixture *f, const gchar *token)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;
  SoupWebsocketConnection *ws = ws_connect (f, token, &status, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 101);
  return ws;
}

static void
assert_closed_revoked (SoupWebsocketConnection *ws, gdouble seconds, gdouble within)
{
  g_assert_cmpuint (soup_websocket_connection_get_close_code (ws), ==, 4401);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (ws), ==, "token revoked");
  g_assert_cmpfloat (seconds, <, within);
}

/* Issue #12, finding 4: revoking an endpoint token closes the agent
 * channels opened with it — at once through the token_revoked hook (the
 * API), within about a second when another process (the CLI) revoked it —
 * with close code 4401 "token revoked"; a new connection gets 401, and no
 * schedule (with join tokens) is pushed on a channel whose token is gone. */
static void
test_token_revoked (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupWebsocketConnection) ws1 = NULL, ws2 = NULL, ws3 = NULL, refused = NULL;
  g_autofree gchar *second = NULL, *third = NULL;
  SchedPresence p;
  guint status = 0;

  /* 1. The API path: the hook closes the channel at once. */
  gint64 first_id = token_id_of (f, f->endpoint_token);
  ws1 = open_with (f, f->endpoint_token);
  g_assert_true (sched_token_set_revoked (f->ctx.db, first_id, &error));
  g_assert_no_error (error);
  f->ctx.token_revoked (&f->ctx, first_id + 1000); /* another token: nothing closes */
  g_assert_cmpint (soup_websocket_connection_get_state (ws1), ==, SOUP_WEBSOCKET_STATE_OPEN);
  f->ctx.token_revoked (&f->ctx, first_id);
  assert_closed_revoked (ws1, wait_closed (ws1), 1.0);
  g_assert_false (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  refused = ws_connect (f, f->endpoint_token, &status, &error);
  g_assert_null (refused);
  g_assert_cmpuint (status, ==, 401);
  g_clear_error (&error);

  /* 2. Revoked by another connection (as vc-scheduler token revoke does):
   * found by the periodic check. */
  second = sched_auth_create_token (f->ctx.db, SCHED_ROLE_ENDPOINT, NULL, "ubnd-vinh", "agent 2",
                                    &error);
  g_assert_no_error (error);
  ws2 = open_with (f, second);
  {
    g_autofree gchar *path = g_build_filename (f->dir, "s.db", NULL);
    g_autofree gchar *sql = g_strdup_printf (
        "UPDATE tokens SET revoked = 1 WHERE id = %" G_GINT64_FORMAT, token_id_of (f, second));
    sqlite3 *other = NULL;

    g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (other);
  }
  assert_closed_revoked (ws2, wait_closed (ws2), 3.0);

  /* 3. A schedule push to a channel whose token is gone closes it instead. */
  third = sched_auth_create_token (f->ctx.db, SCHED_ROLE_ENDPOINT, NULL, "ubnd-vinh", "agent 3",
                                   &error);
  g_assert_no_error (error);
  ws3 = open_with (f, third);
  g_signal_connect (ws3, "message", G_CALLBACK (on_ws_message), f);
  wait_message (f, 1); /* the schedule on connect */
  g_assert_true (sched_token_set_revoked (f->ctx.db, token_id_of (f, third), &error));
  f->ctx.schedule_changed (&f->ctx, "ubnd-vinh");
  assert_closed_revoked (ws3, wait_closed (ws3), 1.0);
  g_assert_cmpuint (f->received->len, ==, 1);
  g_signal_handlers_disconnect_by_data (ws3, f);
}

/* A text message of exactly @size bytes: a state message padded with spaces. */
static void
send_padded (Fixture *f, gsize size)
{
  static const gchar head[] = "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":null}";
  g_autofree gchar *text = g_malloc (size + 1);

  memset (text, ' ', size);
  memcpy (text, head, strlen (head));
  text[size] = '\0';
  soup_websocket_connection_send_text (f->ws, text);
}

static void
on_ws_closed_flag (SoupWebsocketConnection *ws, gpointer data)
{
  *(gboolean *)data = TRUE;
}

/* docs/protocol.md §4: a message over 64 KiB is answered with an error and
 * the channel stays open (it was closed: the frame limit was 64 KiB), up to
 * a 256 KiB frame; a bigger frame closes the channel. No compressed frame:
 * the limit counts bytes on the wire, and libsoup inflates without bound. */
static void
test_oversized_messages (Fixture *f, gconstpointer data)
{
  SchedPresence p;
  JsonObject *msg;
  gboolean closed = FALSE;
  gint64 now = vc_time_now ();

  /* The room's meeting under way, so that its state message is believed. */
  insert_meeting (f, 5, "Giao ban", now - 60, now + 600, "ubnd-tinh,ubnd-vinh");
  soup_session_add_feature_by_type (f->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  agent_open (f);
  g_signal_connect (f->ws, "closed", G_CALLBACK (on_ws_closed_flag), &closed);
  g_assert_null (soup_websocket_connection_get_extensions (f->ws));
  wait_message (f, 1);
  send_padded (f, 64 * 1024); /* exactly the limit: read */
  send_padded (f, 64 * 1024 + 1);
  send_padded (f, 256 * 1024);
  soup_websocket_connection_send_text (f->ws, "{\"type\":\"state\",\"state\":\"joining\","
                                              "\"meeting\":5}");
  soup_websocket_connection_send_text (f->ws, "not json");
  msg = wait_message (f, 4);
  for (guint i = 1; i < 3; i++)
    {
      msg = json_node_get_object (f->received->pdata[i]);
      g_assert_cmpstr (json_object_get_string_member (msg, "type"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (msg, "code"), ==, "too_large");
    }
  msg = json_node_get_object (f->received->pdata[3]);
  g_assert_cmpstr (json_object_get_string_member (msg, "code"), ==, "malformed");
  g_assert_false (closed);
  g_assert_true (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p));
  g_assert_cmpstr (p.state, ==, "joining");
  g_assert_cmpint (p.meeting_id, ==, 5);
  /* past the frame limit: not read, the channel is closed */
  send_padded (f, 256 * 1024 + 1);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);
  while (f->ctx.get_presence (&f->ctx, "ubnd-vinh", &p))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_unknown_token_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupWebsocketConnection) ws = NULL;
  guint status = 0;

  ws = ws_connect (f, "no-such-token", &status, &error);
  g_assert_null (ws);
  g_assert_nonnull (error);
  g_assert_cmpuint (status, ==, 401);
  g_clear_error (&error);
  /* An admin token is not an agent. */
  ws = ws_connect (f, f->admin_token, &status, &error);
  g_assert_null (ws);
  g_assert_cmpuint (status, ==, 403);
}

static void
test_join_link_and_control (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();
  g_autoptr (JsonNode) link = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (VcJwtClaims) claims = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *o;

  insert_meeting (f, 1, "A", now - 60, now + 600, "ubnd-tinh");
  g_assert_cmpuint (call (f, "POST", "/api/v1/monitor/meetings/1/join-links", f->admin_token,
                          "{\"name\":\"Khách mời\"}", &link),
                    ==, 201);
  o = json_node_get_object (link);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "url"), "/#/join?meeting=1&"));
  claims = vc_jwt_verify (json_object_get_string_member (o, "token"), SECRET, now, &error);
  g_assert_no_error (error);
  g_assert_true (claims->guest);
  g_assert_true (g_str_has_prefix (claims->endpoint, "guest-"));
  g_assert_cmpstr (claims->name, ==, "Khách mời");
  g_assert_cmpint (claims->exp, ==, now + 600 + 1800);
  g_assert_cmpuint (
      call (f, "POST", "/api/v1/monitor/meetings/1/join-links", f->admin_token, "{}", NULL), ==,
      422);
  g_assert_cmpuint (call (f, "POST", "/api/v1/monitor/meetings/99/join-links", f->admin_token,
                          "{\"name\":\"x\"}", NULL),
                    ==, 404);
  {
    sqlite3_stmt *stmt = sched_db_prepare (f->ctx.db, "SELECT count(*) FROM join_links", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_reset (stmt);
  }

  /* Control is forwarded to the bridge and its answer returned. */
  g_assert_cmpuint (call (f, "POST", "/api/v1/monitor/meetings/1/control", f->admin_token,
                          "{\"action\":\"layout\",\"layout\":\"speaker\"}", &answer),
                    ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "layout"), ==,
                   "speaker");
  {
    gboolean seen = FALSE;

    for (guint i = 0; i < f->bridge_calls->len; i++)
      {
        BridgeCall *c = f->bridge_calls->pdata[i];

        if (g_str_equal (c->path, "/rooms/1/control"))
          {
            seen = TRUE;
            g_assert_nonnull (strstr (c->body, "\"speaker\""));
          }
      }
    g_assert_true (seen);
  }
}

/* The join page learns the signalling URL from the scheduler, with the join
 * token as its credential: a link carries no address of its own (issue
 * #12, finding 7). */
static void
test_join_signal_url (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();
  g_autoptr (JsonNode) link = NULL, answer = NULL;
  g_autofree gchar *other = NULL, *forged = NULL, *expired = NULL;
  const gchar *token, *url;
  JsonObject *o;

  insert_meeting (f, 1, "A", now - 60, now + 600, "ubnd-tinh");
  insert_meeting (f, 2, "B", now - 60, now + 600, "ubnd-tinh");
  g_assert_cmpuint (call (f, "POST", "/api/v1/monitor/meetings/1/join-links", f->admin_token,
                          "{\"name\":\"Khách mời\"}", &link),
                    ==, 201);
  o = json_node_get_object (link);
  token = json_object_get_string_member (o, "token");
  url = json_object_get_string_member (o, "url");
  g_assert_null (strstr (url, "signal"));
  g_assert_nonnull (strstr (url, token));

  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", token, NULL, &answer), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "signal_url"), ==,
                   json_object_get_string_member (o, "signal_url"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "meeting"), ==, 1);
  /* The guest's page names the meeting and its times (#17, finding 8). */
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (answer), "title"));
  g_assert_true (json_object_has_member (json_node_get_object (answer), "start"));
  g_assert_true (json_object_has_member (json_node_get_object (answer), "end"));
  /* room_open: whether the bridge has the room (a guest cannot open it) */
  while (sched_bridge_get_room (f->ctx.bridge, 1) == NULL) /* polled (the watchdog bounds it) */
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", token, NULL, &answer), ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "room_open"));
  insert_meeting (f, 3, "Later", now + 3600, now + 7200, "ubnd-tinh");
  {
    g_autoptr (JsonNode) later_link = NULL, later = NULL;
    const gchar *later_token;

    g_assert_cmpuint (call (f, "POST", "/api/v1/monitor/meetings/3/join-links", f->admin_token,
                            "{\"name\":\"Khách mời\"}", &later_link),
                      ==, 201);
    later_token = json_object_get_string_member (json_node_get_object (later_link), "token");
    g_assert_cmpuint (call (f, "GET", "/api/v1/join/3", later_token, NULL, &later), ==, 200);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (later), "room_open"));
  }

  /* Refused: no token, a token of another meeting, a token signed with
   * another secret, an expired token, a session token. */
  other = sched_agent_join_token (f->ctx.settings, 2, "guest-x", "x", NULL, TRUE, now + 600, now);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", other, NULL, NULL), ==, 401);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/2", other, NULL, NULL), ==, 200);
  {
    VcJwtClaims c = { .meeting = "1", .endpoint = "guest-x", .guest = TRUE, .exp = now + 600 };
    forged = vc_jwt_sign (&c, "not-the-secret-not-the-secret-000");
    c.exp = now - 10;
    expired = vc_jwt_sign (&c, SECRET);
  }
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", forged, NULL, NULL), ==, 401);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", expired, NULL, NULL), ==, 401);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/1", f->admin_token, NULL, NULL), ==, 401);
  g_assert_cmpuint (call (f, "GET", "/api/v1/join/x", token, NULL, NULL), ==, 404);
  g_assert_cmpuint (call (f, "POST", "/api/v1/join/1", token, "{}", NULL), ==, 405);
}

/* Runs the loop until the @nth call of @method on @path has arrived. */
static BridgeCall *
wait_bridge_calls (Fixture *f, const gchar *method, const gchar *path, guint nth)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  f->loop = loop;
  for (;;)
    {
      guint seen = 0;

      for (guint i = 0; i < f->bridge_calls->len; i++)
        {
          BridgeCall *c = f->bridge_calls->pdata[i];

          if (g_str_equal (c->method, method) && g_str_equal (c->path, path) && ++seen == nth)
            {
              f->loop = NULL;
              return c;
            }
        }
      g_main_loop_run (loop);
    }
}

static BridgeCall *
wait_bridge_call (Fixture *f, const gchar *method, const gchar *path)
{
  return wait_bridge_calls (f, method, path, 1);
}

static gboolean
on_outage_over (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_room_opener (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();
  gint64 start = now + 2, end = now + 4;
  BridgeCall *post, *del;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *body;

  /* lead = 1 s (fixture data): opened between start-1 and start. */
  insert_meeting (f, 7, "Short", start, end, "ubnd-tinh,ubnd-vinh");
  post = wait_bridge_call (f, "POST", "/rooms");
  g_assert_cmpint (post->at_us, >=, (start - 1) * G_USEC_PER_SEC - 1000);
  g_assert_cmpint (post->at_us, <, start * G_USEC_PER_SEC);
  g_assert_true (json_parser_load_from_data (parser, post->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "id"), ==, "7");
  g_assert_cmpstr (json_object_get_string_member (body, "chair"), ==, "ubnd-tinh");
  g_assert_cmpstr (json_object_get_string_member (body, "layout"), ==, "grid");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "participants")), ==,
                    2);
  /* Polled for the monitor. */
  wait_bridge_call (f, "GET", "/rooms/7");
  /* Participants changed: posted again. */
  {
    guint posts_before = 0, posts_after = 0;

    for (guint i = 0; i < f->bridge_calls->len; i++)
      posts_before += g_str_equal (((BridgeCall *)f->bridge_calls->pdata[i])->method, "POST");
    db_exec (f, "UPDATE meeting_endpoints SET active = 0 WHERE meeting_id = 7"
                " AND endpoint = 'ubnd-vinh'");
    f->ctx.meeting_changed (&f->ctx, 7);
    {
      g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

      f->loop = loop;
      while (posts_after <= posts_before)
        {
          g_main_loop_run (loop);
          posts_after = 0;
          for (guint i = 0; i < f->bridge_calls->len; i++)
            posts_after += g_str_equal (((BridgeCall *)f->bridge_calls->pdata[i])->method, "POST");
        }
      f->loop = NULL;
    }
    g_assert_nonnull (
        strstr (((BridgeCall *)f->bridge_calls->pdata[f->bridge_calls->len - 1])->body,
                "\"participants\":[{\"endpoint\":\"ubnd-tinh\""));
  }
  del = wait_bridge_call (f, "DELETE", "/rooms/7");
  g_assert_cmpint (del->at_us, >=, end * G_USEC_PER_SEC);
  g_assert_cmpint (del->at_us, <, (end + 2) * G_USEC_PER_SEC);
}

/* The bridge answers 503 twice: the opener retries every RETRY_SECONDS (2 s)
 * until it is accepted, then polls it; a bridge that lost the room (GET 404
 * after its restart) gets the room posted again. */
static void
test_room_opener_retry (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();
  BridgeCall *first, *second, *third;
  /* The opener warns about each refusal by design: not fatal here. */
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  f->bridge_failing_posts = 2;
  insert_meeting (f, 8, "Retried", now + 1, now + 30, "ubnd-tinh,ubnd-vinh");
  first = wait_bridge_calls (f, "POST", "/rooms", 1);
  second = wait_bridge_calls (f, "POST", "/rooms", 2);
  third = wait_bridge_calls (f, "POST", "/rooms", 3);
  g_assert_cmpint (second->at_us - first->at_us, >=, 2 * G_USEC_PER_SEC - 50000);
  g_assert_cmpint (third->at_us - second->at_us, >=, 2 * G_USEC_PER_SEC - 50000);
  g_assert_cmpint (third->at_us - first->at_us, <, 7 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->bridge_failing_posts, ==, 0);
  /* Accepted: now it is polled, and a lost room is posted again. */
  f->bridge_lost_rooms = 1;
  wait_bridge_calls (f, "GET", "/rooms/8", 1);
  wait_bridge_calls (f, "POST", "/rooms", 4);
  wait_bridge_calls (f, "GET", "/rooms/8", 2);
  g_assert_cmpuint (f->bridge_lost_rooms, ==, 0);
  g_log_set_always_fatal (fatal);
}

/* The bridge is not listening when the meeting's room should open: the opener
 * keeps trying and opens the room once the bridge listens again. */
static void
test_room_opener_bridge_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (f->settings.bridge_url, G_URI_FLAGS_NONE, &error);
  g_autoptr (GMainLoop) outage = g_main_loop_new (NULL, FALSE);
  gint64 now = vc_time_now (), back_at;
  BridgeCall *post;
  /* "bridge unreachable" is a warning by design: not fatal here. */
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_assert_no_error (error);
  soup_server_disconnect (f->bridge);
  insert_meeting (f, 9, "Bridge down", now + 1, now + 30, "ubnd-tinh,ubnd-vinh");
  /* A deliberate outage of 3 s (several ticks and retries), not a readiness wait. */
  g_timeout_add (3000, on_outage_over, outage);
  g_main_loop_run (outage);
  g_assert_cmpuint (f->bridge_calls->len, ==, 0);
  back_at = g_get_real_time ();
  g_assert_true (soup_server_listen_local (f->bridge, g_uri_get_port (uri),
                                           SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  post = wait_bridge_call (f, "POST", "/rooms");
  g_assert_cmpint (post->at_us - back_at, <, 4 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (post->body, "\"id\":\"9\""));
  wait_bridge_call (f, "GET", "/rooms/9");
  g_log_set_always_fatal (fatal);
}

static guint
count_bridge_calls (Fixture *f, const gchar *method, const gchar *path)
{
  guint n = 0;

  for (guint i = 0; i < f->bridge_calls->len; i++)
    {
      BridgeCall *c = f->bridge_calls->pdata[i];
      n += g_str_equal (c->method, method) && g_str_equal (c->path, path);
    }
  return n;
}

/* The scheduler comes back while the bridge holds rooms that join tokens
 * opened (media/bridge-room-open.h): it lists them at start and adopts the
 * room of a meeting still to be held — posted with its full participant
 * list even before the opening lead, polled for the monitor, and closed
 * when that meeting is cancelled — closes the room of a meeting cancelled
 * meanwhile and one already over, and leaves rooms that are no meeting of
 * its own to the bridge. */
static void
test_room_adoption (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  BridgeCall *post;
  JsonObject *body;

  /* The scheduler is away while join tokens open the rooms: its agents'
   * side (hub, bridge client, monitor) stops, and starts again below. */
  sched_agents_unregister (&f->ctx);
  /* lead = 1 s (fixture data): only 11 is due to be opened by the opener
   * itself; 14 starts in half an hour */
  insert_meeting (f, 11, "Held without the scheduler", now - 60, now + 3600, "ubnd-tinh,ubnd-vinh");
  insert_meeting (f, 12, "Cancelled meanwhile", now - 60, now + 3600, "ubnd-tinh,ubnd-vinh");
  insert_meeting (f, 13, "Over", now - 3600, now - 60, "ubnd-tinh,ubnd-vinh");
  insert_meeting (f, 14, "Later today", now + 1800, now + 3600, "ubnd-tinh,ubnd-vinh");
  db_exec (f, "UPDATE meetings SET status = 'cancelled' WHERE id = 12");
  f->bridge_list = "{\"rooms\":["
                   "{\"id\":\"11\",\"opened_by\":\"token\",\"participants\":[]},"
                   "{\"id\":\"12\",\"opened_by\":\"token\",\"participants\":[]},"
                   "{\"id\":\"13\",\"opened_by\":\"token\",\"participants\":[]},"
                   "{\"id\":\"14\",\"opened_by\":\"token\",\"participants\":[]},"
                   "{\"id\":\"99\",\"opened_by\":\"token\",\"participants\":[]},"
                   "{\"id\":\"bench\",\"opened_by\":\"token\",\"participants\":[]}]}";
  g_ptr_array_set_size (f->bridge_calls, 0);
  sched_agents_register (&f->ctx, f->server); /* back: it lists the rooms at once */
  wait_bridge_call (f, "GET", "/rooms");
  post = wait_bridge_call (f, "POST", "/rooms");
  g_assert_true (json_parser_load_from_data (parser, post->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "chair"), ==, "ubnd-tinh");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "participants")), ==,
                    2);
  wait_bridge_call (f, "DELETE", "/rooms/12");
  wait_bridge_call (f, "DELETE", "/rooms/13");
  wait_bridge_calls (f, "POST", "/rooms", 2); /* 11 and 14, in either order */
  wait_bridge_call (f, "GET", "/rooms/11");   /* polled for the monitor */
  wait_bridge_call (f, "GET", "/rooms/14");
  g_assert_nonnull (sched_bridge_get_room (f->ctx.bridge, 11));
  /* the next scans find nothing new to do */
  wait_bridge_calls (f, "GET", "/rooms", 2);
  g_assert_cmpuint (count_bridge_calls (f, "POST", "/rooms"), ==, 2);
  g_assert_cmpuint (count_bridge_calls (f, "DELETE", "/rooms/11"), ==, 0);
  g_assert_cmpuint (count_bridge_calls (f, "DELETE", "/rooms/14"), ==, 0);
  g_assert_cmpuint (count_bridge_calls (f, "DELETE", "/rooms/99"), ==, 0);
  g_assert_cmpuint (count_bridge_calls (f, "DELETE", "/rooms/bench"), ==, 0);
  g_assert_cmpuint (count_bridge_calls (f, "DELETE", "/rooms/12"), ==, 1);
  /* an adopted room is managed as usual: its meeting's cancellation closes it */
  f->bridge_list = NULL;
  db_exec (f, "UPDATE meetings SET status = 'cancelled' WHERE id = 11");
  f->ctx.meeting_changed (&f->ctx, 11);
  wait_bridge_call (f, "DELETE", "/rooms/11");
}

/* A polled room that a join token opened (the bridge restarted and a room's
 * token reopened it before the opener's next poll) is posted again, so that
 * the scheduler's participant list, names and chair replace the token's. */
static void
test_room_reopened_by_token (Fixture *f, gconstpointer data)
{
  gint64 now = vc_time_now ();

  insert_meeting (f, 15, "Reopened", now - 10, now + 600, "ubnd-tinh,ubnd-vinh");
  wait_bridge_calls (f, "POST", "/rooms", 1);
  wait_bridge_calls (f, "GET", "/rooms/15", 1);
  f->bridge_token_rooms = 1;
  wait_bridge_calls (f, "GET", "/rooms/15", 2);
  wait_bridge_calls (f, "POST", "/rooms", 2);
  g_assert_cmpuint (f->bridge_token_rooms, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/agents/schedule-on-connect", Fixture, NULL, fixture_set_up,
              test_schedule_on_connect, fixture_tear_down);
  g_test_add ("/agents/presence-and-malformed", Fixture, NULL, fixture_set_up,
              test_presence_and_malformed, fixture_tear_down);
  g_test_add ("/agents/state-window", Fixture, NULL, fixture_set_up, test_state_window,
              fixture_tear_down);
  g_test_add ("/agents/token-revoked", Fixture, NULL, fixture_set_up, test_token_revoked,
              fixture_tear_down);
  g_test_add ("/agents/oversized-messages", Fixture, NULL, fixture_set_up, test_oversized_messages,
              fixture_tear_down);
  g_test_add ("/agents/unknown-token-refused", Fixture, NULL, fixture_set_up,
              test_unknown_token_refused, fixture_tear_down);
  g_test_add ("/agents/join-link-and-control", Fixture, NULL, fixture_set_up,
              test_join_link_and_control, fixture_tear_down);
  g_test_add ("/agents/join-signal-url", Fixture, NULL, fixture_set_up, test_join_signal_url,
              fixture_tear_down);
  g_test_add ("/agents/room-opener", Fixture, GINT_TO_POINTER (1), fixture_set_up, test_room_opener,
              fixture_tear_down);
  g_test_add ("/agents/room-opener-retry", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_room_opener_retry, fixture_tear_down);
  g_test_add ("/agents/room-adoption", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_room_adoption, fixture_tear_down);
  g_test_add ("/agents/room-reopened-by-token", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_room_reopened_by_token, fixture_tear_down);
  g_test_add ("/agents/room-opener-bridge-down", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_room_opener_bridge_down, fixture_tear_down);
  return g_test_run ();
}
