/* sched-reorg.c — checking, previewing and applying a reorganisation; see
 * the header. The file is read by sched-reorg-file.c; here its entries are
 * played, in order, on an in-memory copy of the roster (every unit and
 * room, whatever its period), each problem recorded with its entry, then
 * the whole result checked (rooms left in dissolved units, successors
 * dissolved, cycles). Only a file without a problem is written, in one
 * BEGIN IMMEDIATE transaction that a preview rolls back. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-reorg.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-meeting.h"
#include "sched-model-room.h"
#include "sched-model-roster-change.h"
#include "sched-model-unit.h"
#include "sched-reorg-file.h"
#include "sched-roster.h"

/* A unit or a room as the file leaves it. */
typedef struct
{
  gboolean is_room;
  gboolean is_new;
  gboolean changed; /* name, level, parent or unit */
  gchar *code, *name, *level, *parent, *unit;
  gint64 priority;
  gint64 valid_from, valid_to;
  gchar *successor;
  const SchedReorgEntry *ended_by;      /* this file ends it */
  const SchedReorgEntry *parent_set_by; /* this file set its parent */
} ReorgItem;

typedef struct
{
  SchedCore *core;
  SchedReorgFile *file;
  JsonArray *problems;
  GHashTable *units;    /* code -> ReorgItem* */
  GHashTable *rooms;    /* code -> ReorgItem* */
  GPtrArray *order;     /* ReorgItem*, new ones in the order of the file */
  GPtrArray *changes;   /* SchedRosterChange* */
  GArray *change_entry; /* guint: the entry of each change */
} Reorg;

static void
reorg_item_free (ReorgItem *item)
{
  g_free (item->code);
  g_free (item->name);
  g_free (item->level);
  g_free (item->parent);
  g_free (item->unit);
  g_free (item->successor);
  g_free (item);
}

static void
reorg_clear (Reorg *r)
{
  g_clear_pointer (&r->units, g_hash_table_unref);
  g_clear_pointer (&r->rooms, g_hash_table_unref);
  g_clear_pointer (&r->order, g_ptr_array_unref);
  g_clear_pointer (&r->changes, g_ptr_array_unref);
  g_clear_pointer (&r->change_entry, g_array_unref);
}

static const gchar *
reorg_kind_word (gboolean is_room)
{
  return is_room ? "room" : "unit";
}

static gboolean
reorg_load (Reorg *r, GError **error)
{
  SchedDb *db = r->core->ctx->db;
  g_autoptr (GPtrArray) units = sched_unit_list (db, error);
  g_autoptr (GPtrArray) rooms = units ? sched_room_list (db, SCHED_ROOM_ORDER_ROSTER, error) : NULL;

  if (rooms == NULL)
    return FALSE;
  r->units = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)reorg_item_free);
  r->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)reorg_item_free);
  r->order = g_ptr_array_new ();
  r->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_roster_change_free);
  r->change_entry = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < units->len; i++)
    {
      const SchedUnit *u = units->pdata[i];
      ReorgItem *item = g_new0 (ReorgItem, 1);

      *item = (ReorgItem){ .code = g_strdup (u->code),
                           .name = g_strdup (u->name),
                           .level = g_strdup (u->level),
                           .parent = g_strdup (u->parent),
                           .priority = u->priority,
                           .valid_from = u->valid_from,
                           .valid_to = u->valid_to,
                           .successor = g_strdup (u->successor) };
      g_hash_table_insert (r->units, item->code, item);
    }
  for (guint i = 0; i < rooms->len; i++)
    {
      const SchedRoom *room = rooms->pdata[i];
      ReorgItem *item = g_new0 (ReorgItem, 1);

      *item = (ReorgItem){ .is_room = TRUE,
                           .code = g_strdup (room->code),
                           .name = g_strdup (room->name),
                           .level = g_strdup (room->level),
                           .parent = g_strdup (room->parent),
                           .unit = g_strdup (room->unit),
                           .valid_from = room->valid_from,
                           .valid_to = room->valid_to,
                           .successor = g_strdup (room->successor) };
      g_hash_table_insert (r->rooms, item->code, item);
    }
  return TRUE;
}

static void
reorg_record (Reorg *r, const SchedReorgEntry *e, const ReorgItem *item, const gchar *change,
              const gchar *old_value, const gchar *new_value)
{
  SchedRosterChange *c = g_new0 (SchedRosterChange, 1);

  c->at = r->file->effective;
  c->kind = g_strdup (item->is_room ? "endpoint" : "unit");
  c->code = g_strdup (item->code);
  c->change = g_strdup (change);
  c->old_value = g_strdup (old_value);
  c->new_value = g_strdup (new_value);
  g_ptr_array_add (r->changes, c);
  g_array_append_val (r->change_entry, e->index);
}

static gboolean
reorg_item_valid_after (const ReorgItem *item, gint64 at)
{
  return (item->valid_from == 0 || item->valid_from <= at)
         && (item->valid_to == 0 || item->valid_to > at);
}

/* A unit or room that the entry refers to, valid on the effective date;
 * NULL (and a problem) otherwise. @target: the entry changes it (then a
 * change of it that took effect after this date is an overlap too). */
static ReorgItem *
reorg_find (Reorg *r, const SchedReorgEntry *e, gboolean is_room, const gchar *code,
            gboolean target)
{
  ReorgItem *item = g_hash_table_lookup (is_room ? r->rooms : r->units, code);
  GTimeZone *tz = r->core->ctx->tz;
  const gchar *word = reorg_kind_word (is_room);
  gint64 last = 0;

  if (item == NULL)
    {
      sched_reorg_problem_add (r->problems, e, "unknown %s '%s'", word, code);
      return NULL;
    }
  if (item->ended_by)
    {
      sched_reorg_problem_add (r->problems, e, "%s '%s' is ended by entries[%u] (line %d)", word,
                               code, item->ended_by->index, item->ended_by->line);
      return NULL;
    }
  if (!reorg_item_valid_after (item, r->file->effective))
    {
      g_autofree gchar *why
          = sched_roster_describe_period (tz, item->valid_from, item->valid_to, item->successor);
      sched_reorg_problem_add (r->problems, e,
                               "overlapping periods: %s '%s' is not in the roster on %s: %s", word,
                               code, r->file->effective_text, why);
      return NULL;
    }
  if (target && !item->is_new
      && sched_roster_change_last_at (r->core->ctx->db, is_room ? "endpoint" : "unit", code, &last,
                                      NULL)
      && last > r->file->effective)
    {
      g_autofree gchar *when = sched_roster_format_date (tz, last);
      sched_reorg_problem_add (r->problems, e,
                               "overlapping periods: %s '%s' was changed on %s, after this "
                               "file's effective date",
                               word, code, when);
      return NULL;
    }
  return item;
}

static gboolean
reorg_check_name_level (Reorg *r, const SchedReorgEntry *e)
{
  if (e->name && (*e->name == '\0' || g_utf8_strlen (e->name, -1) > 200))
    {
      sched_reorg_problem_add (r->problems, e, "'name' must be 1 to 200 characters");
      return FALSE;
    }
  if (e->level && !sched_roster_level_is_valid (e->level))
    {
      sched_reorg_problem_add (r->problems, e,
                               "level '%s' is not one of central, province, department, "
                               "district, commune",
                               e->level);
      return FALSE;
    }
  return TRUE;
}

/* Sets one attribute of @item and records the change (nothing when equal). */
static void
reorg_set (Reorg *r, const SchedReorgEntry *e, ReorgItem *item, const gchar *change, gchar **field,
           const gchar *value)
{
  if (value == NULL || g_strcmp0 (*field, value) == 0)
    return;
  reorg_record (r, e, item, change, *field, value);
  g_free (*field);
  *field = g_strdup (value);
  item->changed = TRUE;
}

static void
reorg_add (Reorg *r, const SchedReorgEntry *e)
{
  GHashTable *table = e->is_room ? r->rooms : r->units;
  const gchar *word = reorg_kind_word (e->is_room);
  ReorgItem *item;

  if (!sched_roster_code_is_valid (e->code))
    {
      sched_reorg_problem_add (r->problems, e, "code '%s' is not 1-64 of a-z, 0-9, '-'", e->code);
      return;
    }
  if (g_hash_table_contains (table, e->code))
    {
      sched_reorg_problem_add (
          r->problems, e, "%s '%s' exists (or existed): codes are never reused", word, e->code);
      return;
    }
  if (!reorg_check_name_level (r, e)
      || (e->parent && !reorg_find (r, e, e->is_room, e->parent, FALSE))
      || (e->is_room && e->unit && !reorg_find (r, e, FALSE, e->unit, FALSE)))
    return;
  item = g_new0 (ReorgItem, 1);
  *item = (ReorgItem){ .is_room = e->is_room,
                       .is_new = TRUE,
                       .code = g_strdup (e->code),
                       .name = g_strdup (e->name),
                       .level = g_strdup (e->level),
                       .parent = g_strdup (e->parent),
                       .unit = g_strdup (e->unit),
                       .priority = e->priority,
                       .valid_from = r->file->effective,
                       .parent_set_by = e->parent ? e : NULL };
  g_hash_table_insert (table, item->code, item);
  g_ptr_array_add (r->order, item);
  reorg_record (r, e, item, "created", NULL, e->name);
}

/* Ends @code (a unit or room) on the effective date; its meetings go to
 * @successors[0] in the statistics. */
static void
reorg_end (Reorg *r, const SchedReorgEntry *e, gboolean is_room, const gchar *code,
           GPtrArray *successors)
{
  ReorgItem *item = reorg_find (r, e, is_room, code, TRUE);
  g_autofree gchar *list = NULL;

  if (item == NULL)
    return;
  for (guint i = 0; successors && i < successors->len; i++)
    {
      const gchar *s = successors->pdata[i];
      if (g_strcmp0 (s, code) == 0)
        {
          sched_reorg_problem_add (r->problems, e, "%s '%s' cannot succeed itself",
                                   reorg_kind_word (is_room), code);
          return;
        }
      if (!reorg_find (r, e, is_room, s, FALSE))
        return;
    }
  if (successors && successors->len > 0)
    {
      g_ptr_array_add (successors, NULL);
      list = g_strjoinv (",", (gchar **)successors->pdata);
      g_ptr_array_remove_index (successors, successors->len - 1);
    }
  item->valid_to = r->file->effective;
  item->ended_by = e;
  g_free (item->successor);
  item->successor = successors && successors->len ? g_strdup (successors->pdata[0]) : NULL;
  reorg_record (r, e, item, "ended", NULL, list);
}

static void
reorg_change (Reorg *r, const SchedReorgEntry *e)
{
  ReorgItem *item = reorg_find (r, e, e->is_room, e->code, TRUE);

  if (item == NULL || !reorg_check_name_level (r, e))
    return;
  if (e->parent && (g_strcmp0 (e->parent, e->code) == 0))
    {
      sched_reorg_problem_add (r->problems, e, "'%s' cannot be its own parent", e->code);
      return;
    }
  if ((e->parent && !reorg_find (r, e, e->is_room, e->parent, FALSE))
      || (e->op == SCHED_REORG_OP_REHOME && !reorg_find (r, e, FALSE, e->unit, FALSE)))
    return;
  reorg_set (r, e, item, "name", &item->name, e->name);
  reorg_set (r, e, item, "level", &item->level, e->level);
  if (e->parent)
    item->parent_set_by = e;
  reorg_set (r, e, item, "parent", &item->parent, e->parent);
  if (e->op == SCHED_REORG_OP_REHOME)
    reorg_set (r, e, item, "unit", &item->unit, e->unit);
}

static void
reorg_play (Reorg *r, const SchedReorgEntry *e)
{
  switch (e->op)
    {
      case SCHED_REORG_OP_ADD_UNIT:
      case SCHED_REORG_OP_ADD_ROOM:
        reorg_add (r, e);
        break;
      case SCHED_REORG_OP_DISSOLVE:
      case SCHED_REORG_OP_SPLIT:
      case SCHED_REORG_OP_CLOSE_ROOM:
        reorg_end (r, e, e->is_room, e->code, e->successors);
        break;
      case SCHED_REORG_OP_MERGE:
        for (guint i = 0; i < e->codes->len; i++)
          reorg_end (r, e, FALSE, e->codes->pdata[i], e->successors);
        break;
      case SCHED_REORG_OP_RENAME:
      case SCHED_REORG_OP_RELEVEL:
      case SCHED_REORG_OP_REPARENT:
      case SCHED_REORG_OP_REHOME:
        reorg_change (r, e);
        break;
    }
}

/* ---- the whole ---- */

/* @item (valid after the date) refers to @code through @what: a problem on
 * the entry that ended @code, if one did. */
static void
reorg_check_reference (Reorg *r, const ReorgItem *item, GHashTable *table, const gchar *code,
                       const gchar *what, const gchar *fix)
{
  const ReorgItem *target = code ? g_hash_table_lookup (table, code) : NULL;

  if (target == NULL || target->ended_by == NULL)
    return;
  sched_reorg_problem_add (r->problems, target->ended_by,
                           "%s '%s' would be left with %s '%s', which this entry ends: %s",
                           reorg_kind_word (item->is_room), item->code, what, code, fix);
}

/* The entry that closed the cycle through @item: the last of the file
 * that set a parent (or successor) on it. */
static const SchedReorgEntry *
reorg_cycle_closer (GHashTable *table, const ReorgItem *item, gboolean by_parent)
{
  const SchedReorgEntry *last = NULL;
  const ReorgItem *at = item;

  do
    {
      const SchedReorgEntry *e = by_parent ? at->parent_set_by : at->ended_by;
      if (e && (last == NULL || e->index > last->index))
        last = e;
      at = g_hash_table_lookup (table, by_parent ? at->parent : at->successor);
    }
  while (at && at != item);
  return last;
}

/* Follows @next (parent or successor) from every item; a loop is a problem. */
static void
reorg_check_cycles (Reorg *r, GHashTable *table, gboolean by_parent)
{
  GHashTableIter iter;
  ReorgItem *item;
  guint limit = g_hash_table_size (table) + 1;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&item))
    {
      const ReorgItem *at = item;
      guint steps = 0;

      while (at && steps <= limit)
        {
          const gchar *next = by_parent ? at->parent : at->successor;
          at = next ? g_hash_table_lookup (table, next) : NULL;
          steps++;
          if (at == item)
            {
              const SchedReorgEntry *e = reorg_cycle_closer (table, item, by_parent);
              sched_reorg_problem_add (r->problems, e, "%s cycle through %s '%s'",
                                       by_parent ? "parent" : "successor",
                                       reorg_kind_word (item->is_room), item->code);
              return;
            }
        }
    }
}

static void
reorg_check_whole (Reorg *r)
{
  gint64 after = r->file->effective;
  GHashTableIter iter;
  ReorgItem *item;

  g_hash_table_iter_init (&iter, r->units);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&item))
    if (reorg_item_valid_after (item, after))
      reorg_check_reference (r, item, r->units, item->parent, "parent unit",
                             "reparent it in the same file");
  g_hash_table_iter_init (&iter, r->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&item))
    if (reorg_item_valid_after (item, after))
      {
        reorg_check_reference (r, item, r->units, item->unit, "unit",
                               "rehome or close the room in the same file");
        reorg_check_reference (r, item, r->rooms, item->parent, "parent room",
                               "reparent it in the same file");
      }
  reorg_check_cycles (r, r->units, TRUE);
  reorg_check_cycles (r, r->rooms, TRUE);
  reorg_check_cycles (r, r->units, FALSE);
  reorg_check_cycles (r, r->rooms, FALSE);
}

/* ---- writing ---- */

static gboolean
reorg_write_new (Reorg *r, ReorgItem *item, GError **error)
{
  SchedDb *db = r->core->ctx->db;

  /* Without parents first: a parent may come later in the file. */
  if (item->is_room)
    {
      SchedRoom room = { .code = item->code,
                         .name = item->name,
                         .level = item->level,
                         .unit = item->unit,
                         .valid_from = item->valid_from,
                         .valid_to = item->valid_to,
                         .successor = item->successor };
      return sched_room_insert (db, &room, error);
    }
  SchedUnit unit = { .code = item->code,
                     .name = item->name,
                     .priority = (gint)item->priority,
                     .level = item->level,
                     .valid_from = item->valid_from,
                     .valid_to = item->valid_to,
                     .successor = item->successor };
  return sched_unit_insert_full (db, &unit, error);
}

static gboolean
reorg_write_item (Reorg *r, ReorgItem *item, GError **error)
{
  SchedDb *db = r->core->ctx->db;

  if (item->is_new || item->changed)
    {
      if (item->is_room
          && !sched_room_update (db, item->code, item->name, item->level,
                                 item->unit ? item->unit : "", item->parent ? item->parent : "",
                                 error))
        return FALSE;
      if (!item->is_room
          && !sched_unit_update (db, item->code, item->name, item->level, item->parent, error))
        return FALSE;
    }
  if (item->ended_by && !item->is_room
      && !sched_unit_end (db, item->code, item->valid_to, item->successor, error))
    return FALSE;
  if (item->ended_by && item->is_room
      && !sched_room_end (db, item->code, item->valid_to, item->successor, error))
    return FALSE;
  return TRUE;
}

static gboolean
reorg_write (Reorg *r, gint64 reorganisation_id, GError **error)
{
  GHashTableIter iter;
  ReorgItem *item;

  /* new units, then new rooms (they may name new units) */
  for (gint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < r->order->len; i++)
      {
        item = r->order->pdata[i];
        if (item->is_room == (pass == 1) && !reorg_write_new (r, item, error))
          return FALSE;
      }
  /* The history first: the rollup's trigger on a room's level reads it
   * (schema v5, sched-db.c). */
  for (guint i = 0; i < r->changes->len; i++)
    {
      SchedRosterChange *c = r->changes->pdata[i];
      c->reorganisation_id = reorganisation_id;
      if (!sched_roster_change_insert (r->core->ctx->db, c, error))
        return FALSE;
    }
  g_hash_table_iter_init (&iter, r->units);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&item))
    if (!reorg_write_item (r, item, error))
      return FALSE;
  g_hash_table_iter_init (&iter, r->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&item))
    if (!reorg_write_item (r, item, error))
      return FALSE;
  return TRUE;
}

/* ---- the summary ---- */

static void
reorg_add_changes (Reorg *r, JsonBuilder *b)
{
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->changes->len; i++)
    {
      const SchedRosterChange *c = r->changes->pdata[i];
      guint index = g_array_index (r->change_entry, guint, i);
      const SchedReorgEntry *e = r->file->entries->pdata[0];

      for (guint k = 0; k < r->file->entries->len; k++)
        if (((SchedReorgEntry *)r->file->entries->pdata[k])->index == index)
          e = r->file->entries->pdata[k];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "entry");
      json_builder_add_int_value (b, index);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, e->line);
      json_builder_set_member_name (b, "op");
      json_builder_add_string_value (b, sched_reorg_op_to_string (e->op));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, c->kind);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, c->code);
      json_builder_set_member_name (b, "change");
      json_builder_add_string_value (b, c->change);
      json_builder_set_member_name (b, "old");
      c->old_value ? json_builder_add_string_value (b, c->old_value)
                   : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "new");
      c->new_value ? json_builder_add_string_value (b, c->new_value)
                   : json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* Why meeting @m is outside the roster valid at its start. */
static JsonArray *
reorg_meeting_problems (SchedCore *core, const SchedMeeting *m)
{
  SchedDb *db = core->ctx->db;
  JsonArray *out = json_array_new ();
  g_autoptr (SchedUnit) unit = sched_unit_get (db, m->unit, NULL);

  if (unit && !sched_unit_is_valid_at (unit, m->start))
    {
      g_autofree gchar *why = sched_roster_describe_period (core->ctx->tz, unit->valid_from,
                                                            unit->valid_to, unit->successor);
      g_autofree gchar *line = g_strdup_printf ("unit '%s': %s", m->unit, why);

      json_array_add_string_element (out, line); /* copies it */
    }
  for (guint i = 0; m->endpoints && i < m->endpoints->len; i++)
    {
      g_autoptr (SchedRoom) room = sched_room_get (db, m->endpoints->pdata[i], NULL);
      if (room && !sched_room_is_valid_at (room, m->start))
        {
          g_autofree gchar *why = sched_roster_describe_period (core->ctx->tz, room->valid_from,
                                                                room->valid_to, room->successor);
          g_autofree gchar *line = g_strdup_printf ("room '%s': %s", room->code, why);

          json_array_add_string_element (out, line); /* copies it */
        }
    }
  return out;
}

static gboolean
reorg_add_affected (SchedCore *core, JsonBuilder *b, gint64 from, const gchar *unit, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!sched_meeting_list_out_of_roster_ids (core->ctx->db, from, unit, ids, error))
    return FALSE;
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (SchedMeeting) m
          = sched_meeting_load (core->ctx->db, g_array_index (ids, gint64, i), error);
      JsonNode *node;

      if (m == NULL)
        return FALSE;
      node = sched_meeting_to_node (m);
      json_object_set_array_member (json_node_get_object (node), "problems",
                                    reorg_meeting_problems (core, m));
      json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  return TRUE;
}

JsonNode *
sched_reorg_list_affected (SchedCore *core, gint64 from, const gchar *unit, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "meetings");
  if (!reorg_add_affected (core, b, from, unit, error))
    return NULL;
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- the run ---- */

static gboolean
reorg_check (Reorg *r, JsonObject **extra, GError **error)
{
  JsonObject *first;
  g_autofree gchar *field = NULL;
  guint n = json_array_get_length (r->problems);

  if (n == 0)
    return TRUE;
  first = json_array_get_object_element (r->problems, 0);
  field = g_strdup (json_object_get_null_member (first, "entry")
                        ? "entries"
                        : json_object_get_string_member (first, "entry"));
  sched_error_set_field (
      error, SCHED_ERROR_INVALID, field, "line %" G_GINT64_FORMAT ": %s%s; nothing was applied",
      json_object_get_null_member (first, "line") ? (gint64)0
                                                  : json_object_get_int_member (first, "line"),
      json_object_get_string_member (first, "message"), n > 1 ? " (and more: see problems)" : "");
  if (extra)
    {
      *extra = json_object_new ();
      json_object_set_array_member (*extra, "problems", json_array_ref (r->problems));
    }
  return FALSE;
}

static gboolean
reorg_refuse_twice (Reorg *r, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (SchedReorganisation) before
      = sched_reorganisation_find (r->core->ctx->db, r->file->name, r->file->checksum, &local);
  g_autofree gchar *when = NULL;

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (before == NULL)
    return TRUE;
  when = sched_roster_format_date (r->core->ctx->tz, before->applied_at);
  g_set_error (
      error, SCHED_ERROR, SCHED_ERROR_CONFLICT,
      "%s was applied on %s by %s (reorganisation %" G_GINT64_FORMAT "); nothing was changed",
      g_strcmp0 (before->checksum, r->file->checksum) == 0 ? "this file"
                                                           : "a reorganisation of this name",
      when, before->applied_by, before->id);
  return FALSE;
}

static JsonNode *
reorg_summary (Reorg *r, gboolean applied, gint64 id, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 now = sched_core_now (r->core);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, r->file->name);
  json_builder_set_member_name (b, "effective");
  json_builder_add_string_value (b, r->file->effective_text);
  json_builder_set_member_name (b, "checksum");
  json_builder_add_string_value (b, r->file->checksum);
  json_builder_set_member_name (b, "applied");
  json_builder_add_boolean_value (b, applied);
  if (id > 0)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
    }
  reorg_add_changes (r, b);
  json_builder_set_member_name (b, "affected_meetings");
  if (!reorg_add_affected (r->core, b, MAX (now, r->file->effective), NULL, error))
    return NULL;
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
reorg_record_applied (Reorg *r, const gchar *actor, gint64 *id, GError **error)
{
  SchedDb *db = r->core->ctx->db;
  gint64 now = sched_core_now (r->core);
  g_autoptr (JsonNode) detail = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();
  g_autofree gchar *summary = NULL;

  json_object_set_string_member (o, "name", r->file->name);
  json_object_set_string_member (o, "effective", r->file->effective_text);
  json_object_set_string_member (o, "checksum", r->file->checksum);
  json_object_set_int_member (o, "entries", r->file->entries->len);
  json_object_set_int_member (o, "changes", r->changes->len);
  if (r->file->description)
    json_object_set_string_member (o, "description", r->file->description);
  json_node_take_object (detail, o);
  summary = json_to_string (detail, FALSE);
  SchedReorganisation row = { .name = r->file->name,
                              .checksum = r->file->checksum,
                              .effective_at = r->file->effective,
                              .applied_at = now,
                              .applied_by = (gchar *)actor,
                              .summary = summary };
  if (!sched_reorganisation_insert (db, &row, id, error))
    return FALSE;
  json_object_set_int_member (o, "id", *id);
  return sched_audit_record (db, now, actor, "reorganisation_applied", 0, detail, error);
}

JsonNode *
sched_reorg_run (SchedCore *core, const gchar *data, gsize length, const gchar *actor,
                 SchedReorgMode mode, JsonObject **extra, GError **error)
{
  g_autoptr (JsonArray) problems = json_array_new ();
  g_autoptr (SchedReorgFile) file = NULL;
  g_autoptr (JsonNode) summary = NULL;
  SchedDb *db = core->ctx->db;
  Reorg r = { .core = core, .problems = problems };
  gint64 id = 0;

  file = sched_reorg_file_parse (data, length, core->ctx->tz, problems, error);
  if (file == NULL)
    return NULL;
  r.file = file;
  if (!sched_db_begin_immediate (db, error))
    return NULL;
  if (!reorg_refuse_twice (&r, error) || !reorg_load (&r, error))
    goto fail;
  for (guint i = 0; i < file->entries->len; i++)
    reorg_play (&r, file->entries->pdata[i]);
  if (json_array_get_length (problems) == 0)
    reorg_check_whole (&r);
  if (!reorg_check (&r, extra, error))
    goto fail;
  if (mode == SCHED_REORG_APPLY && !reorg_record_applied (&r, actor, &id, error))
    goto fail;
  if (!reorg_write (&r, id, error) || !(summary = reorg_summary (&r, id > 0, id, error)))
    goto fail;
  if (mode == SCHED_REORG_PREVIEW)
    sched_db_rollback (db);
  else if (!sched_db_commit (db, error))
    goto out;
  reorg_clear (&r);
  return g_steal_pointer (&summary);

fail:
  sched_db_rollback (db);
out:
  reorg_clear (&r);
  return NULL;
}

JsonNode *
sched_reorg_run_file (SchedCore *core, const gchar *path, const gchar *actor, SchedReorgMode mode,
                      JsonObject **extra, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autoptr (GError) local = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INVALID, "%s", local->message);
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "%s is not valid UTF-8", path);
      return NULL;
    }
  return sched_reorg_run (core, data, length, actor, mode, extra, error);
}
