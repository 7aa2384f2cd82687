/* sched-api-holidays.c — GET /api/v1/holidays?year=YYYY: a year's holidays
 * as the booking rules see them (the file's, the administrator's entries
 * over them, and the provisional lunar ones computed where neither has
 * Tết or Giỗ Tổ), what the year's calendar lacks, for the booking form's
 * warning and the calendar's shading, and the year's entries, for the
 * holidays page; POST /api/v1/holidays, PATCH and DELETE
 * /api/v1/holidays/ID (admin): the entries (sched-holiday-admin.c). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-api.h"

#include "sched-error.h"
#include "sched-holiday-admin.h"
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
      json_builder_set_member_name (b, "name_en");
      if (x->name_en)
        json_builder_add_string_value (b, x->name_en);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "provisional");
      json_builder_add_boolean_value (b, x->provisional);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, x->entry_id ? "admin" : x->computed ? "computed" : "file");
      json_builder_set_member_name (b, "id");
      if (x->entry_id)
        json_builder_add_int_value (b, x->entry_id);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* The entries with a day in @year. */
static gboolean
holidays_add_entries (JsonBuilder *b, SchedCore *core, gint year, GError **error)
{
  g_autofree gchar *first = g_strdup_printf ("%04d-01-01", year);
  g_autofree gchar *last = g_strdup_printf ("%04d-12-31", year);
  g_autoptr (GPtrArray) entries
      = sched_holiday_entry_list_between (core->ctx->db, first, last, error);

  if (entries == NULL)
    return FALSE;
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    json_builder_add_value (b, sched_holiday_entry_to_node (entries->pdata[i]));
  json_builder_end_array (b);
  return TRUE;
}

static void
holidays_get_year (SchedCore *core, SoupServerMessage *msg, GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) list = NULL;
  const gchar *text = sched_http_query (query, "year");
  SchedHolidaysMissing missing;
  gint64 year = 0;

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
  if (!holidays_add_entries (b, core, (gint)year, &error))
    goto fail;
  json_builder_end_object (b);
  sched_http_reply_builder (msg, SOUP_STATUS_OK, b);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* POST (@id_text NULL), PATCH or DELETE of an entry; admin only. */
static void
holidays_write (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                const gchar *path, const gchar *method, const gchar *id_text)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *actor = sched_principal_describe (who);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SchedHolidayEntry) entry = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *body = NULL;
  gint64 id = 0;

  if (!sched_auth_require_admin (who, &error))
    goto fail;
  if (id_text && !sched_api_parse_id (id_text, &id))
    {
      sched_api_reply_not_found (msg, path);
      return;
    }
  if (g_strcmp0 (method, "DELETE") != 0)
    {
      body = sched_http_read_json_object (core->ctx, msg, &root, &error);
      if (body == NULL)
        goto fail;
    }
  if (id_text == NULL)
    entry = sched_holiday_admin_create (core, body, actor, &error);
  else if (body)
    entry = sched_holiday_admin_change (core, id, body, actor, &error);
  else
    entry = sched_holiday_admin_delete (core, id, actor, &error);
  if (entry == NULL)
    goto fail;
  node = sched_holiday_entry_to_node (entry);
  sched_http_reply_json (msg, id_text ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, node);
  return;

fail:
  sched_http_reply_error (msg, error);
}

/* main thread: GET/POST /api/v1/holidays, PATCH/DELETE /api/v1/holidays/ID */
static void
on_holidays_request (SoupServer *server, SoupServerMessage *msg, const char *path,
                     GHashTable *query, gpointer user_data)
{
  SchedCore *core = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPrincipal) who = sched_http_authenticate (core->ctx, msg, &error);
  g_auto (GStrv) seg = who ? sched_http_path_segments (path, "/api/v1/holidays") : NULL;

  if (who == NULL)
    sched_http_reply_error (msg, error);
  else if (seg[0] && seg[1])
    sched_api_reply_not_found (msg, path);
  else if (seg[0] == NULL && g_strcmp0 (method, "GET") == 0)
    holidays_get_year (core, msg, query);
  else if (seg[0] == NULL && g_strcmp0 (method, "POST") == 0)
    holidays_write (core, who, msg, path, method, NULL);
  else if (seg[0] == NULL)
    sched_api_reply_method_not_allowed (msg, "GET, POST");
  else if (g_strcmp0 (method, "PATCH") == 0 || g_strcmp0 (method, "DELETE") == 0)
    holidays_write (core, who, msg, path, method, seg[0]);
  else
    sched_api_reply_method_not_allowed (msg, "PATCH, DELETE");
}

void
sched_api_holidays_register (SchedCore *core, SoupServer *server)
{
  soup_server_add_handler (server, "/api/v1/holidays", on_holidays_request, core, NULL);
}
