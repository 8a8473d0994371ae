"""The report: one self-contained HTML file, figures (PNG, SVG) and tables (Markdown, LaTeX).

The report renders a ``metrics.json`` document (:mod:`seccal.analysis`) and computes
nothing itself. A run folder's report renders the run's own ``metrics.json`` (the
analyze stage runs again first only when the store changed since, e.g. after
``seccal repair``); a replication bundle or an export table is first analysed by the
same function the analyze stage uses, then rendered.

Examples
--------
>>> from seccal.report import build_report  # doctest: +SKIP
>>> build_report("runs/default", "runs/default/report")  # doctest: +SKIP
PosixPath('runs/default/report/report.html')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seccal.analysis import analyze_frame, settings_from_config
from seccal.errors import InputError
from seccal.report.bundle import bundle_run, read_bundle, write_bundle
from seccal.report.data import ReportInput
from seccal.report.model import ReportModel, report_model
from seccal.report.render import write_report_files
from seccal.report.source import is_run_folder, load_input
from seccal.study.analyze import run_metrics


def input_metrics(inp: ReportInput, *, n_boot: int | None = None) -> dict[str, Any]:
    """The ``metrics.json`` document of a bundle or export table (the analyze stage's function)."""
    return analyze_frame(
        inp.frame,
        inp.config,
        repairs=inp.repairs,
        settings=settings_from_config(inp.config, n_boot=n_boot),
        source={"description": inp.source},
    )


def source_metrics(
    source: str | Path, *, config_path: str | Path | None = None, n_boot: int | None = None
) -> dict[str, Any]:
    """The document of a run folder (its ``metrics.json``), bundle or export file."""
    if is_run_folder(source) and config_path is None:
        return run_metrics(Path(source), n_boot=n_boot)
    return input_metrics(load_input(source, config_path=config_path), n_boot=n_boot)


def render_report(doc: Mapping[str, Any], out_dir: str | Path, *, title: str | None = None) -> Path:
    """Render a ``metrics.json`` document into ``out_dir``; return ``report.html``."""
    if not doc["primary"]:
        raise InputError(
            "no security confidence in the results yet (conf_security_verbal, "
            "conf_security_verbal_<variant> or conf_ptrue): nothing to report"
        )
    return write_report_files(report_model(doc, title=title), out_dir)


def build_report(
    source: str | Path,
    out_dir: str | Path | None = None,
    *,
    config_path: str | Path | None = None,
    n_boot: int | None = None,
    title: str | None = None,
) -> Path:
    """Build the report of a run folder, replication bundle or export file.

    Parameters
    ----------
    source : path
        Run folder, bundle folder or export file.
    out_dir : path, optional
        Output folder (default: ``SOURCE/report`` for folders, ``SOURCE.report`` beside a file).
    config_path : path, optional
        Study config (TOML or JSON) for an export file, which does not carry it.
    n_boot : int, optional
        Bootstrap resamples (default: the study's ``analysis.n_boot``).

    Returns
    -------
    Path
        The written ``report.html``.
    """
    src = Path(source)
    if out_dir is None:
        out_dir = src / "report" if src.is_dir() else src.with_name(src.name + ".report")
    doc = source_metrics(src, config_path=config_path, n_boot=n_boot)
    return render_report(doc, out_dir, title=title)


def write_report(run_dir: Path, doc: Mapping[str, Any]) -> Path:
    """The study runner's report stage: render ``doc`` into ``RUN_DIR/report/report.html``."""
    return render_report(doc, Path(run_dir) / "report")


__all__ = [
    "ReportInput",
    "ReportModel",
    "build_report",
    "bundle_run",
    "input_metrics",
    "load_input",
    "read_bundle",
    "render_report",
    "report_model",
    "source_metrics",
    "write_bundle",
    "write_report",
    "write_report_files",
]
