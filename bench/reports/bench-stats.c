/* bench-stats.c — how fast /api/v1/stats answers on years of data.
 *
 * Fills a database with --meetings meetings (default 1,000,000) spread over
 * 2022–2024 on a 44-room roster (2 province rooms, 21 district party and 21
 * district People's Committee rooms), 2 to --max-rooms rooms each, then
 * times the statistics of one year (2024, compared with 2023) for every
 * group_by: the query function on the rollup, the same through HTTP on an
 * in-process server, and the raw tables for reference. Prints p50/p95.
 * Then it applies a reorganisation effective 01/07/2024 (issue #16: the
 * 42 district units and Sở Tài chính end, their rooms move to the commune
 * level) through the scheduler's own code, and times units=historic
 * against units=successor on the same data, alternating, with the ratio
 * of the p50s and p95s.
 * Run by hand (docs/benchmarks.md, "Scheduler statistics"):
 *
 *   build/bench/reports/bench-stats [--meetings N] [--max-rooms N]
 *                                   [--iterations N] [--db PATH]
 *
 * --roster FILE generates on a roster file's rooms (conf/roster-nghe-an.ini)
 * instead of the built-in ones; --reorganisation chooses what is applied:
 * the built-in file, one-room (the worst case for the room grouping: every
 * district room closed into one), none, or a file (its effective date moved
 * to 2024-07-01); --generate-only, --after-only and --rebuild-after split a
 * long run into parts (docs/benchmarks.md). --kinds (issue #16) times every
 * query kind on the rollup's month rows against its day rows only, with
 * the rows each reads, and requests made during a background refresh. */
#define G_LOG_DOMAIN "vc-bench-reports"

#include "sched-auth.h"
#include "sched-error.h"
#include "sched-reorg.h"
#include "sched-reports.h"
#include "sched-roster.h"
#include "sched-stats.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const gchar *const districts[] = {
  "vinh",     "cua-lo",      "thai-hoa",  "hoang-mai", "anh-son",      "con-cuong",   "dien-chau",
  "do-luong", "hung-nguyen", "ky-son",    "nam-dan",   "nghi-loc",     "nghia-dan",   "que-phong",
  "quy-chau", "quy-hop",     "quynh-luu", "tan-ky",    "thanh-chuong", "tuong-duong", "yen-thanh",
};

static gint64 opt_meetings = 1000000;
static gint opt_max_rooms = 10;
static gint opt_iterations = 100;
static gint opt_raw_iterations = 1;
static gchar *opt_db = NULL;
static gchar *opt_roster = NULL;
static gchar *opt_reorganisation = NULL;
static gboolean opt_generate_only = FALSE;
static gboolean opt_after_only = FALSE;
static gboolean opt_rebuild_after = FALSE;
static gboolean opt_kinds = FALSE;

static const GOptionEntry entries[] = {
  { "meetings", 0, 0, G_OPTION_ARG_INT64, &opt_meetings, "meetings to generate", "N" },
  { "max-rooms", 0, 0, G_OPTION_ARG_INT, &opt_max_rooms, "rooms per meeting: 2..N", "N" },
  { "iterations", 0, 0, G_OPTION_ARG_INT, &opt_iterations, "timed runs per case", "N" },
  { "raw-iterations", 0, 0, G_OPTION_ARG_INT, &opt_raw_iterations, "runs of the raw path", "N" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "database file (default: temporary)", "PATH" },
  { "roster", 0, 0, G_OPTION_ARG_FILENAME, &opt_roster,
    "roster .ini for a new database (default: the built-in 44 rooms)", "FILE" },
  { "reorganisation", 0, 0, G_OPTION_ARG_FILENAME, &opt_reorganisation,
    "what to apply before the historic/successor cases: bench (default), one-room (every district "
    "unit dissolved and every district room closed into one province room), none, or a "
    "reorganisation file (its effective date is moved to 2024-07-01)",
    "KIND|FILE" },
  { "generate-only", 0, 0, G_OPTION_ARG_NONE, &opt_generate_only,
    "stop after generating the database and building the rollup", NULL },
  { "after-only", 0, 0, G_OPTION_ARG_NONE, &opt_after_only,
    "skip the cases before the reorganisation", NULL },
  { "rebuild-after", 0, 0, G_OPTION_ARG_NONE, &opt_rebuild_after,
    "rebuild the whole rollup after the reorganisation instead of refreshing its marked days "
    "(timed; faster when it marked every day)",
    NULL },
  { "kinds", 0, 0, G_OPTION_ARG_NONE, &opt_kinds,
    "time every query kind (each group_by, historic and successor; JSON, CSV and the report "
    "sentence through HTTP) on the month rows against the day rows only, with the rows read, and "
    "queries made while a background refresh of every day runs; then stop",
    NULL },
  { NULL },
};

static void
die_on_error (GError *error, const gchar *what)
{
  if (error)
    {
      fprintf (stderr, "%s: %s\n", what, error->message);
      exit (1);
    }
}

static void
exec_or_die (SchedDb *db, const gchar *sql)
{
  GError *error = NULL;
  sched_db_exec (db, sql, &error);
  die_on_error (error, sql);
}

static sqlite3_stmt *
prepare_or_die (SchedDb *db, const gchar *sql)
{
  GError *error = NULL;
  sqlite3_stmt *stmt = sched_db_prepare (db, sql, &error);
  die_on_error (error, sql);
  return stmt;
}

static void
step_or_die (SchedDb *db, sqlite3_stmt *stmt)
{
  GError *error = NULL;
  sched_db_step_done (db, stmt, &error);
  die_on_error (error, "insert");
  sqlite3_reset (stmt);
}

static gint64
count_or_die (SchedDb *db, const gchar *sql)
{
  sqlite3_stmt *stmt = prepare_or_die (db, sql);
  gint64 n;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    die_on_error (g_error_new_literal (SCHED_ERROR, SCHED_ERROR_INTERNAL, "count"), sql);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static GPtrArray *
load_roster (SchedDb *db)
{
  GPtrArray *rooms = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *unit, *room;

  exec_or_die (db, "BEGIN");
  unit = prepare_or_die (db, "INSERT INTO units (code, name, priority) VALUES (?1, ?2, ?3)");
  room = prepare_or_die (db,
                         "INSERT INTO endpoints (code, name, level, unit) VALUES (?1, ?2, ?3, ?4)");
#define UNIT(c, n, p)                                                                              \
  sched_db_bind_text (unit, 1, c);                                                                 \
  sched_db_bind_text (unit, 2, n);                                                                 \
  sqlite3_bind_int (unit, 3, p);                                                                   \
  step_or_die (db, unit)
#define ROOM(c, n, l, u)                                                                           \
  sched_db_bind_text (room, 1, c);                                                                 \
  sched_db_bind_text (room, 2, n);                                                                 \
  sched_db_bind_text (room, 3, l);                                                                 \
  sched_db_bind_text (room, 4, u);                                                                 \
  step_or_die (db, room);                                                                          \
  g_ptr_array_add (rooms, g_strdup (c))
  UNIT ("ubnd-tinh", "UBND tỉnh", 100);
  UNIT ("tinh-uy", "Tỉnh ủy", 90);
  UNIT ("hdnd-tinh", "HĐND tỉnh", 80);
  UNIT ("so-tttt", "Sở Thông tin và Truyền thông", 50);
  UNIT ("so-tc", "Sở Tài chính", 40);
  ROOM ("p-ubnd", "Phòng họp UBND tỉnh", "province", "ubnd-tinh");
  ROOM ("p-tu", "Phòng họp Tỉnh ủy", "province", "tinh-uy");
  for (gsize i = 0; i < G_N_ELEMENTS (districts); i++)
    {
      g_autofree gchar *u1 = g_strdup_printf ("ubnd-%s", districts[i]);
      g_autofree gchar *u2 = g_strdup_printf ("hu-%s", districts[i]);
      g_autofree gchar *n1 = g_strdup_printf ("UBND %s", districts[i]);
      g_autofree gchar *n2 = g_strdup_printf ("Huyện ủy %s", districts[i]);
      g_autofree gchar *r1 = g_strdup_printf ("d-ubnd-%s", districts[i]);
      g_autofree gchar *r2 = g_strdup_printf ("d-hu-%s", districts[i]);
      UNIT (u1, n1, 10);
      UNIT (u2, n2, 10);
      ROOM (r1, n1, "district", u1);
      ROOM (r2, n2, "district", u2);
    }
  exec_or_die (db, "COMMIT");
  return rooms;
}

/* The roster of an .ini file (conf/roster-nghe-an.ini has the same
 * province and department unit codes as the built-in one); the rooms in
 * the file's order. */
static GPtrArray *
load_roster_file (SchedDb *db, const gchar *file)
{
  GPtrArray *rooms = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gboolean loaded = FALSE;
  sqlite3_stmt *stmt;

  {
    g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
    sched_roster_load_if_empty (db, file, tz, &loaded, &error);
  }
  die_on_error (error, file);
  g_assert (loaded);
  stmt = prepare_or_die (db, "SELECT code FROM endpoints ORDER BY rowid");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rooms, g_strdup (sched_db_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return rooms;
}

static const gchar *const units_by_weight[] = {
  "ubnd-tinh", "ubnd-tinh", "ubnd-tinh", "tinh-uy", "tinh-uy", "hdnd-tinh", "so-tttt", "so-tc",
};

static void
generate (SchedDb *db, GTimeZone *tz, GPtrArray *rooms, gint64 count, gint max_rooms)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (44);
  g_autoptr (GDateTime) first = g_date_time_new (tz, 2022, 1, 1, 0, 0, 0);
  gint64 base = g_date_time_to_unix (first);
  gint days = 3 * 365 + 1;
  sqlite3_stmt *meeting, *member;
  gint64 room_rows = 0;

  meeting = prepare_or_die (db, "INSERT INTO meetings (title, unit, chair, start_at, end_at,"
                                " status, created_at, updated_at, imported, held, actual_seconds,"
                                " present_count, invited_count)"
                                " VALUES ('Họp trực tuyến', ?1, ?2, ?3, ?4, ?5, ?3, ?3, 1, ?6, ?7,"
                                " ?8, ?9)");
  member = prepare_or_die (db, "INSERT INTO meeting_endpoints (meeting_id, endpoint, start_at,"
                               " end_at, active) VALUES (?1, ?2, ?3, ?4, ?5)");
  exec_or_die (db, "BEGIN");
  for (gint64 i = 0; i < count; i++)
    {
      gint n = g_rand_int_range (rand, 2, max_rooms + 1);
      gint first_room = g_rand_int_range (rand, 0, rooms->len);
      gint64 start = base + (gint64)g_rand_int_range (rand, 0, days) * 86400
                     + g_rand_int_range (rand, 7 * 60, 17 * 60) * 60;
      gint minutes = g_rand_int_range (rand, 30, 240);
      gint roll = g_rand_int_range (rand, 0, 100);
      const gchar *status = roll < 8 ? "cancelled" : roll < 10 ? "displaced" : "ended";
      gboolean held = g_str_equal (status, "ended") && roll < 95;
      gint present = held ? g_rand_int_range (rand, 2, n + 1) : 0;
      gboolean active = !(g_str_equal (status, "cancelled") || g_str_equal (status, "displaced"));
      gint64 id;

      sched_db_bind_text (meeting, 1, units_by_weight[i % G_N_ELEMENTS (units_by_weight)]);
      sched_db_bind_text (meeting, 2, g_ptr_array_index (rooms, first_room));
      sqlite3_bind_int64 (meeting, 3, start);
      sqlite3_bind_int64 (meeting, 4, start + minutes * 60);
      sched_db_bind_text (meeting, 5, status);
      sqlite3_bind_int (meeting, 6, held);
      sqlite3_bind_int64 (meeting, 7, held ? minutes * 60 - g_rand_int_range (rand, 0, 600) : 0);
      sqlite3_bind_int (meeting, 8, present);
      sqlite3_bind_int (meeting, 9, n);
      step_or_die (db, meeting);
      id = sqlite3_last_insert_rowid (sched_db_handle (db));
      for (gint j = 0; j < n; j++)
        {
          sqlite3_bind_int64 (member, 1, id);
          sched_db_bind_text (member, 2, g_ptr_array_index (rooms, (first_room + j) % rooms->len));
          sqlite3_bind_int64 (member, 3, start);
          sqlite3_bind_int64 (member, 4, start + minutes * 60);
          sqlite3_bind_int (member, 5, active);
          step_or_die (db, member);
          room_rows++;
        }
      if (i % 100000 == 99999)
        {
          exec_or_die (db, "COMMIT");
          exec_or_die (db, "BEGIN");
        }
    }
  exec_or_die (db, "COMMIT");
  printf ("generated %" G_GINT64_FORMAT " meetings, %" G_GINT64_FORMAT " room rows\n", count,
          room_rows);
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
  return x < y ? -1 : x > y;
}

static void
report (const gchar *what, GArray *ms)
{
  g_array_sort (ms, compare_doubles);
  gdouble p50 = g_array_index (ms, gdouble, (ms->len - 1) / 2);
  gdouble p95 = g_array_index (ms, gdouble, (guint)((ms->len - 1) * 0.95));
  gdouble max = g_array_index (ms, gdouble, ms->len - 1);
  printf ("| %-30s | %5u | %8.2f | %8.2f | %8.2f |\n", what, ms->len, p50, p95, max);
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

static guint
http_get (SoupSession *session, const gchar *url, const gchar *token)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
  Pending p = { .loop = g_main_loop_new (NULL, FALSE) };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_request_done, &p);
  g_main_loop_run (p.loop);
  g_main_loop_unref (p.loop);
  die_on_error (p.error, url);
  g_bytes_unref (p.bytes);
  return soup_message_get_status (msg);
}

static void
time_group (SchedDb *db, GTimeZone *tz, SchedStatsQuery *q, SchedStatsGroup g, SoupSession *session,
            const gchar *base_url, const gchar *token)
{
  const gchar *name = sched_stats_group_to_string (g);
  g_autoptr (GArray) direct = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) http = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gchar *url = g_strdup_printf (
      "%s/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=%s&compare=previous_year", base_url,
      name);
  g_autofree gchar *label_direct = g_strdup_printf ("%s, rollup, function", name);
  g_autofree gchar *label_http = g_strdup_printf ("%s, rollup, HTTP", name);
  GError *error = NULL;

  q->group_by = g;
  q->force_raw = FALSE;
  for (gint i = 0; i < opt_iterations; i++)
    {
      gint64 s = g_get_monotonic_time ();
      g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, q, &error);
      gdouble ms = (g_get_monotonic_time () - s) / 1000.0;
      die_on_error (error, "stats");
      g_assert (stats->used_rollup && stats->previous_used_rollup);
      g_array_append_val (direct, ms);
    }
  for (gint i = 0; i < opt_iterations; i++)
    {
      gint64 s = g_get_monotonic_time ();
      guint status = http_get (session, url, token);
      gdouble ms = (g_get_monotonic_time () - s) / 1000.0;
      g_assert (status == 200);
      g_array_append_val (http, ms);
    }
  report (label_direct, direct);
  report (label_http, http);
}

/* What the rollup costs a booking: 1,000 meetings of 6 rooms, each in its
 * own transaction as the booking code does (synchronous = NORMAL). Before
 * the rollup is built its triggers mark nothing; after, they mark the
 * meeting's local day as dirty (schema v4, sched-db.c). */
static void
time_bookings (SchedDb *db, gint64 first_start, const gchar *label)
{
  sqlite3_stmt *meeting, *member;
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  meeting = prepare_or_die (db, "INSERT INTO meetings (title, unit, chair, start_at, end_at,"
                                " created_at, updated_at) VALUES ('x', 'ubnd-tinh',"
                                " (SELECT code FROM endpoints ORDER BY rowid LIMIT 1),"
                                " ?1, ?1 + 3600, ?1, ?1)");
  member = prepare_or_die (db, "INSERT INTO meeting_endpoints (meeting_id, endpoint, start_at,"
                               " end_at) SELECT ?1, code, ?2, ?2 + 3600 FROM endpoints"
                               " ORDER BY code LIMIT 6");
  exec_or_die (db, "PRAGMA synchronous = NORMAL");
  for (gint i = 0; i < 1000; i++)
    {
      gint64 start = first_start + i * 3600, s = g_get_monotonic_time ();
      exec_or_die (db, "BEGIN IMMEDIATE");
      sqlite3_bind_int64 (meeting, 1, start);
      step_or_die (db, meeting);
      sqlite3_bind_int64 (member, 1, sqlite3_last_insert_rowid (sched_db_handle (db)));
      sqlite3_bind_int64 (member, 2, start);
      step_or_die (db, member);
      exec_or_die (db, "COMMIT");
      gdouble v = (g_get_monotonic_time () - s) / 1000.0;
      g_array_append_val (ms, v);
    }
  exec_or_die (db, "PRAGMA synchronous = FULL");
  report (label, ms);
}

/* The first statistics query after those bookings recomputes the days
 * they marked (at this density, ~900 meetings a day). */
static void
time_refresh (SchedDb *db, GTimeZone *tz)
{
  SchedStatsQuery q = { .from = 1767225600, .to = 1767225600 + 86400 };
  g_autoptr (GError) error = NULL;
  gint64 days = count_or_die (db, "SELECT count(*) FROM stats_rollup_dirty");
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, &q, &error);

  die_on_error (error, "refresh");
  printf ("first query after them, refreshing %" G_GINT64_FORMAT " dirty days: %.1f ms\n", days,
          (g_get_monotonic_time () - t0) / 1000.0);
}

/* Bounds that are not local midnights: whole days from the rollup, the two
 * partial days from the raw tables. */
static void
time_group_edges (SchedDb *db, GTimeZone *tz, SchedStatsQuery *q, SchedStatsGroup g)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gchar *label
      = g_strdup_printf ("%s, 08:30–17:00 bounds", sched_stats_group_to_string (g));
  SchedStatsQuery edges = *q;
  GError *error = NULL;

  edges.group_by = g;
  edges.force_raw = FALSE;
  edges.from = q->from + 8 * 3600 + 1800;
  edges.to = q->to - 7 * 3600;
  for (gint i = 0; i < opt_iterations; i++)
    {
      gint64 s = g_get_monotonic_time ();
      g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, &edges, &error);
      gdouble v = (g_get_monotonic_time () - s) / 1000.0;
      die_on_error (error, "stats");
      g_assert (stats->used_rollup);
      g_array_append_val (ms, v);
    }
  report (label, ms);
}

/* The raw tables, for reference; checks that they give the same totals. */
static void
time_group_raw (SchedDb *db, GTimeZone *tz, SchedStatsQuery *q, SchedStatsGroup g)
{
  g_autoptr (GArray) raw = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gchar *label
      = g_strdup_printf ("%s, raw tables, function", sched_stats_group_to_string (g));
  g_autoptr (SchedStats) fast = NULL;
  GError *error = NULL;

  if (opt_raw_iterations <= 0)
    return;
  q->group_by = g;
  q->force_raw = FALSE;
  fast = sched_stats_compute (db, tz, q, &error);
  die_on_error (error, "stats");
  q->force_raw = TRUE;
  for (gint i = 0; i < opt_raw_iterations; i++)
    {
      gint64 s = g_get_monotonic_time ();
      g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, q, &error);
      gdouble ms = (g_get_monotonic_time () - s) / 1000.0;
      die_on_error (error, "stats");
      g_assert (stats->totals.booked == fast->totals.booked);
      g_assert (stats->totals.held == fast->totals.held);
      g_assert (stats->rows->len == fast->rows->len);
      g_array_append_val (raw, ms);
    }
  q->force_raw = FALSE;
  report (label, raw);
}

/* The reorganisation of the benchmark's roster: effective 01/07/2024, in
 * the middle of the timed year, so that the successor grouping folds
 * meetings of both windows. */
static gchar *
reorganisation_bench (void)
{
  GString *file = g_string_new ("{\"format\": \"vc-province-reorganisation/1\", \"name\": "
                                "\"bench-2024-07-01\", \"effective\": \"2024-07-01\", "
                                "\"entries\": [\n"
                                "{\"op\": \"merge\", \"units\": [\"so-tc\"], \"into\": "
                                "\"so-tttt\"}");

  for (gsize i = 0; i < G_N_ELEMENTS (districts); i++)
    g_string_append_printf (file,
                            ",\n{\"op\": \"dissolve\", \"unit\": \"ubnd-%s\", \"successor\": "
                            "\"ubnd-tinh\"},\n{\"op\": \"dissolve\", \"unit\": \"hu-%s\", "
                            "\"successor\": \"tinh-uy\"},\n{\"op\": \"rehome\", \"room\": "
                            "\"d-ubnd-%s\", \"unit\": \"ubnd-tinh\", \"level\": \"commune\"},"
                            "\n{\"op\": \"rehome\", \"room\": \"d-hu-%s\", \"unit\": "
                            "\"tinh-uy\", \"level\": \"commune\"}",
                            districts[i], districts[i], districts[i], districts[i]);
  g_string_append (file, "]}");
  return g_string_free (file, FALSE);
}

/* The worst case for the room grouping (issue #16): on 01/07/2024 every
 * district room closes into ONE room, the first province room of the
 * roster, and every unit of a district room is dissolved into that room's
 * unit; all 42 district rooms fold into one successor, so nearly every
 * meeting has several rooms folding together. */
static gchar *
reorganisation_one_room (SchedDb *db)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gchar *target = NULL, *target_unit = NULL;
  sqlite3_stmt *stmt;

  stmt = prepare_or_die (db, "SELECT code, unit FROM endpoints WHERE level = 'province'"
                             " ORDER BY rowid LIMIT 1");
  if (sqlite3_step (stmt) != SQLITE_ROW)
    die_on_error (g_error_new_literal (SCHED_ERROR, SCHED_ERROR_INTERNAL, "no province room"),
                  "one-room");
  target = g_strdup (sched_db_column_text (stmt, 0));
  target_unit = g_strdup (sched_db_column_text (stmt, 1));
  sqlite3_reset (stmt);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "vc-province-reorganisation/1");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "bench-one-room-2024-07-01");
  json_builder_set_member_name (b, "effective");
  json_builder_add_string_value (b, "2024-07-01");
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  stmt = prepare_or_die (db, "SELECT code, unit FROM endpoints WHERE level = 'district'"
                             " ORDER BY rowid");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const gchar *unit = sched_db_column_text (stmt, 1);

      if (unit && g_strcmp0 (unit, target_unit) != 0 && !g_hash_table_contains (units, unit))
        {
          g_hash_table_add (units, g_strdup (unit));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "op");
          json_builder_add_string_value (b, "dissolve");
          json_builder_set_member_name (b, "unit");
          json_builder_add_string_value (b, unit);
          json_builder_set_member_name (b, "successor");
          json_builder_add_string_value (b, target_unit);
          json_builder_end_object (b);
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "op");
      json_builder_add_string_value (b, "close-room");
      json_builder_set_member_name (b, "room");
      json_builder_add_string_value (b, sched_db_column_text (stmt, 0));
      json_builder_set_member_name (b, "successor");
      json_builder_add_string_value (b, target);
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

/* A reorganisation file as it is, but effective 01/07/2024 (the benchmark's
 * data spans 2022–2024): conf/reorg-nghe-an-2025-07-01.example.json on the
 * roster of conf/roster-nghe-an.ini. */
static gchar *
reorganisation_from_file (const gchar *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  GError *error = NULL;
  JsonObject *o;

  json_parser_load_from_file (parser, path, &error);
  die_on_error (error, path);
  o = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (o, "effective", "2024-07-01");
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gboolean
apply_reorganisation (SchedContext *ctx)
{
  SchedCore core = { .ctx = ctx };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) summary = NULL;
  g_autofree gchar *file = NULL;
  const gchar *kind = opt_reorganisation ? opt_reorganisation : "bench";
  gint64 t0;

  if (g_str_equal (kind, "none"))
    return FALSE;
  if (g_str_equal (kind, "bench"))
    file = reorganisation_bench ();
  else if (g_str_equal (kind, "one-room"))
    file = reorganisation_one_room (ctx->db);
  else
    file = reorganisation_from_file (kind);
  t0 = g_get_monotonic_time ();
  summary
      = sched_reorg_run (&core, file, strlen (file), "bench", SCHED_REORG_APPLY, &extra, &error);
  if (error && extra)
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), extra);
      g_autofree gchar *text = json_to_string (node, TRUE);
      fprintf (stderr, "%s\n", text);
    }
  die_on_error (error, "reorganisation");
  printf ("\nreorganisation %s applied (effective 01/07/2024): %.1f s\n", kind,
          (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

typedef struct
{
  gint64 last, worst;
} MainLoopStall;

static gboolean
on_tick (gpointer data)
{
  MainLoopStall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last)
    stall->worst = MAX (stall->worst, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/* The first statistics request after the reorganisation, through HTTP:
 * the days it marked are refreshed by the background refresher
 * (sched-stats-refresher.c) while a 10 ms timer on the main loop measures
 * how long the loop was ever held. */
static void
time_first_query (SchedDb *db, SoupSession *session, const gchar *base_url, const gchar *token)
{
  g_autofree gchar *url = g_strdup_printf (
      "%s/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=unit&compare=previous_year",
      base_url);
  MainLoopStall stall = { 0 };
  gint64 days = count_or_die (db, "SELECT count(*) FROM stats_rollup_dirty");
  gint64 t0 = g_get_monotonic_time ();
  guint tick = g_timeout_add (10, on_tick, &stall);
  g_autoptr (SoupSession) patient = soup_session_new_with_options ("timeout", 3600, NULL);

  (void)session;
  g_assert (http_get (patient, url, token) == 200);
  g_source_remove (tick);
  printf ("first query after it, through HTTP (%" G_GINT64_FORMAT
          " dirty days refreshed in the background): %.1f s; longest main-loop tick: %.1f ms"
          " (timer period 10 ms)\n",
          days, (g_get_monotonic_time () - t0) / 1e6, stall.worst / 1000.0);
}

/* units=successor, group_by=endpoint the way rollup v4 answered it: the
 * rooms' rows folded, and the meetings with several rooms folding into one
 * read from the raw tables (fold_rooms), a few runs only. */
static void
time_folded_rooms (SchedDb *db, GTimeZone *tz, SchedStatsQuery *q)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  SchedStatsQuery folded = *q;
  GError *error = NULL;

  folded.group_by = SCHED_STATS_GROUP_ENDPOINT;
  folded.units = SCHED_STATS_UNITS_SUCCESSOR;
  folded.fold_rooms = TRUE;
  for (gint i = 0; i < MIN (opt_iterations, 5); i++)
    {
      gint64 s = g_get_monotonic_time ();
      g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, &folded, &error);
      gdouble v = (g_get_monotonic_time () - s) / 1000.0;
      die_on_error (error, "stats");
      g_array_append_val (ms, v);
    }
  report ("endpoint, successor, folded (v4)", ms);
}

/* units=historic against units=successor, alternating run by run on the
 * same data, through the query function and through HTTP. */
static void
time_units (SchedDb *db, GTimeZone *tz, SchedStatsQuery *q, SchedStatsGroup g, SoupSession *session,
            const gchar *base_url, const gchar *token)
{
  const gchar *name = sched_stats_group_to_string (g);
  GArray *ms[2][2]; /* [historic|successor][function|HTTP] */
  GError *error = NULL;

  for (gint u = 0; u < 2; u++)
    for (gint k = 0; k < 2; k++)
      ms[u][k] = g_array_new (FALSE, FALSE, sizeof (gdouble));
  q->group_by = g;
  q->force_raw = FALSE;
  for (gint i = 0; i < opt_iterations; i++)
    for (gint u = 0; u < 2; u++)
      {
        g_autofree gchar *url = g_strdup_printf (
            "%s/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=%s&compare=previous_year"
            "&units=%s",
            base_url, name, u ? "successor" : "historic");
        gint64 s = g_get_monotonic_time ();
        gdouble v;

        q->units = u ? SCHED_STATS_UNITS_SUCCESSOR : SCHED_STATS_UNITS_HISTORIC;
        {
          g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, q, &error);
          die_on_error (error, "stats");
          g_assert (stats->used_rollup && stats->previous_used_rollup);
        }
        v = (g_get_monotonic_time () - s) / 1000.0;
        g_array_append_val (ms[u][0], v);
        s = g_get_monotonic_time ();
        g_assert (http_get (session, url, token) == 200);
        v = (g_get_monotonic_time () - s) / 1000.0;
        g_array_append_val (ms[u][1], v);
      }
  q->units = SCHED_STATS_UNITS_HISTORIC;
  for (gint k = 0; k < 2; k++)
    {
      gdouble p[2][2];
      for (gint u = 0; u < 2; u++)
        {
          g_autofree gchar *label = g_strdup_printf (
              "%s, %s, %s", name, u ? "successor" : "historic", k ? "HTTP" : "function");
          report (label, ms[u][k]); /* sorts */
          p[u][0] = g_array_index (ms[u][k], gdouble, (ms[u][k]->len - 1) / 2);
          p[u][1] = g_array_index (ms[u][k], gdouble, (guint)((ms[u][k]->len - 1) * 0.95));
        }
      printf ("| %-30s |       | %7.2fx | %7.2fx |          |\n",
              k ? "  successor/historic, HTTP" : "  successor/historic, function",
              p[1][0] / p[0][0], p[1][1] / p[0][1]);
    }
  for (gint u = 0; u < 2; u++)
    for (gint k = 0; k < 2; k++)
      g_array_unref (ms[u][k]);
}

/* ---- --kinds (issue #16): every query kind, month rows against day rows ---- */

static gchar *
load_average (void)
{
  gchar *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?\n");
  return text;
}

static gdouble
percentile (GArray *ms, gdouble p)
{
  g_array_sort (ms, compare_doubles);
  return g_array_index (ms, gdouble, (guint)((ms->len - 1) * p));
}

/* The query function, alternating run by run: the rollup's month rows (the
 * code as it is) and its day rows only (day_rows_only, the way before
 * schema v9), with the rows each read. */
static void
time_kind (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *base, SchedStatsGroup g,
           SchedStatsUnits units)
{
  g_autoptr (GArray) ms0 = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) ms1 = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *ms[2] = { ms0, ms1 };
  gint64 rows[2] = { 0, 0 };
  g_autofree gchar *label = g_strdup_printf ("%s, %s", sched_stats_group_to_string (g),
                                             sched_stats_units_to_string (units));
  GError *error = NULL;

  for (gint i = 0; i < opt_iterations; i++)
    for (gint k = 0; k < 2; k++)
      {
        SchedStatsQuery q = *base;
        gint64 s = g_get_monotonic_time ();
        gdouble v;

        q.group_by = g;
        q.units = units;
        q.day_rows_only = k == 1;
        {
          g_autoptr (SchedStats) stats = sched_stats_compute (db, tz, &q, &error);
          die_on_error (error, "stats");
          g_assert (stats->used_rollup && stats->previous_used_rollup);
          rows[k] = stats->rows_read;
        }
        v = (g_get_monotonic_time () - s) / 1000.0;
        g_array_append_val (ms[k], v);
      }
  printf ("| %-22s | %5u | %7.2f | %7.2f | %7.2f | %6" G_GINT64_FORMAT " | %7.2f | %7.2f | %7.2f |"
          " %6" G_GINT64_FORMAT " | %5.2f |\n",
          label, ms[0]->len, percentile (ms[0], 0.5), percentile (ms[0], 0.95),
          percentile (ms[0], 1.0), rows[0], percentile (ms[1], 0.5), percentile (ms[1], 0.95),
          percentile (ms[1], 1.0), rows[1], percentile (ms[1], 0.5) / percentile (ms[0], 0.5));
}

static void
time_http_kind (SoupSession *session, const gchar *base_url, const gchar *token, const gchar *label,
                const gchar *path)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gchar *url = g_strconcat (base_url, path, NULL);

  for (gint i = 0; i < opt_iterations; i++)
    {
      gint64 s = g_get_monotonic_time ();
      gdouble v;

      g_assert (http_get (session, url, token) == 200);
      v = (g_get_monotonic_time () - s) / 1000.0;
      g_array_append_val (ms, v);
    }
  report (label, ms);
}

/* Every day marked (as a reorganisation marks them), then statistics
 * requests while the background refresh computes: each answers at once
 * from the rollup as it stood, with its as_of. */
static void
time_during_refresh (SchedDb *db, SoupServer *server, SoupSession *session, const gchar *base_url,
                     const gchar *token)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gchar *url = g_strconcat (
      base_url,
      "/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=endpoint&compare=previous_year"
      "&units=successor",
      NULL);
  SchedStatsRefresher *refresher = sched_reports_get_refresher (server);
  gint64 days;
  guint during = 0;

  exec_or_die (db, "INSERT OR IGNORE INTO stats_rollup_dirty (day)"
                   " SELECT DISTINCT day FROM stats_rollup WHERE dim = 'unit'");
  days = count_or_die (db, "SELECT count(*) FROM stats_rollup_dirty");
  for (gint i = 0; i < MIN (opt_iterations, 30); i++)
    {
      gint64 s = g_get_monotonic_time ();
      gdouble v;

      g_assert (http_get (session, url, token) == 200);
      v = (g_get_monotonic_time () - s) / 1000.0;
      g_array_append_val (ms, v);
      if (sched_stats_refresher_is_running (refresher))
        during++;
    }
  printf ("\n%" G_GINT64_FORMAT " days marked; %u of %u requests answered while the background"
          " refresh ran (as_of: its last complete refresh)\n\n",
          days, during, ms->len);
  printf ("| %-30s | %5s | %8s | %8s | %8s |\n", "case", "runs", "p50", "p95", "max");
  printf ("|--------------------------------|-------|----------|----------|----------|\n");
  report ("endpoint, successor, stale", ms);
}

static void
time_kinds (SchedDb *db, GTimeZone *tz, SoupServer *server, SoupSession *session,
            const gchar *base_url, const gchar *token)
{
  g_autoptr (GDateTime) from = g_date_time_new (tz, 2024, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new (tz, 2025, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) mid_from = g_date_time_new (tz, 2023, 3, 15, 0, 0, 0);
  g_autoptr (GDateTime) mid_to = g_date_time_new (tz, 2024, 9, 20, 0, 0, 0);
  SchedStatsQuery year = { .from = g_date_time_to_unix (from),
                           .to = g_date_time_to_unix (to),
                           .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR };
  SchedStatsQuery mid = { .from = g_date_time_to_unix (mid_from),
                          .to = g_date_time_to_unix (mid_to),
                          .compare = SCHED_STATS_COMPARE_PREVIOUS_PERIOD };
  static const gchar *const http[][2] = {
    { "JSON unit, successor", "/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=unit"
                              "&compare=previous_year&units=successor" },
    { "JSON endpoint, successor", "/api/v1/stats?from=2024-01-01&to=2024-12-31"
                                  "&group_by=endpoint&compare=previous_year&units=successor" },
    { "JSON endpoint, historic", "/api/v1/stats?from=2024-01-01&to=2024-12-31"
                                 "&group_by=endpoint&compare=previous_year" },
    { "JSON level, successor", "/api/v1/stats?from=2024-01-01&to=2024-12-31&group_by=level"
                               "&compare=previous_year&units=successor" },
    { "CSV endpoint, successor", "/api/v1/stats.csv?from=2024-01-01&to=2024-12-31"
                                 "&group_by=endpoint&compare=previous_year&units=successor" },
    { "report sentence, successor", "/api/v1/reports/summary?from=2024-01-01&to=2024-12-31"
                                    "&units=successor" },
  };

  for (gint w = 0; w < 2; w++)
    {
      printf ("\n%s, query function, times in ms: month rows (now) | day rows only (before)\n\n",
              w ? "15/03/2023–20/09/2024 against the period before" : "2024 against 2023");
      printf ("| %-22s | %5s | %7s | %7s | %7s | %6s | %7s | %7s | %7s | %6s | %5s |\n", "case",
              "runs", "p50", "p95", "max", "rows", "p50", "p95", "max", "rows", "ratio");
      printf ("|------------------------|-------|---------|---------|---------|--------|"
              "---------|---------|---------|--------|-------|\n");
      for (gint g = SCHED_STATS_GROUP_NONE; g <= SCHED_STATS_GROUP_MONTH; g++)
        for (gint u = 0; u < 2; u++)
          time_kind (db, tz, w ? &mid : &year, g, u);
    }
  printf ("\nthrough HTTP (month rows), times in ms\n\n");
  printf ("| %-30s | %5s | %8s | %8s | %8s |\n", "case", "runs", "p50", "p95", "max");
  printf ("|--------------------------------|-------|----------|----------|----------|\n");
  for (gsize i = 0; i < G_N_ELEMENTS (http); i++)
    time_http_kind (session, base_url, token, http[i][0], http[i][1]);
  time_during_refresh (db, server, session, base_url, token);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = g_option_context_new ("— time /api/v1/stats");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = NULL, *path = NULL, *token = NULL, *base_url = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GPtrArray) rooms = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  SchedSettings settings = { .time_zone = (gchar *)"Asia/Ho_Chi_Minh" };
  SchedContext ctx = { .settings = &settings, .tz = tz };
  gboolean fresh;
  SchedDb *db;
  gint64 t0;
  GSList *uris;

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    die_on_error (error, "options");
  if (opt_db == NULL)
    {
      dir = g_dir_make_tmp ("vc-bench-stats-XXXXXX", &error);
      die_on_error (error, "temporary folder");
      path = g_build_filename (dir, "scheduler.db", NULL);
    }
  else
    path = g_strdup (opt_db);
  fresh = !g_file_test (path, G_FILE_TEST_EXISTS);
  db = sched_db_open (path, &error);
  die_on_error (error, path);
  ctx.db = db;

  if (fresh)
    {
      /* generation only: durability does not matter here */
      exec_or_die (db, "PRAGMA synchronous = OFF");
      rooms = opt_roster ? load_roster_file (db, opt_roster) : load_roster (db);
      t0 = g_get_monotonic_time ();
      generate (db, tz, rooms, opt_meetings, opt_max_rooms);
      printf ("generation: %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
      exec_or_die (db, "PRAGMA synchronous = FULL");
      time_bookings (db, 1767225600, "booking insert, no rollup yet");
    }
  t0 = g_get_monotonic_time ();
  sched_stats_rollup_ensure (db, tz, &error);
  die_on_error (error, "rollup");
  printf ("rollup build (first start on this database): %.1f s\n",
          (g_get_monotonic_time () - t0) / 1e6);
  exec_or_die (db, "ANALYZE");
  if (opt_generate_only)
    {
      sched_db_close (db);
      return 0;
    }

  server = soup_server_new (NULL, NULL);
  sched_reports_register (&ctx, server);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  soup_server_listen (server, address, 0, &error);
  die_on_error (error, "listen");
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  /* a hung request fails instead of waiting for ever */
  session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 0, NULL);
  token = sched_auth_create_token (db, SCHED_ROLE_MANAGER, NULL, NULL, "bench", &error);
  die_on_error (error, "token");

  if (opt_kinds)
    {
      g_autofree gchar *load_start = load_average (), *load_end = NULL;

      printf ("load average at the start: %s", load_start);
      time_kinds (db, tz, server, session, base_url, token);
      load_end = load_average ();
      printf ("load average at the end: %s", load_end);
      /* stops the background refresh; the marks were the benchmark's own
       * (no meeting changed): the rollup was right */
      g_clear_object (&server);
      exec_or_die (db, "DELETE FROM stats_rollup_dirty");
      sched_db_close (db);
      return 0;
    }

  {
    g_autoptr (GDateTime) from = g_date_time_new (tz, 2024, 1, 1, 0, 0, 0);
    g_autoptr (GDateTime) to = g_date_time_new (tz, 2025, 1, 1, 0, 0, 0);
    SchedStatsQuery q = { .from = g_date_time_to_unix (from),
                          .to = g_date_time_to_unix (to),
                          .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR };

    if (opt_after_only)
      goto after;
    printf ("\nyear 2024 compared with 2023, times in ms\n\n");
    printf ("| %-30s | %5s | %8s | %8s | %8s |\n", "case", "runs", "p50", "p95", "max");
    printf ("|--------------------------------|-------|----------|----------|----------|\n");
    for (gint g = SCHED_STATS_GROUP_NONE; g <= SCHED_STATS_GROUP_MONTH; g++)
      time_group (db, tz, &q, g, session, base_url, token);
    time_group_edges (db, tz, &q, SCHED_STATS_GROUP_ENDPOINT);
    time_group_edges (db, tz, &q, SCHED_STATS_GROUP_MONTH);
    /* The raw tables last: each run blocks the loop for seconds. */
    for (gint g = SCHED_STATS_GROUP_NONE; g <= SCHED_STATS_GROUP_MONTH; g++)
      time_group_raw (db, tz, &q, g);
  }

after:
  {
    g_autoptr (GDateTime) from = g_date_time_new (tz, 2024, 1, 1, 0, 0, 0);
    g_autoptr (GDateTime) to = g_date_time_new (tz, 2025, 1, 1, 0, 0, 0);
    SchedStatsQuery q = { .from = g_date_time_to_unix (from),
                          .to = g_date_time_to_unix (to),
                          .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR };
    g_autoptr (SchedStats) first = NULL;

    if (!apply_reorganisation (&ctx))
      goto done;
    if (opt_rebuild_after)
      {
        exec_or_die (db, "DELETE FROM stats_rollup_meta");
        t0 = g_get_monotonic_time ();
        sched_stats_rollup_ensure (db, tz, &error);
        die_on_error (error, "rollup");
        printf ("rollup rebuild after it: %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
      }
    time_first_query (db, session, base_url, token);
    first = sched_stats_compute (db, tz, &q, &error);
    die_on_error (error, "stats");
    printf ("\nyear 2024 compared with 2023 after the reorganisation, times in ms\n\n");
    printf ("| %-30s | %5s | %8s | %8s | %8s |\n", "case", "runs", "p50", "p95", "max");
    printf ("|--------------------------------|-------|----------|----------|----------|\n");
    for (gint g = SCHED_STATS_GROUP_UNIT; g <= SCHED_STATS_GROUP_MONTH; g++)
      time_units (db, tz, &q, g, session, base_url, token);
    time_folded_rooms (db, tz, &q);
  }

done:
  time_bookings (db, 1767225600 + 1000 * 3600, "booking insert, rollup built");
  time_refresh (db, tz);

  sched_db_close (db);
  if (dir)
    {
      g_autofree gchar *wal = g_strconcat (path, "-wal", NULL);
      g_autofree gchar *shm = g_strconcat (path, "-shm", NULL);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}
