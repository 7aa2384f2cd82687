/* sched-reorg.h — a reorganisation of the roster as one operation.
 *
 * A reorganisation file (JSON, docs/configuration.md "Reorganisation
 * files") names an effective date and a list of entries: new units and
 * rooms, units dissolved into / merged into / split between successors,
 * units and rooms renamed, moved to another level or parent, rooms
 * re-homed to another unit or closed. The file is read and checked as a
 * whole against the roster valid at the effective date — unknown codes,
 * codes reused, a unit left without a successor, a room left in a
 * dissolved unit, parent or successor cycles, a change that overlaps a
 * later change of the same unit — and every problem is reported with the
 * entry and the line of the file it is on; nothing is written unless there
 * is none. Preview runs the very same writes inside a transaction and rolls
 * them back; apply commits them with one audit entry and a row in
 * reorganisations, whose unique name and SHA-256 refuse the same file a
 * second time (409).
 *
 * Nothing is deleted: a dissolved unit and a closed room keep their rows,
 * with valid_to = the effective date and a successor, and every changed
 * attribute is a row of roster_changes. Future meetings that the new
 * roster no longer allows are listed (for their secretariats), never
 * cancelled silently. Main thread only; the rows go through the model
 * (sched-model-unit.h, sched-model-room.h, sched-model-roster-change.h). */
#pragma once

#include "sched-core.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SCHED_REORG_PREVIEW,
  SCHED_REORG_APPLY,
} SchedReorgMode;

/* Reads the file @data (@length bytes, UTF-8 JSON), checks it against the
 * database and previews or applies it. Returns the summary
 * {name, effective, checksum, applied, id?, changes[], affected_meetings[]}
 * (docs/api.md). On a bad file: SCHED_ERROR_BAD_JSON (not JSON: the line is
 * in the message) or SCHED_ERROR_INVALID naming the first problem's entry,
 * and *extra = {"problems": [{entry, line, message}, …]}; a file applied
 * before: SCHED_ERROR_CONFLICT. @actor is who applies it (audit). */
JsonNode *sched_reorg_run (SchedCore *core, const gchar *data, gsize length, const gchar *actor,
                           SchedReorgMode mode, JsonObject **extra, GError **error);

/* The same for a file on disk (the CLI, `vc-scheduler reorg preview|apply`). */
JsonNode *sched_reorg_run_file (SchedCore *core, const gchar *path, const gchar *actor,
                                SchedReorgMode mode, JsonObject **extra, GError **error);

/* Future meetings (starting at or after @from) that the roster valid at
 * their start no longer allows, of @unit or of every unit when NULL:
 * {"meetings": [meeting + "problems": [text…]]}. */
JsonNode *sched_reorg_list_affected (SchedCore *core, gint64 from, const gchar *unit,
                                     GError **error);

G_END_DECLS
