/* sched-db.c — open, migrate and query the scheduler's sqlite database.
 *
 * Schema v1 (times are seconds since the epoch, UTC):
 *
 *   units(code PK, name, priority)                 organising bodies
 *   endpoints(code PK, name, level, unit, parent, deleted)
 *                                                  rooms; deleted rows stay
 *                                                  for history
 *   series(id PK, rule JSON, created_at)           a recurring booking
 *   meetings(id PK, series_id, title, unit, chair, start_at, end_at,
 *            status scheduled|cancelled|displaced|ended, version,
 *            created_by, created_at, updated_at, ended_at, imported,
 *            held, actual_seconds, present_count, invited_count)
 *      held/actual_seconds/present_count are derived from attendance by
 *      the attendance code (sched_attendance_refresh) and read by statistics.
 *      actual_seconds: span from the second room joining to the last leave
 *      (0 when not held).
 *   meeting_endpoints(meeting_id, endpoint, start_at, end_at, active)
 *      the rooms of a meeting, with the meeting's times copied so that the
 *      overlap check is one index range scan; active=0 once the meeting is
 *      cancelled/displaced or the room removed from it.
 *   attendance_events(id UUID PK, meeting_id, endpoint, type joined|left,
 *            at, reason, received_at)
 *   tokens(id PK, hash UNIQUE, role, unit, endpoint, name, created_at, revoked)
 *   audit_log(id PK, at, actor, action, meeting_id, detail JSON)
 *   join_links(id PK, meeting_id, name, created_by, created_at, expires_at)
 *
 * Schema v2 adds the index meeting_endpoints_by_start (see schema_v2);
 * schema v3 replaces it with covering indexes (see schema_v3); schema v4
 * drops an index v3 made redundant and adds the statistics rollup's tables
 * and triggers (see schema_v4); schema v5 gives the roster time (see
 * schema_v5); schema v6 adds holidays entered by an administrator, v7
 * recordings, v8 marks the statistics' days when a room's successor
 * changes, v9 adds the statistics rollup's month rows and the time of its
 * last refresh, v10 meetings' links to central conferences (see
 * schema_v6, schema_v7, schema_v8, schema_v9, schema_v10).
 */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-db.h"
#include "sched-error.h"

struct _SchedDb
{
  sqlite3 *handle;
  gchar *path;
  SchedDbSyncer *syncer;  /* NULL unless synchronous = NORMAL */
  GHashTable *statements; /* const gchar *sql (not owned) -> sqlite3_stmt* */
};

static void
db_statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static const gchar schema_v1[]
    = "CREATE TABLE units ("
      "  code TEXT PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  priority INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE endpoints ("
      "  code TEXT PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  level TEXT NOT NULL CHECK (level IN ('province','district','department','commune')),"
      "  unit TEXT REFERENCES units(code),"
      "  parent TEXT REFERENCES endpoints(code),"
      "  deleted INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE series ("
      "  id INTEGER PRIMARY KEY,"
      "  rule TEXT NOT NULL,"
      "  created_at INTEGER NOT NULL);"
      "CREATE TABLE meetings ("
      "  id INTEGER PRIMARY KEY,"
      "  series_id INTEGER REFERENCES series(id),"
      "  title TEXT NOT NULL,"
      "  unit TEXT NOT NULL REFERENCES units(code),"
      "  chair TEXT NOT NULL REFERENCES endpoints(code),"
      "  start_at INTEGER NOT NULL,"
      "  end_at INTEGER NOT NULL,"
      "  status TEXT NOT NULL DEFAULT 'scheduled'"
      "    CHECK (status IN ('scheduled','cancelled','displaced','ended')),"
      "  version INTEGER NOT NULL DEFAULT 1,"
      "  created_by TEXT,"
      "  created_at INTEGER NOT NULL,"
      "  updated_at INTEGER NOT NULL,"
      "  ended_at INTEGER,"
      "  imported INTEGER NOT NULL DEFAULT 0,"
      "  held INTEGER NOT NULL DEFAULT 0,"
      "  actual_seconds INTEGER NOT NULL DEFAULT 0,"
      "  present_count INTEGER NOT NULL DEFAULT 0,"
      "  invited_count INTEGER NOT NULL DEFAULT 0,"
      "  CHECK (end_at > start_at));"
      "CREATE INDEX meetings_by_start ON meetings(start_at, unit, status);"
      "CREATE INDEX meetings_by_series ON meetings(series_id);"
      "CREATE TABLE meeting_endpoints ("
      "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
      "  endpoint TEXT NOT NULL REFERENCES endpoints(code),"
      "  start_at INTEGER NOT NULL,"
      "  end_at INTEGER NOT NULL,"
      "  active INTEGER NOT NULL DEFAULT 1,"
      "  PRIMARY KEY (meeting_id, endpoint)) WITHOUT ROWID;"
      "CREATE INDEX meeting_endpoints_by_room ON meeting_endpoints(endpoint, start_at)"
      "  WHERE active = 1;"
      "CREATE TABLE attendance_events ("
      "  id TEXT PRIMARY KEY,"
      "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
      "  endpoint TEXT NOT NULL REFERENCES endpoints(code),"
      "  type TEXT NOT NULL CHECK (type IN ('joined','left')),"
      "  at INTEGER NOT NULL,"
      "  reason TEXT,"
      "  received_at INTEGER NOT NULL) WITHOUT ROWID;"
      "CREATE INDEX attendance_by_meeting ON attendance_events(meeting_id, endpoint, at);"
      "CREATE TABLE tokens ("
      "  id INTEGER PRIMARY KEY,"
      "  hash TEXT NOT NULL UNIQUE,"
      "  role TEXT NOT NULL CHECK (role IN ('admin','secretariat','manager','endpoint')),"
      "  unit TEXT REFERENCES units(code),"
      "  endpoint TEXT REFERENCES endpoints(code),"
      "  name TEXT NOT NULL,"
      "  created_at INTEGER NOT NULL,"
      "  revoked INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE audit_log ("
      "  id INTEGER PRIMARY KEY,"
      "  at INTEGER NOT NULL,"
      "  actor TEXT NOT NULL,"
      "  action TEXT NOT NULL,"
      "  meeting_id INTEGER,"
      "  detail TEXT);"
      "CREATE INDEX audit_by_meeting ON audit_log(meeting_id);"
      "CREATE TABLE join_links ("
      "  id INTEGER PRIMARY KEY,"
      "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
      "  name TEXT NOT NULL,"
      "  created_by TEXT NOT NULL,"
      "  created_at INTEGER NOT NULL,"
      "  expires_at INTEGER NOT NULL);";

/* Schema v2 (booking core): an index over the rooms of every meeting by
 * start, so that the bridge-capacity check (rooms connected at once across
 * all meetings) is an index range scan rather than a table scan. */
static const gchar schema_v2[]
    = "CREATE INDEX meeting_endpoints_by_start ON meeting_endpoints(start_at)"
      "  WHERE active = 1;";

/* Schema v3 (booking core): covering indexes for the two checks every
 * booking runs, so that both are index-only range scans (measured in
 * docs/benchmarks.md "Scheduler booking"):
 *  - the bridge-capacity check reads the rooms of every meeting by start,
 *    with their end;
 *  - the overlap check reads a room's bookings by start, with their end. */
static const gchar schema_v3[]
    = "DROP INDEX meeting_endpoints_by_start;"
      "CREATE INDEX meeting_endpoints_by_start_end ON meeting_endpoints(start_at, end_at)"
      "  WHERE active = 1;"
      "CREATE INDEX meeting_endpoints_by_room_end ON meeting_endpoints(endpoint, start_at, end_at)"
      "  WHERE active = 1;";

/* Schema v4:
 *  - meeting_endpoints_by_room (endpoint, start_at) is a prefix of v3's
 *    meeting_endpoints_by_room_end, which serves every query it served:
 *    dropped, one index page less to write per booked room;
 *  - meetings_by_series keeps only meetings of a series (the only rows a
 *    "series_id = ?" lookup can find), so a single booking does not write it;
 *  - the statistics rollup (read and filled by scheduler/reports,
 *    sched-stats-rollup.c), which the reports code used to create at start
 *    outside these migrations:
 *      stats_rollup_meta(id = 1, offset_seconds, version)  for which UTC
 *        offset and definitions the contents were built; no row: not built
 *      stats_rollup(dim, day, key, eight sums)  per local day × unit, room
 *        and level
 *      stats_rollup_dirty(day)  local days whose sums no longer match the
 *        meetings: the triggers below only mark the day of every changed
 *        meeting or room row (a booking no longer pays for the sums, which
 *        cost it three upserts per room); the reports code recomputes the
 *        dirty days from the meetings before it reads the rollup.
 *    Any stale rollup of a v3 database (and its old triggers) goes: the
 *    meta row is removed, so the next start of the reports part backfills
 *    the rollup from the existing meetings (it knows the site's time zone,
 *    which this file does not). */
/* clang-format off */
#define DIRTY_DAY_OF(start) "((" start ") + r.offset_seconds) / 86400"
#define MARK_DIRTY(start)                                                              \
  "INSERT OR IGNORE INTO stats_rollup_dirty (day) SELECT " DIRTY_DAY_OF (start)      \
  " FROM stats_rollup_meta r WHERE r.id = 1;"
/* A room row counts on its meeting's day (its own copy of the start if the
 * meeting row is already gone). */
#define MEETING_START_OF(row)                                                          \
  "coalesce((SELECT m.start_at FROM meetings m WHERE m.id = " row ".meeting_id), "    \
  row ".start_at)"

static const gchar schema_v4[] =
  "DROP INDEX IF EXISTS meeting_endpoints_by_room;"
  "DROP INDEX IF EXISTS meetings_by_series;"
  "CREATE INDEX meetings_by_series ON meetings(series_id) WHERE series_id IS NOT NULL;"
  "DROP TRIGGER IF EXISTS stats_rollup_meeting_insert;"
  "DROP TRIGGER IF EXISTS stats_rollup_meeting_update;"
  "DROP TRIGGER IF EXISTS stats_rollup_meeting_delete;"
  "DROP TRIGGER IF EXISTS stats_rollup_room_insert;"
  "DROP TRIGGER IF EXISTS stats_rollup_room_update;"
  "DROP TRIGGER IF EXISTS stats_rollup_room_delete;"
  "DROP TRIGGER IF EXISTS stats_rollup_endpoint_level;"
  "CREATE TABLE IF NOT EXISTS stats_rollup_meta ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  offset_seconds INTEGER NOT NULL,"
  "  version INTEGER NOT NULL);"
  "DELETE FROM stats_rollup_meta;"
  "CREATE TABLE IF NOT EXISTS stats_rollup ("
  "  dim TEXT NOT NULL,"
  "  day INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  booked INTEGER NOT NULL DEFAULT 0,"
  "  cancelled INTEGER NOT NULL DEFAULT 0,"
  "  displaced INTEGER NOT NULL DEFAULT 0,"
  "  held INTEGER NOT NULL DEFAULT 0,"
  "  planned_seconds INTEGER NOT NULL DEFAULT 0,"
  "  actual_seconds INTEGER NOT NULL DEFAULT 0,"
  "  present INTEGER NOT NULL DEFAULT 0,"
  "  invited INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (dim, day, key)) WITHOUT ROWID;"
  "DELETE FROM stats_rollup;"
  "CREATE TABLE IF NOT EXISTS stats_rollup_dirty (day INTEGER PRIMARY KEY);"
  "DELETE FROM stats_rollup_dirty;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_meeting_insert"
  " AFTER INSERT ON meetings BEGIN "
  MARK_DIRTY ("NEW.start_at")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_meeting_update"
  " AFTER UPDATE OF unit, start_at, end_at, status, held, actual_seconds, present_count,"
  " invited_count ON meetings WHEN OLD.unit IS NOT NEW.unit"
  " OR OLD.start_at IS NOT NEW.start_at OR OLD.end_at IS NOT NEW.end_at"
  " OR OLD.status IS NOT NEW.status OR OLD.held IS NOT NEW.held"
  " OR OLD.actual_seconds IS NOT NEW.actual_seconds"
  " OR OLD.present_count IS NOT NEW.present_count"
  " OR OLD.invited_count IS NOT NEW.invited_count BEGIN "
  MARK_DIRTY ("OLD.start_at")
  MARK_DIRTY ("NEW.start_at")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_meeting_delete"
  " AFTER DELETE ON meetings BEGIN "
  MARK_DIRTY ("OLD.start_at")
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_room_insert"
  " AFTER INSERT ON meeting_endpoints BEGIN "
  MARK_DIRTY (MEETING_START_OF ("NEW"))
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_room_update"
  " AFTER UPDATE OF meeting_id, endpoint, active ON meeting_endpoints"
  " WHEN OLD.meeting_id IS NOT NEW.meeting_id OR OLD.endpoint IS NOT NEW.endpoint"
  " OR OLD.active IS NOT NEW.active BEGIN "
  MARK_DIRTY (MEETING_START_OF ("OLD"))
  MARK_DIRTY (MEETING_START_OF ("NEW"))
  "END;"

  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_room_delete"
  " AFTER DELETE ON meeting_endpoints BEGIN "
  MARK_DIRTY (MEETING_START_OF ("OLD"))
  "END;"

  /* A room that changes level moves every meeting it was in. */
  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_endpoint_level"
  " AFTER UPDATE OF level ON endpoints WHEN OLD.level IS NOT NEW.level BEGIN "
  "INSERT OR IGNORE INTO stats_rollup_dirty (day)"
  " SELECT DISTINCT " DIRTY_DAY_OF ("m.start_at")
  " FROM meeting_endpoints me JOIN meetings m ON m.id = me.meeting_id, stats_rollup_meta r"
  " WHERE me.endpoint = NEW.code AND r.id = 1;"
  "END;";

/* Schema v5: the roster over time (issue #16).
 *  - units gain level, parent, valid_from, valid_to and successor;
 *  - endpoints gain valid_from, valid_to and successor, and their level may
 *    now also be 'central': the table is rebuilt (SQLite cannot change a
 *    CHECK in place) with the rowids kept, so that the roster order stays.
 *    db_migrate() turns foreign keys off around this step, as SQLite's
 *    documented procedure for a table rebuild requires;
 *  - valid_from/valid_to: [from, to) in seconds since the epoch, NULL for
 *    "always" / "still valid". Nothing is deleted: a dissolved unit or a
 *    closed room keeps its row with valid_to set;
 *  - successor: whom the statistics attribute its meetings to once its
 *    period is over (units: required when a unit ends);
 *  - roster_changes: one row per changed attribute of a unit or room (its
 *    old and new value and the date it took effect), so that the roster
 *    page shows each one's history and statistics can name a unit or give
 *    a room's level as they were at a date;
 *  - reorganisations: every applied reorganisation file, its SHA-256
 *    (UNIQUE: the same file is never applied twice) and its summary. */
static const gchar schema_v5[] =
  "ALTER TABLE units ADD COLUMN level TEXT;"
  "ALTER TABLE units ADD COLUMN parent TEXT REFERENCES units(code);"
  "ALTER TABLE units ADD COLUMN valid_from INTEGER;"
  "ALTER TABLE units ADD COLUMN valid_to INTEGER;"
  "ALTER TABLE units ADD COLUMN successor TEXT REFERENCES units(code);"
  "CREATE TABLE endpoints_v5 ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  level TEXT NOT NULL"
  "    CHECK (level IN ('central','province','district','department','commune')),"
  "  unit TEXT REFERENCES units(code),"
  "  parent TEXT REFERENCES endpoints(code),"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  valid_from INTEGER,"
  "  valid_to INTEGER,"
  "  successor TEXT REFERENCES endpoints(code));"
  "INSERT INTO endpoints_v5 (rowid, code, name, level, unit, parent, deleted)"
  "  SELECT rowid, code, name, level, unit, parent, deleted FROM endpoints;"
  "DROP TABLE endpoints;"
  "ALTER TABLE endpoints_v5 RENAME TO endpoints;"
  /* Dropped with the old table. A room's level without a history (a
   * PATCH of a room no reorganisation changed) moves every meeting it was
   * in, as in v4. Once roster_changes holds its level changes (a
   * reorganisation writes them before it changes the room), the statistics
   * read the level a meeting's room had at its start (sched-stats-sql.h),
   * so only meetings from the last of those changes on can move: the days
   * of every meeting from then on are marked, from the meetings_by_start
   * index, without a scan of meeting_endpoints per room (which made a
   * reorganisation of 42 rooms over 1,000,000 meetings take minutes). */
  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_endpoint_level"
  " AFTER UPDATE OF level ON endpoints WHEN OLD.level IS NOT NEW.level AND NOT EXISTS"
  " (SELECT 1 FROM roster_changes h WHERE h.kind = 'endpoint' AND h.code = NEW.code"
  "  AND h.change = 'level') BEGIN "
  "INSERT OR IGNORE INTO stats_rollup_dirty (day)"
  " SELECT DISTINCT " DIRTY_DAY_OF ("m.start_at")
  " FROM meeting_endpoints me JOIN meetings m ON m.id = me.meeting_id, stats_rollup_meta r"
  " WHERE me.endpoint = NEW.code AND r.id = 1;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_endpoint_level_since"
  " AFTER UPDATE OF level ON endpoints WHEN OLD.level IS NOT NEW.level AND EXISTS"
  " (SELECT 1 FROM roster_changes h WHERE h.kind = 'endpoint' AND h.code = NEW.code"
  "  AND h.change = 'level') BEGIN "
  "INSERT OR IGNORE INTO stats_rollup_dirty (day)"
  " SELECT DISTINCT " DIRTY_DAY_OF ("m.start_at")
  " FROM meetings m, stats_rollup_meta r WHERE r.id = 1 AND m.start_at >="
  " (SELECT max(h.at) FROM roster_changes h WHERE h.kind = 'endpoint' AND h.code = NEW.code"
  "  AND h.change = 'level');"
  "END;"
  "CREATE TABLE reorganisations ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  checksum TEXT NOT NULL UNIQUE,"
  "  effective_at INTEGER NOT NULL,"
  "  applied_at INTEGER NOT NULL,"
  "  applied_by TEXT NOT NULL,"
  "  summary TEXT);"
  "CREATE TABLE roster_changes ("
  "  id INTEGER PRIMARY KEY,"
  "  reorganisation_id INTEGER REFERENCES reorganisations(id),"
  "  at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('unit','endpoint')),"
  "  code TEXT NOT NULL,"
  "  change TEXT NOT NULL"
  "    CHECK (change IN ('created','ended','name','level','parent','unit','successor')),"
  "  old_value TEXT,"
  "  new_value TEXT);"
  "CREATE INDEX roster_changes_by_code ON roster_changes(kind, code, change, at);"
  /* the statistics read a room's level as it was: a rebuild of the rollup */
  "DELETE FROM stats_rollup_meta;";

/* Schema v10: a meeting's link to a higher-level (central) conference (issue
 * #15, part 3; scheduler/sched-uplink.c): one row per meeting that has one,
 * the parent room's signalling URL and the link token the central site gave,
 * kept as text because the scheduler posts it to its bridge again whenever
 * the room is opened again (the token is the central site's credential for
 * one room, and is never shown by the API). */
static const gchar schema_v10[] =
  "CREATE TABLE meeting_uplinks ("
  "  meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id),"
  "  signal_url TEXT NOT NULL,"
  "  token TEXT NOT NULL,"
  "  set_by TEXT NOT NULL,"
  "  set_at INTEGER NOT NULL);";

/* Schema v6: holidays entered by an administrator (issue #17), merged over
 * the holiday file (sched-holidays.c): one row per entry, a local date or
 * an inclusive range of dates 'YYYY-MM-DD' (text, so that they compare in
 * order), its Vietnamese name and an optional English one, and whether it
 * is official or provisional. Entries never overlap (checked by the model
 * in the writer's transaction). */
static const gchar schema_v6[] =
  "CREATE TABLE holidays ("
  "  id INTEGER PRIMARY KEY,"
  "  first_day TEXT NOT NULL,"
  "  last_day TEXT NOT NULL CHECK (last_day >= first_day),"
  "  name TEXT NOT NULL,"
  "  name_en TEXT,"
  "  official INTEGER NOT NULL DEFAULT 1 CHECK (official IN (0, 1)),"
  "  updated_by TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX holidays_by_day ON holidays(first_day, last_day);";

/* Schema v7: recordings (issue #18).
 *  - meetings.record: whether the bridge records the meeting's room;
 *  - units.record_default: the unit's default for new bookings, NULL for
 *    [recordings] default_record;
 *  - recordings: one row per segment fetched from the bridge
 *    (scheduler/agents/sched-recordings.c). name is the bridge's file name,
 *    checked before use; the file is <[recordings] directory>/<meeting_id>/
 *    <name>. deleted_at/deleted_by: removed by an admin or by retention (the
 *    row stays for the audit and the statistics' recorded hours are of
 *    rows not deleted). seconds is the segment's length, started_at its
 *    first frame (seconds since the epoch). */
static const gchar schema_v7[] =
  "ALTER TABLE meetings ADD COLUMN record INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE units ADD COLUMN record_default INTEGER;"
  "CREATE TABLE recordings ("
  "  id INTEGER PRIMARY KEY,"
  "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
  "  segment INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  bytes INTEGER NOT NULL,"
  "  seconds REAL NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  fetched_at INTEGER NOT NULL,"
  "  deleted_at INTEGER,"
  "  deleted_by TEXT,"
  "  UNIQUE (meeting_id, name));"
  "CREATE INDEX recordings_by_started ON recordings(started_at) WHERE deleted_at IS NULL;";

/* Schema v8: the statistics rollup also sums each meeting once per room it
 * counts under in the statistics by successor (dim 'endpoint-successor',
 * sched-stats-rollup.c), every room followed along its chain of successors
 * as the roster now stands. A room that ends (or gets another successor)
 * changes that mapping for all past days: every day with a meeting is
 * marked (the days of the rollup's own unit rows), and the next statistics
 * request refreshes them in the background (sched-stats-refresher.c). The
 * meta row goes: the next start rebuilds the rollup with the new dim. */
static const gchar schema_v8[] =
  "CREATE TRIGGER IF NOT EXISTS stats_rollup_dirty_endpoint_successor"
  " AFTER UPDATE OF successor, valid_to ON endpoints"
  " WHEN OLD.successor IS NOT NEW.successor OR OLD.valid_to IS NOT NEW.valid_to BEGIN "
  "INSERT OR IGNORE INTO stats_rollup_dirty (day)"
  " SELECT DISTINCT day FROM stats_rollup WHERE dim = 'unit';"
  "END;"
  "DELETE FROM stats_rollup_meta;";

/* Schema v9: the statistics rollup's sums per local calendar month
 * (stats_rollup_month: the same dims and keys as stats_rollup, month =
 * year * 12 + month - 1), so that a year's query reads about twelve rows
 * per key instead of 365, and the time up to which the rollup counted
 * every change (stats_rollup_meta.refreshed_at), which a statistics
 * answer read from a rollup still being refreshed reports as "as_of".
 * Both are filled by the reports code (sched-stats-rollup.c) at the next
 * start: the month rows from the day rows, without recounting the
 * meetings. */
static const gchar schema_v9[] =
  "CREATE TABLE IF NOT EXISTS stats_rollup_month ("
  "  dim TEXT NOT NULL,"
  "  month INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  booked INTEGER NOT NULL DEFAULT 0,"
  "  cancelled INTEGER NOT NULL DEFAULT 0,"
  "  displaced INTEGER NOT NULL DEFAULT 0,"
  "  held INTEGER NOT NULL DEFAULT 0,"
  "  planned_seconds INTEGER NOT NULL DEFAULT 0,"
  "  actual_seconds INTEGER NOT NULL DEFAULT 0,"
  "  present INTEGER NOT NULL DEFAULT 0,"
  "  invited INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (dim, month, key)) WITHOUT ROWID;"
  "ALTER TABLE stats_rollup_meta ADD COLUMN refreshed_at INTEGER;";
/* clang-format on */

void
sched_db_set_error (SchedDb *db, GError **error, const gchar *what)
{
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "database: %s: %s", what,
               sqlite3_errmsg (db->handle));
}

gboolean
sched_db_exec (SchedDb *db, const gchar *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "database: %s",
                   message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gint
db_user_version (SchedDb *db)
{
  sqlite3_stmt *stmt = NULL;
  gint version = -1;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* v5 rebuilds the endpoints table, which meetings, their rooms, attendance
 * and tokens reference: foreign keys are off during the step (the caller
 * turned them off before its transaction, where the pragma has effect) and
 * checked before the commit. */
static gboolean
db_migrate_v5 (SchedDb *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!sched_db_exec (db, schema_v5, error))
    return FALSE;
  if (sqlite3_prepare_v2 (db->handle, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      sched_db_set_error (db, error, "foreign_key_check");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL,
                   "database: a reference is broken after the schema v5 upgrade");
      return FALSE;
    }
  return TRUE;
}

static gboolean db_migrate_steps (SchedDb *db, gint version, GError **error);

static gboolean
db_migrate (SchedDb *db, GError **error)
{
  gint version = db_user_version (db);

  if (version < 0)
    {
      sched_db_set_error (db, error, "reading user_version");
      return FALSE;
    }
  if (version > SCHED_DB_SCHEMA_VERSION)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL,
                   "database schema version %d is newer than this program (%d)", version,
                   SCHED_DB_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == SCHED_DB_SCHEMA_VERSION)
    return TRUE;

  /* Only outside a transaction does this pragma take effect (v5). */
  if (!sched_db_exec (db, "PRAGMA foreign_keys = OFF", error))
    return FALSE;
  if (!db_migrate_steps (db, version, error))
    {
      sched_db_exec (db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  return sched_db_exec (db, "PRAGMA foreign_keys = ON", error);
}

static gboolean
db_migrate_steps (SchedDb *db, gint version, GError **error)
{
  if (!sched_db_begin_immediate (db, error))
    return FALSE;
  if (version < 1 && !sched_db_exec (db, schema_v1, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 2 && !sched_db_exec (db, schema_v2, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 3 && !sched_db_exec (db, schema_v3, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 4 && !sched_db_exec (db, schema_v4, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 5 && !db_migrate_v5 (db, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 6 && !sched_db_exec (db, schema_v6, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 7 && !sched_db_exec (db, schema_v7, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 8 && !sched_db_exec (db, schema_v8, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 9 && !sched_db_exec (db, schema_v9, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  if (version < 10 && !sched_db_exec (db, schema_v10, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  /* Later versions: if (version < 11) … */
  g_autofree gchar *set = g_strdup_printf ("PRAGMA user_version = %d", SCHED_DB_SCHEMA_VERSION);
  if (!sched_db_exec (db, set, error))
    {
      sched_db_rollback (db);
      return FALSE;
    }
  return sched_db_commit (db, error);
}

SchedDb *
sched_db_open (const gchar *path, GError **error)
{
  g_autoptr (SchedDb) db = g_new0 (SchedDb, 1);

  g_return_val_if_fail (path != NULL, NULL);

  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, db_statement_free);
  db->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &db->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INTERNAL, "cannot open database %s: %s", path,
                   db->handle ? sqlite3_errmsg (db->handle) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 5000);
  if (!sched_db_exec (db,
                      "PRAGMA journal_mode = WAL;"
                      "PRAGMA synchronous = FULL;"
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA temp_store = MEMORY;"
                      /* 64 MiB of page cache instead of 2 MiB: the index
                       * pages the booking checks visit stay in memory
                       * instead of being read again (6 preads per booking
                       * with 100,000 meetings stored). */
                      "PRAGMA cache_size = -65536;"
                      /* Checkpoint every 10,000 WAL pages instead of 1,000: hot
                       * index and rollup pages are copied back once per many
                       * bookings (bench/scheduler: p99 about halved). */
                      "PRAGMA wal_autocheckpoint = 10000;"
                      "PRAGMA journal_size_limit = 67108864;",
                      error))
    return NULL;
  if (!db_migrate (db, error))
    return NULL;
  return g_steal_pointer (&db);
}

void
sched_db_close (SchedDb *db)
{
  if (db == NULL)
    return;
  /* The syncer's last pass first; closing the last connection then
   * checkpoints what is left. */
  g_clear_pointer (&db->syncer, sched_db_syncer_stop);
  g_clear_pointer (&db->statements, g_hash_table_destroy);
  g_free (db->path);
  if (db->handle)
    sqlite3_close (db->handle);
  g_free (db);
}

gboolean
sched_db_set_sync (SchedDb *db, SchedDbSync mode, gint interval_ms, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  g_clear_pointer (&db->syncer, sched_db_syncer_stop);
  if (mode == SCHED_DB_SYNC_FULL)
    return sched_db_exec (db, "PRAGMA synchronous = FULL", error);
  db->syncer = sched_db_syncer_start (db->path, interval_ms, error);
  if (db->syncer == NULL)
    return FALSE;
  return sched_db_exec (db, "PRAGMA synchronous = NORMAL", error);
}

SchedDbSyncer *
sched_db_get_syncer (SchedDb *db)
{
  return db->syncer;
}

sqlite3 *
sched_db_handle (SchedDb *db)
{
  return db->handle;
}

sqlite3_stmt *
sched_db_prepare (SchedDb *db, const gchar *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      sched_db_set_error (db, error, "prepare");
      g_debug ("failed SQL: %s", sql);
      return NULL;
    }
  g_hash_table_insert (db->statements, (gpointer)sql, stmt);
  return stmt;
}

gboolean
sched_db_run (SchedDb *db, const gchar *sql, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (!sched_db_step_done (db, stmt, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sched_db_begin_immediate (SchedDb *db, GError **error)
{
  return sched_db_run (db, "BEGIN IMMEDIATE", error);
}

gboolean
sched_db_commit (SchedDb *db, GError **error)
{
  if (sched_db_run (db, "COMMIT", error))
    return TRUE;
  sched_db_rollback (db);
  return FALSE;
}

void
sched_db_rollback (SchedDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
sched_db_step_done (SchedDb *db, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  sched_db_set_error (db, error, "step");
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
sched_db_exists (SchedDb *db, const gchar *sql, const gchar *text, gboolean *exists, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sched_db_bind_text (stmt, 1, text);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sched_db_set_error (db, error, "lookup");
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

void
sched_db_bind_text (sqlite3_stmt *stmt, int index, const gchar *text)
{
  if (text)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
sched_db_bind_bound (sqlite3_stmt *stmt, int index, gint64 value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

const gchar *
sched_db_column_text (sqlite3_stmt *stmt, int index)
{
  return (const gchar *)sqlite3_column_text (stmt, index);
}

gboolean
sched_db_ping (SchedDb *db)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, "SELECT 1", NULL);
  gboolean ok = stmt && sqlite3_step (stmt) == SQLITE_ROW;

  if (stmt)
    sqlite3_reset (stmt);
  return ok;
}

gboolean
sched_db_data_version (SchedDb *db, gint64 *version, GError **error)
{
  sqlite3_stmt *stmt = sched_db_prepare (db, "PRAGMA data_version", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sched_db_set_error (db, error, "data_version");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}
