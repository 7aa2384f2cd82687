/* sched-settings.c — SchedSettings from conf/scheduler.ini; see the header.
 *
 * Groups and keys are documented in docs/configuration.md, section
 * "vc-scheduler". */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-settings.h"
#include "sched-sites.h"

#include "common/vc-paths.h"

#include <stdio.h>

/* The six paths are filled in by settings_defaults_build(). */
static const gchar defaults_template[] = "[server]\n"
                                         "listen=127.0.0.1:8080\n"
                                         "web_root=%s\n"
                                         "vendor_root=%s\n"
                                         "[database]\n"
                                         "path=%s\n"
                                         "synchronous=normal\n"
                                         "sync_interval_ms=200\n"
                                         "[site]\n"
                                         "time_zone=Asia/Ho_Chi_Minh\n"
                                         "roster=%s\n"
                                         "holidays=%s\n"
                                         "working_day_start=07:30\n"
                                         "working_day_end=17:00\n"
                                         "[bridge]\n"
                                         "capacity=200\n"
                                         "room_open_lead_seconds=600\n"
                                         "join_token_margin_seconds=1800\n"
                                         "[limits]\n"
                                         "max_meeting_hours=12\n"
                                         "max_series_occurrences=366\n"
                                         "max_body_bytes=65536\n"
                                         "header_timeout_ms=10000\n"
                                         "idle_timeout_seconds=60\n"
                                         "max_days_ahead=366\n"
                                         "unit_room_hours_per_day=600\n"
                                         "unit_room_hours_per_week=1200\n"
                                         "[recordings]\n"
                                         "directory=%s\n"
                                         "keep_days=0\n"
                                         "default_record=false\n";

/* Installed: the web UI, Chart.js, the roster and the holidays under
 * <datadir>/vc-province, the database under <localstatedir>/lib. From the
 * build tree (common/vc-paths.h): the source tree's web/, node_modules/ and
 * conf/, and a database in the current folder. */
static gchar *
settings_defaults_build (void)
{
  const gchar *source = vc_paths_source_dir ();
  const gchar *data = vc_paths_data_dir ();
  g_autofree gchar *web = NULL, *vendor = NULL, *db = NULL, *roster = NULL, *holidays = NULL;
  g_autofree gchar *recordings = NULL;

  if (source)
    {
      web = g_build_filename (source, "web", NULL);
      vendor = g_build_filename (source, "node_modules", NULL);
      db = g_strdup ("vc-scheduler.db");
      recordings = g_strdup ("recordings");
      roster = g_build_filename (source, "conf", "roster-nghe-an.ini", NULL);
      holidays = g_build_filename (source, "conf", "holidays-vn.ini", NULL);
    }
  else
    {
      web = g_build_filename (data, "web", NULL);
      vendor = g_build_filename (data, "vendor", NULL);
      db = g_build_filename (vc_paths_state_dir (), "vc-scheduler", "vc-scheduler.db", NULL);
      recordings = g_build_filename (vc_paths_state_dir (), "vc-scheduler", "recordings", NULL);
      roster = g_build_filename (data, "roster-nghe-an.ini", NULL);
      holidays = g_build_filename (data, "holidays-vn.ini", NULL);
    }
  return g_strdup_printf (defaults_template, web, vendor, db, roster, holidays, recordings);
}

const gchar *
sched_settings_defaults (void)
{
  static gsize once = 0;
  static gchar *defaults = NULL;

  if (g_once_init_enter (&once))
    {
      defaults = settings_defaults_build ();
      g_once_init_leave (&once, 1);
    }
  return defaults;
}

void
sched_settings_free (SchedSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->listen_host);
  g_free (s->tls_certificate);
  g_free (s->tls_key);
  g_free (s->web_root);
  g_free (s->vendor_root);
  g_free (s->db_path);
  g_free (s->time_zone);
  g_free (s->roster_path);
  g_free (s->holidays_path);
  g_free (s->bridge_url);
  g_free (s->bridge_secret);
  g_free (s->site_code);
  g_free (s->bridge_signal_url);
  g_clear_pointer (&s->sites, g_ptr_array_unref);
  g_free (s->recordings_directory);
  g_free (s);
}

/* An empty value means "none". */
static gchar *
settings_optional_path (VcConfig *config, const gchar *group, const gchar *key, GError **error,
                        gboolean *ok)
{
  g_autoptr (GError) local = NULL;
  g_autofree gchar *path = vc_config_get_path (config, group, key, "", &local);

  *ok = local == NULL;
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (path == NULL || *path == '\0')
    return NULL;
  return g_steal_pointer (&path);
}

static gboolean
settings_file_exists (VcConfig *config, const gchar *group, const gchar *key, const gchar *path,
                      GError **error)
{
  if (path == NULL || g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID, "%s: [%s] %s: file '%s' not found",
               vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults",
               group, key, path);
  return FALSE;
}

/* "HH:MM" → minutes after local midnight. */
static gboolean
settings_clock (VcConfig *config, const gchar *key, gint *out, GError **error)
{
  g_autofree gchar *text = vc_config_get_string (config, "site", key, NULL, error);
  guint h, m;
  gchar extra;

  if (text == NULL)
    return FALSE;
  if (sscanf (text, "%u:%u%c", &h, &m, &extra) != 2 || h > 24 || m > 59 || (h == 24 && m > 0))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [site] %s: '%s' is not a time HH:MM",
                   vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults",
                   key, text);
      return FALSE;
    }
  *out = (gint)(h * 60 + m);
  return TRUE;
}

static gboolean
settings_read_server (VcConfig *config, SchedSettings *s, GError **error)
{
  gboolean ok;

  if (!vc_config_get_listen (config, "server", "listen", NULL, &s->listen_host, &s->listen_port,
                             error))
    return FALSE;
  s->tls_certificate = settings_optional_path (config, "server", "tls_certificate", error, &ok);
  if (!ok)
    return FALSE;
  s->tls_key = settings_optional_path (config, "server", "tls_key", error, &ok);
  if (!ok)
    return FALSE;
  if ((s->tls_certificate == NULL) != (s->tls_key == NULL))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [server] %s: tls_certificate and tls_key must be given together",
                   vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults",
                   s->tls_certificate ? "tls_key" : "tls_certificate");
      return FALSE;
    }
  if (!settings_file_exists (config, "server", "tls_certificate", s->tls_certificate, error)
      || !settings_file_exists (config, "server", "tls_key", s->tls_key, error))
    return FALSE;
  s->web_root = settings_optional_path (config, "server", "web_root", error, &ok);
  if (!ok)
    return FALSE;
  s->vendor_root = settings_optional_path (config, "server", "vendor_root", error, &ok);
  return ok;
}

static gboolean
settings_read_sync (VcConfig *config, SchedSettings *s, GError **error)
{
  static const gchar *const modes[] = { "normal", "full", NULL };
  gint mode = 0;
  gint64 interval = 0;

  if (!vc_config_get_choice (config, "database", "synchronous", "normal", modes, &mode, error)
      || !vc_config_get_int (config, "database", "sync_interval_ms", 200, 10, 10000, &interval,
                             error))
    return FALSE;
  s->db_sync_full = mode == 1;
  s->db_sync_interval_ms = (gint)interval;
  return TRUE;
}

static gboolean
settings_read_site (VcConfig *config, SchedSettings *s, GError **error)
{
  gboolean ok;

  s->db_path = vc_config_get_path (config, "database", "path", NULL, error);
  if (s->db_path == NULL || !settings_read_sync (config, s, error))
    return FALSE;
  s->time_zone = vc_config_get_string (config, "site", "time_zone", NULL, error);
  if (s->time_zone == NULL)
    return FALSE;
  {
    g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (s->time_zone);
    if (tz == NULL)
      {
        g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                     "%s: [site] time_zone: '%s' is not a known time zone",
                     vc_config_get_file (config) ? vc_config_get_file (config)
                                                 : "built-in defaults",
                     s->time_zone);
        return FALSE;
      }
  }
  s->roster_path = settings_optional_path (config, "site", "roster", error, &ok);
  if (!ok || !settings_file_exists (config, "site", "roster", s->roster_path, error))
    return FALSE;
  s->holidays_path = settings_optional_path (config, "site", "holidays", error, &ok);
  if (!ok || !settings_file_exists (config, "site", "holidays", s->holidays_path, error))
    return FALSE;
  if (!settings_clock (config, "working_day_start", &s->working_day_start_minute, error)
      || !settings_clock (config, "working_day_end", &s->working_day_end_minute, error))
    return FALSE;
  if (s->working_day_end_minute <= s->working_day_start_minute)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [site] working_day_end: must be later than working_day_start",
                   vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults");
      return FALSE;
    }
  return TRUE;
}

static gboolean
settings_read_bridge (VcConfig *config, SchedSettings *s, GError **error)
{
  gint64 v;

  s->bridge_url = vc_config_get_string (config, "bridge", "url", "", error);
  if (s->bridge_url == NULL)
    return FALSE;
  if (*s->bridge_url == '\0')
    g_clear_pointer (&s->bridge_url, g_free);
  else if (!g_str_has_prefix (s->bridge_url, "http://")
           && !g_str_has_prefix (s->bridge_url, "https://"))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [bridge] url: '%s' is not an http:// or https:// URL",
                   vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults",
                   s->bridge_url);
      return FALSE;
    }
  s->bridge_secret = vc_config_get_string (config, "bridge", "secret", "", error);
  if (s->bridge_secret == NULL)
    return FALSE;
  if (*s->bridge_secret == '\0')
    g_clear_pointer (&s->bridge_secret, g_free);
  if (s->bridge_url && s->bridge_secret == NULL)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [bridge] secret: is required when [bridge] url is set",
                   vc_config_get_file (config) ? vc_config_get_file (config) : "built-in defaults");
      return FALSE;
    }
  if (!vc_config_get_int (config, "bridge", "capacity", 200, 2, 100000, &v, error))
    return FALSE;
  s->bridge_capacity = (gint)v;
  if (!vc_config_get_int (config, "bridge", "room_open_lead_seconds", 600, 0, 86400,
                          &s->room_open_lead_seconds, error))
    return FALSE;
  return vc_config_get_int (config, "bridge", "join_token_margin_seconds", 1800, 0, 86400,
                            &s->join_token_margin_seconds, error);
}

static gboolean
settings_read_limits (VcConfig *config, SchedSettings *s, GError **error)
{
  gint64 v;

  /* At most 24 h: the overlap queries rely on that bound (sched-booking.c). */
  if (!vc_config_get_int (config, "limits", "max_meeting_hours", 12, 1, 24, &v, error))
    return FALSE;
  s->max_meeting_seconds = v * 3600;
  if (!vc_config_get_int (config, "limits", "max_series_occurrences", 366, 1, 366, &v, error))
    return FALSE;
  s->max_series_occurrences = (gint)v;
  if (!vc_config_get_int (config, "limits", "header_timeout_ms", 10000, 100, 600000, &v, error))
    return FALSE;
  s->header_timeout_ms = (guint)v;
  if (!vc_config_get_int (config, "limits", "idle_timeout_seconds", 60, 1, 3600, &v, error))
    return FALSE;
  s->idle_timeout_ms = (guint)v * 1000;
  if (!vc_config_get_int (config, "limits", "max_body_bytes", 65536, 1024, 16 * 1024 * 1024,
                          &s->max_body_bytes, error))
    return FALSE;
  /* Quotas (docs/configuration.md): how far ahead, and how many room-hours
   * one unit may hold per day and week, so that no secretariat can book
   * the whole network for a year. */
  if (!vc_config_get_int (config, "limits", "max_days_ahead", 366, 1, 3660, &v, error))
    return FALSE;
  s->max_ahead_seconds = v * 86400;
  if (!vc_config_get_int (config, "limits", "unit_room_hours_per_day", 600, 0, 10000000, &v, error))
    return FALSE;
  s->unit_room_seconds_per_day = v * 3600;
  if (!vc_config_get_int (config, "limits", "unit_room_hours_per_week", 1200, 0, 10000000, &v,
                          error))
    return FALSE;
  s->unit_room_seconds_per_week = v * 3600;
  return TRUE;
}

/* [recordings]: where fetched recordings are kept, for how long, and
 * whether a unit without a default of its own records its meetings. */
static gboolean
settings_read_recordings (VcConfig *config, SchedSettings *s, GError **error)
{
  gint64 v;

  s->recordings_directory = vc_config_get_path (config, "recordings", "directory", NULL, error);
  if (s->recordings_directory == NULL)
    return FALSE;
  if (!vc_config_get_int (config, "recordings", "keep_days", 0, 0, 36500, &v, error))
    return FALSE;
  s->recordings_keep_seconds = v * 86400;
  return vc_config_get_bool (config, "recordings", "default_record", FALSE,
                             &s->recordings_default_record, error);
}

SchedSettings *
sched_settings_from_config (VcConfig *config, GError **error)
{
  g_autoptr (SchedSettings) s = g_new0 (SchedSettings, 1);

  if (!settings_read_server (config, s, error) || !settings_read_site (config, s, error)
      || !settings_read_bridge (config, s, error) || !sched_sites_read (config, s, error)
      || !settings_read_limits (config, s, error) || !settings_read_recordings (config, s, error))
    return NULL;
  return g_steal_pointer (&s);
}

SchedSettings *
sched_settings_load (const gchar *config_path, const gchar *db_path, const gchar *listen,
                     GError **error)
{
  g_autoptr (VcConfig) config = vc_config_new (sched_settings_defaults ());
  /* Absolute, so that relative paths inside resolve against its folder. */
  g_autofree gchar *absolute = config_path ? g_canonicalize_filename (config_path, NULL) : NULL;

  if (absolute && !vc_config_load_file (config, absolute, error))
    return NULL;
  if (db_path)
    vc_config_set (config, "database", "path", db_path);
  if (listen)
    vc_config_set (config, "server", "listen", listen);
  return sched_settings_from_config (config, error);
}
