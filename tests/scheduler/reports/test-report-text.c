/* test-report-text.c — the summary sentence, with Nghệ An's first half of
 * 2024 as the province's report gives it (12 meetings: 07, 03, 01, 01), and
 * the CSV export. */
#include "reports-fixture.h"
#include "sched-error.h"
#include "sched-report-text.h"
#include "sched-stats.h"

#include <string.h>

static const gchar h1_2024[]
    = "Từ 01/01/2024 đến 30/06/2024, hệ thống đã phục vụ 12 cuộc họp trực tuyến (trong đó "
      "UBND tỉnh 07 cuộc, Tỉnh ủy 03 cuộc, Sở Thông tin và Truyền thông 01 cuộc, Sở Tài chính "
      "01 cuộc)";

static gchar *
summary (ReportsFixture *f, gint year, const gchar *lang)
{
  g_autoptr (GError) error = NULL;
  gchar *text = sched_report_summary (f->db, f->tz, reports_local (f, year, 1, 1, 0, 0),
                                      reports_local (f, year, 7, 1, 0, 0), lang, &error);
  g_assert_no_error (error);
  g_test_message ("%s", text);
  return text;
}

static void
test_summary_h1_2024 (ReportsFixture *f, gconstpointer data)
{
  g_autofree gchar *text = NULL;

  reports_seed_half_years (f);
  text = summary (f, 2024, "vi");
  g_assert_true (g_str_has_prefix (text, h1_2024));
  /* 11 × 3000 s + 4800 s = 10.5 h; 12 against 8 = +50 % */
  g_assert_cmpstr (text, ==,
                   "Từ 01/01/2024 đến 30/06/2024, hệ thống đã phục vụ 12 cuộc họp trực tuyến "
                   "(trong đó UBND tỉnh 07 cuộc, Tỉnh ủy 03 cuộc, Sở Thông tin và Truyền thông "
                   "01 cuộc, Sở Tài chính 01 cuộc), tổng thời gian 10,5 giờ. Số cuộc họp tăng "
                   "50% so với cùng kỳ năm 2023 (08 cuộc).");
}

static void
test_summary_english (ReportsFixture *f, gconstpointer data)
{
  g_autofree gchar *text = NULL;

  reports_seed_half_years (f);
  text = summary (f, 2024, "en");
  g_assert_cmpstr (text, ==,
                   "From 01/01/2024 to 30/06/2024, the system served 12 online meetings "
                   "(UBND tỉnh 7, Tỉnh ủy 3, Sở Thông tin và Truyền thông 1, Sở Tài chính 1), "
                   "10.5 hours in total. That is 50% more than in the same period of 2023 (8).");
}

static void
test_summary_decrease_and_no_comparison (ReportsFixture *f, gconstpointer data)
{
  g_autofree gchar *text2023 = NULL, *text2022 = NULL, *text2021 = NULL;

  reports_seed_half_years (f);
  text2023 = summary (f, 2023, "vi");
  g_assert_cmpstr (text2023, ==,
                   "Từ 01/01/2023 đến 30/06/2023, hệ thống đã phục vụ 08 cuộc họp trực tuyến "
                   "(trong đó UBND tỉnh 05 cuộc, Tỉnh ủy 03 cuộc), tổng thời gian 6,7 giờ. "
                   "Số cuộc họp giảm 20% so với cùng kỳ năm 2022 (10 cuộc).");
  /* nothing in 2021: no comparison sentence */
  text2022 = summary (f, 2022, "vi");
  g_assert_null (strstr (text2022, "so với"));
  g_assert_true (g_str_has_suffix (text2022, "tổng thời gian 8,3 giờ."));
  text2021 = summary (f, 2021, "vi");
  g_assert_cmpstr (text2021, ==,
                   "Từ 01/01/2021 đến 30/06/2021, hệ thống chưa phục vụ cuộc họp trực tuyến nào.");
}

static void
test_csv (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SchedStatsQuery q = { .from = reports_local (f, 2024, 1, 1, 0, 0),
                        .to = reports_local (f, 2024, 7, 1, 0, 0),
                        .group_by = SCHED_STATS_GROUP_UNIT,
                        .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR };
  g_autoptr (SchedStats) stats = NULL;
  g_autofree gchar *csv = NULL;
  g_auto (GStrv) lines = NULL;
  gsize length = 0;

  reports_seed_half_years (f);
  stats = sched_stats_compute (f->db, f->tz, &q, &error);
  g_assert_no_error (error);
  csv = sched_stats_to_csv (stats, &length);
  g_assert_cmpuint (length, ==, strlen (csv));
  g_assert_true (g_utf8_validate (csv, length, NULL));
  g_assert_true (g_str_has_prefix (csv,
                                   "\xEF\xBB\xBF"
                                   "unit,name,meetings_booked,meetings_held,"
                                   "meetings_cancelled,meetings_displaced,planned_minutes,"
                                   "actual_minutes,attendance_rate,previous_meetings_booked,"));
  /* every line ends in CRLF, no bare LF */
  for (const gchar *p = csv; (p = strchr (p, '\n')); p++)
    g_assert_cmpint (p[-1], ==, '\r');
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  /* header, ubnd-tinh, tinh-uy, so-tttt, so-tc, so-xd, total, "" */
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_cmpstr (lines[1], ==,
                   "ubnd-tinh,UBND tỉnh,7,7,0,0,420.0,350.0,1.0000,5,5,0,0,300.0,250.0,1.0000,"
                   "40.0,40.0,,,40.0,40.0,0.0");
  /* so-xd: booked 2 (displaced + not held), quoted name with doubled quotes */
  g_assert_true (g_str_has_prefix (lines[5], "so-xd,\"Sở \"\"Xây dựng\"\", Nghệ An\",2,0,1,1,60.0,"
                                             "0.0,,"));
  g_assert_true (g_str_has_prefix (lines[6], "total,Tổng cộng,15,12,2,1,"));
}

/* Names that a spreadsheet would run as formulas (CSV injection): each text
 * cell starting with = + - @ TAB or CR gets a leading ' and is quoted; a
 * dash inside a name, and negative numbers (change_pct) are left alone. */
static void
test_csv_formula_cells (ReportsFixture *f, gconstpointer data)
{
  static const struct
  {
    const gchar *code;
    const gchar *name;
    const gchar *cells; /* the line's key and name as written */
  } units[] = {
    { "u-eq", "=HYPERLINK(\"http://x\",\"y\")",
      "u-eq,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"," },
    { "u-plus", "+1+1", "u-plus,\"'+1+1\"," },
    { "u-minus", "-2+3", "u-minus,\"'-2+3\"," },
    { "u-at", "@SUM(A1)", "u-at,\"'@SUM(A1)\"," },
    { "u-tab", "\t=1", "u-tab,\"'\t=1\"," },
    { "u-cr", "\r=1", "u-cr,\"'\r=1\"," },
    { "-u-dash", "Sở A-B", "\"'-u-dash\",Sở A-B," },
  };
  g_autoptr (GError) error = NULL;
  SchedStatsQuery q = { .from = reports_local (f, 2024, 1, 1, 0, 0),
                        .to = reports_local (f, 2024, 7, 1, 0, 0),
                        .group_by = SCHED_STATS_GROUP_UNIT,
                        .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR };
  g_autoptr (SchedStats) stats = NULL;
  g_autofree gchar *csv = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (sched_db_handle (f->db),
                                           "INSERT INTO units (code, name) VALUES (?1, ?2)", -1,
                                           &stmt, NULL),
                       ==, SQLITE_OK);
      sched_db_bind_text (stmt, 1, units[i].code);
      sched_db_bind_text (stmt, 2, units[i].name);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      /* two held meetings in H1 2023, one in H1 2024: change -50 % */
      reports_add_held (f, units[i].code, reports_local (f, 2023, 2, 1 + (gint)i, 8, 0));
      reports_add_held (f, units[i].code, reports_local (f, 2023, 3, 1 + (gint)i, 8, 0));
      reports_add_held (f, units[i].code, reports_local (f, 2024, 2, 1 + (gint)i, 8, 0));
    }
  stats = sched_stats_compute (f->db, f->tz, &q, &error);
  g_assert_no_error (error);
  csv = sched_stats_to_csv (stats, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autofree gchar *line_start = g_strconcat ("\r\n", units[i].cells, "1,1,0,0,60.0,", NULL);
      const gchar *line = strstr (csv, line_start);

      g_test_message ("%s", units[i].code);
      g_assert_nonnull (line);
      /* the change of meetings_held is a plain negative number */
      line = strstr (line + 2, "\r\n");
      g_assert_nonnull (line);
    }
  g_assert_nonnull (strstr (csv, ",-50.0,"));
  g_assert_null (strstr (csv, "'-50"));
  /* No cell starts a formula: after a separator, never = + - @ unquoted
   * except inside numbers (a minus followed by a digit). */
  for (const gchar *p = csv; *p; p++)
    if ((*p == ',' || *p == '\n') && p[1] != '\0' && strchr ("=+@", p[1]))
      g_error ("formula cell at offset %" G_GSIZE_FORMAT, (gsize)(p - csv));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/reports/" name, ReportsFixture, NULL, reports_fixture_set_up, fn,                  \
              reports_fixture_tear_down)
  ADD ("summary/h1-2024", test_summary_h1_2024);
  ADD ("summary/english", test_summary_english);
  ADD ("summary/decrease-and-no-comparison", test_summary_decrease_and_no_comparison);
  ADD ("csv", test_csv);
  ADD ("csv/formula-cells", test_csv_formula_cells);
  return g_test_run ();
}
