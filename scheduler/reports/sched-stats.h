/* sched-stats.h — meeting statistics over a time window (internal to reports/).
 *
 * The numbers behind /api/v1/stats, the CSV export and the report sentence.
 * Every definition (what "booked", "held", … mean) is written once, in the
 * SQL of sched-stats.c, and documented in docs/api-reports.md.
 *
 * Two ways to get the same numbers: straight from `meetings` (raw) or from
 * the per-local-day rollup (sched-stats-rollup.c), whose days changed since
 * the last query are recomputed first. The
 * whole local days of a window come from the rollup and the partial days
 * at its ends (RFC 3339 bounds that are not local midnights) from the raw
 * tables; everything is raw when there is no rollup or the zone changes
 * its UTC offset inside the window. Main thread only (uses the SchedDb). */
#pragma once

#include "sched-db.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SCHED_STATS_GROUP_NONE,
  SCHED_STATS_GROUP_UNIT,
  SCHED_STATS_GROUP_ENDPOINT,
  SCHED_STATS_GROUP_LEVEL,
  SCHED_STATS_GROUP_MONTH,
} SchedStatsGroup;

typedef enum
{
  SCHED_STATS_COMPARE_NONE,
  SCHED_STATS_COMPARE_PREVIOUS_PERIOD,
  SCHED_STATS_COMPARE_PREVIOUS_YEAR,
} SchedStatsCompare;

/* Sums over the meetings of a window (or of one group in it). */
typedef struct
{
  gint64 booked;          /* every meeting starting in the window, any status */
  gint64 cancelled;       /* status cancelled */
  gint64 displaced;       /* status displaced */
  gint64 held;            /* held = 1 and status scheduled|ended */
  gint64 planned_seconds; /* end - start of scheduled|ended meetings */
  gint64 actual_seconds;  /* actual_seconds of held meetings */
  gint64 present;         /* present_count of held meetings */
  gint64 invited;         /* invited_count of held meetings */
} SchedStatsMetrics;

typedef struct
{
  gchar *key;      /* unit code, endpoint code, level, or "YYYY-MM" */
  gchar *name;     /* unit/endpoint name, level label, "MM/YYYY" */
  gint64 priority; /* units.priority (0 for other groupings) */
  SchedStatsMetrics current;
  SchedStatsMetrics previous; /* zero without a comparison */
} SchedStatsRow;

/* Which units (and rooms) the meetings are counted under (issue #16):
 * HISTORIC, as they were booked; SUCCESSOR, each unit, room and room
 * level replaced by its successor as the roster stands at the end of the
 * query's window (query.to; the comparison window is mapped the same way,
 * so that its rows line up). Totals are the same either way. */
typedef enum
{
  SCHED_STATS_UNITS_HISTORIC,
  SCHED_STATS_UNITS_SUCCESSOR,
} SchedStatsUnits;

typedef struct
{
  gint64 from, to; /* [from, to), seconds since the epoch */
  SchedStatsGroup group_by;
  SchedStatsCompare compare;
  SchedStatsUnits units;
  gboolean force_raw; /* tests and benchmarks: never use the rollup */
  /* tests and benchmarks, units=successor, group_by=endpoint: fold the
   * rooms' rows and correct the meetings with several rooms folding into
   * one from the raw tables, even when the rollup's 'endpoint-successor'
   * rows could answer */
  gboolean fold_rooms;
  /* Read the rollup as it stands, in one read transaction, without
   * recomputing its marked days first (a background refresh is computing
   * them: sched_stats_refresher_ready said STALE). SchedStats.as_of tells
   * how fresh the answer is. */
  gboolean stale_ok;
  /* tests and benchmarks: read the rollup's day rows only, never its
   * month rows (the way before schema v9) */
  gboolean day_rows_only;
} SchedStatsQuery;

typedef struct
{
  SchedStatsQuery query;
  gint64 previous_from, previous_to; /* set when query.compare != NONE */
  SchedStatsMetrics totals;
  SchedStatsMetrics previous_totals;
  GPtrArray *rows;               /* SchedStatsRow*, ordered (see sched_stats_compute) */
  gboolean used_rollup;          /* current window: whole days from the rollup */
  gboolean previous_used_rollup; /* comparison window: whole days from the rollup */
  /* With a comparison: the first date the roster changed between the start
   * of the comparison window and the end of the window (a unit or room
   * added, ended, renamed, moved), 0 when it did not: the units compared
   * differ. */
  gint64 roster_changed_at;
  /* The figures count every change made up to this time (seconds since the
   * epoch): the time of the query when the rollup was brought up to date
   * (or not used); with query.stale_ok and days still marked, the time of
   * the rollup's last complete refresh; 0 when that is not known. */
  gint64 as_of;
  /* rows the statistics statements returned, both windows: for whole days
   * answered from the rollup, its rows read (the work that bounds a
   * query's time; benchmarks) */
  gint64 rows_read;
} SchedStats;

void sched_stats_free (SchedStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedStats, sched_stats_free)

gboolean sched_stats_group_from_string (const gchar *text, SchedStatsGroup *out);
const gchar *sched_stats_group_to_string (SchedStatsGroup group);
gboolean sched_stats_compare_from_string (const gchar *text, SchedStatsCompare *out);
gboolean sched_stats_units_from_string (const gchar *text, SchedStatsUnits *out);
const gchar *sched_stats_units_to_string (SchedStatsUnits units);
const gchar *sched_stats_compare_to_string (SchedStatsCompare compare);

/* The comparison window of [from, to): previous_period shifts it back by
 * its length, previous_year by one calendar year in @tz (29/02 → 28/02). */
void sched_stats_previous_window (GTimeZone *tz, gint64 from, gint64 to, SchedStatsCompare compare,
                                  gint64 *out_from, gint64 *out_to);

/* Computes the statistics of @query. Rows are ordered: month by month;
 * otherwise by meetings held (descending), then meetings booked
 * (descending), then units.priority (descending), then key. Groups with no
 * booked meeting in either window are left out, except months, which are
 * all listed. */
SchedStats *sched_stats_compute (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query,
                                 GError **error);

/* Derived figures. */
gdouble sched_stats_metrics_planned_minutes (const SchedStatsMetrics *m);
gdouble sched_stats_metrics_actual_minutes (const SchedStatsMetrics *m);
/* meetings_cancelled as the API reports it: cancelled + displaced. */
gint64 sched_stats_metrics_cancelled_total (const SchedStatsMetrics *m);
/* present / invited over held meetings; FALSE (null) when nothing invited. */
gboolean sched_stats_metrics_attendance_rate (const SchedStatsMetrics *m, gdouble *out);
/* (current - previous) / previous × 100; FALSE (null) when previous is 0. */
gboolean sched_stats_change_pct (gdouble current, gdouble previous, gdouble *out);

/* The rollup (sched-stats-rollup.c; its tables and triggers are schema v4,
 * sched-db.c). (Re)builds the contents when they were never built (a new
 * or upgraded database: the backfill from existing meetings) or built for
 * another UTC offset or an older rollup version. Safe to call at every
 * start. */
gboolean sched_stats_rollup_ensure (SchedDb *db, GTimeZone *tz, GError **error);
/* Recomputes the rollup from `meetings` (inside the caller's transaction
 * or its own). */
gboolean sched_stats_rollup_rebuild (SchedDb *db, GError **error);
/* Recomputes the days the triggers marked dirty since the last call (in a
 * savepoint: the caller's transaction or its own). Cheap when none is:
 * one lookup in an empty table. sched_stats_compute() calls it first. */
gboolean sched_stats_rollup_refresh (SchedDb *db, GError **error);
/* Local calendar months of the rollup's day numbers (days since 1970-01-01
 * at the rollup's offset): month = year * 12 + month - 1, as
 * STATS_SQL_MONTH_OF (sched-stats-sql.h) numbers stats_rollup_month. */
gint64 sched_stats_day_month (gint64 day);
/* The first day of @month. */
gint64 sched_stats_month_first_day (gint64 month);
/* Whether days are marked (or claimed) and, if so, the time of the last
 * complete refresh (*@refreshed_at, 0 when unknown). */
gboolean sched_stats_rollup_freshness (SchedDb *db, gboolean *marked, gint64 *refreshed_at,
                                       GError **error);
/* The UTC offset the rollup's local days use; FALSE when there is no rollup. */
gboolean sched_stats_rollup_offset (SchedDb *db, gint *out_offset, GError **error);

/* The background refresh (sched-stats-refresher.c), for days whose
 * recomputation would hold the main loop too long (a reorganisation or a
 * PATCH back-dated marks every day since its date). A day is claimed by
 * turning its row of stats_rollup_dirty into -1 - day: the triggers can
 * mark it again meanwhile (a new row), and a claim left by a crash is
 * refreshed like any dirty day (sched_stats_rollup_refresh reads both).
 *
 * How many meetings start on the marked days (counting stops past
 * @limit), and whether days are claimed. Main thread. */
gboolean sched_stats_rollup_pending (SchedDb *db, gint64 limit, gint64 *meetings, gboolean *claimed,
                                     GError **error);
/* Claims every marked day (a short write transaction). */
gboolean sched_stats_rollup_claim (SchedDb *db, GError **error);
typedef struct _SchedStatsRollupRows SchedStatsRollupRows;
void sched_stats_rollup_rows_free (SchedStatsRollupRows *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedStatsRollupRows, sched_stats_rollup_rows_free)
/* The sums of the claimed days, computed in one read transaction (no
 * write lock: the main thread's writers go on). Stops with
 * G_IO_ERROR_CANCELLED between statements once *@cancelled is set. */
SchedStatsRollupRows *sched_stats_rollup_compute_claimed (SchedDb *db, volatile gint *cancelled,
                                                          GError **error);
/* Replaces each still-claimed day's rollup rows with @rows and ends its
 * claim, @days_per_transaction days per write transaction; then sums the
 * month rows of those days again and records @as_of (the time of the
 * claim: every change before it is counted) as the rollup's refresh time,
 * in one more transaction. */
gboolean sched_stats_rollup_store_claimed (SchedDb *db, const SchedStatsRollupRows *rows,
                                           guint days_per_transaction, gint64 as_of,
                                           GError **error);

/* sched-stats-refresher.c: runs that refresh in a worker thread with its
 * own connection. While it computes, the statistics requests read the
 * rollup as it stands (the last complete refresh); while it writes its
 * results (seconds), they wait for it. */
typedef struct _SchedStatsRefresher SchedStatsRefresher;
typedef enum
{
  /* nothing marked, or few enough meetings to refresh inline: query now */
  SCHED_STATS_REFRESHER_FRESH,
  /* a background refresh is computing: query now with stale_ok */
  SCHED_STATS_REFRESHER_STALE,
  /* a background refresh is writing: the callback runs once it is done */
  SCHED_STATS_REFRESHER_WAIT,
} SchedStatsRefresherState;
/* For the database of @db (its file; an in-memory database refreshes
 * inline). Main thread. */
SchedStatsRefresher *sched_stats_refresher_new (SchedDb *db);
/* Cancels a running refresh, waits for its thread, drops the waiting
 * callbacks without calling them. */
void sched_stats_refresher_free (SchedStatsRefresher *refresher);
/* FRESH when a statistics query may refresh the rollup inline and read it
 * now (nothing marked, or few enough meetings). Otherwise starts the
 * background refresh if it is not running, and returns STALE while it
 * computes (the query reads the rollup as it stands, query.stale_ok), or
 * WAIT while it writes: then @callback runs on the main thread once it is
 * done (whether it succeeded or not), then @destroy. @callback is kept
 * only for WAIT. */
SchedStatsRefresherState sched_stats_refresher_ready (SchedStatsRefresher *refresher,
                                                      GSourceFunc callback, gpointer user_data,
                                                      GDestroyNotify destroy);
/* Tests: while held, the worker waits after its computation, before it
 * writes (so that a test sees the main loop answer during a refresh). */
void sched_stats_refresher_hold (SchedStatsRefresher *refresher, gboolean hold);
/* Whether a background refresh is running. */
gboolean sched_stats_refresher_is_running (SchedStatsRefresher *refresher);

/* The metrics as the API names them, for JSON and CSV. get() returns FALSE
 * for null; @decimals is how many digits the output keeps. */
typedef struct
{
  const gchar *name; /* "meetings_booked", … */
  gboolean (*get) (const SchedStatsMetrics *m, gdouble *out);
  gint decimals;
} SchedStatsField;

const SchedStatsField *sched_stats_fields (guint *n_fields);
/* @value rounded to @decimals digits. */
gdouble sched_stats_round (gdouble value, gint decimals);

/* sched-stats-json.c: the /api/v1/stats body (see docs/api-reports.md). */
JsonNode *sched_stats_to_json (const SchedStats *stats, GTimeZone *tz);
/* sched-stats-csv.c: the same as RFC 4180 CSV, UTF-8 with a BOM, CRLF. */
gchar *sched_stats_to_csv (const SchedStats *stats, gsize *out_length);

/* sched-stats-successor.c: the successor grouping. */
typedef struct _SchedStatsSuccessors SchedStatsSuccessors;
/* The successor of every unit and room as the roster stands at @at, and of
 * every room level (see docs/api-reports.md). */
SchedStatsSuccessors *sched_stats_successors_load (SchedDb *db, gint64 at, GError **error);
void sched_stats_successors_free (SchedStatsSuccessors *successors);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedStatsSuccessors, sched_stats_successors_free)
/* The key @key of grouping @group stands for at @at (itself when it has
 * no successor). */
const gchar *sched_stats_successors_map (const SchedStatsSuccessors *successors,
                                         SchedStatsGroup group, const gchar *key);
/* The rooms that fold into another, as a JSON object {room: successor}
 * (for json_each in SQL); NULL when no room folds. */
gchar *sched_stats_successors_rooms_json (const SchedStatsSuccessors *successors);
/* The first roster change in (@after, @before), 0 when none. */
gboolean sched_stats_roster_changed (SchedDb *db, gint64 after, gint64 before, gint64 *at,
                                     GError **error);

/* sched-stats-recordings.c: recorded hours (issue #18), kept apart from
 * the meeting figures. The seconds of the recordings kept of the meetings
 * starting in @query's window, per group key (gchar* → gdouble*, into
 * @by_key) and in all (*@total). */
gboolean sched_stats_recorded_seconds (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query,
                                       GHashTable *by_key, gdouble *total, GError **error);
/* Adds "recorded_hours" to the totals and to each group of @root (the
 * body sched_stats_to_json() made for @query). */
gboolean sched_stats_add_recorded_hours (SchedDb *db, GTimeZone *tz, const SchedStatsQuery *query,
                                         JsonNode *root, GError **error);

/* Name of a level code in @lang ("vi" or "en"). */
const gchar *sched_stats_level_label (const gchar *level, const gchar *lang);

G_END_DECLS
