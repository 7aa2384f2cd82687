/* sched-stats-refresher.c — the statistics rollup's big refreshes, off the
 * main loop.
 *
 * A statistics query first recomputes the rollup days the triggers marked
 * (sched-stats-rollup.c). After bookings that is a few days of a few
 * meetings, done inline in milliseconds; after a reorganisation, or a
 * room's level changed with an effective date in the past, every day since
 * that date is marked (18 s of work on 1,000,000 meetings), which would
 * hold every other request — /healthz, bookings, the agents' channel —
 * for as long. So when the marked days hold more than
 * STATS_REFRESH_INLINE_MEETINGS meetings, the refresh runs in a worker
 * thread with a connection of its own (WAL: its read transaction does not
 * block the main thread's writers): it claims the days (a short write),
 * computes their sums in one read transaction, then writes them a few days
 * per short transaction. The statistics requests that arrive while it
 * computes (nearly all of its time) are answered at once from the rollup
 * as it stands — the last complete refresh, read in one read transaction
 * and reported with its time ("as_of") — so a reorganisation never makes
 * them wait. Before it writes, the worker asks the main thread, which
 * from then on pauses the statistics requests until the writing is done
 * (a few seconds: the rows are computed already) and answers them from
 * the fresh rollup: no answer mixes days of two refreshes. Everything
 * else goes on all along. The syncer thread
 * (sched-db-syncer.c) is the other thread with its own connection. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"

#include <gio/gio.h>

/* At about 0.03–0.1 ms a meeting, the most a query refreshes inline. */
#define STATS_REFRESH_INLINE_MEETINGS 500
/* Days written per transaction: a few ms of write lock each. */
#define STATS_REFRESH_DAYS_PER_TRANSACTION 16

typedef struct
{
  GSourceFunc callback;
  gpointer user_data;
  GDestroyNotify destroy;
} RefresherWaiter;

/* Shared by the main thread and the worker (g_atomic_rc_box). */
typedef struct
{
  gchar *path;           /* the database file; NULL: refresh inline */
  GMainContext *context; /* the main thread's */
  /* lock protects handle, hold and wakes the worker (cond) */
  GMutex lock;
  GCond cond;
  sqlite3 *handle; /* the worker's connection while it is open */
  gboolean hold;
  gboolean store_go; /* the main thread knows the worker writes now */
  gint cancelled;    /* atomic */
  /* main thread only */
  GThread *thread;
  GArray *waiters;  /* RefresherWaiter */
  gboolean storing; /* the worker writes (or is about to): requests wait */
  gboolean closed;
} RefresherShared;

struct _SchedStatsRefresher
{
  SchedDb *db; /* the main thread's connection */
  RefresherShared *shared;
};

static void
refresher_waiter_clear (gpointer data)
{
  RefresherWaiter *w = data;

  if (w->destroy)
    w->destroy (w->user_data);
}

static void
refresher_shared_clear (gpointer data)
{
  RefresherShared *s = data;

  g_free (s->path);
  g_main_context_unref (s->context);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_clear_pointer (&s->waiters, g_array_unref);
}

static void
refresher_shared_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, refresher_shared_clear);
}

/* main thread */
static gboolean
on_refresh_done (gpointer data)
{
  RefresherShared *s = data;
  g_autoptr (GArray) waiters = NULL;

  if (s->closed)
    return G_SOURCE_REMOVE;
  g_clear_pointer (&s->thread, g_thread_join);
  s->storing = FALSE;
  waiters = g_steal_pointer (&s->waiters);
  s->waiters = g_array_new (FALSE, FALSE, sizeof (RefresherWaiter));
  g_array_set_clear_func (s->waiters, refresher_waiter_clear);
  for (guint i = 0; i < waiters->len; i++)
    {
      RefresherWaiter *w = &g_array_index (waiters, RefresherWaiter, i);
      w->callback (w->user_data);
    }
  return G_SOURCE_REMOVE;
}

/* main thread: from now on the statistics requests wait (no query runs
 * now: they run on this thread), then the worker may write. */
static gboolean
on_store_begin (gpointer data)
{
  RefresherShared *s = data;

  if (!s->closed)
    s->storing = TRUE;
  g_mutex_lock (&s->lock);
  s->store_go = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  return G_SOURCE_REMOVE;
}

static gboolean
refresher_work (RefresherShared *s, SchedDb *db, GError **error)
{
  g_autoptr (SchedStatsRollupRows) rows = NULL;
  gint64 t0 = g_get_monotonic_time ();
  /* every change before the claim is counted by this refresh */
  gint64 as_of = g_get_real_time () / G_USEC_PER_SEC;

  if (!sched_stats_rollup_claim (db, error))
    return FALSE;
  rows = sched_stats_rollup_compute_claimed (db, &s->cancelled, error);
  if (rows == NULL)
    return FALSE;
  g_mutex_lock (&s->lock);
  while (s->hold && !g_atomic_int_get (&s->cancelled))
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT, on_store_begin,
                              g_atomic_rc_box_acquire (s), refresher_shared_release);
  g_mutex_lock (&s->lock);
  while (!s->store_go && !g_atomic_int_get (&s->cancelled))
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  if (g_atomic_int_get (&s->cancelled))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  if (!sched_stats_rollup_store_claimed (db, rows, STATS_REFRESH_DAYS_PER_TRANSACTION, as_of,
                                         error))
    return FALSE;
  g_info ("statistics rollup refreshed in the background in %.1f s",
          (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

/* the refresher's worker thread */
static gpointer
refresher_thread (gpointer data)
{
  RefresherShared *s = data;
  g_autoptr (GError) error = NULL;
  SchedDb *db = sched_db_open (s->path, &error);

  if (db)
    {
      g_mutex_lock (&s->lock);
      s->handle = sched_db_handle (db);
      g_mutex_unlock (&s->lock);
      refresher_work (s, db, &error);
      g_mutex_lock (&s->lock);
      s->handle = NULL;
      g_mutex_unlock (&s->lock);
      sched_db_close (db);
    }
  /* The claimed days stay dirty: the next query refreshes them. */
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("statistics rollup: background refresh failed: %s", error->message);
  g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT, on_refresh_done,
                              g_atomic_rc_box_acquire (s), refresher_shared_release);
  refresher_shared_release (s);
  return NULL;
}

SchedStatsRefresher *
sched_stats_refresher_new (SchedDb *db)
{
  SchedStatsRefresher *r;
  RefresherShared *s;
  const char *file;

  g_return_val_if_fail (db != NULL, NULL);

  r = g_new0 (SchedStatsRefresher, 1);
  s = g_atomic_rc_box_new0 (RefresherShared);
  file = sqlite3_db_filename (sched_db_handle (db), "main");
  r->db = db;
  r->shared = s;
  s->path = file && *file ? g_strdup (file) : NULL;
  s->context = g_main_context_ref_thread_default ();
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->waiters = g_array_new (FALSE, FALSE, sizeof (RefresherWaiter));
  g_array_set_clear_func (s->waiters, refresher_waiter_clear);
  return r;
}

void
sched_stats_refresher_free (SchedStatsRefresher *r)
{
  RefresherShared *s;

  if (r == NULL)
    return;
  s = r->shared;
  s->closed = TRUE;
  if (s->thread)
    {
      g_atomic_int_set (&s->cancelled, 1);
      g_mutex_lock (&s->lock);
      g_cond_broadcast (&s->cond);
      if (s->handle)
        sqlite3_interrupt (s->handle);
      g_mutex_unlock (&s->lock);
      g_clear_pointer (&s->thread, g_thread_join);
    }
  g_array_set_size (s->waiters, 0);
  refresher_shared_release (s);
  g_free (r);
}

SchedStatsRefresherState
sched_stats_refresher_ready (SchedStatsRefresher *r, GSourceFunc callback, gpointer user_data,
                             GDestroyNotify destroy)
{
  RefresherShared *s = r->shared;
  g_autoptr (GError) error = NULL;
  RefresherWaiter w = { callback, user_data, destroy };
  gint64 meetings = 0;
  gboolean claimed = FALSE;

  g_return_val_if_fail (callback != NULL, SCHED_STATS_REFRESHER_FRESH);

  if (s->thread == NULL)
    {
      if (s->path == NULL)
        return SCHED_STATS_REFRESHER_FRESH;
      /* On an error the query's own refresh reports it. */
      if (!sched_stats_rollup_pending (r->db, STATS_REFRESH_INLINE_MEETINGS, &meetings, &claimed,
                                       &error))
        return SCHED_STATS_REFRESHER_FRESH;
      if (!claimed && meetings <= STATS_REFRESH_INLINE_MEETINGS)
        return SCHED_STATS_REFRESHER_FRESH;
      g_info ("statistics rollup: refreshing %s%" G_GINT64_FORMAT " meetings in the background",
              meetings > STATS_REFRESH_INLINE_MEETINGS ? "more than " : "",
              MIN (meetings, (gint64)STATS_REFRESH_INLINE_MEETINGS));
      s->store_go = FALSE;
      s->thread = g_thread_new ("stats-refresh", refresher_thread, g_atomic_rc_box_acquire (s));
    }
  if (!s->storing)
    return SCHED_STATS_REFRESHER_STALE;
  g_array_append_val (s->waiters, w);
  return SCHED_STATS_REFRESHER_WAIT;
}

void
sched_stats_refresher_hold (SchedStatsRefresher *r, gboolean hold)
{
  RefresherShared *s = r->shared;

  g_mutex_lock (&s->lock);
  s->hold = hold;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

gboolean
sched_stats_refresher_is_running (SchedStatsRefresher *r)
{
  return r->shared->thread != NULL;
}
