/* sched-model-roster-change.h — the roster_changes and reorganisations
 * tables: what changed in the roster, when it took effect, and which
 * reorganisation file did it.
 *
 * roster_changes holds one row per changed attribute of a unit or a room
 * ("created", "ended", "name", "level", "parent", "unit", "successor"),
 * with its old and new value, so that the roster page can show each one's
 * history and the statistics can tell what a unit was called, or what
 * level a room had, at a given date (scheduler/reports). reorganisations
 * holds every applied file: its name and SHA-256 are unique, which is what
 * refuses the same file a second time.
 *
 * Part of the model layer (libvc-sched-base). Writes run inside the
 * caller's transaction. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gint64 reorganisation_id; /* 0: none */
  gint64 at;                /* when it took effect */
  gchar *kind;              /* unit | endpoint */
  gchar *code;
  gchar *change; /* created | ended | name | level | parent | unit | successor */
  gchar *old_value;
  gchar *new_value;
} SchedRosterChange;

void sched_roster_change_free (SchedRosterChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedRosterChange, sched_roster_change_free)

gboolean sched_roster_change_insert (SchedDb *db, const SchedRosterChange *change, GError **error);
/* SchedRosterChange* of unit or room @code (@kind "unit" or "endpoint"),
 * oldest first; every change of every unit and room when @code is NULL. */
GPtrArray *sched_roster_change_list (SchedDb *db, const gchar *kind, const gchar *code,
                                     GError **error);
/* The latest date a change of @kind @code took effect, 0 when none. */
gboolean sched_roster_change_last_at (SchedDb *db, const gchar *kind, const gchar *code, gint64 *at,
                                      GError **error);

typedef struct
{
  gint64 id;
  gchar *name;
  gchar *checksum; /* SHA-256 of the file, hex */
  gint64 effective_at;
  gint64 applied_at;
  gchar *applied_by;
  gchar *summary; /* JSON */
} SchedReorganisation;

void sched_reorganisation_free (SchedReorganisation *reorganisation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedReorganisation, sched_reorganisation_free)

/* Inserts @reorganisation and sets *id. */
gboolean sched_reorganisation_insert (SchedDb *db, const SchedReorganisation *reorganisation,
                                      gint64 *id, GError **error);
/* The reorganisation applied with this @name or this @checksum; NULL (and
 * no error) when none was. */
SchedReorganisation *sched_reorganisation_find (SchedDb *db, const gchar *name,
                                                const gchar *checksum, GError **error);
/* SchedReorganisation* in the order they were applied. */
GPtrArray *sched_reorganisation_list (SchedDb *db, GError **error);

G_END_DECLS
