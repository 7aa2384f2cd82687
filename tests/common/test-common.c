/* test-common.c — JWT, secrets, config layering and time parsing. */
#include "vc-config.h"
#include "vc-test-upstream.h"
#include "vc-jwt.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <glib/gstdio.h>
#include <string.h>

static void
test_jwt_roundtrip (void)
{
  VcJwtClaims c = {
    .meeting = "42", .endpoint = "ubnd-tinh", .name = "UBND tỉnh", .chair = "tinh-uy", .exp = 2000
  };
  g_autofree gchar *token = vc_jwt_sign (&c, "s3cret");
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJwtClaims) got = vc_jwt_verify (token, "s3cret", 1000, &error);
  VcJwtClaims bare = { .meeting = "42", .endpoint = "ubnd-tinh", .exp = 2000 };
  g_autofree gchar *bare_token = vc_jwt_sign (&bare, "s3cret");
  g_autoptr (VcJwtClaims) bare_got = vc_jwt_verify (bare_token, "s3cret", 1000, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (got->meeting, ==, "42");
  g_assert_cmpstr (got->endpoint, ==, "ubnd-tinh");
  g_assert_cmpstr (got->name, ==, "UBND tỉnh");
  g_assert_cmpstr (got->chair, ==, "tinh-uy");
  g_assert_cmpint (got->exp, ==, 2000);
  g_assert_false (got->guest);
  /* the chair claim is optional (tokens of an older scheduler) */
  g_assert_no_error (error);
  g_assert_null (bare_got->chair);
  g_assert_null (bare_got->name);
  g_assert_false (bare_got->link);
}

/* a link token (docs/protocol.md §1): a child bridge's uplink */
static void
test_jwt_link (void)
{
  VcJwtClaims c = { .meeting = "42", .endpoint = "huyen-a", .link = TRUE, .exp = 2000 };
  g_autofree gchar *token = vc_jwt_sign (&c, "s3cret");
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJwtClaims) got = vc_jwt_verify (token, "s3cret", 1000, &error);

  g_assert_no_error (error);
  g_assert_true (got->link);
  g_assert_false (got->guest);
}

static void
test_jwt_rejects (void)
{
  VcJwtClaims c = { .meeting = "42", .endpoint = "ubnd-tinh", .exp = 2000 };
  g_autofree gchar *token = vc_jwt_sign (&c, "s3cret");
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;

  g_assert_null (vc_jwt_verify (token, "other", 1000, &e1));
  g_assert_error (e1, VC_JWT_ERROR, VC_JWT_ERROR_BAD_SIGNATURE);
  g_assert_null (vc_jwt_verify (token, "s3cret", 2000, &e2));
  g_assert_error (e2, VC_JWT_ERROR, VC_JWT_ERROR_EXPIRED);
  g_assert_null (vc_jwt_verify ("a.b", "s3cret", 1000, &e3));
  g_assert_error (e3, VC_JWT_ERROR, VC_JWT_ERROR_MALFORMED);

  /* A token whose payload was swapped keeps the old signature: refused. */
  VcJwtClaims c2 = { .meeting = "43", .endpoint = "ubnd-tinh", .exp = 2000 };
  g_autofree gchar *other = vc_jwt_sign (&c2, "s3cret");
  g_auto (GStrv) a = g_strsplit (token, ".", 3);
  g_auto (GStrv) b = g_strsplit (other, ".", 3);
  g_autofree gchar *forged = g_strjoin (".", a[0], b[1], a[2], NULL);
  g_assert_null (vc_jwt_verify (forged, "s3cret", 1000, &e4));
  g_assert_error (e4, VC_JWT_ERROR, VC_JWT_ERROR_BAD_SIGNATURE);
}

static void
test_secret (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *t1 = vc_secret_new_token (&error);
  g_autofree gchar *t2 = vc_secret_new_token (&error);

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (t1), ==, 43);
  g_assert_cmpstr (t1, !=, t2);
  g_assert_true (vc_secret_equal (t1, t1));
  g_assert_false (vc_secret_equal (t1, t2));
  g_assert_false (vc_secret_equal ("abc", "abcd"));
  g_autofree gchar *h = vc_secret_hash ("abc");
  g_assert_cmpstr (h, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  gsize len = 0;
  g_autofree guint8 *raw = vc_base64url_decode (t1, &len);
  g_assert_cmpuint (len, ==, 32);
  g_assert_null (vc_base64url_decode ("a*b", &len));
}

static void
test_config_layers (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("vc-test-XXXXXX", &error);
  g_autofree gchar *path = g_build_filename (dir, "x.ini", NULL);
  g_autoptr (VcConfig) config = vc_config_new ("[a]\nn=1\ns=x\n");
  gint64 n = 0;

  g_assert_true (g_file_set_contents (path, "[a]\nn=5\nbad=zz\nrel=data/db\n", -1, NULL));
  g_assert_true (vc_config_load_file (config, path, &error));
  g_assert_true (vc_config_get_int (config, "a", "n", 0, 0, 10, &n, &error));
  g_assert_cmpint (n, ==, 5);
  vc_config_set (config, "a", "n", "7");
  g_assert_true (vc_config_get_int (config, "a", "n", 0, 0, 10, &n, &error));
  g_assert_cmpint (n, ==, 7);

  g_assert_false (vc_config_get_int (config, "a", "bad", 0, 0, 10, &n, &error));
  g_assert_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "x.ini"));
  g_assert_nonnull (strstr (error->message, "[a] bad"));
  g_clear_error (&error);

  g_autofree gchar *rel = vc_config_get_path (config, "a", "rel", NULL, &error);
  g_autofree gchar *want = g_build_filename (dir, "data", "db", NULL);
  g_assert_cmpstr (rel, ==, want);

  g_autofree gchar *host = NULL;
  guint16 port = 1;
  g_assert_true (vc_parse_host_port ("127.0.0.1:0", &host, &port));
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 0);
  g_assert_false (vc_parse_host_port ("127.0.0.1:70000", &host, &port));
  g_assert_false (vc_parse_host_port ("nohost", &host, &port));

  /* A relative --config resolves its relative paths against its folder. */
  g_autofree gchar *cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (dir), ==, 0);
  g_autoptr (VcConfig) relative = vc_config_new (NULL);
  g_assert_true (vc_config_load_file (relative, "x.ini", &error));
  g_autofree gchar *rel2 = vc_config_get_path (relative, "a", "rel", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rel2, ==, want);
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_time (void)
{
  gint64 t = 0;
  g_assert_true (vc_time_parse ("2024-01-01T07:00:00+07:00", &t));
  g_assert_cmpint (t, ==, 1704067200);
  g_autofree gchar *s = vc_time_format_utc (t);
  g_assert_cmpstr (s, ==, "2024-01-01T00:00:00Z");
  g_assert_false (vc_time_parse ("2024-01-01", &t));
  g_assert_false (vc_time_parse ("tomorrow morning", &t));
}

static gpointer
raise_upstream_race (gpointer data)
{
  g_log ("GLib", G_LOG_LEVEL_CRITICAL,
         "g_hash_table_foreach: assertion 'version == hash_table->version' failed");
  return NULL;
}

/* The known GStreamer 1.22.0 critical is counted and survived; any other
 * critical still ends the (sub)process. */
static void
test_upstream_tolerated (void)
{
  if (g_test_subprocess ())
    {
      /* criticals are fatal here as in every test run (meson's G_DEBUG) */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      vc_test_tolerate_upstream_bugs ();
      /* from another thread, as GStreamer's rtpsession raises it */
      g_thread_join (g_thread_new ("rtpsession", raise_upstream_race, NULL));
      g_assert_cmpint (vc_test_upstream_rtpsession_races, ==, 1);
      if (g_strcmp0 (g_getenv ("VC_TEST_OTHER_CRITICAL"), "1") == 0)
        g_log ("GLib", G_LOG_LEVEL_CRITICAL, "g_object_unref: assertion 'G_IS_OBJECT (object)'");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*known GStreamer 1.22.0 rtpsession race*");
  /* a TAP reader (meson) takes "Bail out!" for the end of the run */
  g_test_trap_assert_stdout_unmatched ("*Bail out!*");
  g_setenv ("VC_TEST_OTHER_CRITICAL", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("VC_TEST_OTHER_CRITICAL");
  g_test_trap_assert_failed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/test-upstream/tolerated", test_upstream_tolerated);
  g_test_add_func ("/common/jwt/roundtrip", test_jwt_roundtrip);
  g_test_add_func ("/common/jwt/rejects", test_jwt_rejects);
  g_test_add_func ("/common/jwt/link", test_jwt_link);
  g_test_add_func ("/common/secret", test_secret);
  g_test_add_func ("/common/config/layers", test_config_layers);
  g_test_add_func ("/common/time", test_time);
  return g_test_run ();
}
