/* sched-report-text.h — the summary sentence of provincial reports
 * (internal to reports/). */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

/* The summary of [from, to) in @lang ("vi" or "en"), e.g. "Từ 01/01/2024
 * đến 30/06/2024, hệ thống đã phục vụ 12 cuộc họp trực tuyến (trong đó UBND
 * tỉnh 07 cuộc, …), tổng thời gian 18,5 giờ. Số cuộc họp tăng 50% so với
 * cùng kỳ năm 2023 (08 cuộc)." See docs/api-reports.md for every rule. */
gchar *sched_report_summary (SchedDb *db, GTimeZone *tz, gint64 from, gint64 to, const gchar *lang,
                             GError **error);

G_END_DECLS
