"""The ``seccal`` command line.

Sub-commands live in modules of this package whose name ends in ``_cmd``; each
exposes ``register(app: typer.Typer) -> None``. Discovery keeps every command
in its own small module and this file free of imports of heavy subsystems.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console
from rich.markup import escape

from seccal import __version__
from seccal.errors import SeccalError

app = typer.Typer(
    name="seccal",
    help="Measure whether code LLMs know when their code is insecure (security calibration).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"seccal {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version."
    ),
) -> None:
    """seccal: security calibration of code LLMs."""


def _register_commands() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.endswith("_cmd"):
            module = importlib.import_module(f"{__name__}.{mod.name}")
            module.register(app)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``seccal`` console script."""
    try:
        app(args=argv, standalone_mode=True)
    except SeccalError as exc:
        # the message as written (a "[judge]" in it is not markup) and on one line, so
        # that a log file keeps it whole
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(2)
