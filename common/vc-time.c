/* vc-time.c — RFC 3339 parsing and formatting with GDateTime. */
#define G_LOG_DOMAIN "vc-common"

#include "vc-time.h"

#include <string.h>

gchar *
vc_time_format_utc (gint64 unix_seconds)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);
  if (dt == NULL)
    return g_strdup ("invalid");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
vc_time_parse (const gchar *text, gint64 *unix_seconds)
{
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  /* RFC 3339 needs a date, a 'T' (or space) and an offset; GDateTime accepts
   * more forms of ISO 8601, so insist on the length of the date part. */
  if (strlen (text) < 20 || text[4] != '-' || text[7] != '-'
      || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (dt);
  return TRUE;
}

gint64
vc_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
