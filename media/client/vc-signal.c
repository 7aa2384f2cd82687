/* vc-signal.c — the signalling messages, parsed and built with json-glib. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-signal.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-signal-error-quark, vc_signal_error)
/* clang-format on */

/* The mline indexes of the bridge's offer: video, then audio. */
#define SIGNAL_MAX_MLINE 1
/* A tile is never larger than this (the composite's size is a guint16). */
#define SIGNAL_MAX_VIDEO_SIZE G_MAXUINT16

static const gchar *const type_names[] = {
  [VC_SIGNAL_OFFER] = "offer",
  [VC_SIGNAL_ANSWER] = "answer",
  [VC_SIGNAL_ICE] = "ice",
  [VC_SIGNAL_STATE] = "state",
  [VC_SIGNAL_BYE] = "bye",
  [VC_SIGNAL_ERROR_MESSAGE] = "error",
  [VC_SIGNAL_LINK_STATE] = "link_state",
};

const gchar *
vc_signal_error_to_code (VcSignalError error)
{
  switch (error)
    {
      case VC_SIGNAL_ERROR_MALFORMED:
        return "malformed";
      case VC_SIGNAL_ERROR_TOO_LARGE:
        return "too_large";
      case VC_SIGNAL_ERROR_UNEXPECTED:
        return "unexpected";
    }
  g_return_val_if_reached ("malformed");
}

void
vc_signal_message_free (VcSignalMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->sdp);
  g_free (msg->candidate);
  g_free (msg->reason);
  g_free (msg->code);
  g_free (msg->message);
  g_free (msg->active_speaker);
  g_free (msg->tree);
  g_free (msg->layout);
  g_free (msg->floor);
  g_strfreev (msg->rooms);
  g_strfreev (msg->room_names);
  g_free (msg);
}

/* ---- parsing ---- */

/* Whether this end receives @type from @from. */
static gboolean
signal_type_allowed (VcSignalType type, VcSignalSender from)
{
  switch (type)
    {
      case VC_SIGNAL_ICE:
      case VC_SIGNAL_BYE:
        return TRUE;
      case VC_SIGNAL_ANSWER:
      case VC_SIGNAL_LINK_STATE:
        return from == VC_SIGNAL_FROM_PEER;
      case VC_SIGNAL_OFFER:
      case VC_SIGNAL_STATE:
      case VC_SIGNAL_ERROR_MESSAGE:
        return from == VC_SIGNAL_FROM_BRIDGE;
    }
  return FALSE;
}

static gboolean
node_is (JsonNode *node, GType type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
signal_refuse (GError **error, VcSignalType type, const gchar *member, const gchar *what)
{
  g_set_error (error, VC_SIGNAL_ERROR, VC_SIGNAL_ERROR_MALFORMED, "%s: '%s' must be %s",
               type_names[type], member, what);
  return FALSE;
}

/* A string member: required, or optional (absent leaves *out NULL). */
static gboolean
member_string (JsonObject *obj, VcSignalType type, const gchar *member, gboolean required,
               gchar **out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL && !required)
    return TRUE;
  if (!node_is (node, G_TYPE_STRING))
    return signal_refuse (error, type, member, "a string");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
member_sdp (JsonObject *obj, VcSignalType type, gchar **out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, "sdp");

  if (!node_is (node, G_TYPE_STRING) || !g_str_has_prefix (json_node_get_string (node), "v=0"))
    return signal_refuse (error, type, "sdp", "an SDP (a string beginning with \"v=0\")");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* An optional member: absent leaves *out as it is. */
static gboolean
member_boolean (JsonObject *obj, VcSignalType type, const gchar *member, gboolean *out,
                GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_BOOLEAN))
    return signal_refuse (error, type, member, "true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An integer in [@min, @max]; required, or optional (absent leaves *out). */
static gboolean
member_uint (JsonObject *obj, VcSignalType type, const gchar *member, gboolean required, guint max,
             const gchar *range, guint *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL && !required)
    return TRUE;
  if (!node_is (node, G_TYPE_INT64) || json_node_get_int (node) < 0
      || json_node_get_int (node) > max)
    return signal_refuse (error, type, member, range);
  *out = (guint)json_node_get_int (node);
  return TRUE;
}

/* "active_speaker": a string or null (absent: null) */
static gboolean
member_speaker (JsonObject *obj, VcSignalType type, gchar **out, GError **error)
{
  JsonNode *speaker = json_object_get_member (obj, "active_speaker");

  if (speaker != NULL && !JSON_NODE_HOLDS_NULL (speaker))
    {
      if (!node_is (speaker, G_TYPE_STRING))
        return signal_refuse (error, type, "active_speaker", "a string or null");
      *out = g_strdup (json_node_get_string (speaker));
    }
  return TRUE;
}

/* link_state's "rooms": [{"endpoint": "xa-c", "name": "Xã C"}, …] */
static gboolean
member_rooms (JsonObject *obj, VcSignalMessage *msg, GError **error)
{
  static const gchar what[] = "an array of at most 1000 objects, each with an 'endpoint' of 1 to "
                              "64 bytes and an optional string 'name'";
  JsonNode *node = json_object_get_member (obj, "rooms");
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return signal_refuse (error, VC_SIGNAL_LINK_STATE, "rooms", what);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > VC_SIGNAL_MAX_LINK_ROOMS)
    return signal_refuse (error, VC_SIGNAL_LINK_STATE, "rooms", what);
  msg->rooms = g_new0 (gchar *, n + 1);
  msg->room_names = g_new0 (gchar *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *room = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *endpoint = room ? json_object_get_member (room, "endpoint") : NULL;
      JsonNode *name = room ? json_object_get_member (room, "name") : NULL;
      gsize len = node_is (endpoint, G_TYPE_STRING) ? strlen (json_node_get_string (endpoint)) : 0;

      if (len == 0 || len > VC_SIGNAL_MAX_ENDPOINT_LEN
          || (name != NULL && !node_is (name, G_TYPE_STRING)))
        return signal_refuse (error, VC_SIGNAL_LINK_STATE, "rooms", what);
      msg->rooms[i] = g_strdup (json_node_get_string (endpoint));
      msg->room_names[i] = g_strdup (name ? json_node_get_string (name) : "");
    }
  return TRUE;
}

static gboolean
signal_parse_state (JsonObject *obj, VcSignalMessage *msg, GError **error)
{
  return member_speaker (obj, VC_SIGNAL_STATE, &msg->active_speaker, error)
         && member_string (obj, VC_SIGNAL_STATE, "floor", FALSE, &msg->floor, error)
         && member_boolean (obj, VC_SIGNAL_STATE, "floor_below", &msg->floor_below, error)
         && member_string (obj, VC_SIGNAL_STATE, "layout", FALSE, &msg->layout, error)
         && member_boolean (obj, VC_SIGNAL_STATE, "muted", &msg->muted, error)
         && member_boolean (obj, VC_SIGNAL_STATE, "send_video", &msg->send_video, error)
         && member_uint (obj, VC_SIGNAL_STATE, "video_width", FALSE, SIGNAL_MAX_VIDEO_SIZE,
                         "an integer from 0 to 65535", &msg->video_width, error)
         && member_uint (obj, VC_SIGNAL_STATE, "video_height", FALSE, SIGNAL_MAX_VIDEO_SIZE,
                         "an integer from 0 to 65535", &msg->video_height, error)
         && member_string (obj, VC_SIGNAL_STATE, "tree", FALSE, &msg->tree, error)
         && member_boolean (obj, VC_SIGNAL_STATE, "recording", &msg->recording, error);
}

static gboolean
signal_parse_members (JsonObject *obj, VcSignalMessage *msg, GError **error)
{
  switch (msg->type)
    {
      case VC_SIGNAL_OFFER:
      case VC_SIGNAL_ANSWER:
        return member_sdp (obj, msg->type, &msg->sdp, error);
      case VC_SIGNAL_ICE:
        return member_string (obj, VC_SIGNAL_ICE, "candidate", TRUE, &msg->candidate, error)
               && member_uint (obj, VC_SIGNAL_ICE, "sdpMLineIndex", TRUE, SIGNAL_MAX_MLINE,
                               "0 or 1", &msg->mline, error);
      case VC_SIGNAL_BYE:
        return member_string (obj, VC_SIGNAL_BYE, "reason", FALSE, &msg->reason, error);
      case VC_SIGNAL_ERROR_MESSAGE:
        if (!member_string (obj, msg->type, "code", TRUE, &msg->code, error)
            || !member_string (obj, msg->type, "message", FALSE, &msg->message, error))
          return FALSE;
        if (msg->message == NULL)
          msg->message = g_strdup ("");
        return TRUE;
      case VC_SIGNAL_STATE:
        return signal_parse_state (obj, msg, error);
      case VC_SIGNAL_LINK_STATE:
        return member_speaker (obj, VC_SIGNAL_LINK_STATE, &msg->active_speaker, error)
               && member_rooms (obj, msg, error);
    }
  g_assert_not_reached ();
}

VcSignalMessage *
vc_signal_parse (const gchar *data, gsize len, VcSignalSender from, VcSignalType *type,
                 GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (VcSignalMessage) msg = NULL;
  JsonNode *root, *type_node;
  JsonObject *obj;
  const gchar *name;
  gsize i;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  if (len > VC_SIGNAL_MAX_MESSAGE)
    {
      g_set_error (error, VC_SIGNAL_ERROR, VC_SIGNAL_ERROR_TOO_LARGE,
                   "messages are limited to 64 KiB");
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL)
      || !json_parser_load_from_data (parser, data, (gssize)len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VC_SIGNAL_ERROR, VC_SIGNAL_ERROR_MALFORMED, "not a JSON object");
      return NULL;
    }
  obj = json_node_get_object (root);
  type_node = json_object_get_member (obj, "type");
  if (!node_is (type_node, G_TYPE_STRING))
    {
      g_set_error (error, VC_SIGNAL_ERROR, VC_SIGNAL_ERROR_MALFORMED,
                   "missing string member 'type'");
      return NULL;
    }
  name = json_node_get_string (type_node);
  for (i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (name, type_names[i]))
      break;
  if (i == G_N_ELEMENTS (type_names) || !signal_type_allowed ((VcSignalType)i, from))
    {
      g_set_error (error, VC_SIGNAL_ERROR, VC_SIGNAL_ERROR_UNEXPECTED,
                   i == G_N_ELEMENTS (type_names) ? "unknown message type"
                   : from == VC_SIGNAL_FROM_PEER  ? "the bridge does not accept '%s'"
                                                  : "a participant does not accept '%s'",
                   i < G_N_ELEMENTS (type_names) ? type_names[i] : "");
      return NULL;
    }
  if (type != NULL)
    *type = (VcSignalType)i;
  msg = g_new0 (VcSignalMessage, 1);
  msg->type = (VcSignalType)i;
  msg->send_video = TRUE;
  if (!signal_parse_members (obj, msg, error))
    return NULL;
  return g_steal_pointer (&msg);
}

/* ---- building ---- */

static JsonBuilder *
signal_begin (VcSignalType type)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type_names[type]);
  return b;
}

static void
signal_add_string (JsonBuilder *b, const gchar *member, const gchar *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static gchar *
signal_finish (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  g_object_unref (b);
  return json_to_string (root, FALSE);
}

static gchar *
signal_build_sdp (VcSignalType type, const gchar *sdp)
{
  JsonBuilder *b = signal_begin (type);

  signal_add_string (b, "sdp", sdp);
  return signal_finish (b);
}

gchar *
vc_signal_build_offer (const gchar *sdp)
{
  g_return_val_if_fail (sdp != NULL, NULL);
  return signal_build_sdp (VC_SIGNAL_OFFER, sdp);
}

gchar *
vc_signal_build_answer (const gchar *sdp)
{
  g_return_val_if_fail (sdp != NULL, NULL);
  return signal_build_sdp (VC_SIGNAL_ANSWER, sdp);
}

gchar *
vc_signal_build_ice (const gchar *candidate, guint mline)
{
  JsonBuilder *b;

  g_return_val_if_fail (candidate != NULL, NULL);
  b = signal_begin (VC_SIGNAL_ICE);
  signal_add_string (b, "candidate", candidate);
  json_builder_set_member_name (b, "sdpMLineIndex");
  json_builder_add_int_value (b, mline);
  return signal_finish (b);
}

gchar *
vc_signal_build_bye (const gchar *reason)
{
  JsonBuilder *b = signal_begin (VC_SIGNAL_BYE);

  if (reason != NULL)
    signal_add_string (b, "reason", reason);
  return signal_finish (b);
}

static gchar *
signal_build_error_text (const gchar *code, const gchar *message)
{
  JsonBuilder *b = signal_begin (VC_SIGNAL_ERROR_MESSAGE);

  signal_add_string (b, "code", code);
  signal_add_string (b, "message", message);
  return signal_finish (b);
}

gchar *
vc_signal_build_error (VcSignalError code, const gchar *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return signal_build_error_text (vc_signal_error_to_code (code), message);
}

gchar *
vc_signal_build_state (const gchar *active_speaker, const gchar *layout, gboolean muted,
                       gboolean send_video, guint video_width, guint video_height,
                       gboolean recording)
{
  return vc_signal_build_link_state (active_speaker, layout, muted, send_video, video_width,
                                     video_height, recording, NULL);
}

gchar *
vc_signal_build_link_state (const gchar *active_speaker, const gchar *layout, gboolean muted,
                            gboolean send_video, guint video_width, guint video_height,
                            gboolean recording, const gchar *tree)
{
  return vc_signal_build_floor_state (active_speaker, layout, muted, send_video, video_width,
                                      video_height, recording, tree, NULL, FALSE);
}

static void
signal_add_speaker (JsonBuilder *b, const gchar *active_speaker)
{
  json_builder_set_member_name (b, "active_speaker");
  if (active_speaker != NULL)
    json_builder_add_string_value (b, active_speaker);
  else
    json_builder_add_null_value (b);
}

gchar *
vc_signal_build_floor_state (const gchar *active_speaker, const gchar *layout, gboolean muted,
                             gboolean send_video, guint video_width, guint video_height,
                             gboolean recording, const gchar *tree, const gchar *floor,
                             gboolean floor_below)
{
  JsonBuilder *b = signal_begin (VC_SIGNAL_STATE);

  signal_add_speaker (b, active_speaker);
  if (layout != NULL)
    signal_add_string (b, "layout", layout);
  json_builder_set_member_name (b, "muted");
  json_builder_add_boolean_value (b, muted);
  json_builder_set_member_name (b, "send_video");
  json_builder_add_boolean_value (b, send_video);
  json_builder_set_member_name (b, "video_width");
  json_builder_add_int_value (b, video_width);
  json_builder_set_member_name (b, "video_height");
  json_builder_add_int_value (b, video_height);
  json_builder_set_member_name (b, "recording");
  json_builder_add_boolean_value (b, recording);
  if (tree != NULL)
    signal_add_string (b, "tree", tree);
  if (floor != NULL)
    signal_add_string (b, "floor", floor);
  if (floor_below)
    {
      json_builder_set_member_name (b, "floor_below");
      json_builder_add_boolean_value (b, TRUE);
    }
  return signal_finish (b);
}

gchar *
vc_signal_build_link_report (const gchar *active_speaker, const gchar *const *rooms,
                             const gchar *const *names)
{
  JsonBuilder *b;

  g_return_val_if_fail (rooms != NULL && names != NULL, NULL);
  g_return_val_if_fail (g_strv_length ((gchar **)rooms) <= VC_SIGNAL_MAX_LINK_ROOMS, NULL);
  b = signal_begin (VC_SIGNAL_LINK_STATE);
  signal_add_speaker (b, active_speaker);
  json_builder_set_member_name (b, "rooms");
  json_builder_begin_array (b);
  for (guint i = 0; rooms[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      signal_add_string (b, "endpoint", rooms[i]);
      signal_add_string (b, "name", names[i] != NULL ? names[i] : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return signal_finish (b);
}

gchar *
vc_signal_build (const VcSignalMessage *msg)
{
  g_return_val_if_fail (msg != NULL, NULL);
  switch (msg->type)
    {
      case VC_SIGNAL_OFFER:
        return vc_signal_build_offer (msg->sdp);
      case VC_SIGNAL_ANSWER:
        return vc_signal_build_answer (msg->sdp);
      case VC_SIGNAL_ICE:
        return vc_signal_build_ice (msg->candidate, msg->mline);
      case VC_SIGNAL_BYE:
        return vc_signal_build_bye (msg->reason);
      case VC_SIGNAL_ERROR_MESSAGE:
        return signal_build_error_text (msg->code, msg->message ? msg->message : "");
      case VC_SIGNAL_STATE:
        return vc_signal_build_floor_state (
            msg->active_speaker, msg->layout, msg->muted, msg->send_video, msg->video_width,
            msg->video_height, msg->recording, msg->tree, msg->floor, msg->floor_below);
      case VC_SIGNAL_LINK_STATE:
        return vc_signal_build_link_report (msg->active_speaker, (const gchar *const *)msg->rooms,
                                            (const gchar *const *)msg->room_names);
    }
  g_return_val_if_reached (NULL);
}
