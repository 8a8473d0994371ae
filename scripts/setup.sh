#!/usr/bin/env bash
# One-shot, idempotent set-up of everything seccal needs on a fresh Debian machine:
# system packages (sandbox, toolchains, browser), a virtual environment with seccal
# and all extras, then each step in scripts/setup.d/ in name order (sandbox runtime,
# task dependencies, ...). Safe to run again: finished steps are skipped quickly.
#
# SECCAL_SETUP=run (what `make run` sets) installs only what the embedded default study
# needs: the sandbox, seccal with the llama extra, the default model and the default sandbox
# environment; the steps whose header says `# setup: run`. Anything else (toolchains, the
# other suites' environments, the test extras) is installed by the full set-up
# (`make setup`, `make test`), which finishes what a `run` set-up left out.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${SECCAL_VENV:-$ROOT/.venv}
PY=${PYTHON:-python3}
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# --- system packages --------------------------------------------------------
PROFILE=${SECCAL_SETUP:-all}
case "$PROFILE" in
  all | run) ;;
  *) echo "SECCAL_SETUP must be 'all' or 'run', not '$PROFILE'" >&2; exit 2 ;;
esac
APT_PACKAGES=(bubblewrap python3-venv)
EXTRAS=llama
if [ "$PROFILE" = all ]; then
  # podman + runc + busybox-static: the AICGSecEval container judge's end-to-end test
  # (a local busybox image; crun cannot run containers on hybrid-cgroup machines, runc can)
  APT_PACKAGES+=(chromium cppcheck flawfinder golang-go default-jdk-headless podman runc busybox-static)
  EXTRAS=dev,openai,gemini,anthropic,llama,llama-server,ray
fi
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || log "WARNING: some Debian packages could not be installed; affected checks will report 'unknown'"
  else
    log "WARNING: not root or no apt-get: please install ${missing[*]} yourself"
  fi
fi

# Whether a step of scripts/setup.d/ belongs to this profile.
in_profile() { [ "$PROFILE" = all ] || grep -q '^# setup: run$' "$1"; }
# Steps whose header says `# setup: early` need no seccal environment: they run beside its
# build (the llama.cpp compile keeps both cores busy; these mostly download and unpack).
early=()
for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] && in_profile "$step" && grep -q '^# setup: early$' "$step" || continue
  log "step $(basename "$step") (beside the environment build)"
  SECCAL_SETUP="$PROFILE" bash "$step" &
  early+=("$!:$(basename "$step")")
done

# --- python environment -----------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
"$VPY" -m pip install -q --upgrade pip wheel setuptools >/dev/null

# llama-cpp-python builds from source; these flags avoid AMX kernels that crash on
# this CPU family (see DESIGN.md §7). pip caches the built wheel.
if ! "$VPY" -c "import llama_cpp" >/dev/null 2>&1; then
  log "building llama-cpp-python (first time: ~5-10 minutes)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_MTMD=OFF" \
    "$VPY" -m pip install -q "llama-cpp-python>=0.3"
fi

log "installing seccal with extras $EXTRAS"
"$VPY" -m pip install -q -e ".[$EXTRAS]"

# --- further steps (sandbox runtime, task environments, ...) -----------------
for job in "${early[@]}"; do
  wait "${job%%:*}" || { log "step ${job#*:} failed"; exit 1; }
done
for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] && in_profile "$step" || continue
  grep -q '^# setup: early$' "$step" && continue
  log "step $(basename "$step")"
  VENV="$VENV" VPY="$VPY" SECCAL_SETUP="$PROFILE" bash "$step"
done
log "done"
