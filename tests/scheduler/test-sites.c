/* test-sites.c — bridge sites (issue #15 part 2) with the real programs: a
 * vc-scheduler and three vc-bridge processes on 127.0.0.1, the province
 * site P, a commune-group site A under it and a site B under A.
 *
 * A meeting with rooms on all three sites gets a room on each bridge, with
 * a link participant in each parent's room, and the children's uplinks
 * reach "connected"; removing B's room from the meeting closes B's bridge
 * room and drops A's link to it; cancelling closes every room; a meeting
 * of A's rooms alone touches only A's bridge, and one of P's and B's rooms
 * also opens A's, which is on the path between them; attendance covers
 * the rooms of every site. Bad input (a room on an unknown site, a cycle
 * of site parents, a site without a URL) stops the scheduler with exit 78
 * naming the file, group and key, and loads nothing. Readiness is the
 * printed address and bounded polls, never a sleep. */
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

#define SECRET_P "sites-test-secret-province-0123"
#define SECRET_A "sites-test-secret-cum-a-456789"
#define SECRET_B "sites-test-secret-cum-b-abcdef"

static const gchar roster[] = "[unit:ubnd-tinh]\nname=UBND tỉnh (ví dụ)\npriority=30\n"
                              "[endpoint:ubnd-tinh]\nname=UBND tỉnh\nlevel=province\n"
                              "unit=ubnd-tinh\n"
                              "[endpoint:so-tc]\nname=Sở Tài chính\nlevel=department\n"
                              "[endpoint:xa-a1]\nname=Xã A1 (ví dụ)\nlevel=commune\nsite=cum-a\n"
                              "[endpoint:xa-a2]\nname=Xã A2 (ví dụ)\nlevel=commune\nsite=cum-a\n"
                              "[endpoint:xa-b1]\nname=Xã B1 (ví dụ)\nlevel=commune\nsite=cum-b\n"
                              "[endpoint:xa-b2]\nname=Xã B2 (ví dụ)\nlevel=commune\nsite=cum-b\n"
                              "[endpoint:xa-b3]\nname=Xã B3 (ví dụ)\nlevel=commune\nsite=cum-b\n";

typedef struct
{
  gchar *dir;
  gchar *config;
  gchar *db;
  SoupSession *session;
  GSubprocess *bridges[3];
  gchar *bridge_urls[3];
  GSubprocess *scheduler;
  gchar *url;
  gchar *token;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *roster_path = NULL;

  alarm (400);
  f->dir = g_dir_make_tmp ("sched-sites-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = g_build_filename (f->dir, "scheduler.ini", NULL);
  f->db = g_build_filename (f->dir, "sched.db", NULL);
  roster_path = g_build_filename (f->dir, "roster.ini", NULL);
  sched_test_write_text (roster_path, roster);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
stop (GSubprocess *p)
{
  g_autoptr (GError) error = NULL;

  if (p == NULL)
    return;
  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = NULL;
  const gchar *name;

  stop (f->scheduler);
  g_clear_object (&f->scheduler);
  for (guint i = 0; i < 3; i++)
    {
      stop (f->bridges[i]);
      g_clear_object (&f->bridges[i]);
      g_free (f->bridge_urls[i]);
    }
  d = g_dir_open (f->dir, 0, NULL);
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
  g_free (f->url);
  g_free (f->token);
  alarm (0);
}

static void
start_bridges (Fixture *f, gint capacity_b)
{
  static const gchar *const secrets[] = { SECRET_P, SECRET_A, SECRET_B };
  g_autofree gchar *exe = sched_test_build_path ("media", "vc-bridge");

  for (guint i = 0; i < 3; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("bridge-%u.ini", i);
      g_autofree gchar *path = g_build_filename (f->dir, name, NULL);
      g_autofree gchar *limit
          = i == 2 && capacity_b > 0 ? g_strdup_printf ("capacity=%d\n", capacity_b) : NULL;
      g_autofree gchar *ini = g_strdup_printf ("[bridge]\nlisten=127.0.0.1:0\nsecret=%s\n%s"
                                               "[ice]\naddresses=127.0.0.1\n[video]\nwidth=320\n"
                                               "height=180\nbitrate_kbps=300\n",
                                               secrets[i], limit ? limit : "");

      sched_test_write_text (path, ini);
      {
        const gchar *argv[] = { exe, "--config", path, NULL };

        f->bridges[i] = sched_test_spawn_listening (argv, NULL, TRUE, &f->bridge_urls[i]);
      }
    }
}

static void
write_config (Fixture *f, const gchar *sites)
{
  g_autofree gchar *ini = g_strdup_printf (
      "[server]\nlisten=127.0.0.1:0\n[database]\npath=sched.db\n[site]\nroster=roster.ini\n"
      "[bridge]\nurl=%s\nsecret=" SECRET_P "\ncapacity=100\n%s",
      f->bridge_urls[0] ? f->bridge_urls[0] : "http://127.0.0.1:9", sites);

  sched_test_write_text (f->config, ini);
}

static void
start_scheduler (Fixture *f, gint capacity_b)
{
  g_autofree gchar *sites
      = g_strdup_printf ("[bridge:cum-a]\nurl=%s\nsecret=" SECRET_A "\n"
                         "[bridge:cum-b]\nurl=%s\nsecret=" SECRET_B "\nparent=cum-a\ncapacity=%d\n",
                         f->bridge_urls[1], f->bridge_urls[2], capacity_b > 0 ? capacity_b : 200);
  g_autofree gchar *out = NULL, *err = NULL;
  g_autofree gchar *exe = sched_test_build_path ("scheduler", "vc-scheduler");

  write_config (f, sites);
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, "token", "create",
                                       "--role", "admin", "--name", "Quản trị", NULL),
                   ==, 0);
  f->token = g_strdup (g_strchomp (out));
  {
    const gchar *argv[] = { exe, "--config", f->config, NULL };

    f->scheduler = sched_test_spawn_listening (argv, NULL, FALSE, &f->url);
  }
}

static gboolean
on_moment (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
poll_step (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (100, on_moment, loop);
  g_main_loop_run (loop);
}

static const gchar *const secrets[] = { SECRET_P, SECRET_A, SECRET_B };

/* GET /rooms/@id on bridge @b: its status, and its JSON when 200. */
static guint
bridge_room (Fixture *f, guint b, gint64 id, JsonObject **room)
{
  g_autofree gchar *url = g_strdup_printf ("%s/rooms/%" G_GINT64_FORMAT, f->bridge_urls[b], id);
  g_autofree gchar *reply = NULL;
  guint status = sched_test_http (f->session, "GET", url, secrets[b], NULL, &reply);
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (room)
    *room = NULL;
  if (status == 200 && room)
    {
      g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
      *room = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return status;
}

/* Polls bridge @b until room @id answers @status, for at most 30 s. */
static void
wait_room_status (Fixture *f, guint b, gint64 id, guint status)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint got;

  while ((got = bridge_room (f, b, id, NULL)) != status && g_get_monotonic_time () < end)
    poll_step ();
  g_assert_cmpuint (got, ==, status);
}

/* The endpoints of a bridge room's participants, sorted, space-separated;
 * a link participant as "CODE(link)". */
static gchar *
room_participants (JsonObject *room)
{
  JsonArray *list = json_object_get_array_member (room, "participants");
  g_autoptr (GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      gboolean link = json_object_get_boolean_member_with_default (p, "link", FALSE);

      g_ptr_array_add (codes,
                       g_strdup_printf ("%s%s", json_object_get_string_member (p, "endpoint"),
                                        link ? "(link)" : ""));
    }
  g_ptr_array_sort (codes, (GCompareFunc)g_strcmp0);
  g_ptr_array_add (codes, NULL);
  return g_strjoinv (" ", (gchar **)codes->pdata);
}

/* Polls bridge @b until room @id's participants are @want, for 30 s. */
static void
wait_participants (Fixture *f, guint b, gint64 id, const gchar *want)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autofree gchar *got = NULL;

  for (;;)
    {
      g_autoptr (JsonObject) room = NULL;

      g_clear_pointer (&got, g_free);
      if (bridge_room (f, b, id, &room) == 200)
        got = room_participants (room);
      if (g_strcmp0 (got, want) == 0 || g_get_monotonic_time () >= end)
        break;
      poll_step ();
    }
  g_assert_cmpstr (got, ==, want);
}

/* Polls bridge @b until room @id's uplink is connected, for 120 s (a
 * WebRTC connection between two bridges on a loaded shared machine). */
static void
wait_uplink_connected (Fixture *f, guint b, gint64 id)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  g_autofree gchar *state = NULL;

  for (;;)
    {
      g_autoptr (JsonObject) room = NULL;

      g_clear_pointer (&state, g_free);
      if (bridge_room (f, b, id, &room) == 200 && json_object_has_member (room, "uplink"))
        state = g_strdup (json_object_get_string_member (
            json_object_get_object_member (room, "uplink"), "state"));
      if (g_strcmp0 (state, "connected") == 0 || g_get_monotonic_time () >= end)
        break;
      poll_step ();
    }
  g_assert_cmpstr (state, ==, "connected");
}

static guint
book (Fixture *f, const gchar *chair, const gchar *rooms, gint64 start, gchar **reply)
{
  g_autofree gchar *s = vc_time_format_utc (start);
  g_autofree gchar *e = vc_time_format_utc (start + 3600);
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":\"Giao ban\",\"unit\":\"ubnd-tinh\",\"chair\":\"%s\",\"endpoints\":%s,"
      "\"start\":\"%s\",\"end\":\"%s\"}",
      chair, rooms, s, e);
  g_autofree gchar *meetings = g_strconcat (f->url, "/api/v1/meetings", NULL);

  return sched_test_http (f->session, "POST", meetings, f->token, body, reply);
}

static gint64
reply_id (const gchar *reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, reply, -1, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "id");
}

static void
test_tree (Fixture *f, gconstpointer data)
{
  gint64 start = vc_time_now () + 120; /* inside room_open_lead_seconds */
  g_autofree gchar *reply = NULL, *patch = NULL, *url = NULL, *attendance = NULL;
  g_autofree gchar *events = NULL, *at = vc_time_format_utc (vc_time_now ());
  gint64 id;

  start_bridges (f, 0);
  start_scheduler (f, 0);
  g_assert_cmpuint (
      book (f, "ubnd-tinh", "[\"ubnd-tinh\",\"so-tc\",\"xa-a1\",\"xa-b1\"]", start, &reply), ==,
      201);
  id = reply_id (reply);
  /* P: its own rooms and A's link; A: its room and B's link; B: its room */
  wait_participants (f, 0, id, "site-cum-a(link) so-tc ubnd-tinh");
  wait_participants (f, 1, id, "site-cum-b(link) xa-a1");
  wait_participants (f, 2, id, "xa-b1");
  wait_uplink_connected (f, 1, id);
  wait_uplink_connected (f, 2, id);

  /* B's room leaves the meeting: B's bridge room closes, A drops the link */
  url = g_strdup_printf ("%s/api/v1/meetings/%" G_GINT64_FORMAT, f->url, id);
  g_assert_cmpuint (sched_test_http (f->session, "PATCH", url, f->token,
                                     "{\"endpoints\":[\"ubnd-tinh\",\"xa-a1\"]}", &patch),
                    ==, 200);
  wait_room_status (f, 2, id, 404);
  wait_participants (f, 1, id, "xa-a1");
  wait_participants (f, 0, id, "site-cum-a(link) ubnd-tinh");

  /* attendance covers the rooms of every site */
  events = g_strdup_printf (
      "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01\",\"meeting\":%" G_GINT64_FORMAT
      ",\"endpoint\":\"ubnd-tinh\",\"type\":\"joined\",\"at\":\"%s\"},"
      "{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":%" G_GINT64_FORMAT
      ",\"endpoint\":\"xa-a1\",\"type\":\"joined\",\"at\":\"%s\"}]}",
      id, at, id, at);
  {
    g_autofree gchar *post = g_strconcat (f->url, "/api/v1/attendance", NULL);
    g_autofree gchar *answer = NULL, *get = g_strconcat (url, "/attendance", NULL);

    g_assert_cmpuint (sched_test_http (f->session, "POST", post, f->token, events, &answer), ==,
                      200);
    g_assert_nonnull (strstr (answer, "\"accepted\":2"));
    g_assert_cmpuint (sched_test_http (f->session, "GET", get, f->token, NULL, &attendance), ==,
                      200);
    g_assert_nonnull (strstr (attendance, "\"endpoint\":\"ubnd-tinh\""));
    g_assert_nonnull (strstr (attendance, "\"endpoint\":\"xa-a1\""));
    g_assert_nonnull (strstr (attendance, "\"invited_count\":2"));
  }

  /* cancelling closes every site's room */
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", url, f->token, NULL, NULL), ==, 200);
  wait_room_status (f, 0, id, 404);
  wait_room_status (f, 1, id, 404);
}

/* A meeting of A's rooms alone (chaired on A) opens a room on A's bridge
 * only; a meeting of P's and B's rooms also needs A, on the path. */
static void
test_only_needed_sites (Fixture *f, gconstpointer data)
{
  gint64 start = vc_time_now () + 120;
  g_autofree gchar *r1 = NULL, *r2 = NULL;
  gint64 local, path;

  start_bridges (f, 0);
  start_scheduler (f, 0);
  g_assert_cmpuint (book (f, "xa-a1", "[\"xa-a1\",\"xa-a2\"]", start, &r1), ==, 201);
  local = reply_id (r1);
  g_assert_cmpuint (book (f, "xa-b2", "[\"xa-b2\",\"ubnd-tinh\"]", start, &r2), ==, 201);
  path = reply_id (r2);
  /* chaired on B: B is the root, A links up to B and P up to A */
  wait_participants (f, 2, path, "site-cum-a(link) xa-b2");
  wait_participants (f, 1, path, "site-province(link)");
  wait_participants (f, 0, path, "ubnd-tinh");
  wait_uplink_connected (f, 1, path);
  wait_uplink_connected (f, 0, path);
  wait_participants (f, 1, local, "xa-a1 xa-a2");
  /* by now every bridge has been told about both meetings */
  g_assert_cmpuint (bridge_room (f, 0, local, NULL), ==, 404);
  g_assert_cmpuint (bridge_room (f, 2, local, NULL), ==, 404);
}

/* Site B carries 2 participants (its bridge's capacity and [bridge:cum-b]
 * capacity): a meeting of P with one of B's rooms fits, a second one with
 * two more of B's rooms at the same time is refused, naming the site, and
 * fits once the first is cancelled. */
static void
test_full_site (Fixture *f, gconstpointer data)
{
  gint64 start = vc_time_now () + 7200;
  g_autofree gchar *r1 = NULL, *r2 = NULL, *r3 = NULL, *url = NULL;

  start_bridges (f, 2);
  start_scheduler (f, 2);
  g_assert_cmpuint (book (f, "ubnd-tinh", "[\"ubnd-tinh\",\"xa-b1\"]", start, &r1), ==, 201);
  g_assert_cmpuint (book (f, "xa-b2", "[\"xa-b2\",\"xa-b3\"]", start + 600, &r2), ==, 409);
  g_assert_nonnull (strstr (r2, "the bridge of site 'cum-b' would carry 3 participants at once"));
  g_assert_nonnull (strstr (r2, "\"site\":\"cum-b\""));
  /* A is on no path of the second meeting: its rooms alone fit */
  g_assert_cmpuint (book (f, "xa-a1", "[\"xa-a1\",\"xa-a2\"]", start + 600, NULL), ==, 201);
  url = g_strdup_printf ("%s/api/v1/meetings/%" G_GINT64_FORMAT, f->url, reply_id (r1));
  g_assert_cmpuint (sched_test_http (f->session, "DELETE", url, f->token, NULL, NULL), ==, 200);
  g_assert_cmpuint (book (f, "xa-b2", "[\"xa-b2\",\"xa-b3\"]", start + 600, &r3), ==, 201);
}

/* Bad input: exit 78 naming file, group and key; nothing loaded. */
static void
check_refused (Fixture *f, const gchar *sites, const gchar *want)
{
  g_autofree gchar *out = NULL, *err = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;

  write_config (f, sites);
  g_assert_cmpint (sched_test_run_cli (&out, &err, "--config", f->config, NULL), ==, 78);
  g_assert_nonnull (strstr (err, want));
  if (g_file_test (f->db, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM endpoints", -1, &st, NULL), ==,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (st, 0), ==, 0);
      sqlite3_finalize (st);
      sqlite3_close (db);
    }
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  /* cum-b is not configured: the roster's room xa-b1 names an unknown site */
  check_refused (f, "[bridge:cum-a]\nurl=http://127.0.0.1:9\nsecret=s\n",
                 "[endpoint:xa-b1] site: names no bridge site 'cum-b'");
  /* a cycle */
  check_refused (f,
                 "[bridge:cum-a]\nurl=http://127.0.0.1:9\nsecret=s\nparent=cum-b\n"
                 "[bridge:cum-b]\nurl=http://127.0.0.1:9\nsecret=s\nparent=cum-a\n",
                 "parent: site 'cum-a' is its own ancestor (a cycle of parents)");
  /* no URL */
  check_refused (f,
                 "[bridge:cum-a]\nsecret=s\n"
                 "[bridge:cum-b]\nurl=http://127.0.0.1:9\nsecret=s\n",
                 "[bridge:cum-a] url: is required");
  /* a parent that is no site */
  check_refused (f,
                 "[bridge:cum-a]\nurl=http://127.0.0.1:9\nsecret=s\nparent=huyen\n"
                 "[bridge:cum-b]\nurl=http://127.0.0.1:9\nsecret=s\n",
                 "[bridge:cum-a] parent: names no site");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add ("/sched-core/sites/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("tree", test_tree);
  ADD ("only-needed-sites", test_only_needed_sites);
  ADD ("full-site", test_full_site);
  ADD ("bad-input", test_bad_input);
  return g_test_run ();
}
