/* test-recordings.c — recordings in the scheduler (issue #18, part 2).
 *
 * The booking service and the live side on one server, as vc-scheduler
 * wires them, against a fake bridge that speaks the recording part of the
 * control API (docs/protocol.md §2): GET /recordings?room=, GET and DELETE
 * /recordings/ROOM/NAME, rooms with a "recording" state, and the
 * record_pause/record_resume controls. Covered: fetching (complete segments
 * only, byte count, delete on the bridge only after the row), a bridge that
 * breaks off mid-download, the archive's access rules (401/403/404, path
 * tricks), ranges (206/416/400), admin deletion with its audit entry,
 * play links, the retention sweep, and pause/resume forwarding. */
#include "sched-agents.h"
#include "sched-bridge.h"
#include "sched-model-recording.h"
#include "sched-recordings.h"
#include "sched-test-fixture.h"

#define SECRET "recordings-test-secret"
#define WAIT_SECONDS 60

typedef struct
{
  gchar *name;
  GBytes *data;
  gint64 listed_bytes; /* what the list says (normally the data's size) */
  gboolean complete;
} BridgeFile;

typedef struct
{
  Fixture f;
  SoupServer *bridge;
  gchar *bridge_url;
  GPtrArray *files;      /* BridgeFile*, on the bridge */
  guint truncate_next;   /* break this many more downloads off half-way */
  guint downloads;       /* GET /recordings/ROOM/NAME answered */
  guint deletes;         /* DELETE /recordings/ROOM/NAME */
  gchar *state;          /* the room's recording state */
  GPtrArray *controls;   /* gchar* bodies of POST /rooms/ID/control */
  GPtrArray *room_posts; /* gchar* bodies of POST /rooms */
  gint64 meeting;        /* the recorded meeting */
} RecFixture;

static void
bridge_file_free (BridgeFile *file)
{
  g_free (file->name);
  g_bytes_unref (file->data);
  g_free (file);
}

static void
reply_json (SoupServerMessage *msg, guint status, const gchar *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static gchar *
bridge_room_json (RecFixture *r, gint64 id)
{
  return g_strdup_printf ("{\"id\":\"%" G_GINT64_FORMAT
                          "\",\"layout\":\"grid\",\"participants\":[],"
                          "\"recording\":{\"state\":\"%s\",\"error\":null,\"started_at\":null,"
                          "\"segments\":%u,\"bytes\":0}}",
                          id, r->state, r->files->len);
}

static BridgeFile *
bridge_find (RecFixture *r, const gchar *name, guint *index)
{
  for (guint i = 0; i < r->files->len; i++)
    {
      BridgeFile *file = g_ptr_array_index (r->files, i);
      if (g_str_equal (file->name, name))
        {
          if (index)
            *index = i;
          return file;
        }
    }
  return NULL;
}

/* Half the body, then the connection closes: the bridge went away. */
static void
bridge_break_off (SoupServerMessage *msg, BridgeFile *file)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  gsize size = g_bytes_get_size (file->data);
  g_autofree gchar *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: video/webm\r\n"
                                            "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                            size);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (file->data, NULL), size / 2, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void
on_bridge_recordings (RecFixture *r, SoupServerMessage *msg, const char *path, GHashTable *query)
{
  const gchar *method = soup_server_message_get_method (msg);
  g_autofree gchar *prefix = g_strdup_printf ("/recordings/%" G_GINT64_FORMAT "/", r->meeting);
  BridgeFile *file;
  guint index = 0;

  if (g_str_equal (path, "/recordings"))
    {
      GString *list = g_string_new ("{\"recordings\":[");
      const gchar *room = query ? g_hash_table_lookup (query, "room") : NULL;
      g_autofree gchar *wanted = g_strdup_printf ("%" G_GINT64_FORMAT, r->meeting);

      for (guint i = 0; g_strcmp0 (room, wanted) == 0 && i < r->files->len; i++)
        {
          file = g_ptr_array_index (r->files, i);
          g_string_append_printf (list,
                                  "%s{\"room\":\"%s\",\"name\":\"%s\",\"bytes\":%" G_GINT64_FORMAT
                                  ",\"seconds\":12.5,\"started_at\":\"2026-12-03T14:00:0%uZ\","
                                  "\"complete\":%s}",
                                  i ? "," : "", wanted, file->name, file->listed_bytes, i,
                                  file->complete ? "true" : "false");
        }
      g_string_append (list, "]}");
      reply_json (msg, 200, list->str);
      g_string_free (list, TRUE);
      return;
    }
  if (!g_str_has_prefix (path, prefix)
      || (file = bridge_find (r, path + strlen (prefix), &index)) == NULL)
    {
      reply_json (msg, 404, "{\"error\":\"not_found\"}");
      return;
    }
  if (g_str_equal (method, "DELETE"))
    {
      r->deletes++;
      g_ptr_array_remove_index (r->files, index);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }
  r->downloads++;
  if (r->truncate_next > 0)
    {
      r->truncate_next--;
      bridge_break_off (msg, file);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "video/webm", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), file->data);
}

static void
on_bridge_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                   gpointer user_data)
{
  RecFixture *r = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  const gchar *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree gchar *text = g_strndup (body->data, body->length);

  g_assert_cmpstr (auth, ==, "Bearer " SECRET);
  if (g_str_has_prefix (path, "/recordings"))
    on_bridge_recordings (r, msg, path, query);
  else if (g_str_equal (path, "/capacity"))
    reply_json (msg, 200,
                "{\"max_rooms\":8,\"max_participants\":200,\"rooms\":0,"
                "\"participants\":0}");
  else if (g_str_equal (path, "/rooms") && g_str_equal (method, "GET"))
    reply_json (msg, 200, "{\"rooms\":[]}");
  else if (g_str_equal (path, "/rooms") && g_str_equal (method, "POST"))
    {
      g_autofree gchar *room = bridge_room_json (r, r->meeting);
      g_ptr_array_add (r->room_posts, g_steal_pointer (&text));
      reply_json (msg, 201, room);
    }
  else if (g_str_has_suffix (path, "/control"))
    {
      gboolean pause = strstr (text, "\"record_pause\"") != NULL;
      gboolean resume = strstr (text, "\"record_resume\"") != NULL;

      g_ptr_array_add (r->controls, g_steal_pointer (&text));
      if (pause && g_str_equal (r->state, "recording"))
        {
          g_free (r->state);
          r->state = g_strdup ("paused");
        }
      else if (resume && g_str_equal (r->state, "paused"))
        {
          g_free (r->state);
          r->state = g_strdup ("recording");
        }
      else
        {
          reply_json (msg, 409, "{\"error\":\"not_recording\"}");
          return;
        }
      {
        g_autofree gchar *room = bridge_room_json (r, r->meeting);
        reply_json (msg, 200, room);
      }
    }
  else if (g_str_has_prefix (path, "/rooms/") && g_str_equal (method, "GET"))
    {
      g_autofree gchar *room = bridge_room_json (r, r->meeting);
      reply_json (msg, 200, room);
    }
  else if (g_str_equal (method, "DELETE"))
    soup_server_message_set_status (msg, 204, NULL);
  else
    reply_json (msg, 404, "{\"error\":\"not_found\"}");
}

static void
bridge_add_file (RecFixture *r, const gchar *name, gsize size, gboolean complete)
{
  BridgeFile *file = g_new0 (BridgeFile, 1);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)g_random_int ();
  file->name = g_strdup (name);
  file->data = g_bytes_new_take (data, size);
  file->listed_bytes = (gint64)size;
  file->complete = complete;
  g_ptr_array_add (r->files, file);
}

/* A meeting of ubnd-tinh running now, booked with record = 1. */
static gint64
insert_recorded_meeting (RecFixture *r, gint64 start, gint64 end)
{
  sqlite3_stmt *st = NULL;
  sqlite3 *db = sched_db_handle (r->f.ctx->db);
  gint64 id;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO meetings (title, unit, chair, start_at, end_at,"
                                       " created_at, updated_at, record) VALUES ('Giao ban',"
                                       " 'ubnd-tinh', 'ubnd-tinh', ?1, ?2, ?1, ?1, 1)",
                                       -1, &st, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (st, 1, start);
  sqlite3_bind_int64 (st, 2, end);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
  sqlite3_finalize (st);
  id = sqlite3_last_insert_rowid (db);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO meeting_endpoints (meeting_id, endpoint,"
                                       " start_at, end_at) VALUES (?1, 'ubnd-tinh', ?2, ?3),"
                                       " (?1, 'ubnd-vinh', ?2, ?3)",
                                       -1, &st, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int64 (st, 2, start);
  sqlite3_bind_int64 (st, 3, end);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
  sqlite3_finalize (st);
  return id;
}

static void
rec_setup (RecFixture *r, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoslist (GUri) uris = NULL;
  Fixture *f = &r->f;
  SchedSettings *s;
  gint64 now = vc_time_now ();

  fixture_setup_full (f, FALSE);
  r->files = g_ptr_array_new_with_free_func ((GDestroyNotify)bridge_file_free);
  r->controls = g_ptr_array_new_with_free_func (g_free);
  r->room_posts = g_ptr_array_new_with_free_func (g_free);
  r->state = g_strdup ("recording");
  r->bridge = soup_server_new (NULL, NULL);
  soup_server_add_handler (r->bridge, NULL, on_bridge_request, r, NULL);
  g_assert_true (soup_server_listen_local (r->bridge, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (r->bridge);
  r->bridge_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  s = f->ctx->settings;
  g_free (s->bridge_url);
  s->bridge_url = g_strdup (data ? r->bridge_url : NULL);
  g_free (s->bridge_secret);
  s->bridge_secret = g_strdup (SECRET);
  g_free (s->recordings_directory);
  s->recordings_directory = g_build_filename (f->dir, "recordings", NULL);
  r->meeting = insert_recorded_meeting (r, now - 600, now + 3000);

  /* The real hooks instead of the fixture's counters. */
  f->ctx->hub = NULL;
  f->ctx->schedule_changed = NULL;
  f->ctx->meeting_changed = NULL;
  f->ctx->token_revoked = NULL;
  sched_agents_register (f->ctx, sched_server_get_soup_server (f->server));
  g_assert_true (sched_server_listen (f->server, &error));
  g_assert_no_error (error);
  f->url = sched_server_get_url (f->server);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
remove_tree (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
rec_teardown (RecFixture *r, gconstpointer data)
{
  g_autofree gchar *recordings = g_build_filename (r->f.dir, "recordings", NULL);

  sched_agents_unregister (r->f.ctx);
  remove_tree (recordings);
  fixture_teardown (&r->f, data);
  g_clear_object (&r->bridge);
  g_free (r->bridge_url);
  g_free (r->state);
  g_ptr_array_unref (r->files);
  g_ptr_array_unref (r->controls);
  g_ptr_array_unref (r->room_posts);
}

/* Runs the main loop until @done says so, or fails after WAIT_SECONDS. */
static void
wait_until (RecFixture *r, gboolean (*done) (RecFixture *r), const gchar *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!done (r))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gint64
count_rows (RecFixture *r, const gchar *sql)
{
  return fixture_count (&r->f, sql);
}

static gchar *
file_of (RecFixture *r, const gchar *name)
{
  return sched_recorder_file_path (r->f.ctx->settings, r->meeting, name);
}

static gboolean
two_fetched (RecFixture *r)
{
  return r->deletes == 2;
}

static void
assert_file_equals (RecFixture *r, const gchar *name, GBytes *expected)
{
  g_autofree gchar *path = file_of (r, name);
  g_autofree gchar *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

/* Complete segments are fetched, checked, stored and then deleted on the
 * bridge; an incomplete one stays there, untouched. */
static void
test_fetch (RecFixture *r, gconstpointer data)
{
  g_autoptr (GBytes) first = NULL, second = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autofree gchar *path
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "/recordings", r->meeting);
  JsonObject *o;
  JsonArray *items;

  bridge_add_file (r, "20261203T140000Z-0001.webm", 70000, TRUE);
  bridge_add_file (r, "20261203T141000Z-0002.webm", 1234, TRUE);
  bridge_add_file (r, "20261203T142000Z-0003.webm", 99, FALSE);
  first = g_bytes_ref (((BridgeFile *)r->files->pdata[0])->data);
  second = g_bytes_ref (((BridgeFile *)r->files->pdata[1])->data);
  sched_recorder_poll_now (r->f.ctx->recorder);
  wait_until (r, two_fetched, "two segments fetched and deleted on the bridge");

  g_assert_cmpint (count_rows (r, "SELECT count(*) FROM recordings"), ==, 2);
  assert_file_equals (r, "20261203T140000Z-0001.webm", first);
  assert_file_equals (r, "20261203T141000Z-0002.webm", second);
  g_assert_cmpuint (r->files->len, ==, 1); /* the incomplete one */
  g_assert_false (((BridgeFile *)r->files->pdata[0])->complete);

  g_assert_cmpuint (fixture_request (&r->f, "GET", path, r->f.sec_ubnd, NULL, &list), ==, 200);
  o = json_node_get_object (list);
  items = json_object_get_array_member (o, "recordings");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "bytes"), ==, 70000 + 1234);
  g_assert_cmpint (json_object_get_int_member (o, "segments"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (o, "seconds"), ==, 25.0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 1), "segment"),
                   ==, 2);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (items, 0), "started_at"), ==,
      "2026-12-03T14:00:00Z");
  /* The room was opened with record: true; its live state is shown. */
  g_assert_cmpuint (r->room_posts->len, >=, 1);
  g_assert_nonnull (strstr (r->room_posts->pdata[0], "\"record\":true"));
}

static gboolean
one_fetched (RecFixture *r)
{
  return r->deletes == 1;
}

/* The bridge breaks the first download off half-way: no row, no partial
 * file, nothing deleted on the bridge; the retry after the back-off
 * fetches it whole. */
static void
test_fetch_broken (RecFixture *r, gconstpointer data)
{
  g_autofree gchar *folder = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GBytes) content = NULL;
  const gchar *name;

  /* The broken download is warned about: not fatal here. */
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  bridge_add_file (r, "20261203T140000Z-0001.webm", 200000, TRUE);
  content = g_bytes_ref (((BridgeFile *)r->files->pdata[0])->data);
  r->truncate_next = 1;
  sched_recorder_poll_now (r->f.ctx->recorder);
  while (r->downloads < 1)
    g_main_context_iteration (NULL, TRUE);
  /* Until the retry: the copy on the bridge is never deleted early. */
  while (r->downloads < 2)
    {
      g_assert_cmpuint (r->deletes, ==, 0);
      g_assert_cmpint (count_rows (r, "SELECT count(*) FROM recordings"), ==, 0);
      g_main_context_iteration (NULL, TRUE);
    }
  wait_until (r, one_fetched, "the retried download");
  g_assert_cmpint (count_rows (r, "SELECT count(*) FROM recordings"), ==, 1);
  assert_file_equals (r, "20261203T140000Z-0001.webm", content);
  /* No partial file is left behind. */
  {
    g_autofree gchar *any = file_of (r, "x");
    folder = g_path_get_dirname (any);
  }
  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    g_assert_false (g_str_has_suffix (name, ".part"));
  g_log_set_always_fatal (fatal);
}

/* A test hook: a stored segment of @bytes bytes (0, 1, 2, …) and its row. */
static gint64
store_recording (RecFixture *r, const gchar *name, gsize bytes, gint64 started_at)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = file_of (r, name);
  g_autofree gchar *folder = g_path_get_dirname (path);
  g_autofree guint8 *data = g_malloc (bytes);
  SchedRecording row = {
    .meeting_id = r->meeting,
    .name = (gchar *)name,
    .bytes = (gint64)bytes,
    .seconds = 30,
    .started_at = started_at,
    .fetched_at = started_at,
  };
  gint64 id = 0;

  for (gsize i = 0; i < bytes; i++)
    data[i] = (guint8)(i % 251);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0750), ==, 0);
  g_assert_true (g_file_set_contents (path, (const gchar *)data, (gssize)bytes, &error));
  g_assert_true (sched_recording_insert (r->f.ctx->db, &row, &id, &error));
  g_assert_no_error (error);
  return id;
}

static guint
get_status (RecFixture *r, const gchar *method, const gchar *path, const gchar *token)
{
  return fixture_request (&r->f, method, path, token, NULL, NULL);
}

/* Who may list, download and delete; anything but a number names nothing. */
static void
test_access (RecFixture *r, gconstpointer data)
{
  gint64 id = store_recording (r, "20261203T140000Z-0001.webm", 1000, vc_time_now ());
  g_autofree gchar *list
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "/recordings", r->meeting);
  g_autofree gchar *file = g_strdup_printf ("/api/v1/recordings/%" G_GINT64_FORMAT, id);
  g_autofree gchar *path = file_of (r, "20261203T140000Z-0001.webm");
  static const gchar *const tricks[] = {
    "/api/v1/recordings/20261203T140000Z-0001.webm",
    "/api/v1/recordings/%2e%2e%2fscheduler.db",
    "/api/v1/recordings/..%2F..%2Fscheduler.db",
    "/api/v1/recordings/1%2f..%2f..%2fscheduler.db",
    "/api/v1/recordings/1/..",
    "/api/v1/recordings/99999999999999999999999999",
    "/api/v1/recordings/9223372036854775807",
    "/api/v1/recordings/-1",
    "/api/v1/recordings/+1",
    "/api/v1/recordings/0x1",
    "/api/v1/recordings/0",
    "/api/v1/recordings/",
  };
  JsonNode *node = NULL;

  /* listing */
  g_assert_cmpuint (get_status (r, "GET", list, NULL), ==, 401);
  g_assert_cmpuint (get_status (r, "GET", list, r->f.room), ==, 403);
  g_assert_cmpuint (get_status (r, "GET", list, r->f.sec_vinh), ==, 403);
  g_assert_cmpuint (get_status (r, "GET", list, r->f.sec_ubnd), ==, 200);
  g_assert_cmpuint (get_status (r, "GET", list, r->f.manager), ==, 200);
  g_assert_cmpuint (get_status (r, "GET", list, r->f.admin), ==, 200);
  g_assert_cmpuint (get_status (r, "GET", "/api/v1/meetings/987654/recordings", r->f.admin), ==,
                    404);
  /* download */
  g_assert_cmpuint (get_status (r, "GET", file, NULL), ==, 401);
  g_assert_cmpuint (get_status (r, "GET", file, r->f.room), ==, 403);
  g_assert_cmpuint (get_status (r, "GET", file, r->f.sec_vinh), ==, 403);
  g_assert_cmpuint (get_status (r, "GET", file, r->f.sec_ubnd), ==, 200);
  g_assert_cmpuint (get_status (r, "GET", file, r->f.manager), ==, 200);
  g_assert_cmpuint (get_status (r, "GET", "/api/v1/recordings/987654", r->f.admin), ==, 404);
  for (guint i = 0; i < G_N_ELEMENTS (tricks); i++)
    {
      guint with_admin = get_status (r, "GET", tricks[i], r->f.admin);
      guint anonymous = get_status (r, "GET", tricks[i], NULL);

      /* 404 from us; libsoup itself refuses a few (an encoded "../")
       * with 400 before any handler runs */
      g_test_message ("trick %s: %u, anonymous %u", tricks[i], with_admin, anonymous);
      g_assert_true (with_admin == 404 || with_admin == 400);
      g_assert_true (anonymous == 401 || anonymous == 400);
    }
  /* deletion: admin only, audited, then gone */
  g_assert_cmpuint (get_status (r, "DELETE", file, NULL), ==, 401);
  g_assert_cmpuint (get_status (r, "DELETE", file, r->f.room), ==, 403);
  g_assert_cmpuint (get_status (r, "DELETE", file, r->f.sec_ubnd), ==, 403);
  g_assert_cmpuint (get_status (r, "DELETE", file, r->f.manager), ==, 403);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (get_status (r, "DELETE", file, r->f.admin), ==, 204);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (count_rows (r, "SELECT count(*) FROM audit_log WHERE action = "
                                  "'recording_deleted' AND meeting_id IS NOT NULL"),
                   ==, 1);
  g_assert_cmpuint (get_status (r, "GET", file, r->f.admin), ==, 404);
  g_assert_cmpuint (get_status (r, "DELETE", file, r->f.admin), ==, 404);
  g_assert_cmpuint (fixture_request (&r->f, "GET", list, r->f.admin, NULL, &node), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "segments"), ==, 0);
  json_node_unref (node);
}

/* The play link opens its one recording without a token; a changed
 * signature, another id or an expired link do not. */
static void
test_play_link (RecFixture *r, gconstpointer data)
{
  gint64 id = store_recording (r, "20261203T140000Z-0001.webm", 500, vc_time_now ());
  gint64 other = store_recording (r, "20261203T141000Z-0002.webm", 500, vc_time_now ());
  g_autofree gchar *list
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "/recordings", r->meeting);
  g_autoptr (JsonNode) node = NULL;
  const gchar *play;
  g_autofree gchar *tampered = NULL, *moved = NULL, *expired = NULL;
  gchar *sig;

  g_assert_cmpuint (fixture_request (&r->f, "GET", list, r->f.sec_ubnd, NULL, &node), ==, 200);
  play = json_object_get_string_member (
      json_array_get_object_element (
          json_object_get_array_member (json_node_get_object (node), "recordings"), 0),
      "play_url");
  g_assert_true (g_str_has_prefix (play, "/api/v1/recordings/"));
  g_assert_cmpuint (get_status (r, "GET", play, NULL), ==, 200);
  tampered = g_strdup (play);
  sig = strstr (tampered, "sig=") + 4;
  *sig = *sig == 'a' ? 'b' : 'a';
  g_assert_cmpuint (get_status (r, "GET", tampered, NULL), ==, 401);
  moved = g_strdup_printf ("/api/v1/recordings/%" G_GINT64_FORMAT "%s", other, strchr (play, '?'));
  g_assert_cmpuint (get_status (r, "GET", moved, NULL), ==, 401);
  expired = g_strdup_printf ("/api/v1/recordings/%" G_GINT64_FORMAT "?expires=1&%s", id,
                             strstr (play, "sig="));
  g_assert_cmpuint (get_status (r, "GET", expired, NULL), ==, 401);
  /* a link never deletes */
  g_assert_cmpuint (get_status (r, "DELETE", play, NULL), ==, 401);
}

typedef struct
{
  guint status;
  gchar *content_range;
  gchar *content_type;
  gchar *etag;
  GBytes *body;
} RangeReply;

static void
range_reply_clear (RangeReply *reply)
{
  g_free (reply->content_range);
  g_free (reply->content_type);
  g_free (reply->etag);
  g_clear_pointer (&reply->body, g_bytes_unref);
}

static void
on_range_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RangeReply *out = user_data;
  g_autoptr (GError) error = NULL;

  out->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* Sends and waits, iterating the main context, which also runs the server. */
static void
get_range (RecFixture *r, const gchar *path, const gchar *range, RangeReply *out)
{
  g_autoptr (SoupMessage) msg = fixture_message (&r->f, "GET", path, r->f.manager, NULL, -1);
  SoupMessageHeaders *h;

  if (range)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  soup_session_send_and_read_async (r->f.session, msg, G_PRIORITY_DEFAULT, NULL, on_range_read,
                                    out);
  while (out->body == NULL)
    g_main_context_iteration (NULL, TRUE);
  h = soup_message_get_response_headers (msg);
  out->status = soup_message_get_status (msg);
  out->content_range = g_strdup (soup_message_headers_get_one (h, "Content-Range"));
  out->content_type = g_strdup (soup_message_headers_get_content_type (h, NULL));
  out->etag = g_strdup (soup_message_headers_get_one (h, "ETag"));
  if (out->status < 300)
    g_assert_cmpstr (soup_message_headers_get_one (h, "Accept-Ranges"), ==, "bytes");
}

static void
assert_bytes_from (GBytes *body, gsize first, gsize length)
{
  const guint8 *data = g_bytes_get_data (body, NULL);

  g_assert_cmpuint (g_bytes_get_size (body), ==, length);
  for (gsize i = 0; i < length; i++)
    g_assert_cmpuint (data[i], ==, (first + i) % 251);
}

static void
test_ranges (RecFixture *r, gconstpointer data)
{
  gint64 id = store_recording (r, "20261203T140000Z-0001.webm", 1000, vc_time_now ());
  g_autofree gchar *path = g_strdup_printf ("/api/v1/recordings/%" G_GINT64_FORMAT, id);
  static const gchar *const malformed[] = {
    "bytes=abc", "bytes=5-2", "bytes=0-1,4-5", "items=0-1",
    "bytes=-",   "bytes=--5", "bytes=1-x",     "bytes= -",
  };
  RangeReply reply = { 0 };

  /* whole */
  reply.status = fixture_request (&r->f, "GET", path, r->f.manager, NULL, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  get_range (r, path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply.content_type, ==, "video/webm");
  g_assert_nonnull (reply.etag);
  assert_bytes_from (reply.body, 0, 1000);
  range_reply_clear (&reply);
  /* parts */
  get_range (r, path, "bytes=0-9", &reply);
  g_assert_cmpuint (reply.status, ==, 206);
  g_assert_cmpstr (reply.content_range, ==, "bytes 0-9/1000");
  g_assert_cmpstr (reply.content_type, ==, "video/webm");
  assert_bytes_from (reply.body, 0, 10);
  range_reply_clear (&reply);
  get_range (r, path, "bytes=990-", &reply);
  g_assert_cmpuint (reply.status, ==, 206);
  g_assert_cmpstr (reply.content_range, ==, "bytes 990-999/1000");
  assert_bytes_from (reply.body, 990, 10);
  range_reply_clear (&reply);
  get_range (r, path, "bytes=-5", &reply);
  g_assert_cmpuint (reply.status, ==, 206);
  g_assert_cmpstr (reply.content_range, ==, "bytes 995-999/1000");
  assert_bytes_from (reply.body, 995, 5);
  range_reply_clear (&reply);
  get_range (r, path, "bytes=500-5000", &reply); /* clamped to the end */
  g_assert_cmpuint (reply.status, ==, 206);
  g_assert_cmpstr (reply.content_range, ==, "bytes 500-999/1000");
  assert_bytes_from (reply.body, 500, 500);
  range_reply_clear (&reply);
  /* past the end */
  get_range (r, path, "bytes=1000-", &reply);
  g_assert_cmpuint (reply.status, ==, 416);
  g_assert_cmpstr (reply.content_range, ==, "bytes */1000");
  range_reply_clear (&reply);
  get_range (r, path, "bytes=-0", &reply);
  g_assert_cmpuint (reply.status, ==, 416);
  range_reply_clear (&reply);
  /* malformed */
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_test_message ("Range: %s", malformed[i]);
      get_range (r, path, malformed[i], &reply);
      g_assert_cmpuint (reply.status, ==, 400);
      range_reply_clear (&reply);
    }
}

/* keep_days: what started before now - keep_days loses its file and is
 * marked, with an audit entry; 0 keeps everything. */
static void
test_retention (RecFixture *r, gconstpointer data)
{
  gint64 now = vc_time_now ();
  gint64 old = store_recording (r, "20261001T080000Z-0001.webm", 100, now - 40 * 86400);
  gint64 young = store_recording (r, "20261202T080000Z-0001.webm", 100, now - 86400);
  g_autofree gchar *old_path = file_of (r, "20261001T080000Z-0001.webm");
  g_autofree gchar *young_path = file_of (r, "20261202T080000Z-0001.webm");
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedRecording) old_row = NULL, young_row = NULL;
  guint deleted = 99;

  r->f.ctx->settings->recordings_keep_seconds = 0;
  g_assert_true (sched_recorder_sweep (r->f.ctx->recorder, now, &deleted, &error));
  g_assert_cmpuint (deleted, ==, 0);
  g_assert_true (g_file_test (old_path, G_FILE_TEST_EXISTS));

  r->f.ctx->settings->recordings_keep_seconds = 30 * 86400;
  g_assert_true (sched_recorder_sweep (r->f.ctx->recorder, now, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, 1);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young_path, G_FILE_TEST_EXISTS));
  old_row = sched_recording_get (r->f.ctx->db, old, &error);
  young_row = sched_recording_get (r->f.ctx->db, young, &error);
  g_assert_cmpint (old_row->deleted_at, ==, now);
  g_assert_cmpstr (old_row->deleted_by, ==, "retention");
  g_assert_cmpint (young_row->deleted_at, ==, 0);
  g_assert_cmpint (count_rows (r, "SELECT count(*) FROM audit_log WHERE action = "
                                  "'recording_expired' AND actor = 'retention'"),
                   ==, 1);
  /* The next day's sweep, 31 days on, takes the other one; nothing twice. */
  g_assert_true (sched_recorder_sweep (r->f.ctx->recorder, now + 30 * 86400, &deleted, &error));
  g_assert_cmpuint (deleted, ==, 1);
  g_assert_true (sched_recorder_sweep (r->f.ctx->recorder, now + 30 * 86400, &deleted, &error));
  g_assert_cmpuint (deleted, ==, 0);
}

static gboolean
room_polled (RecFixture *r)
{
  return sched_bridge_get_room (r->f.ctx->bridge, r->meeting) != NULL;
}

/* pause/resume go to the bridge as record_pause/record_resume; the
 * bridge's 409 (not recording) is a 409 not_recording; who may is who may
 * use the monitor's controls. */
static void
test_pause_resume (RecFixture *r, gconstpointer data)
{
  g_autofree gchar *path
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "/recording", r->meeting);
  gint64 now = vc_time_now ();
  gint64 later = insert_recorded_meeting (r, now + 86400, now + 90000);
  g_autofree gchar *later_path
      = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT "/recording", later);
  const gchar *pause = "{\"action\":\"pause\"}", *resume = "{\"action\":\"resume\"}";
  JsonNode *node = NULL;
  JsonObject *o;

  wait_until (r, room_polled, "the bridge room to be open and polled");
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, NULL, pause, NULL), ==, 401);
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.room, pause, NULL), ==, 403);
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.sec_vinh, pause, NULL), ==, 403);
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.manager, pause, NULL), ==, 403);
  g_assert_cmpuint (r->controls->len, ==, 0);
  g_assert_cmpuint (
      fixture_request (&r->f, "POST", path, r->f.sec_ubnd, "{\"action\":\"stop\"}", &node), ==,
      422);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.sec_ubnd, "{}", NULL), ==, 422);
  g_assert_cmpuint (
      fixture_request (&r->f, "POST", "/api/v1/meetings/987654/recording", r->f.admin, pause, NULL),
      ==, 404);
  /* a meeting whose room is not open */
  g_assert_cmpuint (fixture_request (&r->f, "POST", later_path, r->f.admin, pause, &node), ==, 409);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "reason"), ==,
                   "no_room");
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.sec_ubnd, pause, NULL), ==, 200);
  g_assert_cmpstr (r->state, ==, "paused");
  g_assert_nonnull (strstr (r->controls->pdata[0], "\"record_pause\""));
  /* paused is not recording: a second pause is the bridge's 409 */
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.sec_ubnd, pause, &node), ==, 409);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "not_recording");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.admin, resume, NULL), ==, 200);
  g_assert_cmpstr (r->state, ==, "recording");
  g_assert_nonnull (strstr (r->controls->pdata[2], "\"record_resume\""));
  g_assert_cmpuint (fixture_request (&r->f, "GET", path, r->f.admin, NULL, NULL), ==, 405);

  /* The chair room's secretariat runs the meeting too (as for extend and
   * end); another unit's still may not. */
  {
    g_autofree gchar *sql = g_strdup_printf (
        "UPDATE meetings SET chair = 'ubnd-vinh' WHERE id = %" G_GINT64_FORMAT, r->meeting);
    g_assert_cmpint (sqlite3_exec (sched_db_handle (r->f.ctx->db), sql, NULL, NULL, NULL), ==,
                     SQLITE_OK);
  }
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.sec_tinh_uy, pause, NULL), ==, 403);
  g_assert_cmpuint (fixture_request (&r->f, "POST", path, r->f.sec_vinh, pause, NULL), ==, 200);
  g_assert_cmpstr (r->state, ==, "paused");
}

/* PATCH /api/v1/units/CODE {"record_default"}: the unit's own
 * secretariat or an admin; the next booking without "record" follows it,
 * null gives it back to [recordings] default_record. */
static void
test_unit_default (RecFixture *r, gconstpointer data)
{
  const gchar *path = "/api/v1/units/ubnd-tinh";
  g_autofree gchar *start = vc_time_format_utc (vc_time_now () + 7 * 86400);
  g_autofree gchar *end = vc_time_format_utc (vc_time_now () + 7 * 86400 + 3600);
  g_autofree gchar *booking = g_strdup_printf (
      "{\"title\":\"Giao ban\",\"unit\":\"ubnd-tinh\",\"chair\":\"ubnd-tinh\","
      "\"endpoints\":[\"ubnd-tinh\",\"ubnd-vinh\"],\"start\":\"%s\",\"end\":\"%s\"}",
      start, end);
  JsonNode *node = NULL;

  g_assert_cmpuint (fixture_request (&r->f, "PATCH", path, NULL, "{\"record_default\":true}", NULL),
                    ==, 401);
  g_assert_cmpuint (
      fixture_request (&r->f, "PATCH", path, r->f.sec_vinh, "{\"record_default\":true}", NULL), ==,
      403);
  g_assert_cmpuint (
      fixture_request (&r->f, "PATCH", path, r->f.manager, "{\"record_default\":true}", NULL), ==,
      403);
  g_assert_cmpuint (
      fixture_request (&r->f, "PATCH", path, r->f.sec_ubnd, "{\"record_default\":\"yes\"}", NULL),
      ==, 422);
  g_assert_cmpuint (fixture_request (&r->f, "PATCH", path, r->f.sec_ubnd,
                                     "{\"record_default\":true,\"name\":\"x\"}", NULL),
                    ==, 422);
  g_assert_cmpuint (fixture_request (&r->f, "PATCH", "/api/v1/units/khong-co", r->f.admin,
                                     "{\"record_default\":true}", NULL),
                    ==, 404);
  g_assert_cmpuint (
      fixture_request (&r->f, "PATCH", path, r->f.sec_ubnd, "{\"record_default\":true}", NULL), ==,
      200);
  g_assert_cmpint (count_rows (r, "SELECT count(*) FROM audit_log WHERE action = 'unit_changed'"),
                   ==, 1);
  g_assert_cmpuint (
      fixture_request (&r->f, "POST", "/api/v1/meetings", r->f.sec_ubnd, booking, &node), ==, 201);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "record"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (
      fixture_request (&r->f, "PATCH", path, r->f.admin, "{\"record_default\":null}", &node), ==,
      200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "record_default"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (
      count_rows (r,
                  "SELECT count(*) FROM units WHERE code = 'ubnd-tinh' AND record_default IS NULL"),
      ==, 1);
}

/* A recorded meeting's room opens before the start (the agents join
 * ahead), but the bridge records from the start: the first POST says
 * "record": false, a POST at the start says true. */
static gint64 ahead_meeting;
static gint64 ahead_recording_from;

static gboolean
posted_with (RecFixture *r, gboolean record)
{
  g_autofree gchar *id = g_strdup_printf ("\"id\":\"%" G_GINT64_FORMAT "\"", ahead_meeting);

  for (guint i = 0; i < r->room_posts->len; i++)
    {
      const gchar *body = r->room_posts->pdata[i];
      if (strstr (body, id) && strstr (body, record ? "\"record\":true" : "\"record\":false"))
        {
          if (record && ahead_recording_from == 0)
            ahead_recording_from = vc_time_now ();
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
posted_off (RecFixture *r)
{
  return posted_with (r, FALSE);
}

static gboolean
posted_on (RecFixture *r)
{
  return posted_with (r, TRUE);
}

static void
test_record_from_start (RecFixture *r, gconstpointer data)
{
  gint64 start = vc_time_now () + 3;

  ahead_recording_from = 0;
  ahead_meeting = insert_recorded_meeting (r, start, start + 600);
  sched_bridge_meeting_changed (r->f.ctx->bridge, ahead_meeting);
  wait_until (r, posted_off, "the room opened ahead, not recording");
  g_assert_false (posted_on (r));
  wait_until (r, posted_on, "the room recording from the start");
  g_assert_cmpint (ahead_recording_from, >=, start);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn, bridge)                                                                      \
  g_test_add ("/recordings/" name, RecFixture, bridge, rec_setup, fn, rec_teardown)
  ADD ("fetch", test_fetch, "bridge");
  ADD ("fetch-broken", test_fetch_broken, "bridge");
  ADD ("access", test_access, NULL);
  ADD ("play-link", test_play_link, NULL);
  ADD ("ranges", test_ranges, NULL);
  ADD ("retention", test_retention, NULL);
  ADD ("pause-resume", test_pause_resume, "bridge");
  ADD ("unit-default", test_unit_default, NULL);
  ADD ("record-from-start", test_record_from_start, "bridge");
  return g_test_run ();
}
