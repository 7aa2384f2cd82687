/* vc-time.h — RFC 3339 times in UTC, and Asia/Ho_Chi_Minh for display.
 *
 * Everything is stored as seconds since the epoch (UTC). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2026-11-21T08:00:00Z" */
gchar *vc_time_format_utc (gint64 unix_seconds);
/* Parses RFC 3339 with Z or an offset; FALSE if malformed. */
gboolean vc_time_parse (const gchar *text, gint64 *unix_seconds);
/* Seconds since the epoch, now (real time). */
gint64 vc_time_now (void);

G_END_DECLS
