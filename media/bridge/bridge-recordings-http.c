/* bridge-recordings-http.c — GET/DELETE /recordings (see
 * bridge-recordings-http.h). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-recordings-http.h"

#include "bridge-record.h"
#include "vc-time.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#define RECORDING_MAX_NAME 64

static void
reply_error (SoupServerMessage *msg, guint status, const gchar *code, const gchar *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY, text,
                                    strlen (text));
  soup_server_message_set_status (msg, status, NULL);
}

/* 20261203T140000Z-0001.webm: the UTC second the segment began, its number */
gboolean
bridge_recordings_name_valid (const gchar *name)
{
  gsize len = name ? strlen (name) : 0;

  if (len < 23 || len > RECORDING_MAX_NAME || !g_str_has_suffix (name, ".webm"))
    return FALSE;
  for (gsize i = 0; i < 15; i++)
    if (i == 8 ? name[i] != 'T' : !g_ascii_isdigit (name[i]))
      return FALSE;
  if (name[15] != 'Z' || name[16] != '-')
    return FALSE;
  for (gsize i = 17; i < len - 5; i++)
    if (!g_ascii_isdigit (name[i]))
      return FALSE;
  return len - 5 > 17;
}

/* the segment's first second (unix time), from its name */
static gint64
name_started_at (const gchar *name)
{
  g_autofree gchar *iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", name, name + 4,
                                           name + 6, name + 9, name + 11, name + 13);
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);

  return t ? g_date_time_to_unix (t) : 0;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* GET /recordings?room=ID */
static void
recordings_list (const BridgeSettings *settings, SoupServerMessage *msg, const gchar *room)
{
  g_autofree gchar *dir_path = g_build_filename (settings->recordings_dir, room, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  gchar *text;
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (bridge_recordings_name_valid (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "recordings");
  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *n = g_ptr_array_index (names, i);
      g_autofree gchar *path = g_build_filename (dir_path, n, NULL);
      g_autofree gchar *started = NULL;
      GStatBuf st;
      gint64 start = name_started_at (n);

      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      started = vc_time_format_utc (start);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "room");
      json_builder_add_string_value (b, room);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, n);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, (gint64)st.st_size);
      /* from its first second to its last write */
      json_builder_set_member_name (b, "seconds");
      json_builder_add_int_value (b, MAX ((gint64)st.st_mtime - start, 0));
      json_builder_set_member_name (b, "started_at");
      json_builder_add_string_value (b, started);
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, !bridge_record_is_writing (path));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
  soup_server_message_set_status (msg, 200, NULL);
}

/* GET /recordings/{room}/{name}: the whole file, or one byte range. A Range
 * header that is not a valid bytes range is refused (400); one that lies
 * past the end is 416; several ranges get the whole file (RFC 9110 lets a
 * server ignore Range). */
static void
recordings_send (SoupServerMessage *msg, const gchar *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  g_autoptr (GBytes) bytes = NULL;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  SoupRange *ranges = NULL;
  gint n_ranges = 0;
  goffset size;

  if (file == NULL)
    {
      reply_error (msg, 404, "not_found", "no such recording");
      return;
    }
  bytes = g_mapped_file_get_bytes (file);
  size = (goffset)g_bytes_get_size (bytes);
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  if (soup_message_headers_get_one (request, "Range") != NULL)
    {
      if (!soup_message_headers_get_ranges (request, G_MAXINT64, &ranges, &n_ranges))
        {
          reply_error (msg, 400, "malformed", "'Range' must be a valid bytes range");
          return;
        }
      soup_message_headers_free_ranges (request, ranges);
      ranges = NULL;
      /* libsoup 3.2 clamps a range that begins at the end to an empty one */
      if (!soup_message_headers_get_ranges (request, size, &ranges, &n_ranges) || n_ranges < 1
          || ranges[0].start >= size || ranges[0].end < ranges[0].start)
        {
          if (ranges != NULL)
            soup_message_headers_free_ranges (request, ranges);
          g_autofree gchar *content_range = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, size);
          soup_message_headers_replace (response, "Content-Range", content_range);
          reply_error (msg, 416, "range", "the range lies past the end of the recording");
          return;
        }
      if (n_ranges == 1)
        {
          g_autoptr (GBytes) part = g_bytes_new_from_bytes (
              bytes, (gsize)ranges[0].start, (gsize)(ranges[0].end - ranges[0].start + 1));
          soup_message_headers_set_content_range (response, ranges[0].start, ranges[0].end, size);
          soup_message_headers_free_ranges (request, ranges);
          soup_message_headers_set_content_type (response, "video/webm", NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), part);
          soup_server_message_set_status (msg, 206, NULL);
          return;
        }
      soup_message_headers_free_ranges (request, ranges);
    }
  soup_message_headers_set_content_type (response, "video/webm", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
recordings_delete (SoupServerMessage *msg, const gchar *path)
{
  if (bridge_record_is_writing (path))
    {
      reply_error (msg, 409, "busy", "the segment is still being written");
      return;
    }
  if (g_unlink (path) != 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        reply_error (msg, 404, "not_found", "no such recording");
      else
        reply_error (msg, 500, "internal", g_strerror (saved));
      return;
    }
  soup_server_message_set_status (msg, 204, NULL);
}

void
bridge_recordings_http_handle (const BridgeSettings *settings, SoupServerMessage *msg,
                               const gchar *path, GHashTable *query)
{
  g_auto (GStrv) parts = g_strsplit (path + 1, "/", 0); /* "recordings", room, name */
  guint n = g_strv_length (parts);
  const gchar *method = soup_server_message_get_method (msg);

  if (n == 1 || (n == 2 && *parts[1] == '\0'))
    {
      const gchar *room = query ? g_hash_table_lookup (query, "room") : NULL;
      if (!g_str_equal (method, "GET"))
        reply_error (msg, 405, "method", "method not allowed here");
      else if (!bridge_record_room_id_valid (room))
        reply_error (msg, 400, "invalid", "'room' must be a room id (1 to 64 of A-Z a-z 0-9 - _)");
      else
        recordings_list (settings, msg, room);
      return;
    }
  if (n != 3)
    {
      reply_error (msg, 404, "not_found", "no such resource");
      return;
    }
  if (!bridge_record_room_id_valid (parts[1]) || !bridge_recordings_name_valid (parts[2]))
    {
      reply_error (msg, 400, "invalid", "not a recording's room id and name");
      return;
    }
  {
    g_autofree gchar *file = g_build_filename (settings->recordings_dir, parts[1], parts[2], NULL);
    GStatBuf st;

    if (g_lstat (file, &st) != 0 || !S_ISREG (st.st_mode))
      reply_error (msg, 404, "not_found", "no such recording");
    else if (g_str_equal (method, "GET"))
      recordings_send (msg, file);
    else if (g_str_equal (method, "DELETE"))
      recordings_delete (msg, file);
    else
      reply_error (msg, 405, "method", "method not allowed here");
  }
}
