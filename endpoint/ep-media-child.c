/* ep-media-child.c — EpMediaOps over one media process per join attempt (see
 * ep-media-child.h; the lines are in ep-media-protocol.h).
 *
 * An attempt (EpMediaJoin) is reference-counted: the agent holds it from
 * join() to leave(), and each pending operation on the process (reading its
 * next line, waiting for its exit, the kill timer, a report to the agent)
 * holds one more, so whichever ends last frees it. Reports to the agent go
 * through an idle callback, so EpAgent is never re-entered from inside its
 * own join() or leave(). Everything here runs on the main thread: GIO
 * completes the asynchronous reads and the exit wait there. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-media-child.h"
#include "ep-media-protocol.h"
#include "ep-media-session.h"
#include "ep-subprocess.h"

#include <gio/gio.h>
#include <string.h>

#define DEFAULT_GRACE_MS 2000

struct _EpMediaChild
{
  gchar **argv;
  guint grace_ms;
  GPtrArray *running; /* EpMediaJoin* whose process has not exited (refs) */
  GSourceFunc stopped;
  gpointer stopped_data;
};

/* A g_rc_box (main thread only): join_ref()/join_unref(). */
typedef struct
{
  EpMediaChild *media; /* NULL once the EpMediaChild is freed */
  EpAgent *agent;      /* NULL once the agent left this attempt */
  GSubprocess *process;
  GDataInputStream *lines;
  GOutputStream *commands;
  GCancellable *cancellable; /* cancelled when the EpMediaChild is freed */
  gint64 meeting;
  gint64 scheduled_start_s;
  gint64 began_us; /* monotonic, when this attempt began */
  gboolean exited;
  gchar *ended_reason; /* the process's "ended" line */
  guint lost_id;
  gchar *lost_reason;
  guint kill_id;
} EpMediaJoin;

static EpMediaJoin *
join_ref (EpMediaJoin *join)
{
  return g_rc_box_acquire (join);
}

static void
join_clear (gpointer data)
{
  EpMediaJoin *join = data;

  g_assert (join->lost_id == 0 && join->kill_id == 0);
  g_clear_object (&join->lines);
  g_clear_object (&join->commands);
  g_clear_object (&join->process);
  g_clear_object (&join->cancellable);
  g_free (join->ended_reason);
  g_free (join->lost_reason);
}

static void
join_unref (gpointer data)
{
  g_rc_box_release_full (data, join_clear);
}

static gboolean
on_lost_idle (gpointer user_data)
{
  EpMediaJoin *join = user_data;

  join->lost_id = 0;
  if (join->agent)
    ep_agent_media_lost (join->agent, join, join->lost_reason);
  return G_SOURCE_REMOVE;
}

static void
join_report_lost (EpMediaJoin *join, const gchar *reason)
{
  if (join->lost_id || join->agent == NULL)
    return;
  g_free (join->lost_reason);
  join->lost_reason = g_strdup (reason);
  join->lost_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_lost_idle, join_ref (join), join_unref);
}

static void
join_log_first_frame (EpMediaJoin *join, const EpMediaMessage *m)
{
  gint64 latency_ms = m->real_us / 1000 - join->scheduled_start_s * 1000;
  g_autofree gchar *value = g_strdup_printf ("%" G_GINT64_FORMAT, latency_ms);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EP_JOIN_LATENCY_MS", value, "MESSAGE",
                    "meeting %" G_GINT64_FORMAT ": first frame from the bridge %" G_GINT64_FORMAT
                    " ms after the scheduled start (%" G_GINT64_FORMAT " ms after joining began)",
                    join->meeting, latency_ms, (m->mono_us - join->began_us) / 1000);
}

static void
join_handle (EpMediaJoin *join, const EpMediaMessage *m)
{
  switch (m->type)
    {
      case EP_MEDIA_MESSAGE_STATE:
        g_debug ("meeting %" G_GINT64_FORMAT ": peer %s", join->meeting, m->text);
        break;
      case EP_MEDIA_MESSAGE_CONNECTED:
        ep_agent_media_connected (join->agent, join);
        break;
      case EP_MEDIA_MESSAGE_FIRST_FRAME:
        join_log_first_frame (join, m);
        break;
      case EP_MEDIA_MESSAGE_STATS:
        g_debug ("meeting %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
                 " video frames, %" G_GINT64_FORMAT " audio buffers decoded",
                 join->meeting, m->video_frames, m->audio_buffers);
        break;
      case EP_MEDIA_MESSAGE_ERROR:
        /* Malformed bridge messages come here too; the media goes on. */
        g_message ("meeting %" G_GINT64_FORMAT ": bridge: %s", join->meeting, m->text);
        break;
      case EP_MEDIA_MESSAGE_ENDED:
        g_free (join->ended_reason);
        join->ended_reason = g_strdup (m->text);
        join_report_lost (join, m->text);
        break;
      case EP_MEDIA_MESSAGE_JOIN:
      case EP_MEDIA_MESSAGE_LEAVE:
        g_message ("meeting %" G_GINT64_FORMAT ": media process sent a command; ignored",
                   join->meeting);
        break;
    }
}

static void on_process_line (GObject *source, GAsyncResult *result, gpointer user_data);

static void
join_read_next (EpMediaJoin *join)
{
  g_data_input_stream_read_line_async (join->lines, G_PRIORITY_DEFAULT, join->cancellable,
                                       on_process_line, join_ref (join));
}

/* main thread */
static void
on_process_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EpMediaJoin *join = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line
      = g_data_input_stream_read_line_finish_utf8 (join->lines, result, NULL, &error);
  EpMediaMessage m = { 0 };

  if (line == NULL)
    {
      /* EOF (the process is ending: its exit is reported by the exit wait),
       * an error, or the EpMediaChild is gone. */
      join_unref (join);
      return;
    }
  if (join->agent == NULL)
    ; /* left: the process's last lines (stats, "ended") no longer matter */
  else if (!ep_media_message_parse (line, &m, &error))
    g_message ("meeting %" G_GINT64_FORMAT ": malformed line from the media process ignored: %s",
               join->meeting, error->message);
  else
    join_handle (join, &m);
  ep_media_message_clear (&m);
  join_read_next (join);
  join_unref (join);
}

static void
media_notify_if_stopped (EpMediaChild *media)
{
  GSourceFunc stopped = media->stopped;

  if (media->running->len > 0 || stopped == NULL)
    return;
  media->stopped = NULL;
  stopped (media->stopped_data);
}

static gchar *
process_describe_exit (GSubprocess *process)
{
  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("media process killed by signal %d (%s)",
                            g_subprocess_get_term_sig (process),
                            g_strsignal (g_subprocess_get_term_sig (process)));
  return g_strdup_printf ("media process exited with status %d",
                          g_subprocess_get_exit_status (process));
}

/* main thread */
static void
on_process_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EpMediaJoin *join = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *why = NULL;

  if (!g_subprocess_wait_finish (join->process, result, &error))
    {
      join_unref (join); /* cancelled: the EpMediaChild is gone */
      return;
    }
  join->exited = TRUE;
  g_clear_handle_id (&join->kill_id, g_source_remove);
  why = process_describe_exit (join->process);
  if (join->agent)
    {
      /* Not asked to leave: a crash, a kill, or the media ended by itself
       * (then its "ended" line says why). */
      g_message ("meeting %" G_GINT64_FORMAT ": %s", join->meeting, why);
      join_report_lost (join, join->ended_reason ? join->ended_reason : why);
    }
  else
    g_debug ("meeting %" G_GINT64_FORMAT ": %s after leaving", join->meeting, why);
  if (join->media)
    {
      g_ptr_array_remove (join->media->running, join); /* drops the running ref */
      media_notify_if_stopped (join->media);
    }
  join_unref (join);
}

static gboolean
join_spawn (EpMediaJoin *join, const EpMeeting *meeting, GError **error)
{
  EpMediaChild *media = join->media;
  g_autoptr (GSubprocessLauncher) launcher
      = ep_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree gchar *line = ep_media_join_line (meeting);

  join->process = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)media->argv, error);
  if (join->process == NULL)
    return FALSE;
  g_ptr_array_add (media->running, join_ref (join));
  join->commands = g_object_ref (g_subprocess_get_stdin_pipe (join->process));
  join->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (join->process));
  g_subprocess_wait_async (join->process, join->cancellable, on_process_exited, join_ref (join));
  join_read_next (join);
  g_message ("meeting %" G_GINT64_FORMAT ": media process %s started", join->meeting,
             g_subprocess_get_identifier (join->process));
  /* One short line into an empty pipe: never blocks. A process that died
   * at once makes this fail; its exit is reported by the exit wait. */
  if (!g_output_stream_write_all (join->commands, line, strlen (line), NULL, NULL, NULL))
    g_debug ("meeting %" G_GINT64_FORMAT ": media process did not take the join line",
             join->meeting);
  return TRUE;
}

static gpointer
media_join (EpAgent *agent, const EpMeeting *meeting, gpointer user_data)
{
  EpMediaChild *media = user_data;
  EpMediaJoin *join = g_rc_box_new0 (EpMediaJoin); /* the agent's ref, until leave() */
  g_autoptr (GError) error = NULL;

  join->media = media;
  join->agent = agent;
  join->meeting = meeting->id;
  join->scheduled_start_s = meeting->start;
  join->began_us = g_get_monotonic_time ();
  join->cancellable = g_cancellable_new ();
  if (!join_spawn (join, meeting, &error))
    {
      g_autofree gchar *reason
          = g_strdup_printf ("cannot start the media process: %s", error->message);

      join_report_lost (join, reason);
    }
  return join;
}

static gboolean
on_kill_timeout (gpointer user_data)
{
  EpMediaJoin *join = user_data;

  join->kill_id = 0;
  g_message ("meeting %" G_GINT64_FORMAT ": media process did not leave in time; killing it",
             join->meeting);
  g_subprocess_force_exit (join->process);
  return G_SOURCE_REMOVE;
}

static void
media_leave (EpAgent *agent, gpointer handle, gpointer user_data)
{
  EpMediaChild *media = user_data;
  EpMediaJoin *join = handle;
  EpMediaMessage leave = { .type = EP_MEDIA_MESSAGE_LEAVE };
  g_autofree gchar *line = ep_media_message_to_line (&leave);

  join->agent = NULL;
  g_clear_handle_id (&join->lost_id, g_source_remove);
  if (join->process && !join->exited)
    {
      /* Ask for a clean leave (bye to the bridge), then close stdin, which
       * means the same to a process that missed the line. */
      g_output_stream_write_all (join->commands, line, strlen (line), NULL, NULL, NULL);
      g_output_stream_close (join->commands, NULL, NULL);
      join->kill_id = g_timeout_add_full (G_PRIORITY_DEFAULT, media->grace_ms, on_kill_timeout,
                                          join_ref (join), join_unref);
    }
  join_unref (join);
}

static const EpMediaOps media_ops = {
  .join = media_join,
  .leave = media_leave,
};

const EpMediaOps *
ep_media_child_ops (void)
{
  return &media_ops;
}

EpMediaChild *
ep_media_child_new (const EpConfig *config)
{
  EpMediaChild *media = g_new0 (EpMediaChild, 1);

  media->grace_ms = DEFAULT_GRACE_MS;
  media->running = g_ptr_array_new_with_free_func (join_unref);
  media->argv = ep_subprocess_self_argv (config, EP_MEDIA_SESSION_COMMAND);
  return media;
}

void
ep_media_child_free (EpMediaChild *media)
{
  if (media == NULL)
    return;
  for (guint i = 0; i < media->running->len; i++)
    {
      EpMediaJoin *join = media->running->pdata[i];

      g_clear_handle_id (&join->kill_id, g_source_remove);
      g_clear_handle_id (&join->lost_id, g_source_remove);
      g_subprocess_force_exit (join->process);
      g_cancellable_cancel (join->cancellable);
      join->media = NULL;
      join->agent = NULL;
    }
  g_ptr_array_unref (media->running);
  g_strfreev (media->argv);
  g_free (media);
}

void
ep_media_child_set_command (EpMediaChild *media, const gchar *const *argv)
{
  g_strfreev (media->argv);
  media->argv = g_strdupv ((gchar **)argv);
}

void
ep_media_child_set_grace_ms (EpMediaChild *media, guint grace_ms)
{
  media->grace_ms = grace_ms;
}

guint
ep_media_child_running (EpMediaChild *media)
{
  return media->running->len;
}

void
ep_media_child_when_stopped (EpMediaChild *media, GSourceFunc done, gpointer data)
{
  media->stopped = done;
  media->stopped_data = data;
  media_notify_if_stopped (media);
}
