/* sched-reports-api.c — HTTP handlers for statistics, reports and calendars.
 *
 *   GET /api/v1/stats            JSON statistics (sched-stats-json.c)
 *   GET /api/v1/stats.csv        the same as CSV (sched-stats-csv.c)
 *   GET /api/v1/reports/summary  {"text": …} (sched-report-text.c)
 *   GET /api/v1/calendar.ics     iCalendar feed (sched-calendar.c)
 *
 * Every handler: authenticate (401) → role (403) → parameters (422) →
 * work → reply; errors go through sched_http_reply_error(). Handlers run on
 * the main thread; the statistics read the rollup (a few thousand rows per
 * year), so they stay short. Parameters are documented in
 * docs/api-reports.md. */
#define G_LOG_DOMAIN "vc-scheduler-reports"

#include "sched-reports.h"
#include "sched-calendar.h"
#include "sched-error.h"
#include "sched-http.h"
#include "sched-report-text.h"
#include "sched-stats.h"
#include "vc-time.h"

#include <string.h>

/* How far back a calendar feed reaches (meetings that ended earlier are
 * left out to keep feeds small). */
#define CALENDAR_PAST_SECONDS (G_GINT64_CONSTANT (180) * 86400)

static gboolean
reports_check_method (SoupServerMessage *msg)
{
  const gchar *method = soup_server_message_get_method (msg);

  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                "GET, HEAD");
  sched_http_reply_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "application/json; charset=utf-8",
                         "{\"error\":\"method_not_allowed\",\"message\":\"use GET\"}", -1);
  return FALSE;
}

static gboolean
reports_check_path (SoupServerMessage *msg, const gchar *path, const gchar *expected)
{
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (path, expected) == 0)
    return TRUE;
  g_set_error (&error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND, "no such resource: %s", path);
  sched_http_reply_error (msg, error);
  return FALSE;
}

/* Local midnight starting the day after the local day of @t. */
static gint64
reports_next_local_midnight (GTimeZone *tz, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autoptr (GDateTime) midnight
      = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr (GDateTime) next = g_date_time_add_days (midnight, 1);
  return g_date_time_to_unix (next);
}

/* from/to: RFC 3339 or a local date YYYY-MM-DD; a date as `to` is
 * inclusive (the window ends at the next local midnight). Defaults: from
 * the first of January of the current local year to the end of today. */
static gboolean
reports_parse_window (SchedContext *ctx, GHashTable *query, gint64 *from, gint64 *to,
                      GError **error)
{
  gint64 now = vc_time_now ();
  g_autoptr (GDateTime) now_utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) now_local = g_date_time_to_timezone (now_utc, ctx->tz);
  g_autoptr (GDateTime) year_start
      = g_date_time_new (ctx->tz, g_date_time_get_year (now_local), 1, 1, 0, 0, 0);
  const gchar *to_text = sched_http_query (query, "to");

  if (!sched_http_query_time (query, "from", ctx->tz, g_date_time_to_unix (year_start), from,
                              error))
    return FALSE;
  if (!sched_http_query_time (query, "to", ctx->tz, reports_next_local_midnight (ctx->tz, now), to,
                              error))
    return FALSE;
  if (to_text && strlen (to_text) == 10)
    *to = reports_next_local_midnight (ctx->tz, *to);
  if (*from >= *to)
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "to",
                             "the end of the period must be after its start");
      return FALSE;
    }
  return TRUE;
}

/* ---- waiting for a background refresh of the rollup ---- */

#define REPORTS_REFRESHER_KEY "sched-stats-refresher"

/* A statistics request held while a background refresh writes the rollup
 * (sched-stats-refresher.c). */
typedef struct
{
  SchedContext *ctx;
  SoupServer *server; /* not a reference: it owns the refresher, which owns this */
  SoupServerMessage *msg;
  gchar *path;
  GHashTable *query;
  SoupServerCallback handler;
} ReportsWaiting;

static void
reports_waiting_free (gpointer data)
{
  ReportsWaiting *w = data;

  g_object_unref (w->msg);
  g_free (w->path);
  g_clear_pointer (&w->query, g_hash_table_unref);
  g_free (w);
}

/* main thread */
static gboolean
on_rollup_refreshed (gpointer data)
{
  ReportsWaiting *w = data;

  w->handler (w->server, w->msg, w->path, w->query, w->ctx);
  soup_server_message_unpause (w->msg);
  return G_SOURCE_REMOVE;
}

/* TRUE when @handler may answer now (from the rollup brought up to date,
 * or, while a background refresh computes, from the rollup as it stands);
 * otherwise (the refresh writes) the request is paused and @handler
 * answers it once the refresh is done, from the fresh rollup. */
static gboolean
reports_ready (SchedContext *ctx, SoupServer *server, SoupServerMessage *msg, const char *path,
               GHashTable *query, SoupServerCallback handler)
{
  SchedStatsRefresher *refresher = g_object_get_data (G_OBJECT (server), REPORTS_REFRESHER_KEY);
  ReportsWaiting *w;
  GHashTableIter iter;
  gpointer key, value;

  if (refresher == NULL)
    return TRUE;
  w = g_new0 (ReportsWaiting, 1);
  w->ctx = ctx;
  w->server = server;
  w->msg = g_object_ref (msg);
  w->path = g_strdup (path);
  w->handler = handler;
  if (query)
    {
      w->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (w->query, g_strdup (key), g_strdup (value));
    }
  if (sched_stats_refresher_ready (refresher, on_rollup_refreshed, w, reports_waiting_free)
      != SCHED_STATS_REFRESHER_WAIT)
    {
      reports_waiting_free (w);
      return TRUE;
    }
  soup_server_message_pause (msg);
  return FALSE;
}

/* Whether a handler that runs now reads the rollup as it stands: a
 * background refresh is computing (sched_stats_refresher_ready said
 * STALE; once it writes, the requests wait and run after it). */
static gboolean
reports_stale_ok (SoupServer *server)
{
  SchedStatsRefresher *refresher = g_object_get_data (G_OBJECT (server), REPORTS_REFRESHER_KEY);

  return refresher && sched_stats_refresher_is_running (refresher);
}

SchedStatsRefresher *
sched_reports_get_refresher (SoupServer *server)
{
  return g_object_get_data (G_OBJECT (server), REPORTS_REFRESHER_KEY);
}

/* units=historic (the default) or successor (docs/api-reports.md). */
static gboolean
reports_parse_units (GHashTable *query, SchedStatsUnits *out, GError **error)
{
  const gchar *units = sched_http_query (query, "units");

  *out = SCHED_STATS_UNITS_HISTORIC;
  if (units && !sched_stats_units_from_string (units, out))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "units", "units is historic or successor");
      return FALSE;
    }
  return TRUE;
}

static SchedStats *
reports_stats_from_request (SchedContext *ctx, SoupServer *server, SoupServerMessage *msg,
                            GHashTable *query, GError **error)
{
  g_autoptr (SchedPrincipal) principal = NULL;
  SchedStatsQuery q = { .group_by = SCHED_STATS_GROUP_UNIT, .stale_ok = reports_stale_ok (server) };
  const gchar *group = sched_http_query (query, "group_by");
  const gchar *compare = sched_http_query (query, "compare");

  principal = sched_http_authenticate (ctx, msg, error);
  if (principal && !reports_parse_units (query, &q.units, error))
    return NULL;
  if (principal == NULL || !sched_auth_can_read_all (principal, error))
    return NULL;
  if (!reports_parse_window (ctx, query, &q.from, &q.to, error))
    return NULL;
  if (group && !sched_stats_group_from_string (group, &q.group_by))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "group_by",
                             "group_by is one of unit, endpoint, level, month, none");
      return NULL;
    }
  if (compare && !sched_stats_compare_from_string (compare, &q.compare))
    {
      sched_error_set_field (error, SCHED_ERROR_INVALID, "compare",
                             "compare is one of previous_period, previous_year, none");
      return NULL;
    }
  return sched_stats_compute (ctx->db, ctx->tz, &q, error);
}

/* main thread */
static void
reports_reply_stats (SoupServer *server, SoupServerMessage *msg, const char *path,
                     GHashTable *query, gpointer user_data)
{
  SchedContext *ctx = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedStats) stats = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (!reports_check_method (msg) || !reports_check_path (msg, path, "/api/v1/stats"))
    return;
  stats = reports_stats_from_request (ctx, server, msg, query, &error);
  if (stats == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  root = sched_stats_to_json (stats, ctx->tz);
  if (!sched_stats_add_recorded_hours (ctx->db, ctx->tz, &stats->query, root, &error))
    {
      sched_http_reply_error (msg, error);
      return;
    }
  sched_http_reply_json (msg, SOUP_STATUS_OK, root);
}

/* main thread */
static void
on_stats_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer user_data)
{
  if (reports_ready (user_data, server, msg, path, query, reports_reply_stats))
    reports_reply_stats (server, msg, path, query, user_data);
}

/* main thread */
static void
reports_reply_stats_csv (SoupServer *server, SoupServerMessage *msg, const char *path,
                         GHashTable *query, gpointer user_data)
{
  SchedContext *ctx = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedStats) stats = NULL;
  g_autofree gchar *csv = NULL, *disposition = NULL;
  gsize length = 0;

  if (!reports_check_method (msg) || !reports_check_path (msg, path, "/api/v1/stats.csv"))
    return;
  stats = reports_stats_from_request (ctx, server, msg, query, &error);
  if (stats == NULL)
    {
      sched_http_reply_error (msg, error);
      return;
    }
  csv = sched_stats_to_csv (stats, &length);
  if (stats->as_of)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (stats->as_of);
      g_autofree gchar *as_of = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");

      /* how fresh the figures are (the JSON says it as "as_of") */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "VC-Stats-As-Of", as_of);
    }
  disposition = g_strdup_printf ("attachment; filename=\"thong-ke-%s.csv\"",
                                 sched_stats_group_to_string (stats->query.group_by));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Disposition", disposition);
  sched_http_reply_text (msg, SOUP_STATUS_OK, "text/csv; charset=utf-8", csv, length);
}

/* main thread */
static void
on_stats_csv_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                      GHashTable *query, gpointer user_data)
{
  if (reports_ready (user_data, server, msg, path, query, reports_reply_stats_csv))
    reports_reply_stats_csv (server, msg, path, query, user_data);
}

/* main thread */
static void
reports_reply_reports (SoupServer *server, SoupServerMessage *msg, const char *path,
                       GHashTable *query, gpointer user_data)
{
  SchedContext *ctx = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) principal = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  g_autofree gchar *text = NULL;
  const gchar *lang = sched_http_query (query, "lang");
  SchedStatsUnits units = SCHED_STATS_UNITS_HISTORIC;
  gint64 from = 0, to = 0, as_of = 0;

  if (!reports_check_method (msg) || !reports_check_path (msg, path, "/api/v1/reports/summary"))
    return;
  principal = sched_http_authenticate (ctx, msg, &error);
  if (principal == NULL || !sched_auth_can_read_all (principal, &error)
      || !reports_parse_window (ctx, query, &from, &to, &error)
      || !reports_parse_units (query, &units, &error))
    goto fail;
  if (lang == NULL || *lang == '\0')
    lang = "vi";
  if (!g_str_equal (lang, "vi") && !g_str_equal (lang, "en"))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "lang", "lang is vi or en");
      goto fail;
    }
  text = sched_report_summary_as_of (ctx->db, ctx->tz, from, to, lang, units,
                                     reports_stale_ok (server), &as_of, &error);
  if (text == NULL)
    goto fail;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "lang");
  json_builder_add_string_value (b, lang);
  json_builder_set_member_name (b, "units");
  json_builder_add_string_value (b, sched_stats_units_to_string (units));
  sched_json_add_time (b, "from", from);
  sched_json_add_time (b, "to", to);
  if (as_of)
    sched_json_add_time (b, "as_of", as_of);
  else
    {
      json_builder_set_member_name (b, "as_of");
      json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* main thread */
static void
on_reports_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer user_data)
{
  if (reports_ready (user_data, server, msg, path, query, reports_reply_reports))
    reports_reply_reports (server, msg, path, query, user_data);
}

/* main thread */
static void
on_calendar_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                     GHashTable *query, gpointer user_data)
{
  SchedContext *ctx = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) principal = NULL;
  g_autofree gchar *text = NULL;
  const gchar *endpoint = sched_http_query (query, "endpoint");
  const gchar *unit = sched_http_query (query, "unit");

  if (!reports_check_method (msg) || !reports_check_path (msg, path, "/api/v1/calendar.ics"))
    return;
  if (endpoint && *endpoint == '\0')
    endpoint = NULL;
  if (unit && *unit == '\0')
    unit = NULL;
  principal = sched_http_authenticate (ctx, msg, &error);
  if (principal == NULL)
    goto fail;
  /* A room's token reads its own room's feed (the default for it); the
   * readers everything. */
  if (principal->role == SCHED_ROLE_ENDPOINT && endpoint == NULL && unit == NULL)
    endpoint = principal->endpoint;
  if (principal->role == SCHED_ROLE_ENDPOINT
          ? (unit != NULL || !sched_auth_is_endpoint (principal, endpoint, &error))
          : !sched_auth_can_read_all (principal, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, SCHED_ERROR, SCHED_ERROR_FORBIDDEN,
                             "an endpoint token may read only its own room's calendar");
      goto fail;
    }
  if ((endpoint == NULL) == (unit == NULL))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, endpoint ? "unit" : "endpoint",
                             "give exactly one of endpoint=CODE or unit=CODE");
      goto fail;
    }
  text = sched_calendar_build (ctx->db, endpoint, unit, vc_time_now () - CALENDAR_PAST_SECONDS,
                               &error);
  if (text == NULL)
    goto fail;
  sched_http_reply_text (msg, SOUP_STATUS_OK, "text/calendar; charset=utf-8", text, -1);
  return;

fail:
  sched_http_reply_error (msg, error);
}

void
sched_reports_register (SchedContext *ctx, SoupServer *server)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (ctx != NULL && ctx->db != NULL && ctx->tz != NULL);
  g_return_if_fail (SOUP_IS_SERVER (server));

  /* Without the rollup every query reads the raw tables: slower, but the
   * same numbers, so a failure here is not fatal. */
  if (!sched_stats_rollup_ensure (ctx->db, ctx->tz, &error))
    g_warning ("statistics rollup unavailable, using the raw tables: %s", error->message);
  g_object_set_data_full (G_OBJECT (server), REPORTS_REFRESHER_KEY,
                          sched_stats_refresher_new (ctx->db),
                          (GDestroyNotify)sched_stats_refresher_free);

  soup_server_add_handler (server, "/api/v1/stats", on_stats_request, ctx, NULL);
  soup_server_add_handler (server, "/api/v1/stats.csv", on_stats_csv_request, ctx, NULL);
  soup_server_add_handler (server, "/api/v1/reports", on_reports_request, ctx, NULL);
  soup_server_add_handler (server, "/api/v1/calendar.ics", on_calendar_request, ctx, NULL);
}
