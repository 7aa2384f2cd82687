/* sched-settings.h — reading SchedSettings from layered configuration.
 *
 * The embedded defaults point at the installed web UI, roster and holidays
 * (or, run from the build tree, at the source tree's: common/vc-paths.h), so
 * vc-scheduler runs with no --config at all. Every value is validated
 * here, once, with errors that name the file, group and key (VC_CONFIG_ERROR,
 * exit 78 in main). */
#pragma once

#include "sched-context.h"

#include "common/vc-config.h"

G_BEGIN_DECLS

/* Embedded defaults (key-file text). */
const gchar *sched_settings_defaults (void);

/* Loads defaults, then @config_path (may be NULL), then the overrides
 * @db_path / @listen (may be NULL). */
SchedSettings *sched_settings_load (const gchar *config_path, const gchar *db_path,
                                    const gchar *listen, GError **error);
SchedSettings *sched_settings_from_config (VcConfig *config, GError **error);
void sched_settings_free (SchedSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedSettings, sched_settings_free)

G_END_DECLS
