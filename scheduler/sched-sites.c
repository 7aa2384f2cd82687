/* sched-sites.c — the bridge sites and a meeting's tree of them; see the
 * header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-sites.h"
#include "sched-model-room-site.h"

#include <string.h>

#define SITE_GROUP_PREFIX "bridge:"
#define DEFAULT_SITE_CODE "province"

/* A site code appears in link endpoint codes: the roster's rule for codes,
 * 1-64 of a-z, 0-9, '-'. */
static gboolean
sites_code_is_valid (const gchar *code)
{
  gsize n = strlen (code);

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!(g_ascii_islower (code[i]) || g_ascii_isdigit (code[i]) || code[i] == '-'))
      return FALSE;
  return TRUE;
}

void
sched_site_free (SchedSite *site)
{
  if (site == NULL)
    return;
  g_free (site->code);
  g_free (site->url);
  g_free (site->signal_url);
  g_free (site->secret);
  g_free (site->parent);
  g_free (site);
}

static gboolean
sites_invalid (VcConfig *config, GError **error, const gchar *group, const gchar *key,
               const gchar *what)
{
  g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
               vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults",
               group, key, what);
  return FALSE;
}

static gboolean
sites_url_is_valid (const gchar *url, gboolean signalling)
{
  if (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
    return TRUE;
  return signalling && (g_str_has_prefix (url, "ws://") || g_str_has_prefix (url, "wss://"));
}

/* An optional string: NULL when absent or empty, FALSE on error. */
static gboolean
sites_get_optional (VcConfig *config, const gchar *group, const gchar *key, gchar **out,
                    GError **error)
{
  g_autofree gchar *value = vc_config_get_string (config, group, key, "", error);

  if (value == NULL)
    return FALSE;
  *out = *value ? g_steal_pointer (&value) : NULL;
  return TRUE;
}

static SchedSite *
sites_read_group (VcConfig *config, const gchar *group, GError **error)
{
  g_autoptr (SchedSite) site = g_new0 (SchedSite, 1);
  gint64 capacity = 0;

  site->code = g_strdup (group + strlen (SITE_GROUP_PREFIX));
  if (!sites_code_is_valid (site->code))
    {
      sites_invalid (config, error, group, "*", "the site code is not 1-64 of a-z, 0-9, '-'");
      return NULL;
    }
  if (!sites_get_optional (config, group, "url", &site->url, error)
      || !sites_get_optional (config, group, "signal_url", &site->signal_url, error)
      || !sites_get_optional (config, group, "secret", &site->secret, error)
      || !sites_get_optional (config, group, "parent", &site->parent, error))
    return NULL;
  if (site->url == NULL)
    sites_invalid (config, error, group, "url", "is required (the site's bridge control URL)");
  else if (!sites_url_is_valid (site->url, FALSE))
    sites_invalid (config, error, group, "url", "is not an http:// or https:// URL");
  else if (site->signal_url && !sites_url_is_valid (site->signal_url, TRUE))
    sites_invalid (config, error, group, "signal_url", "is not an http(s):// or ws(s):// URL");
  else if (site->secret == NULL)
    sites_invalid (config, error, group, "secret", "is required (the site's bridge secret)");
  else if (vc_config_get_int (config, group, "capacity", 200, 2, 100000, &capacity, error))
    {
      site->capacity = (gint)capacity;
      return g_steal_pointer (&site);
    }
  return NULL;
}

static const SchedSite *
sites_find (const SchedSettings *s, const gchar *code)
{
  for (guint i = 0; s->sites && i < s->sites->len; i++)
    {
      const SchedSite *site = g_ptr_array_index (s->sites, i);
      if (g_str_equal (site->code, code))
        return site;
    }
  return NULL;
}

/* Every parent names a site, and following parents reaches the default. */
static gboolean
sites_check_tree (VcConfig *config, const SchedSettings *s, GError **error)
{
  const gchar *root = sched_sites_default_code (s);

  for (guint i = 0; i < s->sites->len; i++)
    {
      const SchedSite *site = g_ptr_array_index (s->sites, i);
      g_autofree gchar *group = g_strconcat (SITE_GROUP_PREFIX, site->code, NULL);
      const SchedSite *at = site;
      guint steps = 0;

      if (g_str_equal (site->code, root))
        return sites_invalid (config, error, group, "*",
                              "is the default site ([bridge] site), configured in [bridge]");
      if (!sched_sites_exists (s, site->parent))
        return sites_invalid (config, error, group, "parent", "names no site");
      while (at != NULL && !g_str_equal (at->parent, root))
        {
          if (++steps > s->sites->len)
            {
              g_autofree gchar *what = g_strdup_printf (
                  "site '%s' is its own ancestor (a cycle of parents)", site->code);
              return sites_invalid (config, error, group, "parent", what);
            }
          at = sites_find (s, at->parent);
        }
    }
  return TRUE;
}

gboolean
sched_sites_read (VcConfig *config, SchedSettings *s, GError **error)
{
  g_auto (GStrv) groups = vc_config_get_groups (config);
  g_autofree gchar *code = NULL;

  if (!sites_get_optional (config, "bridge", "site", &code, error)
      || !sites_get_optional (config, "bridge", "signal_url", &s->bridge_signal_url, error))
    return FALSE;
  if (code && !sites_code_is_valid (code))
    return sites_invalid (config, error, "bridge", "site", "is not 1-64 of a-z, 0-9, '-'");
  if (s->bridge_signal_url && !sites_url_is_valid (s->bridge_signal_url, TRUE))
    return sites_invalid (config, error, "bridge", "signal_url",
                          "is not an http(s):// or ws(s):// URL");
  s->site_code = g_steal_pointer (&code);
  s->sites = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_site_free);
  for (gsize g = 0; groups[g]; g++)
    {
      SchedSite *site;

      if (!g_str_has_prefix (groups[g], SITE_GROUP_PREFIX))
        continue;
      site = sites_read_group (config, groups[g], error);
      if (site == NULL)
        return FALSE;
      if (site->parent == NULL)
        site->parent = g_strdup (sched_sites_default_code (s));
      g_ptr_array_add (s->sites, site);
    }
  if (s->sites->len > 0 && s->bridge_url == NULL)
    return sites_invalid (config, error, "bridge", "url",
                          "is required when [bridge:CODE] sites are configured (the default "
                          "site's bridge)");
  return sites_check_tree (config, s, error);
}

const gchar *
sched_sites_default_code (const SchedSettings *s)
{
  return s->site_code ? s->site_code : DEFAULT_SITE_CODE;
}

gboolean
sched_sites_is_multi (const SchedSettings *s)
{
  return s->sites != NULL && s->sites->len > 0;
}

gboolean
sched_sites_lookup (const SchedSettings *s, const gchar *code, SchedSite *out)
{
  const SchedSite *site;

  if (code == NULL || g_str_equal (code, sched_sites_default_code (s)))
    {
      *out = (SchedSite){
        .code = (gchar *)sched_sites_default_code (s),
        .url = s->bridge_url,
        .signal_url = s->bridge_signal_url,
        .secret = s->bridge_secret,
        .parent = NULL,
        .capacity = s->bridge_capacity,
      };
      return TRUE;
    }
  site = sites_find (s, code);
  if (site == NULL)
    return FALSE;
  *out = *site;
  return TRUE;
}

gboolean
sched_sites_exists (const SchedSettings *s, const gchar *code)
{
  SchedSite site;

  return code != NULL && sched_sites_lookup (s, code, &site);
}

gchar **
sched_sites_list_codes (const SchedSettings *s)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  g_strv_builder_add (b, sched_sites_default_code (s));
  for (guint i = 0; s->sites && i < s->sites->len; i++)
    g_strv_builder_add (b, ((SchedSite *)g_ptr_array_index (s->sites, i))->code);
  return g_strv_builder_end (b);
}

gchar *
sched_site_signal_url (const SchedSite *site, gint64 meeting_id)
{
  const gchar *base = site->signal_url ? site->signal_url : site->url;
  g_autofree gchar *trimmed = NULL;
  const gchar *scheme = "ws://";
  const gchar *rest = base;

  if (base == NULL || *base == '\0')
    return NULL;
  if (g_str_has_prefix (base, "https://") || g_str_has_prefix (base, "wss://"))
    scheme = "wss://";
  if (strstr (base, "://") != NULL)
    rest = strstr (base, "://") + 3;
  trimmed = g_strdup (rest);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  return g_strdup_printf ("%s%s/rooms/%" G_GINT64_FORMAT "/signal", scheme, trimmed, meeting_id);
}

/* @code and its ancestors, @code first. */
static GPtrArray *
sites_ancestry (const SchedSettings *s, const gchar *code)
{
  GPtrArray *chain = g_ptr_array_new ();
  SchedSite site;

  while (code != NULL && sched_sites_lookup (s, code, &site))
    {
      g_ptr_array_add (chain, site.code);
      code = site.parent;
      if (chain->len > (s->sites ? s->sites->len : 0) + 1)
        break; /* no cycle passes sched_sites_read(); bound it anyway */
    }
  return chain;
}

static gint
sites_index (GPtrArray *chain, const gchar *code)
{
  for (guint i = 0; i < chain->len; i++)
    if (g_str_equal (g_ptr_array_index (chain, i), code))
      return (gint)i;
  return -1;
}

GHashTable *
sched_sites_meeting_tree (const SchedSettings *s, const gchar *root, const gchar *const *sites)
{
  GHashTable *tree = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) root_chain = sites_ancestry (s, root);

  if (root_chain->len == 0)
    return tree; /* an unknown root: nothing to link */
  g_hash_table_insert (tree, g_strdup (g_ptr_array_index (root_chain, 0)), g_strdup (""));
  for (gsize i = 0; sites && sites[i]; i++)
    {
      g_autoptr (GPtrArray) chain = sites_ancestry (s, sites[i]);
      const gchar *at = chain->len ? g_ptr_array_index (chain, 0) : NULL;

      /* Up from the site until an ancestor of the root, then down the
       * root's chain: each step's next hop is the site's meeting parent. */
      while (at != NULL && !g_hash_table_contains (tree, at))
        {
          gint in_root_chain = sites_index (root_chain, at);
          const gchar *next;
          SchedSite site;

          if (in_root_chain > 0)
            next = g_ptr_array_index (root_chain, in_root_chain - 1);
          else if (sched_sites_lookup (s, at, &site) && site.parent != NULL)
            next = site.parent;
          else
            break; /* cannot happen: the default site is in every chain */
          g_hash_table_insert (tree, g_strdup (at), g_strdup (next));
          at = next;
        }
    }
  return tree;
}

gchar *
sched_site_link_endpoint (const gchar *code)
{
  return g_strconcat ("site-", code, NULL);
}

gboolean
sched_sites_meeting_share (SchedDb *db, const SchedSettings *s, const gchar *chair,
                           GPtrArray *codes, GHashTable **share, GError **error)
{
  g_autoptr (GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) homes = NULL;
  g_autoptr (GHashTable) tree = NULL;
  g_autofree gchar *root = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree gchar *home = NULL;

      if (!sched_room_site_get (db, g_ptr_array_index (codes, i), &home, error))
        return FALSE;
      g_strv_builder_add (b, home && sched_sites_exists (s, home) ? home
                                                                  : sched_sites_default_code (s));
    }
  if (chair != NULL && !sched_room_site_get (db, chair, &root, error))
    return FALSE;
  if (root == NULL || !sched_sites_exists (s, root))
    {
      g_free (root);
      root = g_strdup (sched_sites_default_code (s));
    }
  homes = g_strv_builder_end (b);
  tree = sched_sites_meeting_tree (s, root, (const gchar *const *)homes);
  g_hash_table_iter_init (&iter, tree);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint n = GPOINTER_TO_INT (g_hash_table_lookup (out, key));

      g_hash_table_replace (out, g_strdup (key), GINT_TO_POINTER (n));
      if (*(const gchar *)value)
        {
          n = GPOINTER_TO_INT (g_hash_table_lookup (out, value));
          g_hash_table_replace (out, g_strdup (value), GINT_TO_POINTER (n + 1));
        }
    }
  for (gsize i = 0; homes[i]; i++)
    {
      gint n = GPOINTER_TO_INT (g_hash_table_lookup (out, homes[i]));

      g_hash_table_replace (out, g_strdup (homes[i]), GINT_TO_POINTER (n + 1));
    }
  *share = g_steal_pointer (&out);
  return TRUE;
}

void
sched_sites_set_limits (SchedSettings *s, const gchar *code, gint max_rooms, gint max_participants)
{
  SchedSite *site = (SchedSite *)sites_find (s, code);

  if (site == NULL)
    return;
  site->max_rooms = max_rooms;
  site->max_participants = max_participants;
}
