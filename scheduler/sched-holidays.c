/* sched-holidays.c — holiday dates from an administrator-edited key file. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-holidays.h"

#include "common/vc-config.h"

#include <stdio.h>
#include <string.h>

struct _SchedHolidays
{
  GHashTable *days; /* julian day (guint) -> name (owned) */
};

SchedHolidays *
sched_holidays_new (void)
{
  SchedHolidays *h = g_new0 (SchedHolidays, 1);

  h->days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  return h;
}

void
sched_holidays_free (SchedHolidays *h)
{
  if (h == NULL)
    return;
  g_hash_table_destroy (h->days);
  g_free (h);
}

static gboolean
holidays_parse_date (const gchar *text, GDate *out)
{
  guint y, m, d;
  gchar extra;

  if (strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static gboolean
holidays_add_key (SchedHolidays *h, const gchar *path, GKeyFile *kf, const gchar *group,
                  const gchar *key, GError **error)
{
  g_auto (GStrv) ends = g_strsplit (key, "..", 2);
  GDate first, last;
  g_autofree gchar *name = g_key_file_get_string (kf, group, key, NULL);

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  if (!holidays_parse_date (ends[0], &first) || (ends[1] && !holidays_parse_date (ends[1], &last)))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [%s] %s: not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD", path,
                   group, key);
      return FALSE;
    }
  if (ends[1] == NULL)
    last = first;
  if (g_date_compare (&first, &last) > 0 || g_date_days_between (&first, &last) > 31)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [%s] %s: the range is reversed or longer than 31 days", path, group, key);
      return FALSE;
    }
  for (GDate d = first; g_date_compare (&d, &last) <= 0; g_date_add_days (&d, 1))
    g_hash_table_insert (h->days, GUINT_TO_POINTER (g_date_get_julian (&d)),
                         g_strdup (name && *name ? name : "holiday"));
  return TRUE;
}

gboolean
sched_holidays_load (SchedHolidays *h, const gchar *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_READ, "%s: %s", path, local->message);
      return FALSE;
    }
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  for (gsize g = 0; groups[g]; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
      for (gsize k = 0; keys && keys[k]; k++)
        if (!holidays_add_key (h, path, kf, groups[g], keys[k], error))
          return FALSE;
    }
  return TRUE;
}

const gchar *
sched_holidays_lookup (SchedHolidays *h, gint year, gint month, gint day)
{
  GDate d;

  if (h == NULL || !g_date_valid_dmy (day, month, year))
    return NULL;
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, day, month, year);
  return g_hash_table_lookup (h->days, GUINT_TO_POINTER (g_date_get_julian (&d)));
}

guint
sched_holidays_count (SchedHolidays *h)
{
  return h ? g_hash_table_size (h->days) : 0;
}
