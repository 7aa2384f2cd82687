/* test-calendar.c — the iCalendar feeds, parsed back with libical. */
#include "reports-fixture.h"
#include "sched-calendar.h"
#include "sched-error.h"

#include <libical/ical.h>
#include <string.h>

#define ROOMS(...) ((const gchar *const[]){ __VA_ARGS__, NULL })

static const gchar long_title[]
    = "Hội nghị trực tuyến triển khai nhiệm vụ phát triển kinh tế - xã hội 6 tháng cuối năm 2024 "
      "với 21 huyện, thành phố, thị xã; chủ trì: đồng chí Chủ tịch UBND tỉnh";

static icalcomponent *
find_event (icalcomponent *calendar, const gchar *uid)
{
  for (icalcomponent *e = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT); e;
       e = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    if (g_strcmp0 (icalcomponent_get_uid (e), uid) == 0)
      return e;
  return NULL;
}

static gint
count_events (icalcomponent *calendar)
{
  gint n = 0;
  for (icalcomponent *e = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT); e;
       e = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    n++;
  return n;
}

static void
test_calendar_endpoint (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL, *uid1 = NULL, *uid2 = NULL;
  gint64 start = reports_local (f, 2024, 7, 15, 8, 0);
  gint64 id1, id2;
  icalcomponent *calendar, *event;

  id1 = reports_add_meeting (f, "ubnd-tinh", long_title, start, 150, "scheduled", FALSE, 0, 0, 3,
                             ROOMS ("p-ubnd", "d-vinh", "d-cualo"));
  id2 = reports_add_meeting (f, "tinh-uy", "Họp Ban Thường vụ Tỉnh ủy", start + 86400, 60,
                             "cancelled", FALSE, 0, 0, 0, ROOMS ("p-tu", "d-vinh"));
  reports_exec (f, "UPDATE meetings SET version = 3 WHERE title = 'Họp Ban Thường vụ Tỉnh ủy'");
  /* not in d-vinh's feed: another room only, and one that ended long ago */
  reports_add_held (f, "so-tc", start - 400 * 86400);
  reports_add_meeting (f, "so-tttt", "x", start, 60, "scheduled", FALSE, 0, 0, 2,
                       ROOMS ("s-tttt", "p-tu"));

  text = sched_calendar_build (f->db, "d-vinh", NULL, start - 30 * 86400, &error);
  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_nonnull (strstr (text, "\r\nSTATUS:CANCELLED\r\n"));

  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (count_events (calendar), ==, 2);

  uid1 = g_strdup_printf ("meeting-%" G_GINT64_FORMAT "@vc-scheduler", id1);
  event = find_event (calendar, uid1);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, long_title);
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstart (event)), ==, start);
  g_assert_true (icaltime_is_utc (icalcomponent_get_dtstart (event)));
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtend (event)), ==, start + 150 * 60);
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CONFIRMED);
  g_assert_cmpint (icalcomponent_get_sequence (event), ==, 1);
  g_assert_cmpstr (icalcomponent_get_location (event), ==, "Phòng họp UBND tỉnh");
  g_assert_nonnull (strstr (icalcomponent_get_description (event), "UBND tỉnh"));

  uid2 = g_strdup_printf ("meeting-%" G_GINT64_FORMAT "@vc-scheduler", id2);
  event = find_event (calendar, uid2);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, "Họp Ban Thường vụ Tỉnh ủy");
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CANCELLED);
  g_assert_cmpint (icalcomponent_get_sequence (event), ==, 3);
  icalcomponent_free (calendar);
}

static void
test_calendar_unit (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  gint64 start = reports_local (f, 2024, 7, 15, 8, 0);
  icalcomponent *calendar;

  reports_add_held (f, "ubnd-tinh", start);
  reports_add_held (f, "ubnd-tinh", start + 86400);
  reports_add_held (f, "tinh-uy", start);
  text = sched_calendar_build (f->db, NULL, "ubnd-tinh", 0, &error);
  g_assert_no_error (error);
  calendar = icalparser_parse_string (text);
  g_assert_cmpint (count_events (calendar), ==, 2);
  icalcomponent_free (calendar);
}

static void
test_calendar_unknown (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *field = NULL;

  g_assert_null (sched_calendar_build (f->db, "no-such-room", NULL, 0, &error));
  g_assert_error (error, SCHED_ERROR, SCHED_ERROR_INVALID);
  field = sched_error_get_field (error);
  g_assert_cmpstr (field, ==, "endpoint");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  g_assert_null (sched_calendar_build (f->db, NULL, "no-such-unit", 0, &error));
  field = sched_error_get_field (error);
  g_assert_cmpstr (field, ==, "unit");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/reports/calendar/" name, ReportsFixture, NULL, reports_fixture_set_up, fn,         \
              reports_fixture_tear_down)
  ADD ("endpoint", test_calendar_endpoint);
  ADD ("unit", test_calendar_unit);
  ADD ("unknown", test_calendar_unknown);
  return g_test_run ();
}
