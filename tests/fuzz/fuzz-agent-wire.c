/* fuzz-agent-wire.c — the agent channel's frames come from the network in
 * both directions (proto/vc-agent-wire.h). Every input is given to each
 * parse of the codec: the report (agent → scheduler), the notice
 * (scheduler → agent) and the cached schedule. Each must refuse what is
 * malformed with a VC_WIRE_ERROR and a message, without a critical or a
 * crash, and leave its output untouched; what it accepts must be in range
 * and build into a text that parses to an equal message, which builds into
 * the same text again. */
#include "vc-agent-wire.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_refusal (const GError *error)
{
  g_assert (error != NULL && error->domain == VC_WIRE_ERROR);
  g_assert (error->message[0] != '\0');
}

static void
check_schedule (const VcAgentWireSchedule *s)
{
  g_assert (s->meetings->len <= VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS);
  for (guint i = 0; i < s->meetings->len; i++)
    {
      const VcAgentWireMeeting *m = g_ptr_array_index (s->meetings, i);
      g_assert (m->id > 0 && m->title != NULL && m->status != NULL);
      g_assert (m->start >= VC_WIRE_TIME_MIN && m->end > m->start && m->end < VC_WIRE_TIME_END);
      g_assert (g_utf8_validate (m->title, -1, NULL));
    }
}

static void
fuzz_report (const gchar *text, gsize size)
{
  g_auto (VcAgentWireReport) report = { 0 };
  g_auto (VcAgentWireReport) again = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *built = NULL, *rebuilt = NULL;

  if (!vc_agent_wire_report_parse (text, size, &report, &error))
    {
      check_refusal (error);
      g_assert (report.reason == NULL);
      return;
    }
  g_assert (report.state <= VC_AGENT_WIRE_STATE_IN_MEETING);
  g_assert (report.type == VC_AGENT_WIRE_REPORT_STATE
            || (report.reason != NULL && g_utf8_validate (report.reason, -1, NULL)));
  built = vc_agent_wire_report_build (&report);
  g_assert (vc_agent_wire_report_parse (built, strlen (built), &again, NULL));
  g_assert (vc_agent_wire_report_equal (&report, &again));
  rebuilt = vc_agent_wire_report_build (&again);
  g_assert (strcmp (built, rebuilt) == 0);
}

static void
fuzz_notice (const gchar *text, gsize size)
{
  g_auto (VcAgentWireNotice) notice = { 0 };
  g_auto (VcAgentWireNotice) again = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *built = NULL, *rebuilt = NULL;

  if (!vc_agent_wire_notice_parse (text, size, &notice, &error))
    {
      check_refusal (error);
      g_assert (notice.schedule == NULL && notice.code == NULL && notice.message == NULL);
      return;
    }
  if (notice.type == VC_AGENT_WIRE_NOTICE_SCHEDULE)
    check_schedule (notice.schedule);
  g_assert (notice.type != VC_AGENT_WIRE_NOTICE_ERROR
            || (notice.code != NULL && notice.message != NULL));
  built = vc_agent_wire_notice_build (&notice);
  g_assert (vc_agent_wire_notice_parse (built, strlen (built), &again, NULL));
  g_assert (vc_agent_wire_notice_equal (&notice, &again));
  rebuilt = vc_agent_wire_notice_build (&again);
  g_assert (strcmp (built, rebuilt) == 0);
}

static void
fuzz_schedule (const gchar *text, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcAgentWireSchedule) schedule = vc_agent_wire_schedule_parse (text, size, &error);
  g_autoptr (VcAgentWireSchedule) again = NULL;
  g_autofree gchar *built = NULL, *rebuilt = NULL;

  if (schedule == NULL)
    {
      check_refusal (error);
      return;
    }
  check_schedule (schedule);
  built = vc_agent_wire_schedule_build (schedule, TRUE);
  again = vc_agent_wire_schedule_parse (built, strlen (built), NULL);
  g_assert (again != NULL && vc_agent_wire_schedule_equal (schedule, again));
  rebuilt = vc_agent_wire_schedule_build (again, TRUE);
  g_assert (strcmp (built, rebuilt) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const gchar *text = (const gchar *)data;

  fuzz_report (text, size);
  fuzz_notice (text, size);
  fuzz_schedule (text, size);
  return 0;
}
