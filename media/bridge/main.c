/* main.c — vc-bridge: options, settings, signals, main loop, exit codes.
 *
 *   vc-bridge --config FILE [--listen HOST:PORT]
 *
 * Exit codes: 0 after SIGINT/SIGTERM, 78 for bad configuration, 69 when a
 * GStreamer element is missing, 1 when the address cannot be bound. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-config.h"
#include "bridge-memory.h"
#include "bridge-server.h"
#include "vc-media.h"

#include <glib-unix.h>
#include <gst/gst.h>
#include <stdio.h>

#define EXIT_UNAVAILABLE 69 /* EX_UNAVAILABLE */

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static BridgeSettings *
load_settings (const gchar *config_path, const gchar *listen, GError **error)
{
  g_autoptr (VcConfig) config = vc_config_new (bridge_settings_defaults);

  if (config_path != NULL && !vc_config_load_file (config, config_path, error))
    return NULL;
  if (listen != NULL)
    vc_config_set (config, "bridge", "listen", listen);
  return bridge_settings_load (config, error);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *config_path = NULL, *listen = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "Settings file", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "Listen address (overrides [bridge] listen)",
      "HOST:PORT" },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("— vc-bridge media bridge");
  g_autoptr (GError) error = NULL;
  g_autoptr (BridgeSettings) settings = NULL;
  g_autoptr (BridgeServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;

  bridge_memory_limit_arenas (); /* bridge-memory.h */
  g_option_context_add_main_entries (options, entries, NULL);
  g_option_context_add_group (options, gst_init_get_option_group ());
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("vc-bridge: %s\n", error->message);
      return VC_EXIT_CONFIG;
    }
  settings = load_settings (config_path, listen, &error);
  if (settings == NULL)
    {
      g_printerr ("vc-bridge: %s\n", error->message);
      return VC_EXIT_CONFIG;
    }
  if (!vc_media_check_plugins (VC_MEDIA_PLUGINS_BRIDGE, &error))
    {
      g_printerr ("vc-bridge: %s\n", error->message);
      return EXIT_UNAVAILABLE;
    }
  server = bridge_server_new (settings);
  if (!bridge_server_listen (server, &error))
    {
      g_printerr ("vc-bridge: cannot listen on %s:%u: %s\n", settings->listen_host,
                  settings->listen_port, error->message);
      return 1;
    }
  printf ("vc-bridge listening on %s\n", bridge_server_get_url (server));
  fflush (stdout);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  /* say bye to every participant, then give the sockets half a second to
   * flush before the process goes */
  bridge_server_shutdown (server);
  g_timeout_add (500, on_signal, loop);
  g_main_loop_run (loop);
  if (!vc_media_wait_disposals (5000))
    g_warning ("some participant pipelines did not stop within 5 s");
  return 0;
}
