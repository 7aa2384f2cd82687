/* sched-monitor.h — the live monitor and the admin's live controls:
 *   GET  /api/v1/monitor
 *   POST /api/v1/monitor/meetings/{id}/control
 *   POST /api/v1/monitor/meetings/{id}/join-links
 *   POST /api/v1/agents/{endpoint}/join | /leave
 * (docs/api-live.md). Main thread only. */
#pragma once

#include "sched-agent-hub.h"
#include "sched-bridge.h"

G_BEGIN_DECLS

void sched_monitor_register (SchedContext *ctx, SoupServer *server, SchedAgentHub *hub,
                             SchedBridge *bridge);
void sched_monitor_unregister (SoupServer *server);

G_END_DECLS
