"""The report's tables, built from a report model; each exports as Markdown and LaTeX.

A value with a confidence interval is written ``0.312 [0.27, 0.35]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seccal.calibration.proportion import Proportion
from seccal.report.model import ReportModel


@dataclass(frozen=True)
class Table:
    """A titled table of text cells."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown."""

        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(esc(c) for c in self.columns) + " |")
        lines.append("|" + "---|" * len(self.columns))
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in self.rows]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines) + "\n"

    def to_latex(self) -> str:
        """A booktabs ``table`` environment."""
        spec = "l" * min(3, len(self.columns)) + "r" * max(0, len(self.columns) - 3)
        lines = [
            "\\begin{table}[t]",
            "\\centering",
            "\\small",
            f"\\caption{{{latex_escape(self.title)}}}",
            f"\\label{{tab:{self.name}}}",
            f"\\begin{{tabular}}{{{spec}}}",
            "\\toprule",
            " & ".join(latex_escape(c) for c in self.columns) + " \\\\",
            "\\midrule",
        ]
        lines += [" & ".join(latex_escape(c) for c in row) + " \\\\" for row in self.rows]
        lines += ["\\bottomrule", "\\end{tabular}"]
        if self.note:
            lines.append(f"\\par\\footnotesize {latex_escape(self.note)}")
        lines.append("\\end{table}")
        return "\n".join(lines) + "\n"


_LATEX = {
    "\\": "\\textbackslash{}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "{": "\\{",
    "}": "\\}",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    "≥": "$\\geq$",
    "≤": "$\\leq$",
    "τ": "$\\tau$",
    "−": "-",
    "→": "$\\rightarrow$",
    "Δ": "$\\Delta$",
    "–": "--",
    "·": "$\\cdot$",
}


def latex_escape(text: str) -> str:
    """Escape LaTeX specials (and map a few Unicode symbols to math)."""
    return "".join(_LATEX.get(ch, ch) for ch in text)


def fmt(x: Any, digits: int = 3) -> str:
    """A number, or an en dash when undefined."""
    if x is None:
        return "–"
    if isinstance(x, int):
        return str(x)
    return f"{float(x):.{digits}f}"


def with_ci(summary: dict[str, Any] | None, key: str, digits: int = 3) -> str:
    """``value [lo, hi]`` from a ``summarize`` dict."""
    if not summary or summary.get(key) is None:
        return "–"
    ci = (summary.get("ci") or {}).get(key)
    text = fmt(summary[key], digits)
    if ci and ci[0] is not None and ci[1] is not None:
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text


def prop_ci(p: Proportion) -> str:
    """A share with its CI."""
    if p.estimate is None:
        return "–"
    text = f"{p.estimate:.3f}"
    if p.lo is not None and p.hi is not None:
        text += f" [{p.lo:.2f}, {p.hi:.2f}]"
    return text


def diff_ci(change: dict[str, Any] | None) -> str:
    """A signed difference with its CI."""
    if not change or change.get("diff") is None:
        return "–"
    text = f"{change['diff']:+.3f}"
    ci = change.get("ci")
    if ci and ci[0] is not None:
        text += f" [{ci[0]:+.2f}, {ci[1]:+.2f}]"
    return text


def headline_table(m: ReportModel) -> Table:
    """Per model and target, pooled over temperatures and suites."""
    rows = [
        [
            h.model,
            h.target,
            str(h.n),
            fmt(h.mean_confidence),
            prop_ci(h.label_rate),
            with_ci(h.summary, "ece"),
            with_ci(h.summary, "brier"),
            with_ci(h.summary, "auroc"),
            with_ci(h.summary, "overconfidence_gap"),
            with_ci(h.summary, "false_trust_rate"),
        ]
        for h in m.headlines
    ]
    return Table(
        "headline",
        "Calibration per model (all temperatures and suites pooled)",
        [
            "model",
            "target",
            "n",
            "mean conf",
            "share secure/correct",
            "ECE",
            "Brier",
            "AUROC",
            "gap",
            f"False Trust (τ={m.options.tau:g})",
        ],
        rows,
        "Brackets: 95% task-cluster bootstrap CI. gap = mean(c) − mean(y).",
    )


def metrics_table(m: ReportModel) -> Table:
    """Every model × temperature × suite × target."""
    rows = []
    for c in m.cells:
        s = c.summary
        rows.append(
            [
                c.model,
                f"{c.temperature:g}",
                c.suite,
                c.target,
                str(c.n),
                with_ci(s, "ece"),
                with_ci(s, "mce"),
                fmt(s and s.get("smece")),
                with_ci(s, "brier"),
                fmt(s and s.get("brier_reliability")),
                fmt(s and s.get("brier_resolution")),
                fmt(s and s.get("brier_uncertainty")),
                with_ci(s, "auroc"),
                with_ci(s, "overconfidence_gap"),
                with_ci(s, "false_trust_rate"),
                str(c.n_unknown_label),
            ]
        )
    return Table(
        "metrics",
        "Calibration per model, temperature and suite",
        [
            "model",
            "T",
            "suite",
            "target",
            "n",
            "ECE",
            "MCE",
            "smECE",
            "Brier",
            "REL",
            "RES",
            "UNC",
            "AUROC",
            "gap",
            "False Trust",
            "unknown",
        ],
        rows,
        "Brier = REL − RES + UNC (Murphy). 'unknown': snippets whose label could not be "
        "determined (excluded, never read as 0 or 1).",
    )


def methods_table(m: ReportModel) -> Table:
    """Security calibration of each confidence method."""
    rows = [
        [
            r.model,
            r.confidence,
            str(r.n),
            with_ci(r.summary, "ece"),
            with_ci(r.summary, "brier"),
            with_ci(r.summary, "auroc"),
            with_ci(r.summary, "false_trust_rate"),
        ]
        for r in m.methods
    ]
    return Table(
        "methods",
        "Security calibration by confidence method",
        ["model", "confidence", "n", "ECE", "Brier", "AUROC", "False Trust"],
        rows,
    )
