"""Path helpers. Every client-supplied file name goes through resolve_under."""

import os


class UnsafePath(ValueError):
    """The requested name points outside the allowed directory."""


def resolve_under(root: str, name: str) -> str:
    """Absolute path of ``name`` inside ``root``; raises UnsafePath if it escapes."""
    base = os.path.realpath(root)
    full = os.path.realpath(os.path.join(base, name))
    if os.path.commonpath([base, full]) != base:
        raise UnsafePath(name)
    return full
