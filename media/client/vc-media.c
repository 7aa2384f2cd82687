/* vc-media.c — plugin check, ICE restriction and pre-encoded clips.
 *
 * Shared by the bridge, the room agent and the benchmark load generator. The
 * clip encoder runs a short private pipeline to completion; everything else
 * here is non-blocking. */
#define G_LOG_DOMAIN "vc-media"
#define _GNU_SOURCE /* SCHED_RESET_ON_FORK */

#include "vc-media.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

GST_DEBUG_CATEGORY_STATIC (vc_media_debug);
#define GST_CAT_DEFAULT vc_media_debug

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-media-error-quark, vc_media_error)
/* clang-format on */

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

static void
media_init_debug (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (vc_media_debug, "vc-media", 0, "vc shared media helpers");
      g_once_init_leave (&once, 1);
    }
}

gboolean
vc_media_check_plugins (VcMediaPlugins which, GError **error)
{
  g_autoptr (GString) missing = g_string_new (NULL);

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, error))
    return FALSE;
  media_init_debug ();
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

/* libnice would otherwise look for UPnP gateways (SSDP multicast on every
 * interface) and ask them to open ports: never wanted on a government
 * network, and traffic off loopback in tests. */
static void
ice_disable_upnp (GObject *ice)
{
  g_autoptr (GObject) nice_agent = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") == NULL)
    return;
  g_object_get (ice, "agent", &nice_agent, NULL);
  if (nice_agent != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (nice_agent), "upnp"))
    g_object_set (nice_agent, "upnp", FALSE, NULL);
}

gboolean
vc_webrtc_restrict_ice (GstElement *webrtcbin, const gchar *const *addresses)
{
  g_autoptr (GObject) agent = NULL;
  gboolean all_ok = TRUE;

  g_return_val_if_fail (GST_IS_ELEMENT (webrtcbin), FALSE);
  media_init_debug ();
  g_object_get (webrtcbin, "ice-agent", &agent, NULL);
  g_return_val_if_fail (agent != NULL, FALSE);
  ice_disable_upnp (agent);
  if (addresses == NULL || addresses[0] == NULL)
    return TRUE;
  for (gsize i = 0; addresses[i] != NULL; i++)
    {
      gboolean ok = FALSE;

      g_signal_emit_by_name (agent, "add-local-ip-address", addresses[i], &ok);
      if (!ok)
        {
          GST_WARNING ("ICE agent refused local address %s", addresses[i]);
          all_ok = FALSE;
        }
    }
  return all_ok;
}

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

static gboolean
push_pad_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  gst_event_unref (event); /* upstream: nobody to tell */
  return TRUE;
}

static gboolean
push_pad_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  switch (GST_QUERY_TYPE (query))
    {
      case GST_QUERY_LATENCY:
        gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
        return TRUE;
      case GST_QUERY_CAPS:
        {
          g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
          GstCaps *filter = NULL;
          gst_query_parse_caps (query, &filter);
          if (caps == NULL)
            return FALSE;
          if (filter != NULL)
            {
              g_autoptr (GstCaps) both
                  = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
              gst_query_set_caps_result (query, both);
            }
          else
            gst_query_set_caps_result (query, caps);
          return TRUE;
        }
      default:
        return FALSE;
    }
}

GstPad *
vc_media_push_pad_new (const gchar *stream_id, GstCaps *caps)
{
  GstPad *pad = gst_pad_new (stream_id, GST_PAD_SRC);
  GstSegment segment;

  gst_pad_set_event_function (pad, push_pad_event);
  gst_pad_set_query_function (pad, push_pad_query);
  gst_pad_set_active (pad, TRUE);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  /* sticky: stored now, sent with the first buffer that gets through */
  gst_pad_push_event (pad, gst_event_new_stream_start (stream_id));
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_pad_push_event (pad, gst_event_new_segment (&segment));
  return pad;
}

GstClockTime
vc_media_running_time (GstElement *element, GstClockTime now)
{
  GstClockTime base = gst_element_get_base_time (element);

  if (!GST_CLOCK_TIME_IS_VALID (now) || !GST_CLOCK_TIME_IS_VALID (base) || now < base)
    return GST_CLOCK_TIME_NONE;
  return now - base;
}

void
vc_media_push_pad_start (GstPad *pad)
{
  static const GstEventType types[] = { GST_EVENT_STREAM_START, GST_EVENT_CAPS, GST_EVENT_SEGMENT };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GstEvent *event = gst_pad_get_sticky_event (pad, types[i], 0);
      if (event != NULL)
        gst_pad_push_event (pad, event);
    }
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

/* Pipelines being torn down; the lock and cond let the process wait for
 * them before it exits. */
static GMutex disposal_lock;
static GCond disposal_cond;
static guint disposals_running;

typedef struct
{
  GstElement *pipeline;
  GDestroyNotify done;
  gpointer data;
} Teardown;

/* A get-stats promise answered (or dropped) on webrtcbin's thread. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
} WebrtcDrain;

static void
webrtc_drain_clear (gpointer data)
{
  WebrtcDrain *drain = data;

  g_mutex_clear (&drain->lock);
  g_cond_clear (&drain->cond);
}

static void
webrtc_drain_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, webrtc_drain_clear);
}

/* webrtcbin's thread */
static void
on_webrtc_drained (GstPromise *promise, gpointer data)
{
  WebrtcDrain *drain = data;

  g_mutex_lock (&drain->lock);
  drain->done = TRUE;
  g_cond_broadcast (&drain->cond);
  g_mutex_unlock (&drain->lock);
}

/* teardown thread, before the pipeline stops. webrtcbin runs its
 * operations (create-offer, set-local-description, add-ice-candidate …) on
 * a thread of its own and only checks that it is closed before starting
 * one. One that runs while the pipeline is going to NULL adds or blocks a
 * transport after its receive bin went to NULL: the bin's pad block then
 * holds a reference to the bin, which is never freed, and with it its
 * nicesrc thread, the ICE agent, its sockets and TCP listeners (20-25 file
 * handles per burst of 50 connections at the bridge). A statistics request
 * queued behind them is answered once they are done (at most 2 s is
 * waited); the caller makes sure nothing new is queued after it
 * (bridge-peer.c: no offer once the participant is closing). */
static void
pipeline_drain_webrtc (GstElement *pipeline)
{
  g_autoptr (GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;

  if (!GST_IS_BIN (pipeline))
    return;
  it = gst_bin_iterate_all_by_element_factory_name (GST_BIN (pipeline), "webrtcbin");
  while (it != NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      WebrtcDrain *drain = g_atomic_rc_box_new0 (WebrtcDrain);
      gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      GstPromise *promise;

      g_mutex_init (&drain->lock);
      g_cond_init (&drain->cond);
      promise = gst_promise_new_with_change_func (
          on_webrtc_drained, g_atomic_rc_box_acquire (drain), webrtc_drain_release);
      g_signal_emit_by_name (g_value_get_object (&item), "get-stats", NULL, promise);
      g_mutex_lock (&drain->lock);
      while (!drain->done && g_cond_wait_until (&drain->cond, &drain->lock, end))
        ;
      g_mutex_unlock (&drain->lock);
      gst_promise_unref (promise);
      webrtc_drain_release (drain);
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

/* teardown thread */
static gpointer
pipeline_teardown_thread (gpointer data)
{
  Teardown *t = data;

  pipeline_drain_webrtc (t->pipeline);
  gst_element_set_state (t->pipeline, GST_STATE_NULL);
  gst_object_unref (t->pipeline);
  if (t->done != NULL)
    t->done (t->data);
  g_free (t);
  g_mutex_lock (&disposal_lock);
  disposals_running--;
  g_cond_broadcast (&disposal_cond);
  g_mutex_unlock (&disposal_lock);
  return NULL;
}

void
vc_media_pipeline_dispose_async_full (GstElement *pipeline, GDestroyNotify done, gpointer data)
{
  Teardown *t;

  if (pipeline == NULL)
    {
      if (done != NULL)
        done (data);
      return;
    }
  t = g_new0 (Teardown, 1);
  t->pipeline = pipeline;
  t->done = done;
  t->data = data;
  g_mutex_lock (&disposal_lock);
  disposals_running++;
  g_mutex_unlock (&disposal_lock);
  g_thread_unref (g_thread_new ("vc-teardown", pipeline_teardown_thread, t));
}

void
vc_media_pipeline_dispose_async (GstElement *pipeline)
{
  vc_media_pipeline_dispose_async_full (pipeline, NULL, NULL);
}

gboolean
vc_media_wait_disposals (guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean done;

  g_mutex_lock (&disposal_lock);
  while (disposals_running > 0 && g_cond_wait_until (&disposal_cond, &disposal_lock, end))
    ;
  done = disposals_running == 0;
  g_mutex_unlock (&disposal_lock);
  return done;
}

/* ---- thread priority ---- */

#define AUDIO_NICE_STEP 10
#define AUDIO_RT_PRIORITY 10 /* low: below IRQ threads and watchdogs */

/* What vc_media_thread_raise() changed on this thread, to undo it. */
typedef struct
{
  gboolean raised;
  VcMediaThreadPriority got;
  int old_policy;
  struct sched_param old_param;
  int old_nice;
} ThreadPriorityState;

static _Thread_local ThreadPriorityState thread_priority;
static gint priority_refused_logged;

static gboolean
thread_try_realtime (void)
{
  /* SCHED_RESET_ON_FORK: threads this one creates start as normal threads */
  struct sched_param param = { .sched_priority = AUDIO_RT_PRIORITY };

  return sched_setscheduler (0, SCHED_RR | SCHED_RESET_ON_FORK, &param) == 0;
}

static gboolean
thread_try_nice (int old_nice, gint steps)
{
  pid_t tid = (pid_t)syscall (SYS_gettid);

  return setpriority (PRIO_PROCESS, (id_t)tid, MAX (-20, old_nice - steps)) == 0;
}

static VcMediaThreadPriority
thread_raise (VcMediaThreadPriority wanted, gint nice_steps)
{
  ThreadPriorityState *st = &thread_priority;

  if (st->raised || wanted == VC_MEDIA_THREAD_NORMAL)
    return st->raised ? st->got : VC_MEDIA_THREAD_NORMAL;
  st->old_policy = sched_getscheduler (0);
  sched_getparam (0, &st->old_param);
  errno = 0;
  st->old_nice = getpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid));
  st->got = VC_MEDIA_THREAD_NORMAL;
  if (wanted == VC_MEDIA_THREAD_REALTIME && thread_try_realtime ())
    st->got = VC_MEDIA_THREAD_REALTIME;
  else if (thread_try_nice (st->old_nice, nice_steps))
    st->got = VC_MEDIA_THREAD_NICE;
  st->raised = TRUE;
  if (st->got != wanted && g_atomic_int_compare_and_exchange (&priority_refused_logged, 0, 1))
    {
      media_init_debug ();
      g_message ("audio threads: %s refused (no CAP_SYS_NICE / LimitNICE= / LimitRTPRIO=), got %s",
                 wanted == VC_MEDIA_THREAD_REALTIME ? "realtime" : "nice",
                 st->got == VC_MEDIA_THREAD_NICE ? "nice" : "normal");
    }
  return st->got;
}

VcMediaThreadPriority
vc_media_thread_raise (VcMediaThreadPriority wanted)
{
  return thread_raise (wanted, AUDIO_NICE_STEP);
}

void
vc_media_thread_restore (void)
{
  ThreadPriorityState *st = &thread_priority;

  if (!st->raised)
    return;
  if (st->got == VC_MEDIA_THREAD_REALTIME)
    sched_setscheduler (0, st->old_policy, &st->old_param);
  if (st->got != VC_MEDIA_THREAD_NORMAL)
    setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), st->old_nice);
  st->raised = FALSE;
}

/* the thread that posts the message: a task's own thread for ENTER/LEAVE */
static GstBusSyncReply
on_bus_sync_restore (GstBus *bus, GstMessage *msg, gpointer data)
{
  GstStreamStatusType type;
  GstElement *owner;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_STREAM_STATUS)
    {
      gst_message_parse_stream_status (msg, &type, &owner);
      if (type == GST_STREAM_STATUS_TYPE_LEAVE)
        vc_media_thread_restore ();
    }
  return GST_BUS_PASS;
}

void
vc_media_bus_restore_threads (GstElement *pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);

  gst_bus_set_sync_handler (bus, on_bus_sync_restore, NULL, NULL);
}

/* ---- clips ---- */

VcMediaClip *
vc_media_clip_ref (VcMediaClip *clip)
{
  return g_atomic_rc_box_acquire (clip);
}

static void
clip_clear (gpointer data)
{
  VcMediaClip *clip = data;

  g_ptr_array_unref (clip->frames);
}

void
vc_media_clip_unref (VcMediaClip *clip)
{
  if (clip != NULL)
    g_atomic_rc_box_release_full (clip, clip_clear);
}

static VcMediaClip *
clip_new (const gchar *fourcc)
{
  VcMediaClip *clip = g_atomic_rc_box_new0 (VcMediaClip);

  memcpy (clip->fourcc, fourcc, 4);
  clip->frames = g_ptr_array_new_with_free_func ((GDestroyNotify)gst_buffer_unref);
  return clip;
}

static void
clip_finish (VcMediaClip *clip)
{
  /* VP8 frames say whether they are keyframes in their first bit (RFC 6386
   * 9.1: 0 = key frame); IVF files do not keep buffer flags. A sender that
   * resumes after a pause waits for one (vc-client-peer-pipeline.c). */
  for (guint i = 0; memcmp (clip->fourcc, "VP80", 4) == 0 && i < clip->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (clip->frames, i);
      guint8 first = 0;
      if (gst_buffer_extract (buf, 0, &first, 1) == 1 && (first & 1) == 0)
        GST_BUFFER_FLAG_UNSET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
      else
        GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
    }
  if (clip->frames->len > 0)
    {
      GstBuffer *last = g_ptr_array_index (clip->frames, clip->frames->len - 1);
      clip->duration = GST_BUFFER_PTS (last) + GST_BUFFER_DURATION (last);
    }
}

static guint16
read_le16 (const guint8 *p)
{
  return (guint16)(p[0] | (p[1] << 8));
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static void
write_le16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
write_le32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

VcMediaClip *
vc_media_clip_load (const gchar *path, GError **error)
{
  g_autofree gchar *data = NULL;
  gsize len = 0, off = 32;
  g_autoptr (VcMediaClip) clip = NULL;
  const guint8 *p;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  p = (const guint8 *)data;
  if (len < 32 || memcmp (p, "DKIF", 4) != 0)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_CLIP, "%s: not an IVF file", path);
      return NULL;
    }
  clip = clip_new ((const gchar *)p + 8);
  clip->width = read_le16 (p + 12);
  clip->height = read_le16 (p + 14);
  clip->rate_num = read_le32 (p + 16);
  clip->rate_den = read_le32 (p + 20);
  clip->click_every = read_le32 (p + 28);
  while (off + 12 <= len)
    {
      guint32 size = read_le32 (p + off);
      guint64 pts = read_le32 (p + off + 4) | ((guint64)read_le32 (p + off + 8) << 32);
      GstBuffer *buf;

      if (off + 12 + size > len)
        break;
      buf = gst_buffer_new_memdup (p + off + 12, size);
      /* IVF timestamps are in 1/rate_num units; we store microseconds there. */
      GST_BUFFER_PTS (buf) = pts * GST_USECOND;
      g_ptr_array_add (clip->frames, buf);
      off += 12 + size;
    }
  for (guint i = 0; i < clip->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (clip->frames, i);
      GstClockTime next
          = i + 1 < clip->frames->len
                ? GST_BUFFER_PTS ((GstBuffer *)g_ptr_array_index (clip->frames, i + 1))
                : GST_BUFFER_PTS (buf)
                      + gst_util_uint64_scale (GST_SECOND, clip->rate_den, clip->rate_num);
      GST_BUFFER_DURATION (buf) = next - GST_BUFFER_PTS (buf);
    }
  clip_finish (clip);
  return g_steal_pointer (&clip);
}

gboolean
vc_media_clip_save (const VcMediaClip *clip, const gchar *path, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 header[32] = { 0 };

  memcpy (header, "DKIF", 4);
  write_le16 (header + 6, 32);
  memcpy (header + 8, clip->fourcc, 4);
  write_le16 (header + 12, clip->width);
  write_le16 (header + 14, clip->height);
  write_le32 (header + 16, clip->rate_num);
  write_le32 (header + 20, clip->rate_den);
  write_le32 (header + 24, clip->frames->len);
  write_le32 (header + 28, clip->click_every);
  g_byte_array_append (out, header, sizeof header);
  for (guint i = 0; i < clip->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (clip->frames, i);
      guint64 us = GST_BUFFER_PTS (buf) / GST_USECOND;
      guint8 fh[12];
      GstMapInfo map;

      gst_buffer_map (buf, &map, GST_MAP_READ);
      write_le32 (fh, map.size);
      write_le32 (fh + 4, us & 0xffffffff);
      write_le32 (fh + 8, us >> 32);
      g_byte_array_append (out, fh, sizeof fh);
      g_byte_array_append (out, map.data, map.size);
      gst_buffer_unmap (buf, &map);
    }
  return g_file_set_contents (path, (const gchar *)out->data, out->len, error);
}

/* Pulls every sample of @sink into @clip until EOS or an error on @pipeline. */
static gboolean
clip_collect (VcMediaClip *clip, GstElement *pipeline, GstElement *sink, GError **error)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GstSample *sample;

  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstBuffer *buf = gst_buffer_copy_deep (gst_sample_get_buffer (sample));

      GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
      g_ptr_array_add (clip->frames, buf);
      gst_sample_unref (sample);
    }
  g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (msg != NULL)
    {
      g_autoptr (GError) gerr = NULL;
      gst_message_parse_error (msg, &gerr, NULL);
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "encoding clip: %s",
                   gerr->message);
      return FALSE;
    }
  clip_finish (clip);
  return TRUE;
}

guint
vc_media_video_divisor (guint width, guint height, guint tile_width, guint tile_height)
{
  for (guint k = 4; k > 1 && tile_width > 0 && tile_height > 0; k /= 2)
    if (width / k >= tile_width && height / k >= tile_height)
      return k;
  return 1;
}

VcMediaClip *
vc_media_clip_encode_video (guint width, guint height, guint fps, guint seconds, GError **error)
{
  /* 400 kbit/s at 640x360, in proportion to the pixels (at least 50) */
  guint bitrate = MAX (50000, (guint)(400000.0 * width * height / (640.0 * 360.0)));
  g_autofree gchar *desc = g_strdup_printf (
      "videotestsrc pattern=smpte horizontal-speed=4 num-buffers=%u ! video/x-raw,format=I420,"
      "width=%u,height=%u,"
      "framerate=%u/1 ! vp8enc deadline=1 cpu-used=8 end-usage=cbr target-bitrate=%u "
      "keyframe-max-dist=%u lag-in-frames=0 ! appsink name=sink sync=false",
      fps * seconds, width, height, fps, bitrate, fps);
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, error);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (VcMediaClip) clip = NULL;

  if (pipeline == NULL)
    return NULL;
  clip = clip_new ("VP80");
  clip->width = width;
  clip->height = height;
  clip->rate_num = fps;
  clip->rate_den = 1;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (!clip_collect (clip, pipeline, sink, error))
    return NULL;
  return g_steal_pointer (&clip);
}

/* Fills @seconds of 48 kHz mono S16 with the sine and periodic clicks. */
static GstBuffer *
clip_audio_pcm (gdouble freq, gdouble volume, guint seconds, guint click_period)
{
  gsize n = 48000 * (gsize)seconds;
  gint16 *pcm = g_new (gint16, n);

  for (gsize i = 0; i < n; i++)
    {
      gdouble v = volume * sin (2.0 * G_PI * freq * (gdouble)i / 48000.0);
      gsize in_period = click_period ? i % (48000 * (gsize)click_period) : n;

      if (click_period && in_period < 240)
        v = (in_period / 24) % 2 ? -0.9 : 0.9; /* 5 ms square burst */
      pcm[i] = (gint16)lrint (CLAMP (v, -1.0, 1.0) * 32767.0);
    }
  return gst_buffer_new_wrapped (pcm, n * sizeof (gint16));
}

VcMediaClip *
vc_media_clip_encode_audio (gdouble freq, gdouble volume, guint seconds, guint click_period,
                            GError **error)
{
  g_autoptr (GstElement) pipeline = gst_parse_launch (
      "appsrc name=src format=time caps=audio/x-raw,format=S16LE,rate=48000,channels=1,"
      "layout=interleaved ! opusenc frame-size=20 bitrate=32000 inband-fec=true "
      "packet-loss-percentage=10 ! appsink name=sink sync=false",
      error);
  g_autoptr (GstElement) src = NULL, sink = NULL;
  g_autoptr (VcMediaClip) clip = NULL;
  g_autoptr (GstBuffer) pcm = NULL;
  gsize frame_bytes = 960 * 2;

  if (pipeline == NULL)
    return NULL;
  clip = clip_new ("OPUS");
  clip->rate_num = 50;
  clip->rate_den = 1;
  clip->click_every = click_period * 50;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  pcm = clip_audio_pcm (freq, volume, seconds, click_period);
  for (gsize off = 0; off + frame_bytes <= gst_buffer_get_size (pcm); off += frame_bytes)
    {
      GstBuffer *frame = gst_buffer_copy_region (pcm, GST_BUFFER_COPY_MEMORY, off, frame_bytes);

      GST_BUFFER_PTS (frame) = gst_util_uint64_scale (off / 2, GST_SECOND, 48000);
      GST_BUFFER_DURATION (frame) = 20 * GST_MSECOND;
      gst_app_src_push_buffer (GST_APP_SRC (src), frame);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  if (!clip_collect (clip, pipeline, sink, error))
    return NULL;
  return g_steal_pointer (&clip);
}
