/* bridge-config.c — reads and validates BridgeSettings from a VcConfig. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-config.h"

#include "vc-netem.h"
#include "vc-paths.h"

#include <string.h>

const gchar bridge_settings_defaults[]
    = "[bridge]\nlisten=127.0.0.1:8090\ncapacity=200\nmax_rooms=8\n"
      "[ice]\naddresses=127.0.0.1\n"
      "[video]\nwidth=1280\nheight=720\nfps=15\nbitrate_kbps=1500\nfont=DejaVu Sans Bold\n"
      "max_tiles=25\ntile_hold_ms=2000\nencoder_speed=16\nkeyframe_min_interval_ms=500\n"
      "join_keyframe_interval_ms=150\n"
      "[layout]\ndefault=grid\n"
      "[audio]\npersonal_mixes=3\nbitrate_kbps=32\nspeaker_threshold_db=-50\n"
      "speaker_margin_db=6\nspeaker_hold_ms=600\nthread_priority=nice\n"
      "[media]\njitter_latency_ms=30\nlink_jitter_latency_ms=30\nvideo_jitter_latency_ms=200\n"
      "stall_timeout_s=5\n"
      "[recordings]\nsegment_seconds=10\nmin_free_mb=200\n";

static const gchar *const layout_names[] = { "grid", "speaker", "chair", NULL };

const gchar *
bridge_layout_kind_to_string (BridgeLayoutKind kind)
{
  g_return_val_if_fail (kind <= BRIDGE_LAYOUT_CHAIR, "grid");
  return layout_names[kind];
}

gboolean
bridge_layout_kind_from_string (const gchar *text, BridgeLayoutKind *out)
{
  for (guint i = 0; layout_names[i] != NULL; i++)
    if (g_strcmp0 (text, layout_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

void
bridge_settings_free (BridgeSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->listen_host);
  g_free (s->secret);
  g_strfreev (s->ice_addresses);
  g_free (s->font);
  g_free (s->netem);
  g_free (s->recordings_dir);
  g_free (s);
}

static gboolean
get_uint (VcConfig *c, const gchar *g, const gchar *k, gint64 min, gint64 max, guint *out,
          GError **error)
{
  gint64 v = 0;

  if (!vc_config_get_int (c, g, k, min, min, max, &v, error))
    return FALSE;
  *out = (guint)v;
  return TRUE;
}

static gboolean
load_ice (VcConfig *c, BridgeSettings *s, GError **error)
{
  g_autofree gchar *text = vc_config_get_string (c, "ice", "addresses", "", error);
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  if (text == NULL)
    return FALSE;
  parts = g_strsplit_set (text, ",; ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (!g_hostname_is_ip_address (parts[i]))
        {
          g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                       "%s: [ice] addresses: '%s' is not an IP address",
                       vc_config_get_file (c) ? vc_config_get_file (c) : "configuration", parts[i]);
          return FALSE;
        }
      g_ptr_array_add (list, g_strdup (parts[i]));
    }
  g_ptr_array_add (list, NULL);
  s->ice_addresses = (gchar **)g_ptr_array_free (g_steal_pointer (&list), FALSE);
  return TRUE;
}

static gboolean
load_secret (VcConfig *c, BridgeSettings *s, GError **error)
{
  s->secret = vc_config_get_string (c, "bridge", "secret", NULL, error);
  if (s->secret == NULL)
    return FALSE;
  if (strlen (s->secret) < 16)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [bridge] secret: must be at least 16 characters",
                   vc_config_get_file (c) ? vc_config_get_file (c) : "configuration");
      return FALSE;
    }
  return TRUE;
}

static const gchar *const priority_names[] = { "normal", "nice", "realtime", NULL };

static gboolean
load_audio (VcConfig *c, BridgeSettings *s, GError **error)
{
  gint priority = VC_MEDIA_THREAD_NICE;

  if (!vc_config_get_choice (c, "audio", "thread_priority", "nice", priority_names, &priority,
                             error))
    return FALSE;
  s->audio_priority = (VcMediaThreadPriority)priority;
  return get_uint (c, "audio", "personal_mixes", 0, 8, &s->personal_mixes, error)
         && get_uint (c, "audio", "bitrate_kbps", 6, 256, &s->audio_bitrate_kbps, error)
         && vc_config_get_double (c, "audio", "speaker_threshold_db", -50, -100, 0,
                                  &s->speaker_threshold_db, error)
         && vc_config_get_double (c, "audio", "speaker_margin_db", 6, 0, 40, &s->speaker_margin_db,
                                  error)
         && get_uint (c, "audio", "speaker_hold_ms", 0, 10000, &s->speaker_hold_ms, error);
}

static gboolean
load_video (VcConfig *c, BridgeSettings *s, GError **error)
{
  gint layout = 0;

  if (!get_uint (c, "video", "width", 160, 3840, &s->width, error)
      || !get_uint (c, "video", "height", 120, 2160, &s->height, error)
      || !get_uint (c, "video", "fps", 1, 60, &s->fps, error)
      || !get_uint (c, "video", "bitrate_kbps", 100, 20000, &s->video_bitrate_kbps, error)
      || !get_uint (c, "video", "max_tiles", 1, BRIDGE_MAX_TILES, &s->max_tiles, error)
      || !get_uint (c, "video", "tile_hold_ms", 0, 60000, &s->tile_hold_ms, error)
      || !get_uint (c, "video", "encoder_speed", 0, 16, &s->encoder_speed, error)
      || !get_uint (c, "video", "keyframe_min_interval_ms", 100, 10000,
                    &s->keyframe_min_interval_ms, error)
      || !get_uint (c, "video", "join_keyframe_interval_ms", 0, 10000,
                    &s->join_keyframe_interval_ms, error))
    return FALSE;
  if ((s->width | s->height) & 1)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [video] width/height: must be even",
                   vc_config_get_file (c) ? vc_config_get_file (c) : "configuration");
      return FALSE;
    }
  s->font = vc_config_get_string (c, "video", "font", "DejaVu Sans Bold", error);
  if (s->font == NULL
      || !vc_config_get_choice (c, "layout", "default", "grid", layout_names, &layout, error))
    return FALSE;
  s->default_layout = layout;
  return TRUE;
}

/* [recordings]: the folder defaults to vc-bridge/recordings under the
 * state folder (common/vc-paths.h); it is created when a room records. */
static gboolean
load_recordings (VcConfig *c, BridgeSettings *s, GError **error)
{
  g_autofree gchar *fallback
      = g_build_filename (vc_paths_state_dir (), "vc-bridge", "recordings", NULL);
  guint min_free_mb = 0;

  s->recordings_dir = vc_config_get_path (c, "recordings", "directory", fallback, error);
  if (s->recordings_dir == NULL
      || !get_uint (c, "recordings", "segment_seconds", 2, 300, &s->segment_seconds, error)
      || !get_uint (c, "recordings", "min_free_mb", 0, 1000000, &min_free_mb, error))
    return FALSE;
  if (*s->recordings_dir == '\0')
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID,
                   "%s: [recordings] directory: must not be empty",
                   vc_config_get_file (c) ? vc_config_get_file (c) : "configuration");
      return FALSE;
    }
  s->recordings_min_free = (guint64)min_free_mb * 1024 * 1024;
  return TRUE;
}

/* [test] netem (tests and benchmarks only), else $VC_TEST_NETEM: checked
 * here, so a bad spec stops the bridge at start with the key named */
static gboolean
load_test (VcConfig *c, BridgeSettings *s, GError **error)
{
  g_autoptr (GError) bad = NULL;
  g_autoptr (VcNetem) netem = NULL;

  s->netem = vc_config_get_string (c, "test", "netem", "", error);
  if (s->netem == NULL)
    return FALSE;
  if (*s->netem == '\0')
    {
      g_free (s->netem);
      s->netem = g_strdup (vc_netem_spec_from_env ());
    }
  if (s->netem == NULL)
    return TRUE;
  netem = vc_netem_new (s->netem, &bad);
  if (netem == NULL)
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID, "%s: [test] netem: %s",
                   vc_config_get_file (c) ? vc_config_get_file (c) : "configuration", bad->message);
      return FALSE;
    }
  return TRUE;
}

BridgeSettings *
bridge_settings_load (VcConfig *c, GError **error)
{
  g_autoptr (BridgeSettings) s = g_new0 (BridgeSettings, 1);

  if (!vc_config_get_listen (c, "bridge", "listen", "127.0.0.1:8090", &s->listen_host,
                             &s->listen_port, error)
      || !load_secret (c, s, error)
      || !get_uint (c, "bridge", "capacity", 1, 10000, &s->capacity, error)
      || !get_uint (c, "bridge", "max_rooms", 1, 1000, &s->max_rooms, error)
      || !load_ice (c, s, error) || !load_video (c, s, error) || !load_audio (c, s, error)
      || !get_uint (c, "media", "jitter_latency_ms", 0, 2000, &s->jitter_latency_ms, error)
      || !get_uint (c, "media", "link_jitter_latency_ms", 0, 2000, &s->link_jitter_latency_ms,
                    error)
      || !get_uint (c, "media", "video_jitter_latency_ms", 0, 2000, &s->video_jitter_latency_ms,
                    error)
      || !get_uint (c, "media", "stall_timeout_s", 1, 600, &s->stall_timeout_s, error)
      || !load_recordings (c, s, error) || !load_test (c, s, error))
    return NULL;
  return g_steal_pointer (&s);
}
