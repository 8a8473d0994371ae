#!/usr/bin/env bash
# Sandbox runtimes for the judge: world-readable virtual environments built on
# Debian's /usr/bin/python3.11 (the pyenv Python under /root is unreadable by the
# unprivileged sandbox uid). One environment per requirements file:
#   default  scripts/sandbox-requirements.txt        $SECCAL_SANDBOX_VENV       (/opt/seccal/sandbox-venv)
#   sallm    scripts/sandbox-requirements-sallm.txt  $SECCAL_SANDBOX_VENV_SALLM (/opt/seccal/sandbox-venv-sallm)
# Idempotent: a stamp with the requirements' hash skips an install when nothing changed.
# A `run` set-up builds the default environment only (the built-in suite's).
# It needs no seccal environment, so it runs beside that environment's build.
# setup: run
# setup: early
set -euo pipefail
cd "$(dirname "$0")/../.."
SPY=${SECCAL_SANDBOX_BASE_PYTHON:-/usr/bin/python3.11}
log() { printf '\033[1;34m[setup:sandbox]\033[0m %s\n' "$*"; }

if ! command -v bwrap >/dev/null; then
  log "WARNING: bubblewrap missing: verdicts will carry isolation='weak'"
fi
if [ ! -x "$SPY" ]; then
  log "WARNING: $SPY not found (apt-get install python3 python3-venv): the judge will report 'sandbox environment missing'"
  exit 0
fi

build_env() {  # build_env VENV REQUIREMENTS
  local svenv=$1 req=$2
  local stamp="$svenv/.seccal-requirements.sha256"
  local want
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$svenv/bin/python" ]; then
    return 0
  fi
  log "building sandbox environment $svenv from $req"
  mkdir -p "$(dirname "$svenv")"
  [ -x "$svenv/bin/python" ] || "$SPY" -m venv "$svenv"
  "$svenv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  # readable and executable by the unprivileged sandbox uid, writable by nobody else
  chmod -R a+rX,go-w "$svenv"
  local d=$svenv
  while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
  echo "$want" >"$stamp"
  log "sandbox environment $svenv ready"
}

build_env "${SECCAL_SANDBOX_VENV:-/opt/seccal/sandbox-venv}" scripts/sandbox-requirements.txt
[ "${SECCAL_SETUP:-all}" = run ] && exit 0
build_env "${SECCAL_SANDBOX_VENV_SALLM:-/opt/seccal/sandbox-venv-sallm}" scripts/sandbox-requirements-sallm.txt
