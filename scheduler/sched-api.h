/* sched-api.h — the booking service's HTTP handlers, one file per resource:
 *   sched-api-meetings.c   /api/v1/meetings[/ID[/extend|/end|/attendance]]
 *   sched-api-roster.c     /api/v1/units, /api/v1/endpoints[/CODE], /api/v1/me,
 *                          /api/v1/attendance, /api/v1/history
 *   sched-api-service.c    /healthz, /metrics, /, /static/, /vendor/
 *   sched-tokens.c         /api/v1/tokens[/ID] (admin)
 *   sched-api-reorg.c      /api/v1/reorganisations[/preview|/affected]
 *   sched-api-holidays.c   /api/v1/holidays[?year=YYYY|/ID] (writes: admin)
 * Every handler runs on the main thread (libsoup dispatches there) with the
 * SchedCore as user data. */
#pragma once

#include "sched-core.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

void sched_api_meetings_register (SchedCore *core, SoupServer *server);
void sched_api_roster_register (SchedCore *core, SoupServer *server);
void sched_api_service_register (SchedCore *core, SoupServer *server);
void sched_api_tokens_register (SchedCore *core, SoupServer *server);
void sched_api_reorg_register (SchedCore *core, SoupServer *server);
void sched_api_holidays_register (SchedCore *core, SoupServer *server);

/* Shared helpers. */
void sched_api_reply_method_not_allowed (SoupServerMessage *msg, const gchar *allow);
void sched_api_reply_not_found (SoupServerMessage *msg, const gchar *path);
/* Parses a decimal id; FALSE when it is not one. */
gboolean sched_api_parse_id (const gchar *text, gint64 *id);

G_END_DECLS
