/* vc-gst-plugins.c — the element sets and their Debian packages. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-gst-plugins.h"

typedef struct
{
  VcMediaPlugins set;
  const gchar *element;
  const gchar *package;
} PluginRequirement;

static const PluginRequirement plugin_requirements[] = {
  { VC_MEDIA_PLUGINS_WEBRTC, "webrtcbin", "gstreamer1.0-plugins-bad" },
  { VC_MEDIA_PLUGINS_WEBRTC, "dtlssrtpenc", "gstreamer1.0-plugins-bad" },
  { VC_MEDIA_PLUGINS_WEBRTC, "srtpenc", "gstreamer1.0-plugins-bad" },
  { VC_MEDIA_PLUGINS_WEBRTC, "nicesrc", "gstreamer1.0-nice" },
  { VC_MEDIA_PLUGINS_WEBRTC, "rtpbin", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_WEBRTC, "rtpvp8pay", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_WEBRTC, "rtpvp8depay", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_WEBRTC, "rtpopuspay", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_WEBRTC, "rtpopusdepay", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_CODECS, "vp8enc", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_CODECS, "vp8dec", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_CODECS, "opusenc", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_CODECS, "opusdec", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_CODECS, "audioconvert", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_CODECS, "audioresample", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_CODECS, "appsrc", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_CODECS, "appsink", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_MIXING, "compositor", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_MIXING, "videoscale", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_MIXING, "videoconvert", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_MIXING, "overlaycomposition", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_TEST, "videotestsrc", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_TEST, "audiotestsrc", "gstreamer1.0-plugins-base" },
  { VC_MEDIA_PLUGINS_TEST, "fakesink", "libgstreamer1.0-0" },
  { VC_MEDIA_PLUGINS_DEVICES, "v4l2src", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_DEVICES, "pulsesrc", "gstreamer1.0-pulseaudio" },
  { VC_MEDIA_PLUGINS_DEVICES, "alsasrc", "gstreamer1.0-alsa" },
  { VC_MEDIA_PLUGINS_DEVICES, "autovideosink", "gstreamer1.0-plugins-good" },
  { VC_MEDIA_PLUGINS_DEVICES, "autoaudiosink", "gstreamer1.0-plugins-good" },
};

gboolean
vc_media_check_plugins (VcMediaPlugins which, GError **error)
{
  g_autoptr (GString) missing = g_string_new (NULL);

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (plugin_requirements); i++)
    {
      const PluginRequirement *r = &plugin_requirements[i];
      g_autoptr (GstElementFactory) factory = NULL;

      if ((r->set & which) == 0)
        continue;
      factory = gst_element_factory_find (r->element);
      if (factory == NULL)
        g_string_append_printf (missing, "%s%s (%s)", missing->len ? ", " : "", r->element,
                                r->package);
    }
  if (missing->len == 0)
    return TRUE;
  g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_MISSING_PLUGIN,
               "missing GStreamer elements: %s; install the Debian packages named", missing->str);
  return FALSE;
}
