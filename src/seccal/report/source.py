"""Which input a path names: a run folder, a replication bundle or an export file."""

from __future__ import annotations

from pathlib import Path

from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError
from seccal.report.bundle import read_bundle
from seccal.report.data import BUNDLE_FILE, ReportInput, from_export, from_run_dir, read_config_file


def is_run_folder(path: str | Path) -> bool:
    """A folder with a run store and no bundle manifest."""
    p = Path(path)
    return p.is_dir() and (p / STORE_FILENAME).is_file() and not (p / BUNDLE_FILE).is_file()


def load_input(path: str | Path, *, config_path: str | Path | None = None) -> ReportInput:
    """Load a run folder, a replication bundle or an export file (chosen by what exists)."""
    p = Path(path)
    config = read_config_file(config_path) if config_path is not None else None
    if p.is_dir():
        if (p / BUNDLE_FILE).is_file():
            inp = read_bundle(p)
        elif (p / STORE_FILENAME).is_file():
            inp = from_run_dir(p)
        else:
            raise InputError(
                f"{p}: neither a run folder ({STORE_FILENAME}) nor a replication bundle "
                f"({BUNDLE_FILE})"
            )
        if config is not None:
            inp = ReportInput(inp.frame, config, inp.source, inp.repairs)
        return inp
    if not p.exists():
        raise InputError(f"{p}: no such run folder, bundle or export file")
    return from_export(p, config=config)
