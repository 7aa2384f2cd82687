/* fuzz-schedule.c — libFuzzer target for what the scheduler sends the room
 * agent (docs/protocol.md §4): the JSON text is parsed as the channel does
 * and, when it is an object, handed to ep_schedule_from_json(); a valid
 * schedule is then queried as the state machine would. Runs over
 * corpus/schedule with gcc (tests/fuzz/fuzz-replay.c). */
#include "ep-schedule.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (EpSchedule) schedule = NULL;
  JsonNode *root;

  if (size == 0 || size > 1024 * 1024
      || !json_parser_load_from_data (parser, (const gchar *)data, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  schedule = ep_schedule_from_json (json_node_get_object (json_parser_get_root (parser)), NULL);
  if (schedule)
    {
      for (gint64 t = 1795000000; t < 1795000000 + 7200; t += 600)
        {
          ep_schedule_current (schedule, t, 0);
          ep_schedule_next (schedule, t);
        }
      ep_schedule_find (schedule, 42);
    }
  return 0;
}
