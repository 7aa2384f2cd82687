/* test-mixer.c — mix-minus arithmetic, rings, speaker hysteresis, layouts and
 * the participants' Opus decoder (losses filled):
 * the bridge's pure logic, no pipelines; and the
 * audio-thread priority helper of libvc-media (raise, once, restore). */
#include "bridge-config.h"
#include "bridge-layout.h"
#include "bridge-tile-pick.h"
#include "bridge-mixer.h"
#include "bridge-opus.h"
#include "vc-media.h"

#include <gst/app/gstappsink.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <glib/gstdio.h>
#include <math.h>
#include <opus.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Power of @freq in @n samples (Goertzel), normalised to a full-scale sine = 1. */
static gdouble
goertzel (const gint16 *x, gsize n, gdouble freq)
{
  gdouble w = 2.0 * G_PI * freq / BRIDGE_MIXER_RATE, c = 2.0 * cos (w), s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      gdouble s0 = x[i] / 32768.0 + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / ((gdouble)n * n / 4.0);
}

static void
sine (gint16 *out, gdouble freq, gdouble amp, guint frame_index)
{
  for (guint i = 0; i < BRIDGE_MIXER_FRAME; i++)
    {
      gdouble t = (gdouble)(frame_index * BRIDGE_MIXER_FRAME + i) / BRIDGE_MIXER_RATE;
      out[i] = (gint16)lrint (amp * 32767.0 * sin (2.0 * G_PI * freq * t));
    }
}

/* A sends 440 Hz, B 660 Hz, C 880 Hz: each personal mix holds the others
 * and not its own tone; the shared mix holds all three. 10 frames (200 ms). */
static void
test_mix_minus_tones (void)
{
  const gdouble freqs[3] = { 440, 660, 880 };
  const guint frames = 10, n = frames * BRIDGE_MIXER_FRAME;
  /* Freed at the end: g_autofree on an array would free only personal[0]. */
  gint16 *personal[3] = { g_new (gint16, n), g_new (gint16, n), g_new (gint16, n) };
  g_autofree gint16 *shared = g_new (gint16, n);

  for (guint f = 0; f < frames; f++)
    {
      gint16 in[3][BRIDGE_MIXER_FRAME];
      gint32 sum[BRIDGE_MIXER_FRAME] = { 0 };
      for (guint p = 0; p < 3; p++)
        {
          sine (in[p], freqs[p], 0.3, f);
          bridge_mixer_accumulate (sum, in[p]);
        }
      bridge_mixer_render (sum, NULL, shared + f * BRIDGE_MIXER_FRAME);
      for (guint p = 0; p < 3; p++)
        bridge_mixer_render (sum, in[p], personal[p] + f * BRIDGE_MIXER_FRAME);
    }
  for (guint p = 0; p < 3; p++)
    for (guint q = 0; q < 3; q++)
      {
        gdouble power = goertzel (personal[p], n, freqs[q]);
        if (p == q)
          g_assert_cmpfloat (power, <, 1e-6); /* own tone: gone */
        else
          g_assert_cmpfloat (power, >, 0.3 * 0.3 * 0.9); /* others: at full level */
      }
  for (guint q = 0; q < 3; q++)
    g_assert_cmpfloat (goertzel (shared, n, freqs[q]), >, 0.3 * 0.3 * 0.9);
  for (guint p = 0; p < 3; p++)
    g_free (personal[p]);
}

/* Ten loud in-phase speakers sum to 10x full scale: the output stays inside
 * int16, never sits at the rails, keeps its sign and is monotonic. */
static void
test_no_clipping (void)
{
  gint32 sum[BRIDGE_MIXER_FRAME] = { 0 };
  gint16 in[BRIDGE_MIXER_FRAME], out[BRIDGE_MIXER_FRAME];
  gint32 prev = G_MININT32;

  sine (in, 440, 1.0, 0);
  for (guint p = 0; p < 10; p++)
    bridge_mixer_accumulate (sum, in);
  bridge_mixer_render (sum, NULL, out);
  for (guint i = 0; i < BRIDGE_MIXER_FRAME; i++)
    {
      g_assert_cmpint (ABS ((gint)out[i]), <, 32767);
      g_assert_true ((sum[i] >= 0) == (out[i] >= 0));
    }
  /* the limiter is the identity below the knee and monotonic above it */
  g_assert_cmpint (bridge_mixer_limit (1000), ==, 1000);
  g_assert_cmpint (bridge_mixer_limit (-24000), ==, -24000);
  for (gint32 v = -400000; v <= 400000; v += 997)
    {
      gint32 y = bridge_mixer_limit (v);
      g_assert_cmpint (y, >=, prev);
      g_assert_cmpint (ABS (y), <=, 32766);
      prev = y;
    }
  g_assert_cmpint (bridge_mixer_limit (G_MAXINT32 / 2), <=, 32766);
}

static void
test_level (void)
{
  gint16 frame[BRIDGE_MIXER_FRAME] = { 0 };

  g_assert_cmpfloat (bridge_mixer_level_db (frame), ==, BRIDGE_MIXER_SILENCE_DB);
  sine (frame, 1000, 1.0, 0);
  g_assert_cmpfloat (fabs (bridge_mixer_level_db (frame) - (-3.01)), <, 0.1);
  sine (frame, 1000, 0.01, 0);
  g_assert_cmpfloat (fabs (bridge_mixer_level_db (frame) - (-43.01)), <, 0.2);
}

static void
test_ring (void)
{
  BridgeAudioRing ring;
  gint16 in[BRIDGE_MIXER_FRAME * 3], out[BRIDGE_MIXER_FRAME];

  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    in[i] = (gint16)i;
  bridge_audio_ring_init (&ring, 4, 2);
  bridge_audio_ring_push (&ring, in, BRIDGE_MIXER_FRAME); /* not primed yet */
  g_assert_false (bridge_audio_ring_pop (&ring, out));
  g_assert_cmpint (out[5], ==, 0);
  bridge_audio_ring_push (&ring, in + BRIDGE_MIXER_FRAME, 500); /* odd-sized chunks */
  bridge_audio_ring_push (&ring, in + BRIDGE_MIXER_FRAME + 500, BRIDGE_MIXER_FRAME - 500);
  g_assert_true (bridge_audio_ring_pop (&ring, out));
  g_assert_cmpint (out[0], ==, 0);
  g_assert_cmpint (out[BRIDGE_MIXER_FRAME - 1], ==, BRIDGE_MIXER_FRAME - 1);
  g_assert_true (bridge_audio_ring_pop (&ring, out));
  g_assert_cmpint (out[0], ==, BRIDGE_MIXER_FRAME);
  g_assert_false (bridge_audio_ring_pop (&ring, out)); /* underrun: silence */
  g_assert_cmpint (ring.underruns, ==, 1);
  /* overflow drops the oldest samples, keeping latency bounded */
  for (guint k = 0; k < 3; k++)
    bridge_audio_ring_push (&ring, in, G_N_ELEMENTS (in));
  g_assert_cmpuint (bridge_audio_ring_depth (&ring), ==, 4 * BRIDGE_MIXER_FRAME);
  g_assert_cmpuint (ring.overflows, >, 0);
  bridge_audio_ring_clear (&ring);
}

/* A standing queue (here 4 spare frames after a burst) is trimmed one frame
 * per window until no whole frame waits between an arrival and the tick. */
static void
test_ring_trims_standing_delay (void)
{
  BridgeAudioRing ring;
  gint16 frame[BRIDGE_MIXER_FRAME] = { 0 }, out[BRIDGE_MIXER_FRAME];

  bridge_audio_ring_init (&ring, 8, 1);
  for (guint i = 0; i < 4; i++) /* burst */
    bridge_audio_ring_push (&ring, frame, BRIDGE_MIXER_FRAME);
  for (guint t = 0; t < 5 * BRIDGE_AUDIO_RING_WINDOW; t++)
    {
      bridge_audio_ring_push (&ring, frame, BRIDGE_MIXER_FRAME); /* steady arrival */
      g_assert_true (bridge_audio_ring_pop (&ring, out));
    }
  g_assert_cmpuint (ring.trims, ==, 4);
  g_assert_cmpuint (bridge_audio_ring_depth (&ring), <, BRIDGE_MIXER_FRAME);
  g_assert_cmpuint (ring.underruns, ==, 0);
  bridge_audio_ring_clear (&ring);
}

/* Two talkers alternating every tick must not flap the active speaker; a
 * clearly louder one takes over after the hold time. */
static void
test_speaker_hysteresis (void)
{
  BridgeSpeakerDetector d;
  gdouble levels[3] = { -20, -22, -127 };
  guint changes = 0;

  bridge_speaker_detector_init (&d, 3, -50, 6, 10);
  for (guint t = 0; t < 200; t++)
    {
      levels[0] = t % 2 ? -20 : -23;
      levels[1] = t % 2 ? -23 : -20;
      changes += bridge_speaker_detector_update (&d, levels);
    }
  g_assert_cmpuint (changes, ==, 1); /* the first one to cross; then no flapping */
  g_assert_cmpint (d.active, >=, 0);
  gint before = d.active;
  levels[0] = levels[1] = -60;
  levels[2] = -10;
  for (guint t = 0; t < 9; t++)
    g_assert_false (bridge_speaker_detector_update (&d, levels) && t < 3);
  for (guint t = 0; t < 40; t++)
    bridge_speaker_detector_update (&d, levels);
  g_assert_cmpint (d.active, ==, 2);
  g_assert_cmpint (before, !=, 2);
  gint loud[3];
  g_assert_cmpuint (bridge_speaker_detector_loudest (&d, 3, loud), ==, 1);
  g_assert_cmpint (loud[0], ==, 2);
  bridge_speaker_detector_clear (&d);
}

static void
test_loudest_order (void)
{
  BridgeSpeakerDetector d;
  gdouble levels[5] = { -30, -10, -127, -20, -40 };
  gint out[3];

  bridge_speaker_detector_init (&d, 5, -50, 6, 1);
  for (guint t = 0; t < 100; t++)
    bridge_speaker_detector_update (&d, levels);
  g_assert_cmpuint (bridge_speaker_detector_loudest (&d, 3, out), ==, 3);
  g_assert_cmpint (out[0], ==, 1);
  g_assert_cmpint (out[1], ==, 3);
  g_assert_cmpint (out[2], ==, 0);
  bridge_speaker_detector_clear (&d);
}

static void
assert_tiles_inside (const BridgeTile *t, guint n, guint W, guint H)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (t[i].x, >=, 0);
      g_assert_cmpint (t[i].y, >=, 0);
      g_assert_cmpuint (t[i].x + t[i].width, <=, W);
      g_assert_cmpuint (t[i].y + t[i].height, <=, H);
      g_assert_cmpuint (t[i].width % 2, ==, 0);
      for (guint k = 0; k < i; k++) /* no overlap */
        g_assert_true (t[i].x >= t[k].x + (gint)t[k].width || t[k].x >= t[i].x + (gint)t[i].width
                       || t[i].y >= t[k].y + (gint)t[k].height
                       || t[k].y >= t[i].y + (gint)t[i].height);
    }
}

static void
test_layouts (void)
{
  BridgeTile t[16];
  guint n;

  n = bridge_layout_compute (BRIDGE_LAYOUT_GRID, 1, -1, -1, 16, 1280, 720, t);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (t[0].width, ==, 1280);
  n = bridge_layout_compute (BRIDGE_LAYOUT_GRID, 44, 30, 0, 16, 1280, 720, t);
  g_assert_cmpuint (n, ==, 16);
  g_assert_cmpuint (t[15].participant, ==, 30); /* the speaker stays on screen */
  assert_tiles_inside (t, n, 1280, 720);
  n = bridge_layout_compute (BRIDGE_LAYOUT_SPEAKER, 5, 3, 0, 16, 1280, 720, t);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (t[0].participant, ==, 3);
  g_assert_cmpuint (t[0].width, >, t[1].width * 2);
  assert_tiles_inside (t, n, 1280, 720);
  n = bridge_layout_compute (BRIDGE_LAYOUT_CHAIR, 26, 7, 0, 16, 1280, 720, t);
  g_assert_cmpuint (t[0].participant, ==, 0);
  g_assert_cmpuint (t[1].participant, ==, 7);
  g_assert_cmpuint (n, ==, 2 + 6); /* chair + speaker + a strip of six */
  assert_tiles_inside (t, n, 1280, 720);
  n = bridge_layout_compute (BRIDGE_LAYOUT_CHAIR, 3, 0, 0, 16, 1280, 720, t);
  g_assert_cmpuint (n, ==, 3); /* chair is the speaker: one large tile */
  assert_tiles_inside (t, n, 1280, 720);
}

/* The grid grows with the room in steps, 1, 2x2, 3x3, 4x4, 5x5, 6x6: every
 * tile of a room of N is the size of a cell of the ceil(sqrt(N)) grid; a
 * full 5 x 5 grid at 1280x720 has 256x144 tiles. */
static void
test_layout_grid_steps (void)
{
  BridgeTile t[BRIDGE_MAX_TILES];
  static const guint steps[][3] = {
    /* N, tile w, h */
    { 1, 1280, 720 }, { 2, 640, 360 },  { 4, 640, 360 },  { 5, 426, 238 },
    { 9, 426, 238 },  { 10, 320, 180 }, { 16, 320, 180 }, { 17, 256, 144 },
    { 25, 256, 144 }, { 26, 212, 118 }, { 36, 212, 118 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      guint n = bridge_layout_compute (BRIDGE_LAYOUT_GRID, steps[i][0], -1, -1, BRIDGE_MAX_TILES,
                                       1280, 720, t);
      g_assert_cmpuint (n, ==, steps[i][0]);
      assert_tiles_inside (t, n, 1280, 720);
      for (guint k = 0; k < n; k++)
        {
          g_assert_cmpuint (t[k].participant, ==, k);
          g_assert_cmpuint (t[k].width, ==, steps[i][1]);
          g_assert_cmpuint (t[k].height, ==, steps[i][2]);
        }
    }
  /* 30 in a grid of at most 25: 25 tiles of 256x144 */
  g_assert_cmpuint (bridge_layout_compute (BRIDGE_LAYOUT_GRID, 30, -1, -1, 25, 1280, 720, t), ==,
                    25);
  g_assert_cmpuint (t[24].width, ==, 256);
}

#define MS(x) ((gint64)(x)*G_TIME_SPAN_MILLISECOND)

static gboolean
picked_has (const gchar *const *c, const guint *out, guint n, const gchar *who)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (c[out[i]], who) == 0)
      return TRUE;
  return FALSE;
}

/* Who the grid shows when the room has more participants than tiles: all
 * in roster order while they fit; then the speaker takes the tile of the
 * one who spoke least recently, in its slot (the others do not move); a
 * tile given less than the hold time ago is not taken (the caller is told
 * when to ask again); the floor holder and the speaker both stay shown. */
static void
test_tile_pick (void)
{
  static const gchar *const c[] = { "a", "b", "c", "d", "e", "f" };
  g_autoptr (BridgeTilePick) pick = bridge_tile_pick_new (2000);
  guint out[6], n, before[6];
  gint64 retry = -1;

  n = bridge_tile_pick_choose (pick, c, 3, NULL, NULL, 4, MS (0), out, &retry);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (out[0] + out[1] * 10 + out[2] * 100, ==, 0 + 10 + 200);
  g_assert_cmpint (retry, ==, 0);
  /* six for four tiles: the first four in roster order */
  n = bridge_tile_pick_choose (pick, c, 6, NULL, NULL, 4, MS (100), out, &retry);
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (picked_has (c, out, n, "d") && !picked_has (c, out, n, "e"));
  /* b and c spoke long ago; a spoke later; d never: e speaks and takes d's slot */
  bridge_tile_pick_spoke (pick, "b", MS (200));
  bridge_tile_pick_spoke (pick, "c", MS (300));
  bridge_tile_pick_spoke (pick, "a", MS (400));
  bridge_tile_pick_spoke (pick, "e", MS (5000));
  memcpy (before, out, sizeof out);
  n = bridge_tile_pick_choose (pick, c, 6, "e", NULL, 4, MS (5000), out, &retry);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (out[3], ==, 4); /* e in d's place */
  g_assert_cmpuint (out[0], ==, before[0]);
  g_assert_cmpuint (out[1], ==, before[1]);
  g_assert_cmpuint (out[2], ==, before[2]);
  g_assert_cmpint (retry, ==, 0);
  /* f speaks: the least recent is b (e is protected anyway) */
  bridge_tile_pick_spoke (pick, "f", MS (5500));
  n = bridge_tile_pick_choose (pick, c, 6, "f", NULL, 4, MS (5500), out, &retry);
  g_assert_true (picked_has (c, out, n, "f") && !picked_has (c, out, n, "b"));
  g_assert_true (picked_has (c, out, n, "e")); /* shown 0.5 s ago: not taken */
  /* everybody else shown recently: d must wait for the hold */
  {
    g_autoptr (BridgeTilePick) p2 = bridge_tile_pick_new (2000);
    n = bridge_tile_pick_choose (p2, c, 6, NULL, NULL, 2, MS (0), out, &retry);
    g_assert_cmpuint (n, ==, 2);
    n = bridge_tile_pick_choose (p2, c, 6, "d", NULL, 2, MS (500), out, &retry);
    g_assert_false (picked_has (c, out, n, "d"));
    g_assert_cmpint (retry, ==, MS (2000));
    n = bridge_tile_pick_choose (p2, c, 6, "d", NULL, 2, MS (2000), out, &retry);
    g_assert_true (picked_has (c, out, n, "d"));
    g_assert_cmpint (retry, ==, 0);
    /* the floor holder (d) and a speaker (f): both shown, d kept */
    n = bridge_tile_pick_choose (p2, c, 6, "d", "f", 2, MS (4000), out, &retry);
    g_assert_cmpuint (n, ==, 2);
    g_assert_true (picked_has (c, out, n, "d") && picked_has (c, out, n, "f"));
    /* a shown one leaves: its slot goes to the next in roster order */
    n = bridge_tile_pick_choose (p2, (const gchar *const[]){ "a", "b", "c", "d", "e" }, 5, "d",
                                 NULL, 2, MS (4100), out, &retry);
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpuint (out[0] + out[1], ==, 3 + 0); /* d stays, a fills f's slot */
  }
  /* no flapping: two hidden talkers alternating every 0.7 s take one tile
   * each, not one after the other's */
  {
    g_autoptr (BridgeTilePick) p3 = bridge_tile_pick_new (2000);
    guint changes = 0;
    gboolean had_e = FALSE;
    n = bridge_tile_pick_choose (p3, c, 6, NULL, NULL, 4, MS (0), out, &retry);
    for (gint64 t = 3000; t < 10000; t += 700)
      {
        const gchar *who = (t / 700) % 2 ? "e" : "f";
        bridge_tile_pick_spoke (p3, who, MS (t));
        memcpy (before, out, sizeof out);
        n = bridge_tile_pick_choose (p3, c, 6, who, NULL, 4, MS (t), out, &retry);
        g_assert_true (picked_has (c, out, n, who));
        for (guint k = 0; k < n; k++)
          changes += out[k] != before[k];
        had_e |= picked_has (c, out, n, "e");
      }
    g_assert_true (had_e);
    g_assert_cmpuint (changes, ==, 2); /* e once, f once, then both stay */
  }
}

static int
thread_nice (void)
{
  return getpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid));
}

/* a thread of its own: raise, raise again (no-op), restore */
static gpointer
raise_and_restore (gpointer data)
{
  int before = thread_nice ();
  VcMediaThreadPriority got = vc_media_thread_raise (VC_MEDIA_THREAD_NICE);

  /* allowed (CAP_SYS_NICE, RLIMIT_NICE) or not, the result says what happened */
  if (got == VC_MEDIA_THREAD_NICE)
    g_assert_cmpint (thread_nice (), ==, MAX (-20, before - 10));
  else
    g_assert_cmpint (thread_nice (), ==, before);
  g_assert_cmpint (vc_media_thread_raise (VC_MEDIA_THREAD_REALTIME), ==, got); /* once */
  vc_media_thread_restore ();
  g_assert_cmpint (thread_nice (), ==, before);
  g_assert_cmpint (vc_media_thread_raise (VC_MEDIA_THREAD_NORMAL), ==, VC_MEDIA_THREAD_NORMAL);
  g_assert_cmpint (thread_nice (), ==, before);
  return NULL;
}

static void
test_thread_priority (void)
{
  g_thread_join (g_thread_new ("raise", raise_and_restore, NULL));
}

/* Counts @pipeline's clocksync elements (inside webrtcbin too) and those
 * that sync. */
static void
count_clocksyncs (GstElement *pipeline, guint *all, guint *syncing)
{
  g_autoptr (GstIterator) it
      = gst_bin_iterate_all_by_element_factory_name (GST_BIN (pipeline), "clocksync");
  GValue item = G_VALUE_INIT;

  *all = *syncing = 0;
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      gboolean sync = FALSE;
      g_object_get (g_value_get_object (&item), "sync", &sync, NULL);
      (*all)++;
      *syncing += sync;
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

static const gchar *const loopback_only[] = { "127.0.0.1", NULL };

static GstWebRTCSessionDescription *
webrtc_describe (GstElement *webrtc, const gchar *what)
{
  GstPromise *promise = gst_promise_new ();
  GstWebRTCSessionDescription *desc = NULL;

  g_signal_emit_by_name (webrtc, what, NULL, promise);
  g_assert_cmpint (gst_promise_wait (promise), ==, GST_PROMISE_RESULT_REPLIED);
  gst_structure_get (gst_promise_get_reply (promise), what + strlen ("create-"),
                     GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL);
  g_assert_nonnull (desc);
  gst_promise_unref (promise);
  return desc;
}

static void
webrtc_set (GstElement *webrtc, const gchar *which, GstWebRTCSessionDescription *desc)
{
  GstPromise *promise = gst_promise_new ();

  g_signal_emit_by_name (webrtc, which, desc, promise);
  g_assert_cmpint (gst_promise_wait (promise), ==, GST_PROMISE_RESULT_REPLIED);
  gst_promise_unref (promise);
}

/* A sender linked to webrtcbin as the bridge's peers link theirs, and an
 * offer/answer with a second webrtcbin (no ICE connection is needed:
 * webrtcbin builds its send path when the answer is set). */
static GstElement *
webrtc_sender_pipeline (gboolean unpaced, GstElement **receiver)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *webrtc = gst_element_factory_make ("webrtcbin", NULL);
  GstElement *remote = gst_element_factory_make ("webrtcbin", NULL);
  GstWebRTCSessionDescription *offer, *answer;
  g_autoptr (GError) error = NULL;
  GstElement *bin;

  if (unpaced)
    vc_webrtc_send_unpaced (pipeline);
  g_assert_nonnull (webrtc);
  gst_bin_add (GST_BIN (pipeline), webrtc);
  g_assert_true (vc_webrtc_restrict_ice (webrtc, loopback_only));
  bin = gst_parse_bin_from_description (
      "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! capsfilter caps=\"application/x-rtp,"
      "media=audio,encoding-name=OPUS,clock-rate=48000,payload=111\"",
      TRUE, &error);
  g_assert_no_error (error);
  gst_bin_add (GST_BIN (pipeline), bin);
  g_assert_true (gst_element_link_pads (bin, "src", webrtc, "sink_%u"));
  *receiver = gst_pipeline_new (NULL);
  gst_bin_add (GST_BIN (*receiver), remote);
  g_assert_true (vc_webrtc_restrict_ice (remote, loopback_only));
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_element_set_state (*receiver, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  offer = webrtc_describe (webrtc, "create-offer");
  webrtc_set (webrtc, "set-local-description", offer);
  webrtc_set (remote, "set-remote-description", offer);
  answer = webrtc_describe (remote, "create-answer");
  webrtc_set (remote, "set-local-description", answer);
  webrtc_set (webrtc, "set-remote-description", answer);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  return pipeline;
}

/* webrtcbin's send clocksync would hold the bridge's mix back to its
 * stamps: vc_webrtc_send_unpaced() turns every one off. Without it, one
 * syncs (so this test fails if webrtcbin stops adding it, or the call stops
 * reaching it). */
static void
test_send_unpaced (void)
{
  g_autoptr (GstElement) paced_rx = NULL, unpaced_rx = NULL;
  g_autoptr (GstElement) paced = webrtc_sender_pipeline (FALSE, &paced_rx);
  g_autoptr (GstElement) unpaced = webrtc_sender_pipeline (TRUE, &unpaced_rx);
  guint all = 0, syncing = 0;

  count_clocksyncs (paced, &all, &syncing);
  g_assert_cmpuint (syncing, >=, 1);
  count_clocksyncs (unpaced, &all, &syncing);
  g_assert_cmpuint (all, >=, 1);
  g_assert_cmpuint (syncing, ==, 0);
  gst_element_set_state (paced, GST_STATE_NULL);
  gst_element_set_state (unpaced, GST_STATE_NULL);
  gst_element_set_state (paced_rx, GST_STATE_NULL);
  gst_element_set_state (unpaced_rx, GST_STATE_NULL);
}

/* Packets told apart from their first bytes (RFC 7983, RFC 5761), as the
 * bridge's and the load generator's receive probes do before decryption. */
static void
test_packet_kind (void)
{
  static const struct
  {
    guint8 bytes[2];
    gsize len;
    VcPacketKind kind;
    guint pt;
    gboolean marker;
  } cases[] = {
    { { 0x00, 0x01 }, 2, VC_PACKET_OTHER, 0, FALSE }, /* STUN binding request */
    { { 0x16, 0xfe }, 2, VC_PACKET_OTHER, 0, FALSE }, /* DTLS handshake */
    { { 0x80, 200 }, 2, VC_PACKET_RTCP, 0, FALSE },   /* sender report */
    { { 0x81, 206 }, 2, VC_PACKET_RTCP, 0, FALSE },   /* PLI (payload-specific feedback) */
    { { 0x80, 0xe0 }, 2, VC_PACKET_RTP, 96, TRUE },   /* VP8, last packet of a frame */
    { { 0x80, 0x60 }, 2, VC_PACKET_RTP, 96, FALSE },
    { { 0x80, 111 }, 2, VC_PACKET_RTP, 111, FALSE }, /* Opus */
    { { 0x80, 0 }, 1, VC_PACKET_OTHER, 0, FALSE },   /* too short */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GstBuffer) buf = gst_buffer_new_memdup (cases[i].bytes, cases[i].len);
      guint pt = 0;
      gboolean marker = FALSE;

      g_assert_cmpint (vc_media_packet_kind (buf, &pt, &marker), ==, cases[i].kind);
      if (cases[i].kind == VC_PACKET_RTP)
        {
          g_assert_cmpuint (pt, ==, cases[i].pt);
          g_assert_cmpint (marker, ==, cases[i].marker);
        }
    }
}

/* ---- the participants' Opus decoder (bridge-opus.h) ---- */

/* @frames packets of 20 ms of a 440 Hz tone, encoded as a room sends its
 * voice (SILK with in-band FEC) */
static GPtrArray *
opus_tone_packets (guint frames)
{
  GPtrArray *packets = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  OpusEncoder *enc = opus_encoder_create (48000, 1, OPUS_APPLICATION_VOIP, NULL);
  gint16 pcm[BRIDGE_MIXER_FRAME];
  guint8 data[1500];

  opus_encoder_ctl (enc, OPUS_SET_BITRATE (24000));
  opus_encoder_ctl (enc, OPUS_SET_SIGNAL (OPUS_SIGNAL_VOICE));
  opus_encoder_ctl (enc, OPUS_SET_INBAND_FEC (1));
  opus_encoder_ctl (enc, OPUS_SET_PACKET_LOSS_PERC (20));
  for (guint f = 0; f < frames; f++)
    {
      int len;
      sine (pcm, 440, 0.3, f);
      len = opus_encode (enc, pcm, BRIDGE_MIXER_FRAME, data, sizeof data);
      g_assert_cmpint (len, >, 0);
      g_ptr_array_add (packets, g_bytes_new (data, (gsize)len));
    }
  opus_encoder_destroy (enc);
  return packets;
}

static void
collect_pcm (const gint16 *pcm, gsize n, gpointer data)
{
  g_array_append_vals (data, pcm, (guint)n);
}

static gboolean
push_packet (BridgeOpusDecoder *dec, GPtrArray *packets, guint index, guint16 seq, GArray *out)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (g_ptr_array_index (packets, index), &len);

  return bridge_opus_decoder_push (dec, seq, data, len, collect_pcm, out);
}

/* Packets 10 and 20-22 of 30 are lost: the output stays continuous (30
 * frames of samples), the frame just before each surviving packet comes from
 * its FEC, the earlier ones from concealment, and the filled frames carry
 * the tone. */
static void
test_opus_fills_losses (void)
{
  g_autoptr (GPtrArray) packets = opus_tone_packets (30);
  g_autoptr (BridgeOpusDecoder) dec = bridge_opus_decoder_new ();
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (gint16));
  BridgeOpusStats st;
  const gint16 *pcm;

  for (guint f = 0; f < 30; f++)
    if (f != 10 && (f < 20 || f > 22))
      g_assert_true (push_packet (dec, packets, f, (guint16)(1000 + f), out));
  g_assert_cmpuint (out->len, ==, 30 * BRIDGE_MIXER_FRAME);
  bridge_opus_decoder_get_stats (dec, &st);
  g_assert_cmpuint (st.packets, ==, 26);
  g_assert_cmpuint (st.fec, ==, 2);
  g_assert_cmpuint (st.concealed, ==, 2);
  g_assert_cmpuint (st.late + st.bad + st.resets, ==, 0);
  pcm = (const gint16 *)out->data;
  /* a full-scale 0.3 tone has power 0.09: decoded frames and the frame
   * rebuilt from FEC after a single loss keep most of it; concealment fades
   * over a burst (its first frame still carries the tone) */
  for (guint f = 5; f < 30; f++)
    if (f < 21 || f > 22)
      g_assert_cmpfloat (goertzel (pcm + f * BRIDGE_MIXER_FRAME, BRIDGE_MIXER_FRAME, 440), >,
                         f == 20 ? 0.3 * 0.3 * 0.3 : 0.3 * 0.3 * 0.5);
}

/* An outage longer than BRIDGE_OPUS_MAX_FILL_MS is not filled (the mixer
 * underruns instead of playing seconds of invented sound); a packet older
 * than one decoded is dropped; sequence numbers wrap. */
static void
test_opus_outage_late_wrap (void)
{
  g_autoptr (GPtrArray) packets = opus_tone_packets (20);
  g_autoptr (BridgeOpusDecoder) dec = bridge_opus_decoder_new ();
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (gint16));
  BridgeOpusStats st;

  /* 65533, 65534, 65535, 0, 1: no hole */
  for (guint f = 0; f < 5; f++)
    g_assert_true (push_packet (dec, packets, f, (guint16)(65533 + f), out));
  g_assert_cmpuint (out->len, ==, 5 * BRIDGE_MIXER_FRAME);
  /* the jitter buffer lets an old one through: dropped */
  g_assert_true (push_packet (dec, packets, 3, 0, out));
  g_assert_cmpuint (out->len, ==, 5 * BRIDGE_MIXER_FRAME);
  /* 40 packets (800 ms) lost: not filled */
  g_assert_true (push_packet (dec, packets, 5, 42, out));
  g_assert_cmpuint (out->len, ==, 6 * BRIDGE_MIXER_FRAME);
  /* 5 lost (100 ms): filled */
  g_assert_true (push_packet (dec, packets, 6, 48, out));
  g_assert_cmpuint (out->len, ==, 12 * BRIDGE_MIXER_FRAME);
  bridge_opus_decoder_get_stats (dec, &st);
  g_assert_cmpuint (st.packets, ==, 7);
  g_assert_cmpuint (st.late, ==, 1);
  g_assert_cmpuint (st.resets, ==, 1);
  g_assert_cmpuint (st.fec, ==, 1);
  g_assert_cmpuint (st.concealed, ==, 4);
}

/* Payloads that are not Opus are dropped and put nothing out; the slot
 * they took is filled when the next good packet arrives. */
static void
test_opus_bad_payloads (void)
{
  static const guint8 zero_frames[] = { 0x03, 0x00 }; /* code 3, frame count 0 */
  static const guint8 too_long[] = { 0x1b, 0x0d };    /* code 3, 13 x 10 ms > 120 ms */
  g_autoptr (GPtrArray) packets = opus_tone_packets (4);
  g_autoptr (BridgeOpusDecoder) dec = bridge_opus_decoder_new ();
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (gint16));
  BridgeOpusStats st;

  g_assert_true (push_packet (dec, packets, 0, 7, out));
  g_assert_false (
      bridge_opus_decoder_push (dec, 8, zero_frames, sizeof zero_frames, collect_pcm, out));
  g_assert_false (bridge_opus_decoder_push (dec, 8, too_long, sizeof too_long, collect_pcm, out));
  g_assert_false (bridge_opus_decoder_push (dec, 8, zero_frames, 0, collect_pcm, out));
  g_assert_cmpuint (out->len, ==, BRIDGE_MIXER_FRAME);
  g_assert_true (push_packet (dec, packets, 2, 9, out));
  g_assert_cmpuint (out->len, ==, 3 * BRIDGE_MIXER_FRAME);
  bridge_opus_decoder_get_stats (dec, &st);
  g_assert_cmpuint (st.bad, ==, 3);
  g_assert_cmpuint (st.packets, ==, 2);
  g_assert_cmpuint (st.fec, ==, 1);
}

/* A VP8 clip knows its keyframes (first bit of each frame), also after a
 * trip through an IVF file, which keeps no buffer flags: a sender resuming
 * after a pause waits for one. Keyframes every second at 15 fps. */
static void
test_clip_keyframes (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcMediaClip) made = vc_media_clip_encode_video (64, 64, 15, 2, &error);
  g_autoptr (VcMediaClip) loaded = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("clip-XXXXXX", &error);
  g_autofree gchar *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "clip.ivf", NULL);
  g_assert_true (vc_media_clip_save (made, path, &error));
  loaded = vc_media_clip_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->frames->len, ==, 30);
  for (guint i = 0; i < loaded->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (loaded->frames, i);
      g_assert_cmpint (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT), ==, i % 15 != 0);
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* Senders shrink their video to what their tile needs, by 1, 2 or 4. */
static void
test_video_divisor (void)
{
  static const guint cases[][5] = {
    /* sender w, h, tile w, h, divisor */
    { 640, 360, 320, 180, 2 },  /* a 4 x 4 grid cell of 1280 x 720 */
    { 640, 360, 160, 90, 4 },   /* a 4 x 4 grid cell of 640 x 360 */
    { 640, 360, 213, 120, 2 },  /* 3 x 3 */
    { 640, 360, 640, 360, 1 },  /* alone */
    { 640, 360, 960, 540, 1 },  /* the speaker's large tile: never upscaled */
    { 640, 360, 321, 180, 1 },  /* half would not cover it */
    { 1280, 720, 320, 180, 4 }, /* a camera at 720p */
    { 640, 360, 0, 0, 1 },      /* not said */
    { 640, 360, 320, 0, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (vc_media_video_divisor (cases[i][0], cases[i][1], cases[i][2], cases[i][3]),
                      ==, cases[i][4]);
}

/* A live sender scales its picture to fit its tile, keeping its aspect:
 * the 5 x 5 grid's 256x144, never upscaled, even sides. */
static void
test_video_fit (void)
{
  static const guint cases[][6] = {
    /* sender w, h, tile w, h, sent w, h */
    { 640, 360, 256, 144, 256, 144 },   /* a 5 x 5 grid cell of 1280 x 720 */
    { 640, 360, 212, 120, 212, 118 },   /* 6 x 6: the width limits */
    { 1280, 720, 320, 180, 320, 180 },  /* 4 x 4 */
    { 640, 480, 256, 144, 192, 144 },   /* 4:3 inside 16:9: the height limits */
    { 640, 360, 960, 540, 640, 360 },   /* larger tile: never upscaled */
    { 640, 360, 0, 0, 640, 360 },       /* not said */
    { 640, 360, 2, 2, 16, 16 },         /* at least 16 */
    { 1920, 1080, 427, 240, 426, 240 }, /* odd: even sides inside the tile */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint w = 0, h = 0;
      vc_media_video_fit (cases[i][0], cases[i][1], cases[i][2], cases[i][3], &w, &h);
      g_assert_cmpuint (w, ==, cases[i][4]);
      g_assert_cmpuint (h, ==, cases[i][5]);
    }
}

/* A pad of one's own pushes into a pipeline without an appsrc thread:
 * refused while the pipeline is not playing, then the stream's start (caps)
 * reaches the element once started, buffers go through on the pushing
 * thread, and it answers queries as a live source. */
static void
test_push_pad (void)
{
  g_autoptr (GstCaps) caps
      = gst_caps_from_string ("audio/x-opus,channel-mapping-family=0,channels=1,rate=48000");
  g_autoptr (GstElement) pipeline
      = gst_parse_launch ("identity name=first ! appsink name=sink sync=false async=false", NULL);
  g_autoptr (GstElement) first = gst_bin_get_by_name (GST_BIN (pipeline), "first");
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_autoptr (GstPad) target = gst_element_get_static_pad (first, "sink");
  g_autoptr (GstPad) pad = vc_media_push_pad_new ("test-stream", caps);
  g_autoptr (GstSample) sample = NULL;
  g_autoptr (GstQuery) latency = gst_query_new_latency ();
  GstBuffer *buf;
  gboolean live = FALSE;

  g_assert_cmpint (gst_pad_link (pad, target), ==, GST_PAD_LINK_OK);
  g_assert_cmpint (gst_pad_push (pad, gst_buffer_new_allocate (NULL, 10, NULL)), ==,
                   GST_FLOW_FLUSHING);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  vc_media_push_pad_start (pad);
  {
    g_autoptr (GstCaps) got = gst_pad_get_current_caps (target);
    g_assert_nonnull (got);
    g_assert_true (gst_caps_is_equal (got, caps));
  }
  buf = gst_buffer_new_allocate (NULL, 10, NULL);
  GST_BUFFER_PTS (buf) = 20 * GST_MSECOND;
  g_assert_cmpint (gst_pad_push (pad, buf), ==, GST_FLOW_OK);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), GST_SECOND);
  g_assert_nonnull (sample);
  g_assert_cmpuint (GST_BUFFER_PTS (gst_sample_get_buffer (sample)), ==, 20 * GST_MSECOND);
  g_assert_true (gst_pad_peer_query (target, latency));
  gst_query_parse_latency (latency, &live, NULL, NULL);
  g_assert_true (live);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* Settings are checked at load: a value out of range or not a number is an
 * error that names the key; the defaults load. */
static BridgeSettings *
settings_with (const gchar *group, const gchar *key, const gchar *value, GError **error)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);

  vc_config_set (config, "bridge", "secret", "unit-test-secret-0123456789");
  if (key != NULL)
    vc_config_set (config, group, key, value);
  return bridge_settings_load (config, error);
}

static void
test_settings (void)
{
  static const gchar *const bad[][3] = {
    { "video", "encoder_speed", "17" },
    { "video", "encoder_speed", "fast" },
    { "video", "max_tiles", "0" },
    { "video", "max_tiles", "37" },
    { "video", "tile_hold_ms", "-5" },
    { "video", "join_keyframe_interval_ms", "x" },
    { "audio", "thread_priority", "high" },
    { "media", "jitter_latency_ms", "-1" },
    { "video", "keyframe_min_interval_ms", "50" },
    { "media", "link_jitter_latency_ms", "2001" },
    { "media", "link_jitter_latency_ms", "x" },
  };
  g_autoptr (GError) error = NULL;
  BridgeSettings *s = settings_with (NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (s->encoder_speed, ==, 16);
  g_assert_cmpuint (s->max_tiles, ==, 25);
  g_assert_cmpuint (s->tile_hold_ms, ==, 2000);
  g_assert_cmpuint (s->keyframe_min_interval_ms, ==, 500);
  g_assert_cmpuint (s->jitter_latency_ms, ==, 30);
  g_assert_cmpuint (s->link_jitter_latency_ms, ==, 30);
  bridge_settings_free (s);
  s = settings_with ("media", "link_jitter_latency_ms", "0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->link_jitter_latency_ms, ==, 0);
  bridge_settings_free (s);
  s = settings_with ("video", "encoder_speed", "4", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->encoder_speed, ==, 4);
  bridge_settings_free (s);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) err = NULL;
      s = settings_with (bad[i][0], bad[i][1], bad[i][2], &err);
      g_assert_null (s);
      g_assert_nonnull (err);
      g_assert_nonnull (strstr (err->message, bad[i][1]));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_test_add_func ("/bridge/mixer/mix-minus-tones", test_mix_minus_tones);
  g_test_add_func ("/bridge/mixer/no-clipping", test_no_clipping);
  g_test_add_func ("/bridge/mixer/level", test_level);
  g_test_add_func ("/bridge/mixer/ring", test_ring);
  g_test_add_func ("/bridge/opus/fills-losses", test_opus_fills_losses);
  g_test_add_func ("/bridge/opus/outage-late-wrap", test_opus_outage_late_wrap);
  g_test_add_func ("/bridge/opus/bad-payloads", test_opus_bad_payloads);
  g_test_add_func ("/bridge/mixer/ring-trims-standing-delay", test_ring_trims_standing_delay);
  g_test_add_func ("/bridge/speaker/hysteresis", test_speaker_hysteresis);
  g_test_add_func ("/bridge/speaker/loudest-order", test_loudest_order);
  g_test_add_func ("/bridge/layout/geometry", test_layouts);
  g_test_add_func ("/bridge/layout/grid-steps", test_layout_grid_steps);
  g_test_add_func ("/bridge/layout/tile-pick", test_tile_pick);
  g_test_add_func ("/media/thread-priority", test_thread_priority);
  g_test_add_func ("/bridge/config/settings", test_settings);
  g_test_add_func ("/media/packet-kind", test_packet_kind);
  g_test_add_func ("/media/clip-keyframes", test_clip_keyframes);
  g_test_add_func ("/media/video-divisor", test_video_divisor);
  g_test_add_func ("/media/video-fit", test_video_fit);
  g_test_add_func ("/media/push-pad", test_push_pad);
  g_test_add_func ("/media/webrtc-send-unpaced", test_send_unpaced);
  return g_test_run ();
}
