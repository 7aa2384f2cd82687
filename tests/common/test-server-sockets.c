/* test-server-sockets.c — the real vc-scheduler and vc-bridge executables
 * keep no socket of a client that sent one keep-alive request and closed
 * (what `curl URL` and a closed browser tab do). Before the connection
 * guard, 100 such clients took the scheduler from 13 to 113 open files
 * and the process died at its open-file limit.
 *
 * Each server runs as a subprocess; readiness is the address it prints.
 * Its sockets are counted in /proc/PID/fd. */
#include <arpa/inet.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define CLIENTS 200

typedef struct
{
  gchar *dir;
  GSubprocess *server;
  guint16 port;
} Fixture;

static void
write_text (const gchar *path, const gchar *text)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  alarm (100);
  f->dir = g_dir_make_tmp ("server-sockets-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = NULL;

  if (f->server)
    {
      g_subprocess_send_signal (f->server, SIGTERM);
      g_subprocess_wait (f->server, NULL, NULL);
      g_clear_object (&f->server);
    }
  cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  alarm (0);
}

/* Starts @argv and reads the port from the "listening on http://H:P" line. */
static void
start_server (Fixture *f, const gchar *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree gchar *line = NULL;
  const gchar *colon;

  f->server = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "listening on http://127.0.0.1:"));
  colon = strrchr (line, ':');
  f->port = (guint16)g_ascii_strtoull (colon + 1, NULL, 10);
  g_assert_cmpuint (f->port, >, 0);
}

static guint
count_sockets (GSubprocess *p)
{
  g_autofree gchar *fd_dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (p));
  g_autoptr (GDir) dir = g_dir_open (fd_dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (fd_dir, name, NULL);
      g_autofree gchar *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        n++;
    }
  return n;
}

/* One keep-alive GET /healthz, the whole response read, then close. */
static void
short_client (guint16 port)
{
  static const gchar request[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  struct timeval timeout = { .tv_sec = 10 };
  GString *reply = g_string_new (NULL);
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  gchar buf[2048];

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  g_assert_cmpint (connect (fd, (struct sockaddr *)&addr, sizeof addr), ==, 0);
  g_assert_cmpint (send (fd, request, strlen (request), MSG_NOSIGNAL), ==, strlen (request));
  /* Read up to the end of the (JSON) body announced by Content-Length. */
  for (;;)
    {
      const gchar *headers_end, *length;
      gssize n = recv (fd, buf, sizeof buf, 0);

      g_assert_cmpint (n, >, 0);
      g_string_append_len (reply, buf, n);
      headers_end = strstr (reply->str, "\r\n\r\n");
      length = g_strstr_len (reply->str, -1, "Content-Length: ");
      if (headers_end && length
          && reply->len - (headers_end + 4 - reply->str)
                 >= g_ascii_strtoull (length + 16, NULL, 10))
        break;
    }
  g_assert_true (g_str_has_prefix (reply->str, "HTTP/1.1 200"));
  g_string_free (reply, TRUE);
  close (fd);
}

/* Waits (bounded, 10 s) for the server's sockets to come back to
 * @baseline; returns the last count. */
static guint
settle (GSubprocess *p, guint baseline)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint n;

  while ((n = count_sockets (p)) > baseline && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000); /* polling another process's state, not readiness */
  return n;
}

static void
check_short_clients (Fixture *f)
{
  guint baseline = count_sockets (f->server);

  for (guint i = 0; i < CLIENTS; i++)
    short_client (f->port);
  g_assert_cmpuint (settle (f->server, baseline), <=, baseline);
  /* Still answering after all of them. */
  short_client (f->port);
}

static void
test_scheduler (Fixture *f, gconstpointer data)
{
  g_autofree gchar *config = g_build_filename (f->dir, "scheduler.ini", NULL);
  g_autofree gchar *exe
      = g_build_filename (g_getenv ("VC_BUILD_DIR"), "scheduler", "vc-scheduler", NULL);
  const gchar *argv[] = { exe, "--config", config, NULL };

  write_text (config, "[server]\nlisten=127.0.0.1:0\n[database]\npath=sched.db\n");
  start_server (f, argv);
  check_short_clients (f);
}

static void
test_bridge (Fixture *f, gconstpointer data)
{
  g_autofree gchar *config = g_build_filename (f->dir, "bridge.ini", NULL);
  g_autofree gchar *exe = g_build_filename (g_getenv ("VC_BUILD_DIR"), "media", "vc-bridge", NULL);
  const gchar *argv[] = { exe, "--config", config, NULL };

  write_text (config, "[bridge]\nlisten=127.0.0.1:0\nsecret=0123456789abcdef0123\n"
                      "[ice]\naddresses=127.0.0.1\n");
  start_server (f, argv);
  check_short_clients (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/server-sockets/scheduler", Fixture, NULL, setup, test_scheduler, teardown);
  g_test_add ("/server-sockets/bridge", Fixture, NULL, setup, test_bridge, teardown);
  return g_test_run ();
}
