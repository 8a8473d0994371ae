"""Draw and write a report model: one self-contained HTML file plus figures and tables.

Nothing is computed here: sections (:mod:`seccal.report.sections`) read the
``metrics.json`` document of the report model.

Layout of the output folder::

    report.html          self-contained: CSS and SVG figures inline, no network access
    metrics.json         the document every number shown comes from (docs/metrics-schema.md)
    figures/NAME.png     each figure as PNG ...
    figures/NAME.svg     ... and SVG
    tables/NAME.md       each table as Markdown ...
    tables/NAME.tex      ... and LaTeX (booktabs)
"""

from __future__ import annotations

from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from seccal.analysis.document import write_metrics
from seccal.report import tables as T
from seccal.report.model import ReportModel
from seccal.report.sections import Section, build_sections


def _fmt(x: Any, digits: int = 3) -> str:
    return T.fmt(x, digits)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _ci(cell: str) -> Markup:
    """Show a ``value [lo, hi]`` cell with the interval de-emphasised."""
    if " [" in cell and cell.endswith("]"):
        value, interval = cell.split(" [", 1)
        return Markup(f'{escape(value)} <span class="ci">[{escape(interval)}</span>')
    return Markup(escape(cell))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("seccal.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(fmt=_fmt, pct=_pct, ci=_ci)
    return env


def _version() -> str:
    try:
        return metadata.version("seccal")
    except metadata.PackageNotFoundError:
        return "dev"


def render_html(m: ReportModel, sections: list[Section]) -> str:
    """The self-contained HTML text."""
    css = files("seccal.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    return (
        _env()
        .get_template("report.html.j2")
        .render(m=m, sections=sections, css=css, version=_version())
    )


def write_report_files(m: ReportModel, out_dir: str | Path) -> Path:
    """Write ``report.html`` with its figures, tables and JSON to ``out_dir``; return the HTML."""
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    sections = build_sections(m)
    for s in sections:
        for item in s.items:
            if item.fig is not None:
                (out / "figures" / f"{item.fig.name}.svg").write_text(item.fig.svg, "utf-8")
                (out / "figures" / f"{item.fig.name}.png").write_bytes(item.fig.png)
            if item.table is not None:
                (out / "tables" / f"{item.table.name}.md").write_text(
                    item.table.to_markdown(), "utf-8"
                )
                (out / "tables" / f"{item.table.name}.tex").write_text(
                    item.table.to_latex(), "utf-8"
                )
    write_metrics(out / "metrics.json", m.doc)
    html = out / "report.html"
    tmp = html.with_suffix(".tmp")
    tmp.write_text(render_html(m, sections), encoding="utf-8")
    tmp.replace(html)  # atomic: a reader never sees half a report
    return html
