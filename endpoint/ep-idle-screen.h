/* ep-idle-screen.h — what the room's screen shows between meetings: the
 * room's name, the clock and the next meeting (title, organiser, start,
 * countdown). A small pipeline of its own (videotestsrc black + overlays →
 * autovideosink), only when [media] output = auto. It runs in a process of
 * its own (ep-idle-child.h), whose main is ep_idle_screen_run(). Main thread
 * only. */
#pragma once

#include "ep-config.h"
#include "ep-schedule.h"

G_BEGIN_DECLS

/* The life of the screen:
 *   HIDDEN --set_visible(TRUE)--> SHOWING --set_visible(FALSE)--> HIDDEN
 *   SHOWING --bus error (no display)--> FAILED (final; logged once) */
typedef enum
{
  EP_IDLE_SCREEN_HIDDEN,
  EP_IDLE_SCREEN_SHOWING,
  EP_IDLE_SCREEN_FAILED,
} EpIdleScreenState;

typedef struct _EpIdleScreen EpIdleScreen;

EpIdleScreen *ep_idle_screen_new (const gchar *room_name);
void ep_idle_screen_free (EpIdleScreen *screen);
void ep_idle_screen_set_visible (EpIdleScreen *screen, gboolean visible);
/* Updates the text (call every second): @next may be NULL. */
void ep_idle_screen_set_next (EpIdleScreen *screen, const EpMeeting *next);
EpIdleScreenState ep_idle_screen_get_state (EpIdleScreen *screen);

/* The idle-screen process (`vc-endpoint --config FILE idle-screen`): shows
 * the screen of @config's room until the end of stdin, taking the next
 * meeting from each line (ep-idle-child.h). Returns the exit status: 1 when
 * the screen cannot be shown (no display, missing elements). */
int ep_idle_screen_run (const EpConfig *config);

/* The text shown, for @now (seconds since the epoch); exposed for tests. */
gchar *ep_idle_screen_text (const gchar *room_name, const EpMeeting *next, gint64 now);

G_END_DECLS
