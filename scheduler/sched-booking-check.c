/* sched-booking-check.c — the booking rules themselves: request parsing,
 * the rules that need no other meeting, room conflicts, bridge capacity and
 * free-slot suggestions. The writes that use them are in sched-booking.c
 * and sched-booking-change.c. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-room.h"
#include "sched-model-unit.h"
#include "sched-roster.h"

/* A start up to this many seconds in the past still counts as "now". */
#define BOOKING_PAST_GRACE_SECONDS 60
#define BOOKING_TITLE_MAX_CHARS 200
#define BOOKING_MAX_ROOMS 1000
#define SUGGESTION_HORIZON_SECONDS (31 * 86400)

void
sched_meeting_spec_free (SchedMeetingSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->title);
  g_free (spec->unit);
  g_free (spec->chair);
  g_clear_pointer (&spec->endpoints, g_ptr_array_unref);
  g_free (spec);
}

SchedMeetingSpec *
sched_meeting_spec_from_json (JsonObject *o, GError **error)
{
  g_autoptr (SchedMeetingSpec) spec = g_new0 (SchedMeetingSpec, 1);
  const gchar *title, *unit, *chair;

  if (!(title = sched_json_get_string (o, "title", TRUE, error))
      || !(unit = sched_json_get_string (o, "unit", TRUE, error))
      || !(chair = sched_json_get_string (o, "chair", TRUE, error))
      || !(spec->endpoints = sched_json_get_string_array (o, "endpoints", TRUE, error))
      || !sched_json_get_time (o, "start", TRUE, &spec->start, error)
      || !sched_json_get_time (o, "end", TRUE, &spec->end, error))
    return NULL;
  spec->title = g_strstrip (g_strdup (title));
  spec->unit = g_strdup (unit);
  spec->chair = g_strdup (chair);
  spec->record = -1;
  if (json_object_has_member (o, "record"))
    {
      gboolean record = FALSE;

      if (!sched_json_get_bool (o, "record", FALSE, &record, error))
        return NULL;
      spec->record = record ? 1 : 0;
    }
  return g_steal_pointer (&spec);
}

gboolean
sched_booking_resolve_record (SchedCore *core, SchedMeetingSpec *spec, GError **error)
{
  gint value = -1;

  if (spec->record >= 0)
    return TRUE;
  if (!sched_unit_get_record_default (core->ctx->db, spec->unit, &value, error))
    return FALSE;
  spec->record = value >= 0 ? value : (core->ctx->settings->recordings_default_record ? 1 : 0);
  return TRUE;
}

static gboolean
booking_validate_rooms (SchedCore *core, const SchedMeetingSpec *spec, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (spec->endpoints->len < 2)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "endpoints", "too_few_rooms",
                              "a meeting needs at least two rooms");
      return FALSE;
    }
  if (spec->endpoints->len > BOOKING_MAX_ROOMS)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "endpoints", "too_many_rooms",
                              "more than %d rooms", BOOKING_MAX_ROOMS);
      return FALSE;
    }
  for (guint i = 0; i < spec->endpoints->len; i++)
    {
      const gchar *code = g_ptr_array_index (spec->endpoints, i);
      if (!g_hash_table_add (seen, (gpointer)code))
        {
          sched_error_set_reason (error, SCHED_ERROR_INVALID, "endpoints", "room_twice",
                                  "'%s' is listed twice", code);
          return FALSE;
        }
      g_autoptr (GError) local = NULL;
      g_autoptr (SchedRoom) room = sched_room_get (core->ctx->db, code, &local);
      if (room == NULL && g_error_matches (local, SCHED_ERROR, SCHED_ERROR_NOT_FOUND))
        {
          sched_error_set_reason (error, SCHED_ERROR_INVALID, "endpoints", "unknown_room",
                                  "no room '%s'", code);
          return FALSE;
        }
      if (room == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!sched_room_is_valid_at (room, spec->start))
        {
          g_autofree gchar *why = sched_roster_describe_period (core->ctx->tz, room->valid_from,
                                                                room->valid_to, room->successor);
          sched_error_set_field (error, SCHED_ERROR_INVALID, "endpoints",
                                 "room '%s' (%s) is not in the roster on the meeting's date: %s",
                                 code, room->name, why);
          return FALSE;
        }
    }
  if (!g_hash_table_contains (seen, spec->chair))
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "chair", "chair_not_invited",
                              "the chair must be one of the meeting's rooms");
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_booking_validate (SchedCore *core, const SchedMeetingSpec *spec, gint64 now, GError **error)
{
  g_autoptr (SchedUnit) unit = NULL;
  g_autoptr (GError) local = NULL;

  if (*spec->title == '\0' || g_utf8_strlen (spec->title, -1) > BOOKING_TITLE_MAX_CHARS)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "title", "title_length",
                              "must be 1 to %d characters", BOOKING_TITLE_MAX_CHARS);
      return FALSE;
    }
  if (spec->end <= spec->start)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "end", "end_before_start",
                              "must be after start");
      return FALSE;
    }
  if (now != G_MININT64 && spec->start < now - BOOKING_PAST_GRACE_SECONDS)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "start", "in_past", "is in the past");
      return FALSE;
    }
  if (now != G_MININT64 && !sched_booking_check_horizon (core, spec->start, now, "start", error))
    return FALSE;
  if (spec->end - spec->start > core->ctx->settings->max_meeting_seconds)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "end", "too_long",
                              "a meeting lasts at most %" G_GINT64_FORMAT " hours",
                              core->ctx->settings->max_meeting_seconds / 3600);
      return FALSE;
    }
  unit = sched_unit_get (core->ctx->db, spec->unit, &local);
  if (unit == NULL && g_error_matches (local, SCHED_ERROR, SCHED_ERROR_NOT_FOUND))
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "unit", "unknown_unit", "no unit '%s'",
                              spec->unit);
      return FALSE;
    }
  if (unit == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* The roster valid at the meeting's date (a dissolved unit books no
   * meeting after its end, a new one none before its start). */
  if (!sched_unit_is_valid_at (unit, spec->start))
    {
      g_autofree gchar *why = sched_roster_describe_period (core->ctx->tz, unit->valid_from,
                                                            unit->valid_to, unit->successor);
      sched_error_set_field (error, SCHED_ERROR_INVALID, "unit",
                             "unit '%s' (%s) is not in the roster on the meeting's date: %s",
                             spec->unit, unit->name, why);
      return FALSE;
    }
  return booking_validate_rooms (core, spec, error);
}

typedef struct
{
  gint64 at;
  gint rooms;        /* +1 a bridge room opens, -1 it closes */
  gint participants; /* its rooms, as the bridge counts participants */
} CapacityEdge;

static gint
capacity_edge_compare (gconstpointer a, gconstpointer b)
{
  const CapacityEdge *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->rooms - y->rooms; /* half-open: a leave before a join at the same second */
}

static gboolean
capacity_freed (GArray *freed, gint64 id)
{
  for (guint i = 0; freed != NULL && i < freed->len; i++)
    if (g_array_index (freed, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* Every other meeting on the bridge during [start, end), clipped to it. */
static gboolean
capacity_edges (SchedDb *db, gint64 start, gint64 end, gint64 exclude_id, GArray *freed,
                GArray *edges, GError **error)
{
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (SchedMeetingSpan));

  if (!sched_meeting_room_list_spans (db, start, end, exclude_id, spans, error))
    return FALSE;
  for (guint i = 0; i < spans->len; i++)
    {
      const SchedMeetingSpan *span = &g_array_index (spans, SchedMeetingSpan, i);
      CapacityEdge in = { MAX (span->start, start), +1, span->n_rooms };
      CapacityEdge out = { MIN (span->end, end), -1, -span->n_rooms };

      if (capacity_freed (freed, span->meeting_id))
        continue;
      g_array_append_val (edges, in);
      g_array_append_val (edges, out);
    }
  return TRUE;
}

gboolean
sched_booking_check_capacity (SchedCore *core, guint n_rooms, gint64 start, gint64 end,
                              gint64 exclude_id, GArray *freed, SchedCapacity *out, GError **error)
{
  SchedDb *db = core->ctx->db;
  gint max_participants = core->ctx->bridge_max_participants > 0
                              ? core->ctx->bridge_max_participants
                              : core->ctx->settings->bridge_capacity;
  gint max_rooms = core->ctx->bridge_max_rooms; /* 0: not known, not checked */
  g_autoptr (GArray) edges = g_array_new (FALSE, FALSE, sizeof (CapacityEdge));
  gint rooms = 1, participants = (gint)n_rooms, peak_rooms = 1, peak_participants = (gint)n_rooms;
  gint64 rooms_at = G_MAXINT64, participants_at = G_MAXINT64;
  gint64 roster = 0;

  *out = (SchedCapacity){ .ok = TRUE };
  if (!sched_room_count (db, &roster, error))
    return FALSE;
  /* A room is never in two overlapping meetings, so at no instant are more
   * rooms connected than there are rooms, nor more meetings than half of
   * them: with a bridge at least that big (the usual case) the sweep below
   * cannot fail and is skipped. */
  if (roster <= max_participants && (max_rooms == 0 || roster / 2 <= max_rooms))
    return TRUE;
  if (!capacity_edges (db, start, end, exclude_id, freed, edges, error))
    return FALSE;
  if (participants > max_participants)
    participants_at = start;
  g_array_sort (edges, capacity_edge_compare);
  for (guint i = 0; i < edges->len; i++)
    {
      const CapacityEdge *e = &g_array_index (edges, CapacityEdge, i);

      rooms += e->rooms;
      participants += e->participants;
      peak_rooms = MAX (peak_rooms, rooms);
      peak_participants = MAX (peak_participants, participants);
      if (max_rooms > 0 && rooms > max_rooms && rooms_at == G_MAXINT64)
        rooms_at = e->at;
      if (participants > max_participants && participants_at == G_MAXINT64)
        participants_at = e->at;
    }
  if (rooms_at != G_MAXINT64)
    *out = (SchedCapacity){ FALSE, "rooms", max_rooms, peak_rooms, rooms_at };
  else if (participants_at != G_MAXINT64)
    *out = (SchedCapacity){ FALSE, "participants", max_participants, peak_participants,
                            participants_at };
  return TRUE;
}

void
sched_booking_capacity_refuse (const SchedCapacity *capacity, JsonObject *extra, GError **error)
{
  gboolean rooms = g_str_equal (capacity->resource, "rooms");
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "resource", capacity->resource);
  if (capacity->site)
    json_object_set_string_member (o, "site", capacity->site);
  json_object_set_string_member (o, "setting", rooms ? "max_rooms" : "capacity");
  json_object_set_int_member (o, "limit", capacity->limit);
  json_object_set_int_member (o, "peak", capacity->peak);
  json_object_set_object_member (extra, "capacity", o);
  if (capacity->site && rooms)
    sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "bridge_capacity",
                            "the bridge of site '%s' would have to hold %d meetings at once (its "
                            "max_rooms is %d)",
                            capacity->site, capacity->peak, capacity->limit);
  else if (capacity->site)
    sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "bridge_capacity",
                            "the bridge of site '%s' would carry %d participants at once (its "
                            "capacity is %d)",
                            capacity->site, capacity->peak, capacity->limit);
  else if (rooms)
    sched_error_set_reason (
        error, SCHED_ERROR_CONFLICT, NULL, "bridge_capacity",
        "the bridge would have to hold %d meetings at once (its max_rooms is %d)", capacity->peak,
        capacity->limit);
  else
    sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "bridge_capacity",
                            "the bridge would carry %d rooms at once (its capacity is %d)",
                            capacity->peak, capacity->limit);
}

/* Whether the local day of @t is a working day (Mon–Fri, not a holiday). */
static gboolean
booking_is_working_day (SchedCore *core, GDateTime *local)
{
  gint wd = g_date_time_get_day_of_week (local);

  if (wd >= 6)
    return FALSE;
  return sched_holidays_lookup (core->holidays, g_date_time_get_year (local),
                                g_date_time_get_month (local), g_date_time_get_day_of_month (local))
         == NULL;
}

/* The earliest start >= @t that lies in working hours with room for
 * @duration; G_MAXINT64 when none within the horizon. */
static gint64
booking_next_working_start (SchedCore *core, gint64 t, gint64 duration, gint64 horizon)
{
  const SchedSettings *s = core->ctx->settings;
  gboolean fits_day
      = duration <= (gint64)(s->working_day_end_minute - s->working_day_start_minute) * 60;

  while (t < horizon)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, core->ctx->tz);
      g_autoptr (GDateTime) midnight = g_date_time_new (
          core->ctx->tz, g_date_time_get_year (local), g_date_time_get_month (local),
          g_date_time_get_day_of_month (local), 0, 0, 0);
      gint64 day0 = g_date_time_to_unix (midnight);
      gint64 open = day0 + (gint64)s->working_day_start_minute * 60;
      gint64 close = day0 + (gint64)s->working_day_end_minute * 60;

      if (!fits_day)
        return t; /* longer than a working day: only the rooms matter */
      if (booking_is_working_day (core, local))
        {
          if (t < open)
            t = open;
          if (t + duration <= close)
            return t;
        }
      t = day0 + 86400 + (gint64)s->working_day_start_minute * 60;
    }
  return G_MAXINT64;
}

void
sched_booking_add_suggestions (SchedCore *core, JsonBuilder *b, GPtrArray *endpoints, gint64 from,
                               gint64 duration, gint64 exclude_id, guint n)
{
  gint64 horizon = from + SUGGESTION_HORIZON_SECONDS;
  gint64 t = from;
  guint found = 0;

  json_builder_begin_array (b);
  for (guint guard = 0; found < n && guard < 500; guard++)
    {
      g_autoptr (GPtrArray) conflicts
          = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_conflict_free);
      SchedCapacity capacity;
      gint64 next = t;

      t = booking_next_working_start (core, t, duration, horizon);
      if (t == G_MAXINT64)
        break;
      if (!sched_meeting_room_find_conflicts (core->ctx->db, endpoints, t, t + duration, exclude_id,
                                              conflicts, NULL))
        break;
      for (guint i = 0; i < conflicts->len; i++)
        next = MAX (next, ((SchedConflict *)g_ptr_array_index (conflicts, i))->end);
      if (conflicts->len > 0)
        {
          t = next;
          continue;
        }
      if (!sched_booking_check_capacity (core, endpoints->len, t, t + duration, exclude_id, NULL,
                                         &capacity, NULL))
        break;
      if (!capacity.ok)
        {
          t += 15 * 60;
          continue;
        }
      json_builder_begin_object (b);
      sched_json_add_time (b, "start", t);
      sched_json_add_time (b, "end", t + duration);
      json_builder_end_object (b);
      found++;
      t += duration;
    }
  json_builder_end_array (b);
}

JsonObject *
sched_booking_conflict_extra (SchedCore *core, GPtrArray *conflicts, GPtrArray *endpoints,
                              gint64 start, gint64 end, gint64 exclude_id)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "conflicts");
  json_builder_begin_array (b);
  for (guint i = 0; conflicts && i < conflicts->len; i++)
    {
      SchedConflict *c = g_ptr_array_index (conflicts, i);
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
  json_builder_set_member_name (b, "suggestions");
  sched_booking_add_suggestions (core, b, endpoints, start, end - start, exclude_id, 3);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_object_ref (json_node_get_object (root));
}
