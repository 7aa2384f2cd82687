/* test-booking.c — the booking rules through the library, without HTTP:
 * validation, half-open overlaps, bridge capacity, pre-emption, recurrence
 * with holidays, roles, changes, and the attendance-derived columns. The
 * clock is a fake (SchedCore.now), so dates are fixed in 2026. */
#include "sched-test-schema-v4.h"
#include "sched-test-fixture.h"

#include "sched-attendance.h"
#include "sched-error.h"
#include "sched-history.h"
#include "sched-model-unit.h"

static SchedPrincipal admin_p = { .role = SCHED_ROLE_ADMIN, .name = (gchar *)"admin" };
static SchedPrincipal ubnd_p
    = { .role = SCHED_ROLE_SECRETARIAT, .unit = (gchar *)"ubnd-tinh", .name = (gchar *)"VP UBND" };
static SchedPrincipal tinh_uy_p
    = { .role = SCHED_ROLE_SECRETARIAT, .unit = (gchar *)"tinh-uy", .name = (gchar *)"VP Tỉnh ủy" };
static SchedPrincipal vinh_p = { .role = SCHED_ROLE_SECRETARIAT,
                                 .unit = (gchar *)"ubnd-vinh",
                                 .name = (gchar *)"VP UBND Vinh" };
static SchedPrincipal manager_p = { .role = SCHED_ROLE_MANAGER, .name = (gchar *)"Sở TT&TT" };
static SchedPrincipal room_p
    = { .role = SCHED_ROLE_ENDPOINT, .endpoint = (gchar *)"ubnd-anh-son", .name = (gchar *)"room" };

static void
setup (Fixture *f, gconstpointer data)
{
  fixture_setup_full (f, FALSE);
  /* Monday 05/01/2026 07:00 local. */
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 1, 5, 7, 0, 0);
  fixture_fake_now_value = g_date_time_to_unix (now);
  f->core->now = fixture_fake_now;
}

static JsonObject *
parse_object (const gchar *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (p, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

/* Books local 2026-MM-DD h1:m1–h2:m2; returns the 201 body or NULL. */
static JsonNode *
book (Fixture *f, const SchedPrincipal *who, const gchar *unit, const gchar *chair,
      const gchar *rooms, gint mo, gint d, gint h1, gint m1, gint h2, gint m2, const gchar *more,
      JsonObject **extra, GError **error)
{
  g_autofree gchar *s = fixture_local (2026, mo, d, h1, m1);
  g_autofree gchar *e = fixture_local (2026, mo, d, h2, m2);
  g_autofree gchar *text = g_strdup_printf (
      "{\"title\":\"Giao ban\",\"unit\":\"%s\",\"chair\":\"%s\",\"endpoints\":%s,"
      "\"start\":\"%s\",\"end\":\"%s\"%s%s}",
      unit, chair, rooms, s, e, more ? "," : "", more ? more : "");
  g_autoptr (JsonObject) o = parse_object (text);
  JsonObject *ignored = NULL;
  JsonNode *n = sched_booking_create (f->core, who, o, extra ? extra : &ignored, error);

  g_clear_pointer (&ignored, json_object_unref);
  return n;
}

static gint64
node_id (JsonNode *n)
{
  return json_object_get_int_member (json_node_get_object (n), "id");
}

static void
test_roster_loaded (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM endpoints"), ==, 44);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM endpoints WHERE level = 'province'"), ==,
                   2);
  g_assert_cmpint (
      fixture_count (
          f, "SELECT count(*) FROM endpoints WHERE code LIKE 'ubnd-%' AND level = 'district'"),
      ==, 21);
  g_assert_cmpint (fixture_count (f, "SELECT priority FROM units WHERE code = 'tinh-uy'"), >,
                   fixture_count (f, "SELECT priority FROM units WHERE code = 'ubnd-tinh'"));
  g_assert_cmpint (fixture_count (f, "SELECT priority FROM units WHERE code = 'so-tttt'"), >,
                   fixture_count (f, "SELECT priority FROM units WHERE code = 'ubnd-vinh'"));
  g_assert_cmpint (fixture_count (f, "PRAGMA user_version"), ==, SCHED_DB_SCHEMA_VERSION);
  g_assert_cmpuint (sched_holidays_count (f->core->holidays), >, 20);
}

static void
expect_invalid (Fixture *f, const gchar *unit, const gchar *chair, const gchar *rooms, gint mo,
                gint d, gint h1, gint h2, const gchar *field)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) n
      = book (f, &admin_p, unit, chair, rooms, mo, d, h1, 0, h2, 0, NULL, NULL, &error);
  g_autofree gchar *got = NULL;

  g_assert_null (n);
  g_assert_error (error, SCHED_ERROR, SCHED_ERROR_INVALID);
  got = sched_error_get_field (error);
  g_assert_cmpstr (got, ==, field);
}

static void
test_rules (Fixture *f, gconstpointer data)
{
  const gchar *two = "[\"ubnd-tinh\",\"ubnd-vinh\"]";

  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", two, 3, 3, 9, 8, "end");   /* end before start */
  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", two, 3, 3, 9, 9, "end");   /* empty */
  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", two, 1, 2, 8, 9, "start"); /* past */
  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", two, 3, 3, 6, 19, "end");  /* 13 h */
  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\"]", 3, 3, 8, 9, "endpoints");
  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-tinh\"]", 3, 3, 8, 9,
                  "endpoints");
  expect_invalid (f, "ubnd-tinh", "tinh-uy", two, 3, 3, 8, 9, "chair");
  expect_invalid (f, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"nowhere\"]", 3, 3, 8, 9,
                  "endpoints");
  expect_invalid (f, "no-such-unit", "ubnd-tinh", two, 3, 3, 8, 9, "unit");
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);

  /* Exactly 12 h is allowed. */
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) ok
      = book (f, &admin_p, "ubnd-tinh", "ubnd-tinh", two, 3, 3, 6, 0, 18, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ok), "status"), ==,
                   "scheduled");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (ok), "version"), ==, 1);
  g_assert_cmpuint (f->hooks_meeting_changed, ==, 1);
  g_assert_cmpuint (f->hooks_schedule_changed, ==, 2);
}

static void
test_overlap_half_open (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) a
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 3, 8, 0, 9,
              0, NULL, NULL, &e1);
  g_autoptr (JsonNode) b
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-cua-lo\"]", 3, 3, 9, 0,
              10, 0, NULL, NULL, &e2); /* touches a: fine */
  g_autoptr (JsonNode) c = NULL;
  JsonArray *conflicts, *suggestions;

  g_assert_no_error (e1);
  g_assert_no_error (e2);
  c = book (f, &ubnd_p, "ubnd-tinh", "ubnd-vinh", "[\"ubnd-vinh\",\"ubnd-cua-lo\"]", 3, 3, 8, 30, 9,
            30, NULL, &extra, &e3);
  g_assert_null (c);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  conflicts = json_object_get_array_member (extra, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 2);
  JsonObject *c0 = json_array_get_object_element (conflicts, 0);
  g_assert_cmpstr (json_object_get_string_member (c0, "endpoint"), ==, "ubnd-vinh");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (c0, "meeting"), "id"),
                   ==, node_id (a));
  suggestions = json_object_get_array_member (extra, "suggestions");
  g_assert_cmpuint (json_array_get_length (suggestions), ==, 3);
  /* First free hour for both rooms: 10:00 local (after b). */
  g_autofree gchar *ten = fixture_local (2026, 3, 3, 10, 0);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (suggestions, 0), "start"), ==,
      ten);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 2);
}

static void
test_capacity (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_autoptr (JsonObject) extra = NULL;

  f->ctx->settings->bridge_capacity = 4;
  g_autoptr (JsonNode) a
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 3, 8, 0, 10,
              0, NULL, NULL, &e1);
  g_autoptr (JsonNode) b
      = book (f, &tinh_uy_p, "tinh-uy", "tinh-uy", "[\"tinh-uy\",\"thanh-uy-vinh\"]", 3, 3, 9, 0,
              11, 0, NULL, NULL, &e2);
  g_assert_no_error (e1);
  g_assert_no_error (e2);
  g_autoptr (JsonNode) c
      = book (f, &admin_p, "so-tttt", "ubnd-cua-lo", "[\"ubnd-cua-lo\",\"thi-uy-cua-lo\"]", 3, 3, 9,
              30, 10, 30, NULL, &extra, &e3);
  g_assert_null (c);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (extra, "capacity"), "peak"), ==,
      6);
  /* After a ends (10:00) there is room: half-open again. */
  g_autoptr (JsonNode) d
      = book (f, &admin_p, "so-tttt", "ubnd-cua-lo", "[\"ubnd-cua-lo\",\"thi-uy-cua-lo\"]", 3, 3,
              10, 0, 11, 0, NULL, NULL, &e4);
  g_assert_no_error (e4);
}

/* Issue #12, finding 3: with the bridge's max_rooms = 2 (as its GET
 * /capacity says), a third overlapping meeting was booked and never got a
 * room. It is refused at booking, naming the limit; a meeting that does not
 * overlap both is not; a higher-priority unit pre-empts the lower-priority
 * meeting that holds the bridge, even with no room in common. */
static void
test_bridge_max_rooms (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;
  g_autoptr (JsonObject) extra = NULL, extra2 = NULL;
  JsonObject *capacity;
  JsonArray *displaced;

  f->ctx->bridge_max_rooms = 2;
  f->ctx->bridge_max_participants = 200;
  g_autoptr (JsonNode) a
      = book (f, &vinh_p, "ubnd-vinh", "ubnd-vinh", "[\"ubnd-vinh\",\"thanh-uy-vinh\"]", 3, 3, 8, 0,
              10, 0, NULL, NULL, &e1);
  g_autoptr (JsonNode) b
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-cua-lo\"]", 3, 3, 9, 0,
              11, 0, NULL, NULL, &e2);
  g_assert_no_error (e1);
  g_assert_no_error (e2);
  /* 9:30-10:00 overlaps both: a third room on the bridge */
  g_autoptr (JsonNode) c
      = book (f, &vinh_p, "ubnd-vinh", "ubnd-dien-chau", "[\"ubnd-dien-chau\",\"ubnd-do-luong\"]",
              3, 3, 9, 30, 10, 30, NULL, &extra, &e3);
  g_assert_null (c);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  g_assert_nonnull (strstr (e3->message, "max_rooms is 2"));
  capacity = json_object_get_object_member (extra, "capacity");
  g_assert_cmpstr (json_object_get_string_member (capacity, "setting"), ==, "max_rooms");
  g_assert_cmpint (json_object_get_int_member (capacity, "limit"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (capacity, "peak"), ==, 3);
  /* the first free slot suggested: 10:00, when a has ended */
  g_autofree gchar *ten = fixture_local (2026, 3, 3, 10, 0);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_array_get_object_element (json_object_get_array_member (extra, "suggestions"), 0),
          "start"),
      ==, ten);
  /* 10:00-11:00 overlaps b only (a ends at 10:00, half-open) */
  g_autoptr (JsonNode) d
      = book (f, &vinh_p, "ubnd-vinh", "ubnd-dien-chau", "[\"ubnd-dien-chau\",\"ubnd-do-luong\"]",
              3, 3, 10, 0, 11, 0, NULL, NULL, &e4);
  g_assert_no_error (e4);
  /* the same unit cannot pre-empt for capacity (same priority) */
  g_autoptr (JsonNode) same
      = book (f, &vinh_p, "ubnd-vinh", "ubnd-anh-son", "[\"ubnd-anh-son\",\"ubnd-con-cuong\"]", 3,
              3, 9, 0, 9, 30, "\"preempt\":true", &extra2, &e5);
  g_assert_error (e5, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  /* Tỉnh ủy (100) at 8:30-9:00 (a and b: two rooms) pre-empts a
   * (UBND Vinh, 10), the lowest priority, and gets the bridge room */
  g_autoptr (JsonNode) high
      = book (f, &tinh_uy_p, "tinh-uy", "tinh-uy", "[\"tinh-uy\",\"huyen-uy-anh-son\"]", 3, 3, 8,
              30, 9, 30, "\"preempt\":true", NULL, &e6);
  g_assert_no_error (e6);
  displaced = json_object_get_array_member (json_node_get_object (high), "displaced");
  g_assert_cmpuint (json_array_get_length (displaced), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (displaced, 0), "id"),
                   ==, node_id (a));
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings WHERE status = 'displaced'"),
                   ==, 1);
}

static void
test_preempt (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_autoptr (JsonNode) low
      = book (f, &vinh_p, "ubnd-vinh", "ubnd-vinh", "[\"ubnd-vinh\",\"thanh-uy-vinh\"]", 3, 4, 8, 0,
              9, 0, NULL, NULL, &e1);
  g_assert_no_error (e1);
  /* Without preempt: refused. */
  g_autoptr (JsonNode) refused
      = book (f, &tinh_uy_p, "tinh-uy", "tinh-uy", "[\"tinh-uy\",\"ubnd-vinh\"]", 3, 4, 8, 30, 9,
              30, NULL, NULL, &e2);
  g_assert_error (e2, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  /* A lower unit cannot pre-empt a higher one. */
  g_autoptr (JsonNode) high
      = book (f, &tinh_uy_p, "tinh-uy", "tinh-uy", "[\"tinh-uy\",\"ubnd-vinh\"]", 3, 4, 8, 30, 9,
              30, "\"preempt\":true", NULL, &e3);
  g_assert_no_error (e3);
  JsonArray *displaced = json_object_get_array_member (json_node_get_object (high), "displaced");
  g_assert_cmpuint (json_array_get_length (displaced), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (displaced, 0), "status"), ==,
      "displaced");
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log WHERE action = 'displaced'"),
                   ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings WHERE status = 'displaced'"),
                   ==, 1);
  /* thanh-uy-vinh is free again (its meeting was displaced). */
  g_autoptr (JsonNode) back
      = book (f, &vinh_p, "ubnd-vinh", "thanh-uy-vinh", "[\"thanh-uy-vinh\",\"ubnd-tinh\"]", 3, 4,
              8, 0, 9, 0, "\"preempt\":true", NULL, &e4);
  g_assert_no_error (e4);
  g_autoptr (GError) e5 = NULL;
  g_autoptr (JsonNode) lower
      = book (f, &vinh_p, "ubnd-vinh", "ubnd-vinh", "[\"ubnd-vinh\",\"ubnd-cua-lo\"]", 3, 4, 9, 0,
              9, 30, "\"preempt\":true", NULL, &e5);
  g_assert_error (e5, SCHED_ERROR, SCHED_ERROR_CONFLICT);
}

static void
test_recurrence_holidays (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* Mondays from 02/02/2026: 16/02 falls in the Tết break (14–22/02). A
   * holiday does not use up one of the 6 meetings asked for (#17): the
   * series runs a week longer, to 16/03. */
  g_autoptr (JsonNode) n = book (
      f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 2, 2, 8, 0, 9, 0,
      "\"recurrence\":{\"freq\":\"weekly\",\"count\":6,\"byday\":[\"MO\"]}", NULL, &error);
  JsonObject *o;
  JsonArray *occ, *skipped;

  g_assert_no_error (error);
  o = json_node_get_object (n);
  g_assert_cmpint (json_object_get_int_member (o, "series_id"), >, 0);
  occ = json_object_get_array_member (o, "occurrences");
  skipped = json_object_get_array_member (o, "skipped");
  g_assert_cmpuint (json_array_get_length (occ), ==, 6);
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  g_autofree gchar *tet = fixture_local (2026, 2, 16, 8, 0);
  JsonObject *s0 = json_array_get_object_element (skipped, 0);
  g_assert_cmpstr (json_object_get_string_member (s0, "start"), ==, tet);
  g_assert_cmpstr (json_object_get_string_member (s0, "reason"), ==, "holiday");
  g_autofree gchar *last = fixture_local (2026, 3, 16, 8, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (occ, 5), "start"),
                   ==, last);

  /* Daily over Tết, local days: 12/02 .. 23/02 → 12, 13, 23 booked. */
  g_autoptr (GError) e2 = NULL;
  g_autoptr (JsonNode) d = book (
      f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-cua-lo\"]", 2, 12, 14, 0, 15, 0,
      "\"recurrence\":{\"freq\":\"daily\",\"until\":\"2026-02-23T08:00:00Z\"}", NULL, &e2);
  g_assert_no_error (e2);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (d), "occurrences")),
                    ==, 3);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (json_node_get_object (d), "skipped")),
      ==, 9);

  /* A conflicting occurrence: refused as a whole, or skipped when asked. */
  g_autoptr (GError) e3 = NULL, e4 = NULL;
  g_autoptr (JsonNode) r
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-cua-lo", "[\"ubnd-cua-lo\",\"ubnd-do-luong\"]", 2, 23,
              14, 30, 15, 30, "\"recurrence\":{\"freq\":\"weekly\",\"count\":3}", NULL, &e3);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  gint64 before = fixture_count (f, "SELECT count(*) FROM meetings");
  g_autoptr (JsonNode) k = book (
      f, &ubnd_p, "ubnd-tinh", "ubnd-cua-lo", "[\"ubnd-cua-lo\",\"ubnd-do-luong\"]", 2, 23, 14, 30,
      15, 30, "\"recurrence\":{\"freq\":\"weekly\",\"count\":3},\"skip_conflicts\":true", NULL,
      &e4);
  g_assert_no_error (e4);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, before + 2);
  skipped = json_object_get_array_member (json_node_get_object (k), "skipped");
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (skipped, 0), "reason"), ==,
      "conflict");
}

static void
test_recurrence_limits (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_autoptr (JsonNode) a
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9,
              0, "\"recurrence\":{\"freq\":\"daily\",\"count\":367}", NULL, &e1);
  g_autoptr (JsonNode) b = book (
      f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9, 0,
      "\"recurrence\":{\"freq\":\"daily\",\"until\":\"2028-01-01T00:00:00Z\"}", NULL, &e2);
  g_autoptr (JsonNode) c
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9,
              0, "\"recurrence\":{\"freq\":\"yearly\",\"count\":2}", NULL, &e3);
  g_autoptr (JsonNode) d
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9,
              0, "\"recurrence\":{\"freq\":\"weekly\",\"count\":2,\"byday\":[\"XX\"]}", NULL, &e4);

  g_assert_error (e1, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_error (e2, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_error (e4, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM series"), ==, 0);
}

/* Every room of the roster as a JSON array, the chair ubnd-tinh among them. */
static gchar *
all_rooms_json (Fixture *f)
{
  sqlite3_stmt *st = NULL;
  gchar *json;

  g_assert_cmpint (sqlite3_prepare_v2 (sched_db_handle (f->ctx->db),
                                       "SELECT '[' || group_concat('\"' || code || '\"') || ']' "
                                       "FROM endpoints WHERE deleted = 0",
                                       -1, &st, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  json = g_strdup ((const gchar *)sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return json;
}

static void
assert_nothing_booked (Fixture *f)
{
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meeting_endpoints"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM series"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log"), ==, 0);
}

/* Issue #12, finding 8: one secretariat booked all 44 rooms, 12 h a day,
 * every day for a year. The same request is refused by the weekly
 * room-hour quota, naming it, with nothing written; a normal weekly series
 * of a year still books. */
static void
test_quota_year_of_everything (Fixture *f, gconstpointer data)
{
  g_autofree gchar *rooms = all_rooms_json (f);
  g_autoptr (GError) e1 = NULL, e2 = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) all
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 1, 6, 6, 0, 18, 0,
              "\"recurrence\":{\"freq\":\"daily\",\"count\":363}", &extra, &e1);
  JsonObject *limit;

  g_assert_null (all);
  g_assert_error (e1, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_nonnull (strstr (e1->message, "[limits] unit_room_hours_per_week"));
  g_assert_nonnull (extra);
  limit = json_object_get_object_member (extra, "limit");
  g_assert_cmpstr (json_object_get_string_member (limit, "name"), ==, "unit_room_hours_per_week");
  g_assert_cmpint (json_object_get_int_member (limit, "max_room_hours"), ==, 1200);
  /* Tue 06/01 to Sun 11/01: 6 days × 44 rooms × 12 h */
  g_assert_cmpint (json_object_get_int_member (limit, "room_hours"), ==, 6 * 44 * 12);
  g_assert_cmpstr (json_object_get_string_member (limit, "unit"), ==, "ubnd-tinh");
  assert_nothing_booked (f);

  g_autoptr (JsonNode) weekly
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\",\"tinh-uy\"]", 1,
              6, 8, 0, 10, 0, "\"recurrence\":{\"freq\":\"weekly\",\"count\":52}", NULL, &e2);
  g_assert_no_error (e2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (weekly), "occurrences")),
                    >, 45); /* 52 less the holidays */
}

/* The quota counts what is stored (inside the transaction): each booking
 * alone fits, the third of the week does not; a PATCH that grows a
 * meeting is checked too, and so is a day limit set lower. Admins are
 * exempt. */
static void
test_quota_stored_and_exempt (Fixture *f, gconstpointer data)
{
  g_autofree gchar *rooms = all_rooms_json (f);
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;
  g_autoptr (GError) e7 = NULL;
  g_autoptr (JsonObject) extra = NULL, extra2 = NULL;

  /* 528 room-hours on each of Tue 03/03 and Wed 04/03: 1056 ≤ 1200. */
  g_autoptr (JsonNode) tue
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 3, 6, 0, 18, 0, NULL, NULL, &e1);
  g_autoptr (JsonNode) wed
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 4, 6, 0, 18, 0, NULL, NULL, &e2);
  g_assert_no_error (e1);
  g_assert_no_error (e2);
  g_autoptr (JsonNode) thu
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 5, 6, 0, 18, 0, NULL, &extra, &e3);
  g_assert_null (thu);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (extra, "limit"), "room_hours"), ==,
      3 * 528);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 2);

  /* Another unit has its own quota. */
  g_autoptr (JsonNode) other
      = book (f, &tinh_uy_p, "tinh-uy", "tinh-uy", "[\"tinh-uy\",\"huyen-uy-anh-son\"]", 3, 5, 8, 0,
              9, 0, NULL, NULL, &e4);
  g_assert_no_error (e4);

  /* A small meeting on Thursday fits; growing it to every room does not. */
  g_autoptr (JsonNode) small
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 6, 6, 0, 18,
              0, NULL, NULL, &e5);
  g_assert_no_error (e5);
  {
    g_autofree gchar *text = g_strdup_printf ("{\"endpoints\":%s}", rooms);
    g_autoptr (JsonObject) o = parse_object (text);
    g_autoptr (JsonNode) grown
        = sched_booking_patch (f->core, &ubnd_p, node_id (small), -1, o, &extra2, &e6);
    g_assert_null (grown);
    g_assert_error (e6, SCHED_ERROR, SCHED_ERROR_INVALID);
    g_assert_nonnull (strstr (e6->message, "unit_room_hours_per_week"));
    g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meeting_endpoints WHERE meeting_id = "
                                       "(SELECT max(id) FROM meetings)"),
                     ==, 2);
  }

  /* Admins are exempt. */
  g_autoptr (JsonNode) by_admin
      = book (f, &admin_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 7, 6, 0, 18, 0, NULL, NULL, &e7);
  g_assert_no_error (e7);

  /* A lower day limit (configuration) refuses one long meeting of all rooms. */
  f->ctx->settings->unit_room_seconds_per_day = 500 * 3600;
  {
    g_autoptr (GError) e8 = NULL;
    g_autoptr (JsonNode) day
        = book (f, &tinh_uy_p, "tinh-uy", "tinh-uy", rooms, 3, 10, 6, 0, 18, 0, NULL, NULL, &e8);
    g_assert_error (e8, SCHED_ERROR, SCHED_ERROR_INVALID);
    g_assert_nonnull (strstr (e8->message, "[limits] unit_room_hours_per_day"));
  }
}

/* [limits] max_days_ahead (366): a meeting, or a series' last occurrence,
 * further ahead is refused. */
static void
test_quota_horizon (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
  const gchar *two = "[\"ubnd-tinh\",\"ubnd-vinh\"]";
  g_autofree gchar *s = fixture_local (2027, 2, 2, 8, 0);
  g_autofree gchar *e = fixture_local (2027, 2, 2, 9, 0);
  g_autofree gchar *far
      = g_strdup_printf ("{\"title\":\"x\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
                         "\"endpoints\":%s,\"start\":\"%s\",\"end\":\"%s\"}",
                         two, s, e);
  g_autoptr (JsonObject) o = parse_object (far);
  JsonObject *extra = NULL;
  g_autoptr (JsonNode) a = sched_booking_create (f->core, &admin_p, o, &extra, &e1);
  g_autofree gchar *f1 = sched_error_get_field (e1);

  g_assert_null (a);
  g_assert_error (e1, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_cmpstr (f1, ==, "start");
  g_assert_nonnull (strstr (e1->message, "max_days_ahead"));

  g_autoptr (JsonNode) b = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", two, 3, 3, 8, 0, 9, 0,
                                 "\"recurrence\":{\"freq\":\"weekly\",\"count\":60}", NULL, &e2);
  g_autofree gchar *f2 = sched_error_get_field (e2);
  g_assert_error (e2, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_assert_cmpstr (f2, ==, "recurrence");
  assert_nothing_booked (f);
  g_autoptr (JsonNode) c = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", two, 3, 3, 8, 0, 9, 0,
                                 "\"recurrence\":{\"freq\":\"weekly\",\"count\":40}", NULL, &e3);
  g_assert_no_error (e3);
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  const SchedPrincipal *refused[] = { &manager_p, &room_p, &vinh_p };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) n
          = book (f, refused[i], "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8,
                  0, 9, 0, NULL, NULL, &error);
      g_assert_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN);
    }
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
  g_autoptr (JsonNode) mine
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9,
              0, NULL, NULL, &e1);
  g_assert_no_error (e1);
  /* Another unit's secretariat may not cancel it; a manager neither. */
  g_autoptr (JsonNode) c1 = sched_booking_cancel (f->core, &tinh_uy_p, node_id (mine), -1, &e2);
  g_assert_error (e2, SCHED_ERROR, SCHED_ERROR_FORBIDDEN);
  g_autoptr (JsonNode) c2 = sched_booking_cancel (f->core, &manager_p, node_id (mine), -1, &e3);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_FORBIDDEN);
}

static void
test_changes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL, e7 = NULL;
  g_autoptr (JsonNode) a
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9,
              0, NULL, NULL, &e1);
  g_autoptr (JsonNode) b
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-cua-lo\"]", 3, 2, 10, 0,
              11, 0, NULL, NULL, &e2);
  gint64 id = node_id (a);
  g_autoptr (JsonObject) move = NULL;
  g_autoptr (JsonObject) extra = NULL;

  g_assert_no_error (e1);
  g_assert_no_error (e2);
  /* Moving a onto b: conflict; stale version: 412; a good change: v2. */
  g_autofree gchar *into_start = fixture_local (2026, 3, 2, 10, 30);
  g_autofree gchar *into_end = fixture_local (2026, 3, 2, 11, 30);
  g_autofree gchar *into
      = g_strdup_printf ("{\"start\":\"%s\",\"end\":\"%s\"}", into_start, into_end);
  move = parse_object (into);
  g_autoptr (JsonNode) p1 = sched_booking_patch (f->core, &ubnd_p, id, 1, move, &extra, &e3);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  g_autoptr (JsonObject) title = parse_object ("{\"title\":\"Giao ban tháng 3\"}");
  g_autoptr (JsonNode) p2 = sched_booking_patch (f->core, &ubnd_p, id, 7, title, &extra, &e4);
  g_assert_error (e4, SCHED_ERROR, SCHED_ERROR_PRECONDITION_FAILED);
  g_autoptr (JsonNode) p3 = sched_booking_patch (f->core, &ubnd_p, id, 1, title, &extra, &e5);
  g_assert_no_error (e5);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (p3), "version"), ==, 2);

  /* Extending a (8–9) by 90 min reaches b on ubnd-tinh (10–11): conflict;
   * by 60 min it touches b: fine. */
  g_autoptr (JsonObject) m90 = parse_object ("{\"minutes\":90}");
  g_autoptr (JsonObject) m60 = parse_object ("{\"minutes\":60}");
  g_autoptr (JsonNode) x1 = sched_booking_extend (f->core, &ubnd_p, id, m90, &extra, &e6);
  g_assert_error (e6, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  g_clear_pointer (&extra, json_object_unref);
  g_autoptr (JsonNode) x2 = sched_booking_extend (f->core, &ubnd_p, id, m60, &extra, &e7);
  g_assert_no_error (e7);
  g_autofree gchar *ten = fixture_local (2026, 3, 2, 10, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (x2), "end"), ==, ten);

  /* End before start: refused; cancel: frees the rooms. */
  g_autoptr (GError) e8 = NULL, e9 = NULL, e10 = NULL;
  g_autoptr (JsonNode) end = sched_booking_end (f->core, &ubnd_p, id, &e8);
  g_assert_error (e8, SCHED_ERROR, SCHED_ERROR_CONFLICT);
  g_autoptr (JsonNode) cancel = sched_booking_cancel (f->core, &ubnd_p, id, -1, &e9);
  g_assert_no_error (e9);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cancel), "status"), ==,
                   "cancelled");
  g_autoptr (JsonNode) again
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 3, 2, 8, 0, 9,
              0, NULL, NULL, &e10);
  g_assert_no_error (e10);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log WHERE action IN "
                                     "('booked','changed','extended','cancelled')"),
                   ==, 6);
}

static void
test_end_running (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL;
  g_autoptr (JsonNode) a
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 1, 5, 7, 0, 9,
              0, NULL, NULL, &e1);
  g_assert_no_error (e1);
  fixture_fake_now_value += 1800; /* 07:30 */
  g_autoptr (JsonNode) ended = sched_booking_end (f->core, &ubnd_p, node_id (a), &e2);
  g_assert_no_error (e2);
  JsonObject *o = json_node_get_object (ended);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "ended");
  g_assert_nonnull (json_object_get_string_member (o, "ended_at"));
  /* The rooms are free from 07:30 on. */
  g_autoptr (GError) e3 = NULL;
  g_autoptr (JsonNode) next
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]", 1, 5, 7, 30, 8,
              30, NULL, NULL, &e3);
  g_assert_no_error (e3);
}

static void
test_attendance_refresh (Fixture *f, gconstpointer data)
{
  /* A past meeting 08:00–10:00 (2025-06-03) with four rooms:
   * tinh-uy 07:55–10:00 present; ubnd-tinh 08:20–10:00 late;
   * ubnd-vinh 08:00–08:30 partial; ubnd-cua-lo absent. */
  const gchar *json
      = "{\"meetings\":[{\"title\":\"Hội nghị\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
        "\"endpoints\":[\"ubnd-tinh\",\"tinh-uy\",\"ubnd-vinh\",\"ubnd-cua-lo\"],"
        "\"start\":\"2025-06-03T01:00:00Z\",\"end\":\"2025-06-03T03:00:00Z\",\"attendance\":["
        "{\"endpoint\":\"tinh-uy\",\"joined_at\":\"2025-06-03T00:55:00Z\",\"left_at\":\"2025-06-"
        "03T03:00:00Z\"},"
        "{\"endpoint\":\"ubnd-tinh\",\"joined_at\":\"2025-06-03T01:20:00Z\",\"left_at\":\"2025-06-"
        "03T03:00:00Z\"},"
        "{\"endpoint\":\"ubnd-vinh\",\"joined_at\":\"2025-06-03T01:00:00Z\",\"left_at\":\"2025-06-"
        "03T01:30:00Z\"}]}]}";
  g_autoptr (JsonObject) o = parse_object (json);
  g_autoptr (GError) error = NULL;
  gint64 imported = 0;

  g_assert_true (sched_history_import (f->core, "test", o, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (imported, ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT held FROM meetings"), ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT imported FROM meetings"), ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT present_count FROM meetings"), ==, 3);
  g_assert_cmpint (fixture_count (f, "SELECT invited_count FROM meetings"), ==, 4);
  /* The second room (ubnd-vinh) joined at 08:00; the last leave is 10:00. */
  g_assert_cmpint (fixture_count (f, "SELECT actual_seconds FROM meetings"), ==, 7200);

  g_autoptr (SchedMeeting) m = sched_meeting_load (f->ctx->db, 1, &error);
  g_autoptr (JsonNode) report = sched_attendance_report (f->core, m, NULL, &error);
  g_assert_no_error (error);
  JsonArray *rooms = json_object_get_array_member (json_node_get_object (report), "endpoints");
  const gchar *want[][2] = { { "tinh-uy", "present" },
                             { "ubnd-cua-lo", "absent" },
                             { "ubnd-tinh", "late" },
                             { "ubnd-vinh", "partial" } };
  g_assert_cmpuint (json_array_get_length (rooms), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *r = json_array_get_object_element (rooms, i);
      g_assert_cmpstr (json_object_get_string_member (r, "endpoint"), ==, want[i][0]);
      g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, want[i][1]);
    }
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rooms, 3), "seconds"),
                   ==, 1800);

  /* One room only: not held. A room outside the meeting: refused, nothing stored. */
  g_autoptr (JsonObject) bad = parse_object (
      "{\"meetings\":[{\"title\":\"x\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"tinh-uy\"],\"start\":\"2025-06-04T01:00:00Z\","
      "\"end\":\"2025-06-04T02:00:00Z\",\"attendance\":[{\"endpoint\":\"ubnd-vinh\","
      "\"joined_at\":\"2025-06-04T01:00:00Z\"}]}]}");
  g_autoptr (GError) e2 = NULL;
  g_assert_false (sched_history_import (f->core, "test", bad, &imported, &e2));
  g_assert_error (e2, SCHED_ERROR, SCHED_ERROR_INVALID);
  g_autofree gchar *field = sched_error_get_field (e2);
  g_assert_cmpstr (field, ==, "meetings[0].attendance[0]");
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 1);
}

/* Rows in the database file itself, read without the WAL (immutable=1): what
 * a power cut would leave once the WAL's unsynced tail is gone. */
static gint
count_in_main_file (const gchar *path, const gchar *code)
{
  g_autofree gchar *uri = g_strconcat ("file:", path, "?immutable=1", NULL);
  sqlite3 *handle = NULL;
  sqlite3_stmt *st = NULL;
  gint n = -1;

  g_assert_cmpint (sqlite3_open_v2 (uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (
      sqlite3_prepare_v2 (handle, "SELECT count(*) FROM units WHERE code = ?1", -1, &st, NULL), ==,
      SQLITE_OK);
  sqlite3_bind_text (st, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (st) == SQLITE_ROW)
    n = sqlite3_column_int (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (handle);
  return n;
}

/* synchronous = NORMAL: a commit is only in the WAL when it returns, and the
 * syncer checkpoints it (syncing the WAL first) within its interval. With
 * FULL and no syncer the same commit stays in the WAL (autocheckpoint is
 * 10,000 pages), which shows the syncer is what moved it. */
static void
test_sync_normal (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (f->dir, "sync.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedDb) db = sched_db_open (path, &error);
  SchedDbSyncer *syncer;

  g_assert_no_error (error);
  g_assert_true (
      sched_db_exec (db, "INSERT INTO units (code, name) VALUES ('before', 'B')", &error));
  g_assert_true (sched_db_set_sync (db, SCHED_DB_SYNC_NORMAL, 20, &error));
  g_assert_no_error (error);
  syncer = sched_db_get_syncer (db);
  g_assert_nonnull (syncer);
  g_assert_true (sched_db_syncer_wait (syncer, 2, 10 * G_USEC_PER_SEC));
  g_assert_cmpint (count_in_main_file (path, "synced"), ==, 0);
  g_assert_true (
      sched_db_exec (db, "INSERT INTO units (code, name) VALUES ('synced', 'S')", &error));
  g_assert_true (sched_db_syncer_wait (syncer, 2, 10 * G_USEC_PER_SEC));
  g_assert_cmpint (count_in_main_file (path, "synced"), ==, 1);
  g_assert_cmpuint (sched_db_syncer_get_checkpoints (syncer), >=, 1);

  g_assert_true (sched_db_set_sync (db, SCHED_DB_SYNC_FULL, 0, &error));
  g_assert_null (sched_db_get_syncer (db));
  g_assert_true (
      sched_db_exec (db, "INSERT INTO units (code, name) VALUES ('in-wal', 'W')", &error));
  g_assert_cmpint (count_in_main_file (path, "in-wal"), ==, 0);
  g_assert_no_error (error);
}

/* A database left at schema v2 (committed earlier) is migrated to the
 * current version, its rooms kept (in their order) and given periods. */
static void
test_migrate_v2 (Fixture *f, gconstpointer data)
{
  const gint rooms_before = 2;
  g_autofree gchar *path = g_build_filename (f->dir, "old.db", NULL);
  g_autoptr (GError) error = NULL;
  SchedDb *db = sched_db_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (sched_db_exec (db,
                                "INSERT INTO units (code, name) VALUES ('u', 'U');"
                                "INSERT INTO endpoints (code, name, level, unit) VALUES"
                                " ('r1', 'R1', 'province', 'u'), ('r2', 'R2', 'district', 'u');",
                                &error));
  g_assert_true (
      sched_db_exec (db,
                     SCHED_TEST_SCHEMA_V4_SHAPE
                     "DROP INDEX meeting_endpoints_by_start_end;"
                     "DROP INDEX meeting_endpoints_by_room_end;"
                     "CREATE INDEX meeting_endpoints_by_start ON meeting_endpoints(start_at)"
                     "  WHERE active = 1;"
                     "PRAGMA user_version = 2;",
                     &error));
  sched_db_close (db);
  db = sched_db_open (path, &error);
  g_assert_no_error (error);
  {
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2 (
        sched_db_handle (db),
        "SELECT (SELECT user_version FROM pragma_user_version), "
        "(SELECT count(*) FROM sqlite_master WHERE name IN "
        "('meeting_endpoints_by_start_end', 'meeting_endpoints_by_room_end')), "
        "(SELECT count(*) FROM sqlite_master WHERE name = 'meeting_endpoints_by_start'), "
        "(SELECT count(*) FROM pragma_table_info('units') WHERE name = 'successor'), "
        "(SELECT count(*) FROM pragma_table_info('endpoints') WHERE name = 'valid_to'), "
        "(SELECT count(*) FROM reorganisations), "
        "(SELECT count(*) FROM endpoints), "
        "(SELECT count(*) FROM pragma_table_info('holidays') WHERE name = 'name_en'), "
        "(SELECT count(*) FROM pragma_table_info('meetings') WHERE name = 'record')"
        " + (SELECT count(*) FROM pragma_table_info('recordings') WHERE name = 'seconds')",
        -1, &st, NULL);
    g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (st, 0), ==, SCHED_DB_SCHEMA_VERSION);
    g_assert_cmpint (sqlite3_column_int (st, 1), ==, 2);
    g_assert_cmpint (sqlite3_column_int (st, 2), ==, 0);
    g_assert_cmpint (sqlite3_column_int (st, 3), ==, 1);
    g_assert_cmpint (sqlite3_column_int (st, 4), ==, 1);
    g_assert_cmpint (sqlite3_column_int (st, 5), ==, 0);
    g_assert_cmpint (sqlite3_column_int (st, 6), ==, rooms_before);
    g_assert_cmpint (sqlite3_column_int (st, 7), ==, 1); /* schema v6 */
    g_assert_cmpint (sqlite3_column_int (st, 8), ==, 2); /* schema v7 */
    sqlite3_finalize (st);
  }
  sched_db_close (db);
  for (const gchar *const *ext = (const gchar *const[]){ "", "-wal", "-shm", NULL }; *ext; ext++)
    {
      g_autofree gchar *p = g_strconcat (path, *ext, NULL);
      g_unlink (p);
    }
}

static gboolean
node_record (JsonNode *n)
{
  return json_object_get_boolean_member (json_node_get_object (n), "record");
}

/* "record": given, else the unit's default, else [recordings]
 * default_record; a PATCH changes it and keeps it when it does not say;
 * a non-boolean is refused naming the field. */
static void
test_record_default (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL, e7 = NULL;
  g_autoptr (GError) e8 = NULL;
  const gchar *rooms = "[\"ubnd-tinh\",\"ubnd-vinh\"]";
  g_autoptr (JsonNode) plain
      = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 2, 8, 0, 9, 0, NULL, NULL, &e1);
  g_autoptr (JsonNode) asked = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 2, 9, 0, 10, 0,
                                     "\"record\":true", NULL, &e2);
  g_autoptr (JsonNode) bad = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 2, 10, 0, 11, 0,
                                   "\"record\":\"yes\"", NULL, &e3);
  g_autoptr (JsonNode) by_unit = NULL, refused = NULL, by_site = NULL, patched = NULL, kept = NULL;
  g_autoptr (JsonObject) off = parse_object ("{\"record\":false}");
  g_autoptr (JsonObject) title = parse_object ("{\"title\":\"Giao ban quý\"}");
  g_autoptr (JsonObject) extra = NULL;
  g_autofree gchar *field = NULL;

  g_assert_no_error (e1);
  g_assert_no_error (e2);
  g_assert_false (node_record (plain)); /* [recordings] default_record = false */
  g_assert_true (node_record (asked));
  g_assert_null (bad);
  g_assert_error (e3, SCHED_ERROR, SCHED_ERROR_INVALID);
  field = sched_error_get_field (e3);
  g_assert_cmpstr (field, ==, "record");

  /* The unit's own default wins over the site's, and "record" over both. */
  g_assert_true (sched_unit_set_record_default (f->ctx->db, "ubnd-tinh", 1, &e4));
  by_unit = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 3, 8, 0, 9, 0, NULL, NULL, &e4);
  g_assert_no_error (e4);
  g_assert_true (node_record (by_unit));
  refused = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 3, 9, 0, 10, 0,
                  "\"record\":false", NULL, &e5);
  g_assert_no_error (e5);
  g_assert_false (node_record (refused));
  g_assert_true (sched_unit_set_record_default (f->ctx->db, "ubnd-tinh", -1, &e6));
  f->ctx->settings->recordings_default_record = TRUE;
  by_site = book (f, &ubnd_p, "ubnd-tinh", "ubnd-tinh", rooms, 3, 4, 8, 0, 9, 0, NULL, NULL, &e6);
  g_assert_no_error (e6);
  g_assert_true (node_record (by_site));
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings WHERE record = 1"), ==, 3);

  /* PATCH: record:false turns it off; a title change keeps it as it is. */
  patched = sched_booking_patch (f->core, &ubnd_p, node_id (by_site), -1, off, &extra, &e7);
  g_assert_no_error (e7);
  g_assert_false (node_record (patched));
  kept = sched_booking_patch (f->core, &ubnd_p, node_id (asked), -1, title, &extra, &e8);
  g_assert_no_error (e8);
  g_assert_true (node_record (kept));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/sched-core/booking/" name, Fixture, NULL, setup, fn, fixture_teardown)
  ADD ("roster", test_roster_loaded);
  ADD ("db-sync-normal", test_sync_normal);
  ADD ("rules", test_rules);
  ADD ("overlap-half-open", test_overlap_half_open);
  ADD ("capacity", test_capacity);
  ADD ("preempt", test_preempt);
  ADD ("bridge-max-rooms", test_bridge_max_rooms);
  ADD ("recurrence-holidays", test_recurrence_holidays);
  ADD ("recurrence-limits", test_recurrence_limits);
  ADD ("quota/year-of-everything", test_quota_year_of_everything);
  ADD ("quota/stored-and-exempt", test_quota_stored_and_exempt);
  ADD ("quota/horizon", test_quota_horizon);
  ADD ("roles", test_roles);
  ADD ("changes", test_changes);
  ADD ("end-running", test_end_running);
  ADD ("attendance-refresh", test_attendance_refresh);
  ADD ("migrate-v2", test_migrate_v2);
  ADD ("record-default", test_record_default);
  return g_test_run ();
}
