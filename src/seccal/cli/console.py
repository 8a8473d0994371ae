"""The console every command prints its tables to.

Rich sizes a console to the terminal, and to 80 columns when output goes to a pipe,
a file or a test runner; tables of task ids and model names would then be cut with
an ellipsis. :func:`wide_console` keeps a terminal's width and gives anything else
140 columns.
"""

from __future__ import annotations

from rich.console import Console

__all__ = ["PIPE_WIDTH", "wide_console"]

#: Columns of a console that does not write to a terminal.
PIPE_WIDTH = 140


def wide_console() -> Console:
    """A console for tables: a terminal keeps its width, a pipe gets :data:`PIPE_WIDTH`."""
    plain = Console()
    return plain if plain.is_terminal else Console(width=PIPE_WIDTH)
