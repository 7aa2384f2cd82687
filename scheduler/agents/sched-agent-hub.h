/* sched-agent-hub.h — the room agents' channel: WebSocket GET /api/v1/agent
 * (docs/protocol.md §4), one channel per endpoint, and the presence it
 * learns from them.
 *
 * Main thread only (libsoup dispatches every callback there). */
#pragma once

#include "sched-context.h"

#include "vc-agent-wire.h"

G_BEGIN_DECLS

typedef struct _SchedAgentHub SchedAgentHub;

SchedAgentHub *sched_agent_hub_new (SchedContext *ctx, SoupServer *server);
/* Closes every channel and removes the handler. */
void sched_agent_hub_free (SchedAgentHub *hub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedAgentHub, sched_agent_hub_free)

/* Pushes a fresh schedule to @endpoint's agent, or to every agent (NULL). */
void sched_agent_hub_schedule_changed (SchedAgentHub *hub, const gchar *endpoint);

/* Closes, with WebSocket code 4401 "token revoked", every channel opened
 * with token @token_id (just revoked). */
void sched_agent_hub_token_revoked (SchedAgentHub *hub, gint64 token_id);

/* FALSE when nothing is known about @endpoint (no agent has connected). */
gboolean sched_agent_hub_get_presence (SchedAgentHub *hub, const gchar *endpoint,
                                       SchedPresence *out);

/* Sends {"type":"join"|"leave","meeting":ID} (@type JOIN or LEAVE);
 * FALSE when offline. */
gboolean sched_agent_hub_send_command (SchedAgentHub *hub, const gchar *endpoint,
                                       VcAgentWireNoticeType type, gint64 meeting_id);

G_END_DECLS
