/* sched-lunar.c — lunar → solar dates of the Vietnamese calendar; see
 * sched-lunar.h. Julian day numbers (JD) throughout; GDate converts them. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-lunar.h"

#include <math.h>

/* GDate's day 1 is 0001-01-01, Julian day 1721426. */
#define GDATE_JD_OFFSET 1721425
/* The mean length of a lunation (synodic month), days. */
#define LUNATION_DAYS 29.530588853
/* The JD of the new moon of 1900-01-01, lunation 0 of the series. */
#define NEW_MOON_EPOCH_JD 2415021.076998695

static gint
lunar_jd (gint day, gint month, gint year)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, day, month, year);
  return (gint)g_date_get_julian (&d) + GDATE_JD_OFFSET;
}

/* The JD (fractional, UT) of new moon number @k after 1900-01-01. */
static gdouble
lunar_new_moon (gint k)
{
  const gdouble dr = G_PI / 180;
  gdouble t = k / 1236.85, t2 = t * t, t3 = t2 * t;
  gdouble jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  gdouble m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;    /* sun's anomaly */
  gdouble mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3; /* moon's */
  gdouble f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;    /* latitude arg */
  gdouble c1, delta_t;

  jd1 += 0.00033 * sin ((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  c1 = (0.1734 - 0.000393 * t) * sin (m * dr) + 0.0021 * sin (2 * dr * m);
  c1 = c1 - 0.4068 * sin (mpr * dr) + 0.0161 * sin (dr * 2 * mpr);
  c1 = c1 - 0.0004 * sin (dr * 3 * mpr);
  c1 = c1 + 0.0104 * sin (dr * 2 * f) - 0.0051 * sin (dr * (m + mpr));
  c1 = c1 - 0.0074 * sin (dr * (m - mpr)) + 0.0004 * sin (dr * (2 * f + m));
  c1 = c1 - 0.0004 * sin (dr * (2 * f - m)) - 0.0006 * sin (dr * (2 * f + mpr));
  c1 = c1 + 0.0010 * sin (dr * (2 * f - mpr)) + 0.0005 * sin (dr * (2 * mpr + m));
  if (t < -11)
    delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  else
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd1 + c1 - delta_t;
}

/* The sun's apparent longitude (radians, 0 to 2π) at JD @jdn (UT). */
static gdouble
lunar_sun_longitude (gdouble jdn)
{
  const gdouble dr = G_PI / 180;
  gdouble t = (jdn - 2451545.0) / 36525, t2 = t * t;
  gdouble m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  gdouble l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  gdouble dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin (dr * m);
  gdouble l;

  dl = dl + (0.019993 - 0.000101 * t) * sin (dr * 2 * m) + 0.000290 * sin (dr * 3 * m);
  l = (l0 + dl) * dr;
  return l - G_PI * 2 * floor (l / (G_PI * 2));
}

/* The local day (JD) of new moon @k. */
static gint
lunar_new_moon_day (gint k, gdouble zone)
{
  return (gint)floor (lunar_new_moon (k) + 0.5 + zone / 24);
}

/* Which of the 12 thirty-degree sectors the sun is in at the start of
 * local day @jd: 0 from the March equinox, 9 from the winter solstice. */
static gint
lunar_sun_sector (gint jd, gdouble zone)
{
  return (gint)floor (lunar_sun_longitude (jd - 0.5 - zone / 24) / G_PI * 6);
}

/* The first day (JD) of lunar month 11 of solar year @year: the month that
 * holds the winter solstice. */
static gint
lunar_month_11 (gint year, gdouble zone)
{
  gint off = lunar_jd (31, 12, year) - 2415021;
  gint k = (gint)floor (off / LUNATION_DAYS);
  gint nm = lunar_new_moon_day (k, zone);

  if (lunar_sun_sector (nm, zone) >= 9)
    nm = lunar_new_moon_day (k - 1, zone);
  return nm;
}

/* In a 13-month year starting at month 11 @a11: how many months after it
 * the leap month comes (the first month without a new solar term). */
static gint
lunar_leap_month_offset (gint a11, gdouble zone)
{
  gint k = (gint)floor ((a11 - NEW_MOON_EPOCH_JD) / LUNATION_DAYS + 0.5);
  gint i = 1;
  gint arc = lunar_sun_sector (lunar_new_moon_day (k + i, zone), zone);
  gint last;

  do
    {
      last = arc;
      i++;
      arc = lunar_sun_sector (lunar_new_moon_day (k + i, zone), zone);
    }
  while (arc != last && i < 14);
  return i - 1;
}

gboolean
sched_lunar_to_solar (gint day, gint month, gint year, gboolean leap, gdouble zone_hours,
                      GDate *out)
{
  gint a11, b11, k, off, month_start;

  g_return_val_if_fail (out != NULL, FALSE);
  if (year < 1800 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 30)
    return FALSE;
  if (month < 11)
    {
      a11 = lunar_month_11 (year - 1, zone_hours);
      b11 = lunar_month_11 (year, zone_hours);
    }
  else
    {
      a11 = lunar_month_11 (year, zone_hours);
      b11 = lunar_month_11 (year + 1, zone_hours);
    }
  k = (gint)floor (0.5 + (a11 - NEW_MOON_EPOCH_JD) / LUNATION_DAYS);
  off = month - 11;
  if (off < 0)
    off += 12;
  if (b11 - a11 > 365)
    {
      gint leap_off = lunar_leap_month_offset (a11, zone_hours);
      gint leap_month = leap_off - 2;
      if (leap_month < 0)
        leap_month += 12;
      if (leap && month != leap_month)
        return FALSE;
      if (leap || off >= leap_off)
        off += 1;
    }
  else if (leap)
    return FALSE;
  month_start = lunar_new_moon_day (k + off, zone_hours);
  g_date_clear (out, 1);
  g_date_set_julian (out, (guint32)(month_start + day - 1 - GDATE_JD_OFFSET));
  return TRUE;
}
