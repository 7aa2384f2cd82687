/* bridge-record.c — the recorder of one room (see bridge-record.h).
 *
 * One pipeline per segment (a "session"): appsrc (VP8) and appsrc (Opus)
 * into webmmux and a filesink. The video tap opens a segment at a
 * keyframe — the first one, then the first one once segment_seconds have
 * passed (a timer asks the room's encoder for it when due) — and switches
 * both taps to it at once; the previous segment gets an end-of-stream so
 * that webmmux finishes it (duration, cues) and its bus watch hands it to
 * vc_media_pipeline_dispose_async(). Nothing is held back to find where
 * to cut (splitmuxsink holds a whole GOP, up to segment_seconds, which a
 * kill -9 would lose): what the encoders made reaches the file at once,
 * in clusters of at most a second. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-record.h"

#include "bridge-room.h"
#include "vc-atomic.h"
#include "vc-media.h"
#include "vc-time.h"

#include <errno.h>
#include <gio/gio.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (bridge_record_debug);
#define GST_CAT_DEFAULT bridge_record_debug

#define RECORD_MAX_ROOM_ID 64
#define RECORD_AUDIO_RESYNC (200 * GST_MSECOND)
#define RECORD_CLOSE_TIMEOUT_S 10
/* a keyframe this close to the boundary (a participant's request) ends
 * the segment too */
#define RECORD_SPLIT_EARLY (250 * GST_MSECOND)

typedef struct _RecordSession RecordSession;

/* A g_atomic_rc_box: each session holds a reference until its pipeline is
 * down, so its threads never see a freed recorder. */
struct _BridgeRecord
{
  gchar *room_id;
  gchar *dir; /* DIR/ROOM */
  const BridgeSettings *settings;
  BridgeVideo *video; /* main thread; NULL once the room let go */
  BridgeAudio *audio;
  BridgeRecordChangedFunc on_changed;
  gpointer user_data;
  GMainContext *context;
  GstClock *clock;
  GstClockTime segment_length;

  /* main thread */
  BridgeRecordState state;
  gchar *error;
  gint64 started_at; /* unix seconds, 0: never */

  GMutex lock;             /* protects everything below */
  gboolean active;         /* the taps make segments */
  RecordSession *session;  /* the segment being fed, or NULL before the first keyframe */
  GSource *keyframe_timer; /* asks for the next segment's keyframe when due */
  gint next_index;         /* segment numbers, never reused by this recorder */
  gint segments;           /* atomic */
  gint64 bytes;            /* atomic (vc-atomic.h) */
};

struct _RecordSession
{
  BridgeRecord *record; /* a reference, dropped when the pipeline is down */
  GstElement *pipeline;
  GstElement *video_src;
  GstElement *audio_src;
  GstClockTime origin;   /* the clock's time at the segment's first frame */
  gboolean audio_mapped; /* BridgeRecord.lock */
  GstClockTimeDiff audio_offset;
  gchar *path;
  /* main thread */
  GSource *bus_source;
  GSource *close_timeout;
  gboolean closing; /* end-of-stream sent (set before the EOS can be seen) */
  gboolean failed;  /* an error before its end was asked for: dropped, not finished */
};

/* process-wide */
static GMutex registry_lock;
static GHashTable *registry_writing; /* paths, registry_lock */
static gint64 totals_bytes;          /* atomics */
static gint64 totals_segments;
static gint64 totals_disk_full;
static gint64 totals_write_error;

static const gchar *const state_names[] = { "off", "recording", "paused", "failed" };

const gchar *
bridge_record_state_to_string (BridgeRecordState state)
{
  g_return_val_if_fail (state <= BRIDGE_RECORD_STATE_FAILED, "off");
  return state_names[state];
}

gboolean
bridge_record_room_id_valid (const gchar *room_id)
{
  gsize len = room_id ? strlen (room_id) : 0;

  if (len == 0 || len > RECORD_MAX_ROOM_ID)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (room_id[i]) && room_id[i] != '-' && room_id[i] != '_')
      return FALSE;
  return TRUE;
}

/* ---- the registry of segments being written ---- */

static void
registry_set (const gchar *path, gboolean writing)
{
  g_mutex_lock (&registry_lock);
  if (registry_writing == NULL)
    registry_writing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (writing)
    g_hash_table_add (registry_writing, g_strdup (path));
  else
    g_hash_table_remove (registry_writing, path);
  g_mutex_unlock (&registry_lock);
}

gboolean
bridge_record_is_writing (const gchar *path)
{
  gboolean writing;

  g_mutex_lock (&registry_lock);
  writing = registry_writing != NULL && g_hash_table_contains (registry_writing, path);
  g_mutex_unlock (&registry_lock);
  return writing;
}

void
bridge_record_get_totals (BridgeRecordTotals *totals)
{
  totals->bytes_total = (guint64)vc_atomic_int64_get (&totals_bytes);
  totals->segments_total = (guint64)vc_atomic_int64_get (&totals_segments);
  totals->failures_disk_full = (guint64)vc_atomic_int64_get (&totals_disk_full);
  totals->failures_write_error = (guint64)vc_atomic_int64_get (&totals_write_error);
}

/* ---- sessions ---- */

static void record_finalize (BridgeRecord *record);

/* the teardown thread, once the pipeline is down */
static void
on_session_disposed (gpointer data)
{
  RecordSession *s = data;

  registry_set (s->path, FALSE);
  gst_clear_object (&s->video_src);
  gst_clear_object (&s->audio_src);
  g_atomic_rc_box_release_full (s->record, (GDestroyNotify)record_finalize);
  g_free (s->path);
  g_free (s);
}

static void
source_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* main thread: the pipeline goes; the session with it */
static void
session_dispose (RecordSession *s)
{
  source_clear (&s->bus_source);
  source_clear (&s->close_timeout);
  vc_media_pipeline_dispose_async_full (g_steal_pointer (&s->pipeline), on_session_disposed, s);
}

static void record_fail (BridgeRecord *record, const gchar *reason, const gchar *message);
static gboolean record_error_is_disk_full (BridgeRecord *record, const GError *error);

/* main thread */
static gboolean
on_session_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  RecordSession *s = data;
  BridgeRecord *record = s->record;
  g_autoptr (GError) err = NULL;
  g_autofree gchar *dbg = NULL;
  gboolean current, full;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS && s->closing)
    {
      g_clear_pointer (&s->bus_source, g_source_unref); /* removed by returning */
      session_dispose (s);
      return G_SOURCE_REMOVE;
    }
  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;
  gst_message_parse_error (msg, &err, &dbg);
  full = record_error_is_disk_full (record, err);
  /* reported in the room state and the metrics: not a warning */
  g_message ("recording %s: %s: %s (%s)", record->room_id, GST_OBJECT_NAME (msg->src), err->message,
             dbg ? dbg : "");
  g_mutex_lock (&record->lock);
  current = record->session == s;
  g_mutex_unlock (&record->lock);
  if (current)
    {
      record_fail (record, full ? "disk_full" : "write_error", full ? "disk_full" : err->message);
      return G_SOURCE_REMOVE; /* record_fail disposed of it, and of this watch */
    }
  g_clear_pointer (&s->bus_source, g_source_unref); /* removed by returning */
  if (s->closing)
    session_dispose (s);
  else
    s->failed = TRUE; /* its pending on_session_finish() disposes of it */
  return G_SOURCE_REMOVE;
}

/* main thread: a segment that was not finished in time */
static gboolean
on_session_close_timeout (gpointer data)
{
  RecordSession *s = data;

  g_message ("recording %s: %s was not finished within %d s", s->record->room_id, s->path,
             RECORD_CLOSE_TIMEOUT_S);
  g_clear_pointer (&s->close_timeout, g_source_unref);
  session_dispose (s);
  return G_SOURCE_REMOVE;
}

/* any thread: ends @s; webmmux finishes its file, then the bus watch
 * disposes of it (or the timeout does) */
static gboolean
on_session_finish (gpointer data)
{
  RecordSession *s = data;

  if (s->failed)
    {
      session_dispose (s);
      return G_SOURCE_REMOVE;
    }
  s->closing = TRUE;
  s->close_timeout = g_timeout_source_new_seconds (RECORD_CLOSE_TIMEOUT_S);
  g_source_set_callback (s->close_timeout, on_session_close_timeout, s, NULL);
  g_source_attach (s->close_timeout, s->record->context);
  gst_app_src_end_of_stream (GST_APP_SRC (s->video_src));
  gst_app_src_end_of_stream (GST_APP_SRC (s->audio_src));
  return G_SOURCE_REMOVE;
}

/* the muxer's thread: what reaches the file */
static GstPadProbeReturn
on_file_bytes (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  RecordSession *s = data;
  gsize n = gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));

  vc_atomic_int64_add (&s->record->bytes, (gint64)n);
  vc_atomic_int64_add (&totals_bytes, (gint64)n);
  return GST_PAD_PROBE_OK;
}

/* BridgeRecord.lock held (the encoder's thread): a new segment whose name
 * sorts in order of recording (UTC time, then this recorder's counter) and
 * never replaces a file (a bridge restarted within the same second) */
static RecordSession *
session_open (BridgeRecord *record, GstClockTime now, GError **error)
{
  const BridgeSettings *set = record->settings;
  g_autofree gchar *desc = g_strdup_printf (
      "appsrc name=v is-live=true format=time do-timestamp=false leaky-type=downstream "
      "max-bytes=8000000 caps=video/x-vp8,width=%u,height=%u,framerate=%u/1 ! mux.video_0 "
      "appsrc name=a is-live=true format=time do-timestamp=false leaky-type=downstream "
      "max-bytes=1000000 caps=audio/x-opus,rate=48000,channels=1,channel-mapping-family=0 "
      "! mux.audio_0 "
      /* clusters of at most a second: after a kill -9 only the last one is
       * incomplete */
      "webmmux name=mux max-cluster-duration=1000000000 writing-app=vc-bridge "
      "! filesink name=file sync=false async=false buffer-mode=unbuffered",
      set->width, set->height, set->fps);
  g_autoptr (GDateTime) wall = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (wall, "%Y%m%dT%H%M%SZ");
  RecordSession *s = g_new0 (RecordSession, 1);
  g_autoptr (GstElement) file = NULL;
  g_autoptr (GstPad) file_pad = NULL;
  g_autoptr (GstBus) bus = NULL;

  s->pipeline = gst_parse_launch (desc, error);
  if (s->pipeline == NULL)
    {
      g_free (s);
      return NULL;
    }
  do
    {
      g_free (s->path);
      s->path = g_strdup_printf ("%s/%s-%04d.webm", record->dir, stamp, ++record->next_index);
    }
  while (g_file_test (s->path, G_FILE_TEST_EXISTS));
  s->record = g_atomic_rc_box_acquire (record);
  s->origin = now;
  s->video_src = gst_bin_get_by_name (GST_BIN (s->pipeline), "v");
  s->audio_src = gst_bin_get_by_name (GST_BIN (s->pipeline), "a");
  file = gst_bin_get_by_name (GST_BIN (s->pipeline), "file");
  g_object_set (file, "location", s->path, NULL);
  file_pad = gst_element_get_static_pad (file, "sink");
  gst_pad_add_probe (file_pad, GST_PAD_PROBE_TYPE_BUFFER, on_file_bytes, s, NULL);
  bus = gst_element_get_bus (s->pipeline);
  s->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (s->bus_source, (GSourceFunc)(void (*) (void))on_session_bus, s, NULL);
  g_source_attach (s->bus_source, record->context);
  registry_set (s->path, TRUE);
  if (gst_element_set_state (s->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_MEDIA, "cannot write '%s'", s->path);
      s->failed = TRUE;
      g_main_context_invoke (record->context, (GSourceFunc)on_session_finish, s);
      return NULL;
    }
  g_atomic_int_inc (&record->segments);
  vc_atomic_int64_add (&totals_segments, 1);
  GST_INFO ("room %s: segment %s", record->room_id, s->path);
  return s;
}

/* main thread: a segment's keyframe is due now */
static gboolean
on_keyframe_due (gpointer data)
{
  BridgeRecord *record = data;

  g_mutex_lock (&record->lock);
  g_clear_pointer (&record->keyframe_timer, g_source_unref);
  g_mutex_unlock (&record->lock);
  if (record->video != NULL)
    bridge_video_request_keyframe (record->video);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  BridgeRecord *record;
  gchar *message;
  gboolean disk_full;
} RecordFailure;

static void
record_failure_free (gpointer data)
{
  RecordFailure *failure = data;

  g_atomic_rc_box_release_full (failure->record, (GDestroyNotify)record_finalize);
  g_free (failure->message);
  g_free (failure);
}

/* main thread (invoked from the encoder's thread) */
static gboolean
on_open_failed (gpointer data)
{
  RecordFailure *failure = data;

  if (failure->record->state == BRIDGE_RECORD_STATE_RECORDING)
    {
      if (failure->disk_full)
        record_fail (failure->record, "disk_full", "disk_full");
      else
        record_fail (failure->record, "write_error", failure->message);
    }
  return G_SOURCE_REMOVE;
}

/* any thread: free bytes on the recordings' file system (G_MAXUINT64 when
 * unknown) */
static guint64
record_free_bytes (BridgeRecord *record)
{
  g_autoptr (GFile) dir = g_file_new_for_path (record->dir);
  g_autoptr (GFileInfo) info
      = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);

  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return G_MAXUINT64;
  return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}

/* A write error is the disk being full when it says so, or when (nearly)
 * nothing is left: a new segment's file may fail to open rather than to
 * grow, and webmmux's own errors do not carry the reason. */
static gboolean
record_error_is_disk_full (BridgeRecord *record, const GError *error)
{
  return g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT)
         || record_free_bytes (record)
                < MAX (record->settings->recordings_min_free, (guint64)1024 * 1024);
}

/* BridgeRecord.lock held: the segment to feed @keyframe to (a new one at
 * the boundary), or NULL */
static RecordSession *
record_segment_for (BridgeRecord *record, gboolean keyframe, GstClockTime now)
{
  RecordSession *old = record->session, *s;
  g_autoptr (GError) error = NULL;

  if (!keyframe || (old != NULL && now < old->origin + record->segment_length - RECORD_SPLIT_EARLY))
    return old;
  s = session_open (record, now, &error);
  if (s == NULL)
    {
      RecordFailure *failure = g_new0 (RecordFailure, 1);
      failure->record = g_atomic_rc_box_acquire (record);
      failure->message = g_strdup (error->message);
      failure->disk_full = record_error_is_disk_full (record, error);
      record->active = FALSE;
      g_main_context_invoke_full (record->context, G_PRIORITY_DEFAULT, on_open_failed, failure,
                                  record_failure_free);
      return NULL;
    }
  record->session = s;
  if (old != NULL)
    g_main_context_invoke (record->context, on_session_finish, old);
  if (record->keyframe_timer != NULL)
    g_source_destroy (record->keyframe_timer);
  g_clear_pointer (&record->keyframe_timer, g_source_unref);
  record->keyframe_timer = g_timeout_source_new ((guint)(record->segment_length / GST_MSECOND));
  g_source_set_callback (record->keyframe_timer, on_keyframe_due, record, NULL);
  g_source_attach (record->keyframe_timer, record->context);
  return s;
}

/* the room encoder's thread (bridge_video_set_tap) */
static void
on_video_frame (GstBuffer *frame, gboolean keyframe, gpointer data)
{
  BridgeRecord *record = data;
  GstClockTime now = gst_clock_get_time (record->clock);
  RecordSession *s;

  g_mutex_lock (&record->lock);
  s = record->active ? record_segment_for (record, keyframe, now) : NULL;
  if (s != NULL)
    {
      GstBuffer *copy = gst_buffer_copy (frame);
      GST_BUFFER_PTS (copy) = GST_BUFFER_DTS (copy) = now - s->origin;
      GST_BUFFER_DURATION (copy) = GST_CLOCK_TIME_NONE;
      gst_app_src_push_buffer (GST_APP_SRC (s->video_src), copy); /* never blocks */
    }
  g_mutex_unlock (&record->lock);
}

/* the room's mixer thread (bridge_audio_set_tap): packets keep their place
 * on the mix's 20 ms timeline, mapped once onto the segment's */
static void
on_audio_packet (GstBuffer *packet, GstClockTime pts, gpointer data)
{
  BridgeRecord *record = data;
  RecordSession *s;

  g_mutex_lock (&record->lock);
  s = record->active ? record->session : NULL;
  if (s != NULL && GST_CLOCK_TIME_IS_VALID (pts))
    {
      GstClockTimeDiff now = (GstClockTimeDiff)(gst_clock_get_time (record->clock) - s->origin);
      GstClockTimeDiff mapped = (GstClockTimeDiff)pts + s->audio_offset;
      GstBuffer *copy;

      if (!s->audio_mapped || ABS (mapped - now) > (GstClockTimeDiff)RECORD_AUDIO_RESYNC)
        {
          s->audio_offset = now - (GstClockTimeDiff)pts;
          s->audio_mapped = TRUE;
          mapped = now;
        }
      copy = gst_buffer_copy (packet);
      GST_BUFFER_PTS (copy) = GST_BUFFER_DTS (copy) = (GstClockTime)MAX (mapped, 0);
      gst_app_src_push_buffer (GST_APP_SRC (s->audio_src), copy);
    }
  g_mutex_unlock (&record->lock);
}

/* ---- the recorder (main thread) ---- */

/* stops making segments; the last one is finished (@finish) or dropped (a
 * failed one: its pipeline goes at once) */
static void
record_close_session (BridgeRecord *record, gboolean finish)
{
  RecordSession *s;

  if (record->video != NULL)
    bridge_video_set_tap (record->video, NULL, NULL);
  if (record->audio != NULL)
    bridge_audio_set_tap (record->audio, NULL, NULL);
  g_mutex_lock (&record->lock);
  record->active = FALSE;
  s = g_steal_pointer (&record->session);
  if (record->keyframe_timer != NULL)
    g_source_destroy (record->keyframe_timer);
  g_clear_pointer (&record->keyframe_timer, g_source_unref);
  g_mutex_unlock (&record->lock);
  if (s == NULL)
    return;
  if (finish)
    on_session_finish (s);
  else
    session_dispose (s);
}

static gboolean
record_open_session (BridgeRecord *record, GError **error)
{
  if (g_mkdir_with_parents (record->dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_MEDIA, "cannot make '%s': %s", record->dir,
                   g_strerror (saved));
      return FALSE;
    }
  g_mutex_lock (&record->lock);
  record->active = TRUE; /* the first keyframe opens the first segment */
  g_mutex_unlock (&record->lock);
  bridge_video_set_tap (record->video, on_video_frame, record);
  bridge_audio_set_tap (record->audio, on_audio_packet, record);
  bridge_video_request_keyframe (record->video);
  return TRUE;
}

static void
record_set_state (BridgeRecord *record, BridgeRecordState state)
{
  record->state = state;
  if (record->video != NULL)
    bridge_video_set_recording (record->video, state == BRIDGE_RECORD_STATE_RECORDING);
}

static void
record_fail (BridgeRecord *record, const gchar *reason, const gchar *message)
{
  record_close_session (record, FALSE);
  g_free (record->error);
  record->error = g_strdup (message);
  vc_atomic_int64_add (g_str_equal (reason, "disk_full") ? &totals_disk_full : &totals_write_error,
                       1);
  g_message ("room %s: recording stopped: %s", record->room_id, message);
  record_set_state (record, BRIDGE_RECORD_STATE_FAILED);
  if (record->on_changed != NULL)
    record->on_changed (record->user_data);
}

/* ---- the state machine (main thread) ---- */

gboolean
bridge_record_start (BridgeRecord *record, GError **error)
{
  g_autoptr (GError) failure = NULL;

  if (record->state == BRIDGE_RECORD_STATE_RECORDING || record->state == BRIDGE_RECORD_STATE_PAUSED)
    return TRUE;
  if (!bridge_record_room_id_valid (record->room_id))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "room id '%s' cannot name a recording (1 to 64 letters, digits, '-', '_')",
                   record->room_id);
      return FALSE;
    }
  record->started_at = vc_time_now ();
  if (!record_open_session (record, &failure))
    {
      /* the meeting goes on without its recording */
      record_fail (record, "write_error", failure->message);
      return TRUE;
    }
  g_clear_pointer (&record->error, g_free);
  record_set_state (record, BRIDGE_RECORD_STATE_RECORDING);
  g_info ("room %s: recording into %s", record->room_id, record->dir);
  bridge_record_check_disk (record);
  return TRUE;
}

void
bridge_record_stop (BridgeRecord *record)
{
  if (record->state == BRIDGE_RECORD_STATE_OFF)
    return;
  record_close_session (record, TRUE);
  g_clear_pointer (&record->error, g_free);
  record_set_state (record, BRIDGE_RECORD_STATE_OFF);
}

gboolean
bridge_record_pause (BridgeRecord *record, GError **error)
{
  if (record->state != BRIDGE_RECORD_STATE_RECORDING)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_NOT_RECORDING,
                   "the room is not being recorded (recording: %s)",
                   bridge_record_state_to_string (record->state));
      return FALSE;
    }
  record_close_session (record, TRUE);
  record_set_state (record, BRIDGE_RECORD_STATE_PAUSED);
  return TRUE;
}

gboolean
bridge_record_resume (BridgeRecord *record, GError **error)
{
  g_autoptr (GError) failure = NULL;

  if (record->state != BRIDGE_RECORD_STATE_PAUSED)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_NOT_RECORDING,
                   "the room's recording is not paused (recording: %s)",
                   bridge_record_state_to_string (record->state));
      return FALSE;
    }
  if (!record_open_session (record, &failure))
    {
      record_fail (record, "write_error", failure->message);
      return TRUE;
    }
  record_set_state (record, BRIDGE_RECORD_STATE_RECORDING);
  return TRUE;
}

BridgeRecordState
bridge_record_get_state (BridgeRecord *record)
{
  return record->state;
}

void
bridge_record_check_disk (BridgeRecord *record)
{
  if (record->state == BRIDGE_RECORD_STATE_RECORDING
      && record_free_bytes (record) < record->settings->recordings_min_free)
    record_fail (record, "disk_full", "disk_full");
}

void
bridge_record_add_json (BridgeRecord *record, JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, bridge_record_state_to_string (record->state));
  json_builder_set_member_name (b, "error");
  record->error ? json_builder_add_string_value (b, record->error)
                : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "started_at");
  if (record->started_at != 0)
    {
      g_autofree gchar *at = vc_time_format_utc (record->started_at);
      json_builder_add_string_value (b, at);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "segments");
  json_builder_add_int_value (b, g_atomic_int_get (&record->segments));
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, vc_atomic_int64_get (&record->bytes));
  json_builder_end_object (b);
}

/* ---- life ---- */

BridgeRecord *
bridge_record_new (const BridgeSettings *settings, const gchar *room_id, BridgeVideo *video,
                   BridgeAudio *audio, BridgeRecordChangedFunc on_changed, gpointer user_data)
{
  static gsize once = 0;
  BridgeRecord *record = g_atomic_rc_box_new0 (BridgeRecord);

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_record_debug, "bridge-record", 0, "vc-bridge recordings");
      g_once_init_leave (&once, 1);
    }
  record->room_id = g_strdup (room_id);
  record->dir = g_build_filename (settings->recordings_dir, room_id, NULL);
  record->settings = settings;
  record->video = video;
  record->audio = audio;
  record->on_changed = on_changed;
  record->user_data = user_data;
  record->context = g_main_context_ref_thread_default ();
  record->clock = gst_system_clock_obtain ();
  record->segment_length = (GstClockTime)settings->segment_seconds * GST_SECOND;
  g_mutex_init (&record->lock);
  return record;
}

/* the last reference: the room's, or a closing session's */
static void
record_finalize (BridgeRecord *record)
{
  g_mutex_clear (&record->lock);
  gst_clear_object (&record->clock);
  g_main_context_unref (record->context);
  g_free (record->error);
  g_free (record->dir);
  g_free (record->room_id);
}

void
bridge_record_free (BridgeRecord *record)
{
  if (record == NULL)
    return;
  record->on_changed = NULL;
  bridge_record_stop (record); /* the taps are gone once this returns */
  record->video = NULL;
  record->audio = NULL;
  g_atomic_rc_box_release_full (record, (GDestroyNotify)record_finalize);
}
