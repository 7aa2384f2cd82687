/* sched-booking-change.c — changing a booked meeting: PATCH (every rule
 * re-checked, If-Match against the version), cancel, extend and end.
 *
 * Each change is one BEGIN IMMEDIATE transaction that re-reads the meeting,
 * checks, writes a new version and an audit line; the other parts are
 * told after the commit, through one SchedChangeSet. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"

#include "sched-attendance.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-room.h"

/* Whether @who may change @m: admin, the secretariat of its unit, and —
 * for extend/end (@chair_too) — the secretariat of the chair room's unit. */
static gboolean
change_may_manage (SchedCore *core, const SchedPrincipal *who, const SchedMeeting *m,
                   gboolean chair_too, GError **error)
{
  if (chair_too)
    return sched_auth_can_run_meeting (core->ctx->db, who, m->unit, m->chair, error);
  return sched_auth_can_book_for_unit (who, m->unit, error);
}

/* Loads the meeting inside the transaction and checks role, status and
 * If-Match. */
static SchedMeeting *
change_begin (SchedCore *core, const SchedPrincipal *who, gint64 id, gint64 if_match,
              gboolean chair_too, GError **error)
{
  g_autoptr (SchedMeeting) m = NULL;

  if (!sched_db_begin_immediate (core->ctx->db, error))
    return NULL;
  m = sched_meeting_load (core->ctx->db, id, error);
  if (m == NULL || !change_may_manage (core, who, m, chair_too, error))
    goto fail;
  if (if_match >= 0 && if_match != m->version)
    {
      sched_error_set_reason (error, SCHED_ERROR_PRECONDITION_FAILED, NULL, "stale_version",
                              "the meeting is at version %" G_GINT64_FORMAT
                              ", not %" G_GINT64_FORMAT,
                              m->version, if_match);
      goto fail;
    }
  if (g_strcmp0 (m->status, "scheduled") != 0)
    {
      sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "not_scheduled",
                              "the meeting is %s", m->status);
      goto fail;
    }
  return g_steal_pointer (&m);

fail:
  sched_db_rollback (core->ctx->db);
  return NULL;
}

/* Commits, then notifies every room of @before and @after. */
static JsonNode *
change_finish (SchedCore *core, gint64 id, GPtrArray *before, GError **error)
{
  g_autoptr (SchedMeeting) m = NULL;

  if (!sched_db_commit (core->ctx->db, error))
    return NULL;
  m = sched_meeting_load (core->ctx->db, id, error);
  if (m == NULL)
    return NULL;
  {
    g_autoptr (SchedChangeSet) changes = sched_change_set_new ();
    for (guint i = 0; before && i < before->len; i++)
      sched_change_set_add_room (changes, g_ptr_array_index (before, i));
    for (guint i = 0; i < m->endpoints->len; i++)
      sched_change_set_add_room (changes, g_ptr_array_index (m->endpoints, i));
    sched_change_set_add_meeting (changes, id);
    sched_booking_notify (core, changes);
  }
  return sched_meeting_to_node (m);
}

static SchedMeetingSpec *
change_merge (const SchedMeeting *m, JsonObject *request, GError **error)
{
  g_autoptr (SchedMeetingSpec) spec = g_new0 (SchedMeetingSpec, 1);
  const gchar *text;

  spec->start = m->start;
  spec->end = m->end;
  spec->record = m->record ? 1 : 0;
  spec->endpoints = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < m->endpoints->len; i++)
    g_ptr_array_add (spec->endpoints, g_strdup (g_ptr_array_index (m->endpoints, i)));
  text = json_object_has_member (request, "title")
             ? sched_json_get_string (request, "title", TRUE, error)
             : m->title;
  if (text == NULL)
    return NULL;
  spec->title = g_strstrip (g_strdup (text));
  text = json_object_has_member (request, "unit")
             ? sched_json_get_string (request, "unit", TRUE, error)
             : m->unit;
  if (text == NULL)
    return NULL;
  spec->unit = g_strdup (text);
  text = json_object_has_member (request, "chair")
             ? sched_json_get_string (request, "chair", TRUE, error)
             : m->chair;
  if (text == NULL)
    return NULL;
  spec->chair = g_strdup (text);
  if (json_object_has_member (request, "endpoints"))
    {
      g_clear_pointer (&spec->endpoints, g_ptr_array_unref);
      if (!(spec->endpoints = sched_json_get_string_array (request, "endpoints", TRUE, error)))
        return NULL;
    }
  if ((json_object_has_member (request, "start")
       && !sched_json_get_time (request, "start", TRUE, &spec->start, error))
      || (json_object_has_member (request, "end")
          && !sched_json_get_time (request, "end", TRUE, &spec->end, error)))
    return NULL;
  if (json_object_has_member (request, "record"))
    {
      gboolean record = FALSE;

      if (!sched_json_get_bool (request, "record", FALSE, &record, error))
        return NULL;
      spec->record = record ? 1 : 0;
    }
  return g_steal_pointer (&spec);
}

static gboolean
change_write_spec (SchedDb *db, gint64 id, const SchedMeetingSpec *spec, gint64 now, GError **error)
{
  /* Borrows the spec's strings: nothing here is freed. */
  const SchedMeeting row = {
    .id = id,
    .title = spec->title,
    .unit = spec->unit,
    .chair = spec->chair,
    .start = spec->start,
    .end = spec->end,
    .invited_count = spec->endpoints->len,
    .record = spec->record > 0,
  };

  return sched_meeting_update (db, &row, now, error) && sched_meeting_room_delete (db, id, error)
         && sched_meeting_room_insert (db, id, spec->endpoints, spec->start, spec->end, error);
}

/* Conflicts and capacity for @spec, the meeting itself excluded. */
static gboolean
change_check_schedule (SchedCore *core, gint64 id, GPtrArray *endpoints, const gchar *chair,
                       gint64 start, gint64 end, JsonObject **extra, GError **error)
{
  g_autoptr (GPtrArray) conflicts
      = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_conflict_free);
  SchedCapacity capacity;

  if (!sched_meeting_room_find_conflicts (core->ctx->db, endpoints, start, end, id, conflicts,
                                          error))
    return FALSE;
  if (conflicts->len > 0)
    {
      *extra = sched_booking_conflict_extra (core, conflicts, endpoints, start, end, id);
      sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "room_conflict",
                              "%u room booking(s) overlap this meeting", conflicts->len);
      core->metrics.booking_conflicts++;
      return FALSE;
    }
  if (!sched_booking_check_capacity (core, endpoints->len, start, end, id, NULL, &capacity, error))
    return FALSE;
  if (capacity.ok
      && !sched_booking_check_site_capacity (core, endpoints, chair, start, end, id, NULL,
                                             &capacity, error))
    return FALSE;
  if (!capacity.ok)
    {
      *extra = sched_booking_conflict_extra (core, NULL, endpoints, start, end, id);
      sched_booking_capacity_refuse (&capacity, *extra, error);
      core->metrics.booking_conflicts++;
      return FALSE;
    }
  return TRUE;
}

/* The unit's room-hours once @spec is written, when the change could
 * have added any (times, rooms or unit changed): a title change on a day
 * over a since-lowered limit still goes through. */
static gboolean
change_check_quota (SchedCore *core, const SchedPrincipal *who, const SchedMeeting *m,
                    const SchedMeetingSpec *spec, JsonObject **extra, GError **error)
{
  g_autoptr (SchedBookingQuota) quota = NULL;
  gboolean same_rooms = spec->endpoints->len == m->endpoints->len;

  for (guint i = 0; same_rooms && i < spec->endpoints->len; i++)
    same_rooms = sched_meeting_has_endpoint (m, g_ptr_array_index (spec->endpoints, i));
  if (same_rooms && spec->start == m->start && spec->end == m->end
      && g_strcmp0 (spec->unit, m->unit) == 0)
    return TRUE;
  quota = sched_booking_quota_new (core, who, spec->unit);
  sched_booking_quota_add (quota, spec->start, spec->end, spec->endpoints->len);
  return sched_booking_quota_check_stored (quota, extra, error);
}

JsonNode *
sched_booking_patch (SchedCore *core, const SchedPrincipal *who, gint64 id, gint64 if_match,
                     JsonObject *request, JsonObject **extra, GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) m = change_begin (core, who, id, if_match, FALSE, error);
  g_autoptr (SchedMeetingSpec) spec = NULL;
  g_autofree gchar *actor = NULL;
  gint64 now = sched_core_now (core);

  if (m == NULL)
    return NULL;
  spec = change_merge (m, request, error);
  /* A changed unit must be one the caller may book for, too. A start
   * that is not changed may already be past (a running meeting). */
  if (spec == NULL || !sched_auth_can_book_for_unit (who, spec->unit, error)
      || !sched_booking_validate (core, spec, spec->start == m->start ? G_MININT64 : now, error)
      || !change_check_schedule (core, id, spec->endpoints, spec->chair, spec->start, spec->end,
                                 extra, error)
      || !change_write_spec (db, id, spec, now, error)
      || !change_check_quota (core, who, m, spec, extra, error))
    goto fail;
  actor = sched_principal_describe (who);
  {
    g_autoptr (JsonNode) detail = sched_booking_describe (spec, spec->start, spec->end);
    if (!sched_audit_record (db, now, actor, "changed", id, detail, error))
      goto fail;
  }
  return change_finish (core, id, m->endpoints, error);

fail:
  sched_db_rollback (db);
  return NULL;
}

static gboolean
change_set_status (SchedDb *db, gint64 id, const gchar *status, gint64 now, GError **error)
{
  return sched_meeting_set_status (db, id, status, now, error)
         && sched_meeting_room_deactivate (db, id, error);
}

JsonNode *
sched_booking_cancel (SchedCore *core, const SchedPrincipal *who, gint64 id, gint64 if_match,
                      GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) m = change_begin (core, who, id, if_match, FALSE, error);
  g_autofree gchar *actor = NULL;
  gint64 now = sched_core_now (core);

  if (m == NULL)
    return NULL;
  actor = sched_principal_describe (who);
  if (!change_set_status (db, id, "cancelled", now, error)
      || !sched_audit_record (db, now, actor, "cancelled", id, NULL, error))
    {
      sched_db_rollback (db);
      return NULL;
    }
  return change_finish (core, id, NULL, error);
}

static gboolean
change_set_end (SchedDb *db, gint64 id, gint64 end, gboolean ended, gint64 now, GError **error)
{
  /* The rooms are free from the new end on. */
  return sched_meeting_set_end (db, id, end, ended, now, error)
         && sched_meeting_room_set_end (db, id, end, error);
}

JsonNode *
sched_booking_extend (SchedCore *core, const SchedPrincipal *who, gint64 id, JsonObject *request,
                      JsonObject **extra, GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) m = NULL;
  g_autofree gchar *actor = NULL;
  gint64 minutes = 0, new_end, now = sched_core_now (core);

  if (!sched_json_get_int (request, "minutes", TRUE, &minutes, error))
    return NULL;
  if (minutes < 1 || minutes > 24 * 60)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "minutes", "extend_minutes",
                              "must be from 1 to 1440");
      return NULL;
    }
  m = change_begin (core, who, id, -1, TRUE, error);
  if (m == NULL)
    return NULL;
  new_end = m->end + minutes * 60;
  if (m->end <= now - 60)
    {
      sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "already_over",
                              "the meeting is already over");
      goto fail;
    }
  if (new_end - m->start > core->ctx->settings->max_meeting_seconds)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "minutes", "too_long",
                              "a meeting lasts at most %" G_GINT64_FORMAT " hours",
                              core->ctx->settings->max_meeting_seconds / 3600);
      goto fail;
    }
  actor = sched_principal_describe (who);
  if (!change_check_schedule (core, id, m->endpoints, m->chair, m->start, new_end, extra, error)
      || !change_set_end (db, id, new_end, FALSE, now, error))
    goto fail;
  {
    g_autoptr (SchedBookingQuota) quota = sched_booking_quota_new (core, who, m->unit);
    sched_booking_quota_add (quota, m->end, new_end, m->endpoints->len);
    if (!sched_booking_quota_check_stored (quota, extra, error))
      goto fail;
  }
  {
    g_autoptr (JsonNode) detail = json_node_new (JSON_NODE_OBJECT);
    JsonObject *o = json_object_new ();
    json_object_set_int_member (o, "minutes", minutes);
    json_node_take_object (detail, o);
    if (!sched_audit_record (db, now, actor, "extended", id, detail, error))
      goto fail;
  }
  return change_finish (core, id, NULL, error);

fail:
  sched_db_rollback (db);
  return NULL;
}

JsonNode *
sched_booking_end (SchedCore *core, const SchedPrincipal *who, gint64 id, GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) m = change_begin (core, who, id, -1, TRUE, error);
  g_autofree gchar *actor = NULL;
  gint64 now = sched_core_now (core), ended;

  if (m == NULL)
    return NULL;
  if (now < m->start)
    {
      sched_error_set_reason (error, SCHED_ERROR_CONFLICT, NULL, "not_started",
                              "the meeting has not started; cancel it instead");
      goto fail;
    }
  ended = MIN (now, m->end);
  actor = sched_principal_describe (who);
  if (!change_set_end (db, id, ended, TRUE, now, error)
      || !sched_audit_record (db, now, actor, "ended", id, NULL, error)
      || !sched_attendance_refresh (db, id, error))
    goto fail;
  return change_finish (core, id, NULL, error);

fail:
  sched_db_rollback (db);
  return NULL;
}

/* ---- A series: this occurrence and the following ones, or all ---- */

/* The occurrences @scope covers, @m first when it is one: "following"
 * from @m's start on, "series" every scheduled one (started ones too are
 * left out: they are under way or over). Without a series, @m alone. */
static gboolean
scope_list (SchedCore *core, const SchedMeeting *m, SchedBookingScope scope, GArray *ids,
            GError **error)
{
  gint64 from = scope == SCHED_BOOKING_SCOPE_FOLLOWING ? m->start : sched_core_now (core);

  if (m->series_id == 0 || scope == SCHED_BOOKING_SCOPE_THIS)
    {
      g_array_append_val (ids, m->id);
      return TRUE;
    }
  return sched_meeting_list_series (core->ctx->db, m->series_id, MIN (from, m->start), ids, error);
}

/* One occurrence of a scoped change: the request's members, its times
 * moved as the first one's were (@shift) with the first one's length. */
static gboolean
scope_patch_one (SchedCore *core, const SchedPrincipal *who, gint64 id, JsonObject *request,
                 gint64 shift, gint64 duration, GPtrArray *rooms, JsonObject **extra,
                 GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) m = sched_meeting_load (db, id, error);
  g_autoptr (SchedMeetingSpec) spec = NULL;
  g_autofree gchar *actor = NULL;
  gint64 now = sched_core_now (core);

  if (m == NULL || (spec = change_merge (m, request, error)) == NULL)
    return FALSE;
  spec->start = m->start + shift;
  spec->end = spec->start + duration;
  if (!sched_auth_can_book_for_unit (who, spec->unit, error)
      || !sched_booking_validate (core, spec, spec->start == m->start ? G_MININT64 : now, error)
      || !change_check_schedule (core, id, spec->endpoints, spec->chair, spec->start, spec->end,
                                 extra, error)
      || !change_write_spec (db, id, spec, now, error)
      || !change_check_quota (core, who, m, spec, extra, error))
    return FALSE;
  actor = sched_principal_describe (who);
  {
    g_autoptr (JsonNode) detail = sched_booking_describe (spec, spec->start, spec->end);
    if (!sched_audit_record (db, now, actor, "changed", id, detail, error))
      return FALSE;
  }
  for (guint i = 0; i < m->endpoints->len; i++)
    g_ptr_array_add (rooms, g_strdup (g_ptr_array_index (m->endpoints, i)));
  for (guint i = 0; i < spec->endpoints->len; i++)
    g_ptr_array_add (rooms, g_strdup (g_ptr_array_index (spec->endpoints, i)));
  return TRUE;
}

/* Commits a scoped change and tells the rooms and meetings; answers the
 * first meeting with "changed": [ids]. */
static JsonNode *
scope_finish (SchedCore *core, gint64 id, GArray *ids, GPtrArray *rooms, GError **error)
{
  g_autoptr (SchedMeeting) m = NULL;
  g_autoptr (SchedChangeSet) changes = sched_change_set_new ();
  JsonNode *node;
  JsonArray *changed = json_array_new ();

  if (!sched_db_commit (core->ctx->db, error))
    {
      json_array_unref (changed);
      return NULL;
    }
  for (guint i = 0; i < rooms->len; i++)
    sched_change_set_add_room (changes, g_ptr_array_index (rooms, i));
  for (guint i = 0; i < ids->len; i++)
    {
      sched_change_set_add_meeting (changes, g_array_index (ids, gint64, i));
      json_array_add_int_element (changed, g_array_index (ids, gint64, i));
    }
  sched_booking_notify (core, changes);
  m = sched_meeting_load (core->ctx->db, id, error);
  if (m == NULL)
    {
      json_array_unref (changed);
      return NULL;
    }
  node = sched_meeting_to_node (m);
  json_object_set_array_member (json_node_get_object (node), "changed", changed);
  return node;
}

JsonNode *
sched_booking_patch_scope (SchedCore *core, const SchedPrincipal *who, gint64 id, gint64 if_match,
                           SchedBookingScope scope, JsonObject *request, JsonObject **extra,
                           GError **error)
{
  g_autoptr (SchedMeeting) m = NULL;
  g_autoptr (SchedMeetingSpec) first = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) rooms = g_ptr_array_new_with_free_func (g_free);
  gint64 shift, duration;

  if (scope == SCHED_BOOKING_SCOPE_THIS)
    return sched_booking_patch (core, who, id, if_match, request, extra, error);
  m = change_begin (core, who, id, if_match, FALSE, error);
  if (m == NULL)
    return NULL;
  if ((first = change_merge (m, request, error)) == NULL
      || !scope_list (core, m, scope, ids, error))
    goto fail;
  shift = first->start - m->start;
  duration = first->end - first->start;
  /* Later occurrences first when moving later (earlier first otherwise), so
   * that none is moved onto one of its own series not moved yet. */
  for (guint k = 0; k < ids->len; k++)
    {
      guint i = shift > 0 ? ids->len - 1 - k : k;
      if (!scope_patch_one (core, who, g_array_index (ids, gint64, i), request, shift, duration,
                            rooms, extra, error))
        goto fail;
    }
  return scope_finish (core, id, ids, rooms, error);

fail:
  sched_db_rollback (core->ctx->db);
  return NULL;
}

JsonNode *
sched_booking_cancel_scope (SchedCore *core, const SchedPrincipal *who, gint64 id, gint64 if_match,
                            SchedBookingScope scope, GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) m = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) rooms = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *actor = NULL;
  gint64 now = sched_core_now (core);

  if (scope == SCHED_BOOKING_SCOPE_THIS)
    return sched_booking_cancel (core, who, id, if_match, error);
  m = change_begin (core, who, id, if_match, FALSE, error);
  if (m == NULL)
    return NULL;
  if (!scope_list (core, m, scope, ids, error))
    goto fail;
  actor = sched_principal_describe (who);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 one = g_array_index (ids, gint64, i);
      g_autoptr (SchedMeeting) x = sched_meeting_load (db, one, error);
      if (x == NULL || !change_set_status (db, one, "cancelled", now, error)
          || !sched_audit_record (db, now, actor, "cancelled", one, NULL, error))
        goto fail;
      for (guint k = 0; k < x->endpoints->len; k++)
        g_ptr_array_add (rooms, g_strdup (g_ptr_array_index (x->endpoints, k)));
    }
  return scope_finish (core, id, ids, rooms, error);

fail:
  sched_db_rollback (db);
  return NULL;
}
