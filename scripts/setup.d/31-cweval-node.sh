#!/usr/bin/env bash
# npm packages that CWEval's JavaScript tasks require, installed into a world-readable
# folder the sandbox binds read-only (seccal.repo.cweval sets NODE_PATH).
# Location: $SECCAL_NODE_MODULES (default /opt/seccal/node). Idempotent: a stamp of the
# list skips the install when nothing changed.
# - js-yaml 3.x: CWEval's cwe_502_0 unsafe reference loads with `yaml.DEFAULT_SCHEMA`,
#   which is js-yaml 3's full (unsafe, !!js/function) schema when unset; js-yaml 4 made
#   the default safe, so under 4.x the unsafe reference is not unsafe at all.
# - sqlite3 (cwe_943_0): Debian's node-sqlite3 is built for Debian's node 18 and cannot
#   be installed beside this machine's node; npm's package is compiled here from its
#   bundled SQLite against the installed node's headers (--build-from-source: no
#   prebuilt binary is downloaded). A few minutes on 2 cores, once.
# - argon2 (cwe_327_1) stays out: it needs a prebuilt binary from outside the registry;
#   that task reports 'unknown' with the reason.
set -euo pipefail
DIR=${SECCAL_NODE_MODULES:-/opt/seccal/node}
PKGS=(escape-html@1.0.3 js-yaml@3.14.1 jsonwebtoken@9.0.2 lodash@4.17.21 node-rsa@1.1.1 jsdom@24.1.3 xpath@0.0.34 sqlite3@5.1.7)
NODEDIR=${SECCAL_NODE_HEADERS:-/usr}
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
build=()
[ -f "$NODEDIR/include/node/node_api.h" ] && build=(--build-from-source "--nodedir=$NODEDIR")
npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "${build[@]}" "${PKGS[@]}" >/dev/null \
  || { log "WARNING: npm install failed: affected CWEval JavaScript tasks report 'unknown'"; exit 0; }
chmod -R a+rX,go-w "$DIR"
d=$DIR
while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
echo "$want" >"$stamp"
