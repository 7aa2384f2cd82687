/* test-http-security.c — what the scheduler's HTTP server does for every
 * client, signed in or not (issue #12, finding 10): the security headers on
 * HTML, JSON and static answers; /vendor/ serving its allow-list only and
 * no dot-file anywhere; a Content-Length that is huge or not a number
 * answered at once (413 or 400), not after waiting for a body. Runs against
 * the library's server on 127.0.0.1:0 in this process. */
#include "sched-test-fixture.h"

/* A client that gets no answer within this long fails the test; the
 * server answers such requests in milliseconds. */
#define PROMPT_ANSWER_SECONDS 3

static void
setup (Fixture *f, gconstpointer data)
{
  fixture_setup_full (f, TRUE);
}

/* The fixture removes the files of its folder only; this test also makes
 * folders in it. */
static void
remove_tree (const gchar *path)
{
  g_autoptr (GDir) d = NULL;
  const gchar *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      d = g_dir_open (path, 0, NULL);
      while (d && (name = g_dir_read_name (d)))
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *web = g_build_filename (f->dir, "web", NULL);
  g_autofree gchar *vendor = g_build_filename (f->dir, "node_modules", NULL);

  remove_tree (web);
  remove_tree (vendor);
  fixture_teardown (f, data);
}

static void
write_file (const gchar *dir, const gchar *rel, const gchar *text)
{
  g_autofree gchar *path = g_build_filename (dir, rel, NULL);
  g_autofree gchar *parent = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A web root and a vendor root (a node_modules look-alike) in the test's
 * folder, with files that must be served and files that must not. */
static void
use_static_roots (Fixture *f)
{
  g_autofree gchar *web = g_build_filename (f->dir, "web", NULL);
  g_autofree gchar *vendor = g_build_filename (f->dir, "node_modules", NULL);

  write_file (web, "index.html", "<!doctype html><title>x</title>");
  write_file (web, "js/app.js", "export {};");
  write_file (web, ".env", "SECRET=1");
  write_file (web, "js/.hidden.js", "export {};");
  write_file (vendor, "chart.js/dist/chart.umd.js", "/* chart */");
  write_file (vendor, "chart.js/dist/chart.js", "/* not the UMD build */");
  write_file (vendor, "chart.js/package.json", "{}");
  write_file (vendor, ".package-lock.json", "{}");
  write_file (vendor, "playwright-core/package.json", "{}");
  g_free (f->ctx->settings->web_root);
  f->ctx->settings->web_root = g_strdup (web);
  g_free (f->ctx->settings->vendor_root);
  f->ctx->settings->vendor_root = g_strdup (vendor);
}

/* GET @path; returns the status and, in @headers, a reference to the
 * answer's headers. */
static guint
get (Fixture *f, const gchar *path, const gchar *token, SoupMessageHeaders **headers)
{
  g_autoptr (SoupMessage) msg = fixture_message (f, "GET", path, token, NULL, 0);
  guint status = fixture_send (f, msg, NULL);

  if (headers)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return status;
}

static void
assert_security_headers (SoupMessageHeaders *h, const gchar *what)
{
  const gchar *csp = soup_message_headers_get_one (h, "Content-Security-Policy");

  g_test_message ("%s: CSP %s", what, csp);
  g_assert_nonnull (csp);
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "script-src 'self';"));
  g_assert_nonnull (strstr (csp, "frame-ancestors 'none'"));
  g_assert_null (strstr (csp, "unsafe-inline"));
  g_assert_null (strstr (csp, "unsafe-eval"));
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpstr (soup_message_headers_get_one (h, "Referrer-Policy"), ==, "no-referrer");
}

static void
test_headers (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const gchar *path;
    gboolean signed_in;
    guint status;
  } cases[] = {
    { "/", FALSE, 200 },                                  /* HTML */
    { "/static/js/app.js", FALSE, 200 },                  /* static */
    { "/vendor/chart.js/dist/chart.umd.js", FALSE, 200 }, /* vendor */
    { "/healthz", FALSE, 200 },                           /* JSON, no token */
    { "/api/v1/me", TRUE, 200 },                          /* JSON */
    { "/api/v1/me", FALSE, 401 },                         /* JSON error */
    { "/static/missing.js", FALSE, 404 },                 /* not found */
  };

  use_static_roots (f);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessageHeaders) h = NULL;
      g_assert_cmpuint (get (f, cases[i].path, cases[i].signed_in ? f->admin : NULL, &h), ==,
                        cases[i].status);
      assert_security_headers (h, cases[i].path);
    }
}

/* With a bridge configured, the join page may open a WebSocket to it and
 * to nothing else. */
static void
test_csp_names_the_bridge (Fixture *f, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) h = NULL;
  const gchar *csp;

  g_free (f->ctx->settings->bridge_url);
  f->ctx->settings->bridge_url = g_strdup ("http://127.0.0.1:8090");
  g_assert_cmpuint (get (f, "/healthz", NULL, &h), ==, 200);
  csp = soup_message_headers_get_one (h, "Content-Security-Policy");
  g_assert_nonnull (strstr (csp, "connect-src 'self' ws://127.0.0.1:8090;"));
}

static void
test_vendor_allow_list (Fixture *f, gconstpointer data)
{
  static const gchar *const refused[] = {
    "/vendor/chart.js/dist/chart.js", /* in the package, not in the list */
    "/vendor/chart.js/package.json",
    "/vendor/.package-lock.json",           /* npm's metadata */
    "/vendor/playwright-core/package.json", /* a test tool */
    "/vendor/%2epackage-lock.json",
    "/vendor/",
    "/static/.env", /* dot-files of the web root */
    "/static/js/.hidden.js",
    "/static/%2eenv",
  };

  use_static_roots (f);
  g_assert_cmpuint (get (f, "/vendor/chart.js/dist/chart.umd.js", NULL, NULL), ==, 200);
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      guint status = get (f, refused[i], NULL, NULL);
      g_test_message ("%s → %u", refused[i], status);
      g_assert_cmpuint (status, ==, 404);
    }
}

/* Sends @head on a raw connection (no body) and returns what the server
 * answered before it closed the connection, within PROMPT_ANSWER_SECONDS;
 * NULL when it did not answer in time. */
static gchar *
raw_exchange (Fixture *f, const gchar *head)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GUri) uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, &error);
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GString) reply = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + PROMPT_ANSWER_SECONDS * G_USEC_PER_SEC;
  gsize sent = 0;
  GSocket *sock;

  g_assert_no_error (error);
  g_socket_client_set_enable_proxy (client, FALSE);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  sock = g_socket_connection_get_socket (conn);
  g_socket_set_blocking (sock, FALSE);
  while (g_get_monotonic_time () < deadline)
    {
      gchar buf[4096];
      gssize n;

      if (sent < strlen (head))
        {
          n = g_socket_send (sock, head + sent, strlen (head) - sent, NULL, NULL);
          if (n > 0)
            sent += (gsize)n;
        }
      n = g_socket_receive (sock, buf, sizeof buf, NULL, &error);
      if (n > 0)
        g_string_append_len (reply, buf, n);
      else if (n == 0)
        return g_strdup (reply->str); /* closed after the answer */
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return g_strdup (reply->str); /* reset after the answer */
      g_clear_error (&error);
      /* The server runs on this main context: let it work, but never block
       * past the deadline. */
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return NULL;
}

static void
test_content_length_answered_at_once (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const gchar *length;
    const gchar *status_line;
  } cases[] = {
    { "18446744073709551616", "HTTP/1.1 413 " }, /* 2^64 */
    { "18446744073709551615", "HTTP/1.1 413 " }, /* 2^64 - 1 */
    { "9223372036854775808", "HTTP/1.1 413 " },  /* 2^63 */
    { "99999999999999999999999999", "HTTP/1.1 413 " },
    { "2000000", "HTTP/1.1 413 " }, /* over the limit + 1 MiB (a body up to that is read first) */
    { "-1", "HTTP/1.1 400 " },
    { "+5", "HTTP/1.1 400 " },
    { "0x10", "HTTP/1.1 400 " },
    { "abc", "HTTP/1.1 400 " }, /* libsoup's own 400 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *head
          = g_strdup_printf ("POST /api/v1/meetings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                             "Content-Length: %s\r\n\r\n",
                             f->sec_ubnd, cases[i].length);
      gint64 t0 = g_get_monotonic_time ();
      g_autofree gchar *reply = raw_exchange (f, head);

      g_test_message ("Content-Length: %s → %.40s (%.3f s)", cases[i].length,
                      reply ? reply : "(no answer)",
                      (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC);
      g_assert_nonnull (reply);
      g_assert_true (g_str_has_prefix (reply, cases[i].status_line));
      if (g_str_has_prefix (cases[i].status_line, "HTTP/1.1 413"))
        {
          g_assert_nonnull (strstr (reply, "\"error\":\"too_large\""));
          g_assert_nonnull (strstr (reply, "\r\nX-Content-Type-Options: nosniff\r\n"));
        }
    }
  /* A plain small body still works on the same server. */
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/me", f->admin, NULL, NULL), ==, 200);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/sched-core/http-security/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("headers", test_headers);
  ADD ("csp-names-the-bridge", test_csp_names_the_bridge);
  ADD ("vendor-allow-list", test_vendor_allow_list);
  ADD ("content-length-answered-at-once", test_content_length_answered_at_once);
  return g_test_run ();
}
