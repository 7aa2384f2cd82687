/* bridge-peer-stats.c — a participant's statistics: webrtcbin's (packets,
 * loss, jitter, bitrate), asked for on the main thread and summed on
 * webrtcbin's, with the meters' counts and the audio decoder's. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-peer-private.h"
#include "vc-atomic.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

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

static gboolean
stats_field (GQuark field, const GValue *value, gpointer data)
{
  StatsSum *sum = data;
  const GstStructure *s;
  GstWebRTCStatsType type = 0;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get_enum (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, (gint *)&type))
    return TRUE;
  if (type == GST_WEBRTC_STATS_INBOUND_RTP)
    {
      sum->rx += stat_number (s, "packets-received");
      sum->lost += MAX (0, stat_number (s, "packets-lost"));
      sum->jitter = MAX (sum->jitter, stat_number (s, "jitter"));
      sum->rx_bytes += stat_number (s, "bytes-received");
      sum->inbound++;
    }
  else if (type == GST_WEBRTC_STATS_OUTBOUND_RTP)
    sum->tx += stat_number (s, "packets-sent");
  return TRUE;
}

/* webrtcbin thread (get-stats promise) */
static void
on_stats (GstPromise *promise, gpointer data)
{
  BridgePeer *peer = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  StatsSum sum = { 0 };
  gint64 now = g_get_monotonic_time ();

  if (reply != NULL)
    gst_structure_foreach (reply, stats_field, &sum);
  gst_promise_unref (promise);
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
  bridge_peer_unref (peer);
}

void
bridge_peer_poll_stats (BridgePeer *peer)
{
  if (peer->state != BRIDGE_PEER_STATE_CONNECTED)
    return;
  g_signal_emit_by_name (peer->webrtc, "get-stats", NULL,
                         gst_promise_new_with_change_func (on_stats, bridge_peer_ref (peer), NULL));
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
