/* sched-test-schema-v4.h — turns a database of the current schema back
 * into the shape schema v4 had (units without level, parent, period and
 * successor; endpoints without period and successor, and without the
 * 'central' level; no roster_changes or reorganisations; no holidays of
 * schema v6; no recordings and no meetings.record or units.record_default of
 * schema v7; no stats_rollup_month or stats_rollup_meta.refreshed_at of
 * schema v9; no meeting_uplinks of schema v10), with its rows
 * kept, so that the upgrade tests open a real old database. Run it with
 * sched_db_exec() outside a transaction (the foreign_keys pragma only
 * takes effect there). */
#pragma once

/* clang-format off */
#define SCHED_TEST_SCHEMA_V4_SHAPE                                                     \
  "PRAGMA foreign_keys = OFF;"                                                         \
  "CREATE TABLE units_v4 (code TEXT PRIMARY KEY, name TEXT NOT NULL,"                  \
  "  priority INTEGER NOT NULL DEFAULT 0);"                                            \
  "INSERT INTO units_v4 SELECT code, name, priority FROM units;"                       \
  "DROP TABLE units;"                                                                  \
  "ALTER TABLE units_v4 RENAME TO units;"                                              \
  "CREATE TABLE endpoints_v4 (code TEXT PRIMARY KEY, name TEXT NOT NULL,"              \
  "  level TEXT NOT NULL CHECK (level IN ('province','district','department','commune')),"\
  "  unit TEXT REFERENCES units(code), parent TEXT REFERENCES endpoints(code),"        \
  "  deleted INTEGER NOT NULL DEFAULT 0);"                                             \
  "INSERT INTO endpoints_v4 (rowid, code, name, level, unit, parent, deleted)"         \
  "  SELECT rowid, code, name, level, unit, parent, deleted FROM endpoints;"           \
  "DROP TABLE endpoints;"                                                              \
  "ALTER TABLE endpoints_v4 RENAME TO endpoints;"                                      \
  "CREATE TRIGGER stats_rollup_dirty_endpoint_level"                                   \
  " AFTER UPDATE OF level ON endpoints WHEN OLD.level IS NOT NEW.level BEGIN "         \
  "INSERT OR IGNORE INTO stats_rollup_dirty (day)"                                     \
  " SELECT DISTINCT ((m.start_at) + r.offset_seconds) / 86400"                         \
  " FROM meeting_endpoints me JOIN meetings m ON m.id = me.meeting_id, stats_rollup_meta r"\
  " WHERE me.endpoint = NEW.code AND r.id = 1;"                                        \
  "END;"                                                                               \
  "DROP TABLE roster_changes;"                                                         \
  "DROP TABLE reorganisations;"                                                        \
  "DROP TABLE holidays;"                                                               \
  "DROP TABLE recordings;"                                                             \
  "DROP TABLE meeting_uplinks;"                                                        \
  "ALTER TABLE meetings DROP COLUMN record;"                                           \
  "DROP TABLE stats_rollup_month;"                                                     \
  "ALTER TABLE stats_rollup_meta DROP COLUMN refreshed_at;"                            \
  "PRAGMA foreign_keys = ON;"                                                          \
  "PRAGMA user_version = 4;"
/* clang-format on */
