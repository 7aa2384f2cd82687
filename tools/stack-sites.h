/* stack-sites.h — vc-stack --sites K: the bridge sites of one machine and
 * the roster copy that homes each room on one of them.
 *
 * Site 1 is the province bridge (`[bridge]`, code `province`); sites 2..K
 * are `site-2` … `site-K` (`[bridge:site-N]`, parent `province`), each a
 * vc-bridge of its own with STATE/site-N/{secret,bridge.ini}. Rooms of level
 * central, province or department are homed on `province`; the others, in
 * roster order, round-robin on site-2 … site-K. */
#pragma once

#include "stack-config.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define STACK_SITES_MAX 16
#define STACK_SITE_PROVINCE "province"

/* Parses the text of --sites: 1 to STACK_SITES_MAX. */
gboolean stack_sites_parse (const gchar *text, gint *sites, GError **error);

/* The code of site @index (0: province, 1: site-2, …). */
gchar *stack_sites_code (guint index);

/* Refuses a state folder whose database was made with another number of
 * sites (the roster, with its sites, is loaded into an empty database
 * only); otherwise records @sites in STATE/sites. */
gboolean stack_sites_check_state (StackPaths *paths, gint sites, GError **error);

/* Writes STATE/roster.ini: @source with a `site` key on every
 * [endpoint:CODE]. Returns its path; fills @homes (code → site code,
 * owned by the table). */
gchar *stack_sites_write_roster (StackPaths *paths, const gchar *source, gint sites,
                                 GHashTable *homes, GError **error);

/* The roster vc-scheduler loads by default (its embedded settings). */
gchar *stack_sites_default_roster (GError **error);

G_END_DECLS
