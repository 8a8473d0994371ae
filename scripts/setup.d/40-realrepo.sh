#!/usr/bin/env bash
# Sources of the realrepo suite (a few MB; CI validates only the tasks with `ci = true`), fetched from their
# registries into the cache ($SECCAL_REALREPO_CACHE, default ~/.cache/seccal/realrepo) and
# verified by SHA-256: PyPI sdists (pip download --no-deps --no-binary :all:), npm tarballs
# (npm pack), Debian bookworm-security source packages (apt-get source --download-only, which
# needs the deb-src entry written here). Later runs are offline. The whole suite is fetched here
# (planning a study that uses the suite needs every prompt, hence every source). Failures only warn: those tasks report
# 'unknown' with the reason.
set -euo pipefail
cd "$(dirname "$0")/../.."
VPY=${VPY:-.venv/bin/python}
log() { printf '\033[1;34m[setup:realrepo]\033[0m %s\n' "$*"; }

SRC=/etc/apt/sources.list.d/seccal-realrepo-src.sources
if [ "$(id -u)" = 0 ] && [ -d /etc/apt/sources.list.d ] && [ ! -f "$SRC" ]; then
  . /etc/os-release
  log "adding a deb-src entry for ${VERSION_CODENAME:-bookworm}-security ($SRC)"
  cat >"$SRC" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: ${VERSION_CODENAME:-bookworm}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  apt-get update -qq -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=/etc/apt/sources.list.d \
    || log "WARNING: apt-get update failed: Debian tasks report 'unknown'"
fi
start=$(date +%s)
"$VPY" -m seccal realrepo fetch || log "WARNING: some realrepo sources could not be fetched"
log "sources cached in $(( $(date +%s) - start )) s"
