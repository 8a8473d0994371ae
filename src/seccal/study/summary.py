"""The run's Markdown summary, rendered from ``metrics.json`` (nothing is recomputed).

It states the finding in words, the definitions with this run's own settings, the
paper's tables (the same :class:`~seccal.report.tables.Table` objects the HTML report
and ``seccal tables`` render), cost per model and the sandbox's isolation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seccal.report.paper_tables import paper_tables
from seccal.report.tables_detail import cost_table, headline_table
from seccal.report.tables_static import report_static_quality
from seccal.study.analyze import store_metric_rows
from seccal.study.finding import finding_lines


def definitions(settings: Mapping[str, Any]) -> str:
    """ECE, Brier, False Trust and gap, with this run's bins, τ and bootstrap."""
    n_bins, strategy = settings["n_bins"], settings["strategy"]
    bins = (
        f"{n_bins} equal-width bins (lo, hi], the first closed at 0"
        if strategy == "uniform"
        else f"{n_bins} equal-mass bins that never split tied values"
    )
    return (
        f"ECE: Σ_b (n_b/N)·|acc_b − conf_b| ({bins}); Brier: mean (c − y)²; "
        f"False Trust: P(c ≥ {settings['tau']:g} | label 0); gap: mean(c) − mean(y) "
        f"(positive = over-confident). Brackets: {100 * settings['level']:.0f}% task-cluster "
        f"bootstrap CI ({settings['n_boot']} resamples of tasks, seed {settings['seed']})."
    )


def markdown_summary(doc: Mapping[str, Any]) -> str:
    """The summary of a ``metrics.json`` document as Markdown."""
    study, counts, settings = doc["study"], doc["counts"], doc["settings"]
    axes = doc["axes"]
    lines = [f"# seccal study `{study['name']}`", ""]
    if doc["sandbox"].get("weak"):
        lines += [f"> **WARNING — weak sandbox:** {doc['sandbox']['warning']}.", ""]
    lines += [
        f"- label source: **{study['label_source']}** — {study['label_definition']}",
        f"- {study['functional_definition']}; unknown labels are excluded and counted, "
        "never read as 0 or 1",
        f"- models: {', '.join(axes['model'])}; temperatures: "
        f"{', '.join(f'{t:g}' for t in axes['temperature'])}; suites: {', '.join(axes['suite'])}; "
        f"generation variants: {', '.join(axes['gen_variant'])}",
        f"- snippets: {counts['snippets']} of {counts['tasks']} tasks"
        + (f"; with code: {counts['with_code']}" if "with_code" in counts else "")
        + (f"; judged: {counts['judged']}" if "judged" in counts else "")
        + (f"; does not parse: {counts['does_not_parse']}" if "does_not_parse" in counts else ""),
        f"- secure: {counts.get('secure', 0)}, vulnerable: {counts.get('vulnerable', 0)}, "
        f"unknown: {counts.get('security_unknown', 0)}",
    ]
    if "correct" in counts:
        lines.append(
            f"- correct: {counts['correct']}, incorrect: {counts['incorrect']}, "
            f"unknown: {counts['functional_unknown']}"
        )
    if doc["cost"]["total_usd"] is not None:
        lines.append(f"- cost: ${doc['cost']['total_usd']:.4f}")
    lines += ["", "## Findings", ""]
    lines += [f"- {f}" for f in doc["findings"]] or ["- nothing to measure yet"]
    per_condition = finding_lines(store_metric_rows(dict(doc)), float(settings["tau"]))
    if per_condition:
        lines += ["", "## Finding (stated confidence)", "", *(f"- {f}" for f in per_condition)]
    lines += ["", definitions(settings), ""]
    if doc["models"]:
        lines.append(headline_table(doc).to_markdown())
    for table in paper_tables(doc):
        lines.append(table.to_markdown())
    lines.append(cost_table(doc).to_markdown())
    quality = report_static_quality(doc)
    if quality is not None:
        lines.append(quality.to_markdown())
    if doc["notes"]:
        lines += ["## Notes", ""] + [f"- {n}" for n in doc["notes"]] + [""]
    lines.append(
        f"Every number above comes from `metrics.json` (schema version {doc['schema_version']}, "
        "docs/metrics-schema.md), which holds every condition, method and breakdown."
    )
    return "\n".join(lines) + "\n"
