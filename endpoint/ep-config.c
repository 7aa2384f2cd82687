/* ep-config.c — load and check conf/endpoint.ini (see ep-config.h). */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-config.h"
#include "vc-config.h"

#include <string.h>

/* Every key's default, stated here only: the getters below pass no
 * fallback of their own (get_int). */
static const gchar defaults[] = "[scheduler]\n"
                                "url=http://127.0.0.1:8080\n"
                                "[endpoint]\n"
                                "code=\n"
                                "token=\n"
                                "name=\n"
                                "[journal]\n"
                                "path=vc-endpoint.db\n"
                                "schedule_cache=\n"
                                "heartbeat_seconds=2\n"
                                "[media]\n"
                                "video=test\n"
                                "audio=test\n"
                                "output=auto\n"
                                "width=1280\n"
                                "height=720\n"
                                "fps=25\n"
                                "[ice]\n"
                                "addresses=127.0.0.1\n"
                                "[timing]\n"
                                "join_lead_seconds=0\n"
                                "connect_ahead_seconds=5\n"
                                "readiness_minutes=15\n"
                                "retry_max_seconds=5\n"
                                "join_timeout_seconds=15\n";

const gchar *
ep_config_defaults (void)
{
  return defaults;
}

void
ep_config_free (EpConfig *c)
{
  if (c == NULL)
    return;
  g_free (c->path);
  g_free (c->scheduler_url);
  g_free (c->code);
  g_free (c->token);
  g_free (c->name);
  g_free (c->journal_path);
  g_free (c->schedule_cache_path);
  g_free (c->video_source);
  g_free (c->audio_source);
  g_strfreev (c->ice_addresses);
  g_free (c);
}

static gboolean
config_invalid (GError **error, VcConfig *vc, const gchar *group, const gchar *key,
                const gchar *what)
{
  g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
               vc_config_get_file (vc) ? vc_config_get_file (vc) : "(defaults)", group, key, what);
  return FALSE;
}

/* An integer key within [@min, @max]; its default comes from defaults[]. */
static gboolean
get_int (VcConfig *vc, const gchar *group, const gchar *key, gint64 min, gint64 max, gint64 *out,
         GError **error)
{
  g_assert (vc_config_has (vc, group, key)); /* defaults[] names every key */
  return vc_config_get_int (vc, group, key, min, min, max, out, error);
}

static gboolean
check_code (const gchar *code)
{
  if (code == NULL || *code == '\0' || strlen (code) > 64)
    return FALSE;
  for (const gchar *p = code; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
check_source (const gchar *value, gboolean video)
{
  if (g_str_equal (value, "test"))
    return TRUE;
  if (video)
    return g_str_has_prefix (value, "v4l2:/") && strlen (value) > strlen ("v4l2:/");
  return g_str_equal (value, "pulse")
         || (g_str_has_prefix (value, "alsa:") && strlen (value) > strlen ("alsa:"));
}

EpConfig *
ep_config_load (const gchar *path, GError **error)
{
  g_autoptr (VcConfig) vc = vc_config_new (defaults);
  g_autoptr (EpConfig) c = g_new0 (EpConfig, 1);
  static const gchar *const outputs[] = { "auto", "none", NULL };
  g_autofree gchar *addresses = NULL;
  gint output = 0;

  /* An absolute path: vc_config_get_path() resolves relative values against
   * the file's folder, which must then be absolute too. */
  g_autofree gchar *absolute = path ? g_canonicalize_filename (path, NULL) : NULL;

  if (absolute && !vc_config_load_file (vc, absolute, error))
    return NULL;
  c->path = g_strdup (absolute);

  if (!(c->scheduler_url = vc_config_get_string (vc, "scheduler", "url", NULL, error)))
    return NULL;
  if (!(g_str_has_prefix (c->scheduler_url, "http://")
        || g_str_has_prefix (c->scheduler_url, "https://"))
      || !g_uri_is_valid (c->scheduler_url, G_URI_FLAGS_NONE, NULL))
    {
      config_invalid (error, vc, "scheduler", "url", "must be an http:// or https:// URL");
      return NULL;
    }
  while (g_str_has_suffix (c->scheduler_url, "/"))
    c->scheduler_url[strlen (c->scheduler_url) - 1] = '\0';

  if (!(c->code = vc_config_get_string (vc, "endpoint", "code", NULL, error)))
    return NULL;
  if (!check_code (c->code))
    {
      config_invalid (error, vc, "endpoint", "code",
                      "is required: the room's code (a-z, 0-9, '-'), e.g. ubnd-tinh");
      return NULL;
    }
  if (!(c->token = vc_config_get_string (vc, "endpoint", "token", NULL, error)))
    return NULL;
  if (*c->token == '\0')
    {
      config_invalid (error, vc, "endpoint", "token",
                      "is required: create one with vc-scheduler token create --role endpoint");
      return NULL;
    }
  if (!(c->name = vc_config_get_string (vc, "endpoint", "name", NULL, error)))
    return NULL;
  if (*c->name == '\0')
    {
      g_free (c->name);
      c->name = g_strdup (c->code);
    }

  if (!(c->journal_path = vc_config_get_path (vc, "journal", "path", NULL, error)))
    return NULL;
  if (*c->journal_path == '\0')
    {
      config_invalid (error, vc, "journal", "path", "is required");
      return NULL;
    }
  if (!(c->schedule_cache_path = vc_config_get_path (vc, "journal", "schedule_cache", NULL, error)))
    return NULL;
  if (*c->schedule_cache_path == '\0')
    {
      g_free (c->schedule_cache_path);
      c->schedule_cache_path = g_strconcat (c->journal_path, ".schedule.json", NULL);
    }
  if (!get_int (vc, "journal", "heartbeat_seconds", 1, 60, &c->heartbeat_seconds, error))
    return NULL;

  if (!(c->video_source = vc_config_get_string (vc, "media", "video", NULL, error)))
    return NULL;
  if (!check_source (c->video_source, TRUE))
    {
      config_invalid (error, vc, "media", "video", "must be test or v4l2:/dev/videoN");
      return NULL;
    }
  if (!(c->audio_source = vc_config_get_string (vc, "media", "audio", NULL, error)))
    return NULL;
  if (!check_source (c->audio_source, FALSE))
    {
      config_invalid (error, vc, "media", "audio", "must be test, pulse or alsa:DEVICE");
      return NULL;
    }
  if (!vc_config_get_choice (vc, "media", "output", NULL, outputs, &output, error))
    return NULL;
  c->output = output == 0 ? EP_OUTPUT_AUTO : EP_OUTPUT_NONE;
  if (!get_int (vc, "media", "width", 160, 3840, &c->width, error)
      || !get_int (vc, "media", "height", 120, 2160, &c->height, error)
      || !get_int (vc, "media", "fps", 1, 60, &c->fps, error))
    return NULL;

  if (!(addresses = vc_config_get_string (vc, "ice", "addresses", NULL, error)))
    return NULL;
  c->ice_addresses = g_strsplit_set (addresses, ", ", -1);
  {
    guint n = 0;

    for (guint i = 0; c->ice_addresses[i]; i++)
      if (*c->ice_addresses[i])
        {
          if (!g_hostname_is_ip_address (c->ice_addresses[i]))
            {
              config_invalid (error, vc, "ice", "addresses",
                              "must be IP addresses separated by commas");
              return NULL;
            }
          c->ice_addresses[n++] = c->ice_addresses[i];
        }
      else
        g_free (c->ice_addresses[i]);
    c->ice_addresses[n] = NULL;
  }

  if (!get_int (vc, "timing", "join_lead_seconds", 0, 600, &c->join_lead_seconds, error)
      || !get_int (vc, "timing", "connect_ahead_seconds", 0, 60, &c->connect_ahead_seconds, error)
      || !get_int (vc, "timing", "readiness_minutes", 0, 120, &c->readiness_minutes, error)
      || !get_int (vc, "timing", "retry_max_seconds", 1, 5, &c->retry_max_seconds, error)
      || !get_int (vc, "timing", "join_timeout_seconds", 5, 300, &c->join_timeout_seconds, error))
    return NULL;
  return g_steal_pointer (&c);
}
