#!/usr/bin/env bash
# Sandbox runtime for the judge: a world-readable virtual environment built on
# Debian's /usr/bin/python3.11 (the pyenv Python under /root is unreadable by the
# unprivileged sandbox uid), holding the packages of scripts/sandbox-requirements.txt.
# Location: $SECCAL_SANDBOX_VENV (default /opt/seccal/sandbox-venv). Idempotent: a
# stamp with the requirements' hash skips the install when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
SVENV=${SECCAL_SANDBOX_VENV:-/opt/seccal/sandbox-venv}
SPY=${SECCAL_SANDBOX_BASE_PYTHON:-/usr/bin/python3.11}
REQ=scripts/sandbox-requirements.txt
log() { printf '\033[1;34m[setup:sandbox]\033[0m %s\n' "$*"; }

if ! command -v bwrap >/dev/null; then
  log "WARNING: bubblewrap missing: verdicts will carry isolation='weak'"
fi
if [ ! -x "$SPY" ]; then
  log "WARNING: $SPY not found (apt-get install python3 python3-venv): the judge will report 'sandbox environment missing'"
  exit 0
fi
stamp="$SVENV/.seccal-requirements.sha256"
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$SVENV/bin/python" ]; then
  exit 0
fi
log "building sandbox environment $SVENV"
mkdir -p "$(dirname "$SVENV")"
[ -x "$SVENV/bin/python" ] || "$SPY" -m venv "$SVENV"
"$SVENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
# readable and executable by the unprivileged sandbox uid, writable by nobody else
chmod -R a+rX,go-w "$SVENV"
d=$SVENV
while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
echo "$want" >"$stamp"
log "sandbox environment ready"
