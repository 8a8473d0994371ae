"""The static label's quality as a table and a sentence, from ``metrics.json``.

:func:`seccal.judge.static_quality.static_quality` computes precision and recall of the
``static`` label against the ``dynamic`` one (positive = vulnerable) per CWE on the
study's own generated snippets, rows where both labels are known; the analysis stage
stores it under ``static_quality``. This module only renders it, for the summary, the
HTML report and ``seccal tasks validate`` (where the rows are reference code).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seccal.report.tables import Table

Quality = Mapping[str, Any]

#: Label sources whose reports print the static label's quality.
USES_STATIC = frozenset({"static", "both"})
COLUMNS = ["CWE", "n", "TP", "FP", "FN", "TN", "precision", "recall", "unknown"]


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def static_quality_rows(quality: Quality) -> list[list[str]]:
    """One row per CWE, then ``all``: counts, precision, recall and unknown rows."""
    rows = []
    for cwe, e in [*quality["per_cwe"].items(), ("all", quality["overall"])]:
        counts = [str(e[k]) for k in ("n", "tp", "fp", "fn", "tn")]
        rows.append(
            [str(cwe), *counts, _ratio(e["precision"]), _ratio(e["recall"]), str(e["n_unknown"])]
        )
    return rows


def static_quality_sentence(quality: Quality, what: str = "generated snippets") -> str:
    """The overall numbers in words.

    Examples
    --------
    >>> q = {"overall": {"n": 10, "tp": 3, "fp": 1, "fn": 2, "tn": 4, "precision": 0.75,
    ...                  "recall": 0.6, "n_unknown": 2}}
    >>> print(static_quality_sentence(q))
    On 10 generated snippets with both labels known (2 more had an unknown label), the static label called 4 vulnerable, 3 of them vulnerable by the dynamic tests (precision 0.75); of the 5 the dynamic tests found vulnerable it flagged 3 (recall 0.60).
    """
    o = quality["overall"]
    left_out = f" ({o['n_unknown']} more had an unknown label)" if o["n_unknown"] else ""
    if not o["n"]:
        return f"No {what} had both a static and a dynamic label{left_out}: nothing to compare."
    flagged, vulnerable = o["tp"] + o["fp"], o["tp"] + o["fn"]
    precision = f"precision {_ratio(o['precision'])}" if flagged else "precision undefined"
    recall = f"recall {_ratio(o['recall'])}" if vulnerable else "recall undefined"
    return (
        f"On {o['n']} {what} with both labels known{left_out}, the static label called "
        f"{flagged} vulnerable, {o['tp']} of them vulnerable by the dynamic tests ({precision}); "
        f"of the {vulnerable} the dynamic tests found vulnerable it flagged {o['tp']} ({recall})."
    )


def static_quality_table(quality: Quality | None, what: str = "generated snippets") -> Table | None:
    """The per-CWE table with the definition and the sentence as its note (``None`` without data)."""
    if quality is None:
        return None
    note = f"{quality['definition']}. {static_quality_sentence(quality, what)}"
    return Table(
        "static_quality",
        f"Static label against the dynamic label, per CWE ({what})",
        COLUMNS,
        static_quality_rows(quality),
        note,
    )


def report_static_quality(doc: Mapping[str, Any]) -> Table | None:
    """The table of a study document when its label source uses the static label."""
    if doc["study"]["label_source"] not in USES_STATIC:
        return None
    return static_quality_table(doc.get("static_quality"))
