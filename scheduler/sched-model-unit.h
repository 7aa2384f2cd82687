/* sched-model-unit.h — the units table: the organising bodies that book
 * meetings, each with a priority (higher may pre-empt lower), and since
 * schema v5 a level, a parent unit and the period it is valid for.
 *
 * A unit is never deleted: a dissolved, merged or split unit keeps its row
 * with valid_to set and a successor (whom the statistics attribute its
 * meetings to once its period is over). Its earlier names, levels and
 * parents are in roster_changes (sched-model-roster-change.h).
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
  gchar *level;        /* central | province | department | district | commune; NULL: unset */
  gchar *parent;       /* unit code; NULL: none */
  gint64 valid_from;   /* 0: since always (NULL in the table) */
  gint64 valid_to;     /* exclusive; 0: still valid (NULL in the table) */
  gchar *successor;    /* NULL: none */
  gint record_default; /* 1, 0, or -1: none ([recordings] default_record) */
} SchedUnit;

void sched_unit_free (SchedUnit *unit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedUnit, sched_unit_free)

/* Whether @unit's period [valid_from, valid_to) holds @at. */
gboolean sched_unit_is_valid_at (const SchedUnit *unit, gint64 at);

/* SchedUnit* for every unit (dissolved ones included), highest priority
 * first, then by code. */
GPtrArray *sched_unit_list (SchedDb *db, GError **error);
/* Unit @code, whatever its period; NULL + SCHED_ERROR_NOT_FOUND if none. */
SchedUnit *sched_unit_get (SchedDb *db, const gchar *code, GError **error);
gboolean sched_unit_exists (SchedDb *db, const gchar *code, gboolean *exists, GError **error);
/* The priority of unit @code; 0 when there is no such unit (or on error). */
gint sched_unit_get_priority (SchedDb *db, const gchar *code);
gboolean sched_unit_count (SchedDb *db, gint64 *count, GError **error);
gboolean sched_unit_insert (SchedDb *db, const gchar *code, const gchar *name, gint priority,
                            GError **error);
/* Inserts @unit with its level, parent, period and successor. */
gboolean sched_unit_insert_full (SchedDb *db, const SchedUnit *unit, GError **error);
/* Changes unit @code: a NULL argument keeps the column. */
gboolean sched_unit_update (SchedDb *db, const gchar *code, const gchar *name, const gchar *level,
                            const gchar *parent, GError **error);
/* Ends unit @code's period at @at, its meetings going to @successor. */
gboolean sched_unit_end (SchedDb *db, const gchar *code, gint64 at, const gchar *successor,
                         GError **error);

/* Unit @code's default for "record" on new bookings (schema v6): *@out
 * is 1 or 0, or -1 when the unit has none ([recordings] default_record
 * applies) or there is no such unit. */
gboolean sched_unit_get_record_default (SchedDb *db, const gchar *code, gint *out, GError **error);
/* Sets it: 1, 0, or -1 for none. */
gboolean sched_unit_set_record_default (SchedDb *db, const gchar *code, gint value, GError **error);

G_END_DECLS
