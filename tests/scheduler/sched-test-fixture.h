/* sched-test-fixture.h — what the booking-core tests share: a temporary
 * directory and database per test, the library's server on 127.0.0.1:0,
 * a SoupSession driven on the same main context, tokens for each role, and
 * a watchdog (alarm) so that a hung test fails instead of blocking. */
#pragma once

#include "sched-auth.h"
#include "sched-booking.h"
#include "sched-server.h"

#include "common/vc-time.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE_WATCHDOG_SECONDS 90

typedef struct
{
  gchar *dir;
  SchedContext *ctx;
  SchedServer *server;
  SchedCore *core;
  SoupSession *session;
  gchar *url;
  gchar *admin;
  gchar *sec_ubnd; /* secretariat of ubnd-tinh */
  gchar *sec_tinh_uy;
  gchar *sec_vinh; /* secretariat of ubnd-vinh (priority 10) */
  gchar *manager;
  gchar *room; /* endpoint ubnd-anh-son */
  guint hooks_meeting_changed;
  guint hooks_schedule_changed;
  gint64 hooks_token_revoked; /* the last token id the hook was told */
} Fixture;

static gint64 fixture_fake_now_value;

G_GNUC_UNUSED static gint64
fixture_fake_now (void)
{
  return fixture_fake_now_value;
}

static void
on_fixture_meeting_changed (SchedContext *ctx, gint64 id)
{
  Fixture *f = ctx->hub;
  f->hooks_meeting_changed++;
}

static void
on_fixture_schedule_changed (SchedContext *ctx, const gchar *endpoint)
{
  Fixture *f = ctx->hub;
  f->hooks_schedule_changed++;
}

static void
on_fixture_token_revoked (SchedContext *ctx, gint64 token_id)
{
  Fixture *f = ctx->hub;
  f->hooks_token_revoked = token_id;
}

static void
fixture_remove_dir (const gchar *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static gchar *
fixture_token (Fixture *f, SchedRole role, const gchar *unit, const gchar *endpoint)
{
  g_autoptr (GError) error = NULL;
  gchar *t = sched_auth_create_token (f->ctx->db, role, unit, endpoint, "Kiểm thử", &error);

  g_assert_no_error (error);
  return t;
}

/* @listen: also start the HTTP server. */
static void
fixture_setup_full (Fixture *f, gboolean listen)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *db = NULL;
  SchedSettings *settings;

  alarm (FIXTURE_WATCHDOG_SECONDS);
  f->dir = g_dir_make_tmp ("sched-core-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "scheduler.db", NULL);
  settings = sched_settings_load (NULL, db, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  f->ctx = sched_server_context_new (settings, &error);
  g_assert_no_error (error);
  f->ctx->hub = f;
  f->ctx->meeting_changed = on_fixture_meeting_changed;
  f->ctx->schedule_changed = on_fixture_schedule_changed;
  f->ctx->token_revoked = on_fixture_token_revoked;
  f->server = sched_server_new (f->ctx, &error);
  g_assert_no_error (error);
  f->core = sched_server_get_core (f->server);
  f->admin = fixture_token (f, SCHED_ROLE_ADMIN, NULL, NULL);
  f->sec_ubnd = fixture_token (f, SCHED_ROLE_SECRETARIAT, "ubnd-tinh", NULL);
  f->sec_tinh_uy = fixture_token (f, SCHED_ROLE_SECRETARIAT, "tinh-uy", NULL);
  f->sec_vinh = fixture_token (f, SCHED_ROLE_SECRETARIAT, "ubnd-vinh", NULL);
  f->manager = fixture_token (f, SCHED_ROLE_MANAGER, NULL, NULL);
  f->room = fixture_token (f, SCHED_ROLE_ENDPOINT, NULL, "ubnd-anh-son");
  if (!listen)
    return;
  g_assert_true (sched_server_listen (f->server, &error));
  g_assert_no_error (error);
  f->url = sched_server_get_url (f->server);
  f->session = soup_session_new_with_options ("max-conns", 128, "max-conns-per-host", 128,
                                              "timeout", 30, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, sched_server_free);
  g_clear_pointer (&f->ctx, sched_server_context_free);
  fixture_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->url);
  g_free (f->admin);
  g_free (f->sec_ubnd);
  g_free (f->sec_tinh_uy);
  g_free (f->sec_vinh);
  g_free (f->manager);
  g_free (f->room);
  alarm (0);
}

/* ---- HTTP ---- */

typedef struct
{
  SoupMessage *msg;
  GBytes *body;
  gboolean done;
} FixtureReply;

static void
on_fixture_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FixtureReply *r = user_data;
  g_autoptr (GError) error = NULL;

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

static SoupMessage *
fixture_message (Fixture *f, const gchar *method, const gchar *path, const gchar *token,
                 const gchar *body, gssize len)
{
  g_autofree gchar *uri = g_strconcat (f->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, len < 0 ? strlen (body) : (gsize)len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

/* Sends and waits (iterating the main context, which also runs the
 * server). Returns the status; *json: the parsed body when JSON. */
static guint
fixture_send (Fixture *f, SoupMessage *msg, JsonNode **json)
{
  FixtureReply r = { .msg = msg };
  guint status;

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_fixture_reply,
                                    &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  status = soup_message_get_status (msg);
  if (json)
    {
      g_autoptr (JsonParser) p = json_parser_new ();
      gsize n = 0;
      const gchar *data = g_bytes_get_data (r.body, &n);
      *json = (n && json_parser_load_from_data (p, data, n, NULL))
                  ? json_node_ref (json_parser_get_root (p))
                  : NULL;
    }
  g_bytes_unref (r.body);
  return status;
}

G_GNUC_UNUSED static guint
fixture_request (Fixture *f, const gchar *method, const gchar *path, const gchar *token,
                 const gchar *body, JsonNode **json)
{
  g_autoptr (SoupMessage) msg = fixture_message (f, method, path, token, body, -1);

  return fixture_send (f, msg, json);
}

/* ---- time ---- */

/* Local (Asia/Ho_Chi_Minh) wall time → RFC 3339 UTC text. */
G_GNUC_UNUSED static gchar *
fixture_local (gint y, gint mo, gint d, gint h, gint mi)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) dt = g_date_time_new (tz, y, mo, d, h, mi, 0);

  return vc_time_format_utc (g_date_time_to_unix (dt));
}

/* A future working day (Tuesday) well ahead of the real clock, local 00:00,
 * as seconds; used by the HTTP tests that run against the real clock. */
G_GNUC_UNUSED static gint64
fixture_future_day (gint weeks_ahead)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  g_autoptr (GDateTime) day0
      = g_date_time_new (tz, g_date_time_get_year (now), g_date_time_get_month (now),
                         g_date_time_get_day_of_month (now), 0, 0, 0);
  gint wd = g_date_time_get_day_of_week (day0);
  g_autoptr (GDateTime) tue
      = g_date_time_add_days (day0, (9 - wd) % 7 + 7 * weeks_ahead + (wd == 2 ? 7 : 0));

  return g_date_time_to_unix (tue);
}

G_GNUC_UNUSED static gchar *
fixture_booking_json (const gchar *title, const gchar *unit, const gchar *chair,
                      const gchar *rooms_json, gint64 start, gint64 end, const gchar *more)
{
  g_autofree gchar *s = vc_time_format_utc (start);
  g_autofree gchar *e = vc_time_format_utc (end);

  return g_strdup_printf ("{\"title\":\"%s\",\"unit\":\"%s\",\"chair\":\"%s\",\"endpoints\":%s,"
                          "\"start\":\"%s\",\"end\":\"%s\"%s%s}",
                          title, unit, chair, rooms_json, s, e, more ? "," : "", more ? more : "");
}

G_GNUC_UNUSED static gint64
fixture_count (Fixture *f, const gchar *sql)
{
  sqlite3_stmt *st = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (sched_db_handle (f->ctx->db), sql, -1, &st, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (st) == SQLITE_ROW)
    n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  return n;
}
