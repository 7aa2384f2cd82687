/* vc-paths.h — where the programs find the files they did not build.
 *
 * Installed (`meson install`, the Debian packages), read-only files are
 * under Meson's datadir (web UI, roster, holidays), configuration under
 * sysconfdir and state under localstatedir, as configured at `meson setup`.
 * A program run from the build tree it was built in (the tests, the
 * benchmarks, build/vc-stack and its children) takes them from the source
 * tree instead, so that `sh scripts/run.sh` needs no installation. A build
 * configured with -Dsource_tree_defaults=false (the Debian packages) never
 * does, and holds no path of the build machine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when this process's executable lies inside the build tree it was
 * compiled in (and the build allows it). Computed once. */
gboolean vc_paths_uninstalled (void);

/* The source tree when uninstalled, else NULL. */
const gchar *vc_paths_source_dir (void);

/* Installed folders: <datadir>/vc-province, <sysconfdir>/vc-province,
 * <localstatedir>/lib and <bindir>, absolute. */
const gchar *vc_paths_data_dir (void);
const gchar *vc_paths_config_dir (void);
const gchar *vc_paths_state_dir (void);
const gchar *vc_paths_bin_dir (void);

G_END_DECLS
