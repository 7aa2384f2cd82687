/* ep-schedule.c — parse, cache and query the room's schedule. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-schedule.h"
#include "vc-time.h"

#include <gio/gio.h>

static void
meeting_free (EpMeeting *m)
{
  g_free (m->title);
  g_free (m->unit);
  g_free (m->unit_name);
  g_free (m->chair);
  g_free (m->status);
  g_free (m->signal_url);
  g_free (m->join_token);
  g_free (m);
}

EpSchedule *
ep_schedule_new (const gchar *endpoint)
{
  EpSchedule *s = g_atomic_rc_box_new0 (EpSchedule);

  s->endpoint = g_strdup (endpoint);
  s->meetings = g_ptr_array_new_with_free_func ((GDestroyNotify)meeting_free);
  return s;
}

EpSchedule *
ep_schedule_ref (EpSchedule *s)
{
  return g_atomic_rc_box_acquire (s);
}

static void
schedule_clear (gpointer data)
{
  EpSchedule *s = data;

  g_free (s->endpoint);
  g_ptr_array_unref (s->meetings);
}

void
ep_schedule_unref (EpSchedule *s)
{
  if (s != NULL)
    g_atomic_rc_box_release_full (s, schedule_clear);
}

static gboolean
malformed (GError **error, const gchar *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed schedule: %s", what);
  return FALSE;
}

static const gchar *
get_string (JsonObject *o, const gchar *name, gboolean required, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        malformed (error, name);
      return NULL;
    }
  if (json_node_get_value_type (n) != G_TYPE_STRING)
    {
      malformed (error, name);
      return NULL;
    }
  return json_node_get_string (n);
}

static gboolean
get_time (JsonObject *o, const gchar *name, gboolean required, gint64 *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  const gchar *text = get_string (o, name, required, &local);

  if (text == NULL)
    {
      if (local)
        g_propagate_error (error, g_steal_pointer (&local));
      *out = 0;
      return !required;
    }
  if (!vc_time_parse (text, out))
    return malformed (error, name);
  return TRUE;
}

static EpMeeting *
meeting_from_json (JsonNode *node, GError **error)
{
  JsonObject *o;
  JsonNode *id;
  EpMeeting *m;
  const gchar *title, *status;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, "meeting is not an object");
      return NULL;
    }
  o = json_node_get_object (node);
  id = json_object_get_member (o, "id");
  if (id == NULL || json_node_get_value_type (id) != G_TYPE_INT64 || json_node_get_int (id) <= 0)
    {
      malformed (error, "meeting id");
      return NULL;
    }
  if ((title = get_string (o, "title", TRUE, error)) == NULL)
    return NULL;
  m = g_new0 (EpMeeting, 1);
  m->id = json_node_get_int (id);
  m->title = g_strdup (title);
  status = get_string (o, "status", FALSE, NULL);
  m->status = g_strdup (status ? status : "scheduled");
  m->unit = g_strdup (get_string (o, "unit", FALSE, NULL));
  m->unit_name = g_strdup (get_string (o, "unit_name", FALSE, NULL));
  m->chair = g_strdup (get_string (o, "chair", FALSE, NULL));
  m->signal_url = g_strdup (get_string (o, "signal_url", FALSE, NULL));
  m->join_token = g_strdup (get_string (o, "join_token", FALSE, NULL));
  if (!get_time (o, "start", TRUE, &m->start, error) || !get_time (o, "end", TRUE, &m->end, error)
      || !get_time (o, "token_expires", FALSE, &m->token_expires, error))
    {
      meeting_free (m);
      return NULL;
    }
  if (m->end <= m->start)
    {
      meeting_free (m);
      malformed (error, "end is not after start");
      return NULL;
    }
  return m;
}

static gint
compare_start (gconstpointer a, gconstpointer b)
{
  const EpMeeting *x = *(EpMeeting **)a, *y = *(EpMeeting **)b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

EpSchedule *
ep_schedule_from_json (JsonObject *o, GError **error)
{
  const gchar *endpoint = get_string (o, "endpoint", FALSE, NULL);
  JsonNode *meetings = json_object_get_member (o, "meetings");
  g_autoptr (EpSchedule) s = ep_schedule_new (endpoint);
  JsonArray *array;

  if (meetings == NULL || !JSON_NODE_HOLDS_ARRAY (meetings))
    {
      malformed (error, "meetings is not an array");
      return NULL;
    }
  if (!get_time (o, "generated_at", FALSE, &s->generated_at, error))
    return NULL;
  array = json_node_get_array (meetings);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      EpMeeting *m = meeting_from_json (json_array_get_element (array, i), error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (s->meetings, m);
    }
  g_ptr_array_sort (s->meetings, compare_start);
  return g_steal_pointer (&s);
}

static void
add_opt_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b, const gchar *name, gint64 t)
{
  g_autofree gchar *text = vc_time_format_utc (t);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

gboolean
ep_schedule_save (EpSchedule *s, const gchar *path, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;

  json_builder_begin_object (b);
  add_opt_string (b, "type", "schedule");
  add_opt_string (b, "endpoint", s->endpoint);
  add_time (b, "generated_at", s->generated_at);
  json_builder_set_member_name (b, "meetings");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->meetings->len; i++)
    {
      EpMeeting *m = s->meetings->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, m->id);
      add_opt_string (b, "title", m->title);
      add_opt_string (b, "unit", m->unit);
      add_opt_string (b, "unit_name", m->unit_name);
      add_opt_string (b, "chair", m->chair);
      add_time (b, "start", m->start);
      add_time (b, "end", m->end);
      add_opt_string (b, "status", m->status);
      add_opt_string (b, "signal_url", m->signal_url);
      add_opt_string (b, "join_token", m->join_token);
      if (m->token_expires)
        add_time (b, "token_expires", m->token_expires);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  /* g_file_set_contents writes a temporary file, fsyncs and renames. */
  return g_file_set_contents_full (
      path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
}

EpSchedule *
ep_schedule_load (const gchar *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  if (!ep_json_root_is_object (parser))
    {
      malformed (error, "not an object");
      return NULL;
    }
  return ep_schedule_from_json (json_node_get_object (json_parser_get_root (parser)), error);
}

const EpMeeting *
ep_schedule_find (EpSchedule *s, gint64 id)
{
  for (guint i = 0; s && i < s->meetings->len; i++)
    {
      const EpMeeting *m = s->meetings->pdata[i];

      if (m->id == id)
        return m;
    }
  return NULL;
}

const EpMeeting *
ep_schedule_current (EpSchedule *s, gint64 now, gint64 lead)
{
  for (guint i = 0; s && i < s->meetings->len; i++)
    {
      const EpMeeting *m = s->meetings->pdata[i];

      if (g_strcmp0 (m->status, "scheduled") == 0 && m->join_token && m->signal_url
          && m->start - lead <= now && now < m->end)
        return m;
    }
  return NULL;
}

const EpMeeting *
ep_schedule_next (EpSchedule *s, gint64 now)
{
  for (guint i = 0; s && i < s->meetings->len; i++)
    {
      const EpMeeting *m = s->meetings->pdata[i];

      if (g_strcmp0 (m->status, "scheduled") == 0 && m->start > now)
        return m;
    }
  return NULL;
}
