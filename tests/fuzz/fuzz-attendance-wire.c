/* fuzz-attendance-wire.c — the attendance request comes from the network
 * (a room agent, or anyone with a token) and its answer too (whoever
 * answers the agent's POST): proto/vc-attendance-wire.h. Every input is
 * given to both parses. Each must refuse what is malformed with a
 * VC_WIRE_ERROR and a message, without a critical or a crash; what it
 * accepts must be within the contract's limits and build into a text that
 * parses to an equal message, which builds into the same text again. */
#include "vc-attendance-wire.h"

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
fuzz_request (const gchar *text, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = vc_attendance_wire_request_parse (text, size, &error);
  g_autoptr (GPtrArray) again = NULL;
  g_autofree gchar *built = NULL, *rebuilt = NULL;

  if (events == NULL)
    {
      check_refusal (error);
      return;
    }
  g_assert (events->len <= VC_ATTENDANCE_WIRE_MAX_EVENTS);
  for (guint i = 0; i < events->len; i++)
    {
      const VcAttendanceWireEvent *e = g_ptr_array_index (events, i);
      g_assert (g_uuid_string_is_valid (e->id));
      g_assert (e->type == VC_ATTENDANCE_WIRE_JOINED || e->type == VC_ATTENDANCE_WIRE_LEFT);
      g_assert (e->at >= VC_WIRE_TIME_MIN && e->at < VC_WIRE_TIME_END);
      g_assert (e->reason == NULL
                || g_utf8_strlen (e->reason, -1) <= VC_ATTENDANCE_WIRE_MAX_REASON_CHARS);
    }
  built = vc_attendance_wire_request_build (events);
  again = vc_attendance_wire_request_parse (built, strlen (built), NULL);
  g_assert (again != NULL && again->len == events->len);
  for (guint i = 0; i < events->len; i++)
    g_assert (vc_attendance_wire_event_equal (events->pdata[i], again->pdata[i]));
  rebuilt = vc_attendance_wire_request_build (again);
  g_assert (strcmp (built, rebuilt) == 0);
}

static void
fuzz_answer (const gchar *text, gsize size)
{
  g_auto (VcAttendanceWireAnswer) answer = { 0 };
  g_auto (VcAttendanceWireAnswer) again = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *built = NULL, *rebuilt = NULL;

  if (!vc_attendance_wire_answer_parse (text, size, &answer, &error))
    {
      check_refusal (error);
      g_assert (answer.rejected != NULL && answer.rejected->len == 0);
      return;
    }
  g_assert (answer.accepted >= 0 && answer.accepted <= VC_ATTENDANCE_WIRE_MAX_EVENTS);
  g_assert (answer.duplicates >= 0 && answer.duplicates <= VC_ATTENDANCE_WIRE_MAX_EVENTS);
  g_assert (answer.rejected->len <= VC_ATTENDANCE_WIRE_MAX_EVENTS);
  built = vc_attendance_wire_answer_build (&answer);
  g_assert (vc_attendance_wire_answer_parse (built, strlen (built), &again, NULL));
  g_assert (vc_attendance_wire_answer_equal (&answer, &again));
  rebuilt = vc_attendance_wire_answer_build (&again);
  g_assert (strcmp (built, rebuilt) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_request ((const gchar *)data, size);
  fuzz_answer ((const gchar *)data, size);
  return 0;
}
