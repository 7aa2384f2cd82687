/* sched-test-process.c — the programs of the integration tests as
 * processes; see the header. */
#include "sched-test-process.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

gchar *
sched_test_build_path (const gchar *folder, const gchar *name)
{
  const gchar *build = g_getenv ("VC_BUILD_DIR");

  return g_build_filename (build ? build : VC_TEST_BUILD_DIR, folder, name, NULL);
}

void
sched_test_write_text (const gchar *path, const gchar *text)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* in the child, before exec: it dies with the test, even one that aborts */
static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* G_DEBUG without fatal-criticals, for a program known to hit an upstream
 * critical (the header says which) */
static void
launcher_tolerate_criticals (GSubprocessLauncher *launcher)
{
  const gchar *debug = g_getenv ("G_DEBUG");
  g_auto (GStrv) parts = NULL;
  g_autoptr (GStrvBuilder) kept = g_strv_builder_new ();
  g_auto (GStrv) list = NULL;
  g_autofree gchar *value = NULL;

  if (debug == NULL)
    return;
  parts = g_strsplit (debug, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && g_strcmp0 (parts[i], "fatal-criticals") != 0)
      g_strv_builder_add (kept, parts[i]);
  list = g_strv_builder_end (kept);
  value = g_strjoinv (",", list);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", value, TRUE);
}

GSubprocess *
sched_test_spawn_listening (const gchar *const *argv, const gchar *log_path, gboolean tolerant,
                            gchar **url)
{
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree gchar *line = NULL;
  const gchar *at;
  GSubprocess *p;

  if (tolerant)
    launcher_tolerate_criticals (launcher);
  if (log_path)
    g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  p = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  at = strstr (line, "http://");
  g_assert_nonnull (at);
  *url = g_strchomp (g_strdup (at));
  return p;
}

gint
sched_test_run_cli (gchar **out, gchar **err, const gchar *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = NULL;
  va_list ap;

  g_ptr_array_add (argv, sched_test_build_path ("scheduler", "vc-scheduler"));
  va_start (ap, first);
  for (const gchar *a = first; a != NULL; a = va_arg (ap, const gchar *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  p = g_subprocess_newv ((const gchar *const *)argv->pdata,
                         G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  return g_subprocess_get_exit_status (p);
}

guint
sched_test_http (SoupSession *session, const gchar *method, const gchar *url, const gchar *token,
                 const gchar *body, gchar **reply)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (reply)
    *reply = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}
