/* ep-report.c — render the room's own report (see ep-report.h). Dates are
 * shown as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh, durations as H:MM:SS. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-report.h"
#include "vc-time.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

static GTimeZone *
report_tz (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");

  return tz ? tz : g_time_zone_new_offset (7 * 3600);
}

gboolean
ep_report_parse_date (const gchar *text, gboolean end_of_day, gint64 *out)
{
  gint y, m, d;
  gchar tail;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    {
      g_autoptr (GTimeZone) tz = report_tz ();
      g_autoptr (GDateTime) dt = g_date_time_new (tz, y, m, d, 0, 0, 0);

      if (dt == NULL)
        return FALSE;
      *out = g_date_time_to_unix (dt) + (end_of_day ? 24 * 3600 : 0);
      return TRUE;
    }
  return vc_time_parse (text, out);
}

static gchar *
format_duration (gint64 ms)
{
  gint64 s = (ms + 500) / 1000;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int)(s / 60 % 60),
                          (int)(s % 60));
}

gchar *
ep_report_render (EpJournal *journal, const gchar *endpoint, gint64 from, gint64 to, gboolean json,
                  GError **error)
{
  g_autoptr (GPtrArray) rows = ep_journal_report (journal, from, to, error);
  g_autoptr (GTimeZone) tz = report_tz ();
  gint64 total_ms = 0;

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    total_ms += ((EpReportRow *)rows->pdata[i])->duration_ms;

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "endpoint");
      json_builder_add_string_value (b, endpoint);
      json_builder_set_member_name (b, "meeting_count");
      json_builder_add_int_value (b, rows->len);
      json_builder_set_member_name (b, "total_seconds");
      json_builder_add_double_value (b, round (total_ms) / 1000.0);
      json_builder_set_member_name (b, "meetings");
      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        {
          EpReportRow *r = rows->pdata[i];
          g_autofree gchar *at = vc_time_format_utc (r->first_joined);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "meeting");
          json_builder_add_int_value (b, r->meeting);
          json_builder_set_member_name (b, "title");
          json_builder_add_string_value (b, r->title);
          json_builder_set_member_name (b, "first_joined");
          json_builder_add_string_value (b, at);
          json_builder_set_member_name (b, "duration_seconds");
          json_builder_add_double_value (b, round (r->duration_ms) / 1000.0);
          json_builder_set_member_name (b, "segments");
          json_builder_add_int_value (b, r->segments);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      {
        g_autofree gchar *text = json_to_string (root, TRUE);

        return g_strconcat (text, "\n", NULL);
      }
    }
  else
    {
      GString *out = g_string_new (NULL);
      g_autofree gchar *total = format_duration (total_ms);

      g_string_append_printf (out, "Endpoint %s: %02u meeting(s)\n", endpoint, rows->len);
      for (guint i = 0; i < rows->len; i++)
        {
          EpReportRow *r = rows->pdata[i];
          g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (r->first_joined);
          g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
          g_autofree gchar *when = g_date_time_format (local, "%d/%m/%Y %H:%M");
          g_autofree gchar *d = format_duration (r->duration_ms);

          g_string_append_printf (out, "  %s  %-40s %10s", when, r->title, d);
          if (r->segments > 1)
            g_string_append_printf (out, "  (%u segments)", r->segments);
          g_string_append_c (out, '\n');
        }
      g_string_append_printf (out, "Total: %s\n", total);
      return g_string_free (out, FALSE);
    }
}
