/* ep-media-child.h — the agent's side of its media processes: implements
 * EpMediaOps for EpAgent by starting one media process per join attempt
 * (`vc-endpoint --config FILE media-session`, ep-media-session.h) and turning
 * its lines (ep-media-protocol.h) and its exit into
 * ep_agent_media_connected()/ep_agent_media_lost().
 *
 * So the agent itself never loads the WebRTC stack: its memory stays that of
 * a fresh start after any number of meetings. A media process that crashes
 * or is killed is a lost connection (journal "dropped" in a meeting, then an
 * immediate rejoin with a new process). A process that was told to leave and
 * is still there after the grace period is killed. Every media process has
 * PR_SET_PDEATHSIG = SIGKILL, so none outlives the agent.
 * Main thread only. */
#pragma once

#include "ep-agent.h"
#include "ep-config.h"

G_BEGIN_DECLS

typedef struct _EpMediaChild EpMediaChild;

/* @config's path becomes the media process's --config (the process reads
 * the same file). */
EpMediaChild *ep_media_child_new (const EpConfig *config);
/* Kills any media process still running. */
void ep_media_child_free (EpMediaChild *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpMediaChild, ep_media_child_free)

/* The operations to pass to ep_agent_new() with @media as ops_data. */
const EpMediaOps *ep_media_child_ops (void);

/* Tests: the command of a media process (NULL-terminated, copied) instead of
 * this program with --config FILE media-session; and how long a process that
 * was told to leave may take before it is killed (default 2000 ms). */
void ep_media_child_set_command (EpMediaChild *media, const gchar *const *argv);
void ep_media_child_set_grace_ms (EpMediaChild *media, guint grace_ms);

/* Media processes not yet exited (joined, or leaving). */
guint ep_media_child_running (EpMediaChild *media);

/* Calls @done once no media process runs any more (at once if none does);
 * a later call replaces an earlier one. For shutdown. */
void ep_media_child_when_stopped (EpMediaChild *media, GSourceFunc done, gpointer data);

G_END_DECLS
