/* bridge-peer-stats.c — a participant's statistics: webrtcbin's (packets,
 * loss, jitter, bitrate), asked for on the main thread and summed on
 * webrtcbin's, with the meters' counts and the audio decoder's. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-peer-private.h"
#include "vc-atomic.h"

#define GST_CAT_DEFAULT bridge_peer_debug

static gdouble
stat_number (const GstStructure *s, const gchar *field)
{
  const GValue *v = gst_structure_get_value (s, field);
  GValue d = G_VALUE_INIT;
  gdouble out = 0;

  if (v == NULL)
    return 0;
  g_value_init (&d, G_TYPE_DOUBLE);
  if (g_value_transform (v, &d))
    out = g_value_get_double (&d);
  g_value_unset (&d);
  return out;
}

typedef struct
{
  gdouble rx, tx, lost, jitter, rx_bytes;
  guint inbound;
} StatsSum;

/* one RTP source of the session: ours (internal) or the participant's */
static void
stats_add_source (StatsSum *sum, const GstStructure *s)
{
  gboolean internal = FALSE;
  gint clock_rate = -1;

  gst_structure_get_boolean (s, "internal", &internal);
  if (internal)
    {
      sum->tx += stat_number (s, "packets-sent");
      return;
    }
  if (stat_number (s, "packets-received") <= 0)
    return;
  sum->rx += stat_number (s, "packets-received");
  sum->lost += MAX (0, stat_number (s, "packets-lost"));
  sum->rx_bytes += stat_number (s, "octets-received");
  if (gst_structure_get_int (s, "clock-rate", &clock_rate) && clock_rate > 0)
    sum->jitter = MAX (sum->jitter, stat_number (s, "jitter") / clock_rate);
  sum->inbound++;
}

/* main thread: the counters of webrtcbin's RTP sessions (one with
 * max-bundle). Not webrtcbin's get-stats: its answer names each SSRC,
 * candidate and transport of the call, and webrtcbin makes every name a
 * GQuark, which is never freed (about 25 per participant, the bridge's
 * growth over the soak, docs/benchmarks.md). */
static void
stats_sum (BridgePeer *peer, StatsSum *sum)
{
  g_autoptr (GstElement) rtpbin = gst_bin_get_by_name (GST_BIN (peer->webrtc), "rtpbin");

  for (guint id = 0; rtpbin != NULL; id++)
    {
      g_autoptr (GstElement) session = NULL;
      g_autoptr (GstStructure) stats = NULL;
      const GValue *value;
      GValueArray *sources;

      g_signal_emit_by_name (rtpbin, "get-session", id, &session);
      if (session == NULL)
        break;
      g_object_get (session, "stats", &stats, NULL);
      value = stats != NULL ? gst_structure_get_value (stats, "source-stats") : NULL;
      if (value == NULL)
        continue;
      /* rtpsession's type for the list (GValueArray is deprecated) */
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      if (!G_VALUE_HOLDS_BOXED (value) || g_strcmp0 (G_VALUE_TYPE_NAME (value), "GValueArray") != 0)
        continue;
      sources = g_value_get_boxed (value);
      for (guint i = 0; i < sources->n_values; i++)
        {
          const GValue *v = g_value_array_get_nth (sources, i);
          if (GST_VALUE_HOLDS_STRUCTURE (v))
            stats_add_source (sum, gst_value_get_structure (v));
        }
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
}

void
bridge_peer_poll_stats (BridgePeer *peer)
{
  StatsSum sum = { 0 };
  gint64 now = g_get_monotonic_time ();

  if (peer->state != BRIDGE_PEER_STATE_CONNECTED)
    return;
  stats_sum (peer, &sum);
  g_mutex_lock (&peer->stats_lock);
  if (sum.inbound > 0)
    {
      peer->stats.rx_packets = (guint64)sum.rx;
      peer->stats.loss = sum.rx + sum.lost > 0 ? sum.lost / (sum.rx + sum.lost) : 0;
      peer->stats.jitter_ms = sum.jitter * 1000.0;
      if (peer->prev_stats_us != 0 && now > peer->prev_stats_us)
        peer->stats.bitrate_kbps = (sum.rx_bytes - (gdouble)peer->prev_rx_bytes) * 8.0
                                   / ((now - peer->prev_stats_us) / 1000.0);
      peer->prev_rx_bytes = (guint64)sum.rx_bytes;
      peer->prev_stats_us = now;
    }
  peer->stats.tx_packets = (guint64)sum.tx;
  g_mutex_unlock (&peer->stats_lock);
}

void
bridge_peer_get_stats (BridgePeer *peer, BridgePeerStats *stats)
{
  g_mutex_lock (&peer->stats_lock);
  *stats = peer->stats;
  g_mutex_unlock (&peer->stats_lock);
  stats->audio_send_gaps = bridge_wire_meter_get_gaps (peer->wire);
  stats->audio_send_max_ms = bridge_wire_meter_get_max_ms (peer->wire);
  stats->audio_mix_in_gaps = bridge_wire_meter_get_gaps (peer->mix_in);
  stats->video_dropped = vc_atomic_int64_get (&peer->video_dropped);
  bridge_opus_decoder_get_stats (peer->decoder, &stats->audio);
}
