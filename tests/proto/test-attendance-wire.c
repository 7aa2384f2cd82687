/* test-attendance-wire.c — the attendance contract's codec
 * (proto/vc-attendance-wire.h): the request and the answer built, parsed
 * back and compared member by member; the text an agent posts, byte for
 * byte; and every refusal, with its code and the field it names. */
#include "vc-attendance-wire.h"
#include "vc-time.h"

#include <string.h>

static gint64
t (const gchar *text)
{
  gint64 out = 0;

  g_assert_true (vc_time_parse (text, &out));
  return out;
}

static VcAttendanceWireEvent *
event_new (const gchar *id, gint64 meeting, VcAttendanceWireEventType type, const gchar *at,
           const gchar *reason, const gchar *endpoint)
{
  VcAttendanceWireEvent *e = vc_attendance_wire_event_new ();

  e->id = g_strdup (id);
  e->meeting = meeting;
  e->type = type;
  e->at = t (at);
  e->reason = g_strdup (reason);
  e->endpoint = g_strdup (endpoint);
  return e;
}

static void
test_request_round_trip (void)
{
  g_autoptr (GPtrArray) events
      = g_ptr_array_new_with_free_func ((GDestroyNotify)vc_attendance_wire_event_free);
  g_autoptr (GPtrArray) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *five_hundred = NULL;
  GString *reason = g_string_new (NULL);

  for (gint i = 0; i < VC_ATTENDANCE_WIRE_MAX_REASON_CHARS; i++)
    g_string_append (reason, "ồ");
  five_hundred = g_string_free (reason, FALSE);
  g_ptr_array_add (events,
                   event_new ("6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01", 42, VC_ATTENDANCE_WIRE_JOINED,
                              "2026-12-01T01:00:05Z", NULL, NULL));
  g_ptr_array_add (events,
                   event_new ("6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02", 42, VC_ATTENDANCE_WIRE_LEFT,
                              "2026-12-01T02:00:00Z", "dropped", NULL));
  g_ptr_array_add (events,
                   event_new ("6F1C2B1E-8A55-4F0E-9A51-0D6B1F2F3A03", 7, VC_ATTENDANCE_WIRE_LEFT,
                              "2099-12-31T23:59:59Z", five_hundred, "ubnd-vinh"));
  text = vc_attendance_wire_request_build (events);
  back = vc_attendance_wire_request_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, events->len);
  for (guint i = 0; i < events->len; i++)
    {
      const VcAttendanceWireEvent *a = events->pdata[i], *b = back->pdata[i];

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpint (a->meeting, ==, b->meeting);
      g_assert_cmpint (a->type, ==, b->type);
      g_assert_cmpint (a->at, ==, b->at);
      g_assert_cmpstr (a->reason, ==, b->reason);
      g_assert_cmpstr (a->endpoint, ==, b->endpoint);
    }

  /* What an agent has always posted. */
  g_ptr_array_set_size (events, 2);
  g_clear_pointer (&text, g_free);
  text = vc_attendance_wire_request_build (events);
  g_assert_cmpstr (text, ==,
                   "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01\",\"meeting\":42,"
                   "\"type\":\"joined\",\"at\":\"2026-12-01T01:00:05Z\",\"reason\":null},"
                   "{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":42,"
                   "\"type\":\"left\",\"at\":\"2026-12-01T02:00:00Z\",\"reason\":\"dropped\"}]}");
}

static void
assert_answers_equal (const VcAttendanceWireAnswer *a, const VcAttendanceWireAnswer *b)
{
  g_assert_cmpint (a->accepted, ==, b->accepted);
  g_assert_cmpint (a->duplicates, ==, b->duplicates);
  g_assert_cmpuint (a->rejected->len, ==, b->rejected->len);
  for (guint i = 0; i < a->rejected->len; i++)
    {
      const VcAttendanceWireRejection *x = a->rejected->pdata[i], *y = b->rejected->pdata[i];

      g_assert_cmpuint (x->index, ==, y->index);
      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->field, ==, y->field);
      g_assert_cmpstr (x->message, ==, y->message);
    }
}

static void
test_answer_round_trip (void)
{
  g_auto (VcAttendanceWireAnswer) answer = { 0 };
  g_auto (VcAttendanceWireAnswer) back = { 0 };
  g_auto (VcAttendanceWireAnswer) old = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;

  vc_attendance_wire_answer_init (&answer);
  answer.accepted = 1;
  answer.duplicates = 2;
  vc_attendance_wire_answer_reject (&answer, 1, "6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a04",
                                    "events[1].meeting",
                                    "room 'ubnd-anh-son' is not in meeting 77");
  vc_attendance_wire_answer_reject (&answer, 3, "6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a05",
                                    "events[3].at", "2026-12-03T01:00:00Z is in the future");
  text = vc_attendance_wire_answer_build (&answer);
  g_assert_true (vc_attendance_wire_answer_parse (text, strlen (text), &back, &error));
  g_assert_no_error (error);
  assert_answers_equal (&answer, &back);

  /* A scheduler from before "rejected": counts only. */
  {
    static const gchar counts[] = "{\"accepted\":2,\"duplicates\":3}";
    g_assert_true (vc_attendance_wire_answer_parse (counts, strlen (counts), &old, &error));
  }
  g_assert_cmpint (old.accepted, ==, 2);
  g_assert_cmpint (old.duplicates, ==, 3);
  g_assert_cmpuint (old.rejected->len, ==, 0);
}

typedef struct
{
  gboolean answer; /* else a request */
  const gchar *text;
  VcWireError code;
  const gchar *field;
} Refusal;

#define EV(members)                                                                                \
  "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01\",\"meeting\":1,"                   \
  "\"type\":\"joined\",\"at\":\"2025-05-06T01:10:00Z\"}," members "]}"

static const Refusal refusals[] = {
  { FALSE, "", VC_WIRE_ERROR_MALFORMED, NULL },
  { FALSE, "{\"events\":", VC_WIRE_ERROR_MALFORMED, NULL },
  { FALSE, "[]", VC_WIRE_ERROR_MALFORMED, NULL },
  { FALSE, "{}", VC_WIRE_ERROR_INVALID, "events" },
  { FALSE, "{\"events\":{\"id\":1}}", VC_WIRE_ERROR_INVALID, "events" },
  { FALSE, EV ("7"), VC_WIRE_ERROR_INVALID, "events[1]" },
  { FALSE, EV ("{\"meeting\":1,\"type\":\"joined\",\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].id" },
  { FALSE, EV ("{\"id\":5,\"meeting\":1,\"type\":\"joined\",\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].id" },
  { FALSE,
    EV ("{\"id\":\"nope\",\"meeting\":1,\"type\":\"joined\",\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].id" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"type\":\"joined\","
        "\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].meeting" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":\"1\",\"type\":\"joined\","
        "\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].meeting" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\","
        "\"meeting\":1000000000000000000000000000000,\"type\":\"joined\","
        "\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].meeting" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"present\","
        "\"at\":\"2025-05-06T01:10:00Z\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].type" },
  { FALSE, EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].at" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\","
        "\"at\":\"yesterday\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].at" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\","
        "\"at\":\"9999-12-31T23:30:00-05:00\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].at" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\","
        "\"at\":\"2025-05-06T01:10:00Z\",\"reason\":[1]}"),
    VC_WIRE_ERROR_INVALID, "events[1].reason" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\","
        "\"at\":\"2025-05-06T01:10:00Z\",\"reason\":\"a\\u0000b\"}"),
    VC_WIRE_ERROR_INVALID, "events[1].reason" },
  { FALSE,
    EV ("{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\","
        "\"at\":\"2025-05-06T01:10:00Z\",\"endpoint\":true}"),
    VC_WIRE_ERROR_INVALID, "events[1].endpoint" },
  { TRUE, "not json", VC_WIRE_ERROR_MALFORMED, NULL },
  { TRUE, "{\"duplicates\":0}", VC_WIRE_ERROR_INVALID, "accepted" },
  { TRUE, "{\"accepted\":-1,\"duplicates\":0}", VC_WIRE_ERROR_INVALID, "accepted" },
  { TRUE, "{\"accepted\":0,\"duplicates\":1001}", VC_WIRE_ERROR_INVALID, "duplicates" },
  { TRUE, "{\"accepted\":0,\"duplicates\":0,\"rejected\":{}}", VC_WIRE_ERROR_INVALID, "rejected" },
  { TRUE, "{\"accepted\":0,\"duplicates\":0,\"rejected\":[1]}", VC_WIRE_ERROR_INVALID,
    "rejected[0]" },
  { TRUE,
    "{\"accepted\":0,\"duplicates\":0,\"rejected\":[{\"index\":\"1\",\"id\":\"x\","
    "\"field\":\"f\",\"message\":\"m\"}]}",
    VC_WIRE_ERROR_INVALID, "rejected[0].index" },
  { TRUE,
    "{\"accepted\":0,\"duplicates\":0,\"rejected\":[{\"index\":1,\"id\":\"x\","
    "\"message\":\"m\"}]}",
    VC_WIRE_ERROR_INVALID, "rejected[0].field" },
};

static void
test_refusals (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      const Refusal *r = &refusals[i];
      g_autoptr (GError) error = NULL;
      gboolean ok;

      g_test_message ("refusal %u: %s", i, r->text);
      if (r->answer)
        {
          g_auto (VcAttendanceWireAnswer) answer = { 0 };
          ok = vc_attendance_wire_answer_parse (r->text, strlen (r->text), &answer, &error);
          g_assert_cmpuint (answer.rejected->len, ==, 0);
        }
      else
        {
          g_autoptr (GPtrArray) events
              = vc_attendance_wire_request_parse (r->text, strlen (r->text), &error);
          ok = events != NULL;
        }
      g_assert_false (ok);
      g_assert_error (error, VC_WIRE_ERROR, (gint)r->code);
      g_assert_cmpstr (vc_wire_error_get_field (error), ==, r->field);
      if (r->field)
        g_assert_nonnull (strstr (error->message, r->field));
    }
}

/* At most 1000 events; a reason of at most 500 characters (not bytes). */
static void
test_limits (void)
{
  g_autoptr (GString) request = g_string_new ("{\"events\":[");
  g_autoptr (GString) reason = g_string_new (NULL);
  g_autoptr (GPtrArray) ok = NULL;
  g_autoptr (GError) e1 = NULL, e2 = NULL;
  g_autofree gchar *long_reason = NULL;
  g_autoptr (GPtrArray) none = NULL;

  for (gint i = 0; i <= VC_ATTENDANCE_WIRE_MAX_EVENTS; i++)
    g_string_append_printf (request,
                            "%s{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f%06d\",\"meeting\":1,"
                            "\"type\":\"joined\",\"at\":\"2025-05-06T01:10:00Z\"}",
                            i ? "," : "", i);
  g_string_append (request, "]}");
  none = vc_attendance_wire_request_parse (request->str, request->len, &e1);
  g_assert_null (none);
  g_assert_error (e1, VC_WIRE_ERROR, VC_WIRE_ERROR_INVALID);
  g_assert_cmpstr (vc_wire_error_get_field (e1), ==, "events");
  /* one fewer is taken */
  g_string_truncate (request, strrchr (request->str, '{') - request->str - 1);
  g_string_append (request, "]}");
  ok = vc_attendance_wire_request_parse (request->str, request->len, NULL);
  g_assert_nonnull (ok);
  g_assert_cmpuint (ok->len, ==, VC_ATTENDANCE_WIRE_MAX_EVENTS);

  for (gint i = 0; i <= VC_ATTENDANCE_WIRE_MAX_REASON_CHARS; i++)
    g_string_append (reason, "ồ");
  long_reason = g_strdup_printf ("{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01\","
                                 "\"meeting\":1,\"type\":\"left\",\"at\":\"2025-05-06T01:10:00Z\","
                                 "\"reason\":\"%s\"}]}",
                                 reason->str);
  g_assert_null (vc_attendance_wire_request_parse (long_reason, strlen (long_reason), &e2));
  g_assert_error (e2, VC_WIRE_ERROR, VC_WIRE_ERROR_INVALID);
  g_assert_cmpstr (vc_wire_error_get_field (e2), ==, "events[0].reason");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attendance-wire/request-round-trip", test_request_round_trip);
  g_test_add_func ("/attendance-wire/answer-round-trip", test_answer_round_trip);
  g_test_add_func ("/attendance-wire/refusals", test_refusals);
  g_test_add_func ("/attendance-wire/limits", test_limits);
  return g_test_run ();
}
