/* vc-paths.c — installed or uninstalled folders; see the header.
 *
 * The folders come from common/meson.build (VC_PATHS_*); the build and
 * source trees only with -Dsource_tree_defaults=true (the default). */
#define G_LOG_DOMAIN "vc-common"

#include "vc-paths.h"

#include <stdlib.h>
#include <string.h>

#if !defined(VC_PATHS_DATA_DIR) || !defined(VC_PATHS_CONFIG_DIR) || !defined(VC_PATHS_STATE_DIR)   \
    || !defined(VC_PATHS_BIN_DIR)
#error "VC_PATHS_* must be defined by the build"
#endif

#ifdef VC_PATHS_BUILD_DIR
/* Whether @path is @dir or lies below it. */
static gboolean
paths_is_below (const gchar *path, const gchar *dir)
{
  gsize len = strlen (dir);

  return strncmp (path, dir, len) == 0 && (path[len] == '/' || path[len] == '\0');
}
#endif

gboolean
vc_paths_uninstalled (void)
{
#ifdef VC_PATHS_BUILD_DIR
  static gsize once = 0;
  static gboolean uninstalled = FALSE;

  if (g_once_init_enter (&once))
    {
      g_autofree gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
      /* realpath: the build tree may have been named through a symlink. */
      g_autofree gchar *build = realpath (VC_PATHS_BUILD_DIR, NULL);

      uninstalled = exe != NULL && build != NULL && paths_is_below (exe, build);
      g_once_init_leave (&once, 1);
    }
  return uninstalled;
#else
  return FALSE;
#endif
}

const gchar *
vc_paths_source_dir (void)
{
#ifdef VC_PATHS_SOURCE_DIR
  return vc_paths_uninstalled () ? VC_PATHS_SOURCE_DIR : NULL;
#else
  return NULL;
#endif
}

const gchar *
vc_paths_data_dir (void)
{
  return VC_PATHS_DATA_DIR;
}

const gchar *
vc_paths_config_dir (void)
{
  return VC_PATHS_CONFIG_DIR;
}

const gchar *
vc_paths_state_dir (void)
{
  return VC_PATHS_STATE_DIR;
}

const gchar *
vc_paths_bin_dir (void)
{
  return VC_PATHS_BIN_DIR;
}
