/* sched-core.h — the booking service's own state, handed to its handlers.
 *
 * SchedContext is shared with the reports and agents parts; SchedCore adds
 * what only the booking service needs: the holiday calendar and the
 * counters behind GET /metrics. One per server, used on the main thread
 * only (libsoup runs every handler there), so the counters need no lock. */
#pragma once

#include "sched-change-set.h"
#include "sched-context.h"
#include "sched-holidays.h"
#include "sched-static.h"

#include "common/vc-http-guard.h"
#include "common/vc-time.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 http_responses[6]; /* by status class: [1]=1xx … [5]=5xx */
  guint64 bookings_created;  /* meetings created (each occurrence counts) */
  guint64 booking_conflicts; /* 409 answers to bookings and changes */
  guint64 meetings_displaced;
  guint64 attendance_accepted;
  guint64 attendance_duplicates;
  guint64 history_imported;
} SchedMetrics;

typedef struct
{
  SchedContext *ctx; /* not owned */
  /* What the booking rules read: the file's days, the administrator's
   * entries over them and the computed provisional ones; rebuilt on each
   * change of the entries (sched-holiday-admin.c). */
  SchedHolidays *holidays;
  SchedHolidays *holidays_file; /* the file's days alone, read once at start */
  SchedStatic *statics;         /* the web UI's files, read once (sched-static.c) */
  SchedMetrics metrics;
  /* Counters of the server's connection guard (closed idle, slow and
   * peer-closed connections), owned by SchedServer; NULL in tests that
   * run handlers without a server. */
  const VcHttpGuardCounters *connections;
  gint64 started_at;
  /* Test seam: the clock the booking rules use ("no start in the past"),
   * NULL for vc_time_now(). */
  gint64 (*now) (void);

  /* Group commit of bookings (sched-booking-batch.c): while a batch is
   * open, each booking runs in a SAVEPOINT of one outer transaction and
   * its notifications are merged into @batch_changes, told once that
   * transaction commits. */
  gboolean batch_open;
  SchedChangeSet *batch_changes;
  GQueue *booking_queue; /* SchedBookingJob*, waiting for the batch */
  guint booking_batch_source;
} SchedCore;

static inline gint64
sched_core_now (SchedCore *core)
{
  return core->now ? core->now () : vc_time_now ();
}

G_END_DECLS
