/* bridge-audio.c — the mixer thread and the Opus encoders of one room.
 *
 * Every 20 ms the mixer thread mixes, then encodes with libopus itself:
 *
 *   encoder 0   shared mix -> every listener without a slot
 *   encoder 1   slot 1's personal mix -> its speaker
 *   ...         (personal_mixes slots; a slot nobody owns is not encoded)
 *
 * and pushes each packet into its listeners' aout push pads. Encoding here rather
 * than in an opusenc pipeline saves a thread wake-up per encoder and tick,
 * and the GStreamer encoder's multistream calls (bridge-opus.h says what
 * those cost in a virtual machine).
 *
 * Slots are sticky: a speaker keeps its slot (and its encoder state) while it
 * stays among the loudest, so encoders do not hop between listeners; a slot
 * that changes hands starts its encoder afresh.
 *
 * Every packet carries its place on the mix's 20 ms timeline to each
 * listener (input_map_pts), so a thread that runs late delays audio but
 * never tears holes in its RTP timeline. The mixer thread, like every
 * thread that carries audio, asks for [audio] thread_priority. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-audio.h"
#include "vc-atomic.h"

#include <opus.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (bridge_audio_debug);
#define GST_CAT_DEFAULT bridge_audio_debug

#define TICK_US (20 * G_TIME_SPAN_MILLISECOND)
#define MAX_INPUTS 128
#define MAX_PACKET 1500

struct _BridgeAudioInput
{
  gint index; /* in BridgeAudio.inputs and the detector */
  gchar *endpoint;
  GstPad *output;       /* into the listener's payloader (vc_media_push_pad_new) */
  GstElement *pipeline; /* the listener's: its base time */
  BridgeAudioRing ring;
  gboolean muted;     /* lock */
  gboolean listening; /* lock */
  gint slot;          /* lock: personal encoder slot, -1 = shared mix */
  gdouble level_db;   /* lock: last raw level */
  /* lock: the mix's timeline -> this listener's running time. Every
   * encoder's packets are stamped with the tick they were mixed in, so one
   * offset serves the shared mix and the listener's own alike: moving
   * between them does not make its timeline jump. */
  gboolean pts_mapped;
  GstClockTimeDiff pts_offset;
  /* lock: a bridge-to-bridge link (docs/bridge.md, "Cascading"): it always
   * gets its own mix-minus (sum - own) from an encoder of its own, never
   * the shared mix, so that no room anywhere in the tree hears itself */
  OpusEncoder *link_encoder;
};

struct _BridgeAudio
{
  gchar *room_id;
  guint personal_mixes;
  guint bitrate_kbps;
  VcMediaThreadPriority priority; /* for the mixer thread */
  BridgeAudioSpeakerFunc on_speaker;
  gpointer user_data;
  GMainContext *context;

  OpusEncoder **encoders; /* 1 + personal_mixes; the mixer thread only */
  GstClock *clock;        /* the system clock, which every peer pipeline uses */

  GMutex lock; /* protects everything below */
  GCond cond;
  gboolean running;
  BridgeAudioInput *inputs[MAX_INPUTS];
  BridgeSpeakerDetector detector;
  gint *slot_owner;     /* per slot (1-based index into it): input index or -1 */
  gboolean *slot_fresh; /* per slot: changed hands, its encoder starts afresh */
  GThread *thread;
  guint64 ticks;
  guint64 late_ticks;
  guint64 skipped_ticks;
  guint64 timeline_resyncs; /* a listener's stamps re-anchored (a jump in its timeline) */
  gint64 encoder_gaps;      /* atomic: shared-mix packets > 100 ms after the previous */
  gint64 last_encoded_us;   /* the mixer thread only */
  GMutex tap_lock;          /* protects tap and tap_data; held while the tap runs */
  BridgeAudioTap tap;       /* the recorder's (bridge-record.h), or NULL */
  gpointer tap_data;
};

/* ---- encoding and distribution (mixer thread) ---- */

/* the shared encoder's output rate */
static void
audio_count_encoder_gap (BridgeAudio *audio)
{
  gint64 now = g_get_monotonic_time ();

  if (audio->last_encoded_us != 0 && now - audio->last_encoded_us > 5 * TICK_US)
    vc_atomic_int64_add (&audio->encoder_gaps, 1);
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
input_map_pts (BridgeAudio *audio, BridgeAudioInput *in, GstClockTime pts, GstClockTime now)
{
  GstClockTime listener = vc_media_running_time (in->pipeline, now);
  GstClockTimeDiff running, mapped;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || !GST_CLOCK_TIME_IS_VALID (listener))
    return GST_CLOCK_TIME_NONE;
  running = (GstClockTimeDiff)listener;
  mapped = (GstClockTimeDiff)pts + in->pts_offset;
  if (!in->pts_mapped || ABS (mapped - running) > (GstClockTimeDiff)PTS_RESYNC)
    {
      audio->timeline_resyncs += in->pts_mapped;
      in->pts_offset = running - (GstClockTimeDiff)pts;
      in->pts_mapped = TRUE;
      mapped = running;
    }
  return (GstClockTime)MAX (mapped, 0);
}

typedef struct
{
  GstPad *pad;
  GstClockTime pts;
  gint slot;
} AudioTarget;

/* mixer thread, lock not held: sends each listener the packet of its slot
 * (@packets: 1 + personal_mixes, NULL for a slot nobody owns) */
static void
audio_distribute (BridgeAudio *audio, GstBuffer **packets, GstClockTime pts)
{
  AudioTarget targets[MAX_INPUTS];
  guint n = 0;
  GstClockTime now = gst_clock_get_time (audio->clock); /* once for every listener */

  g_mutex_lock (&audio->lock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    {
      BridgeAudioInput *in = audio->inputs[i];
      gint slot = in != NULL ? in->slot + 1 : 0;
      if (in == NULL || !in->listening || in->link_encoder != NULL || packets[slot] == NULL)
        continue;
      targets[n].pad = gst_object_ref (in->output);
      targets[n].slot = slot;
      targets[n++].pts = input_map_pts (audio, in, pts, now);
    }
  g_mutex_unlock (&audio->lock);
  for (guint i = 0; i < n; i++)
    {
      GstBuffer *buf = gst_buffer_copy (packets[targets[i].slot]); /* shares the memory */
      GST_BUFFER_PTS (buf) = targets[i].pts;
      /* payloaded, encrypted and sent on this thread: no thread of the
       * listener wakes for it (FLUSHING while it joins or leaves) */
      gst_pad_push (targets[i].pad, buf);
      gst_object_unref (targets[i].pad);
    }
}

/* mixer thread: 20 ms of @pcm as one Opus packet, or NULL (logged) */
static GstBuffer *
audio_encode (BridgeAudio *audio, guint encoder, const gint16 *pcm)
{
  guint8 data[MAX_PACKET];
  opus_int32 len
      = opus_encode (audio->encoders[encoder], pcm, BRIDGE_MIXER_FRAME, data, sizeof data);
  GstBuffer *buf;

  if (len <= 0)
    {
      GST_WARNING ("room %s: encoder %u: %s", audio->room_id, encoder, opus_strerror (len));
      return NULL;
    }
  buf = gst_buffer_new_memdup (data, (gsize)len);
  GST_BUFFER_DURATION (buf) = 20 * GST_MSECOND;
  return buf;
}

static void
audio_free_encoders (BridgeAudio *audio)
{
  for (guint i = 0; audio->encoders != NULL && i <= audio->personal_mixes; i++)
    if (audio->encoders[i] != NULL)
      opus_encoder_destroy (audio->encoders[i]);
  g_clear_pointer (&audio->encoders, g_free);
}

/* as the participants encode their voice: 20 ms frames (the default), in-band
 * FEC for 10 % loss */
static OpusEncoder *
audio_encoder_new (guint bitrate_kbps, GError **error)
{
  int err = OPUS_OK;
  OpusEncoder *enc = opus_encoder_create (BRIDGE_MIXER_RATE, 1, OPUS_APPLICATION_VOIP, &err);

  if (enc == NULL)
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
                   "cannot create the room's Opus encoder: %s", opus_strerror (err));
      return NULL;
    }
  opus_encoder_ctl (enc, OPUS_SET_BITRATE ((opus_int32)bitrate_kbps * 1000));
  opus_encoder_ctl (enc, OPUS_SET_SIGNAL (OPUS_SIGNAL_VOICE));
  opus_encoder_ctl (enc, OPUS_SET_INBAND_FEC (1));
  opus_encoder_ctl (enc, OPUS_SET_PACKET_LOSS_PERC (10));
  return enc;
}

static gboolean
audio_create_encoders (BridgeAudio *audio, const BridgeSettings *s, GError **error)
{
  audio->bitrate_kbps = s->audio_bitrate_kbps;
  audio->encoders = g_new0 (OpusEncoder *, 1 + s->personal_mixes);
  for (guint i = 0; i <= s->personal_mixes; i++)
    if ((audio->encoders[i] = audio_encoder_new (s->audio_bitrate_kbps, error)) == NULL)
      return FALSE;
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
      if (in == NULL || in->slot >= 0 || in->link_encoder != NULL)
        continue;
      for (guint s = 0; s < audio->personal_mixes; s++)
        if (audio->slot_owner[s] < 0)
          {
            audio->slot_owner[s] = loudest[k];
            audio->slot_fresh[s] = TRUE;
            in->slot = (gint)s;
            break;
          }
    }
}

/* mixer thread, lock held: each link's own mix-minus, encoded with its own
 * encoder (the input cannot go away while the lock is held); the packets
 * go out in audio_distribute_links() once the lock is released */
static guint
audio_encode_links (BridgeAudio *audio, const gint32 *sum, gint16 (*frames)[BRIDGE_MIXER_FRAME],
                    GstClockTime pts, AudioTarget *targets, GstBuffer **packets)
{
  GstClockTime now = gst_clock_get_time (audio->clock);
  gint16 mix[BRIDGE_MIXER_FRAME];
  guint8 data[MAX_PACKET];
  guint n = 0;

  for (guint i = 0; i < MAX_INPUTS; i++)
    {
      BridgeAudioInput *in = audio->inputs[i];
      opus_int32 len;
      if (in == NULL || in->link_encoder == NULL || !in->listening)
        continue;
      bridge_mixer_render (sum, in->muted ? NULL : frames[i], mix);
      len = opus_encode (in->link_encoder, mix, BRIDGE_MIXER_FRAME, data, sizeof data);
      if (len <= 0)
        continue;
      packets[n] = gst_buffer_new_memdup (data, (gsize)len);
      GST_BUFFER_DURATION (packets[n]) = 20 * GST_MSECOND;
      GST_BUFFER_PTS (packets[n]) = input_map_pts (audio, in, pts, now);
      targets[n].pad = gst_object_ref (in->output);
      targets[n].slot = -1;
      targets[n].pts = GST_BUFFER_PTS (packets[n]);
      n++;
    }
  return n;
}

/* mixer thread, lock not held */
static void
audio_distribute_links (AudioTarget *targets, GstBuffer **packets, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      GstFlowReturn ret = gst_pad_push (targets[i].pad, g_steal_pointer (&packets[i]));
      if (ret != GST_FLOW_OK)
        GST_DEBUG_OBJECT (targets[i].pad, "link push: %s", gst_flow_get_name (ret));
      gst_object_unref (targets[i].pad);
    }
}

/* mixer thread, lock held: one 20 ms tick. Renders @mixes (1 + personal
 * slots) and says which are wanted in @wanted (the shared mix always, a slot
 * if somebody owns it). Returns the tick's place on the mix's timeline. */
static GstClockTime
audio_mix_tick (BridgeAudio *audio, gint16 (*frames)[BRIDGE_MIXER_FRAME],
                gint16 (*mixes)[BRIDGE_MIXER_FRAME], gboolean *wanted, AudioTarget *link_targets,
                GstBuffer **link_packets, guint *n_links)
{
  gint32 sum[BRIDGE_MIXER_FRAME] = { 0 };
  gdouble levels[MAX_INPUTS];
  GstClockTime pts = audio->ticks * 20 * GST_MSECOND;
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
  bridge_mixer_render (sum, NULL, mixes[0]);
  wanted[0] = TRUE;
  *n_links = audio_encode_links (audio, sum, frames, pts, link_targets, link_packets);
  for (guint s = 0; s < audio->personal_mixes; s++)
    {
      gint owner = audio->slot_owner[s];
      wanted[s + 1] = owner >= 0;
      if (owner >= 0)
        bridge_mixer_render (sum, audio->inputs[owner]->muted ? NULL : frames[owner], mixes[s + 1]);
      if (owner >= 0 && audio->slot_fresh[s])
        {
          /* a new speaker: not the previous owner's encoder state */
          opus_encoder_ctl (audio->encoders[s + 1], OPUS_RESET_STATE);
          audio->slot_fresh[s] = FALSE;
        }
    }
  audio->ticks++;
  return pts;
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
  guint n_mixes = 1 + audio->personal_mixes;
  gint16 (*frames)[BRIDGE_MIXER_FRAME]
      = g_malloc (sizeof (gint16[BRIDGE_MIXER_FRAME]) * MAX_INPUTS);
  gint16 (*mixes)[BRIDGE_MIXER_FRAME] = g_malloc (sizeof (gint16[BRIDGE_MIXER_FRAME]) * n_mixes);
  gboolean *wanted = g_new0 (gboolean, n_mixes);
  GstBuffer **packets = g_new0 (GstBuffer *, n_mixes);
  gint64 next = g_get_monotonic_time () + TICK_US;
  AudioTarget *link_targets = g_new0 (AudioTarget, MAX_INPUTS);
  GstBuffer **link_packets = g_new0 (GstBuffer *, MAX_INPUTS);
  guint n_links = 0;

  /* A late tick is an audible gap for everybody, a late video frame is not:
   * ask for a higher priority than the video threads. */
  vc_media_thread_raise (audio->priority);
  g_mutex_lock (&audio->lock);
  while (audio->running)
    {
      if (g_cond_wait_until (&audio->cond, &audio->lock, next))
        continue; /* woken: re-check running */
      GstClockTime pts;

      audio_catch_up (audio, &next);
      pts = audio_mix_tick (audio, frames, mixes, wanted, link_targets, link_packets, &n_links);
      g_mutex_unlock (&audio->lock);
      audio_distribute_links (link_targets, link_packets, n_links);
      /* the encoders are the mixer thread's own: no lock while encoding */
      for (guint i = 0; i < n_mixes; i++)
        packets[i] = wanted[i] ? audio_encode (audio, i, mixes[i]) : NULL;
      audio_count_encoder_gap (audio);
      if (packets[0] != NULL)
        audio_distribute (audio, packets, pts);
      g_mutex_lock (&audio->tap_lock);
      if (packets[0] != NULL && audio->tap != NULL)
        audio->tap (packets[0], pts, audio->tap_data);
      g_mutex_unlock (&audio->tap_lock);
      for (guint i = 0; i < n_mixes; i++)
        gst_clear_buffer (&packets[i]);
      g_mutex_lock (&audio->lock);
    }
  g_mutex_unlock (&audio->lock);
  g_free (frames);
  g_free (mixes);
  g_free (wanted);
  g_free (packets);
  g_free (link_targets);
  g_free (link_packets);
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
  g_mutex_init (&audio->tap_lock);
  g_cond_init (&audio->cond);
  bridge_speaker_detector_init (&audio->detector, MAX_INPUTS, s->speaker_threshold_db,
                                s->speaker_margin_db, MAX (1, s->speaker_hold_ms / 20));
  audio->slot_owner = g_new (gint, MAX (1, s->personal_mixes));
  audio->slot_fresh = g_new0 (gboolean, MAX (1, s->personal_mixes));
  for (guint i = 0; i < s->personal_mixes; i++)
    audio->slot_owner[i] = -1;
  if (!audio_create_encoders (audio, s, error))
    {
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
  g_clear_pointer (&in->link_encoder, opus_encoder_destroy);
  gst_object_unref (in->output);
  gst_object_unref (in->pipeline);
  g_free (in->endpoint);
  g_free (in);
}

/* last reference dropped (main thread) */
static void
audio_finalize (BridgeAudio *audio)
{
  audio_free_encoders (audio);
  gst_clear_object (&audio->clock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    g_clear_pointer (&audio->inputs[i], input_free);
  bridge_speaker_detector_clear (&audio->detector);
  g_free (audio->slot_owner);
  g_free (audio->slot_fresh);
  g_mutex_clear (&audio->lock);
  g_mutex_clear (&audio->tap_lock);
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
  g_atomic_rc_box_release_full (audio, (GDestroyNotify)audio_finalize);
}

BridgeAudioInput *
bridge_audio_add_input (BridgeAudio *audio, const gchar *endpoint, GstPad *output,
                        GstElement *pipeline)
{
  BridgeAudioInput *in = g_new0 (BridgeAudioInput, 1);

  in->endpoint = g_strdup (endpoint);
  in->output = gst_object_ref (output);
  in->pipeline = gst_object_ref (pipeline);
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
bridge_audio_set_tap (BridgeAudio *audio, BridgeAudioTap tap, gpointer user_data)
{
  g_mutex_lock (&audio->tap_lock);
  audio->tap = tap;
  audio->tap_data = user_data;
  g_mutex_unlock (&audio->tap_lock);
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
bridge_audio_set_link (BridgeAudio *audio, const gchar *endpoint)
{
  g_mutex_lock (&audio->lock);
  for (guint i = 0; i < MAX_INPUTS; i++)
    {
      BridgeAudioInput *in = audio->inputs[i];
      if (in == NULL || !g_str_equal (in->endpoint, endpoint) || in->link_encoder != NULL)
        continue;
      in->link_encoder = audio_encoder_new (audio->bitrate_kbps, NULL);
      if (in->slot >= 0) /* its own mix from now on, not a slot's */
        audio->slot_owner[in->slot] = -1;
      in->slot = -1;
    }
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
  stats->encoder_gaps = vc_atomic_int64_get (&audio->encoder_gaps);
  g_mutex_unlock (&audio->lock);
}
