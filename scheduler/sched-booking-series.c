/* sched-booking-series.c — a booking's occurrences and their preview.
 *
 * sched_booking_expand_series() turns the request's recurrence into start
 * times; with a count, holidays do not use up occurrences (a weekly series
 * of 10 over Tết still holds 10 meetings, the holiday listed as skipped).
 * sched_booking_preview() answers POST /api/v1/meetings/preview: every
 * occurrence with its holiday (official or provisional) and the meetings
 * that already hold its rooms, and the years whose holiday calendar is
 * incomplete, before anything is booked. Reads only. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-recurrence.h"

/* Re-expansions allowed to replace holidays by later occurrences. */
#define SERIES_HOLIDAY_ROUNDS 8

const gchar *
sched_booking_holiday (SchedCore *core, gint64 start, gboolean *provisional)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (start);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, core->ctx->tz);

  return sched_holidays_lookup_full (core->holidays, g_date_time_get_year (local),
                                     g_date_time_get_month (local),
                                     g_date_time_get_day_of_month (local), provisional);
}

static guint
series_count_holidays (SchedCore *core, GArray *starts)
{
  guint n = 0;

  for (guint i = 0; i < starts->len; i++)
    n += sched_booking_holiday (core, g_array_index (starts, gint64, i), NULL) != NULL;
  return n;
}

/* With "count": expands again with the count raised by the holidays met,
 * until the working occurrences reach the count asked for (or the limit). */
static gboolean
series_replace_holidays (SchedCore *core, JsonObject *rec, gint64 first_start, GArray *starts,
                         gchar **rule, GError **error)
{
  gint max = core->ctx->settings->max_series_occurrences;
  guint wanted = starts->len;
  guint holidays = series_count_holidays (core, starts);
  g_autoptr (JsonNode) copy = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (copy, rec);
  copy = json_node_copy (copy);
  for (guint round = 0; holidays > 0 && round < SERIES_HOLIDAY_ROUNDS; round++)
    {
      g_autoptr (GArray) more = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree gchar *more_rule = NULL;
      gint64 count = (gint64)wanted + holidays;

      if (count > max)
        break;
      json_object_set_int_member (json_node_get_object (copy), "count", count);
      if (!sched_recurrence_expand (json_node_get_object (copy), first_start, core->ctx->tz, max,
                                    more, &more_rule, error))
        return FALSE;
      holidays = series_count_holidays (core, more);
      g_array_set_size (starts, 0);
      g_array_append_vals (starts, more->data, more->len);
      g_free (*rule);
      *rule = g_steal_pointer (&more_rule);
      if (more->len - holidays >= wanted)
        break;
    }
  return TRUE;
}

gboolean
sched_booking_expand_series (SchedCore *core, JsonObject *request, gint64 first_start,
                             GArray *starts, gchar **rule, GError **error)
{
  JsonNode *rec = json_object_get_member (request, "recurrence");
  JsonObject *o;

  *rule = NULL;
  if (rec == NULL || JSON_NODE_HOLDS_NULL (rec))
    {
      g_array_append_val (starts, first_start);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (rec))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence", "must be an object");
      return FALSE;
    }
  o = json_node_get_object (rec);
  if (!sched_recurrence_expand (o, first_start, core->ctx->tz,
                                core->ctx->settings->max_series_occurrences, starts, rule, error))
    return FALSE;
  if (json_object_has_member (o, "count"))
    return series_replace_holidays (core, o, first_start, starts, rule, error);
  return TRUE;
}

static void
preview_add_conflicts (JsonBuilder *b, GPtrArray *conflicts)
{
  json_builder_set_member_name (b, "conflicts");
  json_builder_begin_array (b);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const SchedConflict *c = g_ptr_array_index (conflicts, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "endpoint");
      json_builder_add_string_value (b, c->endpoint);
      json_builder_set_member_name (b, "meeting");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, c->meeting_id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, c->title);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, c->unit);
      sched_json_add_time (b, "start", c->start);
      sched_json_add_time (b, "end", c->end);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* One occurrence: its time, holiday and conflicts. */
static gboolean
preview_add_occurrence (SchedCore *core, JsonBuilder *b, const SchedMeetingSpec *spec,
                        gboolean series, gint64 start, gint64 exclude_id, GError **error)
{
  g_autoptr (GPtrArray) conflicts
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_conflict_free);
  gint64 end = start + (spec->end - spec->start);
  gboolean provisional = FALSE;
  const gchar *holiday = series ? sched_booking_holiday (core, start, &provisional) : NULL;

  if (!sched_meeting_room_find_conflicts (core->ctx->db, spec->endpoints, start, end, exclude_id,
                                          conflicts, error))
    return FALSE;
  json_builder_begin_object (b);
  sched_json_add_time (b, "start", start);
  sched_json_add_time (b, "end", end);
  json_builder_set_member_name (b, "holiday");
  if (holiday)
    json_builder_add_string_value (b, holiday);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "provisional");
  json_builder_add_boolean_value (b, provisional);
  preview_add_conflicts (b, conflicts);
  json_builder_end_object (b);
  return TRUE;
}

static void
preview_add_missing (JsonBuilder *b, SchedHolidaysMissing missing)
{
  json_builder_begin_array (b);
  if (missing & SCHED_HOLIDAYS_MISSING_YEAR)
    json_builder_add_string_value (b, "year");
  if (missing & SCHED_HOLIDAYS_MISSING_TET)
    json_builder_add_string_value (b, "tet");
  if (missing & SCHED_HOLIDAYS_MISSING_HUNG_KINGS)
    json_builder_add_string_value (b, "hung_kings");
  json_builder_end_array (b);
}

void
sched_booking_add_holiday_years (SchedCore *core, JsonBuilder *b, GArray *starts)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  json_builder_set_member_name (b, "incomplete_holiday_years");
  json_builder_begin_array (b);
  for (guint i = 0; i < starts->len; i++)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (g_array_index (starts, gint64, i));
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, core->ctx->tz);
      gint year = g_date_time_get_year (local);
      SchedHolidaysMissing missing;

      if (!g_hash_table_add (seen, GINT_TO_POINTER (year)))
        continue;
      missing = sched_holidays_year_missing (core->holidays, year);
      if (missing == 0)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "year");
      json_builder_add_int_value (b, year);
      json_builder_set_member_name (b, "missing");
      preview_add_missing (b, missing);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
sched_booking_preview (SchedCore *core, const SchedPrincipal *who, JsonObject *request,
                       GError **error)
{
  g_autoptr (SchedMeetingSpec) spec = sched_meeting_spec_from_json (request, error);
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *rule = NULL;
  gint64 exclude_id = 0;
  guint working = 0;

  if (spec == NULL || !sched_auth_can_book_for_unit (who, spec->unit, error)
      || !sched_json_get_int (request, "exclude", FALSE, &exclude_id, error)
      || !sched_booking_validate (core, spec, sched_core_now (core), error)
      || !sched_booking_expand_series (core, request, spec->start, starts, &rule, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "occurrences");
  json_builder_begin_array (b);
  for (guint i = 0; i < starts->len; i++)
    {
      gint64 s = g_array_index (starts, gint64, i);
      if (!preview_add_occurrence (core, b, spec, rule != NULL, s, exclude_id, error))
        return NULL;
      working += rule == NULL || sched_booking_holiday (core, s, NULL) == NULL;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "bookable");
  json_builder_add_int_value (b, working);
  sched_booking_add_holiday_years (core, b, starts);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
