/* sched-bridge-sites.h — what one site's bridge room of a meeting holds
 * when the meeting's rooms span bridge sites (sched-sites.h): its local
 * rooms, a link participant for each child site of the meeting's tree, and
 * the parent site it links up to (POST /rooms/{id}/uplink with a link token
 * signed with the parent's secret, docs/protocol.md §5). The bridge client
 * (sched-bridge.c) runs one SchedBridge per site and asks here.
 *
 * Main thread only. */
#pragma once

#include "sched-context.h"
#include "sched-model-meeting.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Meeting @meeting's room on site @site. */
typedef struct
{
  gboolean wanted;   /* the meeting needs a room on @site */
  GPtrArray *locals; /* SchedParticipant* of the meeting homed on @site (borrowed) */
  GPtrArray *links;  /* gchar* site codes of @site's children in the meeting */
  gchar *parent;     /* the parent site in the meeting, NULL at its root */
  GPtrArray *all;    /* owns every SchedParticipant */
} SchedBridgeSitePlan;

void sched_bridge_site_plan_free (SchedBridgeSitePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedBridgeSitePlan, sched_bridge_site_plan_free)

/* The plan of @meeting on @site (NULL: the default site); NULL with @error
 * when the database fails. A room whose site is not configured any more
 * counts as the default site's. */
SchedBridgeSitePlan *sched_bridge_site_plan (SchedContext *ctx, const gchar *site,
                                             const SchedMeeting *meeting, GError **error);

/* The site room @code is homed on, as configured (never NULL). */
gchar *sched_bridge_site_of_room (SchedContext *ctx, const gchar *code);

/* The body of POST /rooms/{id}/uplink for @meeting's room on child site
 * @child, whose meeting parent is @parent: the parent's signalling URL and
 * a link token signed with the parent's secret. NULL when the parent has
 * no URL or secret. */
JsonNode *sched_bridge_site_uplink_body (SchedContext *ctx, const gchar *child, const gchar *parent,
                                         const SchedMeeting *meeting);

G_END_DECLS
