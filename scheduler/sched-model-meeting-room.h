/* sched-model-meeting-room.h — the meeting_endpoints table: the rooms of
 * each meeting, with the meeting's times copied so that a room's bookings
 * are one index range scan (sched-db.c, schema v1 and v3).
 *
 * Part of the model layer (libvc-sched-base): the overlap, capacity and
 * room-hour queries of the booking rules, a room's schedule for its agent
 * and a meeting's participants for the bridge all read these rows here.
 * Writes run inside the caller's transaction. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

/* Inserts an active row for each room code in @endpoints (gchar*) of
 * meeting @meeting_id, with [start, end). */
gboolean sched_meeting_room_insert (SchedDb *db, gint64 meeting_id, GPtrArray *endpoints,
                                    gint64 start, gint64 end, GError **error);
/* Deletes every row of meeting @meeting_id (before writing its new rooms). */
gboolean sched_meeting_room_delete (SchedDb *db, gint64 meeting_id, GError **error);
/* active = 0 for every row of meeting @meeting_id (cancelled, displaced). */
gboolean sched_meeting_room_deactivate (SchedDb *db, gint64 meeting_id, GError **error);
/* Every row of meeting @meeting_id ends at @end (the rooms are free from then). */
gboolean sched_meeting_room_set_end (SchedDb *db, gint64 meeting_id, gint64 end, GError **error);

/* Appends (gchar*) the room codes of every row of meeting @meeting_id,
 * active or not: @first (when it is one of them) first, then by code. */
gboolean sched_meeting_room_list (SchedDb *db, gint64 meeting_id, const gchar *first,
                                  GPtrArray *out, GError **error);

typedef struct
{
  gchar *code;
  gchar *name;
} SchedParticipant;

void sched_participant_free (SchedParticipant *participant);

/* SchedParticipant* for the active rooms of meeting @meeting_id, by code. */
GPtrArray *sched_meeting_room_list_participants (SchedDb *db, gint64 meeting_id, GError **error);

/* A meeting of another booking that holds one of the rooms asked for. */
typedef struct
{
  gchar *endpoint;
  gint64 meeting_id;
  gchar *title;
  gchar *unit;
  gint64 start;
  gint64 end;
  gint priority; /* of the meeting's unit */
} SchedConflict;

void sched_conflict_free (SchedConflict *conflict);

/* Appends SchedConflict* for every active meeting (other than
 * @exclude_id) that shares a room with @endpoints during [start, end). */
gboolean sched_meeting_room_find_conflicts (SchedDb *db, GPtrArray *endpoints, gint64 start,
                                            gint64 end, gint64 exclude_id, GPtrArray *conflicts,
                                            GError **error);

/* One meeting on the bridge: its active rooms' earliest start and latest
 * end, and how many rooms. */
typedef struct
{
  gint64 meeting_id;
  gint64 start;
  gint64 end;
  gint n_rooms;
} SchedMeetingSpan;

/* Appends SchedMeetingSpan for every meeting (other than @exclude_id)
 * with an active room during [start, end). */
gboolean sched_meeting_room_list_spans (SchedDb *db, gint64 start, gint64 end, gint64 exclude_id,
                                        GArray *out, GError **error);

/* Room-seconds the active rooms of @unit's meetings hold in [from, to). */
gboolean sched_meeting_room_unit_seconds (SchedDb *db, const gchar *unit, gint64 from, gint64 to,
                                          gint64 *seconds, GError **error);

/* Whether room @endpoint is in a scheduled meeting that ends after @now. */
gboolean sched_meeting_room_has_future (SchedDb *db, const gchar *endpoint, gint64 now,
                                        gboolean *busy, GError **error);

/* A meeting as one room's agent is told about it (docs/protocol.md §4). */
typedef struct
{
  gint64 id;
  gchar *title;
  gchar *unit;
  gchar *unit_name;
  gchar *chair;
  gint64 start;
  gint64 end;
  gchar *status;
  gchar *room_name; /* the room's own name */
} SchedScheduleEntry;

void sched_schedule_entry_free (SchedScheduleEntry *entry);

/* SchedScheduleEntry* for the scheduled meetings of room @endpoint that end
 * after @from and start before @to, in start order, at most @limit. */
GPtrArray *sched_meeting_room_list_schedule (SchedDb *db, const gchar *endpoint, gint64 from,
                                             gint64 to, gint limit, GError **error);

G_END_DECLS
