/* sched-holidays.c — holiday dates from an administrator-edited key file,
 * the entries an administrator made through the API over them
 * (sched_holidays_add_entry(), from sched-holiday-admin.c), and the
 * provisional lunar ones (sched-lunar.c) of years whose Tết or Giỗ Tổ break
 * is not entered yet, computed the first time the year is looked at. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-holidays.h"

#include "sched-lunar.h"

#include "common/vc-config.h"

#include <stdio.h>
#include <string.h>

/* The provisional Tết break: the eve and the first four days of the lunar
 * year, the five days of the Labour Code 2019, art. 112. */
#define TET_DAYS_BEFORE 1
#define TET_DAYS_AFTER 3
#define TET_PROVISIONAL_NAME "Tết Nguyên Đán (dự kiến theo âm lịch)"
#define HUNG_KINGS_PROVISIONAL_NAME "Giỗ Tổ Hùng Vương (dự kiến, 10/3 âm lịch)"

typedef struct
{
  gchar *name;
  gchar *name_en;  /* NULL: none */
  gint64 entry_id; /* the API's entry; 0 for the file's and computed days */
  gboolean provisional;
  gboolean computed; /* from the lunar calendar, not entered */
} HolidayDay;

struct _SchedHolidays
{
  GHashTable *days;     /* julian day (guint) -> HolidayDay (owned) */
  GHashTable *listed;   /* years with a group in the file */
  GHashTable *computed; /* years whose provisional days are in @days */
};

static void
holiday_day_free (HolidayDay *day)
{
  g_free (day->name);
  g_free (day->name_en);
  g_free (day);
}

SchedHolidays *
sched_holidays_new (void)
{
  SchedHolidays *h = g_new0 (SchedHolidays, 1);

  h->days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                   (GDestroyNotify)holiday_day_free);
  h->listed = g_hash_table_new (g_direct_hash, g_direct_equal);
  h->computed = g_hash_table_new (g_direct_hash, g_direct_equal);
  return h;
}

void
sched_holidays_free (SchedHolidays *h)
{
  if (h == NULL)
    return;
  g_hash_table_destroy (h->days);
  g_hash_table_destroy (h->listed);
  g_hash_table_destroy (h->computed);
  g_free (h);
}

static HolidayDay *
holidays_put (SchedHolidays *h, const GDate *d, const gchar *name, gboolean provisional)
{
  HolidayDay *day = g_new0 (HolidayDay, 1);

  day->name = g_strdup (name && *name ? name : "holiday");
  day->provisional = provisional;
  g_hash_table_insert (h->days, GUINT_TO_POINTER (g_date_get_julian (d)), day);
  return day;
}

SchedHolidays *
sched_holidays_copy (SchedHolidays *h)
{
  SchedHolidays *copy = sched_holidays_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (h != NULL, copy);
  g_hash_table_iter_init (&iter, h->days);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const HolidayDay *day = value;
      HolidayDay *c;
      if (day->computed)
        continue;
      c = g_new0 (HolidayDay, 1);
      *c = *day;
      c->name = g_strdup (day->name);
      c->name_en = g_strdup (day->name_en);
      g_hash_table_insert (copy->days, key, c);
    }
  g_hash_table_iter_init (&iter, h->listed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (copy->listed, key);
  return copy;
}

void
sched_holidays_add_entry (SchedHolidays *h, const GDate *first, const GDate *last,
                          const gchar *name, const gchar *name_en, gboolean provisional,
                          gint64 entry_id)
{
  g_return_if_fail (h != NULL && g_date_compare (first, last) <= 0);
  /* Entries come before any year is computed (the calendar is rebuilt on
   * each change): a computed day never hides an entry. */
  g_return_if_fail (g_hash_table_size (h->computed) == 0);
  for (GDate d = *first; g_date_compare (&d, last) <= 0; g_date_add_days (&d, 1))
    {
      HolidayDay *day = holidays_put (h, &d, name, provisional);
      day->name_en = g_strdup (name_en);
      day->entry_id = entry_id;
      if (!provisional)
        g_hash_table_add (h->listed, GUINT_TO_POINTER ((guint)g_date_get_year (&d)));
    }
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
    holidays_put (h, &d, name, FALSE);
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
      guint64 year;
      if (g_ascii_string_to_unsigned (groups[g], 10, 1, 9999, &year, NULL))
        g_hash_table_add (h->listed, GUINT_TO_POINTER ((guint)year));
      g_auto (GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
      for (gsize k = 0; keys && keys[k]; k++)
        if (!holidays_add_key (h, path, kf, groups[g], keys[k], error))
          return FALSE;
    }
  return TRUE;
}

static const HolidayDay *
holidays_get (SchedHolidays *h, const GDate *d)
{
  return g_hash_table_lookup (h->days, GUINT_TO_POINTER (g_date_get_julian (d)));
}

/* Whether the file or an entry gave @d as an official holiday. */
static gboolean
holidays_official (SchedHolidays *h, const GDate *d)
{
  const HolidayDay *day = holidays_get (h, d);

  return day != NULL && !day->provisional;
}

/* Whether the file or an entry gave @d, official or provisional: a
 * provisional entry of the administrator's replaces the computed one. */
static gboolean
holidays_entered (SchedHolidays *h, const GDate *d)
{
  const HolidayDay *day = holidays_get (h, d);

  return day != NULL && !day->computed;
}

/* The solar dates of Tết (lunar 1/1) and Giỗ Tổ (lunar 10/3) of @year. */
static gboolean
holidays_lunar_dates (gint year, GDate *tet, GDate *hung_kings)
{
  return sched_lunar_to_solar (1, 1, year, FALSE, SCHED_LUNAR_VIETNAM_ZONE_HOURS, tet)
         && sched_lunar_to_solar (10, 3, year, FALSE, SCHED_LUNAR_VIETNAM_ZONE_HOURS, hung_kings);
}

/* Adds @year's provisional lunar days where the file has none, once. */
static void
holidays_ensure_year (SchedHolidays *h, gint year)
{
  GDate tet, hung_kings;

  if (g_hash_table_contains (h->computed, GINT_TO_POINTER (year)))
    return;
  g_hash_table_add (h->computed, GINT_TO_POINTER (year));
  if (!holidays_lunar_dates (year, &tet, &hung_kings))
    return;
  if (!holidays_entered (h, &tet))
    {
      GDate d = tet;
      g_date_subtract_days (&d, TET_DAYS_BEFORE);
      for (gint i = 0; i <= TET_DAYS_BEFORE + TET_DAYS_AFTER; i++, g_date_add_days (&d, 1))
        if (!holidays_entered (h, &d))
          holidays_put (h, &d, TET_PROVISIONAL_NAME, TRUE)->computed = TRUE;
    }
  if (!holidays_entered (h, &hung_kings))
    holidays_put (h, &hung_kings, HUNG_KINGS_PROVISIONAL_NAME, TRUE)->computed = TRUE;
}

const gchar *
sched_holidays_lookup_full (SchedHolidays *h, gint year, gint month, gint day,
                            gboolean *provisional)
{
  const HolidayDay *found;
  GDate d;

  if (provisional)
    *provisional = FALSE;
  if (h == NULL || !g_date_valid_dmy (day, month, year))
    return NULL;
  holidays_ensure_year (h, year);
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, day, month, year);
  found = holidays_get (h, &d);
  if (found == NULL)
    return NULL;
  if (provisional)
    *provisional = found->provisional;
  return found->name;
}

const gchar *
sched_holidays_lookup (SchedHolidays *h, gint year, gint month, gint day)
{
  return sched_holidays_lookup_full (h, year, month, day, NULL);
}

guint
sched_holidays_count (SchedHolidays *h)
{
  guint n = 0;
  GHashTableIter iter;
  gpointer value;

  if (h == NULL)
    return 0;
  g_hash_table_iter_init (&iter, h->days);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += !((HolidayDay *)value)->provisional;
  return n;
}

SchedHolidaysMissing
sched_holidays_year_missing (SchedHolidays *h, gint year)
{
  SchedHolidaysMissing missing = 0;
  GDate tet, hung_kings;

  g_return_val_if_fail (h != NULL, 0);
  if (!g_hash_table_contains (h->listed, GUINT_TO_POINTER ((guint)year)))
    missing |= SCHED_HOLIDAYS_MISSING_YEAR;
  if (holidays_lunar_dates (year, &tet, &hung_kings))
    {
      if (!holidays_official (h, &tet))
        missing |= SCHED_HOLIDAYS_MISSING_TET;
      if (!holidays_official (h, &hung_kings))
        missing |= SCHED_HOLIDAYS_MISSING_HUNG_KINGS;
    }
  return missing;
}

void
sched_holiday_free (SchedHoliday *holiday)
{
  if (holiday == NULL)
    return;
  g_free (holiday->name);
  g_free (holiday->name_en);
  g_free (holiday);
}

GPtrArray *
sched_holidays_list_year (SchedHolidays *h, gint year)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)sched_holiday_free);
  GDate d;

  g_return_val_if_fail (h != NULL, out);
  if (year < 1 || year > 9998)
    return out;
  holidays_ensure_year (h, year);
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, 1, year);
  for (; g_date_get_year (&d) == year; g_date_add_days (&d, 1))
    {
      const HolidayDay *day = holidays_get (h, &d);
      SchedHoliday *x;
      if (day == NULL)
        continue;
      x = g_new0 (SchedHoliday, 1);
      x->date = d;
      x->name = g_strdup (day->name);
      x->name_en = g_strdup (day->name_en);
      x->entry_id = day->entry_id;
      x->provisional = day->provisional;
      x->computed = day->computed;
      g_ptr_array_add (out, x);
    }
  return out;
}
