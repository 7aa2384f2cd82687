/* sched-uplink-api.h — /api/v1/meetings/{id}/uplink: a meeting's link to a
 * higher-level (central) conference (docs/api.md, "Central conference"):
 * GET shows the stored link and the bridge's live uplink state, PUT sets it,
 * DELETE removes it. Reached through SchedContext.meeting_uplink. Main
 * thread only. */
#pragma once

#include "sched-bridge.h"

G_BEGIN_DECLS

void sched_uplink_api_register (SchedContext *ctx, SchedBridge *bridge);
void sched_uplink_api_unregister (SchedContext *ctx);

G_END_DECLS
