/* test-exec.c — the real vc-scheduler executable as a subprocess: it
 * prints its URL once listening, SIGTERM stops it with 0, a bad config
 * exits 78 naming file/group/key, `token create` prints the token alone,
 * `import-history` loads a file, an acknowledged booking survives
 * SIGKILL, and `token list` / `token revoke` (with the API's DELETE) end a
 * live agent channel. Readiness is the printed line, never a sleep. */
#include "common/vc-time.h"
#include "sched-test-process.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  gchar *dir;
  gchar *config;
  gchar *db;
  SoupSession *session;
} Fixture;

static const gchar *
exe_path (void)
{
  static gchar *path;
  const gchar *build = g_getenv ("VC_BUILD_DIR");

  if (path == NULL)
    path = g_build_filename (build ? build : VC_TEST_BUILD_DIR, "scheduler", "vc-scheduler", NULL);
  return path;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  alarm (100);
  f->dir = g_dir_make_tmp ("sched-exec-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = g_build_filename (f->dir, "scheduler.ini", NULL);
  f->db = g_build_filename (f->dir, "sched.db", NULL);
  /* A relative database path: resolved against the config file's folder. */
  sched_test_write_text (f->config, "[server]\nlisten=127.0.0.1:0\n[database]\npath=sched.db\n"
                                    "[bridge]\ncapacity=100\n");
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_clear_object (&f->session);
  g_free (f->dir);
  g_free (f->config);
  g_free (f->db);
  alarm (0);
}

/* Starts the server and reads the URL it prints. */
static GSubprocess *
start_server (Fixture *f, gchar **url)
{
  const gchar *argv[] = { exe_path (), "--config", f->config, NULL };

  return sched_test_spawn_listening (argv, "/dev/null", FALSE, url);
}

static gchar *
create_token (Fixture *f, const gchar *role, const gchar *unit)
{
  gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status
      = unit ? sched_test_run_cli (&out, &err, "--config", f->config, "token", "create", "--role",
                                   role, "--unit", unit, "--name", "Văn phòng", NULL)
             : sched_test_run_cli (&out, &err, "--config", f->config, "token", "create", "--role",
                                   role, "--name", "Quản trị", NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (strlen (out), ==, 44); /* 43 characters and a newline, nothing else */
  g_strchomp (out);
  return out;
}

static void
test_sigterm (Fixture *f, gconstpointer data)
{
  g_autofree gchar *url = NULL;
  g_autoptr (GSubprocess) p = start_server (f, &url);
  g_autofree gchar *health = g_strconcat (url, "/healthz", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (sched_test_http (f->session, "GET", health, NULL, NULL, NULL), ==, 200);
  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
  g_assert_true (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

static void
test_bad_config (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

  sched_test_write_text (f->config,
                         "[server]\nlisten=127.0.0.1:0\n[limits]\nmax_meeting_hours=lots\n");
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, NULL), ==, 78);
  g_assert_nonnull (strstr (err, f->config));
  g_assert_nonnull (strstr (err, "[limits]"));
  g_assert_nonnull (strstr (err, "max_meeting_hours"));

  sched_test_write_text (f->config, "[server]\nlisten=nowhere\n");
  g_assert_cmpint (sched_test_run_cli (&out2, &err2, "--config", f->config, NULL), ==, 78);
  g_assert_nonnull (strstr (err2, "[server] listen"));

  {
    g_autofree gchar *out3 = NULL, *err3 = NULL;

    sched_test_write_text (f->config,
                           "[server]\nlisten=127.0.0.1:0\n[database]\nsynchronous=sometimes\n");
    g_assert_cmpint (sched_test_run_cli (&out3, &err3, "--config", f->config, NULL), ==, 78);
    g_assert_nonnull (strstr (err3, "[database]"));
    g_assert_nonnull (strstr (err3, "synchronous"));
  }
}

static void
test_durable_booking (Fixture *f, gconstpointer data)
{
  g_autofree gchar *token = create_token (f, "secretariat", "ubnd-tinh");
  g_autofree gchar *url = NULL, *url2 = NULL, *reply = NULL, *again = NULL;
  g_autoptr (GSubprocess) p = start_server (f, &url);
  g_autoptr (GSubprocess) p2 = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start = (vc_time_now () / 3600 + 24 * 20) * 3600;
  g_autofree gchar *s = vc_time_format_utc (start);
  g_autofree gchar *e = vc_time_format_utc (start + 3600);
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":\"Bền vững\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\"}",
      s, e);
  g_autofree gchar *meetings = g_strconcat (url, "/api/v1/meetings", NULL);

  g_assert_cmpuint (sched_test_http (f->session, "POST", meetings, token, body, &reply), ==, 201);
  g_subprocess_send_signal (p, SIGKILL);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (p));

  p2 = start_server (f, &url2);
  g_autofree gchar *one = g_strconcat (url2, "/api/v1/meetings/1", NULL);
  g_assert_cmpuint (sched_test_http (f->session, "GET", one, token, NULL, &again), ==, 200);
  g_assert_nonnull (strstr (again, "Bền vững"));
  g_subprocess_send_signal (p2, SIGTERM);
  g_subprocess_wait (p2, NULL, &error);
  g_assert_cmpint (g_subprocess_get_exit_status (p2), ==, 0);
}

static void
test_import_history_cli (Fixture *f, gconstpointer data)
{
  g_autofree gchar *file = g_build_filename (f->dir, "history.json", NULL);
  g_autofree gchar *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

  sched_test_write_text (
      file,
      "{\"meetings\":[{\"title\":\"Giao ban 2025\",\"unit\":\"tinh-uy\",\"chair\":\"tinh-uy\","
      "\"endpoints\":[\"tinh-uy\",\"huyen-uy-anh-son\"],\"start\":\"2025-03-04T01:00:00Z\","
      "\"end\":\"2025-03-04T03:00:00Z\",\"attendance\":[{\"endpoint\":\"tinh-uy\","
      "\"joined_at\":\"2025-03-04T01:00:00Z\",\"left_at\":\"2025-03-04T03:00:00Z\"},"
      "{\"endpoint\":\"huyen-uy-anh-son\",\"joined_at\":\"2025-03-04T01:00:00Z\","
      "\"left_at\":\"2025-03-04T03:00:00Z\"}]}]}");
  g_assert_cmpint (
      sched_test_run_cli (&out, &err, "--config", f->config, "import-history", file, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "imported 1"));
  sched_test_write_text (file, "{\"meetings\":[{\"title\":\"x\"}]}");
  g_assert_cmpint (
      sched_test_run_cli (&out2, &err2, "--config", f->config, "import-history", file, NULL), ==,
      1);
  g_assert_nonnull (strstr (err2, "meetings[0]"));
}

typedef struct
{
  SoupWebsocketConnection *ws;
  guint status;
  gboolean done;
} AgentConnect;

static void
on_agent_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AgentConnect *c = user_data;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  c->done = TRUE;
}

/* Opens the agent channel with @token; NULL when refused (*status says). */
static SoupWebsocketConnection *
agent_connect (Fixture *f, const gchar *url, const gchar *token, guint *status)
{
  g_autofree gchar *ws_url = g_strconcat (url, "/api/v1/agent", NULL);
  g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", ws_url);
  AgentConnect c = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_agent_connected, &c);
  while (!c.done)
    g_main_context_iteration (NULL, TRUE);
  *status = soup_message_get_status (msg);
  return c.ws;
}

/* Runs the main context until @ws is closed (the alarm bounds it) and
 * checks the close code; returns the seconds it took. */
static gdouble
agent_wait_revoked (SoupWebsocketConnection *ws)
{
  gint64 from = g_get_monotonic_time ();

  while (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (ws), ==, 4401);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (ws), ==, "token revoked");
  return (gdouble)(g_get_monotonic_time () - from) / G_USEC_PER_SEC;
}

static gchar *
create_room_token (Fixture *f, const gchar *name)
{
  gchar *out = NULL;
  g_autofree gchar *err = NULL;

  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, "token", "create",
                                       "--role", "endpoint", "--endpoint", "ubnd-vinh", "--name",
                                       name, NULL),
                   ==, 0);
  g_strchomp (out);
  return out;
}

/* Issue #12, finding 4, through the real program: `token list` shows the
 * tokens without their secrets; DELETE /api/v1/tokens/ID (admin) and
 * `token revoke ID` next to the running scheduler each close the live
 * agent channel of that token with 4401 "token revoked"; the token then
 * gets 401; unknown and already revoked ids fail. */
static void
test_token_revoke (Fixture *f, gconstpointer data)
{
  g_autofree gchar *admin = create_token (f, "admin", NULL);
  g_autofree gchar *sec = create_token (f, "secretariat", "ubnd-tinh");
  g_autofree gchar *room_a = create_room_token (f, "Phòng Vinh A");
  g_autofree gchar *room_b = create_room_token (f, "Phòng Vinh B");
  g_autofree gchar *list = NULL, *err = NULL, *list2 = NULL, *err2 = NULL, *url = NULL;
  g_autofree gchar *out3 = NULL, *err3 = NULL, *out4 = NULL, *err4 = NULL, *out5 = NULL;
  g_autofree gchar *err5 = NULL;
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (SoupWebsocketConnection) ws_a = NULL, ws_b = NULL, again = NULL;
  g_autoptr (GError) error = NULL;
  guint status = 0;

  /* ids 1..4 in creation order */
  g_assert_cmpint (sched_test_run_cli (&list, &err, "--config", f->config, "token", "list", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (list, "id\trole\tscope\tname\tcreated\tstatus\n"));
  g_assert_nonnull (strstr (list, "\n3\tendpoint\tubnd-vinh\tPhòng Vinh A\t"));
  g_assert_nonnull (strstr (list, "\n2\tsecretariat\tubnd-tinh\tVăn phòng\t"));
  g_assert_null (strstr (list, room_a));
  g_assert_null (strstr (list, admin));
  g_assert_null (strstr (list, "revoked"));

  p = start_server (f, &url);
  g_autofree gchar *tokens = g_strconcat (url, "/api/v1/tokens/3", NULL);
  ws_a = agent_connect (f, url, room_a, &status);
  g_assert_nonnull (ws_a);
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", tokens, sec, NULL, NULL), ==, 403);
  g_assert_cmpuint (soup_websocket_connection_get_state (ws_a), ==, SOUP_WEBSOCKET_STATE_OPEN);
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", tokens, admin, NULL, NULL), ==, 200);
  g_assert_cmpfloat (agent_wait_revoked (ws_a), <, 2.0);
  again = agent_connect (f, url, room_a, &status);
  g_assert_null (again);
  g_assert_cmpuint (status, ==, 401);

  /* The CLI, another process on the same database. */
  ws_b = agent_connect (f, url, room_b, &status);
  g_assert_nonnull (ws_b);
  g_assert_cmpint (
      sched_test_run_cli (&out3, &err3, "--config", f->config, "token", "revoke", "4", NULL), ==,
      0);
  g_assert_nonnull (strstr (out3, "revoked token 4"));
  g_assert_cmpfloat (agent_wait_revoked (ws_b), <, 5.0);
  g_assert_cmpint (
      sched_test_run_cli (&out4, &err4, "--config", f->config, "token", "revoke", "4", NULL), ==,
      1);
  g_assert_nonnull (strstr (err4, "already revoked"));
  g_assert_cmpint (
      sched_test_run_cli (&out5, &err5, "--config", f->config, "token", "revoke", "99", NULL), ==,
      1);
  g_assert_nonnull (strstr (err5, "no token 99"));
  g_assert_cmpint (sched_test_run_cli (&list2, &err2, "--config", f->config, "token", "list", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (list2, "\tPhòng Vinh A\t"));
  g_assert_nonnull (strstr (list2, "\trevoked\n4\t"));
  g_assert_true (g_str_has_suffix (list2, "\trevoked\n"));

  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
}

static void
test_no_config (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, exe_path (), "--db", f->db, "--listen", "127.0.0.1:0", NULL);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  g_autofree gchar *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (line, "http://127.0.0.1:"));
  g_subprocess_send_signal (p, SIGINT);
  g_subprocess_wait (p, NULL, &error);
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
}

/* ---- the real bridge's capacity (issue #12, finding 3) ---- */

#define BRIDGE_SECRET "exec-test-bridge-secret-0123"

/* vc-bridge with @ini, once it has printed its address. */
static GSubprocess *
start_bridge (Fixture *f, const gchar *ini, gchar **url)
{
  g_autofree gchar *config = g_build_filename (f->dir, "bridge.ini", NULL);
  g_autofree gchar *exe = sched_test_build_path ("media", "vc-bridge");
  const gchar *argv[] = { exe, "--config", config, NULL };

  sched_test_write_text (config, ini);
  return sched_test_spawn_listening (argv, "/dev/null", TRUE, url);
}

static gboolean
on_moment (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Runs the main context for 100 ms: the step of a bounded poll. */
static void
poll_step (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (100, on_moment, loop);
  g_main_loop_run (loop);
}

/* Polls GET @url until it answers @status, for at most @seconds. */
static void
wait_status (Fixture *f, const gchar *url, const gchar *token, guint status, guint seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)seconds * G_USEC_PER_SEC;
  guint got;

  while ((got = sched_test_http (f->session, "GET", url, token, NULL, NULL)) != status
         && g_get_monotonic_time () < end)
    poll_step ();
  g_assert_cmpuint (got, ==, status);
}

static guint
book_in (Fixture *f, const gchar *url, const gchar *token, const gchar *unit, const gchar *rooms,
         gint64 start, gboolean preempt, gchar **reply)
{
  g_autofree gchar *s = vc_time_format_utc (start);
  g_autofree gchar *e = vc_time_format_utc (start + 3600);
  g_autofree gchar *chair = g_strndup (rooms + 2, strchr (rooms + 2, '"') - (rooms + 2));
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":\"Giao ban\",\"unit\":\"%s\",\"chair\":\"%s\",\"endpoints\":%s,"
      "\"start\":\"%s\",\"end\":\"%s\",\"preempt\":%s}",
      unit, chair, rooms, s, e, preempt ? "true" : "false");
  g_autofree gchar *meetings = g_strconcat (url, "/api/v1/meetings", NULL);

  return sched_test_http (f->session, "POST", meetings, token, body, reply);
}

static gint64
reply_id (const gchar *reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "id");
}

/* The bridge holds 2 rooms (its max_rooms): the scheduler reads that from
 * GET /capacity and refuses a third overlapping meeting at booking (it was
 * booked, 201, and never got a room); Tỉnh ủy's booking with pre-emption
 * displaces a district meeting and its room is opened on the bridge, the
 * displaced one closed. */
static void
test_bridge_capacity (Fixture *f, gconstpointer data)
{
  g_autofree gchar *bridge_url = NULL, *url = NULL, *token = NULL, *ini = NULL;
  g_autofree gchar *ra = NULL, *rb = NULL, *rc = NULL, *rd = NULL;
  g_autoptr (GSubprocess) bridge = start_bridge (
      f, "[bridge]\nlisten=127.0.0.1:0\nsecret=" BRIDGE_SECRET "\nmax_rooms=2\n", &bridge_url);
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *metrics = NULL, *room_b = NULL, *room_d = NULL;
  gint64 start = vc_time_now () + 120; /* inside room_open_lead_seconds: opened at once */
  gint64 end;

  ini = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n[database]\npath=sched.db\n"
                         "[bridge]\nurl=%s\nsecret=" BRIDGE_SECRET "\ncapacity=100\n",
                         bridge_url);
  sched_test_write_text (f->config, ini);
  token = create_token (f, "admin", NULL);
  p = start_server (f, &url);
  /* the scheduler has read the bridge's limits */
  metrics = g_strconcat (url, "/metrics", NULL);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree gchar *text = NULL;
      g_assert_cmpuint (sched_test_http (f->session, "GET", metrics, NULL, NULL, &text), ==, 200);
      if (strstr (text, "vc_scheduler_bridge_max_rooms 2\n") != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      poll_step ();
    }
  g_assert_cmpuint (
      book_in (f, url, token, "ubnd-vinh", "[\"ubnd-vinh\",\"thanh-uy-vinh\"]", start, FALSE, &ra),
      ==, 201);
  g_assert_cmpuint (book_in (f, url, token, "ubnd-cua-lo", "[\"ubnd-cua-lo\",\"thi-uy-cua-lo\"]",
                             start, FALSE, &rb),
                    ==, 201);
  g_assert_cmpuint (book_in (f, url, token, "ubnd-vinh", "[\"ubnd-dien-chau\",\"ubnd-do-luong\"]",
                             start, FALSE, &rc),
                    ==, 409);
  g_assert_nonnull (strstr (rc, "\"setting\":\"max_rooms\""));
  g_assert_nonnull (strstr (rc, "max_rooms is 2"));
  g_assert_cmpuint (
      book_in (f, url, token, "tinh-uy", "[\"tinh-uy\",\"huyen-uy-anh-son\"]", start, TRUE, &rd),
      ==, 201);
  g_assert_nonnull (strstr (rd, "\"status\":\"displaced\""));
  /* the lowest priority (10 both), most recently booked: b */
  room_b = g_strdup_printf ("%s/rooms/%" G_GINT64_FORMAT, bridge_url, reply_id (rb));
  room_d = g_strdup_printf ("%s/rooms/%" G_GINT64_FORMAT, bridge_url, reply_id (rd));
  wait_status (f, room_d, BRIDGE_SECRET, 200, 15);
  wait_status (f, room_b, BRIDGE_SECRET, 404, 15);
  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_send_signal (bridge, SIGTERM);
  g_subprocess_wait (bridge, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (bridge), ==, 0);
}

/* A restore into a database another process keeps writing to gives up
 * with a clear error after the busy limit instead of waiting for ever, and
 * the database is left as the writer had it. */
static void
test_restore_busy (Fixture *f, gconstpointer data)
{
  g_autofree gchar *url = NULL, *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autofree gchar *backup = g_build_filename (f->dir, "copy.db", NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *writer = NULL;
  gint64 started;

  {
    g_autoptr (GSubprocess) p = start_server (f, &url);
    g_subprocess_send_signal (p, SIGTERM);
    g_subprocess_wait (p, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, "backup", backup, NULL),
                   ==, 0);

  g_assert_cmpint (sqlite3_open (f->db, &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer,
                                 "BEGIN IMMEDIATE; CREATE TABLE held (x); "
                                 "INSERT INTO held VALUES (1)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  started = g_get_monotonic_time ();
  g_assert_cmpint (
      sched_test_run_cli (&out2, &err2, "--config", f->config, "restore", backup, NULL), !=, 0);
  g_assert_nonnull (strstr (err2, "stayed busy"));
  /* Two busy waits of 5 s at most, far from for ever. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 60 * G_USEC_PER_SEC);
  g_assert_cmpint (sqlite3_exec (writer, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (writer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add ("/sched-core/exec/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("sigterm", test_sigterm);
  ADD ("bad-config", test_bad_config);
  ADD ("durable-booking", test_durable_booking);
  ADD ("import-history", test_import_history_cli);
  ADD ("no-config", test_no_config);
  ADD ("token-revoke", test_token_revoke);
  ADD ("bridge-capacity", test_bridge_capacity);
  ADD ("restore-busy", test_restore_busy);
  return g_test_run ();
}
