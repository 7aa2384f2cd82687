/* ep-journal.h — the room's own record of its meetings: a local sqlite file
 * (WAL) of segments (one per stay in a meeting) and of the joined/left
 * events that are still to be sent to the scheduler (the outbox).
 *
 * Durations come from the monotonic clock: a segment's duration is updated
 * at every heartbeat and when it closes. After a crash, ep_journal_recover()
 * closes the open segment at its last heartbeat with reason "crash".
 * Main thread only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EpJournal EpJournal;

typedef struct
{
  gchar *id; /* UUID */
  gint64 meeting;
  gchar *type;   /* "joined" | "left" */
  gint64 at;     /* seconds since the epoch, UTC */
  gchar *reason; /* left: ended | dropped | left | crash; joined: NULL */
} EpEvent;

void ep_event_free (EpEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpEvent, ep_event_free)

EpJournal *ep_journal_open (const gchar *path, GError **error);
void ep_journal_close (EpJournal *journal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpJournal, ep_journal_close)

/* Closes segments left open by a crash at their last heartbeat, reason
 * "crash", and queues their "left" events. Returns how many were closed. */
gint ep_journal_recover (EpJournal *journal, GError **error);

/* Opens a segment and queues a "joined" event. @real_us: wall clock (µs since
 * the epoch), @mono_us: g_get_monotonic_time() or a test clock. */
gboolean ep_journal_join (EpJournal *journal, gint64 meeting, const gchar *title, gint64 real_us,
                          gint64 mono_us, GError **error);
/* Records the open segment's duration so far. No-op when none is open. */
gboolean ep_journal_heartbeat (EpJournal *journal, gint64 mono_us, GError **error);
/* Closes the open segment and queues a "left" event. No-op when none. */
gboolean ep_journal_leave (EpJournal *journal, const gchar *reason, gint64 mono_us, GError **error);
/* The meeting of the open segment, 0 if none. */
gint64 ep_journal_open_meeting (EpJournal *journal);

/* Up to @limit unacknowledged events, oldest first (EpEvent*). */
GPtrArray *ep_journal_outbox (EpJournal *journal, guint limit, GError **error);
guint ep_journal_outbox_count (EpJournal *journal);
/* Removes acknowledged events from the outbox (the segments stay). */
gboolean ep_journal_ack (EpJournal *journal, GPtrArray *ids, GError **error);

/* One line of the report: a meeting and the time the room spent in it. */
typedef struct
{
  gint64 meeting;
  gchar *title;
  gint64 first_joined; /* seconds since the epoch */
  gint64 duration_ms;
  guint segments;
} EpReportRow;

void ep_report_row_free (EpReportRow *row);
/* Meetings with a segment that started in [@from, @to) (seconds since the
 * epoch; G_MININT64/G_MAXINT64 for no bound), in order of first join. */
GPtrArray *ep_journal_report (EpJournal *journal, gint64 from, gint64 to, GError **error);

/* Segments of @meeting (tests): count and total duration. */
gboolean ep_journal_segments (EpJournal *journal, gint64 meeting, guint *count, gint64 *duration_ms,
                              GError **error);

G_END_DECLS
