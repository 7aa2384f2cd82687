/* sched-json-text.h — the raw-text checks of proto/vc-json-text.h in the
 * scheduler's error domain. Every JSON text the scheduler accepts goes
 * through it or through a wire codec, which runs the same checks: request
 * bodies (sched_http_read_json_object) and history files here, the agent
 * channel's frames in proto/vc-agent-wire.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* vc_json_text_check(), its error as SCHED_ERROR_INVALID with the same
 * field ("title", "endpoints[1]", "events[0].reason"; none for the
 * document itself) and message. */
gboolean sched_json_text_check (const gchar *text, gsize length, GError **error);

G_END_DECLS
