/* vc-agent-wire.c — parse and build the agent channel's messages (see
 * vc-agent-wire.h). The fuzz target tests/fuzz/fuzz-agent-wire.c drives
 * every parse here and checks that what it accepts builds back to itself. */
#define G_LOG_DOMAIN "vc-proto"

#include "vc-agent-wire.h"

static const gchar *const state_names[] = {
  [VC_AGENT_WIRE_STATE_IDLE] = "idle",
  [VC_AGENT_WIRE_STATE_JOINING] = "joining",
  [VC_AGENT_WIRE_STATE_IN_MEETING] = "in_meeting",
};

static const gchar *const notice_names[] = {
  [VC_AGENT_WIRE_NOTICE_SCHEDULE] = "schedule",
  [VC_AGENT_WIRE_NOTICE_JOIN] = "join",
  [VC_AGENT_WIRE_NOTICE_LEAVE] = "leave",
  [VC_AGENT_WIRE_NOTICE_ERROR] = "error",
};

const gchar *
vc_agent_wire_state_to_string (VcAgentWireState state)
{
  g_return_val_if_fail ((gsize)state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

const gchar *
vc_agent_wire_notice_type_to_string (VcAgentWireNoticeType type)
{
  g_return_val_if_fail ((gsize)type < G_N_ELEMENTS (notice_names), NULL);
  return notice_names[type];
}

/* The index of @name in @names, or -1. */
static gint
name_index (const gchar *const *names, gsize n, const gchar *name)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (gint)i;
  return -1;
}

/* ---- agent → scheduler ---- */

void
vc_agent_wire_report_clear (VcAgentWireReport *report)
{
  g_clear_pointer (&report->reason, g_free);
}

gboolean
vc_agent_wire_report_parse (const gchar *text, gsize length, VcAgentWireReport *out, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  const gchar *type = NULL, *state = NULL, *reason = "";
  gint64 meeting = 0;
  gboolean ready = FALSE;
  gint index;

  g_return_val_if_fail (out != NULL, FALSE);
  o = vc_wire_parse_object (text, length, VC_AGENT_WIRE_REPORT_MAX_BYTES, &root, error);
  if (o == NULL || !vc_wire_get_string (o, NULL, "type", TRUE, &type, error)
      || !vc_wire_get_int (o, NULL, "meeting", FALSE, &meeting, error))
    return FALSE;
  if (g_str_equal (type, "state"))
    {
      if (!vc_wire_get_string (o, NULL, "state", TRUE, &state, error))
        return FALSE;
      index = name_index (state_names, G_N_ELEMENTS (state_names), state);
      if (index < 0)
        {
          vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, "state",
                             "state must be idle, joining or in_meeting");
          return FALSE;
        }
      *out = (VcAgentWireReport){ .type = VC_AGENT_WIRE_REPORT_STATE,
                                  .state = (VcAgentWireState)index,
                                  .meeting = meeting };
      return TRUE;
    }
  if (g_str_equal (type, "readiness"))
    {
      if (!vc_wire_get_bool (o, NULL, "ready", TRUE, &ready, error)
          || !vc_wire_get_string (o, NULL, "reason", FALSE, &reason, error))
        return FALSE;
      *out = (VcAgentWireReport){ .type = VC_AGENT_WIRE_REPORT_READINESS,
                                  .meeting = meeting,
                                  .ready = ready,
                                  .reason = g_strdup (reason) };
      return TRUE;
    }
  vc_wire_set_error (error, VC_WIRE_ERROR_UNKNOWN_TYPE, "type",
                     "type '%s' is not a message of the agent (state, readiness)", type);
  return FALSE;
}

gchar *
vc_agent_wire_report_build (const VcAgentWireReport *report)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (report != NULL, NULL);
  json_builder_begin_object (b);
  switch (report->type)
    {
      case VC_AGENT_WIRE_REPORT_STATE:
        vc_wire_add_string (b, "type", "state");
        vc_wire_add_string (b, "state", vc_agent_wire_state_to_string (report->state));
        json_builder_set_member_name (b, "meeting");
        if (report->meeting != 0)
          json_builder_add_int_value (b, report->meeting);
        else
          json_builder_add_null_value (b);
        break;
      case VC_AGENT_WIRE_REPORT_READINESS:
        vc_wire_add_string (b, "type", "readiness");
        json_builder_set_member_name (b, "meeting");
        json_builder_add_int_value (b, report->meeting);
        json_builder_set_member_name (b, "ready");
        json_builder_add_boolean_value (b, report->ready);
        vc_wire_add_string (b, "reason", report->reason ? report->reason : "");
        break;
      default:
        g_return_val_if_reached (NULL);
    }
  json_builder_end_object (b);
  return vc_wire_builder_to_text (b, FALSE);
}

/* ---- scheduler → agent: schedules ---- */

VcAgentWireMeeting *
vc_agent_wire_meeting_new (void)
{
  return g_new0 (VcAgentWireMeeting, 1);
}

void
vc_agent_wire_meeting_free (VcAgentWireMeeting *m)
{
  if (m == NULL)
    return;
  g_free (m->title);
  g_free (m->unit);
  g_free (m->unit_name);
  g_free (m->chair);
  g_free (m->status);
  g_free (m->signal_url);
  g_free (m->join_token);
  g_free (m);
}

VcAgentWireSchedule *
vc_agent_wire_schedule_new (void)
{
  VcAgentWireSchedule *s = g_new0 (VcAgentWireSchedule, 1);

  s->meetings = g_ptr_array_new_with_free_func ((GDestroyNotify)vc_agent_wire_meeting_free);
  return s;
}

void
vc_agent_wire_schedule_free (VcAgentWireSchedule *s)
{
  if (s == NULL)
    return;
  g_free (s->endpoint);
  g_clear_pointer (&s->meetings, g_ptr_array_unref);
  g_free (s);
}

/* Reads the optional string @name into a copy (NULL when absent). */
static gboolean
meeting_get_copy (JsonObject *o, const gchar *prefix, const gchar *name, gchar **out,
                  GError **error)
{
  const gchar *value = NULL;

  if (!vc_wire_get_string (o, prefix, name, FALSE, &value, error))
    return FALSE;
  *out = g_strdup (value);
  return TRUE;
}

/* meetings[@i]; NULL with the member at fault named "meetings[i].name". */
static VcAgentWireMeeting *
meeting_from_node (JsonNode *node, guint i, GError **error)
{
  g_autofree gchar *prefix = g_strdup_printf ("meetings[%u]", i);
  g_autoptr (VcAgentWireMeeting) m = vc_agent_wire_meeting_new ();
  const gchar *title = NULL, *status = NULL;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, prefix, "%s must be an object", prefix);
      return NULL;
    }
  o = json_node_get_object (node);
  if (!vc_wire_get_int (o, prefix, "id", TRUE, &m->id, error))
    return NULL;
  if (m->id <= 0)
    {
      g_autofree gchar *field = vc_wire_field_name (prefix, "id");
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s must be positive", field);
      return NULL;
    }
  if (!vc_wire_get_string (o, prefix, "title", TRUE, &title, error)
      || !vc_wire_get_string (o, prefix, "status", FALSE, &status, error)
      || !meeting_get_copy (o, prefix, "unit", &m->unit, error)
      || !meeting_get_copy (o, prefix, "unit_name", &m->unit_name, error)
      || !meeting_get_copy (o, prefix, "chair", &m->chair, error)
      || !meeting_get_copy (o, prefix, "signal_url", &m->signal_url, error)
      || !meeting_get_copy (o, prefix, "join_token", &m->join_token, error)
      || !vc_wire_get_time (o, prefix, "start", TRUE, &m->start, error)
      || !vc_wire_get_time (o, prefix, "end", TRUE, &m->end, error)
      || !vc_wire_get_time (o, prefix, "token_expires", FALSE, &m->token_expires, error))
    return NULL;
  if (m->end <= m->start)
    {
      g_autofree gchar *field = vc_wire_field_name (prefix, "end");
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s is not after its start", field);
      return NULL;
    }
  m->title = g_strdup (title);
  m->status = g_strdup (status ? status : "scheduled");
  return g_steal_pointer (&m);
}

/* The schedule members of @o (its "type" is the caller's). */
static VcAgentWireSchedule *
schedule_from_object (JsonObject *o, GError **error)
{
  g_autoptr (VcAgentWireSchedule) s = vc_agent_wire_schedule_new ();
  JsonNode *meetings = json_object_get_member (o, "meetings");
  JsonArray *array;
  guint n;

  if (!meeting_get_copy (o, NULL, "endpoint", &s->endpoint, error)
      || !vc_wire_get_time (o, NULL, "generated_at", FALSE, &s->generated_at, error))
    return NULL;
  if (meetings == NULL || !JSON_NODE_HOLDS_ARRAY (meetings))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, "meetings", "meetings must be an array");
      return NULL;
    }
  array = json_node_get_array (meetings);
  n = json_array_get_length (array);
  if (n > VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS)
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, "meetings",
                         "meetings has %u meetings; a schedule holds at most %d", n,
                         VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      VcAgentWireMeeting *m = meeting_from_node (json_array_get_element (array, i), i, error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (s->meetings, m);
    }
  return g_steal_pointer (&s);
}

VcAgentWireSchedule *
vc_agent_wire_schedule_parse (const gchar *text, gsize length, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  const gchar *type = "schedule";
  JsonObject *o = vc_wire_parse_object (text, length, VC_AGENT_WIRE_NOTICE_MAX_BYTES, &root, error);

  if (o == NULL || !vc_wire_get_string (o, NULL, "type", FALSE, &type, error))
    return NULL;
  if (!g_str_equal (type, "schedule"))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_UNKNOWN_TYPE, "type", "type '%s' is not a schedule",
                         type);
      return NULL;
    }
  return schedule_from_object (o, error);
}

static void
schedule_add_members (JsonBuilder *b, const VcAgentWireSchedule *s)
{
  vc_wire_add_string (b, "endpoint", s->endpoint);
  if (s->generated_at != 0)
    vc_wire_add_time (b, "generated_at", s->generated_at);
  json_builder_set_member_name (b, "meetings");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->meetings->len; i++)
    {
      const VcAgentWireMeeting *m = g_ptr_array_index (s->meetings, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, m->id);
      vc_wire_add_string (b, "title", m->title);
      vc_wire_add_string (b, "unit", m->unit);
      vc_wire_add_string (b, "unit_name", m->unit_name);
      vc_wire_add_string (b, "chair", m->chair);
      vc_wire_add_time (b, "start", m->start);
      vc_wire_add_time (b, "end", m->end);
      vc_wire_add_string (b, "status", m->status ? m->status : "scheduled");
      vc_wire_add_string (b, "signal_url", m->signal_url);
      vc_wire_add_string (b, "join_token", m->join_token);
      if (m->token_expires != 0)
        vc_wire_add_time (b, "token_expires", m->token_expires);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

gchar *
vc_agent_wire_schedule_build (const VcAgentWireSchedule *schedule, gboolean pretty)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (schedule != NULL, NULL);
  json_builder_begin_object (b);
  vc_wire_add_string (b, "type", "schedule");
  schedule_add_members (b, schedule);
  json_builder_end_object (b);
  return vc_wire_builder_to_text (b, pretty);
}

/* ---- scheduler → agent: notices ---- */

void
vc_agent_wire_notice_clear (VcAgentWireNotice *notice)
{
  g_clear_pointer (&notice->schedule, vc_agent_wire_schedule_free);
  g_clear_pointer (&notice->code, g_free);
  g_clear_pointer (&notice->message, g_free);
}

gboolean
vc_agent_wire_notice_parse (const gchar *text, gsize length, VcAgentWireNotice *out, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  const gchar *type = NULL, *code = NULL, *message = "";
  gint64 meeting = 0;
  gint index;

  g_return_val_if_fail (out != NULL, FALSE);
  o = vc_wire_parse_object (text, length, VC_AGENT_WIRE_NOTICE_MAX_BYTES, &root, error);
  if (o == NULL || !vc_wire_get_string (o, NULL, "type", TRUE, &type, error))
    return FALSE;
  index = name_index (notice_names, G_N_ELEMENTS (notice_names), type);
  switch (index)
    {
      case VC_AGENT_WIRE_NOTICE_SCHEDULE:
        {
          VcAgentWireSchedule *schedule = schedule_from_object (o, error);

          if (schedule == NULL)
            return FALSE;
          *out = (VcAgentWireNotice){ .type = VC_AGENT_WIRE_NOTICE_SCHEDULE, .schedule = schedule };
          return TRUE;
        }
      case VC_AGENT_WIRE_NOTICE_JOIN:
      case VC_AGENT_WIRE_NOTICE_LEAVE:
        if (!vc_wire_get_int (o, NULL, "meeting", TRUE, &meeting, error))
          return FALSE;
        *out = (VcAgentWireNotice){ .type = (VcAgentWireNoticeType)index, .meeting = meeting };
        return TRUE;
      case VC_AGENT_WIRE_NOTICE_ERROR:
        if (!vc_wire_get_string (o, NULL, "code", TRUE, &code, error)
            || !vc_wire_get_string (o, NULL, "message", FALSE, &message, error))
          return FALSE;
        *out = (VcAgentWireNotice){ .type = VC_AGENT_WIRE_NOTICE_ERROR,
                                    .code = g_strdup (code),
                                    .message = g_strdup (message) };
        return TRUE;
      default:
        vc_wire_set_error (error, VC_WIRE_ERROR_UNKNOWN_TYPE, "type",
                           "type '%s' is not a message of the scheduler "
                           "(schedule, join, leave, error)",
                           type);
        return FALSE;
    }
}

gchar *
vc_agent_wire_notice_build (const VcAgentWireNotice *notice)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (notice != NULL, NULL);
  g_return_val_if_fail (notice->type != VC_AGENT_WIRE_NOTICE_SCHEDULE || notice->schedule != NULL,
                        NULL);
  g_return_val_if_fail (notice->type != VC_AGENT_WIRE_NOTICE_ERROR || notice->code != NULL, NULL);
  json_builder_begin_object (b);
  vc_wire_add_string (b, "type", vc_agent_wire_notice_type_to_string (notice->type));
  switch (notice->type)
    {
      case VC_AGENT_WIRE_NOTICE_SCHEDULE:
        schedule_add_members (b, notice->schedule);
        break;
      case VC_AGENT_WIRE_NOTICE_JOIN:
      case VC_AGENT_WIRE_NOTICE_LEAVE:
        json_builder_set_member_name (b, "meeting");
        json_builder_add_int_value (b, notice->meeting);
        break;
      case VC_AGENT_WIRE_NOTICE_ERROR:
        vc_wire_add_string (b, "code", notice->code);
        vc_wire_add_string (b, "message", notice->message ? notice->message : "");
        break;
      default:
        g_return_val_if_reached (NULL);
    }
  json_builder_end_object (b);
  return vc_wire_builder_to_text (b, FALSE);
}

/* ---- equality ---- */

gboolean
vc_agent_wire_report_equal (const VcAgentWireReport *a, const VcAgentWireReport *b)
{
  if (a->type != b->type || a->meeting != b->meeting)
    return FALSE;
  if (a->type == VC_AGENT_WIRE_REPORT_STATE)
    return a->state == b->state;
  return !a->ready == !b->ready
         && g_strcmp0 (a->reason ? a->reason : "", b->reason ? b->reason : "") == 0;
}

static gboolean
meeting_equal (const VcAgentWireMeeting *a, const VcAgentWireMeeting *b)
{
  return a->id == b->id && g_strcmp0 (a->title, b->title) == 0 && g_strcmp0 (a->unit, b->unit) == 0
         && g_strcmp0 (a->unit_name, b->unit_name) == 0 && g_strcmp0 (a->chair, b->chair) == 0
         && a->start == b->start && a->end == b->end
         && g_strcmp0 (a->status ? a->status : "scheduled", b->status ? b->status : "scheduled")
                == 0
         && g_strcmp0 (a->signal_url, b->signal_url) == 0
         && g_strcmp0 (a->join_token, b->join_token) == 0 && a->token_expires == b->token_expires;
}

gboolean
vc_agent_wire_schedule_equal (const VcAgentWireSchedule *a, const VcAgentWireSchedule *b)
{
  if (g_strcmp0 (a->endpoint, b->endpoint) != 0 || a->generated_at != b->generated_at
      || a->meetings->len != b->meetings->len)
    return FALSE;
  for (guint i = 0; i < a->meetings->len; i++)
    if (!meeting_equal (a->meetings->pdata[i], b->meetings->pdata[i]))
      return FALSE;
  return TRUE;
}

gboolean
vc_agent_wire_notice_equal (const VcAgentWireNotice *a, const VcAgentWireNotice *b)
{
  if (a->type != b->type)
    return FALSE;
  switch (a->type)
    {
      case VC_AGENT_WIRE_NOTICE_SCHEDULE:
        return a->schedule && b->schedule
               && vc_agent_wire_schedule_equal (a->schedule, b->schedule);
      case VC_AGENT_WIRE_NOTICE_JOIN:
      case VC_AGENT_WIRE_NOTICE_LEAVE:
        return a->meeting == b->meeting;
      case VC_AGENT_WIRE_NOTICE_ERROR:
      default:
        return g_strcmp0 (a->code, b->code) == 0
               && g_strcmp0 (a->message ? a->message : "", b->message ? b->message : "") == 0;
    }
}
