/* vc-config.h — typed, layered GKeyFile settings with errors that name the
 * file, group and key.
 *
 * Each program keeps its own typed settings struct; this file gives it the
 * layering (embedded defaults, then --config, then command-line overrides)
 * and the checked getters. Errors are in VC_CONFIG_ERROR and map to exit 78. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VC_EXIT_CONFIG 78 /* EX_CONFIG from sysexits.h */

#define VC_CONFIG_ERROR (vc_config_error_quark ())
GQuark vc_config_error_quark (void);

typedef enum
{
  VC_CONFIG_ERROR_READ,
  VC_CONFIG_ERROR_INVALID,
} VcConfigError;

typedef struct _VcConfig VcConfig;

/* @defaults: embedded defaults (key-file text), may be NULL. */
VcConfig *vc_config_new (const gchar *defaults);
void vc_config_free (VcConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcConfig, vc_config_free)

/* Layers the file at @path over what is loaded; relative paths inside it are
 * resolved against its folder by vc_config_get_path(). */
gboolean vc_config_load_file (VcConfig *config, const gchar *path, GError **error);

/* Sets one value from the command line ("--listen" and the like). */
void vc_config_set (VcConfig *config, const gchar *group, const gchar *key, const gchar *value);

const gchar *vc_config_get_file (VcConfig *config);
gboolean vc_config_has (VcConfig *config, const gchar *group, const gchar *key);
/* The groups of every layer, in the order they first appeared. */
gchar **vc_config_get_groups (VcConfig *config);

gchar *vc_config_get_string (VcConfig *config, const gchar *group, const gchar *key,
                             const gchar *fallback, GError **error);
/* A path; relative values are taken against the config file's folder. */
gchar *vc_config_get_path (VcConfig *config, const gchar *group, const gchar *key,
                           const gchar *fallback, GError **error);
gboolean vc_config_get_int (VcConfig *config, const gchar *group, const gchar *key, gint64 fallback,
                            gint64 min, gint64 max, gint64 *out, GError **error);
gboolean vc_config_get_double (VcConfig *config, const gchar *group, const gchar *key,
                               gdouble fallback, gdouble min, gdouble max, gdouble *out,
                               GError **error);
gboolean vc_config_get_bool (VcConfig *config, const gchar *group, const gchar *key,
                             gboolean fallback, gboolean *out, GError **error);
/* One of @choices (NULL-terminated); returns its index in @out. */
gboolean vc_config_get_choice (VcConfig *config, const gchar *group, const gchar *key,
                               const gchar *fallback, const gchar *const *choices, gint *out,
                               GError **error);
/* HOST:PORT (IPv4, [IPv6] or a name); port 0..65535. */
gboolean vc_config_get_listen (VcConfig *config, const gchar *group, const gchar *key,
                               const gchar *fallback, gchar **host, guint16 *port, GError **error);

/* Splits "HOST:PORT"; FALSE when malformed. */
gboolean vc_parse_host_port (const gchar *text, gchar **host, guint16 *port);

G_END_DECLS
