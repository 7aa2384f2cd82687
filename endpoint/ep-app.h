/* ep-app.h — one room agent: the objects of vc-endpoint wired together
 * (journal, outbox, schedule cache, agent channel, state machine, media,
 * idle screen, readiness). main.c only parses options, loads the config,
 * installs signal handlers and runs the loop. Main thread only. */
#pragma once

#include "ep-config.h"

G_BEGIN_DECLS

typedef struct _EpApp EpApp;

/* Takes @config. Opens the journal, closes a segment left open by a crash,
 * loads the cached schedule. */
EpApp *ep_app_new (EpConfig *config, GError **error);
void ep_app_free (EpApp *app);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpApp, ep_app_free)

void ep_app_start (EpApp *app);

/* Leaves the meeting (journal "left"), tries to flush the outbox for up to
 * @flush_timeout_ms, then calls @done. */
void ep_app_shutdown (EpApp *app, guint flush_timeout_ms, GSourceFunc done, gpointer data);

G_END_DECLS
