/* sched-bridge.h — the scheduler's client of the vc-bridge control API
 * (docs/protocol.md §2): opens each meeting's room before its start, updates
 * it when the meeting changes, closes it after the end, and keeps the last
 * GET /rooms/{id} of every open room for the monitor.
 *
 * Asynchronous (SoupSession), main thread only. */
#pragma once

#include "sched-context.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SchedBridge SchedBridge;
typedef struct _SchedBridgeUplinks SchedBridgeUplinks; /* sched-bridge-uplink.h */

/* Starts the 1 s timer. Does nothing when settings->bridge_url is NULL. */
SchedBridge *sched_bridge_new (SchedContext *ctx);
/* Cancels requests in flight and stops the timer. */
void sched_bridge_free (SchedBridge *bridge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedBridge, sched_bridge_free)

/* The meeting was created/changed/ended/cancelled: re-post or close its room
 * (on the next tick, which is scheduled at once). */
void sched_bridge_meeting_changed (SchedBridge *bridge, gint64 meeting_id);

/* Has the bridge answered, and answered the last request? */
gboolean sched_bridge_is_reachable (SchedBridge *bridge);

/* The last room JSON polled from the bridge, or NULL. Borrowed. */
JsonNode *sched_bridge_get_room (SchedBridge *bridge, gint64 meeting_id);

/* Forwards POST /rooms/{id}/control with @body (a JSON object, copied);
 * @callback gets the bridge's status and body (NULL body and status 0 when
 * the bridge could not be reached). */
typedef void (*SchedBridgeReplyFunc) (guint status, GBytes *body, const GError *error,
                                      gpointer user_data);
void sched_bridge_control (SchedBridge *bridge, gint64 meeting_id, JsonNode *body,
                           SchedBridgeReplyFunc callback, gpointer user_data);

/* Any call of the control API (docs/protocol.md §2): @method @path with
 * @body (a JSON object, copied; may be NULL). @callback gets what
 * sched_bridge_control() gives; with @cancellable cancelled it is still
 * called, with status 0 and a G_IO_ERROR_CANCELLED error. */
void sched_bridge_request (SchedBridge *bridge, const gchar *method, const gchar *path,
                           JsonNode *body, GCancellable *cancellable, SchedBridgeReplyFunc callback,
                           gpointer user_data);

/* Polls meeting @meeting_id's room (GET /rooms/{id}) on the next tick,
 * which is scheduled at once; nothing when the room is not open. */
void sched_bridge_poll_now (SchedBridge *bridge, gint64 meeting_id);

/* The room's uplinks to central conferences (sched-bridge-uplink.h). */
SchedBridgeUplinks *sched_bridge_get_uplinks (SchedBridge *bridge);

G_END_DECLS
