/* sched-api-roster.c — units, endpoint rooms (admin CRUD, presence from
 * the agent hub), /api/v1/me, and the two bulk writes: attendance events
 * from the rooms and history import. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-api.h"

#include "sched-attendance.h"
#include "sched-booking.h"
#include "sched-error.h"
#include "sched-history.h"
#include "sched-http.h"
#include "sched-model-audit.h"
#include "sched-model-room.h"
#include "sched-model-roster-change.h"
#include "sched-model-unit.h"
#include "sched-roster.h"

/* The period and successor of a unit or room: valid_from/valid_to as
 * RFC 3339 or null (always / still valid). */
static void
roster_add_period (JsonBuilder *b, gint64 valid_from, gint64 valid_to, const gchar *successor)
{
  if (valid_from)
    sched_json_add_time (b, "valid_from", valid_from);
  else
    {
      json_builder_set_member_name (b, "valid_from");
      json_builder_add_null_value (b);
    }
  if (valid_to)
    sched_json_add_time (b, "valid_to", valid_to);
  else
    {
      json_builder_set_member_name (b, "valid_to");
      json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "successor");
  if (successor)
    json_builder_add_string_value (b, successor);
  else
    json_builder_add_null_value (b);
}

static void roster_add_text (JsonBuilder *b, const gchar *name, const gchar *value);

/* ?at=DATE (or RFC 3339 time): only what is valid then; *at = 0 without. */
static gboolean
roster_query_at (SchedCore *core, GHashTable *query, gint64 *at, GError **error)
{
  return sched_http_query_time (query, "at", core->ctx->tz, 0, at, error);
}

static void
roster_units (SchedCore *core, SoupServerMessage *msg, GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) units = NULL;
  gint64 at = 0;

  if (!roster_query_at (core, query, &at, &error)
      || !(units = sched_unit_list (core->ctx->db, &error)))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; i < units->len; i++)
    {
      const SchedUnit *unit = g_ptr_array_index (units, i);
      if (at && !sched_unit_is_valid_at (unit, at))
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, unit->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, unit->name);
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, unit->priority);
      roster_add_text (b, "level", unit->level);
      roster_add_text (b, "parent", unit->parent);
      roster_add_period (b, unit->valid_from, unit->valid_to, unit->successor);
      json_builder_set_member_name (b, "record_default");
      if (unit->record_default >= 0)
        json_builder_add_boolean_value (b, unit->record_default == 1);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* for the booking form: what "record" is when neither says */
  json_builder_set_member_name (b, "record_default");
  json_builder_add_boolean_value (b, core->ctx->settings->recordings_default_record);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

/* GET /api/v1/units/CODE/history, /api/v1/endpoints/CODE/history: the
 * period, successor and every change of the unit or room, oldest first. */
static void
roster_history (SchedCore *core, SoupServerMessage *msg, gboolean is_room, const gchar *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (SchedUnit) unit = is_room ? NULL : sched_unit_get (core->ctx->db, code, &error);
  g_autoptr (SchedRoom) room = is_room ? sched_room_get (core->ctx->db, code, &error) : NULL;
  g_autoptr (GPtrArray) changes = NULL;

  if ((unit == NULL && room == NULL)
      || !(changes
           = sched_roster_change_list (core->ctx->db, is_room ? "endpoint" : "unit", code, &error)))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  roster_add_text (b, "code", code);
  roster_add_text (b, "name", unit ? unit->name : room->name);
  roster_add_text (b, "level", unit ? unit->level : room->level);
  roster_add_text (b, "parent", unit ? unit->parent : room->parent);
  if (room)
    roster_add_text (b, "unit", room->unit);
  if (unit)
    roster_add_period (b, unit->valid_from, unit->valid_to, unit->successor);
  else
    roster_add_period (b, room->valid_from, room->valid_to, room->successor);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < changes->len; i++)
    {
      const SchedRosterChange *c = changes->pdata[i];
      json_builder_begin_object (b);
      sched_json_add_time (b, "at", c->at);
      roster_add_text (b, "change", c->change);
      roster_add_text (b, "old", c->old_value);
      roster_add_text (b, "new", c->new_value);
      json_builder_set_member_name (b, "reorganisation");
      if (c->reorganisation_id)
        json_builder_add_int_value (b, c->reorganisation_id);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

static void
roster_add_text (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* One room (code, name, level, unit, parent) plus presence. */
static void
roster_endpoint_to_json (SchedCore *core, const SchedRoom *room, JsonBuilder *b)
{
  SchedPresence p = { 0 };
  const gchar *code = room->code;
  gboolean known = core->ctx->get_presence && core->ctx->get_presence (core->ctx, code, &p);

  json_builder_begin_object (b);
  roster_add_text (b, "code", code);
  roster_add_text (b, "name", room->name);
  roster_add_text (b, "level", room->level);
  roster_add_text (b, "unit", room->unit);
  roster_add_text (b, "parent", room->parent);
  roster_add_period (b, room->valid_from, room->valid_to, room->successor);
  json_builder_set_member_name (b, "online");
  json_builder_add_boolean_value (b, known && p.online);
  json_builder_set_member_name (b, "in_meeting");
  json_builder_add_boolean_value (b, known && g_strcmp0 (p.state, "in_meeting") == 0);
  roster_add_text (b, "state", known && p.online ? p.state : NULL);
  json_builder_set_member_name (b, "meeting");
  if (known && p.meeting_id > 0)
    json_builder_add_int_value (b, p.meeting_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "ready");
  json_builder_add_boolean_value (b, known && p.ready_known && p.ready);
  roster_add_text (b, "ready_reason", known && p.ready_known ? p.ready_reason : NULL);
  json_builder_end_object (b);
}

static void
roster_endpoints_list (SchedCore *core, SoupServerMessage *msg, GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) rooms = NULL;
  gint64 at = 0;

  if (!roster_query_at (core, query, &at, &error)
      || !(rooms = sched_room_list (core->ctx->db, SCHED_ROOM_ORDER_LEVEL, &error)))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < rooms->len; i++)
    if (at == 0 || sched_room_is_valid_at (g_ptr_array_index (rooms, i), at))
      roster_endpoint_to_json (core, g_ptr_array_index (rooms, i), b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

/* Replies with endpoint @code (200/201) or 404. */
static void
roster_endpoint_reply (SchedCore *core, SoupServerMessage *msg, const gchar *code, guint status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (SchedRoom) room = sched_room_get (core->ctx->db, code, &error);

  if (room == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  roster_endpoint_to_json (core, room, b);
  sched_http_reply_builder (msg, status, b);
}

/* Checks name/level/unit/parent of a POST or PATCH body. */
static gboolean
roster_check_fields (SchedCore *core, const gchar *code, const gchar *name, const gchar *level,
                     const gchar *unit, const gchar *parent, GError **error)
{
  gboolean exists = FALSE;

  if (name && (*name == '\0' || g_utf8_strlen (name, -1) > 200))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "name", "must be 1 to 200 characters");
      return FALSE;
    }
  if (level && !sched_roster_level_is_valid (level))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "level",
                             "must be central, province, district, department or commune");
      return FALSE;
    }
  if (unit && *unit)
    {
      if (!sched_unit_exists (core->ctx->db, unit, &exists, error))
        return FALSE;
      if (!exists)
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, "unit", "no unit '%s'", unit);
          return FALSE;
        }
    }
  if (parent && *parent)
    {
      if (g_strcmp0 (parent, code) == 0
          || !sched_room_exists (core->ctx->db, parent, FALSE, &exists, error) || !exists)
        {
          if (error && *error == NULL)
            sched_error_set_field (error, SCHED_ERROR_INVALID, "parent", "no other room '%s'",
                                   parent);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
roster_audit (SchedCore *core, const SchedPrincipal *who, const gchar *action, JsonObject *body,
              GError **error)
{
  g_autofree gchar *actor = sched_principal_describe (who);
  g_autoptr (JsonNode) detail = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (detail, body);
  return sched_audit_record (core->ctx->db, sched_core_now (core), actor, action, 0, detail, error);
}

static void
roster_endpoint_create (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = sched_http_read_json_object (core->ctx, msg, &root, &error);
  const gchar *code = NULL, *name = NULL, *level = NULL, *unit = NULL, *parent = NULL;
  gboolean exists = TRUE;

  if (o == NULL || !(code = sched_json_get_string (o, "code", TRUE, &error))
      || !(name = sched_json_get_string (o, "name", TRUE, &error))
      || !(level = sched_json_get_string (o, "level", TRUE, &error)))
    goto fail;
  unit = sched_json_get_string (o, "unit", FALSE, &error);
  parent = error ? NULL : sched_json_get_string (o, "parent", FALSE, &error);
  if (error)
    goto fail;
  if (!sched_roster_code_is_valid (code))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "code", "must be 1-64 of a-z, 0-9, '-'");
      goto fail;
    }
  if (!roster_check_fields (core, code, name, level, unit, parent, &error)
      || !sched_db_begin_immediate (core->ctx->db, &error))
    goto fail;
  if (!sched_room_exists (core->ctx->db, code, TRUE, &exists, &error))
    goto rollback;
  if (exists)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_CONFLICT,
                   "room '%s' exists (or existed: codes are never reused)", code);
      goto rollback;
    }
  SchedRoom room = {
    .code = (gchar *)code,
    .name = (gchar *)name,
    .level = (gchar *)level,
    .unit = (gchar *)(unit && *unit ? unit : NULL),
    .parent = (gchar *)(parent && *parent ? parent : NULL),
  };
  if (!sched_room_insert (core->ctx->db, &room, &error)
      || !roster_audit (core, who, "endpoint_created", json_object_ref (o), &error)
      || !sched_db_commit (core->ctx->db, &error))
    goto rollback;
  roster_endpoint_reply (core, msg, code, SOUP_STATUS_CREATED);
  return;

rollback:
  sched_db_rollback (core->ctx->db);
fail:
  sched_http_reply_error (msg, error);
}

/* Records in roster_changes, at @at, each attribute a PATCH changes, so that
 * the statistics keep a room's level (and name) at each meeting's date
 * (issue #16). Written before the room itself: the rollup's trigger on a
 * room's level reads it (schema v5, sched-db.c). */
static gboolean
roster_endpoint_record_changes (SchedDb *db, const SchedRoom *room, gint64 at, const gchar *name,
                                const gchar *level, const gchar *unit, const gchar *parent,
                                GError **error)
{
  const struct
  {
    const gchar *change, *old_value, *new_value;
  } fields[] = {
    { "name", room->name, name },
    { "level", room->level, level },
    { "unit", room->unit, unit && *unit ? unit : NULL },
    { "parent", room->parent, parent && *parent ? parent : NULL },
  };
  const gboolean given[] = { name != NULL, level != NULL, unit != NULL, parent != NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      SchedRosterChange c = {
        .at = at,
        .kind = (gchar *)"endpoint",
        .code = room->code,
        .change = (gchar *)fields[i].change,
        .old_value = (gchar *)fields[i].old_value,
        .new_value = (gchar *)fields[i].new_value,
      };
      if (!given[i] || g_strcmp0 (fields[i].old_value, fields[i].new_value) == 0)
        continue;
      if (!sched_roster_change_insert (db, &c, error))
        return FALSE;
    }
  return TRUE;
}

/* The optional "effective" of a PATCH: when the change took effect (a date
 * YYYY-MM-DD, local midnight, or an RFC 3339 time); now when absent. Not in
 * the future (a reorganisation file plans changes ahead), and not before
 * the room's last recorded change, so that its history stays in order. */
static gboolean
roster_patch_effective (SchedCore *core, JsonObject *o, const gchar *code, gint64 *at,
                        GError **error)
{
  const gchar *text = sched_json_get_string (o, "effective", FALSE, error);
  gint64 now = sched_core_now (core), last = 0;

  *at = now;
  if (text == NULL)
    return error == NULL || *error == NULL;
  if (!sched_http_parse_date_or_time (text, "effective", core->ctx->tz, at, error))
    return FALSE;
  if (*at > now)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "effective",
                             "must not be in the future (plan later changes with a "
                             "reorganisation file)");
      return FALSE;
    }
  if (!sched_roster_change_last_at (core->ctx->db, "endpoint", code, &last, error))
    return FALSE;
  if (*at < last)
    {
      g_autofree gchar *date = sched_roster_format_date (core->ctx->tz, last);
      sched_error_set_field (error, SCHED_ERROR_INVALID, "effective",
                             "must not be before the room's last recorded change (%s)", date);
      return FALSE;
    }
  return TRUE;
}

static void
roster_endpoint_patch (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                       const gchar *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SchedRoom) room = NULL;
  JsonObject *o = sched_http_read_json_object (core->ctx, msg, &root, &error);
  const gchar *name = NULL, *level = NULL, *unit = NULL, *parent = NULL;
  gint64 at = 0;

  if (o == NULL)
    goto fail;
  name = sched_json_get_string (o, "name", FALSE, &error);
  level = error ? NULL : sched_json_get_string (o, "level", FALSE, &error);
  unit = error ? NULL : sched_json_get_string (o, "unit", FALSE, &error);
  parent = error ? NULL : sched_json_get_string (o, "parent", FALSE, &error);
  if (error || !roster_check_fields (core, code, name, level, unit, parent, &error)
      || !sched_db_begin_immediate (core->ctx->db, &error))
    goto fail;
  room = sched_room_get (core->ctx->db, code, &error);
  if (room == NULL)
    goto rollback;
  if (!roster_patch_effective (core, o, code, &at, &error)
      || !roster_endpoint_record_changes (core->ctx->db, room, at, name, level, unit, parent,
                                          &error))
    goto rollback;
  /* An empty unit or parent clears it; an absent one keeps it. */
  if (!sched_room_update (core->ctx->db, code, name, level, unit, parent, &error)
      || !roster_audit (core, who, "endpoint_changed", json_object_ref (o), &error)
      || !sched_db_commit (core->ctx->db, &error))
    goto rollback;
  roster_endpoint_reply (core, msg, code, SOUP_STATUS_OK);
  return;

rollback:
  sched_db_rollback (core->ctx->db);
fail:
  sched_http_reply_error (msg, error);
}

static void
roster_endpoint_delete (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                        const gchar *code)
{
  g_autoptr (GError) error = NULL;
  SchedDb *db = core->ctx->db;
  gboolean exists = FALSE, busy = FALSE;

  if (!sched_db_begin_immediate (db, &error))
    goto fail;
  if (!sched_room_exists (db, code, FALSE, &exists, &error))
    goto rollback;
  if (!exists)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no room '%s'", code);
      goto rollback;
    }
  if (!sched_meeting_room_has_future (db, code, sched_core_now (core), &busy, &error))
    goto rollback;
  if (busy)
    {
      g_set_error (&error, SCHED_ERROR, SCHED_ERROR_CONFLICT,
                   "room '%s' is in meetings still to come; change or cancel them first", code);
      goto rollback;
    }
  {
    JsonObject *detail = json_object_new ();
    json_object_set_string_member (detail, "code", code);
    if (!sched_room_mark_deleted (db, code, &error)
        || !roster_audit (core, who, "endpoint_deleted", detail, &error)
        || !sched_db_commit (db, &error))
      goto rollback;
  }
  {
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "code");
    json_builder_add_string_value (b, code);
    json_builder_set_member_name (b, "deleted");
    json_builder_add_boolean_value (b, TRUE);
    json_builder_end_object (b);
    sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  }
  {
    g_autoptr (SchedChangeSet) changes = sched_change_set_new ();
    sched_change_set_add_room (changes, code);
    sched_booking_notify (core, changes);
  }
  return;

rollback:
  sched_db_rollback (db);
fail:
  sched_http_reply_error (msg, error);
}

/* main thread */
static void
on_endpoints_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                      GHashTable *query, gpointer user_data)
{
  SchedCore *core = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_auto (GStrv) seg = who ? sched_http_path_segments (path, "/api/v1/endpoints") : NULL;
  gboolean read = g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0;

  if (who == NULL
      || (read ? !sched_auth_can_read_all (who, &error) : !sched_auth_require_admin (who, &error)))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  if (seg[0] && seg[1] && g_strcmp0 (seg[1], "history") == 0 && !seg[2] && read)
    roster_history (core, msg, TRUE, seg[0]);
  else if (seg[0] && seg[1])
    sched_api_reply_not_found (msg, path);
  else if (seg[0] == NULL && read)
    roster_endpoints_list (core, msg, query);
  else if (seg[0] == NULL && g_strcmp0 (method, "POST") == 0)
    roster_endpoint_create (core, who, msg);
  else if (seg[0] == NULL)
    sched_api_reply_method_not_allowed (msg, "GET, POST");
  else if (read)
    roster_endpoint_reply (core, msg, seg[0], SOUP_STATUS_OK);
  else if (g_strcmp0 (method, "PATCH") == 0)
    roster_endpoint_patch (core, who, msg, seg[0]);
  else if (g_strcmp0 (method, "DELETE") == 0)
    roster_endpoint_delete (core, who, msg, seg[0]);
  else
    sched_api_reply_method_not_allowed (msg, "GET, PATCH, DELETE");
}

/* PATCH /api/v1/units/CODE {"record_default": true|false|null}: whether
 * the unit's new bookings are recorded when they do not say (null: as
 * [recordings] default_record). Admin, or the unit's own secretariat. */
static void
roster_unit_patch (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                   const gchar *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SchedUnit) unit = NULL;
  g_autofree gchar *actor = NULL;
  JsonObject *o;
  JsonNode *value;
  gint record = -1;

  if ((unit = sched_unit_get (core->ctx->db, code, &error)) == NULL
      || !sched_auth_can_book_for_unit (who, code, &error)
      || (o = sched_http_read_json_object (core->ctx, msg, &root, &error)) == NULL)
    goto fail;
  if ((value = json_object_get_member (o, "record_default")) == NULL
      || json_object_get_size (o) != 1)
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "record_default",
                             "is the one member a unit's change may have");
      goto fail;
    }
  if (!JSON_NODE_HOLDS_NULL (value))
    {
      gboolean on = FALSE;

      if (!sched_json_get_bool (o, "record_default", FALSE, &on, &error))
        goto fail;
      record = on ? 1 : 0;
    }
  actor = sched_principal_describe (who);
  if (!sched_db_begin_immediate (core->ctx->db, &error))
    goto fail;
  if (!sched_unit_set_record_default (core->ctx->db, code, record, &error)
      || !sched_audit_record (core->ctx->db, sched_core_now (core), actor, "unit_changed", 0, value,
                              &error)
      || !sched_db_commit (core->ctx->db, &error))
    {
      sched_db_rollback (core->ctx->db);
      goto fail;
    }
  roster_units (core, msg, NULL);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* main thread */
static void
on_units_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer user_data)
{
  SchedCore *core = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_auto (GStrv) seg = who ? sched_http_path_segments (path, "/api/v1/units") : NULL;
  gboolean history = seg && seg[0] && g_strcmp0 (seg[1], "history") == 0 && seg[2] == NULL;

  if (who == NULL || !sched_auth_can_read_all (who, &error))
    sched_http_reply_error (msg, error);
  else if (seg[0] && seg[1] == NULL
           && g_strcmp0 (soup_server_message_get_method (msg), "PATCH") == 0)
    roster_unit_patch (core, who, msg, seg[0]);
  else if (seg[0] && !history)
    sched_api_reply_not_found (msg, path);
  else if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    sched_api_reply_method_not_allowed (msg, "GET");
  else if (history)
    roster_history (core, msg, FALSE, seg[0]);
  else
    roster_units (core, msg, query);
}

/* main thread */
static void
on_me_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer user_data)
{
  SchedCore *core = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (who == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  roster_add_text (b, "role", sched_role_to_string (who->role));
  roster_add_text (b, "unit", who->unit);
  roster_add_text (b, "endpoint", who->endpoint);
  roster_add_text (b, "name", who->name);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

/* main thread */
static void
on_attendance_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                       GHashTable *query, gpointer user_data)
{
  SchedCore *core = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_autoptr (JsonNode) root = NULL;
  g_auto (VcAttendanceWireAnswer) answer = { 0 };
  g_autofree gchar *text = NULL;
  JsonObject *o;

  if (who && g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      sched_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (who == NULL || (o = sched_http_read_json_object (core->ctx, msg, &root, &error)) == NULL
      || !sched_attendance_ingest (core, who, o, &answer, &error))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  text = vc_attendance_wire_answer_build (&answer);
  sched_http_reply_text (msg, SOUP_STATUS_OK, "application/json; charset=utf-8", text, -1);
}

/* main thread */
static void
on_history_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer user_data)
{
  SchedCore *core = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *actor = NULL;
  gint64 imported = 0;
  JsonObject *o;

  if (who && g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      sched_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (who == NULL || !sched_auth_require_admin (who, &error)
      || (o = sched_http_read_json_object (core->ctx, msg, &root, &error)) == NULL
      || !sched_history_import (core, (actor = sched_principal_describe (who)), o, &imported,
                                &error))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, imported);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
}

void
sched_api_roster_register (SchedCore *core, SoupServer *server)
{
  soup_server_add_handler (server, "/api/v1/units", on_units_request, core, NULL);
  soup_server_add_handler (server, "/api/v1/endpoints", on_endpoints_request, core, NULL);
  soup_server_add_handler (server, "/api/v1/me", on_me_request, core, NULL);
  soup_server_add_handler (server, VC_ATTENDANCE_WIRE_PATH, on_attendance_request, core, NULL);
  soup_server_add_handler (server, "/api/v1/history", on_history_request, core, NULL);
}
