/* stack-child.c — a supervised child process of vc-stack; see stack-child.h. */
#define G_LOG_DOMAIN "vc-stack"

#include "stack-child.h"

#include <gio/gunixoutputstream.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct _StackChild
{
  gchar *name;
  gchar *log_path;
  gchar *ready_marker;
  gchar *address;
  StackChildState state;
  GSubprocess *process;
  GDataInputStream *stdout_lines;
  GOutputStream *log; /* append stream on log_path, for stdout lines */
  GCancellable *cancellable;
  guint kill_timer;
  StackChildReadyFunc on_ready;
  StackChildExitFunc on_exit;
  gpointer user_data;
};

/* Runs in the child between fork and exec. */
static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* Own process group: a Ctrl-C on the terminal reaches vc-stack only, which
   * then stops the children in order. */
  setpgid (0, 0);
}

static void on_stdout_line (GObject *source, GAsyncResult *result, gpointer data);

static void
child_read_next (StackChild *child)
{
  g_data_input_stream_read_line_async (child->stdout_lines, G_PRIORITY_DEFAULT, child->cancellable,
                                       on_stdout_line, child);
}

static gchar *
child_find_address (const gchar *line)
{
  const gchar *start = strstr (line, "http://");
  if (start == NULL)
    start = strstr (line, "https://");
  if (start == NULL)
    return NULL;
  gsize n = strcspn (start, " \t\r\n\"'");
  while (n > 0 && start[n - 1] == '/')
    n--;
  return g_strndup (start, n);
}

/* main thread */
static void
on_stdout_line (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  g_autofree gchar *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                      result, &len, &error);
  StackChild *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  child = data;
  if (line == NULL)
    return; /* EOF or error: the exit watch reports the death */

  if (child->log)
    {
      g_output_stream_write_all (child->log, line, len, NULL, NULL, NULL);
      g_output_stream_write_all (child->log, "\n", 1, NULL, NULL, NULL);
    }
  if (child->state == STACK_CHILD_STATE_STARTING && strstr (line, child->ready_marker))
    {
      child->address = child_find_address (line);
      child->state = STACK_CHILD_STATE_LISTENING;
      if (child->on_ready)
        child->on_ready (child, child->address, child->user_data);
    }
  child_read_next (child);
}

/* main thread */
static void
on_process_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  StackChild *child;
  g_autofree gchar *why = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  child = data;
  if (g_subprocess_get_if_signaled (child->process))
    why = g_strdup_printf ("killed by signal %d (%s)", g_subprocess_get_term_sig (child->process),
                           g_strsignal (g_subprocess_get_term_sig (child->process)));
  else
    why = g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (child->process));
  gboolean expected = child->state == STACK_CHILD_STATE_STOPPING;
  child->state = STACK_CHILD_STATE_EXITED;
  g_clear_handle_id (&child->kill_timer, g_source_remove);
  if (child->on_exit)
    child->on_exit (child, expected ? NULL : why, child->user_data);
}

StackChild *
stack_child_spawn (const gchar *name, const gchar *const *argv, const gchar *log_path,
                   const gchar *ready_marker, StackChildReadyFunc on_ready,
                   StackChildExitFunc on_exit, gpointer user_data, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  StackChild *child = g_new0 (StackChild, 1);

  child->name = g_strdup (name);
  child->log_path = g_strdup (log_path);
  child->ready_marker = g_strdup (ready_marker);
  child->on_ready = on_ready;
  child->on_exit = on_exit;
  child->user_data = user_data;
  child->cancellable = g_cancellable_new ();

  /* stderr and our copy of stdout both append to the log: O_APPEND keeps
   * their lines whole and in order. */
  int log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot open %s: %s", log_path,
                   g_strerror (errno));
      stack_child_free (child);
      return NULL;
    }
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  child->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (child->process == NULL)
    {
      stack_child_free (child);
      return NULL;
    }
  int out_fd = open (log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (out_fd >= 0)
    child->log = g_unix_output_stream_new (out_fd, TRUE);
  child->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  child_read_next (child);
  g_subprocess_wait_async (child->process, child->cancellable, on_process_exited, child);
  return child;
}

static gboolean
on_kill_timeout (gpointer data)
{
  StackChild *child = data;

  child->kill_timer = 0;
  if (child->state != STACK_CHILD_STATE_EXITED)
    {
      g_message ("%s did not stop in time; killing it", child->name);
      g_subprocess_force_exit (child->process);
    }
  return G_SOURCE_REMOVE;
}

void
stack_child_stop (StackChild *child, guint grace_ms)
{
  if (child->state == STACK_CHILD_STATE_EXITED || child->state == STACK_CHILD_STATE_STOPPING)
    return;
  child->state = STACK_CHILD_STATE_STOPPING;
  g_subprocess_send_signal (child->process, SIGTERM);
  child->kill_timer = g_timeout_add (grace_ms, on_kill_timeout, child);
}

void
stack_child_free (StackChild *child)
{
  if (child == NULL)
    return;
  g_cancellable_cancel (child->cancellable);
  g_clear_handle_id (&child->kill_timer, g_source_remove);
  if (child->process && child->state != STACK_CHILD_STATE_EXITED)
    g_subprocess_force_exit (child->process);
  g_clear_object (&child->stdout_lines);
  if (child->log)
    g_output_stream_close (child->log, NULL, NULL);
  g_clear_object (&child->log);
  g_clear_object (&child->process);
  g_clear_object (&child->cancellable);
  g_free (child->name);
  g_free (child->log_path);
  g_free (child->ready_marker);
  g_free (child->address);
  g_free (child);
}

const gchar *
stack_child_get_name (StackChild *child)
{
  return child->name;
}

const gchar *
stack_child_get_address (StackChild *child)
{
  return child->address;
}

StackChildState
stack_child_get_state (StackChild *child)
{
  return child->state;
}

const gchar *
stack_child_get_log_path (StackChild *child)
{
  return child->log_path;
}

gchar *
stack_child_log_tail (StackChild *child, guint lines)
{
  g_autofree gchar *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (child->log_path, &text, &len, NULL) || len == 0)
    return g_strdup ("(empty log)");
  const gchar *p = text + len;
  guint seen = 0;
  while (p > text)
    {
      p--;
      if (*p == '\n' && p != text + len - 1 && ++seen >= lines)
        {
          p++;
          break;
        }
    }
  return g_strdup (p);
}
