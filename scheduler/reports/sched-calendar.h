/* sched-calendar.h — iCalendar (RFC 5545) feeds of a room or a unit
 * (internal to reports/). */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

/* The meetings of room @endpoint or of unit @unit (exactly one is set)
 * that end at or after @since, as a VCALENDAR text with CRLF line ends.
 * Unknown code → SCHED_ERROR_INVALID naming "endpoint" or "unit". */
gchar *sched_calendar_build (SchedDb *db, const gchar *endpoint, const gchar *unit, gint64 since,
                             GError **error);

G_END_DECLS
