/* test-reorg-stats.c — statistics across the 2025 reorganisation (issue
 * #16). A reorganisation applied through sched_reorg_run() (as the API and
 * the CLI apply it) dissolves two district units on 01/07/2025: Vinh's
 * into a new commune unit, whose room it becomes (moved to the commune
 * level), Cửa Lò's into the province's People's Committee, its room closed
 * into the province's room. Then:
 *  - the seeds' figures (H1 2024: 12 meetings, 07/03/01/01; Jan–Apr 2020
 *    double Jan–Apr 2019) come out exactly as before, historic and
 *    successor, and every grouping of the past is unchanged, on the rollup
 *    and on the raw tables;
 *  - a year-on-year comparison across the reform date gives the same
 *    totals grouped historically and by successor, the successor rows
 *    carry the dissolved units' meetings, and the report sentence says the
 *    units compared differ;
 *  - rooms closed into one successor room (and the district level folding
 *    into the province level) count a meeting that had several of them
 *    once for the successor room or level, as a meeting counts once for
 *    its unit. */
#include "reports-fixture.h"
#include "sched-error.h"
#include "sched-report-text.h"
#include "sched-reorg.h"
#include "sched-stats.h"

#include <string.h>

#define ROOMS(...) ((const gchar *const[]){ __VA_ARGS__, NULL })

static const gchar h1_2024[]
    = "Từ 01/01/2024 đến 30/06/2024, hệ thống đã phục vụ 12 cuộc họp trực tuyến (trong đó "
      "UBND tỉnh 07 cuộc, Tỉnh ủy 03 cuộc, Sở Thông tin và Truyền thông 01 cuộc, Sở Tài chính "
      "01 cuộc), tổng thời gian 10,5 giờ. Số cuộc họp tăng 50% so với cùng kỳ năm 2023 (08 cuộc).";

static const gchar jan_apr_2020[]
    = "Từ 01/01/2020 đến 30/04/2020, hệ thống đã phục vụ 20 cuộc họp trực tuyến (trong đó "
      "UBND tỉnh 12 cuộc, UBND thị xã Cửa Lò 04 cuộc, UBND thành phố Vinh 04 cuộc), tổng thời "
      "gian 16,7 giờ. Số cuộc họp tăng 100% so với cùng kỳ năm 2019 (10 cuộc).";

static const gchar reorganisation[]
    = "{\"format\": \"vc-province-reorganisation/1\",\n"
      " \"name\": \"test-2025-07-01\",\n"
      " \"effective\": \"2025-07-01\",\n"
      " \"entries\": [\n"
      "  {\"op\": \"add-unit\", \"code\": \"xa-vinh-vi-du\", \"name\": \"UBND xã Vinh (ví dụ)\","
      " \"level\": \"commune\", \"parent\": \"ubnd-tinh\"},\n"
      "  {\"op\": \"dissolve\", \"unit\": \"ubnd-vinh\", \"successor\": \"xa-vinh-vi-du\"},\n"
      "  {\"op\": \"rehome\", \"room\": \"d-vinh\", \"unit\": \"xa-vinh-vi-du\","
      " \"level\": \"commune\", \"name\": \"Điểm cầu xã Vinh (ví dụ)\"},\n"
      "  {\"op\": \"merge\", \"units\": [\"ubnd-cua-lo\"], \"into\": \"ubnd-tinh\"},\n"
      "  {\"op\": \"close-room\", \"room\": \"d-cualo\", \"successor\": \"p-ubnd\"}\n"
      " ]}\n";

/* Two district units for the fixture's district rooms. */
static void
add_district_units (ReportsFixture *f)
{
  reports_exec (f, "INSERT INTO units (code, name, priority, level) VALUES"
                   " ('ubnd-vinh', 'UBND thành phố Vinh', 10, 'district'),"
                   " ('ubnd-cua-lo', 'UBND thị xã Cửa Lò', 10, 'district');"
                   "UPDATE endpoints SET unit = 'ubnd-vinh' WHERE code = 'd-vinh';"
                   "UPDATE endpoints SET unit = 'ubnd-cua-lo' WHERE code = 'd-cualo';");
}

static void
held (ReportsFixture *f, const gchar *unit, const gchar *room, gint64 start)
{
  reports_add_meeting (f, unit, "Họp trực tuyến", start, 60, "ended", TRUE, 3000, 2, 2,
                       ROOMS ("p-ubnd", room));
}

/* Jan–Apr 2019: 10 held (UBND tỉnh 6, Vinh 2, Cửa Lò 2); Jan–Apr 2020:
 * 20 (12, 4, 4), COVID-19 doubling the online meetings. */
static void
seed_2019_2020 (ReportsFixture *f)
{
  for (gint i = 0; i < 20; i++)
    {
      const gchar *unit = i < 12 ? "ubnd-tinh" : i < 16 ? "ubnd-vinh" : "ubnd-cua-lo";
      const gchar *room = i < 12 ? "p-tu" : i < 16 ? "d-vinh" : "d-cualo";
      held (f, unit, room, reports_local (f, 2020, 1 + i % 4, 2 + i, 8, 0));
      if (i % 2 == 0)
        held (f, unit, room, reports_local (f, 2019, 1 + i % 4, 2 + i, 8, 0));
    }
}

/* H2 2024: Vinh 3, Cửa Lò 1, UBND tỉnh 2; H2 2025, after the reform: the
 * new commune 2, UBND tỉnh 4 (one of them with the room of the old Cửa Lò
 * rooms' successor). */
static void
seed_across_reform (ReportsFixture *f)
{
  for (gint i = 0; i < 3; i++)
    held (f, "ubnd-vinh", "d-vinh", reports_local (f, 2024, 8 + i, 10, 9, 0));
  /* without the province's room: folding d-cualo into p-ubnd counts it once */
  reports_add_meeting (f, "ubnd-cua-lo", "Họp trực tuyến", reports_local (f, 2024, 11, 5, 9, 0), 60,
                       "ended", TRUE, 3000, 2, 2, ROOMS ("p-tu", "d-cualo"));
  held (f, "ubnd-tinh", "p-tu", reports_local (f, 2024, 7, 15, 9, 0));
  held (f, "ubnd-tinh", "p-tu", reports_local (f, 2024, 12, 15, 9, 0));
  held (f, "xa-vinh-vi-du", "d-vinh", reports_local (f, 2025, 9, 9, 9, 0));
  held (f, "xa-vinh-vi-du", "d-vinh", reports_local (f, 2025, 10, 9, 9, 0));
  for (gint i = 0; i < 4; i++)
    held (f, "ubnd-tinh", "p-tu", reports_local (f, 2025, 7 + i, 20, 9, 0));
}

static void
apply_reorganisation (ReportsFixture *f)
{
  SchedContext ctx = { .db = f->db, .tz = f->tz };
  SchedCore core = { .ctx = &ctx };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) summary = sched_reorg_run (&core, reorganisation, strlen (reorganisation),
                                                  "test", SCHED_REORG_APPLY, &extra, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
}

static gchar *
summary (ReportsFixture *f, gint64 from, gint64 to, SchedStatsUnits units)
{
  g_autoptr (GError) error = NULL;
  gchar *text = sched_report_summary_units (f->db, f->tz, from, to, "vi", units, &error);

  g_assert_no_error (error);
  g_test_message ("%s", text);
  return text;
}

static SchedStats *
compute (ReportsFixture *f, gint64 from, gint64 to, SchedStatsGroup group, SchedStatsUnits units,
         gboolean raw)
{
  g_autoptr (GError) error = NULL;
  SchedStatsQuery q = { .from = from,
                        .to = to,
                        .group_by = group,
                        .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR,
                        .units = units,
                        .force_raw = raw };
  SchedStats *stats = sched_stats_compute (f->db, f->tz, &q, &error);

  g_assert_no_error (error);
  return stats;
}

/* Every grouping of a window as JSON text, for before/after comparisons. */
static gchar *
all_groupings (ReportsFixture *f, gint64 from, gint64 to, SchedStatsUnits units, gboolean raw)
{
  GString *out = g_string_new (NULL);

  for (gint g = SCHED_STATS_GROUP_NONE; g <= SCHED_STATS_GROUP_MONTH; g++)
    {
      g_autoptr (SchedStats) stats = compute (f, from, to, g, units, raw);
      g_autoptr (JsonNode) node = sched_stats_to_json (stats, f->tz);
      JsonObject *o = json_node_get_object (node);
      g_autofree gchar *text = NULL;

      json_object_remove_member (o, "units"); /* the one member that names the mode */
      json_object_remove_member (o, "as_of"); /* the time of the query */
      text = json_to_string (node, FALSE);
      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
ensure_rollup (ReportsFixture *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sched_stats_rollup_ensure (f->db, f->tz, &error));
  g_assert_no_error (error);
}

static const SchedStatsRow *
find_row (const SchedStats *stats, const gchar *key)
{
  for (guint i = 0; i < stats->rows->len; i++)
    {
      const SchedStatsRow *row = g_ptr_array_index (stats->rows, i);
      if (g_str_equal (row->key, key))
        return row;
    }
  return NULL;
}

static void
test_seeds_unchanged (ReportsFixture *f, gconstpointer data)
{
  gint64 h1_from = reports_local (f, 2024, 1, 1, 0, 0), h1_to = reports_local (f, 2024, 7, 1, 0, 0);
  gint64 y20_from = reports_local (f, 2020, 1, 1, 0, 0);
  gint64 y20_to = reports_local (f, 2020, 5, 1, 0, 0);
  g_autofree gchar *h1_before = NULL, *y20_before = NULL, *h1_after = NULL, *y20_after = NULL;
  g_autofree gchar *text = NULL;

  add_district_units (f);
  ensure_rollup (f);
  reports_seed_half_years (f);
  seed_2019_2020 (f);
  /* after the reform date, booked before the reorganisation: its room's
   * new level must reach the rollup (the level trigger, schema v5) */
  held (f, "ubnd-tinh", "d-vinh", reports_local (f, 2025, 9, 10, 9, 0));
  {
    g_autoptr (SchedStats) warm
        = compute (f, reports_local (f, 2025, 7, 1, 0, 0), reports_local (f, 2026, 1, 1, 0, 0),
                   SCHED_STATS_GROUP_LEVEL, SCHED_STATS_UNITS_HISTORIC, FALSE);
  }
  h1_before = all_groupings (f, h1_from, h1_to, SCHED_STATS_UNITS_HISTORIC, FALSE);
  y20_before = all_groupings (f, y20_from, y20_to, SCHED_STATS_UNITS_HISTORIC, FALSE);

  apply_reorganisation (f);

  /* the report sentences, both ways */
  for (gint units = SCHED_STATS_UNITS_HISTORIC; units <= SCHED_STATS_UNITS_SUCCESSOR; units++)
    {
      g_autofree gchar *h1 = summary (f, h1_from, h1_to, units);
      g_autofree gchar *y20 = summary (f, y20_from, y20_to, units);
      g_assert_cmpstr (h1, ==, h1_2024);
      g_assert_cmpstr (y20, ==, jan_apr_2020);
    }
  /* every grouping of both periods, both ways, rollup and raw tables */
  for (gint units = SCHED_STATS_UNITS_HISTORIC; units <= SCHED_STATS_UNITS_SUCCESSOR; units++)
    for (gint raw = 0; raw <= 1; raw++)
      {
        g_free (h1_after);
        g_free (y20_after);
        h1_after = all_groupings (f, h1_from, h1_to, units, raw);
        y20_after = all_groupings (f, y20_from, y20_to, units, raw);
        g_assert_cmpstr (h1_after, ==, h1_before);
        g_assert_cmpstr (y20_after, ==, y20_before);
      }
  /* that meeting of H2 2025 now has a commune room, in the rollup too */
  {
    gint64 from = reports_local (f, 2025, 7, 1, 0, 0), to = reports_local (f, 2026, 1, 1, 0, 0);
    g_autofree gchar *rollup = all_groupings (f, from, to, SCHED_STATS_UNITS_HISTORIC, FALSE);
    g_autofree gchar *raw = all_groupings (f, from, to, SCHED_STATS_UNITS_HISTORIC, TRUE);
    g_assert_cmpstr (rollup, ==, raw);
    g_autoptr (SchedStats) levels
        = compute (f, from, to, SCHED_STATS_GROUP_LEVEL, SCHED_STATS_UNITS_HISTORIC, FALSE);
    const SchedStatsRow *commune = find_row (levels, "commune");
    const SchedStatsRow *district = find_row (levels, "district");
    g_assert_nonnull (commune);
    g_assert_cmpint (commune->current.booked, ==, 1);
    g_assert_true (district == NULL || district->current.booked == 0);
  }
  /* the room moved to the commune level was a district room in 2020 */
  g_assert_nonnull (strstr (y20_after, "\"key\":\"district\""));
  g_assert_null (strstr (y20_after, "\"key\":\"commune\""));
}

static void
test_year_on_year_across_reform (ReportsFixture *f, gconstpointer data)
{
  gint64 from = reports_local (f, 2025, 7, 1, 0, 0), to = reports_local (f, 2026, 1, 1, 0, 0);
  g_autoptr (SchedStats) historic = NULL, successor = NULL, rooms = NULL;
  g_autofree gchar *text_historic = NULL, *text_successor = NULL;
  const SchedStatsRow *row;

  add_district_units (f);
  ensure_rollup (f);
  apply_reorganisation (f);
  seed_across_reform (f);

  for (gint raw = 0; raw <= 1; raw++)
    {
      g_clear_pointer (&historic, sched_stats_free);
      g_clear_pointer (&successor, sched_stats_free);
      historic = compute (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_UNITS_HISTORIC, raw);
      successor = compute (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_UNITS_SUCCESSOR, raw);
      /* the same totals both ways */
      g_assert_cmpint (historic->totals.held, ==, 6);
      g_assert_cmpint (historic->previous_totals.held, ==, 6);
      g_assert_cmpint (successor->totals.held, ==, historic->totals.held);
      g_assert_cmpint (successor->previous_totals.held, ==, historic->previous_totals.held);
      g_assert_cmpint (successor->totals.actual_seconds, ==, historic->totals.actual_seconds);
      g_assert_cmpint (successor->previous_totals.booked, ==, historic->previous_totals.booked);
      g_assert_cmpint (historic->roster_changed_at, ==, reports_local (f, 2025, 7, 1, 0, 0));
    }
  /* historic: the dissolved units hold last year's meetings */
  row = find_row (historic, "ubnd-vinh");
  g_assert_nonnull (row);
  g_assert_cmpint (row->previous.held, ==, 3);
  g_assert_cmpint (row->current.held, ==, 0);
  g_assert_nonnull (find_row (historic, "ubnd-cua-lo"));
  /* successor: attributed to today's units */
  g_assert_null (find_row (successor, "ubnd-vinh"));
  g_assert_null (find_row (successor, "ubnd-cua-lo"));
  row = find_row (successor, "xa-vinh-vi-du");
  g_assert_nonnull (row);
  g_assert_cmpint (row->previous.held, ==, 3);
  g_assert_cmpint (row->current.held, ==, 2);
  g_assert_cmpstr (row->name, ==, "UBND xã Vinh (ví dụ)");
  row = find_row (successor, "ubnd-tinh");
  g_assert_cmpint (row->previous.held, ==, 3); /* 2 of its own and Cửa Lò's */
  g_assert_cmpint (row->current.held, ==, 4);

  /* rooms: the closed Cửa Lò room's meetings go to the province's room */
  rooms = compute (f, from, to, SCHED_STATS_GROUP_ENDPOINT, SCHED_STATS_UNITS_SUCCESSOR, FALSE);
  g_assert_null (find_row (rooms, "d-cualo"));
  g_assert_cmpint (find_row (rooms, "p-ubnd")->previous.held, ==, 6);
  g_assert_cmpint (find_row (rooms, "p-ubnd")->current.held, ==, 6);

  /* so does the CSV, on every line */
  {
    gsize length = 0;
    g_autofree gchar *csv = sched_stats_to_csv (successor, &length);
    g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);

    g_assert_cmpuint (g_strv_length (lines), >, 2);
    g_assert_true (g_str_has_suffix (lines[0], ",change_pct_attendance_rate,units_differ"));
    for (guint i = 1; lines[i + 1]; i++)
      g_assert_true (g_str_has_suffix (lines[i], ",true"));
  }

  /* the sentence says the units compared differ */
  text_historic = summary (f, from, to, SCHED_STATS_UNITS_HISTORIC);
  text_successor = summary (f, from, to, SCHED_STATS_UNITS_SUCCESSOR);
  g_assert_nonnull (strstr (text_historic, "Số cuộc họp bằng cùng kỳ năm 2024 (06 cuộc)."));
  g_assert_nonnull (strstr (text_historic, "Lưu ý: danh sách đơn vị thay đổi từ ngày 01/07/2025"));
  g_assert_nonnull (strstr (text_historic, "theo đơn vị tại thời điểm đó"));
  g_assert_nonnull (strstr (text_successor, "theo đơn vị kế thừa hiện nay"));
  g_assert_nonnull (strstr (text_successor, "UBND xã Vinh (ví dụ) 02 cuộc"));
}

/* Both district rooms closed into the province's room on 01/07/2025: the
 * district level then maps to the province level. */
static const gchar rooms_closed[]
    = "{\"format\": \"vc-province-reorganisation/1\",\n"
      " \"name\": \"test-rooms-closed\",\n"
      " \"effective\": \"2025-07-01\",\n"
      " \"entries\": [\n"
      "  {\"op\": \"reparent\", \"room\": \"c-hungdung\", \"parent\": \"p-ubnd\"},\n"
      "  {\"op\": \"close-room\", \"room\": \"d-vinh\", \"successor\": \"p-ubnd\"},\n"
      "  {\"op\": \"close-room\", \"room\": \"d-cualo\", \"successor\": \"p-ubnd\"}\n"
      " ]}\n";

static void
assert_row (const SchedStats *stats, const gchar *key, gint64 booked, gint64 held, gint64 cancelled,
            gint64 planned_seconds, gint64 previous_booked)
{
  const SchedStatsRow *row = find_row (stats, key);

  g_assert_nonnull (row);
  g_assert_cmpint (row->current.booked, ==, booked);
  g_assert_cmpint (row->current.held, ==, held);
  g_assert_cmpint (row->current.cancelled, ==, cancelled);
  g_assert_cmpint (row->current.planned_seconds, ==, planned_seconds);
  g_assert_cmpint (row->previous.booked, ==, previous_booked);
  if (held > 0)
    {
      g_assert_cmpint (row->current.actual_seconds, ==, held * 3000);
      g_assert_cmpint (row->current.present, ==, held * 3);
      g_assert_cmpint (row->current.invited, ==, held * 3);
    }
}

static void
test_rooms_folding_into_one (ReportsFixture *f, gconstpointer data)
{
  gint64 from = reports_local (f, 2025, 1, 1, 0, 0), to = reports_local (f, 2026, 1, 1, 0, 0);
  SchedContext ctx = { .db = f->db, .tz = f->tz };
  SchedCore core = { .ctx = &ctx };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) applied = NULL;

  ensure_rollup (f);
  /* H1 2025, before the reform: one held meeting with the three rooms
   * that become one, one with a Vinh room and the Party's room, one
   * cancelled with both district rooms (cancelling deactivates them) */
  reports_add_meeting (f, "ubnd-tinh", "Họp ba điểm cầu", reports_local (f, 2025, 3, 3, 8, 0), 60,
                       "ended", TRUE, 3000, 3, 3, ROOMS ("p-ubnd", "d-vinh", "d-cualo"));
  reports_add_meeting (f, "tinh-uy", "Họp hai điểm cầu", reports_local (f, 2025, 4, 4, 8, 0), 60,
                       "ended", TRUE, 3000, 3, 3, ROOMS ("p-tu", "d-vinh"));
  reports_add_meeting (f, "ubnd-tinh", "Họp bị hủy", reports_local (f, 2025, 5, 5, 8, 0), 30,
                       "cancelled", FALSE, 0, 0, 2, ROOMS ("d-vinh", "d-cualo"));
  /* the year before, for the comparison window */
  reports_add_meeting (f, "ubnd-tinh", "Họp ba điểm cầu", reports_local (f, 2024, 3, 3, 8, 0), 60,
                       "ended", TRUE, 3000, 3, 3, ROOMS ("p-ubnd", "d-vinh", "d-cualo"));

  /* the rollup refreshed before the reform: closing the rooms must mark
   * its days again (schema v8) */
  {
    g_autoptr (SchedStats) before
        = compute (f, from, to, SCHED_STATS_GROUP_ENDPOINT, SCHED_STATS_UNITS_SUCCESSOR, FALSE);
    g_assert_nonnull (find_row (before, "d-vinh"));
  }
  applied = sched_reorg_run (&core, rooms_closed, strlen (rooms_closed), "test", SCHED_REORG_APPLY,
                             &extra, &error);
  g_assert_no_error (error);
  g_assert_nonnull (applied);

  /* the rollup (its 'endpoint-successor' rows, marked again when the rooms
   * closed), the raw tables, and the rooms' rows folded with the overlap
   * correction (fold_rooms) */
  for (gint mode = 0; mode <= 2; mode++)
    {
      gboolean raw = mode == 1;
      SchedStatsQuery q = { .from = from,
                            .to = to,
                            .group_by = SCHED_STATS_GROUP_ENDPOINT,
                            .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR,
                            .units = SCHED_STATS_UNITS_SUCCESSOR,
                            .force_raw = raw,
                            .fold_rooms = mode == 2 };
      g_autoptr (SchedStats) h_rooms
          = compute (f, from, to, SCHED_STATS_GROUP_ENDPOINT, SCHED_STATS_UNITS_HISTORIC, raw);
      g_autoptr (SchedStats) s_rooms = sched_stats_compute (f->db, f->tz, &q, &error);
      g_autoptr (SchedStats) h_levels
          = compute (f, from, to, SCHED_STATS_GROUP_LEVEL, SCHED_STATS_UNITS_HISTORIC, raw);
      g_autoptr (SchedStats) s_levels
          = compute (f, from, to, SCHED_STATS_GROUP_LEVEL, SCHED_STATS_UNITS_SUCCESSOR, raw);

      g_assert_no_error (error);
      g_test_message ("%s", mode == 0 ? "rollup" : mode == 1 ? "raw tables" : "rooms folded");
      /* historic: once per room as booked */
      assert_row (h_rooms, "p-ubnd", 1, 1, 0, 3600, 1);
      assert_row (h_rooms, "d-vinh", 3, 2, 1, 2 * 3600, 1);
      assert_row (h_rooms, "d-cualo", 2, 1, 1, 3600, 1);
      assert_row (h_rooms, "p-tu", 1, 1, 0, 3600, 0);
      /* successor: the three rooms are one; each meeting once */
      g_assert_null (find_row (s_rooms, "d-vinh"));
      g_assert_null (find_row (s_rooms, "d-cualo"));
      assert_row (s_rooms, "p-ubnd", 3, 2, 1, 2 * 3600, 1);
      assert_row (s_rooms, "p-tu", 1, 1, 0, 3600, 0);
      g_assert_cmpuint (s_rooms->rows->len, ==, 2);

      /* historic levels: the district rooms were district rooms */
      assert_row (h_levels, "province", 2, 2, 0, 2 * 3600, 1);
      assert_row (h_levels, "district", 3, 2, 1, 2 * 3600, 1);
      /* successor: district folds into province, each meeting once */
      assert_row (s_levels, "province", 3, 2, 1, 2 * 3600, 1);
      g_assert_null (find_row (s_levels, "district"));
      g_assert_cmpuint (s_levels->rows->len, ==, 1);
      /* totals do not move */
      g_assert_cmpint (s_levels->totals.booked, ==, 3);
      g_assert_cmpint (s_rooms->totals.booked, ==, 3);
    }
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

/* The rollup answers from month rows for the whole months of a window
 * and from day rows for the days around them (issue #16: bounded work at
 * 1,000,000 meetings): every grouping, historic and successor, of windows
 * starting and ending anywhere — mid-month, inside one month, across the
 * reform date, at hours that are not midnight — equals the direct
 * computation from the meetings. A year is read from its month rows: a
 * month row changed by hand shows in the year's answer. */
static void
test_rollup_windows (ReportsFixture *f, gconstpointer data)
{
  static const gint windows[][10] = {
    /* from: y, m, d, h, min; to: y, m, d, h, min */
    { 2024, 1, 1, 0, 0, 2025, 1, 1, 0, 0 },      { 2024, 3, 15, 0, 0, 2025, 9, 20, 0, 0 },
    { 2025, 6, 10, 0, 0, 2025, 7, 20, 0, 0 },    { 2025, 7, 3, 0, 0, 2025, 7, 21, 0, 0 },
    { 2019, 12, 31, 10, 0, 2020, 5, 2, 13, 30 }, { 2024, 7, 1, 0, 0, 2026, 1, 1, 0, 0 },
    { 2024, 2, 29, 0, 0, 2024, 3, 1, 0, 0 },     { 2023, 12, 1, 0, 0, 2024, 12, 31, 0, 0 },
  };
  gint64 from, to;

  add_district_units (f);
  ensure_rollup (f);
  reports_seed_half_years (f);
  seed_2019_2020 (f);
  apply_reorganisation (f);
  seed_across_reform (f);
  held (f, "ubnd-tinh", "d-vinh", reports_local (f, 2025, 7, 3, 9, 0));
  held (f, "ubnd-tinh", "d-cualo", reports_local (f, 2025, 7, 20, 23, 30));

  for (gsize i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      const gint *w = windows[i];

      from = reports_local (f, w[0], w[1], w[2], w[3], w[4]);
      to = reports_local (f, w[5], w[6], w[7], w[8], w[9]);
      for (gint units = SCHED_STATS_UNITS_HISTORIC; units <= SCHED_STATS_UNITS_SUCCESSOR; units++)
        {
          g_autofree gchar *rollup = all_groupings (f, from, to, units, FALSE);
          g_autofree gchar *raw = all_groupings (f, from, to, units, TRUE);
          g_autoptr (SchedStats) stats
              = compute (f, from, to, SCHED_STATS_GROUP_ENDPOINT, units, FALSE);

          g_test_message ("window %zu, units %d", i, units);
          g_assert_true (stats->used_rollup);
          g_assert_cmpstr (rollup, ==, raw);
        }
    }
  /* the month rows are there, and the year reads them */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM stats_rollup_month WHERE dim = 'unit'"), >,
                   0);
  from = reports_local (f, 2024, 1, 1, 0, 0);
  to = reports_local (f, 2025, 1, 1, 0, 0);
  {
    g_autoptr (SchedStats) before
        = compute (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_UNITS_HISTORIC, FALSE);
    g_autoptr (SchedStats) after = NULL;

    reports_exec (f, "UPDATE stats_rollup_month SET booked = booked + 1000"
                     " WHERE dim = 'unit' AND month = 2024 * 12 + 7 AND key = 'ubnd-vinh'");
    after = compute (f, from, to, SCHED_STATS_GROUP_UNIT, SCHED_STATS_UNITS_HISTORIC, FALSE);
    g_assert_cmpint (after->totals.booked, ==, before->totals.booked + 1000);
    g_assert_cmpint (find_row (after, "ubnd-vinh")->current.booked, ==,
                     find_row (before, "ubnd-vinh")->current.booked + 1000);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/reports/reorg/" name, ReportsFixture, NULL, reports_fixture_set_up, fn,            \
              reports_fixture_tear_down)
  ADD ("seeds-unchanged", test_seeds_unchanged);
  ADD ("year-on-year-across-reform", test_year_on_year_across_reform);
  ADD ("rooms-folding-into-one", test_rooms_folding_into_one);
  ADD ("rollup-windows", test_rollup_windows);
  return g_test_run ();
}
