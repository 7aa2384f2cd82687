/* sched-reports.h — statistics, CSV, report sentences and iCalendar feeds.
 *
 * Read-only views over the database. sched_reports_register() adds the
 * handlers for /api/v1/stats, /api/v1/stats.csv, /api/v1/reports/summary and
 * /api/v1/calendar.ics to @server. */
#pragma once

#include "sched-context.h"

G_BEGIN_DECLS

void sched_reports_register (SchedContext *ctx, SoupServer *server);

/* The background refresher of the statistics rollup that
 * sched_reports_register() attached to @server (sched-stats.h), for
 * tests; NULL before. */
typedef struct _SchedStatsRefresher SchedStatsRefresher;
SchedStatsRefresher *sched_reports_get_refresher (SoupServer *server);

G_END_DECLS
