/* sched-model-attendance.h — the attendance_events table: the joined/left
 * events the rooms' agents post (and history import adds), each stored
 * once under the agent's own UUID so that replays are recognised.
 *
 * Part of the model layer (libvc-sched-base). What the events mean —
 * segments, statuses and a meeting's derived columns — is
 * sched-attendance.c. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

/* Inserts one event; *duplicate when its id exists (nothing written). */
gboolean sched_attendance_event_insert (SchedDb *db, const gchar *id, gint64 meeting_id,
                                        const gchar *endpoint, const gchar *type, gint64 at,
                                        const gchar *reason, gint64 received_at,
                                        gboolean *duplicate, GError **error);

typedef struct
{
  gchar *endpoint;
  gboolean joined; /* FALSE: left */
  gint64 at;
} SchedAttendanceEvent;

void sched_attendance_event_free (SchedAttendanceEvent *event);

/* SchedAttendanceEvent* of meeting @meeting_id by room, then time (at the
 * same second "joined" before "left"). */
GPtrArray *sched_attendance_event_list (SchedDb *db, gint64 meeting_id, GError **error);

G_END_DECLS
