/* vc-attendance-wire.h — the attendance contract's codec (docs/api.md,
 * "POST /api/v1/attendance"; docs/protocol.md §4): the one definition of
 * the batch of joined/left events a room agent's outbox posts
 * (endpoint/ep-outbox.c) and of the scheduler's answer to it
 * (scheduler/sched-attendance.c), linked by both.
 *
 *   request  {"events":[{"id":UUID,"meeting":ID,"type":"joined"|"left",
 *                        "at":TIME,"reason":TEXT|null,"endpoint":CODE?}, …]}
 *   answer   {"accepted":N,"duplicates":M,
 *             "rejected":[{"index":I,"id":UUID,"field":F,"message":T}, …]}
 *
 * Strict parses (a VC_WIRE_ERROR naming the field: "events[3].id") and
 * builders; what a builder makes, the parse gives back equal. Members the
 * contract does not define are ignored. The limits are stated here. */
#pragma once

#include "vc-wire.h"

G_BEGIN_DECLS

#define VC_ATTENDANCE_WIRE_PATH "/api/v1/attendance"
/* At most this many events in one request. */
#define VC_ATTENDANCE_WIRE_MAX_EVENTS 1000
/* A reason of at most this many characters (not bytes). */
#define VC_ATTENDANCE_WIRE_MAX_REASON_CHARS 500
/* The largest answer an agent reads (1000 rejections with their messages). */
#define VC_ATTENDANCE_WIRE_ANSWER_MAX_BYTES (1024 * 1024)
/* The largest request parsed from text. The scheduler reads request bodies
 * up to its own [http] max_body_bytes (64 KiB by default) before this. */
#define VC_ATTENDANCE_WIRE_REQUEST_MAX_BYTES (1024 * 1024)

typedef enum
{
  VC_ATTENDANCE_WIRE_JOINED,
  VC_ATTENDANCE_WIRE_LEFT,
} VcAttendanceWireEventType;

/* "joined", "left". */
const gchar *vc_attendance_wire_event_type_to_string (VcAttendanceWireEventType type);
/* FALSE for another text. */
gboolean vc_attendance_wire_event_type_from_string (const gchar *text,
                                                    VcAttendanceWireEventType *out);

typedef struct
{
  gchar *id;      /* a UUID (g_uuid_string_is_valid), the agent's: replays are recognised */
  gint64 meeting; /* any whole number; whether it exists is the scheduler's question */
  VcAttendanceWireEventType type;
  gint64 at;       /* seconds since the epoch, within VC_WIRE_TIME_MIN..END */
  gchar *reason;   /* NULL when absent or null; ≤ MAX_REASON_CHARS */
  gchar *endpoint; /* NULL when absent or null (an agent posts its own events) */
} VcAttendanceWireEvent;

VcAttendanceWireEvent *vc_attendance_wire_event_new (void);
void vc_attendance_wire_event_free (VcAttendanceWireEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcAttendanceWireEvent, vc_attendance_wire_event_free)

/* The request's events (VcAttendanceWireEvent*, owned, in order) from an
 * object already parsed (the scheduler's request body) or from text. The
 * whole batch is refused with the first event at fault: "events" not an
 * array or over MAX_EVENTS, an event not an object, a member missing or of
 * the wrong type, an id that is not a UUID, a type other than joined/left,
 * a time that is not RFC 3339 in range, a reason over MAX_REASON_CHARS. */
GPtrArray *vc_attendance_wire_request_from_object (JsonObject *request, GError **error);
GPtrArray *vc_attendance_wire_request_parse (const gchar *text, gsize length, GError **error);
/* {"events":[…]} as compact text; @events holds VcAttendanceWireEvent*. */
gchar *vc_attendance_wire_request_build (GPtrArray *events);

typedef struct
{
  guint index;  /* of the event in the request */
  gchar *id;    /* its id */
  gchar *field; /* "events[1].meeting" */
  gchar *message;
} VcAttendanceWireRejection;

void vc_attendance_wire_rejection_free (VcAttendanceWireRejection *rejection);

typedef struct
{
  gint64 accepted;     /* stored now */
  gint64 duplicates;   /* already stored (a replay) */
  GPtrArray *rejected; /* VcAttendanceWireRejection*, owned; not stored, never to be sent again */
} VcAttendanceWireAnswer;

/* An empty answer (no rejection). */
void vc_attendance_wire_answer_init (VcAttendanceWireAnswer *answer);
void vc_attendance_wire_answer_clear (VcAttendanceWireAnswer *answer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VcAttendanceWireAnswer, vc_attendance_wire_answer_clear)

/* Appends a rejection of event @index. */
void vc_attendance_wire_answer_reject (VcAttendanceWireAnswer *answer, guint index, const gchar *id,
                                       const gchar *field, const gchar *message);

/* Parses the answer. accepted and duplicates are required whole numbers
 * ≥ 0; rejected is optional (an older scheduler sends none). @out is left
 * initialised but empty on failure. */
gboolean vc_attendance_wire_answer_parse (const gchar *text, gsize length,
                                          VcAttendanceWireAnswer *out, GError **error);
gchar *vc_attendance_wire_answer_build (const VcAttendanceWireAnswer *answer);

/* Member by member. For tests. */
gboolean vc_attendance_wire_event_equal (const VcAttendanceWireEvent *a,
                                         const VcAttendanceWireEvent *b);
gboolean vc_attendance_wire_answer_equal (const VcAttendanceWireAnswer *a,
                                          const VcAttendanceWireAnswer *b);

G_END_DECLS
