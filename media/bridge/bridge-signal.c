/* bridge-signal.c — parse and build signalling messages with json-glib. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-signal.h"

#include <json-glib/json-glib.h>

void
bridge_signal_message_free (BridgeSignalMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->sdp);
  g_free (msg->candidate);
  g_free (msg->reason);
  g_free (msg);
}

static gboolean
member_string (JsonObject *obj, const gchar *name, const gchar **out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

static BridgeSignalMessage *
signal_refuse (const gchar **code, gchar **detail, const gchar *c, const gchar *d)
{
  *code = c;
  *detail = g_strdup (d);
  return NULL;
}

static BridgeSignalMessage *
signal_parse_ice (JsonObject *obj, const gchar **code, gchar **detail)
{
  const gchar *candidate;
  JsonNode *mline = json_object_get_member (obj, "sdpMLineIndex");
  BridgeSignalMessage *msg;

  if (!member_string (obj, "candidate", &candidate) || mline == NULL
      || !JSON_NODE_HOLDS_VALUE (mline) || json_node_get_value_type (mline) != G_TYPE_INT64
      || json_node_get_int (mline) < 0 || json_node_get_int (mline) > 1)
    return signal_refuse (code, detail, "malformed",
                          "ice needs a string candidate and sdpMLineIndex 0 or 1");
  msg = g_new0 (BridgeSignalMessage, 1);
  msg->type = BRIDGE_SIGNAL_ICE;
  msg->candidate = g_strdup (candidate);
  msg->mline = (guint)json_node_get_int (mline);
  return msg;
}

BridgeSignalMessage *
bridge_signal_parse (const gchar *data, gsize len, const gchar **code, gchar **detail)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *obj;
  const gchar *type, *text;
  BridgeSignalMessage *msg;

  if (len > BRIDGE_SIGNAL_MAX_MESSAGE)
    return signal_refuse (code, detail, "too_large", "messages are limited to 64 KiB");
  if (!g_utf8_validate_len (data, len, NULL)
      || !json_parser_load_from_data (parser, data, len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return signal_refuse (code, detail, "malformed", "not a JSON object");
  obj = json_node_get_object (root);
  if (!member_string (obj, "type", &type))
    return signal_refuse (code, detail, "malformed", "missing string member 'type'");
  if (g_str_equal (type, "answer"))
    {
      if (!member_string (obj, "sdp", &text) || !g_str_has_prefix (text, "v=0"))
        return signal_refuse (code, detail, "malformed", "answer needs an SDP in 'sdp'");
      msg = g_new0 (BridgeSignalMessage, 1);
      msg->type = BRIDGE_SIGNAL_ANSWER;
      msg->sdp = g_strdup (text);
      return msg;
    }
  if (g_str_equal (type, "ice"))
    return signal_parse_ice (obj, code, detail);
  if (g_str_equal (type, "bye"))
    {
      msg = g_new0 (BridgeSignalMessage, 1);
      msg->type = BRIDGE_SIGNAL_BYE;
      if (member_string (obj, "reason", &text))
        msg->reason = g_strdup (text);
      return msg;
    }
  return signal_refuse (code, detail, "unexpected", "unknown message type");
}

static gchar *
build (const gchar *type, const gchar *k1, const gchar *v1, const gchar *k2, const gchar *v2,
       gint mline)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  if (k1 != NULL)
    {
      json_builder_set_member_name (b, k1);
      json_builder_add_string_value (b, v1);
    }
  if (k2 != NULL)
    {
      json_builder_set_member_name (b, k2);
      json_builder_add_string_value (b, v2);
    }
  if (mline >= 0)
    {
      json_builder_set_member_name (b, "sdpMLineIndex");
      json_builder_add_int_value (b, mline);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gchar *
bridge_signal_build_offer (const gchar *sdp)
{
  return build ("offer", "sdp", sdp, NULL, NULL, -1);
}

gchar *
bridge_signal_build_ice (const gchar *candidate, guint mline)
{
  return build ("ice", "candidate", candidate, NULL, NULL, (gint)mline);
}

gchar *
bridge_signal_build_bye (const gchar *reason)
{
  return build ("bye", "reason", reason ? reason : "", NULL, NULL, -1);
}

gchar *
bridge_signal_build_error (const gchar *code, const gchar *message)
{
  return build ("error", "code", code, "message", message, -1);
}
