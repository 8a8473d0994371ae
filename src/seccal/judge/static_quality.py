"""How good the ``static`` label is: its precision and recall against the dynamic label.

The positive class is *vulnerable*. Per CWE (a row about several CWEs counts under
each) and overall:

- precision = P(dynamic says vulnerable | static says vulnerable)
- recall    = P(static says vulnerable | dynamic says vulnerable)

Rows where either label is unknown are left out and counted (``n_unknown``).
:func:`static_quality` reads a results frame (columns ``secure_static``,
``secure_dynamic``, ``cwe``; :mod:`seccal.core.results`) and returns plain JSON-able
data for ``metrics.json``; :func:`reference_frame` builds such a frame from a suite's
secure and insecure references, whose dynamic label is what they are meant to be
(secure / vulnerable; ``seccal tasks validate`` checks that the tests agree).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from seccal.core.results import label_array, require_columns
from seccal.core.task import Task
from seccal.judge.analyzers.coverage import rules_for
from seccal.judge.backends import JudgeItem
from seccal.judge.core import Judge

QUALITY_VERSION = 1
DEFINITION = (
    "positive = vulnerable; precision = P(dynamic vulnerable | static vulnerable), "
    "recall = P(static vulnerable | dynamic vulnerable); rows with an unknown label are "
    "left out (n_unknown)"
)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _counts(
    static_vuln: np.ndarray[Any, Any], dynamic_vuln: np.ndarray[Any, Any]
) -> dict[str, Any]:
    tp = int((static_vuln & dynamic_vuln).sum())
    fp = int((static_vuln & ~dynamic_vuln).sum())
    fn = int((~static_vuln & dynamic_vuln).sum())
    tn = int((~static_vuln & ~dynamic_vuln).sum())
    return {
        "n": tp + fp + fn + tn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
    }


def _cwes(cell: object) -> list[str]:
    text = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)
    return [c.strip().upper() for c in text.replace(",", ";").split(";") if c.strip()] or ["?"]


def static_quality(frame: pd.DataFrame, *, language: str | None = None) -> dict[str, Any]:
    """Precision and recall of ``secure_static`` against ``secure_dynamic``, per CWE and overall.

    Parameters
    ----------
    frame:
        A results frame with ``secure_static``, ``secure_dynamic`` and ``cwe``
        (``;``-joined); a ``language`` column, when present, adds each CWE's rule count
        for that language.
    language:
        Language for the rule counts when the frame has no ``language`` column.

    Returns
    -------
    dict
        ``{"version", "definition", "overall": {...}, "per_cwe": {cwe: {...}}}``; each
        entry has ``n, tp, fp, fn, tn, precision, recall, n_unknown`` (precision or
        recall is ``None`` when undefined) and, per CWE, ``rules``.

    Examples
    --------
    >>> df = pd.DataFrame({"cwe": ["CWE-89", "CWE-89", "CWE-79"],
    ...                    "secure_static": [0, 1, 0], "secure_dynamic": [0, 0, 1]})
    >>> q = static_quality(df)
    >>> q["overall"]["precision"], q["overall"]["recall"], q["per_cwe"]["CWE-89"]["recall"]
    (0.5, 0.5, 0.5)
    """
    require_columns(frame, ["secure_static", "secure_dynamic", "cwe"], "static label quality")
    static = label_array(frame, "secure_static")
    dynamic = label_array(frame, "secure_dynamic")
    known = ~np.isnan(static) & ~np.isnan(dynamic)
    s_vuln, d_vuln = static == 0.0, dynamic == 0.0
    overall = _counts(s_vuln[known], d_vuln[known])
    overall["n_unknown"] = int((~known).sum())
    langs = (
        frame["language"].astype(str).tolist()
        if "language" in frame.columns
        else [language or ""] * len(frame)
    )
    rows_of: dict[str, list[int]] = {}
    lang_of: dict[str, set[str]] = {}
    for i, cell in enumerate(frame["cwe"].tolist()):
        for cwe in _cwes(cell):
            rows_of.setdefault(cwe, []).append(i)
            lang_of.setdefault(cwe, set()).add(langs[i])
    per_cwe: dict[str, dict[str, Any]] = {}
    for cwe in sorted(rows_of, key=_cwe_order):
        idx = np.array(rows_of[cwe], dtype=int)
        k = known[idx]
        entry = _counts(s_vuln[idx][k], d_vuln[idx][k])
        entry["n_unknown"] = int((~k).sum())
        entry["rules"] = {lang: len(rules_for(cwe, lang)) for lang in sorted(lang_of[cwe]) if lang}
        per_cwe[cwe] = entry
    return {
        "version": QUALITY_VERSION,
        "definition": DEFINITION,
        "overall": overall,
        "per_cwe": per_cwe,
    }


def _cwe_order(cwe: str) -> tuple[int, str]:
    tail = cwe.rsplit("-", 1)[-1]
    return (int(tail), cwe) if tail.isdigit() else (10**9, cwe)


def reference_frame(tasks: Sequence[Task], judge: Judge) -> pd.DataFrame:
    """The static label of every secure and insecure reference, as a results frame.

    ``secure_dynamic`` is the reference's intended label (1 for the secure reference,
    0 for the insecure one); ``secure_static`` comes from :meth:`Judge.judge_static`
    (empty when unknown). Tasks without a reference contribute nothing for it.
    """
    items: list[JudgeItem] = []
    rows: list[dict[str, Any]] = []
    for task in tasks:
        for role, code, secure in (
            ("secure", task.secure_reference, 1),
            ("insecure", task.insecure_reference, 0),
        ):
            if not code:
                continue
            items.append(JudgeItem(f"{task.key}#{role}", task, code))
            rows.append(
                {
                    "gen_id": f"{task.key}#{role}",
                    "task_id": task.key,
                    "reference": role,
                    "cwe": ";".join(task.cwes),
                    "language": task.language,
                    "secure_dynamic": secure,
                }
            )
    verdicts = judge.judge_static(items)
    for row, verdict in zip(rows, verdicts, strict=True):
        label = verdict.security.get("static", "unknown")
        row["secure_static"] = {"secure": 1, "vulnerable": 0}.get(label, "")
        row["static_reason"] = verdict.reasons.get("static", "")
        row["findings"] = ";".join(sorted({f.rule_id for f in verdict.findings}))
    columns = ["gen_id", "task_id", "reference", "cwe", "language", "secure_dynamic"]
    columns += ["secure_static", "static_reason", "findings"]
    return pd.DataFrame(rows, columns=columns)


def metrics_section(frame: pd.DataFrame) -> dict[str, Any] | None:
    """:func:`static_quality` of a study's results frame for ``metrics.json``
    (``None`` when the frame lacks the static or dynamic label column)."""
    if not {"secure_static", "secure_dynamic", "cwe"} <= set(frame.columns):
        return None
    return static_quality(frame)
