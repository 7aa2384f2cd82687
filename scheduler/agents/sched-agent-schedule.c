/* sched-agent-schedule.c — fills the schedule message of one room agent
 * (docs/protocol.md §4) from the database, with the join tokens it carries
 * (§1); proto/vc-agent-wire.c writes it. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-agent-schedule.h"
#include "sched-bridge-sites.h"
#include "sched-http.h"
#include "sched-sites.h"
#include "sched-model-meeting-room.h"
#include "vc-jwt.h"
#include "vc-time.h"

#include <string.h>

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

gchar *
sched_agent_schedule_build (SchedContext *ctx, const gchar *endpoint, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) entries = sched_meeting_room_list_schedule (
      ctx->db, endpoint, now, now + VC_AGENT_WIRE_SCHEDULE_HORIZON_SECONDS,
      VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS, error);
  g_autoptr (VcAgentWireSchedule) schedule = vc_agent_wire_schedule_new ();
  g_autofree gchar *home = sched_bridge_site_of_room (ctx, endpoint);
  SchedSite site;

  if (entries == NULL)
    return NULL;
  schedule->endpoint = g_strdup (endpoint);
  schedule->generated_at = now;
  for (guint i = 0; i < entries->len; i++)
    {
      const SchedScheduleEntry *e = g_ptr_array_index (entries, i);
      VcAgentWireMeeting *m = vc_agent_wire_meeting_new ();

      m->id = e->id;
      m->title = g_strdup (e->title);
      m->unit = g_strdup (e->unit);
      m->unit_name = g_strdup (e->unit_name);
      m->chair = g_strdup (e->chair);
      m->start = e->start;
      m->end = e->end;
      m->status = g_strdup (e->status);
      m->token_expires = e->end + ctx->settings->join_token_margin_seconds;
      /* Each room joins its own site's bridge, with that site's secret. */
      if (sched_sites_is_multi (ctx->settings) && sched_sites_lookup (ctx->settings, home, &site))
        {
          g_autofree gchar *meeting = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);
          VcJwtClaims claims = {
            .meeting = meeting,
            .endpoint = (gchar *)endpoint,
            .name = e->room_name,
            .chair = e->chair,
            .exp = m->token_expires,
            .iat = now,
          };

          m->signal_url = sched_site_signal_url (&site, e->id);
          m->join_token = site.secret ? vc_jwt_sign (&claims, site.secret) : NULL;
        }
      else
        {
          m->signal_url = sched_agent_signal_url (ctx->settings, e->id);
          m->join_token = sched_agent_join_token (ctx->settings, e->id, endpoint, e->room_name,
                                                  e->chair, FALSE, m->token_expires, now);
        }
      g_ptr_array_add (schedule->meetings, m);
    }
  return vc_agent_wire_schedule_build (schedule, FALSE);
}
