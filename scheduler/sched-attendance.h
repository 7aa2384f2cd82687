/* sched-attendance.h — who joined a meeting, when, and for how long.
 *
 * Room agents post joined/left events (POST /api/v1/attendance); history
 * import adds them for past meetings. From the events this file derives,
 * per room, segments and a status (docs/api.md "Attendance rules"), and per
 * meeting the columns the statistics read: held, actual_seconds,
 * present_count, invited_count. */
#pragma once

#include "sched-auth.h"
#include "sched-core.h"
#include "sched-model-attendance.h"
#include "sched-model-meeting.h"

#include "vc-attendance-wire.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A room counts as late when it first joins more than this after start. */
#define SCHED_ATTENDANCE_LATE_SECONDS (5 * 60)
/* … and as partial when present less than this share of the held time. */
#define SCHED_ATTENDANCE_PARTIAL_RATIO 0.8

/* Recomputes held, actual_seconds, present_count and invited_count of
 * @meeting_id from its attendance events. Runs inside the caller's
 * transaction when there is one. */
gboolean sched_attendance_refresh (SchedDb *db, gint64 meeting_id, GError **error);

/* POST /api/v1/attendance; @request is parsed by the contract's codec
 * (proto/vc-attendance-wire.h). A malformed request or event refuses the
 * whole batch (error). An event that is well formed but not believable (no
 * such meeting, the room not in it, a time outside the meeting's window or
 * in the future: sched-meeting-window.h) is not stored and is added to
 * @answer's rejections; the others are stored and counted in @answer,
 * which is initialised here (and left empty on error). Rejected events are
 * answered, not refused, so that an agent's outbox drops them instead of
 * sending them forever. */
gboolean sched_attendance_ingest (SchedCore *core, const SchedPrincipal *who, JsonObject *request,
                                  VcAttendanceWireAnswer *answer, GError **error);

/* GET /api/v1/meetings/ID/attendance; @only_endpoint limits the rooms. */
JsonNode *sched_attendance_report (SchedCore *core, const SchedMeeting *meeting,
                                   const gchar *only_endpoint, GError **error);

G_END_DECLS
