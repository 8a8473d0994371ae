"""Replication bundles: everything needed to rebuild a study's report on another machine.

A bundle is a folder::

    bundle.json        format version, creation time, source, sha256 of every file
    config.json        the study config
    results.parquet    the results table (one row per generation; exact dtypes)
    results.csv        the same table as text, for any other tool
    repairs.parquet    repair outcomes (when repair was run)
    store/*.jsonl      raw store tables: tasks, generations, confidences, verdicts, metrics
    versions.json      seccal and library versions
    environment.json   platform, Python, CPUs (never environment variables: they hold keys)

``seccal report BUNDLE`` rebuilds the same report as ``seccal report RUN`` (identical
apart from the creation time and the input path).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from seccal.core.schema import STORE_FILENAME, TABLES
from seccal.errors import InputError
from seccal.report.data import BUNDLE_FILE, ReportInput, from_run_dir

FORMAT_VERSION = 1

_LIBRARIES = ("seccal", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "jinja2")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    """Versions of Python, seccal and the libraries the analysis depends on."""
    return {"python": sys.version.split()[0], **{n: _version(n) for n in _LIBRARIES}}


def environment() -> dict[str, Any]:
    """The machine, without environment variables (they may hold API keys)."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python_implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
    }


def _dump_store(store_path: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in TABLES:
            if table not in have:
                continue
            frame = pd.read_sql_query(f"SELECT * FROM {table} ORDER BY 1, 2", db)
            path = out / f"{table}.jsonl"
            frame.to_json(path, orient="records", lines=True, force_ascii=False)
            written.append(path)
    finally:
        db.close()
    return written


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_bundle(
    inp: ReportInput, out_dir: str | Path, *, store_path: str | Path | None = None
) -> Path:
    """Write a replication bundle of ``inp`` (plus the raw store tables when given).

    Returns the bundle folder. An existing bundle there is replaced file by file;
    a folder holding anything else is refused.
    """
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()) and not (out / BUNDLE_FILE).is_file():
        raise InputError(f"{out}: folder exists and is not a seccal bundle; choose another")
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []

    def dump_json(name: str, value: Any) -> None:
        path = out / name
        path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
        files.append(path)

    dump_json("config.json", inp.config)
    inp.frame.to_parquet(out / "results.parquet", index=False)
    inp.frame.to_csv(out / "results.csv", index=False, lineterminator="\n")
    files += [out / "results.parquet", out / "results.csv"]
    if inp.repairs is not None:
        inp.repairs.to_parquet(out / "repairs.parquet", index=False)
        files.append(out / "repairs.parquet")
    if store_path is not None:
        files += _dump_store(Path(store_path), out / "store")
    dump_json("versions.json", versions())
    dump_json("environment.json", environment())
    manifest = {
        "seccal_bundle": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": inp.source,
        "files": {str(p.relative_to(out)): _sha256(p) for p in files},
    }
    (out / BUNDLE_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return out


def bundle_run(run_dir: str | Path, out_dir: str | Path) -> Path:
    """Write the replication bundle of a run folder (what ``seccal export --bundle`` does)."""
    inp = from_run_dir(run_dir)
    return write_bundle(inp, out_dir, store_path=Path(run_dir) / STORE_FILENAME)


def read_bundle(bundle_dir: str | Path) -> ReportInput:
    """Read a bundle, checking its format version and every file's checksum."""
    d = Path(bundle_dir)
    try:
        manifest = json.loads((d / BUNDLE_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{d / BUNDLE_FILE}: cannot read bundle manifest: {exc}") from None
    if manifest.get("seccal_bundle") != FORMAT_VERSION:
        raise InputError(
            f"{d / BUNDLE_FILE}: bundle format {manifest.get('seccal_bundle')!r} is not "
            f"{FORMAT_VERSION}"
        )
    for name, digest in manifest.get("files", {}).items():
        path = d / name
        if not path.is_file():
            raise InputError(f"{d}: bundle file {name} is missing")
        if _sha256(path) != digest:
            raise InputError(f"{d}: bundle file {name} does not match its checksum (modified?)")
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    frame = pd.read_parquet(d / "results.parquet")
    repairs = pd.read_parquet(d / "repairs.parquet") if (d / "repairs.parquet").is_file() else None
    return ReportInput(
        frame=frame,
        config=config,
        source=f"replication bundle {d}",
        repairs=repairs,
    )
