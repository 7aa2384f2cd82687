/* test-error-domains.c — every error domain of ours reads as its name.
 *
 * G_DEFINE_QUARK stringifies its first argument: a formatter that spaces out
 * "vc-config-error-quark" as a subtraction renames the domain at run time
 * (logs, g_error_matches across processes). Each use is kept out of
 * clang-format's reach (.clang-format says how); this test catches a slip. */
#include "bridge-room.h"
#include "sched-error.h"
#include "vc-config.h"
#include "vc-jwt.h"
#include "vc-media.h"
#include "vc-signal.h"

static void
test_error_domain_names (void)
{
  g_assert_cmpstr (g_quark_to_string (VC_CONFIG_ERROR), ==, "vc-config-error-quark");
  g_assert_cmpstr (g_quark_to_string (VC_JWT_ERROR), ==, "vc-jwt-error-quark");
  g_assert_cmpstr (g_quark_to_string (SCHED_ERROR), ==, "sched-error-quark");
  g_assert_cmpstr (g_quark_to_string (VC_MEDIA_ERROR), ==, "vc-media-error-quark");
  g_assert_cmpstr (g_quark_to_string (VC_SIGNAL_ERROR), ==, "vc-signal-error-quark");
  g_assert_cmpstr (g_quark_to_string (BRIDGE_ERROR), ==, "vc-bridge-error-quark");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error-domains/names", test_error_domain_names);
  return g_test_run ();
}
