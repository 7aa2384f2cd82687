/* ep-report.h — `vc-endpoint report`: the room's meetings and the time
 * spent in them, from the local journal alone. */
#pragma once

#include "ep-journal.h"

G_BEGIN_DECLS

/* Parses YYYY-MM-DD (midnight in Asia/Ho_Chi_Minh; @end_of_day: the next
 * midnight) or an RFC 3339 time. */
gboolean ep_report_parse_date (const gchar *text, gboolean end_of_day, gint64 *out);

/* The report as text (or JSON when @json). NULL + error on a journal error. */
gchar *ep_report_render (EpJournal *journal, const gchar *endpoint, gint64 from, gint64 to,
                         gboolean json, GError **error);

G_END_DECLS
