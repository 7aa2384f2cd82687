/* test-uplink.c — a province meeting joins a central conference (issue #15,
 * part 3): the real vc-scheduler, a "province" vc-bridge (the scheduler's)
 * and a "central" vc-bridge with its own secret, all on 127.0.0.1, as
 * processes. The test plays the central site: it opens the central room
 * with the province as a link participant and mints the link token with the
 * central secret (docs/central-conference.md).
 *
 * Checked: bad requests are refused (422, 403) with nothing stored; an
 * operator's PUT links an open meeting's room (province room "connected",
 * the central room has the province connected as a link); DELETE ends it
 * (off, not connected); a link set before a meeting's room opens is posted
 * at the opening; a restarted province bridge gets it again; the CLI's
 * `uplink clear` and `uplink set` reach the running scheduler's bridge; the
 * meeting's cancellation closes the link with the room; every set and removal has
 * its audit line. Readiness is a printed line or a polled
 * state, never a sleep. */
#include "common/vc-jwt.h"
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

#define WATCHDOG_S 280
#define LINK_WAIT_S 90 /* a WebRTC link between two bridges on two shared cores */
#define PROVINCE_SECRET "uplink-test-province-secret-0123"
#define CENTRAL_SECRET "uplink-test-central-secret-45678"
#define CENTRAL_ROOM "900"
#define PROVINCE_CODE "nghe-an"

typedef struct
{
  gchar *dir;
  gchar *config;
  SoupSession *session;
  GSubprocess *central;
  GSubprocess *province;
  GSubprocess *scheduler;
  gchar *central_url;
  gchar *province_url;
  gchar *url; /* the scheduler's */
  gchar *admin;
} Fixture;

/* @argv, its stderr to @log in the test's folder, once it prints its address */
static GSubprocess *
spawn_listening (Fixture *f, const gchar *log, gchar **url, const gchar *const *argv,
                 gboolean tolerant)
{
  g_autofree gchar *log_path = g_build_filename (f->dir, log, NULL);

  return sched_test_spawn_listening (argv, log_path, tolerant, url);
}

/* A vc-bridge with @secret; @listen NULL: a port of its own. */
static GSubprocess *
start_bridge (Fixture *f, const gchar *name, const gchar *secret, const gchar *listen, gchar **url)
{
  g_autofree gchar *ini = g_strdup_printf ("%s/%s.ini", f->dir, name);
  g_autofree gchar *log = g_strdup_printf ("%s.log", name);
  g_autofree gchar *exe = sched_test_build_path ("media", "vc-bridge");
  g_autofree gchar *text
      = g_strdup_printf ("[bridge]\nlisten = %s\nsecret = %s\n[ice]\naddresses = 127.0.0.1\n"
                         "[video]\nwidth = 320\nheight = 180\nbitrate_kbps = 300\n",
                         listen ? listen : "127.0.0.1:0", secret);
  const gchar *argv[] = { exe, "--config", ini, NULL };

  sched_test_write_text (ini, text);
  return spawn_listening (f, log, url, argv, TRUE);
}

static JsonObject *
parse_object (JsonParser *parser, const gchar *text)
{
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static gboolean
on_moment (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Runs the main context for 200 ms: the step of a bounded poll. */
static void
poll_step (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (200, on_moment, loop);
  g_main_loop_run (loop);
}

static gchar *
meeting_url (Fixture *f, gint64 id, const gchar *tail)
{
  return g_strdup_printf ("%s/api/v1/meetings/%" G_GINT64_FORMAT "%s", f->url, id, tail);
}

/* The meeting's uplink as the scheduler shows it (GET …/uplink). */
static gchar *
uplink_member (Fixture *f, gint64 id, const gchar *member)
{
  g_autofree gchar *url = meeting_url (f, id, "/uplink");
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *node;

  g_assert_cmpuint (sched_test_http (f->session, "GET", url, f->admin, NULL, &text), ==, 200);
  node = json_object_get_member (parse_object (parser, text), member);
  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return g_strdup (json_node_get_string (node));
}

/* The province room's uplink state, "gone" when the room is not open. */
static gchar *
province_uplink_state (Fixture *f, gint64 id)
{
  g_autofree gchar *url = g_strdup_printf ("%s/rooms/%" G_GINT64_FORMAT, f->province_url, id);
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (sched_test_http (f->session, "GET", url, PROVINCE_SECRET, NULL, &text) != 200)
    return g_strdup ("gone");
  return g_strdup (json_object_get_string_member (
      json_object_get_object_member (parse_object (parser, text), "uplink"), "state"));
}

/* Whether the central room has the province connected, as a link. */
static gboolean
central_has_province (Fixture *f)
{
  g_autofree gchar *url = g_strconcat (f->central_url, "/rooms/" CENTRAL_ROOM, NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *participants;

  g_assert_cmpuint (sched_test_http (f->session, "GET", url, CENTRAL_SECRET, NULL, &text), ==, 200);
  participants = json_object_get_array_member (parse_object (parser, text), "participants");
  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject *p = json_array_get_object_element (participants, i);
      if (g_strcmp0 (json_object_get_string_member (p, "endpoint"), PROVINCE_CODE) == 0)
        {
          g_assert_true (json_object_get_boolean_member (p, "link"));
          return json_object_get_boolean_member (p, "connected");
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

#define WAIT_FOR(what, seconds)                                                                    \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gint64 wait_end_ = g_get_monotonic_time () + (gint64)(seconds)*G_USEC_PER_SEC;                 \
    while (!(what))                                                                                \
      {                                                                                            \
        if (g_get_monotonic_time () > wait_end_)                                                   \
          g_error ("%s:%d: not true after %d s: %s", __FILE__, __LINE__, (int)(seconds), #what);   \
        poll_step ();                                                                              \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

static gboolean
str_is (gchar *owned, const gchar *expected)
{
  g_autofree gchar *text = owned;

  return g_strcmp0 (text, expected) == 0;
}

static gint64
book (Fixture *f, gint64 start, const gchar *unit, const gchar *chair, const gchar *other)
{
  g_autofree gchar *s = vc_time_format_utc (start);
  g_autofree gchar *e = vc_time_format_utc (start + 3600);
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":\"Hội nghị trực tuyến toàn quốc\",\"unit\":\"%s\",\"chair\":\"%s\","
      "\"endpoints\":[\"%s\",\"%s\"],\"start\":\"%s\",\"end\":\"%s\"}",
      unit, chair, chair, other, s, e);
  g_autofree gchar *url = g_strconcat (f->url, "/api/v1/meetings", NULL);
  g_autofree gchar *reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (sched_test_http (f->session, "POST", url, f->admin, body, &reply), ==, 201);
  return json_object_get_int_member (parse_object (parser, reply), "id");
}

static gchar *
link_token (gint64 exp_offset, gboolean link)
{
  VcJwtClaims c = { .meeting = (gchar *)CENTRAL_ROOM,
                    .endpoint = (gchar *)PROVINCE_CODE,
                    .name = (gchar *)"Nghệ An",
                    .link = link,
                    .exp = vc_time_now () + exp_offset,
                    .iat = vc_time_now () };

  return vc_jwt_sign (&c, CENTRAL_SECRET);
}

static gchar *
central_signal_url (Fixture *f)
{
  return g_strdup_printf ("ws%s/rooms/" CENTRAL_ROOM "/signal", f->central_url + 4);
}

static guint
put_uplink (Fixture *f, gint64 id, const gchar *token, const gchar *signal_url,
            const gchar *link_token_text, gchar **reply)
{
  g_autofree gchar *url = meeting_url (f, id, "/uplink");
  g_autofree gchar *body
      = g_strdup_printf ("{\"signal_url\":\"%s\",\"token\":\"%s\"}", signal_url, link_token_text);

  return sched_test_http (f->session, "PUT", url, token, body, reply);
}

static gint64
audit_count (Fixture *f, const gchar *action, gint64 meeting_id)
{
  g_autofree gchar *db_path = g_build_filename (f->dir, "sched.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*) FROM audit_log WHERE action = ?1"
                                       " AND meeting_id = ?2",
                                       -1, &st, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (st, 1, action, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, meeting_id);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (db);
  return n;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *ini = NULL, *out = NULL, *err = NULL, *exe = NULL;
  g_autofree gchar *rooms = NULL;

  alarm (WATCHDOG_S);
  f->dir = g_dir_make_tmp ("sched-uplink-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
  f->central = start_bridge (f, "central", CENTRAL_SECRET, NULL, &f->central_url);
  f->province = start_bridge (f, "province", PROVINCE_SECRET, NULL, &f->province_url);
  /* the central site's room, with the province as a link participant */
  rooms = g_strconcat (f->central_url, "/rooms", NULL);
  g_assert_cmpuint (sched_test_http (f->session, "POST", rooms, CENTRAL_SECRET,
                                     "{\"id\":\"" CENTRAL_ROOM
                                     "\",\"chair\":\"chinh-phu\",\"participants\":["
                                     "{\"endpoint\":\"chinh-phu\",\"name\":\"Chính phủ\"},"
                                     "{\"endpoint\":\"" PROVINCE_CODE "\",\"name\":\"Nghệ An\","
                                     "\"link\":true}]}",
                                     NULL),
                    ==, 201);
  f->config = g_build_filename (f->dir, "scheduler.ini", NULL);
  ini = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n[database]\npath=sched.db\n"
                         "[bridge]\nurl=%s\nsecret=" PROVINCE_SECRET "\ncapacity=100\n",
                         f->province_url);
  sched_test_write_text (f->config, ini);
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, "token", "create",
                                       "--role", "admin", "--name", "Quản trị", NULL),
                   ==, 0);
  f->admin = g_strstrip (g_steal_pointer (&out));
  exe = sched_test_build_path ("scheduler", "vc-scheduler");
  {
    const gchar *argv[] = { exe, "--config", f->config, NULL };
    f->scheduler = spawn_listening (f, "scheduler.log", &f->url, argv, FALSE);
  }
}

static void
stop (GSubprocess **p)
{
  if (*p == NULL)
    return;
  g_subprocess_send_signal (*p, SIGTERM);
  g_subprocess_wait (*p, NULL, NULL);
  g_clear_object (p);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = NULL;
  const gchar *name;

  stop (&f->scheduler);
  stop (&f->province);
  stop (&f->central);
  d = g_dir_open (f->dir, 0, NULL);
  while (!g_getenv ("VC_TEST_KEEP") && d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  if (!g_getenv ("VC_TEST_KEEP"))
    g_rmdir (f->dir);
  else
    g_printerr ("kept %s\n", f->dir);
  g_clear_object (&f->session);
  g_free (f->dir);
  g_free (f->config);
  g_free (f->central_url);
  g_free (f->province_url);
  g_free (f->url);
  g_free (f->admin);
  alarm (0);
}

/* Every bad request is refused with a 422 (a manager's with 403), and
 * nothing is stored: GET still shows no link, no audit line. */
static void
test_refused (Fixture *f, gconstpointer data)
{
  gint64 id = book (f, vc_time_now () + 120, "ubnd-tinh", "ubnd-tinh", "tinh-uy");
  gint64 cancelled = book (f, vc_time_now () + 7200, "ubnd-vinh", "ubnd-vinh", "thanh-uy-vinh");
  g_autofree gchar *good_url = central_signal_url (f);
  g_autofree gchar *good = link_token (3600, TRUE);
  g_autofree gchar *not_link = link_token (3600, FALSE);
  g_autofree gchar *expired = link_token (-60, TRUE);
  g_autofree gchar *cancel_url = meeting_url (f, cancelled, "");
  g_autofree gchar *manager = NULL, *err = NULL, *reply = NULL;
  struct
  {
    const gchar *url;
    const gchar *token;
    const gchar *field;
  } bad[] = {
    { "http://127.0.0.1:1/rooms/900/signal", good, "signal_url" },
    { "ws:///rooms/900/signal", good, "signal_url" },
    { "ws://central.example/rooms/900", good, "signal_url" },
    { "wss://central.example/rooms/900/signal?x=1", good, "signal_url" },
    { "not a url", good, "signal_url" },
    { good_url, "", "token" },
    { good_url, "abc", "token" },
    { good_url, "a.b.c.d", "token" },
    { good_url, "eyJhbGciOiJIUzI1NiJ9.e30!.c2ln", "token" },
    { good_url, "eyJhbGciOiJIUzI1NiJ9..c2ln", "token" },
    { good_url, not_link, "token" },
    { good_url, expired, "token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree gchar *text = NULL;
      g_autofree gchar *want = g_strdup_printf ("\"field\":\"%s\"", bad[i].field);

      g_assert_cmpuint (put_uplink (f, id, f->admin, bad[i].url, bad[i].token, &text), ==, 422);
      g_assert_nonnull (strstr (text, want));
    }
  /* members missing or of the wrong type */
  {
    g_autofree gchar *url = meeting_url (f, id, "/uplink");
    g_autofree gchar *text = NULL;
    g_assert_cmpuint (sched_test_http (f->session, "PUT", url, f->admin,
                                       "{\"signal_url\":\"ws://a/signal\"}", &text),
                      ==, 422);
    g_assert_nonnull (strstr (text, "\"field\":\"token\""));
    g_assert_cmpuint (sched_test_http (f->session, "PUT", url, f->admin,
                                       "{\"signal_url\":1,\"token\":\"a\"}", NULL),
                      ==, 422);
    g_assert_cmpuint (sched_test_http (f->session, "DELETE", url, f->admin, NULL, NULL), ==, 404);
  }
  /* a cancelled meeting takes no link */
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", cancel_url, f->admin, NULL, NULL), ==,
                    200);
  g_assert_cmpuint (put_uplink (f, cancelled, f->admin, good_url, good, &reply), ==, 422);
  g_assert_nonnull (strstr (reply, "\"reason\":\"meeting_over\""));
  /* a manager reads but does not link */
  g_assert_cmpint (sched_test_run_cli (&manager, &err, "--config", f->config, "token", "create",
                                       "--role", "manager", "--name", "Lãnh đạo", NULL),
                   ==, 0);
  g_strstrip (manager);
  g_assert_cmpuint (put_uplink (f, id, manager, good_url, good, NULL), ==, 403);
  /* nothing changed */
  g_assert_true (str_is (uplink_member (f, id, "signal_url"), "null"));
  g_assert_true (str_is (uplink_member (f, id, "state"), "off"));
  g_assert_true (str_is (uplink_member (f, cancelled, "signal_url"), "null"));
  g_assert_cmpint (audit_count (f, "uplink_set", id), ==, 0);
  g_assert_cmpint (audit_count (f, "uplink_set", cancelled), ==, 0);
  /* and the good one is taken (the refusals were not for another reason) */
  g_assert_cmpuint (put_uplink (f, id, f->admin, good_url, good, NULL), ==, 200);
  g_assert_cmpint (audit_count (f, "uplink_set", id), ==, 1);
}

/* Set on an open meeting: connected on both bridges; removed: off, and the
 * central room no longer has the province; a meeting opened later with its
 * link set beforehand links at opening; a restarted province bridge gets
 * the link again; the CLI's clear reaches the bridge. */
static void
test_link_lifecycle (Fixture *f, gconstpointer data)
{
  gint64 open_now = book (f, vc_time_now () + 120, "ubnd-tinh", "ubnd-tinh", "tinh-uy");
  gint64 later = book (f, vc_time_now () + 7200, "ubnd-vinh", "ubnd-vinh", "thanh-uy-vinh");
  g_autofree gchar *signal_url = central_signal_url (f);
  g_autofree gchar *token = link_token (4 * 3600, TRUE);
  g_autofree gchar *uplink_url = meeting_url (f, open_now, "/uplink");
  g_autofree gchar *later_url = meeting_url (f, later, "");
  g_autofree gchar *reply = NULL, *patch = NULL, *start = NULL, *end = NULL;
  g_autofree gchar *token_file = g_build_filename (f->dir, "link.jwt", NULL);
  g_autofree gchar *listen = NULL, *out = NULL, *err = NULL;
  g_autofree gchar *later_id = g_strdup_printf ("%" G_GINT64_FORMAT, later);

  /* the room is open on the province bridge, without an uplink */
  WAIT_FOR (str_is (province_uplink_state (f, open_now), "off"), 30);
  g_assert_cmpuint (put_uplink (f, open_now, f->admin, signal_url, token, &reply), ==, 200);
  g_assert_nonnull (strstr (reply, "\"endpoint\":\"" PROVINCE_CODE "\""));
  g_assert_null (strstr (reply, token)); /* the token is never shown */
  WAIT_FOR (str_is (province_uplink_state (f, open_now), "connected"), LINK_WAIT_S);
  WAIT_FOR (central_has_province (f), LINK_WAIT_S);
  WAIT_FOR (str_is (uplink_member (f, open_now, "state"), "connected"), 30);
  g_assert_true (str_is (uplink_member (f, open_now, "room_open"), "true"));
  g_assert_true (str_is (uplink_member (f, open_now, "signal_url"), signal_url));

  /* removed: the province room's uplink is off, the central room lost it */
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", uplink_url, f->admin, NULL, NULL), ==,
                    204);
  WAIT_FOR (str_is (province_uplink_state (f, open_now), "off"), 30);
  WAIT_FOR (!central_has_province (f), 30);
  g_assert_true (str_is (uplink_member (f, open_now, "state"), "off"));
  g_assert_true (str_is (uplink_member (f, open_now, "signal_url"), "null"));
  g_assert_cmpint (audit_count (f, "uplink_set", open_now), ==, 1);
  g_assert_cmpint (audit_count (f, "uplink_cleared", open_now), ==, 1);

  /* set before the room opens: waiting; moved to start soon, the room opens
   * and links at once */
  g_assert_cmpuint (put_uplink (f, later, f->admin, signal_url, token, NULL), ==, 200);
  g_assert_true (str_is (uplink_member (f, later, "state"), "waiting"));
  g_assert_true (str_is (uplink_member (f, later, "room_open"), "false"));
  g_assert_true (str_is (province_uplink_state (f, later), "gone"));
  start = vc_time_format_utc (vc_time_now () + 120);
  end = vc_time_format_utc (vc_time_now () + 3720);
  patch = g_strdup_printf ("{\"start\":\"%s\",\"end\":\"%s\"}", start, end);
  g_assert_cmpuint (sched_test_http (f->session, "PATCH", later_url, f->admin, patch, NULL), ==,
                    200);
  WAIT_FOR (str_is (province_uplink_state (f, later), "connected"), LINK_WAIT_S);
  WAIT_FOR (central_has_province (f), LINK_WAIT_S);

  /* the province bridge restarts (same address): the scheduler opens the
   * room again and posts its uplink again */
  listen = g_strdup (f->province_url + strlen ("http://"));
  stop (&f->province);
  g_free (f->province_url);
  f->province = start_bridge (f, "province2", PROVINCE_SECRET, listen, &f->province_url);
  WAIT_FOR (str_is (province_uplink_state (f, later), "connected"), LINK_WAIT_S);
  WAIT_FOR (central_has_province (f), LINK_WAIT_S);

  /* the CLI, on the running scheduler's database: the bridge follows */
  g_assert_cmpint (
      sched_test_run_cli (&out, &err, "--config", f->config, "uplink", "clear", "999999", NULL), ==,
      1);
  g_assert_nonnull (strstr (err, "no meeting"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (
      sched_test_run_cli (&out, &err, "--config", f->config, "uplink", "clear", later_id, NULL), ==,
      0);
  WAIT_FOR (str_is (province_uplink_state (f, later), "off"), 30);
  WAIT_FOR (!central_has_province (f), 30);
  g_assert_cmpint (audit_count (f, "uplink_cleared", later), ==, 1);
  /* set again from a token file; a bad token file is refused */
  sched_test_write_text (token_file, "not-a-token\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, "uplink", "set", later_id,
                                       signal_url, token_file, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "token"));
  g_assert_true (str_is (uplink_member (f, later, "signal_url"), "null"));
  sched_test_write_text (token_file, token);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, "uplink", "set", later_id,
                                       signal_url, token_file, NULL),
                   ==, 0);
  WAIT_FOR (str_is (province_uplink_state (f, later), "connected"), LINK_WAIT_S);
  WAIT_FOR (central_has_province (f), LINK_WAIT_S);
  g_assert_cmpint (audit_count (f, "uplink_set", later), ==, 2);

  /* the meeting is called off: its room closes, and the link with it */
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", later_url, f->admin, NULL, NULL), ==,
                    200);
  WAIT_FOR (str_is (province_uplink_state (f, later), "gone"), 30);
  WAIT_FOR (!central_has_province (f), 30);
  g_assert_true (str_is (uplink_member (f, later, "state"), "waiting"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sched-uplink/refused", Fixture, NULL, setup, test_refused, teardown);
  g_test_add ("/sched-uplink/lifecycle", Fixture, NULL, setup, test_link_lifecycle, teardown);
  return g_test_run ();
}
