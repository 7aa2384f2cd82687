/* sched-db-syncer.h — bounds how long an acknowledged write can be lost to a
 * power failure when the scheduler commits with synchronous = NORMAL
 * (docs/configuration.md, [database] synchronous). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SchedDbSyncer SchedDbSyncer;

/* Starts a thread with its own connection to @path that checkpoints the WAL
 * (which syncs it first) every @interval_ms when something was committed. */
SchedDbSyncer *sched_db_syncer_start (const gchar *path, gint interval_ms, GError **error);
/* Runs a last pass, stops the thread and closes its connection. */
void sched_db_syncer_stop (SchedDbSyncer *syncer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedDbSyncer, sched_db_syncer_stop)

/* Waits until @passes more passes have finished (tests); FALSE on timeout. */
gboolean sched_db_syncer_wait (SchedDbSyncer *syncer, guint passes, gint64 timeout_us);
/* Checkpoints that synced new commits so far. */
guint64 sched_db_syncer_get_checkpoints (SchedDbSyncer *syncer);

G_END_DECLS
