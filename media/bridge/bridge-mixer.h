/* bridge-mixer.h — the arithmetic of mix-minus, with no GStreamer in it.
 *
 * Audio in the bridge is 48 kHz mono S16 in frames of 20 ms (960 samples).
 * Every tick the room's mixer thread pops one frame per speaker from its
 * ring, sums them once in int32 and renders:
 *   - the shared mix:      limit (sum)          encoded once for most listeners
 *   - a personal mix:      limit (sum - own)    for each of the few loudest
 * The soft limiter keeps every output inside int16 without hard clipping
 * below 0.75 full scale. The ring absorbs arrival jitter between a peer's
 * decoder thread (producer) and the mixer thread (consumer). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BRIDGE_MIXER_RATE 48000
#define BRIDGE_MIXER_FRAME 960 /* samples per 20 ms frame */
#define BRIDGE_MIXER_SILENCE_DB (-127.0)

/* @sum[i] += @frame[i] for one frame. */
void bridge_mixer_accumulate (gint32 *sum, const gint16 *frame);

/* @out = limit (@sum - @own); @own may be NULL (shared mix). */
void bridge_mixer_render (const gint32 *sum, const gint16 *own, gint16 *out);

/* The soft limiter on one sample: identity up to 0.75 full scale, then a
 * tanh knee that approaches but never reaches ±32767. */
gint16 bridge_mixer_limit (gint32 sample);

/* RMS level of one frame in dBFS (BRIDGE_MIXER_SILENCE_DB for silence). */
gdouble bridge_mixer_level_db (const gint16 *frame);

/* A ring of frames between one producer and one consumer thread. Its own
 * mutex protects every field. */
typedef struct
{
  GMutex lock;
  gint16 *samples;
  gsize capacity; /* samples */
  gsize read_pos; /* samples */
  gsize count;    /* samples stored */
  gsize prime;    /* samples needed before the first pop after an underrun */
  gboolean primed;
  guint64 underruns; /* pops that found less than a frame */
  guint64 overflows; /* samples dropped because the ring was full */
  guint64 trims;     /* frames dropped to bring a standing queue back down */
  gsize window_min;  /* smallest depth after a pop in the current window */
  guint window_pops;
} BridgeAudioRing;

/* Pops per latency window: when the ring never held less than a whole
 * spare frame during a window (1 s), one frame is dropped, so a burst at
 * start-up does not leave a standing delay behind it. */
#define BRIDGE_AUDIO_RING_WINDOW 50

/* @max_frames: capacity; @prime_frames: depth to reach before playing. */
void bridge_audio_ring_init (BridgeAudioRing *ring, guint max_frames, guint prime_frames);
void bridge_audio_ring_clear (BridgeAudioRing *ring);
/* producer thread: appends @n samples, dropping the oldest when full. */
void bridge_audio_ring_push (BridgeAudioRing *ring, const gint16 *samples, gsize n);
/* consumer thread: one frame into @out; FALSE (and silence) on underrun. */
gboolean bridge_audio_ring_pop (BridgeAudioRing *ring, gint16 *out);
gsize bridge_audio_ring_depth (BridgeAudioRing *ring);

/* Active-speaker detection with hysteresis. Levels are smoothed; the active
 * speaker changes only when another participant has been louder by
 * @margin_db for @hold_ticks consecutive ticks, and above @threshold_db. */
typedef struct
{
  guint n;              /* participants tracked (slots) */
  gdouble *smoothed_db; /* per slot */
  guint *louder_ticks;  /* per slot: consecutive ticks louder than the active one */
  gint active;          /* slot or -1 */
  gdouble threshold_db;
  gdouble margin_db;
  guint hold_ticks;
} BridgeSpeakerDetector;

void bridge_speaker_detector_init (BridgeSpeakerDetector *d, guint n, gdouble threshold_db,
                                   gdouble margin_db, guint hold_ticks);
void bridge_speaker_detector_clear (BridgeSpeakerDetector *d);
/* Resets slot @i (a participant left or joined on it). */
void bridge_speaker_detector_reset (BridgeSpeakerDetector *d, guint i);
/* Feeds one tick of raw levels (dBFS, per slot; absent slots at
 * BRIDGE_MIXER_SILENCE_DB). Returns TRUE when the active speaker changed. */
gboolean bridge_speaker_detector_update (BridgeSpeakerDetector *d, const gdouble *levels_db);
/* Writes up to @k slots, loudest first, whose smoothed level is above the
 * threshold; returns how many. */
guint bridge_speaker_detector_loudest (BridgeSpeakerDetector *d, guint k, gint *out);

G_END_DECLS
