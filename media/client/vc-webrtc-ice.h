/* vc-webrtc-ice.h — where webrtcbin's ICE agent gathers: only on the configured
 * addresses (the bridge and the tests use 127.0.0.1; no STUN or TURN is ever
 * set), and never through UPnP. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Makes the ICE agent of @webrtcbin gather only on @addresses (NULL-terminated,
 * IP literals) and turns libnice's UPnP port mapping off. Call before any
 * negotiation. NULL or empty @addresses leaves libnice's default interfaces
 * (every one but loopback). Returns FALSE if the agent refused an address. */
gboolean vc_webrtc_restrict_ice (GstElement *webrtcbin, const gchar *const *addresses);

G_END_DECLS
