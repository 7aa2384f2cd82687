/* sched-model-unit.h — the units table: the organising bodies that book
 * meetings, each with a priority (higher may pre-empt lower).
 *
 * Part of the model layer (libvc-sched-base). */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *code;
  gchar *name;
  gint priority;
} SchedUnit;

void sched_unit_free (SchedUnit *unit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedUnit, sched_unit_free)

/* SchedUnit* for every unit, highest priority first, then by code. */
GPtrArray *sched_unit_list (SchedDb *db, GError **error);
gboolean sched_unit_exists (SchedDb *db, const gchar *code, gboolean *exists, GError **error);
/* The priority of unit @code; 0 when there is no such unit (or on error). */
gint sched_unit_get_priority (SchedDb *db, const gchar *code);
gboolean sched_unit_count (SchedDb *db, gint64 *count, GError **error);
gboolean sched_unit_insert (SchedDb *db, const gchar *code, const gchar *name, gint priority,
                            GError **error);

G_END_DECLS
