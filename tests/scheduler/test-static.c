/* test-static.c — how the scheduler serves the web UI's files (issue #17,
 * finding 11): gzip when the client accepts it (and the same bytes when it
 * does not), an ETag and Last-Modified answered 304 on revalidation, a new
 * ETag once the file changes, no-cache for the UI's own files and a year's
 * immutable cache for vendor files named with their installed version
 * (another version: 404). Against the library's server on 127.0.0.1:0. */
#include "sched-test-fixture.h"

#include <gio/gio.h>
#include <utime.h>

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

/* A JavaScript file big enough to be worth compressing. */
static gchar *
big_script (const gchar *word)
{
  GString *s = g_string_new ("// generated\n");

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (s, "export const %s%u = '%s %u';\n", word, i, word, i);
  return g_string_free (s, FALSE);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autofree gchar *web = NULL;
  g_autofree gchar *vendor = NULL;
  g_autofree gchar *script = big_script ("alpha");

  fixture_setup_full (f, TRUE);
  /* Raw bytes: no automatic Accept-Encoding or decoding by the client. */
  soup_session_remove_feature_by_type (f->session, SOUP_TYPE_CONTENT_DECODER);
  web = g_build_filename (f->dir, "web", NULL);
  vendor = g_build_filename (f->dir, "node_modules", NULL);
  write_file (web, "index.html", "<!doctype html><title>x</title>");
  write_file (web, "js/app.js", script);
  write_file (vendor, "chart.js/dist/chart.umd.js", script);
  write_file (vendor, "chart.js/package.json", "{\"name\":\"chart.js\",\"version\":\"4.4.1\"}");
  g_free (f->ctx->settings->web_root);
  f->ctx->settings->web_root = g_strdup (web);
  g_free (f->ctx->settings->vendor_root);
  f->ctx->settings->vendor_root = g_strdup (vendor);
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

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->headers, soup_message_headers_unref);
  g_clear_pointer (&a->body, g_bytes_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Answer *a = user_data;
  g_autoptr (GError) error = NULL;

  a->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* GET @path with the request headers of @pairs (name, value, …, NULL). */
static void
get (Fixture *f, Answer *a, const gchar *path, ...)
{
  g_autofree gchar *uri = g_strconcat (f->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  const gchar *name;
  va_list ap;

  va_start (ap, path);
  while ((name = va_arg (ap, const gchar *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (ap, const gchar *));
  va_end (ap);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, a);
  while (a->body == NULL)
    g_main_context_iteration (NULL, TRUE);
  a->status = soup_message_get_status (msg);
  a->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static GBytes *
gunzip (GBytes *packed)
{
  g_autoptr (GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) source = g_memory_input_stream_new_from_bytes (packed);
  g_autoptr (GInputStream) in = g_converter_input_stream_new (source, G_CONVERTER (zlib));
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_output_stream_splice (out, in,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static const gchar *
header (Answer *a, const gchar *name)
{
  return soup_message_headers_get_one (a->headers, name);
}

static void
test_gzip_and_plain (Fixture *f, gconstpointer data)
{
  g_auto (Answer) plain = { 0 };
  g_auto (Answer) packed = { 0 };
  g_autoptr (GBytes) unpacked = NULL;
  g_autofree gchar *script = big_script ("alpha");

  get (f, &plain, "/static/js/app.js", NULL);
  g_assert_cmpuint (plain.status, ==, 200);
  g_assert_null (header (&plain, "Content-Encoding"));
  g_assert_cmpuint (g_bytes_get_size (plain.body), ==, strlen (script));
  g_assert_cmpmem (g_bytes_get_data (plain.body, NULL), g_bytes_get_size (plain.body), script,
                   strlen (script));

  get (f, &packed, "/static/js/app.js", "Accept-Encoding", "gzip, deflate", NULL);
  g_assert_cmpuint (packed.status, ==, 200);
  g_assert_cmpstr (header (&packed, "Content-Encoding"), ==, "gzip");
  g_assert_cmpstr (header (&packed, "Vary"), ==, "Accept-Encoding");
  g_test_message ("app.js: %zu bytes, %zu gzipped", strlen (script),
                  g_bytes_get_size (packed.body));
  g_assert_cmpuint (g_bytes_get_size (packed.body) * 3, <, strlen (script));
  unpacked = gunzip (packed.body);
  g_assert_cmpmem (g_bytes_get_data (unpacked, NULL), g_bytes_get_size (unpacked), script,
                   strlen (script));
  /* Two representations, two validators. */
  g_assert_nonnull (header (&plain, "ETag"));
  g_assert_cmpstr (header (&plain, "ETag"), !=, header (&packed, "ETag"));

  {
    g_auto (Answer) refused = { 0 };
    get (f, &refused, "/static/js/app.js", "Accept-Encoding", "gzip;q=0, identity", NULL);
    g_assert_null (header (&refused, "Content-Encoding"));
  }
}

static void
test_revalidation (Fixture *f, gconstpointer data)
{
  g_auto (Answer) first = { 0 };
  g_auto (Answer) same = { 0 };
  g_auto (Answer) since = { 0 };
  g_auto (Answer) changed = { 0 };
  g_autofree gchar *etag = NULL;
  g_autofree gchar *web = g_build_filename (f->dir, "web", NULL);
  g_autofree gchar *file = g_build_filename (web, "js", "app.js", NULL);
  g_autofree gchar *script = big_script ("beta");
  struct utimbuf later = { .actime = time (NULL) + 10, .modtime = time (NULL) + 10 };

  get (f, &first, "/static/js/app.js", "Accept-Encoding", "gzip", NULL);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_cmpstr (header (&first, "Cache-Control"), ==, "no-cache");
  g_assert_nonnull (header (&first, "Last-Modified"));
  etag = g_strdup (header (&first, "ETag"));

  get (f, &same, "/static/js/app.js", "Accept-Encoding", "gzip", "If-None-Match", etag, NULL);
  g_assert_cmpuint (same.status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (same.body), ==, 0);
  g_assert_cmpstr (header (&same, "ETag"), ==, etag);

  get (f, &since, "/static/js/app.js", "If-Modified-Since", header (&first, "Last-Modified"), NULL);
  g_assert_cmpuint (since.status, ==, 304);

  /* A new file on disk: a new validator, and the new bytes. */
  write_file (web, "js/app.js", script);
  g_assert_cmpint (utime (file, &later), ==, 0);
  get (f, &changed, "/static/js/app.js", "If-None-Match", etag, NULL);
  g_assert_cmpuint (changed.status, ==, 200);
  g_assert_cmpstr (header (&changed, "ETag"), !=, etag);
  g_assert_cmpmem (g_bytes_get_data (changed.body, NULL), g_bytes_get_size (changed.body), script,
                   strlen (script));
}

static void
test_vendor_versions (Fixture *f, gconstpointer data)
{
  g_auto (Answer) versions = { 0 };
  g_auto (Answer) pinned = { 0 };
  g_auto (Answer) loose = { 0 };
  g_auto (Answer) other = { 0 };
  g_auto (Answer) outside = { 0 };

  get (f, &versions, "/vendor/versions.json", NULL);
  g_assert_cmpuint (versions.status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (versions.body, NULL), g_bytes_get_size (versions.body),
                   "{\"chart.js\":\"4.4.1\"}", strlen ("{\"chart.js\":\"4.4.1\"}"));
  g_assert_cmpstr (header (&versions, "Cache-Control"), ==, "no-cache");

  get (f, &pinned, "/vendor/chart.js@4.4.1/dist/chart.umd.js", "Accept-Encoding", "gzip", NULL);
  g_assert_cmpuint (pinned.status, ==, 200);
  g_assert_cmpstr (header (&pinned, "Cache-Control"), ==, "public, max-age=31536000, immutable");
  g_assert_cmpstr (header (&pinned, "Content-Encoding"), ==, "gzip");

  get (f, &loose, "/vendor/chart.js/dist/chart.umd.js", NULL);
  g_assert_cmpuint (loose.status, ==, 200);
  g_assert_cmpstr (header (&loose, "Cache-Control"), ==, "no-cache");

  get (f, &other, "/vendor/chart.js@4.4.0/dist/chart.umd.js", NULL);
  g_assert_cmpuint (other.status, ==, 404);
  get (f, &outside, "/vendor/chart.js@4.4.1/package.json", NULL);
  g_assert_cmpuint (outside.status, ==, 404);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sched-core/static/gzip", Fixture, NULL, setup, test_gzip_and_plain, teardown);
  g_test_add ("/sched-core/static/revalidation", Fixture, NULL, setup, test_revalidation, teardown);
  g_test_add ("/sched-core/static/vendor-versions", Fixture, NULL, setup, test_vendor_versions,
              teardown);
  return g_test_run ();
}
