/* ep-readiness.c — the pre-meeting check (see ep-readiness.h).
 *
 * Camera and microphone: a throw-away pipeline SOURCE num-buffers=1 →
 * fakesink; EOS means the device delivered a buffer, ERROR or a 5 s timeout
 * means it did not. Bridge: GET /healthz on the signalling host. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-readiness.h"
#include "vc-media.h"

#include <gst/gst.h>
#include <libsoup/soup.h>
#include <string.h>

#define STEP_TIMEOUT_S 5

struct _EpReadiness
{
  GObject parent;
  const EpConfig *config;
  SoupSession *session;
  GCancellable *cancellable;
  EpReadinessStep step;
  gint64 meeting;
  gchar *signal_url;
  GString *reason;
  gboolean ready;
  gint64 checked_meeting; /* last meeting checked automatically */
  GstElement *pipeline;
  guint bus_watch;
  guint timeout_id;
};

G_DEFINE_FINAL_TYPE (EpReadiness, ep_readiness, G_TYPE_OBJECT)

enum
{
  SIGNAL_RESULT,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void readiness_next_step (EpReadiness *r);

gchar *
ep_readiness_health_url (const gchar *signal_url)
{
  g_autoptr (GUri) uri = signal_url ? g_uri_parse (signal_url, G_URI_FLAGS_NONE, NULL) : NULL;
  const gchar *scheme;

  if (uri == NULL)
    return NULL;
  scheme = g_str_equal (g_uri_get_scheme (uri), "wss") ? "https" : "http";
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d/healthz", scheme, g_uri_get_host (uri),
                            g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s/healthz", scheme, g_uri_get_host (uri));
}

static void
readiness_note (EpReadiness *r, gboolean ok, const gchar *what)
{
  if (r->reason->len)
    g_string_append (r->reason, ", ");
  g_string_append (r->reason, what);
  r->ready = r->ready && ok;
}

static void
readiness_stop_pipeline (EpReadiness *r)
{
  g_clear_handle_id (&r->timeout_id, g_source_remove);
  g_clear_handle_id (&r->bus_watch, g_source_remove);
  if (r->pipeline)
    vc_media_pipeline_dispose_async (g_steal_pointer (&r->pipeline));
}

static void
readiness_device_done (EpReadiness *r, gboolean ok, const gchar *detail)
{
  const gchar *device = r->step == EP_READINESS_STEP_CAMERA ? "camera" : "microphone";
  g_autofree gchar *text
      = ok ? g_strdup_printf ("%s ok", device) : g_strdup_printf ("%s: %s", device, detail);

  readiness_stop_pipeline (r);
  readiness_note (r, ok, text);
  readiness_next_step (r);
}

/* main thread (bus watch) */
static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  EpReadiness *r = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    {
      r->bus_watch = 0;
      readiness_device_done (r, TRUE, NULL);
      return G_SOURCE_REMOVE;
    }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      r->bus_watch = 0;
      readiness_device_done (r, FALSE, error->message);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_step_timeout (gpointer user_data)
{
  EpReadiness *r = user_data;

  r->timeout_id = 0;
  readiness_device_done (r, FALSE, "no data within 5 s");
  return G_SOURCE_REMOVE;
}

static GstElement *
make_source (const gchar *spec, gboolean video, GError **error)
{
  GstElement *src = NULL;
  const gchar *factory;

  if (g_str_equal (spec, "test"))
    factory = video ? "videotestsrc" : "audiotestsrc";
  else if (g_str_has_prefix (spec, "v4l2:"))
    factory = "v4l2src";
  else if (g_str_equal (spec, "pulse"))
    factory = "pulsesrc";
  else
    factory = "alsasrc";
  src = gst_element_factory_make (factory, NULL);
  if (src == NULL)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_MISSING_PLUGIN, "%s is not installed",
                   factory);
      return NULL;
    }
  if (g_str_has_prefix (spec, "v4l2:"))
    g_object_set (src, "device", spec + strlen ("v4l2:"), NULL);
  else if (g_str_has_prefix (spec, "alsa:"))
    g_object_set (src, "device", spec + strlen ("alsa:"), NULL);
  g_object_set (src, "num-buffers", 1, NULL);
  return src;
}

static void
readiness_start_device (EpReadiness *r, gboolean video)
{
  g_autoptr (GError) error = NULL;
  GstElement *src
      = make_source (video ? r->config->video_source : r->config->audio_source, video, &error);
  GstElement *sink;
  g_autoptr (GstBus) bus = NULL;

  if (src == NULL)
    {
      readiness_device_done (r, FALSE, error->message);
      return;
    }
  r->pipeline = gst_pipeline_new (video ? "readiness-camera" : "readiness-microphone");
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (r->pipeline), src, sink, NULL);
  gst_element_link (src, sink);
  bus = gst_pipeline_get_bus (GST_PIPELINE (r->pipeline));
  r->bus_watch = gst_bus_add_watch (bus, on_bus_message, r);
  r->timeout_id = g_timeout_add_seconds (STEP_TIMEOUT_S, on_step_timeout, r);
  if (gst_element_set_state (r->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    readiness_device_done (r, FALSE, "cannot be opened");
}

static void
on_health_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EpReadiness *r = user_data;
  g_autoptr (GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (r);
      return;
    }
  if (body && soup_message_get_status (msg) == SOUP_STATUS_OK)
    readiness_note (r, TRUE, "bridge reachable");
  else
    {
      g_autofree gchar *text = g_strdup_printf (
          "bridge unreachable (%s)", body ? soup_message_get_reason_phrase (msg) : error->message);

      readiness_note (r, FALSE, text);
    }
  readiness_next_step (r);
  g_object_unref (r);
}

static void
readiness_start_bridge (EpReadiness *r)
{
  g_autofree gchar *url = ep_readiness_health_url (r->signal_url);
  g_autoptr (SoupMessage) msg = url ? soup_message_new ("GET", url) : NULL;

  if (msg == NULL)
    {
      readiness_note (r, FALSE, "bridge: no signalling URL");
      readiness_next_step (r);
      return;
    }
  soup_session_send_and_read_async (r->session, msg, G_PRIORITY_DEFAULT, r->cancellable,
                                    on_health_done, g_object_ref (r));
}

static void
readiness_next_step (EpReadiness *r)
{
  switch (r->step)
    {
      case EP_READINESS_STEP_IDLE:
        r->step = EP_READINESS_STEP_CAMERA;
        readiness_start_device (r, TRUE);
        break;
      case EP_READINESS_STEP_CAMERA:
        r->step = EP_READINESS_STEP_MICROPHONE;
        readiness_start_device (r, FALSE);
        break;
      case EP_READINESS_STEP_MICROPHONE:
        r->step = EP_READINESS_STEP_BRIDGE;
        readiness_start_bridge (r);
        break;
      case EP_READINESS_STEP_BRIDGE:
        r->step = EP_READINESS_STEP_IDLE;
        g_signal_emit (r, signals[SIGNAL_RESULT], 0, r->meeting, r->ready, r->reason->str);
        break;
    }
}

void
ep_readiness_check (EpReadiness *r, const EpMeeting *meeting)
{
  if (r->step != EP_READINESS_STEP_IDLE)
    return;
  r->meeting = meeting->id;
  g_free (r->signal_url);
  r->signal_url = g_strdup (meeting->signal_url);
  g_string_truncate (r->reason, 0);
  r->ready = TRUE;
  readiness_next_step (r);
}

void
ep_readiness_set_next (EpReadiness *r, const EpMeeting *next)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (next == NULL || next->id == r->checked_meeting || r->config->readiness_minutes == 0)
    return;
  if (next->start - r->config->readiness_minutes * 60 > now || next->start <= now)
    return;
  r->checked_meeting = next->id;
  ep_readiness_check (r, next);
}

static void
ep_readiness_dispose (GObject *object)
{
  EpReadiness *r = EP_READINESS (object);

  if (r->cancellable)
    g_cancellable_cancel (r->cancellable);
  readiness_stop_pipeline (r);
  g_clear_object (&r->cancellable);
  g_clear_object (&r->session);
  G_OBJECT_CLASS (ep_readiness_parent_class)->dispose (object);
}

static void
ep_readiness_finalize (GObject *object)
{
  EpReadiness *r = EP_READINESS (object);

  g_free (r->signal_url);
  g_string_free (r->reason, TRUE);
  G_OBJECT_CLASS (ep_readiness_parent_class)->finalize (object);
}

static void
ep_readiness_class_init (EpReadinessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ep_readiness_dispose;
  object_class->finalize = ep_readiness_finalize;
  signals[SIGNAL_RESULT]
      = g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
ep_readiness_init (EpReadiness *r)
{
  r->reason = g_string_new (NULL);
}

EpReadiness *
ep_readiness_new (const EpConfig *config)
{
  EpReadiness *r = g_object_new (EP_TYPE_READINESS, NULL);

  r->config = config;
  r->session = soup_session_new_with_options ("timeout", 5, NULL);
  r->cancellable = g_cancellable_new ();
  return r;
}
