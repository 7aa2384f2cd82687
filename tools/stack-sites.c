/* stack-sites.c — vc-stack's bridge sites and roster copy; see
 * stack-sites.h. */
#define G_LOG_DOMAIN "vc-stack"

#include "stack-sites.h"

#include "vc-paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

gboolean
stack_sites_parse (const gchar *text, gint *sites, GError **error)
{
  guint64 n = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, STACK_SITES_MAX, &n, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--sites '%s': give a whole number from 1 to %d", text ? text : "",
                   STACK_SITES_MAX);
      return FALSE;
    }
  *sites = (gint)n;
  return TRUE;
}

gchar *
stack_sites_code (guint index)
{
  if (index == 0)
    return g_strdup (STACK_SITE_PROVINCE);
  return g_strdup_printf ("site-%u", index + 1);
}

gboolean
stack_sites_check_state (StackPaths *paths, gint sites, GError **error)
{
  g_autofree gchar *path = g_build_filename (paths->state_dir, "sites", NULL);
  g_autofree gchar *text = NULL;
  gint before = 1; /* a folder of a vc-stack without --sites */

  if (g_file_get_contents (path, &text, NULL, NULL))
    before = atoi (g_strstrip (text));
  if (g_file_test (paths->db_path, G_FILE_TEST_EXISTS) && before != sites)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--sites %d: the state folder %s was made with --sites %d (its database "
                   "homes the rooms on those sites); give --state-dir a new folder",
                   sites, paths->state_dir, before);
      return FALSE;
    }
  g_autofree gchar *value = g_strdup_printf ("%d\n", sites);
  return g_file_set_contents_full (path, value, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* The same file as vc-scheduler's default `[site] roster`
 * (scheduler/sched-settings.c): the source tree's conf/ when run from the
 * build tree, else the installed data folder. */
gchar *
stack_sites_default_roster (GError **error)
{
  const gchar *source = vc_paths_source_dir ();
  g_autofree gchar *roster
      = source ? g_build_filename (source, "conf", "roster-nghe-an.ini", NULL)
               : g_build_filename (vc_paths_data_dir (), "roster-nghe-an.ini", NULL);

  if (!g_file_test (roster, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "--sites: the roster %s to spread over the sites is missing", roster);
      return NULL;
    }
  return g_steal_pointer (&roster);
}

static gboolean
stack_sites_level_is_province (const gchar *level)
{
  return g_strcmp0 (level, "central") == 0 || g_strcmp0 (level, "province") == 0
         || g_strcmp0 (level, "department") == 0;
}

gchar *
stack_sites_write_roster (StackPaths *paths, const gchar *source, gint sites, GHashTable *homes,
                          GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree gchar *path = g_build_filename (paths->state_dir, "roster.ini", NULL);
  g_auto (GStrv) groups = NULL;
  g_autofree gchar *text = NULL;
  gsize len = 0;
  guint next = 0;

  if (!g_key_file_load_from_file (kf, source, G_KEY_FILE_KEEP_COMMENTS, error))
    {
      g_prefix_error (error, "--sites: roster %s: ", source);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      const gchar *code;
      g_autofree gchar *level = NULL;
      gchar *site;

      if (!g_str_has_prefix (groups[i], "endpoint:"))
        continue;
      code = groups[i] + strlen ("endpoint:");
      level = g_key_file_get_string (kf, groups[i], "level", NULL);
      if (sites == 1 || stack_sites_level_is_province (level))
        site = stack_sites_code (0);
      else
        site = stack_sites_code (1 + next++ % (guint)(sites - 1));
      g_key_file_set_string (kf, groups[i], "site", site);
      g_hash_table_replace (homes, g_strdup (code), site);
    }
  g_key_file_set_comment (kf, NULL, NULL,
                          "Written by vc-stack --sites at every start: the roster with each "
                          "room's bridge site; edit conf/ or vc-stack instead.",
                          NULL);
  text = g_key_file_to_data (kf, &len, NULL);
  if (!g_file_set_contents_full (path, text, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 error))
    return NULL;
  return g_steal_pointer (&path);
}
