/* sched-model-recording.h — the recordings table (schema v6): one row per
 * recorded segment fetched from the bridge, read and written here and
 * nowhere else.
 *
 * The fetcher (scheduler/agents/sched-recordings.c) inserts a row once the
 * file is complete on the scheduler's disk; the archive API
 * (scheduler/agents/sched-recordings-api.c) lists and serves them; admin
 * deletion and the retention sweep mark them deleted (the row stays, so
 * the audit log's entries keep their subject). Part of the model layer
 * (libvc-sched-base). */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gint64 meeting_id;
  gint segment; /* 1, 2, … in the order they were fetched */
  gchar *name;  /* the bridge's file name, checked by sched_recording_name_is_valid() */
  gint64 bytes;
  gdouble seconds;
  gint64 started_at; /* seconds since the epoch */
  gint64 fetched_at;
  gint64 deleted_at; /* 0: present */
  gchar *deleted_by; /* NULL: present */
} SchedRecording;

void sched_recording_free (SchedRecording *recording);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedRecording, sched_recording_free)

/* Whether @name may be a file name under the recordings directory: 1 to
 * 100 bytes of [A-Za-z0-9._-], not starting with a dot (no "..", no
 * slash, no hidden or partial file). */
gboolean sched_recording_name_is_valid (const gchar *name);

/* Recording @id, deleted or not; NULL + SCHED_ERROR_NOT_FOUND if none. */
SchedRecording *sched_recording_get (SchedDb *db, gint64 id, GError **error);
/* Appends the meeting's recordings not deleted (SchedRecording*), by segment. */
gboolean sched_recording_list_meeting (SchedDb *db, gint64 meeting_id, GPtrArray *out,
                                       GError **error);
/* Whether meeting @meeting_id has a row (deleted or not) for @name. */
gboolean sched_recording_exists (SchedDb *db, gint64 meeting_id, const gchar *name,
                                 gboolean *exists, GError **error);
/* Inserts @recording (id and segment are set here: the next segment of
 * its meeting) and sets *id. */
gboolean sched_recording_insert (SchedDb *db, const SchedRecording *recording, gint64 *id,
                                 GError **error);
/* Marks recording @id deleted at @at by @actor. */
gboolean sched_recording_mark_deleted (SchedDb *db, gint64 id, gint64 at, const gchar *actor,
                                       GError **error);
/* Appends the recordings not deleted that started before @before. */
gboolean sched_recording_list_started_before (SchedDb *db, gint64 before, GPtrArray *out,
                                              GError **error);
/* Appends (gint64) the ids of the meetings whose room may hold segments
 * on the bridge: started by @starts_by, and not over (their end, or
 * ended_at) before @over_after. Whatever their record flag now: one
 * turned off mid-meeting leaves what was recorded before. */
gboolean sched_recording_list_recorded_meetings (SchedDb *db, gint64 starts_by, gint64 over_after,
                                                 GArray *out, GError **error);

G_END_DECLS
