"""The report stage: metrics JSON, a Markdown summary, and the HTML report when available.

``seccal.report`` (written separately) is called when it exposes
``write_report(run_dir: Path) -> Path``; the JSON and Markdown written here
are the run's own record either way.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from seccal.core.config import StudyConfig
from seccal.core.labels import LABEL_SOURCE_TEXT
from seccal.study.finding import finding_lines

log = logging.getLogger(__name__)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _ci(metrics: Mapping[str, Any], key: str) -> str:
    ci = (metrics.get("ci") or {}).get(key)
    point = _fmt(metrics.get(key))
    if not ci or ci[0] is None:
        return point
    return f"{point} [{_fmt(ci[0], 2)}, {_fmt(ci[1], 2)}]"


def write_metrics_json(
    path: Path,
    config: StudyConfig,
    rows: Sequence[Mapping[str, Any]],
    counts: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Write ``metrics.json``: the study, counts, every metric row, and ``extra`` sections
    (``static_quality``: :func:`seccal.judge.static_quality.metrics_section`)."""
    payload = {
        "study": config.name,
        "label_source": config.label_source,
        "label_definition": LABEL_SOURCE_TEXT[config.label_source],
        "counts": dict(counts),
        "metrics": list(rows),
        **(extra or {}),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=float), encoding="utf-8")
    tmp.replace(path)  # atomic: a kill never leaves half a file


def markdown_summary(
    config: StudyConfig, df: pd.DataFrame, rows: Sequence[Mapping[str, Any]]
) -> str:
    """The run's summary as Markdown."""
    lines = [
        f"# seccal study `{config.name}`",
        "",
        f"- label source: **{config.label_source}** — {LABEL_SOURCE_TEXT[config.label_source]}",
        "- correct = 1 when the snippet passes its functional tests; unknown labels are excluded"
        " and counted, never read as 0 or 1",
        f"- models: {', '.join(m.name for m in config.models)}; temperatures: "
        f"{', '.join(f'{t:g}' for t in config.temperatures)}",
    ]
    if not df.empty:
        n = len(df)
        lines += [
            f"- snippets: {n}; with code: {int(df['has_code'].sum())}; judged: {int(df['judged'].sum())}",
            f"- secure: {int((df['secure'] == 1).sum())}, vulnerable: {int((df['secure'] == 0).sum())}, "
            f"unknown: {int(df['secure'].isna().sum())}",
            f"- correct: {int((df['correct'] == 1).sum())}, incorrect: {int((df['correct'] == 0).sum())}, "
            f"unknown: {int(df['correct'].isna().sum())}",
            f"- cost: ${df['cost_usd'].sum():.4f}",
        ]
    finding = finding_lines(rows, config.analysis.tau)
    if finding:
        lines += ["", "## Finding (stated confidence)", "", *(f"- {f}" for f in finding)]
    lines += [
        "",
        "ECE: Σ_b (n_b/N)·|acc_b − conf_b| (10 equal-width bins); Brier: mean (c − y)²; "
        f"False Trust: P(c ≥ {config.analysis.tau:g} | label 0); gap: mean(c) − mean(y) "
        "(positive = over-confident). Brackets: 95% task-cluster bootstrap CI.",
        "",
        "| model | temp | suite | target | confidence | n | mean conf | accuracy | ECE | Brier | AUROC | False Trust | gap |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m = r["metrics"]
        if not m.get("n"):
            lines.append(
                f"| {r['model']} | {r['temperature']:g} | {r['suite']} | {r['target']} | "
                f"{r['confidence']} | 0 | – | – | – | – | – | – | – |"
            )
            continue
        lines.append(
            f"| {r['model']} | {r['temperature']:g} | {r['suite']} | {r['target']} | {r['confidence']} "
            f"| {m['n']} | {_fmt(m.get('mean_confidence'))} | {_fmt(m.get('accuracy'))} "
            f"| {_ci(m, 'ece')} | {_ci(m, 'brier')} | {_fmt(m.get('auroc'))} "
            f"| {_fmt(m.get('false_trust_rate'))} | {_fmt(m.get('overconfidence_gap'))} |"
        )
    if config.mitigations:
        lines += [
            "",
            "## Mitigations (configured)",
            "",
            "```json",
            json.dumps(config.mitigations.to_dict(), indent=2),
            "```",
        ]
    return "\n".join(lines) + "\n"


def write_report(run_dir: Path) -> Path | None:
    """Call ``seccal.report.write_report(run_dir)`` when that module provides it."""
    try:
        module = importlib.import_module("seccal.report")
    except ImportError:
        return None
    writer = getattr(module, "write_report", None)
    if writer is None:
        return None
    result = writer(run_dir)
    return Path(result) if result is not None else None
