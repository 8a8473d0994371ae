"""The report's sections, each built from the report model (``metrics.json``) alone.

:data:`SECTIONS` lists the section builders in page order; another package adds its
own with :func:`register_section` (for instance a section rendering what it put under
``metrics.json`` ``extensions``), so the report grows without this module changing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from seccal.gate.summary import gate_table
from seccal.report import figures as F
from seccal.report import figures_mitigation as FM
from seccal.report import paper_tables as PT
from seccal.report import tables_detail as TD
from seccal.report.model import ReportModel
from seccal.report.tables import Table
from seccal.report.tables_static import USES_STATIC, report_static_quality

NOT_AVAILABLE = "Not available for this study: the data holds nothing to compute it from."


@dataclass
class Item:
    """A figure, a table or a paragraph of a section."""

    kind: str
    fig: F.Figure | None = None
    table: Table | None = None
    text: str = ""


@dataclass
class Section:
    """A titled part of the report."""

    id: str
    title: str
    intro: str = ""
    items: list[Item] = field(default_factory=list)

    def add(self, thing: F.Figure | Table | str | None) -> Section:
        """Append a figure, a table or text (None is skipped); returns the section."""
        if isinstance(thing, F.Figure):
            self.items.append(Item("figure", fig=thing))
        elif isinstance(thing, Table):
            self.items.append(Item("table", table=thing))
        elif isinstance(thing, str):
            self.items.append(Item("text", text=thing))
        return self

    def or_not_available(self) -> Section:
        """Say so when nothing was added."""
        return self if self.items else self.add(NOT_AVAILABLE)


SectionBuilder = Callable[[ReportModel], Section | None]
SECTIONS: list[SectionBuilder] = []


def register_section(builder: SectionBuilder) -> SectionBuilder:
    """Decorator: add a section builder at the end of the report."""
    SECTIONS.append(builder)
    return builder


@register_section
def calibration(m: ReportModel) -> Section:
    """Headline numbers per model."""
    return Section(
        "calibration",
        "Calibration per model",
        "How well each model's stated confidence matches how often its code really is "
        "secure (or correct), pooled over all temperatures and suites.",
    ).add(TD.headline_table(m.doc))


@register_section
def paper(m: ReportModel) -> Section:
    """The paper's calibration tables, one per benchmark, and the level comparison."""
    s = Section(
        "paper",
        "Calibration per benchmark",
        "The tables `seccal tables` writes: model × temperature, security and functional "
        "side by side.",
    )
    for t in PT.calibration_tables(m.doc):
        s.add(t)
    return s.add(PT.levels_table(m.doc))


@register_section
def reliability(m: ReportModel) -> Section:
    """Reliability diagrams."""
    s = Section(
        "reliability",
        "Reliability diagrams",
        "Per model × temperature × suite, security and functional side by side. Perfect "
        "calibration puts every bar on the diagonal.",
    )
    for name in m.models:
        s.add(F.reliability_figure(m, name))
    return s


@register_section
def temperature(m: ReportModel) -> Section:
    """ECE over temperature, its trend, every condition."""
    return (
        Section(
            "temperature",
            "Calibration over temperature",
            "Does sampling temperature change calibration? Every condition with its CI, and "
            "the trend across temperatures with its CI.",
        )
        .add(F.temperature_figure(m))
        .add(TD.trend_table(m.doc))
        .add(TD.conditions_table(m.doc))
    )


@register_section
def methods(m: ReportModel) -> Section | None:
    """Confidence methods compared."""
    table = TD.methods_table(m.doc)
    if table is None:
        return None
    return Section(
        "methods",
        "Confidence methods",
        "Verbalized confidence against token-probability and sampling-based scores.",
    ).add(table)


@register_section
def risk(m: ReportModel) -> Section:
    """Risk–coverage curves."""
    s = Section(
        "risk",
        "Risk and coverage",
        "If only code above a confidence threshold were accepted, how much would be accepted "
        "and how much of it would be vulnerable?",
    )
    if any(r["risk"] for r in m.doc["models"]):
        s.add(F.risk_figure(m))
    return s


@register_section
def recalibration(m: ReportModel) -> Section:
    """Recalibration before / after."""
    return (
        Section(
            "recalibration",
            "Recalibration",
            "Post-hoc recalibration maps stated confidence to a calibrated probability; "
            "measured on held-out folds only.",
        )
        .add(FM.recalibration_figure(m))
        .add(TD.recalibration_table(m.doc))
        .or_not_available()
    )


@register_section
def gating(m: ReportModel) -> Section:
    """Execution gating."""
    return (
        Section(
            "gating",
            "Mitigation: execution gating",
            "Trust the security confidence only for code that passes checks first.",
        )
        .add(FM.gating_figure(m))
        .add(PT.gating_table(m.doc))
        .or_not_available()
    )


@register_section
def prompting(m: ReportModel) -> Section:
    """Generation and elicitation prompt variants."""
    return (
        Section(
            "prompting",
            "Mitigation: prompting variants",
            "Zero-shot, few-shot, chain-of-thought and few-shot + chain-of-thought prompts: "
            "for generating the code, and for asking the confidence.",
        )
        .add(FM.prompting_figure(m))
        .add(PT.prompting_table(m.doc))
        .add(TD.elicitation_table(m.doc))
        .or_not_available()
    )


@register_section
def paired(m: ReportModel) -> Section:
    """Security vs functional calibration."""
    return (
        Section(
            "paired",
            "Security vs functional calibration",
            "Both confidences on the same snippets, compared pairwise.",
        )
        .add(FM.paired_figure(m))
        .add(TD.paired_table(m.doc))
        .or_not_available()
    )


@register_section
def repair(m: ReportModel) -> Section:
    """Calibration-guided repair."""
    return (
        Section(
            "repair",
            "Mitigation: calibration-guided repair",
            "Snippets the model was unsure of went back to it for repair, then were re-judged.",
        )
        .add(FM.repair_figure(m))
        .add(PT.repair_table(m.doc))
        .or_not_available()
    )


@register_section
def breakdowns(m: ReportModel) -> Section:
    """Per CWE, language and code length."""
    s = Section(
        "breakdowns",
        "Breakdowns: CWE, language, code length",
        "Is calibration uniform, or worse for some weaknesses, languages or longer code?",
    )
    for name in ("cwe", "language", "code_length"):
        s.add(TD.breakdown_table(m.doc, name))
    return s.or_not_available()


@register_section
def unknown(m: ReportModel) -> Section:
    """Unknown labels and unparseable code."""
    return Section(
        "unknown",
        "What the numbers leave out",
        "Labels a check could not decide, with the judge's reasons, and code that does not "
        "parse, per condition.",
    ).add(TD.outcomes_table(m.doc))


@register_section
def static_quality(m: ReportModel) -> Section | None:
    """The static label's precision and recall against the dynamic label, per CWE."""
    if m.label_source not in USES_STATIC:
        return None
    return (
        Section(
            "static_quality",
            "How good the static label is",
            "This study's labels use static analysis: on its own snippets where both labels "
            "are known, how often a static finding meant a vulnerability the dynamic tests "
            "confirmed (precision), and how many of those the analyzers caught (recall).",
        )
        .add(report_static_quality(m.doc))
        .or_not_available()
    )


@register_section
def cost(m: ReportModel) -> Section:
    """Cost, tokens and the sandbox."""
    s = Section("cost", "Cost and sandbox", "What the run cost, and how judged code was isolated.")
    s.add(TD.cost_table(m.doc))
    box = m.sandbox
    if box.get("weak"):
        s.add(f"WARNING: {box['warning']}.")
    elif box.get("recorded"):
        levels = ", ".join(f"{k}: {v}" for k, v in box["levels"].items()) or "nothing executed"
        s.add(f"Sandbox isolation of judged snippets — {levels}.")
    else:
        s.add("The data does not record the sandbox's isolation level.")
    return s


@register_section
def gate(m: ReportModel) -> Section | None:
    """The risk-controlled gate (``metrics.json`` ``extensions.gate``)."""
    section = m.doc["extensions"].get("gate")
    if section is None:
        return None
    columns, rows, note = gate_table(section)
    return Section(
        "gate",
        "Risk-controlled gate",
        "Accept code only where a gate certified on held-out tasks bounds the vulnerable "
        "share of accepted code by alpha (with probability 1 - delta): how much it would "
        "accept, and how much of that was vulnerable on unseen tasks.",
    ).add(Table("gate", "Risk-controlled gate per model and suite", columns, rows, note))


def build_sections(m: ReportModel) -> list[Section]:
    """Every registered section that has something to show, figures drawn, tables built."""
    return [s for s in (build(m) for build in SECTIONS) if s is not None]
