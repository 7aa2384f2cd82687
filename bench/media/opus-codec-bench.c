/* opus-codec-bench — what the bridge's Opus decoding (one per participant)
 * and encoding (one per mix) cost, two ways each, in the same run:
 *
 *   multistream  opus_multistream_decode () / _encode (), one mono stream:
 *                what GStreamer's opusdec and opusenc call for every packet
 *   plain        opus_decode () / opus_encode (): what the bridge calls
 *                since session 4 (bridge-opus.c, bridge-audio.c)
 *
 * Debian's libopus is built with custom modes; there every multistream
 * call asks opus_decoder_get_size () or opus_encoder_get_size (), which run
 * CPUID (opus_select_arch) again. In a virtual machine CPUID traps to the
 * hypervisor, so the run also times CPUID alone.
 *
 *   build/bench/media/opus-codec-bench [SECONDS_OF_AUDIO]
 *
 * Prints one JSON line. Input: a 440 Hz tone with noise, 48 kHz mono,
 * encoded as the bridge's participants send it (20 ms, 32 kbit/s, FEC). */
#include <cpuid.h>
#include <glib.h>
#include <math.h>
#include <opus.h>
#include <opus_multistream.h>
#include <stdio.h>
#include <stdlib.h>

#define FRAME 960 /* 20 ms at 48 kHz */

typedef struct
{
  guchar data[1500];
  gint len;
} Packet;

static gint16 *
make_pcm (guint frames)
{
  gint16 *pcm = g_new (gint16, (gsize)frames * FRAME);
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < frames * FRAME; i++)
    pcm[i] = (gint16)(8000.0 * sin (2.0 * G_PI * 440.0 * i / 48000.0)
                      + g_rand_int_range (rand, -500, 500));
  g_rand_free (rand);
  return pcm;
}

/* the bridge's and its participants' settings: 20 ms, 32 kbit/s, FEC */
#define SET_UP(ctl, enc)                                                                           \
  do                                                                                               \
    {                                                                                              \
      ctl (enc, OPUS_SET_BITRATE (32000));                                                         \
      ctl (enc, OPUS_SET_INBAND_FEC (1));                                                          \
      ctl (enc, OPUS_SET_PACKET_LOSS_PERC (10));                                                   \
    }                                                                                              \
  while (0)

/* Fills @packets (when not NULL); returns µs per packet. */
static gdouble
time_encode_plain (const gint16 *pcm, guint frames, GArray *packets)
{
  OpusEncoder *enc = opus_encoder_create (48000, 1, OPUS_APPLICATION_VOIP, NULL);
  gint64 t0 = g_get_monotonic_time ();

  SET_UP (opus_encoder_ctl, enc);
  for (guint f = 0; f < frames; f++)
    {
      Packet p;
      p.len = opus_encode (enc, pcm + f * FRAME, FRAME, p.data, sizeof p.data);
      if (p.len <= 0)
        g_error ("opus_encode: %s", opus_strerror (p.len));
      if (packets != NULL)
        g_array_append_val (packets, p);
    }
  t0 = g_get_monotonic_time () - t0;
  opus_encoder_destroy (enc);
  return (gdouble)t0 / frames;
}

static gdouble
time_encode_multistream (const gint16 *pcm, guint frames)
{
  static const guchar mapping[1] = { 0 };
  OpusMSEncoder *enc
      = opus_multistream_encoder_create (48000, 1, 1, 0, mapping, OPUS_APPLICATION_VOIP, NULL);
  gint64 t0 = g_get_monotonic_time ();
  Packet p;

  SET_UP (opus_multistream_encoder_ctl, enc);
  for (guint f = 0; f < frames; f++)
    {
      p.len = opus_multistream_encode (enc, pcm + f * FRAME, FRAME, p.data, sizeof p.data);
      if (p.len <= 0)
        g_error ("opus_multistream_encode: %s", opus_strerror (p.len));
    }
  t0 = g_get_monotonic_time () - t0;
  opus_multistream_encoder_destroy (enc);
  return (gdouble)t0 / frames;
}

/* µs per packet */
static gdouble
time_multistream (GArray *packets)
{
  static const guchar mapping[1] = { 0 };
  OpusMSDecoder *dec = opus_multistream_decoder_create (48000, 1, 1, 0, mapping, NULL);
  gint16 pcm[FRAME];
  gint64 t0 = g_get_monotonic_time ();

  for (guint f = 0; f < packets->len; f++)
    {
      Packet *p = &g_array_index (packets, Packet, f);
      if (opus_multistream_decode (dec, p->data, p->len, pcm, FRAME, 0) != FRAME)
        g_error ("multistream decode failed");
    }
  t0 = g_get_monotonic_time () - t0;
  opus_multistream_decoder_destroy (dec);
  return (gdouble)t0 / packets->len;
}

static gdouble
time_plain (GArray *packets)
{
  OpusDecoder *dec = opus_decoder_create (48000, 1, NULL);
  gint16 pcm[FRAME];
  gint64 t0 = g_get_monotonic_time ();

  for (guint f = 0; f < packets->len; f++)
    {
      Packet *p = &g_array_index (packets, Packet, f);
      if (opus_decode (dec, p->data, p->len, pcm, FRAME, 0) != FRAME)
        g_error ("decode failed");
    }
  t0 = g_get_monotonic_time () - t0;
  opus_decoder_destroy (dec);
  return (gdouble)t0 / packets->len;
}

/* µs per CPUID instruction */
static gdouble
time_cpuid (guint n)
{
  guint a, b, c, d, sink = 0;
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      __cpuid (0, a, b, c, d);
      sink += a;
    }
  t0 = g_get_monotonic_time () - t0;
  if (sink == 0)
    g_printerr ("CPUID leaf 0 reports no leaves\n");
  return (gdouble)t0 / n;
}

int
main (int argc, char **argv)
{
  guint seconds = argc > 1 ? (guint)atoi (argv[1]) : 60;
  GArray *packets;
  gint16 *pcm;
  gdouble ms = G_MAXDOUBLE, plain = G_MAXDOUBLE, enc_ms = G_MAXDOUBLE, enc_plain = G_MAXDOUBLE;
  gdouble cpuid;

  if (seconds == 0)
    {
      g_printerr ("usage: %s [SECONDS_OF_AUDIO (1 or more)]\n", argv[0]);
      return 2;
    }
  pcm = make_pcm (seconds * 50);
  packets = g_array_sized_new (FALSE, FALSE, sizeof (Packet), seconds * 50);
  time_encode_plain (pcm, seconds * 50, packets);
  /* alternate, best of 3 each: the machine is noisy */
  for (guint round = 0; round < 3; round++)
    {
      ms = MIN (ms, time_multistream (packets));
      plain = MIN (plain, time_plain (packets));
      enc_ms = MIN (enc_ms, time_encode_multistream (pcm, seconds * 50));
      enc_plain = MIN (enc_plain, time_encode_plain (pcm, seconds * 50, NULL));
    }
  cpuid = time_cpuid (100000);
  printf ("{\"packets\":%u,\"decode_multistream_us\":%.2f,\"decode_plain_us\":%.2f,"
          "\"decode_ratio\":%.2f,\"encode_multistream_us\":%.2f,\"encode_plain_us\":%.2f,"
          "\"encode_ratio\":%.2f,\"cpuid_us\":%.3f,"
          "\"decoding_44_participants_multistream_core_percent\":%.1f,"
          "\"decoding_44_participants_plain_core_percent\":%.1f}\n",
          packets->len, ms, plain, ms / plain, enc_ms, enc_plain, enc_ms / enc_plain, cpuid,
          ms * 44 * 50 / 1e4, plain * 44 * 50 / 1e4);
  g_array_free (packets, TRUE);
  g_free (pcm);
  return 0;
}
