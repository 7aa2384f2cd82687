/* sched-api-service.c — what is not the booking API: GET /healthz,
 * GET /metrics (Prometheus text), the static web UI (GET / →
 * <web_root>/index.html, /static/PATH → <web_root>/PATH, /vendor/PATH →
 * <vendor_root>/PATH for the few files of VENDOR_FILES only, also as
 * /vendor/PACKAGE@VERSION/… with a year's cache, and /vendor/versions.json;
 * gzip, ETag and 304s in sched-static.c), and the
 * security headers every response of the server carries. Static paths are
 * resolved with realpath() and must stay inside their root; "..", "." and
 * dot-file segments are refused before that. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-api.h"

#include "sched-error.h"
#include "sched-http.h"
#include "sched-model-meeting.h"
#include "sched-model-room.h"

#include <stdlib.h>
#include <string.h>

/* main thread */
static void
on_healthz_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer user_data)
{
  SchedCore *core = user_data;

  if (sched_db_ping (core->ctx->db))
    sched_http_reply_text (msg, SOUP_STATUS_OK, "application/json", "{\"status\":\"ok\"}", -1);
  else
    sched_http_reply_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "application/json",
                           "{\"status\":\"database unavailable\"}", -1);
}

static void
metrics_counter (GString *out, const gchar *name, const gchar *help, guint64 value)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s counter\n%s %" G_GUINT64_FORMAT "\n", name,
                          help, name, name, value);
}

static void
metrics_meetings (SchedCore *core, GString *out)
{
  g_autoptr (GPtrArray) counts = sched_meeting_count_by_status (core->ctx->db, NULL);

  g_string_append (out, "# HELP vc_scheduler_meetings Meetings stored, by status.\n"
                        "# TYPE vc_scheduler_meetings gauge\n");
  for (guint i = 0; counts && i < counts->len; i++)
    {
      const SchedMeetingCount *c = g_ptr_array_index (counts, i);
      g_string_append_printf (out, "vc_scheduler_meetings{status=\"%s\"} %" G_GINT64_FORMAT "\n",
                              c->status, c->count);
    }
}

static void
metrics_rooms (SchedCore *core, GString *out)
{
  g_autoptr (GPtrArray) rooms = sched_room_list (core->ctx->db, SCHED_ROOM_ORDER_CODE, NULL);
  gint64 online = 0, in_meeting = 0;

  if (rooms == NULL)
    return;
  for (guint i = 0; i < rooms->len; i++)
    {
      SchedPresence p = { 0 };
      const SchedRoom *room = g_ptr_array_index (rooms, i);
      if (core->ctx->get_presence && core->ctx->get_presence (core->ctx, room->code, &p)
          && p.online)
        {
          online++;
          in_meeting += g_strcmp0 (p.state, "in_meeting") == 0;
        }
    }
  g_string_append_printf (out,
                          "# HELP vc_scheduler_endpoints Endpoint rooms in the roster.\n"
                          "# TYPE vc_scheduler_endpoints gauge\n"
                          "vc_scheduler_endpoints %" G_GINT64_FORMAT "\n"
                          "# HELP vc_scheduler_endpoints_online Rooms whose agent is connected.\n"
                          "# TYPE vc_scheduler_endpoints_online gauge\n"
                          "vc_scheduler_endpoints_online %" G_GINT64_FORMAT "\n"
                          "# HELP vc_scheduler_endpoints_in_meeting Rooms in a meeting now.\n"
                          "# TYPE vc_scheduler_endpoints_in_meeting gauge\n"
                          "vc_scheduler_endpoints_in_meeting %" G_GINT64_FORMAT "\n",
                          (gint64)rooms->len, online, in_meeting);
}

/* main thread */
static void
on_metrics_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer user_data)
{
  SchedCore *core = user_data;
  const SchedMetrics *m = &core->metrics;
  g_autoptr (GString) out = g_string_new (NULL);

  g_string_append (out, "# HELP vc_scheduler_http_responses_total HTTP responses by status class.\n"
                        "# TYPE vc_scheduler_http_responses_total counter\n");
  for (guint c = 1; c <= 5; c++)
    g_string_append_printf (
        out, "vc_scheduler_http_responses_total{class=\"%uxx\"} %" G_GUINT64_FORMAT "\n", c,
        m->http_responses[c]);
  if (core->connections != NULL)
    {
      metrics_counter (out, "vc_scheduler_connections_closed_by_peer_total",
                       "Idle keep-alive connections the client closed, freed by the server.",
                       core->connections->closed_by_peer);
      metrics_counter (out, "vc_scheduler_connections_closed_idle_total",
                       "Keep-alive connections closed after [limits] idle_timeout_seconds.",
                       core->connections->closed_idle);
      metrics_counter (
          out, "vc_scheduler_connections_slow_headers_total",
          "Connections answered 408: headers not in within [limits] header_timeout_ms.",
          core->connections->closed_header_slow);
    }
  metrics_counter (out, "vc_scheduler_bookings_total", "Meetings booked (each occurrence counts).",
                   m->bookings_created);
  metrics_counter (out, "vc_scheduler_booking_conflicts_total",
                   "Bookings and changes refused with 409.", m->booking_conflicts);
  metrics_counter (out, "vc_scheduler_meetings_displaced_total",
                   "Meetings displaced by higher-priority bookings.", m->meetings_displaced);
  metrics_counter (out, "vc_scheduler_attendance_events_total", "Attendance events stored.",
                   m->attendance_accepted);
  metrics_counter (out, "vc_scheduler_attendance_duplicates_total",
                   "Attendance events replayed (already stored).", m->attendance_duplicates);
  metrics_counter (out, "vc_scheduler_history_imported_total", "Past meetings imported.",
                   m->history_imported);
  metrics_meetings (core, out);
  metrics_rooms (core, out);
  g_string_append_printf (
      out,
      "# HELP vc_scheduler_bridge_max_rooms Rooms the bridge holds at once (0: not known yet).\n"
      "# TYPE vc_scheduler_bridge_max_rooms gauge\n"
      "vc_scheduler_bridge_max_rooms %d\n"
      "# HELP vc_scheduler_bridge_max_participants Participants the bridge holds at once (0: not "
      "known yet).\n"
      "# TYPE vc_scheduler_bridge_max_participants gauge\n"
      "vc_scheduler_bridge_max_participants %d\n",
      core->ctx->bridge_max_rooms, core->ctx->bridge_max_participants);
  g_string_append_printf (out,
                          "# HELP vc_scheduler_uptime_seconds Seconds since start.\n"
                          "# TYPE vc_scheduler_uptime_seconds gauge\n"
                          "vc_scheduler_uptime_seconds %" G_GINT64_FORMAT "\n",
                          sched_core_now (core) - core->started_at);
  sched_http_reply_text (msg, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", out->str,
                         (gssize)out->len);
}

/* The file for @rel under @root, or NULL when it escapes @root, is not a
 * regular file, or does not exist. */
static gchar *
static_resolve (const gchar *root, const gchar *rel)
{
  g_auto (GStrv) parts = NULL;
  g_autofree gchar *decoded = NULL;
  g_autofree gchar *joined = NULL;
  g_autofree char *real_root = NULL;
  g_autofree char *real = NULL;

  if (root == NULL || rel == NULL || *rel == '\0')
    return NULL;
  /* Percent-decoded, but never into a '/' (g_uri_unescape_string refuses). */
  decoded = g_uri_unescape_string (rel, "/");
  if (decoded == NULL || *decoded == '\0' || strchr (decoded, '\\'))
    return NULL;
  parts = g_strsplit (decoded, "/", -1);
  /* No "..", no ".", and no dot-file or dot-folder (.git, .env, .bin). */
  for (gsize i = 0; parts[i]; i++)
    if (parts[i][0] == '.')
      return NULL;
  joined = g_build_filename (root, decoded, NULL);
  real_root = realpath (root, NULL);
  real = realpath (joined, NULL);
  if (real_root == NULL || real == NULL)
    return NULL;
  if (!g_str_has_prefix (real, real_root) || real[strlen (real_root)] != '/')
    return NULL;
  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_strdup (real);
}

static gboolean
static_method_allowed (SoupServerMessage *msg)
{
  const gchar *method = soup_server_message_get_method (msg);

  if (g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0)
    return TRUE;
  sched_api_reply_method_not_allowed (msg, "GET, HEAD");
  return FALSE;
}

static void
static_serve (SchedCore *core, SoupServerMessage *msg, const gchar *root, const gchar *rel,
              const gchar *path, SchedStaticPolicy policy)
{
  g_autofree gchar *file = NULL;

  if (!static_method_allowed (msg))
    return;
  file = static_resolve (root, rel);
  if (file == NULL || !sched_static_reply_file (core->statics, msg, file, policy))
    sched_api_reply_not_found (msg, path);
}

/* The files under <vendor_root> the UI loads (web/js/charts.js), and the
 * source map the browser's developer tools ask for with it. Nothing else of
 * node_modules is served: it holds the test tools and their metadata. */
static const gchar *const VENDOR_FILES[] = {
  "chart.js/dist/chart.umd.js",
  "chart.js/dist/chart.umd.js.map",
};
/* The packages of VENDOR_FILES, whose versions /vendor/versions.json gives. */
static const gchar *const VENDOR_PACKAGES[] = { "chart.js" };

static gboolean
vendor_allowed (const gchar *rel)
{
  for (gsize i = 0; i < G_N_ELEMENTS (VENDOR_FILES); i++)
    if (g_strcmp0 (rel, VENDOR_FILES[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The "version" of <vendor_root>/@package/package.json, or NULL. */
static gchar *
vendor_package_version (const gchar *vendor_root, const gchar *package)
{
  g_autofree gchar *file = g_build_filename (vendor_root, package, "package.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (vendor_root == NULL || !json_parser_load_from_file (parser, file, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (
      json_object_get_string_member_with_default (json_node_get_object (root), "version", NULL));
}

/* GET /vendor/versions.json: {"chart.js": "4.4.1"}, so that the UI asks
 * for /vendor/chart.js@4.4.1/…, which may be cached for a year. */
static void
vendor_versions (SchedCore *core, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize length;

  if (!static_method_allowed (msg))
    return;
  json_builder_begin_object (b);
  for (gsize i = 0; i < G_N_ELEMENTS (VENDOR_PACKAGES); i++)
    {
      g_autofree gchar *version
          = vendor_package_version (core->ctx->settings->vendor_root, VENDOR_PACKAGES[i]);
      if (version == NULL)
        continue;
      json_builder_set_member_name (b, VENDOR_PACKAGES[i]);
      json_builder_add_string_value (b, version);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  sched_static_reply_bytes (core->statics, msg, "/vendor/versions.json", "application/json", bytes);
}

/* /vendor/PACKAGE@VERSION/REST: REST of the allow-list, VERSION the one
 * installed (another version is a 404, never a stale file cached for a
 * year); /vendor/PACKAGE/REST: the same file, revalidated on every use. */
static void
vendor_serve (SchedCore *core, SoupServerMessage *msg, const gchar *path)
{
  const gchar *root = core->ctx->settings->vendor_root;
  const gchar *rel = path + strlen ("/vendor/");
  const gchar *slash = strchr (rel, '/');
  const gchar *at = slash ? g_strstr_len (rel, slash - rel, "@") : NULL;
  g_autofree gchar *package = NULL;
  g_autofree gchar *version = NULL;
  g_autofree gchar *installed = NULL;
  g_autofree gchar *unversioned = NULL;

  if (g_str_equal (rel, "versions.json"))
    {
      vendor_versions (core, msg);
      return;
    }
  if (at == NULL)
    {
      if (vendor_allowed (rel))
        static_serve (core, msg, root, rel, path, SCHED_STATIC_REVALIDATE);
      else
        sched_api_reply_not_found (msg, path);
      return;
    }
  package = g_strndup (rel, at - rel);
  version = g_strndup (at + 1, slash - at - 1);
  unversioned = g_strconcat (package, slash, NULL);
  installed = vendor_package_version (root, package);
  if (!vendor_allowed (unversioned) || installed == NULL || !g_str_equal (installed, version))
    {
      sched_api_reply_not_found (msg, path);
      return;
    }
  static_serve (core, msg, root, unversioned, path, SCHED_STATIC_IMMUTABLE);
}

/* main thread: every path no other handler took. */
static void
on_root_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  SchedCore *core = user_data;
  const SchedSettings *s = core->ctx->settings;

  if (g_strcmp0 (path, "/") == 0 || g_strcmp0 (path, "/index.html") == 0)
    static_serve (core, msg, s->web_root, "index.html", path, SCHED_STATIC_REVALIDATE);
  else if (g_str_has_prefix (path, "/static/"))
    static_serve (core, msg, s->web_root, path + strlen ("/static/"), path,
                  SCHED_STATIC_REVALIDATE);
  else if (g_str_has_prefix (path, "/vendor/"))
    vendor_serve (core, msg, path);
  else
    sched_api_reply_not_found (msg, path);
}

/* main thread: the request is read and its handler comes next; the
 * handler adds its own headers to these. (Set here rather than when the
 * request starts: a "100 Continue" clears the response headers.) */
static void
on_server_request_read (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  SchedCore *core = user_data;

  sched_http_add_security_headers (soup_server_message_get_response_headers (msg),
                                   core->ctx->settings);
}

void
sched_api_service_register (SchedCore *core, SoupServer *server)
{
  g_signal_connect (server, "request-read", G_CALLBACK (on_server_request_read), core);
  soup_server_add_handler (server, "/healthz", on_healthz_request, core, NULL);
  soup_server_add_handler (server, "/metrics", on_metrics_request, core, NULL);
  soup_server_add_handler (server, NULL, on_root_request, core, NULL);
}
