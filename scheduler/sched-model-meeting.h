/* sched-model-meeting.h — the meetings table: a meeting as stored, read,
 * listed, written and shown as JSON.
 *
 * Part of the model layer (libvc-sched-base): every row of `meetings` is read
 * and written here and nowhere else, so the booking rules (sched-booking*.c),
 * attendance, the agent hub, the bridge client and the monitor share one
 * definition of a meeting. Its rooms (meeting_endpoints) are
 * sched-model-meeting-room.h. Times are seconds since the epoch; JSON uses
 * RFC 3339 UTC. No rule is checked here: the writes run inside the caller's
 * transaction, after the caller's checks. */
#pragma once

#include "sched-db.h"
#include "sched-model-meeting-room.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gint64 series_id; /* 0: none */
  gchar *title;
  gchar *unit;
  gchar *chair;
  gint64 start;
  gint64 end;
  gchar *status; /* scheduled | cancelled | displaced | ended */
  gint64 version;
  gchar *created_by;
  gint64 created_at;
  gint64 updated_at;
  gint64 ended_at; /* 0: not ended */
  gboolean imported;
  gboolean held;
  gint64 actual_seconds;
  gint64 present_count;
  gint64 invited_count;
  gboolean record;      /* the bridge records its room (schema v6) */
  GPtrArray *endpoints; /* gchar*, the rooms of the meeting */
} SchedMeeting;

void sched_meeting_free (SchedMeeting *meeting);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedMeeting, sched_meeting_free)

/* NULL + SCHED_ERROR_NOT_FOUND when there is no such meeting. */
SchedMeeting *sched_meeting_load (SchedDb *db, gint64 id, GError **error);
gboolean sched_meeting_has_endpoint (const SchedMeeting *meeting, const gchar *endpoint);

typedef struct
{
  gint64 from;           /* meetings that end after @from … */
  gint64 to;             /* … and start before @to */
  const gchar *unit;     /* NULL: any */
  const gchar *endpoint; /* NULL: any */
  const gchar *status;   /* NULL: any */
  gint limit;
} SchedMeetingFilter;

/* Appends to @ids (gint64) the scheduled meetings of series @series_id
 * that start at or after @from_start, in start order. */
gboolean sched_meeting_list_series (SchedDb *db, gint64 series_id, gint64 from_start, GArray *ids,
                                    GError **error);

/* Appends SchedMeeting* to @out (which frees them), in start order. */
gboolean sched_meeting_list (SchedDb *db, const SchedMeetingFilter *filter, GPtrArray *out,
                             GError **error);

/* Adds the meeting as one JSON object to @b. */
void sched_meeting_to_json (const SchedMeeting *meeting, JsonBuilder *b);
JsonNode *sched_meeting_to_node (const SchedMeeting *meeting);

/* Whether @status names a meeting status. */
gboolean sched_meeting_status_is_valid (const gchar *status);

/* Inserts @meeting (series_id 0: none; status, created_by, created_at =
 * updated_at, ended_at 0: NULL, imported, invited_count, record; id, version and
 * the derived columns are ignored) and sets *id. Its rooms are not written
 * (sched_meeting_room_insert). */
gboolean sched_meeting_insert (SchedDb *db, const SchedMeeting *meeting, gint64 *id,
                               GError **error);

/* Writes title, unit, chair, start, end, invited_count and record of @meeting (by
 * its id), with a new version and updated_at = @now. */
gboolean sched_meeting_update (SchedDb *db, const SchedMeeting *meeting, gint64 now,
                               GError **error);

/* Sets the status of meeting @id, with a new version and updated_at. */
gboolean sched_meeting_set_status (SchedDb *db, gint64 id, const gchar *status, gint64 now,
                                   GError **error);

/* Marks meeting @id displaced if it is still scheduled (else no change). */
gboolean sched_meeting_displace (SchedDb *db, gint64 id, gint64 now, GError **error);

/* Moves the end of meeting @id to @end; with @ended, leaves end_at and
 * sets ended_at = @end and status ended instead. New version, updated_at. */
gboolean sched_meeting_set_end (SchedDb *db, gint64 id, gint64 end, gboolean ended, gint64 now,
                                GError **error);

/* The columns derived from attendance (sched_attendance_refresh). */
gboolean sched_meeting_set_attendance (SchedDb *db, gint64 id, gboolean held, gint64 actual_seconds,
                                       gint64 present_count, gint64 invited_count, GError **error);

/* Meeting @id's start, its end (its ended_at when it was ended early) and
 * whether room @endpoint has a row in it, active or not (a meeting
 * cancelled while it ran, or a room taken off it, still had the room).
 * FALSE + SCHED_ERROR_NOT_FOUND when there is no such meeting. */
gboolean sched_meeting_get_room_window (SchedDb *db, gint64 id, const gchar *endpoint,
                                        gint64 *start, gint64 *end, gboolean *has_room,
                                        GError **error);

/* Appends (gint64) the ids of the scheduled meetings that start at or
 * before @starts_by and end after @ends_after. */
gboolean sched_meeting_list_live_ids (SchedDb *db, gint64 starts_by, gint64 ends_after, GArray *out,
                                      GError **error);

/* Appends (gint64) the ids of the scheduled meetings starting at or after
 * @from (of @unit, or any when NULL) whose unit, or one of whose rooms, is
 * not valid at the meeting's start: what a reorganisation left behind for
 * the secretariats to move or cancel. In start order. */
gboolean sched_meeting_list_out_of_roster_ids (SchedDb *db, gint64 from, const gchar *unit,
                                               GArray *out, GError **error);

/* The scheduled meeting running at @at whose unit's priority is below
 * @priority, not in @skip (gint64 ids), that pre-emption gives up first:
 * the lowest priority, then the most recently booked; *id = 0 if none. */
gboolean sched_meeting_find_displaceable (SchedDb *db, gint64 at, gint priority, GArray *skip,
                                          gint64 *id, GError **error);

typedef struct
{
  gchar *status;
  gint64 count;
} SchedMeetingCount;

void sched_meeting_count_free (SchedMeetingCount *count);

/* SchedMeetingCount* per status that has meetings, by status. */
GPtrArray *sched_meeting_count_by_status (SchedDb *db, GError **error);

/* The longest a stored meeting can be: [limits] max_meeting_hours may not
 * exceed 24, so every overlap query bounds its index range with it. */
#define SCHED_MEETING_MAX_SECONDS (24 * 3600)

G_END_DECLS
