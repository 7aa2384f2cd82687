/* vc-agent-wire.h — the agent channel's codec (docs/protocol.md §4): the
 * one definition of every message between the scheduler and a room agent,
 * linked by both (scheduler/agents/ and endpoint/).
 *
 * Two directions, one type each:
 *   VcAgentWireReport  agent → scheduler: "state", "readiness"
 *   VcAgentWireNotice  scheduler → agent: "schedule", "join", "leave", "error"
 * Each has a strict parse (text → struct; a VC_WIRE_ERROR naming the field
 * and the problem) and a builder (struct → text); what a builder makes,
 * the parse gives back equal. Members a message does not define are
 * ignored, so either side may add one without breaking the other. The
 * limits of the channel are stated here and nowhere else. */
#pragma once

#include "vc-wire.h"

G_BEGIN_DECLS

/* GET this path, upgraded to a WebSocket, with Authorization: Bearer
 * ENDPOINT_TOKEN. */
#define VC_AGENT_WIRE_PATH "/api/v1/agent"
/* agent → scheduler: a message up to this size is read; a bigger one, in a
 * frame up to VC_AGENT_WIRE_REPORT_MAX_FRAME_BYTES, is answered "too_large"
 * and the channel stays open; a bigger frame closes the channel. */
#define VC_AGENT_WIRE_REPORT_MAX_BYTES (64 * 1024)
#define VC_AGENT_WIRE_REPORT_MAX_FRAME_BYTES (4 * VC_AGENT_WIRE_REPORT_MAX_BYTES)
/* scheduler → agent: the largest message (a schedule with its tokens) an
 * agent reads. */
#define VC_AGENT_WIRE_NOTICE_MAX_BYTES (1024 * 1024)
/* A schedule holds the room's meetings that have not ended, in start
 * order, at most this many, starting within this horizon. */
#define VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS 50
#define VC_AGENT_WIRE_SCHEDULE_HORIZON_SECONDS (14 * 24 * 3600)
/* WebSocket close code (4000-4999: for applications) when the channel's
 * token is revoked; it mirrors HTTP 401, which a new connection gets. */
#define VC_AGENT_WIRE_CLOSE_TOKEN_REVOKED 4401

/* ---- agent → scheduler ---- */

typedef enum
{
  VC_AGENT_WIRE_STATE_IDLE,
  VC_AGENT_WIRE_STATE_JOINING,
  VC_AGENT_WIRE_STATE_IN_MEETING,
} VcAgentWireState;

/* "idle", "joining", "in_meeting". */
const gchar *vc_agent_wire_state_to_string (VcAgentWireState state);

typedef enum
{
  VC_AGENT_WIRE_REPORT_STATE,     /* {"type":"state","state":S,"meeting":ID|null} */
  VC_AGENT_WIRE_REPORT_READINESS, /* {"type":"readiness","meeting":ID,"ready":B,"reason":T} */
} VcAgentWireReportType;

typedef struct
{
  VcAgentWireReportType type;
  VcAgentWireState state; /* STATE */
  gint64 meeting;         /* 0 when null or absent; any whole number otherwise */
  gboolean ready;         /* READINESS */
  gchar *reason;          /* READINESS: "" when absent or null */
} VcAgentWireReport;

void vc_agent_wire_report_clear (VcAgentWireReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VcAgentWireReport, vc_agent_wire_report_clear)

/* Parses one text frame. FALSE with VC_WIRE_ERROR when it is not a
 * well-formed report (TOO_LARGE over VC_AGENT_WIRE_REPORT_MAX_BYTES,
 * UNKNOWN_TYPE for another "type"); @out is then untouched. */
gboolean vc_agent_wire_report_parse (const gchar *text, gsize length, VcAgentWireReport *out,
                                     GError **error);
/* The report as compact JSON text. A state's meeting 0 is written null; a
 * readiness's meeting is written as it is. */
gchar *vc_agent_wire_report_build (const VcAgentWireReport *report);

/* ---- scheduler → agent ---- */

/* One meeting of a schedule. */
typedef struct
{
  gint64 id;        /* > 0 */
  gchar *title;     /* required */
  gchar *unit;      /* NULL when absent or null */
  gchar *unit_name; /* NULL when absent or null */
  gchar *chair;     /* NULL when absent or null */
  gint64 start;     /* seconds since the epoch; end > start */
  gint64 end;
  gchar *status;        /* "scheduled" when absent; the agent joins only those */
  gchar *signal_url;    /* NULL: no bridge configured */
  gchar *join_token;    /* NULL: no bridge secret configured */
  gint64 token_expires; /* 0 when absent (not written) */
} VcAgentWireMeeting;

VcAgentWireMeeting *vc_agent_wire_meeting_new (void);
void vc_agent_wire_meeting_free (VcAgentWireMeeting *meeting);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcAgentWireMeeting, vc_agent_wire_meeting_free)

typedef struct
{
  gchar *endpoint;     /* NULL when absent or null */
  gint64 generated_at; /* 0 when absent (not written) */
  GPtrArray *meetings; /* VcAgentWireMeeting*, owned; at most MAX_MEETINGS */
} VcAgentWireSchedule;

VcAgentWireSchedule *vc_agent_wire_schedule_new (void);
void vc_agent_wire_schedule_free (VcAgentWireSchedule *schedule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcAgentWireSchedule, vc_agent_wire_schedule_free)

/* A schedule on its own, as the agent caches it on disk: the notice's text,
 * whose "type", when present, must be "schedule". Meetings keep their
 * order. */
VcAgentWireSchedule *vc_agent_wire_schedule_parse (const gchar *text, gsize length, GError **error);
/* {"type":"schedule",…}; @pretty for a file people read. */
gchar *vc_agent_wire_schedule_build (const VcAgentWireSchedule *schedule, gboolean pretty);

typedef enum
{
  VC_AGENT_WIRE_NOTICE_SCHEDULE, /* the room's schedule, on connect and on every change */
  VC_AGENT_WIRE_NOTICE_JOIN,     /* {"type":"join","meeting":ID}: join it now */
  VC_AGENT_WIRE_NOTICE_LEAVE,    /* {"type":"leave","meeting":ID}: leave it now */
  VC_AGENT_WIRE_NOTICE_ERROR,    /* {"type":"error","code":C,"message":T}: a report refused */
} VcAgentWireNoticeType;

/* "schedule", "join", "leave", "error". */
const gchar *vc_agent_wire_notice_type_to_string (VcAgentWireNoticeType type);

/* The codes of an error notice. */
#define VC_AGENT_WIRE_ERROR_MALFORMED "malformed" /* not a well-formed report */
#define VC_AGENT_WIRE_ERROR_TOO_LARGE "too_large" /* over REPORT_MAX_BYTES */
#define VC_AGENT_WIRE_ERROR_INVALID "invalid"     /* a state naming a meeting out of its window */
#define VC_AGENT_WIRE_ERROR_INTERNAL "internal"   /* the scheduler could not check it */

typedef struct
{
  VcAgentWireNoticeType type;
  VcAgentWireSchedule *schedule; /* SCHEDULE, owned */
  gint64 meeting;                /* JOIN, LEAVE: any whole number */
  gchar *code;                   /* ERROR: one of VC_AGENT_WIRE_ERROR_* (others are kept) */
  gchar *message;                /* ERROR: "" when absent or null */
} VcAgentWireNotice;

void vc_agent_wire_notice_clear (VcAgentWireNotice *notice);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VcAgentWireNotice, vc_agent_wire_notice_clear)

/* Parses one text frame. FALSE with VC_WIRE_ERROR when it is not a
 * well-formed notice (TOO_LARGE over VC_AGENT_WIRE_NOTICE_MAX_BYTES,
 * UNKNOWN_TYPE for another "type"); a schedule with one malformed meeting
 * is malformed as a whole. @out is then untouched. */
gboolean vc_agent_wire_notice_parse (const gchar *text, gsize length, VcAgentWireNotice *out,
                                     GError **error);
gchar *vc_agent_wire_notice_build (const VcAgentWireNotice *notice);

/* Member by member (a report's reason NULL and "" alike, a meeting's status
 * NULL and "scheduled" alike: as they go on the wire). For tests. */
gboolean vc_agent_wire_report_equal (const VcAgentWireReport *a, const VcAgentWireReport *b);
gboolean vc_agent_wire_schedule_equal (const VcAgentWireSchedule *a, const VcAgentWireSchedule *b);
gboolean vc_agent_wire_notice_equal (const VcAgentWireNotice *a, const VcAgentWireNotice *b);

G_END_DECLS
