/* ep-subprocess.h — how the agent starts its helper processes (one meeting's
 * media, the idle screen): this same program with a subcommand, bound to the
 * agent's life.
 *
 * The agent side gets a launcher whose processes have PR_SET_PDEATHSIG =
 * SIGKILL (none outlives the agent, even after a kill -9 of the agent) and
 * the command line `THIS-PROGRAM --config FILE SUBCOMMAND`. The helper side
 * calls ep_subprocess_helper_init() first: SIGINT and SIGTERM are ignored,
 * because the agent alone decides when a helper ends (a Ctrl-C on the
 * terminal or a stop of the whole service group reaches every process of
 * the group, and the media must not end before the agent has journalled its
 * leave); it ends on the agent's word, at the end of its stdin, or with the
 * agent. */
#pragma once

#include "ep-config.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/* A launcher with @flags whose processes die with the calling process. */
GSubprocessLauncher *ep_subprocess_launcher_new (GSubprocessFlags flags);

/* { this program's real path, "--config", config->path, @subcommand, NULL }
 * (no --config when @config has no path). */
gchar **ep_subprocess_self_argv (const EpConfig *config, const gchar *subcommand);

/* In a helper process, before anything else. */
void ep_subprocess_helper_init (void);

G_END_DECLS
