/* vc-netem.h — packet loss, delay, jitter and outages on a WebRTC peer's
 * own sockets, for tests and benchmarks (libvc-media).
 *
 * This machine's kernel has no netem qdisc, and tests must not need root:
 * so the loss is made inside the process, on the packets as webrtcbin's
 * ICE elements read and write them (nicesrc's output, nicesink's input),
 * i.e. before SRTP decryption and the jitter buffer on the way in and
 * after encryption on the way out. Everything is affected (RTP, RTCP,
 * retransmissions, DTLS, STUN), as on a real lossy link.
 *
 * A spec is a comma-separated list of KEY=VALUE:
 *
 *   loss=PERCENT    drop each packet with this probability (0..100)
 *   delay=MS        hold each packet this long (0..2000)
 *   jitter=MS       and a further uniform 0..MS (0..2000): packets reorder
 *   direction=both|in|out   which packets (default both)
 *   packets=all|media       media: RTP and RTCP only, STUN and DTLS spared
 *                           (default all; an outage drops everything)
 *   seed=N          random seed (default: random)
 *
 * e.g. "loss=5", "loss=10,jitter=100,seed=7". vc-bridge reads it from
 * `[test] netem` (every participant's link), VcClientPeer from its
 * settings' `netem`; both fall back to the environment variable
 * VC_TEST_NETEM, so a room agent or a bridge started by a script can be
 * put on a lossy link without a code change. Never for production: both
 * log a warning when it is on. docs/bridge.md, "Loss and jitter in tests". */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _VcNetem VcNetem;

/* NULL with @error (VC_MEDIA_ERROR_PIPELINE) naming the bad part. An empty
 * or NULL @spec gives NULL without an error: nothing to emulate. */
VcNetem *vc_netem_new (const gchar *spec, GError **error);

/* The spec of $VC_TEST_NETEM, or NULL. */
const gchar *vc_netem_spec_from_env (void);

VcNetem *vc_netem_ref (VcNetem *netem);
void vc_netem_unref (VcNetem *netem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcNetem, vc_netem_unref)

/* Puts @netem on every ICE element that appears in @pipeline from now on
 * (call before webrtcbin is added). Any thread. */
void vc_netem_attach (VcNetem *netem, GstElement *pipeline);

/* Drops every packet, both ways, for @ms from now (0 ends an outage).
 * Any thread. */
void vc_netem_set_outage (VcNetem *netem, guint ms);

typedef struct
{
  guint64 passed, dropped, delayed;
} VcNetemStats;

void vc_netem_get_stats (VcNetem *netem, VcNetemStats *stats);

G_END_DECLS
