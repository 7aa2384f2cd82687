/* sched-meeting-window.h — when a room may say it is in a meeting.
 *
 * A room agent tells the scheduler where it is twice: "state" messages on
 * its channel (agents/sched-agent-hub.c, shown by the live monitor) and
 * joined/left events (POST /api/v1/attendance, counted by the statistics).
 * Both name a meeting, and both are believed only when that meeting
 * exists, the room is one of its rooms, and the time lies in the meeting's
 * window: from SCHED_MEETING_EARLY_SECONDS before its start (an agent may
 * attend up to [timing] join_lead_seconds = 600 s early and connect
 * connect_ahead_seconds = 60 s before that, plus clock skew) to
 * SCHED_MEETING_LATE_SECONDS after its end (when it was ended early: after
 * that), and never more than SCHED_CLOCK_SKEW_SECONDS in the scheduler's
 * future. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

#define SCHED_MEETING_EARLY_SECONDS (15 * 60)
#define SCHED_MEETING_LATE_SECONDS (15 * 60)
#define SCHED_CLOCK_SKEW_SECONDS 120

/* Whether room @endpoint may be in meeting @meeting_id at @at, the
 * scheduler's clock being @now. FALSE with SCHED_ERROR_INVALID whose field
 * is "meeting" (no such meeting, or the room is not one of its rooms) or
 * "at" (outside the window, or in the future), or SCHED_ERROR_INTERNAL. */
gboolean sched_meeting_window_check (SchedDb *db, gint64 meeting_id, const gchar *endpoint,
                                     gint64 at, gint64 now, GError **error);

G_END_DECLS
