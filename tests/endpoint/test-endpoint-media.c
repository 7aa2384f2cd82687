/* test-endpoint-media.c — the agent's helper processes without a bridge or
 * a display. Media:
 * the line protocol (ep-media-protocol.h), and EpMediaChild driving a real
 * EpAgent with fake media processes (small sh scripts that speak the
 * protocol): a media process killed mid-meeting is a drop (journal
 * "dropped") and a rejoin with a new process; malformed lines are ignored;
 * a process that does not leave when told is killed; none is left running.
 * Idle screen (EpIdleChild, faked by `cat`): the next meeting reaches the
 * process once per change, and hiding the screen ends the process.
 * No sleeps: the tests wait for the agent's signals or the processes' exits
 * on a main loop with a watchdog. */
#include "../common/vc-test-upstream.h"
#include "ep-agent.h"
#include "ep-idle-child.h"
#include "ep-journal.h"
#include "ep-media-child.h"
#include "ep-media-protocol.h"
#include "ep-schedule.h"
#include "vc-time.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

/* ---- protocol ---- */

static void
test_protocol_round_trip (void)
{
  EpMeeting meeting = { .id = 42,
                        .start = 1795000010,
                        .signal_url = "ws://127.0.0.1:1/rooms/42/signal",
                        .join_token = "tok\"1" };
  g_autofree gchar *join = ep_media_join_line (&meeting);
  EpMediaMessage m = { 0 };
  EpMediaMessage frame = { .type = EP_MEDIA_MESSAGE_FIRST_FRAME, .real_us = 7, .mono_us = 8 };
  g_autofree gchar *frame_line = ep_media_message_to_line (&frame);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_suffix (join, "}\n"));
  g_assert_true (strchr (join, '\n') == join + strlen (join) - 1); /* one line */
  g_assert_true (ep_media_message_parse (join, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpint (m.type, ==, EP_MEDIA_MESSAGE_JOIN);
  g_assert_cmpint (m.meeting, ==, 42);
  g_assert_cmpint (m.start, ==, 1795000010);
  g_assert_cmpstr (m.signal_url, ==, meeting.signal_url);
  g_assert_cmpstr (m.token, ==, "tok\"1");
  ep_media_message_clear (&m);

  g_assert_true (ep_media_message_parse (frame_line, &m, &error));
  g_assert_cmpint (m.type, ==, EP_MEDIA_MESSAGE_FIRST_FRAME);
  g_assert_cmpint (m.real_us, ==, 7);
  g_assert_cmpint (m.mono_us, ==, 8);
  ep_media_message_clear (&m);

  g_assert_true (ep_media_message_parse ("{\"type\":\"ended\",\"reason\":\"closed\"}", &m, NULL));
  g_assert_cmpint (m.type, ==, EP_MEDIA_MESSAGE_ENDED);
  g_assert_cmpstr (m.text, ==, "closed");
  ep_media_message_clear (&m);
}

static void
test_protocol_malformed (void)
{
  static const gchar *const bad[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"type\":5}",
    "{\"type\":\"bogus\"}",
    "{\"type\":\"join\",\"meeting\":\"42\",\"start\":1,\"signal_url\":\"u\",\"token\":\"t\"}",
    "{\"type\":\"join\",\"meeting\":42,\"start\":1,\"signal_url\":\"u\"}",
    "{\"type\":\"first-frame\",\"real_us\":1}",
    "{\"type\":\"stats\",\"video_frames\":1.5,\"audio_buffers\":1}",
    "{\"type\":\"ended\",\"reason\":null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      EpMediaMessage m = { 0 };
      g_autoptr (GError) error = NULL;

      g_assert_false (ep_media_message_parse (bad[i], &m, &error));
      g_assert_nonnull (error);
      g_assert_null (m.text);
      g_assert_null (m.token);
    }
}

/* ---- EpMediaChild with fake media processes ---- */

typedef struct
{
  gchar *dir;
  EpConfig config; /* all defaults: no --config */
  EpJournal *journal;
  EpMediaChild *media;
  EpAgent *agent;
  GMainLoop *loop;
  GPtrArray *states; /* "joining:42", … */
  guint quit_at;     /* quit the loop when this many states were seen */
  guint watchdog;
} Fixture;

static gboolean
on_watchdog (gpointer data)
{
  g_error ("watchdog: the test took too long");
  return G_SOURCE_REMOVE;
}

static void
on_state (EpAgent *agent, guint state, gint64 meeting, gpointer data)
{
  Fixture *f = data;

  g_ptr_array_add (f->states, g_strdup_printf ("%s:%" G_GINT64_FORMAT,
                                               ep_agent_state_to_string (state), meeting));
  if (f->states->len == f->quit_at)
    g_main_loop_quit (f->loop);
}

static gboolean
on_stopped (gpointer data)
{
  g_main_loop_quit (((Fixture *)data)->loop);
  return G_SOURCE_REMOVE;
}

static void
fixture_set_up (Fixture *f, gconstpointer script)
{
  g_autofree gchar *journal_path = NULL;
  g_autoptr (GError) error = NULL;

  vc_test_tolerate_upstream_bugs (); /* GTest resets it for each test */
  f->dir = g_dir_make_tmp ("vc-ep-media-XXXXXX", NULL);
  journal_path = g_build_filename (f->dir, "journal.db", NULL);
  f->journal = ep_journal_open (journal_path, &error);
  g_assert_no_error (error);
  f->media = ep_media_child_new (&f->config);
  ep_media_child_set_command (
      f->media, (const gchar *[]){ "/bin/sh", "-c", script, "fake-media", f->dir, NULL });
  ep_media_child_set_grace_ms (f->media, 100);
  f->agent = ep_agent_new (f->journal, ep_media_child_ops (), f->media);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->states = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->agent, "state-changed", G_CALLBACK (on_state), f);
  f->watchdog = g_timeout_add_seconds (20, on_watchdog, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const gchar *name;

  g_source_remove (f->watchdog);
  g_clear_object (&f->agent);
  g_assert_cmpuint (ep_media_child_running (f->media), ==, 0);
  ep_media_child_free (f->media);
  ep_journal_close (f->journal);
  g_main_loop_unref (f->loop);
  g_ptr_array_unref (f->states);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree gchar *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* A meeting that began a second ago and ends in a minute. */
static void
fixture_book (Fixture *f)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree gchar *s = vc_time_format_utc (now - 1);
  g_autofree gchar *e = vc_time_format_utc (now + 60);
  g_autofree gchar *text = g_strdup_printf (
      "{\"meetings\":[{\"id\":42,\"title\":\"M\",\"start\":\"%s\",\"end\":\"%s\","
      "\"signal_url\":\"ws://127.0.0.1:1/rooms/42/signal\",\"join_token\":\"tok1\"}]}",
      s, e);
  g_autoptr (GError) error = NULL;
  g_autoptr (EpSchedule) schedule = ep_schedule_parse (text, -1, &error);

  g_assert_no_error (error);
  ep_agent_set_schedule (f->agent, schedule);
}

static gchar *
fixture_read (Fixture *f, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (f->dir, name, NULL);
  gchar *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Attempt 1 says connected (after a malformed line) and is then killed;
 * attempt 2 says connected and leaves when told. Each keeps what it read. */
static const gchar killed_script[]
    = "n=$(cat \"$1/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1/count\"\n"
      "read -r join; printf '%s\\n' \"$join\" > \"$1/join-$n\"\n"
      "echo 'not json'\n"
      "echo '{\"type\":\"connected\"}'\n"
      "if [ $n = 1 ]; then kill -9 $$; fi\n"
      "read -r cmd; printf '%s\\n' \"$cmd\" > \"$1/leave-$n\"\n"
      "echo '{\"type\":\"ended\",\"reason\":\"left\"}'\n";

static void
test_child_killed (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *join1 = NULL, *join2 = NULL, *leave2 = NULL, *count = NULL;

  fixture_book (f);
  f->quit_at = 4;
  ep_agent_start (f->agent);
  g_main_loop_run (f->loop);
  g_assert_cmpstr (f->states->pdata[0], ==, "joining:42");
  g_assert_cmpstr (f->states->pdata[1], ==, "in_meeting:42");
  g_assert_cmpstr (f->states->pdata[2], ==, "joining:42"); /* the kill: a drop */
  g_assert_cmpstr (f->states->pdata[3], ==, "in_meeting:42");

  ep_agent_shutdown (f->agent);
  ep_media_child_when_stopped (f->media, on_stopped, f);
  g_main_loop_run (f->loop);

  join1 = fixture_read (f, "join-1");
  join2 = fixture_read (f, "join-2");
  leave2 = fixture_read (f, "leave-2");
  count = fixture_read (f, "count");
  g_assert_nonnull (strstr (join1, "\"type\":\"join\""));
  g_assert_nonnull (strstr (join1, "\"token\":\"tok1\""));
  g_assert_cmpstr (join1, ==, join2);
  g_assert_cmpstr (leave2, ==, "{\"type\":\"leave\"}\n");
  g_assert_cmpstr (count, ==, "2\n");
  events = ep_journal_outbox (f->journal, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpstr (((EpEvent *)events->pdata[1])->reason, ==, "dropped");
  g_assert_cmpstr (((EpEvent *)events->pdata[3])->reason, ==, "left");
}

/* Connected, then deaf to leave and to the end of its stdin. */
static const gchar stubborn_script[] = "read -r join; echo '{\"type\":\"connected\"}'\n"
                                       "exec sleep 600\n";

static void
test_child_killed_after_grace (Fixture *f, gconstpointer data)
{
  gint64 began;

  fixture_book (f);
  f->quit_at = 2;
  ep_agent_start (f->agent);
  g_main_loop_run (f->loop);
  g_assert_cmpstr (f->states->pdata[1], ==, "in_meeting:42");
  g_assert_cmpuint (ep_media_child_running (f->media), ==, 1);

  began = g_get_monotonic_time ();
  ep_agent_shutdown (f->agent);
  ep_media_child_when_stopped (f->media, on_stopped, f);
  g_main_loop_run (f->loop);
  /* killed after the 100 ms grace, not after the sleep */
  g_assert_cmpint (g_get_monotonic_time () - began, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (ep_media_child_running (f->media), ==, 0);
}

/* ---- the idle screen's process ---- */

static void
test_idle_child (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("vc-ep-idle-XXXXXX", NULL);
  g_autofree gchar *out = g_build_filename (dir, "lines", NULL);
  g_autofree gchar *text = NULL;
  g_autofree gchar *expected = NULL;
  EpConfig config = { 0 };
  g_autoptr (EpIdleChild) idle = ep_idle_child_new (&config);
  EpMeeting next = { .id = 7, .title = "Giao ban", .unit = "ubnd-tinh", .start = 1795000010 };
  guint watchdog = g_timeout_add_seconds (20, on_watchdog, NULL);

  ep_idle_child_set_command (
      idle, (const gchar *[]){ "/bin/sh", "-c", "exec cat > \"$1\"", "fake-idle", out, NULL });
  ep_idle_child_set_next (idle, &next); /* before the start: sent at the start */
  ep_idle_child_set_visible (idle, TRUE);
  g_assert_true (ep_idle_child_running (idle));
  ep_idle_child_set_next (idle, &next); /* unchanged: not sent again */
  ep_idle_child_set_next (idle, NULL);
  ep_idle_child_set_visible (idle, FALSE); /* end of stdin: cat exits */
  while (ep_idle_child_running (idle))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  expected = g_strdup_printf ("{\"title\":\"Giao ban\",\"unit\":\"ubnd-tinh\",\"start\":1795000010}"
                              "\n{}\n");
  g_assert_cmpstr (text, ==, expected);

  /* Shown again: a new process, which gets the current line at once. */
  ep_idle_child_set_visible (idle, TRUE);
  ep_idle_child_set_visible (idle, FALSE);
  while (ep_idle_child_running (idle))
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "{}\n");
  g_unlink (out);
  g_rmdir (dir);
  g_source_remove (watchdog);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* as in vc-endpoint: a dead media process is an EPIPE, not our death */
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/endpoint/media/protocol/round-trip", test_protocol_round_trip);
  g_test_add_func ("/endpoint/media/protocol/malformed", test_protocol_malformed);
  g_test_add ("/endpoint/media/child/killed", Fixture, killed_script, fixture_set_up,
              test_child_killed, fixture_tear_down);
  g_test_add ("/endpoint/media/child/killed-after-grace", Fixture, stubborn_script, fixture_set_up,
              test_child_killed_after_grace, fixture_tear_down);
  g_test_add_func ("/endpoint/idle/child", test_idle_child);
  return g_test_run ();
}
