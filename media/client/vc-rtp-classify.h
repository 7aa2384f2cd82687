/* vc-rtp-classify.h — what a packet on a WebRTC socket carries (RTP, RTCP or
 * other, and for RTP its payload type and marker) and a pad-probe body that
 * drops the packets a predicate refuses: read in the clear, before SRTP. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* What a packet read from (or written to) a WebRTC socket carries, from its
 * first two bytes (RFC 7983, RFC 5761). SRTP leaves the RTP header in
 * clear, so for RTP @pt and @marker (either may be NULL) are set even
 * before decryption. */
typedef enum
{
  VC_PACKET_OTHER, /* STUN, DTLS, or too short */
  VC_PACKET_RTCP,
  VC_PACKET_RTP,
} VcPacketKind;
VcPacketKind vc_media_packet_kind (GstBuffer *buf, guint *pt, gboolean *marker);

/* The body of a buffer / buffer-list pad probe that drops each packet for
 * which @keep (called with the same monotonic time for a whole list)
 * returns FALSE. */
typedef gboolean (*VcPacketKeepFunc) (GstBuffer *buf, gint64 now_us, gpointer data);
GstPadProbeReturn vc_media_probe_filter (GstPadProbeInfo *info, VcPacketKeepFunc keep,
                                         gpointer data);

G_END_DECLS
