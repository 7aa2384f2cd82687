/* test-reorg.c — reorganisations of the roster (issue #16) over HTTP and
 * through the CLI: a file with one bad line changes nothing and names the
 * line; preview changes nothing and lists the future meetings affected;
 * apply dissolves, re-homes and adds, with its history; the same file a
 * second time is refused and changes nothing; a booking for a dissolved
 * unit or a closed room after its end gets 422 naming it; each whole-file
 * check (no successor, a room left in a dissolved unit, cycles, unknown
 * and reused codes, overlapping periods). Runs on the real clock, the
 * effective date some weeks ahead. */
#include "sched-test-fixture.h"

#include "sched-error.h"
#include "sched-reports.h"

#include <sys/wait.h>

static void
setup (Fixture *f, gconstpointer data)
{
  fixture_setup_full (f, TRUE);
}

/* YYYY-MM-DD of fixture_future_day (@weeks). */
static gchar *
future_date (gint weeks)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (fixture_future_day (weeks));
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%d");
}

/* The file: Vinh's People's Committee dissolved into a new commune, its
 * room re-homed there (and made a commune room), Vinh's party committee
 * dissolved into the province's and its room closed. @extra: more
 * entries (with a leading comma) or "". Lines: the header is lines 1–4,
 * entries[i] starts on line 5 + i. */
static gchar *
reorg_file (const gchar *name, gint weeks, const gchar *extra)
{
  g_autofree gchar *date = future_date (weeks);

  return g_strdup_printf (
      "{\"format\": \"vc-province-reorganisation/1\",\n"
      " \"name\": \"%s\",\n"
      " \"effective\": \"%s\",\n"
      " \"entries\": [\n"
      "  {\"op\": \"add-unit\", \"code\": \"xa-vi-du\", \"name\": \"UBND xã Ví Dụ (ví dụ)\","
      " \"level\": \"commune\", \"parent\": \"ubnd-tinh\"},\n"
      "  {\"op\": \"dissolve\", \"unit\": \"ubnd-vinh\", \"successor\": \"xa-vi-du\"},\n"
      "  {\"op\": \"rehome\", \"room\": \"ubnd-vinh\", \"unit\": \"xa-vi-du\","
      " \"level\": \"commune\"},\n"
      "  {\"op\": \"dissolve\", \"unit\": \"thanh-uy-vinh\", \"successor\": \"tinh-uy\"},\n"
      "  {\"op\": \"close-room\", \"room\": \"thanh-uy-vinh\", \"successor\": \"tinh-uy\"}%s\n"
      " ]}\n",
      name, date, extra);
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  return json_node_get_object (node);
}

static guint
count_changes (Fixture *f, const gchar *path)
{
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (fixture_request (f, "GET", path, f->admin, NULL, &reply), ==, 200);
  return json_array_get_length (json_object_get_array_member (object_of (reply), "changes"));
}

static guint
count_reorganisations (Fixture *f)
{
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/reorganisations", f->admin, NULL, &reply),
                    ==, 200);
  return json_array_get_length (
      json_object_get_array_member (object_of (reply), "reorganisations"));
}

/* The roster as the API shows it, to compare before and after. */
static gchar *
roster_text (Fixture *f)
{
  g_autoptr (JsonNode) units = NULL, rooms = NULL;
  g_autofree gchar *u = NULL, *r = NULL;

  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/units", f->admin, NULL, &units), ==, 200);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/endpoints", f->admin, NULL, &rooms), ==,
                    200);
  u = json_to_string (units, FALSE);
  r = json_to_string (rooms, FALSE);
  return g_strconcat (u, r, NULL);
}

static guint
book (Fixture *f, const gchar *token, const gchar *unit, const gchar *rooms_json, gint weeks,
      JsonNode **reply)
{
  gint64 day = fixture_future_day (weeks);
  g_autofree gchar *body = fixture_booking_json ("Giao ban", unit, "ubnd-tinh", rooms_json,
                                                 day + 9 * 3600, day + 10 * 3600, NULL);

  return fixture_request (f, "POST", "/api/v1/meetings", token, body, reply);
}

static void
test_bad_line_changes_nothing (Fixture *f, gconstpointer data)
{
  /* entries[5], on line 10: a successor that does not exist */
  g_autofree gchar *file = reorg_file (
      "bad", 3,
      ",\n  {\"op\": \"dissolve\", \"unit\": \"ubnd-cua-lo\", \"successor\": \"khong-co\"}");
  g_autofree gchar *before = roster_text (f), *after = NULL;
  g_autoptr (JsonNode) reply = NULL;
  JsonArray *problems;
  JsonObject *first;

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, file, &reply),
                    ==, 422);
  g_assert_cmpstr (json_object_get_string_member (object_of (reply), "field"), ==, "entries[5]");
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (reply), "message"),
                            "line 10: unknown unit 'khong-co'"));
  problems = json_object_get_array_member (object_of (reply), "problems");
  /* and its room ubnd-cua-lo would be left in it: not reported, the
   * whole-file checks run only on files whose entries are all good */
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  first = json_array_get_object_element (problems, 0);
  g_assert_cmpint (json_object_get_int_member (first, "line"), ==, 10);

  after = roster_text (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_reorganisations (f), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM roster_changes"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM units WHERE valid_to IS NOT NULL"), ==,
                   0);
  g_assert_cmpuint (count_changes (f, "/api/v1/units/ubnd-vinh/history"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  /* the unit it would have added does not exist */
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/units/xa-vi-du/history", f->admin, NULL, &reply), ==,
      404);
}

static void
test_preview_apply_twice (Fixture *f, gconstpointer data)
{
  g_autofree gchar *file = reorg_file ("vinh", 3, "");
  g_autofree gchar *before = roster_text (f), *after_preview = NULL, *applied = NULL;
  g_autofree gchar *again_text = NULL;
  g_autoptr (JsonNode) reply = NULL;
  JsonArray *affected;
  gint64 meeting;
  guint changes;

  /* a meeting of Vinh after the date, booked before the reorganisation */
  g_assert_cmpuint (book (f, f->sec_vinh, "ubnd-vinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 4, &reply),
                    ==, 201);
  meeting = json_object_get_int_member (object_of (reply), "id");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/reorganisations/preview", f->admin, file, &reply), ==,
      200);
  g_assert_false (json_object_get_boolean_member (object_of (reply), "applied"));
  affected = json_object_get_array_member (object_of (reply), "affected_meetings");
  g_assert_cmpuint (json_array_get_length (affected), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (affected, 0), "id"),
                   ==, meeting);
  changes = json_array_get_length (json_object_get_array_member (object_of (reply), "changes"));
  g_assert_cmpuint (changes, >=, 6);
  after_preview = roster_text (f);
  g_assert_cmpstr (after_preview, ==, before);
  g_assert_cmpuint (count_reorganisations (f), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* apply: what the preview said */
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, file, &reply),
                    ==, 201);
  g_assert_true (json_object_get_boolean_member (object_of (reply), "applied"));
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (object_of (reply), "changes")), ==,
      changes);
  g_clear_pointer (&reply, json_node_unref);
  applied = roster_text (f);
  g_assert_cmpstr (applied, !=, before);
  g_assert_cmpuint (count_changes (f, "/api/v1/units/ubnd-vinh/history"), ==, 1);
  g_assert_cmpuint (count_changes (f, "/api/v1/endpoints/ubnd-vinh/history"), ==, 2);

  /* the secretariat of Vinh sees its meeting, another one does not */
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/reorganisations/affected", f->sec_vinh, NULL, &reply), ==,
      200);
  affected = json_object_get_array_member (object_of (reply), "meetings");
  g_assert_cmpuint (json_array_get_length (affected), ==, 1);
  g_assert_nonnull (strstr (
      json_array_get_string_element (
          json_object_get_array_member (json_array_get_object_element (affected, 0), "problems"),
          0),
      "unit 'ubnd-vinh': dissolved on"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/reorganisations/affected", f->sec_ubnd, NULL, &reply), ==,
      200);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (object_of (reply), "meetings")), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* the same file again: refused, nothing changes */
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, file, &reply),
                    ==, 409);
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (reply), "message"),
                            "this file was applied"));
  g_clear_pointer (&reply, json_node_unref);
  /* the same entries under another name: the units are dissolved already */
  {
    g_autofree gchar *renamed = reorg_file ("vinh-again", 3, "");
    g_assert_cmpuint (
        fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, renamed, &reply), ==, 422);
    g_clear_pointer (&reply, json_node_unref);
  }
  again_text = roster_text (f);
  g_assert_cmpstr (again_text, ==, applied);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM roster_changes"), ==, changes);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log"
                                     " WHERE action = 'reorganisation_applied'"),
                   ==, 1);
  g_assert_cmpuint (count_reorganisations (f), ==, 1);
  g_assert_cmpuint (count_changes (f, "/api/v1/units/ubnd-vinh/history"), ==, 1);

  /* units valid on a date: Vinh before, the new commune after */
  {
    g_autofree gchar *early = future_date (1), *late = future_date (5);
    g_autofree gchar *q1 = g_strconcat ("/api/v1/units?at=", early, NULL);
    g_autofree gchar *q2 = g_strconcat ("/api/v1/units?at=", late, NULL);
    g_autoptr (JsonNode) u1 = NULL, u2 = NULL;
    g_autofree gchar *t1 = NULL, *t2 = NULL;

    g_assert_cmpuint (fixture_request (f, "GET", q1, f->sec_ubnd, NULL, &u1), ==, 200);
    g_assert_cmpuint (fixture_request (f, "GET", q2, f->sec_ubnd, NULL, &u2), ==, 200);
    t1 = json_to_string (u1, FALSE);
    t2 = json_to_string (u2, FALSE);
    g_assert_nonnull (strstr (t1, "\"ubnd-vinh\""));
    g_assert_null (strstr (t1, "\"code\":\"xa-vi-du\""));
    g_assert_null (strstr (t2, "\"code\":\"ubnd-vinh\""));
    g_assert_nonnull (strstr (t2, "\"xa-vi-du\""));
  }
}

static void
test_booking_after_dissolution (Fixture *f, gconstpointer data)
{
  g_autofree gchar *file = reorg_file ("vinh", 3, "");
  g_autoptr (JsonNode) reply = NULL;
  const gchar *message;

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, file, &reply),
                    ==, 201);
  g_clear_pointer (&reply, json_node_unref);

  /* before the effective date Vinh still books */
  g_assert_cmpuint (book (f, f->sec_vinh, "ubnd-vinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 1, &reply),
                    ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  /* after it: 422 naming the dissolved unit */
  g_assert_cmpuint (book (f, f->sec_vinh, "ubnd-vinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 4, &reply),
                    ==, 422);
  g_assert_cmpstr (json_object_get_string_member (object_of (reply), "field"), ==, "unit");
  message = json_object_get_string_member (object_of (reply), "message");
  g_assert_nonnull (strstr (message, "ubnd-vinh"));
  g_assert_nonnull (strstr (message, "dissolved on"));
  g_assert_nonnull (strstr (message, "successor: xa-vi-du"));
  g_clear_pointer (&reply, json_node_unref);
  /* and a closed room after its end, by a unit still there */
  g_assert_cmpuint (
      book (f, f->sec_ubnd, "ubnd-tinh", "[\"ubnd-tinh\",\"thanh-uy-vinh\"]", 4, &reply), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (object_of (reply), "field"), ==, "endpoints");
  g_assert_nonnull (
      strstr (json_object_get_string_member (object_of (reply), "message"), "thanh-uy-vinh"));
  g_clear_pointer (&reply, json_node_unref);
  /* the re-homed room still meets, for its new unit */
  g_assert_cmpuint (book (f, f->sec_ubnd, "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 4, &reply),
                    ==, 201);
}

/* One bad file per whole-file rule: 422, the entry and line named. */
static void
expect_problem (Fixture *f, const gchar *extra, const gchar *entry, const gchar *text)
{
  g_autofree gchar *file = reorg_file ("rule", 3, extra);
  g_autoptr (JsonNode) reply = NULL;
  g_autofree gchar *body = NULL;

  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/reorganisations/preview", f->admin, file, &reply), ==,
      422);
  body = json_to_string (reply, FALSE);
  g_test_message ("%s", body);
  g_assert_cmpstr (json_object_get_string_member (object_of (reply), "field"), ==, entry);
  g_assert_nonnull (strstr (body, text));
}

static void
test_whole_file_rules (Fixture *f, gconstpointer data)
{
  expect_problem (f, ",\n  {\"op\": \"dissolve\", \"unit\": \"ubnd-cua-lo\"}", "entries[5]",
                  "a unit may not be left without one");
  expect_problem (
      f, ",\n  {\"op\": \"dissolve\", \"unit\": \"ubnd-cua-lo\", \"successor\": \"ubnd-tinh\"}",
      "entries[5]", "room 'ubnd-cua-lo' would be left with unit 'ubnd-cua-lo'");
  expect_problem (f,
                  ",\n  {\"op\": \"reparent\", \"unit\": \"ubnd-tinh\", \"parent\": \"xa-vi-du\"}",
                  "entries[5]", "parent cycle");
  expect_problem (f, ",\n  {\"op\": \"rename\", \"room\": \"khong-co\", \"name\": \"X\"}",
                  "entries[5]", "unknown room 'khong-co'");
  expect_problem (f,
                  ",\n  {\"op\": \"add-unit\", \"code\": \"tinh-uy\", \"name\": \"X\", \"level\": "
                  "\"province\"}",
                  "entries[5]", "codes are never reused");
  expect_problem (
      f, ",\n  {\"op\": \"dissolve\", \"unit\": \"ubnd-vinh\", \"successor\": \"tinh-uy\"}",
      "entries[5]", "ended by entries[1] (line 6)");
  expect_problem (f, ",\n  {\"op\": \"relevel\", \"unit\": \"tinh-uy\", \"level\": \"galaxy\"}",
                  "entries[5]", "level 'galaxy'");
  expect_problem (f, ",\n  {\"op\": \"fold\", \"unit\": \"tinh-uy\"}", "entries[5]", "unknown op");

  /* overlapping periods: a change dated before one already applied */
  {
    g_autofree gchar *later = reorg_file ("later", 6, "");
    g_autofree gchar *date = future_date (3);
    g_autofree gchar *earlier = g_strdup_printf (
        "{\"format\": \"vc-province-reorganisation/1\", \"name\": \"earlier\",\n"
        " \"effective\": \"%s\", \"entries\": [\n"
        "  {\"op\": \"rename\", \"unit\": \"ubnd-vinh\", \"name\": \"UBND TP Vinh\"}]}",
        date);
    g_autoptr (JsonNode) reply = NULL;

    g_assert_cmpuint (
        fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, later, &reply), ==, 201);
    g_clear_pointer (&reply, json_node_unref);
    g_assert_cmpuint (
        fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, earlier, &reply), ==, 422);
    g_assert_cmpstr (json_object_get_string_member (object_of (reply), "field"), ==, "entries[0]");
    g_assert_nonnull (strstr (json_object_get_string_member (object_of (reply), "message"),
                              "line 3: overlapping periods"));
  }
}

static void
test_not_json_and_roles (Fixture *f, gconstpointer data)
{
  g_autofree gchar *file = reorg_file ("vinh", 3, "");
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/reorganisations", f->admin,
                       "{\"format\": \"vc-province-reorganisation/1\",\n\"name\": ", &reply),
      ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (reply), "message"), "2:"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/reorganisations", f->sec_ubnd, file, &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/reorganisations", f->manager, file, &reply), ==, 403);
  g_assert_cmpuint (count_reorganisations (f), ==, 0);
}

/* vc-scheduler reorg preview|apply FILE on a database of its own. */
static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree gchar *exe = g_build_filename (VC_TEST_BUILD_DIR, "scheduler", "vc-scheduler", NULL);
  g_autofree gchar *db = g_build_filename (f->dir, "cli.db", NULL);
  g_autofree gchar *good = g_build_filename (f->dir, "good.json", NULL);
  g_autofree gchar *bad = g_build_filename (f->dir, "bad.json", NULL);
  g_autofree gchar *good_text = reorg_file ("cli", 3, "");
  g_autofree gchar *bad_text
      = reorg_file ("cli-bad", 3, ",\n  {\"op\": \"merge\", \"units\": [\"ubnd-cua-lo\"]}");
  const gchar *runs[][2]
      = { { "preview", "good" }, { "apply", "good" }, { "apply", "good" }, { "preview", "bad" } };
  const gint expect[] = { 0, 0, 1, 1 };
  const gchar *expect_text[] = { "\"applied\" : false", "\"applied\" : true", "was applied",
                                 "entries[5] (line 10): merge needs 'into'" };

  g_assert_true (g_file_set_contents (good, good_text, -1, NULL));
  g_assert_true (g_file_set_contents (bad, bad_text, -1, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      const gchar *argv[]
          = { exe, "--db", db, "reorg", runs[i][0], g_str_equal (runs[i][1], "good") ? good : bad,
              NULL };
      g_autofree gchar *out = NULL, *err = NULL;
      g_autoptr (GError) error = NULL;
      gint status = 0;

      g_assert_true (g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                   &err, &status, &error));
      g_assert_no_error (error);
      g_test_message ("%s %s: %s%s", runs[i][0], runs[i][1], out, err);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, expect[i]);
      g_assert_nonnull (strstr (expect[i] == 0 ? out : err, expect_text[i]));
    }
}

/* The example shipped in conf/ (Nghệ An's 21 district-level units ending
 * on 01/07/2025) is a valid file for the shipped roster: 42 units end, 42
 * rooms move to the commune level; afterwards no district unit books. */
static void
test_nghe_an_example (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (VC_TEST_SOURCE_DIR, "conf",
                                             "reorg-nghe-an-2025-07-01.example.json", NULL);
  g_autofree gchar *file = NULL;
  g_autoptr (JsonNode) reply = NULL;
  guint ended = 0;
  JsonArray *changes;

  g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/reorganisations", f->admin, file, &reply),
                    ==, 201);
  changes = json_object_get_array_member (object_of (reply), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    ended += g_str_equal (
        json_object_get_string_member (json_array_get_object_element (changes, i), "change"),
        "ended");
  g_assert_cmpuint (ended, ==, 42);
  g_assert_cmpuint (json_array_get_length (changes), ==, 42 + 2 * 42);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM endpoints WHERE level = 'district'"), ==,
                   0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM units WHERE valid_to IS NULL"), ==, 5);
  g_assert_cmpuint (book (f, f->sec_vinh, "ubnd-vinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 1, &reply),
                    ==, 422);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (book (f, f->sec_ubnd, "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 1, &reply),
                    ==, 201);
}

/* A past meeting of UBND tỉnh in its room and @room, held, straight into
 * the database (bookings cannot be made in the past). */
static void
past_meeting (Fixture *f, const gchar *room, gint year, gint month, gint day)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) at = g_date_time_new (tz, year, month, day, 9, 0, 0);
  sqlite3 *h = sched_db_handle (f->ctx->db);
  gint64 start = g_date_time_to_unix (at);
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO meetings (title, unit, chair, start_at, end_at, status, created_at,"
      " updated_at, held, actual_seconds, present_count, invited_count) VALUES ('Giao ban',"
      " 'ubnd-tinh', 'ubnd-tinh', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'ended', 0, 0, 1,"
      " 3600, 2, 2);"
      "INSERT INTO meeting_endpoints (meeting_id, endpoint, start_at, end_at, active)"
      " SELECT last_insert_rowid(), column1, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1"
      " FROM (VALUES ('ubnd-tinh'), ('%s'));",
      start, start + 3600, start, start + 3600, room);

  g_assert_cmpint (sqlite3_exec (h, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static gint
compare_texts (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The meetings booked in @from–@to (dates) per level, as "level=n ..." in
 * key order. */
static gchar *
level_counts (Fixture *f, const gchar *from, const gchar *to)
{
  g_autofree gchar *path = g_strdup_printf ("/api/v1/stats?from=%s&to=%s&group_by=level", from, to);
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  JsonArray *groups;

  g_assert_cmpuint (fixture_request (f, "GET", path, f->manager, NULL, &reply), ==, 200);
  groups = json_object_get_array_member (object_of (reply), "groups");
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      g_ptr_array_add (parts, g_strdup_printf ("%s=%" G_GINT64_FORMAT,
                                               json_object_get_string_member (g, "key"),
                                               json_object_get_int_member (g, "meetings_booked")));
    }
  g_ptr_array_sort (parts, compare_texts);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" ", (gchar **)parts->pdata);
}

/* PATCH of a room's level keeps its history (issue #16): the statistics
 * "by level at the meeting's date" do not change for the meetings before
 * the change, whether it takes effect now (the default) or at an earlier
 * "effective" date, which splits the room's meetings; the change is in the
 * room's history; an effective date in the future, before the room's last
 * change or malformed is refused (422) and changes nothing. */
static void
test_patch_level_history (Fixture *f, gconstpointer data)
{
  g_autofree gchar *before = NULL, *after = NULL, *split = NULL;
  g_autoptr (JsonNode) reply = NULL;
  JsonArray *changes;

  sched_reports_register (f->ctx, sched_server_get_soup_server (f->server));
  past_meeting (f, "ubnd-anh-son", 2024, 3, 5);
  past_meeting (f, "ubnd-con-cuong", 2024, 3, 6);
  past_meeting (f, "ubnd-con-cuong", 2024, 9, 10);
  before = level_counts (f, "2024-01-01", "2024-12-31");
  g_assert_cmpstr (before, ==, "district=3 province=3");

  /* now: the 2024 meetings keep the district level */
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-anh-son", f->admin,
                                     "{\"level\": \"commune\"}", &reply),
                    ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  after = level_counts (f, "2024-01-01", "2024-12-31");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/endpoints/ubnd-anh-son/history", f->admin, NULL, &reply),
      ==, 200);
  changes = json_object_get_array_member (object_of (reply), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (changes, 0), "change"), ==,
      "level");
  g_clear_pointer (&reply, json_node_unref);

  /* effective 01/07/2024: the September meeting moves, the March one stays */
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-con-cuong", f->admin,
                                     "{\"level\": \"commune\", \"effective\": \"2024-07-01\"}",
                                     &reply),
                    ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  split = level_counts (f, "2024-01-01", "2024-12-31");
  g_assert_cmpstr (split, ==, "commune=1 district=2 province=3");

  /* refused: before the last change, in the future, malformed */
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-con-cuong", f->admin,
                                     "{\"level\": \"district\", \"effective\": \"2024-06-01\"}",
                                     &reply),
                    ==, 422);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-con-cuong", f->admin,
                                     "{\"level\": \"district\", \"effective\": \"2099-01-01\"}",
                                     &reply),
                    ==, 422);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-con-cuong", f->admin,
                                     "{\"level\": \"district\", \"effective\": \"01/07/2024\"}",
                                     &reply),
                    ==, 422);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM endpoints WHERE code = 'ubnd-con-cuong'"
                                     " AND level = 'commune'"),
                   ==, 1);
  {
    g_autofree gchar *unchanged = level_counts (f, "2024-01-01", "2024-12-31");
    g_assert_cmpstr (unchanged, ==, split);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/sched-core/reorg/" name, Fixture, NULL, setup, fn, fixture_teardown)
  ADD ("bad-line-changes-nothing", test_bad_line_changes_nothing);
  ADD ("preview-apply-twice", test_preview_apply_twice);
  ADD ("booking-after-dissolution", test_booking_after_dissolution);
  ADD ("whole-file-rules", test_whole_file_rules);
  ADD ("not-json-and-roles", test_not_json_and_roles);
  ADD ("cli", test_cli);
  ADD ("nghe-an-example", test_nghe_an_example);
  ADD ("patch-level-history", test_patch_level_history);
  return g_test_run ();
}
