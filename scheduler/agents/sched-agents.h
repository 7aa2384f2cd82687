/* sched-agents.h — the live side of the scheduler: the room agents' channel
 * (WebSocket /api/v1/agent), the bridge client that opens and closes meeting
 * rooms on vc-bridge, join tokens, and the live monitor.
 *
 * sched_agents_register() creates the hub and the bridge client, sets the
 * hooks of @ctx (get_presence, schedule_changed, meeting_changed,
 * token_revoked, hub, bridge), adds its handlers to @server and starts its timers.
 * sched_agents_unregister() stops and frees them (before the db is closed). */
#pragma once

#include "sched-context.h"

G_BEGIN_DECLS

void sched_agents_register (SchedContext *ctx, SoupServer *server);
void sched_agents_unregister (SchedContext *ctx);

G_END_DECLS
