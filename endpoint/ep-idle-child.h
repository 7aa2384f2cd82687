/* ep-idle-child.h — the agent's side of the idle screen: the screen
 * (ep-idle-screen.h) runs in its own process, `vc-endpoint --config FILE
 * idle-screen`, started while the room is idle and ended when it joins.
 *
 * Why a process: drawing a 1280x720 screen with text (pango, cairo, fonts,
 * X11 shared-memory frames) costs about 25 MB, which would otherwise stay in
 * the agent for good; and a video sink that crashes (the DirectFB one does
 * without a framebuffer) takes only the screen down, not the agent.
 *
 * The agent writes the next meeting as one JSON line on the process's stdin
 * whenever it changes, {"title":"…","unit":"…","start":1795000010} or {}
 * for none; the process redraws its clock every second by itself and exits
 * at the end of its stdin. Main thread only. */
#pragma once

#include "ep-config.h"
#include "ep-schedule.h"

G_BEGIN_DECLS

/* The subcommand that runs the idle screen. */
#define EP_IDLE_SCREEN_COMMAND "idle-screen"

typedef struct _EpIdleChild EpIdleChild;

/* @config's path becomes the process's --config (it reads the same file). */
EpIdleChild *ep_idle_child_new (const EpConfig *config);
/* Kills the process if it still runs. */
void ep_idle_child_free (EpIdleChild *idle);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpIdleChild, ep_idle_child_free)

/* Tests: the command to run instead of this program's idle-screen. */
void ep_idle_child_set_command (EpIdleChild *idle, const gchar *const *argv);

/* Starts the process (TRUE) or ends it (FALSE: end of stdin, killed after
 * 2 s). A process that died by itself is started again at the next
 * set_visible (TRUE) after a FALSE, not at once. */
void ep_idle_child_set_visible (EpIdleChild *idle, gboolean visible);

/* Tells the process the next meeting (NULL: none), if it changed. */
void ep_idle_child_set_next (EpIdleChild *idle, const EpMeeting *next);

/* The line for @next (exposed for tests). */
gchar *ep_idle_child_next_line (const EpMeeting *next);

/* Whether a process runs (shown, or still ending). */
gboolean ep_idle_child_running (EpIdleChild *idle);

G_END_DECLS
