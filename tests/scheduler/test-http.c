/* test-http.c — the booking API over HTTP, against the library's server on
 * 127.0.0.1:0 in this process, with SoupSession requests on the same main
 * context. Runs on the real clock: bookings are made weeks ahead. */
#include "sched-test-fixture.h"

#include "sched-error.h"

static void
setup (Fixture *f, gconstpointer data)
{
  fixture_setup_full (f, TRUE);
}

static const gchar *
member_string (JsonNode *n, const gchar *name)
{
  return json_object_get_string_member (json_node_get_object (n), name);
}

static gint64
member_int (JsonNode *n, const gchar *name)
{
  return json_object_get_int_member (json_node_get_object (n), name);
}

/* POST a booking of @rooms on the test day at local h1:00–h2:00. */
static guint
post_booking (Fixture *f, const gchar *token, const gchar *unit, const gchar *chair,
              const gchar *rooms, gint h1, gint h2, const gchar *more, JsonNode **reply)
{
  gint64 day = fixture_future_day (1);
  g_autofree gchar *body = fixture_booking_json ("Giao ban", unit, chair, rooms, day + h1 * 3600,
                                                 day + h2 * 3600, more);

  return fixture_request (f, "POST", "/api/v1/meetings", token, body, reply);
}

static void
test_health_metrics_me (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) health = NULL, me = NULL;
  g_autoptr (SoupMessage) metrics = fixture_message (f, "GET", "/metrics", NULL, NULL, 0);

  g_assert_cmpuint (fixture_request (f, "GET", "/healthz", NULL, NULL, &health), ==, 200);
  g_assert_cmpstr (member_string (health, "status"), ==, "ok");
  g_assert_cmpuint (fixture_send (f, metrics, NULL), ==, 200);
  g_assert_true (g_str_has_prefix (
      soup_message_headers_get_content_type (soup_message_get_response_headers (metrics), NULL),
      "text/plain"));
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/me", f->sec_ubnd, NULL, &me), ==, 200);
  g_assert_cmpstr (member_string (me, "role"), ==, "secretariat");
  g_assert_cmpstr (member_string (me, "unit"), ==, "ubnd-tinh");
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/nothing", f->admin, NULL, NULL), ==, 404);
}

static void
test_auth (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) e = NULL, list = NULL;

  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/meetings", NULL, NULL, &e), ==, 401);
  g_assert_cmpstr (member_string (e, "error"), ==, "unauthorized");
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/meetings", "not-a-token", NULL, NULL), ==,
                    401);
  g_assert_cmpuint (post_booking (f, f->manager, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 8, 9, NULL, NULL),
                    ==, 403);
  g_assert_cmpuint (post_booking (f, f->sec_tinh_uy, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 8, 9, NULL, NULL),
                    ==, 403);
  g_assert_cmpuint (post_booking (f, f->room, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 8, 9, NULL, NULL),
                    ==, 403);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/endpoints", f->room, NULL, NULL), ==, 403);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/endpoints", f->sec_ubnd, "{}", NULL), ==,
                    403);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/units", f->manager, NULL, NULL), ==, 200);

  /* A room sees only its own meetings. */
  g_autoptr (JsonNode) mine = NULL, other = NULL;
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-anh-son\"]", 8, 9, NULL, &mine),
                    ==, 201);
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 9, 10, NULL, &other),
                    ==, 201);
  g_autofree gchar *p_other
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, member_int (other, "id"));
  g_autofree gchar *p_mine
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, member_int (mine, "id"));
  g_assert_cmpuint (fixture_request (f, "GET", p_other, f->room, NULL, NULL), ==, 403);
  g_assert_cmpuint (fixture_request (f, "GET", p_mine, f->room, NULL, NULL), ==, 200);
  g_autofree gchar *from = vc_time_format_utc (fixture_future_day (0));
  g_autofree gchar *range = g_strdup_printf ("/api/v1/meetings?from=%s", from);
  g_assert_cmpuint (fixture_request (f, "GET", range, f->room, NULL, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (list), "meetings")),
                    ==, 1);
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/meetings?endpoint=ubnd-vinh", f->room, NULL, NULL), ==,
      403);
}

/* The 201 body of a booking (built without reading the row back) is the
 * stored meeting as GET shows it, plus "displaced". */
static void
assert_reply_is_stored (JsonNode *created, JsonNode *stored)
{
  g_autoptr (JsonNode) posted = json_node_copy (created);
  g_autofree gchar *posted_text = NULL, *stored_text = NULL;

  json_object_remove_member (json_node_get_object (posted), "displaced");
  posted_text = json_to_string (posted, FALSE);
  stored_text = json_to_string (stored, FALSE);
  g_assert_cmpstr (posted_text, ==, stored_text);
}

static void
test_book_list_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) a = NULL, c = NULL, list = NULL, one = NULL;
  g_autoptr (SoupMessage) get = NULL;

  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\",\"thanh-uy-vinh\"]", 8, 10, NULL,
                                  &a),
                    ==, 201);
  g_assert_cmpstr (member_string (a, "status"), ==, "scheduled");
  g_assert_cmpint (member_int (a, "version"), ==, 1);
  g_assert_true (g_str_has_suffix (member_string (a, "start"), "Z"));
  g_assert_cmpuint (f->hooks_meeting_changed, ==, 1);

  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-vinh",
                                  "[\"ubnd-vinh\",\"ubnd-cua-lo\"]", 9, 11, NULL, &c),
                    ==, 409);
  g_assert_cmpstr (member_string (c, "error"), ==, "conflict");
  JsonArray *conflicts = json_object_get_array_member (json_node_get_object (c), "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  JsonObject *m
      = json_object_get_object_member (json_array_get_object_element (conflicts, 0), "meeting");
  g_assert_cmpint (json_object_get_int_member (m, "id"), ==, member_int (a, "id"));
  g_assert_cmpstr (json_object_get_string_member (m, "title"), ==, "Giao ban");
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (c), "suggestions")),
                    >, 0);

  g_autofree gchar *path
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, member_int (a, "id"));
  get = fixture_message (f, "GET", path, f->manager, NULL, 0);
  g_assert_cmpuint (fixture_send (f, get, &one), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (get), "ETag"),
                   ==, "\"1\"");
  assert_reply_is_stored (a, one);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (one), "endpoints")),
                    ==, 3);
  g_assert_cmpstr (json_array_get_string_element (
                       json_object_get_array_member (json_node_get_object (one), "endpoints"), 0),
                   ==, "ubnd-tinh");

  g_autofree gchar *from = vc_time_format_utc (fixture_future_day (0));
  g_autofree gchar *q = g_strdup_printf (
      "/api/v1/meetings?from=%s&unit=ubnd-tinh&endpoint=thanh-uy-vinh&status=scheduled", from);
  g_assert_cmpuint (fixture_request (f, "GET", q, f->manager, NULL, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (list), "meetings")),
                    ==, 1);
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/meetings?status=bogus", f->manager, NULL, NULL), ==, 422);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/meetings/999999", f->manager, NULL, NULL),
                    ==, 404);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/meetings/abc", f->manager, NULL, NULL), ==,
                    404);
}

typedef struct
{
  guint done;
  guint created;
  guint conflicts;
  guint other;
} Race;

static void
on_race_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Race *race = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (msg);

  g_assert_true (body != NULL || error != NULL);
  race->done++;
  if (status == 201)
    race->created++;
  else if (status == 409)
    race->conflicts++;
  else
    {
      g_test_message ("race: status %u: %s", status, error ? error->message : "");
      race->other++;
    }
}

static void
test_concurrent_booking (Fixture *f, gconstpointer data)
{
  gint64 day = fixture_future_day (2);
  g_autofree gchar *body
      = fixture_booking_json ("Đua", "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-nam-dan\"]",
                              day + 8 * 3600, day + 9 * 3600, NULL);
  GPtrArray *msgs = g_ptr_array_new_with_free_func (g_object_unref);
  Race race = { 0 };

  /* All 50 in flight before the loop runs once. */
  for (guint i = 0; i < 50; i++)
    {
      SoupMessage *msg = fixture_message (f, "POST", "/api/v1/meetings", f->sec_ubnd, body, -1);
      g_ptr_array_add (msgs, msg);
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_race_reply,
                                        &race);
    }
  while (race.done < 50)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (race.created, ==, 1);
  g_assert_cmpuint (race.conflicts, ==, 49);
  g_assert_cmpuint (race.other, ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 1);
  g_ptr_array_unref (msgs);
}

static void
test_bad_bodies (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, health = NULL;
  gsize big = 70 * 1024;
  g_autofree gchar *huge = g_malloc (big + 1);
  gint64 day = fixture_future_day (1);
  g_autofree gchar *padded = NULL;
  const gchar bad_utf8[] = "{\"title\":\"\xC3\x28\",\"unit\":\"ubnd-tinh\"}";

  /* 70 KiB of otherwise valid JSON. */
  g_autofree gchar *valid
      = fixture_booking_json ("x", "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]",
                              day + 8 * 3600, day + 9 * 3600, "\"pad\":\"");
  memset (huge, 'a', big);
  huge[big] = '\0';
  padded = g_strconcat (valid, huge, NULL);
  padded[strlen (padded) - 1] = '\0';
  g_autofree gchar *closed = g_strconcat (padded, "\"}", NULL);
  g_autoptr (SoupMessage) large
      = fixture_message (f, "POST", "/api/v1/meetings", f->sec_ubnd, closed, -1);
  g_assert_cmpuint (fixture_send (f, large, &e1), ==, 413);
  g_assert_cmpstr (member_string (e1, "error"), ==, "too_large");

  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, "{\"title\":", &e2), ==, 400);
  g_assert_cmpstr (member_string (e2, "error"), ==, "bad_json");
  g_autoptr (SoupMessage) utf
      = fixture_message (f, "POST", "/api/v1/meetings", f->sec_ubnd, bad_utf8, sizeof bad_utf8 - 1);
  g_assert_cmpuint (fixture_send (f, utf, &e3), ==, 400);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, "[1,2]", NULL), ==,
                    400);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd,
                                     "{\"title\":5,\"unit\":\"ubnd-tinh\"}", &e4),
                    ==, 422);
  g_assert_cmpstr (member_string (e4, "field"), ==, "title");
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"không-có\"]", 8, 9, NULL, &e5),
                    ==, 422);
  g_assert_cmpstr (member_string (e5, "field"), ==, "endpoints");
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/attendance", f->room, "{\"events\":", NULL), ==, 400);

  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log"), ==, 0);
  g_assert_cmpuint (fixture_request (f, "GET", "/healthz", NULL, NULL, &health), ==, 200);
}

/* POSTs a booking whose title is @title_json (already JSON-quoted). */
static guint
post_titled (Fixture *f, const gchar *title_json, JsonNode **reply)
{
  gint64 day = fixture_future_day (1);
  g_autofree gchar *s = vc_time_format_utc (day + 8 * 3600);
  g_autofree gchar *e = vc_time_format_utc (day + 9 * 3600);
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":%s,\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\"}",
      title_json, s, e);

  return fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, body, reply);
}

/* @reply is read after @status was computed (argument order is unspecified). */
static void
assert_invalid (guint status, JsonNode **reply, const gchar *field)
{
  g_assert_cmpuint (status, ==, 422);
  g_assert_cmpstr (member_string (*reply, "error"), ==, "invalid");
  g_assert_cmpstr (member_string (*reply, "field"), ==, field);
}

/* Issue #12, finding 9: what json-glib lets through silently (a NUL cuts a
 * string, a lone surrogate becomes invalid UTF-8, 10^30 reads as -1) and
 * times GDateTime parses but cannot write back are refused with 422 naming
 * the member, in every handler; nothing is stored. */
static void
test_text_and_time_checks (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr (JsonNode) r7 = NULL, r8 = NULL, r9 = NULL, r10 = NULL, r11 = NULL, ok = NULL;
  gint64 day = fixture_future_day (1);
  g_autofree gchar *s = vc_time_format_utc (day + 8 * 3600);
  g_autofree gchar *e = vc_time_format_utc (day + 9 * 3600);

  assert_invalid (post_titled (f, "\"a\\ud800b\"", &r1), &r1, "title");
  g_assert_nonnull (strstr (member_string (r1, "message"), "surrogate"));
  assert_invalid (post_titled (f, "\"a\\udc00b\"", &r2), &r2, "title");
  assert_invalid (post_titled (f, "\"a\\u0000b\"", &r3), &r3, "title");
  g_assert_nonnull (strstr (member_string (r3, "message"), "NUL"));
  /* an escaped backslash before "u0000" is plain text, not a NUL */
  g_assert_cmpuint (post_titled (f, "\"a\\\\u0000b \\ud83d\\ude00\"", &ok), ==, 201);
  g_assert_cmpstr (member_string (ok, "title"), ==, "a\\u0000b \xF0\x9F\x98\x80");

  /* Every member, nested ones named as the API names them. */
  {
    g_autofree gchar *body = g_strdup_printf (
        "{\"title\":\"x\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
        "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\\u0000\"],\"start\":\"%s\",\"end\":\"%s\"}",
        s, e);
    assert_invalid (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, body, &r4), &r4,
                    "endpoints[1]");
  }
  assert_invalid (
      fixture_request (f, "POST", "/api/v1/attendance", f->room,
                       "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01\","
                       "\"meeting\":1,\"type\":\"joined\",\"at\":\"2026-01-01T00:00:00Z\","
                       "\"reason\":\"a\\u0000b\"}]}",
                       &r5),
      &r5, "events[0].reason");
  assert_invalid (fixture_request (f, "PATCH", "/api/v1/endpoints/ubnd-vinh", f->admin,
                                   "{\"name\":\"\\udfff\"}", &r6),
                  &r6, "name");
  assert_invalid (fixture_request (f, "POST", "/api/v1/meetings/1/extend", f->sec_ubnd,
                                   "{\"minutes\":1000000000000000000000000000000}", &r7),
                  &r7, "minutes");

  /* Times: year 10000 in UTC, year 1999, and in every place a time goes. */
  {
    g_autofree gchar *far = g_strdup_printf (
        "{\"title\":\"x\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
        "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"9999-12-31T23:30:00-05:00\","
        "\"end\":\"%s\"}",
        e);
    g_autofree gchar *until = g_strdup_printf (
        "{\"title\":\"x\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
        "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\","
        "\"recurrence\":{\"freq\":\"weekly\",\"until\":\"9999-12-31T23:30:00-05:00\"}}",
        s, e);
    assert_invalid (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, far, &r8), &r8,
                    "start");
    assert_invalid (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, until, &r9), &r9,
                    "recurrence.until");
  }
  assert_invalid (fixture_request (f, "GET", "/api/v1/meetings?from=9999-12-31T23:30:00-05:00",
                                   f->manager, NULL, &r10),
                  &r10, "from");
  assert_invalid (
      fixture_request (f, "GET", "/api/v1/meetings?to=1999-12-31", f->manager, NULL, &r11), &r11,
      "to");

  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM attendance_events"), ==, 0);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM endpoints WHERE code = 'ubnd-vinh' "
                                     "AND name LIKE '%Vinh%'"),
                   ==, 1);
}

/* Sends @len bytes on a non-blocking socket, running the main context (the
 * server lives on it) while the socket is full. FALSE when the peer has
 * answered or gone before all of it left. */
static gboolean
send_while_serving (GSocket *sock, const gchar *data, gsize len)
{
  while (len > 0)
    {
      g_autoptr (GError) error = NULL;
      gssize n;

      if (g_socket_condition_check (sock, G_IO_IN | G_IO_HUP | G_IO_ERR))
        return FALSE;
      n = g_socket_send (sock, data, len, NULL, &error);
      if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      if (n > 0)
        {
          data += n;
          len -= (gsize)n;
        }
      g_main_context_iteration (NULL, n <= 0);
    }
  return TRUE;
}

/* A chunked body over the limit is refused as soon as the limit is passed,
 * not after the whole body has been read: the client streams up to 32 MiB
 * of chunks and must get the 413 after far fewer. */
static void
test_chunked_too_large (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GUri) uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, &error);
  g_autoptr (GSocketConnection) conn = NULL;
  g_autofree gchar *head = NULL, *chunk = g_malloc (16 * 1024 + 16);
  g_autoptr (GString) reply = g_string_new (NULL);
  GSocket *sock;
  gsize sent = 0, limit = 32 * 1024 * 1024;
  gchar buf[4096];
  gssize n;

  g_assert_no_error (error);
  g_socket_client_set_enable_proxy (client, FALSE);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  sock = g_socket_connection_get_socket (conn);
  g_socket_set_blocking (sock, FALSE);
  head = g_strdup_printf ("POST /api/v1/meetings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          f->sec_ubnd);
  g_assert_true (send_while_serving (sock, head, strlen (head)));
  memcpy (chunk, "4000\r\n", 6);
  memset (chunk + 6, ' ', 16 * 1024);
  memcpy (chunk + 6 + 16 * 1024, "\r\n", 2);
  while (sent < limit && send_while_serving (sock, chunk, 16 * 1024 + 8))
    sent += 16 * 1024;
  g_assert_cmpuint (sent, <, 4 * 1024 * 1024); /* refused long before the end */

  /* The answer: 413 too_large, and the connection closed after it. */
  while ((n = g_socket_receive (sock, buf, sizeof buf, NULL, &error)) != 0)
    {
      if (n > 0)
        g_string_append_len (reply, buf, n);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_clear_error (&error), g_main_context_iteration (NULL, TRUE);
      else
        break; /* reset after the reply: fine */
    }
  g_assert_true (g_str_has_prefix (reply->str, "HTTP/1.1 413 "));
  g_assert_nonnull (strstr (reply->str, "\"error\":\"too_large\""));
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);
}

static void
test_change_calls (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) a = NULL, p = NULL, x = NULL, d = NULL, e = NULL;

  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 8, 9, NULL, &a),
                    ==, 201);
  g_autofree gchar *path
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, member_int (a, "id"));
  g_autofree gchar *extend = g_strconcat (path, "/extend", NULL);
  g_autofree gchar *end = g_strconcat (path, "/end", NULL);

  g_autoptr (SoupMessage) stale
      = fixture_message (f, "PATCH", path, f->sec_ubnd, "{\"title\":\"Mới\"}", -1);
  soup_message_headers_replace (soup_message_get_request_headers (stale), "If-Match", "\"5\"");
  g_assert_cmpuint (fixture_send (f, stale, &e), ==, 412);
  g_assert_cmpstr (member_string (e, "error"), ==, "precondition_failed");

  g_autoptr (SoupMessage) fresh
      = fixture_message (f, "PATCH", path, f->sec_ubnd, "{\"title\":\"Mới\"}", -1);
  soup_message_headers_replace (soup_message_get_request_headers (fresh), "If-Match", "\"1\"");
  g_assert_cmpuint (fixture_send (f, fresh, &p), ==, 200);
  g_assert_cmpstr (member_string (p, "title"), ==, "Mới");
  g_assert_cmpint (member_int (p, "version"), ==, 2);
  g_assert_cmpuint (
      fixture_request (f, "PATCH", path, f->sec_ubnd, "{\"endpoints\":[\"ubnd-tinh\"]}", NULL), ==,
      422);
  g_assert_cmpuint (fixture_request (f, "PATCH", path, f->sec_tinh_uy, "{\"title\":\"x\"}", NULL),
                    ==, 403);

  g_assert_cmpuint (fixture_request (f, "POST", extend, f->sec_ubnd, "{\"minutes\":30}", &x), ==,
                    200);
  g_assert_cmpint (member_int (x, "version"), ==, 3);
  g_assert_cmpuint (fixture_request (f, "POST", extend, f->sec_ubnd, "{\"minutes\":\"x\"}", NULL),
                    ==, 422);
  g_assert_cmpuint (fixture_request (f, "POST", end, f->sec_ubnd, NULL, NULL), ==,
                    409); /* not started */
  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->sec_ubnd, NULL, &d), ==, 200);
  g_assert_cmpstr (member_string (d, "status"), ==, "cancelled");
  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->sec_ubnd, NULL, NULL), ==, 409);
  g_assert_cmpuint (fixture_request (f, "PUT", path, f->sec_ubnd, "{}", NULL), ==, 405);
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM audit_log"), ==, 4);
}

static void
test_attendance (Fixture *f, gconstpointer data)
{
  /* A meeting that already ran, imported as history; the room posts its
   * own events for it. */
  const gchar *history
      = "{\"meetings\":[{\"title\":\"Họp\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
        "\"endpoints\":[\"ubnd-tinh\",\"ubnd-anh-son\"],\"start\":\"2025-05-06T01:00:00Z\","
        "\"end\":\"2025-05-06T02:00:00Z\",\"attendance\":[{\"endpoint\":\"ubnd-tinh\","
        "\"joined_at\":\"2025-05-06T01:00:00Z\",\"left_at\":\"2025-05-06T02:00:00Z\"}]}]}";
  g_autoptr (JsonNode) h = NULL, r1 = NULL, r2 = NULL, r3 = NULL, rep = NULL;

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/history", f->sec_ubnd, history, NULL), ==,
                    403);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/history", f->admin, history, &h), ==, 200);
  g_assert_cmpint (member_int (h, "imported"), ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT held FROM meetings"), ==, 0);

  const gchar *events
      = "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a01\",\"meeting\":1,\"type\":"
        "\"joined\","
        "\"at\":\"2025-05-06T01:02:00Z\",\"reason\":\"scheduled\"},"
        "{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a02\",\"meeting\":1,\"type\":\"left\","
        "\"at\":\"2025-05-06T01:59:00Z\"}]}";
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/attendance", f->room, events, &r1), ==,
                    200);
  g_assert_cmpint (member_int (r1, "accepted"), ==, 2);
  g_assert_cmpint (member_int (r1, "duplicates"), ==, 0);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/attendance", f->room, events, &r2), ==,
                    200);
  g_assert_cmpint (member_int (r2, "accepted"), ==, 0);
  g_assert_cmpint (member_int (r2, "duplicates"), ==, 2);
  g_assert_cmpint (fixture_count (f, "SELECT held FROM meetings"), ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT actual_seconds FROM meetings"), ==, 3480);

  /* A batch with one event for a meeting the room is not in: the other is
   * stored, that one answered as rejected (so the agent's outbox drops it). */
  const gchar *mixed
      = "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a03\",\"meeting\":1,\"type\":"
        "\"joined\","
        "\"at\":\"2025-05-06T01:10:00Z\"},"
        "{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a04\",\"meeting\":77,\"type\":\"joined\","
        "\"at\":\"2025-05-06T01:10:00Z\"}]}";
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/attendance", f->room, mixed, &r3), ==,
                    200);
  g_assert_cmpint (member_int (r3, "accepted"), ==, 1);
  {
    JsonArray *rejected = json_object_get_array_member (json_node_get_object (r3), "rejected");
    JsonObject *one;

    g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
    one = json_array_get_object_element (rejected, 0);
    g_assert_cmpint (json_object_get_int_member (one, "index"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (one, "id"), ==,
                     "6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3a04");
    g_assert_cmpstr (json_object_get_string_member (one, "field"), ==, "events[1].meeting");
  }
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM attendance_events"), ==, 5);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/attendance", f->room,
                                     "{\"events\":[{\"id\":\"nope\",\"meeting\":1,\"type\":"
                                     "\"joined\",\"at\":\"2025-05-06T01:10:00Z\"}]}",
                                     NULL),
                    ==, 422);
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/attendance", f->manager, "{\"events\":[]}", NULL), ==,
      403);

  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/meetings/1/attendance", f->manager, NULL, &rep), ==, 200);
  JsonArray *rooms = json_object_get_array_member (json_node_get_object (rep), "endpoints");
  g_assert_cmpuint (json_array_get_length (rooms), ==, 2);
  JsonObject *anh_son = json_array_get_object_element (rooms, 0);
  g_assert_cmpstr (json_object_get_string_member (anh_son, "endpoint"), ==, "ubnd-anh-son");
  g_assert_cmpstr (json_object_get_string_member (anh_son, "status"), ==, "present");
  g_assert_cmpint (json_object_get_int_member (anh_son, "seconds"), ==, 3420);
}

/* One attendance event as JSON. */
static gchar *
event_json (guint n, gint64 meeting, const gchar *type, gint64 at)
{
  g_autofree gchar *when = vc_time_format_utc (at);

  return g_strdup_printf (
      "{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3b%02u\",\"meeting\":%" G_GINT64_FORMAT
      ",\"type\":\"%s\",\"at\":\"%s\"}",
      n, meeting, type, when);
}

/* Issue #12, finding 13: events for a meeting that does not exist (-1), a
 * meeting the room is not in, 400 days before a meeting, two days before
 * it, or in the future (a room "present" in a meeting days ahead) are
 * rejected, each named, and acknowledged with 200 so that the agent's
 * outbox does not resend them; the good event of the batch is stored. An
 * id of 10^30 is malformed (422, nothing stored). */
static void
test_attendance_window (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) past = NULL, ahead = NULL, other = NULL, reply = NULL, huge = NULL;
  gint64 now = vc_time_now ();
  g_autofree gchar *s = vc_time_format_utc (now - 3600);
  g_autofree gchar *e = vc_time_format_utc (now - 1800);
  g_autofree gchar *history = g_strdup_printf (
      "{\"meetings\":[{\"title\":\"Đã họp\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-anh-son\"],\"start\":\"%s\",\"end\":\"%s\"}]}",
      s, e);
  gint64 held = 0, coming = 0, not_mine = 0;

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/history", f->admin, history, &past), ==,
                    200);
  held = fixture_count (f, "SELECT max(id) FROM meetings");
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-anh-son\"]", 8, 9, NULL, &ahead),
                    ==, 201);
  coming = member_int (ahead, "id");
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 10, 11, NULL, &other),
                    ==, 201);
  not_mine = member_int (other, "id");
  {
    gint64 coming_start = 0;
    g_autofree gchar *q
        = g_strdup_printf ("SELECT start_at FROM meetings WHERE id = %" G_GINT64_FORMAT, coming);
    g_autofree gchar *e0 = NULL, *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;
    g_autofree gchar *body = NULL;
    const gchar *fields[] = { NULL,           "events[1].meeting", "events[2].meeting",
                              "events[3].at", "events[4].at",      "events[5].at" };
    JsonArray *rejected;

    coming_start = fixture_count (f, q);
    e0 = event_json (0, held, "joined", now - 3500);               /* good */
    e1 = event_json (1, -1, "joined", now - 3500);                 /* no such meeting */
    e2 = event_json (2, not_mine, "joined", now);                  /* not its meeting */
    e3 = event_json (3, held, "joined", now - 3600 - 400 * 86400); /* 400 days before */
    e4 = event_json (4, held, "left", now - 3600 - 2 * 86400);     /* before the meeting */
    e5 = event_json (5, coming, "joined", coming_start);           /* in the future */
    body = g_strdup_printf ("{\"events\":[%s,%s,%s,%s,%s,%s]}", e0, e1, e2, e3, e4, e5);
    g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/attendance", f->room, body, &reply), ==,
                      200);
    g_assert_cmpint (member_int (reply, "accepted"), ==, 1);
    rejected = json_object_get_array_member (json_node_get_object (reply), "rejected");
    g_assert_cmpuint (json_array_get_length (rejected), ==, 5);
    for (guint i = 0; i < 5; i++)
      {
        JsonObject *r = json_array_get_object_element (rejected, i);
        g_assert_cmpint (json_object_get_int_member (r, "index"), ==, i + 1);
        g_assert_cmpstr (json_object_get_string_member (r, "field"), ==, fields[i + 1]);
      }
    g_assert_nonnull (strstr (
        json_object_get_string_member (json_array_get_object_element (rejected, 4), "message"),
        "future"));
  }
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM attendance_events"), ==, 1);
  g_assert_cmpint (fixture_count (f, "SELECT present_count FROM meetings ORDER BY id LIMIT 1"), ==,
                   1);
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/attendance", f->room,
                       "{\"events\":[{\"id\":\"6f1c2b1e-8a55-4f0e-9a51-0d6b1f2f3c01\","
                       "\"meeting\":1000000000000000000000000000000,\"type\":"
                       "\"joined\",\"at\":\"2026-01-01T00:00:00Z\"}]}",
                       &huge),
      ==, 422);
  g_assert_cmpstr (member_string (huge, "field"), ==, "events[0].meeting");
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM attendance_events"), ==, 1);
}

/* Issue #12, finding 4: admins list and revoke tokens over HTTP; nobody
 * else may; secrets never appear; a revoked token is refused at once; the
 * hook that closes its agent channels is called; an audit line is kept. */
static void
test_tokens (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) list = NULL, revoked = NULL, again = NULL, unknown = NULL, me = NULL;
  const gchar *others[] = { f->sec_ubnd, f->manager, f->room };
  gint64 room_id = 0;
  JsonArray *tokens;

  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/tokens", f->admin, NULL, &list), ==, 200);
  tokens = json_object_get_array_member (json_node_get_object (list), "tokens");
  g_assert_cmpuint (json_array_get_length (tokens), ==, 6);
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *t = json_array_get_object_element (tokens, i);
      g_autofree gchar *text = json_to_string (json_array_get_element (tokens, i), FALSE);

      g_assert_null (strstr (text, "hash"));
      g_assert_null (strstr (text, f->room));
      g_assert_null (strstr (text, f->admin));
      g_assert_false (json_object_get_boolean_member (t, "revoked"));
      if (g_strcmp0 (json_object_get_string_member (t, "role"), "endpoint") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (t, "endpoint"), ==, "ubnd-anh-son");
          room_id = json_object_get_int_member (t, "id");
        }
    }
  g_assert_cmpint (room_id, >, 0);
  g_autofree gchar *path = g_strdup_printf ("/api/v1/tokens/%" G_GINT64_FORMAT, room_id);

  /* Only admins. */
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/tokens", others[i], NULL, NULL), ==,
                        403);
      g_assert_cmpuint (fixture_request (f, "DELETE", path, others[i], NULL, NULL), ==, 403);
    }
  g_assert_cmpuint (fixture_request (f, "DELETE", path, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (fixture_request (f, "DELETE", "/api/v1/tokens/99999", f->admin, NULL, &unknown),
                    ==, 404);
  g_assert_cmpstr (member_string (unknown, "error"), ==, "not_found");
  g_assert_cmpuint (fixture_request (f, "DELETE", "/api/v1/tokens/abc", f->admin, NULL, NULL), ==,
                    404);
  g_assert_cmpuint (fixture_request (f, "PUT", path, f->admin, "{}", NULL), ==, 405);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/tokens", f->admin, "{}", NULL), ==, 405);
  g_assert_cmpint (f->hooks_token_revoked, ==, 0);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/me", f->room, NULL, &me), ==, 200);

  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->admin, NULL, &revoked), ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (revoked), "revoked"));
  g_assert_cmpint (member_int (revoked, "id"), ==, room_id);
  g_assert_cmpint (f->hooks_token_revoked, ==, room_id);
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/me", f->room, NULL, NULL), ==, 401);
  g_assert_cmpuint (fixture_request (f, "DELETE", path, f->admin, NULL, &again), ==, 409);
  g_assert_cmpint (
      fixture_count (f, "SELECT count(*) FROM audit_log WHERE action = 'token_revoked' AND actor "
                        "LIKE 'admin:%' AND json_extract(detail, '$.id') = "
                        "(SELECT id FROM tokens WHERE role = 'endpoint')"),
      ==, 1);
}

static gboolean
fake_presence (SchedContext *ctx, const gchar *endpoint, SchedPresence *out)
{
  if (g_strcmp0 (endpoint, "ubnd-vinh") != 0)
    return FALSE;
  out->online = TRUE;
  out->state = "in_meeting";
  out->meeting_id = 7;
  out->ready_known = TRUE;
  out->ready = TRUE;
  out->ready_reason = "camera ok";
  return TRUE;
}

/* online/in_meeting/state/ready come from the agent hub's hook. */
static void
test_endpoints_presence (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) vinh = NULL, other = NULL;

  f->ctx->get_presence = fake_presence;
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/endpoints/ubnd-vinh", f->manager, NULL, &vinh), ==, 200);
  JsonObject *o = json_node_get_object (vinh);
  g_assert_true (json_object_get_boolean_member (o, "online"));
  g_assert_true (json_object_get_boolean_member (o, "in_meeting"));
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "in_meeting");
  g_assert_cmpint (json_object_get_int_member (o, "meeting"), ==, 7);
  g_assert_true (json_object_get_boolean_member (o, "ready"));
  g_assert_cmpstr (json_object_get_string_member (o, "ready_reason"), ==, "camera ok");
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/endpoints/tinh-uy", f->manager, NULL, &other), ==, 200);
  o = json_node_get_object (other);
  g_assert_false (json_object_get_boolean_member (o, "online"));
  g_assert_false (json_object_get_boolean_member (o, "in_meeting"));
  g_assert_false (json_object_get_boolean_member (o, "ready"));
  g_assert_true (json_object_get_null_member (o, "state"));
}

static void
test_endpoints_crud (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) c = NULL, p = NULL, list = NULL;
  const gchar *room
      = "{\"code\":\"so-tttt\",\"name\":\"Điểm cầu Sở "
        "TT&TT\",\"level\":\"department\",\"unit\":\"so-tttt\",\"parent\":\"ubnd-tinh\"}";

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/endpoints", f->admin, room, &c), ==, 201);
  g_assert_cmpstr (member_string (c, "level"), ==, "department");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (c), "online"));
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/endpoints", f->admin, room, NULL), ==,
                    409);
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/endpoints", f->admin,
                       "{\"code\":\"Bad Code\",\"name\":\"x\",\"level\":\"district\"}", NULL),
      ==, 422);
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/endpoints", f->admin,
                                     "{\"code\":\"x\",\"name\":\"x\",\"level\":\"galaxy\"}", NULL),
                    ==, 422);
  g_assert_cmpuint (fixture_request (f, "PATCH", "/api/v1/endpoints/so-tttt", f->admin,
                                     "{\"name\":\"Sở TT&TT Nghệ An\"}", &p),
                    ==, 200);
  g_assert_cmpstr (member_string (p, "name"), ==, "Sở TT&TT Nghệ An");
  g_assert_cmpuint (fixture_request (f, "GET", "/api/v1/endpoints", f->manager, NULL, &list), ==,
                    200);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (list), "endpoints")),
                    ==, 45);

  /* A room in a meeting still to come cannot be deleted. */
  g_assert_cmpuint (post_booking (f, f->admin, "so-tttt", "so-tttt", "[\"so-tttt\",\"ubnd-tinh\"]",
                                  8, 9, NULL, NULL),
                    ==, 201);
  g_assert_cmpuint (
      fixture_request (f, "DELETE", "/api/v1/endpoints/so-tttt", f->admin, NULL, NULL), ==, 409);
  g_assert_cmpuint (
      fixture_request (f, "DELETE", "/api/v1/endpoints/thi-uy-thai-hoa", f->admin, NULL, NULL), ==,
      200);
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/endpoints/thi-uy-thai-hoa", f->admin, NULL, NULL), ==,
      404);
  g_assert_cmpuint (post_booking (f, f->admin, "so-tttt", "so-tttt",
                                  "[\"so-tttt\",\"thi-uy-thai-hoa\"]", 10, 11, NULL, NULL),
                    ==, 422);
}

static void
write_file (const gchar *dir, const gchar *name, const gchar *text)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static const gchar *
get_type (Fixture *f, const gchar *path, guint *status)
{
  static gchar type[128];
  g_autoptr (SoupMessage) msg = fixture_message (f, "GET", path, NULL, NULL, 0);
  const gchar *t;

  *status = fixture_send (f, msg, NULL);
  t = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Type");
  g_strlcpy (type, t ? t : "", sizeof type);
  return type;
}

static void
test_static_files (Fixture *f, gconstpointer data)
{
  g_autofree gchar *web = g_build_filename (f->dir, "web", NULL);
  g_autofree gchar *vendor = g_build_filename (f->dir, "vendor", NULL);
  guint status = 0;

  g_mkdir (web, 0700);
  g_mkdir (vendor, 0700);
  write_file (web, "index.html", "<!doctype html><title>x</title>");
  write_file (web, "app.js", "export {};");
  write_file (web, "style.css", "body{}");
  write_file (vendor, "lib.js.map", "{}");
  write_file (f->dir, "secret.txt", "secret");
  g_free (f->ctx->settings->web_root);
  f->ctx->settings->web_root = g_strdup (web);
  g_free (f->ctx->settings->vendor_root);
  f->ctx->settings->vendor_root = g_strdup (vendor);

  g_assert_true (g_str_has_prefix (get_type (f, "/", &status), "text/html"));
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (get_type (f, "/static/app.js", &status), "text/javascript"));
  g_assert_true (g_str_has_prefix (get_type (f, "/static/style.css", &status), "text/css"));
  g_assert_true (
      g_str_has_prefix (get_type (f, "/vendor/lib.js.map", &status), "application/json"));
  get_type (f, "/static/missing.js", &status);
  g_assert_cmpuint (status, ==, 404);
  get_type (f, "/static/%2e%2e/secret.txt", &status);
  g_assert_true (status == 404 || status == 400); /* libsoup may refuse it first */
  get_type (f, "/static/..%2fsecret.txt", &status);
  g_assert_true (status == 404 || status == 400); /* libsoup may refuse it first */
  get_type (f, "/vendor/../secret.txt", &status);
  g_assert_true (status == 404 || status == 400); /* libsoup may refuse it first */
  get_type (f, "/static/", &status);
  g_assert_cmpuint (status, ==, 404);
}

static gboolean
on_accept_certificate (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors,
                       gpointer user_data)
{
  return TRUE; /* the test's self-signed certificate */
}

/* HTTPS: the same server with [server] tls_certificate/tls_key. */
static void
test_https (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("sched-tls-XXXXXX", &error);
  g_autofree gchar *db = g_build_filename (dir, "tls.db", NULL);
  g_autofree gchar *data = g_build_filename (g_getenv ("VC_SOURCE_DIR") ? g_getenv ("VC_SOURCE_DIR")
                                                                        : VC_TEST_SOURCE_DIR,
                                             "tests", "scheduler", "data", NULL);
  SchedSettings *settings;
  g_autoptr (SchedContext) ctx = NULL;
  g_autoptr (SchedServer) server = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = NULL;
  g_autofree gchar *url = NULL, *health = NULL;

  alarm (FIXTURE_WATCHDOG_SECONDS);
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (install glib-networking)");
      return;
    }
  settings = sched_settings_load (NULL, db, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  settings->tls_certificate = g_build_filename (data, "test-tls-cert.pem", NULL);
  settings->tls_key = g_build_filename (data, "test-tls-key.pem", NULL);
  ctx = sched_server_context_new (settings, &error);
  g_assert_no_error (error);
  server = sched_server_new (ctx, &error);
  g_assert_no_error (error);
  g_assert_true (sched_server_listen (server, &error));
  url = sched_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  health = g_strconcat (url, "/healthz", NULL);
  msg = soup_message_new ("GET", health);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  {
    Fixture f = { .session = session };
    g_assert_cmpuint (fixture_send (&f, msg, NULL), ==, 200);
  }
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));
  g_clear_object (&session);
  g_clear_pointer (&server, sched_server_free);
  g_clear_pointer (&ctx, sched_server_context_free);
  g_unlink (db);
  {
    g_autofree gchar *wal = g_strconcat (db, "-wal", NULL);
    g_autofree gchar *shm = g_strconcat (db, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  alarm (0);
}

/* Issue #17, finding 4: each refusal of a booking rule carries a stable
 * `reason` the web UI translates, beside the English message and the field;
 * errors without one (bad JSON) have no `reason` member. */
static void
test_error_reasons (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) past = NULL, longer = NULL, order = NULL, rooms = NULL, clash = NULL;
  g_autoptr (JsonNode) first = NULL, bad = NULL;
  gint64 day = fixture_future_day (1);
  gint64 yesterday = vc_time_now () - 86400;
  g_autofree gchar *past_body
      = fixture_booking_json ("Giao ban", "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]",
                              yesterday, yesterday + 3600, NULL);
  g_autofree gchar *long_body
      = fixture_booking_json ("Giao ban", "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\",\"ubnd-vinh\"]",
                              day + 6 * 3600, day + 20 * 3600, NULL);

  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, past_body, &past),
                    ==, 422);
  g_assert_cmpstr (member_string (past, "reason"), ==, "in_past");
  g_assert_cmpstr (member_string (past, "field"), ==, "start");
  g_assert_cmpstr (member_string (past, "message"), ==, "is in the past");
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, long_body, &longer), ==, 422);
  g_assert_cmpstr (member_string (longer, "reason"), ==, "too_long");
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 9, 8, NULL, &order),
                    ==, 422);
  g_assert_cmpstr (member_string (order, "reason"), ==, "end_before_start");
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh", "[\"ubnd-tinh\"]", 8, 9,
                                  NULL, &rooms),
                    ==, 422);
  g_assert_cmpstr (member_string (rooms, "reason"), ==, "too_few_rooms");
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 8, 9, NULL, &first),
                    ==, 201);
  g_assert_cmpuint (post_booking (f, f->sec_ubnd, "ubnd-tinh", "ubnd-tinh",
                                  "[\"ubnd-tinh\",\"ubnd-vinh\"]", 8, 9, NULL, &clash),
                    ==, 409);
  g_assert_cmpstr (member_string (clash, "reason"), ==, "room_conflict");
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, "{\"title\":", &bad), ==, 400);
  g_assert_false (json_object_has_member (json_node_get_object (bad), "reason"));
}

/* Issue #17, finding 6: a weekly series over Tết 2027, whose official break
 * conf/holidays-vn.ini does not have. The preview lists every occurrence
 * with its holiday (provisional, from the lunar calendar) and the meetings
 * already in its rooms, and warns that 2027's calendar is incomplete; the
 * booking skips 08/02/2027 and still holds the 3 meetings asked for. */
static void
test_series_preview (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) preview = NULL, booked = NULL, other = NULL, again = NULL, year = NULL;
  g_autofree gchar *s = fixture_local (2027, 2, 1, 8, 0);
  g_autofree gchar *e = fixture_local (2027, 2, 1, 9, 0);
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":\"Giao ban tuần\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\","
      "\"recurrence\":{\"freq\":\"weekly\",\"count\":3,\"byday\":[\"MO\"]}}",
      s, e);
  g_autofree gchar *s15 = fixture_local (2027, 2, 15, 8, 30);
  g_autofree gchar *e15 = fixture_local (2027, 2, 15, 9, 30);
  g_autofree gchar *clash = g_strdup_printf (
      "{\"title\":\"Họp khác\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-vinh\","
      "\"endpoints\":[\"ubnd-vinh\",\"ubnd-anh-son\"],\"start\":\"%s\",\"end\":\"%s\"}",
      s15, e15);
  JsonArray *occ, *missing, *skipped, *holidays;
  JsonObject *tet, *o;
  gboolean found = FALSE;

  g_autofree gchar *today = fixture_local (2027, 1, 4, 9, 0);
  g_autofree gchar *other_path = NULL;

  g_assert_true (vc_time_parse (today, &fixture_fake_now_value));
  f->core->now = fixture_fake_now;
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings/preview", f->sec_ubnd, body, &preview), ==,
      200);
  o = json_node_get_object (preview);
  occ = json_object_get_array_member (o, "occurrences");
  g_assert_cmpuint (json_array_get_length (occ), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "bookable"), ==, 3);
  tet = json_array_get_object_element (occ, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (tet, "holiday"), "Tết"));
  g_assert_true (json_object_get_boolean_member (tet, "provisional"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (occ, 0), "holiday"));
  missing = json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (o, "incomplete_holiday_years"),
                                     0),
      "missing");
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "tet");
  /* Nothing was booked by the preview. */
  g_assert_cmpint (fixture_count (f, "SELECT count(*) FROM meetings"), ==, 0);

  /* A meeting in one of the rooms on 15/02: flagged on that occurrence. */
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, clash, &other), ==,
                    201);
  g_assert_cmpuint (
      fixture_request (f, "POST", "/api/v1/meetings/preview", f->sec_ubnd, body, &again), ==, 200);
  occ = json_object_get_array_member (json_node_get_object (again), "occurrences");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_array_get_object_element (occ, 2), "conflicts")),
                    ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_array_get_object_element (occ, 0), "conflicts")),
                    ==, 0);
  other_path = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, member_int (other, "id"));
  g_assert_cmpuint (fixture_request (f, "DELETE", other_path, f->sec_ubnd, NULL, NULL), ==, 200);

  /* Booked: three meetings, 08/02 skipped as a provisional holiday. */
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, body, &booked), ==,
                    201);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (booked), "occurrences")),
                    ==, 3);
  skipped = json_object_get_array_member (json_node_get_object (booked), "skipped");
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  g_assert_true (
      json_object_get_boolean_member (json_array_get_object_element (skipped, 0), "provisional"));

  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/holidays?year=2027", f->manager, NULL, &year), ==, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (year), "complete"));
  holidays = json_object_get_array_member (json_node_get_object (year), "holidays");
  for (guint i = 0; i < json_array_get_length (holidays); i++)
    {
      JsonObject *h = json_array_get_object_element (holidays, i);
      if (g_str_equal (json_object_get_string_member (h, "date"), "2027-02-08"))
        found = json_object_get_boolean_member (h, "provisional");
    }
  g_assert_true (found);
  g_assert_cmpuint (
      fixture_request (f, "GET", "/api/v1/holidays?year=1999", f->manager, NULL, NULL), ==, 422);
}

static const gchar *
occurrence_field (Fixture *f, gint64 id, const gchar *field, JsonNode **keep)
{
  g_autofree gchar *path = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, id);

  g_clear_pointer (keep, json_node_unref);
  g_assert_cmpuint (fixture_request (f, "GET", path, f->sec_ubnd, NULL, keep), ==, 200);
  return member_string (*keep, field);
}

/* Issue #17, finding 11: a series changed from one occurrence on
 * (?scope=following) and cancelled whole (?scope=series), in one
 * transaction each: a clash of any occurrence refuses the whole change. */
static void
test_series_scope (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) series = NULL, blocker = NULL, refused = NULL, changed = NULL;
  g_autoptr (JsonNode) cancelled = NULL, keep = NULL, bad = NULL;
  g_autofree gchar *today = fixture_local (2027, 1, 4, 9, 0);
  g_autofree gchar *s = fixture_local (2027, 1, 11, 8, 0);
  g_autofree gchar *e = fixture_local (2027, 1, 11, 9, 0);
  g_autofree gchar *body = g_strdup_printf (
      "{\"title\":\"Giao ban tuần\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\","
      "\"recurrence\":{\"freq\":\"weekly\",\"count\":4}}",
      s, e);
  g_autofree gchar *bs = fixture_local (2027, 2, 1, 9, 45);
  g_autofree gchar *be = fixture_local (2027, 2, 1, 10, 15);
  g_autofree gchar *block = g_strdup_printf (
      "{\"title\":\"Họp khác\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-vinh\","
      "\"endpoints\":[\"ubnd-vinh\",\"ubnd-anh-son\"],\"start\":\"%s\",\"end\":\"%s\"}",
      bs, be);
  g_autofree gchar *ns = fixture_local (2027, 1, 18, 9, 0);
  g_autofree gchar *ne = fixture_local (2027, 1, 18, 10, 30);
  g_autofree gchar *patch = g_strdup_printf (
      "{\"title\":\"Giao ban tuần (mới)\",\"start\":\"%s\",\"end\":\"%s\"}", ns, ne);
  g_autofree gchar *last_start = fixture_local (2027, 2, 1, 9, 0);
  g_autofree gchar *block_path = NULL;
  g_autofree gchar *second_path = NULL;
  g_autofree gchar *first_path = NULL;
  JsonArray *occ;
  gint64 ids[4];

  g_assert_true (vc_time_parse (today, &fixture_fake_now_value));
  f->core->now = fixture_fake_now;
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, body, &series), ==,
                    201);
  occ = json_object_get_array_member (json_node_get_object (series), "occurrences");
  g_assert_cmpuint (json_array_get_length (occ), ==, 4);
  for (guint i = 0; i < 4; i++)
    ids[i] = json_object_get_int_member (json_array_get_object_element (occ, i), "id");
  second_path = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "?scope=following", ids[1]);
  first_path = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "?scope=series", ids[0]);

  /* The last occurrence, moved to 09:00–10:30, would clash: nothing changes. */
  g_assert_cmpuint (fixture_request (f, "POST", "/api/v1/meetings", f->sec_ubnd, block, &blocker),
                    ==, 201);
  g_assert_cmpuint (fixture_request (f, "PATCH", second_path, f->sec_ubnd, patch, &refused), ==,
                    409);
  g_assert_cmpstr (member_string (refused, "reason"), ==, "room_conflict");
  g_assert_cmpstr (occurrence_field (f, ids[1], "title", &keep), ==, "Giao ban tuần");
  block_path = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT, member_int (blocker, "id"));
  g_assert_cmpuint (fixture_request (f, "DELETE", block_path, f->sec_ubnd, NULL, NULL), ==, 200);

  /* Now it goes through: occurrences 2–4, not the first. */
  g_assert_cmpuint (fixture_request (f, "PATCH", second_path, f->sec_ubnd, patch, &changed), ==,
                    200);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (changed), "changed")),
                    ==, 3);
  g_assert_cmpstr (occurrence_field (f, ids[0], "title", &keep), ==, "Giao ban tuần");
  g_assert_cmpstr (occurrence_field (f, ids[0], "start", &keep), ==, s);
  g_assert_cmpstr (occurrence_field (f, ids[3], "title", &keep), ==, "Giao ban tuần (mới)");
  g_assert_cmpstr (occurrence_field (f, ids[3], "start", &keep), ==, last_start);

  g_assert_cmpuint (
      fixture_request (f, "DELETE", "/api/v1/meetings/1?scope=some", f->sec_ubnd, NULL, &bad), ==,
      422);
  g_assert_cmpstr (member_string (bad, "field"), ==, "scope");
  g_assert_cmpuint (fixture_request (f, "DELETE", first_path, f->sec_ubnd, NULL, &cancelled), ==,
                    200);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (occurrence_field (f, ids[i], "status", &keep), ==, "cancelled");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/sched-core/http/" name, Fixture, NULL, setup, fn, fixture_teardown)
  ADD ("health-metrics-me", test_health_metrics_me);
  ADD ("auth", test_auth);
  ADD ("book-list-conflict", test_book_list_conflict);
  ADD ("concurrent-booking", test_concurrent_booking);
  ADD ("bad-bodies", test_bad_bodies);
  ADD ("error-reasons", test_error_reasons);
  ADD ("series-preview", test_series_preview);
  ADD ("series-scope", test_series_scope);
  ADD ("text-and-time-checks", test_text_and_time_checks);
  ADD ("chunked-too-large", test_chunked_too_large);
  ADD ("change-calls", test_change_calls);
  ADD ("attendance", test_attendance);
  ADD ("attendance-window", test_attendance_window);
  ADD ("endpoints-crud", test_endpoints_crud);
  ADD ("tokens", test_tokens);
  ADD ("endpoints-presence", test_endpoints_presence);
  ADD ("static-files", test_static_files);
  g_test_add_func ("/sched-core/http/https", test_https);
  return g_test_run ();
}
