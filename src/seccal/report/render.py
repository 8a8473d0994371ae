"""Draw and write a report model: one self-contained HTML file plus figures and tables.

Layout of the output folder::

    report.html          self-contained: CSS and SVG figures inline, no network access
    report.json          the report model (every number shown)
    figures/NAME.png     each figure as PNG ...
    figures/NAME.svg     ... and SVG
    tables/NAME.md       each table as Markdown ...
    tables/NAME.tex      ... and LaTeX (booktabs)
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from seccal.gate.summary import gate_table
from seccal.report import figures as F
from seccal.report import figures_mitigation as FM
from seccal.report import tables as T
from seccal.report import tables_mitigation as TM
from seccal.report.model import ReportModel


@dataclass
class Item:
    """A figure, a table or a paragraph of a section."""

    kind: str
    fig: F.Figure | None = None
    table: T.Table | None = None
    text: str = ""


@dataclass
class Section:
    """A titled part of the report."""

    id: str
    title: str
    intro: str = ""
    items: list[Item] = field(default_factory=list)

    def add(self, thing: F.Figure | T.Table | str | None) -> None:
        """Append a figure, a table or text (None is skipped)."""
        if isinstance(thing, F.Figure):
            self.items.append(Item("figure", fig=thing))
        elif isinstance(thing, T.Table):
            self.items.append(Item("table", table=thing))
        elif isinstance(thing, str):
            self.items.append(Item("text", text=thing))


def build_sections(m: ReportModel) -> list[Section]:
    """The report's sections, figures drawn and tables built."""
    cal = Section(
        "calibration",
        "Calibration per model",
        "How well each model's stated confidence matches how often its code really is "
        "secure (or correct), pooled over all temperatures and suites.",
    )
    cal.add(T.headline_table(m))
    rel = Section(
        "reliability",
        "Reliability diagrams",
        "Per model × temperature × suite, security and functional side by side. Perfect "
        "calibration puts every bar on the diagonal.",
    )
    for name in m.models:
        rel.add(F.reliability_figure(m, name))
    temp = Section(
        "temperature",
        "Calibration over temperature",
        "Does sampling temperature change calibration? Every condition with its CI.",
    )
    temp.add(F.temperature_figure(m))
    temp.add(T.metrics_table(m))
    sections = [cal, rel, temp]
    if len({r.confidence for r in m.methods}) > 1:
        meth = Section(
            "methods",
            "Confidence methods",
            "Verbalized confidence against token-probability and sampling-based scores.",
        )
        meth.add(T.methods_table(m))
        sections.append(meth)
    risk = Section(
        "risk",
        "Risk and coverage",
        "If only code above a confidence threshold were accepted, how much would be accepted "
        "and how much of it would be vulnerable?",
    )
    if m.risk:
        risk.add(F.risk_figure(m))
    sections.append(risk)
    mitigation_sections = (
        (
            "recalibration",
            "Recalibration",
            "Post-hoc recalibration maps stated confidence to a calibrated probability; "
            "measured on held-out folds only.",
            FM.recalibration_figure,
            TM.recalibration_table,
        ),
        (
            "gating",
            "Mitigation: execution gating",
            "Trust the security confidence only for code that passes checks first.",
            FM.gating_figure,
            TM.gating_table,
        ),
        (
            "prompting",
            "Mitigation: prompting variants",
            "Zero-shot, few-shot, chain-of-thought and few-shot + chain-of-thought prompts.",
            FM.prompting_figure,
            TM.prompting_table,
        ),
        (
            "paired",
            "Security vs functional calibration",
            "Both confidences on the same snippets, compared pairwise.",
            FM.paired_figure,
            TM.paired_table,
        ),
        (
            "repair",
            "Mitigation: calibration-guided repair",
            "Snippets the model was unsure of went back to it for repair, then were re-judged.",
            FM.repair_figure,
            TM.repair_table,
        ),
    )
    for key, title, intro, figure, table in mitigation_sections:
        section = Section(key, title, intro)
        section.add(figure(m))
        section.add(table(m))
        if not section.items:
            section.add("Not available for this study: the data holds nothing to compute it from.")
        sections.append(section)
    if m.gate is not None:
        gate = Section(
            "gate",
            "Risk-controlled gate",
            "Accept code only where a gate certified on held-out tasks bounds the vulnerable "
            "share of accepted code by alpha (with probability 1 - delta): how much it would "
            "accept, and how much of that was vulnerable on unseen tasks.",
        )
        columns, rows, note = gate_table(m.gate)
        gate.add(T.Table("gate", "Risk-controlled gate per model and suite", columns, rows, note))
        sections.append(gate)
    return sections


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


def _jsonable(x: Any) -> Any:
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if hasattr(x, "item"):  # numpy scalars
        return _jsonable(x.item())
    return x


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
    data = _jsonable(dataclasses.asdict(m))
    (out / "report.json").write_text(
        json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n", "utf-8"
    )
    html = out / "report.html"
    tmp = html.with_suffix(".tmp")
    tmp.write_text(render_html(m, sections), encoding="utf-8")
    tmp.replace(html)  # atomic: a reader never sees half a report
    return html
