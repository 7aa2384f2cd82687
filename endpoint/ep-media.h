/* ep-media.h — joins a meeting's bridge room with the shared WebRTC client
 * (media/vc-client-peer.h), from the configured camera and microphone, and
 * shows/plays the bridge's composite. Implements EpMediaOps for EpAgent.
 * Main thread only (VcClientPeer emits its signals there). */
#pragma once

#include "ep-agent.h"
#include "ep-config.h"

G_BEGIN_DECLS

typedef struct _EpMedia EpMedia;

/* @config is borrowed and must outlive the EpMedia. */
EpMedia *ep_media_new (const EpConfig *config);
void ep_media_free (EpMedia *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpMedia, ep_media_free)

/* The operations to pass to ep_agent_new() with @media as ops_data. */
const EpMediaOps *ep_media_ops (void);

/* Checks that the GStreamer elements needed by @config are installed; the
 * error names each missing element and its Debian package. */
gboolean ep_media_check (const EpConfig *config, GError **error);

/* Monotonic µs of the last first decoded frame and the scheduled start (s)
 * of its meeting: the join latency figure. 0 if none yet. */
gint64 ep_media_last_first_frame_latency_ms (EpMedia *media);

G_END_DECLS
