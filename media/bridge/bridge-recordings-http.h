/* bridge-recordings-http.h — the recordings served to the scheduler
 * (docs/protocol.md §2): list, fetch (with byte ranges), delete.
 *
 *   GET    /recordings?room=ID        the room's segments, in order
 *   GET    /recordings/{room}/{name}  one segment (video/webm, Range → 206)
 *   DELETE /recordings/{room}/{name}  204
 *
 * Room ids and names are checked strictly (bridge_record_room_id_valid, a
 * segment's own name pattern) before any path is made, so no request
 * reaches a file outside `[recordings] directory`. Works for rooms that are
 * closed, and for segments left by an earlier run of the bridge. The caller
 * has checked the Bearer secret. Main thread. */
#pragma once

#include "bridge-config.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* @path: the request's path, beginning with "/recordings" */
void bridge_recordings_http_handle (const BridgeSettings *settings, SoupServerMessage *msg,
                                    const gchar *path, GHashTable *query);

/* Is @name a segment's name (TIME-NNNN.webm, as bridge-record.c makes them)? */
gboolean bridge_recordings_name_valid (const gchar *name);

G_END_DECLS
