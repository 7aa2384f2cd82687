/* vc-pipeline-dispose.h — pipelines torn down off the caller's thread (a webrtcbin
 * closing DTLS and ICE must never block a main loop), and the wait for them
 * before the process exits. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Takes ownership of @pipeline, sets it to NULL and unrefs it on a short-lived
 * thread, so that a webrtcbin shutting down (DTLS, ICE) never blocks the
 * caller's main loop. Each webrtcbin in it first finishes the operations
 * already queued on its own thread (at most 2 s): the caller must queue no
 * more (no create-offer, set-local-description …) once it has handed the
 * pipeline over, or a transport made during the teardown is never freed. */
void vc_media_pipeline_dispose_async (GstElement *pipeline);
/* The same, then calls @done (@data) on the teardown thread once the
 * pipeline is in NULL (none of its streaming threads runs any more) and our
 * reference is dropped: where an owner that the pipeline's callbacks keep
 * alive lets go of its own references to the pipeline. */
void vc_media_pipeline_dispose_async_full (GstElement *pipeline, GDestroyNotify done,
                                           gpointer data);

/* Main thread, once @webrtcbin is PLAYING and before it has any stream:
 * learns the main context webrtcbin runs its operations on, so that the
 * teardown waits for them without asking for statistics (whose answer
 * interns a GQuark for each SSRC, candidate and transport, never freed). */
void vc_media_webrtc_learn_context (GstElement *webrtcbin);

/* Waits (at most @timeout_ms) until every pipeline handed to
 * vc_media_pipeline_dispose_async() is down. Call before the process exits,
 * so that no thread is still closing DTLS while the process unwinds. FALSE on
 * timeout. */
gboolean vc_media_wait_disposals (guint timeout_ms);

G_END_DECLS
