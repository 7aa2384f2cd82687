/* test-endpoint-unit.c — the room agent's parts without the real scheduler
 * or bridge: config, journal (crash recovery), outbox (acknowledged removal,
 * replay without duplicates, against an in-process fake scheduler), schedule
 * cache, the state machine with a fake clock and fake media, the report and
 * the idle-screen text. No sleeps: tests wait for signals on a main loop
 * with a watchdog. */
#include "ep-agent.h"
#include "ep-channel.h"
#include "ep-config.h"
#include "ep-idle-screen.h"
#include "ep-journal.h"
#include "ep-outbox.h"
#include "ep-readiness.h"
#include "ep-report.h"
#include "ep-schedule.h"
#include "vc-config.h"
#include "vc-time.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  gchar *dir;
  gchar *journal_path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("vc-ep-test-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->journal_path = g_build_filename (f->dir, "journal.db", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree gchar *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->journal_path);
}

static gboolean
on_watchdog (gpointer data)
{
  g_error ("watchdog: the test took too long");
  return G_SOURCE_REMOVE;
}

/* ---- config ---- */

static void
test_config (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (f->dir, "e.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (EpConfig) c = NULL;

  g_file_set_contents (path,
                       "[endpoint]\ncode=ubnd-tinh\ntoken=abc\n[media]\noutput=none\n"
                       "[ice]\naddresses=127.0.0.1, ::1\n[journal]\npath=j.db\n",
                       -1, NULL);
  c = ep_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->code, ==, "ubnd-tinh");
  g_assert_cmpstr (c->name, ==, "ubnd-tinh");
  g_assert_cmpint (c->output, ==, EP_OUTPUT_NONE);
  g_assert_cmpuint (g_strv_length (c->ice_addresses), ==, 2);
  g_assert_true (g_str_has_prefix (c->journal_path, f->dir));
  g_assert_true (g_str_has_suffix (c->schedule_cache_path, "j.db.schedule.json"));
  g_assert_cmpint (c->readiness_minutes, ==, 15);

  static const gchar *const bad[] = {
    "[endpoint]\ncode=ubnd-tinh\n",                                  /* no token */
    "[endpoint]\ncode=UBND\ntoken=x\n",                              /* bad code */
    "[endpoint]\ncode=a\ntoken=x\n[media]\nvideo=webcam\n",          /* bad source */
    "[endpoint]\ncode=a\ntoken=x\n[media]\noutput=hdmi\n",           /* bad output */
    "[endpoint]\ncode=a\ntoken=x\n[ice]\naddresses=localhost\n",     /* not an IP */
    "[endpoint]\ncode=a\ntoken=x\n[timing]\nretry_max_seconds=30\n", /* > 5 s */
    "[endpoint]\ncode=a\ntoken=x\n[scheduler]\nurl=ftp://x\n",       /* not http */
  };
  /* A relative --config: relative paths inside it still resolve. */
  {
    g_autofree gchar *cwd = g_get_current_dir ();
    g_autoptr (EpConfig) rel = NULL;

    g_assert_cmpint (g_chdir (f->dir), ==, 0);
    rel = ep_config_load ("e.ini", &error);
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (rel->journal_path, f->dir));
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (EpConfig) none = NULL;

      g_file_set_contents (path, bad[i], -1, NULL);
      none = ep_config_load (path, &e);
      g_assert_null (none);
      g_assert_error (e, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID);
      g_assert_nonnull (strstr (e->message, path));
    }
}

/* ---- journal ---- */

static void
test_journal_crash_recovery (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = (gint64)1795000000 * G_USEC_PER_SEC;
  guint count = 0;
  gint64 duration = 0;

  {
    g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ep_journal_recover (j, &error), ==, 0);
    g_assert_true (ep_journal_join (j, 42, "Giao ban", t0, 5 * G_USEC_PER_SEC, &error));
    g_assert_true (ep_journal_heartbeat (j, 7 * G_USEC_PER_SEC, &error));
    g_assert_true (ep_journal_heartbeat (j, 9 * G_USEC_PER_SEC, &error));
    /* The process dies here: no leave. */
  }
  {
    g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
    g_autoptr (GPtrArray) events = NULL;
    EpEvent *joined, *left;

    g_assert_no_error (error);
    g_assert_cmpint (ep_journal_recover (j, &error), ==, 1);
    g_assert_no_error (error);
    g_assert_true (ep_journal_segments (j, 42, &count, &duration, &error));
    g_assert_cmpuint (count, ==, 1);
    g_assert_cmpint (duration, ==, 4000); /* closed at the last heartbeat */
    events = ep_journal_outbox (j, 10, &error);
    g_assert_cmpuint (events->len, ==, 2);
    joined = events->pdata[0];
    left = events->pdata[1];
    g_assert_cmpstr (joined->type, ==, "joined");
    g_assert_cmpint (joined->at, ==, 1795000000);
    g_assert_null (joined->reason);
    g_assert_cmpstr (left->type, ==, "left");
    g_assert_cmpstr (left->reason, ==, "crash");
    g_assert_cmpint (left->at, ==, 1795000004);
    g_assert_true (g_uuid_string_is_valid (joined->id));
    g_assert_cmpstr (joined->id, !=, left->id);
    /* A second recovery finds nothing more. */
    g_assert_cmpint (ep_journal_recover (j, &error), ==, 0);
    /* A normal segment after the restart: two segments. */
    g_assert_true (ep_journal_join (j, 42, "Giao ban", t0 + 20 * G_USEC_PER_SEC, 100, &error));
    g_assert_true (ep_journal_leave (j, "ended", 100 + 30 * G_USEC_PER_SEC, &error));
    g_assert_true (ep_journal_segments (j, 42, &count, &duration, &error));
    g_assert_cmpuint (count, ==, 2);
    g_assert_cmpint (duration, ==, 34000);
    g_assert_cmpuint (ep_journal_outbox_count (j), ==, 4);
  }
}

/* ---- outbox against a fake scheduler ---- */

typedef struct
{
  SoupServer *server;
  gchar *url;
  GHashTable *ids; /* event id → type (what the "scheduler" stored) */
  guint requests;
  guint fail_next; /* answer 503 without storing */
  guint lose_next; /* store, then answer 500 (a lost acknowledgement) */
  gchar *expect_auth;
} FakeScheduler;

static void
on_attendance (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer user_data)
{
  FakeScheduler *s = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *events;
  guint accepted = 0, duplicates = 0;
  g_autofree gchar *answer = NULL;
  const gchar *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  s->requests++;
  g_assert_cmpstr (auth, ==, s->expect_auth);
  if (s->fail_next)
    {
      s->fail_next--;
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }
  g_assert_true (json_parser_load_from_data (parser, body->data, body->length, NULL));
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      const gchar *id = json_object_get_string_member (e, "id");
      gint64 at = 0;

      g_assert_true (vc_time_parse (json_object_get_string_member (e, "at"), &at));
      g_assert_cmpint (json_object_get_int_member (e, "meeting"), >, 0);
      if (g_hash_table_contains (s->ids, id))
        duplicates++;
      else
        {
          accepted++;
          g_hash_table_insert (s->ids, g_strdup (id),
                               g_strdup (json_object_get_string_member (e, "type")));
        }
    }
  if (s->lose_next)
    {
      s->lose_next--;
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }
  answer = g_strdup_printf ("{\"accepted\":%u,\"duplicates\":%u}", accepted, duplicates);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                    strlen (answer));
}

static void
fake_scheduler_start (FakeScheduler *s)
{
  g_autoptr (GError) error = NULL;
  g_autoslist (GUri) uris = NULL;

  s->server = soup_server_new (NULL, NULL);
  s->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->expect_auth = g_strdup ("Bearer tok");
  soup_server_add_handler (s->server, "/api/v1/attendance", on_attendance, s, NULL);
  g_assert_true (soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (s->server);
  s->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
fake_scheduler_stop (FakeScheduler *s)
{
  g_clear_object (&s->server);
  g_clear_pointer (&s->ids, g_hash_table_unref);
  g_free (s->url);
  g_free (s->expect_auth);
}

static void
on_flushed_quit (EpOutbox *outbox, guint accepted, guint duplicates, gpointer loop)
{
  g_main_loop_quit (loop);
}

static void
run_until_flushed (EpOutbox *outbox)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong id = g_signal_connect (outbox, "flushed", G_CALLBACK (on_flushed_quit), loop);
  guint watchdog = g_timeout_add_seconds (20, on_watchdog, NULL);

  ep_outbox_kick (outbox);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (outbox, id);
  g_source_remove (watchdog);
}

static void
test_outbox_ack_and_replay (Fixture *f, gconstpointer data)
{
  FakeScheduler s = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
  g_autoptr (EpOutbox) outbox = NULL;
  gint64 t0 = (gint64)1795000000 * G_USEC_PER_SEC;

  fake_scheduler_start (&s);
  outbox = ep_outbox_new (j, s.url, "tok");
  g_assert_true (ep_journal_join (j, 7, "A", t0, 0, &error));
  g_assert_true (ep_journal_leave (j, "ended", 60 * G_USEC_PER_SEC, &error));

  /* Acknowledged: removed from the outbox. */
  run_until_flushed (outbox);
  g_assert_cmpuint (g_hash_table_size (s.ids), ==, 2);
  g_assert_cmpuint (ep_journal_outbox_count (j), ==, 0);
  g_assert_cmpuint (s.requests, ==, 1);

  /* The scheduler is down twice, then stores but the answer is lost, then
   * answers: every event arrives, once. */
  g_assert_true (ep_journal_join (j, 8, "B", t0 + 100 * G_USEC_PER_SEC, 0, &error));
  g_assert_true (ep_journal_leave (j, "dropped", 5 * G_USEC_PER_SEC, &error));
  s.fail_next = 2;
  s.lose_next = 1;
  s.requests = 0;
  run_until_flushed (outbox);
  g_assert_cmpuint (s.requests, ==, 4);
  g_assert_cmpuint (g_hash_table_size (s.ids), ==, 4);
  g_assert_cmpuint (ep_journal_outbox_count (j), ==, 0);

  g_clear_object (&outbox);
  fake_scheduler_stop (&s);
}

/* ---- schedule ---- */

static const gchar schedule_json[]
    = "{\"type\":\"schedule\",\"endpoint\":\"ubnd-tinh\",\"generated_at\":\"2026-11-21T07:00:00Z\","
      "\"meetings\":["
      "{\"id\":43,\"title\":\"Họp B\",\"unit\":\"tinh-uy\",\"unit_name\":\"Tỉnh ủy\","
      "\"chair\":\"tinh-uy\",\"start\":\"2026-11-21T09:00:00Z\",\"end\":\"2026-11-21T10:00:00Z\","
      "\"status\":\"scheduled\",\"signal_url\":\"ws://127.0.0.1:1/rooms/43/signal\","
      "\"join_token\":\"t43\",\"token_expires\":\"2026-11-21T10:30:00Z\"},"
      "{\"id\":42,\"title\":\"Giao ban tháng 11\",\"unit\":\"ubnd-tinh\",\"unit_name\":\"UBND "
      "tỉnh\","
      "\"chair\":\"ubnd-tinh\",\"start\":\"2026-11-21T08:00:00Z\",\"end\":\"2026-11-21T09:00:00Z\","
      "\"status\":\"scheduled\",\"signal_url\":\"ws://127.0.0.1:1/rooms/42/signal\","
      "\"join_token\":\"t42\",\"token_expires\":\"2026-11-21T09:30:00Z\"}]}";

static EpSchedule *
parse_schedule (const gchar *text, GError **error)
{
  return ep_schedule_parse (text, -1, error);
}

static void
test_schedule_cache (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (EpSchedule) s = parse_schedule (schedule_json, &error);
  g_autoptr (EpSchedule) loaded = NULL;
  g_autofree gchar *path = g_build_filename (f->dir, "schedule.json", NULL);
  gint64 t8 = 0;
  const EpMeeting *m;

  g_assert_no_error (error);
  g_assert_cmpuint (s->meetings->len, ==, 2);
  g_assert_cmpint (((EpMeeting *)s->meetings->pdata[0])->id, ==, 42); /* sorted by start */
  g_assert_true (ep_schedule_save (s, path, &error));
  loaded = ep_schedule_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->meetings->len, ==, 2);
  m = ep_schedule_find (loaded, 43);
  g_assert_cmpstr (m->title, ==, "Họp B");
  g_assert_cmpstr (m->join_token, ==, "t43");
  g_assert_cmpstr (m->unit_name, ==, "Tỉnh ủy");
  g_assert_true (vc_time_parse ("2026-11-21T08:00:00Z", &t8));
  g_assert_cmpint (m->token_expires, ==, t8 + 9000);

  g_assert_null (ep_schedule_current (loaded, t8 - 1, 0));
  g_assert_cmpint (ep_schedule_current (loaded, t8 - 1, 5)->id, ==, 42); /* join lead */
  g_assert_cmpint (ep_schedule_current (loaded, t8, 0)->id, ==, 42);
  g_assert_cmpint (ep_schedule_current (loaded, t8 + 3600, 0)->id, ==, 43);
  g_assert_null (ep_schedule_current (loaded, t8 + 7200, 0));
  g_assert_cmpint (ep_schedule_next (loaded, t8)->id, ==, 43);

  /* Malformed schedules are refused whole. */
  static const gchar *const bad[] = {
    "{\"type\":\"schedule\"}",
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":\"x\",\"title\":\"a\"}]}",
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\",\"start\":\"nope\","
    "\"end\":\"2026-11-21T09:00:00Z\"}]}",
    "{\"type\":\"schedule\",\"meetings\":[{\"id\":1,\"title\":\"a\","
    "\"start\":\"2026-11-21T09:00:00Z\",\"end\":\"2026-11-21T08:00:00Z\"}]}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (EpSchedule) none = parse_schedule (bad[i], &e);

      g_assert_null (none);
      g_assert_nonnull (e);
    }
}

/* ---- state machine with a fake clock and fake media ---- */

typedef struct
{
  gint64 real_us, mono_us;
  guint joins, leaves;
  gpointer live; /* the handle of the attempt in progress */
  gint64 joined_meeting;
  gchar *last_token;
  GPtrArray *states; /* "state:meeting" strings */
} FakeWorld;

static gint64
fake_real (gpointer data)
{
  return ((FakeWorld *)data)->real_us;
}

static gint64
fake_mono (gpointer data)
{
  return ((FakeWorld *)data)->mono_us;
}

static gpointer
fake_join (EpAgent *agent, const EpMeeting *meeting, gpointer data)
{
  FakeWorld *w = data;

  w->joins++;
  w->joined_meeting = meeting->id;
  g_free (w->last_token);
  w->last_token = g_strdup (meeting->join_token);
  w->live = GUINT_TO_POINTER (w->joins);
  return w->live;
}

static void
fake_leave (EpAgent *agent, gpointer handle, gpointer data)
{
  FakeWorld *w = data;

  w->leaves++;
  if (handle == w->live)
    w->live = NULL;
}

static void
on_fake_state (EpAgent *agent, guint state, gint64 meeting, gpointer data)
{
  FakeWorld *w = data;

  g_ptr_array_add (w->states, g_strdup_printf ("%s:%" G_GINT64_FORMAT,
                                               ep_agent_state_to_string (state), meeting));
}

static void
advance (FakeWorld *w, EpAgent *agent, gdouble seconds)
{
  w->real_us += seconds * G_USEC_PER_SEC;
  w->mono_us += seconds * G_USEC_PER_SEC;
  ep_agent_tick (agent);
}

static EpSchedule *
one_meeting (gint64 id, gint64 start, gint64 end, const gchar *status, const gchar *token)
{
  g_autofree gchar *s = vc_time_format_utc (start);
  g_autofree gchar *e = vc_time_format_utc (end);
  g_autofree gchar *text = g_strdup_printf (
      "{\"type\":\"schedule\",\"meetings\":[{\"id\":%" G_GINT64_FORMAT ",\"title\":\"M\","
      "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"%s\",\"signal_url\":\"ws://x/rooms/1/signal\","
      "\"join_token\":\"%s\"}]}",
      id, s, e, status, token);

  return parse_schedule (text, NULL);
}

/* The bridge has no room for the meeting yet (404 at the signalling
 * upgrade: the scheduler is away and the bridge does not open rooms from
 * tokens, or refused to): the agent stays JOINING, says what it waits for,
 * and keeps asking with its back-off (1, 2, 4, then retry_max = 5 s apart)
 * for as long as the meeting lasts; once the room is there it attends and
 * the waiting is over. Another failure is not called waiting. */
static void
test_agent_waits_for_room (Fixture *f, gconstpointer data)
{
  static const EpMediaOps ops = { .join = fake_join, .leave = fake_leave };
  static const gdouble gaps[] = { 1.0, 2.0, 4.0, 5.0, 5.0, 5.0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
  FakeWorld w = { .real_us = (gint64)1795000000 * G_USEC_PER_SEC, .mono_us = 1000000 };
  g_autoptr (EpAgent) agent = ep_agent_new (j, &ops, &w);
  g_autoptr (EpSchedule) s = one_meeting (9, 1795000001, 1795000300, "scheduled", "tok");

  w.states = g_ptr_array_new_with_free_func (g_free);
  ep_agent_set_clock (agent, fake_real, fake_mono, &w);
  ep_agent_set_timing (agent, 0, 5, 2);
  ep_agent_set_schedule (agent, s);
  advance (&w, agent, 1.0);
  g_assert_cmpuint (w.joins, ==, 1);
  g_assert_null (ep_agent_get_waiting (agent));
  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    {
      guint joins = w.joins;

      ep_agent_media_lost (agent, w.live,
                           EP_AGENT_REASON_NO_ROOM " (signalling refused (HTTP 404): no room)");
      g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
      g_assert_cmpstr (ep_agent_get_waiting (agent), ==, EP_AGENT_WAITING_NO_ROOM);
      advance (&w, agent, gaps[i] - 0.3); /* not yet */
      g_assert_cmpuint (w.joins, ==, joins);
      advance (&w, agent, 0.3);
      g_assert_cmpuint (w.joins, ==, joins + 1);
    }
  /* another failure is no waiting for a room */
  ep_agent_media_lost (agent, w.live, "connection failed: ICE failed");
  g_assert_null (ep_agent_get_waiting (agent));
  advance (&w, agent, 5.0);
  ep_agent_media_lost (agent, w.live, EP_AGENT_REASON_NO_ROOM " (HTTP 404)");
  advance (&w, agent, 5.0);
  /* the room is there now: attended, no longer waiting */
  ep_agent_media_connected (agent, w.live);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);
  g_assert_null (ep_agent_get_waiting (agent));
  g_ptr_array_unref (w.states);
  g_free (w.last_token);
}

/* [timing] join_timeout_seconds: an attempt that never connects is ended
 * after that long and a new one starts; not before. */
static void
test_agent_join_timeout (Fixture *f, gconstpointer data)
{
  static const EpMediaOps ops = { .join = fake_join, .leave = fake_leave };
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
  FakeWorld w = { .real_us = (gint64)1795000000 * G_USEC_PER_SEC, .mono_us = 1000000 };
  g_autoptr (EpAgent) agent = ep_agent_new (j, &ops, &w);
  g_autoptr (EpSchedule) s = one_meeting (7, 1795000001, 1795000300, "scheduled", "tok");

  w.states = g_ptr_array_new_with_free_func (g_free);
  ep_agent_set_clock (agent, fake_real, fake_mono, &w);
  ep_agent_set_timing (agent, 0, 5, 2);
  ep_agent_set_join_timeout (agent, 40);
  ep_agent_set_schedule (agent, s);
  advance (&w, agent, 1.0);
  g_assert_cmpuint (w.joins, ==, 1);
  advance (&w, agent, 20.0); /* past the default 15 s: still the first attempt */
  advance (&w, agent, 19.0);
  g_assert_cmpuint (w.joins, ==, 1);
  g_assert_cmpuint (w.leaves, ==, 0);
  advance (&w, agent, 1.5); /* 40.5 s: ended, and retried at once */
  advance (&w, agent, 0.5);
  g_assert_cmpuint (w.leaves, ==, 1);
  g_assert_cmpuint (w.joins, ==, 2);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
  g_ptr_array_unref (w.states);
  g_free (w.last_token);
}

static void
test_agent_state_machine (Fixture *f, gconstpointer data)
{
  static const EpMediaOps ops = { .join = fake_join, .leave = fake_leave };
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
  FakeWorld w = { .real_us = (gint64)1795000000 * G_USEC_PER_SEC, .mono_us = 1000000 };
  g_autoptr (EpAgent) agent = ep_agent_new (j, &ops, &w);
  gint64 start = 1795000010, end = 1795000070;
  guint count = 0;
  gint64 duration = 0;
  gpointer first;

  w.states = g_ptr_array_new_with_free_func (g_free);
  ep_agent_set_clock (agent, fake_real, fake_mono, &w);
  ep_agent_set_timing (agent, 0, 5, 2);
  g_signal_connect (agent, "state-changed", G_CALLBACK (on_fake_state), &w);
  {
    g_autoptr (EpSchedule) s = one_meeting (42, start, end, "scheduled", "tok1");
    ep_agent_set_schedule (agent, s);
  }
  advance (&w, agent, 9.5);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);
  g_assert_cmpuint (w.joins, ==, 0);

  /* Start: joining at once, in the meeting when the media connects. */
  advance (&w, agent, 0.5);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
  g_assert_cmpuint (w.joins, ==, 1);
  g_assert_cmpstr (w.last_token, ==, "tok1");
  advance (&w, agent, 0.3);
  ep_agent_media_connected (agent, w.live);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);
  g_assert_cmpint (ep_journal_open_meeting (j), ==, 42);

  /* A failing first attempt is retried with back-off ≤ 5 s. */
  /* (tested below after a drop) */

  /* Drop: segment closed "dropped", rejoin within 3 s. */
  advance (&w, agent, 10);
  first = w.live;
  ep_agent_media_lost (agent, first, "ice failed");
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
  g_assert_cmpint (ep_journal_open_meeting (j), ==, 0);
  advance (&w, agent, 0.6);
  g_assert_cmpuint (w.joins, ==, 2);
  /* This attempt fails: retry after 1 s, then 2 s, never more than 5 s. */
  ep_agent_media_lost (agent, w.live, "refused");
  advance (&w, agent, 0.9);
  g_assert_cmpuint (w.joins, ==, 2);
  advance (&w, agent, 0.2);
  g_assert_cmpuint (w.joins, ==, 3);
  ep_agent_media_lost (agent, w.live, "refused");
  advance (&w, agent, 2.1);
  g_assert_cmpuint (w.joins, ==, 4);
  /* An attempt that takes 3 s to fail: the next starts 4 s after its start,
   * 1 s after the failure. */
  advance (&w, agent, 3.0);
  ep_agent_media_lost (agent, w.live, "slow refusal");
  advance (&w, agent, 0.8);
  g_assert_cmpuint (w.joins, ==, 4);
  advance (&w, agent, 0.3);
  g_assert_cmpuint (w.joins, ==, 5);
  /* A stale report from an old attempt changes nothing. */
  ep_agent_media_connected (agent, first);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
  ep_agent_media_connected (agent, w.live);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);

  /* Extension: the meeting goes on past its first end, with the new token. */
  {
    g_autoptr (EpSchedule) s = one_meeting (42, start, end + 30, "scheduled", "tok2");
    ep_agent_set_schedule (agent, s);
  }
  w.real_us = (end + 1) * G_USEC_PER_SEC;
  w.mono_us += 45 * G_USEC_PER_SEC;
  ep_agent_tick (agent);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);
  /* The new end: leave with reason ended. */
  advance (&w, agent, 29);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);
  g_assert_null (w.live);
  g_assert_true (ep_journal_segments (j, 42, &count, &duration, &error));
  g_assert_cmpuint (count, ==, 2);

  {
    g_autoptr (GPtrArray) events = ep_journal_outbox (j, 10, &error);
    EpEvent *last = events->pdata[events->len - 1];

    g_assert_cmpuint (events->len, ==, 4);
    g_assert_cmpstr (((EpEvent *)events->pdata[1])->reason, ==, "dropped");
    g_assert_cmpstr (last->reason, ==, "ended");
  }

  /* Cancellation while in a meeting: left, reason ended. */
  {
    gint64 now = w.real_us / G_USEC_PER_SEC;
    g_autoptr (EpSchedule) s = one_meeting (50, now, now + 60, "scheduled", "t50");
    g_autoptr (EpSchedule) c = one_meeting (50, now, now + 60, "cancelled", "t50");

    ep_agent_set_schedule (agent, s);
    ep_agent_media_connected (agent, w.live);
    g_assert_cmpint (ep_agent_get_meeting (agent), ==, 50);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);
    ep_agent_set_schedule (agent, c);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);

    /* A leave command keeps the room out; a join command pulls it back. */
    ep_agent_set_schedule (agent, s);
    ep_agent_media_connected (agent, w.live);
    ep_agent_command (agent, EP_AGENT_COMMAND_LEAVE, 50);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);
    advance (&w, agent, 1);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);
    ep_agent_command (agent, EP_AGENT_COMMAND_JOIN, 50);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
    ep_agent_command (agent, EP_AGENT_COMMAND_JOIN, 999); /* unknown: ignored */
    g_assert_cmpint (ep_agent_get_meeting (agent), ==, 50);
    ep_agent_media_connected (agent, w.live);
    /* Shutdown: left. */
    ep_agent_shutdown (agent);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);
  }
  {
    g_autoptr (GPtrArray) events = ep_journal_outbox (j, 20, &error);
    EpEvent *last = events->pdata[events->len - 1];

    g_assert_cmpstr (last->type, ==, "left");
    g_assert_cmpstr (last->reason, ==, "left");
  }
  g_assert_cmpuint (w.joins, ==, w.leaves);
  g_assert_cmpstr (w.states->pdata[0], ==, "joining:42");
  g_assert_cmpstr (w.states->pdata[1], ==, "in_meeting:42");
  g_ptr_array_unref (w.states);
  g_free (w.last_token);
}

static void
test_agent_connect_ahead (Fixture *f, gconstpointer data)
{
  static const EpMediaOps ops = { .join = fake_join, .leave = fake_leave };
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
  FakeWorld w = { .real_us = (gint64)1795000000 * G_USEC_PER_SEC, .mono_us = 1000000 };
  g_autoptr (EpAgent) agent = ep_agent_new (j, &ops, &w);
  g_autoptr (EpSchedule) s = one_meeting (42, 1795000010, 1795000070, "scheduled", "tok");

  w.states = g_ptr_array_new_with_free_func (g_free);
  ep_agent_set_clock (agent, fake_real, fake_mono, &w);
  ep_agent_set_connect_ahead (agent, 5);
  ep_agent_set_schedule (agent, s);
  advance (&w, agent, 4.9);
  g_assert_cmpuint (w.joins, ==, 0);
  advance (&w, agent, 0.1); /* start - 5 s: connect */
  g_assert_cmpuint (w.joins, ==, 1);
  advance (&w, agent, 2.5);
  ep_agent_media_connected (agent, w.live);
  /* Connected early: still joining, nothing in the journal yet. */
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
  g_assert_cmpuint (ep_journal_outbox_count (j), ==, 0);
  advance (&w, agent, 2.4);
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
  advance (&w, agent, 0.1); /* the start */
  g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);
  {
    g_autoptr (GPtrArray) events = ep_journal_outbox (j, 10, &error);

    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpint (((EpEvent *)events->pdata[0])->at, ==, 1795000010);
  }
  g_assert_cmpuint (w.joins, ==, 1);
  ep_agent_shutdown (agent);

  /* A join command for a meeting that has not started attends at once. */
  {
    g_autoptr (EpSchedule) later = one_meeting (43, 1795000100, 1795000200, "scheduled", "t");

    ep_agent_set_schedule (agent, later);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IDLE);
    ep_agent_command (agent, EP_AGENT_COMMAND_JOIN, 43);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_JOINING);
    ep_agent_media_connected (agent, w.live);
    g_assert_cmpint (ep_agent_get_state (agent), ==, EP_AGENT_STATE_IN_MEETING);
    ep_agent_shutdown (agent);
  }
  g_ptr_array_unref (w.states);
  g_free (w.last_token);
}

/* ---- readiness against a fake bridge /healthz ---- */

static void
on_healthz (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"status\":\"ok\"}", 15);
}

typedef struct
{
  GMainLoop *loop;
  gboolean ready;
  gchar *reason;
} ReadinessResult;

static void
on_readiness_result (EpReadiness *r, gint64 meeting, gboolean ready, const gchar *reason,
                     gpointer data)
{
  ReadinessResult *res = data;

  g_assert_cmpint (meeting, ==, 42);
  res->ready = ready;
  res->reason = g_strdup (reason);
  g_main_loop_quit (res->loop);
}

static void
test_readiness (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) bridge = soup_server_new (NULL, NULL);
  g_autoslist (GUri) uris = NULL;
  g_autofree gchar *path = g_build_filename (f->dir, "e.ini", NULL);
  g_autoptr (EpConfig) config = NULL;
  g_autoptr (EpReadiness) readiness = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint watchdog = g_timeout_add_seconds (20, on_watchdog, NULL);
  EpMeeting m = { .id = 42, .title = "A" };
  ReadinessResult res = { .loop = loop };

  gst_init (NULL, NULL);
  soup_server_add_handler (bridge, "/healthz", on_healthz, NULL, NULL);
  g_assert_true (soup_server_listen_local (bridge, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (bridge);
  g_file_set_contents (path, "[endpoint]\ncode=a\ntoken=x\n[media]\noutput=none\n", -1, NULL);
  config = ep_config_load (path, &error);
  g_assert_no_error (error);
  readiness = ep_readiness_new (config);
  g_signal_connect (readiness, "result", G_CALLBACK (on_readiness_result), &res);

  m.signal_url = g_strdup_printf ("ws://127.0.0.1:%d/rooms/42/signal", g_uri_get_port (uris->data));
  ep_readiness_check (readiness, &m);
  g_main_loop_run (loop);
  g_assert_true (res.ready);
  g_assert_cmpstr (res.reason, ==, "camera ok, microphone ok, bridge reachable");
  g_clear_pointer (&res.reason, g_free);

  /* The bridge is gone: not ready, and says why. */
  soup_server_disconnect (bridge);
  ep_readiness_check (readiness, &m);
  g_main_loop_run (loop);
  g_assert_false (res.ready);
  g_assert_nonnull (strstr (res.reason, "camera ok, microphone ok, bridge unreachable"));
  g_clear_pointer (&res.reason, g_free);
  g_free (m.signal_url);
  g_source_remove (watchdog);
}

/* ---- the channel against a fake scheduler WebSocket ---- */

typedef struct
{
  GMainLoop *loop;
  SoupWebsocketConnection *server_side;
  GPtrArray *from_agent; /* gchar* */
  guint schedules;
  gint64 last_command_meeting;
  gchar *last_command;
} ChannelWorld;

static void
on_fake_agent_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  ChannelWorld *w = data;

  g_ptr_array_add (w->from_agent,
                   g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
  g_main_loop_quit (w->loop);
}

static void
on_fake_agent_ws (SoupServer *server, SoupServerMessage *msg, const char *path,
                  SoupWebsocketConnection *conn, gpointer data)
{
  ChannelWorld *w = data;
  const gchar *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  g_assert_cmpstr (auth, ==, "Bearer tok");
  w->server_side = g_object_ref (conn);
  g_signal_connect (conn, "message", G_CALLBACK (on_fake_agent_message), w);
}

static void
on_channel_schedule (EpChannel *c, gpointer schedule, gpointer data)
{
  ChannelWorld *w = data;

  w->schedules++;
  g_main_loop_quit (w->loop);
}

static void
on_channel_command (EpChannel *c, guint command, gint64 meeting, gpointer data)
{
  ChannelWorld *w = data;

  g_free (w->last_command);
  w->last_command = g_strdup (ep_agent_command_to_string ((EpAgentCommand)command));
  w->last_command_meeting = meeting;
  g_main_loop_quit (w->loop);
}

static void
test_channel_malformed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoslist (GUri) uris = NULL;
  g_autofree gchar *url = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (EpChannel) channel = NULL;
  guint watchdog = g_timeout_add_seconds (20, on_watchdog, NULL);
  ChannelWorld w = { .loop = loop };

  w.from_agent = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_websocket_handler (server, "/api/v1/agent", NULL, NULL, on_fake_agent_ws, &w,
                                     NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  channel = ep_channel_new (url, "tok");
  g_signal_connect (channel, "schedule", G_CALLBACK (on_channel_schedule), &w);
  g_signal_connect (channel, "command", G_CALLBACK (on_channel_command), &w);
  ep_channel_send_state (channel, VC_AGENT_WIRE_STATE_IDLE, 0);
  ep_channel_start (channel);
  /* The last state is sent on connect. */
  while (w.from_agent->len < 1)
    g_main_loop_run (loop);
  g_assert_cmpstr (w.from_agent->pdata[0], ==,
                   "{\"type\":\"state\",\"state\":\"idle\",\"meeting\":null}");

  /* Garbage, then a valid schedule: the garbage is ignored, the channel stays. */
  soup_websocket_connection_send_text (w.server_side, "not json");
  soup_websocket_connection_send_text (w.server_side, "");
  soup_websocket_connection_send_text (w.server_side, "{\"type\":\"schedule\",\"meetings\":7}");
  soup_websocket_connection_send_text (w.server_side, "{\"type\":\"join\",\"meeting\":\"x\"}");
  soup_websocket_connection_send_text (w.server_side, "{\"type\":\"warp\"}");
  soup_websocket_connection_send_text (w.server_side, "{\"type\":\"schedule\",\"meetings\":[]}");
  while (w.schedules < 1)
    g_main_loop_run (loop);
  soup_websocket_connection_send_text (w.server_side, "{\"type\":\"leave\",\"meeting\":9}");
  while (w.last_command == NULL)
    g_main_loop_run (loop);
  g_assert_cmpstr (w.last_command, ==, "leave");
  g_assert_cmpint (w.last_command_meeting, ==, 9);
  g_assert_cmpuint (w.schedules, ==, 1);
  g_assert_cmpint (ep_channel_get_state (channel), ==, EP_CHANNEL_STATE_OPEN);

  ep_channel_send_readiness (channel, 9, FALSE, "camera: no data within 5 s");
  while (w.from_agent->len < 2)
    g_main_loop_run (loop);
  g_assert_nonnull (strstr (w.from_agent->pdata[1], "\"ready\":false"));

  ep_channel_stop (channel);
  g_clear_object (&w.server_side);
  g_ptr_array_unref (w.from_agent);
  g_free (w.last_command);
  g_source_remove (watchdog);
}

/* ---- report and idle screen ---- */

static void
test_report (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (EpJournal) j = ep_journal_open (f->journal_path, &error);
  gint64 t0 = 0, from = 0, to = 0;
  g_autofree gchar *text = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *none = NULL;

  g_assert_true (vc_time_parse ("2026-11-21T01:00:00Z", &t0));
  ep_journal_join (j, 42, "Giao ban tháng 11", t0 * G_USEC_PER_SEC, 0, &error);
  ep_journal_leave (j, "dropped", 600 * G_USEC_PER_SEC, &error);
  ep_journal_join (j, 42, "Giao ban tháng 11", (t0 + 605) * G_USEC_PER_SEC, 0, &error);
  ep_journal_leave (j, "ended", (gint64)2995 * G_USEC_PER_SEC, &error);
  ep_journal_join (j, 43, "Họp Sở Tài chính", (t0 + 7200) * G_USEC_PER_SEC, 0, &error);
  ep_journal_leave (j, "ended", (gint64)1800 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);

  text = ep_report_render (j, "ubnd-tinh", G_MININT64, G_MAXINT64, FALSE, &error);
  g_assert_nonnull (strstr (text, "02 meeting(s)"));
  g_assert_nonnull (strstr (text, "21/11/2026 08:00")); /* UTC+7 */
  g_assert_nonnull (strstr (text, "0:59:55"));
  g_assert_nonnull (strstr (text, "(2 segments)"));
  g_assert_nonnull (strstr (text, "Total: 1:29:55"));

  json = ep_report_render (j, "ubnd-tinh", G_MININT64, G_MAXINT64, TRUE, &error);
  g_assert_nonnull (strstr (json, "\"meeting_count\" : 2"));
  g_assert_nonnull (strstr (json, "\"total_seconds\" : 5395"));

  g_assert_true (ep_report_parse_date ("2026-11-22", FALSE, &from));
  g_assert_true (ep_report_parse_date ("2026-11-22", TRUE, &to));
  g_assert_cmpint (to - from, ==, 86400);
  none = ep_report_render (j, "ubnd-tinh", from, to, FALSE, &error);
  g_assert_nonnull (strstr (none, "00 meeting(s)"));
  g_assert_false (ep_report_parse_date ("21/11/2026", FALSE, &from));
}

static void
test_idle_text (void)
{
  EpMeeting m = { .id = 1, .title = "Giao ban", .unit_name = "UBND tỉnh", .start = 1795000000 };
  g_autofree gchar *text = ep_idle_screen_text ("UBND tỉnh Nghệ An", &m, 1795000000 - 3725);
  g_autofree gchar *empty = ep_idle_screen_text ("Phòng A", NULL, 0);
  g_autofree gchar *health = ep_readiness_health_url ("ws://127.0.0.1:8090/rooms/4/signal");

  g_assert_nonnull (strstr (text, "UBND tỉnh Nghệ An"));
  g_assert_nonnull (strstr (text, "Giao ban"));
  g_assert_nonnull (strstr (text, "1:02:05"));
  /* the clock line is Vietnamese local time (UTC+7), not the process's zone */
  g_assert_true (g_str_has_prefix (text, "17:04:35  18/11/2026\n"));
  g_assert_nonnull (strstr (empty, "No upcoming meeting"));
  g_assert_cmpstr (health, ==, "http://127.0.0.1:8090/healthz");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/endpoint/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("config", test_config);
  ADD ("journal/crash-recovery", test_journal_crash_recovery);
  ADD ("outbox/ack-and-replay", test_outbox_ack_and_replay);
  ADD ("schedule/cache", test_schedule_cache);
  ADD ("agent/state-machine", test_agent_state_machine);
  ADD ("agent/join-timeout", test_agent_join_timeout);
  ADD ("agent/waits-for-room", test_agent_waits_for_room);
  ADD ("agent/connect-ahead", test_agent_connect_ahead);
  ADD ("report", test_report);
  ADD ("readiness", test_readiness);
  ADD ("channel/malformed", test_channel_malformed);
  g_test_add_func ("/endpoint/idle-text", test_idle_text);
  return g_test_run ();
}
