/* sched-api-holidays.c — GET /api/v1/holidays?year=YYYY: a year's holidays
 * as the booking rules see them (the file's, and the provisional lunar
 * ones computed where the file has none), and what the year's calendar
 * lacks, for the booking form's warning and the calendar's shading. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-api.h"

#include "sched-error.h"
#include "sched-http.h"

static void
holidays_add_missing (JsonBuilder *b, SchedHolidaysMissing missing)
{
  json_builder_set_member_name (b, "missing");
  json_builder_begin_array (b);
  if (missing & SCHED_HOLIDAYS_MISSING_YEAR)
    json_builder_add_string_value (b, "year");
  if (missing & SCHED_HOLIDAYS_MISSING_TET)
    json_builder_add_string_value (b, "tet");
  if (missing & SCHED_HOLIDAYS_MISSING_HUNG_KINGS)
    json_builder_add_string_value (b, "hung_kings");
  json_builder_end_array (b);
}

static void
holidays_add_list (JsonBuilder *b, GPtrArray *list)
{
  json_builder_set_member_name (b, "holidays");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const SchedHoliday *x = g_ptr_array_index (list, i);
      g_autofree gchar *date
          = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&x->date),
                             g_date_get_month (&x->date), g_date_get_day (&x->date));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, x->name);
      json_builder_set_member_name (b, "provisional");
      json_builder_add_boolean_value (b, x->provisional);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* main thread */
static void
on_holidays_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                     GHashTable *query, gpointer user_data)
{
  SchedCore *core = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) list = NULL;
  const gchar *text = sched_http_query (query, "year");
  SchedHolidaysMissing missing;
  gint64 year = 0;

  if (who == NULL)
    goto fail;
  if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      sched_api_reply_method_not_allowed (msg, "GET");
      return;
    }
  if (text == NULL || !g_ascii_string_to_signed (text, 10, 2000, 2099, &year, NULL))
    {
      sched_error_set_field (&error, SCHED_ERROR_INVALID, "year", "must be a year 2000 to 2099");
      goto fail;
    }
  list = sched_holidays_list_year (core->holidays, (gint)year);
  missing = sched_holidays_year_missing (core->holidays, (gint)year);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, year);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, missing == 0);
  holidays_add_missing (b, missing);
  holidays_add_list (b, list);
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

void
sched_api_holidays_register (SchedCore *core, SoupServer *server)
{
  soup_server_add_handler (server, "/api/v1/holidays", on_holidays_request, core, NULL);
}
