/* sched-calendar.c — iCalendar feeds that rooms and offices subscribe to
 * from Outlook or Thunderbird.
 *
 * Built with libical's component/property API, so that escaping, folding
 * and line ends are libical's. One VEVENT per meeting: UID
 * meeting-<id>@vc-scheduler (stable across changes), SEQUENCE = meetings.version,
 * DTSTART/DTEND/DTSTAMP in UTC, STATUS CANCELLED for cancelled and displaced
 * meetings (CONFIRMED otherwise) so that clients strike them out rather
 * than silently dropping them. A room's feed lists the meetings it takes
 * part in (active rooms, and every room of a cancelled or displaced
 * meeting); a unit's feed the meetings it organises. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-calendar.h"
#include "sched-error.h"

#include <libical/ical.h>
#include <stdlib.h>

static const gchar sql_endpoint_name[] = "SELECT name FROM endpoints WHERE code = ?1";
static const gchar sql_unit_name[] = "SELECT name FROM units WHERE code = ?1";

/* clang-format off */
#define CALENDAR_COLUMNS                                                               \
  "SELECT m.id, m.title, m.start_at, m.end_at, m.status, m.version, m.created_at,"     \
  " m.updated_at, u.name, c.name FROM meetings m JOIN units u ON u.code = m.unit"      \
  " JOIN endpoints c ON c.code = m.chair "

static const gchar sql_endpoint_meetings[] =
  CALENDAR_COLUMNS
  "JOIN meeting_endpoints me ON me.meeting_id = m.id"
  " WHERE me.endpoint = ?1 AND m.end_at >= ?2"
  " AND (me.active = 1 OR m.status IN ('cancelled','displaced'))"
  " ORDER BY m.start_at, m.id";

static const gchar sql_unit_meetings[] =
  CALENDAR_COLUMNS
  "WHERE m.unit = ?1 AND m.end_at >= ?2 ORDER BY m.start_at, m.id";
/* clang-format on */

/* The name of @code, or NULL + INVALID naming @field. */
static gchar *
calendar_lookup_name (SchedDb *db, const gchar *sql, const gchar *field, const gchar *code,
                      GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql, error);
  gchar *name = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sched_db_bind_text (stmt, 1, code);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    name = g_strdup (sched_db_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    sched_error_set_field (error, SCHED_ERROR_INVALID, field, "unknown %s '%s'", field, code);
  else
    sched_db_set_error (db, error, "calendar lookup");
  sqlite3_reset (stmt);
  return name;
}

static struct icaltimetype
calendar_utc (gint64 t)
{
  return icaltime_from_timet_with_zone ((time_t)t, 0, icaltimezone_get_utc_timezone ());
}

static icalcomponent *
calendar_event (sqlite3_stmt *stmt)
{
  icalcomponent *event = icalcomponent_new_vevent ();
  gint64 id = sqlite3_column_int64 (stmt, 0);
  const gchar *status = sched_db_column_text (stmt, 4);
  gboolean cancelled = g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "displaced") == 0;
  g_autofree gchar *uid = g_strdup_printf ("meeting-%" G_GINT64_FORMAT "@vc-scheduler", id);
  g_autofree gchar *description
      = g_strdup_printf ("Đơn vị chủ trì: %s\nĐiểm cầu chủ trì: %s%s",
                         sched_db_column_text (stmt, 8), sched_db_column_text (stmt, 9),
                         g_strcmp0 (status, "displaced") == 0
                             ? "\nCuộc họp đã bị thay thế bởi một cuộc họp ưu tiên hơn."
                             : "");

  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (
      event, icalproperty_new_dtstamp (calendar_utc (sqlite3_column_int64 (stmt, 7))));
  icalcomponent_add_property (
      event, icalproperty_new_created (calendar_utc (sqlite3_column_int64 (stmt, 6))));
  icalcomponent_add_property (
      event, icalproperty_new_lastmodified (calendar_utc (sqlite3_column_int64 (stmt, 7))));
  icalcomponent_add_property (event, icalproperty_new_sequence (sqlite3_column_int (stmt, 5)));
  icalcomponent_add_property (
      event, icalproperty_new_dtstart (calendar_utc (sqlite3_column_int64 (stmt, 2))));
  icalcomponent_add_property (
      event, icalproperty_new_dtend (calendar_utc (sqlite3_column_int64 (stmt, 3))));
  icalcomponent_add_property (event, icalproperty_new_summary (sched_db_column_text (stmt, 1)));
  icalcomponent_add_property (event, icalproperty_new_location (sched_db_column_text (stmt, 9)));
  icalcomponent_add_property (event, icalproperty_new_description (description));
  icalcomponent_add_property (
      event, icalproperty_new_status (cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_property (
      event, icalproperty_new_transp (cancelled ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
  return event;
}

static void
calendar_add_x (icalcomponent *calendar, const gchar *name, const gchar *value)
{
  icalproperty *prop = icalproperty_new_x (value);
  icalproperty_set_x_name (prop, name);
  icalcomponent_add_property (calendar, prop);
}

gchar *
sched_calendar_build (SchedDb *db, const gchar *endpoint, const gchar *unit, gint64 since,
                      GError **error)
{
  g_autofree gchar *name = NULL, *title = NULL;
  icalcomponent *calendar;
  sqlite3_stmt *stmt;
  gchar *text, *result;
  int rc;

  g_return_val_if_fail ((endpoint == NULL) != (unit == NULL), NULL);

  name = endpoint ? calendar_lookup_name (db, sql_endpoint_name, "endpoint", endpoint, error)
                  : calendar_lookup_name (db, sql_unit_name, "unit", unit, error);
  if (name == NULL)
    return NULL;
  stmt = sched_db_prepare (db, endpoint ? sql_endpoint_meetings : sql_unit_meetings, error);
  if (stmt == NULL)
    return NULL;
  sched_db_bind_text (stmt, 1, endpoint ? endpoint : unit);
  sqlite3_bind_int64 (stmt, 2, since);

  calendar = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar,
                              icalproperty_new_prodid ("-//vc-province//vc-scheduler//VI"));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  title = g_strdup_printf ("Lịch họp trực tuyến: %s", name);
  calendar_add_x (calendar, "X-WR-CALNAME", title);
  calendar_add_x (calendar, "X-WR-TIMEZONE", "Asia/Ho_Chi_Minh");
  calendar_add_x (calendar, "X-PUBLISHED-TTL", "PT15M");

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    icalcomponent_add_component (calendar, calendar_event (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "calendar query");
      icalcomponent_free (calendar);
      return NULL;
    }
  text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);
  result = g_strdup (text);
  free (text);
  return result;
}
