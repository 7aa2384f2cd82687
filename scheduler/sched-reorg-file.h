/* sched-reorg-file.h — reading a reorganisation file into entries, each
 * with the line of the file it starts on (internal to sched-reorg.c).
 *
 * The format is documented in docs/configuration.md, "Reorganisation
 * files". Only the shape is checked here (members, their types, the op
 * names, the date); what the codes mean is checked by sched-reorg.c
 * against the roster. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SCHED_REORG_FORMAT "vc-province-reorganisation/1"

typedef enum
{
  SCHED_REORG_OP_ADD_UNIT,
  SCHED_REORG_OP_ADD_ROOM,
  SCHED_REORG_OP_DISSOLVE,   /* unit → successor */
  SCHED_REORG_OP_MERGE,      /* units[] → into */
  SCHED_REORG_OP_SPLIT,      /* unit → into[] (the first takes the statistics) */
  SCHED_REORG_OP_RENAME,     /* unit or room: name */
  SCHED_REORG_OP_RELEVEL,    /* unit or room: level */
  SCHED_REORG_OP_REPARENT,   /* unit or room: parent */
  SCHED_REORG_OP_REHOME,     /* room: unit (and optionally level, name, parent) */
  SCHED_REORG_OP_CLOSE_ROOM, /* room → successor (optional) */
} SchedReorgOp;

typedef struct
{
  guint index; /* in "entries" */
  gint line;   /* of its '{' in the file; 0 if unknown */
  SchedReorgOp op;
  gboolean is_room; /* the entry is about a room (else a unit) */
  gchar *code;      /* the unit or room it adds or changes */
  gchar *name, *level, *parent, *unit;
  gint64 priority;
  GPtrArray *codes;      /* merge: the units merged */
  GPtrArray *successors; /* dissolve, merge: 1; split: ≥ 2; close-room: 0 or 1 */
} SchedReorgEntry;

typedef struct
{
  gchar *name;
  gchar *description;
  gchar *effective_text; /* YYYY-MM-DD */
  gint64 effective;      /* local midnight of that date */
  gchar *checksum;       /* SHA-256 of the file's bytes */
  GPtrArray *entries;    /* SchedReorgEntry* */
} SchedReorgFile;

void sched_reorg_file_free (SchedReorgFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedReorgFile, sched_reorg_file_free)

const gchar *sched_reorg_op_to_string (SchedReorgOp op);

/* Parses @data. Not JSON: SCHED_ERROR_BAD_JSON with json-glib's line and
 * column. A malformed entry: its problem is appended to @problems
 * ({entry, line, message}) and the entry left out; the top-level members
 * wrong: SCHED_ERROR_INVALID naming the member. */
SchedReorgFile *sched_reorg_file_parse (const gchar *data, gsize length, GTimeZone *tz,
                                        JsonArray *problems, GError **error);

/* Appends {entry, line, message} to @problems. */
void sched_reorg_problem_add (JsonArray *problems, const SchedReorgEntry *entry,
                              const gchar *format, ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
