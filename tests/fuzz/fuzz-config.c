/* fuzz-config.c — configuration files are edited by hand: whatever is in
 * them, loading and reading typed values must give a value or an error that
 * names the place, never a crash. */
#include "vc-config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree gchar *path = NULL;
  int fd = g_file_open_tmp ("vc-fuzz-XXXXXX.ini", &path, NULL);
  g_autoptr (VcConfig) config = vc_config_new ("[server]\nlisten=127.0.0.1:0\n");
  g_autoptr (GError) error = NULL;

  g_assert (fd >= 0);
  g_assert (write (fd, data, size) == (ssize_t)size);
  close (fd);
  if (vc_config_load_file (config, path, &error))
    {
      gint64 n;
      gdouble d;
      gboolean b;
      g_autofree gchar *host = NULL;
      guint16 port;
      g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;
      g_autofree gchar *s = vc_config_get_string (config, "server", "name", "x", &e1);
      if (!vc_config_get_int (config, "server", "port", 0, 0, 65535, &n, &e2))
        g_assert (e2 && strstr (e2->message, "[server] port"));
      vc_config_get_double (config, "server", "rate", 1.0, 0, 100, &d, &e3);
      vc_config_get_bool (config, "server", "tls", FALSE, &b, &e4);
      if (vc_config_get_listen (config, "server", "listen", NULL, &host, &port, &e5))
        g_free (g_steal_pointer (&host));
    }
  else
    g_assert (error != NULL);
  g_unlink (path);
  return 0;
}
