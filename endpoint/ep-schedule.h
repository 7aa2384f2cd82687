/* ep-schedule.h — the room's schedule as the scheduler last pushed it
 * (docs/protocol.md §4), parsed, validated, and cached on disk so the agent
 * can join with the cached token when the scheduler is unreachable. */
#pragma once

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

typedef struct
{
  gint64 id;
  gchar *title;
  gchar *unit;
  gchar *unit_name;
  gchar *chair;
  gint64 start, end; /* seconds since the epoch */
  gchar *status;     /* scheduled | cancelled | ended */
  gchar *signal_url;
  gchar *join_token;
  gint64 token_expires;
} EpMeeting;

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

/* Parses a {"type":"schedule",…} object; meetings that are malformed make the
 * whole message malformed (the agent keeps its previous schedule). */
EpSchedule *ep_schedule_from_json (JsonObject *object, GError **error);
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
