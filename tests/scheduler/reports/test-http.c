/* test-http.c — the HTTP handlers on an in-process SoupServer bound
 * to 127.0.0.1:0: 401/403/422/404/405 cases and one 200 per resource. */
#include "reports-fixture.h"
#include "sched-auth.h"
#include "sched-reports.h"
#include "vc-time.h"

#include <json-glib/json-glib.h>

#include <libical/ical.h>
#include <string.h>

#define ROOMS(...) ((const gchar *const[]){ __VA_ARGS__, NULL })

typedef struct
{
  ReportsFixture base;
  SchedSettings settings;
  SchedContext ctx;
  SoupServer *server;
  SoupSession *session;
  gchar *base_url;
  gchar *admin, *manager, *secretariat, *room_vinh, *room_tu;
} HttpFixture;

typedef struct
{
  guint status;
  gchar *body;
  gsize length;
  gchar *content_type;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->content_type, g_free);
}

static gchar *
make_token (HttpFixture *f, SchedRole role, const gchar *unit, const gchar *endpoint)
{
  g_autoptr (GError) error = NULL;
  gchar *token = sched_auth_create_token (f->base.db, role, unit, endpoint, "test", &error);
  g_assert_no_error (error);
  return token;
}

static void
http_set_up (HttpFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  GSList *uris;

  reports_fixture_set_up (&f->base, data);
  f->settings.time_zone = (gchar *)"Asia/Ho_Chi_Minh";
  f->settings.max_body_bytes = 65536;
  f->ctx.settings = &f->settings;
  f->ctx.db = f->base.db;
  f->ctx.tz = f->base.tz;

  f->server = soup_server_new (NULL, NULL);
  sched_reports_register (&f->ctx, f->server);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  soup_server_listen (f->server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_test_message ("server at %s", f->base_url);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  f->session = soup_session_new ();

  f->admin = make_token (f, SCHED_ROLE_ADMIN, NULL, NULL);
  f->manager = make_token (f, SCHED_ROLE_MANAGER, NULL, NULL);
  f->secretariat = make_token (f, SCHED_ROLE_SECRETARIAT, "ubnd-tinh", NULL);
  f->room_vinh = make_token (f, SCHED_ROLE_ENDPOINT, NULL, "d-vinh");
  f->room_tu = make_token (f, SCHED_ROLE_ENDPOINT, NULL, "p-tu");
}

static void
http_tear_down (HttpFixture *f, gconstpointer data)
{
  if (f->session)
    soup_session_abort (f->session);
  g_clear_object (&f->session);
  /* let libsoup close the connections it still holds before the server goes */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->server)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->base_url, g_free);
  g_free (f->admin);
  g_free (f->manager);
  g_free (f->secretariat);
  g_free (f->room_vinh);
  g_free (f->room_tu);
  reports_fixture_tear_down (&f->base, data);
}

typedef struct
{
  GMainLoop *loop;
  GBytes *bytes;
  GError *error;
} Pending;

static void
on_request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  p->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &p->error);
  g_main_loop_quit (p->loop);
}

static gboolean
on_watchdog (gpointer user_data)
{
  g_error ("request did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static Reply
request (HttpFixture *f, const gchar *method, const gchar *path, const gchar *token)
{
  g_autofree gchar *url = g_strconcat (f->base_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  Pending p = { .loop = g_main_loop_new (NULL, FALSE) };
  Reply r = { 0 };
  guint watchdog;

  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree gchar *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  watchdog = g_timeout_add_seconds (30, on_watchdog, NULL);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_request_done, &p);
  g_main_loop_run (p.loop);
  g_source_remove (watchdog);
  g_main_loop_unref (p.loop);
  g_assert_no_error (p.error);
  r.status = soup_message_get_status (msg);
  r.body = g_strndup (g_bytes_get_data (p.bytes, &r.length), g_bytes_get_size (p.bytes));
  r.content_type = g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Type"));
  g_bytes_unref (p.bytes);
  g_test_message ("%s %s -> %u %.200s", method, path, r.status, r.body);
  return r;
}

static JsonObject *
parse_object (const Reply *r, JsonParser *parser)
{
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, r->body, r->length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_error (HttpFixture *f, const gchar *path, const gchar *token, guint status,
              const gchar *field)
{
  Reply r = request (f, "GET", path, token);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  g_assert_cmpuint (r.status, ==, status);
  o = parse_object (&r, parser);
  g_assert_true (json_object_has_member (o, "error"));
  if (field)
    g_assert_cmpstr (json_object_get_string_member_with_default (o, "field", NULL), ==, field);
  reply_clear (&r);
}

static const gchar *const all_paths[] = {
  "/api/v1/stats?from=2024-01-01&to=2024-06-30",
  "/api/v1/stats.csv?from=2024-01-01&to=2024-06-30",
  "/api/v1/reports/summary?from=2024-01-01&to=2024-06-30",
  "/api/v1/calendar.ics?endpoint=d-vinh",
};

static void
test_http_unauthorized (HttpFixture *f, gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (all_paths); i++)
    {
      assert_error (f, all_paths[i], NULL, 401, NULL);
      assert_error (f, all_paths[i], "not-a-token", 401, NULL);
    }
}

static void
test_http_forbidden (HttpFixture *f, gconstpointer data)
{
  /* a room's token: no statistics, no reports, no other room, no unit */
  for (gsize i = 0; i < 3; i++)
    assert_error (f, all_paths[i], f->room_vinh, 403, NULL);
  assert_error (f, "/api/v1/calendar.ics?endpoint=d-vinh", f->room_tu, 403, NULL);
  assert_error (f, "/api/v1/calendar.ics?unit=ubnd-tinh", f->room_vinh, 403, NULL);
  assert_error (f, "/api/v1/calendar.ics?endpoint=no-such-room", f->room_vinh, 403, NULL);
}

static void
test_http_invalid (HttpFixture *f, gconstpointer data)
{
  assert_error (f, "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=room", f->manager, 422,
                "group_by");
  assert_error (f, "/api/v1/stats?from=2024-07-01&to=2024-01-01", f->manager, 422, "to");
  /* a one-day window is fine, from == to for RFC 3339 is not */
  assert_error (f, "/api/v1/stats?from=2024-07-01T00:00:00Z&to=2024-07-01T00:00:00Z", f->manager,
                422, "to");
  assert_error (f, "/api/v1/stats?from=2024-13-01&to=2024-12-31", f->manager, 422, "from");
  assert_error (f, "/api/v1/stats?from=01/01/2024&to=2024-12-31", f->manager, 422, "from");
  assert_error (f, "/api/v1/stats?from=2024-01-01&to=2024-02-30", f->manager, 422, "to");
  assert_error (f, "/api/v1/stats.csv?from=2024-01-01&to=2024-06-30&compare=last_week", f->admin,
                422, "compare");
  assert_error (f, "/api/v1/reports/summary?from=2024-01-01&to=2024-06-30&lang=fr", f->secretariat,
                422, "lang");
  assert_error (f, "/api/v1/calendar.ics?endpoint=no-such-room", f->manager, 422, "endpoint");
  assert_error (f, "/api/v1/calendar.ics?unit=no-such-unit", f->manager, 422, "unit");
  assert_error (f, "/api/v1/calendar.ics", f->manager, 422, "endpoint");
  assert_error (f, "/api/v1/calendar.ics?unit=ubnd-tinh&endpoint=d-vinh", f->manager, 422, "unit");
  assert_error (f, "/api/v1/stats?from=2024-01-01&to=2024-06-30&units=today", f->manager, 422,
                "units");
  assert_error (f, "/api/v1/reports/summary?from=2024-01-01&to=2024-06-30&units=x", f->manager, 422,
                "units");
  assert_error (f, "/api/v1/reports/other", f->manager, 404, NULL);
  {
    Reply r = request (f, "POST", "/api/v1/stats", f->admin);
    g_assert_cmpuint (r.status, ==, 405);
    reply_clear (&r);
  }
}

static void
test_http_ok (HttpFixture *f, gconstpointer data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gint64 soon = vc_time_now () + 86400;
  JsonObject *o, *totals, *change;
  JsonArray *groups;
  Reply r;

  for (gint i = 0; i < 7; i++)
    reports_add_held (&f->base, "ubnd-tinh",
                      reports_local (&f->base, 2024, 1 + i % 6, 5 + i, 8, 0));
  for (gint i = 0; i < 3; i++)
    reports_add_held (&f->base, "tinh-uy", reports_local (&f->base, 2024, 2 + i, 12, 14, 0));
  reports_add_held (&f->base, "so-tttt", reports_local (&f->base, 2024, 4, 22, 9, 0));
  reports_add_held (&f->base, "so-tc", reports_local (&f->base, 2024, 6, 30, 23, 0));
  reports_add_held (&f->base, "so-tc", reports_local (&f->base, 2024, 7, 1, 0, 0)); /* after */
  for (gint i = 0; i < 8; i++)
    reports_add_held (&f->base, "ubnd-tinh", reports_local (&f->base, 2023, 1 + i % 6, 9, 8, 0));
  reports_add_meeting (&f->base, "ubnd-tinh", "Giao ban trực tuyến với các huyện", soon, 90,
                       "scheduled", FALSE, 0, 0, 2, ROOMS ("p-ubnd", "d-vinh"));

  /* JSON statistics, dates as local days, `to` inclusive */
  r = request (f, "GET",
               "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=unit&compare=previous_year",
               f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (r.content_type, ==, "application/json; charset=utf-8");
  o = parse_object (&r, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "from"), ==, "2023-12-31T17:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "to"), ==, "2024-06-30T17:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "group_by"), ==, "unit");
  g_assert_cmpstr (json_object_get_string_member (o, "units"), ==, "historic");
  g_assert_false (json_object_get_boolean_member (o, "units_differ"));
  g_assert_true (json_object_get_null_member (o, "roster_changed_at"));
  totals = json_object_get_object_member (o, "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "meetings_held"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (totals, "meetings_booked"), ==, 12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals, "planned_minutes"), 720.0,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals, "attendance_rate"), 1.0,
                                  1e-9);
  change = json_object_get_object_member (o, "change_pct");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (change, "meetings_held"), 50.0,
                                  1e-9);
  g_assert_true (json_object_get_null_member (change, "meetings_cancelled"));
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "previous"), "from"), ==,
      "2022-12-31T17:00:00Z");
  groups = json_object_get_array_member (o, "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 4);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (groups, 0), "name"), ==,
      "UBND tỉnh");
  reply_clear (&r);

  /* units=successor: the same here (nothing was reorganised) */
  r = request (f, "GET",
               "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=unit&units=successor",
               f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  o = parse_object (&r, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "units"), ==, "successor");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "groups")), ==, 4);
  reply_clear (&r);

  /* the same as CSV */
  r = request (f, "GET", "/api/v1/stats.csv?from=2024-01-01&to=2024-06-30&group_by=month",
               f->secretariat);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (r.content_type, ==, "text/csv; charset=utf-8");
  g_assert_true (g_str_has_prefix (r.body, "\xEF\xBB\xBF"
                                           "month,name,"));
  g_assert_nonnull (strstr (r.body, "\r\n2024-06,06/2024,2,2,"));
  reply_clear (&r);

  /* the report sentence */
  r = request (f, "GET", "/api/v1/reports/summary?from=2024-01-01&to=2024-06-30", f->admin);
  g_assert_cmpuint (r.status, ==, 200);
  o = parse_object (&r, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==,
                   "Từ 01/01/2024 đến 30/06/2024, hệ thống đã phục vụ 12 cuộc họp trực tuyến "
                   "(trong đó UBND tỉnh 07 cuộc, Tỉnh ủy 03 cuộc, Sở Thông tin và Truyền thông "
                   "01 cuộc, Sở Tài chính 01 cuộc), tổng thời gian 10,0 giờ. Số cuộc họp tăng "
                   "50% so với cùng kỳ năm 2023 (08 cuộc).");
  reply_clear (&r);

  /* a room's own feed, by default and by name */
  for (gint i = 0; i < 2; i++)
    {
      icalcomponent *calendar, *event;

      r = request (f, "GET",
                   i == 0 ? "/api/v1/calendar.ics" : "/api/v1/calendar.ics?endpoint=d-vinh",
                   f->room_vinh);
      g_assert_cmpuint (r.status, ==, 200);
      g_assert_cmpstr (r.content_type, ==, "text/calendar; charset=utf-8");
      calendar = icalparser_parse_string (r.body);
      g_assert_nonnull (calendar);
      event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
      g_assert_nonnull (event);
      g_assert_cmpstr (icalcomponent_get_summary (event), ==, "Giao ban trực tuyến với các huyện");
      g_assert_null (icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT));
      icalcomponent_free (calendar);
      reply_clear (&r);
    }

  /* a unit's feed for a reader */
  r = request (f, "GET", "/api/v1/calendar.ics?unit=ubnd-tinh", f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "BEGIN:VEVENT"));
  reply_clear (&r);
}

static void
add_recording (HttpFixture *f, gint64 meeting, gdouble seconds, gboolean deleted)
{
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO recordings (meeting_id, segment, name, bytes, seconds, started_at, fetched_at,"
      " deleted_at) SELECT %" G_GINT64_FORMAT ", 1 + (SELECT count(*) FROM recordings), "
      "'s' || (SELECT count(*) FROM recordings) || '.webm', 1000, %.1f, start_at, start_at, %s"
      " FROM meetings WHERE id = %" G_GINT64_FORMAT,
      meeting, seconds, deleted ? "start_at" : "NULL", meeting);

  reports_exec (&f->base, sql);
}

static gdouble
group_hours (JsonObject *o, const gchar *key)
{
  JsonArray *groups = json_object_get_array_member (o, "groups");

  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      if (g_strcmp0 (json_object_get_string_member (g, "key"), key) == 0)
        return json_object_get_double_member (g, "recorded_hours");
    }
  return -1;
}

/* recorded_hours: the recordings kept of the meetings in the window, per
 * unit, room and month; a deleted one and one outside the window do not
 * count; the meeting figures stay as they were. */
static void
test_http_recorded_hours (HttpFixture *f, gconstpointer data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gint64 a = reports_add_held (&f->base, "ubnd-tinh", reports_local (&f->base, 2024, 3, 5, 8, 0));
  gint64 b = reports_add_held (&f->base, "tinh-uy", reports_local (&f->base, 2024, 4, 9, 8, 0));
  gint64 outside
      = reports_add_held (&f->base, "tinh-uy", reports_local (&f->base, 2024, 8, 9, 8, 0));
  JsonObject *o, *totals;
  Reply r;

  add_recording (f, a, 3600, FALSE);
  add_recording (f, a, 1800, FALSE);
  add_recording (f, a, 7200, TRUE); /* deleted */
  add_recording (f, b, 900, FALSE);
  add_recording (f, outside, 3600, FALSE);

  r = request (f, "GET", "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=unit", f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  o = parse_object (&r, parser);
  totals = json_object_get_object_member (o, "totals");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals, "recorded_hours"), 1.75,
                                  1e-9);
  g_assert_cmpint (json_object_get_int_member (totals, "meetings_held"), ==, 2);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "ubnd-tinh"), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "tinh-uy"), 0.25, 1e-9);
  reply_clear (&r);

  /* per room: each room of a meeting counts its recording; the total once */
  r = request (f, "GET", "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=endpoint",
               f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  o = parse_object (&r, parser);
  g_assert_cmpfloat_with_epsilon (
      json_object_get_double_member (json_object_get_object_member (o, "totals"), "recorded_hours"),
      1.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "d-vinh"), 1.75, 1e-9);
  reply_clear (&r);

  r = request (f, "GET", "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=month", f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  o = parse_object (&r, parser);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "2024-03"), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "2024-04"), 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "2024-05"), 0, 1e-9);
  reply_clear (&r);

  /* per level: once for each level of a meeting's rooms; a second room of
   * the same level does not count it twice */
  reports_exec (&f->base, "INSERT INTO meeting_endpoints (meeting_id, endpoint, start_at, end_at,"
                          " active) SELECT id, 'p-tu', start_at, end_at, 1 FROM meetings;");
  r = request (f, "GET", "/api/v1/stats?from=2024-01-01&to=2024-06-30&group_by=level", f->manager);
  g_assert_cmpuint (r.status, ==, 200);
  o = parse_object (&r, parser);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "province"), 1.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (group_hours (o, "district"), 1.75, 1e-9);
  reply_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/reports/http/" name, HttpFixture, NULL, http_set_up, fn, http_tear_down)
  ADD ("unauthorized", test_http_unauthorized);
  ADD ("forbidden", test_http_forbidden);
  ADD ("invalid", test_http_invalid);
  ADD ("ok", test_http_ok);
  ADD ("recorded-hours", test_http_recorded_hours);
  return g_test_run ();
}
