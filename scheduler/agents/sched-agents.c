/* sched-agents.c — wires the live side into the scheduler (sched-agents.h):
 * the agent hub (sched-agent-hub.c), the bridge room opener (sched-bridge.c),
 * the monitor handlers (sched-monitor.c) and the recordings (fetcher and
 * retention in sched-recordings.c, archive API in sched-recordings-api.c) and
 * the central-conference link (sched-uplink-api.c, sched-bridge-uplink.c), joined to the rest of
 * the scheduler only through the SchedContext hooks. Main thread only. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-agents.h"
#include "sched-agent-hub.h"
#include "sched-bridge.h"
#include "sched-monitor.h"
#include "sched-recordings-api.h"
#include "sched-recordings.h"
#include "sched-uplink-api.h"

typedef struct
{
  SoupServer *server;
} AgentsRegistration;

static AgentsRegistration registration; /* one scheduler per process */

static gboolean
hook_get_presence (SchedContext *ctx, const gchar *endpoint, SchedPresence *out)
{
  return ctx->hub ? sched_agent_hub_get_presence (ctx->hub, endpoint, out) : FALSE;
}

static void
hook_schedule_changed (SchedContext *ctx, const gchar *endpoint)
{
  if (ctx->hub)
    sched_agent_hub_schedule_changed (ctx->hub, endpoint);
}

/* The bridge room only: the schedules of the meeting's rooms are told by
 * schedule_changed, once per room, by the same commit's change set
 * (sched-change-set.c), which adds every room of every changed meeting. */
static void
hook_meeting_changed (SchedContext *ctx, gint64 meeting_id)
{
  if (ctx->bridge)
    sched_bridge_meeting_changed (ctx->bridge, meeting_id);
}

static void
hook_token_revoked (SchedContext *ctx, gint64 token_id)
{
  if (ctx->hub)
    sched_agent_hub_token_revoked (ctx->hub, token_id);
}

void
sched_agents_register (SchedContext *ctx, SoupServer *server)
{
  g_return_if_fail (ctx != NULL);
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (ctx->hub == NULL && ctx->bridge == NULL);

  registration.server = g_object_ref (server);
  ctx->hub = sched_agent_hub_new (ctx, server);
  ctx->bridge = sched_bridge_new (ctx);
  ctx->get_presence = hook_get_presence;
  ctx->schedule_changed = hook_schedule_changed;
  ctx->meeting_changed = hook_meeting_changed;
  ctx->token_revoked = hook_token_revoked;
  sched_monitor_register (ctx, server, ctx->hub, ctx->bridge);
  ctx->recorder = sched_recorder_new (ctx);
  sched_recordings_api_register (ctx, server, ctx->bridge, ctx->recorder);
  sched_uplink_api_register (ctx, ctx->bridge);
}

void
sched_agents_unregister (SchedContext *ctx)
{
  g_return_if_fail (ctx != NULL);

  ctx->get_presence = NULL;
  ctx->schedule_changed = NULL;
  ctx->meeting_changed = NULL;
  ctx->token_revoked = NULL;
  if (registration.server)
    {
      sched_monitor_unregister (registration.server);
      sched_recordings_api_unregister (ctx, registration.server);
      sched_uplink_api_unregister (ctx);
    }
  g_clear_pointer ((SchedRecorder **)&ctx->recorder, sched_recorder_free);
  g_clear_pointer ((SchedBridge **)&ctx->bridge, sched_bridge_free);
  g_clear_pointer ((SchedAgentHub **)&ctx->hub, sched_agent_hub_free);
  g_clear_object (&registration.server);
}
