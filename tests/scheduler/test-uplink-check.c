/* test-uplink-check.c — what sched_uplink_check() (scheduler/sched-uplink.c)
 * takes as a central conference's signalling URL and link token, and the
 * claims it reads from the token, without a server. The whole path (the API,
 * the database, two bridges) is test-uplink.c's. */
#include "sched-error.h"
#include "sched-uplink.h"
#include "vc-jwt.h"

#define NOW G_GINT64_CONSTANT (1764748800) /* 2025-12-03T08:00:00Z */

static gchar *
token (gboolean link, gint64 exp)
{
  VcJwtClaims c
      = { .meeting = (gchar *)"900", .endpoint = (gchar *)"nghe-an", .link = link, .exp = exp };

  return vc_jwt_sign (&c, "the-central-sites-secret-0123456789");
}

static void
check_refused (const gchar *url, const gchar *tok, const gchar *field)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *got = NULL;

  g_assert_false (sched_uplink_check (url, tok, NOW, NULL, &error));
  g_assert_error (error, SCHED_ERROR, SCHED_ERROR_INVALID);
  got = sched_error_get_field (error);
  g_assert_cmpstr (got, ==, field);
}

static void
test_taken (void)
{
  g_autofree gchar *t = token (TRUE, NOW + 3600);
  g_auto (SchedUplinkClaims) claims = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (
      sched_uplink_check ("wss://cau.chinhphu.vn/rooms/900/signal", t, NOW, &claims, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (claims.endpoint, ==, "nghe-an");
  g_assert_cmpstr (claims.meeting, ==, "900");
  g_assert_cmpint (claims.exp, ==, NOW + 3600);
  g_assert_true (claims.link);
  g_assert_true (sched_uplink_check ("ws://10.1.2.3:8090/rooms/900/signal", t, NOW, NULL, &error));
}

static void
test_refused_url (void)
{
  g_autofree gchar *t = token (TRUE, NOW + 3600);
  g_autofree gchar *fill = g_strnfill (2100, 'x');
  g_autofree gchar *long_url = g_strdup_printf ("wss://a/%s/signal", fill);

  check_refused ("http://cau.chinhphu.vn/rooms/900/signal", t, "signal_url");
  check_refused ("wss:///rooms/900/signal", t, "signal_url");
  check_refused ("wss://cau.chinhphu.vn/rooms/900", t, "signal_url");
  check_refused ("wss://cau.chinhphu.vn/rooms/900/signal?room=1", t, "signal_url");
  check_refused ("wss://cau.chinhphu.vn/rooms/900/signal#x", t, "signal_url");
  check_refused ("cau.chinhphu.vn/rooms/900/signal", t, "signal_url");
  check_refused ("", t, "signal_url");
  check_refused (long_url, t, "signal_url");
}

static void
test_refused_token (void)
{
  const gchar *url = "wss://cau.chinhphu.vn/rooms/900/signal";
  g_autofree gchar *not_link = token (FALSE, NOW + 3600);
  g_autofree gchar *expired = token (TRUE, NOW - 1);
  g_autofree gchar *huge = g_strnfill (5000, 'a');

  check_refused (url, "", "token");
  check_refused (url, "abc", "token");
  check_refused (url, "a.b", "token");
  check_refused (url, "a.b.c.d", "token");
  check_refused (url, "eyJhbGciOiJIUzI1NiJ9..c2ln", "token");
  check_refused (url, "eyJhbGciOiJIUzI1NiJ9.e30=.c2ln", "token"); /* padding is not base64url */
  check_refused (url, "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", "token"); /* "not json" */
  check_refused (url, "eyJhbGciOiJIUzI1NiJ9.WzFd.c2ln", "token");        /* [1]: not an object */
  check_refused (url, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "token");         /* {}: no link */
  check_refused (url, not_link, "token");
  check_refused (url, expired, "token");
  check_refused (url, huge, "token");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sched-uplink-check/taken", test_taken);
  g_test_add_func ("/sched-uplink-check/refused-url", test_refused_url);
  g_test_add_func ("/sched-uplink-check/refused-token", test_refused_token);
  return g_test_run ();
}
