/* ep-media-protocol.c — JSON lines between the agent and its media process
 * (see ep-media-protocol.h). Pure functions: both sides and the unit tests
 * use them. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-media-protocol.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static const gchar *const type_names[] = {
  [EP_MEDIA_MESSAGE_JOIN] = "join",
  [EP_MEDIA_MESSAGE_LEAVE] = "leave",
  [EP_MEDIA_MESSAGE_STATE] = "state",
  [EP_MEDIA_MESSAGE_CONNECTED] = "connected",
  [EP_MEDIA_MESSAGE_FIRST_FRAME] = "first-frame",
  [EP_MEDIA_MESSAGE_STATS] = "stats",
  [EP_MEDIA_MESSAGE_ERROR] = "error",
  [EP_MEDIA_MESSAGE_ENDED] = "ended",
};

void
ep_media_message_clear (EpMediaMessage *message)
{
  g_clear_pointer (&message->signal_url, g_free);
  g_clear_pointer (&message->token, g_free);
  g_clear_pointer (&message->text, g_free);
  memset (message, 0, sizeof *message);
}

static void
add_int (JsonBuilder *b, const gchar *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value ? value : "");
}

static void
message_build (JsonBuilder *b, const EpMediaMessage *m)
{
  switch (m->type)
    {
      case EP_MEDIA_MESSAGE_JOIN:
        add_int (b, "meeting", m->meeting);
        add_int (b, "start", m->start);
        add_string (b, "signal_url", m->signal_url);
        add_string (b, "token", m->token);
        break;
      case EP_MEDIA_MESSAGE_STATE:
        add_string (b, "state", m->text);
        break;
      case EP_MEDIA_MESSAGE_FIRST_FRAME:
        add_int (b, "real_us", m->real_us);
        add_int (b, "mono_us", m->mono_us);
        break;
      case EP_MEDIA_MESSAGE_STATS:
        add_int (b, "video_frames", m->video_frames);
        add_int (b, "audio_buffers", m->audio_buffers);
        break;
      case EP_MEDIA_MESSAGE_ERROR:
        add_string (b, "message", m->text);
        break;
      case EP_MEDIA_MESSAGE_ENDED:
        add_string (b, "reason", m->text);
        break;
      case EP_MEDIA_MESSAGE_LEAVE:
      case EP_MEDIA_MESSAGE_CONNECTED:
        break;
    }
}

gchar *
ep_json_line (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree gchar *text = json_to_string (root, FALSE);

  return g_strconcat (text, "\n", NULL);
}

gchar *
ep_media_message_to_line (const EpMediaMessage *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "type", type_names[message->type]);
  message_build (b, message);
  json_builder_end_object (b);
  return ep_json_line (b);
}

gchar *
ep_media_join_line (const EpMeeting *meeting)
{
  EpMediaMessage m = {
    .type = EP_MEDIA_MESSAGE_JOIN,
    .meeting = meeting->id,
    .start = meeting->start,
    .signal_url = meeting->signal_url,
    .token = meeting->join_token,
  };

  return ep_media_message_to_line (&m);
}

static gboolean
get_int (JsonObject *o, const gchar *name, gint64 *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "\"%s\" is not a whole number",
                   name);
      return FALSE;
    }
  *out = json_node_get_int (n);
  return TRUE;
}

static gboolean
get_string (JsonObject *o, const gchar *name, gchar **out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "\"%s\" is not a string", name);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

static gboolean
message_read (JsonObject *o, EpMediaMessage *m, GError **error)
{
  switch (m->type)
    {
      case EP_MEDIA_MESSAGE_JOIN:
        return get_int (o, "meeting", &m->meeting, error) && get_int (o, "start", &m->start, error)
               && get_string (o, "signal_url", &m->signal_url, error)
               && get_string (o, "token", &m->token, error);
      case EP_MEDIA_MESSAGE_STATE:
        return get_string (o, "state", &m->text, error);
      case EP_MEDIA_MESSAGE_FIRST_FRAME:
        return get_int (o, "real_us", &m->real_us, error)
               && get_int (o, "mono_us", &m->mono_us, error);
      case EP_MEDIA_MESSAGE_STATS:
        return get_int (o, "video_frames", &m->video_frames, error)
               && get_int (o, "audio_buffers", &m->audio_buffers, error);
      case EP_MEDIA_MESSAGE_ERROR:
        return get_string (o, "message", &m->text, error);
      case EP_MEDIA_MESSAGE_ENDED:
        return get_string (o, "reason", &m->text, error);
      case EP_MEDIA_MESSAGE_LEAVE:
      case EP_MEDIA_MESSAGE_CONNECTED:
        return TRUE;
    }
  g_assert_not_reached ();
}

gboolean
ep_media_message_parse (const gchar *line, EpMediaMessage *message, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *type = NULL;
  JsonObject *o;
  guint i;

  memset (message, 0, sizeof *message);
  if (!json_parser_load_from_data (parser, line, -1, error))
    return FALSE;
  if (!ep_json_root_is_object (parser))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a JSON object");
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  if (!get_string (o, "type", &type, error))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (type_names) && !g_str_equal (type, type_names[i]); i++)
    ;
  if (i == G_N_ELEMENTS (type_names))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown type \"%s\"", type);
      return FALSE;
    }
  message->type = i;
  if (!message_read (o, message, error))
    {
      ep_media_message_clear (message);
      return FALSE;
    }
  return TRUE;
}
