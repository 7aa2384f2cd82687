/* vc-webrtc-tuning.c — clocksync off, video NACK and jitter-buffer latency, early RTCP
 * feedback, descriptions with a promise. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-webrtc-tuning.h"

#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

GST_DEBUG_CATEGORY_STATIC (vc_media_webrtc_debug);
#define GST_CAT_DEFAULT vc_media_webrtc_debug

static void
vc_media_webrtc_debug_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (vc_media_webrtc_debug, "vc-media-webrtc", 0, "vc webrtcbin tuning");
      g_once_init_leave (&once, 1);
    }
}

/* any thread that adds an element inside the pipeline */
static void
on_deep_element_added (GstBin *bin, GstBin *sub_bin, GstElement *element, gpointer data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL
      && g_strcmp0 (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)), "clocksync") == 0)
    g_object_set (element, "sync", FALSE, NULL);
}

void
vc_webrtc_send_unpaced (GstElement *pipeline)
{
  g_return_if_fail (GST_IS_BIN (pipeline));
  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (on_deep_element_added), NULL);
}

/* Whether @ssrc is announced on a video m-line of @webrtcbin's remote
 * description (a=ssrc:N ...). */
static gboolean
remote_ssrc_is_video (GstElement *webrtcbin, guint ssrc)
{
  GstWebRTCSessionDescription *remote = NULL;
  g_autofree gchar *prefix = g_strdup_printf ("%u ", ssrc);
  gboolean video = FALSE;

  g_object_get (webrtcbin, "remote-description", &remote, NULL);
  if (remote == NULL)
    return FALSE;
  for (guint m = 0; m < gst_sdp_message_medias_len (remote->sdp) && !video; m++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (remote->sdp, m);
      if (g_strcmp0 (gst_sdp_media_get_media (media), "video") != 0)
        continue;
      for (guint a = 0; a < gst_sdp_media_attributes_len (media) && !video; a++)
        {
          const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, a);
          video = g_strcmp0 (attr->key, "ssrc") == 0 && attr->value != NULL
                  && g_str_has_prefix (attr->value, prefix);
        }
    }
  gst_webrtc_session_description_free (remote);
  return video;
}

/* The shortest wait before a missing video packet is asked for again. */
#define VIDEO_RTX_MIN_RETRY_MS 20

/* webrtcbin's rtpbin, when a stream's first packet arrives (its thread),
 * after webrtcbin's own handler */
static void
on_new_jitterbuffer (GstElement *rtpbin, GstElement *jitterbuffer, guint session, guint ssrc,
                     gpointer data)
{
  GstElement *webrtcbin = data; /* rtpbin's parent: outlives it */
  guint latency_ms
      = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (webrtcbin), "vc-video-latency"));
  gboolean was = FALSE;

  if (!remote_ssrc_is_video (webrtcbin, ssrc))
    return;
  g_object_get (jitterbuffer, "do-retransmission", &was, NULL);
  GST_INFO_OBJECT (webrtcbin, "video ssrc %u: retransmission (was %s), latency %u ms", ssrc,
                   was ? "on" : "off", latency_ms);
  /* a retransmission lost in turn is asked for again after the measured
   * round trip and jitter, but by default never sooner than the packet
   * spacing: for video that is a frame interval (66-95 ms at 15 fps), so a
   * packet had only two tries within the latency */
  g_object_set (jitterbuffer, "do-retransmission", TRUE, "latency", latency_ms,
                "rtx-min-retry-timeout", VIDEO_RTX_MIN_RETRY_MS, NULL);
}

/* RTCP bandwidth allowed to a session, in bits per second (rtpsession's
 * "rtcp-fraction" takes values > 1 as an absolute figure). */
#define FEEDBACK_RTCP_BANDWIDTH 1000000.0

/* rtpbin, when it creates a session (webrtcbin's thread, while a
 * description is applied) */
static void
on_rtpbin_element_added (GstBin *rtpbin, GstElement *element, gpointer data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory == NULL
      || g_strcmp0 (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)), "rtpsession") != 0)
    return;
  /* RFC 4585 (AVPF, which webrtcbin uses): after one early RTCP packet, the
   * next may leave only one regular interval (T_rr) later, and rtpsession
   * derives T_rr from 5 % of the stream's bitrate: 0.5-1 s for our video.
   * A NACK made in between waited for it, long after the jitter buffer
   * had given the packet up (74 of 106 NACKs at 5 % loss). The budget
   * makes T_rr a few milliseconds; regular reports still follow
   * rtcp-min-interval (5 s), so only feedback leaves sooner, and only when
   * there is some. */
  g_object_set (element, "rtcp-fraction", FEEDBACK_RTCP_BANDWIDTH, NULL);
  GST_INFO_OBJECT (rtpbin, "%s: early feedback without the regular interval's wait",
                   GST_OBJECT_NAME (element));
}

void
vc_webrtc_tune_video_receive (GstElement *webrtcbin, guint latency_ms)
{
  g_autoptr (GstElement) rtpbin = NULL;

  g_return_if_fail (GST_IS_BIN (webrtcbin));
  vc_media_webrtc_debug_init ();
  rtpbin = gst_bin_get_by_name (GST_BIN (webrtcbin), "rtpbin");
  g_return_if_fail (rtpbin != NULL);
  g_object_set_data (G_OBJECT (webrtcbin), "vc-video-latency", GUINT_TO_POINTER (latency_ms));
  g_signal_connect (rtpbin, "new-jitterbuffer", G_CALLBACK (on_new_jitterbuffer), webrtcbin);
  g_signal_connect (rtpbin, "element-added", G_CALLBACK (on_rtpbin_element_added), NULL);
}

void
vc_webrtc_set_description (GstElement *webrtcbin, gboolean local,
                           struct _GstWebRTCSessionDescription *description)
{
  GstPromise *promise = gst_promise_new ();

  g_signal_emit_by_name (webrtcbin, local ? "set-local-description" : "set-remote-description",
                         description, promise);
  gst_promise_unref (promise);
}
