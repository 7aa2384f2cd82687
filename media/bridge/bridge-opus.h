/* bridge-opus.h — a participant's Opus decoder on the bridge.
 *
 * Fed with the participant's RTP payloads in the jitter buffer's order; puts
 * out 48 kHz mono S16, continuous across losses: when packets are missing
 * (a jump in the RTP sequence number) it fills the hole before decoding the
 * packet that arrived, the last missing frame from that packet's in-band FEC
 * and any earlier ones by packet-loss concealment, up to
 * BRIDGE_OPUS_MAX_FILL_MS; a longer outage is not filled (the mixer counts
 * it as an input underrun) and the decoder starts afresh.
 *
 * Why not GStreamer's opusdec: it decodes through libopus's multistream API,
 * and in Debian's libopus (built with custom modes) every multistream decode
 * runs CPUID several times (opus_decoder_get_size -> opus_select_arch), which
 * traps to the hypervisor in a virtual machine: 73 µs a packet against 23 µs
 * for opus_decode () here (bench/media/opus-codec-bench, docs/benchmarks.md).
 *
 * Not thread-safe: one streaming thread feeds it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BRIDGE_OPUS_MAX_FILL_MS 100

typedef struct _BridgeOpusDecoder BridgeOpusDecoder;

/* Receives each run of decoded samples (48 kHz mono). */
typedef void (*BridgeOpusOutput) (const gint16 *pcm, gsize n, gpointer user_data);

typedef struct
{
  guint64 packets;   /* decoded */
  guint64 fec;       /* lost frames rebuilt from the next packet's in-band FEC */
  guint64 concealed; /* lost frames filled by packet-loss concealment */
  guint64 late;      /* packets older than one already decoded: dropped */
  guint64 bad;       /* payloads libopus refused: dropped, nothing decoded */
  guint64 resets;    /* outages too long to fill */
} BridgeOpusStats;

BridgeOpusDecoder *bridge_opus_decoder_new (void);
void bridge_opus_decoder_free (BridgeOpusDecoder *dec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgeOpusDecoder, bridge_opus_decoder_free)

/* Decodes one RTP packet's Opus payload with sequence number @seq, calling
 * @output for what it fills and what it decodes. Returns FALSE if the payload
 * is not valid Opus: it is dropped, nothing is filled or put out for it. */
gboolean bridge_opus_decoder_push (BridgeOpusDecoder *dec, guint16 seq, const guint8 *payload,
                                   gsize len, BridgeOpusOutput output, gpointer user_data);
void bridge_opus_decoder_get_stats (BridgeOpusDecoder *dec, BridgeOpusStats *stats);

G_END_DECLS
