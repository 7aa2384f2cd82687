/* bridge-mixer.c — mix-minus arithmetic, frame rings and speaker detection.
 *
 * Pure C on purpose: the tests feed it sine tones and check with a Goertzel
 * filter that a listener never hears itself and that nothing clips. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-mixer.h"

#include <math.h>
#include <string.h>

#define LIMIT_KNEE 24576.0 /* 0.75 full scale */
#define LIMIT_CEILING 32767.0
#define SMOOTHING 0.2 /* weight of the new tick in the level average */

void
bridge_mixer_accumulate (gint32 *sum, const gint16 *frame)
{
  for (guint i = 0; i < BRIDGE_MIXER_FRAME; i++)
    sum[i] += frame[i];
}

gint16
bridge_mixer_limit (gint32 sample)
{
  gdouble x = sample, mag = fabs (x), over, y;

  if (mag <= LIMIT_KNEE)
    return (gint16)sample;
  over = (mag - LIMIT_KNEE) / (LIMIT_CEILING - LIMIT_KNEE);
  y = LIMIT_KNEE + (LIMIT_CEILING - LIMIT_KNEE) * tanh (over);
  y = MIN (y, LIMIT_CEILING - 1.0); /* tanh rounds to 1 for large overs */
  return (gint16)(x < 0 ? -floor (y) : floor (y));
}

void
bridge_mixer_render (const gint32 *sum, const gint16 *own, gint16 *out)
{
  for (guint i = 0; i < BRIDGE_MIXER_FRAME; i++)
    {
      gint32 v = sum[i] - (own != NULL ? own[i] : 0);
      /* fast path: most samples of speech mixes sit below the knee */
      out[i] = (v >= -(gint32)LIMIT_KNEE && v <= (gint32)LIMIT_KNEE) ? (gint16)v
                                                                     : bridge_mixer_limit (v);
    }
}

gdouble
bridge_mixer_level_db (const gint16 *frame)
{
  gdouble acc = 0;

  for (guint i = 0; i < BRIDGE_MIXER_FRAME; i++)
    acc += (gdouble)frame[i] * frame[i];
  if (acc <= 0)
    return BRIDGE_MIXER_SILENCE_DB;
  return MAX (BRIDGE_MIXER_SILENCE_DB,
              10.0 * log10 (acc / BRIDGE_MIXER_FRAME / (32768.0 * 32768.0)));
}

/* ---- ring ---- */

void
bridge_audio_ring_init (BridgeAudioRing *ring, guint max_frames, guint prime_frames)
{
  memset (ring, 0, sizeof *ring);
  g_mutex_init (&ring->lock);
  ring->capacity = (gsize)MAX (max_frames, 2) * BRIDGE_MIXER_FRAME;
  ring->prime = (gsize)CLAMP (prime_frames, 1, max_frames) * BRIDGE_MIXER_FRAME;
  ring->samples = g_new0 (gint16, ring->capacity);
}

void
bridge_audio_ring_clear (BridgeAudioRing *ring)
{
  g_clear_pointer (&ring->samples, g_free);
  g_mutex_clear (&ring->lock);
}

void
bridge_audio_ring_push (BridgeAudioRing *ring, const gint16 *samples, gsize n)
{
  g_mutex_lock (&ring->lock);
  if (n > ring->capacity)
    {
      ring->overflows += n - ring->capacity;
      samples += n - ring->capacity;
      n = ring->capacity;
    }
  if (ring->count + n > ring->capacity)
    {
      gsize drop = ring->count + n - ring->capacity;
      ring->read_pos = (ring->read_pos + drop) % ring->capacity;
      ring->count -= drop;
      ring->overflows += drop;
    }
  for (gsize i = 0; i < n; i++)
    ring->samples[(ring->read_pos + ring->count + i) % ring->capacity] = samples[i];
  ring->count += n;
  if (ring->count >= ring->prime)
    ring->primed = TRUE;
  g_mutex_unlock (&ring->lock);
}

/* lock held, after a successful pop */
static void
ring_trim (BridgeAudioRing *ring)
{
  if (ring->window_pops == 0 || ring->count < ring->window_min)
    ring->window_min = ring->count;
  if (++ring->window_pops < BRIDGE_AUDIO_RING_WINDOW)
    return;
  if (ring->window_min >= BRIDGE_MIXER_FRAME)
    {
      ring->read_pos = (ring->read_pos + BRIDGE_MIXER_FRAME) % ring->capacity;
      ring->count -= BRIDGE_MIXER_FRAME;
      ring->trims++;
    }
  ring->window_pops = 0;
}

gboolean
bridge_audio_ring_pop (BridgeAudioRing *ring, gint16 *out)
{
  gboolean ok;

  g_mutex_lock (&ring->lock);
  ok = ring->primed && ring->count >= BRIDGE_MIXER_FRAME;
  if (ok)
    {
      for (guint i = 0; i < BRIDGE_MIXER_FRAME; i++)
        out[i] = ring->samples[(ring->read_pos + i) % ring->capacity];
      ring->read_pos = (ring->read_pos + BRIDGE_MIXER_FRAME) % ring->capacity;
      ring->count -= BRIDGE_MIXER_FRAME;
      ring_trim (ring);
    }
  else
    {
      memset (out, 0, BRIDGE_MIXER_FRAME * sizeof (gint16));
      if (ring->primed)
        ring->underruns++;
      ring->primed = FALSE; /* build the cushion again before playing */
    }
  g_mutex_unlock (&ring->lock);
  return ok;
}

gsize
bridge_audio_ring_depth (BridgeAudioRing *ring)
{
  gsize depth;

  g_mutex_lock (&ring->lock);
  depth = ring->count;
  g_mutex_unlock (&ring->lock);
  return depth;
}

/* ---- speaker detection ---- */

void
bridge_speaker_detector_init (BridgeSpeakerDetector *d, guint n, gdouble threshold_db,
                              gdouble margin_db, guint hold_ticks)
{
  memset (d, 0, sizeof *d);
  d->n = n;
  d->smoothed_db = g_new (gdouble, n);
  d->louder_ticks = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    d->smoothed_db[i] = BRIDGE_MIXER_SILENCE_DB;
  d->active = -1;
  d->threshold_db = threshold_db;
  d->margin_db = margin_db;
  d->hold_ticks = hold_ticks;
}

void
bridge_speaker_detector_clear (BridgeSpeakerDetector *d)
{
  g_clear_pointer (&d->smoothed_db, g_free);
  g_clear_pointer (&d->louder_ticks, g_free);
}

void
bridge_speaker_detector_reset (BridgeSpeakerDetector *d, guint i)
{
  g_return_if_fail (i < d->n);
  d->smoothed_db[i] = BRIDGE_MIXER_SILENCE_DB;
  d->louder_ticks[i] = 0;
  if (d->active == (gint)i)
    d->active = -1;
}

gboolean
bridge_speaker_detector_update (BridgeSpeakerDetector *d, const gdouble *levels_db)
{
  gdouble active_db;
  gint best = -1;

  for (guint i = 0; i < d->n; i++)
    d->smoothed_db[i] = (1.0 - SMOOTHING) * d->smoothed_db[i] + SMOOTHING * levels_db[i];
  active_db = d->active >= 0 ? d->smoothed_db[d->active] : d->threshold_db;
  for (guint i = 0; i < d->n; i++)
    {
      gboolean louder = (gint)i != d->active && d->smoothed_db[i] > d->threshold_db
                        && d->smoothed_db[i] > active_db + (d->active >= 0 ? d->margin_db : 0);
      d->louder_ticks[i] = louder ? d->louder_ticks[i] + 1 : 0;
      if (d->louder_ticks[i] >= d->hold_ticks
          && (best < 0 || d->smoothed_db[i] > d->smoothed_db[best]))
        best = (gint)i;
    }
  if (best < 0)
    return FALSE;
  d->active = best;
  for (guint i = 0; i < d->n; i++)
    d->louder_ticks[i] = 0;
  return TRUE;
}

guint
bridge_speaker_detector_loudest (BridgeSpeakerDetector *d, guint k, gint *out)
{
  guint found = 0;

  for (guint i = 0; i < d->n; i++)
    {
      guint pos;

      if (d->smoothed_db[i] <= d->threshold_db)
        continue;
      /* insertion into the short sorted list @out[0..found) */
      for (pos = found; pos > 0 && d->smoothed_db[out[pos - 1]] < d->smoothed_db[i]; pos--)
        if (pos < k)
          out[pos] = out[pos - 1];
      if (pos < k)
        {
          out[pos] = (gint)i;
          found = MIN (found + 1, k);
        }
    }
  return found;
}
