/* sched-recordings.c — fetching recordings from the bridge, and their
 * retention; see the header.
 *
 * A TICK_SECONDS timer lists the meetings that have started (or start
 * within the room opening lead) and were not over more than
 * LOOKBACK_SECONDS ago, whatever their record flag now (one turned off
 * mid-meeting leaves what was recorded before). Each one is listed on the bridge at most every
 * LIST_SECONDS while its room may be open; once it is over and the bridge
 * lists nothing for it, it is done until the scheduler restarts. A failed
 * list or download backs off that meeting (RETRY_FIRST_SECONDS, doubling up
 * to RETRY_MAX_SECONDS).
 *
 * Downloads run one at a time from a queue:
 *
 *   GET /recordings/ID/NAME ──▶ DIR/ID/.NAME.part (spliced, async)
 *     ──byte count = listed──▶ rename to DIR/ID/NAME ──▶ INSERT row
 *     ──▶ DELETE /recordings/ID/NAME on the bridge
 *
 * Anything else (an error status, a connection lost half-way, a short or
 * long file) removes the partial file and leaves the bridge's copy alone.
 * A segment whose row exists already (the DELETE's answer was lost) is only
 * deleted on the bridge again. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-recordings.h"

#include "sched-agent-schedule.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-meeting.h"
#include "sched-model-recording.h"
#include "vc-time.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define TICK_SECONDS 2
#define LIST_SECONDS 60
#define RETRY_FIRST_SECONDS 2
#define RETRY_MAX_SECONDS 300
#define LOOKBACK_SECONDS (7 * 86400)
#define SWEEP_SECONDS 86400

typedef struct
{
  gint64 id;
  gboolean listing; /* a GET /recordings is in flight */
  gboolean done;    /* over, and nothing left on the bridge */
  gint64 next_at;   /* monotonic µs: no list before */
  guint failures;   /* in a row, for the back-off */
} MeetingFetch;

typedef struct
{
  gint64 meeting_id;
  gchar *name;
  gint64 bytes;
  gdouble seconds;
  gint64 started_at;
  gboolean stored; /* the row exists: only the bridge's copy is to delete */
} Segment;

struct _SchedRecorder
{
  SchedContext *ctx;
  SoupSession *session;
  GCancellable *cancellable;
  GHashTable *meetings; /* gint64* → MeetingFetch* */
  GQueue *queue;        /* Segment*, waiting */
  Segment *current;     /* being downloaded or deleted, NULL: idle */
  guint tick_id;
  guint sweep_id;
  guint kick_id;
};

/* One asynchronous step's state; holds a reference to the recorder's
 * cancellable so that a callback after sched_recorder_free() touches
 * nothing but itself. */
typedef struct
{
  SchedRecorder *recorder;
  GCancellable *cancellable;
  SoupMessage *msg;
  gint64 meeting_id;
  GInputStream *input;
  gchar *part_path;
  gchar *final_path;
} Transfer;

static void recorder_next (SchedRecorder *recorder);

static void
segment_free (Segment *s)
{
  g_free (s->name);
  g_free (s);
}

static void
transfer_free (Transfer *t)
{
  g_clear_object (&t->cancellable);
  g_clear_object (&t->msg);
  g_clear_object (&t->input);
  if (t->part_path)
    g_unlink (t->part_path); /* still there: the transfer failed */
  g_free (t->part_path);
  g_free (t->final_path);
  g_free (t);
}

gchar *
sched_recorder_file_path (const SchedSettings *settings, gint64 meeting_id, const gchar *name)
{
  g_autofree gchar *folder = g_strdup_printf ("%" G_GINT64_FORMAT, meeting_id);

  return g_build_filename (settings->recordings_directory, folder, name, NULL);
}

static SoupMessage *
recorder_message (SchedRecorder *recorder, const gchar *method, const gchar *path)
{
  const SchedSettings *s = recorder->ctx->settings;
  g_autofree gchar *url = g_strconcat (s->bridge_url, path, NULL);
  g_autofree gchar *auth = g_strconcat ("Bearer ", s->bridge_secret ? s->bridge_secret : "", NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  return msg;
}

static Transfer *
transfer_new (SchedRecorder *recorder, gint64 meeting_id, SoupMessage *msg)
{
  Transfer *t = g_new0 (Transfer, 1);

  t->recorder = recorder;
  t->cancellable = g_object_ref (recorder->cancellable);
  t->meeting_id = meeting_id;
  t->msg = msg;
  return t;
}

static MeetingFetch *
recorder_meeting (SchedRecorder *recorder, gint64 id)
{
  MeetingFetch *m = g_hash_table_lookup (recorder->meetings, &id);

  if (m == NULL)
    {
      m = g_new0 (MeetingFetch, 1);
      m->id = id;
      g_hash_table_insert (recorder->meetings, &m->id, m);
    }
  return m;
}

static void
recorder_back_off (SchedRecorder *recorder, gint64 meeting_id, const gchar *why)
{
  MeetingFetch *m = recorder_meeting (recorder, meeting_id);
  gint64 delay = RETRY_FIRST_SECONDS;

  for (guint i = 0; i < m->failures && delay < RETRY_MAX_SECONDS; i++)
    delay *= 2;
  delay = MIN (delay, RETRY_MAX_SECONDS);
  if (m->failures == 0)
    g_warning ("recordings of meeting %" G_GINT64_FORMAT ": %s (retrying)", meeting_id, why);
  m->failures++;
  m->next_at = g_get_monotonic_time () + delay * G_USEC_PER_SEC;
}

/* ---- the queue: one download or deletion at a time ---- */

static gboolean
recorder_is_queued (SchedRecorder *recorder, gint64 meeting_id, const gchar *name)
{
  if (recorder->current && recorder->current->meeting_id == meeting_id
      && g_str_equal (recorder->current->name, name))
    return TRUE;
  for (GList *l = recorder->queue->head; l; l = l->next)
    {
      Segment *s = l->data;
      if (s->meeting_id == meeting_id && g_str_equal (s->name, name))
        return TRUE;
    }
  return FALSE;
}

/* The current segment is finished with (done or failed): the next one. */
static void
recorder_finish_current (SchedRecorder *recorder)
{
  g_clear_pointer (&recorder->current, segment_free);
  recorder_next (recorder);
}

/* A failed step drops the meeting's queued segments too: its next listing
 * (after the back-off) queues them again. */
static void
recorder_fail_current (SchedRecorder *recorder, const gchar *why)
{
  gint64 id = recorder->current->meeting_id;
  GList *l = recorder->queue->head;

  recorder_back_off (recorder, id, why);
  while (l)
    {
      GList *next = l->next;
      Segment *s = l->data;

      if (s->meeting_id == id)
        {
          segment_free (s);
          g_queue_delete_link (recorder->queue, l);
        }
      l = next;
    }
  recorder_finish_current (recorder);
}

/* main thread */
static void
on_bridge_deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  SchedRecorder *recorder = t->recorder;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = body ? soup_message_get_status (t->msg) : 0;

  if (g_cancellable_is_cancelled (t->cancellable))
    {
      transfer_free (t);
      return;
    }
  transfer_free (t);
  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_OK
      || status == SOUP_STATUS_NOT_FOUND)
    {
      recorder_finish_current (recorder);
      return;
    }
  /* The local copy is safe; the bridge keeps its own until the next list. */
  recorder_fail_current (recorder, error ? error->message : "the bridge refused the DELETE");
}

static void
recorder_delete_on_bridge (SchedRecorder *recorder)
{
  Segment *s = recorder->current;
  g_autofree gchar *path
      = g_strdup_printf ("/recordings/%" G_GINT64_FORMAT "/%s", s->meeting_id, s->name);
  SoupMessage *msg = recorder_message (recorder, "DELETE", path);
  Transfer *t;

  if (msg == NULL)
    {
      recorder_fail_current (recorder, "bad [bridge] url");
      return;
    }
  t = transfer_new (recorder, s->meeting_id, msg);
  soup_session_send_and_read_async (recorder->session, msg, G_PRIORITY_DEFAULT, t->cancellable,
                                    on_bridge_deleted, t);
}

/* The file is complete at its place: its row, then the bridge's copy. */
static gboolean
recorder_store (SchedRecorder *recorder, GError **error)
{
  SchedDb *db = recorder->ctx->db;
  Segment *s = recorder->current;
  SchedRecording row = {
    .meeting_id = s->meeting_id,
    .name = s->name,
    .bytes = s->bytes,
    .seconds = s->seconds,
    .started_at = s->started_at,
    .fetched_at = vc_time_now (),
  };
  gboolean exists = FALSE;
  gint64 id = 0;

  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if (!sched_recording_exists (db, s->meeting_id, s->name, &exists, error)
      || (!exists && !sched_recording_insert (db, &row, &id, error))
      || !sched_db_commit (db, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  g_message ("recording %s of meeting %" G_GINT64_FORMAT " fetched (%" G_GINT64_FORMAT " bytes)",
             s->name, s->meeting_id, s->bytes);
  return TRUE;
}

/* main thread */
static void
on_spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  SchedRecorder *recorder = t->recorder;
  g_autoptr (GError) error = NULL;
  gssize n = g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error);
  g_autofree gchar *why = NULL;

  if (g_cancellable_is_cancelled (t->cancellable))
    {
      transfer_free (t);
      return;
    }
  if (n < 0)
    why = g_strdup_printf ("download broke off: %s", error->message);
  else if (n != recorder->current->bytes)
    why = g_strdup_printf ("%s: got %" G_GSSIZE_FORMAT
                           " bytes, the bridge listed %" G_GINT64_FORMAT,
                           recorder->current->name, n, recorder->current->bytes);
  else if (g_rename (t->part_path, t->final_path) != 0)
    why = g_strdup_printf ("renaming %s: %s", t->part_path, g_strerror (errno));
  else
    g_clear_pointer (&t->part_path, g_free); /* in place: keep it */
  transfer_free (t);
  if (why == NULL && !recorder_store (recorder, &error))
    why = g_strdup (error->message);
  if (why)
    {
      recorder_fail_current (recorder, why);
      return;
    }
  recorder_delete_on_bridge (recorder);
}

/* main thread */
static void
on_part_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  SchedRecorder *recorder = t->recorder;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileOutputStream) out = g_file_replace_finish (G_FILE (source), result, &error);
  g_autofree gchar *why = NULL;

  if (g_cancellable_is_cancelled (t->cancellable))
    {
      transfer_free (t);
      return;
    }
  if (out == NULL)
    {
      why = g_strdup_printf ("%s: %s", t->part_path, error->message);
      transfer_free (t);
      recorder_fail_current (recorder, why);
      return;
    }
  g_output_stream_splice_async (G_OUTPUT_STREAM (out), t->input,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE
                                    | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, t->cancellable, on_spliced, t);
}

/* main thread */
static void
on_download_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  SchedRecorder *recorder = t->recorder;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) part = NULL;
  g_autofree gchar *why = NULL;
  g_autofree gchar *folder = NULL;
  guint status;

  t->input = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (t->cancellable))
    {
      transfer_free (t);
      return;
    }
  status = t->input ? soup_message_get_status (t->msg) : 0;
  folder = g_path_get_dirname (t->final_path);
  if (t->input == NULL)
    why = g_strdup_printf ("bridge unreachable: %s", error->message);
  else if (status != SOUP_STATUS_OK)
    why = g_strdup_printf ("GET %s answered %u", recorder->current->name, status);
  else if (g_mkdir_with_parents (folder, 0750) != 0)
    why = g_strdup_printf ("%s: %s", folder, g_strerror (errno));
  if (why)
    {
      transfer_free (t);
      recorder_fail_current (recorder, why);
      return;
    }
  part = g_file_new_for_path (t->part_path);
  g_file_replace_async (part, NULL, FALSE, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT,
                        t->cancellable, on_part_opened, t);
}

static void
recorder_download (SchedRecorder *recorder)
{
  Segment *s = recorder->current;
  g_autofree gchar *path
      = g_strdup_printf ("/recordings/%" G_GINT64_FORMAT "/%s", s->meeting_id, s->name);
  g_autofree gchar *part_name = g_strdup_printf (".%s.part", s->name);
  SoupMessage *msg = recorder_message (recorder, "GET", path);
  Transfer *t;

  if (msg == NULL)
    {
      recorder_fail_current (recorder, "bad [bridge] url");
      return;
    }
  t = transfer_new (recorder, s->meeting_id, msg);
  t->final_path = sched_recorder_file_path (recorder->ctx->settings, s->meeting_id, s->name);
  t->part_path = sched_recorder_file_path (recorder->ctx->settings, s->meeting_id, part_name);
  soup_session_send_async (recorder->session, msg, G_PRIORITY_DEFAULT, t->cancellable,
                           on_download_sent, t);
}

static void
recorder_next (SchedRecorder *recorder)
{
  if (recorder->current || g_queue_is_empty (recorder->queue))
    return;
  recorder->current = g_queue_pop_head (recorder->queue);
  if (recorder->current->stored)
    recorder_delete_on_bridge (recorder);
  else
    recorder_download (recorder);
}

/* ---- listing ---- */

/* One entry of GET /recordings?room=ID, checked: NULL when it is not a
 * complete segment of @meeting_id with a safe name. */
static Segment *
recorder_read_entry (gint64 meeting_id, JsonNode *node)
{
  g_autofree gchar *room = g_strdup_printf ("%" G_GINT64_FORMAT, meeting_id);
  g_autoptr (GError) error = NULL;
  JsonObject *o;
  JsonNode *n;
  Segment *s;
  const gchar *name, *started;
  gint64 started_at = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  if ((n = json_object_get_member (o, "complete")) == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_BOOLEAN || !json_node_get_boolean (n))
    return NULL;
  if ((n = json_object_get_member (o, "room")) == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING
      || g_strcmp0 (json_node_get_string (n), room) != 0)
    return NULL;
  if ((n = json_object_get_member (o, "name")) == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING
      || !sched_recording_name_is_valid (name = json_node_get_string (n)))
    {
      g_warning ("recordings: the bridge listed a segment of meeting %" G_GINT64_FORMAT
                 " without a safe name; left alone",
                 meeting_id);
      return NULL;
    }
  if ((n = json_object_get_member (o, "bytes")) == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_INT64 || json_node_get_int (n) < 0)
    return NULL;
  s = g_new0 (Segment, 1);
  s->meeting_id = meeting_id;
  s->name = g_strdup (name);
  s->bytes = json_node_get_int (n);
  n = json_object_get_member (o, "seconds");
  if (n && JSON_NODE_HOLDS_VALUE (n)
      && (json_node_get_value_type (n) == G_TYPE_DOUBLE
          || json_node_get_value_type (n) == G_TYPE_INT64))
    s->seconds = MAX (0.0, json_node_get_double (n));
  n = json_object_get_member (o, "started_at");
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
      && (started = json_node_get_string (n))
      && sched_http_parse_time (started, "started_at", &started_at, &error))
    s->started_at = started_at;
  else
    s->started_at = vc_time_now ();
  return s;
}

/* main thread */
static void
on_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  SchedRecorder *recorder = t->recorder;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint status = body ? soup_message_get_status (t->msg) : 0;
  gint64 id = t->meeting_id;
  MeetingFetch *m;
  JsonNode *list = NULL;
  guint found = 0;
  gsize len = 0;
  const gchar *data;

  if (g_cancellable_is_cancelled (t->cancellable))
    {
      transfer_free (t);
      return;
    }
  transfer_free (t);
  m = recorder_meeting (recorder, id);
  m->listing = FALSE;
  data = body ? g_bytes_get_data (body, &len) : NULL;
  if (status == SOUP_STATUS_OK && json_parser_load_from_data (parser, data, len, NULL)
      && sched_agent_json_root_is_object (parser))
    list = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                   "recordings");
  if (status == SOUP_STATUS_NOT_FOUND && list == NULL)
    {
      /* A bridge without recordings (older than docs/protocol.md §2's
       * recording part): nothing to fetch for this meeting. */
      g_debug ("recordings: the bridge has no GET /recordings (404); meeting %" G_GINT64_FORMAT
               " left alone",
               id);
      m->done = TRUE;
      return;
    }
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_autofree gchar *why
          = body ? g_strdup_printf ("GET /recordings answered %u without a list", status)
                 : g_strdup_printf ("bridge unreachable: %s", error->message);
      recorder_back_off (recorder, id, why);
      return;
    }
  if (m->failures > 0)
    g_message ("recordings of meeting %" G_GINT64_FORMAT ": the bridge answers again", id);
  m->failures = 0;
  m->next_at = g_get_monotonic_time () + LIST_SECONDS * G_USEC_PER_SEC;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      Segment *s = recorder_read_entry (id, json_array_get_element (json_node_get_array (list), i));
      gboolean exists = FALSE;

      found++;
      if (s == NULL || recorder_is_queued (recorder, id, s->name))
        {
          g_clear_pointer (&s, segment_free);
          continue;
        }
      if (!sched_recording_exists (recorder->ctx->db, id, s->name, &exists, &error))
        {
          g_warning ("recordings: %s", error->message);
          g_clear_error (&error);
          segment_free (s);
          continue;
        }
      s->stored = exists;
      g_queue_push_tail (recorder->queue, s);
    }
  if (found == 0)
    {
      g_autoptr (SchedMeeting) meeting = sched_meeting_load (recorder->ctx->db, id, NULL);
      gint64 over = meeting ? (meeting->ended_at ? meeting->ended_at : meeting->end) : 0;

      if (meeting == NULL || g_strcmp0 (meeting->status, "scheduled") != 0
          || over <= vc_time_now ())
        m->done = TRUE;
    }
  recorder_next (recorder);
}

static void
recorder_list (SchedRecorder *recorder, MeetingFetch *m)
{
  g_autofree gchar *path = g_strdup_printf ("/recordings?room=%" G_GINT64_FORMAT, m->id);
  SoupMessage *msg = recorder_message (recorder, "GET", path);
  Transfer *t;

  if (msg == NULL)
    return;
  m->listing = TRUE;
  t = transfer_new (recorder, m->id, msg);
  soup_session_send_and_read_async (recorder->session, msg, G_PRIORITY_DEFAULT, t->cancellable,
                                    on_listed, t);
}

static gboolean
on_tick (gpointer user_data)
{
  SchedRecorder *recorder = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 now = vc_time_now ();
  gint64 mono = g_get_monotonic_time ();

  if (!sched_recording_list_recorded_meetings (
          recorder->ctx->db, now + recorder->ctx->settings->room_open_lead_seconds,
          now - LOOKBACK_SECONDS, ids, &error))
    {
      g_warning ("recordings: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      MeetingFetch *m = recorder_meeting (recorder, g_array_index (ids, gint64, i));

      if (!m->done && !m->listing && mono >= m->next_at)
        recorder_list (recorder, m);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_kick (gpointer user_data)
{
  SchedRecorder *recorder = user_data;

  recorder->kick_id = 0;
  on_tick (recorder);
  return G_SOURCE_REMOVE;
}

void
sched_recorder_poll_now (SchedRecorder *recorder)
{
  GHashTableIter iter;
  MeetingFetch *m;

  g_hash_table_iter_init (&iter, recorder->meetings);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&m))
    {
      m->next_at = 0;
      m->done = FALSE;
    }
  if (recorder->tick_id && recorder->kick_id == 0)
    recorder->kick_id = g_idle_add (on_kick, recorder);
}

/* ---- retention ---- */

gboolean
sched_recorder_sweep (SchedRecorder *recorder, gint64 now, guint *deleted, GError **error)
{
  SchedContext *ctx = recorder->ctx;
  g_autoptr (GPtrArray) old = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_recording_free);
  gint64 keep = ctx->settings->recordings_keep_seconds;

  *deleted = 0;
  if (keep <= 0)
    return TRUE;
  if (!sched_recording_list_started_before (ctx->db, now - keep, old, error))
    return FALSE;
  for (guint i = 0; i < old->len; i++)
    {
      const SchedRecording *r = g_ptr_array_index (old, i);
      g_autofree gchar *path = sched_recorder_file_path (ctx->settings, r->meeting_id, r->name);
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) detail = NULL;

      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          g_warning ("retention: %s: %s (kept)", path, g_strerror (errno));
          continue;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "recording");
      json_builder_add_int_value (b, r->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "keep_days");
      json_builder_add_int_value (b, keep / 86400);
      json_builder_end_object (b);
      detail = json_builder_get_root (b);
      if (!sched_db_begin_immediate (ctx->db, error))
        return FALSE;
      if (!sched_recording_mark_deleted (ctx->db, r->id, now, "retention", error)
          || !sched_audit_record (ctx->db, now, "retention", "recording_expired", r->meeting_id,
                                  detail, error)
          || !sched_db_commit (ctx->db, error))
        {
          sched_db_rollback (ctx->db);
          return FALSE;
        }
      (*deleted)++;
    }
  if (*deleted)
    g_message ("retention: %u recording(s) older than %" G_GINT64_FORMAT " days deleted", *deleted,
               keep / 86400);
  return TRUE;
}

static gboolean
on_sweep (gpointer user_data)
{
  SchedRecorder *recorder = user_data;
  g_autoptr (GError) error = NULL;
  guint deleted = 0;

  if (!sched_recorder_sweep (recorder, vc_time_now (), &deleted, &error))
    g_warning ("retention: %s", error->message);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_first_sweep (gpointer user_data)
{
  on_sweep (user_data);
  return G_SOURCE_REMOVE;
}

SchedRecorder *
sched_recorder_new (SchedContext *ctx)
{
  SchedRecorder *recorder = g_new0 (SchedRecorder, 1);

  recorder->ctx = ctx;
  recorder->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 30, NULL);
  recorder->cancellable = g_cancellable_new ();
  recorder->meetings = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  recorder->queue = g_queue_new ();
  if (ctx->settings->bridge_url && *ctx->settings->bridge_url)
    {
      recorder->tick_id = g_timeout_add_seconds (TICK_SECONDS, on_tick, recorder);
      recorder->kick_id = g_idle_add (on_kick, recorder);
    }
  recorder->sweep_id = g_timeout_add_seconds (SWEEP_SECONDS, on_sweep, recorder);
  g_idle_add_full (G_PRIORITY_LOW, on_first_sweep, recorder, NULL);
  return recorder;
}

void
sched_recorder_free (SchedRecorder *recorder)
{
  if (recorder == NULL)
    return;
  g_cancellable_cancel (recorder->cancellable);
  g_clear_handle_id (&recorder->tick_id, g_source_remove);
  g_clear_handle_id (&recorder->kick_id, g_source_remove);
  g_clear_handle_id (&recorder->sweep_id, g_source_remove);
  g_idle_remove_by_data (recorder);
  g_queue_free_full (recorder->queue, (GDestroyNotify)segment_free);
  g_clear_pointer (&recorder->current, segment_free);
  g_clear_pointer (&recorder->meetings, g_hash_table_destroy);
  g_clear_object (&recorder->cancellable);
  soup_session_abort (recorder->session);
  g_clear_object (&recorder->session);
  g_free (recorder);
}
