/* sched-recordings-api.c — the recordings archive over HTTP; see the
 * header.
 *
 * A browser's <video> element cannot send the API's Bearer header, so each
 * listed recording also carries a play link: its URL with ?expires=&sig=,
 * an HMAC-SHA256 (GHmac) of the recording's id and the expiry under a key
 * drawn at start (vc-secret). Only a caller who may read the recording is
 * given one; it opens that one recording for LINK_SECONDS and dies with a
 * restart (list again). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-recordings-api.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-meeting.h"
#include "sched-model-recording.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define RECORDINGS_PREFIX "/api/v1/recordings"
#define LINK_SECONDS 3600

typedef struct
{
  SchedContext *ctx;
  SchedBridge *bridge;
  SchedRecorder *recorder;
  gchar *link_key;
} RecordingsApi;

static RecordingsApi api_state; /* one scheduler per process */

static void
recordings_reply_method_not_allowed (SoupServerMessage *msg, const gchar *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n",
                         -1);
}

/* A decimal id from 1 to 2^63-1, digits only ("+1", "1e3", " 1" are not). */
static gboolean
recordings_parse_id (const gchar *text, gint64 *id)
{
  guint64 v = 0;

  if (text == NULL || !g_ascii_isdigit (*text)
      || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return FALSE;
  *id = (gint64)v;
  return TRUE;
}

/* ---- access ---- */

/* Admins and managers read every meeting's recordings, a secretariat
 * those of its unit's meetings, a room none. */
static gboolean
recordings_may_read (const SchedPrincipal *who, const SchedMeeting *meeting, GError **error)
{
  if (who->role == SCHED_ROLE_ADMIN || who->role == SCHED_ROLE_MANAGER)
    return TRUE;
  if (who->role == SCHED_ROLE_SECRETARIAT && g_strcmp0 (who->unit, meeting->unit) == 0)
    return TRUE;
  if (who->role == SCHED_ROLE_SECRETARIAT)
    g_set_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                 "the secretariat of %s may not read the recordings of %s's meetings", who->unit,
                 meeting->unit);
  else
    g_set_error_literal (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                         "a room token may not read recordings");
  return FALSE;
}

static gchar *
recordings_link_signature (RecordingsApi *api, gint64 id, gint64 expires)
{
  g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, id, expires);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *)api->link_key,
                                    strlen (api->link_key), text, -1);
}

/* Whether ?expires=&sig= open recording @id now. */
static gboolean
recordings_link_valid (RecordingsApi *api, gint64 id, GHashTable *query)
{
  const gchar *expires_text = sched_http_query (query, "expires");
  const gchar *sig = sched_http_query (query, "sig");
  g_autofree gchar *expected = NULL;
  guint64 expires = 0;

  if (expires_text == NULL || sig == NULL
      || !g_ascii_string_to_unsigned (expires_text, 10, 1, G_MAXINT64, &expires, NULL)
      || (gint64)expires <= vc_time_now ())
    return FALSE;
  expected = recordings_link_signature (api, id, (gint64)expires);
  return vc_secret_equal (expected, sig);
}

/* ---- GET /api/v1/meetings/{id}/recordings ---- */

static void
recordings_add_live_state (RecordingsApi *api, JsonBuilder *b, gint64 meeting_id)
{
  JsonNode *room = api->bridge ? sched_bridge_get_room (api->bridge, meeting_id) : NULL;
  JsonNode *live = NULL;
  JsonNode *state = NULL;

  if (room && JSON_NODE_HOLDS_OBJECT (room))
    live = json_object_get_member (json_node_get_object (room), "recording");
  if (live && JSON_NODE_HOLDS_OBJECT (live))
    state = json_object_get_member (json_node_get_object (live), "state");
  json_builder_set_member_name (b, "state");
  if (state && JSON_NODE_HOLDS_VALUE (state) && json_node_get_value_type (state) == G_TYPE_STRING)
    json_builder_add_string_value (b, json_node_get_string (state));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "live");
  if (live && JSON_NODE_HOLDS_OBJECT (live))
    json_builder_add_value (b, json_node_copy (live));
  else
    json_builder_add_null_value (b);
}

static void
recordings_list (RecordingsApi *api, const SchedPrincipal *who, SoupServerMessage *msg,
                 gint64 meeting_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) meeting = NULL;
  g_autoptr (GPtrArray) found
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_recording_free);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 total_bytes = 0, expires = vc_time_now () + LINK_SECONDS;
  gdouble total_seconds = 0;

  if (who->role == SCHED_ROLE_ENDPOINT)
    {
      g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                           "a room token may not read recordings");
      goto fail;
    }
  if ((meeting = sched_meeting_load (api->ctx->db, meeting_id, &error)) == NULL
      || !recordings_may_read (who, meeting, &error)
      || !sched_recording_list_meeting (api->ctx->db, meeting_id, found, &error))
    goto fail;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "meeting");
  json_builder_add_int_value (b, meeting_id);
  json_builder_set_member_name (b, "record");
  json_builder_add_boolean_value (b, meeting->record);
  json_builder_set_member_name (b, "recordings");
  json_builder_begin_array (b);
  for (guint i = 0; i < found->len; i++)
    {
      const SchedRecording *r = g_ptr_array_index (found, i);
      g_autofree gchar *url = g_strdup_printf (RECORDINGS_PREFIX "/%" G_GINT64_FORMAT, r->id);
      g_autofree gchar *sig = recordings_link_signature (api, r->id, expires);
      g_autofree gchar *play
          = g_strdup_printf ("%s?expires=%" G_GINT64_FORMAT "&sig=%s", url, expires, sig);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, r->id);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, url);
      json_builder_set_member_name (b, "play_url");
      json_builder_add_string_value (b, play);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "segment");
      json_builder_add_int_value (b, r->segment);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, r->bytes);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, r->seconds);
      sched_json_add_time (b, "started_at", r->started_at);
      json_builder_end_object (b);
      total_bytes += r->bytes;
      total_seconds += r->seconds;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, total_bytes);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, total_seconds);
  json_builder_set_member_name (b, "segments");
  json_builder_add_int_value (b, found->len);
  recordings_add_live_state (api, b, meeting_id);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* ---- POST /api/v1/meetings/{id}/recording {"action": "pause"|"resume"} ---- */

static void
on_recording_control_answer (guint status, GBytes *body, const GError *bridge_error,
                             gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  g_autoptr (GError) error = NULL;

  if (status == 0)
    g_set_error (&error, SCHED_ERROR, SCHED_ERROR_UNAVAILABLE, "bridge unreachable: %s",
                 bridge_error ? bridge_error->message : "unknown error");
  else if (status == SOUP_STATUS_CONFLICT)
    sched_error_set_reason (&error, SCHED_ERROR_CONFLICT, NULL, "not_recording",
                            "the meeting's room is not recording");
  else if (status == SOUP_STATUS_NOT_FOUND)
    sched_error_set_reason (&error, SCHED_ERROR_CONFLICT, NULL, "no_room",
                            "the meeting's room is not open on the bridge");
  else if (status < 200 || status > 299)
    g_set_error (&error, SCHED_ERROR, SCHED_ERROR_UNAVAILABLE, "the bridge answered %u", status);
  if (error)
    sched_http_reply_error (msg, error);
  else
    {
      gsize len = 0;
      const gchar *data = g_bytes_get_data (body, &len);

      sched_http_reply_text (msg, SOUP_STATUS_OK, "application/json; charset=utf-8",
                             data && len ? data : "{}", data && len ? (gssize)len : 2);
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static void
recordings_control (RecordingsApi *api, const SchedPrincipal *who, SoupServerMessage *msg,
                    gint64 meeting_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) meeting = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  const gchar *action;
  JsonObject *o;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      recordings_reply_method_not_allowed (msg, "POST");
      return;
    }
  if ((meeting = sched_meeting_load (api->ctx->db, meeting_id, &error)) == NULL
      || !sched_auth_can_run_meeting (api->ctx->db, who, meeting->unit, meeting->chair, &error)
      || (o = sched_http_read_json_object (api->ctx, msg, &root, &error)) == NULL
      || (action = sched_json_get_string (o, "action", TRUE, &error)) == NULL)
    goto fail;
  if (!g_str_equal (action, "pause") && !g_str_equal (action, "resume"))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "action", "is pause or resume");
      goto fail;
    }
  if (api->bridge == NULL || sched_bridge_get_room (api->bridge, meeting_id) == NULL)
    {
      sched_error_set_reason (&error, SCHED_ERROR_CONFLICT, NULL, "no_room",
                              "the meeting's room is not open on the bridge");
      goto fail;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b,
                                 g_str_equal (action, "pause") ? "record_pause" : "record_resume");
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  soup_server_message_pause (msg);
  sched_bridge_control (api->bridge, meeting_id, body, on_recording_control_answer,
                        g_object_ref (msg));
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* The SchedContext hook for /api/v1/meetings/{id}/recordings|recording. */
static void
hook_meeting_recordings (SchedContext *ctx, const SchedPrincipal *who, SoupServerMessage *msg,
                         gint64 meeting_id, const gchar *action)
{
  RecordingsApi *api = &api_state;

  if (g_str_equal (action, "recording"))
    recordings_control (api, who, msg, meeting_id);
  else if (g_strcmp0 (soup_server_message_get_method (msg), "GET") == 0
           || g_strcmp0 (soup_server_message_get_method (msg), "HEAD") == 0)
    recordings_list (api, who, msg, meeting_id);
  else
    recordings_reply_method_not_allowed (msg, "GET");
}

/* ---- GET /api/v1/recordings/{id}: the file, with ranges ---- */

/* Range: bytes=A-B | bytes=A- | bytes=-N, one range. Sets [*first, *last]
 * (inclusive) within @size; BAD_RANGE when malformed (several ranges
 * included), RANGE_NOT_SATISFIABLE when it starts past the end. */
static gboolean
recordings_parse_range (const gchar *header, gint64 size, gint64 *first, gint64 *last,
                        GError **error)
{
  g_autofree gchar *spec = NULL;
  gchar *dash;
  guint64 a = 0, b = 0;
  gboolean has_a, has_b;

  if (!g_str_has_prefix (header, "bytes=") || strchr (header, ',') != NULL)
    goto bad;
  spec = g_strstrip (g_strdup (header + strlen ("bytes=")));
  dash = strchr (spec, '-');
  if (dash == NULL)
    goto bad;
  *dash = '\0';
  has_a = *spec != '\0';
  has_b = dash[1] != '\0';
  if ((has_a
       && (!g_ascii_isdigit (*spec)
           || !g_ascii_string_to_unsigned (spec, 10, 0, G_MAXINT64, &a, NULL)))
      || (has_b
          && (!g_ascii_isdigit (dash[1])
              || !g_ascii_string_to_unsigned (dash + 1, 10, 0, G_MAXINT64, &b, NULL)))
      || (!has_a && !has_b) || (has_a && has_b && b < a))
    goto bad;
  if (!has_a)
    {
      /* the last b bytes */
      if (b == 0 || size == 0)
        goto unsatisfiable;
      *first = size - (gint64)MIN (b, (guint64)size);
      *last = size - 1;
      return TRUE;
    }
  if ((gint64)a >= size)
    goto unsatisfiable;
  *first = (gint64)a;
  *last = has_b ? MIN ((gint64)b, size - 1) : size - 1;
  return TRUE;

bad:
  sched_error_set_field (error, SCHED_ERROR_BAD_RANGE, "Range",
                         "must be one range: bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX");
  return FALSE;
unsatisfiable:
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_RANGE_NOT_SATISFIABLE,
               "the range starts past the end of the %" G_GINT64_FORMAT "-byte recording", size);
  return FALSE;
}

static void
recordings_send_file (RecordingsApi *api, SoupServerMessage *msg, const SchedRecording *r)
{
  g_autofree gchar *path = sched_recorder_file_path (api->ctx->settings, r->meeting_id, r->name);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  g_autoptr (GBytes) all = NULL;
  g_autoptr (GBytes) part = NULL;
  g_autofree gchar *etag = NULL;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const gchar *range = soup_message_headers_get_one (request, "Range");
  gint64 size, first = 0, last = 0;

  if (file == NULL)
    {
      g_warning ("recording %" G_GINT64_FORMAT ": %s", r->id, error->message);
      g_clear_error (&error);
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND,
                   "the file of recording %" G_GINT64_FORMAT " is missing", r->id);
      sched_http_reply_error (msg, error);
      return;
    }
  all = g_mapped_file_get_bytes (file);
  size = (gint64)g_bytes_get_size (all);
  etag = g_strdup_printf ("\"rec-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\"", r->id, size);
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  soup_message_headers_replace (response, "ETag", etag);
  if (range && !recordings_parse_range (range, size, &first, &last, &error))
    {
      if (g_error_matches (error, SCHED_ERROR, SCHED_ERROR_RANGE_NOT_SATISFIABLE))
        {
          g_autofree gchar *content_range = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, size);
          soup_message_headers_replace (response, "Content-Range", content_range);
        }
      sched_http_reply_error (msg, error);
      return;
    }
  soup_server_message_set_status (msg, range ? SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (response, "Cache-Control", "private, no-cache");
  soup_message_headers_set_content_type (response, "video/webm", NULL);
  if (range)
    {
      g_autofree gchar *content_range = g_strdup_printf (
          "bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, first, last, size);
      soup_message_headers_replace (response, "Content-Range", content_range);
      part = g_bytes_new_from_bytes (all, (gsize)first, (gsize)(last - first + 1));
    }
  else
    part = g_bytes_ref (all);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), part);
}

/* DELETE: admin only; the file goes, the row is marked, the audit says who. */
static void
recordings_delete (RecordingsApi *api, const SchedPrincipal *who, SoupServerMessage *msg,
                   const SchedRecording *r)
{
  g_autofree gchar *path = sched_recorder_file_path (api->ctx->settings, r->meeting_id, r->name);
  g_autofree gchar *actor = sched_principal_describe (who);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) detail = NULL;
  SchedDb *db = api->ctx->db;
  gint64 now = vc_time_now ();

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "removing the file: %s",
                   g_strerror (errno));
      goto fail;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "recording");
  json_builder_add_int_value (b, r->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, r->name);
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, r->bytes);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (!sched_db_begin_immediate (db, &error))
    goto fail;
  if (!sched_recording_mark_deleted (db, r->id, now, actor, &error)
      || !sched_audit_record (db, now, actor, "recording_deleted", r->meeting_id, detail, &error)
      || !sched_db_commit (db, &error))
    {
      sched_db_rollback (db);
      goto fail;
    }
  g_message ("recording %" G_GINT64_FORMAT " of meeting %" G_GINT64_FORMAT " deleted by %s", r->id,
             r->meeting_id, actor);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* main thread */
static void
on_recordings_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                       GHashTable *query, gpointer user_data)
{
  RecordingsApi *api = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  gboolean read = g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0;
  g_auto (GStrv) seg = sched_http_path_segments (path, RECORDINGS_PREFIX);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = NULL;
  g_autoptr (SchedRecording) r = NULL;
  g_autoptr (SchedMeeting) meeting = NULL;
  gint64 id = 0;
  gboolean by_link;

  if (!read && g_strcmp0 (method, "DELETE") != 0)
    {
      recordings_reply_method_not_allowed (msg, "GET, DELETE");
      return;
    }
  /* A number, and nothing else: no name, no dot, no slash reaches a path. */
  if (seg == NULL || seg[0] == NULL || seg[1] != NULL || !recordings_parse_id (seg[0], &id))
    {
      /* who asks still matters: an anonymous caller learns nothing */
      if ((who = sched_http_authenticate (api->ctx, msg, &error)) == NULL)
        sched_http_reply_error (msg, error);
      else
        {
          g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND,
                       "a recording is named by its number");
          sched_http_reply_error (msg, error);
        }
      return;
    }
  by_link = read && recordings_link_valid (api, id, query);
  if (!by_link)
    {
      if ((who = sched_http_authenticate (api->ctx, msg, &error)) == NULL)
        goto fail;
      if (who->role == SCHED_ROLE_ENDPOINT)
        {
          g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                               "a room token may not read recordings");
          goto fail;
        }
    }
  if ((r = sched_recording_get (api->ctx->db, id, &error)) == NULL)
    goto fail;
  if (r->deleted_at)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND,
                   "recording %" G_GINT64_FORMAT " was deleted", id);
      goto fail;
    }
  if (!read)
    {
      if (!sched_auth_require_admin (who, &error))
        goto fail;
      recordings_delete (api, who, msg, r);
      return;
    }
  if (!by_link
      && ((meeting = sched_meeting_load (api->ctx->db, r->meeting_id, &error)) == NULL
          || !recordings_may_read (who, meeting, &error)))
    goto fail;
  recordings_send_file (api, msg, r);
  return;

fail:
  sched_http_reply_error (msg, error);
}

void
sched_recordings_api_register (SchedContext *ctx, SoupServer *server, SchedBridge *bridge,
                               SchedRecorder *recorder)
{
  g_autoptr (GError) error = NULL;

  api_state = (RecordingsApi){ .ctx = ctx, .bridge = bridge, .recorder = recorder };
  api_state.link_key = vc_secret_new_token (&error);
  if (api_state.link_key == NULL)
    g_error ("recordings: no random key for play links: %s", error->message);
  ctx->meeting_recordings = hook_meeting_recordings;
  soup_server_add_handler (server, RECORDINGS_PREFIX, on_recordings_request, &api_state, NULL);
}

void
sched_recordings_api_unregister (SchedContext *ctx, SoupServer *server)
{
  ctx->meeting_recordings = NULL;
  soup_server_remove_handler (server, RECORDINGS_PREFIX);
  g_free (api_state.link_key);
  api_state = (RecordingsApi){ 0 };
}
