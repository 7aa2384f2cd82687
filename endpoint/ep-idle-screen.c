/* ep-idle-screen.c — the room's screen between meetings (see
 * ep-idle-screen.h), and the main of the process that shows it
 * (ep-idle-child.h). Times are shown in Asia/Ho_Chi_Minh. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-idle-screen.h"
#include "ep-subprocess.h"

#include <gio/gunixinputstream.h>
#include <gst/gst.h>
#include <unistd.h>

GST_DEBUG_CATEGORY_STATIC (ep_idle_debug);
#define GST_CAT_DEFAULT ep_idle_debug

struct _EpIdleScreen
{
  gchar *room_name;
  GstElement *pipeline;
  GstElement *text;
  guint bus_watch;
  EpIdleScreenState state;
};

gchar *
ep_idle_screen_text (const gchar *room_name, const EpMeeting *next, gint64 now)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) now_utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) now_local = NULL;
  g_autofree gchar *clock = NULL;
  g_autofree gchar *when = NULL;
  gint64 left;

  if (tz == NULL)
    tz = g_time_zone_new_offset (7 * 3600);
  /* The clock is part of the text (refreshed every second) rather than a
   * clockoverlay: that element shows the process's zone, UTC on a server. */
  now_local = g_date_time_to_timezone (now_utc, tz);
  clock = g_date_time_format (now_local, "%H:%M:%S  %d/%m/%Y");
  if (next == NULL)
    return g_strdup_printf ("%s\n%s\n\nKhông có cuộc họp sắp tới / No upcoming meeting", clock,
                            room_name);
  utc = g_date_time_new_from_unix_utc (next->start);
  local = g_date_time_to_timezone (utc, tz);
  when = g_date_time_format (local, "%H:%M %d/%m/%Y");
  left = MAX (next->start - now, 0);
  return g_strdup_printf (
      "%s\n%s\n\nCuộc họp tiếp theo / Next meeting:\n%s\n%s\n%s  (còn %" G_GINT64_FORMAT
      ":%02d:%02d)",
      clock, room_name, next->title,
      next->unit_name ? next->unit_name : (next->unit ? next->unit : ""), when, left / 3600,
      (int)(left / 60 % 60), (int)(left % 60));
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  EpIdleScreen *screen = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_warning ("idle screen disabled: %s", error->message);
      screen->state = EP_IDLE_SCREEN_FAILED;
      gst_element_set_state (screen->pipeline, GST_STATE_NULL);
      screen->bus_watch = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

EpIdleScreen *
ep_idle_screen_new (const gchar *room_name)
{
  EpIdleScreen *screen = g_new0 (EpIdleScreen, 1);
  GstElement *src, *caps, *convert, *sink;
  g_autoptr (GstCaps) filter = NULL;
  g_autoptr (GstBus) bus = NULL;

  GST_DEBUG_CATEGORY_INIT (ep_idle_debug, "ep-idle-screen", 0, "vc-endpoint idle screen");
  screen->room_name = g_strdup (room_name);
  screen->pipeline = gst_pipeline_new ("idle-screen");
  src = gst_element_factory_make ("videotestsrc", NULL);
  caps = gst_element_factory_make ("capsfilter", NULL);
  screen->text = gst_element_factory_make ("textoverlay", NULL);
  convert = gst_element_factory_make ("videoconvert", NULL);
  sink = gst_element_factory_make ("autovideosink", NULL);
  if (!src || !caps || !screen->text || !convert || !sink)
    {
      g_warning ("idle screen disabled: videotestsrc, textoverlay (gstreamer1.0-"
                 "plugins-base, gstreamer1.0-plugins-good) or autovideosink missing");
      screen->state = EP_IDLE_SCREEN_FAILED;
      g_clear_object (&src);
      g_clear_object (&caps);
      g_clear_object (&screen->text);
      g_clear_object (&convert);
      g_clear_object (&sink);
      return screen;
    }
  g_object_set (src, "pattern", 2 /* black */, "is-live", TRUE, NULL);
  filter = gst_caps_from_string ("video/x-raw,width=1280,height=720,framerate=2/1");
  g_object_set (caps, "caps", filter, NULL);
  g_object_set (screen->text, "font-desc", "Sans 22", "valignment", 4 /* center */, "halignment",
                1 /* center */, "line-alignment", 1, NULL);
  gst_bin_add_many (GST_BIN (screen->pipeline), src, caps, screen->text, convert, sink, NULL);
  gst_element_link_many (src, caps, screen->text, convert, sink, NULL);
  bus = gst_pipeline_get_bus (GST_PIPELINE (screen->pipeline));
  screen->bus_watch = gst_bus_add_watch (bus, on_bus_message, screen);
  ep_idle_screen_set_next (screen, NULL);
  return screen;
}

void
ep_idle_screen_set_visible (EpIdleScreen *screen, gboolean visible)
{
  if (screen->state == EP_IDLE_SCREEN_FAILED)
    return;
  if (visible == (screen->state == EP_IDLE_SCREEN_SHOWING))
    return;
  /* Both transitions are asynchronous for a live source: no waiting here. */
  gst_element_set_state (screen->pipeline, visible ? GST_STATE_PLAYING : GST_STATE_NULL);
  screen->state = visible ? EP_IDLE_SCREEN_SHOWING : EP_IDLE_SCREEN_HIDDEN;
  GST_DEBUG_BIN_TO_DOT_FILE (GST_BIN (screen->pipeline), GST_DEBUG_GRAPH_SHOW_ALL,
                             visible ? "idle-screen-showing" : "idle-screen-hidden");
}

void
ep_idle_screen_set_next (EpIdleScreen *screen, const EpMeeting *next)
{
  g_autofree gchar *text = NULL;

  if (screen->text == NULL)
    return;
  text = ep_idle_screen_text (screen->room_name, next, g_get_real_time () / G_USEC_PER_SEC);
  g_object_set (screen->text, "text", text, NULL);
}

EpIdleScreenState
ep_idle_screen_get_state (EpIdleScreen *screen)
{
  return screen->state;
}

void
ep_idle_screen_free (EpIdleScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_handle_id (&screen->bus_watch, g_source_remove);
  if (screen->pipeline)
    {
      gst_element_set_state (screen->pipeline, GST_STATE_NULL);
      gst_object_unref (screen->pipeline);
    }
  g_free (screen->room_name);
  g_free (screen);
}

/* ---- the idle-screen process (ep-idle-child.h) ---- */

typedef struct
{
  EpIdleScreen *screen;
  GMainLoop *loop;
  GDataInputStream *lines; /* stdin: the next meeting, one JSON line each */
  EpMeeting next;          /* title, unit_name and start only */
  gboolean has_next;
  int status;
} EpIdleRun;

static void
idle_run_refresh (EpIdleRun *run)
{
  ep_idle_screen_set_next (run->screen, run->has_next ? &run->next : NULL);
}

static void
idle_run_take_line (EpIdleRun *run, const gchar *line)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (!json_parser_load_from_data (parser, line, -1, NULL) || !ep_json_root_is_object (parser))
    {
      g_warning ("idle screen: malformed line from the agent ignored");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  g_clear_pointer (&run->next.title, g_free);
  g_clear_pointer (&run->next.unit_name, g_free);
  run->has_next = json_object_has_member (o, "title");
  if (!run->has_next)
    return;
  run->next.title = g_strdup (json_object_get_string_member_with_default (o, "title", ""));
  run->next.unit_name = g_strdup (json_object_get_string_member_with_default (o, "unit", ""));
  run->next.start = json_object_get_int_member_with_default (o, "start", 0);
}

static void on_agent_line (GObject *source, GAsyncResult *result, gpointer user_data);

/* main thread */
static void
on_agent_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EpIdleRun *run = user_data;
  g_autofree gchar *line
      = g_data_input_stream_read_line_finish_utf8 (run->lines, result, NULL, NULL);

  if (line == NULL)
    {
      g_main_loop_quit (run->loop); /* the agent hid the screen, or is gone */
      return;
    }
  idle_run_take_line (run, line);
  idle_run_refresh (run);
  g_data_input_stream_read_line_async (run->lines, G_PRIORITY_DEFAULT, NULL, on_agent_line, run);
}

/* main thread: the clock and the countdown move every second. */
static gboolean
on_idle_run_tick (gpointer user_data)
{
  EpIdleRun *run = user_data;

  if (ep_idle_screen_get_state (run->screen) == EP_IDLE_SCREEN_FAILED)
    {
      run->status = 1;
      g_main_loop_quit (run->loop);
      return G_SOURCE_REMOVE;
    }
  idle_run_refresh (run);
  return G_SOURCE_CONTINUE;
}

int
ep_idle_screen_run (const EpConfig *config)
{
  EpIdleRun run = { 0 };
  g_autoptr (GInputStream) in = NULL;
  guint tick;

  ep_subprocess_helper_init ();
  gst_init (NULL, NULL);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.screen = ep_idle_screen_new (config->name);
  in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  run.lines = g_data_input_stream_new (in);
  g_data_input_stream_read_line_async (run.lines, G_PRIORITY_DEFAULT, NULL, on_agent_line, &run);
  ep_idle_screen_set_visible (run.screen, TRUE);
  tick = g_timeout_add_seconds (1, on_idle_run_tick, &run);
  if (ep_idle_screen_get_state (run.screen) == EP_IDLE_SCREEN_FAILED)
    run.status = 1;
  else
    g_main_loop_run (run.loop);
  g_source_remove (tick);
  ep_idle_screen_free (run.screen);
  g_clear_object (&run.lines);
  g_main_loop_unref (run.loop);
  g_free (run.next.title);
  g_free (run.next.unit_name);
  return run.status;
}
