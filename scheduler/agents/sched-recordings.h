/* sched-recordings.h — the recordings' way from the bridge to the
 * scheduler's disk, and their retention.
 *
 * Pull over the bridge's control API (docs/protocol.md §2): while a
 * recorded meeting's room may be open, and after it closed, the recorder
 * lists the bridge's segments of the meeting (GET /recordings?room=ID),
 * downloads each complete one (GET /recordings/ID/NAME) into a temporary
 * file of [recordings] directory, checks its byte count, renames it into
 * place, inserts its row, and only then deletes it on the bridge (DELETE
 * /recordings/ID/NAME). A bridge that is away, or a download that breaks
 * off, is retried with back-off; nothing is deleted on the bridge before
 * the local copy is complete and recorded. The bridge may be on another
 * machine: only HTTP is shared.
 *
 * Retention: with [recordings] keep_days > 0, a sweep at start and once a
 * day deletes the files of recordings older than that and marks their rows
 * deleted, with an audit entry each.
 *
 * Asynchronous (SoupSession, GIO), main thread only. */
#pragma once

#include "sched-context.h"

G_BEGIN_DECLS

typedef struct _SchedRecorder SchedRecorder;

/* Starts the fetch timer (when settings->bridge_url is set) and the
 * retention sweep. */
SchedRecorder *sched_recorder_new (SchedContext *ctx);
/* Cancels the transfers in flight (their partial files are removed). */
void sched_recorder_free (SchedRecorder *recorder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedRecorder, sched_recorder_free)

/* Lists every recorded meeting's segments on the next tick, whatever
 * their back-off (a meeting ended; tests). */
void sched_recorder_poll_now (SchedRecorder *recorder);

/* The retention sweep as of @now: every recording that started before
 * @now - keep_days loses its file and is marked deleted by "retention",
 * with an audit entry. *@deleted: how many. Does nothing when keep_days
 * is 0. */
gboolean sched_recorder_sweep (SchedRecorder *recorder, gint64 now, guint *deleted, GError **error);

/* The file of recording @name of meeting @meeting_id (its folder and name
 * are checked by the caller: a number and sched_recording_name_is_valid). */
gchar *sched_recorder_file_path (const SchedSettings *settings, gint64 meeting_id,
                                 const gchar *name);

G_END_DECLS
