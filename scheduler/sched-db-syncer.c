/* sched-db-syncer.c — the WAL is synced off the request path.
 *
 * In WAL mode with synchronous = NORMAL a commit returns once its frames are
 * written to the WAL file, that is, into the kernel's page cache: a booking
 * acknowledged with 201 survives kill -9 of the scheduler at once, but a
 * power failure or a kernel crash could take the commits made since the WAL
 * was last synced. With synchronous = FULL every commit waits for its own
 * fsync, which on this class of machine costs more than the rest of the
 * booking (docs/benchmarks.md, "Scheduler booking").
 *
 * This thread closes that window: on its own connection it runs
 * PRAGMA wal_checkpoint(PASSIVE) every interval in which another connection
 * committed. A checkpoint syncs the WAL before it copies frames into the
 * database file (and syncs that after), so every commit older than one
 * interval plus one checkpoint is on disk — the same bargain as PostgreSQL's
 * synchronous_commit = off with wal_writer_delay. PASSIVE never waits for
 * the writer and never blocks it, and the copying that the main connection's
 * autocheckpoint did in the middle of a request now happens here. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-db-syncer.h"
#include "sched-error.h"

#include <sqlite3.h>

struct _SchedDbSyncer
{
  GThread *thread;
  sqlite3 *handle; /* the syncer thread's only, after start */
  gint interval_ms;
  GMutex lock;
  GCond cond;
  gboolean stopping;   /* lock */
  guint64 passes;      /* lock: passes finished */
  guint64 checkpoints; /* lock: passes that checkpointed new commits */
  gint64 data_version; /* syncer thread: last seen PRAGMA data_version */
  gboolean warned;     /* syncer thread: a failure was logged */
};

/* syncer thread: PRAGMA data_version changes when another connection commits. */
static gint64
syncer_data_version (SchedDbSyncer *syncer)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  if (sqlite3_prepare_v2 (syncer->handle, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* syncer thread: one checkpoint if something was committed; TRUE if it ran. */
static gboolean
syncer_pass (SchedDbSyncer *syncer)
{
  gint64 version = syncer_data_version (syncer);
  int rc;

  if (version == syncer->data_version)
    return FALSE;
  rc = sqlite3_wal_checkpoint_v2 (syncer->handle, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    {
      if (!syncer->warned)
        g_warning ("database syncer: checkpoint failed: %s", sqlite3_errmsg (syncer->handle));
      syncer->warned = TRUE;
      return FALSE; /* data_version unchanged: tried again next interval */
    }
  syncer->data_version = version;
  return rc == SQLITE_OK;
}

static gpointer
syncer_thread (gpointer data)
{
  SchedDbSyncer *syncer = data;
  gboolean stop = FALSE;

  while (!stop)
    {
      gint64 deadline = g_get_monotonic_time () + syncer->interval_ms * G_TIME_SPAN_MILLISECOND;
      gboolean synced;

      g_mutex_lock (&syncer->lock);
      while (!syncer->stopping && g_cond_wait_until (&syncer->cond, &syncer->lock, deadline))
        ;
      stop = syncer->stopping;
      g_mutex_unlock (&syncer->lock);

      synced = syncer_pass (syncer); /* also the last pass when stopping */
      g_mutex_lock (&syncer->lock);
      syncer->passes++;
      syncer->checkpoints += synced;
      g_cond_broadcast (&syncer->cond);
      g_mutex_unlock (&syncer->lock);
    }
  return NULL;
}

SchedDbSyncer *
sched_db_syncer_start (const gchar *path, gint interval_ms, GError **error)
{
  SchedDbSyncer *syncer;
  sqlite3 *handle = NULL;

  g_return_val_if_fail (path != NULL && interval_ms > 0, NULL);
  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
          != SQLITE_OK
      || sqlite3_exec (handle, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "database syncer: cannot open %s: %s",
                   path, handle ? sqlite3_errmsg (handle) : "out of memory");
      sqlite3_close (handle);
      return NULL;
    }
  syncer = g_new0 (SchedDbSyncer, 1);
  syncer->handle = handle;
  syncer->interval_ms = interval_ms;
  syncer->data_version = -1;
  g_mutex_init (&syncer->lock);
  g_cond_init (&syncer->cond);
  syncer->thread = g_thread_new ("db-syncer", syncer_thread, syncer);
  return syncer;
}

void
sched_db_syncer_stop (SchedDbSyncer *syncer)
{
  if (syncer == NULL)
    return;
  g_mutex_lock (&syncer->lock);
  syncer->stopping = TRUE;
  g_cond_broadcast (&syncer->cond);
  g_mutex_unlock (&syncer->lock);
  g_thread_join (syncer->thread);
  sqlite3_close (syncer->handle);
  g_mutex_clear (&syncer->lock);
  g_cond_clear (&syncer->cond);
  g_free (syncer);
}

gboolean
sched_db_syncer_wait (SchedDbSyncer *syncer, guint passes, gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  gboolean ok = TRUE;
  guint64 target;

  g_mutex_lock (&syncer->lock);
  target = syncer->passes + passes;
  while (ok && syncer->passes < target)
    ok = g_cond_wait_until (&syncer->cond, &syncer->lock, deadline);
  ok = syncer->passes >= target;
  g_mutex_unlock (&syncer->lock);
  return ok;
}

guint64
sched_db_syncer_get_checkpoints (SchedDbSyncer *syncer)
{
  guint64 n;

  g_mutex_lock (&syncer->lock);
  n = syncer->checkpoints;
  g_mutex_unlock (&syncer->lock);
  return n;
}
