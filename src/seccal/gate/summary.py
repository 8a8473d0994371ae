"""The report's "gate" section: what a risk-controlled gate would accept, per model and suite.

For each model and each alpha in :data:`ALPHAS`, gates are fitted and certified on random
task splits of that model's rows (fit / calibration / test, as in
:mod:`seccal.gate.evaluate`); on the test tasks of every split, the accepted share and the
realized risk (vulnerable share of what was accepted) are pooled per suite. The computation
returns plain data (:func:`gate_section`); :func:`gate_table` turns it into rows of text for
any renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from seccal.core.results import label_array
from seccal.errors import InputError
from seccal.gate.features import default_features, numeric_frame
from seccal.gate.fusion import check_classes, fit_fused
from seccal.gate.gatefile import certify, task_split

ALPHAS = (0.05, 0.1, 0.2)
DEFAULT_DELTA = 0.1
DEFAULT_SPLITS = 10
_SHARES = (0.4, 0.3, 0.3)


Tally = dict[str, dict[str, float]]  # suite -> rows, accepted, vulnerable, infeasible


def _model_rows(
    part: pd.DataFrame,
    columns: Sequence[str],
    label: str,
    group: str,
    *,
    alphas: Sequence[float],
    delta: float,
    n_splits: int,
    seed: int,
) -> dict[float, Tally]:
    """Per alpha, the pooled test tallies per suite; one model fit per split serves every alpha."""
    y = label_array(part, label)
    keep = ~np.isnan(y)
    part, y = part.loc[keep].reset_index(drop=True), y[keep]
    check_classes(y, "report")
    data = numeric_frame(part, columns, "report")
    groups = part[group].astype(str).to_numpy()
    suites = (
        part["suite"].astype(str).to_numpy() if "suite" in part.columns else np.full(y.size, "all")
    )
    out: dict[float, Tally] = {a: {} for a in alphas}
    for s in range(n_splits):
        fit, cal, test = task_split(groups, _SHARES, seed + s)
        fit_frame = data.loc[fit].reset_index(drop=True)
        model = fit_fused(fit_frame, y[fit], columns, source="report")
        reference = model.predict(fit_frame, "report")
        p = model.predict(data.loc[test].reset_index(drop=True), "report")
        for alpha in alphas:
            rc = certify(
                model,
                data.loc[cal].reset_index(drop=True),
                y[cal],
                reference,
                y[fit],
                alpha=alpha,
                delta=delta,
                cal_groups=groups[cal],
                reference_groups=groups[fit],
                source="report",
            )
            acc = np.zeros(p.shape, dtype=bool) if rc.threshold is None else p <= rc.threshold
            for suite in np.unique(suites[test]):
                m = suites[test] == suite
                t = out[alpha].setdefault(
                    str(suite), {"rows": 0, "accepted": 0, "vulnerable": 0, "infeasible": 0}
                )
                t["rows"] += int(m.sum())
                t["accepted"] += int(acc[m].sum())
                t["vulnerable"] += int((y[test][m][acc[m]] == 0).sum())
                t["infeasible"] += int(rc.threshold is None)
    return out


def gate_section(
    frame: pd.DataFrame,
    *,
    label: str = "secure",
    group: str = "task_id",
    columns: Sequence[str] | None = None,
    alphas: Sequence[float] = ALPHAS,
    delta: float = DEFAULT_DELTA,
    n_splits: int = DEFAULT_SPLITS,
    seed: int = 0,
) -> dict[str, Any]:
    """Accepted share and realized risk of certified gates per model, suite and alpha.

    Returns
    -------
    dict
        ``{"delta", "splits", "columns", "rows": [{"model", "suite", "alpha", "test_rows",
        "accepted_share", "realized_risk", "note"}]}``; a model whose data cannot carry a gate
        at some alpha (one class, too few rows) gets a row with ``note`` saying why.
    """
    cols = list(columns) if columns is not None else default_features(frame)
    rows: list[dict[str, Any]] = []
    out: dict[str, Any] = {"delta": delta, "splits": n_splits, "columns": cols, "rows": rows}
    if not cols or label not in frame.columns or group not in frame.columns:
        out["note"] = "the results table lacks feature, label or task columns for a gate"
        return out
    models = (
        frame["model"].astype(str)
        if "model" in frame.columns
        else pd.Series("all", index=frame.index)
    )
    for name in sorted(models.unique()):
        part = frame.loc[models == name].reset_index(drop=True)
        try:
            tallies = _model_rows(
                part, cols, label, group, alphas=alphas, delta=delta, n_splits=n_splits, seed=seed
            )
        except InputError as exc:
            rows.extend(
                {
                    "model": name,
                    "suite": "all",
                    "alpha": alpha,
                    "test_rows": 0,
                    "accepted_share": None,
                    "realized_risk": None,
                    "note": str(exc),
                }
                for alpha in alphas
            )
            continue
        for alpha in alphas:
            for suite, t in sorted(tallies[alpha].items()):
                rows.append(
                    {
                        "model": name,
                        "suite": suite,
                        "alpha": alpha,
                        "test_rows": int(t["rows"]),
                        "accepted_share": t["accepted"] / t["rows"] if t["rows"] else None,
                        "realized_risk": t["vulnerable"] / t["accepted"] if t["accepted"] else None,
                        "note": (
                            f"no threshold met alpha in {int(t['infeasible'])} of {n_splits} "
                            "splits: nothing accepted there"
                        )
                        if t["infeasible"]
                        else "",
                    }
                )
    return out


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def gate_table(section: dict[str, Any]) -> tuple[list[str], list[list[str]], str]:
    """(columns, rows, note) of the section as text, for Markdown / HTML / LaTeX renderers."""
    columns = ["model", "suite", "alpha", "test rows", "accepted", "realized risk", "note"]
    rows = [
        [
            str(r["model"]),
            str(r["suite"]),
            f"{r['alpha']:g}",
            str(r["test_rows"]),
            _pct(r["accepted_share"]),
            _pct(r["realized_risk"]),
            str(r["note"]),
        ]
        for r in section["rows"]
    ]
    note = (
        f"Gates certified at delta = {section['delta']:g} on random task splits "
        f"({section['splits']} per model and alpha; fit / calibration / test tasks "
        "40/30/30%), pooled over the test tasks. Features: "
        + (", ".join(section["columns"]) or "none")
        + ". "
        + section.get("note", "")
    )
    return columns, rows, note.strip()


def gate_markdown(section: dict[str, Any]) -> str:
    """The section as a Markdown table."""
    columns, rows, note = gate_table(section)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join([*lines, "", note]) + "\n"
