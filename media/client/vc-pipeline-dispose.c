/* vc-pipeline-dispose.c — the teardown threads; each webrtcbin finishes its queued
 * operations first. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-pipeline-dispose.h"

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

/* webrtcbin's thread (an operation's callback): the main context it runs
 * its operations on, kept on the element (webrtcbin does not make it its
 * thread's default) */
static void
on_webrtc_context (GstPromise *promise, gpointer data)
{
  GSource *op = g_main_current_source ();

  if (op != NULL)
    g_object_set_data_full (G_OBJECT (data), "vc-webrtc-context",
                            g_main_context_ref (g_source_get_context (op)),
                            (GDestroyNotify)g_main_context_unref);
}

void
vc_media_webrtc_learn_context (GstElement *webrtcbin)
{
  GstPromise *promise = gst_promise_new_with_change_func (on_webrtc_context, webrtcbin, NULL);

  /* before any stream: the answer names no SSRC, candidate or transport */
  g_signal_emit_by_name (webrtcbin, "get-stats", NULL, promise);
  gst_promise_unref (promise);
}

/* webrtcbin's thread: every operation queued before it has run */
static gboolean
on_webrtc_drained_source (gpointer data)
{
  on_webrtc_drained (NULL, data);
  return G_SOURCE_REMOVE;
}

/* teardown thread, before the pipeline stops. webrtcbin runs its
 * operations (create-offer, set-local-description, add-ice-candidate …) on
 * a thread of its own and only checks that it is closed before starting
 * one. One that runs while the pipeline is going to NULL adds or blocks a
 * transport after its receive bin went to NULL: the bin's pad block then
 * holds a reference to the bin, which is never freed, and with it its
 * nicesrc thread, the ICE agent, its sockets and TCP listeners (20-25 file
 * handles per burst of 50 connections at the bridge). A source queued on
 * webrtcbin's context behind them runs once they are done (at most 2 s is
 * waited); the caller makes sure nothing new is queued after it
 * (bridge-peer.c: no offer once the participant is closing). Without the
 * context (vc_media_webrtc_learn_context() not called), a statistics
 * request is the marker, as webrtcbin queues it like the others; but its
 * answer names every SSRC, candidate and transport of the call, and each
 * name becomes a GQuark, which is never freed (docs/benchmarks.md, Soak). */
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
      GObject *webrtcbin = g_value_get_object (&item);
      GMainContext *context = g_object_get_data (webrtcbin, "vc-webrtc-context");
      WebrtcDrain *drain = g_atomic_rc_box_new0 (WebrtcDrain);
      gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      GstPromise *promise = NULL;

      g_mutex_init (&drain->lock);
      g_cond_init (&drain->cond);
      if (context != NULL)
        {
          GSource *source = g_idle_source_new ();
          g_source_set_priority (source, G_PRIORITY_DEFAULT); /* as webrtcbin's operations */
          g_source_set_callback (source, on_webrtc_drained_source, g_atomic_rc_box_acquire (drain),
                                 webrtc_drain_release);
          g_source_attach (source, context);
          g_source_unref (source);
        }
      else
        {
          promise = gst_promise_new_with_change_func (
              on_webrtc_drained, g_atomic_rc_box_acquire (drain), webrtc_drain_release);
          g_signal_emit_by_name (webrtcbin, "get-stats", NULL, promise);
        }
      g_mutex_lock (&drain->lock);
      while (!drain->done && g_cond_wait_until (&drain->cond, &drain->lock, end))
        ;
      g_mutex_unlock (&drain->lock);
      if (promise != NULL)
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
