/* vc-config.c — layered GKeyFile settings; see vc-config.h.
 *
 * Layers are kept as one merged GKeyFile: later layers overwrite keys of
 * earlier ones. The file a key came from is remembered so that an error can
 * name it. */
#define G_LOG_DOMAIN "vc-common"

#include "vc-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-config-error-quark, vc_config_error)
/* clang-format on */

struct _VcConfig
{
  GKeyFile *merged;
  GHashTable *origin; /* "group\nkey" -> file name (or "command line") */
  gchar *file;        /* the --config file, NULL if none */
};

static void
config_merge (VcConfig *config, GKeyFile *layer, const gchar *origin)
{
  g_auto (GStrv) groups = g_key_file_get_groups (layer, NULL);

  for (gsize g = 0; groups[g]; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (layer, groups[g], NULL, NULL);
      for (gsize k = 0; keys && keys[k]; k++)
        {
          g_autofree gchar *value = g_key_file_get_value (layer, groups[g], keys[k], NULL);
          g_key_file_set_value (config->merged, groups[g], keys[k], value);
          g_hash_table_insert (config->origin, g_strconcat (groups[g], "\n", keys[k], NULL),
                               g_strdup (origin));
        }
    }
}

VcConfig *
vc_config_new (const gchar *defaults)
{
  VcConfig *config = g_new0 (VcConfig, 1);

  config->merged = g_key_file_new ();
  config->origin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (defaults)
    {
      g_autoptr (GKeyFile) layer = g_key_file_new ();
      g_autoptr (GError) error = NULL;
      if (!g_key_file_load_from_data (layer, defaults, -1, G_KEY_FILE_NONE, &error))
        g_error ("embedded defaults do not parse: %s", error->message);
      config_merge (config, layer, "built-in defaults");
    }
  return config;
}

void
vc_config_free (VcConfig *config)
{
  if (config == NULL)
    return;
  g_key_file_free (config->merged);
  g_hash_table_destroy (config->origin);
  g_free (config->file);
  g_free (config);
}

gboolean
vc_config_load_file (VcConfig *config, const gchar *path, GError **error)
{
  g_autoptr (GKeyFile) layer = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  /* Keys remember their file by its absolute name, so that relative paths
   * in it resolve against its folder whatever the working directory. */
  g_autofree gchar *absolute = g_canonicalize_filename (path, NULL);

  if (!g_key_file_load_from_file (layer, absolute, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_READ, "%s: %s", path, local->message);
      return FALSE;
    }
  config_merge (config, layer, absolute);
  g_free (config->file);
  config->file = g_steal_pointer (&absolute);
  return TRUE;
}

void
vc_config_set (VcConfig *config, const gchar *group, const gchar *key, const gchar *value)
{
  g_key_file_set_string (config->merged, group, key, value);
  g_hash_table_insert (config->origin, g_strconcat (group, "\n", key, NULL),
                       g_strdup ("command line"));
}

const gchar *
vc_config_get_file (VcConfig *config)
{
  return config->file;
}

gboolean
vc_config_has (VcConfig *config, const gchar *group, const gchar *key)
{
  return g_key_file_has_key (config->merged, group, key, NULL);
}

gchar **
vc_config_get_groups (VcConfig *config)
{
  return g_key_file_get_groups (config->merged, NULL);
}

static void config_invalid (VcConfig *config, GError **error, const gchar *group, const gchar *key,
                            const gchar *fmt, ...) G_GNUC_PRINTF (5, 6);

static void
config_invalid (VcConfig *config, GError **error, const gchar *group, const gchar *key,
                const gchar *fmt, ...)
{
  g_autofree gchar *id = g_strconcat (group, "\n", key, NULL);
  const gchar *origin = g_hash_table_lookup (config->origin, id);
  va_list ap;

  va_start (ap, fmt);
  g_autofree gchar *what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
               origin ? origin : (config->file ? config->file : "configuration"), group, key, what);
}

gchar *
vc_config_get_string (VcConfig *config, const gchar *group, const gchar *key, const gchar *fallback,
                      GError **error)
{
  g_autofree gchar *value = g_key_file_get_string (config->merged, group, key, NULL);

  if (value == NULL)
    {
      if (fallback == NULL)
        {
          config_invalid (config, error, group, key, "is required");
          return NULL;
        }
      return g_strdup (fallback);
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      config_invalid (config, error, group, key, "is not valid UTF-8");
      return NULL;
    }
  return g_strstrip (g_steal_pointer (&value));
}

gchar *
vc_config_get_path (VcConfig *config, const gchar *group, const gchar *key, const gchar *fallback,
                    GError **error)
{
  g_autofree gchar *value = vc_config_get_string (config, group, key, fallback, error);
  g_autofree gchar *id = g_strconcat (group, "\n", key, NULL);
  const gchar *origin;

  if (value == NULL)
    return NULL;
  if (*value == '\0' || g_path_is_absolute (value))
    return g_steal_pointer (&value);

  origin = g_hash_table_lookup (config->origin, id);
  if (origin && g_file_test (origin, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree gchar *dir = g_path_get_dirname (origin);
      return g_canonicalize_filename (value, dir);
    }
  return g_canonicalize_filename (value, NULL);
}

gboolean
vc_config_get_int (VcConfig *config, const gchar *group, const gchar *key, gint64 fallback,
                   gint64 min, gint64 max, gint64 *out, GError **error)
{
  g_autofree gchar *value = g_key_file_get_value (config->merged, group, key, NULL);
  gint64 v;

  if (value == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  g_strstrip (value);
  if (!g_ascii_string_to_signed (value, 10, min, max, &v, NULL))
    {
      config_invalid (config, error, group, key,
                      "'%s' is not a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                      value, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
vc_config_get_double (VcConfig *config, const gchar *group, const gchar *key, gdouble fallback,
                      gdouble min, gdouble max, gdouble *out, GError **error)
{
  g_autofree gchar *value = g_key_file_get_value (config->merged, group, key, NULL);
  gchar *end = NULL;
  gdouble v;

  if (value == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  g_strstrip (value);
  errno = 0;
  v = g_ascii_strtod (value, &end);
  if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
    {
      config_invalid (config, error, group, key, "'%s' is not a number from %g to %g", value, min,
                      max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
vc_config_get_bool (VcConfig *config, const gchar *group, const gchar *key, gboolean fallback,
                    gboolean *out, GError **error)
{
  g_autofree gchar *value = g_key_file_get_value (config->merged, group, key, NULL);

  if (value == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  g_strstrip (value);
  if (g_ascii_strcasecmp (value, "true") == 0 || g_strcmp0 (value, "1") == 0
      || g_ascii_strcasecmp (value, "yes") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "false") == 0 || g_strcmp0 (value, "0") == 0
           || g_ascii_strcasecmp (value, "no") == 0)
    *out = FALSE;
  else
    {
      config_invalid (config, error, group, key, "'%s' is not true or false", value);
      return FALSE;
    }
  return TRUE;
}

gboolean
vc_config_get_choice (VcConfig *config, const gchar *group, const gchar *key, const gchar *fallback,
                      const gchar *const *choices, gint *out, GError **error)
{
  g_autofree gchar *value = vc_config_get_string (config, group, key, fallback, error);

  if (value == NULL)
    return FALSE;
  for (gint i = 0; choices[i]; i++)
    if (g_strcmp0 (value, choices[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  g_autofree gchar *list = g_strjoinv (", ", (gchar **)choices);
  config_invalid (config, error, group, key, "'%s' is not one of: %s", value, list);
  return FALSE;
}

gboolean
vc_parse_host_port (const gchar *text, gchar **host, guint16 *port)
{
  const gchar *colon;
  guint64 p;
  g_autofree gchar *h = NULL;

  if (text == NULL)
    return FALSE;
  if (text[0] == '[')
    {
      const gchar *close = strchr (text, ']');
      if (close == NULL || close[1] != ':')
        return FALSE;
      h = g_strndup (text + 1, close - text - 1);
      colon = close + 1;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon == NULL)
        return FALSE;
      h = g_strndup (text, colon - text);
    }
  if (*h == '\0' || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    return FALSE;
  *host = g_steal_pointer (&h);
  *port = (guint16)p;
  return TRUE;
}

gboolean
vc_config_get_listen (VcConfig *config, const gchar *group, const gchar *key, const gchar *fallback,
                      gchar **host, guint16 *port, GError **error)
{
  g_autofree gchar *value = vc_config_get_string (config, group, key, fallback, error);

  if (value == NULL)
    return FALSE;
  if (!vc_parse_host_port (value, host, port))
    {
      config_invalid (config, error, group, key, "'%s' is not HOST:PORT with a port 0-65535",
                      value);
      return FALSE;
    }
  return TRUE;
}
