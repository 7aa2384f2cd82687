/* vc-rtp-classify.c — RFC 7983 / RFC 5761 classification and the filter probe. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-rtp-classify.h"

VcPacketKind
vc_media_packet_kind (GstBuffer *buf, guint *pt, gboolean *marker)
{
  guint8 head[2];

  if (gst_buffer_extract (buf, 0, head, 2) != 2 || (head[0] & 0xc0) != 0x80)
    return VC_PACKET_OTHER;
  if (head[1] >= 192 && head[1] <= 223)
    return VC_PACKET_RTCP;
  if (pt != NULL)
    *pt = head[1] & 0x7f;
  if (marker != NULL)
    *marker = (head[1] & 0x80) != 0;
  return VC_PACKET_RTP;
}

GstPadProbeReturn
vc_media_probe_filter (GstPadProbeInfo *info, VcPacketKeepFunc keep, gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  GstBufferList *list;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return keep (GST_PAD_PROBE_INFO_BUFFER (info), now, data) ? GST_PAD_PROBE_OK
                                                              : GST_PAD_PROBE_DROP;
  list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  for (guint i = 0; i < gst_buffer_list_length (list);)
    if (keep (gst_buffer_list_get (list, i), now, data))
      i++;
    else
      gst_buffer_list_remove (list, i, 1);
  GST_PAD_PROBE_INFO_DATA (info) = list;
  return GST_PAD_PROBE_OK;
}
