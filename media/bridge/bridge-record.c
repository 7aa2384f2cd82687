/* bridge-record.c — the recorder of one room (see bridge-record.h).
 *
 * A session is one recording pipeline, from start or resume to pause, stop
 * or failure. It is closed by an end-of-stream on both sources, so that
 * webmmux finishes its last segment (duration, cues); its bus watch then
 * hands it to vc_media_pipeline_dispose_async(). A failed session is torn
 * down at once. */
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

typedef struct
{
  GstElement *pipeline;
  GstElement *video_src;
  GstElement *audio_src;
  guint bus_watch;
  guint close_timeout;
  gboolean closing;       /* main thread: end-of-stream sent */
  gboolean have_keyframe; /* BridgeRecord.lock: video started with a keyframe */
  gboolean audio_mapped;  /* BridgeRecord.lock */
  GstClockTimeDiff audio_offset;
  gchar *writing;               /* registry_lock: the segment being written */
  struct _BridgeRecord *record; /* a reference, dropped when the pipeline is down */
} RecordSession;

/* A g_atomic_rc_box: each session holds a reference until its pipeline is
 * down, so its streaming threads never see a freed recorder. */
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

  /* main thread */
  BridgeRecordState state;
  gchar *error;
  gint64 started_at; /* unix seconds, 0: never */

  GMutex lock;             /* protects session and keyframe_timer */
  RecordSession *session;  /* NULL unless RECORDING */
  GSource *keyframe_timer; /* the next segment's keyframe, when due */
  gint next_index;         /* atomic: segment numbers, never reused by this recorder */
  gint segments;           /* atomic */
  gint64 bytes;            /* atomic (vc-atomic.h) */
};

/* process-wide */
static GMutex registry_lock;
static GHashTable *registry_writing; /* path -> count, registry_lock */
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

/* registry_lock held */
static void
registry_set_writing (RecordSession *s, const gchar *path)
{
  if (registry_writing == NULL)
    registry_writing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (s->writing != NULL)
    g_hash_table_remove (registry_writing, s->writing);
  g_free (s->writing);
  s->writing = g_strdup (path);
  if (path != NULL)
    g_hash_table_add (registry_writing, g_strdup (path));
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

/* ---- the session's streaming threads ---- */

/* splitmuxsink's thread, at each new segment: its name sorts in order of
 * recording (UTC time, then this recorder's counter) and never replaces a
 * file (a bridge restarted within the same second). */
static gchar *
on_format_location (GstElement *splitmux, guint fragment, GstSample *first, gpointer data)
{
  RecordSession *s = data;
  BridgeRecord *record = s->record;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  gchar *path = NULL;

  do
    {
      g_free (path);
      path = g_strdup_printf ("%s/%s-%04d.webm", record->dir, stamp,
                              g_atomic_int_add (&record->next_index, 1) + 1);
    }
  while (g_file_test (path, G_FILE_TEST_EXISTS));
  g_mutex_lock (&registry_lock);
  registry_set_writing (s, path);
  g_mutex_unlock (&registry_lock);
  g_atomic_int_inc (&record->segments);
  vc_atomic_int64_add (&totals_segments, 1);
  GST_INFO ("room %s: segment %s", record->room_id, path);
  return path;
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

/* splitmuxsink's thread: it asks for the next segment's keyframe ahead of
 * time (running time of the boundary); the room's encoder makes it when due */
static GstPadProbeReturn
on_video_upstream_event (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  RecordSession *s = data;
  BridgeRecord *record = s->record;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstClockTime due = GST_CLOCK_TIME_NONE, now;
  guint delay_ms = 0;

  if (!gst_video_event_is_force_key_unit (event))
    return GST_PAD_PROBE_OK;
  gst_video_event_parse_upstream_force_key_unit (event, &due, NULL, NULL);
  now = vc_media_running_time (s->pipeline, gst_clock_get_time (record->clock));
  if (GST_CLOCK_TIME_IS_VALID (due) && GST_CLOCK_TIME_IS_VALID (now) && due > now)
    delay_ms = (guint)((due - now) / GST_MSECOND);
  g_mutex_lock (&record->lock);
  if (record->session != s) /* closing */
    {
      g_mutex_unlock (&record->lock);
      return GST_PAD_PROBE_DROP;
    }
  if (record->keyframe_timer != NULL)
    {
      g_source_destroy (record->keyframe_timer);
      g_source_unref (record->keyframe_timer);
    }
  record->keyframe_timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (record->keyframe_timer, on_keyframe_due, record, NULL);
  g_source_attach (record->keyframe_timer, record->context);
  g_mutex_unlock (&record->lock);
  return GST_PAD_PROBE_DROP;
}

/* the room encoder's thread (bridge_video_set_tap) */
static void
on_video_frame (GstBuffer *frame, gboolean keyframe, gpointer data)
{
  BridgeRecord *record = data;
  RecordSession *s;

  g_mutex_lock (&record->lock);
  s = record->session;
  if (s != NULL && (s->have_keyframe || keyframe))
    {
      GstBuffer *copy = gst_buffer_copy (frame);
      s->have_keyframe = TRUE;
      GST_BUFFER_PTS (copy) = GST_BUFFER_DTS (copy)
          = vc_media_running_time (s->pipeline, gst_clock_get_time (record->clock));
      GST_BUFFER_DURATION (copy) = GST_CLOCK_TIME_NONE;
      gst_app_src_push_buffer (GST_APP_SRC (s->video_src), copy); /* never blocks */
    }
  g_mutex_unlock (&record->lock);
}

/* the room's mixer thread (bridge_audio_set_tap): packets keep their place
 * on the mix's 20 ms timeline, mapped once onto the recording's */
static void
on_audio_packet (GstBuffer *packet, GstClockTime pts, gpointer data)
{
  BridgeRecord *record = data;
  RecordSession *s;

  g_mutex_lock (&record->lock);
  s = record->session;
  if (s != NULL && s->have_keyframe) /* both start together */
    {
      GstClockTime now = vc_media_running_time (s->pipeline, gst_clock_get_time (record->clock));
      GstClockTimeDiff mapped = (GstClockTimeDiff)pts + s->audio_offset;
      GstBuffer *copy;

      if (GST_CLOCK_TIME_IS_VALID (now)
          && (!s->audio_mapped
              || ABS (mapped - (GstClockTimeDiff)now) > (GstClockTimeDiff)RECORD_AUDIO_RESYNC))
        {
          s->audio_offset = (GstClockTimeDiff)now - (GstClockTimeDiff)pts;
          s->audio_mapped = TRUE;
          mapped = (GstClockTimeDiff)now;
        }
      if (s->audio_mapped)
        {
          copy = gst_buffer_copy (packet);
          GST_BUFFER_PTS (copy) = GST_BUFFER_DTS (copy) = (GstClockTime)MAX (mapped, 0);
          gst_app_src_push_buffer (GST_APP_SRC (s->audio_src), copy);
        }
    }
  g_mutex_unlock (&record->lock);
}

/* ---- sessions (main thread) ---- */

static void record_finalize (BridgeRecord *record);

static void
session_free (RecordSession *s)
{
  g_mutex_lock (&registry_lock);
  registry_set_writing (s, NULL);
  g_mutex_unlock (&registry_lock);
  gst_clear_object (&s->video_src);
  gst_clear_object (&s->audio_src);
  g_atomic_rc_box_release_full (s->record, (GDestroyNotify)record_finalize);
  g_free (s);
}

/* the teardown thread, once the pipeline is down */
static void
on_session_disposed (gpointer data)
{
  session_free (data);
}

/* main thread: the pipeline goes; the session with it */
static void
session_dispose (RecordSession *s)
{
  g_clear_handle_id (&s->bus_watch, g_source_remove);
  g_clear_handle_id (&s->close_timeout, g_source_remove);
  vc_media_pipeline_dispose_async_full (g_steal_pointer (&s->pipeline), on_session_disposed, s);
}

static void record_fail (BridgeRecord *record, const gchar *reason, const gchar *message);

/* main thread */
static gboolean
on_session_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  RecordSession *s = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS && s->closing)
    {
      s->bus_watch = 0;
      session_dispose (s);
      return G_SOURCE_REMOVE;
    }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) err = NULL;
      g_autofree gchar *dbg = NULL;
      BridgeRecord *record = s->record;
      gboolean full;

      gst_message_parse_error (msg, &err, &dbg);
      full = g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT);
      g_warning ("recording %s: %s: %s (%s)", record->room_id, GST_OBJECT_NAME (msg->src),
                 err->message, dbg ? dbg : "");
      s->bus_watch = 0;
      if (record->session == s)
        record_fail (record, full ? "disk_full" : "write_error",
                     full ? "disk_full" : err->message); /* disposes s */
      else
        session_dispose (s);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* main thread: a session that did not finish its segment in time */
static gboolean
on_session_close_timeout (gpointer data)
{
  RecordSession *s = data;

  g_warning ("recording: a segment was not finished within %d s", RECORD_CLOSE_TIMEOUT_S);
  s->close_timeout = 0;
  session_dispose (s);
  return G_SOURCE_REMOVE;
}

static RecordSession *
session_new (BridgeRecord *record, GError **error)
{
  const BridgeSettings *set = record->settings;
  /* the two sources only: splitmuxsink needs its muxer before its pads
   * are requested, which a launch line would do first */
  g_autofree gchar *desc = g_strdup_printf (
      "appsrc name=v is-live=true format=time do-timestamp=false leaky-type=downstream "
      "max-bytes=8000000 caps=video/x-vp8,width=%u,height=%u,framerate=%u/1 "
      "appsrc name=a is-live=true format=time do-timestamp=false leaky-type=downstream "
      "max-bytes=1000000 caps=audio/x-opus,rate=48000,channels=1,channel-mapping-family=0",
      set->width, set->height, set->fps);
  RecordSession *s = g_new0 (RecordSession, 1);
  g_autoptr (GstElement) mux = NULL, muxer = NULL, sink = NULL;
  g_autoptr (GstPad) sink_pad = NULL, video_pad = NULL;
  g_autoptr (GstBus) bus = NULL;

  s->pipeline = gst_parse_launch (desc, error);
  if (s->pipeline == NULL)
    {
      g_free (s);
      return NULL;
    }
  s->record = g_atomic_rc_box_acquire (record);
  s->video_src = gst_bin_get_by_name (GST_BIN (s->pipeline), "v");
  s->audio_src = gst_bin_get_by_name (GST_BIN (s->pipeline), "a");
  mux = gst_object_ref_sink (gst_element_factory_make ("splitmuxsink", "mux"));
  g_object_set (mux, "send-keyframe-requests", TRUE, "max-size-time",
                (guint64)set->segment_seconds * GST_SECOND, NULL);
  /* clusters of at most a second: after a kill -9 only the last one is
   * incomplete */
  muxer = gst_element_factory_make ("webmmux", NULL);
  g_object_set (muxer, "max-cluster-duration", (gint64)GST_SECOND, "writing-app", "vc-bridge",
                NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  g_object_set (mux, "muxer", muxer, "sink", sink, NULL);
  g_signal_connect (mux, "format-location-full", G_CALLBACK (on_format_location), s);
  gst_bin_add (GST_BIN (s->pipeline), gst_object_ref (mux));
  if (!gst_element_link_pads (s->video_src, "src", mux, "video")
      || !gst_element_link_pads (s->audio_src, "src", mux, "audio_%u"))
    g_assert_not_reached (); /* fixed caps that webmmux takes */
  sink_pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER, on_file_bytes, s, NULL);
  video_pad = gst_element_get_static_pad (s->video_src, "src");
  gst_pad_add_probe (video_pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_video_upstream_event, s,
                     NULL);
  bus = gst_element_get_bus (s->pipeline);
  s->bus_watch = gst_bus_add_watch (bus, on_session_bus, s);
  /* stamped in the system clock's time from now on: the running time is
   * known before the pipeline is PLAYING */
  gst_pipeline_use_clock (GST_PIPELINE (s->pipeline), record->clock);
  gst_element_set_start_time (s->pipeline, GST_CLOCK_TIME_NONE);
  gst_element_set_base_time (s->pipeline, gst_clock_get_time (record->clock));
  if (gst_element_set_state (s->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_MEDIA,
                   "room %s: the recording pipeline refused to start", record->room_id);
      session_dispose (s);
      return NULL;
    }
  return s;
}

/* main thread: stops feeding the session and lets it finish (@finish) or
 * drops it (a failed one) */
static void
record_close_session (BridgeRecord *record, gboolean finish)
{
  RecordSession *s;

  bridge_video_set_tap (record->video, NULL, NULL);
  bridge_audio_set_tap (record->audio, NULL, NULL);
  g_mutex_lock (&record->lock);
  s = g_steal_pointer (&record->session);
  if (record->keyframe_timer != NULL)
    {
      g_source_destroy (record->keyframe_timer);
      g_clear_pointer (&record->keyframe_timer, g_source_unref);
    }
  g_mutex_unlock (&record->lock);
  if (s == NULL)
    return;
  if (!finish || s->bus_watch == 0)
    {
      session_dispose (s);
      return;
    }
  s->closing = TRUE;
  s->close_timeout = g_timeout_add_seconds (RECORD_CLOSE_TIMEOUT_S, on_session_close_timeout, s);
  gst_app_src_end_of_stream (GST_APP_SRC (s->video_src));
  gst_app_src_end_of_stream (GST_APP_SRC (s->audio_src));
}

/* main thread */
static gboolean
record_open_session (BridgeRecord *record, GError **error)
{
  RecordSession *s;

  if (g_mkdir_with_parents (record->dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_MEDIA, "cannot make '%s': %s", record->dir,
                   g_strerror (saved));
      return FALSE;
    }
  s = session_new (record, error);
  if (s == NULL)
    return FALSE;
  g_mutex_lock (&record->lock);
  record->session = s;
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
  g_warning ("room %s: recording stopped: %s", record->room_id, message);
  record_set_state (record, BRIDGE_RECORD_STATE_FAILED);
  if (record->on_changed != NULL)
    record->on_changed (record->user_data);
}

/* ---- the state machine (main thread) ---- */

gboolean
bridge_record_start (BridgeRecord *record, GError **error)
{
  if (record->state == BRIDGE_RECORD_STATE_RECORDING || record->state == BRIDGE_RECORD_STATE_PAUSED)
    return TRUE;
  if (!bridge_record_room_id_valid (record->room_id))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "room id '%s' cannot name a recording (1 to 64 letters, digits, '-', '_')",
                   record->room_id);
      return FALSE;
    }
  if (!record_open_session (record, error))
    return FALSE;
  g_clear_pointer (&record->error, g_free);
  record->started_at = vc_time_now ();
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
  if (record->state != BRIDGE_RECORD_STATE_PAUSED)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_NOT_RECORDING,
                   "the room's recording is not paused (recording: %s)",
                   bridge_record_state_to_string (record->state));
      return FALSE;
    }
  if (!record_open_session (record, error))
    return FALSE;
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
  g_autoptr (GFile) dir = NULL;
  g_autoptr (GFileInfo) info = NULL;
  guint64 free_bytes;

  if (record->state != BRIDGE_RECORD_STATE_RECORDING)
    return;
  dir = g_file_new_for_path (record->dir);
  info = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return;
  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  if (free_bytes < record->settings->recordings_min_free)
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
