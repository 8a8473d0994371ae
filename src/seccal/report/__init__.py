"""The report: one self-contained HTML file, figures (PNG, SVG) and tables (Markdown, LaTeX).

Computing is kept apart from drawing: :func:`compute_report` turns a results table and its
study config into a :class:`ReportModel`; :func:`write_report_files` draws and writes it.

Examples
--------
>>> from seccal.report import build_report  # doctest: +SKIP
>>> build_report("runs/default", "runs/default/report")  # doctest: +SKIP
PosixPath('runs/default/report/report.html')
"""

from __future__ import annotations

from pathlib import Path

from seccal.report.bundle import bundle_run, read_bundle, write_bundle
from seccal.report.compute import compute_report, options_from_config
from seccal.report.data import ReportInput, load_input
from seccal.report.model import Options, ReportModel
from seccal.report.render import write_report_files


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
    inp = load_input(src, config_path=config_path)
    if out_dir is None:
        out_dir = src / "report" if src.is_dir() else src.with_name(src.name + ".report")
    model = compute_report(inp, options=options_from_config(inp.config, n_boot=n_boot), title=title)
    return write_report_files(model, out_dir)


def write_report(run_dir: Path) -> Path:
    """The study runner's report stage: ``RUN_DIR/report/report.html``."""
    return build_report(run_dir, Path(run_dir) / "report")


__all__ = [
    "Options",
    "ReportInput",
    "ReportModel",
    "build_report",
    "bundle_run",
    "compute_report",
    "load_input",
    "options_from_config",
    "read_bundle",
    "write_bundle",
    "write_report",
    "write_report_files",
]
