/* sched-agent-message.h — what a room agent may say on its channel
 * (docs/protocol.md §4): "state" and "readiness" messages, parsed and
 * checked without touching any channel, so the parser can be fuzzed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SCHED_AGENT_MESSAGE_STATE,
  SCHED_AGENT_MESSAGE_READINESS,
} SchedAgentMessageType;

typedef struct
{
  SchedAgentMessageType type;
  gchar *state;   /* STATE: "idle" | "joining" | "in_meeting" */
  gint64 meeting; /* STATE: 0 when null or absent */
  gboolean ready; /* READINESS */
  gchar *reason;  /* READINESS: "" when absent */
} SchedAgentMessage;

/* Parses one text frame. FALSE with a static, user-facing @reason when the
 * frame is not a well-formed agent message; @out is then untouched. */
gboolean sched_agent_message_parse (const gchar *text, gsize len, SchedAgentMessage *out,
                                    const gchar **reason);

void sched_agent_message_clear (SchedAgentMessage *message);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SchedAgentMessage, sched_agent_message_clear)

G_END_DECLS
