/* ep-agent.h — the room agent's state machine: which meeting the room
 * should be in, joining and leaving it, retrying, and journalling.
 *
 * Inputs: the schedule (ep_agent_set_schedule), scheduler commands
 * (ep_agent_command), the media's reports (ep_agent_media_connected/_lost)
 * and time (ep_agent_tick, called by a 250 ms timer or by tests with a fake
 * clock). Outputs: the media operations (EpMediaOps), the journal, and the
 * "state-changed" signal that main.c forwards to the agent channel.
 * Main thread only. */
#pragma once

#include "ep-journal.h"
#include "ep-schedule.h"

#include <glib-object.h>

G_BEGIN_DECLS

/* What the scheduler sees (docs/protocol.md §4):
 *   IDLE --a meeting is due (start - lead - connect_ahead) / join command-->
 *        JOINING (media connecting)
 *   JOINING --media connected, start reached--> IN_MEETING (segment opened)
 *   JOINING --media connected before the start--> JOINING (waits, connected)
 *   JOINING --media failed--> JOINING (attempts start 1, 2, 4, ≤5 s apart;
 *            the bridge has no room yet (404): the same, and said so)
 *   IN_MEETING --media lost--> JOINING (segment closed "dropped", retry at once)
 *   JOINING/IN_MEETING --end, cancellation, removal--> IDLE ("ended")
 *   JOINING/IN_MEETING --leave command / shutdown--> IDLE ("left") */
typedef enum
{
  EP_AGENT_STATE_IDLE,
  EP_AGENT_STATE_JOINING,
  EP_AGENT_STATE_IN_MEETING,
} EpAgentState;

const gchar *ep_agent_state_to_string (EpAgentState state);

/* The reason a join attempt ends with when the bridge answered its
 * signalling with 404: it has no room for the meeting yet (the scheduler has
 * not opened it and no room token has: docs/protocol.md §3). The media
 * process (ep-media-session.c) starts its reason with it. */
#define EP_AGENT_REASON_NO_ROOM "the bridge has no room for this meeting yet"
/* ep_agent_get_waiting() while the last attempt ended so */
#define EP_AGENT_WAITING_NO_ROOM "no-room"

#define EP_TYPE_AGENT (ep_agent_get_type ())
G_DECLARE_FINAL_TYPE (EpAgent, ep_agent, EP, AGENT, GObject)

/* How the agent drives the media. join() returns a handle (non-NULL) and
 * later reports through ep_agent_media_connected()/ep_agent_media_lost(),
 * never from inside join(). leave() stops and frees the handle. */
typedef struct
{
  gpointer (*join) (EpAgent *agent, const EpMeeting *meeting, gpointer user_data);
  void (*leave) (EpAgent *agent, gpointer handle, gpointer user_data);
} EpMediaOps;

/* Clocks in µs: wall (since the epoch) and monotonic. */
typedef gint64 (*EpClockFunc) (gpointer user_data);

/* @journal is borrowed. */
EpAgent *ep_agent_new (EpJournal *journal, const EpMediaOps *ops, gpointer ops_data);
/* Tests: replaces g_get_real_time/g_get_monotonic_time. */
void ep_agent_set_clock (EpAgent *agent, EpClockFunc real, EpClockFunc mono, gpointer data);
void ep_agent_set_timing (EpAgent *agent, gint64 join_lead_seconds, gint64 retry_max_seconds,
                          gint64 heartbeat_seconds);

/* Starts the media @seconds before the start (minus the join lead) so that
 * the room is in the meeting at its start; attendance (the journal's
 * "joined") still counts from the start. Default 0. */
void ep_agent_set_connect_ahead (EpAgent *agent, gint64 seconds);
/* An attempt not connected after @seconds is ended and retried (default 15). */
void ep_agent_set_join_timeout (EpAgent *agent, gint64 seconds);

/* Starts the 250 ms tick timer. */
void ep_agent_start (EpAgent *agent);
/* Evaluates the state machine at the clock's now. */
void ep_agent_tick (EpAgent *agent);
/* Leaves any meeting (reason "left") and stops the timer. */
void ep_agent_shutdown (EpAgent *agent);

void ep_agent_set_schedule (EpAgent *agent, EpSchedule *schedule);
EpSchedule *ep_agent_get_schedule (EpAgent *agent);
/* A command from the scheduler (docs/protocol.md §4). */
typedef enum
{
  EP_AGENT_COMMAND_JOIN,  /* join this meeting now */
  EP_AGENT_COMMAND_LEAVE, /* leave it now, and do not rejoin it */
} EpAgentCommand;

const gchar *ep_agent_command_to_string (EpAgentCommand command);
void ep_agent_command (EpAgent *agent, EpAgentCommand command, gint64 meeting);

void ep_agent_media_connected (EpAgent *agent, gpointer handle);
void ep_agent_media_lost (EpAgent *agent, gpointer handle, const gchar *why);

EpAgentState ep_agent_get_state (EpAgent *agent);
/* What a JOINING agent waits for, when the bridge said so:
 * EP_AGENT_WAITING_NO_ROOM, or NULL (connecting, or another failure). */
const gchar *ep_agent_get_waiting (EpAgent *agent);
gint64 ep_agent_get_meeting (EpAgent *agent);

/* Signals:
 *   "state-changed" (EpAgent *, guint EpAgentState, gint64 meeting)
 *   "journal-changed" (EpAgent *): an event was queued (kick the outbox) */

G_END_DECLS
