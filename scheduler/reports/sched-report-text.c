/* sched-report-text.c — the sentence managers paste into half-year and
 * yearly reports.
 *
 * Counts meetings held per organising unit (most first; equal counts by
 * units.priority, highest first, then unit code), written with two digits
 * as the reports do ("07 cuộc"); the hours are the actual hours of the held
 * meetings with one decimal (decimal comma in Vietnamese); the comparison
 * is with the same period one year earlier and is left out when that
 * period had no held meeting. Dates are local dd/mm/yyyy, the end date
 * inclusive (the day before the exclusive end). */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-report-text.h"
#include "sched-stats.h"

#include <math.h>
#include <string.h>

static gchar *
text_local_date (GTimeZone *tz, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%d/%m/%Y");
}

static gint
text_local_year (GTimeZone *tz, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  return g_date_time_get_year (local);
}

/* One decimal, without a trailing zero decimal; ',' in Vietnamese. */
static gchar *
text_number (gdouble value, gboolean always_decimal, gboolean vietnamese)
{
  gchar buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gdouble rounded = round (value * 10.0) / 10.0;

  if (!always_decimal && rounded == floor (rounded))
    g_snprintf (buffer, sizeof buffer, "%.0f", rounded);
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.1f", rounded);
  if (vietnamese)
    g_strdelimit (buffer, ".", ',');
  return g_strdup (buffer);
}

static gint
text_row_compare (gconstpointer a, gconstpointer b)
{
  const SchedStatsRow *x = *(SchedStatsRow *const *)a;
  const SchedStatsRow *y = *(SchedStatsRow *const *)b;

  if (x->current.held != y->current.held)
    return x->current.held > y->current.held ? -1 : 1;
  if (x->priority != y->priority)
    return x->priority > y->priority ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* "Từ … đến …, hệ thống đã phục vụ 12 cuộc họp trực tuyến (trong đó …),
 * tổng thời gian 10,5 giờ." */
static void
text_append_served (GString *out, GTimeZone *tz, const SchedStats *stats, gboolean vi)
{
  g_autofree gchar *from = text_local_date (tz, stats->query.from);
  g_autofree gchar *to = text_local_date (tz, stats->query.to - 1);
  g_autofree gchar *hours = text_number (stats->totals.actual_seconds / 3600.0, TRUE, vi);
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  gint64 held = stats->totals.held;

  if (held == 0)
    {
      g_string_append_printf (out,
                              vi ? "Từ %s đến %s, hệ thống chưa phục vụ cuộc họp trực tuyến nào."
                                 : "From %s to %s, the system served no online meetings.",
                              from, to);
      return;
    }
  for (guint i = 0; i < stats->rows->len; i++)
    {
      SchedStatsRow *row = g_ptr_array_index (stats->rows, i);
      if (row->current.held > 0)
        g_ptr_array_add (rows, row);
    }
  g_ptr_array_sort (rows, text_row_compare);

  if (vi)
    g_string_append_printf (out,
                            "Từ %s đến %s, hệ thống đã phục vụ %02" G_GINT64_FORMAT
                            " cuộc họp trực tuyến (trong đó ",
                            from, to, held);
  else
    g_string_append_printf (
        out, "From %s to %s, the system served %" G_GINT64_FORMAT " online meeting%s (", from, to,
        held, held == 1 ? "" : "s");
  for (guint i = 0; i < rows->len; i++)
    {
      const SchedStatsRow *row = g_ptr_array_index (rows, i);
      if (i > 0)
        g_string_append (out, ", ");
      if (vi)
        g_string_append_printf (out, "%s %02" G_GINT64_FORMAT " cuộc", row->name,
                                row->current.held);
      else
        g_string_append_printf (out, "%s %" G_GINT64_FORMAT, row->name, row->current.held);
    }
  g_string_append_printf (out, vi ? "), tổng thời gian %s giờ." : "), %s hours in total.", hours);
}

/* " Số cuộc họp tăng 50% so với cùng kỳ năm 2023 (08 cuộc)."; nothing when
 * the same period of the year before had no held meeting. */
static void
text_append_comparison (GString *out, GTimeZone *tz, const SchedStats *stats, gboolean vi)
{
  gint64 held = stats->totals.held, before = stats->previous_totals.held;
  gint year = text_local_year (tz, stats->previous_from);
  g_autofree gchar *period = NULL, *pct_text = NULL;
  gdouble pct = 0;

  if (before == 0)
    return;
  if (year == text_local_year (tz, stats->previous_to - 1))
    period = vi ? g_strdup_printf ("cùng kỳ năm %d", year)
                : g_strdup_printf ("the same period of %d", year);
  else
    period = g_strdup (vi ? "cùng kỳ năm trước" : "the same period of the year before");

  if (held == before)
    {
      g_string_append_printf (out,
                              vi ? " Số cuộc họp bằng %s (%02" G_GINT64_FORMAT " cuộc)."
                                 : " That is as many as in %s (%" G_GINT64_FORMAT ").",
                              period, before);
      return;
    }
  sched_stats_change_pct (held, before, &pct);
  pct_text = text_number (fabs (pct), FALSE, vi);
  if (vi)
    g_string_append_printf (out, " Số cuộc họp %s %s%% so với %s (%02" G_GINT64_FORMAT " cuộc).",
                            held > before ? "tăng" : "giảm", pct_text, period, before);
  else
    g_string_append_printf (out, " That is %s%% %s than in %s (%" G_GINT64_FORMAT ").", pct_text,
                            held > before ? "more" : "fewer", period, before);
}

/* " (Lưu ý: danh sách đơn vị đã thay đổi từ 01/07/2025; …)": when the
 * roster changed between the two periods compared, and there is a
 * comparison sentence. */
static void
text_append_units_note (GString *out, GTimeZone *tz, const SchedStats *stats, gboolean vi)
{
  g_autofree gchar *date = NULL;
  gboolean successor = stats->query.units == SCHED_STATS_UNITS_SUCCESSOR;

  if (stats->roster_changed_at == 0 || stats->previous_totals.held == 0)
    return;
  date = text_local_date (tz, stats->roster_changed_at);
  if (vi)
    g_string_append_printf (out,
                            " Lưu ý: danh sách đơn vị thay đổi từ ngày %s, đơn vị của hai kỳ so "
                            "sánh không hoàn toàn giống nhau (%s).",
                            date,
                            successor ? "số liệu được tính theo đơn vị kế thừa hiện nay"
                                      : "số liệu mỗi kỳ được tính theo đơn vị tại thời điểm đó");
  else
    g_string_append_printf (out,
                            " Note: the units changed on %s, so the two periods compared do not "
                            "have the same units (%s).",
                            date,
                            successor ? "meetings are counted under today's successor units"
                                      : "each period is counted under the units of its time");
}

gchar *
sched_report_summary (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, const gchar *lang,
                      GError **error)
{
  return sched_report_summary_units (db, tz, from, to, lang, SCHED_STATS_UNITS_HISTORIC, error);
}

gchar *
sched_report_summary_units (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, const gchar *lang,
                            SchedStatsUnits units, GError **error)
{
  gint64 as_of = 0;

  return sched_report_summary_as_of (db, tz, from, to, lang, units, FALSE, &as_of, error);
}

gchar *
sched_report_summary_as_of (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, const gchar *lang,
                            SchedStatsUnits units, gboolean stale_ok, gint64 *as_of, GError **error)
{
  SchedStatsQuery q = { .from = from,
                        .to = to,
                        .group_by = SCHED_STATS_GROUP_UNIT,
                        .compare = SCHED_STATS_COMPARE_PREVIOUS_YEAR,
                        .units = units,
                        .stale_ok = stale_ok };
  g_autoptr (SchedStats) stats = NULL;
  gboolean vi = g_strcmp0 (lang, "en") != 0;
  GString *out;

  stats = sched_stats_compute (db, tz, &q, error);
  if (stats == NULL)
    return NULL;
  *as_of = stats->as_of;
  out = g_string_new (NULL);
  text_append_served (out, tz, stats, vi);
  text_append_comparison (out, tz, stats, vi);
  text_append_units_note (out, tz, stats, vi);
  return g_string_free (out, FALSE);
}
