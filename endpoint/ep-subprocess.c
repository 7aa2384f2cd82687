/* ep-subprocess.c — helper processes bound to the agent (see ep-subprocess.h). */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-subprocess.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Between fork and exec, in the new process: only async-signal-safe calls. */
static void
child_setup (gpointer data)
{
  pid_t agent = (pid_t)GPOINTER_TO_INT (data);

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != agent)
    _exit (1); /* the agent died before prctl(): nobody would end us */
}

GSubprocessLauncher *
ep_subprocess_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* PR_SET_PDEATHSIG fires when the thread that forked ends: this is the
   * main thread, which lives as long as the agent. */
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (getpid ()), NULL);
  return launcher;
}

gchar **
ep_subprocess_self_argv (const EpConfig *config, const gchar *subcommand)
{
  g_autoptr (GStrvBuilder) argv = g_strv_builder_new ();
  g_autofree gchar *self = g_file_read_link ("/proc/self/exe", NULL);

  /* This very program by its real path, so that ps shows its name. */
  g_strv_builder_add (argv, self ? self : "vc-endpoint");
  if (config->path)
    g_strv_builder_addv (argv, (const gchar *[]){ "--config", config->path, NULL });
  g_strv_builder_add (argv, subcommand);
  return g_strv_builder_end (argv);
}

void
ep_subprocess_helper_init (void)
{
  signal (SIGINT, SIG_IGN);
  signal (SIGTERM, SIG_IGN);
  signal (SIGPIPE, SIG_IGN); /* a write to a gone agent fails instead */
  /* Again, in case another program than the agent started us. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
