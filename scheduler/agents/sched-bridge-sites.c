/* sched-bridge-sites.c — one site's share of a meeting; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-bridge-sites.h"
#include "sched-model-meeting-room.h"
#include "sched-model-room-site.h"
#include "sched-sites.h"
#include "vc-jwt.h"
#include "vc-time.h"

void
sched_bridge_site_plan_free (SchedBridgeSitePlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->locals, g_ptr_array_unref);
  g_clear_pointer (&plan->links, g_ptr_array_unref);
  g_clear_pointer (&plan->all, g_ptr_array_unref);
  g_free (plan->parent);
  g_free (plan);
}

gchar *
sched_bridge_site_of_room (SchedContext *ctx, const gchar *code)
{
  const SchedSettings *s = ctx->settings;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *site = NULL;

  if (!sched_sites_is_multi (s))
    return g_strdup (sched_sites_default_code (s));
  if (!sched_room_site_get (ctx->db, code, &site, &error))
    g_warning ("bridge: %s", error->message);
  if (site != NULL && !sched_sites_exists (s, site))
    {
      g_warning ("bridge: room %s is homed on site '%s', which is not configured;"
                 " using the default site",
                 code, site);
      g_clear_pointer (&site, g_free);
    }
  return site ? g_steal_pointer (&site) : g_strdup (sched_sites_default_code (s));
}

SchedBridgeSitePlan *
sched_bridge_site_plan (SchedContext *ctx, const gchar *site, const SchedMeeting *meeting,
                        GError **error)
{
  const SchedSettings *s = ctx->settings;
  g_autoptr (SchedBridgeSitePlan) plan = g_new0 (SchedBridgeSitePlan, 1);
  g_autoptr (GHashTable) tree = NULL;
  g_autoptr (GStrvBuilder) sites = g_strv_builder_new ();
  g_auto (GStrv) site_list = NULL;
  g_autofree gchar *root = NULL;
  g_autoptr (GPtrArray) homes = g_ptr_array_new_with_free_func (g_free);
  const gchar *here = site ? site : sched_sites_default_code (s);
  const gchar *parent;
  GHashTableIter iter;
  gpointer key, value;

  plan->all = sched_meeting_room_list_participants (ctx->db, meeting->id, error);
  if (plan->all == NULL)
    return NULL;
  plan->locals = g_ptr_array_new ();
  plan->links = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < plan->all->len; i++)
    {
      const SchedParticipant *p = g_ptr_array_index (plan->all, i);
      gchar *home = sched_bridge_site_of_room (ctx, p->code);

      g_ptr_array_add (homes, home);
      g_strv_builder_add (sites, home);
      if (g_str_equal (home, here))
        g_ptr_array_add (plan->locals, (gpointer)p);
    }
  if (!sched_sites_is_multi (s))
    {
      plan->wanted = TRUE;
      return g_steal_pointer (&plan);
    }
  root = meeting->chair ? sched_bridge_site_of_room (ctx, meeting->chair)
                        : g_strdup (sched_sites_default_code (s));
  site_list = g_strv_builder_end (sites);
  tree = sched_sites_meeting_tree (s, root, (const gchar *const *)site_list);
  parent = g_hash_table_lookup (tree, here);
  plan->wanted = parent != NULL;
  if (!plan->wanted)
    return g_steal_pointer (&plan);
  plan->parent = *parent ? g_strdup (parent) : NULL;
  g_hash_table_iter_init (&iter, tree);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_equal (value, here))
      g_ptr_array_add (plan->links, g_strdup (key));
  g_ptr_array_sort (plan->links, (GCompareFunc)g_strcmp0);
  return g_steal_pointer (&plan);
}

JsonNode *
sched_bridge_site_uplink_body (SchedContext *ctx, const gchar *child, const gchar *parent,
                               const SchedMeeting *meeting)
{
  g_autofree gchar *meeting_text = g_strdup_printf ("%" G_GINT64_FORMAT, meeting->id);
  g_autofree gchar *endpoint = sched_site_link_endpoint (child);
  g_autofree gchar *signal = NULL, *token = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  SchedSite site;
  VcJwtClaims claims = {
    .meeting = meeting_text,
    .endpoint = endpoint,
    .name = (gchar *)child,
    .chair = meeting->chair,
    .link = TRUE,
    .exp = meeting->end + ctx->settings->join_token_margin_seconds,
    .iat = vc_time_now (),
  };

  if (!sched_sites_lookup (ctx->settings, parent, &site) || site.secret == NULL)
    return NULL;
  signal = sched_site_signal_url (&site, meeting->id);
  if (signal == NULL)
    return NULL;
  token = vc_jwt_sign (&claims, site.secret);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "signal_url");
  json_builder_add_string_value (b, signal);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
