/* sched-api-meetings.c — /api/v1/meetings: list, book, read, change,
 * cancel, extend, end, a meeting's attendance, and the preview of a
 * booking; …/recordings and …/recording go to the live side's hook
 * (SchedContext.meeting_recordings), …/uplink to SchedContext.meeting_uplink. The rules live in
 * sched-booking*.c; this file maps HTTP onto them. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-api.h"

#include "sched-attendance.h"
#include "sched-booking.h"
#include "sched-error.h"
#include "sched-http.h"

#include <string.h>

#define MEETINGS_PREFIX "/api/v1/meetings"
#define LIST_DEFAULT_DAYS 31
#define LIST_MAX 1000

void
sched_api_reply_method_not_allowed (SoupServerMessage *msg, const gchar *allow)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, "method_not_allowed");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "this method is not allowed here");
  json_builder_end_object (b);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  sched_http_reply_builder (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, b);
}

void
sched_api_reply_not_found (SoupServerMessage *msg, const gchar *path)
{
  g_autoptr (GError) error
      = g_error_new (SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "nothing at %s", path);

  sched_http_reply_error (msg, error);
}

gboolean
sched_api_parse_id (const gchar *text, gint64 *id)
{
  guint64 v;

  if (text == NULL || !g_ascii_isdigit (*text)
      || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return FALSE;
  *id = (gint64)v;
  return TRUE;
}

/* If-Match: "3", "\"3\"" or W/"3"; -1 when absent. FALSE when malformed. */
static gboolean
meetings_if_match (SoupServerMessage *msg, gint64 *version, GError **error)
{
  const gchar *v
      = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-Match");
  g_autofree gchar *digits = NULL;
  guint64 n;

  *version = -1;
  if (v == NULL)
    return TRUE;
  if (g_str_has_prefix (v, "W/"))
    v += 2;
  digits = g_strdup (v);
  g_strstrip (digits);
  if (digits[0] == '"')
    {
      gsize len = strlen (digits);
      if (len < 2 || digits[len - 1] != '"')
        goto bad;
      digits[len - 1] = '\0';
      memmove (digits, digits + 1, len - 1);
    }
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64, &n, NULL))
    goto bad;
  *version = (gint64)n;
  return TRUE;

bad:
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_PRECONDITION_FAILED,
               "If-Match must carry the meeting's version, e.g. \"3\"");
  return FALSE;
}

static void
meetings_reply_meeting (SoupServerMessage *msg, guint status, JsonNode *node)
{
  JsonObject *o = json_node_get_object (node);
  g_autofree gchar *etag
      = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", json_object_get_int_member (o, "version"));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  sched_http_reply_json (msg, status, node);
}

static void
meetings_list (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
               GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_meeting_free);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  SchedMeetingFilter f = { 0 };
  gint64 now = sched_core_now (core), limit = 500;
  const gchar *text;

  f.unit = sched_http_query (query, "unit");
  f.endpoint = sched_http_query (query, "endpoint");
  f.status = sched_http_query (query, "status");
  if (!sched_http_query_time (query, "from", core->ctx->tz, now - 86400, &f.from, &error)
      || !sched_http_query_time (query, "to", core->ctx->tz, f.from + LIST_DEFAULT_DAYS * 86400,
                                 &f.to, &error))
    goto fail;
  if (f.status && !sched_meeting_status_is_valid (f.status))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "status",
                             "must be scheduled, cancelled, displaced or ended");
      goto fail;
    }
  if ((text = sched_http_query (query, "limit"))
      && !g_ascii_string_to_signed (text, 10, 1, LIST_MAX, &limit, NULL))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "limit", "must be from 1 to %d",
                             LIST_MAX);
      goto fail;
    }
  if (who->role == SCHED_ROLE_ENDPOINT)
    {
      if (f.endpoint && g_strcmp0 (f.endpoint, who->endpoint) != 0)
        {
          g_set_error (&error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                       "a room reads only its own schedule");
          goto fail;
        }
      f.endpoint = who->endpoint;
    }
  f.limit = (gint)limit;
  if (!sched_meeting_list (core->ctx->db, &f, found, &error))
    goto fail;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "meetings");
  json_builder_begin_array (b);
  for (guint i = 0; i < found->len; i++)
    sched_meeting_to_json (g_ptr_array_index (found, i), b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* Loads a meeting the caller may read (a room: only its own meetings). */
static SchedMeeting *
meetings_load_readable (SchedCore *core, const SchedPrincipal *who, gint64 id, GError **error)
{
  g_autoptr (SchedMeeting) m = sched_meeting_load (core->ctx->db, id, error);

  if (m && who->role == SCHED_ROLE_ENDPOINT && !sched_meeting_has_endpoint (m, who->endpoint))
    {
      g_clear_pointer (&m, sched_meeting_free);
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                   "room %s is not in meeting %" G_GINT64_FORMAT, who->endpoint, id);
    }
  return g_steal_pointer (&m);
}

/* The booking itself runs in the next group commit (sched-booking-batch.c),
 * which answers the message. */
static void
meetings_create (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (sched_http_read_json_object (core->ctx, msg, &root, &error) == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  sched_booking_enqueue (core, who, msg, root);
}

/* POST /api/v1/meetings/preview: what a booking would be, nothing written. */
static void
meetings_preview (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) reply = NULL;
  JsonObject *request = sched_http_read_json_object (core->ctx, msg, &root, &error);

  if (request == NULL || (reply = sched_booking_preview (core, who, request, &error)) == NULL)
    sched_http_reply_error (msg, error);
  else
    sched_http_reply_json (msg, SOUP_STATUS_OK, reply);
}

/* ?scope=this|following|series (default this). */
static gboolean
meetings_scope (GHashTable *query, SchedBookingScope *scope, GError **error)
{
  const gchar *text = sched_http_query (query, "scope");

  *scope = SCHED_BOOKING_SCOPE_THIS;
  if (text == NULL || *text == '\0' || g_str_equal (text, "this"))
    return TRUE;
  if (g_str_equal (text, "following"))
    *scope = SCHED_BOOKING_SCOPE_FOLLOWING;
  else if (g_str_equal (text, "series"))
    *scope = SCHED_BOOKING_SCOPE_SERIES;
  else
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "scope", "is this, following or series");
      return FALSE;
    }
  return TRUE;
}

/* PATCH, DELETE, extend, end: the calls that change one meeting (PATCH and
 * DELETE also the following occurrences of its series, or all). */
static void
meetings_change (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg, gint64 id,
                 const gchar *action, GHashTable *query)
{
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) reply = NULL;
  JsonObject *request = NULL;
  gint64 if_match = -1;
  SchedBookingScope scope = SCHED_BOOKING_SCOPE_THIS;

  if (!meetings_if_match (msg, &if_match, &error) || !meetings_scope (query, &scope, &error))
    goto fail;
  if (action == NULL && g_strcmp0 (method, "DELETE") == 0)
    reply = sched_booking_cancel_scope (core, who, id, if_match, scope, &error);
  else if (g_strcmp0 (action, "end") == 0)
    reply = sched_booking_end (core, who, id, &error);
  else if ((request = sched_http_read_json_object (core->ctx, msg, &root, &error)) == NULL)
    goto fail;
  else if (action == NULL)
    reply = sched_booking_patch_scope (core, who, id, if_match, scope, request, &extra, &error);
  else
    reply = sched_booking_extend (core, who, id, request, &extra, &error);
  if (reply == NULL)
    goto fail;
  meetings_reply_meeting (msg, SOUP_STATUS_OK, reply);
  return;

fail:
  sched_http_reply_error_with (msg, error, extra);
}

static void
meetings_read (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg, gint64 id,
               gboolean attendance)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) m = meetings_load_readable (core, who, id, &error);
  g_autoptr (JsonNode) node = NULL;

  if (m == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  if (!attendance)
    {
      node = sched_meeting_to_node (m);
      meetings_reply_meeting (msg, SOUP_STATUS_OK, node);
      return;
    }
  node = sched_attendance_report (core, m, who->role == SCHED_ROLE_ENDPOINT ? who->endpoint : NULL,
                                  &error);
  if (node == NULL)
    sched_http_reply_error (msg, error);
  else
    sched_http_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
meetings_dispatch_one (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                       const gchar *path, GStrv segments, GHashTable *query)
{
  const gchar *method = soup_server_message_get_method (msg);
  const gchar *action = segments[1];
  gint64 id = 0;

  if (!sched_api_parse_id (segments[0], &id) || (action && segments[2]))
    {
      sched_api_reply_not_found (msg, path);
      return;
    }
  if (action == NULL)
    {
      if (g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0)
        meetings_read (core, who, msg, id, FALSE);
      else if (g_strcmp0 (method, "PATCH") == 0 || g_strcmp0 (method, "DELETE") == 0)
        meetings_change (core, who, msg, id, NULL, query);
      else
        sched_api_reply_method_not_allowed (msg, "GET, PATCH, DELETE");
    }
  else if (g_strcmp0 (action, "attendance") == 0)
    {
      if (g_strcmp0 (method, "GET") == 0)
        meetings_read (core, who, msg, id, TRUE);
      else
        sched_api_reply_method_not_allowed (msg, "GET");
    }
  else if (g_strcmp0 (action, "recordings") == 0 || g_strcmp0 (action, "recording") == 0)
    {
      if (core->ctx->meeting_recordings)
        core->ctx->meeting_recordings (core->ctx, who, msg, id, action);
      else
        sched_api_reply_not_found (msg, path);
    }
  else if (g_strcmp0 (action, "uplink") == 0)
    {
      if (core->ctx->meeting_uplink)
        core->ctx->meeting_uplink (core->ctx, who, msg, id);
      else
        sched_api_reply_not_found (msg, path);
    }
  else if (g_strcmp0 (action, "extend") == 0 || g_strcmp0 (action, "end") == 0)
    {
      if (g_strcmp0 (method, "POST") == 0)
        meetings_change (core, who, msg, id, action, query);
      else
        sched_api_reply_method_not_allowed (msg, "POST");
    }
  else
    sched_api_reply_not_found (msg, path);
}

/* main thread */
static void
on_meetings_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                     GHashTable *query, gpointer user_data)
{
  SchedCore *core = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_auto (GStrv) segments = NULL;

  if (who == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  segments = sched_http_path_segments (path, MEETINGS_PREFIX);
  if (g_strcmp0 (segments[0], "preview") == 0 && segments[1] == NULL)
    {
      if (g_strcmp0 (method, "POST") == 0)
        meetings_preview (core, who, msg);
      else
        sched_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (segments[0] != NULL)
    {
      meetings_dispatch_one (core, who, msg, path, segments, query);
      return;
    }
  if (g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0)
    meetings_list (core, who, msg, query);
  else if (g_strcmp0 (method, "POST") == 0)
    meetings_create (core, who, msg);
  else
    sched_api_reply_method_not_allowed (msg, "GET, POST");
}

void
sched_api_meetings_register (SchedCore *core, SoupServer *server)
{
  soup_server_add_handler (server, MEETINGS_PREFIX, on_meetings_request, core, NULL);
}
