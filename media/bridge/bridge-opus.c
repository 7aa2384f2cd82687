/* bridge-opus.c — a participant's Opus decoder on the bridge (bridge-opus.h). */
#include "bridge-opus.h"
#include "vc-atomic.h"

#include <opus.h>

#define RATE 48000
#define MAX_FRAME (RATE * 120 / 1000) /* Opus's longest packet: 120 ms */

struct _BridgeOpusDecoder
{
  OpusDecoder *opus;
  gboolean started;
  guint16 next_seq;
  gint last_samples; /* duration of the last packet decoded */
  gint16 pcm[MAX_FRAME];
  BridgeOpusStats stats; /* written by the feeding thread, read by any (atomic) */
};

BridgeOpusDecoder *
bridge_opus_decoder_new (void)
{
  BridgeOpusDecoder *dec = g_new0 (BridgeOpusDecoder, 1);
  int err = OPUS_OK;

  dec->opus = opus_decoder_create (RATE, 1, &err);
  if (dec->opus == NULL) /* only for bad arguments or no memory */
    g_error ("opus_decoder_create: %s", opus_strerror (err));
  return dec;
}

void
bridge_opus_decoder_free (BridgeOpusDecoder *dec)
{
  if (dec == NULL)
    return;
  opus_decoder_destroy (dec->opus);
  g_free (dec);
}

static void
count (guint64 *counter, guint64 n)
{
  vc_atomic_int64_add (counter, n);
}

/* Fills @missing frames of dec->last_samples each before the packet
 * (@payload, @len): the last one from its FEC, the others by concealment. */
static void
fill_loss (BridgeOpusDecoder *dec, guint missing, const guint8 *payload, gsize len,
           BridgeOpusOutput output, gpointer user_data)
{
  for (guint i = 0; i < missing; i++)
    {
      gboolean fec = i + 1 == missing;
      int n
          = fec ? opus_decode (dec->opus, payload, (opus_int32)len, dec->pcm, dec->last_samples, 1)
                : opus_decode (dec->opus, NULL, 0, dec->pcm, dec->last_samples, 0);
      if (n <= 0)
        continue; /* nothing to put out for this frame; the mixer underruns */
      output (dec->pcm, (gsize)n, user_data);
      count (fec ? &dec->stats.fec : &dec->stats.concealed, 1);
    }
}

gboolean
bridge_opus_decoder_push (BridgeOpusDecoder *dec, guint16 seq, const guint8 *payload, gsize len,
                          BridgeOpusOutput output, gpointer user_data)
{
  const guint8 *frames[48];
  opus_int16 sizes[48];
  int samples, n;
  guint16 ahead = (guint16)(seq - dec->next_seq);

  /* the whole framing is checked before anything is filled or decoded */
  samples = len > 0 && len <= G_MAXINT16
                    && opus_packet_parse (payload, (opus_int32)len, NULL, frames, sizes, NULL) > 0
                ? opus_packet_get_nb_samples (payload, (opus_int32)len, RATE)
                : OPUS_INVALID_PACKET;
  if (samples <= 0 || samples > MAX_FRAME)
    {
      count (&dec->stats.bad, 1);
      return FALSE;
    }
  if (dec->started && ahead >= 0x8000)
    {
      count (&dec->stats.late, 1); /* the jitter buffer let an old one through */
      return TRUE;
    }
  if (dec->started && ahead > 0)
    {
      if ((gint64)ahead * dec->last_samples <= (gint64)RATE * BRIDGE_OPUS_MAX_FILL_MS / 1000)
        fill_loss (dec, ahead, payload, len, output, user_data);
      else
        {
          opus_decoder_ctl (dec->opus, OPUS_RESET_STATE);
          count (&dec->stats.resets, 1);
        }
    }
  n = opus_decode (dec->opus, payload, (opus_int32)len, dec->pcm, MAX_FRAME, 0);
  if (n <= 0)
    {
      count (&dec->stats.bad, 1);
      return FALSE;
    }
  dec->started = TRUE;
  dec->next_seq = seq + 1;
  dec->last_samples = n;
  count (&dec->stats.packets, 1);
  output (dec->pcm, (gsize)n, user_data);
  return TRUE;
}

void
bridge_opus_decoder_get_stats (BridgeOpusDecoder *dec, BridgeOpusStats *stats)
{
  stats->packets = vc_atomic_int64_get (&dec->stats.packets);
  stats->fec = vc_atomic_int64_get (&dec->stats.fec);
  stats->concealed = vc_atomic_int64_get (&dec->stats.concealed);
  stats->late = vc_atomic_int64_get (&dec->stats.late);
  stats->bad = vc_atomic_int64_get (&dec->stats.bad);
  stats->resets = vc_atomic_int64_get (&dec->stats.resets);
}
