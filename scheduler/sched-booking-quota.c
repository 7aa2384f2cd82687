/* sched-booking-quota.c — how much of the network one unit may hold:
 * [limits] max_days_ahead and unit_room_hours_per_day / _per_week.
 *
 * Without them one secretariat booked all 44 rooms, 12 h a day, every day
 * for a year (issue #12). A room-hour is one room for one hour; a meeting
 * counts in every local day and week (Monday 00:00 to Monday 00:00, site
 * time zone) it overlaps, for the part that lies there. Cancelled and
 * displaced meetings hold nothing; an ended one holds its rooms until it
 * ended (the room rows' own times, which those changes keep up to date).
 *
 * A booking is checked twice: its own occurrences alone before anything is
 * written (so an oversized series is refused before thousands of rows are
 * inserted and rolled back), and the unit's stored bookings, the new ones
 * included, inside the booking's transaction before it commits. Admins are
 * exempt from the room-hour limits; the horizon applies to everyone. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"

#include "sched-error.h"
#include "sched-http.h"

#include <math.h>

typedef struct
{
  gboolean week;
  gint64 from; /* local midnight (a Monday for a week) */
  gint64 to;
  gint64 seconds; /* room-seconds of what was added */
} QuotaBucket;

struct _SchedBookingQuota
{
  SchedCore *core;
  gchar *unit;
  GArray *buckets; /* QuotaBucket */
};

gboolean
sched_booking_check_horizon (SchedCore *core, gint64 start, gint64 now, const gchar *field,
                             GError **error)
{
  gint64 ahead = core->ctx->settings->max_ahead_seconds;

  if (ahead <= 0 || start <= now + ahead)
    return TRUE;
  sched_error_set_reason (error, SCHED_ERROR_INVALID, field, "too_far_ahead",
                          "bookings reach at most %" G_GINT64_FORMAT
                          " days ahead ([limits] max_days_ahead)",
                          ahead / 86400);
  return FALSE;
}

SchedBookingQuota *
sched_booking_quota_new (SchedCore *core, const SchedPrincipal *who, const gchar *unit)
{
  const SchedSettings *s = core->ctx->settings;
  SchedBookingQuota *q;

  if (who->role == SCHED_ROLE_ADMIN
      || (s->unit_room_seconds_per_day <= 0 && s->unit_room_seconds_per_week <= 0))
    return NULL;
  q = g_new0 (SchedBookingQuota, 1);
  q->core = core;
  q->unit = g_strdup (unit);
  q->buckets = g_array_new (FALSE, FALSE, sizeof (QuotaBucket));
  return q;
}

void
sched_booking_quota_free (SchedBookingQuota *q)
{
  if (q == NULL)
    return;
  g_free (q->unit);
  g_array_unref (q->buckets);
  g_free (q);
}

static void
quota_bucket_add (SchedBookingQuota *q, gboolean week, gint64 from, gint64 to, gint64 seconds)
{
  QuotaBucket b = { week, from, to, seconds };

  for (guint i = 0; i < q->buckets->len; i++)
    {
      QuotaBucket *have = &g_array_index (q->buckets, QuotaBucket, i);
      if (have->week == week && have->from == from)
        {
          have->seconds += seconds;
          return;
        }
    }
  g_array_append_val (q->buckets, b);
}

/* Splits [start, end) over the local days (or weeks) it overlaps. */
static void
quota_split (SchedBookingQuota *q, gboolean week, gint64 start, gint64 end, guint n_rooms)
{
  GTimeZone *tz = q->core->ctx->tz;
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (start);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autoptr (GDateTime) from
      = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);

  if (week)
    {
      GDateTime *monday = g_date_time_add_days (from, 1 - g_date_time_get_day_of_week (from));
      g_date_time_unref (from);
      from = monday;
    }
  while (g_date_time_to_unix (from) < end)
    {
      GDateTime *to = g_date_time_add_days (from, week ? 7 : 1);
      gint64 a = g_date_time_to_unix (from), b = g_date_time_to_unix (to);
      gint64 overlap = MIN (end, b) - MAX (start, a);

      if (overlap > 0)
        quota_bucket_add (q, week, a, b, overlap * (gint64)n_rooms);
      g_date_time_unref (from);
      from = to;
    }
}

void
sched_booking_quota_add (SchedBookingQuota *q, gint64 start, gint64 end, guint n_rooms)
{
  if (q == NULL || end <= start)
    return;
  quota_split (q, FALSE, start, end, n_rooms);
  quota_split (q, TRUE, start, end, n_rooms);
}

static gboolean
quota_refuse (SchedBookingQuota *q, const QuotaBucket *b, gint64 limit, gint64 seconds,
              JsonObject **extra, GError **error)
{
  const gchar *name = b->week ? "unit_room_hours_per_week" : "unit_room_hours_per_day";
  gint64 hours = (gint64)ceil ((gdouble)seconds / 3600.0);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (b->from);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, q->core->ctx->tz);
  g_autofree gchar *day = g_date_time_format (local, "%d/%m/%Y");
  g_autofree gchar *from = vc_time_format_utc (b->from);
  g_autofree gchar *to = vc_time_format_utc (b->to);
  JsonObject *o = json_object_new ();
  JsonObject *l = json_object_new ();

  json_object_set_string_member (l, "name", name);
  json_object_set_int_member (l, "max_room_hours", limit / 3600);
  json_object_set_int_member (l, "room_hours", hours);
  json_object_set_string_member (l, "unit", q->unit);
  json_object_set_string_member (l, "from", from);
  json_object_set_string_member (l, "to", to);
  json_object_set_object_member (o, "limit", l);
  if (extra)
    {
      g_clear_pointer (extra, json_object_unref);
      *extra = o;
    }
  else
    json_object_unref (o);
  sched_error_set_reason (error, SCHED_ERROR_INVALID, NULL, "room_hours_quota",
                          "the meetings of %s would hold %" G_GINT64_FORMAT
                          " room-hours in the %s of %s; "
                          "the limit is %" G_GINT64_FORMAT " ([limits] %s)",
                          q->unit, hours, b->week ? "week" : "day", day, limit / 3600, name);
  return FALSE;
}

static gboolean
quota_check (SchedBookingQuota *q, gboolean stored, JsonObject **extra, GError **error)
{
  const SchedSettings *s;

  if (q == NULL)
    return TRUE;
  s = q->core->ctx->settings;
  for (guint i = 0; i < q->buckets->len; i++)
    {
      const QuotaBucket *b = &g_array_index (q->buckets, QuotaBucket, i);
      gint64 limit = b->week ? s->unit_room_seconds_per_week : s->unit_room_seconds_per_day;
      gint64 seconds = b->seconds;

      if (limit <= 0)
        continue;
      if (stored
          && !sched_meeting_room_unit_seconds (q->core->ctx->db, q->unit, b->from, b->to, &seconds,
                                               error))
        return FALSE;
      if (seconds > limit)
        return quota_refuse (q, b, limit, seconds, extra, error);
    }
  return TRUE;
}

gboolean
sched_booking_quota_check_request (SchedBookingQuota *q, JsonObject **extra, GError **error)
{
  return quota_check (q, FALSE, extra, error);
}

gboolean
sched_booking_quota_check_stored (SchedBookingQuota *q, JsonObject **extra, GError **error)
{
  return quota_check (q, TRUE, extra, error);
}
