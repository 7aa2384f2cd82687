/* sched-attendance.c — attendance events, derived columns and the report.
 *
 * Segments: per room, events in time order; "joined" opens a segment (a
 * second "joined" while open is ignored), "left" closes it (a "left" with
 * nothing open is ignored). A segment still open closes at the meeting's
 * actual end, or now while it runs. Segments are clipped to
 * [start, actual end]. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-attendance.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-meeting-window.h"
#include "sched-model-attendance.h"

#include "common/vc-time.h"
#include "vc-attendance-wire.h"

#include <string.h>

typedef struct
{
  gint64 joined;
  gint64 left;
} Segment;

typedef struct
{
  gchar *endpoint;
  GArray *segments;  /* Segment, clipped */
  gint64 first_join; /* raw, 0: never */
  gint64 last_leave; /* end of the last segment, 0: none */
  gboolean still_in; /* last segment open at the clip end */
  gint64 seconds;
} RoomAttendance;

static void
room_attendance_free (RoomAttendance *r)
{
  g_free (r->endpoint);
  g_array_unref (r->segments);
  g_free (r);
}

typedef struct
{
  gint64 start;
  gint64 clip_end;  /* actual end, or now while the meeting runs */
  GPtrArray *rooms; /* RoomAttendance*, every invited room, then others */
  gboolean held;
  gint64 actual_seconds;
  gint64 present_count;
  gint64 invited_count;
} MeetingAttendance;

static void
meeting_attendance_clear (MeetingAttendance *a)
{
  g_clear_pointer (&a->rooms, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MeetingAttendance, meeting_attendance_clear)

static RoomAttendance *
attendance_room (MeetingAttendance *a, const gchar *endpoint)
{
  RoomAttendance *r;

  for (guint i = 0; i < a->rooms->len; i++)
    if (g_strcmp0 (((RoomAttendance *)g_ptr_array_index (a->rooms, i))->endpoint, endpoint) == 0)
      return g_ptr_array_index (a->rooms, i);
  r = g_new0 (RoomAttendance, 1);
  r->endpoint = g_strdup (endpoint);
  r->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_ptr_array_add (a->rooms, r);
  return r;
}

static void
attendance_close (MeetingAttendance *a, RoomAttendance *r, gint64 joined, gint64 left)
{
  Segment s = { MAX (joined, a->start), MIN (left, a->clip_end) };

  if (s.left < s.joined)
    return; /* wholly outside the meeting */
  g_array_append_val (r->segments, s);
  r->seconds += s.left - s.joined;
  r->last_leave = MAX (r->last_leave, s.left);
}

static gint
attendance_code_compare (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The meeting's times and its invited rooms (every room row, by code). */
static gboolean
attendance_read_meeting (SchedDb *db, gint64 id, MeetingAttendance *a, GError **error)
{
  g_autoptr (SchedMeeting) m = sched_meeting_load (db, id, error);
  g_autoptr (GPtrArray) rooms = NULL;
  gint64 end, now = vc_time_now ();

  if (m == NULL)
    return FALSE;
  a->start = m->start;
  end = m->end;
  if (g_strcmp0 (m->status, "ended") == 0 && m->ended_at > 0)
    end = m->ended_at;
  a->clip_end = MAX (a->start, MIN (end, now));
  a->invited_count = m->endpoints->len;
  rooms = g_ptr_array_new (); /* borrows m->endpoints' strings */
  for (guint i = 0; i < m->endpoints->len; i++)
    g_ptr_array_add (rooms, g_ptr_array_index (m->endpoints, i));
  g_ptr_array_sort (rooms, attendance_code_compare);
  for (guint i = 0; i < rooms->len; i++)
    attendance_room (a, g_ptr_array_index (rooms, i));
  return TRUE;
}

/* held: two rooms joined; actual: from the second join to the last leave. */
static void
attendance_summarise (MeetingAttendance *a)
{
  gint64 second_join = G_MAXINT64, first_join_any = G_MAXINT64, last_leave = 0;

  for (guint i = 0; i < a->rooms->len; i++)
    {
      RoomAttendance *room = g_ptr_array_index (a->rooms, i);
      if (room->first_join == 0)
        continue;
      a->present_count++;
      if (room->first_join < first_join_any)
        {
          second_join = first_join_any;
          first_join_any = room->first_join;
        }
      else if (room->first_join < second_join)
        second_join = room->first_join;
      last_leave = MAX (last_leave, room->last_leave);
    }
  a->held = a->present_count >= 2;
  if (a->held)
    a->actual_seconds = MAX (0, MIN (last_leave, a->clip_end) - MAX (second_join, a->start));
}

/* Builds segments for every room of meeting @id. */
static gboolean
attendance_compute (SchedDb *db, gint64 id, MeetingAttendance *a, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  RoomAttendance *r = NULL;
  gint64 open_at = -1;

  a->rooms = g_ptr_array_new_with_free_func ((GDestroyNotify)room_attendance_free);
  if (!attendance_read_meeting (db, id, a, error))
    return FALSE;
  events = sched_attendance_event_list (db, id, error);
  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      const SchedAttendanceEvent *e = g_ptr_array_index (events, i);
      if (r == NULL || g_strcmp0 (r->endpoint, e->endpoint) != 0)
        {
          if (r && open_at >= 0)
            attendance_close (a, r, open_at, a->clip_end), r->still_in = TRUE;
          r = attendance_room (a, e->endpoint);
          open_at = -1;
        }
      if (e->joined && open_at < 0)
        {
          open_at = e->at;
          if (r->first_join == 0)
            r->first_join = e->at;
        }
      else if (!e->joined && open_at >= 0)
        {
          attendance_close (a, r, open_at, e->at);
          open_at = -1;
        }
    }
  if (r && open_at >= 0)
    attendance_close (a, r, open_at, a->clip_end), r->still_in = TRUE;

  attendance_summarise (a);
  return TRUE;
}

gboolean
sched_attendance_refresh (SchedDb *db, gint64 meeting_id, GError **error)
{
  g_auto (MeetingAttendance) a = { 0 };

  if (!attendance_compute (db, meeting_id, &a, error))
    return FALSE;
  return sched_meeting_set_attendance (db, meeting_id, a.held, a.actual_seconds, a.present_count,
                                       a.invited_count, error);
}

static const gchar *
attendance_status (const MeetingAttendance *a, const RoomAttendance *r)
{
  gint64 reference = a->held ? a->actual_seconds : a->clip_end - a->start;

  if (r->first_join == 0)
    return "absent";
  if (reference > 0 && (gdouble)r->seconds < SCHED_ATTENDANCE_PARTIAL_RATIO * (gdouble)reference)
    return "partial";
  if (r->first_join > a->start + SCHED_ATTENDANCE_LATE_SECONDS)
    return "late";
  return "present";
}

static void
attendance_add_time_or_null (JsonBuilder *b, const gchar *name, gint64 t)
{
  if (t > 0)
    sched_json_add_time (b, name, t);
  else
    {
      json_builder_set_member_name (b, name);
      json_builder_add_null_value (b);
    }
}

static void
attendance_room_to_json (const MeetingAttendance *a, const RoomAttendance *r, JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "endpoint");
  json_builder_add_string_value (b, r->endpoint);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, attendance_status (a, r));
  attendance_add_time_or_null (b, "joined_at", r->first_join);
  attendance_add_time_or_null (b, "left_at", r->still_in ? 0 : r->last_leave);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_int_value (b, r->seconds);
  json_builder_set_member_name (b, "segments");
  json_builder_begin_array (b);
  for (guint k = 0; k < r->segments->len; k++)
    {
      const Segment *s = &g_array_index (r->segments, Segment, k);
      json_builder_begin_object (b);
      sched_json_add_time (b, "joined_at", s->joined);
      sched_json_add_time (b, "left_at", s->left);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
sched_attendance_report (SchedCore *core, const SchedMeeting *m, const gchar *only_endpoint,
                         GError **error)
{
  g_auto (MeetingAttendance) a = { 0 };
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (!attendance_compute (core->ctx->db, m->id, &a, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "meeting");
  json_builder_add_int_value (b, m->id);
  json_builder_set_member_name (b, "held");
  json_builder_add_boolean_value (b, a.held);
  json_builder_set_member_name (b, "actual_seconds");
  json_builder_add_int_value (b, a.actual_seconds);
  json_builder_set_member_name (b, "present_count");
  json_builder_add_int_value (b, a.present_count);
  json_builder_set_member_name (b, "invited_count");
  json_builder_add_int_value (b, a.invited_count);
  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < a.rooms->len; i++)
    {
      RoomAttendance *r = g_ptr_array_index (a.rooms, i);
      if (only_endpoint == NULL || g_strcmp0 (only_endpoint, r->endpoint) == 0)
        attendance_room_to_json (&a, r, b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The room of event @i: an endpoint token posts its own events only; an
 * admin names the room in each. */
static gboolean
attendance_check_room (const SchedPrincipal *who, VcAttendanceWireEvent *ev, guint i,
                       GError **error)
{
  if (who->role == SCHED_ROLE_ENDPOINT)
    {
      if (ev->endpoint && g_strcmp0 (ev->endpoint, who->endpoint) != 0)
        {
          g_set_error (error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                       "events[%u]: a room posts only its own events", i);
          return FALSE;
        }
      g_free (ev->endpoint);
      ev->endpoint = g_strdup (who->endpoint);
    }
  else if (ev->endpoint == NULL)
    {
      g_autofree gchar *field = g_strdup_printf ("events[%u].endpoint", i);
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "%s is required", field);
      return FALSE;
    }
  return TRUE;
}

/* Records event @i as rejected: {"index", "id", "field", "message"}. */
static void
attendance_reject (VcAttendanceWireAnswer *answer, guint i, const VcAttendanceWireEvent *ev,
                   const GError *why)
{
  g_autofree gchar *inner = sched_error_get_field (why);
  g_autofree gchar *field = g_strdup_printf ("events[%u].%s", i, inner ? inner : "meeting");

  vc_attendance_wire_answer_reject (answer, i, ev->id, field, sched_error_get_text (why));
}

static gboolean
attendance_store (SchedCore *core, GPtrArray *events, VcAttendanceWireAnswer *answer,
                  GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (GHashTable) touched = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 now = sched_core_now (core);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < events->len; i++)
    {
      VcAttendanceWireEvent *ev = g_ptr_array_index (events, i);
      g_autoptr (GError) refused = NULL;
      gboolean duplicate = FALSE;

      if (!sched_meeting_window_check (db, ev->meeting, ev->endpoint, ev->at, now, &refused))
        {
          if (!g_error_matches (refused, SCHED_ERROR, SCHED_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&refused));
              return FALSE;
            }
          g_message ("attendance: event %s of %s rejected: %s", ev->id, ev->endpoint,
                     sched_error_get_text (refused));
          attendance_reject (answer, i, ev, refused);
          continue;
        }
      if (!sched_attendance_event_insert (db, ev->id, ev->meeting, ev->endpoint,
                                          vc_attendance_wire_event_type_to_string (ev->type),
                                          ev->at, ev->reason, now, &duplicate, error))
        return FALSE;
      if (duplicate)
        answer->duplicates++;
      else
        {
          answer->accepted++;
          g_hash_table_add (touched, &ev->meeting);
        }
    }
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!sched_attendance_refresh (db, *(gint64 *)key, error))
      return FALSE;
  return TRUE;
}

gboolean
sched_attendance_ingest (SchedCore *core, const SchedPrincipal *who, JsonObject *request,
                         VcAttendanceWireAnswer *answer, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  GError *wire = NULL;

  vc_attendance_wire_answer_init (answer);
  if (who->role != SCHED_ROLE_ENDPOINT && !sched_auth_require_admin (who, error))
    return FALSE;
  events = vc_attendance_wire_request_from_object (request, &wire);
  if (events == NULL)
    {
      sched_error_propagate_wire (error, wire);
      return FALSE;
    }
  for (guint i = 0; i < events->len; i++)
    if (!attendance_check_room (who, g_ptr_array_index (events, i), i, error))
      return FALSE;
  if (!sched_db_begin_immediate (core->ctx->db, error))
    return FALSE;
  if (!attendance_store (core, events, answer, error) || !sched_db_commit (core->ctx->db, error))
    {
      sched_db_rollback (core->ctx->db);
      vc_attendance_wire_answer_clear (answer);
      vc_attendance_wire_answer_init (answer);
      return FALSE;
    }
  core->metrics.attendance_accepted += answer->accepted;
  core->metrics.attendance_duplicates += answer->duplicates;
  return TRUE;
}
