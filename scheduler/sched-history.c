/* sched-history.c — history import; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-history.h"

#include "sched-attendance.h"
#include "sched-booking.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-json-text.h"
#include "sched-model-audit.h"

#define HISTORY_MAX_MEETINGS 100000

/* Re-labels an error of a nested object with the path "meetings[i].…". */
static void
history_prefix_error (GError **error, GError *local, const gchar *prefix)
{
  g_autofree gchar *inner = sched_error_get_field (local);
  g_autofree gchar *field
      = g_strdup_printf ("%s%s%s", prefix, inner ? "." : "", inner ? inner : "");

  sched_error_set_field (error, local->domain == SCHED_ERROR ? local->code : SCHED_ERROR_INVALID,
                         field, "%s", sched_error_get_text (local));
}

static gboolean
history_add_attendance (SchedCore *core, gint64 id, const SchedMeetingSpec *spec, JsonObject *o,
                        gint64 now, GError **error)
{
  JsonNode *node = json_object_get_member (o, "attendance");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "attendance", "must be an array");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      g_autofree gchar *field = g_strdup_printf ("attendance[%u]", i);
      const gchar *endpoint;
      gint64 joined = 0, left = 0;
      gboolean dup = FALSE, found = FALSE;
      g_autoptr (GError) local = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, field, "must be an object");
          return FALSE;
        }
      o = json_node_get_object (e);
      if (!(endpoint = sched_json_get_string (o, "endpoint", TRUE, &local))
          || !sched_json_get_time (o, "joined_at", TRUE, &joined, &local)
          || !sched_json_get_time (o, "left_at", FALSE, &left, &local))
        {
          history_prefix_error (error, local, field);
          return FALSE;
        }
      for (guint k = 0; k < spec->endpoints->len; k++)
        found = found || g_strcmp0 (g_ptr_array_index (spec->endpoints, k), endpoint) == 0;
      if (!found || (left && left < joined))
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                                 found ? "left_at is before joined_at"
                                       : "the room is not one of the meeting's endpoints");
          return FALSE;
        }
      g_autofree gchar *join_id = g_uuid_string_random ();
      if (!sched_attendance_event_insert (core->ctx->db, join_id, id, endpoint, "joined", joined,
                                          "imported", now, &dup, error))
        return FALSE;
      if (left)
        {
          g_autofree gchar *left_id = g_uuid_string_random ();
          if (!sched_attendance_event_insert (core->ctx->db, left_id, id, endpoint, "left", left,
                                              "imported", now, &dup, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
history_import_one (SchedCore *core, const gchar *actor, JsonNode *node, gint64 now, GError **error)
{
  g_autoptr (SchedMeetingSpec) spec = NULL;
  gint64 id = 0;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, NULL, "must be an object");
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!(spec = sched_meeting_spec_from_json (o, error))
      || !sched_booking_validate (core, spec, G_MININT64, error))
    return FALSE;
  /* History only: the capacity shortcut (sched-booking-check.c) relies on
   * rooms never overlapping in what is still to come. */
  if (spec->end > now)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "end", "an imported meeting must be over");
      return FALSE;
    }
  if (!sched_booking_insert (core->ctx->db, spec, 0, spec->start, spec->end, actor, now, TRUE, &id,
                             error)
      || !history_add_attendance (core, id, spec, o, now, error)
      || !sched_attendance_refresh (core->ctx->db, id, error))
    return FALSE;
  g_autoptr (JsonNode) detail = sched_booking_describe (spec, spec->start, spec->end);
  return sched_audit_record (core->ctx->db, now, actor, "imported", id, detail, error);
}

gboolean
sched_history_import (SchedCore *core, const gchar *actor, JsonObject *root, gint64 *imported,
                      GError **error)
{
  JsonNode *node = json_object_get_member (root, "meetings");
  JsonArray *array;
  gint64 now = sched_core_now (core);
  guint n;

  *imported = 0;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "meetings", "must be an array");
      return FALSE;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > HISTORY_MAX_MEETINGS)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "meetings", "more than %d meetings",
                             HISTORY_MAX_MEETINGS);
      return FALSE;
    }
  if (!sched_db_begin_immediate (core->ctx->db, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) local = NULL;
      if (!history_import_one (core, actor, json_array_get_element (array, i), now, &local))
        {
          g_autofree gchar *prefix = g_strdup_printf ("meetings[%u]", i);
          sched_db_rollback (core->ctx->db);
          history_prefix_error (error, local, prefix);
          return FALSE;
        }
    }
  if (!sched_db_commit (core->ctx->db, error))
    return FALSE;
  *imported = n;
  core->metrics.history_imported += n;
  {
    g_autoptr (SchedChangeSet) changes = sched_change_set_new ();
    sched_change_set_add_room (changes, NULL);
    sched_booking_notify (core, changes);
  }
  return TRUE;
}

gboolean
sched_history_import_file (SchedCore *core, const gchar *path, gint64 *imported, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &local);
  JsonNode *root;

  const gchar *text = file ? g_mapped_file_get_contents (file) : NULL;
  gsize length = file ? g_mapped_file_get_length (file) : 0;

  if (file != NULL && length == 0)
    g_set_error_literal (&local, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the file is empty");
  else if (file != NULL && !g_utf8_validate_len (text, length, NULL))
    g_set_error_literal (&local, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not valid UTF-8");
  if (local != NULL)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "%s: %s", path, local->message);
      return FALSE;
    }
  if (!sched_json_text_check (text, length, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, text, (gssize)length, &local))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "%s: %s", path, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_BAD_JSON, "%s: not a JSON object", path);
      return FALSE;
    }
  return sched_history_import (core, "cli:import-history", json_node_get_object (root), imported,
                               error);
}
