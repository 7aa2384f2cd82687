/* sched-holidays.h — the public holidays a recurring series skips.
 *
 * Read from conf/holidays-vn.ini: one group per year, each key a local date
 * "YYYY-MM-DD" or an inclusive range "YYYY-MM-DD..YYYY-MM-DD", the value its
 * name. Lunar-derived breaks are entered by an administrator each year. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SchedHolidays SchedHolidays;

SchedHolidays *sched_holidays_new (void);
/* Adds the holidays of @path (errors name the file, group and key). */
gboolean sched_holidays_load (SchedHolidays *holidays, const gchar *path, GError **error);
void sched_holidays_free (SchedHolidays *holidays);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedHolidays, sched_holidays_free)

/* The holiday's name when the local date @year-@month-@day is a holiday,
 * else NULL. */
const gchar *sched_holidays_lookup (SchedHolidays *holidays, gint year, gint month, gint day);
guint sched_holidays_count (SchedHolidays *holidays);

G_END_DECLS
