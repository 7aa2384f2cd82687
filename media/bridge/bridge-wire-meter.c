/* bridge-wire-meter.c — the audio gap meter and its probe (streaming
 * threads). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-wire-meter.h"

#include "vc-atomic.h"
#include "vc-media-wire.h"
#include "vc-rtp-classify.h"

struct _BridgeWireMeter
{
  gboolean rtp;   /* set once */
  gint64 last_us; /* only the thread that carries the audio */
  gint64 gaps;    /* atomic */
  gint64 max_us;  /* atomic */
};

BridgeWireMeter *
bridge_wire_meter_new (gboolean rtp)
{
  BridgeWireMeter *meter = g_atomic_rc_box_new0 (BridgeWireMeter);

  meter->rtp = rtp;
  return meter;
}

BridgeWireMeter *
bridge_wire_meter_ref (BridgeWireMeter *meter)
{
  return g_atomic_rc_box_acquire (meter);
}

void
bridge_wire_meter_unref (BridgeWireMeter *meter)
{
  g_atomic_rc_box_release (meter);
}

static gboolean
packet_is_audio (GstBuffer *buf)
{
  guint pt = 0;

  return vc_media_packet_kind (buf, &pt, NULL) == VC_PACKET_RTP && pt == VC_MEDIA_OPUS_PT;
}

static void
wire_meter_count (BridgeWireMeter *wire, GstBuffer *buf)
{
  gint64 now, interval;

  if (wire->rtp && !packet_is_audio (buf))
    return;
  now = g_get_monotonic_time ();
  interval = wire->last_us ? now - wire->last_us : 0;
  wire->last_us = now;
  if (interval > BRIDGE_WIRE_METER_GAP_US)
    vc_atomic_int64_add (&wire->gaps, 1);
  if (interval > vc_atomic_int64_get (&wire->max_us))
    vc_atomic_int64_set (&wire->max_us, interval);
}

/* the thread that carries the packets: the room's mixer thread pushing into
 * aout, or (at the ICE sink) the encoders' threads. No priority here: those
 * threads carry video as well as audio to the socket. */
static GstPadProbeReturn
on_wire_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  BridgeWireMeter *wire = data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    wire_meter_count (wire, GST_PAD_PROBE_INFO_BUFFER (info));
  else
    {
      GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
      for (guint i = 0; i < gst_buffer_list_length (list); i++)
        wire_meter_count (wire, gst_buffer_list_get (list, i));
    }
  return GST_PAD_PROBE_OK;
}

void
bridge_wire_meter_watch (BridgeWireMeter *meter, GstPad *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, on_wire_probe,
                     bridge_wire_meter_ref (meter), (GDestroyNotify)bridge_wire_meter_unref);
}

guint64
bridge_wire_meter_get_gaps (BridgeWireMeter *meter)
{
  return (guint64)vc_atomic_int64_get (&meter->gaps);
}

gdouble
bridge_wire_meter_get_max_ms (BridgeWireMeter *meter)
{
  return vc_atomic_int64_get (&meter->max_us) / 1000.0;
}
