#!/bin/sh
# check-sql-in-model.sh — SQL lives in the model (issue #13): of scheduler/
# and tools/, only the model files (scheduler/sched-model-*.c), the database
# and migration code (sched-db.[ch], sched-db-syncer.c, sched-db-backup.c:
# whole-file copies) and the reports'
# query files (reports/sched-stats*.c, reports/sched-calendar.c) may call
# sqlite3 directly. Lists any other file that does, and fails.
set -eu
cd "${VC_SOURCE_DIR:?}"
bad=0
found=$(grep -rl sqlite3_ scheduler/ tools/ | sort)
for f in $found; do
  case "$f" in
    scheduler/sched-model-*.c | scheduler/sched-db.c | scheduler/sched-db.h \
      | scheduler/sched-db-syncer.c | scheduler/sched-db-backup.c \
      | scheduler/reports/sched-stats*.c \
      | scheduler/reports/sched-calendar.c) ;;
    *)
      echo "sqlite3 outside the model: $f (read and write rows through scheduler/sched-model-*.h)"
      bad=1
      ;;
  esac
done
# The check must be able to fail: the model itself has to show up.
case "$found" in
  *scheduler/sched-model-meeting.c*) ;;
  *) echo "grep found no model file: is VC_SOURCE_DIR the source tree?"; bad=1 ;;
esac
[ "$bad" = 0 ] && echo "sqlite3 only in: $(echo $found)"
exit $bad
