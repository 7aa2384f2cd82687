/* bridge-audio.h — a room's mix-minus engine.
 *
 * Each participant's Opus is decoded once (in its peer pipeline) and pushed
 * into its input ring. A dedicated GThread ("vc-mixer", one per room) wakes
 * every 20 ms on the monotonic clock, sums every input once, and renders the
 * shared mix plus one personal mix (sum - own) for each of the loudest
 * speakers. The same thread encodes the shared mix with one Opus encoder and
 * each personal mix with its own (one per slot, [audio] personal_mixes), and
 * pushes the packets into each listener's pipeline through its aout push pad
 * (vc_media_push_pad_new): the shared packets to everybody without a slot, a
 * slot's packets to its speaker.
 *
 * Threads: inputs are pushed from peers' streaming threads; the mixer thread
 * reads them, encodes and distributes; the main thread adds/removes inputs
 * and changes mutes. BridgeAudio.lock protects the
 * input table and slot assignments; each ring has its own lock. */
#pragma once

#include "bridge-config.h"
#include "bridge-mixer.h"

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _BridgeAudio BridgeAudio;
typedef struct _BridgeAudioInput BridgeAudioInput;

/* main thread: called (through g_main_context_invoke) when the active speaker
 * changes; @endpoint may be NULL. */
typedef void (*BridgeAudioSpeakerFunc) (const gchar *endpoint, gpointer user_data);

BridgeAudio *bridge_audio_new (const BridgeSettings *settings, const gchar *room_id,
                               BridgeAudioSpeakerFunc on_speaker, gpointer user_data,
                               GError **error);
/* Stops the mixer thread (blocks for at most one tick). */
void bridge_audio_free (BridgeAudio *audio);

/* main thread. @output: where the mixer thread pushes the listener's Opus
 * packets (vc_media_push_pad_new, audio/x-opus), stamped in the running
 * time of @pipeline; both referenced. */
BridgeAudioInput *bridge_audio_add_input (BridgeAudio *audio, const gchar *endpoint, GstPad *output,
                                          GstElement *pipeline);
void bridge_audio_remove_input (BridgeAudio *audio, BridgeAudioInput *input);
void bridge_audio_set_muted (BridgeAudio *audio, const gchar *endpoint, gboolean muted);
/* main thread: @endpoint's input is a bridge-to-bridge link (a child
 * bridge on the parent, the uplink on the child): from now on it always
 * gets its own mix-minus (everything but itself) from an encoder of its
 * own, whatever the loudness ranking, and never takes a personal slot. */
void bridge_audio_set_link (BridgeAudio *audio, const gchar *endpoint);
/* main thread: a listener starts/stops receiving (not before DTLS is up). */
void bridge_audio_set_listening (BridgeAudio *audio, const gchar *endpoint, gboolean listening);

/* streaming thread: decoded S16 48 kHz mono samples from the participant. */
void bridge_audio_input_push (BridgeAudioInput *input, const gint16 *samples, gsize n);

typedef struct
{
  gdouble level_db;
  gboolean speaking;
  gboolean muted;
  gboolean personal_mix;
  guint64 underruns; /* ticks that found no audio from this participant */
} BridgeAudioInputInfo;

/* any thread: FALSE when @endpoint has no input. */
gboolean bridge_audio_get_info (BridgeAudio *audio, const gchar *endpoint,
                                BridgeAudioInputInfo *info);

/* The mixer thread: every Opus packet of the shared mix (everybody, no
 * mix-minus), with its place @pts on the mix's 20 ms timeline. */
typedef void (*BridgeAudioTap) (GstBuffer *packet, GstClockTime pts, gpointer user_data);

/* main thread: @tap (NULL: none) sees every shared-mix packet from now on;
 * a tap removed is not called any more once this returns. */
void bridge_audio_set_tap (BridgeAudio *audio, BridgeAudioTap tap, gpointer user_data);

typedef struct
{
  guint64 ticks;            /* 20 ms mixes done */
  guint64 late_ticks;       /* mixes that started more than 10 ms after their time */
  guint64 skipped_ticks;    /* mixes never done: the mixer was more than 100 ms late */
  guint64 timeline_resyncs; /* a listener's packets re-anchored to the clock because
                             * they left more than 200 ms off their place */
  guint64 encoder_gaps;     /* shared-mix packets encoded > 100 ms after the previous one */
} BridgeAudioStats;

void bridge_audio_get_stats (BridgeAudio *audio, BridgeAudioStats *stats);

G_END_DECLS
