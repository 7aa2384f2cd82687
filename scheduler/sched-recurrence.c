/* sched-recurrence.c — RRULE expansion; see the header. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-recurrence.h"

#include "sched-error.h"
#include "sched-http.h"
#include "common/vc-time.h"

#include <libical/ical.h>
#include <string.h>

static gboolean
recurrence_byday_is_valid (const gchar *day)
{
  static const gchar *const names[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };
  gsize n = strlen (day), i = 0;

  if (n < 2 || n > 5)
    return FALSE;
  if (day[0] == '+' || day[0] == '-')
    i++;
  while (i < n - 2 && g_ascii_isdigit (day[i]))
    i++;
  if (i != n - 2)
    return FALSE;
  for (gsize k = 0; k < G_N_ELEMENTS (names); k++)
    if (strcmp (day + i, names[k]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
recurrence_get_int (JsonObject *o, const gchar *name, gint64 min, gint64 max, gint64 *out,
                    gboolean *present, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  g_autofree gchar *field = g_strconcat ("recurrence.", name, NULL);

  *present = n != NULL && !JSON_NODE_HOLDS_NULL (n);
  if (!*present)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field, "must be a whole number");
      return FALSE;
    }
  *out = json_node_get_int (n);
  if (*out < min || *out > max)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, field,
                             "must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, min, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
recurrence_add_byday (JsonObject *o, GString *rule, JsonBuilder *norm, GError **error)
{
  JsonNode *n = json_object_get_member (o, "byday");
  JsonArray *a;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (a = json_node_get_array (n)) == 0
      || json_array_get_length (a) > 7 * 5)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence.byday",
                             "must be a non-empty array like [\"MO\", \"WE\"]");
      return FALSE;
    }
  g_string_append (rule, ";BYDAY=");
  json_builder_set_member_name (norm, "byday");
  json_builder_begin_array (norm);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      const gchar *day = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                             ? json_node_get_string (e)
                             : NULL;
      if (day == NULL || !recurrence_byday_is_valid (day))
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence.byday",
                                 "element %u is not a day MO, TU, WE, TH, FR, SA or SU", i);
          return FALSE;
        }
      g_string_append_printf (rule, "%s%s", i ? "," : "", day);
      json_builder_add_string_value (norm, day);
    }
  json_builder_end_array (norm);
  return TRUE;
}

/* COUNT, or UNTIL as floating local time like DTSTART. */
static gboolean
recurrence_add_end (GString *rule, JsonBuilder *norm, GTimeZone *tz, gboolean has_count,
                    gint64 count, gint64 until, GError **error)
{
  if (has_count)
    {
      g_string_append_printf (rule, ";COUNT=%" G_GINT64_FORMAT, count);
      json_builder_set_member_name (norm, "count");
      json_builder_add_int_value (norm, count);
    }
  else
    {
      /* UNTIL as floating local time, like DTSTART. */
      g_autoptr (GDateTime) u = g_date_time_new_from_unix_utc (until);
      g_autoptr (GDateTime) local = u ? g_date_time_to_timezone (u, tz) : NULL;
      g_autofree gchar *text = local ? g_date_time_format (local, "%Y%m%dT%H%M%S") : NULL;
      g_autofree gchar *iso = vc_time_format_utc (until);
      if (text == NULL)
        {
          sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence.until", "out of range");
          return FALSE;
        }
      g_string_append_printf (rule, ";UNTIL=%s", text);
      json_builder_set_member_name (norm, "until");
      json_builder_add_string_value (norm, iso);
    }
  return TRUE;
}

/* Builds the RRULE text and the normalised JSON rule. */
static gboolean
recurrence_build_rule (JsonObject *o, GTimeZone *tz, gint max, GString *rule, JsonBuilder *norm,
                       gint64 *count_out, GError **error)
{
  static const gchar *const freqs[] = { "daily", "weekly", "monthly" };
  const gchar *freq = NULL;
  JsonNode *n = json_object_get_member (o, "freq");
  gint64 interval = 1, count = 0, until = 0;
  gboolean has_interval, has_count, has_until;

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    for (gsize i = 0; i < G_N_ELEMENTS (freqs); i++)
      if (g_strcmp0 (json_node_get_string (n), freqs[i]) == 0)
        freq = freqs[i];
  if (freq == NULL)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence.freq",
                             "must be daily, weekly or monthly");
      return FALSE;
    }
  if (!recurrence_get_int (o, "interval", 1, 365, &interval, &has_interval, error)
      || !recurrence_get_int (o, "count", 1, max, &count, &has_count, error))
    return FALSE;
  n = json_object_get_member (o, "until");
  has_until = n != NULL && !JSON_NODE_HOLDS_NULL (n);
  if (has_until && !(JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence.until",
                             "must be an RFC 3339 time");
      return FALSE;
    }
  if (has_until
      && !sched_http_parse_time (json_node_get_string (n), "recurrence.until", &until, error))
    return FALSE;
  if (has_count == has_until)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID,
                             has_count ? "recurrence.until" : "recurrence.count",
                             "give exactly one of count and until");
      return FALSE;
    }
  g_autofree gchar *upper = g_ascii_strup (freq, -1);
  g_string_append_printf (rule, "FREQ=%s;INTERVAL=%" G_GINT64_FORMAT, upper, interval);
  json_builder_begin_object (norm);
  json_builder_set_member_name (norm, "freq");
  json_builder_add_string_value (norm, freq);
  json_builder_set_member_name (norm, "interval");
  json_builder_add_int_value (norm, interval);
  if (!recurrence_add_end (rule, norm, tz, has_count, count, until, error))
    return FALSE;
  if (!recurrence_add_byday (o, rule, norm, error))
    return FALSE;
  json_builder_end_object (norm);
  *count_out = count;
  return TRUE;
}

gboolean
sched_recurrence_expand (JsonObject *o, gint64 first_start, GTimeZone *tz, gint max, GArray *starts,
                         gchar **rule_json, GError **error)
{
  g_autoptr (GString) rule = g_string_new (NULL);
  g_autoptr (JsonBuilder) norm = json_builder_new ();
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (first_start);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  struct icaltimetype dtstart = icaltime_null_time ();
  struct icalrecurrencetype recur;
  icalrecur_iterator *it;
  gint64 count = 0;

  if (!recurrence_build_rule (o, tz, max, rule, norm, &count, error))
    return FALSE;
  recur = icalrecurrencetype_from_string (rule->str);
  if (recur.freq == ICAL_NO_RECURRENCE)
    {
      icalerror_clear_errno ();
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence", "is not a valid rule");
      return FALSE;
    }
  dtstart.year = g_date_time_get_year (local);
  dtstart.month = g_date_time_get_month (local);
  dtstart.day = g_date_time_get_day_of_month (local);
  dtstart.hour = g_date_time_get_hour (local);
  dtstart.minute = g_date_time_get_minute (local);
  dtstart.second = g_date_time_get_second (local);
  it = icalrecur_iterator_new (recur, dtstart);
  if (it == NULL)
    {
      icalerror_clear_errno ();
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence", "is not a valid rule");
      return FALSE;
    }
  for (struct icaltimetype t = icalrecur_iterator_next (it); !icaltime_is_null_time (t);
       t = icalrecur_iterator_next (it))
    {
      g_autoptr (GDateTime) occ
          = g_date_time_new (tz, t.year, t.month, t.day, t.hour, t.minute, t.second);
      gint64 s;
      if (occ == NULL)
        continue;
      s = g_date_time_to_unix (occ);
      if (s < first_start)
        continue; /* BYDAY can name days before the first start's weekday */
      if ((gint)starts->len >= max)
        {
          icalrecur_iterator_free (it);
          sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence",
                                 "more than %d occurrences", max);
          return FALSE;
        }
      g_array_append_val (starts, s);
    }
  icalrecur_iterator_free (it);
  if (starts->len == 0 || g_array_index (starts, gint64, 0) != first_start)
    {
      /* The first start must itself be an occurrence (e.g. BYDAY matches it). */
      sched_error_set_field (error, SCHED_ERROR_INVALID, "recurrence.byday",
                             "the first start is not one of the rule's days");
      return FALSE;
    }
  g_autoptr (JsonNode) root = json_builder_get_root (norm);
  *rule_json = json_to_string (root, FALSE);
  return TRUE;
}
