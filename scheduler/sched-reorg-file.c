/* sched-reorg-file.c — reading a reorganisation file; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-reorg-file.h"

#include "sched-error.h"
#include "sched-http.h"

#include <stdarg.h>
#include <stdio.h>

static const gchar *const op_names[] = {
  [SCHED_REORG_OP_ADD_UNIT] = "add-unit", [SCHED_REORG_OP_ADD_ROOM] = "add-room",
  [SCHED_REORG_OP_DISSOLVE] = "dissolve", [SCHED_REORG_OP_MERGE] = "merge",
  [SCHED_REORG_OP_SPLIT] = "split",       [SCHED_REORG_OP_RENAME] = "rename",
  [SCHED_REORG_OP_RELEVEL] = "relevel",   [SCHED_REORG_OP_REPARENT] = "reparent",
  [SCHED_REORG_OP_REHOME] = "rehome",     [SCHED_REORG_OP_CLOSE_ROOM] = "close-room",
};

const gchar *
sched_reorg_op_to_string (SchedReorgOp op)
{
  g_return_val_if_fail ((gsize)op < G_N_ELEMENTS (op_names), "?");
  return op_names[op];
}

static void
reorg_entry_free (SchedReorgEntry *e)
{
  g_free (e->code);
  g_free (e->name);
  g_free (e->level);
  g_free (e->parent);
  g_free (e->unit);
  g_clear_pointer (&e->codes, g_ptr_array_unref);
  g_clear_pointer (&e->successors, g_ptr_array_unref);
  g_free (e);
}

void
sched_reorg_file_free (SchedReorgFile *file)
{
  if (file == NULL)
    return;
  g_free (file->name);
  g_free (file->description);
  g_free (file->effective_text);
  g_free (file->checksum);
  g_clear_pointer (&file->entries, g_ptr_array_unref);
  g_free (file);
}

void
sched_reorg_problem_add (JsonArray *problems, const SchedReorgEntry *entry, const gchar *format,
                         ...)
{
  JsonObject *o = json_object_new ();
  va_list ap;

  va_start (ap, format);
  g_autofree gchar *text = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (entry)
    {
      g_autofree gchar *where = g_strdup_printf ("entries[%u]", entry->index);
      json_object_set_string_member (o, "entry", where);
      json_object_set_int_member (o, "line", entry->line);
    }
  else
    {
      json_object_set_null_member (o, "entry");
      json_object_set_null_member (o, "line");
    }
  json_object_set_string_member (o, "message", text);
  json_array_add_object_element (problems, o);
}

/* ---- lines: where each object of the file starts ---- */

typedef struct
{
  GArray *open_lines;  /* gint, a stack: the '{' of each object being read */
  GHashTable *line_of; /* JsonObject* -> GINT_TO_POINTER (line) */
} ReorgLines;

static void
on_parser_object_start (JsonParser *parser, gpointer user_data)
{
  ReorgLines *lines = user_data;
  gint line = (gint)json_parser_get_current_line (parser);

  g_array_append_val (lines->open_lines, line);
}

static void
on_parser_object_end (JsonParser *parser, JsonObject *object, gpointer user_data)
{
  ReorgLines *lines = user_data;
  gint line;

  if (lines->open_lines->len == 0)
    return;
  line = g_array_index (lines->open_lines, gint, lines->open_lines->len - 1);
  g_array_set_size (lines->open_lines, lines->open_lines->len - 1);
  g_hash_table_insert (lines->line_of, object, GINT_TO_POINTER (line));
}

/* ---- entries ---- */

static gboolean
reorg_op_from_string (const gchar *text, SchedReorgOp *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (op_names); i++)
    if (g_strcmp0 (text, op_names[i]) == 0)
      {
        *out = (SchedReorgOp)i;
        return TRUE;
      }
  return FALSE;
}

/* An optional string member; FALSE (problem added) when not a string. */
static gboolean
reorg_get_text (JsonObject *o, const gchar *member, gchar **out, JsonArray *problems,
                const SchedReorgEntry *e)
{
  JsonNode *node = json_object_get_member (o, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      sched_reorg_problem_add (problems, e, "'%s' must be a string", member);
      return FALSE;
    }
  *out = g_strstrip (g_strdup (json_node_get_string (node)));
  return TRUE;
}

/* A string or an array of strings; NULL and no problem when absent. */
static gboolean
reorg_get_codes (JsonObject *o, const gchar *member, GPtrArray **out, JsonArray *problems,
                 const SchedReorgEntry *e)
{
  JsonNode *node = json_object_get_member (o, member);
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  *out = g_ptr_array_new_with_free_func (g_free);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_ptr_array_add (*out, g_strdup (json_node_get_string (node)));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto bad;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        goto bad;
      g_ptr_array_add (*out, g_strdup (json_node_get_string (item)));
    }
  return TRUE;

bad:
  g_clear_pointer (out, g_ptr_array_unref);
  sched_reorg_problem_add (problems, e, "'%s' must be a code or a list of codes", member);
  return FALSE;
}

/* Which members each op needs: the target (unit or room) and the rest. */
static gboolean
reorg_entry_check_shape (SchedReorgEntry *e, JsonArray *problems)
{
  const gchar *op = sched_reorg_op_to_string (e->op);
  guint n_successors = e->successors ? e->successors->len : 0;

#define NEED(cond, ...)                                                                            \
  if (!(cond))                                                                                     \
    {                                                                                              \
      sched_reorg_problem_add (problems, e, __VA_ARGS__);                                          \
      return FALSE;                                                                                \
    }
  switch (e->op)
    {
      case SCHED_REORG_OP_ADD_UNIT:
      case SCHED_REORG_OP_ADD_ROOM:
        NEED (e->code && e->name && e->level, "%s needs code, name and level", op);
        break;
      case SCHED_REORG_OP_DISSOLVE:
        NEED (e->code && !e->is_room, "dissolve needs 'unit'");
        NEED (n_successors == 1,
              "dissolve needs one 'successor' (a unit may not be left without one)");
        break;
      case SCHED_REORG_OP_MERGE:
        NEED (e->codes && e->codes->len >= 1, "merge needs 'units' (the units merged)");
        NEED (n_successors == 1, "merge needs 'into' (one unit)");
        break;
      case SCHED_REORG_OP_SPLIT:
        NEED (e->code && !e->is_room, "split needs 'unit'");
        NEED (n_successors >= 2, "split needs 'into' with at least two units");
        break;
      case SCHED_REORG_OP_RENAME:
        NEED (e->code && e->name, "rename needs 'unit' or 'room', and 'name'");
        break;
      case SCHED_REORG_OP_RELEVEL:
        NEED (e->code && e->level, "relevel needs 'unit' or 'room', and 'level'");
        break;
      case SCHED_REORG_OP_REPARENT:
        NEED (e->code && e->parent, "reparent needs 'unit' or 'room', and 'parent'");
        break;
      case SCHED_REORG_OP_REHOME:
        NEED (e->code && e->is_room && e->unit, "rehome needs 'room' and 'unit'");
        break;
      case SCHED_REORG_OP_CLOSE_ROOM:
        NEED (e->code && e->is_room, "close-room needs 'room'");
        NEED (n_successors <= 1, "close-room takes at most one 'successor'");
        break;
    }
#undef NEED
  return TRUE;
}

/* The target: "unit" or "room" for changes, "code" for additions; which
 * member holds the unit of a room (add-room, rehome) depends on that. */
static gboolean
reorg_entry_read_target (SchedReorgEntry *e, JsonObject *o, JsonArray *problems)
{
  g_autofree gchar *unit = NULL, *room = NULL;

  if (e->op == SCHED_REORG_OP_ADD_UNIT || e->op == SCHED_REORG_OP_ADD_ROOM)
    {
      e->is_room = e->op == SCHED_REORG_OP_ADD_ROOM;
      return reorg_get_text (o, "code", &e->code, problems, e)
             && reorg_get_text (o, "unit", &e->unit, problems, e);
    }
  if (!reorg_get_text (o, "unit", &unit, problems, e)
      || !reorg_get_text (o, "room", &room, problems, e))
    return FALSE;
  if (unit && room && e->op != SCHED_REORG_OP_REHOME)
    {
      sched_reorg_problem_add (problems, e, "give either 'unit' or 'room', not both");
      return FALSE;
    }
  e->is_room = room != NULL;
  e->code = room ? g_steal_pointer (&room) : g_steal_pointer (&unit);
  if (e->is_room)
    e->unit = g_steal_pointer (&unit); /* rehome: the new unit */
  return TRUE;
}

static SchedReorgEntry *
reorg_entry_read (JsonNode *node, guint index, ReorgLines *lines, JsonArray *problems)
{
  g_autoptr (GPtrArray) into = NULL, successor = NULL;
  SchedReorgEntry *e = g_new0 (SchedReorgEntry, 1);
  g_autofree gchar *op = NULL;
  JsonObject *o;
  JsonNode *priority;

  e->index = index;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sched_reorg_problem_add (problems, e, "an entry must be an object");
      goto fail;
    }
  o = json_node_get_object (node);
  e->line = GPOINTER_TO_INT (g_hash_table_lookup (lines->line_of, o));
  if (!reorg_get_text (o, "op", &op, problems, e))
    goto fail;
  if (!reorg_op_from_string (op, &e->op))
    {
      sched_reorg_problem_add (problems, e,
                               "unknown op '%s' (add-unit, add-room, dissolve, merge, split, "
                               "rename, relevel, reparent, rehome, close-room)",
                               op ? op : "");
      goto fail;
    }
  if (!reorg_entry_read_target (e, o, problems)
      || !reorg_get_text (o, "name", &e->name, problems, e)
      || !reorg_get_text (o, "level", &e->level, problems, e)
      || !reorg_get_text (o, "parent", &e->parent, problems, e)
      || !reorg_get_codes (o, "units", &e->codes, problems, e)
      || !reorg_get_codes (o, "into", &into, problems, e)
      || !reorg_get_codes (o, "successor", &successor, problems, e))
    goto fail;
  e->successors = into ? g_steal_pointer (&into) : g_steal_pointer (&successor);
  priority = json_object_get_member (o, "priority");
  e->priority = 10;
  if (priority
      && (!JSON_NODE_HOLDS_VALUE (priority) || json_node_get_value_type (priority) != G_TYPE_INT64))
    {
      sched_reorg_problem_add (problems, e, "'priority' must be a whole number");
      goto fail;
    }
  if (priority)
    e->priority = json_node_get_int (priority);
  if (!reorg_entry_check_shape (e, problems))
    goto fail;
  return e;

fail:
  reorg_entry_free (e);
  return NULL;
}

/* ---- the file ---- */

static gboolean
reorg_parse_date (const gchar *text, GTimeZone *tz, gint64 *out)
{
  gint y = 0, m = 0, d = 0;
  gchar tail = 0;
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL || strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  dt = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return *out >= SCHED_TIME_MIN && *out < SCHED_TIME_END;
}

static const gchar *
reorg_member_string (JsonObject *o, const gchar *member)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gboolean
reorg_file_read_header (SchedReorgFile *file, JsonObject *o, GTimeZone *tz, GError **error)
{
  const gchar *format = reorg_member_string (o, "format");
  const gchar *name = reorg_member_string (o, "name");
  const gchar *effective = reorg_member_string (o, "effective");
  const gchar *description = reorg_member_string (o, "description");

  if (g_strcmp0 (format, SCHED_REORG_FORMAT) != 0)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "format", "must be \"%s\"",
                             SCHED_REORG_FORMAT);
      return FALSE;
    }
  if (name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 200)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "name",
                             "is required: 1 to 200 characters that name this reorganisation");
      return FALSE;
    }
  if (!reorg_parse_date (effective, tz, &file->effective))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "effective",
                             "must be a date YYYY-MM-DD between 2000 and 2099");
      return FALSE;
    }
  file->name = g_strdup (name);
  file->effective_text = g_strdup (effective);
  file->description = g_strdup (description);
  return TRUE;
}

SchedReorgFile *
sched_reorg_file_parse (const gchar *data, gsize length, GTimeZone *tz, JsonArray *problems,
                        GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (SchedReorgFile) file = g_new0 (SchedReorgFile, 1);
  g_autoptr (GError) local = NULL;
  ReorgLines lines = { g_array_new (FALSE, FALSE, sizeof (gint)),
                       g_hash_table_new (g_direct_hash, g_direct_equal) };
  JsonNode *root, *entries;
  JsonArray *array;
  gboolean parsed;

  g_signal_connect (parser, "object-start", G_CALLBACK (on_parser_object_start), &lines);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_parser_object_end), &lines);
  parsed = json_parser_load_from_data (parser, data, (gssize)length, &local);
  g_array_unref (lines.open_lines);
  if (!parsed)
    {
      g_hash_table_unref (lines.line_of);
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "the file is not JSON: %s",
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  file->checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);
  file->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)reorg_entry_free);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_hash_table_unref (lines.line_of);
      g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON,
                           "the file must hold one JSON object");
      return NULL;
    }
  if (!reorg_file_read_header (file, json_node_get_object (root), tz, error))
    {
      g_hash_table_unref (lines.line_of);
      return NULL;
    }
  entries = json_object_get_member (json_node_get_object (root), "entries");
  if (entries == NULL || !JSON_NODE_HOLDS_ARRAY (entries)
      || json_array_get_length (json_node_get_array (entries)) == 0)
    {
      g_hash_table_unref (lines.line_of);
      sched_error_set_field (error, SCHED_ERROR_INVALID, "entries",
                             "must be a list of at least one entry");
      return NULL;
    }
  array = json_node_get_array (entries);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SchedReorgEntry *e
          = reorg_entry_read (json_array_get_element (array, i), i, &lines, problems);
      if (e)
        g_ptr_array_add (file->entries, e);
    }
  g_hash_table_unref (lines.line_of);
  return g_steal_pointer (&file);
}
