/* test-stats-refresh.c — the statistics rollup's big refreshes run off the
 * main loop (issue #16). A room's level changed with an effective date a
 * year back marks every day since as dirty; the statistics requests made
 * while a worker thread recomputes them are answered at once with the
 * figures of the last complete refresh and its time ("as_of", before the
 * change), /healthz and a booking are answered too, and once the worker
 * has written, the figures of every grouping equal the ones computed from
 * the raw tables. The worker is held after its computation
 * (sched_stats_refresher_hold), so that the test sees the main loop answer
 * during the refresh whatever the machine's speed. */
#include "sched-test-fixture.h"

#include "sched-reports.h"
#include "sched-stats.h"

/* 1,200 held meetings of UBND tỉnh in 2024 (four a day on 300 days), in
 * its room and Con Cuông's district room. */
static void
seed_2024 (Fixture *f)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) first = g_date_time_new (tz, 2024, 1, 2, 8, 0, 0);
  g_autofree gchar *sql = g_strdup_printf (
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199)"
      " INSERT INTO meetings (title, unit, chair, start_at, end_at, status, created_at,"
      " updated_at, held, actual_seconds, present_count, invited_count)"
      " SELECT 'Giao ban', 'ubnd-tinh', 'ubnd-tinh', s, s + 3600, 'ended', 0, 0, 1, 3000, 2, 2"
      " FROM (SELECT %" G_GINT64_FORMAT " + (i %% 300) * 86400 + (i / 300) * 7200 AS s FROM n);"
      "INSERT INTO meeting_endpoints (meeting_id, endpoint, start_at, end_at, active)"
      " SELECT m.id, r.column1, m.start_at, m.end_at, 1 FROM meetings m,"
      " (VALUES ('ubnd-tinh'), ('ubnd-con-cuong')) r WHERE m.title = 'Giao ban';",
      g_date_time_to_unix (first));

  g_assert_cmpint (sqlite3_exec (sched_db_handle (f->ctx->db), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

typedef struct
{
  gboolean done;
  guint status;
  GBytes *body;
} Pending;

static void
on_stats_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  g_autoptr (GError) error = NULL;

  p->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  p->done = TRUE;
}

static gint
compare_texts (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The groups of a statistics reply as "key=booked/held" in key order. */
static gchar *
groups_text_json (JsonNode *root)
{
  JsonArray *groups = json_object_get_array_member (json_node_get_object (root), "groups");
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      g_ptr_array_add (parts, g_strdup_printf ("%s=%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                               json_object_get_string_member (g, "key"),
                                               json_object_get_int_member (g, "meetings_booked"),
                                               json_object_get_int_member (g, "meetings_held")));
    }
  g_ptr_array_sort (parts, compare_texts);
  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (text, "%s ", (gchar *)parts->pdata[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The same from the query function, on the rollup or the raw tables. */
static gchar *
groups_text_computed (Fixture *f, SchedStatsGroup group, gboolean raw)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) from = g_date_time_new (tz, 2024, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new (tz, 2025, 1, 1, 0, 0, 0);
  SchedStatsQuery q = { .from = g_date_time_to_unix (from),
                        .to = g_date_time_to_unix (to),
                        .group_by = group,
                        .force_raw = raw };
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedStats) stats = sched_stats_compute (f->ctx->db, tz, &q, &error);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_true (stats->used_rollup == !raw);
  for (guint i = 0; i < stats->rows->len; i++)
    {
      const SchedStatsRow *row = stats->rows->pdata[i];
      g_ptr_array_add (parts, g_strdup_printf ("%s=%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                               row->key, row->current.booked, row->current.held));
    }
  g_ptr_array_sort (parts, compare_texts);
  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (text, "%s ", (gchar *)parts->pdata[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Sends GET @path (a manager's token) without waiting for the reply. */
static SoupMessage *
send_stats (Fixture *f, const gchar *path, Pending *pending)
{
  g_autofree gchar *uri = g_strconcat (f->url, path, NULL);
  g_autofree gchar *auth = g_strconcat ("Bearer ", f->manager, NULL);
  SoupMessage *msg = soup_message_new ("GET", uri);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_stats_reply,
                                    pending);
  return msg;
}

static JsonNode *
pending_json (Pending *pending)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (pending->body, NULL),
                                             g_bytes_get_size (pending->body), &error));
  g_assert_no_error (error);
  g_clear_pointer (&pending->body, g_bytes_unref);
  return json_node_ref (json_parser_get_root (parser));
}

static gint64
json_time (JsonNode *root, const gchar *member)
{
  const gchar *text = json_object_get_string_member (json_node_get_object (root), member);
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (t);
  return g_date_time_to_unix (t);
}

/* Runs the main loop until @pending has its reply, at most @seconds (a
 * generous deadline for a loaded machine): a request that waits for the
 * held refresh fails here instead of hanging. */
static void
wait_reply (Pending *pending, gint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!pending->done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (pending->done);
}

#define LEVELS_2024 "/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=level"

static void
test_refresh_off_main_loop (Fixture *f, gconstpointer data)
{
  SoupServer *server = sched_server_get_soup_server (f->server);
  SchedStatsRefresher *refresher;
  g_autofree gchar *before = NULL, *during = NULL, *after = NULL, *raw = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (JsonNode) reply = NULL;
  Pending stats = { FALSE };
  gint64 dirty, patched_at, as_of;

  seed_2024 (f);
  sched_reports_register (f->ctx, server); /* builds the rollup */
  refresher = sched_reports_get_refresher (server);
  g_assert_nonnull (refresher);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM stats_rollup_dirty"), ==, 0);

  /* the figures before: fresh, as of the query */
  msg = send_stats (f, LEVELS_2024, &stats);
  while (!stats.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  reply = pending_json (&stats);
  before = groups_text_json (reply);
  g_assert_cmpstr (before, ==, "district=1200/1200 province=1200/1200 ");
  g_clear_pointer (&reply, json_node_unref);
  g_clear_object (&msg);

  /* a year back: every day since is dirty (the district level's 1,200
   * meetings move to the commune level) */
  patched_at = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-con-cuong", f->admin,
                                     "{\"level\": \"commune\", \"effective\": \"2024-01-01\"}",
                                     &reply),
                    ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  dirty = fixture_count (f, "SELECT count(*) FROM stats_rollup_dirty");
  g_assert_cmpint (dirty, >=, 300);

  /* held after its computation: the refresh runs as long as the test wants */
  sched_stats_refresher_hold (refresher, TRUE);
  stats.done = FALSE;
  msg = send_stats (f, LEVELS_2024, &stats);
  wait_reply (&stats, 60);
  /* answered at once, from the rollup as it stood, saying when that was */
  g_assert_true (sched_stats_refresher_is_running (refresher));
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  reply = pending_json (&stats);
  during = groups_text_json (reply);
  as_of = json_time (reply, "as_of");
  g_test_message ("during the refresh: %s as of %" G_GINT64_FORMAT " (patched at %" G_GINT64_FORMAT
                  ")",
                  during, as_of, patched_at);
  g_assert_cmpstr (during, ==, before);
  g_assert_cmpint (as_of, <=, patched_at);
  g_assert_cmpint (as_of, >, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_clear_object (&msg);

  /* the main loop answers everything else meanwhile: /healthz, a booking,
   * the report sentence (also as of the last refresh) */
  for (gint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (fixture_request (f, "GET", "/healthz", NULL, NULL, &reply), ==, 200);
      g_clear_pointer (&reply, json_node_unref);
    }
  {
    gint64 day = fixture_future_day (2);
    g_autofree gchar *body = fixture_booking_json ("Giao ban", "ubnd-tinh", "ubnd-tinh",
                                                   "[\"ubnd-tinh\",\"ubnd-anh-son\"]",
                                                   day + 9 * 3600, day + 10 * 3600, NULL);
    g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, body, &reply),
                      ==, 201);
    g_clear_pointer (&reply, json_node_unref);
  }
  stats.done = FALSE;
  msg = send_stats (f, "/api/v1/reports/summary?from=2024-01-01&to=2024-12-31", &stats);
  wait_reply (&stats, 60);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  reply = pending_json (&stats);
  g_assert_cmpint (json_time (reply, "as_of"), ==, as_of);
  g_clear_pointer (&reply, json_node_unref);
  g_clear_object (&msg);
  g_assert_true (sched_stats_refresher_is_running (refresher));

  /* released: once it has written, the figures are the new ones */
  sched_stats_refresher_hold (refresher, FALSE);
  while (sched_stats_refresher_is_running (refresher))
    g_main_context_iteration (NULL, TRUE);
  stats.done = FALSE;
  msg = send_stats (f, LEVELS_2024, &stats);
  while (!stats.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  reply = pending_json (&stats);
  after = groups_text_json (reply);
  g_assert_cmpint (json_time (reply, "as_of"), >=, patched_at);

  /* what the request got, and every grouping now, equal the raw tables */
  raw = groups_text_computed (f, SCHED_STATS_GROUP_LEVEL, TRUE);
  g_test_message ("after the refresh: %s; raw: %s", after, raw);
  g_assert_cmpstr (raw, ==, "commune=1200/1200 province=1200/1200 ");
  g_assert_cmpstr (after, ==, raw);
  for (SchedStatsGroup g = SCHED_STATS_GROUP_UNIT; g <= SCHED_STATS_GROUP_MONTH; g++)
    {
      g_autofree gchar *fast = groups_text_computed (f, g, FALSE);
      g_autofree gchar *slow = groups_text_computed (f, g, TRUE);
      g_assert_cmpstr (fast, ==, slow);
    }
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM stats_rollup_dirty WHERE day < 0"), ==,
                   0);
}

static void
setup (Fixture *f, gconstpointer data)
{
  fixture_setup_full (f, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sched-core/stats-refresh/off-main-loop", Fixture, NULL, setup,
              test_refresh_off_main_loop, fixture_teardown);
  return g_test_run ();
}
