/* sched-booking.c — creating meetings and series (POST /api/v1/meetings).
 *
 * One request is one BEGIN IMMEDIATE transaction: every occurrence is
 * checked against what is stored (and against the occurrences placed
 * before it), lower-priority meetings are displaced when asked, and only a
 * commit makes any of it visible. The other parts are told after the
 * commit, through one SchedChangeSet. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-series.h"
#include "sched-model-unit.h"
#include "sched-recurrence.h"

#include <string.h>

typedef struct
{
  SchedCore *core;
  const SchedPrincipal *who;
  gchar *actor;
  SchedMeetingSpec *spec;
  gboolean preempt;
  gboolean skip_conflicts;
  gint priority;
  gint64 now;
  GArray *created;      /* gint64 meeting ids */
  GArray *created_at;   /* gint64 start of each created meeting */
  GArray *displaced;    /* gint64 meeting ids */
  GHashTable *rooms;    /* touched room codes (owned) */
  JsonBuilder *skipped; /* array being built */
} BookingRun;

static void
booking_run_clear (BookingRun *run)
{
  g_free (run->actor);
  g_clear_pointer (&run->spec, sched_meeting_spec_free);
  g_clear_pointer (&run->created, g_array_unref);
  g_clear_pointer (&run->created_at, g_array_unref);
  g_clear_pointer (&run->displaced, g_array_unref);
  g_clear_pointer (&run->rooms, g_hash_table_unref);
  g_clear_object (&run->skipped);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BookingRun, booking_run_clear)

JsonNode *
sched_booking_describe (const SchedMeetingSpec *spec, gint64 start, gint64 end)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, spec->title);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, spec->unit);
  json_builder_set_member_name (b, "chair");
  json_builder_add_string_value (b, spec->chair);
  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < spec->endpoints->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (spec->endpoints, i));
  json_builder_end_array (b);
  sched_json_add_time (b, "start", start);
  sched_json_add_time (b, "end", end);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
sched_booking_insert (SchedDb *db, const SchedMeetingSpec *spec, gint64 series_id, gint64 start,
                      gint64 end, const gchar *actor, gint64 now, gboolean imported, gint64 *id,
                      GError **error)
{
  /* Borrows the spec's strings: nothing here is freed. */
  const SchedMeeting row = {
    .series_id = series_id,
    .title = spec->title,
    .unit = spec->unit,
    .chair = spec->chair,
    .start = start,
    .end = end,
    .status = (gchar *)(imported ? "ended" : "scheduled"),
    .created_by = (gchar *)actor,
    .created_at = now,
    .updated_at = now,
    .ended_at = imported ? end : 0,
    .imported = imported,
    .invited_count = spec->endpoints->len,
    .record = spec->record > 0,
  };

  return sched_meeting_insert (db, &row, id, error)
         && sched_meeting_room_insert (db, *id, spec->endpoints, start, end, error);
}

static gboolean
booking_add_meeting_rooms (SchedDb *db, gint64 id, GHashTable *rooms, GError **error)
{
  g_autoptr (GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

  if (!sched_meeting_room_list (db, id, NULL, codes, error))
    return FALSE;
  for (guint i = 0; i < codes->len; i++)
    g_hash_table_add (rooms, g_strdup (g_ptr_array_index (codes, i)));
  return TRUE;
}

/* Marks meeting @id displaced (its rooms freed). */
static gboolean
booking_displace (BookingRun *run, gint64 id, GError **error)
{
  SchedDb *db = run->core->ctx->db;

  for (guint i = 0; i < run->displaced->len; i++)
    if (g_array_index (run->displaced, gint64, i) == id)
      return TRUE;
  if (!sched_meeting_displace (db, id, run->now, error)
      || !sched_meeting_room_deactivate (db, id, error)
      || !booking_add_meeting_rooms (db, id, run->rooms, error))
    return FALSE;
  g_array_append_val (run->displaced, id);
  return TRUE;
}

static void
booking_add_skipped (BookingRun *run, gint64 start, gint64 end, const gchar *reason,
                     const gchar *name, gboolean provisional)
{
  json_builder_begin_object (run->skipped);
  sched_json_add_time (run->skipped, "start", start);
  sched_json_add_time (run->skipped, "end", end);
  json_builder_set_member_name (run->skipped, "reason");
  json_builder_add_string_value (run->skipped, reason);
  if (name)
    {
      json_builder_set_member_name (run->skipped, "holiday");
      json_builder_add_string_value (run->skipped, name);
      json_builder_set_member_name (run->skipped, "provisional");
      json_builder_add_boolean_value (run->skipped, provisional);
    }
  json_builder_end_object (run->skipped);
}

static gboolean
booking_refuse (BookingRun *run, GPtrArray *conflicts, gint64 start, gint64 end,
                const SchedCapacity *capacity, JsonObject **extra, GError **error)
{
  SchedCore *core = run->core;
  JsonObject *o
      = sched_booking_conflict_extra (core, conflicts, run->spec->endpoints, start, end, 0);

  if (capacity != NULL)
    sched_booking_capacity_refuse (capacity, o, error);
  else
    sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "room_conflict",
                            "%u room booking(s) overlap this meeting", conflicts->len);
  *extra = o;
  core->metrics.booking_conflicts++;
  return FALSE;
}

/* The scheduled meeting of a unit of lower priority than the booking's,
 * at @at, not in @freed, that pre-emption gives up first: the lowest
 * priority, then the most recently booked. 0 when there is none. */
static gboolean
booking_capacity_victim (BookingRun *run, gint64 at, GArray *freed, gint64 *victim, GError **error)
{
  return sched_meeting_find_displaceable (run->core->ctx->db, at, run->priority, freed, victim,
                                          error);
}

/* The bridge's capacity, then each bridge site's (sched-booking-sites.c). */
static gboolean
booking_check_all_capacity (BookingRun *run, guint n_rooms, gint64 start, gint64 end, GArray *freed,
                            SchedCapacity *capacity, GError **error)
{
  if (!sched_booking_check_capacity (run->core, n_rooms, start, end, 0, freed, capacity, error))
    return FALSE;
  if (!capacity->ok)
    return TRUE;
  return sched_booking_check_site_capacity (run->core, run->spec->endpoints, run->spec->chair,
                                            start, end, 0, freed, capacity, error);
}

/* The bridge's capacity for one occurrence. With pre-emption, meetings of
 * lower-priority units that hold the bridge where it would overflow are
 * given up, fewest first, until the occurrence fits: they are listed in
 * @freed (and displaced by the caller) only if it then fits. */
static gboolean
booking_fit_capacity (BookingRun *run, gint64 start, gint64 end, GArray *freed,
                      SchedCapacity *capacity, GError **error)
{
  guint n_rooms = run->spec->endpoints->len;

  if (!booking_check_all_capacity (run, n_rooms, start, end, NULL, capacity, error))
    return FALSE;
  while (!capacity->ok && run->preempt)
    {
      gint64 victim = 0;

      if (!booking_capacity_victim (run, capacity->at, freed, &victim, error))
        return FALSE;
      if (victim == 0)
        break;
      g_array_append_val (freed, victim);
      if (!booking_check_all_capacity (run, n_rooms, start, end, freed, capacity, error))
        return FALSE;
    }
  if (!capacity->ok)
    g_array_set_size (freed, 0);
  return TRUE;
}

/* Places one occurrence; *skipped when it was left out (skip_conflicts). */
static gboolean
booking_place (BookingRun *run, gint64 series_id, gint64 start, gint64 end, JsonObject **extra,
               GError **error)
{
  SchedDb *db = run->core->ctx->db;
  g_autoptr (GPtrArray) conflicts
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_conflict_free);
  g_autoptr (GArray) freed = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean all_lower = TRUE;
  SchedCapacity capacity;
  gint64 id = 0;

  if (!sched_meeting_room_find_conflicts (db, run->spec->endpoints, start, end, 0, conflicts,
                                          error))
    return FALSE;
  for (guint i = 0; i < conflicts->len; i++)
    all_lower = all_lower
                && ((SchedConflict *)g_ptr_array_index (conflicts, i))->priority < run->priority;
  if (conflicts->len > 0 && !(run->preempt && all_lower))
    {
      if (run->skip_conflicts)
        {
          booking_add_skipped (run, start, end, "conflict", NULL, FALSE);
          return TRUE;
        }
      return booking_refuse (run, conflicts, start, end, NULL, extra, error);
    }
  for (guint i = 0; i < conflicts->len; i++)
    if (!booking_displace (run, ((SchedConflict *)g_ptr_array_index (conflicts, i))->meeting_id,
                           error))
      return FALSE;
  if (!booking_fit_capacity (run, start, end, freed, &capacity, error))
    return FALSE;
  if (!capacity.ok)
    {
      if (run->skip_conflicts)
        {
          booking_add_skipped (run, start, end, "capacity", NULL, FALSE);
          return TRUE;
        }
      return booking_refuse (run, NULL, start, end, &capacity, extra, error);
    }
  for (guint i = 0; i < freed->len; i++)
    if (!booking_displace (run, g_array_index (freed, gint64, i), error))
      return FALSE;
  if (!sched_booking_insert (db, run->spec, series_id, start, end, run->actor, run->now, FALSE, &id,
                             error))
    return FALSE;
  g_autoptr (JsonNode) detail = sched_booking_describe (run->spec, start, end);
  if (!sched_audit_record (db, run->now, run->actor, "booked", id, detail, error))
    return FALSE;
  g_array_append_val (run->created, id);
  g_array_append_val (run->created_at, start);
  return TRUE;
}

/* Audit lines for the displaced meetings, naming what took their rooms. */
static gboolean
booking_audit_displaced (BookingRun *run, GError **error)
{
  for (guint i = 0; i < run->displaced->len; i++)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "by_unit");
      json_builder_add_string_value (b, run->spec->unit);
      json_builder_set_member_name (b, "by_meetings");
      json_builder_begin_array (b);
      for (guint k = 0; k < run->created->len; k++)
        json_builder_add_int_value (b, g_array_index (run->created, gint64, k));
      json_builder_end_array (b);
      json_builder_end_object (b);
      g_autoptr (JsonNode) detail = json_builder_get_root (b);
      if (!sched_audit_record (run->core->ctx->db, run->now, run->actor, "displaced",
                               g_array_index (run->displaced, gint64, i), detail, error))
        return FALSE;
    }
  return TRUE;
}

/* Expands the request into starts (sched-booking-series.c). */
static gboolean
booking_expand (BookingRun *run, JsonObject *request, GArray *starts, gchar **rule, GError **error)
{
  return sched_booking_expand_series (run->core, request, run->spec->start, starts, rule, error);
}

static const gchar *
booking_holiday (SchedCore *core, gint64 start)
{
  return sched_booking_holiday (core, start, NULL);
}

/* The unit's room-hours with the occurrences just placed (inside the
 * transaction, so concurrent bookings cannot both pass). */
static gboolean
booking_check_stored_quota (BookingRun *run, JsonObject **extra, GError **error)
{
  g_autoptr (SchedBookingQuota) quota
      = sched_booking_quota_new (run->core, run->who, run->spec->unit);
  gint64 duration = run->spec->end - run->spec->start;

  for (guint i = 0; quota && i < run->created_at->len; i++)
    {
      gint64 s = g_array_index (run->created_at, gint64, i);
      sched_booking_quota_add (quota, s, s + duration, run->spec->endpoints->len);
    }
  return sched_booking_quota_check_stored (quota, extra, error);
}

/* Limits on the request alone, before anything is written: the last
 * occurrence within the horizon, the occurrences that are not on a holiday
 * within the room-hour quotas. */
static gboolean
booking_check_request_limits (BookingRun *run, GArray *starts, const gchar *rule,
                              JsonObject **extra, GError **error)
{
  g_autoptr (SchedBookingQuota) quota
      = sched_booking_quota_new (run->core, run->who, run->spec->unit);
  gint64 duration = run->spec->end - run->spec->start;

  if (rule && starts->len > 0
      && !sched_booking_check_horizon (run->core, g_array_index (starts, gint64, starts->len - 1),
                                       run->now, "recurrence", error))
    return FALSE;
  for (guint i = 0; quota && i < starts->len; i++)
    {
      gint64 s = g_array_index (starts, gint64, i);
      if (!(rule && booking_holiday (run->core, s)))
        sched_booking_quota_add (quota, s, s + duration, run->spec->endpoints->len);
    }
  return sched_booking_quota_check_request (quota, extra, error);
}

/* The transaction: series row, every occurrence, audit of displacements. */
static gboolean
booking_run_transaction (BookingRun *run, GArray *starts, const gchar *rule, gint64 *series_id,
                         JsonObject **extra, GError **error)
{
  SchedDb *db = run->core->ctx->db;
  gint64 duration = run->spec->end - run->spec->start;

  if (!sched_booking_tx_begin (run->core, error))
    return FALSE;
  if (rule && !sched_series_insert (db, rule, run->now, series_id, error))
    goto fail;
  for (guint i = 0; i < starts->len; i++)
    {
      gint64 s = g_array_index (starts, gint64, i);
      gboolean provisional = FALSE;
      const gchar *holiday = rule ? sched_booking_holiday (run->core, s, &provisional) : NULL;
      if (holiday)
        booking_add_skipped (run, s, s + duration, "holiday", holiday, provisional);
      else if (!booking_place (run, *series_id, s, s + duration, extra, error))
        goto fail;
    }
  if (run->created->len == 0)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "recurrence", "all_skipped",
                              "every occurrence was skipped; nothing was booked");
      goto fail;
    }
  if (!booking_check_stored_quota (run, extra, error) || !booking_audit_displaced (run, error)
      || !sched_booking_tx_commit (run->core, error))
    goto fail;
  return TRUE;

fail:
  sched_booking_tx_rollback (run->core);
  return FALSE;
}

/* Chair first, then the other rooms by code: the order sched_meeting_load()
 * reads them in. */
static gint
booking_room_compare (gconstpointer a, gconstpointer b, gpointer chair)
{
  const gchar *x = *(const gchar *const *)a, *y = *(const gchar *const *)b;
  gboolean x_chair = g_str_equal (x, chair), y_chair = g_str_equal (y, chair);

  if (x_chair != y_chair)
    return x_chair ? -1 : 1;
  return strcmp (x, y);
}

/* Created meeting @i as sched_booking_insert() wrote it, without reading
 * it back: a reply costs no query. */
static SchedMeeting *
booking_created_meeting (BookingRun *run, guint i, gint64 series_id)
{
  SchedMeeting *m = g_new0 (SchedMeeting, 1);
  const SchedMeetingSpec *spec = run->spec;

  m->id = g_array_index (run->created, gint64, i);
  m->series_id = series_id;
  m->title = g_strdup (spec->title);
  m->unit = g_strdup (spec->unit);
  m->chair = g_strdup (spec->chair);
  m->start = g_array_index (run->created_at, gint64, i);
  m->end = m->start + (spec->end - spec->start);
  m->status = g_strdup ("scheduled");
  m->version = 1;
  m->created_by = g_strdup (run->actor);
  m->created_at = m->updated_at = run->now;
  m->invited_count = spec->endpoints->len;
  m->record = spec->record > 0;
  m->endpoints = g_ptr_array_new_full (spec->endpoints->len, g_free);
  for (guint k = 0; k < spec->endpoints->len; k++)
    g_ptr_array_add (m->endpoints, g_strdup (g_ptr_array_index (spec->endpoints, k)));
  g_ptr_array_sort_with_data (m->endpoints, booking_room_compare, spec->chair);
  return m;
}

static JsonNode *
booking_response (BookingRun *run, gint64 series_id)
{
  SchedDb *db = run->core->ctx->db;
  g_autoptr (SchedMeeting) first = booking_created_meeting (run, 0, series_id);
  g_autoptr (JsonNode) skipped = json_builder_get_root (run->skipped);
  JsonNode *root = sched_meeting_to_node (first);
  JsonObject *o = json_node_get_object (root);

  if (series_id)
    {
      JsonArray *occ = json_array_new ();
      for (guint i = 0; i < run->created->len; i++)
        {
          g_autoptr (SchedMeeting) m = booking_created_meeting (run, i, series_id);
          json_array_add_element (occ, sched_meeting_to_node (m));
        }
      json_object_set_array_member (o, "occurrences", occ);
      json_object_set_member (o, "skipped", json_node_ref (skipped));
    }
  JsonArray *displaced = json_array_new ();
  for (guint i = 0; i < run->displaced->len; i++)
    {
      g_autoptr (SchedMeeting) m
          = sched_meeting_load (db, g_array_index (run->displaced, gint64, i), NULL);
      if (m)
        json_array_add_element (displaced, sched_meeting_to_node (m));
    }
  json_object_set_array_member (o, "displaced", displaced);
  return root;
}

/* After the commit: the rooms asked for and those of displaced meetings,
 * the meetings created and displaced, each once. */
static void
booking_notify (BookingRun *run)
{
  g_autoptr (SchedChangeSet) changes = sched_change_set_new ();
  GHashTableIter iter;
  gpointer room;

  for (guint i = 0; i < run->spec->endpoints->len; i++)
    sched_change_set_add_room (changes, g_ptr_array_index (run->spec->endpoints, i));
  g_hash_table_iter_init (&iter, run->rooms);
  while (g_hash_table_iter_next (&iter, &room, NULL))
    sched_change_set_add_room (changes, room);
  for (guint i = 0; i < run->created->len; i++)
    sched_change_set_add_meeting (changes, g_array_index (run->created, gint64, i));
  for (guint i = 0; i < run->displaced->len; i++)
    sched_change_set_add_meeting (changes, g_array_index (run->displaced, gint64, i));
  sched_booking_notify (run->core, changes);
}

JsonNode *
sched_booking_create (SchedCore *core, const SchedPrincipal *who, JsonObject *request,
                      JsonObject **extra, GError **error)
{
  g_auto (BookingRun) run = { .core = core, .who = who };
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree gchar *rule = NULL;
  gint64 series_id = 0;

  run.spec = sched_meeting_spec_from_json (request, error);
  if (run.spec == NULL || !sched_json_get_bool (request, "preempt", FALSE, &run.preempt, error)
      || !sched_json_get_bool (request, "skip_conflicts", FALSE, &run.skip_conflicts, error)
      || !sched_auth_can_book_for_unit (who, run.spec->unit, error)
      || !sched_booking_resolve_record (core, run.spec, error))
    return NULL;
  run.now = sched_core_now (core);
  if (!sched_booking_validate (core, run.spec, run.now, error)
      || !booking_expand (&run, request, starts, &rule, error)
      || !booking_check_request_limits (&run, starts, rule, extra, error))
    return NULL;
  run.actor = sched_principal_describe (who);
  run.priority = sched_unit_get_priority (core->ctx->db, run.spec->unit);
  run.created = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.created_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.displaced = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.rooms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.skipped = json_builder_new ();
  json_builder_begin_array (run.skipped);
  if (rule == NULL)
    run.skip_conflicts = FALSE; /* one meeting: a conflict is an answer, not a skip */

  if (!booking_run_transaction (&run, starts, rule, &series_id, extra, error))
    return NULL;
  json_builder_end_array (run.skipped);
  core->metrics.bookings_created += run.created->len;
  core->metrics.meetings_displaced += run.displaced->len;
  booking_notify (&run);
  return booking_response (&run, series_id);
}
