/* ep-app.c — wires one room agent together (see ep-app.h).
 *
 *   EpChannel ──schedule──▶ cache file + EpAgent ◀──ticks (250 ms)
 *             ──join/leave─▶ EpAgent ──state-changed──▶ EpChannel, EpIdleChild
 *                                         (the idle screen's process, between meetings)
 *   EpAgent ──media ops──▶ EpMediaChild ──one process per join──▶ media session
 *                                       (VcClientPeer, ep-media-session.c)
 *   EpAgent ──journal-changed──▶ EpOutbox ──POST /api/v1/attendance──▶ scheduler
 *   EpReadiness ──readiness──▶ EpChannel
 * Everything runs on the main thread. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-app.h"
#include "ep-agent.h"
#include "ep-channel.h"
#include "ep-idle-child.h"
#include "ep-journal.h"
#include "ep-media-child.h"
#include "ep-outbox.h"
#include "ep-readiness.h"
#include "ep-schedule.h"

struct _EpApp
{
  EpConfig *config;
  EpJournal *journal;
  EpOutbox *outbox;
  EpMediaChild *media;
  EpAgent *agent;
  EpChannel *channel;
  EpIdleChild *idle; /* the idle-screen process, output = auto only */
  EpReadiness *readiness;
  guint idle_update_id;
  /* shutdown */
  GSourceFunc done;
  gpointer done_data;
  guint flush_timeout_id;
  gulong flushed_id;
};

static void
app_update_idle (EpApp *app)
{
  EpSchedule *schedule = ep_agent_get_schedule (app->agent);
  const EpMeeting *next = ep_schedule_next (schedule, g_get_real_time () / G_USEC_PER_SEC);

  if (app->idle)
    ep_idle_child_set_next (app->idle, next);
  /* Not while joining or in a meeting: the camera is in use then. */
  if (app->readiness && ep_agent_get_state (app->agent) == EP_AGENT_STATE_IDLE)
    ep_readiness_set_next (app->readiness, next);
}

static void
on_channel_schedule (EpChannel *channel, gpointer schedule, gpointer user_data)
{
  EpApp *app = user_data;
  g_autoptr (GError) error = NULL;

  g_info ("schedule received: %u meeting(s)", ((EpSchedule *)schedule)->meetings->len);
  if (!ep_schedule_save (schedule, app->config->schedule_cache_path, &error))
    g_warning ("cannot cache the schedule: %s", error->message);
  ep_agent_set_schedule (app->agent, schedule);
  app_update_idle (app);
}

static void
on_channel_command (EpChannel *channel, guint command, gint64 meeting, gpointer user_data)
{
  EpApp *app = user_data;

  g_message ("scheduler: %s meeting %" G_GINT64_FORMAT,
             ep_agent_command_to_string ((EpAgentCommand)command), meeting);
  ep_agent_command (app->agent, (EpAgentCommand)command, meeting);
}

/* The state machine's state as the agent channel reports it. */
static VcAgentWireState
app_wire_state (EpAgentState state)
{
  switch (state)
    {
      case EP_AGENT_STATE_JOINING:
        return VC_AGENT_WIRE_STATE_JOINING;
      case EP_AGENT_STATE_IN_MEETING:
        return VC_AGENT_WIRE_STATE_IN_MEETING;
      case EP_AGENT_STATE_IDLE:
      default:
        return VC_AGENT_WIRE_STATE_IDLE;
    }
}

static void
on_agent_state_changed (EpAgent *agent, guint state, gint64 meeting, gpointer user_data)
{
  EpApp *app = user_data;

  ep_channel_send_state (app->channel, app_wire_state (state), meeting);
  if (app->idle)
    ep_idle_child_set_visible (app->idle, state == EP_AGENT_STATE_IDLE);
}

static void
on_agent_journal_changed (EpAgent *agent, gpointer user_data)
{
  EpApp *app = user_data;

  ep_outbox_kick (app->outbox);
}

static void
on_readiness_result (EpReadiness *readiness, gint64 meeting, gboolean ready, const gchar *reason,
                     gpointer user_data)
{
  EpApp *app = user_data;

  g_message ("readiness for meeting %" G_GINT64_FORMAT ": %s (%s)", meeting,
             ready ? "ready" : "NOT ready", reason);
  ep_channel_send_readiness (app->channel, meeting, ready, reason);
}

static gboolean
on_idle_update (gpointer user_data)
{
  app_update_idle (user_data);
  return G_SOURCE_CONTINUE;
}

EpApp *
ep_app_new (EpConfig *config, GError **error)
{
  g_autoptr (EpApp) app = g_new0 (EpApp, 1);
  g_autoptr (GError) local = NULL;
  g_autoptr (EpSchedule) cached = NULL;
  gint recovered;

  app->config = config;
  if ((app->journal = ep_journal_open (config->journal_path, error)) == NULL)
    return NULL;
  if ((recovered = ep_journal_recover (app->journal, error)) < 0)
    return NULL;
  app->outbox = ep_outbox_new (app->journal, config->scheduler_url, config->token);
  app->media = ep_media_child_new (config);
  app->agent = ep_agent_new (app->journal, ep_media_child_ops (), app->media);
  ep_agent_set_timing (app->agent, config->join_lead_seconds, config->retry_max_seconds,
                       config->heartbeat_seconds);
  ep_agent_set_connect_ahead (app->agent, config->connect_ahead_seconds);
  ep_agent_set_join_timeout (app->agent, config->join_timeout_seconds);
  app->channel = ep_channel_new (config->scheduler_url, config->token);
  if (config->output == EP_OUTPUT_AUTO && g_getenv ("DISPLAY") == NULL
      && g_getenv ("WAYLAND_DISPLAY") == NULL)
    g_warning ("output = auto but neither DISPLAY nor WAYLAND_DISPLAY is set: no idle screen");
  else if (config->output == EP_OUTPUT_AUTO)
    app->idle = ep_idle_child_new (config);
  app->readiness = ep_readiness_new (config);

  cached = ep_schedule_load (config->schedule_cache_path, &local);
  if (cached)
    {
      g_info ("cached schedule loaded: %u meeting(s)", cached->meetings->len);
      ep_agent_set_schedule (app->agent, cached);
    }
  else if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_message ("cached schedule ignored: %s", local->message);

  g_signal_connect (app->channel, "schedule", G_CALLBACK (on_channel_schedule), app);
  g_signal_connect (app->channel, "command", G_CALLBACK (on_channel_command), app);
  g_signal_connect (app->agent, "state-changed", G_CALLBACK (on_agent_state_changed), app);
  g_signal_connect (app->agent, "journal-changed", G_CALLBACK (on_agent_journal_changed), app);
  g_signal_connect (app->readiness, "result", G_CALLBACK (on_readiness_result), app);
  return g_steal_pointer (&app);
}

void
ep_app_start (EpApp *app)
{
  ep_channel_send_state (app->channel, VC_AGENT_WIRE_STATE_IDLE, 0);
  ep_channel_start (app->channel);
  ep_outbox_kick (app->outbox);
  if (app->idle)
    ep_idle_child_set_visible (app->idle, TRUE);
  app_update_idle (app);
  app->idle_update_id = g_timeout_add_seconds (1, on_idle_update, app);
  ep_agent_start (app->agent);
}

/* The last step of shutdown: every media process has exited. */
static gboolean
on_media_stopped (gpointer user_data)
{
  EpApp *app = user_data;
  GSourceFunc done = g_steal_pointer (&app->done);

  if (done)
    done (app->done_data);
  return G_SOURCE_REMOVE;
}

/* The outbox is flushed, or its time is up. */
static void
app_shutdown_done (EpApp *app)
{
  g_clear_handle_id (&app->flush_timeout_id, g_source_remove);
  g_clear_signal_handler (&app->flushed_id, app->outbox);
  if (ep_journal_outbox_count (app->journal) > 0)
    g_message ("%u attendance event(s) kept for the next start",
               ep_journal_outbox_count (app->journal));
  /* ep_agent_shutdown() told the media process to leave; it is killed after
   * its grace period at the latest, so this wait is bounded. */
  ep_media_child_when_stopped (app->media, on_media_stopped, app);
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  EpApp *app = user_data;

  app->flush_timeout_id = 0;
  app_shutdown_done (app);
  return G_SOURCE_REMOVE;
}

static void
on_outbox_flushed (EpOutbox *outbox, guint accepted, guint duplicates, gpointer user_data)
{
  app_shutdown_done (user_data);
}

void
ep_app_shutdown (EpApp *app, guint flush_timeout_ms, GSourceFunc done, gpointer data)
{
  g_message ("shutting down");
  app->done = done;
  app->done_data = data;
  g_clear_handle_id (&app->idle_update_id, g_source_remove);
  ep_agent_shutdown (app->agent);
  ep_channel_send_state (app->channel, VC_AGENT_WIRE_STATE_IDLE, 0);
  ep_channel_stop (app->channel);
  if (app->idle)
    ep_idle_child_set_visible (app->idle, FALSE);
  if (ep_journal_outbox_count (app->journal) == 0)
    {
      app_shutdown_done (app);
      return;
    }
  app->flushed_id = g_signal_connect (app->outbox, "flushed", G_CALLBACK (on_outbox_flushed), app);
  app->flush_timeout_id = g_timeout_add (flush_timeout_ms, on_flush_timeout, app);
  ep_outbox_kick (app->outbox);
}

void
ep_app_free (EpApp *app)
{
  if (app == NULL)
    return;
  g_clear_handle_id (&app->idle_update_id, g_source_remove);
  g_clear_handle_id (&app->flush_timeout_id, g_source_remove);
  if (app->outbox)
    g_clear_signal_handler (&app->flushed_id, app->outbox);
  g_clear_object (&app->readiness);
  g_clear_pointer (&app->idle, ep_idle_child_free);
  g_clear_object (&app->channel);
  g_clear_object (&app->agent);
  g_clear_pointer (&app->media, ep_media_child_free);
  g_clear_object (&app->outbox);
  g_clear_pointer (&app->journal, ep_journal_close);
  g_clear_pointer (&app->config, ep_config_free);
  g_free (app);
}
