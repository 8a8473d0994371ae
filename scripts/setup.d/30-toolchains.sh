#!/usr/bin/env bash
# Toolchains and C libraries for repository-level tasks (seccal.repo) and CWEval's
# C/C++/Go/JavaScript tasks: gcc/g++ (AddressSanitizer), node, the -dev packages
# CWEval's C/C++ references link against (OpenSSL, SQLite, libxml2, libjwt, libarchive),
# the Go sources its Go tasks import, and what SALLM's Dockerfiles install.
# golang-go, default-jdk-headless, cppcheck and flawfinder come from setup.sh itself.
# Idempotent: only missing Debian packages are installed. A package that cannot be
# installed only makes the affected tasks report 'unknown' with the reason.
set -euo pipefail
log() { printf '\033[1;34m[setup:toolchains]\033[0m %s\n' "$*"; }

PKGS=(gcc g++ libssl-dev libsqlite3-dev libxml2-dev libjwt-dev libarchive-dev)
# Go libraries CWEval's Go tasks import, as Debian source packages under /usr/share/gocode
# (seccal.repo.cweval_deps puts that tree on GOPATH).
PKGS+=(golang-github-golang-jwt-jwt-dev golang-github-christrenkamp-goxpath-dev
       golang-golang-x-crypto-dev golang-github-mattn-go-sqlite3-dev)
# Debian packages SALLM's Dockerfiles apt-get install that the host may lack (parity:
# `seccal tasks parity sallm` checks every one against the host).
PKGS+=(curl wget build-essential libffi-dev libxslt1-dev zlib1g-dev libjpeg-dev libwebp-dev)
command -v node >/dev/null || PKGS+=(nodejs)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq || true; apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
      || log "WARNING: could not install ${missing[*]}: affected repository/CWEval tasks report 'unknown'"
  else
    log "WARNING: not root or no apt-get: please install ${missing[*]} yourself"
  fi
fi
