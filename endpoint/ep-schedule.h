/* ep-schedule.h — the room's schedule as the scheduler last pushed it
 * (docs/protocol.md §4), in start order, and cached on disk so the agent
 * can join with the cached token when the scheduler is unreachable. The
 * message and the cache file are read and written by the agent channel's
 * codec (proto/vc-agent-wire.h). */
#pragma once

#include "vc-agent-wire.h"

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* TRUE when the parser holds an object (an empty text parses to no root). */
static inline gboolean
ep_json_root_is_object (JsonParser *parser)
{
  JsonNode *root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root);
}

/* One meeting: the codec's own struct. */
typedef VcAgentWireMeeting EpMeeting;

/* A g_atomic_rc_box: share it with ep_schedule_ref(). */
typedef struct
{
  gchar *endpoint;
  gint64 generated_at;
  GPtrArray *meetings; /* EpMeeting*, in start order */
} EpSchedule;

EpSchedule *ep_schedule_ref (EpSchedule *schedule);
void ep_schedule_unref (EpSchedule *schedule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpSchedule, ep_schedule_unref)

/* An empty schedule. */
EpSchedule *ep_schedule_new (const gchar *endpoint);

/* The agent's schedule from the codec's: takes @wire's members (and frees
 * @wire), sorting the meetings by start. */
EpSchedule *ep_schedule_new_from_wire (VcAgentWireSchedule *wire);
/* Parses a {"type":"schedule",…} text (vc_agent_wire_schedule_parse); a
 * malformed meeting makes the whole message malformed (the agent keeps
 * its previous schedule). VC_WIRE_ERROR on failure. */
EpSchedule *ep_schedule_parse (const gchar *text, gssize length, GError **error);
EpSchedule *ep_schedule_load (const gchar *path, GError **error);
/* Atomically replaces @path. */
gboolean ep_schedule_save (EpSchedule *schedule, const gchar *path, GError **error);

const EpMeeting *ep_schedule_find (EpSchedule *schedule, gint64 id);
/* The meeting to be in at @now: start - @lead <= now < end, status
 * scheduled, and a join token; the earliest such. NULL if none. */
const EpMeeting *ep_schedule_current (EpSchedule *schedule, gint64 now, gint64 lead);
/* The next meeting that has not started at @now. */
const EpMeeting *ep_schedule_next (EpSchedule *schedule, gint64 now);

G_END_DECLS
