/* sched-roster.c — the first roster of units and rooms; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-roster.h"

#include "common/vc-config.h"
#include "sched-error.h"
#include "sched-model-room.h"
#include "sched-model-room-site.h"
#include "sched-sites.h"
#include "sched-model-unit.h"

#include <stdio.h>
#include <string.h>

gboolean
sched_roster_code_is_valid (const gchar *code)
{
  gsize n = code ? strlen (code) : 0;

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!(g_ascii_islower (code[i]) || g_ascii_isdigit (code[i]) || code[i] == '-'))
      return FALSE;
  return TRUE;
}

gboolean
sched_roster_level_is_valid (const gchar *level)
{
  static const gchar *const levels[]
      = { "central", "province", "district", "department", "commune" };

  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (level, levels[i]) == 0)
      return TRUE;
  return FALSE;
}

gchar *
sched_roster_format_date (GTimeZone *tz, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = utc ? g_date_time_to_timezone (utc, tz) : NULL;

  return local ? g_date_time_format (local, "%d/%m/%Y") : g_strdup ("?");
}

gchar *
sched_roster_describe_period (GTimeZone *tz, gint64 valid_from, gint64 valid_to,
                              const gchar *successor)
{
  g_autofree gchar *from = valid_from ? sched_roster_format_date (tz, valid_from) : NULL;
  g_autofree gchar *to = valid_to ? sched_roster_format_date (tz, valid_to) : NULL;

  if (to && successor)
    return g_strdup_printf ("dissolved on %s (successor: %s)", to, successor);
  if (to)
    return g_strdup_printf ("dissolved on %s", to);
  if (from)
    return g_strdup_printf ("valid only from %s", from);
  return g_strdup ("valid");
}

static gboolean
roster_invalid (GError **error, const gchar *path, const gchar *group, const gchar *key,
                const gchar *what)
{
  g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s", path, group, key,
               what);
  return FALSE;
}

static gchar *
roster_get (GKeyFile *kf, const gchar *path, const gchar *group, const gchar *key,
            gboolean required, GError **error)
{
  g_autofree gchar *value = g_key_file_get_string (kf, group, key, NULL);

  if (value)
    g_strstrip (value);
  if ((value == NULL || *value == '\0') && required)
    {
      roster_invalid (error, path, group, key, "is required");
      return NULL;
    }
  if (value && !g_utf8_validate (value, -1, NULL))
    {
      roster_invalid (error, path, group, key, "is not valid UTF-8");
      return NULL;
    }
  return (value && *value) ? g_steal_pointer (&value) : g_strdup ("");
}

/* A date YYYY-MM-DD of the roster file: local midnight in @tz; 0 when the
 * key is absent. */
static gboolean
roster_get_date (GKeyFile *kf, const gchar *path, const gchar *group, const gchar *key,
                 GTimeZone *tz, gint64 *out, GError **error)
{
  g_autofree gchar *text = roster_get (kf, path, group, key, FALSE, error);
  g_autoptr (GDateTime) date = NULL;
  gint y = 0, m = 0, d = 0;
  gchar tail;

  *out = 0;
  if (text == NULL)
    return FALSE;
  if (*text == '\0')
    return TRUE;
  if (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    date = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (date == NULL || g_date_time_get_day_of_month (date) != d)
    return roster_invalid (error, path, group, key, "is not a date YYYY-MM-DD");
  *out = g_date_time_to_unix (date);
  return TRUE;
}

/* [unit:CODE]: name, priority, and optionally level, parent (a unit of the
 * file, set in a second pass: it may come later), valid_from and valid_to
 * (dates; valid_to is the first day it no longer exists, as a
 * reorganisation's effective date) with the successor that its meetings
 * count under once it ended (required with valid_to). */
static gboolean
roster_add_unit (SchedDb *db, GKeyFile *kf, const gchar *path, const gchar *group, GTimeZone *tz,
                 gboolean second_pass, GError **error)
{
  const gchar *code = group + strlen ("unit:");
  g_autofree gchar *name = roster_get (kf, path, group, "name", TRUE, error);
  g_autofree gchar *level = name ? roster_get (kf, path, group, "level", FALSE, error) : NULL;
  g_autofree gchar *parent = level ? roster_get (kf, path, group, "parent", FALSE, error) : NULL;
  g_autofree gchar *successor
      = parent ? roster_get (kf, path, group, "successor", FALSE, error) : NULL;
  g_autoptr (GError) local = NULL;
  gint64 valid_from = 0, valid_to = 0;
  gboolean exists = FALSE;
  gint priority;

  if (successor == NULL || !roster_get_date (kf, path, group, "valid_from", tz, &valid_from, error)
      || !roster_get_date (kf, path, group, "valid_to", tz, &valid_to, error))
    return FALSE;
  if (second_pass)
    {
      if (*parent
          && (!sched_unit_exists (db, parent, &exists, NULL) || !exists
              || g_str_equal (parent, code)))
        return roster_invalid (error, path, group, "parent", "names no other unit of the roster");
      if (*successor
          && (!sched_unit_exists (db, successor, &exists, NULL) || !exists
              || g_str_equal (successor, code)))
        return roster_invalid (error, path, group, "successor",
                               "names no other unit of the roster");
      if (*parent && !sched_unit_update (db, code, NULL, NULL, parent, error))
        return FALSE;
      return valid_to == 0 || sched_unit_end (db, code, valid_to, successor, error);
    }
  if (!sched_roster_code_is_valid (code))
    return roster_invalid (error, path, group, "code", "is not 1-64 of a-z, 0-9, '-'");
  priority = g_key_file_get_integer (kf, group, "priority", &local);
  if (local && !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    return roster_invalid (error, path, group, "priority", "is not a whole number");
  if (*level && !sched_roster_level_is_valid (level))
    return roster_invalid (error, path, group, "level",
                           "is not one of central, province, district, department, commune");
  if (valid_to && valid_to <= valid_from)
    return roster_invalid (error, path, group, "valid_to", "is not after valid_from");
  if (valid_to && *successor == '\0')
    return roster_invalid (error, path, group, "successor",
                           "is required with valid_to (whom its meetings count under)");
  if (*successor && valid_to == 0)
    return roster_invalid (error, path, group, "valid_to", "is required with successor");
  SchedUnit unit = {
    .code = (gchar *)code,
    .name = name,
    .priority = priority,
    .level = *level ? level : NULL,
    .valid_from = valid_from,
  };
  return sched_unit_insert_full (db, &unit, error);
}

/* The room's site key: one of the configured sites, stored as NULL for
 * the default site. */
static gboolean
roster_set_site (SchedDb *db, GKeyFile *kf, const gchar *path, const gchar *group,
                 const gchar *code, const SchedSettings *settings, GError **error)
{
  g_autofree gchar *site = roster_get (kf, path, group, "site", FALSE, error);
  SchedSettings none = { 0 };
  const SchedSettings *s = settings ? settings : &none;

  if (site == NULL)
    return FALSE;
  if (*site == '\0' || g_str_equal (site, sched_sites_default_code (s)))
    return TRUE;
  if (!sched_sites_exists (s, site))
    {
      g_autofree gchar *what = g_strdup_printf (
          "names no bridge site '%s' (the sites are [bridge] and [bridge:CODE] of the "
          "scheduler's configuration)",
          site);
      return roster_invalid (error, path, group, "site", what);
    }
  return sched_room_site_set (db, code, site, error);
}

static gboolean
roster_add_endpoint (SchedDb *db, GKeyFile *kf, const gchar *path, const gchar *group,
                     gboolean with_parent, const SchedSettings *settings, GError **error)
{
  const gchar *code = group + strlen ("endpoint:");
  g_autofree gchar *name = roster_get (kf, path, group, "name", TRUE, error);
  g_autofree gchar *level = name ? roster_get (kf, path, group, "level", TRUE, error) : NULL;
  g_autofree gchar *unit = level ? roster_get (kf, path, group, "unit", FALSE, error) : NULL;
  g_autofree gchar *parent = unit ? roster_get (kf, path, group, "parent", FALSE, error) : NULL;

  if (parent == NULL)
    return FALSE;
  if (with_parent)
    {
      if (*parent == '\0')
        return TRUE;
      if (!sched_room_set_parent (db, code, parent, NULL))
        return roster_invalid (error, path, group, "parent", "names no endpoint of the roster");
      return TRUE;
    }
  if (!sched_roster_code_is_valid (code))
    return roster_invalid (error, path, group, "code", "is not 1-64 of a-z, 0-9, '-'");
  if (!sched_roster_level_is_valid (level))
    return roster_invalid (error, path, group, "level",
                           "is not one of central, province, district, department, commune");
  SchedRoom room = {
    .code = (gchar *)code,
    .name = name,
    .level = level,
    .unit = *unit ? unit : NULL,
  };
  if (!sched_room_insert (db, &room, NULL))
    return roster_invalid (error, path, group, "unit",
                           "names no unit of the roster (or duplicate code)");
  return roster_set_site (db, kf, path, group, code, settings, error);
}

static gboolean
roster_is_empty (SchedDb *db, gboolean *empty, GError **error)
{
  gint64 units = 0, rooms = 0;

  if (!sched_unit_count (db, &units, error) || !sched_room_count (db, &rooms, error))
    return FALSE;
  *empty = units + rooms == 0;
  return TRUE;
}

static gboolean
roster_load_groups (SchedDb *db, GKeyFile *kf, const gchar *path, GTimeZone *tz,
                    const SchedSettings *settings, GError **error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);

  /* Units first, then their parents and successors (which may be later
   * units), then rooms, then parents (rooms may name later rooms). */
  for (gint pass = 0; pass < 2; pass++)
    for (gsize g = 0; groups[g]; g++)
      if (g_str_has_prefix (groups[g], "unit:")
          && !roster_add_unit (db, kf, path, groups[g], tz, pass == 1, error))
        return FALSE;
  for (gint pass = 0; pass < 2; pass++)
    for (gsize g = 0; groups[g]; g++)
      if (g_str_has_prefix (groups[g], "endpoint:")
          && !roster_add_endpoint (db, kf, path, groups[g], pass == 1, settings, error))
        return FALSE;
  for (gsize g = 0; groups[g]; g++)
    if (!g_str_has_prefix (groups[g], "unit:") && !g_str_has_prefix (groups[g], "endpoint:"))
      return roster_invalid (error, path, groups[g], "*",
                             "unknown group (want unit:CODE or endpoint:CODE)");
  return TRUE;
}

gboolean
sched_roster_load_if_empty (SchedDb *db, const gchar *path, GTimeZone *tz,
                            const SchedSettings *settings, gboolean *loaded, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  gboolean empty = FALSE;

  *loaded = FALSE;
  if (path == NULL)
    return TRUE;
  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if (!roster_is_empty (db, &empty, error))
    goto fail;
  if (!empty)
    {
      sched_db_rollback (db);
      return TRUE;
    }
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_READ, "%s: %s", path, local->message);
      goto fail;
    }
  if (!roster_load_groups (db, kf, path, tz, settings, error))
    goto fail;
  if (!sched_db_commit (db, error))
    return FALSE;
  *loaded = TRUE;
  return TRUE;

fail:
  sched_db_rollback (db);
  return FALSE;
}
