/* ep-outbox.h — sends the journal's unacknowledged events to the scheduler
 * (POST /api/v1/attendance) and marks them sent only when answered 200.
 * Retries with back-off while the scheduler is away; the scheduler ignores
 * duplicates by event id, so a replay never counts twice.
 * Main thread only; SoupSession callbacks come back to it. */
#pragma once

#include "ep-journal.h"

#include <glib-object.h>

G_BEGIN_DECLS

#define EP_TYPE_OUTBOX (ep_outbox_get_type ())
G_DECLARE_FINAL_TYPE (EpOutbox, ep_outbox, EP, OUTBOX, GObject)

/* @journal is borrowed and must outlive the outbox. */
EpOutbox *ep_outbox_new (EpJournal *journal, const gchar *scheduler_url, const gchar *token);

/* Sends now if nothing is in flight (call after the journal changed). */
void ep_outbox_kick (EpOutbox *outbox);
/* TRUE while a POST is in flight. */
gboolean ep_outbox_busy (EpOutbox *outbox);

/* Signals:
 *   "flushed" (EpOutbox *, guint accepted, guint duplicates): a POST was
 *       acknowledged and the outbox is now empty
 *   "failed"  (EpOutbox *, const gchar *reason): a POST failed (will retry) */

G_END_DECLS
