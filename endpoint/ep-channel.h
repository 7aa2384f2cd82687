/* ep-channel.h — the agent's end of the agent channel (docs/protocol.md §4):
 * a WebSocket to the scheduler's GET /api/v1/agent with the endpoint token,
 * reconnected with back-off (≤ 5 s) for as long as the agent runs.
 *
 * Incoming messages become signals; malformed ones are logged and ignored
 * (the channel stays open). The last state and readiness sent are sent
 * again after every reconnect. Main thread only. */
#pragma once

#include "ep-schedule.h"

#include <glib-object.h>

G_BEGIN_DECLS

/* The channel's connection, as a step machine:
 *   WAITING --timer--> CONNECTING --handshake ok--> OPEN
 *   CONNECTING --refused/failed--> WAITING (back-off 0.5, 1, 2, 4, 5 s)
 *   OPEN --closed--> WAITING
 *   any --ep_channel_stop--> STOPPED (final) */
typedef enum
{
  EP_CHANNEL_STATE_WAITING,
  EP_CHANNEL_STATE_CONNECTING,
  EP_CHANNEL_STATE_OPEN,
  EP_CHANNEL_STATE_STOPPED,
} EpChannelState;

#define EP_TYPE_CHANNEL (ep_channel_get_type ())
G_DECLARE_FINAL_TYPE (EpChannel, ep_channel, EP, CHANNEL, GObject)

EpChannel *ep_channel_new (const gchar *scheduler_url, const gchar *token);
void ep_channel_start (EpChannel *channel);
void ep_channel_stop (EpChannel *channel);
EpChannelState ep_channel_get_state (EpChannel *channel);

/* {"type":"state",…}; @meeting ≤ 0: null. */
void ep_channel_send_state (EpChannel *channel, VcAgentWireState state, gint64 meeting);
void ep_channel_send_readiness (EpChannel *channel, gint64 meeting, gboolean ready,
                                const gchar *reason);

/* Signals (main thread):
 *   "schedule" (EpChannel *, EpSchedule *schedule)       a valid schedule
 *   "command"  (EpChannel *, guint EpAgentCommand, gint64 meeting)
 *   "state-changed" (EpChannel *, guint EpChannelState) */

G_END_DECLS
