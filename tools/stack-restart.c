/* stack-restart.c — the restart back-off and burst limit of vc-stack's
 * children; see stack-restart.h. */
#include "stack-restart.h"

#include <string.h>

void
stack_restart_init (StackRestart *restart, const StackRestartPolicy *policy)
{
  memset (restart, 0, sizeof *restart);
  restart->policy = *policy;
  restart->policy.burst = MIN (policy->burst, G_N_ELEMENTS (restart->recent));
  restart->next_delay_ms = policy->first_delay_ms;
}

gint
stack_restart_after_death (StackRestart *restart, gint64 now_us, gint64 ready_since_us)
{
  const StackRestartPolicy *p = &restart->policy;
  gint64 window_start = now_us - (gint64)p->burst_interval_ms * 1000;
  guint keep = 0;
  guint delay;

  if (ready_since_us > 0 && now_us - ready_since_us >= (gint64)p->healthy_after_ms * 1000)
    restart->next_delay_ms = p->first_delay_ms;
  /* Forget the restarts that left the interval. */
  for (guint i = 0; i < restart->n_recent; i++)
    if (restart->recent[i] > window_start)
      restart->recent[keep++] = restart->recent[i];
  restart->n_recent = keep;
  if (restart->n_recent >= p->burst)
    return -1;

  delay = restart->next_delay_ms;
  restart->next_delay_ms = MIN (delay * 2, p->max_delay_ms);
  restart->recent[restart->n_recent++] = now_us;
  restart->total++;
  return (gint)delay;
}
