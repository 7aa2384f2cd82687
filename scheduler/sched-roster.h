/* sched-roster.h — loading units and endpoint rooms into an empty database.
 *
 * The roster is a key file (conf/roster-nghe-an.ini):
 *   [unit:CODE]      name=…  priority=N   (higher wins pre-emption)
 *                    level=…  parent=UNIT-CODE  valid_from=YYYY-MM-DD
 *                    valid_to=YYYY-MM-DD  successor=UNIT-CODE  (all optional;
 *                    dates are local midnights in @tz, valid_to exclusive
 *                    and requiring a successor)
 *   [endpoint:CODE]  name=…  level=central|province|district|department|commune
 *                    unit=UNIT-CODE  parent=ENDPOINT-CODE (both optional)
 *                    site=SITE-CODE (optional: the bridge site it is homed
 *                    on, sched-sites.h; none: the default site)
 * It is read only when the database has no unit and no endpoint, so that
 * changes made through the API are never overwritten. */
#pragma once

#include "sched-context.h"
#include "sched-db.h"

G_BEGIN_DECLS

/* Checks that a code is 1–64 of [a-z0-9-] (codes appear in URLs). */
gboolean sched_roster_code_is_valid (const gchar *code);
/* central, province, department, district (historic) or commune. */
gboolean sched_roster_level_is_valid (const gchar *level);

/* Local dd/mm/yyyy of @t in @tz. */
gchar *sched_roster_format_date (GTimeZone *tz, gint64 t);
/* Why a unit or room with this period is not valid at some date, for an
 * error message: "valid from 01/07/2025", "dissolved on 01/07/2025
 * (successor: CODE)", … */
gchar *sched_roster_describe_period (GTimeZone *tz, gint64 valid_from, gint64 valid_to,
                                     const gchar *successor);

/* Loads @path when the database is empty; *loaded tells whether it did.
 * Errors in the file are VC_CONFIG_ERROR naming file/group/key, and
 * nothing is loaded then. A room's site must be one of @settings' sites
 * (NULL settings: only the default site, "province"). */
gboolean sched_roster_load_if_empty (SchedDb *db, const gchar *path, GTimeZone *tz,
                                     const SchedSettings *settings, gboolean *loaded,
                                     GError **error);

G_END_DECLS
