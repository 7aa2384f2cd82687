/* vc-attendance-wire.c — parse and build the attendance request and its
 * answer (see vc-attendance-wire.h). The fuzz target
 * tests/fuzz/fuzz-attendance-wire.c drives both parses and checks that
 * what they accept builds back to itself. */
#define G_LOG_DOMAIN "vc-proto"

#include "vc-attendance-wire.h"

static const gchar *const event_type_names[] = {
  [VC_ATTENDANCE_WIRE_JOINED] = "joined",
  [VC_ATTENDANCE_WIRE_LEFT] = "left",
};

const gchar *
vc_attendance_wire_event_type_to_string (VcAttendanceWireEventType type)
{
  g_return_val_if_fail ((gsize)type < G_N_ELEMENTS (event_type_names), NULL);
  return event_type_names[type];
}

gboolean
vc_attendance_wire_event_type_from_string (const gchar *text, VcAttendanceWireEventType *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (event_type_names); i++)
    if (g_strcmp0 (text, event_type_names[i]) == 0)
      {
        *out = (VcAttendanceWireEventType)i;
        return TRUE;
      }
  return FALSE;
}

VcAttendanceWireEvent *
vc_attendance_wire_event_new (void)
{
  return g_new0 (VcAttendanceWireEvent, 1);
}

void
vc_attendance_wire_event_free (VcAttendanceWireEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->reason);
  g_free (event->endpoint);
  g_free (event);
}

/* events[@i], its members checked in the order the scheduler always
 * checked them, so that the first fault named stays the same. */
static VcAttendanceWireEvent *
event_from_node (JsonNode *node, guint i, GError **error)
{
  g_autofree gchar *prefix = g_strdup_printf ("events[%u]", i);
  g_autoptr (VcAttendanceWireEvent) e = vc_attendance_wire_event_new ();
  const gchar *id = NULL, *type = NULL, *reason = NULL, *endpoint = NULL;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, prefix, "%s must be an object", prefix);
      return NULL;
    }
  o = json_node_get_object (node);
  if (!vc_wire_get_string (o, prefix, "id", TRUE, &id, error)
      || !vc_wire_get_int (o, prefix, "meeting", TRUE, &e->meeting, error)
      || !vc_wire_get_string (o, prefix, "type", TRUE, &type, error)
      || !vc_wire_get_time (o, prefix, "at", TRUE, &e->at, error)
      || !vc_wire_get_string (o, prefix, "reason", FALSE, &reason, error)
      || !vc_wire_get_string (o, prefix, "endpoint", FALSE, &endpoint, error))
    return NULL;
  if (!g_uuid_string_is_valid (id))
    {
      g_autofree gchar *field = vc_wire_field_name (prefix, "id");
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s is not a UUID", field);
      return NULL;
    }
  if (!vc_attendance_wire_event_type_from_string (type, &e->type))
    {
      g_autofree gchar *field = vc_wire_field_name (prefix, "type");
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s must be joined or left", field);
      return NULL;
    }
  if (reason && g_utf8_strlen (reason, -1) > VC_ATTENDANCE_WIRE_MAX_REASON_CHARS)
    {
      g_autofree gchar *field = vc_wire_field_name (prefix, "reason");
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s is longer than %d characters",
                         field, VC_ATTENDANCE_WIRE_MAX_REASON_CHARS);
      return NULL;
    }
  e->id = g_strdup (id);
  e->reason = g_strdup (reason);
  e->endpoint = g_strdup (endpoint);
  return g_steal_pointer (&e);
}

GPtrArray *
vc_attendance_wire_request_from_object (JsonObject *request, GError **error)
{
  JsonNode *node = json_object_get_member (request, "events");
  g_autoptr (GPtrArray) events = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, "events", "events must be an array");
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > VC_ATTENDANCE_WIRE_MAX_EVENTS)
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, "events", "events has more than %d events",
                         VC_ATTENDANCE_WIRE_MAX_EVENTS);
      return NULL;
    }
  events = g_ptr_array_new_full (n, (GDestroyNotify)vc_attendance_wire_event_free);
  for (guint i = 0; i < n; i++)
    {
      VcAttendanceWireEvent *e = event_from_node (json_array_get_element (array, i), i, error);

      if (e == NULL)
        return NULL;
      g_ptr_array_add (events, e);
    }
  return g_steal_pointer (&events);
}

GPtrArray *
vc_attendance_wire_request_parse (const gchar *text, gsize length, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o
      = vc_wire_parse_object (text, length, VC_ATTENDANCE_WIRE_REQUEST_MAX_BYTES, &root, error);

  return o ? vc_attendance_wire_request_from_object (o, error) : NULL;
}

gchar *
vc_attendance_wire_request_build (GPtrArray *events)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (events != NULL, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < events->len; i++)
    {
      const VcAttendanceWireEvent *e = g_ptr_array_index (events, i);

      json_builder_begin_object (b);
      vc_wire_add_string (b, "id", e->id);
      json_builder_set_member_name (b, "meeting");
      json_builder_add_int_value (b, e->meeting);
      vc_wire_add_string (b, "type", vc_attendance_wire_event_type_to_string (e->type));
      vc_wire_add_time (b, "at", e->at);
      vc_wire_add_string (b, "reason", e->reason);
      if (e->endpoint)
        vc_wire_add_string (b, "endpoint", e->endpoint);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return vc_wire_builder_to_text (b, FALSE);
}

/* ---- the answer ---- */

void
vc_attendance_wire_rejection_free (VcAttendanceWireRejection *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->field);
  g_free (r->message);
  g_free (r);
}

void
vc_attendance_wire_answer_init (VcAttendanceWireAnswer *answer)
{
  *answer = (VcAttendanceWireAnswer){
    .rejected = g_ptr_array_new_with_free_func ((GDestroyNotify)vc_attendance_wire_rejection_free),
  };
}

void
vc_attendance_wire_answer_clear (VcAttendanceWireAnswer *answer)
{
  g_clear_pointer (&answer->rejected, g_ptr_array_unref);
}

void
vc_attendance_wire_answer_reject (VcAttendanceWireAnswer *answer, guint index, const gchar *id,
                                  const gchar *field, const gchar *message)
{
  VcAttendanceWireRejection *r = g_new0 (VcAttendanceWireRejection, 1);

  g_return_if_fail (answer->rejected != NULL && id != NULL && field != NULL && message != NULL);
  r->index = index;
  r->id = g_strdup (id);
  r->field = g_strdup (field);
  r->message = g_strdup (message);
  g_ptr_array_add (answer->rejected, r);
}

/* A required whole number in [0, @max]. */
static gboolean
answer_get_count (JsonObject *o, const gchar *prefix, const gchar *name, gint64 max, gint64 *out,
                  GError **error)
{
  if (!vc_wire_get_int (o, prefix, name, TRUE, out, error))
    return FALSE;
  if (*out < 0 || *out > max)
    {
      g_autofree gchar *field = vc_wire_field_name (prefix, name);
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field,
                         "%s must lie between 0 and %" G_GINT64_FORMAT, field, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rejection_from_node (JsonNode *node, guint i, VcAttendanceWireAnswer *answer, GError **error)
{
  g_autofree gchar *prefix = g_strdup_printf ("rejected[%u]", i);
  const gchar *id = NULL, *field = NULL, *message = NULL;
  gint64 index = 0;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, prefix, "%s must be an object", prefix);
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!answer_get_count (o, prefix, "index", VC_ATTENDANCE_WIRE_MAX_EVENTS - 1, &index, error)
      || !vc_wire_get_string (o, prefix, "id", TRUE, &id, error)
      || !vc_wire_get_string (o, prefix, "field", TRUE, &field, error)
      || !vc_wire_get_string (o, prefix, "message", TRUE, &message, error))
    return FALSE;
  vc_attendance_wire_answer_reject (answer, (guint)index, id, field, message);
  return TRUE;
}

gboolean
vc_attendance_wire_answer_parse (const gchar *text, gsize length, VcAttendanceWireAnswer *out,
                                 GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_auto (VcAttendanceWireAnswer) answer = { 0 };
  JsonObject *o;
  JsonNode *rejected;

  g_return_val_if_fail (out != NULL, FALSE);
  vc_attendance_wire_answer_init (out);
  vc_attendance_wire_answer_init (&answer);
  o = vc_wire_parse_object (text, length, VC_ATTENDANCE_WIRE_ANSWER_MAX_BYTES, &root, error);
  if (o == NULL
      || !answer_get_count (o, NULL, "accepted", VC_ATTENDANCE_WIRE_MAX_EVENTS, &answer.accepted,
                            error)
      || !answer_get_count (o, NULL, "duplicates", VC_ATTENDANCE_WIRE_MAX_EVENTS,
                            &answer.duplicates, error))
    return FALSE;
  rejected = json_object_get_member (o, "rejected");
  if (rejected && !JSON_NODE_HOLDS_NULL (rejected))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (rejected)
          || json_array_get_length (json_node_get_array (rejected)) > VC_ATTENDANCE_WIRE_MAX_EVENTS)
        {
          vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, "rejected",
                             "rejected must be an array of at most %d rejections",
                             VC_ATTENDANCE_WIRE_MAX_EVENTS);
          return FALSE;
        }
      array = json_node_get_array (rejected);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!rejection_from_node (json_array_get_element (array, i), i, &answer, error))
          return FALSE;
    }
  vc_attendance_wire_answer_clear (out);
  *out = answer;
  answer = (VcAttendanceWireAnswer){ 0 };
  return TRUE;
}

gchar *
vc_attendance_wire_answer_build (const VcAttendanceWireAnswer *answer)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (answer != NULL, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accepted");
  json_builder_add_int_value (b, answer->accepted);
  json_builder_set_member_name (b, "duplicates");
  json_builder_add_int_value (b, answer->duplicates);
  json_builder_set_member_name (b, "rejected");
  json_builder_begin_array (b);
  for (guint i = 0; answer->rejected && i < answer->rejected->len; i++)
    {
      const VcAttendanceWireRejection *r = g_ptr_array_index (answer->rejected, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, r->index);
      vc_wire_add_string (b, "id", r->id);
      vc_wire_add_string (b, "field", r->field);
      vc_wire_add_string (b, "message", r->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return vc_wire_builder_to_text (b, FALSE);
}

/* ---- equality ---- */

gboolean
vc_attendance_wire_event_equal (const VcAttendanceWireEvent *a, const VcAttendanceWireEvent *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && a->meeting == b->meeting && a->type == b->type
         && a->at == b->at && g_strcmp0 (a->reason, b->reason) == 0
         && g_strcmp0 (a->endpoint, b->endpoint) == 0;
}

gboolean
vc_attendance_wire_answer_equal (const VcAttendanceWireAnswer *a, const VcAttendanceWireAnswer *b)
{
  if (a->accepted != b->accepted || a->duplicates != b->duplicates
      || a->rejected->len != b->rejected->len)
    return FALSE;
  for (guint i = 0; i < a->rejected->len; i++)
    {
      const VcAttendanceWireRejection *x = a->rejected->pdata[i], *y = b->rejected->pdata[i];

      if (x->index != y->index || g_strcmp0 (x->id, y->id) != 0
          || g_strcmp0 (x->field, y->field) != 0 || g_strcmp0 (x->message, y->message) != 0)
        return FALSE;
    }
  return TRUE;
}
