#!/bin/sh
# check-bridge-includes.sh — the bridge uses the client library through its
# public headers only (issue #13): no file under media/bridge/ may include a
# private header of media/client/ (a *-private.h, e.g. vc-client-peer-private.h,
# which the client's own files share). What both sides need (payload types,
# caps, the signalling messages) is in public headers such as vc-media-wire.h
# and vc-signal.h. Lists every offending line and fails.
set -eu
cd "${VC_SOURCE_DIR:?}"
bad=0
private=$(cd media/client && ls -- *-private.h 2>/dev/null || true)
for header in $private; do
  hits=$(grep -rn --include='*.[ch]' "#[[:space:]]*include[[:space:]]*[\"<]\([^\">]*/\)\{0,1\}$header[\">]" media/bridge/ || true)
  if [ -n "$hits" ]; then
    echo "$hits" | sed "s|\$| (a private header of media/client/: use its public headers)|"
    bad=1
  fi
done
# The check must be able to fail: the client has a private header to look
# for, and the bridge's own includes are seen.
[ -n "$private" ] || { echo "no *-private.h in media/client/: is VC_SOURCE_DIR the source tree?"; bad=1; }
grep -rq --include='*.[ch]' '#include "vc-media-wire.h"' media/bridge/ \
  || { echo "grep saw no include of the client's public vc-media-wire.h in media/bridge/"; bad=1; }
[ "$bad" = 0 ] && echo "media/bridge/ includes none of: $(echo $private)"
exit $bad
