/* sched-context.h — what every part of the scheduler is handed: settings,
 * database and the hooks between parts that are built separately.
 *
 * main.c (sched-main.c) fills one SchedContext and passes it to each part's
 * *_register() function, which adds that part's HTTP handlers to the shared
 * SoupServer. Parts never link to each other's internals: the booking code
 * tells the agent hub about changed schedules through the hooks below
 * (by way of sched-change-set.h), and
 * the endpoint listing asks the hub about presence the same way. */
#pragma once

#include "sched-auth.h"
#include "sched-db.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  /* [server] */
  gchar *listen_host;
  guint16 listen_port;
  gchar *tls_certificate; /* NULL: plain HTTP */
  gchar *tls_key;
  gchar *web_root;    /* folder with the web UI (web/), NULL: no UI */
  gchar *vendor_root; /* node_modules folder served under /vendor/, NULL: none */
  /* [database] */
  gchar *db_path;
  gboolean db_sync_full;    /* synchronous = full: every commit waits for its fsync */
  gint db_sync_interval_ms; /* synchronous = normal: the WAL is synced this often */
  /* [site] */
  gchar *time_zone;              /* "Asia/Ho_Chi_Minh" */
  gchar *roster_path;            /* loaded into an empty database */
  gchar *holidays_path;          /* conf/holidays-vn.ini */
  gint working_day_start_minute; /* local time, e.g. 7*60+30 */
  gint working_day_end_minute;   /* e.g. 17*60 */
  /* [bridge] */
  gchar *bridge_url;                /* http://127.0.0.1:8090, NULL: no bridge */
  gchar *bridge_secret;             /* shared with vc-bridge, signs join tokens */
  gint bridge_capacity;             /* concurrent room connections the bridge takes */
  gint64 room_open_lead_seconds;    /* open the bridge room this long before start */
  gint64 join_token_margin_seconds; /* join tokens last until end + this */
  /* [limits] */
  gint64 max_meeting_seconds;  /* 12 h */
  gint max_series_occurrences; /* 366 */
  gint64 max_body_bytes;       /* 64 KiB */
  guint header_timeout_ms;     /* accept or first byte -> end of headers */
  guint idle_timeout_ms;       /* keep-alive connection with no request */
  gint64 max_ahead_seconds;    /* max_days_ahead: no occurrence starts later than now + this */
  /* unit_room_hours_per_day/_week: room-seconds one unit's meetings may hold
   * in a local day / week (Monday to Sunday); 0: no limit. Admins exempt. */
  gint64 unit_room_seconds_per_day;
  gint64 unit_room_seconds_per_week;
  /* [recordings] */
  gchar *recordings_directory;        /* fetched segments: DIR/MEETING/NAME */
  gint64 recordings_keep_seconds;     /* keep_days; 0: forever */
  gboolean recordings_default_record; /* for units without a default of their own */
} SchedSettings;

typedef struct
{
  gboolean online;
  const gchar *state; /* "idle" | "joining" | "in_meeting" | NULL */
  gint64 meeting_id;  /* meeting the room is in or joining, 0 if none */
  gboolean ready_known;
  gboolean ready;
  const gchar *ready_reason;
} SchedPresence;

typedef struct _SchedContext SchedContext;
struct _SchedContext
{
  SchedSettings *settings;
  SchedDb *db;
  GTimeZone *tz; /* settings->time_zone */

  /* Presence of room agents, filled by the agent hub (sched-agent-hub.c).
   * Returns FALSE when nothing is known about @endpoint. */
  gboolean (*get_presence) (SchedContext *ctx, const gchar *endpoint, SchedPresence *out);
  /* Both called only by sched_change_set_notify() (sched-change-set.c),
   * the one notification path, after a commit, each at most once per room
   * or meeting of that commit (of that batch, for group-committed
   * bookings). schedule_changed: the schedule of @endpoint changed (NULL:
   * of every room); meeting_changed: a meeting was created, changed,
   * extended, ended or cancelled, so the bridge room can be opened, updated
   * or closed — the schedules of its rooms are told by schedule_changed. */
  void (*schedule_changed) (SchedContext *ctx, const gchar *endpoint);
  void (*meeting_changed) (SchedContext *ctx, gint64 meeting_id);
  /* Called after token @token_id was revoked and committed, so that the
   * agent hub closes the channels opened with it at once. */
  void (*token_revoked) (SchedContext *ctx, gint64 token_id);
  /* GET /api/v1/meetings/{id}/recordings and POST …/recording (@action
   * "recordings" or "recording"), answered by the live side
   * (scheduler/agents/sched-recordings-api.c), which knows the bridge;
   * NULL when it is not registered (404). @who is authenticated. */
  void (*meeting_recordings) (SchedContext *ctx, const SchedPrincipal *who, SoupServerMessage *msg,
                              gint64 meeting_id, const gchar *action);
  /* GET, PUT and DELETE /api/v1/meetings/{id}/uplink, the meeting's link
   * to a central conference, answered by the live side
   * (scheduler/agents/sched-uplink-api.c), which knows the bridge's state;
   * NULL when it is not registered (404). @who is authenticated. */
  void (*meeting_uplink) (SchedContext *ctx, const SchedPrincipal *who, SoupServerMessage *msg,
                          gint64 meeting_id);
  gpointer hub;      /* SchedAgentHub*, owned by main */
  gpointer bridge;   /* SchedBridge*, owned by main */
  gpointer recorder; /* SchedRecorder*, owned by the agents part */
  /* The bridge's own limits, as its GET /capacity last said (kept by the
   * bridge client, sched-bridge.c); 0 until it has answered. Bookings are
   * checked against these; before, [bridge] capacity alone applies. */
  gint bridge_max_rooms;
  gint bridge_max_participants;
};

/* Safe wrapper: does nothing when the hook is not set. */
static inline void
sched_context_token_revoked (SchedContext *ctx, gint64 token_id)
{
  if (ctx->token_revoked)
    ctx->token_revoked (ctx, token_id);
}

G_END_DECLS
