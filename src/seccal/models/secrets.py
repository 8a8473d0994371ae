"""Keep API keys out of messages: every error text passes through :func:`redact`."""

from __future__ import annotations

import os
import re

# Environment variables whose values are credentials.
_SECRET_NAME = re.compile(r"(API_KEY|_KEY|TOKEN|SECRET|PASSWORD)$", re.IGNORECASE)
# Shapes of common keys, redacted even when not in the environment (e.g. echoed by a server).
_KEY_SHAPES = re.compile(
    r"\b(sk-[A-Za-z0-9_\-]{8,}|AIza[0-9A-Za-z_\-]{20,}|sk-ant-[A-Za-z0-9_\-]{8,})"
)


def secret_values(extra_env: tuple[str, ...] = ()) -> list[str]:
    """Values of credential-like environment variables (and ``extra_env``), longest first."""
    names = {n for n in os.environ if _SECRET_NAME.search(n)} | set(extra_env)
    values = {os.environ[n] for n in names if len(os.environ.get(n, "")) >= 6}
    return sorted(values, key=len, reverse=True)


def redact(text: str, extra_env: tuple[str, ...] = ()) -> str:
    """Replace every credential value and key-shaped string in ``text`` with ``[REDACTED]``."""
    for value in secret_values(extra_env):
        text = text.replace(value, "[REDACTED]")
    return _KEY_SHAPES.sub("[REDACTED]", text)
