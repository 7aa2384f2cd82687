/* sched-model-series.h — the series table: one row per recurring booking,
 * holding its normalised rule; its occurrences are meetings with its id.
 *
 * Part of the model layer (libvc-sched-base). */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

/* Inserts a series with @rule (JSON text) and sets *id. */
gboolean sched_series_insert (SchedDb *db, const gchar *rule, gint64 created_at, gint64 *id,
                              GError **error);

G_END_DECLS
