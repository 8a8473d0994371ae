"""A table of text cells exported as Markdown and LaTeX, and the formatting of its cells.

Every table of the report and of ``seccal tables`` is a :class:`Table` built from
``metrics.json`` (:mod:`seccal.report.paper_tables`, :mod:`seccal.report.tables_detail`).
A value with a confidence interval is written ``0.312 [0.27, 0.35]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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


def with_ci(summary: Mapping[str, Any] | None, key: str, digits: int = 3) -> str:
    """``value [lo, hi]`` from a ``summarize`` dict."""
    if not summary or summary.get(key) is None:
        return "–"
    ci = (summary.get("ci") or {}).get(key)
    text = fmt(summary[key], digits)
    if ci and ci[0] is not None and ci[1] is not None:
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text


def prop_ci(p: Mapping[str, Any] | None) -> str:
    """A share (``{"estimate", "lo", "hi"}``) with its CI."""
    if not p or p.get("estimate") is None:
        return "–"
    text = f"{p['estimate']:.3f}"
    if p.get("lo") is not None and p.get("hi") is not None:
        text += f" [{p['lo']:.2f}, {p['hi']:.2f}]"
    return text


def diff_ci(change: Mapping[str, Any] | None, *, p_value: bool = False) -> str:
    """A signed difference with its CI (and p-value when asked)."""
    if not change or change.get("diff") is None:
        return "–"
    text = f"{change['diff']:+.3f}"
    ci = change.get("ci")
    if ci and ci[0] is not None and ci[1] is not None:
        text += f" [{ci[0]:+.2f}, {ci[1]:+.2f}]"
    if p_value and change.get("p_value") is not None:
        text += f" p={change['p_value']:.3f}"
    return text


def temp(x: Any) -> str:
    """A temperature, or ``all`` for a pooled row."""
    return "all" if x is None else f"{float(x):g}"


def pooled(cond: Mapping[str, Any]) -> bool:
    """Whether a row is pooled over temperatures."""
    return cond.get("temperature") is None
