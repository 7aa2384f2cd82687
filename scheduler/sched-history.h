/* sched-history.h — importing past meetings and their attendance, so that
 * year-on-year statistics work from the first day (POST /api/v1/history
 * and `vc-scheduler import-history FILE.json`).
 *
 * {"meetings": [{title, unit, chair, endpoints[], start, end,
 *                attendance: [{endpoint, joined_at, left_at?}]}]}
 * Every rule of a booking applies except "no start in the past" and the
 * room-overlap and capacity checks (history is what happened). Imported
 * meetings are stored ended, imported=1, with derived columns refreshed.
 * The whole file is one transaction. */
#pragma once

#include "sched-core.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean sched_history_import (SchedCore *core, const gchar *actor, JsonObject *root,
                               gint64 *imported, GError **error);
gboolean sched_history_import_file (SchedCore *core, const gchar *path, gint64 *imported,
                                    GError **error);

G_END_DECLS
