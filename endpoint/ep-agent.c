/* ep-agent.c — the room agent's state machine (see ep-agent.h for the
 * states). Every decision is taken in ep_agent_tick() from the schedule, the
 * commands and the clock, so tests drive it with a fake clock and fake media
 * and no waiting. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-agent.h"

#define TICK_MS 250
#define REJOIN_AFTER_DROP_US 0

struct _EpAgent
{
  GObject parent;
  EpJournal *journal; /* borrowed */
  EpMediaOps ops;
  gpointer ops_data;
  EpClockFunc real_clock, mono_clock;
  gpointer clock_data;
  gint64 join_lead_s, retry_max_us, heartbeat_us;
  gint64 join_timeout_us; /* an attempt not connected after this is restarted */
  gint64 connect_ahead_s; /* start the media this long before attending */

  EpSchedule *schedule;
  gint64 forced;    /* meeting pulled in by a join command, 0 if none */
  GHashTable *left; /* meetings left by command: gint64* → not rejoined */
  EpAgentState state;
  EpMeeting *current; /* copy of the meeting being joined or attended */
  gpointer handle;    /* the media's, NULL between attempts */
  gboolean early;     /* connected ahead of the start, not yet attending */
  gint64 attempt_started_us;
  guint attempts;       /* failed attempts since the last success */
  const gchar *waiting; /* EP_AGENT_WAITING_*, NULL: see ep_agent_get_waiting() */
  gint64 retry_at_us;   /* monotonic */
  gint64 heartbeat_at_us;
  guint tick_id;
  guint wake_id; /* one-shot timer at the next start or end, for punctuality */
};

G_DEFINE_FINAL_TYPE (EpAgent, ep_agent, G_TYPE_OBJECT)

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_JOURNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

const gchar *
ep_agent_state_to_string (EpAgentState state)
{
  switch (state)
    {
      case EP_AGENT_STATE_IDLE:
        return "idle";
      case EP_AGENT_STATE_JOINING:
        return "joining";
      case EP_AGENT_STATE_IN_MEETING:
        return "in_meeting";
    }
  return "unknown";
}

static gint64
default_real (gpointer data)
{
  return g_get_real_time ();
}

static gint64
default_mono (gpointer data)
{
  return g_get_monotonic_time ();
}

static EpMeeting *
meeting_copy (const EpMeeting *m)
{
  EpMeeting *c = g_new0 (EpMeeting, 1);

  *c = *m;
  c->title = g_strdup (m->title);
  c->unit = g_strdup (m->unit);
  c->unit_name = g_strdup (m->unit_name);
  c->chair = g_strdup (m->chair);
  c->status = g_strdup (m->status);
  c->signal_url = g_strdup (m->signal_url);
  c->join_token = g_strdup (m->join_token);
  return c;
}

static void
meeting_free (EpMeeting *m)
{
  if (m == NULL)
    return;
  g_free (m->title);
  g_free (m->unit);
  g_free (m->unit_name);
  g_free (m->chair);
  g_free (m->status);
  g_free (m->signal_url);
  g_free (m->join_token);
  g_free (m);
}

static void
agent_set_state (EpAgent *agent, EpAgentState state)
{
  gint64 meeting = agent->current ? agent->current->id : 0;

  if (agent->state == state)
    return;
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EP_STATE", ep_agent_state_to_string (state),
                    "MESSAGE", "state %s -> %s (meeting %" G_GINT64_FORMAT ")",
                    ep_agent_state_to_string (agent->state), ep_agent_state_to_string (state),
                    meeting);
  agent->state = state;
  g_signal_emit (agent, signals[SIGNAL_STATE_CHANGED], 0, (guint)state, meeting);
}

static void
agent_journal_leave (EpAgent *agent, const gchar *reason)
{
  g_autoptr (GError) error = NULL;

  if (agent->state != EP_AGENT_STATE_IN_MEETING)
    return;
  if (!ep_journal_leave (agent->journal, reason, agent->mono_clock (agent->clock_data), &error))
    g_warning ("journal: %s", error->message);
  g_signal_emit (agent, signals[SIGNAL_JOURNAL_CHANGED], 0);
}

static void
agent_stop_media (EpAgent *agent)
{
  gpointer handle = g_steal_pointer (&agent->handle);

  agent->early = FALSE;
  if (handle)
    agent->ops.leave (agent, handle, agent->ops_data);
}

/* Leaves the current meeting: media, journal, state. */
static void
agent_leave (EpAgent *agent, const gchar *reason)
{
  if (agent->current == NULL)
    return;
  g_message ("leaving meeting %" G_GINT64_FORMAT " (%s)", agent->current->id, reason);
  agent_stop_media (agent);
  agent_journal_leave (agent, reason);
  agent_set_state (agent, EP_AGENT_STATE_IDLE);
  g_clear_pointer (&agent->current, meeting_free);
  agent->attempts = 0;
  agent->waiting = NULL;
}

static void
agent_try_join (EpAgent *agent)
{
  g_assert (agent->current != NULL && agent->handle == NULL);
  g_message ("joining meeting %" G_GINT64_FORMAT " \"%s\" (attempt %u)", agent->current->id,
             agent->current->title, agent->attempts + 1);
  agent->attempt_started_us = agent->mono_clock (agent->clock_data);
  agent->handle = agent->ops.join (agent, agent->current, agent->ops_data);
  g_assert (agent->handle != NULL);
}

static gboolean
meeting_joinable (const EpMeeting *m, gint64 now)
{
  return m && g_strcmp0 (m->status, "scheduled") == 0 && m->join_token && m->signal_url
         && now < m->end;
}

/* The meeting the room should be in now, or NULL. */
static const EpMeeting *
agent_target (EpAgent *agent, gint64 now)
{
  if (agent->forced)
    {
      const EpMeeting *m = ep_schedule_find (agent->schedule, agent->forced);

      if (meeting_joinable (m, now))
        return m;
      agent->forced = 0;
    }
  for (guint i = 0; agent->schedule && i < agent->schedule->meetings->len; i++)
    {
      const EpMeeting *m = agent->schedule->meetings->pdata[i];

      if (meeting_joinable (m, now) && m->start - agent->join_lead_s - agent->connect_ahead_s <= now
          && !g_hash_table_contains (agent->left, &m->id))
        return m;
    }
  return NULL;
}

static void agent_schedule_wake (EpAgent *agent, gint64 now_us);
static gboolean on_wake (gpointer user_data);
static void agent_attend (EpAgent *agent);

void
ep_agent_tick (EpAgent *agent)
{
  gint64 now = agent->real_clock (agent->clock_data) / G_USEC_PER_SEC;
  gint64 mono = agent->mono_clock (agent->clock_data);
  const EpMeeting *target = agent_target (agent, now);

  if (agent->current && (target == NULL || target->id != agent->current->id))
    {
      const EpMeeting *still = ep_schedule_find (agent->schedule, agent->current->id);

      /* Its end came, or it was ended, cancelled or taken off the schedule:
       * "ended"; another meeting pulled in by a command: "left". */
      agent_leave (agent, meeting_joinable (still, now) ? "left" : "ended");
    }
  if (target && agent->current == NULL)
    {
      agent->current = meeting_copy (target);
      agent->attempts = 0;
      agent->retry_at_us = 0;
      agent_set_state (agent, EP_AGENT_STATE_JOINING);
    }
  else if (target)
    {
      /* Keep the newest end and token (extensions, refreshed tokens). */
      EpMeeting *fresh = meeting_copy (target);

      meeting_free (agent->current);
      agent->current = fresh;
    }
  if (agent->tick_id)
    agent_schedule_wake (agent, agent->real_clock (agent->clock_data));
  if (agent->current == NULL)
    return;

  if (agent->handle == NULL && mono >= agent->retry_at_us)
    agent_try_join (agent);
  else if (agent->early
           && agent->real_clock (agent->clock_data)
                  >= (agent->current->start - agent->join_lead_s) * G_USEC_PER_SEC)
    agent_attend (agent);
  else if (agent->handle && agent->state == EP_AGENT_STATE_JOINING && !agent->early
           && mono - agent->attempt_started_us > agent->join_timeout_us)
    ep_agent_media_lost (agent, agent->handle, "join timed out");

  if (agent->state == EP_AGENT_STATE_IN_MEETING && mono >= agent->heartbeat_at_us)
    {
      g_autoptr (GError) error = NULL;

      if (!ep_journal_heartbeat (agent->journal, mono, &error))
        g_warning ("journal: %s", error->message);
      else
        g_debug ("heartbeat: meeting %" G_GINT64_FORMAT, agent->current->id);
      agent->heartbeat_at_us = mono + agent->heartbeat_us;
    }
}

/* The room attends from its start (minus the join lead); a connection made
 * ahead of it waits in JOINING until then. */
static void
agent_attend (EpAgent *agent)
{
  g_autoptr (GError) error = NULL;
  gint64 mono = agent->mono_clock (agent->clock_data);

  agent->early = FALSE;
  agent->waiting = NULL;
  if (!ep_journal_join (agent->journal, agent->current->id, agent->current->title,
                        agent->real_clock (agent->clock_data), mono, &error))
    g_warning ("journal: %s", error->message);
  agent->attempts = 0;
  agent->heartbeat_at_us = mono + agent->heartbeat_us;
  agent_set_state (agent, EP_AGENT_STATE_IN_MEETING);
  g_signal_emit (agent, signals[SIGNAL_JOURNAL_CHANGED], 0);
}

void
ep_agent_media_connected (EpAgent *agent, gpointer handle)
{
  gint64 now_us = agent->real_clock (agent->clock_data);

  if (handle == NULL || handle != agent->handle || agent->state != EP_AGENT_STATE_JOINING
      || agent->early)
    return;
  if (agent->waiting != NULL)
    g_message ("meeting %" G_GINT64_FORMAT ": the bridge has the room now", agent->current->id);
  agent->waiting = NULL;
  /* A join command means now; a scheduled join attends from the start. */
  if (agent->forced != agent->current->id
      && now_us < (agent->current->start - agent->join_lead_s) * G_USEC_PER_SEC)
    {
      g_message ("meeting %" G_GINT64_FORMAT ": connected ahead of the start; attending from it",
                 agent->current->id);
      agent->early = TRUE;
      return;
    }
  agent_attend (agent);
}

void
ep_agent_media_lost (EpAgent *agent, gpointer handle, const gchar *why)
{
  gint64 mono = agent->mono_clock (agent->clock_data);

  if (handle == NULL || handle != agent->handle)
    return;
  agent_stop_media (agent);
  if (agent->state == EP_AGENT_STATE_IN_MEETING)
    {
      g_message ("meeting %" G_GINT64_FORMAT ": connection dropped (%s); rejoining",
                 agent->current->id, why);
      agent_journal_leave (agent, "dropped");
      agent_set_state (agent, EP_AGENT_STATE_JOINING);
      agent->attempts = 0;
      agent->retry_at_us = mono + REJOIN_AFTER_DROP_US;
      if (agent->tick_id && agent->wake_id == 0)
        agent->wake_id = g_idle_add (on_wake, agent); /* rejoin now, not at the next tick */
      return;
    }
  /* Back-off: attempts start 1, 2, 4 … seconds apart, at most retry_max;
   * counted from the failed attempt's start, so that the time an attempt
   * takes to fail (starting its media process, a refused connection) does
   * not add up over the retries. */
  {
    gint64 delay = MIN (G_USEC_PER_SEC << MIN (agent->attempts, 6), agent->retry_max_us);

    agent->attempts++;
    agent->retry_at_us = MAX (mono, agent->attempt_started_us + delay);
    agent->waiting = why != NULL && g_str_has_prefix (why, EP_AGENT_REASON_NO_ROOM)
                         ? EP_AGENT_WAITING_NO_ROOM
                         : NULL;
    if (agent->waiting != NULL)
      {
        /* Not a failure of ours: the scheduler has not opened the room and
         * no room's token has (a bridge that cannot open rooms from tokens,
         * or one that refuses to); keep asking. */
        g_autofree gchar *retry = g_strdup_printf ("%.1f", (agent->retry_at_us - mono) / 1e6);

        g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EP_STATE",
                          ep_agent_state_to_string (agent->state), "EP_WAITING", agent->waiting,
                          "MESSAGE",
                          "meeting %" G_GINT64_FORMAT ": state %s, waiting: %s (attempt %u);"
                          " retrying in %s s",
                          agent->current->id, ep_agent_state_to_string (agent->state),
                          EP_AGENT_REASON_NO_ROOM, agent->attempts, retry);
      }
    else
      g_message ("meeting %" G_GINT64_FORMAT ": join failed (%s); retrying in %.1f s",
                 agent->current->id, why, (agent->retry_at_us - mono) / 1e6);
  }
}

void
ep_agent_set_schedule (EpAgent *agent, EpSchedule *schedule)
{
  g_clear_pointer (&agent->schedule, ep_schedule_unref);
  agent->schedule = schedule ? ep_schedule_ref (schedule) : NULL;
  ep_agent_tick (agent);
}

EpSchedule *
ep_agent_get_schedule (EpAgent *agent)
{
  return agent->schedule;
}

const gchar *
ep_agent_command_to_string (EpAgentCommand command)
{
  return command == EP_AGENT_COMMAND_JOIN ? "join" : "leave";
}

void
ep_agent_command (EpAgent *agent, EpAgentCommand command, gint64 meeting)
{
  gint64 now = agent->real_clock (agent->clock_data) / G_USEC_PER_SEC;

  if (command == EP_AGENT_COMMAND_JOIN)
    {
      if (!meeting_joinable (ep_schedule_find (agent->schedule, meeting), now))
        {
          g_message ("join %" G_GINT64_FORMAT " ignored: not a current meeting of this room",
                     meeting);
          return;
        }
      g_hash_table_remove (agent->left, &meeting);
      agent->forced = meeting;
    }
  else
    {
      gint64 *key = g_new (gint64, 1);

      *key = meeting;
      g_hash_table_add (agent->left, key);
      if (agent->forced == meeting)
        agent->forced = 0;
      if (agent->current && agent->current->id == meeting)
        agent_leave (agent, "left");
    }
  ep_agent_tick (agent);
}

static gboolean
on_wake (gpointer user_data)
{
  EpAgent *agent = user_data;

  agent->wake_id = 0;
  ep_agent_tick (agent);
  return G_SOURCE_REMOVE;
}

/* The 250 ms tick alone would join up to 250 ms late: also wake exactly at
 * the next start (minus the lead) or end within the next tick period. */
static void
agent_schedule_wake (EpAgent *agent, gint64 now_us)
{
  gint64 next_us = G_MAXINT64;

  for (guint i = 0; agent->schedule && i < agent->schedule->meetings->len; i++)
    {
      const EpMeeting *m = agent->schedule->meetings->pdata[i];
      gint64 start_us = (m->start - agent->join_lead_s) * G_USEC_PER_SEC;
      gint64 connect_us = start_us - agent->connect_ahead_s * G_USEC_PER_SEC;
      gint64 end_us = m->end * G_USEC_PER_SEC;

      if (start_us > now_us)
        next_us = MIN (next_us, start_us);
      if (connect_us > now_us)
        next_us = MIN (next_us, connect_us);
      if (end_us > now_us)
        next_us = MIN (next_us, end_us);
    }
  if (next_us - now_us > TICK_MS * 1000 || agent->wake_id)
    return;
  agent->wake_id = g_timeout_add (MAX ((next_us - now_us + 999) / 1000, 1), on_wake, agent);
}

static gboolean
on_tick (gpointer user_data)
{
  ep_agent_tick (user_data);
  return G_SOURCE_CONTINUE;
}

void
ep_agent_start (EpAgent *agent)
{
  if (agent->tick_id == 0)
    agent->tick_id = g_timeout_add (TICK_MS, on_tick, agent);
  ep_agent_tick (agent);
}

void
ep_agent_shutdown (EpAgent *agent)
{
  g_clear_handle_id (&agent->tick_id, g_source_remove);
  g_clear_handle_id (&agent->wake_id, g_source_remove);
  agent_leave (agent, "left");
}

EpAgentState
ep_agent_get_state (EpAgent *agent)
{
  return agent->state;
}

const gchar *
ep_agent_get_waiting (EpAgent *agent)
{
  return agent->state == EP_AGENT_STATE_JOINING ? agent->waiting : NULL;
}

gint64
ep_agent_get_meeting (EpAgent *agent)
{
  return agent->current ? agent->current->id : 0;
}

void
ep_agent_set_clock (EpAgent *agent, EpClockFunc real, EpClockFunc mono, gpointer data)
{
  agent->real_clock = real;
  agent->mono_clock = mono;
  agent->clock_data = data;
}

void
ep_agent_set_connect_ahead (EpAgent *agent, gint64 seconds)
{
  agent->connect_ahead_s = seconds;
}

void
ep_agent_set_join_timeout (EpAgent *agent, gint64 seconds)
{
  agent->join_timeout_us = seconds * G_USEC_PER_SEC;
}

void
ep_agent_set_timing (EpAgent *agent, gint64 join_lead_seconds, gint64 retry_max_seconds,
                     gint64 heartbeat_seconds)
{
  agent->join_lead_s = join_lead_seconds;
  agent->retry_max_us = retry_max_seconds * G_USEC_PER_SEC;
  agent->heartbeat_us = heartbeat_seconds * G_USEC_PER_SEC;
}

static void
ep_agent_dispose (GObject *object)
{
  EpAgent *agent = EP_AGENT (object);

  g_clear_handle_id (&agent->tick_id, g_source_remove);
  g_clear_handle_id (&agent->wake_id, g_source_remove);
  agent_stop_media (agent);
  g_clear_pointer (&agent->current, meeting_free);
  g_clear_pointer (&agent->schedule, ep_schedule_unref);
  G_OBJECT_CLASS (ep_agent_parent_class)->dispose (object);
}

static void
ep_agent_finalize (GObject *object)
{
  EpAgent *agent = EP_AGENT (object);

  g_hash_table_unref (agent->left);
  G_OBJECT_CLASS (ep_agent_parent_class)->finalize (object);
}

static void
ep_agent_class_init (EpAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ep_agent_dispose;
  object_class->finalize = ep_agent_finalize;
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
  signals[SIGNAL_JOURNAL_CHANGED]
      = g_signal_new ("journal-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);
}

static void
ep_agent_init (EpAgent *agent)
{
  agent->real_clock = default_real;
  agent->mono_clock = default_mono;
  agent->left = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ep_agent_set_timing (agent, 0, 5, 2);
  agent->join_timeout_us = 15 * G_USEC_PER_SEC;
}

EpAgent *
ep_agent_new (EpJournal *journal, const EpMediaOps *ops, gpointer ops_data)
{
  EpAgent *agent = g_object_new (EP_TYPE_AGENT, NULL);

  agent->journal = journal;
  agent->ops = *ops;
  agent->ops_data = ops_data;
  return agent;
}
