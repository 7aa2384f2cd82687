/* sched-holidays.h — the public holidays a recurring series skips.
 *
 * Read from conf/holidays-vn.ini: one group per year, each key a local date
 * "YYYY-MM-DD" or an inclusive range "YYYY-MM-DD..YYYY-MM-DD", the value its
 * name. Lunar-derived breaks are entered by an administrator each year;
 * until they are, a year's Tết Nguyên Đán (the eve and the first four days
 * of lunar month 1) and Giỗ Tổ Hùng Vương (10/3 lunar) are computed from the
 * Vietnamese lunar calendar (sched-lunar.h) and marked provisional, so that
 * no year passes without Tết. Since #17 an administrator also enters
 * holidays through the API (stored in the database, sched-holiday-admin.h):
 * they are added over the file's with sched_holidays_add_entry(), and an
 * entry on a year's Tết, official or provisional, replaces the computed
 * one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SchedHolidays SchedHolidays;

SchedHolidays *sched_holidays_new (void);
/* Adds the holidays of @path (errors name the file, group and key). */
gboolean sched_holidays_load (SchedHolidays *holidays, const gchar *path, GError **error);
void sched_holidays_free (SchedHolidays *holidays);
/* A new calendar with @holidays' file and entry days (none computed). */
SchedHolidays *sched_holidays_copy (SchedHolidays *holidays);
/* Adds the days @first..@last (inclusive) of entry @entry_id, over any day
 * the file gives. Only before any lookup (the calendar is rebuilt on each
 * change of the entries). An official entry makes its years "listed". */
void sched_holidays_add_entry (SchedHolidays *holidays, const GDate *first, const GDate *last,
                               const gchar *name, const gchar *name_en, gboolean provisional,
                               gint64 entry_id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedHolidays, sched_holidays_free)

/* The holiday's name when the local date @year-@month-@day is a holiday,
 * else NULL. */
const gchar *sched_holidays_lookup (SchedHolidays *holidays, gint year, gint month, gint day);
/* The same; *@provisional: whether it is a computed lunar date, not yet
 * entered by the administrator. */
const gchar *sched_holidays_lookup_full (SchedHolidays *holidays, gint year, gint month, gint day,
                                         gboolean *provisional);
/* Days the file gives (provisional ones not counted). */
guint sched_holidays_count (SchedHolidays *holidays);

typedef enum
{
  SCHED_HOLIDAYS_MISSING_YEAR = 1 << 0, /* no group for the year in the file, no official entry */
  SCHED_HOLIDAYS_MISSING_TET = 1 << 1,  /* no official Tết break */
  SCHED_HOLIDAYS_MISSING_HUNG_KINGS = 1 << 2, /* no official Giỗ Tổ Hùng Vương */
} SchedHolidaysMissing;

/* What the file lacks for @year (0: complete). */
SchedHolidaysMissing sched_holidays_year_missing (SchedHolidays *holidays, gint year);

typedef struct
{
  GDate date;
  gchar *name;
  gchar *name_en;  /* NULL: none */
  gint64 entry_id; /* the administrator's entry (sched-model-holiday.h); 0: the file or computed */
  gboolean provisional;
  gboolean computed; /* from the lunar calendar */
} SchedHoliday;

void sched_holiday_free (SchedHoliday *holiday);
/* Every holiday of @year in date order, provisional ones included. */
GPtrArray *sched_holidays_list_year (SchedHolidays *holidays, gint year);

G_END_DECLS
