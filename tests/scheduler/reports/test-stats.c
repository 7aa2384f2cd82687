/* test-stats.c — the statistics query: definitions, grouping, local-month
 * boundaries, comparisons, and the rollup agreeing with the raw queries. */
#include "../sched-test-schema-v4.h"
#include "reports-fixture.h"
#include "sched-error.h"
#include "sched-stats.h"

#include <string.h>

#define ROOMS(...) ((const gchar *const[]){ __VA_ARGS__, NULL })

static void
assert_metrics_equal (const SchedStatsMetrics *a, const SchedStatsMetrics *b)
{
  g_assert_cmpint (a->booked, ==, b->booked);
  g_assert_cmpint (a->cancelled, ==, b->cancelled);
  g_assert_cmpint (a->displaced, ==, b->displaced);
  g_assert_cmpint (a->held, ==, b->held);
  g_assert_cmpint (a->planned_seconds, ==, b->planned_seconds);
  g_assert_cmpint (a->actual_seconds, ==, b->actual_seconds);
  g_assert_cmpint (a->present, ==, b->present);
  g_assert_cmpint (a->invited, ==, b->invited);
}

static void
assert_stats_equal (const SchedStats *a, const SchedStats *b)
{
  assert_metrics_equal (&a->totals, &b->totals);
  assert_metrics_equal (&a->previous_totals, &b->previous_totals);
  g_assert_cmpint (a->previous_from, ==, b->previous_from);
  g_assert_cmpint (a->previous_to, ==, b->previous_to);
  g_assert_cmpuint (a->rows->len, ==, b->rows->len);
  for (guint i = 0; i < a->rows->len; i++)
    {
      const SchedStatsRow *x = g_ptr_array_index (a->rows, i);
      const SchedStatsRow *y = g_ptr_array_index (b->rows, i);
      g_assert_cmpstr (x->key, ==, y->key);
      g_assert_cmpstr (x->name, ==, y->name);
      assert_metrics_equal (&x->current, &y->current);
      assert_metrics_equal (&x->previous, &y->previous);
    }
}

/* Computes @query both from the raw tables and (when @expect_rollup) from
 * the rollup, checks they agree, and returns the raw result. */
static SchedStats *
compute_both (ReportsFixture *f, gint64 from, gint64 to, SchedStatsGroup group,
              SchedStatsCompare compare, gboolean expect_rollup)
{
  g_autoptr (GError) error = NULL;
  SchedStatsQuery q = { .from = from, .to = to, .group_by = group, .compare = compare };
  g_autoptr (SchedStats) fast = NULL;
  SchedStats *raw;

  fast = sched_stats_compute (f->db, f->tz, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fast->used_rollup, ==, expect_rollup);
  q.force_raw = TRUE;
  raw = sched_stats_compute (f->db, f->tz, &q, &error);
  g_assert_no_error (error);
  g_assert_false (raw->used_rollup);
  assert_stats_equal (raw, fast);
  return raw;
}

static const SchedStatsRow *
find_row (const SchedStats *s, const gchar *key)
{
  for (guint i = 0; i < s->rows->len; i++)
    {
      const SchedStatsRow *row = g_ptr_array_index (s->rows, i);
      if (g_str_equal (row->key, key))
        return row;
    }
  return NULL;
}

static void
check_row (const SchedStats *s, const gchar *key, gint64 booked, gint64 held, gint64 cancelled,
           gint64 planned_minutes, gint64 actual_minutes)
{
  const SchedStatsRow *row = find_row (s, key);

  if (row == NULL)
    g_error ("no row %s", key);
  g_assert_cmpint (row->current.booked, ==, booked);
  g_assert_cmpint (row->current.held, ==, held);
  g_assert_cmpint (sched_stats_metrics_cancelled_total (&row->current), ==, cancelled);
  g_assert_cmpint (row->current.planned_seconds, ==, planned_minutes * 60);
  g_assert_cmpint (row->current.actual_seconds, ==, actual_minutes * 60);
}

static void
ensure_rollup (ReportsFixture *f)
{
  g_autoptr (GError) error = NULL;
  sched_stats_rollup_ensure (f->db, f->tz, &error);
  g_assert_no_error (error);
}

/* Six meetings of June 2024 covering every status (see the comments). */
static void
seed_june (ReportsFixture *f)
{
  gint64 day = reports_local (f, 2024, 6, 10, 8, 0);
  gint64 b;

  /* A: held, 60 min planned, 50 min actual, 2/2 present */
  reports_add_meeting (f, "ubnd-tinh", "A", day, 60, "ended", TRUE, 3000, 2, 2,
                       ROOMS ("p-ubnd", "d-vinh"));
  /* B: scheduled, not (yet) held, 90 min; p-tu added then removed */
  b = reports_add_meeting (f, "ubnd-tinh", "B", day + 86400, 90, "scheduled", FALSE, 0, 1, 3,
                           ROOMS ("p-ubnd", "d-cualo", "s-tttt"));
  {
    g_autofree gchar *sql = g_strdup_printf (
        "INSERT INTO meeting_endpoints VALUES (%" G_GINT64_FORMAT ", 'p-tu', 0, 1, 1);"
        "UPDATE meeting_endpoints SET active = 0 WHERE meeting_id = %" G_GINT64_FORMAT
        " AND endpoint = 'p-tu';",
        b, b);
    reports_exec (f, sql);
  }
  /* C: cancelled (its rooms are inactive), 120 min */
  reports_add_meeting (f, "tinh-uy", "C", day + 2 * 86400, 120, "cancelled", FALSE, 0, 0, 0,
                       ROOMS ("p-tu", "d-vinh"));
  /* D: displaced, 30 min */
  reports_add_meeting (f, "tinh-uy", "D", day + 3 * 86400, 30, "displaced", FALSE, 0, 0, 0,
                       ROOMS ("p-tu", "c-hungdung"));
  /* E: held, 45 min planned, 40 min actual, 3/4 present */
  reports_add_meeting (f, "so-tttt", "E", day + 4 * 86400, 45, "ended", TRUE, 2400, 3, 4,
                       ROOMS ("s-tttt", "d-vinh", "d-cualo"));
  /* F: ended but only one room joined: not held */
  reports_add_meeting (f, "ubnd-tinh", "F", day + 5 * 86400, 60, "ended", FALSE, 0, 1, 2,
                       ROOMS ("p-ubnd", "d-vinh"));
}

static void
test_stats_definitions (ReportsFixture *f, gconstpointer data)
{
  gint64 from = reports_local (f, 2024, 6, 1, 0, 0), to = reports_local (f, 2024, 7, 1, 0, 0);
  g_autoptr (SchedStats) s = NULL;
  gdouble rate = 0;

  ensure_rollup (f);
  seed_june (f);

  s = compute_both (f, from, to, SCHED_STATS_GROUP_NONE, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpint (s->totals.booked, ==, 6);
  g_assert_cmpint (s->totals.cancelled, ==, 1);
  g_assert_cmpint (s->totals.displaced, ==, 1);
  g_assert_cmpint (sched_stats_metrics_cancelled_total (&s->totals), ==, 2);
  g_assert_cmpint (s->totals.held, ==, 2);
  g_assert_cmpint (s->totals.planned_seconds, ==, (60 + 90 + 45 + 60) * 60);
  g_assert_cmpint (s->totals.actual_seconds, ==, 3000 + 2400);
  g_assert_true (sched_stats_metrics_attendance_rate (&s->totals, &rate));
  g_assert_cmpfloat_with_epsilon (rate, 5.0 / 6.0, 1e-9);
  g_assert_cmpuint (s->rows->len, ==, 0);
  g_clear_pointer (&s, sched_stats_free);

  s = compute_both (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpuint (s->rows->len, ==, 3);
  /* held desc, then booked desc */
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[0])->key, ==, "ubnd-tinh");
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[0])->name, ==, "UBND tỉnh");
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[1])->key, ==, "so-tttt");
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[2])->key, ==, "tinh-uy");
  check_row (s, "ubnd-tinh", 3, 1, 0, 210, 50);
  check_row (s, "so-tttt", 1, 1, 0, 45, 40);
  check_row (s, "tinh-uy", 2, 0, 2, 0, 0);
  g_assert_false (sched_stats_metrics_attendance_rate (&find_row (s, "tinh-uy")->current, &rate));
  g_clear_pointer (&s, sched_stats_free);

  s = compute_both (f, from, to, SCHED_STATS_GROUP_ENDPOINT, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpuint (s->rows->len, ==, 6);
  check_row (s, "d-vinh", 4, 2, 1, 165, 90);
  check_row (s, "p-ubnd", 3, 1, 0, 210, 50);
  check_row (s, "p-tu", 2, 0, 2, 0, 0); /* removed from B: not counted there */
  check_row (s, "d-cualo", 2, 1, 0, 135, 40);
  check_row (s, "s-tttt", 2, 1, 0, 135, 40);
  check_row (s, "c-hungdung", 1, 0, 1, 0, 0);
  g_assert_cmpstr (find_row (s, "d-vinh")->name, ==, "UBND thành phố Vinh");
  /* the totals stay per meeting */
  g_assert_cmpint (s->totals.booked, ==, 6);
  g_clear_pointer (&s, sched_stats_free);

  s = compute_both (f, from, to, SCHED_STATS_GROUP_LEVEL, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpuint (s->rows->len, ==, 4);
  check_row (s, "province", 5, 1, 2, 210, 50);
  check_row (s, "district", 5, 2, 1, 255, 90);
  check_row (s, "department", 2, 1, 0, 135, 40);
  check_row (s, "commune", 1, 0, 1, 0, 0);
  g_assert_cmpstr (find_row (s, "province")->name, ==, "Cấp tỉnh");
  g_clear_pointer (&s, sched_stats_free);
}

static void
test_stats_month_boundaries (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (SchedStats) s = NULL;
  gint64 t;

  ensure_rollup (f);
  /* 23:30 local on 30/06 is June */
  t = reports_local (f, 2024, 6, 30, 23, 30);
  g_assert_cmpint (t, ==, 1719765000); /* 2024-06-30T16:30:00Z */
  reports_add_held (f, "ubnd-tinh", t);
  /* 2024-06-30T17:30Z is 00:30 local on 01/07: July */
  reports_add_held (f, "ubnd-tinh", 1719768600);
  /* 2024-05-31T16:59Z is 23:59 local on 31/05: May */
  reports_add_held (f, "tinh-uy", 1717174740);
  /* 2024-05-31T17:00Z is local midnight of 01/06: June */
  reports_add_held (f, "tinh-uy", 1717174800);

  s = compute_both (f, reports_local (f, 2024, 5, 1, 0, 0), reports_local (f, 2024, 8, 1, 0, 0),
                    SCHED_STATS_GROUP_MONTH, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpuint (s->rows->len, ==, 3);
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[0])->key, ==, "2024-05");
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[0])->name, ==, "05/2024");
  g_assert_cmpint (((SchedStatsRow *)s->rows->pdata[0])->current.held, ==, 1);
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[1])->key, ==, "2024-06");
  g_assert_cmpint (((SchedStatsRow *)s->rows->pdata[1])->current.held, ==, 2);
  g_assert_cmpstr (((SchedStatsRow *)s->rows->pdata[2])->key, ==, "2024-07");
  g_assert_cmpint (((SchedStatsRow *)s->rows->pdata[2])->current.held, ==, 1);
  g_assert_cmpint (s->totals.held, ==, 4);
  g_clear_pointer (&s, sched_stats_free);

  /* June alone */
  s = compute_both (f, reports_local (f, 2024, 6, 1, 0, 0), reports_local (f, 2024, 7, 1, 0, 0),
                    SCHED_STATS_GROUP_UNIT, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpint (s->totals.held, ==, 2);
  g_clear_pointer (&s, sched_stats_free);

  /* Bounds inside a day: the whole days from the rollup, the ends raw.
   * 23:30 local on 31/05 to 00:10 local on 01/07. */
  s = compute_both (f, 1717173000 /* 2024-05-31T16:30Z */, 1719767400 /* 2024-06-30T17:10Z */,
                    SCHED_STATS_GROUP_MONTH, SCHED_STATS_COMPARE_PREVIOUS_PERIOD, TRUE);
  g_assert_cmpint (s->totals.held, ==, 3);
  g_assert_cmpuint (s->rows->len, ==, 3); /* May, June, and ten minutes of July */
  g_assert_cmpint (((SchedStatsRow *)s->rows->pdata[0])->current.held, ==, 1);
  g_assert_cmpint (((SchedStatsRow *)s->rows->pdata[1])->current.held, ==, 2);
  g_assert_cmpint (((SchedStatsRow *)s->rows->pdata[2])->current.held, ==, 0);
  g_clear_pointer (&s, sched_stats_free);
  s = compute_both (f, 1717173000, 1719767400, SCHED_STATS_GROUP_ENDPOINT, SCHED_STATS_COMPARE_NONE,
                    TRUE);
  g_assert_cmpint (s->totals.held, ==, 3);
  g_clear_pointer (&s, sched_stats_free);

  /* A window inside one local day reads the raw tables only. */
  s = compute_both (f, 1719763200 /* 16:00Z */, 1719770400 /* 18:00Z */, SCHED_STATS_GROUP_MONTH,
                    SCHED_STATS_COMPARE_NONE, FALSE);
  g_assert_cmpint (s->totals.held, ==, 2);
  g_assert_cmpuint (s->rows->len, ==, 2); /* June and July, cut to the window */
  g_clear_pointer (&s, sched_stats_free);
}

static void
test_stats_compare (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (SchedStats) s = NULL;
  gint64 from = reports_local (f, 2024, 1, 1, 0, 0), to = reports_local (f, 2024, 7, 1, 0, 0);
  gdouble pct = 0;
  const SchedStatsRow *row;

  ensure_rollup (f);
  for (gint i = 0; i < 3; i++)
    reports_add_held (f, "ubnd-tinh", reports_local (f, 2024, 2 + i, 3, 8, 0));
  reports_add_held (f, "tinh-uy", reports_local (f, 2024, 5, 3, 8, 0));
  reports_add_held (f, "ubnd-tinh", reports_local (f, 2023, 2, 3, 8, 0));
  reports_add_held (f, "so-tc", reports_local (f, 2023, 6, 30, 15, 0));
  /* outside both windows */
  reports_add_held (f, "so-tc", reports_local (f, 2023, 7, 1, 8, 0));
  reports_add_held (f, "so-tc", reports_local (f, 2022, 12, 31, 8, 0));

  s = compute_both (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_COMPARE_PREVIOUS_YEAR, TRUE);
  g_assert_cmpint (s->previous_from, ==, reports_local (f, 2023, 1, 1, 0, 0));
  g_assert_cmpint (s->previous_to, ==, reports_local (f, 2023, 7, 1, 0, 0));
  g_assert_cmpint (s->totals.held, ==, 4);
  g_assert_cmpint (s->previous_totals.held, ==, 2);
  g_assert_true (sched_stats_change_pct (s->totals.held, s->previous_totals.held, &pct));
  g_assert_cmpfloat_with_epsilon (pct, 100.0, 1e-9);
  g_assert_cmpuint (s->rows->len, ==, 3);
  row = find_row (s, "ubnd-tinh");
  g_assert_cmpint (row->current.held, ==, 3);
  g_assert_cmpint (row->previous.held, ==, 1);
  row = find_row (s, "so-tc"); /* only last year: listed with zeros now */
  g_assert_cmpint (row->current.held, ==, 0);
  g_assert_cmpint (row->previous.held, ==, 1);
  g_assert_true (sched_stats_change_pct (0, 1, &pct));
  g_assert_cmpfloat_with_epsilon (pct, -100.0, 1e-9);
  row = find_row (s, "tinh-uy");
  g_assert_false (sched_stats_change_pct (row->current.held, row->previous.held, &pct));
  g_clear_pointer (&s, sched_stats_free);

  /* previous_period of Q2 2024 (91 days) is Q1 2024 */
  s = compute_both (f, reports_local (f, 2024, 4, 1, 0, 0), to, SCHED_STATS_GROUP_NONE,
                    SCHED_STATS_COMPARE_PREVIOUS_PERIOD, TRUE);
  g_assert_cmpint (s->previous_from, ==, from);
  g_assert_cmpint (s->previous_to, ==, reports_local (f, 2024, 4, 1, 0, 0));
  g_assert_cmpint (s->totals.held, ==, 2);          /* April, May */
  g_assert_cmpint (s->previous_totals.held, ==, 2); /* February, March */
  g_clear_pointer (&s, sched_stats_free);

  /* months line up by position against last year */
  s = compute_both (f, from, to, SCHED_STATS_GROUP_MONTH, SCHED_STATS_COMPARE_PREVIOUS_YEAR, TRUE);
  g_assert_cmpuint (s->rows->len, ==, 6);
  row = g_ptr_array_index (s->rows, 1);
  g_assert_cmpstr (row->key, ==, "2024-02");
  g_assert_cmpint (row->current.held, ==, 1);
  g_assert_cmpint (row->previous.held, ==, 1);
  row = g_ptr_array_index (s->rows, 5);
  g_assert_cmpstr (row->key, ==, "2024-06");
  g_assert_cmpint (row->current.held, ==, 0);
  g_assert_cmpint (row->previous.held, ==, 1);
  g_clear_pointer (&s, sched_stats_free);
}

static void
test_stats_invalid (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SchedStatsQuery q = { .from = 100, .to = 100 };
  SchedStatsGroup group;
  g_autofree gchar *field = NULL;

  g_assert_null (sched_stats_compute (f->db, f->tz, &q, &error));
  g_assert_error (error, SCHED_ERROR, SCHED_ERROR_INVALID);
  field = sched_error_get_field (error);
  g_assert_cmpstr (field, ==, "to");
  g_assert_false (sched_stats_group_from_string ("room", &group));
  g_assert_true (sched_stats_group_from_string ("level", &group));
  g_assert_cmpint (group, ==, SCHED_STATS_GROUP_LEVEL);
}

/* The rollup's rows, sorted, zero rows left out: to compare the
 * incremental triggers with a rebuild from scratch. */
static gchar *
dump_rollup (ReportsFixture *f)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (sched_db_handle (f->db),
                                       "SELECT dim, day, key, booked, cancelled, displaced, held,"
                                       " planned_seconds, actual_seconds, present, invited"
                                       " FROM stats_rollup WHERE booked != 0 OR cancelled != 0"
                                       " OR displaced != 0 OR held != 0 OR planned_seconds != 0"
                                       " OR actual_seconds != 0 OR present != 0 OR invited != 0"
                                       " ORDER BY dim, day, key",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < 11; i++)
        g_string_append_printf (out, "%s|", (const gchar *)sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static void
check_all_groupings (ReportsFixture *f)
{
  const gint64 windows[][2] = {
    { reports_local (f, 2024, 1, 1, 0, 0), reports_local (f, 2025, 1, 1, 0, 0) },
    { reports_local (f, 2024, 3, 15, 0, 0), reports_local (f, 2024, 9, 2, 0, 0) },
    { reports_local (f, 2023, 11, 30, 9, 30), reports_local (f, 2024, 2, 29, 16, 45) },
  };
  for (gsize w = 0; w < G_N_ELEMENTS (windows); w++)
    for (gint g = SCHED_STATS_GROUP_NONE; g <= SCHED_STATS_GROUP_MONTH; g++)
      {
        SchedStats *s = compute_both (f, windows[w][0], windows[w][1], g,
                                      SCHED_STATS_COMPARE_PREVIOUS_YEAR, TRUE);
        sched_stats_free (s);
      }
}

static void
test_stats_rollup_consistency (ReportsFixture *f, gconstpointer data)
{
  static const gchar *const units[] = { "ubnd-tinh", "tinh-uy", "so-tttt", "so-tc", "so-xd" };
  static const gchar *const rooms[]
      = { "p-ubnd", "p-tu", "d-vinh", "d-cualo", "s-tttt", "c-hungdung" };
  static const gchar *const statuses[]
      = { "scheduled", "ended", "ended", "cancelled", "displaced" };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240630);
  g_autoptr (GError) error = NULL;
  gint64 base = reports_local (f, 2023, 1, 1, 0, 0);
  g_autofree gchar *incremental = NULL, *rebuilt = NULL;

  /* half the data before the rollup exists (built by ensure), half after */
  for (gint phase = 0; phase < 2; phase++)
    {
      for (gint i = 0; i < 150; i++)
        {
          const gchar *chosen[7] = { NULL };
          gint n = g_rand_int_range (rand, 2, 6), k = 0;
          gint first = g_rand_int_range (rand, 0, G_N_ELEMENTS (rooms));
          const gchar *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
          gboolean held = g_str_equal (status, "ended") && g_rand_boolean (rand);

          for (gint j = 0; j < n; j++)
            chosen[k++] = rooms[(first + j) % G_N_ELEMENTS (rooms)];
          reports_add_meeting (f, units[g_rand_int_range (rand, 0, G_N_ELEMENTS (units))], "x",
                               base + g_rand_int_range (rand, 0, 2 * 365 * 24) * 3600
                                   + g_rand_int_range (rand, 0, 3600),
                               g_rand_int_range (rand, 15, 240), status, held,
                               held ? g_rand_int_range (rand, 60, 9000) : 0,
                               g_rand_int_range (rand, 0, n + 1), n, chosen);
        }
      if (phase == 0)
        ensure_rollup (f);
    }
  check_all_groupings (f);

  /* what the booking and attendance code do to existing rows */
  reports_exec (f, "UPDATE meetings SET status = 'cancelled' WHERE id % 7 = 0;"
                   "UPDATE meeting_endpoints SET active = 0 WHERE meeting_id % 7 = 0;"
                   "UPDATE meetings SET held = 1 - held, actual_seconds = 1200,"
                   " present_count = 2 WHERE id % 5 = 0 AND status = 'ended';"
                   "UPDATE meetings SET start_at = start_at + 86400 * 40,"
                   " end_at = end_at + 86400 * 40 WHERE id % 11 = 0;"
                   "UPDATE meeting_endpoints SET active = 0 WHERE meeting_id % 3 = 0"
                   " AND endpoint = 'd-vinh';"
                   "DELETE FROM meeting_endpoints WHERE meeting_id % 13 = 0"
                   " AND endpoint = 'd-cualo';"
                   "UPDATE meeting_endpoints SET endpoint = 'c-hungdung' WHERE meeting_id % 17 = 0"
                   " AND endpoint = 's-tttt' AND NOT EXISTS (SELECT 1 FROM meeting_endpoints o"
                   " WHERE o.meeting_id = meeting_endpoints.meeting_id"
                   " AND o.endpoint = 'c-hungdung');"
                   "UPDATE meetings SET unit = 'so-tc' WHERE id % 19 = 0;"
                   "DELETE FROM meeting_endpoints WHERE meeting_id = 23;"
                   "DELETE FROM meetings WHERE id = 23;");
  check_all_groupings (f);
  reports_exec (f, "UPDATE endpoints SET level = 'district' WHERE code = 's-tttt';");
  check_all_groupings (f);

  incremental = dump_rollup (f);
  sched_stats_rollup_rebuild (f->db, &error);
  g_assert_no_error (error);
  rebuilt = dump_rollup (f);
  g_assert_cmpstr (incremental, ==, rebuilt);
  g_assert_cmpuint (strlen (rebuilt), >, 1000);
}

static gint64
count_rows (ReportsFixture *f, const gchar *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (sched_db_handle (f->db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The shape of a schema v3 database: no dirty-day table or triggers, the
 * v3 indexes, and what the reports code of that time left in it (a rollup
 * of version 1, here with a wrong row, and its triggers). */
static const gchar schema_v3_shape[] = SCHED_TEST_SCHEMA_V4_SHAPE
    "DROP TRIGGER stats_rollup_dirty_meeting_insert;"
    "DROP TRIGGER stats_rollup_dirty_meeting_update;"
    "DROP TRIGGER stats_rollup_dirty_meeting_delete;"
    "DROP TRIGGER stats_rollup_dirty_room_insert;"
    "DROP TRIGGER stats_rollup_dirty_room_update;"
    "DROP TRIGGER stats_rollup_dirty_room_delete;"
    "DROP TRIGGER stats_rollup_dirty_endpoint_level;"
    "DROP TABLE stats_rollup_dirty;"
    "DROP INDEX meetings_by_series;"
    "CREATE INDEX meetings_by_series ON meetings(series_id);"
    "CREATE INDEX meeting_endpoints_by_room ON meeting_endpoints(endpoint, start_at)"
    "  WHERE active = 1;"
    "INSERT INTO stats_rollup_meta (id, offset_seconds, version) VALUES (1, 25200, 1);"
    "INSERT INTO stats_rollup (dim, day, key, booked) VALUES ('unit', 19884, 'ubnd-tinh', 999);"
    "CREATE TRIGGER stats_rollup_meeting_insert AFTER INSERT ON meetings BEGIN"
    "  UPDATE stats_rollup SET booked = booked + 1 WHERE key = 'ubnd-tinh'; END;"
    "PRAGMA user_version = 3;";

/* A v3 database with meetings is migrated to v4 on open, and the first
 * start of the reports part backfills the rollup from those meetings. */
static void
test_stats_upgrade_v3 (ReportsFixture *f, gconstpointer data)
{
  gint64 from = reports_local (f, 2024, 6, 1, 0, 0), to = reports_local (f, 2024, 7, 1, 0, 0);
  g_autofree gchar *path = g_build_filename (f->dir, "scheduler.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedStats) s = NULL;

  reports_exec (f, schema_v3_shape);
  seed_june (f);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM meetings"), ==, 6);
  g_clear_pointer (&f->db, sched_db_close);

  f->db = sched_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "PRAGMA user_version"), ==, SCHED_DB_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                  " AND name LIKE 'stats_rollup_dirty_%'"),
                   ==, 9);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                  " ('stats_rollup_meeting_insert', 'meeting_endpoints_by_room')"),
                   ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM stats_rollup_meta"), ==, 0);

  ensure_rollup (f); /* the backfill */
  s = compute_both (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpint (s->totals.booked, ==, 6);
  g_assert_cmpint (s->totals.held, ==, 2);
  check_row (s, "ubnd-tinh", 3, 1, 0, 210, 50);
  check_row (s, "tinh-uy", 2, 0, 2, 0, 0);
  g_clear_pointer (&s, sched_stats_free);
  s = compute_both (f, from, to, SCHED_STATS_GROUP_ENDPOINT, SCHED_STATS_COMPARE_NONE, TRUE);
  check_row (s, "d-vinh", 4, 2, 1, 165, 90);
  g_clear_pointer (&s, sched_stats_free);

  /* and the upgraded database keeps the rollup current */
  reports_add_held (f, "ubnd-tinh", reports_local (f, 2024, 6, 20, 9, 0));
  s = compute_both (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_COMPARE_NONE, TRUE);
  check_row (s, "ubnd-tinh", 4, 2, 0, 270, 100);
}

/* A rollup of version 5 (day rows only, before schema v9) gets its month
 * rows from its day rows at the next start, without recounting the
 * meetings: a day row's wrong count (which a recount would correct) shows
 * in the month's answer, and the rollup records when it was last brought
 * up to date only when no day is marked. */
static void
test_stats_upgrade_rollup_v5 (ReportsFixture *f, gconstpointer data)
{
  gint64 from = reports_local (f, 2024, 6, 1, 0, 0), to = reports_local (f, 2024, 7, 1, 0, 0);
  SchedStatsQuery q = { .from = from, .to = to, .group_by = SCHED_STATS_GROUP_UNIT };
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedStats) raw = NULL, s = NULL;

  seed_june (f);
  ensure_rollup (f);
  raw = compute_both (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_COMPARE_NONE, TRUE);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM stats_rollup_month WHERE dim = 'unit'"
                                  " AND month = 2024 * 12 + 5"),
                   >, 0);
  reports_exec (f, "DELETE FROM stats_rollup_month;"
                   "UPDATE stats_rollup_meta SET version = 5, refreshed_at = NULL;"
                   "UPDATE stats_rollup SET booked = booked + 100"
                   " WHERE dim = 'unit' AND key = 'ubnd-tinh';");
  ensure_rollup (f);
  g_assert_cmpint (count_rows (f, "SELECT version FROM stats_rollup_meta"), ==, 6);
  g_assert_cmpint (count_rows (f, "SELECT refreshed_at > 0 FROM stats_rollup_meta"), ==, 1);
  s = sched_stats_compute (f->db, f->tz, &q, &error);
  g_assert_no_error (error);
  g_assert_true (s->used_rollup);
  g_assert_cmpint (s->totals.booked, ==,
                   raw->totals.booked
                       + 100
                             * count_rows (f, "SELECT count(*) FROM stats_rollup WHERE dim = 'unit'"
                                              " AND key = 'ubnd-tinh'"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/reports/stats/" name, ReportsFixture, NULL, reports_fixture_set_up, fn,            \
              reports_fixture_tear_down)
  ADD ("definitions", test_stats_definitions);
  ADD ("month-boundaries", test_stats_month_boundaries);
  ADD ("compare", test_stats_compare);
  ADD ("invalid", test_stats_invalid);
  ADD ("rollup-consistency", test_stats_rollup_consistency);
  ADD ("upgrade-v3", test_stats_upgrade_v3);
  ADD ("upgrade-rollup-v5", test_stats_upgrade_rollup_v5);
  return g_test_run ();
}
