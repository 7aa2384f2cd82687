/* ep-idle-child.c — the idle screen in its own process (see
 * ep-idle-child.h). All of it runs on the main thread: GIO completes the
 * exit waits there. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-idle-child.h"
#include "ep-media-protocol.h"
#include "ep-subprocess.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define GRACE_MS 2000

struct _EpIdleChild
{
  gchar **argv;
  GSubprocess *process; /* the shown screen, NULL when hidden or dead */
  GOutputStream *lines; /* its stdin */
  GSubprocess *ending;  /* told to end, not yet gone */
  guint kill_id;        /* kills @ending after the grace period */
  GCancellable *cancellable;
  gboolean visible;
  gchar *next_line; /* the last next-meeting line */
};

gchar *
ep_idle_child_next_line (const EpMeeting *next)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (next)
    {
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, next->title);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, next->unit_name ? next->unit_name
                                                        : (next->unit ? next->unit : ""));
      json_builder_set_member_name (b, "start");
      json_builder_add_int_value (b, next->start);
    }
  json_builder_end_object (b);
  return ep_json_line (b);
}

static void
idle_write (EpIdleChild *idle)
{
  g_autoptr (GError) error = NULL;

  /* One short line into a pipe the screen drains every second at worst. */
  if (idle->lines && idle->next_line
      && !g_output_stream_write_all (idle->lines, idle->next_line, strlen (idle->next_line), NULL,
                                     NULL, &error))
    g_debug ("idle screen: %s", error->message);
}

static gboolean
on_kill_timeout (gpointer user_data)
{
  EpIdleChild *idle = user_data;

  idle->kill_id = 0;
  g_message ("idle screen did not end in time; killing it");
  g_subprocess_force_exit (idle->ending);
  return G_SOURCE_REMOVE;
}

/* main thread */
static void
on_process_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr (GError) error = NULL;
  EpIdleChild *idle;

  if (!g_subprocess_wait_finish (process, result, &error))
    return; /* cancelled: the EpIdleChild is gone */
  idle = user_data;
  if (process == idle->ending)
    {
      g_clear_handle_id (&idle->kill_id, g_source_remove);
      g_clear_object (&idle->ending);
    }
  else if (process == idle->process)
    {
      if (g_subprocess_get_if_signaled (process))
        g_warning ("idle screen killed by signal %d; shown again after the next meeting",
                   g_subprocess_get_term_sig (process));
      else
        g_warning ("idle screen exited with status %d; shown again after the next meeting",
                   g_subprocess_get_exit_status (process));
      g_clear_object (&idle->lines);
      g_clear_object (&idle->process);
    }
}

static void
idle_start (EpIdleChild *idle)
{
  g_autoptr (GSubprocessLauncher) launcher
      = ep_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr (GError) error = NULL;

  idle->process = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)idle->argv, &error);
  if (idle->process == NULL)
    {
      g_warning ("idle screen: cannot start: %s", error->message);
      return;
    }
  idle->lines = g_object_ref (g_subprocess_get_stdin_pipe (idle->process));
  g_subprocess_wait_async (idle->process, idle->cancellable, on_process_exited, idle);
  idle_write (idle);
}

static void
idle_stop (EpIdleChild *idle)
{
  if (idle->process == NULL)
    return;
  if (idle->ending)
    {
      /* shown and hidden again within the grace period: no waiting twice */
      g_clear_handle_id (&idle->kill_id, g_source_remove);
      g_subprocess_force_exit (idle->ending);
      g_clear_object (&idle->ending);
    }
  g_output_stream_close (idle->lines, NULL, NULL);
  g_clear_object (&idle->lines);
  idle->ending = g_steal_pointer (&idle->process);
  idle->kill_id = g_timeout_add (GRACE_MS, on_kill_timeout, idle);
}

void
ep_idle_child_set_visible (EpIdleChild *idle, gboolean visible)
{
  if (visible == idle->visible)
    return;
  idle->visible = visible;
  if (visible)
    idle_start (idle);
  else
    idle_stop (idle);
}

void
ep_idle_child_set_next (EpIdleChild *idle, const EpMeeting *next)
{
  g_autofree gchar *line = ep_idle_child_next_line (next);

  if (g_strcmp0 (line, idle->next_line) == 0)
    return;
  g_free (idle->next_line);
  idle->next_line = g_steal_pointer (&line);
  idle_write (idle);
}

gboolean
ep_idle_child_running (EpIdleChild *idle)
{
  return idle->process != NULL || idle->ending != NULL;
}

EpIdleChild *
ep_idle_child_new (const EpConfig *config)
{
  EpIdleChild *idle = g_new0 (EpIdleChild, 1);

  idle->argv = ep_subprocess_self_argv (config, EP_IDLE_SCREEN_COMMAND);
  idle->cancellable = g_cancellable_new ();
  return idle;
}

void
ep_idle_child_set_command (EpIdleChild *idle, const gchar *const *argv)
{
  g_strfreev (idle->argv);
  idle->argv = g_strdupv ((gchar **)argv);
}

void
ep_idle_child_free (EpIdleChild *idle)
{
  if (idle == NULL)
    return;
  g_cancellable_cancel (idle->cancellable);
  g_clear_handle_id (&idle->kill_id, g_source_remove);
  if (idle->process)
    g_subprocess_force_exit (idle->process);
  if (idle->ending)
    g_subprocess_force_exit (idle->ending);
  g_clear_object (&idle->lines);
  g_clear_object (&idle->process);
  g_clear_object (&idle->ending);
  g_clear_object (&idle->cancellable);
  g_strfreev (idle->argv);
  g_free (idle->next_line);
  g_free (idle);
}
