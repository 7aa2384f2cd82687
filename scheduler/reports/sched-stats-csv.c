/* sched-stats-csv.c — SchedStats as CSV for spreadsheets.
 *
 * RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF are quoted
 * and their quotes doubled. UTF-8 with a byte-order mark, which is what
 * makes Excel read Vietnamese names correctly. One header line, one line per
 * group, and a last line with key "total". Numbers use a decimal point; a
 * null (attendance_rate without held meetings, change_pct against 0) is an
 * empty field. With a comparison, previous_* and change_pct_* columns follow
 * the current ones.
 *
 * Text cells (the group's key and name) come from names anyone with an
 * admin or roster file can set, and a spreadsheet runs a cell that starts
 * with = + - @ (or a tab or CR before one) as a formula. As OWASP's "CSV
 * injection" advice says, such a cell gets a leading single quote and is
 * quoted. Numbers are written by this file itself and never escaped, so a
 * negative change_pct stays a number. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"

#include <string.h>

/* Appends one field as RFC 4180 has it: quoted (quotes doubled) when it
 * holds a comma, quote, CR or LF, or when @force_quote. */
static void
csv_add_field_quoted (GString *out, const gchar *prefix, const gchar *text, gboolean force_quote)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, ',');
  if (!force_quote && text[strcspn (text, ",\"\r\n")] == '\0')
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  g_string_append (out, prefix);
  for (const gchar *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A field this file formatted itself (a number, or empty). */
static void
csv_add_field (GString *out, const gchar *text)
{
  csv_add_field_quoted (out, "", text, FALSE);
}

/* A text cell from the database: neutralised when a spreadsheet would
 * take it for a formula. */
static void
csv_add_text (GString *out, const gchar *text)
{
  gboolean formula = text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;

  csv_add_field_quoted (out, formula ? "'" : "", text, formula);
}

static void
csv_add_number (GString *out, gboolean present, gdouble value, gint decimals)
{
  gchar buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!present)
    {
      csv_add_field (out, "");
      return;
    }
  if (decimals == 0)
    g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, (gint64)value);
  else
    g_ascii_formatd (buffer, sizeof buffer, decimals == 1 ? "%.1f" : "%.4f",
                     sched_stats_round (value, decimals));
  csv_add_field (out, buffer);
}

static void
csv_add_line (GString *out, const gchar *key, const gchar *name, const SchedStatsMetrics *current,
              const SchedStatsMetrics *previous, const gchar *units_differ)
{
  guint n;
  const SchedStatsField *fields = sched_stats_fields (&n);

  csv_add_text (out, key);
  csv_add_text (out, name);
  for (guint i = 0; i < n; i++)
    {
      gdouble v = 0;
      gboolean present = fields[i].get (current, &v);
      csv_add_number (out, present, v, fields[i].decimals);
    }
  if (previous)
    {
      for (guint i = 0; i < n; i++)
        {
          gdouble v = 0;
          gboolean present = fields[i].get (previous, &v);
          csv_add_number (out, present, v, fields[i].decimals);
        }
      for (guint i = 0; i < n; i++)
        {
          gdouble now = 0, before = 0, pct = 0;
          gboolean present = fields[i].get (current, &now) && fields[i].get (previous, &before)
                             && sched_stats_change_pct (now, before, &pct);
          csv_add_number (out, present, pct, 1);
        }
      csv_add_field (out, units_differ);
    }
  g_string_append (out, "\r\n");
}

gchar *
sched_stats_to_csv (const SchedStats *stats, gsize *out_length)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");
  gboolean compare = stats->query.compare != SCHED_STATS_COMPARE_NONE;
  guint n;
  const SchedStatsField *fields = sched_stats_fields (&n);
  const gchar *units_differ = stats->roster_changed_at != 0 ? "true" : "false";

  /* The BOM is not a field: start the header as a fresh line. */
  g_string_append (out, sched_stats_group_to_string (stats->query.group_by));
  g_string_append (out, ",name");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, ",%s", fields[i].name);
  if (compare)
    {
      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, ",previous_%s", fields[i].name);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, ",change_pct_%s", fields[i].name);
      /* the roster changed between the two periods: the units compared
       * differ (the JSON's units_differ), on every line */
      g_string_append (out, ",units_differ");
    }
  g_string_append (out, "\r\n");

  for (guint i = 0; i < stats->rows->len; i++)
    {
      const SchedStatsRow *row = g_ptr_array_index (stats->rows, i);
      csv_add_line (out, row->key, row->name, &row->current, compare ? &row->previous : NULL,
                    units_differ);
    }
  csv_add_line (out, "total", "Tổng cộng", &stats->totals, compare ? &stats->previous_totals : NULL,
                units_differ);

  if (out_length)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
