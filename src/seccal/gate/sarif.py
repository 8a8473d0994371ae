"""SARIF 2.1.0 output of ``seccal gate check``, for code-scanning dashboards.

One result per checked file under rule ``seccal-gate/reject`` (level ``error``) when the gate
rejects it, or ``seccal-gate/accept`` (level ``note``) when it accepts it, carrying
``p_vulnerable`` and the threshold in its properties; plus one result per analyzer finding
(rule ``<analyzer>/<rule id>``, tagged with its CWE) so a reviewer sees why. The reader of
SARIF in :mod:`seccal.judge.sarif` reads these files back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccal import __version__
from seccal.core.findings import Finding

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REJECT = "seccal-gate/reject"
ACCEPT = "seccal-gate/accept"
_LEVEL = {"high": "error", "medium": "warning", "low": "note"}


@dataclass(frozen=True)
class FileVerdict:
    """The gate's decision on one file and the evidence behind it."""

    path: Path
    p_vulnerable: float
    accept: bool
    threshold: float | None
    findings: list[Finding] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _gate_rules(alpha: float, delta: float) -> list[dict[str, Any]]:
    text = (
        f"The risk-controlled gate certifies that, of the code it accepts, at most "
        f"{alpha:g} is vulnerable, with probability at least {1 - delta:g}."
    )
    return [
        {
            "id": REJECT,
            "name": "GateReject",
            "shortDescription": {"text": "Rejected by the risk-controlled gate"},
            "fullDescription": {"text": text},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["security"]},
        },
        {
            "id": ACCEPT,
            "name": "GateAccept",
            "shortDescription": {"text": "Accepted by the risk-controlled gate"},
            "fullDescription": {"text": text},
            "defaultConfiguration": {"level": "note"},
            "properties": {"tags": ["security"]},
        },
    ]


def _location(path: Path, line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path.as_posix()},
            "region": {"startLine": max(1, line)},
        }
    }


def sarif_document(
    verdicts: Sequence[FileVerdict], *, alpha: float, delta: float
) -> dict[str, Any]:
    """The SARIF log of a ``gate check`` run."""
    rules = _gate_rules(alpha, delta)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for v in verdicts:
        rule = ACCEPT if v.accept else REJECT
        verb = "accepts" if v.accept else "rejects"
        limit = "accepts nothing" if v.threshold is None else f"threshold {v.threshold:.4f}"
        results.append(
            {
                "ruleId": rule,
                "ruleIndex": index[rule],
                "level": "note" if v.accept else "error",
                "message": {
                    "text": f"seccal gate {verb} this file: P(vulnerable) = {v.p_vulnerable:.4f} "
                    f"({limit}; alpha {alpha:g}, delta {delta:g})"
                },
                "locations": [_location(v.path, 1)],
                "properties": {
                    "p_vulnerable": v.p_vulnerable,
                    "threshold": v.threshold,
                    "accept": v.accept,
                },
            }
        )
        for f in v.findings:
            rid = f"{f.analyzer}/{f.rule_id}"
            if rid not in index:
                index[rid] = len(rules)
                rules.append(
                    {
                        "id": rid,
                        "shortDescription": {"text": f"{f.analyzer} {f.rule_id}"},
                        "properties": {"tags": ["security", *([f.cwe] if f.cwe else [])]},
                    }
                )
            results.append(
                {
                    "ruleId": rid,
                    "ruleIndex": index[rid],
                    "level": _LEVEL.get(f.severity, "warning"),
                    "message": {"text": f.message or rid},
                    "locations": [_location(v.path, f.line)],
                    "properties": {"tags": [f.cwe] if f.cwe else []},
                }
            )
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "seccal-gate",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "utf16CodeUnits",
            }
        ],
    }


def write_sarif(
    verdicts: Sequence[FileVerdict], path: str | Path, *, alpha: float, delta: float
) -> None:
    """Write :func:`sarif_document` to ``path``."""
    doc = sarif_document(verdicts, alpha=alpha, delta=delta)
    Path(path).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
