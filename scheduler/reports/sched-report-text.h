/* sched-report-text.h — the summary sentence of provincial reports
 * (internal to reports/). */
#pragma once

#include "sched-db.h"
#include "sched-stats.h"

G_BEGIN_DECLS

/* The summary of [from, to) in @lang ("vi" or "en"), e.g. "Từ 01/01/2024
 * đến 30/06/2024, hệ thống đã phục vụ 12 cuộc họp trực tuyến (trong đó UBND
 * tỉnh 07 cuộc, …), tổng thời gian 18,5 giờ. Số cuộc họp tăng 50% so với
 * cùng kỳ năm 2023 (08 cuộc)." See docs/api-reports.md for every rule. */
gchar *sched_report_summary (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, const gchar *lang,
                             GError **error);
/* The same with the units counted as they were (historic) or under their
 * successors at the end of the period (issue #16). When the roster changed
 * between the two periods compared, the sentence says so. */
gchar *sched_report_summary_units (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to,
                                   const gchar *lang, SchedStatsUnits units, GError **error);
/* The same, reading the rollup as it stands when @stale_ok (see
 * SchedStatsQuery.stale_ok); *@as_of: SchedStats.as_of of the figures. */
gchar *sched_report_summary_as_of (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to,
                                   const gchar *lang, SchedStatsUnits units, gboolean stale_ok,
                                   gint64 *as_of, GError **error);

G_END_DECLS
