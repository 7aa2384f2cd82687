/* sched-holiday-admin.c — holidays entered through the API; see the
 * header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-holiday-admin.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-audit.h"

#include <stdio.h>
#include <string.h>

/* "YYYY-MM-DD", a real date of 2000–2099, into @out. */
static gboolean
holiday_parse_day (const gchar *text, GDate *out)
{
  guint y, m, d;
  gchar extra;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-'
      || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3)
    return FALSE;
  if (y < 2000 || y > 2099 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

gboolean
sched_holiday_calendar_reload (SchedCore *core, GError **error)
{
  g_autoptr (GPtrArray) entries = sched_holiday_entry_list (core->ctx->db, error);
  g_autoptr (SchedHolidays) calendar = NULL;

  if (entries == NULL)
    return FALSE;
  calendar
      = core->holidays_file ? sched_holidays_copy (core->holidays_file) : sched_holidays_new ();
  for (guint i = 0; i < entries->len; i++)
    {
      const SchedHolidayEntry *e = entries->pdata[i];
      GDate first, last;
      /* Checked when written; a row edited by hand into nonsense is left
       * out with a warning rather than stopping the scheduler. */
      if (!holiday_parse_day (e->first_day, &first) || !holiday_parse_day (e->last_day, &last)
          || g_date_compare (&first, &last) > 0)
        {
          g_warning ("holiday %" G_GINT64_FORMAT ": bad dates %s..%s, ignored", e->id, e->first_day,
                     e->last_day);
          continue;
        }
      sched_holidays_add_entry (calendar, &first, &last, e->name, e->name_en, !e->official, e->id);
    }
  g_clear_pointer (&core->holidays, sched_holidays_free);
  core->holidays = g_steal_pointer (&calendar);
  return TRUE;
}

/* A name member: a string of 1 to SCHED_HOLIDAY_NAME_MAX_CHARS characters
 * once trimmed (or null when @nullable). */
static gboolean
holiday_read_name (JsonObject *body, const gchar *field, gboolean nullable, gchar **out,
                   GError **error)
{
  JsonNode *node = json_object_get_member (body, field);
  g_autofree gchar *text = NULL;

  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (out, g_free);
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "must be a string%s",
                             nullable ? " or null" : "");
      return FALSE;
    }
  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0' && nullable)
    {
      g_clear_pointer (out, g_free);
      return TRUE;
    }
  if (*text == '\0' || g_utf8_strlen (text, -1) > SCHED_HOLIDAY_NAME_MAX_CHARS)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "must be 1 to %d characters",
                             SCHED_HOLIDAY_NAME_MAX_CHARS);
      return FALSE;
    }
  g_free (*out);
  *out = g_steal_pointer (&text);
  return TRUE;
}

/* Applies the members of @body to @e (those absent keep their value;
 * "end" absent on a create is the start day) and checks the result. */
static gboolean
holiday_apply (SchedHolidayEntry *e, JsonObject *body, gboolean create, GError **error)
{
  GDate first, last;

  if (json_object_has_member (body, "start") || create)
    {
      const gchar *text = sched_json_get_string (body, "start", TRUE, error);
      if (text == NULL)
        return FALSE;
      if (!holiday_parse_day (text, &first))
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, "start",
                                 "must be a date YYYY-MM-DD of 2000 to 2099");
          return FALSE;
        }
      g_free (e->first_day);
      e->first_day = g_strdup (text);
      if (create && !json_object_has_member (body, "end"))
        {
          g_free (e->last_day);
          e->last_day = g_strdup (text);
        }
    }
  if (json_object_has_member (body, "end"))
    {
      const gchar *text = sched_json_get_string (body, "end", TRUE, error);
      if (text == NULL)
        return FALSE;
      if (!holiday_parse_day (text, &last))
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, "end",
                                 "must be a date YYYY-MM-DD of 2000 to 2099");
          return FALSE;
        }
      g_free (e->last_day);
      e->last_day = g_strdup (text);
    }
  if ((json_object_has_member (body, "name") || create)
      && !holiday_read_name (body, "name", FALSE, &e->name, error))
    return FALSE;
  if (json_object_has_member (body, "name_en")
      && !holiday_read_name (body, "name_en", TRUE, &e->name_en, error))
    return FALSE;
  if (json_object_has_member (body, "official")
      && !sched_json_get_bool (body, "official", TRUE, &e->official, error))
    return FALSE;

  g_assert (holiday_parse_day (e->first_day, &first) && holiday_parse_day (e->last_day, &last));
  if (g_date_compare (&first, &last) > 0)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "end", "holiday_reversed",
                              "is before the start (%s)", e->first_day);
      return FALSE;
    }
  if (g_date_days_between (&first, &last) >= SCHED_HOLIDAY_MAX_DAYS)
    {
      sched_error_set_reason (error, SCHED_ERROR_INVALID, "end", "holiday_too_long",
                              "a holiday is at most %d days long", SCHED_HOLIDAY_MAX_DAYS);
      return FALSE;
    }
  return TRUE;
}

/* CONFLICT when another entry than @e has a day in @e's range. */
static gboolean
holiday_check_overlap (SchedCore *core, const SchedHolidayEntry *e, GError **error)
{
  g_autoptr (GPtrArray) others
      = sched_holiday_entry_list_between (core->ctx->db, e->first_day, e->last_day, error);

  if (others == NULL)
    return FALSE;
  for (guint i = 0; i < others->len; i++)
    {
      const SchedHolidayEntry *o = others->pdata[i];
      if (o->id == e->id)
        continue;
      sched_error_set_reason (error, SCHED_ERROR_CONFLICT, "start", "holiday_overlap",
                              "overlaps holiday %" G_GINT64_FORMAT " (%s, %s..%s)", o->id, o->name,
                              o->first_day, o->last_day);
      return FALSE;
    }
  return TRUE;
}

/* Audits @action with @before and/or @after, commits, reloads. */
static gboolean
holiday_finish (SchedCore *core, const gchar *action, const SchedHolidayEntry *before,
                const SchedHolidayEntry *after, const gchar *actor, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) detail = NULL;
  g_autoptr (GError) local = NULL;

  json_builder_begin_object (b);
  if (before)
    {
      json_builder_set_member_name (b, "before");
      json_builder_add_value (b, sched_holiday_entry_to_node (before));
    }
  if (after)
    {
      json_builder_set_member_name (b, "after");
      json_builder_add_value (b, sched_holiday_entry_to_node (after));
    }
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (!sched_audit_record (core->ctx->db, sched_core_now (core), actor, action, 0, detail, error)
      || !sched_db_commit (core->ctx->db, error))
    return FALSE;
  /* Committed: the calendar follows now. Only a read of the database can
   * fail here; the entry is stored and the next change reloads it. */
  if (!sched_holiday_calendar_reload (core, &local))
    g_warning ("holidays: %s committed but not reloaded: %s", action, local->message);
  g_message ("holiday %" G_GINT64_FORMAT " %s by %s", after ? after->id : before->id, action,
             actor);
  return TRUE;
}

SchedHolidayEntry *
sched_holiday_admin_create (SchedCore *core, JsonObject *body, const gchar *actor, GError **error)
{
  g_autoptr (SchedHolidayEntry) e = g_new0 (SchedHolidayEntry, 1);

  e->official = TRUE;
  if (!holiday_apply (e, body, TRUE, error))
    return NULL;
  e->updated_by = g_strdup (actor);
  e->updated_at = sched_core_now (core);
  if (!sched_db_begin_immediate (core->ctx->db, error))
    return NULL;
  if (!holiday_check_overlap (core, e, error)
      || !sched_holiday_entry_insert (core->ctx->db, e, &e->id, error)
      || !holiday_finish (core, "holiday_created", NULL, e, actor, error))
    {
      sched_db_rollback (core->ctx->db);
      return NULL;
    }
  return g_steal_pointer (&e);
}

SchedHolidayEntry *
sched_holiday_admin_change (SchedCore *core, gint64 id, JsonObject *body, const gchar *actor,
                            GError **error)
{
  g_autoptr (SchedHolidayEntry) before = NULL;
  g_autoptr (SchedHolidayEntry) e = NULL;

  if (!sched_db_begin_immediate (core->ctx->db, error))
    return NULL;
  before = sched_holiday_entry_get (core->ctx->db, id, error);
  if (before == NULL)
    goto fail;
  e = sched_holiday_entry_get (core->ctx->db, id, error);
  if (e == NULL || !holiday_apply (e, body, FALSE, error))
    goto fail;
  g_free (e->updated_by);
  e->updated_by = g_strdup (actor);
  e->updated_at = sched_core_now (core);
  if (!holiday_check_overlap (core, e, error)
      || !sched_holiday_entry_update (core->ctx->db, e, error)
      || !holiday_finish (core, "holiday_changed", before, e, actor, error))
    goto fail;
  return g_steal_pointer (&e);

fail:
  sched_db_rollback (core->ctx->db);
  return NULL;
}

SchedHolidayEntry *
sched_holiday_admin_delete (SchedCore *core, gint64 id, const gchar *actor, GError **error)
{
  g_autoptr (SchedHolidayEntry) before = NULL;

  if (!sched_db_begin_immediate (core->ctx->db, error))
    return NULL;
  before = sched_holiday_entry_get (core->ctx->db, id, error);
  if (before == NULL || !sched_holiday_entry_delete (core->ctx->db, id, error)
      || !holiday_finish (core, "holiday_deleted", before, NULL, actor, error))
    {
      sched_db_rollback (core->ctx->db);
      return NULL;
    }
  return g_steal_pointer (&before);
}
