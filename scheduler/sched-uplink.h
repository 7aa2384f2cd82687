/* sched-uplink.h — a meeting's link to a higher-level (central) conference
 * (issue #15, part 3; docs/central-conference.md): the rules of setting and
 * removing it, shared by the HTTP API (agents/sched-uplink-api.c) and the
 * CLI (`vc-scheduler uplink set|clear`). The bridge client
 * (agents/sched-bridge-uplink.c) posts the stored link to the bridge.
 *
 * Part of libvc-sched-base; rows in sched-model-uplink.c. */
#pragma once

#include "sched-model-uplink.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What the link token says of itself (not verified: it is signed with the
 * central site's secret, which this scheduler does not have). */
typedef struct
{
  gchar *endpoint; /* the participant the province is in the central room, or NULL */
  gchar *meeting;  /* the central room, or NULL */
  gint64 exp;      /* 0: none */
  gboolean link;
} SchedUplinkClaims;

void sched_uplink_claims_clear (SchedUplinkClaims *claims);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SchedUplinkClaims, sched_uplink_claims_clear)

/* Checks a request: @signal_url a ws:// or wss:// URL with a host whose path
 * ends in /signal, without a query or fragment; @token a JWT (three
 * base64url parts, the middle one a JSON object) with "link": true and, if
 * it has an expiry, not expired at @now. SCHED_ERROR_INVALID naming the
 * field. @claims (may be NULL) gets the token's claims. */
gboolean sched_uplink_check (const gchar *signal_url, const gchar *token, gint64 now,
                             SchedUplinkClaims *claims, GError **error);

/* Stores the link of meeting @meeting_id, with an audit line, in one
 * transaction: NOT_FOUND when there is no such meeting, INVALID (reason
 * "meeting_over") when it has ended or was cancelled or displaced, INVALID
 * for a bad request (sched_uplink_check). Nothing changes on an error. */
SchedUplink *sched_uplink_set (SchedDb *db, gint64 meeting_id, const gchar *signal_url,
                               const gchar *token, const gchar *actor, gint64 now, GError **error);
/* Removes it, with an audit line: NOT_FOUND when the meeting has none. */
gboolean sched_uplink_clear (SchedDb *db, gint64 meeting_id, const gchar *actor, gint64 now,
                             GError **error);

/* Adds the stored link's members, never the token, to an open object:
 * "signal_url", "endpoint", "central_room", "token_expires_at", "set_by",
 * "set_at" (null members for NULL @uplink). */
void sched_uplink_add_json (const SchedUplink *uplink, JsonBuilder *b);

G_END_DECLS
