/* test-stack-restart.c — the restart policy of vc-stack's children
 * (tools/stack-restart.c) on made-up monotonic times: the delays double
 * from 0.5 s to 10 s, go back to 0.5 s after 30 s of readiness, and the
 * sixth death within 60 s is given up on. */
#include "stack-restart.h"

#define S(seconds) ((gint64)((seconds)*G_USEC_PER_SEC))

static void
test_backoff_doubles_to_the_cap (void)
{
  StackRestartPolicy policy = STACK_RESTART_POLICY_DEFAULT;
  StackRestart r;
  const gint expected[] = { 500, 1000, 2000, 4000, 8000, 10000, 10000 };

  policy.burst = 16; /* no give-up in this test */
  stack_restart_init (&r, &policy);
  /* Deaths a few seconds after each start, never healthy for long. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (stack_restart_after_death (&r, S (100 + 20 * i), S (100 + 20 * i - 2)), ==,
                     expected[i]);
  g_assert_cmpuint (r.total, ==, G_N_ELEMENTS (expected));
}

static void
test_reset_after_healthy_run (void)
{
  StackRestartPolicy policy = STACK_RESTART_POLICY_DEFAULT;
  StackRestart r;

  stack_restart_init (&r, &policy);
  g_assert_cmpint (stack_restart_after_death (&r, S (10), S (9)), ==, 500);
  g_assert_cmpint (stack_restart_after_death (&r, S (12), S (11)), ==, 1000);
  g_assert_cmpint (stack_restart_after_death (&r, S (16), S (15)), ==, 2000);
  /* Ready from 20 s to 60 s: healthy again, the next delay is the first. */
  g_assert_cmpint (stack_restart_after_death (&r, S (60), S (20)), ==, 500);
  /* Never ready (0) does not reset. */
  g_assert_cmpint (stack_restart_after_death (&r, S (61), 0), ==, 1000);
}

static void
test_burst_limit (void)
{
  StackRestartPolicy policy = STACK_RESTART_POLICY_DEFAULT;
  StackRestart r;

  stack_restart_init (&r, &policy);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (stack_restart_after_death (&r, S (10 + i), 0), >, 0);
  /* The sixth death within 60 s: give up. */
  g_assert_cmpint (stack_restart_after_death (&r, S (20), 0), ==, -1);
  g_assert_cmpuint (r.total, ==, 5);

  /* Spread out over more than the interval, deaths are restarted. */
  stack_restart_init (&r, &policy);
  for (guint i = 0; i < 12; i++)
    g_assert_cmpint (stack_restart_after_death (&r, S (10 + 15 * i), 0), >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stack/restart/backoff-doubles-to-the-cap", test_backoff_doubles_to_the_cap);
  g_test_add_func ("/stack/restart/reset-after-healthy-run", test_reset_after_healthy_run);
  g_test_add_func ("/stack/restart/burst-limit", test_burst_limit);
  return g_test_run ();
}
