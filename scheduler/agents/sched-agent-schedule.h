/* sched-agent-schedule.h — what a room agent is told: its schedule, with a
 * signalling URL and a join token per meeting (docs/protocol.md §1, §4).
 *
 * Pure functions of the database and the settings; the hub sends what they
 * build and the monitor uses the token/URL helpers for guest join links. */
#pragma once

#include "sched-context.h"

#include "vc-agent-wire.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* TRUE when the parser holds an object (an empty text parses to no root). */
static inline gboolean
sched_agent_json_root_is_object (JsonParser *parser)
{
  JsonNode *root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root);
}

/* ws://HOST:PORT/rooms/ID/signal from settings->bridge_url (http→ws,
 * https→wss); NULL when no bridge is configured. */
gchar *sched_agent_signal_url (const SchedSettings *settings, gint64 meeting_id);

/* A join token signed with settings->bridge_secret; NULL when no secret.
 * @chair (the meeting's chair endpoint) goes into every token: a room token
 * that opens the room on the bridge while the scheduler is away brings it
 * (docs/protocol.md §1). */
gchar *sched_agent_join_token (const SchedSettings *settings, gint64 meeting_id,
                               const gchar *endpoint, const gchar *name, const gchar *chair,
                               gboolean guest, gint64 expires, gint64 now);

/* The text of the {"type":"schedule",…} message for @endpoint at @now: its
 * meetings that have not ended, in start order, at most
 * VC_AGENT_WIRE_SCHEDULE_MAX_MEETINGS within VC_AGENT_WIRE_SCHEDULE_HORIZON_SECONDS. */
gchar *sched_agent_schedule_build (SchedContext *ctx, const gchar *endpoint, gint64 now,
                                   GError **error);

G_END_DECLS
