/* sched-booking.h — the booking rules and every write to a meeting.
 *
 * Rules (docs/api.md): end > start; no start in the past; at most
 * [limits] max_meeting_hours; at least two rooms; the chair is one of them;
 * every room and unit exists; a room is never in two overlapping meetings
 * (half-open intervals [start, end)); the rooms connected at once never
 * exceed [bridge] capacity; a series has at most max_series_occurrences and
 * skips holidays; nothing starts more than [limits] max_days_ahead ahead,
 * and a unit's meetings hold at most unit_room_hours_per_day / _per_week
 * (sched-booking-quota.c). Each check-and-write runs inside one BEGIN IMMEDIATE
 * transaction, so concurrent requests for the same room give one booking.
 *
 * Every function here runs on the main thread, commits before it returns,
 * and then tells the other parts once through a SchedChangeSet
 * (sched_booking_notify). Rows are read and written through the model
 * (sched-model-*.h); no SQL is written here. On a conflict the error is
 * SCHED_ERROR_CONFLICT and *extra holds {conflicts[], suggestions[]}. */
#pragma once

#include "sched-auth.h"
#include "sched-core.h"
#include "sched-change-set.h"
#include "sched-model-meeting.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The bookable part of a meeting. */
typedef struct
{
  gchar *title;
  gchar *unit;
  gchar *chair;
  GPtrArray *endpoints; /* gchar* */
  gint64 start;
  gint64 end;
  gint record; /* 1, 0, or -1: not given (the unit's default applies) */
} SchedMeetingSpec;

void sched_meeting_spec_free (SchedMeetingSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedMeetingSpec, sched_meeting_spec_free)

/* Reads title, unit, chair, endpoints, start, end and the optional
 * record from a request object. */
SchedMeetingSpec *sched_meeting_spec_from_json (JsonObject *o, GError **error);

/* Fills spec->record when the request did not give it: the unit's
 * default, else [recordings] default_record. */
gboolean sched_booking_resolve_record (SchedCore *core, SchedMeetingSpec *spec, GError **error);

/* The rules that do not depend on other meetings. @now: the clock, or
 * G_MININT64 to allow a start in the past (history import). */
gboolean sched_booking_validate (SchedCore *core, const SchedMeetingSpec *spec, gint64 now,
                                 GError **error);

/* POST /api/v1/meetings. Returns the 201 body. */
/* The local holiday of the day of @start, or NULL; *@provisional (may be
 * NULL): a computed lunar date, not yet entered. (sched-booking-series.c) */
const gchar *sched_booking_holiday (SchedCore *core, gint64 start, gboolean *provisional);
/* The starts of the request's occurrences (one without "recurrence"; *rule
 * NULL then). With a count, holidays do not use up occurrences. */
gboolean sched_booking_expand_series (SchedCore *core, JsonObject *request, gint64 first_start,
                                      GArray *starts, gchar **rule, GError **error);
/* Adds "incomplete_holiday_years": [{year, missing: [year|tet|hung_kings]}]
 * for the local years of @starts whose holiday calendar lacks something. */
void sched_booking_add_holiday_years (SchedCore *core, JsonBuilder *b, GArray *starts);
/* POST /api/v1/meetings/preview: {occurrences: [{start, end, holiday,
 * provisional, conflicts}], bookable, incomplete_holiday_years}; the rules
 * of sched_booking_validate() apply; nothing is written. */
JsonNode *sched_booking_preview (SchedCore *core, const SchedPrincipal *who, JsonObject *request,
                                 GError **error);
JsonNode *sched_booking_create (SchedCore *core, const SchedPrincipal *who, JsonObject *request,
                                JsonObject **extra, GError **error);

/* PATCH /api/v1/meetings/ID; @if_match < 0: no If-Match header. */
/* Which occurrences of a series a change or cancellation covers. */
typedef enum
{
  SCHED_BOOKING_SCOPE_THIS,      /* the one meeting */
  SCHED_BOOKING_SCOPE_FOLLOWING, /* it and the later scheduled ones of its series */
  SCHED_BOOKING_SCOPE_SERIES,    /* every scheduled one not started yet, and it */
} SchedBookingScope;

/* PATCH with ?scope=following|series: the request applied to each
 * occurrence in one transaction — its members as they are, the times moved
 * as this occurrence's were, with its length; any refusal (a conflict of
 * one occurrence: 409 with its conflicts and slots) changes nothing. The
 * answer is this meeting plus "changed": [ids]. (sched-booking-change.c) */
JsonNode *sched_booking_patch_scope (SchedCore *core, const SchedPrincipal *who, gint64 id,
                                     gint64 if_match, SchedBookingScope scope, JsonObject *request,
                                     JsonObject **extra, GError **error);
/* DELETE with ?scope=following|series: each occurrence cancelled. */
JsonNode *sched_booking_cancel_scope (SchedCore *core, const SchedPrincipal *who, gint64 id,
                                      gint64 if_match, SchedBookingScope scope, GError **error);
JsonNode *sched_booking_patch (SchedCore *core, const SchedPrincipal *who, gint64 id,
                               gint64 if_match, JsonObject *request, JsonObject **extra,
                               GError **error);
/* DELETE /api/v1/meetings/ID: marks it cancelled. */
JsonNode *sched_booking_cancel (SchedCore *core, const SchedPrincipal *who, gint64 id,
                                gint64 if_match, GError **error);
/* POST /api/v1/meetings/ID/extend {minutes}. */
JsonNode *sched_booking_extend (SchedCore *core, const SchedPrincipal *who, gint64 id,
                                JsonObject *request, JsonObject **extra, GError **error);
/* POST /api/v1/meetings/ID/end. */
JsonNode *sched_booking_end (SchedCore *core, const SchedPrincipal *who, gint64 id, GError **error);

/* ---- shared by the above (sched-booking-check.c) ---- */

/* Conflicts: sched_meeting_room_find_conflicts() (sched-model-meeting-room.h). */

/* The bridge's capacity over a new meeting's time. The limits are the
 * bridge's own (GET /capacity, SchedContext.bridge_max_*), or [bridge]
 * capacity for participants until the bridge has answered. */
typedef struct
{
  gboolean ok;
  const gchar *resource; /* when !ok: "rooms" (max_rooms) or "participants" */
  gint limit;            /* of that resource */
  gint peak;             /* most of it in use at once, the new meeting included */
  gint64 at;             /* the first instant it would be exceeded */
  const gchar *site;     /* the bridge site that is full (sched-sites.h), NULL: the bridge */
} SchedCapacity;

/* Whether one more meeting (a bridge room) with @n_rooms rooms (its
 * participants) during [start, end) stays within the bridge's limits,
 * meeting @exclude_id and the meetings in @freed (gint64 ids, may be NULL:
 * those about to be displaced) left out. */
gboolean sched_booking_check_capacity (SchedCore *core, guint n_rooms, gint64 start, gint64 end,
                                       gint64 exclude_id, GArray *freed, SchedCapacity *out,
                                       GError **error);
/* The same for each bridge site the meeting with @endpoints (gchar*) and
 * @chair needs (sched-booking-sites.c); always ok with one site. */
gboolean sched_booking_check_site_capacity (SchedCore *core, GPtrArray *endpoints,
                                            const gchar *chair, gint64 start, gint64 end,
                                            gint64 exclude_id, GArray *freed, SchedCapacity *out,
                                            GError **error);
/* Sets @error (SCHED_ERROR_CONFLICT, naming the limit) and adds
 * "capacity": {resource, setting, limit, peak} to @extra. */
void sched_booking_capacity_refuse (const SchedCapacity *capacity, JsonObject *extra,
                                    GError **error);
/* Up to @n free slots of length @duration for all of @endpoints from
 * @from, inside working hours on working days; added as an array. */
void sched_booking_add_suggestions (SchedCore *core, JsonBuilder *b, GPtrArray *endpoints,
                                    gint64 from, gint64 duration, gint64 exclude_id, guint n);
/* {conflicts[], suggestions[]} for a refused booking. */
JsonObject *sched_booking_conflict_extra (SchedCore *core, GPtrArray *conflicts,
                                          GPtrArray *endpoints, gint64 start, gint64 end,
                                          gint64 exclude_id);
/* Inserts a meeting row and its rooms (no rule is checked), and sets
 * invited_count. @imported: a past meeting, status "ended" (then
 * ended_at = @end), else "scheduled". Runs inside the caller's
 * transaction. */
gboolean sched_booking_insert (SchedDb *db, const SchedMeetingSpec *spec, gint64 series_id,
                               gint64 start, gint64 end, const gchar *actor, gint64 now,
                               gboolean imported, gint64 *id, GError **error);
/* JSON audit detail describing @spec at [start, end). */
JsonNode *sched_booking_describe (const SchedMeetingSpec *spec, gint64 start, gint64 end);

/* ---- transactions and group commit (sched-booking-batch.c) ---- */

/* BEGIN IMMEDIATE … COMMIT, or, inside an open batch, SAVEPOINT … RELEASE. */
gboolean sched_booking_tx_begin (SchedCore *core, GError **error);
gboolean sched_booking_tx_commit (SchedCore *core, GError **error);
void sched_booking_tx_rollback (SchedCore *core);
/* After a commit: tells the other parts about @changes now, or, inside
 * an open batch, once the batch has committed (every room once per
 * batch). Empties @changes. */
void sched_booking_notify (SchedCore *core, SchedChangeSet *changes);

/* POST /api/v1/meetings through the group commit: the message is paused
 * and answered after the batch that holds it has committed (or failed). */
void sched_booking_enqueue (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                            JsonNode *root);
/* Answers everything still queued with 503 and drops the batch source. */
void sched_booking_batch_shutdown (SchedCore *core);

/* ---- quotas (sched-booking-quota.c) ---- */

/* [limits] max_days_ahead: INVALID naming @field when @start lies further
 * ahead of @now. */
gboolean sched_booking_check_horizon (SchedCore *core, gint64 start, gint64 now, const gchar *field,
                                      GError **error);

/* Room-hours of one unit per local day and week ([limits]
 * unit_room_hours_per_day / _per_week). NULL (and every call below a no-op
 * that succeeds) when @who is an admin or both limits are 0. */
typedef struct _SchedBookingQuota SchedBookingQuota;
SchedBookingQuota *sched_booking_quota_new (SchedCore *core, const SchedPrincipal *who,
                                            const gchar *unit);
void sched_booking_quota_free (SchedBookingQuota *quota);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedBookingQuota, sched_booking_quota_free)
/* Adds @n_rooms rooms during [start, end) to the days and weeks it overlaps. */
void sched_booking_quota_add (SchedBookingQuota *quota, gint64 start, gint64 end, guint n_rooms);
/* Whether what was added, alone, stays within the limits: before anything
 * is written. INVALID naming the limit, *extra = {"limit": {…}}, when not. */
gboolean sched_booking_quota_check_request (SchedBookingQuota *quota, JsonObject **extra,
                                            GError **error);
/* Whether the unit's stored bookings (the ones just written included) stay
 * within the limits in every day and week that what was added overlaps.
 * Inside the booking's transaction. */
gboolean sched_booking_quota_check_stored (SchedBookingQuota *quota, JsonObject **extra,
                                           GError **error);

G_END_DECLS
