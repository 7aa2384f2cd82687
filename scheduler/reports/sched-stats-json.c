/* sched-stats-json.c — SchedStats as the JSON body of /api/v1/stats.
 *
 * Shape (docs/api-reports.md): window, totals, groups; with a comparison,
 * "previous" (window + totals) and "change_pct" at the top and in each
 * group. Minutes keep one decimal, rates four, percentages one. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-stats.h"
#include "sched-http.h"

static void
json_add_metrics (JsonBuilder *b, const SchedStatsMetrics *m)
{
  guint n;
  const SchedStatsField *fields = sched_stats_fields (&n);

  for (guint i = 0; i < n; i++)
    {
      gdouble value;

      json_builder_set_member_name (b, fields[i].name);
      if (!fields[i].get (m, &value))
        json_builder_add_null_value (b);
      else if (fields[i].decimals == 0)
        json_builder_add_int_value (b, (gint64)value);
      else
        json_builder_add_double_value (b, sched_stats_round (value, fields[i].decimals));
    }
}

static void
json_add_change (JsonBuilder *b, const SchedStatsMetrics *current,
                 const SchedStatsMetrics *previous)
{
  guint n;
  const SchedStatsField *fields = sched_stats_fields (&n);

  json_builder_set_member_name (b, "change_pct");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      gdouble now, before, pct;

      json_builder_set_member_name (b, fields[i].name);
      if (fields[i].get (current, &now) && fields[i].get (previous, &before)
          && sched_stats_change_pct (now, before, &pct))
        json_builder_add_double_value (b, sched_stats_round (pct, 1));
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
}

JsonNode *
sched_stats_to_json (const SchedStats *stats, GTimeZone *tz)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gboolean compare = stats->query.compare != SCHED_STATS_COMPARE_NONE;

  json_builder_begin_object (b);
  sched_json_add_time (b, "from", stats->query.from);
  sched_json_add_time (b, "to", stats->query.to);
  json_builder_set_member_name (b, "time_zone");
  json_builder_add_string_value (b, g_time_zone_get_identifier (tz));
  json_builder_set_member_name (b, "group_by");
  json_builder_add_string_value (b, sched_stats_group_to_string (stats->query.group_by));
  json_builder_set_member_name (b, "compare");
  if (compare)
    json_builder_add_string_value (b, sched_stats_compare_to_string (stats->query.compare));
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "units");
  json_builder_add_string_value (b, sched_stats_units_to_string (stats->query.units));
  /* how fresh the figures are: every change up to this time is counted */
  if (stats->as_of)
    sched_json_add_time (b, "as_of", stats->as_of);
  else
    {
      json_builder_set_member_name (b, "as_of");
      json_builder_add_null_value (b);
    }
  if (compare)
    {
      /* the roster changed between the two windows: the units compared differ */
      json_builder_set_member_name (b, "units_differ");
      json_builder_add_boolean_value (b, stats->roster_changed_at != 0);
      if (stats->roster_changed_at)
        sched_json_add_time (b, "roster_changed_at", stats->roster_changed_at);
      else
        {
          json_builder_set_member_name (b, "roster_changed_at");
          json_builder_add_null_value (b);
        }
    }

  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  json_add_metrics (b, &stats->totals);
  json_builder_end_object (b);

  if (compare)
    {
      json_builder_set_member_name (b, "previous");
      json_builder_begin_object (b);
      sched_json_add_time (b, "from", stats->previous_from);
      sched_json_add_time (b, "to", stats->previous_to);
      json_builder_set_member_name (b, "totals");
      json_builder_begin_object (b);
      json_add_metrics (b, &stats->previous_totals);
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_add_change (b, &stats->totals, &stats->previous_totals);
    }

  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < stats->rows->len; i++)
    {
      const SchedStatsRow *row = g_ptr_array_index (stats->rows, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, row->key);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, row->name);
      json_add_metrics (b, &row->current);
      if (compare)
        {
          json_builder_set_member_name (b, "previous");
          json_builder_begin_object (b);
          json_add_metrics (b, &row->previous);
          json_builder_end_object (b);
          json_add_change (b, &row->current, &row->previous);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
