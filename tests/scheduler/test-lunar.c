/* test-lunar.c — the Vietnamese lunar calendar (sched-lunar.c) against the
 * known dates of Tết Nguyên Đán 2020–2030 and Giỗ Tổ Hùng Vương, and the
 * provisional holidays sched-holidays.c derives from it for the years
 * whose official breaks conf/holidays-vn.ini does not have yet (#17). */
#include "sched-holidays.h"
#include "sched-lunar.h"

static void
assert_solar (gint lday, gint lmonth, gint lyear, gboolean leap, gint y, gint m, gint d)
{
  GDate out;

  g_assert_true (
      sched_lunar_to_solar (lday, lmonth, lyear, leap, SCHED_LUNAR_VIETNAM_ZONE_HOURS, &out));
  g_test_message ("%d/%d%s/%d → %04d-%02d-%02d", lday, lmonth, leap ? " (leap)" : "", lyear,
                  g_date_get_year (&out), g_date_get_month (&out), g_date_get_day (&out));
  g_assert_cmpint (g_date_get_year (&out), ==, y);
  g_assert_cmpint (g_date_get_month (&out), ==, m);
  g_assert_cmpint (g_date_get_day (&out), ==, d);
}

static void
test_tet (void)
{
  static const gint tet[][3] = {
    { 2020, 1, 25 }, { 2021, 2, 12 }, { 2022, 2, 1 }, { 2023, 1, 22 }, { 2024, 2, 10 },
    { 2025, 1, 29 }, { 2026, 2, 17 }, { 2027, 2, 6 }, { 2028, 1, 26 }, { 2029, 2, 13 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (tet); i++)
    assert_solar (1, 1, tet[i][0], FALSE, tet[i][0], tet[i][1], tet[i][2]);
  /* 1985: the year the Vietnamese calendar (UTC+7) and the Chinese one
   * (UTC+8) put Tết on different days: 21/01 in Vietnam, 20/02 in China. */
  assert_solar (1, 1, 1985, FALSE, 1985, 1, 21);
  /* The new moons of 2007-02-17 and 2030-02-02 fall between 23:00 and
   * midnight in Vietnam (16:08 UTC for 2030), the next day in China: Tết is
   * 17/02/2007 and 02/02/2030 at UTC+7, 18/02/2007 and 03/02/2030 in the
   * Chinese calendar (which issue #17's list gives for 2030). */
  assert_solar (1, 1, 2007, FALSE, 2007, 2, 17);
  assert_solar (1, 1, 2030, FALSE, 2030, 2, 2);
}

static void
test_hung_kings_and_leap_months (void)
{
  GDate out;

  assert_solar (10, 3, 2024, FALSE, 2024, 4, 18);
  assert_solar (10, 3, 2025, FALSE, 2025, 4, 7);
  assert_solar (10, 3, 2026, FALSE, 2026, 4, 26);
  /* 2020 had a leap 4th month, 2023 a leap 2nd month: 10/3 after it. */
  assert_solar (10, 3, 2020, FALSE, 2020, 4, 2);
  assert_solar (10, 3, 2023, FALSE, 2023, 4, 29);
  assert_solar (1, 2, 2023, TRUE, 2023, 3, 22);
  /* Not that year's leap month. */
  g_assert_false (sched_lunar_to_solar (1, 5, 2023, TRUE, 7.0, &out));
  g_assert_false (sched_lunar_to_solar (1, 1, 2024, TRUE, 7.0, &out));
  g_assert_false (sched_lunar_to_solar (31, 1, 2024, FALSE, 7.0, &out));
}

static gchar *
holidays_file (void)
{
  return g_build_filename (VC_TEST_SOURCE_DIR, "conf", "holidays-vn.ini", NULL);
}

static void
test_provisional_holidays (void)
{
  g_autoptr (SchedHolidays) h = sched_holidays_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *file = holidays_file ();
  g_autoptr (GPtrArray) list2027 = NULL;
  gboolean provisional = TRUE;
  guint tet_days = 0;

  g_assert_true (sched_holidays_load (h, file, &error));
  g_assert_no_error (error);

  /* 2026 is complete: its official break, nothing provisional. */
  g_assert_cmpint (sched_holidays_year_missing (h, 2026), ==, 0);
  g_assert_nonnull (sched_holidays_lookup_full (h, 2026, 2, 22, &provisional));
  g_assert_false (provisional);
  g_assert_null (sched_holidays_lookup (h, 2026, 2, 23));

  /* 2027 lacks Tết and Giỗ Tổ: computed, marked provisional. */
  g_assert_cmpint (sched_holidays_year_missing (h, 2027), ==,
                   SCHED_HOLIDAYS_MISSING_TET | SCHED_HOLIDAYS_MISSING_HUNG_KINGS);
  g_assert_nonnull (sched_holidays_lookup_full (h, 2027, 2, 8, &provisional));
  g_assert_true (provisional);
  g_assert_nonnull (sched_holidays_lookup (h, 2027, 2, 5)); /* the eve */
  g_assert_null (sched_holidays_lookup (h, 2027, 2, 4));
  g_assert_null (sched_holidays_lookup (h, 2027, 2, 10));
  g_assert_nonnull (sched_holidays_lookup_full (h, 2027, 4, 16, &provisional)); /* 10/3 */
  g_assert_true (provisional);
  /* The official days of 2027 stay official. */
  g_assert_nonnull (sched_holidays_lookup_full (h, 2027, 1, 1, &provisional));
  g_assert_false (provisional);

  list2027 = sched_holidays_list_year (h, 2027);
  for (guint i = 0; i < list2027->len; i++)
    {
      const SchedHoliday *x = g_ptr_array_index (list2027, i);
      tet_days += x->provisional && g_date_get_month (&x->date) == 2;
    }
  g_assert_cmpuint (tet_days, ==, 5);

  /* A year the file does not have at all: never without Tết. */
  g_assert_cmpint (sched_holidays_year_missing (h, 2030), ==,
                   SCHED_HOLIDAYS_MISSING_YEAR | SCHED_HOLIDAYS_MISSING_TET
                       | SCHED_HOLIDAYS_MISSING_HUNG_KINGS);
  g_assert_nonnull (sched_holidays_lookup (h, 2030, 2, 2));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sched-core/lunar/tet-2020-2030", test_tet);
  g_test_add_func ("/sched-core/lunar/hung-kings-and-leap-months", test_hung_kings_and_leap_months);
  g_test_add_func ("/sched-core/lunar/provisional-holidays", test_provisional_holidays);
  return g_test_run ();
}
