/* sched-model-room-site.h — the bridge site a room is homed on
 * (endpoints.site, schema v11; NULL: the default site). sched-sites.h says
 * what a site is; the roster loader writes the column, the bridge client
 * and the join tokens read it. Writes run inside the caller's transaction. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

/* Room @code's site into *@site (NULL: the default site, or no such
 * room). */
gboolean sched_room_site_get (SchedDb *db, const gchar *code, gchar **site, GError **error);
/* Homes room @code on @site (NULL: the default site). */
gboolean sched_room_site_set (SchedDb *db, const gchar *code, const gchar *site, GError **error);

G_END_DECLS
