/* vc-janus-message.c — Janus WebSocket API messages (vc-janus-message.h). */
#include "vc-janus-message.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* clang-format off */
G_DEFINE_QUARK (vc-janus-error-quark, vc_janus_error)
/* clang-format on */

void
vc_janus_message_free (VcJanusMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->janus);
  g_free (msg->transaction);
  g_free (msg->plugin);
  g_free (msg->plugin_event);
  g_free (msg->reason);
  g_free (msg->jsep_type);
  g_free (msg->jsep_sdp);
  g_free (msg);
}

/* @object's member @name: absent → TRUE with *@out NULL; a string → TRUE
 * with a copy; anything else → FALSE with an error naming @where.@name */
static gboolean
get_string (JsonObject *object, const gchar *where, const gchar *name, gchar **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED, "'%s%s' must be a string",
                   where, name);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_int (JsonObject *object, const gchar *where, const gchar *name, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED, "'%s%s' must be an integer",
                   where, name);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

/* absent or null → NULL (no error); an object → it; else an error */
static JsonObject *
get_object (JsonObject *object, const gchar *where, const gchar *name, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED, "'%s%s' must be an object",
                   where, name);
      return NULL;
    }
  return json_node_get_object (node);
}

static VcJanusKind
kind_of (const gchar *janus)
{
  static const struct
  {
    const gchar *name;
    VcJanusKind kind;
  } kinds[] = {
    { "success", VC_JANUS_SUCCESS }, { "ack", VC_JANUS_ACK },
    { "event", VC_JANUS_EVENT },     { "error", VC_JANUS_ERROR_REPLY },
    { "hangup", VC_JANUS_HANGUP },   { "timeout", VC_JANUS_TIMEOUT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (janus, kinds[i].name) == 0)
      return kinds[i].kind;
  return VC_JANUS_NOTICE;
}

/* "event": plugindata.{plugin,data.{audiobridge,error_code,error}} and jsep */
static gboolean
parse_event (JsonObject *root, VcJanusMessage *msg, GError **error)
{
  GError *local = NULL;
  JsonObject *plugindata = get_object (root, "", "plugindata", &local), *data = NULL;

  if (local == NULL && plugindata != NULL)
    {
      if (!get_string (plugindata, "plugindata.", "plugin", &msg->plugin, error))
        return FALSE;
      data = get_object (plugindata, "plugindata.", "data", &local);
    }
  if (local == NULL && data != NULL
      && get_string (data, "plugindata.data.", "audiobridge", &msg->plugin_event, &local)
      && get_int (data, "plugindata.data.", "error_code", &msg->error_code, &local))
    get_string (data, "plugindata.data.", "error", &msg->reason, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_jsep (JsonObject *root, VcJanusMessage *msg, GError **error)
{
  GError *local = NULL;
  JsonObject *jsep = get_object (root, "", "jsep", &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (jsep == NULL)
    return TRUE;
  if (!get_string (jsep, "jsep.", "type", &msg->jsep_type, error)
      || !get_string (jsep, "jsep.", "sdp", &msg->jsep_sdp, error))
    return FALSE;
  if (msg->jsep_type == NULL || msg->jsep_sdp == NULL || !g_str_has_prefix (msg->jsep_sdp, "v=0"))
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED,
                   "'jsep' must have a 'type' and an 'sdp' beginning with v=0");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_members (JsonObject *root, VcJanusMessage *msg, GError **error)
{
  GError *local = NULL;
  JsonObject *sub;

  if (!get_string (root, "", "transaction", &msg->transaction, error))
    return FALSE;
  switch (msg->kind)
    {
      case VC_JANUS_SUCCESS:
        sub = get_object (root, "", "data", &local);
        if (local == NULL && sub != NULL)
          get_int (sub, "data.", "id", &msg->id, &local);
        break;
      case VC_JANUS_ERROR_REPLY:
        sub = get_object (root, "", "error", &local);
        if (local == NULL && sub != NULL
            && get_int (sub, "error.", "code", &msg->error_code, &local))
          get_string (sub, "error.", "reason", &msg->reason, &local);
        break;
      case VC_JANUS_HANGUP:
        get_string (root, "", "reason", &msg->reason, &local);
        break;
      case VC_JANUS_EVENT:
        parse_event (root, msg, &local);
        break;
      default:
        break;
    }
  if (local == NULL)
    parse_jsep (root, msg, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

VcJanusMessage *
vc_janus_message_parse (const gchar *data, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (VcJanusMessage) msg = g_new0 (VcJanusMessage, 1);
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  if (len > VC_JANUS_MAX_MESSAGE)
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_TOO_LARGE,
                   "message of %" G_GSIZE_FORMAT " bytes, over %d", len, VC_JANUS_MAX_MESSAGE);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize)len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!get_string (object, "", "janus", &msg->janus, error))
    return NULL;
  if (msg->janus == NULL)
    {
      g_set_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED, "'janus' is missing");
      return NULL;
    }
  msg->kind = kind_of (msg->janus);
  if (!parse_members (object, msg, error))
    return NULL;
  return g_steal_pointer (&msg);
}

/* ---- builders ---- */

static JsonBuilder *
begin (const gchar *janus, const gchar *transaction, gint64 session, gint64 handle)
{
  JsonBuilder *j = json_builder_new ();

  json_builder_begin_object (j);
  json_builder_set_member_name (j, "janus");
  json_builder_add_string_value (j, janus);
  json_builder_set_member_name (j, "transaction");
  json_builder_add_string_value (j, transaction);
  if (session != 0)
    {
      json_builder_set_member_name (j, "session_id");
      json_builder_add_int_value (j, session);
    }
  if (handle != 0)
    {
      json_builder_set_member_name (j, "handle_id");
      json_builder_add_int_value (j, handle);
    }
  return j;
}

static gchar *
finish (JsonBuilder *j)
{
  g_autoptr (JsonNode) root = NULL;

  json_builder_end_object (j);
  root = json_builder_get_root (j);
  g_object_unref (j);
  return json_to_string (root, FALSE);
}

gchar *
vc_janus_build_create (const gchar *transaction)
{
  return finish (begin ("create", transaction, 0, 0));
}

gchar *
vc_janus_build_attach (const gchar *transaction, gint64 session, const gchar *plugin)
{
  JsonBuilder *j = begin ("attach", transaction, session, 0);

  json_builder_set_member_name (j, "plugin");
  json_builder_add_string_value (j, plugin);
  return finish (j);
}

gchar *
vc_janus_build_join (const gchar *transaction, gint64 session, gint64 handle, gint64 room,
                     const gchar *display)
{
  JsonBuilder *j = begin ("message", transaction, session, handle);

  json_builder_set_member_name (j, "body");
  json_builder_begin_object (j);
  json_builder_set_member_name (j, "request");
  json_builder_add_string_value (j, "join");
  json_builder_set_member_name (j, "room");
  json_builder_add_int_value (j, room);
  json_builder_set_member_name (j, "display");
  json_builder_add_string_value (j, display);
  json_builder_set_member_name (j, "generate_offer");
  json_builder_add_boolean_value (j, TRUE);
  json_builder_end_object (j);
  return finish (j);
}

gchar *
vc_janus_build_configure_answer (const gchar *transaction, gint64 session, gint64 handle,
                                 const gchar *sdp)
{
  JsonBuilder *j = begin ("message", transaction, session, handle);

  json_builder_set_member_name (j, "body");
  json_builder_begin_object (j);
  json_builder_set_member_name (j, "request");
  json_builder_add_string_value (j, "configure");
  json_builder_end_object (j);
  json_builder_set_member_name (j, "jsep");
  json_builder_begin_object (j);
  json_builder_set_member_name (j, "type");
  json_builder_add_string_value (j, "answer");
  json_builder_set_member_name (j, "sdp");
  json_builder_add_string_value (j, sdp);
  json_builder_end_object (j);
  return finish (j);
}

gchar *
vc_janus_build_trickle (const gchar *transaction, gint64 session, gint64 handle,
                        const gchar *candidate, guint mline)
{
  JsonBuilder *j = begin ("trickle", transaction, session, handle);

  json_builder_set_member_name (j, "candidate");
  json_builder_begin_object (j);
  if (candidate == NULL || *candidate == '\0')
    {
      json_builder_set_member_name (j, "completed");
      json_builder_add_boolean_value (j, TRUE);
    }
  else
    {
      json_builder_set_member_name (j, "candidate");
      json_builder_add_string_value (j, candidate);
      json_builder_set_member_name (j, "sdpMLineIndex");
      json_builder_add_int_value (j, mline);
    }
  json_builder_end_object (j);
  return finish (j);
}

gchar *
vc_janus_build_keepalive (const gchar *transaction, gint64 session)
{
  return finish (begin ("keepalive", transaction, session, 0));
}

gchar *
vc_janus_build_destroy (const gchar *transaction, gint64 session)
{
  return finish (begin ("destroy", transaction, session, 0));
}
