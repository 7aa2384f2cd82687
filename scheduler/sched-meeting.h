/* sched-meeting.h — a meeting as stored: loading, listing, JSON.
 *
 * The read side of bookings. Times are seconds since the epoch; JSON uses
 * RFC 3339 UTC. The write side (rules, conflicts, pre-emption) is in
 * sched-booking.c. */
#pragma once

#include "sched-db.h"

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

/* Appends SchedMeeting* to @out (which frees them), in start order. */
gboolean sched_meeting_list (SchedDb *db, const SchedMeetingFilter *filter, GPtrArray *out,
                             GError **error);

/* Adds the meeting as one JSON object to @b. */
void sched_meeting_to_json (const SchedMeeting *meeting, JsonBuilder *b);
JsonNode *sched_meeting_to_node (const SchedMeeting *meeting);

/* Whether @status names a meeting status. */
gboolean sched_meeting_status_is_valid (const gchar *status);

/* The longest a stored meeting can be: [limits] max_meeting_hours may not
 * exceed 24, so every overlap query bounds its index range with it. */
#define SCHED_MEETING_MAX_SECONDS (24 * 3600)

G_END_DECLS
