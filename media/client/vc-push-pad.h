/* vc-push-pad.h — a source pad of one's own for pushing buffers into a pipeline
 * from one's own thread (the bridge's mixer and encoders), and the running
 * time those buffers are stamped with. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* A source pad that belongs to no element, for pushing buffers into a
 * pipeline from a thread of one's own (gst_pad_push) instead of through an
 * appsrc, whose streaming thread would wake for every buffer. It is active,
 * carries stream-start, @caps and a TIME segment from 0 (buffers are
 * stamped in the pipeline's running time), answers queries as a live
 * source and drops upstream events. Link it to the first element's sink
 * pad; pushes return GST_FLOW_FLUSHING while that is not playing. */
GstPad *vc_media_push_pad_new (const gchar *stream_id, GstCaps *caps);

/* @element's running time at clock time @now (its pipeline's clock), or
 * GST_CLOCK_TIME_NONE before it has a base time or if @now is before it. */
GstClockTime vc_media_running_time (GstElement *element, GstClockTime now);
/* Delivers the stream's start (stream-start, caps, segment) downstream: call
 * once the pipeline it is linked into has been set to PAUSED or PLAYING
 * (elements such as webrtcbin wait for caps before anything is pushed). */
void vc_media_push_pad_start (GstPad *pad);

G_END_DECLS
