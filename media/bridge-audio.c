/* bridge-audio.c — the mixer thread and the Opus encoders of one room.
 *
 * Encoder pipeline (one per room, not clocked: appsink sync=false):
 *
 *   appsrc mix0 ! opusenc ! appsink enc0      shared mix -> every other listener
 *   appsrc mix1 ! opusenc ! appsink enc1      slot 1 -> its speaker
 *   ...                                       (personal_mixes slots)
 *
 * Slots are sticky: a speaker keeps its slot (and its encoder state) while it
 * stays among the loudest, so encoders do not hop between listeners.
 *
 * Every packet carries its place on the mix's 20 ms timeline to each
 * listener (input_map_pts), so a thread that runs late delays audio but
 * never tears holes in its RTP timeline. The mixer and encoder threads, like
 * every thread that carries audio, ask for [audio] thread_priority. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-audio.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (bridge_audio_debug);
#define GST_CAT_DEFAULT bridge_audio_debug

#define TICK_US (20 * G_TIME_SPAN_MILLISECOND)
#define MAX_INPUTS 128
#define MAX_SLOTS 8 /* [audio] personal_mixes is at most 8 */

struct _BridgeAudioInput
{
  gint index; /* in BridgeAudio.inputs and the detector */
  gchar *endpoint;
  GstElement *output; /* listener's appsrc */
  BridgeAudioRing ring;
  gboolean muted;     /* lock */
  gboolean listening; /* lock */
  gint slot;          /* lock: personal encoder slot, -1 = shared mix */
  gdouble level_db;   /* lock: last raw level */
  /* lock: per encoder (0 = shared, then the slots), its timeline -> this
   * listener's running time. Per encoder because a slot's encoder idles
   * while nobody owns it and its timestamps then no longer match the
   * shared one's: one offset for both made a listener's timeline jump each
   * time it moved between the shared mix and its own. */
  gboolean pts_mapped[1 + MAX_SLOTS];
  GstClockTimeDiff pts_offset[1 + MAX_SLOTS];
};

struct _BridgeAudio
{
  gchar *room_id;
  guint personal_mixes;
  VcMediaThreadPriority priority; /* for the mixer and encoder threads */
  BridgeAudioSpeakerFunc on_speaker;
  gpointer user_data;
  GMainContext *context;

  GstElement *pipeline;
  GstElement **mix_src; /* 1 + personal_mixes appsrcs */
  GstClock *clock;      /* the system clock, which every peer pipeline uses */

  GMutex lock; /* protects everything below */
  GCond cond;
  gboolean running;
  BridgeAudioInput *inputs[MAX_INPUTS];
  BridgeSpeakerDetector detector;
  gint *slot_owner; /* per slot (1-based index into it): input index or -1 */
  GThread *thread;
  guint64 ticks;
  guint64 late_ticks;
  guint64 skipped_ticks;
  guint64 timeline_resyncs; /* a listener's stamps re-anchored (a jump in its timeline) */
  gint64 encoder_gaps;      /* atomic: shared-mix packets > 100 ms after the previous */
  gint64 last_encoded_us;   /* the shared encoder's appsink thread only */
};

/* ---- distribution (encoder appsink streaming threads) ---- */

typedef struct
{
  BridgeAudio *audio;
  gint slot; /* 0 = shared */
} EncoderTap;

/* encoder appsink's streaming thread: the shared encoder's output rate */
static void
audio_count_encoder_gap (BridgeAudio *audio, gint slot)
{
  gint64 now = g_get_monotonic_time ();

  if (slot != 0)
    return;
  if (audio->last_encoded_us != 0 && now - audio->last_encoded_us > 5 * TICK_US)
    g_atomic_pointer_add (&audio->encoder_gaps, 1);
  audio->last_encoded_us = now;
}

#define PTS_RESYNC (200 * GST_MSECOND)

/* Lock held. The listener's PTS for a packet the mix timeline puts at @pts.
 * Packets are stamped with the mix's own 20 ms timeline, not with the time
 * they happen to be pushed (do-timestamp): a packet that leaves late then
 * reaches the listener late but in its place, which its jitter buffer can
 * absorb, instead of shifting the RTP timeline (a hole, then packets
 * stamped on top of each other). */
static GstClockTime
input_map_pts (BridgeAudio *audio, BridgeAudioInput *in, gint slot, GstClockTime pts)
{
  GstClockTime now = gst_clock_get_time (audio->clock);
  GstClockTime base = gst_element_get_base_time (in->output);
  GstClockTimeDiff running, mapped;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || !GST_CLOCK_TIME_IS_VALID (base) || now < base)
    return GST_CLOCK_TIME_NONE;
  running = (GstClockTimeDiff)(now - base);
  mapped = (GstClockTimeDiff)pts + in->pts_offset[slot];
  if (!in->pts_mapped[slot] || ABS (mapped - running) > (GstClockTimeDiff)PTS_RESYNC)
    {
      audio->timeline_resyncs += in->pts_mapped[slot];
      in->pts_offset[slot] = running - (GstClockTimeDiff)pts;
      in->pts_mapped[slot] = TRUE;
      mapped = running;
    }
  return (GstClockTime)MAX (mapped, 0);
}

typedef struct
{
  GstElement *appsrc;
  GstClockTime pts;
} AudioTarget;

/* encoder appsink's streaming thread */
static GstFlowReturn
on_encoded_sample (GstAppSink *sink, gpointer data)
{
  EncoderTap *tap = data;
  BridgeAudio *audio = tap->audio;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  AudioTarget targets[MAX_INPUTS];
  GstClockTime pts;
  guint n = 0;

  if (sample == NULL)
    return GST_FLOW_EOS;
  vc_media_thread_raise (audio->priority); /* once per thread */
  audio_count_encoder_gap (audio, tap->slot);
  pts = GST_BUFFER_PTS (gst_sample_get_buffer (sample));
  g_mutex_lock (&audio->lock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    {
      BridgeAudioInput *in = audio->inputs[i];
      if (in == NULL || !in->listening || in->slot + 1 != tap->slot)
        continue;
      targets[n].appsrc = gst_object_ref (in->output);
      targets[n++].pts = input_map_pts (audio, in, tap->slot, pts);
    }
  g_mutex_unlock (&audio->lock);
  for (guint i = 0; i < n; i++)
    {
      GstBuffer *buf = gst_buffer_copy (gst_sample_get_buffer (sample));
      GST_BUFFER_PTS (buf) = targets[i].pts;
      GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
      gst_app_src_push_buffer (GST_APP_SRC (targets[i].appsrc), buf);
      gst_object_unref (targets[i].appsrc);
    }
  return GST_FLOW_OK;
}

static gboolean
audio_build_pipeline (BridgeAudio *audio, const BridgeSettings *s, GError **error)
{
  g_autoptr (GString) desc = g_string_new (NULL);
  guint n = 1 + s->personal_mixes;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (desc,
                            "appsrc name=mix%u format=time is-live=false max-bytes=96000 "
                            "caps=audio/x-raw,format=S16LE,rate=48000,channels=1,"
                            "layout=interleaved ! opusenc frame-size=20 bitrate=%u "
                            "inband-fec=true packet-loss-percentage=10 audio-type=voice ! "
                            "appsink name=enc%u sync=false async=false max-buffers=50 ",
                            i, s->audio_bitrate_kbps * 1000, i);
  audio->pipeline = gst_parse_launch (desc->str, error);
  if (audio->pipeline == NULL)
    return FALSE;
  vc_media_bus_restore_threads (audio->pipeline);
  audio->mix_src = g_new0 (GstElement *, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *src_name = g_strdup_printf ("mix%u", i);
      g_autofree gchar *sink_name = g_strdup_printf ("enc%u", i);
      g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (audio->pipeline), sink_name);
      GstAppSinkCallbacks cb = { .new_sample = on_encoded_sample };
      EncoderTap *tap = g_new0 (EncoderTap, 1);

      tap->audio = audio;
      tap->slot = (gint)i;
      audio->mix_src[i] = gst_bin_get_by_name (GST_BIN (audio->pipeline), src_name);
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &cb, tap, g_free);
    }
  return TRUE;
}

/* ---- the mixer thread ---- */

typedef struct
{
  gchar *endpoint;
  BridgeAudio *audio;
} SpeakerNotice;

/* main thread */
static gboolean
on_speaker_notice (gpointer data)
{
  SpeakerNotice *notice = data;

  if (notice->audio->on_speaker != NULL) /* NULL once bridge_audio_free() ran */
    notice->audio->on_speaker (notice->endpoint, notice->audio->user_data);
  return G_SOURCE_REMOVE;
}

static void audio_finalize (BridgeAudio *audio);

static void
speaker_notice_free (gpointer data)
{
  SpeakerNotice *notice = data;
  g_atomic_rc_box_release_full (notice->audio, (GDestroyNotify)audio_finalize);
  g_free (notice->endpoint);
  g_free (notice);
}

/* mixer thread, lock held: keeps slots of speakers still loud, fills the rest. */
static void
audio_assign_slots (BridgeAudio *audio, const gint *loudest, guint n_loud)
{
  for (guint s = 0; s < audio->personal_mixes; s++)
    {
      gint owner = audio->slot_owner[s];
      gboolean keep = FALSE;
      for (guint k = 0; k < n_loud; k++)
        keep |= loudest[k] == owner;
      if (owner >= 0 && !keep)
        {
          if (audio->inputs[owner] != NULL)
            audio->inputs[owner]->slot = -1;
          audio->slot_owner[s] = -1;
        }
    }
  for (guint k = 0; k < n_loud; k++)
    {
      BridgeAudioInput *in = audio->inputs[loudest[k]];
      if (in == NULL || in->slot >= 0)
        continue;
      for (guint s = 0; s < audio->personal_mixes; s++)
        if (audio->slot_owner[s] < 0)
          {
            audio->slot_owner[s] = loudest[k];
            in->slot = (gint)s;
            break;
          }
    }
}

static GstBuffer *
audio_frame_buffer (const gint16 *pcm, guint64 tick)
{
  GstBuffer *buf = gst_buffer_new_memdup (pcm, BRIDGE_MIXER_FRAME * sizeof (gint16));

  GST_BUFFER_PTS (buf) = tick * 20 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 20 * GST_MSECOND;
  return buf;
}

/* mixer thread, lock held: one 20 ms tick. Fills @out (1 + personal slots). */
static void
audio_mix_tick (BridgeAudio *audio, gint16 (*frames)[BRIDGE_MIXER_FRAME], GstBuffer **out)
{
  gint32 sum[BRIDGE_MIXER_FRAME] = { 0 };
  gdouble levels[MAX_INPUTS];
  gint16 pcm[BRIDGE_MIXER_FRAME];
  gint loudest[8];
  guint n_loud;

  for (guint i = 0; i < MAX_INPUTS; i++)
    {
      BridgeAudioInput *in = audio->inputs[i];
      levels[i] = BRIDGE_MIXER_SILENCE_DB;
      if (in == NULL)
        continue;
      bridge_audio_ring_pop (&in->ring, frames[i]);
      in->level_db = bridge_mixer_level_db (frames[i]);
      if (in->muted)
        continue;
      levels[i] = in->level_db;
      bridge_mixer_accumulate (sum, frames[i]);
    }
  if (bridge_speaker_detector_update (&audio->detector, levels))
    {
      SpeakerNotice *notice = g_new0 (SpeakerNotice, 1);
      BridgeAudioInput *in = audio->inputs[audio->detector.active];
      notice->audio = g_atomic_rc_box_acquire (audio);
      notice->endpoint = in ? g_strdup (in->endpoint) : NULL;
      g_main_context_invoke_full (audio->context, G_PRIORITY_DEFAULT, on_speaker_notice, notice,
                                  speaker_notice_free);
    }
  n_loud
      = bridge_speaker_detector_loudest (&audio->detector, MIN (audio->personal_mixes, 8), loudest);
  audio_assign_slots (audio, loudest, n_loud);
  bridge_mixer_render (sum, NULL, pcm);
  out[0] = audio_frame_buffer (pcm, audio->ticks);
  /* A slot nobody owns still encodes (the shared mix, sent to nobody): its
   * encoder's timestamps then never fall behind the mix's timeline, and a
   * listener moving between the shared mix and its own keeps one timeline. */
  for (guint s = 0; s < audio->personal_mixes; s++)
    {
      gint owner = audio->slot_owner[s];
      if (owner >= 0)
        bridge_mixer_render (sum, audio->inputs[owner]->muted ? NULL : frames[owner], pcm);
      out[s + 1] = owner >= 0 ? audio_frame_buffer (pcm, audio->ticks) : gst_buffer_ref (out[0]);
    }
  audio->ticks++;
}

/* mixer thread, lock held: deadlines are absolute (start + k * 20 ms), so a
 * late tick is followed at once by the next one until the mixer is back on
 * time. Beyond 100 ms behind (the rings hold no more), the missed ticks are
 * skipped, and counted, but the tick number still follows the clock: the
 * mix's timeline, which stamps every packet, stays the wall clock's. */
static void
audio_catch_up (BridgeAudio *audio, gint64 *next)
{
  gint64 behind = g_get_monotonic_time () - *next;

  if (behind > TICK_US / 2)
    audio->late_ticks++;
  if (behind > 5 * TICK_US)
    {
      guint64 skip = (guint64)(behind / TICK_US);
      audio->ticks += skip;
      audio->skipped_ticks += skip;
      *next += (gint64)skip * TICK_US;
    }
  *next += TICK_US;
}

/* mixer thread ("vc-mixer") */
static gpointer
audio_thread (gpointer data)
{
  BridgeAudio *audio = data;
  gint16 (*frames)[BRIDGE_MIXER_FRAME]
      = g_malloc (sizeof (gint16[BRIDGE_MIXER_FRAME]) * MAX_INPUTS);
  GstBuffer **out = g_new0 (GstBuffer *, 1 + audio->personal_mixes);
  gint64 next = g_get_monotonic_time () + TICK_US;

  /* A late tick is an audible gap for everybody, a late video frame is not:
   * ask for a higher priority than the video threads. */
  vc_media_thread_raise (audio->priority);
  g_mutex_lock (&audio->lock);
  while (audio->running)
    {
      if (g_cond_wait_until (&audio->cond, &audio->lock, next))
        continue; /* woken: re-check running */
      audio_catch_up (audio, &next);
      audio_mix_tick (audio, frames, out);
      g_mutex_unlock (&audio->lock);
      for (guint i = 0; i <= audio->personal_mixes; i++)
        if (out[i] != NULL)
          gst_app_src_push_buffer (GST_APP_SRC (audio->mix_src[i]), g_steal_pointer (&out[i]));
      g_mutex_lock (&audio->lock);
    }
  g_mutex_unlock (&audio->lock);
  g_free (frames);
  g_free (out);
  return NULL;
}

BridgeAudio *
bridge_audio_new (const BridgeSettings *s, const gchar *room_id, BridgeAudioSpeakerFunc on_speaker,
                  gpointer user_data, GError **error)
{
  static gsize once = 0;
  BridgeAudio *audio = g_atomic_rc_box_new0 (BridgeAudio);

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_audio_debug, "bridge-audio", 0, "vc-bridge mix-minus");
      g_once_init_leave (&once, 1);
    }
  audio->room_id = g_strdup (room_id);
  audio->personal_mixes = s->personal_mixes;
  audio->priority = s->audio_priority;
  audio->on_speaker = on_speaker;
  audio->user_data = user_data;
  audio->context = g_main_context_ref_thread_default ();
  audio->clock = gst_system_clock_obtain ();
  g_mutex_init (&audio->lock);
  g_cond_init (&audio->cond);
  bridge_speaker_detector_init (&audio->detector, MAX_INPUTS, s->speaker_threshold_db,
                                s->speaker_margin_db, MAX (1, s->speaker_hold_ms / 20));
  audio->slot_owner = g_new (gint, MAX (1, s->personal_mixes));
  for (guint i = 0; i < s->personal_mixes; i++)
    audio->slot_owner[i] = -1;
  if (!audio_build_pipeline (audio, s, error)
      || gst_element_set_state (audio->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                     "audio encoders refused to start");
      bridge_audio_free (audio);
      return NULL;
    }
  audio->running = TRUE;
  audio->thread = g_thread_new ("vc-mixer", audio_thread, audio);
  return audio;
}

static void
input_free (BridgeAudioInput *in)
{
  bridge_audio_ring_clear (&in->ring);
  gst_object_unref (in->output);
  g_free (in->endpoint);
  g_free (in);
}

/* last reference dropped (main thread) */
static void
audio_finalize (BridgeAudio *audio)
{
  for (guint i = 0; audio->mix_src != NULL && i <= audio->personal_mixes; i++)
    gst_clear_object (&audio->mix_src[i]);
  g_free (audio->mix_src);
  gst_clear_object (&audio->pipeline);
  gst_clear_object (&audio->clock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    g_clear_pointer (&audio->inputs[i], input_free);
  bridge_speaker_detector_clear (&audio->detector);
  g_free (audio->slot_owner);
  g_mutex_clear (&audio->lock);
  g_cond_clear (&audio->cond);
  g_main_context_unref (audio->context);
  g_free (audio->room_id);
}

void
bridge_audio_free (BridgeAudio *audio)
{
  if (audio == NULL)
    return;
  g_mutex_lock (&audio->lock);
  audio->running = FALSE;
  audio->on_speaker = NULL;
  g_cond_signal (&audio->cond);
  g_mutex_unlock (&audio->lock);
  g_clear_pointer (&audio->thread, g_thread_join);
  if (audio->pipeline != NULL)
    gst_element_set_state (audio->pipeline, GST_STATE_NULL);
  g_atomic_rc_box_release_full (audio, (GDestroyNotify)audio_finalize);
}

BridgeAudioInput *
bridge_audio_add_input (BridgeAudio *audio, const gchar *endpoint, GstElement *output)
{
  BridgeAudioInput *in = g_new0 (BridgeAudioInput, 1);

  in->endpoint = g_strdup (endpoint);
  in->output = gst_object_ref (output);
  in->slot = -1;
  in->level_db = BRIDGE_MIXER_SILENCE_DB;
  /* up to 100 ms queued; play once 1 frame is there (the jitter buffer in
   * front already absorbs network jitter) */
  bridge_audio_ring_init (&in->ring, 5, 1);
  g_mutex_lock (&audio->lock);
  for (gint i = 0; i < MAX_INPUTS; i++)
    if (audio->inputs[i] == NULL)
      {
        in->index = i;
        audio->inputs[i] = in;
        bridge_speaker_detector_reset (&audio->detector, i);
        break;
      }
  g_mutex_unlock (&audio->lock);
  if (audio->inputs[in->index] != in)
    {
      GST_ERROR ("room %s: more than %d audio inputs", audio->room_id, MAX_INPUTS);
      input_free (in);
      return NULL;
    }
  return in;
}

void
bridge_audio_remove_input (BridgeAudio *audio, BridgeAudioInput *in)
{
  if (in == NULL)
    return;
  g_mutex_lock (&audio->lock);
  g_assert (audio->inputs[in->index] == in);
  audio->inputs[in->index] = NULL;
  if (in->slot >= 0)
    audio->slot_owner[in->slot] = -1;
  bridge_speaker_detector_reset (&audio->detector, in->index);
  g_mutex_unlock (&audio->lock);
  /* no streaming thread pushes any more: the peer pipeline stopped first */
  input_free (in);
}

void
bridge_audio_set_listening (BridgeAudio *audio, const gchar *endpoint, gboolean listening)
{
  g_mutex_lock (&audio->lock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    if (audio->inputs[i] != NULL && g_str_equal (audio->inputs[i]->endpoint, endpoint))
      audio->inputs[i]->listening = listening;
  g_mutex_unlock (&audio->lock);
}

void
bridge_audio_set_muted (BridgeAudio *audio, const gchar *endpoint, gboolean muted)
{
  g_mutex_lock (&audio->lock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    if (audio->inputs[i] != NULL && g_str_equal (audio->inputs[i]->endpoint, endpoint))
      audio->inputs[i]->muted = muted;
  g_mutex_unlock (&audio->lock);
}

void
bridge_audio_input_push (BridgeAudioInput *in, const gint16 *samples, gsize n)
{
  bridge_audio_ring_push (&in->ring, samples, n);
}

gboolean
bridge_audio_get_info (BridgeAudio *audio, const gchar *endpoint, BridgeAudioInputInfo *info)
{
  gboolean found = FALSE;

  g_mutex_lock (&audio->lock);
  for (guint i = 0; i < MAX_INPUTS && !found; i++)
    {
      BridgeAudioInput *in = audio->inputs[i];
      if (in == NULL || !g_str_equal (in->endpoint, endpoint))
        continue;
      found = TRUE;
      info->level_db = audio->detector.smoothed_db[i];
      info->speaking = !in->muted && info->level_db > audio->detector.threshold_db;
      info->muted = in->muted;
      info->personal_mix = in->slot >= 0;
      g_mutex_lock (&in->ring.lock);
      info->underruns = in->ring.underruns;
      g_mutex_unlock (&in->ring.lock);
    }
  g_mutex_unlock (&audio->lock);
  return found;
}

void
bridge_audio_get_stats (BridgeAudio *audio, BridgeAudioStats *stats)
{
  g_mutex_lock (&audio->lock);
  stats->ticks = audio->ticks;
  stats->late_ticks = audio->late_ticks;
  stats->skipped_ticks = audio->skipped_ticks;
  stats->timeline_resyncs = audio->timeline_resyncs;
  stats->encoder_gaps = g_atomic_pointer_get (&audio->encoder_gaps);
  g_mutex_unlock (&audio->lock);
}
