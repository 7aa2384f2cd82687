/* vc-gst-plugins.h — the GStreamer elements a program needs, checked at start:
 * vc_media_check_plugins() names the Debian package of every missing one so
 * that an installer knows what to apt-get. */
#pragma once

#include "vc-media-error.h"

#include <gst/gst.h>

G_BEGIN_DECLS

/* Element sets to check. */
typedef enum
{
  VC_MEDIA_PLUGINS_WEBRTC = 1 << 0,  /* webrtcbin, nice, dtls, srtp, rtp */
  VC_MEDIA_PLUGINS_CODECS = 1 << 1,  /* vp8enc/dec, opusenc/dec */
  VC_MEDIA_PLUGINS_MIXING = 1 << 2,  /* compositor, overlaycomposition, videoscale */
  VC_MEDIA_PLUGINS_TEST = 1 << 3,    /* videotestsrc, audiotestsrc */
  VC_MEDIA_PLUGINS_DEVICES = 1 << 4, /* v4l2src, pulsesrc, alsasrc, autovideosink */
} VcMediaPlugins;

#define VC_MEDIA_PLUGINS_BRIDGE                                                                    \
  (VC_MEDIA_PLUGINS_WEBRTC | VC_MEDIA_PLUGINS_CODECS | VC_MEDIA_PLUGINS_MIXING                     \
   | VC_MEDIA_PLUGINS_TEST)

/* Calls gst_init_check() if needed. FALSE with @error listing every missing
 * element and its Debian package ("compositor (gstreamer1.0-plugins-base)"). */
gboolean vc_media_check_plugins (VcMediaPlugins which, GError **error);

G_END_DECLS
