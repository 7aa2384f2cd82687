/* sched-agent-message.c — parsing the agent → scheduler messages.
 *
 * The bytes come from the network, so every member is checked for its JSON
 * type before it is read: json-glib's getters raise a critical (fatal in the
 * tests) on a member of the wrong type. The fuzz target
 * tests/scheduler/agents/fuzz-agent-message.c drives this function. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-agent-message.h"
#include "sched-agent-schedule.h"
#include "sched-json-text.h"

#include <json-glib/json-glib.h>

/* The string value of @name, @fallback when absent or null, or NULL with
 * *@wrong set when it is present but not a string. */
static const gchar *
member_string (JsonObject *o, const gchar *name, const gchar *fallback, gboolean *wrong)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return fallback;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *wrong = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
parse_state (JsonObject *o, gint64 meeting, SchedAgentMessage *out, const gchar **reason)
{
  gboolean wrong = FALSE;
  const gchar *state = member_string (o, "state", NULL, &wrong);

  if (state == NULL
      || !(g_str_equal (state, "idle") || g_str_equal (state, "joining")
           || g_str_equal (state, "in_meeting")))
    {
      *reason = "state must be idle, joining or in_meeting";
      return FALSE;
    }
  out->type = SCHED_AGENT_MESSAGE_STATE;
  out->state = g_strdup (state);
  out->meeting = meeting;
  return TRUE;
}

static gboolean
parse_readiness (JsonObject *o, SchedAgentMessage *out, const gchar **reason)
{
  JsonNode *ready = json_object_get_member (o, "ready");
  gboolean wrong = FALSE;
  const gchar *why = member_string (o, "reason", "", &wrong);

  if (ready == NULL || json_node_get_value_type (ready) != G_TYPE_BOOLEAN)
    {
      *reason = "ready must be a boolean";
      return FALSE;
    }
  if (wrong)
    {
      *reason = "reason must be a string";
      return FALSE;
    }
  out->type = SCHED_AGENT_MESSAGE_READINESS;
  out->ready = json_node_get_boolean (ready);
  out->reason = g_strdup (why);
  return TRUE;
}

gboolean
sched_agent_message_parse (const gchar *text, gsize len, SchedAgentMessage *out,
                           const gchar **reason)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *meeting;
  JsonObject *o;
  gboolean wrong = FALSE;
  const gchar *type;

  g_return_val_if_fail (out != NULL && reason != NULL, FALSE);
  if (g_utf8_validate (text, len, NULL) && !sched_json_text_check (text, len, NULL))
    {
      *reason = "a string holds \\u0000 or an unpaired surrogate, or an integer is out of range";
      return FALSE;
    }
  if (!g_utf8_validate (text, len, NULL) || !json_parser_load_from_data (parser, text, len, NULL)
      || !sched_agent_json_root_is_object (parser))
    {
      *reason = "not a JSON object";
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  type = member_string (o, "type", NULL, &wrong);
  if (type == NULL)
    {
      *reason = "type is required and must be a string";
      return FALSE;
    }
  meeting = json_object_get_member (o, "meeting");
  if (meeting && !JSON_NODE_HOLDS_NULL (meeting)
      && json_node_get_value_type (meeting) != G_TYPE_INT64)
    {
      *reason = "meeting must be an integer or null";
      return FALSE;
    }
  if (g_str_equal (type, "state"))
    return parse_state (
        o, meeting && !JSON_NODE_HOLDS_NULL (meeting) ? json_node_get_int (meeting) : 0, out,
        reason);
  if (g_str_equal (type, "readiness"))
    return parse_readiness (o, out, reason);
  *reason = "unknown message type";
  return FALSE;
}

void
sched_agent_message_clear (SchedAgentMessage *message)
{
  g_clear_pointer (&message->state, g_free);
  g_clear_pointer (&message->reason, g_free);
}
