/* sched-stats-sql.h — the SQL fragments that define the statistics.
 *
 * Shared by the raw queries (sched-stats.c) and the rollup's rebuild and
 * refresh (sched-stats-rollup.c) so that both count exactly the same way. All are
 * string literals, pasted at compile time: no SQL is built at run time.
 *
 * Column order everywhere: booked, cancelled, displaced, held,
 * planned_seconds, actual_seconds, present, invited. */
#pragma once

/* A meeting counts as held when two rooms joined (held = 1, maintained by
 * the attendance code) and it was neither cancelled nor displaced. */
#define STATS_SQL_IS_HELD(m) "(" m ".held = 1 AND " m ".status IN ('scheduled','ended'))"
#define STATS_SQL_IS_LIVE(m) "(" m ".status IN ('scheduled','ended'))"

/* clang-format off */
/* The eight contributions of one meeting row @m, each prefixed by @sign
 * ("" to add, "-" to subtract). */
#define STATS_SQL_VALUES(m, sign)                                                      \
  sign "1, "                                                                           \
  sign "(" m ".status = 'cancelled'), "                                                \
  sign "(" m ".status = 'displaced'), "                                                \
  sign STATS_SQL_IS_HELD (m) ", "                                                      \
  sign "(CASE WHEN " STATS_SQL_IS_LIVE (m) " THEN " m ".end_at - " m ".start_at"      \
       " ELSE 0 END), "                                                                \
  sign "(CASE WHEN " STATS_SQL_IS_HELD (m) " THEN " m ".actual_seconds ELSE 0 END), "  \
  sign "(CASE WHEN " STATS_SQL_IS_HELD (m) " THEN " m ".present_count ELSE 0 END), "   \
  sign "(CASE WHEN " STATS_SQL_IS_HELD (m) " THEN " m ".invited_count ELSE 0 END)"

/* The same eight, summed over the meeting rows @m of a query. */
#define STATS_SQL_SUMS(m)                                                              \
  "COUNT(*), "                                                                         \
  "SUM(" m ".status = 'cancelled'), "                                                  \
  "SUM(" m ".status = 'displaced'), "                                                  \
  "SUM(" STATS_SQL_IS_HELD (m) "), "                                                   \
  "SUM(CASE WHEN " STATS_SQL_IS_LIVE (m) " THEN " m ".end_at - " m ".start_at"        \
  " ELSE 0 END), "                                                                     \
  "SUM(CASE WHEN " STATS_SQL_IS_HELD (m) " THEN " m ".actual_seconds ELSE 0 END), "    \
  "SUM(CASE WHEN " STATS_SQL_IS_HELD (m) " THEN " m ".present_count ELSE 0 END), "     \
  "SUM(CASE WHEN " STATS_SQL_IS_HELD (m) " THEN " m ".invited_count ELSE 0 END)"
/* clang-format on */

/* A room of a meeting takes part in the per-room statistics while it is
 * active, and — since cancelling or displacing a meeting deactivates its
 * rooms — every room of a cancelled or displaced meeting does too. */
#define STATS_SQL_IS_MEMBER(me, m)                                                                 \
  "(" me ".active = 1 OR " m ".status IN ('cancelled','displaced'))"

/* The level room @e had at time @t (issue #16): the old value of its first
 * level change after @t (roster_changes), else its level today. A room
 * moved from the district to the commune level on 01/07/2025 counts as a
 * district room in the meetings before. */
#define STATS_SQL_LEVEL_AT(e, t)                                                                   \
  "coalesce((SELECT h.old_value FROM roster_changes h WHERE h.kind = 'endpoint'"                   \
  " AND h.code = " e ".code AND h.change = 'level' AND h.at > " t " ORDER BY h.at LIMIT 1), " e    \
  ".level)"

/* For a WITH RECURSIVE clause: the CTEs chain and @x(code, dest), every
 * room and the room it counts under in the statistics by successor as the
 * roster now stands, its chain of successors followed to the end (bounded
 * as in sched-stats-successor.c). */
#define STATS_SQL_ROOM_FINAL(x)                                                                    \
  " chain(code, dest, depth) AS (SELECT code, code, 0 FROM endpoints"                              \
  "  UNION ALL SELECT c.code, e.successor, c.depth + 1 FROM chain c"                               \
  "  JOIN endpoints e ON e.code = c.dest WHERE e.valid_to IS NOT NULL"                             \
  "  AND e.successor IS NOT NULL AND c.depth < 64),"                                               \
  " " x "(code, dest) AS (SELECT code, dest FROM (SELECT code, dest, max(depth)"                   \
  "  FROM chain GROUP BY code))"

/* The rollup's local day of a meeting row @m. */
#define STATS_SQL_DAY(m)                                                                           \
  "((" m ".start_at + (SELECT offset_seconds FROM stats_rollup_meta WHERE id = 1)) / 86400)"

#define STATS_SQL_ROLLUP_COLUMNS                                                                   \
  "dim, day, key, booked, cancelled, displaced, held, planned_seconds, actual_seconds, "           \
  "present, invited"

/* Local calendar months of the rollup (stats_rollup_month, schema v9):
 * month = year * 12 + month - 1 of the local day number @d (days since
 * 1970-01-01 at the rollup's offset), and the first local day of month
 * @mo. The C side (sched-stats.c) computes the same with GDate. */
#define STATS_SQL_MONTH_OF(d)                                                                      \
  "(CAST(strftime('%Y', (" d ") * 86400, 'unixepoch') AS INTEGER) * 12"                            \
  " + CAST(strftime('%m', (" d ") * 86400, 'unixepoch') AS INTEGER) - 1)"
#define STATS_SQL_MONTH_FIRST_DAY(mo)                                                              \
  "(unixepoch(printf('%04d-%02d-01', (" mo ") / 12, (" mo ") % 12 + 1)) / 86400)"

/* The month rows of the months @months (a SELECT whose column month
 * lists them) go, then are summed again from the day rows: an index range
 * per dim and month. Two statements. */
#define STATS_SQL_MONTHS_DELETE(months) "DELETE FROM stats_rollup_month WHERE month IN (" months ")"
#define STATS_SQL_MONTHS_INSERT(months)                                                            \
  "INSERT INTO stats_rollup_month (dim, month, key, booked, cancelled, displaced, held,"           \
  " planned_seconds, actual_seconds, present, invited)"                                            \
  " SELECT r.dim, mo.month, r.key, SUM(r.booked), SUM(r.cancelled), SUM(r.displaced),"             \
  " SUM(r.held), SUM(r.planned_seconds), SUM(r.actual_seconds), SUM(r.present), SUM(r.invited)"    \
  " FROM (SELECT DISTINCT month FROM (" months ")) mo"                                             \
  " JOIN (VALUES ('unit'), ('endpoint'), ('level'), ('levelset'), ('endpoint-successor')) dd"      \
  " JOIN stats_rollup r ON r.dim = dd.column1"                                                     \
  " AND r.day >= " STATS_SQL_MONTH_FIRST_DAY (                                                     \
      "mo.month") " AND r.day < " STATS_SQL_MONTH_FIRST_DAY ("mo.month + 1") " GROUP BY r.dim, "   \
                                                                             "mo.month, r.key"
