#!/usr/bin/env bash
# Sources of the realrepo suite, fetched from their registries into the cache
# ($SECCAL_REALREPO_CACHE, default ~/.cache/seccal/realrepo) and verified by SHA-256: PyPI
# sdists (pip download --no-deps --no-binary :all:), npm tarballs (npm pack), Debian
# bookworm-security source packages (apt-get source --download-only, which needs the deb-src
# entry written here, copied from the machine's own security entry). Later runs are offline.
# SECCAL_REALREPO_FETCH=all (what `make test` sets: planning a study with the suite needs every
# prompt) fetches the whole suite; the default fetches the tasks marked `ci = true`, so
# `make run` stays quick; any other task is fetched on first use. Failures only warn: those
# tasks report 'unknown' with the reason.
set -euo pipefail
cd "$(dirname "$0")/../.."
VPY=${VPY:-.venv/bin/python}
log() { printf '\033[1;34m[setup:realrepo]\033[0m %s\n' "$*"; }

SRC=/etc/apt/sources.list.d/seccal-realrepo-src.sources
if [ "$(id -u)" = 0 ] && [ -d /etc/apt/sources.list.d ] && [ ! -f "$SRC" ]; then
  # The security stanza of the machine's deb822 sources, as deb-src (same mirror, same keys).
  entry=$(for f in /etc/apt/sources.list.d/*.sources; do [ "$f" = "$SRC" ] || cat "$f"; echo; done \
    | awk 'BEGIN { RS = ""; ORS = "\n\n" } /Suites:[^\n]*-security/ { sub(/Types: *deb/, "Types: deb-src"); print }')
  if [ -n "$entry" ]; then
    log "adding a deb-src entry for the security suite ($SRC)"
    printf '%s\n' "$entry" >"$SRC"
    apt-get update -qq || log "WARNING: apt-get update failed: Debian tasks report 'unknown'"
  else
    log "WARNING: no deb822 security entry in /etc/apt/sources.list.d: Debian tasks report 'unknown'"
  fi
fi
start=$(date +%s)
scope=(--ci)
[ "${SECCAL_REALREPO_FETCH:-ci}" = all ] && scope=()
"$VPY" -m seccal realrepo fetch "${scope[@]}" || log "WARNING: some realrepo sources could not be fetched"
log "sources cached in $(( $(date +%s) - start )) s"
