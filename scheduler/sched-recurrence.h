/* sched-recurrence.h — expanding a booking's recurrence with libical.
 *
 * {freq: daily|weekly|monthly, interval, count | until, byday[]} becomes an
 * RRULE evaluated by icalrecur_iterator on the local wall-clock time of the
 * first start (recurrence days are local days in the site's time zone). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Fills @starts (gint64 seconds since the epoch, ascending, the first being
 * @first_start) from the request member @recurrence. More than @max
 * occurrences, or malformed members, → SCHED_ERROR_INVALID naming the field
 * ("recurrence.freq", …). On success *rule_json holds the normalised rule. */
gboolean sched_recurrence_expand (JsonObject *recurrence, gint64 first_start, GTimeZone *tz,
                                  gint max, GArray *starts, gchar **rule_json, GError **error);

G_END_DECLS
