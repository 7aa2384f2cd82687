/* sched-bridge-uplink.h — posts each meeting's link to a central
 * conference (sched-uplink.h) to the meeting's room on the bridge
 * (POST/DELETE /rooms/{id}/uplink, docs/protocol.md §5), and keeps it there.
 *
 * Owned by the bridge client (sched-bridge.c), which calls it after every
 * GET /rooms/{id} of an open room and when a room is gone. Main thread only. */
#pragma once

#include "sched-bridge.h"

G_BEGIN_DECLS

SchedBridgeUplinks *sched_bridge_uplinks_new (SchedContext *ctx, SchedBridge *bridge);
/* Cancels the requests in flight. */
void sched_bridge_uplinks_free (SchedBridgeUplinks *uplinks);

/* The bridge answered GET /rooms/@meeting_id with @room: post, replace or
 * delete the room's uplink so that it matches the meeting's stored link. */
void sched_bridge_uplinks_room_polled (SchedBridgeUplinks *uplinks, gint64 meeting_id,
                                       JsonNode *room);
/* The room was closed or the bridge lost it: what was posted went with it. */
void sched_bridge_uplinks_room_gone (SchedBridgeUplinks *uplinks, gint64 meeting_id);
/* The meeting's link was set or removed: post it again even when it is the
 * one posted last (a refused link is tried once more), and poll now. */
void sched_bridge_uplinks_changed (SchedBridgeUplinks *uplinks, gint64 meeting_id);
/* Why the bridge refused the last POST of the meeting's uplink, or NULL. */
const gchar *sched_bridge_uplinks_get_error (SchedBridgeUplinks *uplinks, gint64 meeting_id);

G_END_DECLS
