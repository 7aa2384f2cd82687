/* sched-model-audit.h — the audit_log table: who booked, changed,
 * cancelled, displaced. Part of the model layer (libvc-sched-base).
 *
 * Rows go into audit_log inside the caller's transaction, so an audit line
 * exists exactly when the change it describes was committed. */
#pragma once

#include "sched-db.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @action: "booked", "changed", "cancelled", "displaced", "extended",
 * "ended", "imported", "endpoint_created", …; @detail may be NULL. */
gboolean sched_audit_record (SchedDb *db, gint64 at, const gchar *actor, const gchar *action,
                             gint64 meeting_id, JsonNode *detail, GError **error);

G_END_DECLS
