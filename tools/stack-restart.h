/* stack-restart.h — when vc-stack starts a dead child again, as systemd's
 * Restart=on-failure would: after a delay that starts at 0.5 s and doubles
 * up to 10 s with every death in a row, back to 0.5 s once the child stayed
 * ready for 30 s; and not at all once it was restarted 5 times within
 * 60 s (StartLimitBurst, StartLimitIntervalSec). Pure bookkeeping on
 * monotonic times, so that it is tested without processes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint first_delay_ms;    /* 500 */
  guint max_delay_ms;      /* 10000 */
  guint healthy_after_ms;  /* up (ready) this long: the next delay is the first again */
  guint burst;             /* at most this many restarts … */
  guint burst_interval_ms; /* … within this long */
} StackRestartPolicy;

#define STACK_RESTART_POLICY_DEFAULT                                                               \
  ((StackRestartPolicy){ .first_delay_ms = 500,                                                    \
                         .max_delay_ms = 10000,                                                    \
                         .healthy_after_ms = 30000,                                                \
                         .burst = 5,                                                               \
                         .burst_interval_ms = 60000 })

typedef struct
{
  StackRestartPolicy policy;
  guint next_delay_ms;
  gint64 recent[16]; /* monotonic µs of the restarts in the burst interval, oldest first */
  guint n_recent;
  guint total; /* restarts since vc-stack started */
} StackRestart;

void stack_restart_init (StackRestart *restart, const StackRestartPolicy *policy);

/* The child died at @now_us (monotonic); it had been ready since
 * @ready_since_us, or never (0). Returns the delay in ms before starting
 * it again and counts that restart, or -1 when the burst limit is reached:
 * give up. */
gint stack_restart_after_death (StackRestart *restart, gint64 now_us, gint64 ready_since_us);

G_END_DECLS
