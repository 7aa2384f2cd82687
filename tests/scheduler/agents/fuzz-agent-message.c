/* fuzz-agent-message.c — the frames a room agent sends on its channel come
 * from the network: the parser must refuse every malformed one with a reason,
 * without a critical or a crash, and what it accepts must be one of the two
 * message types with its fields in range. */
#include "sched-agent-message.h"

#include <stdint.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_auto (SchedAgentMessage) message = { 0 };
  const gchar *reason = NULL;
  gboolean ok = sched_agent_message_parse ((const gchar *)data, size, &message, &reason);

  if (!ok)
    {
      g_assert (reason != NULL && reason[0] != '\0');
      g_assert (message.state == NULL && message.reason == NULL);
      return 0;
    }
  if (message.type == SCHED_AGENT_MESSAGE_STATE)
    g_assert (strcmp (message.state, "idle") == 0 || strcmp (message.state, "joining") == 0
              || strcmp (message.state, "in_meeting") == 0);
  else
    g_assert (message.type == SCHED_AGENT_MESSAGE_READINESS && message.reason != NULL
              && g_utf8_validate (message.reason, -1, NULL));
  return 0;
}
