/* sched-sites.h — the bridge sites: where each room's media goes.
 *
 * A province runs one bridge per site: the default site ([bridge] in
 * scheduler.ini, code [bridge] site, "province" by default) and, for groups
 * of communes, further sites ([bridge:CODE] groups: url, signal_url,
 * secret, parent). Sites form a tree by their parent (a site without one
 * hangs under the default site). Each room is homed on one site (the
 * roster's `site`, stored in endpoints.site; none: the default site).
 *
 * A meeting whose rooms span sites gets a room on each site it needs,
 * linked in a tree rooted at the chair's site: every site of one of its
 * rooms, and every site on the path between two of them
 * (sched_sites_meeting_tree()). The bridge client (agents/sched-bridge.c,
 * agents/sched-bridge-sites.c) opens, links and closes them.
 *
 * Pure functions over SchedSettings; main thread only. */
#pragma once

#include "sched-context.h"

#include "common/vc-config.h"

G_BEGIN_DECLS

/* One bridge site. In SchedSettings.sites (the [bridge:CODE] groups) the
 * strings are owned; from sched_sites_lookup() they are borrowed. */
typedef struct
{
  gchar *code;
  gchar *url;        /* the bridge's control API, http(s)://HOST:PORT */
  gchar *signal_url; /* http(s)/ws(s) base for signalling; NULL: from url */
  gchar *secret;     /* shared with that bridge: control API and join tokens */
  gchar *parent;     /* NULL only for the default site */
  gint capacity;     /* [bridge:CODE] capacity: participants until the bridge says */
  /* The bridge's own limits, as its GET /capacity last said (written by the
   * bridge client, agents/sched-bridge.c); 0 until it has answered. */
  gint max_rooms;
  gint max_participants;
} SchedSite;

void sched_site_free (SchedSite *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedSite, sched_site_free)

/* Reads [bridge] site and signal_url and every [bridge:CODE] group into
 * @s (after [bridge] url and secret): each needs url and secret, a parent
 * that is a site, and no cycle. Errors name the file, group and key. */
gboolean sched_sites_read (VcConfig *config, SchedSettings *s, GError **error);

/* The default site's code ([bridge] site; "province"). */
const gchar *sched_sites_default_code (const SchedSettings *s);
/* Whether more than the default site is configured. */
gboolean sched_sites_is_multi (const SchedSettings *s);
/* Fills @out with borrowed strings for site @code (NULL: the default
 * site). FALSE when no such site. */
gboolean sched_sites_lookup (const SchedSettings *s, const gchar *code, SchedSite *out);
/* Whether @code names a configured site. */
gboolean sched_sites_exists (const SchedSettings *s, const gchar *code);
/* Every site's code, the default first (free with g_strfreev). */
gchar **sched_sites_list_codes (const SchedSettings *s);

/* ws(s)://HOST:PORT/rooms/ID/signal of @site's bridge; NULL without a URL. */
gchar *sched_site_signal_url (const SchedSite *site, gint64 meeting_id);

/* The sites a meeting needs and how they link: @root is the chair's site,
 * @sites the sites of its rooms (codes). Returns code → the code of its
 * parent in the meeting ("" for @root); every site on the path between
 * @root and one of @sites is in it. */
GHashTable *sched_sites_meeting_tree (const SchedSettings *s, const gchar *root,
                                      const gchar *const *sites);

/* The share of each site in a meeting with chair @chair and rooms @codes
 * (gchar*): code → participants its bridge room carries (its rooms homed
 * there and one per child site's link), for every site of the meeting's
 * tree. A link is a participant on the parent and a room on the child. */
gboolean sched_sites_meeting_share (SchedDb *db, const SchedSettings *s, const gchar *chair,
                                    GPtrArray *codes, GHashTable **share, GError **error);
/* Writes the limits site @code's bridge reported (the default site's go
 * into SchedContext.bridge_max_* instead). */
void sched_sites_set_limits (SchedSettings *s, const gchar *code, gint max_rooms,
                             gint max_participants);

/* The endpoint code a child site's room has in its parent's room. */
gchar *sched_site_link_endpoint (const gchar *code);

G_END_DECLS
