/* test-notify.c — one schedule message per touched room per commit
 * (issue #13, part 2).
 *
 * The booking service and the live side (agent hub, bridge client) on one
 * server, as vc-scheduler wires them; 44 fake room agents — WebSockets
 * opened with each room's endpoint token — connected. A 44-room meeting is
 * booked over HTTP (the group-commit path), then cancelled. After each
 * answer the test sends every agent a sentinel command through the hub: a
 * channel delivers in order, so what an agent received between its previous
 * sentinel and this one is everything the commit sent it. Each must be
 * exactly one schedule (the booking used to send two: one from the booking
 * code, one from the meeting_changed hook). */
#include "sched-agent-hub.h"
#include "sched-agents.h"
#include "sched-model-room.h"
#include "sched-test-fixture.h"

/* The barrier: a "leave" of a meeting no test has. */
#define SENTINEL_MEETING G_GINT64_CONSTANT (-4242)

typedef struct
{
  gchar *code;
  gchar *token;
  SoupWebsocketConnection *ws;
  gboolean connecting;
  guint schedules; /* since the last sentinel (or the connection) */
  guint sentinels;
  gint64 last_meetings; /* meetings in the last schedule */
  gint64 last_first_id; /* id of its first meeting, 0: none */
} Agent;

static void
agent_free (Agent *a)
{
  if (a->ws)
    {
      g_signal_handlers_disconnect_by_data (a->ws, a);
      if (soup_websocket_connection_get_state (a->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (a->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&a->ws);
    }
  g_free (a->code);
  g_free (a->token);
  g_free (a);
}

typedef struct
{
  Fixture f;
  GPtrArray *agents; /* Agent* */
} NotifyFixture;

static void
notify_setup (NotifyFixture *n, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Fixture *f = &n->f;

  fixture_setup_full (f, FALSE);
  /* The real hooks instead of the fixture's counters. */
  f->ctx->hub = NULL;
  f->ctx->schedule_changed = NULL;
  f->ctx->meeting_changed = NULL;
  f->ctx->token_revoked = NULL;
  sched_agents_register (f->ctx, sched_server_get_soup_server (f->server));
  g_assert_true (sched_server_listen (f->server, &error));
  g_assert_no_error (error);
  f->url = sched_server_get_url (f->server);
  f->session = soup_session_new_with_options ("max-conns", 128, "max-conns-per-host", 128,
                                              "timeout", 30, NULL);
  n->agents = g_ptr_array_new_with_free_func ((GDestroyNotify)agent_free);
}

static void
notify_teardown (NotifyFixture *n, gconstpointer data)
{
  g_clear_pointer (&n->agents, g_ptr_array_unref);
  sched_agents_unregister (n->f.ctx);
  fixture_teardown (&n->f, data);
}

/* main thread */
static void
on_agent_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer user_data)
{
  Agent *a = user_data;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const gchar *text = g_bytes_get_data (message, &len);
  JsonObject *o;
  const gchar *kind;

  g_assert_true (json_parser_load_from_data (parser, text, len, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member (o, "type");
  if (g_strcmp0 (kind, "schedule") == 0)
    {
      JsonArray *meetings = json_object_get_array_member (o, "meetings");
      g_assert_cmpstr (json_object_get_string_member (o, "endpoint"), ==, a->code);
      a->schedules++;
      a->last_meetings = json_array_get_length (meetings);
      a->last_first_id
          = a->last_meetings
                ? json_object_get_int_member (json_array_get_object_element (meetings, 0), "id")
                : 0;
    }
  else
    {
      g_assert_cmpstr (kind, ==, "leave");
      g_assert_cmpint (json_object_get_int_member (o, "meeting"), ==, SENTINEL_MEETING);
      a->sentinels++;
    }
}

static void
on_agent_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Agent *a = user_data;
  g_autoptr (GError) error = NULL;

  a->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (a->ws, "message", G_CALLBACK (on_agent_message), a);
  a->connecting = FALSE;
}

/* Connects one agent per room of the roster; returns when each has its
 * connect-time schedule, and starts counting from there. */
static void
notify_connect_agents (NotifyFixture *n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rooms = sched_room_list (n->f.ctx->db, SCHED_ROOM_ORDER_CODE, &error);
  gboolean waiting = TRUE;

  g_assert_no_error (error);
  g_assert_cmpuint (rooms->len, ==, 44);
  for (guint i = 0; i < rooms->len; i++)
    {
      Agent *a = g_new0 (Agent, 1);
      g_autofree gchar *url = g_strconcat (n->f.url, "/api/v1/agent", NULL);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autofree gchar *auth = NULL;

      a->code = g_strdup (((SchedRoom *)rooms->pdata[i])->code);
      a->token = fixture_token (&n->f, SCHED_ROLE_ENDPOINT, NULL, a->code);
      auth = g_strconcat ("Bearer ", a->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      a->connecting = TRUE;
      g_ptr_array_add (n->agents, a);
      soup_session_websocket_connect_async (n->f.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_agent_connected, a);
    }
  while (waiting)
    {
      g_main_context_iteration (NULL, TRUE);
      waiting = FALSE;
      for (guint i = 0; i < n->agents->len; i++)
        {
          Agent *a = n->agents->pdata[i];
          waiting = waiting || a->connecting || a->schedules < 1;
        }
    }
  for (guint i = 0; i < n->agents->len; i++)
    {
      Agent *a = n->agents->pdata[i];
      g_assert_cmpuint (a->schedules, ==, 1);
      a->schedules = 0;
    }
}

/* Sends every agent a sentinel through the hub and waits until each has
 * it; then returns, for each agent, the schedules it got before it, and
 * starts counting again. */
static void
notify_sync (NotifyFixture *n, guint *schedules_of_each, guint *min, guint *max)
{
  gboolean waiting = TRUE;

  for (guint i = 0; i < n->agents->len; i++)
    {
      Agent *a = n->agents->pdata[i];
      g_assert_true (sched_agent_hub_send_command (n->f.ctx->hub, a->code,
                                                   VC_AGENT_WIRE_NOTICE_LEAVE, SENTINEL_MEETING));
    }
  while (waiting)
    {
      g_main_context_iteration (NULL, TRUE);
      waiting = FALSE;
      for (guint i = 0; i < n->agents->len; i++)
        waiting = waiting || ((Agent *)n->agents->pdata[i])->sentinels < 1;
    }
  *min = G_MAXUINT;
  *max = 0;
  for (guint i = 0; i < n->agents->len; i++)
    {
      Agent *a = n->agents->pdata[i];
      schedules_of_each[i] = a->schedules;
      *min = MIN (*min, a->schedules);
      *max = MAX (*max, a->schedules);
      a->schedules = 0;
      a->sentinels = 0;
    }
}

static void
test_booking_44_rooms (NotifyFixture *n, gconstpointer data)
{
  Fixture *f = &n->f;
  g_autoptr (GString) rooms = g_string_new ("[");
  g_autoptr (JsonNode) reply = NULL;
  g_autofree gchar *body = NULL;
  g_autofree gchar *path = NULL;
  guint counts[44], min, max;
  gint64 day = fixture_future_day (0), id;

  notify_connect_agents (n);
  /* Nothing was sent since the connect-time schedules. */
  notify_sync (n, counts, &min, &max);
  g_assert_cmpuint (max, ==, 0);

  for (guint i = 0; i < n->agents->len; i++)
    g_string_append_printf (rooms, "%s\"%s\"", i ? "," : "", ((Agent *)n->agents->pdata[i])->code);
  g_string_append (rooms, "]");
  body = fixture_booking_json ("Giao ban toàn tỉnh", "ubnd-tinh", "ubnd-tinh", rooms->str,
                               day + 9 * 3600, day + 10 * 3600, NULL);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->admin, body, &reply), ==,
                    201);
  id = json_object_get_int_member (json_node_get_object (reply), "id");
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meeting_endpoints WHERE active = 1"), ==,
                   44);

  /* Exactly one schedule per room, and it holds the new meeting. */
  notify_sync (n, counts, &min, &max);
  g_assert_cmpuint (min, ==, 1);
  g_assert_cmpuint (max, ==, 1);
  for (guint i = 0; i < n->agents->len; i++)
    {
      Agent *a = n->agents->pdata[i];
      g_assert_cmpint (a->last_meetings, ==, 1);
      g_assert_cmpint (a->last_first_id, ==, id);
    }

  /* A change goes the same way: cancelling it, one schedule each, empty. */
  path = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->admin, NULL, NULL), ==, 200);
  notify_sync (n, counts, &min, &max);
  g_assert_cmpuint (min, ==, 1);
  g_assert_cmpuint (max, ==, 1);
  for (guint i = 0; i < n->agents->len; i++)
    g_assert_cmpint (((Agent *)n->agents->pdata[i])->last_meetings, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/notify/booking-44-rooms-one-schedule-each", NotifyFixture, NULL, notify_setup,
              test_booking_44_rooms, notify_teardown);
  return g_test_run ();
}
