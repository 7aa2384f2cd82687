/* main.c — vc-endpoint: options, config, signals, loop, exit codes.
 *
 *   vc-endpoint --config FILE                 run the room agent
 *   vc-endpoint --config FILE report [--from DATE] [--to DATE] [--json]
 *   vc-endpoint --config FILE media-session   one meeting's media; the agent
 *                                             starts it (ep-media-child.c)
 *   vc-endpoint --config FILE idle-screen     the screen between meetings
 *                                             (ep-idle-child.c)
 *
 * Exit codes: 0 done, 1 run-time failure, 2 usage, 78 bad config. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-app.h"
#include "ep-config.h"
#include "ep-journal.h"
#include "ep-idle-child.h"
#include "ep-idle-screen.h"
#include "ep-media-session.h"
#include "ep-report.h"
#include "vc-config.h"

#include <glib-unix.h>
#include <gst/gst.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

typedef struct
{
  GMainLoop *loop;
  EpApp *app;
  gboolean stopping;
} MainState;

static gboolean
on_shutdown_done (gpointer user_data)
{
  MainState *state = user_data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  MainState *state = user_data;

  if (!state->stopping)
    {
      state->stopping = TRUE;
      ep_app_shutdown (state->app, 3000, on_shutdown_done, state);
    }
  return G_SOURCE_CONTINUE;
}

static int
run_report (EpConfig *config, const gchar *from_text, const gchar *to_text, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) journal = NULL;
  g_autofree gchar *text = NULL;
  gint64 from = G_MININT64, to = G_MAXINT64;

  if (from_text && !ep_report_parse_date (from_text, FALSE, &from))
    {
      g_printerr ("vc-endpoint: --from: expected YYYY-MM-DD or an RFC 3339 time\n");
      return 64;
    }
  if (to_text && !ep_report_parse_date (to_text, TRUE, &to))
    {
      g_printerr ("vc-endpoint: --to: expected YYYY-MM-DD or an RFC 3339 time\n");
      return 64;
    }
  if (!g_file_test (config->journal_path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("vc-endpoint: no journal at %s\n", config->journal_path);
      return 1;
    }
  if ((journal = ep_journal_open (config->journal_path, &error)) == NULL
      || (text = ep_report_render (journal, config->code, from, to, json, &error)) == NULL)
    {
      g_printerr ("vc-endpoint: %s\n", error->message);
      return 1;
    }
  fputs (text, stdout);
  return 0;
}

/* The room agent itself: takes @config. */
static int
run_agent (EpConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree gchar *code = g_strdup (config->code);
  MainState state = { 0 };

  /* A media process that died makes writing to its stdin fail with EPIPE
   * instead of killing the agent. */
  signal (SIGPIPE, SIG_IGN);
  gst_init (NULL, NULL);
  if (!ep_media_check (config, &error))
    {
      g_printerr ("vc-endpoint: %s\n", error->message);
      ep_config_free (config);
      return VC_EXIT_CONFIG;
    }
  if ((state.app = ep_app_new (config, &error)) == NULL)
    {
      g_printerr ("vc-endpoint: %s\n", error->message);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  g_unix_signal_add (SIGINT, on_signal, &state);
  g_unix_signal_add (SIGTERM, on_signal, &state);
  ep_app_start (state.app);
  g_print ("vc-endpoint %s started\n", code);
  fflush (stdout);
  g_main_loop_run (loop);
  g_clear_pointer (&state.app, ep_app_free);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree gchar *config_path = NULL;
  g_autofree gchar *from = NULL;
  g_autofree gchar *to = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "Settings file (endpoint.ini)",
      "FILE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "report: first day (YYYY-MM-DD)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "report: last day (YYYY-MM-DD)", "DATE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "report: JSON output", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("[report]");
  g_autoptr (GError) error = NULL;
  g_autoptr (EpConfig) config = NULL;

  setlocale (LC_ALL, "");
#ifdef __GLIBC__
  /* A meeting starts and stops a few dozen GStreamer streaming threads;
   * with glibc's default of 8 arenas per core their freed memory stays
   * mapped (when the media ran in the agent, it grew by ~2 MB per meeting,
   * bench/endpoint). Two arenas keep a media process small too; none of
   * these processes is allocation-bound. */
  mallopt (M_ARENA_MAX, 2);
#endif
  g_option_context_add_main_entries (options, entries, NULL);
  g_option_context_set_summary (options, "The room agent: joins each booked meeting at its start "
                                         "and leaves at its end.");
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("vc-endpoint: %s\n", error->message);
      return 64;
    }
  if (argc > 2
      || (argc == 2 && g_strcmp0 (argv[1], "report") != 0
          && g_strcmp0 (argv[1], EP_MEDIA_SESSION_COMMAND) != 0
          && g_strcmp0 (argv[1], EP_IDLE_SCREEN_COMMAND) != 0))
    {
      g_printerr ("vc-endpoint: unknown command '%s' (only 'report')\n", argv[1]);
      return 64;
    }
  if (config_path == NULL)
    {
      g_printerr ("vc-endpoint: --config FILE is required\n");
      return VC_EXIT_CONFIG;
    }
  if ((config = ep_config_load (config_path, &error)) == NULL)
    {
      g_printerr ("vc-endpoint: %s\n", error->message);
      return VC_EXIT_CONFIG;
    }
  if (argc == 2 && g_str_equal (argv[1], "report"))
    return run_report (config, from, to, json);

  /* autovideosink ranks the DirectFB sink above fakesink and it crashes in
   * its own thread when there is no framebuffer: keep it out unless the
   * installer asked for it explicitly. */
  if (g_getenv ("GST_PLUGIN_FEATURE_RANK") == NULL)
    g_setenv ("GST_PLUGIN_FEATURE_RANK", "dfbvideosink:NONE", FALSE);
  if (argc == 2 && g_str_equal (argv[1], EP_MEDIA_SESSION_COMMAND))
    return ep_media_session_run (config);
  if (argc == 2)
    return ep_idle_screen_run (config);
  return run_agent (g_steal_pointer (&config));
}
