/* sched-recordings-api.h — the recordings archive over HTTP (docs/api.md,
 * "Recordings"):
 *   GET  /api/v1/meetings/{id}/recordings   a meeting's segments, totals and
 *                                           live state (SchedContext hook)
 *   POST /api/v1/meetings/{id}/recording    pause/resume, forwarded to the
 *                                           bridge (SchedContext hook)
 *   GET  /api/v1/recordings/{id}            the file: video/webm, ranges, ETag
 *   DELETE /api/v1/recordings/{id}          admin, with an audit entry
 * Who may read a recording: admins, managers, and the secretariat of the
 * meeting's unit; rooms never. A recording is named by its row's id only:
 * no file name ever comes from a URL. Main thread only. */
#pragma once

#include "sched-bridge.h"
#include "sched-context.h"
#include "sched-recordings.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

void sched_recordings_api_register (SchedContext *ctx, SoupServer *server, SchedBridge *bridge,
                                    SchedRecorder *recorder);
void sched_recordings_api_unregister (SchedContext *ctx, SoupServer *server);

G_END_DECLS
