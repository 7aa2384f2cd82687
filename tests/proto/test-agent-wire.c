/* test-agent-wire.c — the agent channel's codec (proto/vc-agent-wire.h):
 * every message type built, parsed back and compared member by member;
 * the texts the channel has always carried, byte for byte; and every
 * refusal, with its error code and the field it names. */
#include "vc-agent-wire.h"
#include "vc-time.h"

#include <string.h>

static gint64
t (const gchar *text)
{
  gint64 out = 0;

  g_assert_true (vc_time_parse (text, &out));
  return out;
}

static void
assert_reports_equal (const VcAgentWireReport *a, const VcAgentWireReport *b)
{
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpint (a->meeting, ==, b->meeting);
  if (a->type == VC_AGENT_WIRE_REPORT_STATE)
    g_assert_cmpint (a->state, ==, b->state);
  else
    {
      g_assert_cmpint (a->ready, ==, b->ready);
      g_assert_cmpstr (a->reason ? a->reason : "", ==, b->reason);
    }
}

static VcAgentWireReport *
report_round_trip (const VcAgentWireReport *report, VcAgentWireReport *back)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = vc_agent_wire_report_build (report);

  g_assert_true (vc_agent_wire_report_parse (text, strlen (text), back, &error));
  g_assert_no_error (error);
  assert_reports_equal (report, back);
  return back;
}

static void
test_report_round_trip (void)
{
  for (gint state = VC_AGENT_WIRE_STATE_IDLE; state <= VC_AGENT_WIRE_STATE_IN_MEETING; state++)
    for (gint64 meeting = 0; meeting <= 42; meeting += 42)
      {
        VcAgentWireReport report = { .type = VC_AGENT_WIRE_REPORT_STATE,
                                     .state = (VcAgentWireState)state,
                                     .meeting = meeting };
        g_auto (VcAgentWireReport) back = { 0 };

        report_round_trip (&report, &back);
      }
  {
    VcAgentWireReport report = { .type = VC_AGENT_WIRE_REPORT_READINESS,
                                 .meeting = 9,
                                 .ready = FALSE,
                                 .reason = (gchar *)"camera: không có tín hiệu \"5 s\"\n" };
    g_auto (VcAgentWireReport) back = { 0 };

    report_round_trip (&report, &back);
  }
  {
    VcAgentWireReport report = { .type = VC_AGENT_WIRE_REPORT_READINESS, .ready = TRUE };
    g_auto (VcAgentWireReport) back = { 0 };

    report_round_trip (&report, &back);
    g_assert_cmpstr (back.reason, ==, "");
  }
}

/* What agents and schedulers already deployed send and read. */
static void
test_wire_texts (void)
{
  VcAgentWireReport idle = { .type = VC_AGENT_WIRE_REPORT_STATE };
  VcAgentWireReport in = { .type = VC_AGENT_WIRE_REPORT_STATE,
                           .state = VC_AGENT_WIRE_STATE_IN_MEETING,
                           .meeting = 42 };
  VcAgentWireReport ready = { .type = VC_AGENT_WIRE_REPORT_READINESS,
                              .meeting = 42,
                              .ready = TRUE,
                              .reason = (gchar *)"camera ok" };
  VcAgentWireNotice join = { .type = VC_AGENT_WIRE_NOTICE_JOIN, .meeting = 42 };
  VcAgentWireNotice error = { .type = VC_AGENT_WIRE_NOTICE_ERROR,
                              .code = (gchar *)VC_AGENT_WIRE_ERROR_MALFORMED,
                              .message = (gchar *)"not JSON" };
  g_autofree gchar *t1 = vc_agent_wire_report_build (&idle);
  g_autofree gchar *t2 = vc_agent_wire_report_build (&in);
  g_autofree gchar *t3 = vc_agent_wire_report_build (&ready);
  g_autofree gchar *t4 = vc_agent_wire_notice_build (&join);
  g_autofree gchar *t5 = vc_agent_wire_notice_build (&error);

  g_assert_cmpstr (t1, ==, "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":null}");
  g_assert_cmpstr (t2, ==, "{\"type\":\"state\",\"state\":\"in_meeting\",\"meeting\":42}");
  g_assert_cmpstr (
      t3, ==, "{\"type\":\"readiness\",\"meeting\":42,\"ready\":true,\"reason\":\"camera ok\"}");
  g_assert_cmpstr (t4, ==, "{\"type\":\"join\",\"meeting\":42}");
  g_assert_cmpstr (t5, ==, "{\"type\":\"error\",\"code\":\"malformed\",\"message\":\"not JSON\"}");
}

static VcAgentWireMeeting *
meeting_new (gint64 id, const gchar *title, const gchar *start, const gchar *end, gboolean bridge)
{
  VcAgentWireMeeting *m = vc_agent_wire_meeting_new ();

  m->id = id;
  m->title = g_strdup (title);
  m->start = t (start);
  m->end = t (end);
  m->status = g_strdup ("scheduled");
  if (bridge)
    {
      m->unit = g_strdup ("ubnd-tinh");
      m->unit_name = g_strdup ("UBND tỉnh");
      m->chair = g_strdup ("ubnd-tinh");
      m->signal_url = g_strdup_printf ("ws://127.0.0.1:8090/rooms/%" G_GINT64_FORMAT "/signal", id);
      m->join_token = g_strdup ("eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
      m->token_expires = m->end + 1800;
    }
  return m;
}

static void
assert_schedules_equal (const VcAgentWireSchedule *a, const VcAgentWireSchedule *b)
{
  g_assert_true (vc_agent_wire_schedule_equal (a, b));
  /* and the equality itself sees a difference */
  if (a->meetings->len)
    {
      VcAgentWireMeeting *m = b->meetings->pdata[0];
      gint64 id = m->id;

      m->id = id + 1;
      g_assert_false (vc_agent_wire_schedule_equal (a, b));
      m->id = id;
    }
}

static void
test_notice_round_trip (void)
{
  g_autoptr (VcAgentWireSchedule) schedule = vc_agent_wire_schedule_new ();
  VcAgentWireMeeting *second;
  const VcAgentWireNotice notices[] = {
    { .type = VC_AGENT_WIRE_NOTICE_SCHEDULE, .schedule = schedule },
    { .type = VC_AGENT_WIRE_NOTICE_JOIN, .meeting = 42 },
    { .type = VC_AGENT_WIRE_NOTICE_LEAVE, .meeting = -1 },
    { .type = VC_AGENT_WIRE_NOTICE_ERROR,
      .code = (gchar *)VC_AGENT_WIRE_ERROR_INVALID,
      .message = (gchar *)"room 'ubnd-vinh' is not in meeting 2" },
  };

  schedule->endpoint = g_strdup ("ubnd-tinh");
  schedule->generated_at = t ("2026-11-21T07:00:00Z");
  g_ptr_array_add (schedule->meetings, meeting_new (42, "Giao ban tháng 11", "2026-11-21T08:00:00Z",
                                                    "2026-11-21T09:00:00Z", TRUE));
  /* No bridge configured: no URL, no token, no expiry; cancelled. */
  second = meeting_new (43, "Họp \"B\"", "2026-11-21T09:00:00Z", "2026-11-21T10:00:00Z", FALSE);
  g_free (second->status);
  second->status = g_strdup ("cancelled");
  g_ptr_array_add (schedule->meetings, second);

  for (guint i = 0; i < G_N_ELEMENTS (notices); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *text = vc_agent_wire_notice_build (&notices[i]);
      g_auto (VcAgentWireNotice) back = { 0 };

      g_assert_true (vc_agent_wire_notice_parse (text, strlen (text), &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back.type, ==, notices[i].type);
      g_assert_cmpint (back.meeting, ==, notices[i].meeting);
      g_assert_cmpstr (back.code, ==, notices[i].code);
      g_assert_cmpstr (back.message, ==, notices[i].message);
      if (notices[i].schedule)
        assert_schedules_equal (notices[i].schedule, back.schedule);
      else
        g_assert_null (back.schedule);
    }

  /* The cache file: pretty, the same schedule back. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree gchar *text = vc_agent_wire_schedule_build (schedule, TRUE);
    g_autoptr (VcAgentWireSchedule) back
        = vc_agent_wire_schedule_parse (text, strlen (text), &error);

    g_assert_no_error (error);
    g_assert_nonnull (strchr (text, '\n'));
    assert_schedules_equal (schedule, back);
  }
  /* Without an endpoint or a time of generation (written as null and left
   * out): still the same schedule back. */
  {
    g_autoptr (VcAgentWireSchedule) bare = vc_agent_wire_schedule_new ();
    g_autofree gchar *text = vc_agent_wire_schedule_build (bare, FALSE);
    g_autoptr (VcAgentWireSchedule) back = vc_agent_wire_schedule_parse (text, strlen (text), NULL);

    g_assert_cmpstr (text, ==, "{\"type\":\"schedule\",\"endpoint\":null,\"meetings\":[]}");
    assert_schedules_equal (bare, back);
  }
}

/* Members left out take their documented defaults; members the contract
 * does not define are ignored. */
static void
test_defaults (void)
{
  static const gchar text[]
      = "{\"type\":\"schedule\",\"future\":{\"x\":1},\"meetings\":[{\"id\":7,\"title\":\"a\","
        "\"start\":\"2026-11-21T15:00:00+07:00\",\"end\":\"2026-11-21T09:00:00Z\","
        "\"extra\":[1]}]}";
  g_autoptr (GError) error = NULL;
  g_auto (VcAgentWireNotice) notice = { 0 };
  g_auto (VcAgentWireReport) report = { 0 };
  const VcAgentWireMeeting *m;

  g_assert_true (vc_agent_wire_notice_parse (text, strlen (text), &notice, &error));
  m = notice.schedule->meetings->pdata[0];
  g_assert_cmpstr (m->status, ==, "scheduled");
  g_assert_null (m->unit);
  g_assert_null (m->signal_url);
  g_assert_cmpint (m->token_expires, ==, 0);
  g_assert_cmpint (m->start, ==, t ("2026-11-21T08:00:00Z"));
  g_assert_cmpint (notice.schedule->generated_at, ==, 0);
  g_assert_null (notice.schedule->endpoint);

  static const gchar readiness[] = "{\"type\":\"readiness\",\"ready\":false}";
  g_assert_true (vc_agent_wire_report_parse (readiness, strlen (readiness), &report, &error));
  g_assert_cmpstr (report.reason, ==, "");
  g_assert_cmpint (report.meeting, ==, 0);
}

typedef enum
{
  PARSE_REPORT,
  PARSE_NOTICE,
  PARSE_SCHEDULE,
} Parser;

typedef struct
{
  Parser parser;
  const gchar *text;
  VcWireError code;
  const gchar *field; /* NULL: the message as a whole */
} Refusal;

static const Refusal refusals[] = {
  { PARSE_REPORT, "", VC_WIRE_ERROR_MALFORMED, NULL },
  { PARSE_REPORT, "not json", VC_WIRE_ERROR_MALFORMED, NULL },
  { PARSE_REPORT, "[1,2]", VC_WIRE_ERROR_MALFORMED, NULL },
  { PARSE_REPORT, "{\"type\":\"state\",\"state\":\"id\xffle\"}", VC_WIRE_ERROR_MALFORMED, NULL },
  { PARSE_REPORT, "{\"state\":\"idle\"}", VC_WIRE_ERROR_INVALID, "type" },
  { PARSE_REPORT, "{\"type\":{},\"state\":\"idle\"}", VC_WIRE_ERROR_INVALID, "type" },
  { PARSE_REPORT, "{\"type\":\"bye\"}", VC_WIRE_ERROR_UNKNOWN_TYPE, "type" },
  { PARSE_REPORT, "{\"type\":\"state\",\"state\":\"dancing\"}", VC_WIRE_ERROR_INVALID, "state" },
  { PARSE_REPORT, "{\"type\":\"state\",\"state\":[\"idle\"]}", VC_WIRE_ERROR_INVALID, "state" },
  { PARSE_REPORT, "{\"type\":\"state\"}", VC_WIRE_ERROR_INVALID, "state" },
  { PARSE_REPORT, "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":\"12\"}",
    VC_WIRE_ERROR_INVALID, "meeting" },
  { PARSE_REPORT, "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":1.5}", VC_WIRE_ERROR_INVALID,
    "meeting" },
  { PARSE_REPORT, "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":99999999999999999999}",
    VC_WIRE_ERROR_INVALID, "meeting" },
  { PARSE_REPORT, "{\"type\":\"readiness\",\"ready\":\"yes\"}", VC_WIRE_ERROR_INVALID, "ready" },
  { PARSE_REPORT, "{\"type\":\"readiness\",\"reason\":\"x\"}", VC_WIRE_ERROR_INVALID, "ready" },
  { PARSE_REPORT, "{\"type\":\"readiness\",\"ready\":true,\"reason\":{\"a\":1}}",
    VC_WIRE_ERROR_INVALID, "reason" },
  { PARSE_REPORT, "{\"type\":\"readiness\",\"ready\":true,\"reason\":\"a\\u0000b\"}",
    VC_WIRE_ERROR_INVALID, "reason" },
  { PARSE_REPORT, "{\"type\":\"readiness\",\"ready\":true,\"reason\":\"a\\ud800b\"}",
    VC_WIRE_ERROR_INVALID, "reason" },
  { PARSE_REPORT, "{\"type\":\"readiness\",\"ready\":true,\"reason\":\"a\\up0\\ud800b\"}",
    VC_WIRE_ERROR_INVALID, "reason" },
  { PARSE_NOTICE, "{\"type\":\"warp\"}", VC_WIRE_ERROR_UNKNOWN_TYPE, "type" },
  { PARSE_NOTICE, "{\"type\":\"state\",\"state\":\"idle\"}", VC_WIRE_ERROR_UNKNOWN_TYPE, "type" },
  { PARSE_NOTICE, "{\"type\":\"join\"}", VC_WIRE_ERROR_INVALID, "meeting" },
  { PARSE_NOTICE, "{\"type\":\"leave\",\"meeting\":\"x\"}", VC_WIRE_ERROR_INVALID, "meeting" },
  { PARSE_NOTICE, "{\"type\":\"error\",\"message\":\"m\"}", VC_WIRE_ERROR_INVALID, "code" },
  { PARSE_NOTICE, "{\"type\":\"error\",\"code\":\"x\",\"message\":5}", VC_WIRE_ERROR_INVALID,
    "message" },
  { PARSE_NOTICE, "{\"type\":\"schedule\"}", VC_WIRE_ERROR_INVALID, "meetings" },
  { PARSE_NOTICE, "{\"type\":\"schedule\",\"meetings\":7}", VC_WIRE_ERROR_INVALID, "meetings" },
  { PARSE_NOTICE, "{\"type\":\"schedule\",\"endpoint\":1,\"meetings\":[]}", VC_WIRE_ERROR_INVALID,
    "endpoint" },
  { PARSE_NOTICE, "{\"type\":\"schedule\",\"generated_at\":[],\"meetings\":[]}",
    VC_WIRE_ERROR_INVALID, "generated_at" },
  { PARSE_NOTICE, "{\"type\":\"schedule\",\"meetings\":[7]}", VC_WIRE_ERROR_INVALID,
    "meetings[0]" },
  { PARSE_NOTICE, "{\"type\":\"schedule\",\"meetings\":[{\"id\":\"x\",\"title\":\"a\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].id" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":0,\"title\":\"a\","
    "\"start\":\"2026-11-21T08:00:00Z\",\"end\":\"2026-11-21T09:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].id" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,"
    "\"start\":\"2026-11-21T08:00:00Z\",\"end\":\"2026-11-21T09:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].title" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\",\"unit\":5,"
    "\"start\":\"2026-11-21T08:00:00Z\",\"end\":\"2026-11-21T09:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].unit" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\",\"start\":\"nope\","
    "\"end\":\"2026-11-21T09:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].start" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\","
    "\"start\":\"2026-11-21T08:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].end" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\","
    "\"start\":\"2026-11-21T09:00:00Z\",\"end\":\"2026-11-21T08:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].end" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\","
    "\"start\":\"1999-12-31T23:00:00Z\",\"end\":\"2000-01-01T01:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].start" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\","
    "\"start\":\"2026-11-21T08:00:00Z\",\"end\":\"2026-11-21T09:00:00Z\","
    "\"token_expires\":\"soon\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[0].token_expires" },
  { PARSE_NOTICE,
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\","
    "\"start\":\"2026-11-21T08:00:00Z\",\"end\":\"2026-11-21T09:00:00Z\"},"
    "{\"id\":2,\"title\":\"b\\u0000\",\"start\":\"2026-11-21T08:00:00Z\","
    "\"end\":\"2026-11-21T09:00:00Z\"}]}",
    VC_WIRE_ERROR_INVALID, "meetings[1].title" },
  { PARSE_SCHEDULE, "{\"type\":\"join\",\"meeting\":1,\"meetings\":[]}", VC_WIRE_ERROR_UNKNOWN_TYPE,
    "type" },
  { PARSE_SCHEDULE, "{\"meetings\":{}}", VC_WIRE_ERROR_INVALID, "meetings" },
};

static void
test_refusals (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      const Refusal *r = &refusals[i];
      g_autoptr (GError) error = NULL;
      gboolean ok = FALSE;

      g_test_message ("refusal %u: %s", i, r->text);
      if (r->parser == PARSE_REPORT)
        {
          g_auto (VcAgentWireReport) report = { .reason = NULL };
          ok = vc_agent_wire_report_parse (r->text, strlen (r->text), &report, &error);
          g_assert_null (report.reason); /* untouched */
        }
      else if (r->parser == PARSE_NOTICE)
        {
          g_auto (VcAgentWireNotice) notice = { 0 };
          ok = vc_agent_wire_notice_parse (r->text, strlen (r->text), &notice, &error);
          g_assert_null (notice.schedule);
        }
      else
        {
          g_autoptr (VcAgentWireSchedule) s
              = vc_agent_wire_schedule_parse (r->text, strlen (r->text), &error);
          ok = s != NULL;
        }
      g_assert_false (ok);
      g_assert_error (error, VC_WIRE_ERROR, (gint)r->code);
      g_assert_cmpstr (vc_wire_error_get_field (error), ==, r->field);
      /* The message names the field it is about. */
      if (r->field)
        g_assert_nonnull (strstr (error->message, r->field));
    }
}

/* The limits: a report over 64 KiB, a notice over 1 MiB, a schedule of
 * more than 50 meetings. */
static void
test_limits (void)
{
  g_autoptr (GString) big = g_string_new ("{\"type\":\"readiness\",\"ready\":true,\"reason\":\"");
  g_autoptr (GString) many = g_string_new ("{\"type\":\"schedule\",\"meetings\":[");
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
  g_auto (VcAgentWireReport) report = { 0 };
  g_auto (VcAgentWireNotice) notice = { 0 };
  g_auto (VcAgentWireNotice) huge = { 0 };
  gsize pad = VC_AGENT_WIRE_REPORT_MAX_BYTES - big->len - 2;

  for (gsize i = 0; i < pad; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");
  g_assert_cmpuint (big->len, ==, VC_AGENT_WIRE_REPORT_MAX_BYTES);
  g_assert_true (vc_agent_wire_report_parse (big->str, big->len, &report, NULL));
  g_string_insert_c (big, big->len - 2, 'x');
  g_assert_false (vc_agent_wire_report_parse (big->str, big->len, &report, &e1));
  g_assert_error (e1, VC_WIRE_ERROR, VC_WIRE_ERROR_TOO_LARGE);

  for (gint i = 0; i <= VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS; i++)
    g_string_append_printf (many,
                            "%s{\"id\":%d,\"title\":\"m\",\"start\":\"2026-11-21T08:00:00Z\","
                            "\"end\":\"2026-11-21T09:00:00Z\"}",
                            i ? "," : "", i + 1);
  g_string_append (many, "]}");
  g_assert_false (vc_agent_wire_notice_parse (many->str, many->len, &notice, &e2));
  g_assert_error (e2, VC_WIRE_ERROR, VC_WIRE_ERROR_INVALID);
  g_assert_cmpstr (vc_wire_error_get_field (e2), ==, "meetings");

  g_string_set_size (big, VC_AGENT_WIRE_NOTICE_MAX_BYTES + 1);
  memset (big->str, ' ', big->len);
  g_assert_false (vc_agent_wire_notice_parse (big->str, big->len, &huge, &e3));
  g_assert_error (e3, VC_WIRE_ERROR, VC_WIRE_ERROR_TOO_LARGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/agent-wire/report-round-trip", test_report_round_trip);
  g_test_add_func ("/agent-wire/wire-texts", test_wire_texts);
  g_test_add_func ("/agent-wire/notice-round-trip", test_notice_round_trip);
  g_test_add_func ("/agent-wire/defaults", test_defaults);
  g_test_add_func ("/agent-wire/refusals", test_refusals);
  g_test_add_func ("/agent-wire/limits", test_limits);
  return g_test_run ();
}
