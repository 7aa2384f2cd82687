/* sched-lunar.h — the Vietnamese lunar calendar, for the holidays that
 * follow it (Tết Nguyên Đán on 1/1, Giỗ Tổ Hùng Vương on 10/3).
 *
 * The computation is the well-known one for the Vietnamese calendar (Hồ
 * Ngọc Đức's): new moons and the sun's longitude from the astronomical
 * series in Jean Meeus's "Astronomical Algorithms", a month starting on the
 * local day (UTC+7) of its new moon, month 11 being the one that holds the
 * winter solstice, and a leap month — the first of a 13-month year without
 * a major solar term — repeating the month before it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Vietnam's zone for the lunar calendar (since 1968). */
#define SCHED_LUNAR_VIETNAM_ZONE_HOURS 7.0

/* The solar (Gregorian) date of lunar @day/@month of lunar year @year
 * (@leap: the leap repetition of @month) at @zone_hours east of UTC.
 * FALSE when @leap is set but @month is not that year's leap month, or the
 * date is out of range (years 1800–2199). */
gboolean sched_lunar_to_solar (gint day, gint month, gint year, gboolean leap, gdouble zone_hours,
                               GDate *out);

G_END_DECLS
