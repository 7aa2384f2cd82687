/* media-test.c — see media-test.h. */
#include "media-test.h"

#include <string.h>

gboolean
media_test_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
on_elapsed (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void
media_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_elapsed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GBytes *body;
  guint status;
  gboolean done;
} HttpResult;

static void
on_http_done (GObject *source, GAsyncResult *res, gpointer data)
{
  HttpResult *r = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), res);

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, NULL);
  r->status = soup_message_get_status (msg);
  r->done = TRUE;
}

guint
media_test_send (SoupSession *session, SoupMessage *msg, GBytes **out_body)
{
  HttpResult r = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_http_done, &r);
  WAIT_UNTIL (r.done, 30);
  if (out_body != NULL)
    *out_body = r.body ? g_bytes_ref (r.body) : g_bytes_new (NULL, 0);
  g_clear_pointer (&r.body, g_bytes_unref);
  return r.status;
}

guint
media_test_http (SoupSession *session, const gchar *base, const gchar *method, const gchar *path,
                 const gchar *auth, const gchar *body, const gchar *range, GBytes **out_body,
                 SoupMessageHeaders **out_headers)
{
  g_autofree gchar *uri = g_strconcat (base, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  guint status;

  g_assert_nonnull (msg);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  status = media_test_send (session, msg, out_body);
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return status;
}

guint
media_test_http_text (SoupSession *session, const gchar *base, const gchar *method,
                      const gchar *path, const gchar *auth, const gchar *body, gchar **out_text)
{
  g_autoptr (GBytes) bytes = NULL;
  guint status = media_test_http (session, base, method, path, auth, body, NULL,
                                  out_text != NULL ? &bytes : NULL, NULL);

  if (out_text != NULL)
    *out_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return status;
}

GSubprocessLauncher *
media_test_child_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  const gchar *debug = g_getenv ("G_DEBUG");

  if (debug != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (debug, ",", -1);
      g_autoptr (GStrvBuilder) kept = g_strv_builder_new ();
      g_auto (GStrv) list = NULL;
      g_autofree gchar *value = NULL;

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0' && g_strcmp0 (parts[i], "fatal-criticals") != 0)
          g_strv_builder_add (kept, parts[i]);
      list = g_strv_builder_end (kept);
      value = g_strjoinv (",", list);
      g_subprocess_launcher_setenv (launcher, "G_DEBUG", value, TRUE);
    }
  return launcher;
}

JsonObject *
media_test_find_participant (JsonObject *room, const gchar *endpoint)
{
  JsonArray *list = json_object_get_array_member (room, "participants");

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      if (g_str_equal (json_object_get_string_member (p, "endpoint"), endpoint))
        return p;
    }
  return NULL;
}
