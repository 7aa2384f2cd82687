#!/bin/sh
# Every C file of the tree is formatted with the root .clang-format
# (docs/hacking.md, "Formatting"). Lists the files that are not, and fails.
set -eu
cd "${VC_SOURCE_DIR:?}"
bad=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*' -not -path './node_modules/*'); do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=1
  fi
done
[ "$bad" = 0 ] && echo "all C files formatted"
exit $bad
