/* vc-thread-priority.h — streaming threads that carry audio ask for a higher
 * scheduling priority than video and codec threads, and give it back when
 * their task leaves (a GStreamer task thread returns to a pool). */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* How much a thread that carries audio is raised above the process. */
typedef enum
{
  VC_MEDIA_THREAD_NORMAL,   /* left alone */
  VC_MEDIA_THREAD_NICE,     /* nice value 10 below (better than) the thread's */
  VC_MEDIA_THREAD_REALTIME, /* SCHED_RR at a low real-time priority, else NICE */
} VcMediaThreadPriority;

/* Raises the calling thread (once: later calls return at once) and returns
 * what it got: REALTIME needs CAP_SYS_NICE or RLIMIT_RTPRIO, NICE needs
 * CAP_SYS_NICE or RLIMIT_NICE (systemd LimitNICE=); without them the thread
 * stays NORMAL, which is logged once per process. A GStreamer task thread
 * returns to a pool when its task stops: call vc_media_thread_restore() from
 * a bus sync handler on GST_STREAM_STATUS_TYPE_LEAVE
 * (vc_media_bus_restore_threads() does that). */
VcMediaThreadPriority vc_media_thread_raise (VcMediaThreadPriority wanted);

/* Puts the calling thread back to the priority it had before
 * vc_media_thread_raise(); no-op for a thread that was not raised. */
void vc_media_thread_restore (void);

/* Installs a sync handler on @pipeline's bus that restores raised task
 * threads when their task leaves (the pipeline's bus must not have another
 * sync handler). */
void vc_media_bus_restore_threads (GstElement *pipeline);

G_END_DECLS
