/* fuzz-schedule.c — libFuzzer target for the schedule the room agent
 * keeps (docs/protocol.md §4): the text is parsed as the agent parses its
 * cached schedule, by the agent channel's codec (ep_schedule_parse, which
 * is vc_agent_wire_schedule_parse), and a valid schedule is then saved,
 * loaded back and queried as the state machine would. The codec's own
 * target is tests/fuzz/fuzz-agent-wire.c. Runs over corpus/schedule with
 * gcc (tests/fuzz/fuzz-replay.c). */
#include "ep-schedule.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (EpSchedule) schedule = ep_schedule_parse ((const gchar *)data, (gssize)size, &error);

  if (schedule == NULL)
    {
      g_assert (error != NULL && error->domain == VC_WIRE_ERROR);
      return 0;
    }
  for (guint i = 1; i < schedule->meetings->len; i++)
    g_assert (((EpMeeting *)schedule->meetings->pdata[i - 1])->start
              <= ((EpMeeting *)schedule->meetings->pdata[i])->start);
  for (gint64 t = 1795000000; t < 1795000000 + 7200; t += 600)
    {
      ep_schedule_current (schedule, t, 0);
      ep_schedule_next (schedule, t);
    }
  ep_schedule_find (schedule, 42);
  return 0;
}
