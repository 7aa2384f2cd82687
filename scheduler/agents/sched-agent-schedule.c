/* sched-agent-schedule.c — builds the schedule message of one room agent
 * (docs/protocol.md §4) and the join tokens it carries (§1). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-agent-schedule.h"
#include "sched-http.h"
#include "sched-model-meeting-room.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <string.h>

#define SCHEDULE_MAX_MEETINGS 50
#define SCHEDULE_HORIZON_SECONDS (14 * 24 * 3600)

gchar *
sched_agent_signal_url (const SchedSettings *settings, gint64 meeting_id)
{
  const gchar *base = settings->bridge_url;
  g_autofree gchar *trimmed = NULL;
  const gchar *scheme = "ws://";
  const gchar *rest;

  if (base == NULL || *base == '\0')
    return NULL;
  if (g_str_has_prefix (base, "https://"))
    {
      scheme = "wss://";
      rest = base + strlen ("https://");
    }
  else if (g_str_has_prefix (base, "http://"))
    rest = base + strlen ("http://");
  else
    rest = base;
  trimmed = g_strdup (rest);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  return g_strdup_printf ("%s%s/rooms/%" G_GINT64_FORMAT "/signal", scheme, trimmed, meeting_id);
}

gchar *
sched_agent_join_token (const SchedSettings *settings, gint64 meeting_id, const gchar *endpoint,
                        const gchar *name, const gchar *chair, gboolean guest, gint64 expires,
                        gint64 now)
{
  g_autofree gchar *meeting = g_strdup_printf ("%" G_GINT64_FORMAT, meeting_id);
  VcJwtClaims claims = {
    .meeting = meeting,
    .endpoint = (gchar *)endpoint,
    .name = (gchar *)name,
    .chair = (gchar *)chair,
    .guest = guest,
    .exp = expires,
    .iat = now,
  };

  if (settings->bridge_secret == NULL || *settings->bridge_secret == '\0')
    return NULL;
  return vc_jwt_sign (&claims, settings->bridge_secret);
}

JsonNode *
sched_agent_schedule_build (SchedContext *ctx, const gchar *endpoint, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) entries = sched_meeting_room_list_schedule (
      ctx->db, endpoint, now, now + SCHEDULE_HORIZON_SECONDS, SCHEDULE_MAX_MEETINGS, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (entries == NULL)
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "schedule");
  json_builder_set_member_name (b, "endpoint");
  json_builder_add_string_value (b, endpoint);
  sched_json_add_time (b, "generated_at", now);
  json_builder_set_member_name (b, "meetings");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      const SchedScheduleEntry *e = g_ptr_array_index (entries, i);
      gint64 expires = e->end + ctx->settings->join_token_margin_seconds;
      g_autofree gchar *url = sched_agent_signal_url (ctx->settings, e->id);
      g_autofree gchar *token = sched_agent_join_token (
          ctx->settings, e->id, endpoint, e->room_name, e->chair, FALSE, expires, now);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, e->id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, e->title);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, e->unit);
      json_builder_set_member_name (b, "unit_name");
      json_builder_add_string_value (b, e->unit_name);
      json_builder_set_member_name (b, "chair");
      json_builder_add_string_value (b, e->chair);
      sched_json_add_time (b, "start", e->start);
      sched_json_add_time (b, "end", e->end);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, e->status);
      json_builder_set_member_name (b, "signal_url");
      if (url)
        json_builder_add_string_value (b, url);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "join_token");
      if (token)
        json_builder_add_string_value (b, token);
      else
        json_builder_add_null_value (b);
      sched_json_add_time (b, "token_expires", expires);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
