#!/usr/bin/env bash
# Pure-JavaScript npm packages that CWEval's JavaScript tasks require, installed into a
# world-readable folder the sandbox binds read-only (seccal.repo.cweval sets NODE_PATH).
# Location: $SECCAL_NODE_MODULES (default /opt/seccal/node). argon2 and sqlite3 are
# left out: they need native binaries downloaded outside the npm registry, so their
# two tasks report 'unknown' with the reason. Idempotent: a stamp of the list skips
# the install when nothing changed.
set -euo pipefail
DIR=${SECCAL_NODE_MODULES:-/opt/seccal/node}
PKGS=(escape-html@1.0.3 js-yaml@4.1.0 jsonwebtoken@9.0.2 lodash@4.17.21 node-rsa@1.1.1 jsdom@24.1.3 xpath@0.0.34)
log() { printf '\033[1;34m[setup:cweval-node]\033[0m %s\n' "$*"; }

if ! command -v npm >/dev/null; then
  log "WARNING: npm not found: CWEval JavaScript tasks needing packages report 'unknown'"
  exit 0
fi
stamp="$DIR/.seccal-packages"
want="${PKGS[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$DIR/node_modules" ]; then
  exit 0
fi
log "installing ${PKGS[*]} into $DIR"
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "${PKGS[@]}" >/dev/null \
  || { log "WARNING: npm install failed: affected CWEval JavaScript tasks report 'unknown'"; exit 0; }
chmod -R a+rX,go-w "$DIR"
d=$DIR
while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
echo "$want" >"$stamp"
