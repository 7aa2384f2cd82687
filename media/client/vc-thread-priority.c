/* vc-thread-priority.c — nice or SCHED_RR per thread, and the undo. */
#define G_LOG_DOMAIN "vc-media"
#define _GNU_SOURCE /* SCHED_RESET_ON_FORK */

#include "vc-thread-priority.h"

#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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
