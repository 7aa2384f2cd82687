/* test-holidays.c — the holidays an administrator enters through the API
 * (issue #17): who may write, every refusal leaving the calendar and the
 * audit log as they were, the entry over the file's days and over the
 * provisional lunar Tết, effective at once for the series preview and
 * booking, audited, kept across a restart. Against the library's server on
 * 127.0.0.1:0 in this process, with a fake clock. */
#include "sched-test-fixture.h"

#include "sched-error.h"
#include "sched-holiday-admin.h"

static void
setup (Fixture *f, gconstpointer data)
{
  fixture_setup_full (f, TRUE);
}

static const gchar *
member_string (JsonNode *n, const gchar *name)
{
  return json_object_get_string_member (json_node_get_object (n), name);
}

/* The day @date of GET /api/v1/holidays?year=@year, or NULL; the reply is
 * kept in @keep. */
static JsonObject *
holiday_day (Fixture *f, gint year, const gchar *date, JsonNode **keep)
{
  g_autofree gchar *path = g_strdup_printf ("/api/v1/holidays?year=%d", year);
  JsonArray *days;

  g_clear_pointer (keep, json_node_unref);
  g_assert_cmpuint (fixture_request (f, "GET", path, f->sec_ubnd, NULL, keep), ==, 200);
  days = json_object_get_array_member (json_node_get_object (*keep), "holidays");
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonObject *d = json_array_get_object_element (days, i);
      if (g_str_equal (json_object_get_string_member (d, "date"), date))
        return d;
    }
  return NULL;
}

static gboolean
year_misses (JsonNode *year, const gchar *what)
{
  JsonArray *missing = json_object_get_array_member (json_node_get_object (year), "missing");

  for (guint i = 0; i < json_array_get_length (missing); i++)
    if (g_str_equal (json_array_get_string_element (missing, i), what))
      return TRUE;
  return FALSE;
}

static gint64
count_computed (JsonNode *year)
{
  JsonArray *days = json_object_get_array_member (json_node_get_object (year), "holidays");
  gint64 n = 0;

  for (guint i = 0; i < json_array_get_length (days); i++)
    n += g_str_equal (
        json_object_get_string_member (json_array_get_object_element (days, i), "source"),
        "computed");
  return n;
}

static const gchar TET_2027[] = "{\"start\":\"2027-02-05\",\"end\":\"2027-02-10\","
                                "\"name\":\"Tết Nguyên Đán\",\"name_en\":\"Lunar New Year\"}";

static void
test_roles (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/holidays", NULL, TET_2027, &reply), ==,
                    401);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/holidays", f->sec_ubnd, TET_2027, NULL),
                    ==, 403);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/holidays", f->manager, TET_2027, NULL), ==,
                    403);
  g_assert_cmpuint (fixture_request (f, "DELETE", "/api/v1/holidays/1", f->manager, NULL, NULL), ==,
                    403);
  g_assert_cmpuint (
      fixture_request (f, "PATCH", "/api/v1/holidays/1", f->sec_ubnd, "{\"name\":\"x\"}", NULL), ==,
      403);
  g_assert_cmpuint (fixture_request (f, "PUT", "/api/v1/holidays", f->admin, "{}", NULL), ==, 405);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM holidays"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log"), ==, 0);
}

/* A weekly series over Tết 2027: the provisional break skips 08/02 until
 * the administrator enters the official one, which the preview then names
 * at once; deleted, the provisional break is back. */
static void
test_entry_over_provisional_tet (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) created = NULL, changed = NULL, deleted = NULL, year = NULL;
  g_autoptr (JsonNode) preview = NULL, after = NULL, again = NULL;
  g_autofree gchar *s = fixture_local (2027, 2, 1, 8, 0);
  g_autofree gchar *e = fixture_local (2027, 2, 1, 9, 0);
  g_autofree gchar *series = g_strdup_printf (
      "{\"title\":\"Giao ban tuần\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\","
      "\"recurrence\":{\"freq\":\"weekly\",\"count\":3,\"byday\":[\"MO\"]}}",
      s, e);
  g_autofree gchar *today = fixture_local (2027, 1, 4, 9, 0);
  g_autofree gchar *path = NULL;
  JsonObject *day, *occ;

  g_assert_true (vc_time_parse (today, &fixture_fake_now_value));
  f->core->now = fixture_fake_now;
  day = holiday_day (f, 2027, "2027-02-08", &year);
  g_assert_nonnull (day);
  g_assert_true (json_object_get_boolean_member (day, "provisional"));
  g_assert_cmpstr (json_object_get_string_member (day, "source"), ==, "computed");
  g_assert_true (year_misses (year, "tet"));

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/holidays", f->admin, TET_2027, &created),
                    ==, 201);
  g_assert_cmpstr (member_string (created, "start"), ==, "2027-02-05");
  g_assert_cmpstr (member_string (created, "end"), ==, "2027-02-10");
  g_assert_cmpstr (member_string (created, "name_en"), ==, "Lunar New Year");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (created), "official"));
  path = g_strdup_printf ("/api/v1/holidays/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (created), "id"));

  day = holiday_day (f, 2027, "2027-02-08", &year);
  g_assert_cmpstr (json_object_get_string_member (day, "name"), ==, "Tết Nguyên Đán");
  g_assert_cmpstr (json_object_get_string_member (day, "name_en"), ==, "Lunar New Year");
  g_assert_false (json_object_get_boolean_member (day, "provisional"));
  g_assert_cmpstr (json_object_get_string_member (day, "source"), ==, "admin");
  g_assert_false (year_misses (year, "tet"));
  g_assert_false (year_misses (year, "year"));    /* an official entry lists the year */
  g_assert_cmpint (count_computed (year), ==, 1); /* Giỗ Tổ only */
  g_assert_nonnull (holiday_day (f, 2027, "2027-02-10", &year));
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (json_node_get_object (year), "entries")),
      ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log "
                                     "WHERE action = 'holiday_created' AND actor LIKE 'admin%'"),
                   ==, 1);

  /* At once in the series preview: the official name, not provisional. */
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings/preview", f->sec_ubnd, series, &preview), ==,
      200);
  occ = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (preview), "occurrences"), 1);
  g_assert_cmpstr (json_object_get_string_member (occ, "holiday"), ==, "Tết Nguyên Đán");
  g_assert_false (json_object_get_boolean_member (occ, "provisional"));

  /* Changed: two more days, no English name. */
  g_assert_cmpuint (fixture_request (f, "PATCH", path, f->admin,
                                     "{\"end\":\"2027-02-12\",\"name_en\":null}", &changed),
                    ==, 200);
  g_assert_cmpstr (member_string (changed, "end"), ==, "2027-02-12");
  g_assert_cmpstr (member_string (changed, "name"), ==, "Tết Nguyên Đán");
  day = holiday_day (f, 2027, "2027-02-12", &year);
  g_assert_nonnull (day);
  g_assert_true (json_object_get_null_member (day, "name_en"));
  g_assert_cmpint (fixture_count (f,
                                  "SELECT count(*) FROM audit_log WHERE action = 'holiday_changed' "
                                  "AND json_extract(detail, '$.before.end') = '2027-02-10' "
                                  "AND json_extract(detail, '$.after.end') = '2027-02-12'"),
                   ==, 1);

  /* Deleted: the computed break is back, and the preview marks it. */
  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->admin, NULL, &deleted), ==, 200);
  g_assert_cmpstr (member_string (deleted, "end"), ==, "2027-02-12");
  g_assert_null (holiday_day (f, 2027, "2027-02-12", &year));
  day = holiday_day (f, 2027, "2027-02-08", &year);
  g_assert_true (json_object_get_boolean_member (day, "provisional"));
  g_assert_true (year_misses (year, "tet"));
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings/preview", f->sec_ubnd, series, &after), ==,
      200);
  occ = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (after), "occurrences"), 1);
  g_assert_true (json_object_get_boolean_member (occ, "provisional"));
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log "
                                     "WHERE action = 'holiday_deleted'"),
                   ==, 1);
  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->admin, NULL, &again), ==, 404);
}

/* An entry over a day of the file replaces its name there; a provisional
 * entry on a year's Tết replaces the computed break but leaves the year
 * missing its official Tết; entries come back after a restart. */
static void
test_entry_over_file_and_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) year = NULL, created = NULL, provisional = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedServer) restarted = NULL;
  JsonObject *day;
  gboolean is_provisional = FALSE;
  const gchar *name;

  day = holiday_day (f, 2026, "2026-09-02", &year);
  g_assert_nonnull (day);
  g_assert_cmpstr (json_object_get_string_member (day, "source"), ==, "file");
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/holidays", f->admin,
                       "{\"start\":\"2026-09-01\",\"end\":\"2026-09-02\",\"name\":\"Quốc khánh\","
                       "\"name_en\":\"National Day\"}",
                       &created),
      ==, 201);
  day = holiday_day (f, 2026, "2026-09-02", &year);
  g_assert_cmpstr (json_object_get_string_member (day, "source"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (day, "name_en"), ==, "National Day");

  /* Tết 2028 is 26/01; the province's expected break, not yet decreed. */
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/holidays", f->admin,
                                     "{\"start\":\"2028-01-24\",\"end\":\"2028-01-30\","
                                     "\"name\":\"Tết (dự kiến của tỉnh)\",\"official\":false}",
                                     &provisional),
                    ==, 201);
  day = holiday_day (f, 2028, "2028-01-24", &year);
  g_assert_nonnull (day);
  g_assert_true (json_object_get_boolean_member (day, "provisional"));
  g_assert_cmpstr (json_object_get_string_member (day, "source"), ==, "admin");
  g_assert_cmpstr (
      json_object_get_string_member (holiday_day (f, 2028, "2028-01-26", &year), "name"), ==,
      "Tết (dự kiến của tỉnh)");
  g_assert_cmpint (count_computed (year), ==, 1); /* Giỗ Tổ only */
  g_assert_true (year_misses (year, "tet"));
  g_assert_true (year_misses (year, "year"));

  /* A new server on the same database reads the entries at start. */
  restarted = sched_server_new (f->ctx, &error);
  g_assert_no_error (error);
  name = sched_holidays_lookup_full (sched_server_get_core (restarted)->holidays, 2028, 1, 30,
                                     &is_provisional);
  g_assert_cmpstr (name, ==, "Tết (dự kiến của tỉnh)");
  g_assert_true (is_provisional);
  g_assert_cmpstr (sched_holidays_lookup (sched_server_get_core (restarted)->holidays, 2026, 9, 1),
                   ==, "Quốc khánh");
}

/* @body refused with @status (and the error's @field or @reason when
 * given); nothing stored, nothing audited, the calendar unchanged. */
static void
assert_refused (Fixture *f, const gchar *method, const gchar *path, const gchar *body, guint status,
                const gchar *field, const gchar *reason)
{
  g_autoptr (JsonNode) reply = NULL;
  gint64 rows = fixture_count (f, "SELECT count(*) FROM holidays");
  gint64 audit = fixture_count (f, "SELECT count(*) FROM audit_log");
  gint64 changed_at = fixture_count (f, "SELECT coalesce(max(updated_at), 0) FROM holidays");
  guint got = fixture_request (f, method, path, f->admin, body, &reply);

  g_test_message ("%s %s %s → %u", method, path, body ? body : "", got);
  g_assert_cmpuint (got, ==, status);
  g_assert_nonnull (reply);
  g_assert_nonnull (member_string (reply, "message"));
  if (field)
    g_assert_cmpstr (member_string (reply, "field"), ==, field);
  if (reason)
    g_assert_cmpstr (member_string (reply, "reason"), ==, reason);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM holidays"), ==, rows);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log"), ==, audit);
  g_assert_cmpint (fixture_count (f, "SELECT coalesce(max(updated_at), 0) FROM holidays"), ==,
                   changed_at);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) created = NULL, year = NULL;
  g_autofree gchar *long_name = NULL;
  g_autofree gchar *long_body = NULL;
  g_autofree gchar *path = NULL;
  GString *name = g_string_new (NULL);

  for (gint i = 0; i < SCHED_HOLIDAY_NAME_MAX_CHARS + 1; i++)
    g_string_append (name, "ế");
  long_name = g_string_free (name, FALSE);
  long_body = g_strdup_printf ("{\"start\":\"2027-05-01\",\"name\":\"%s\"}", long_name);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/holidays", f->admin, TET_2027, &created),
                    ==, 201);
  path = g_strdup_printf ("/api/v1/holidays/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (created), "id"));

  assert_refused (f, "POST", "/api/v1/holidays", "{\"start\":\"2027-02-30\",\"name\":\"x\"}", 422,
                  "start", NULL);
  assert_refused (f, "POST", "/api/v1/holidays", "{\"start\":\"27-5-1\",\"name\":\"x\"}", 422,
                  "start", NULL);
  assert_refused (f, "POST", "/api/v1/holidays", "{\"start\":\"1999-05-01\",\"name\":\"x\"}", 422,
                  "start", NULL);
  assert_refused (f, "POST", "/api/v1/holidays",
                  "{\"start\":\"2027-05-01\",\"end\":\"2027-04-30\",\"name\":\"x\"}", 422, "end",
                  "holiday_reversed");
  assert_refused (f, "POST", "/api/v1/holidays",
                  "{\"start\":\"2027-05-01\",\"end\":\"2027-06-15\",\"name\":\"x\"}", 422, "end",
                  "holiday_too_long");
  assert_refused (f, "POST", "/api/v1/holidays", long_body, 422, "name", NULL);
  assert_refused (f, "POST", "/api/v1/holidays", "{\"start\":\"2027-05-01\",\"name\":\"  \"}", 422,
                  "name", NULL);
  assert_refused (f, "POST", "/api/v1/holidays", "{\"start\":\"2027-05-01\"}", 422, "name", NULL);
  assert_refused (f, "POST", "/api/v1/holidays", "{\"name\":\"x\"}", 422, "start", NULL);
  assert_refused (f, "POST", "/api/v1/holidays",
                  "{\"start\":\"2027-05-01\",\"name\":\"x\",\"official\":\"yes\"}", 422, "official",
                  NULL);
  assert_refused (f, "POST", "/api/v1/holidays",
                  "{\"start\":\"2027-05-01\",\"name\":\"x\",\"name_en\":7}", 422, "name_en", NULL);
  assert_refused (f, "POST", "/api/v1/holidays", "{\"start\":", 400, NULL, NULL);
  /* The same days again, or overlapping them. */
  assert_refused (f, "POST", "/api/v1/holidays", TET_2027, 409, "start", "holiday_overlap");
  assert_refused (f, "POST", "/api/v1/holidays",
                  "{\"start\":\"2027-02-10\",\"end\":\"2027-02-11\",\"name\":\"x\"}", 409, "start",
                  "holiday_overlap");
  assert_refused (f, "PATCH", path, "{\"end\":\"2027-02-01\"}", 422, "end", "holiday_reversed");
  assert_refused (f, "PATCH", path, "{\"name\":\"\"}", 422, "name", NULL);
  assert_refused (f, "PATCH", "/api/v1/holidays/9999", "{\"name\":\"x\"}", 404, NULL, NULL);
  assert_refused (f, "DELETE", "/api/v1/holidays/9999", NULL, 404, NULL, NULL);
  assert_refused (f, "DELETE", "/api/v1/holidays/abc", NULL, 404, NULL, NULL);
  assert_refused (f, "GET", "/api/v1/holidays/1/x", NULL, 404, NULL, NULL);

  /* The calendar is the first entry's. */
  g_assert_nonnull (holiday_day (f, 2027, "2027-02-10", &year));
  g_assert_null (holiday_day (f, 2027, "2027-02-11", &year));
  g_assert_cmpstr (
      json_object_get_string_member (holiday_day (f, 2027, "2027-05-01", &year), "source"), ==,
      "file");
  /* A change that keeps its own days is no overlap with itself. */
  g_assert_cmpuint (
      fixture_request (f, "PATCH", path, f->admin, "{\"start\":\"2027-02-06\"}", NULL), ==, 200);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/sched-core/holidays/" name, Fixture, NULL, setup, fn, fixture_teardown)
  ADD ("roles", test_roles);
  ADD ("entry-over-provisional-tet", test_entry_over_provisional_tet);
  ADD ("entry-over-file-and-restart", test_entry_over_file_and_restart);
  ADD ("bad-input", test_bad_input);
  return g_test_run ();
}
