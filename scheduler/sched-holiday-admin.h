/* sched-holiday-admin.h — the holidays an administrator enters through the
 * API (POST/PATCH/DELETE /api/v1/holidays, issue #17): checks, the write
 * with its audit line in one transaction, and the calendar the booking
 * rules read (core->holidays) rebuilt at once from the file's days
 * (core->holidays_file, read once at start) and the stored entries.
 *
 * An entry is {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD" (optional, the
 * same day), "name": Vietnamese, "name_en": English or null, "official":
 * true|false (default true)}; its days replace the file's on those days,
 * and an entry on a year's Tết replaces the provisional computed break.
 * Main thread only. */
#pragma once

#include "sched-core.h"
#include "sched-model-holiday.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The longest name, in characters, and the longest range, in days. */
#define SCHED_HOLIDAY_NAME_MAX_CHARS 200
#define SCHED_HOLIDAY_MAX_DAYS 31

/* Rebuilds core->holidays from core->holidays_file and the database. */
gboolean sched_holiday_calendar_reload (SchedCore *core, GError **error);

/* Each checks @body (INVALID naming the field; CONFLICT, reason
 * "holiday_overlap", when the days overlap another entry; NOT_FOUND for an
 * unknown @id), writes with an audit line ("holiday_created",
 * "holiday_changed", "holiday_deleted") in one transaction, reloads the
 * calendar and returns the entry (as it was, for a delete). Nothing changes
 * on error. PATCH: absent members keep their value. */
SchedHolidayEntry *sched_holiday_admin_create (SchedCore *core, JsonObject *body,
                                               const gchar *actor, GError **error);
SchedHolidayEntry *sched_holiday_admin_change (SchedCore *core, gint64 id, JsonObject *body,
                                               const gchar *actor, GError **error);
SchedHolidayEntry *sched_holiday_admin_delete (SchedCore *core, gint64 id, const gchar *actor,
                                               GError **error);

G_END_DECLS
