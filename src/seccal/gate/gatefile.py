"""Fit a gate on a study's results table, save it as JSON, load it and apply it.

:func:`fit_gate` splits the tasks in two: the fused model is fitted on one part and the
threshold is certified on the other (:mod:`seccal.gate.risk`), so the calibration labels
never touch the model. The gate file records what it was fitted on (the table's SHA-256,
rows, columns, alpha, delta, seed) and the library versions, and is refused by a seccal
whose gate format differs.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from seccal import __version__
from seccal.calibration._arrays import FloatArray, as_clusters
from seccal.core.results import Results, load_results
from seccal.errors import InputError
from seccal.gate.features import kind_of, raw_values
from seccal.gate.fusion import FusedModel, check_classes, fit_fused
from seccal.gate.risk import RiskControl, control_risk, min_accepted, threshold_grid

GATE_FORMAT = 1
DEFAULT_FIT_SHARE = 0.5
#: ``task``: tasks are the exchangeable units of the guarantee (valid when snippets of a task
#: are correlated); ``row``: rows are (valid only for exchangeable rows, e.g. one per task).
UNITS = ("task", "row")
BoolArray = npt.NDArray[np.bool_]


def task_split(groups: Any, shares: Sequence[float], seed: int) -> list[BoolArray]:
    """Masks of a random split of the *tasks* into parts of the given shares (of tasks).

    Every row of a task lands in the same part; each part gets at least one task.
    """
    cluster, n_tasks = as_clusters(groups, len(groups))
    if n_tasks < len(shares):
        raise InputError(f"split: {len(shares)} parts need at least as many tasks; found {n_tasks}")
    perm = np.random.default_rng(seed).permutation(n_tasks)
    ends = np.round(np.cumsum(shares) / np.sum(shares) * n_tasks).astype(int)
    part_of = np.empty(n_tasks, dtype=np.intp)
    start, k = 0, len(shares)
    for i in range(k):
        # at least one task per part, and enough left for the parts after this one
        end = n_tasks if i == k - 1 else min(max(int(ends[i]), start + 1), n_tasks - (k - 1 - i))
        part_of[perm[start:end]] = i
        start = end
    return [part_of[cluster] == i for i in range(len(shares))]


def library_versions() -> dict[str, str]:
    """Versions of seccal and the numeric libraries a gate's numbers depend on."""
    out = {"seccal": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "pandas"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover - they are dependencies
            out[pkg] = "unknown"
    return out


def file_digest(path: str | Path) -> str:
    """``sha256:<hex>`` of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


@dataclass(frozen=True)
class Gate:
    """A fitted gate: accept a snippet when ``p_vulnerable <= threshold``.

    ``threshold`` None means no threshold met alpha on the calibration split: the gate
    accepts nothing.
    """

    model: FusedModel
    threshold: float | None
    alpha: float
    delta: float
    risk: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)

    def p_vulnerable(self, frame: pd.DataFrame, source: str = "table") -> FloatArray:
        """Fitted probability that each row is vulnerable."""
        return self.model.predict(frame, source)

    def accepts(self, p_vulnerable: FloatArray) -> BoolArray:
        """Which rows the gate accepts."""
        if self.threshold is None:
            return np.zeros(p_vulnerable.shape, dtype=bool)
        return np.asarray(p_vulnerable <= self.threshold)

    @property
    def columns(self) -> list[str]:
        """The feature columns the gate needs."""
        return [f.column for f in self.model.features]

    def to_dict(self) -> dict[str, Any]:
        """The gate file's JSON document."""
        return {
            "seccal_gate": GATE_FORMAT,
            "accept_if": "p_vulnerable <= threshold",
            "threshold": self.threshold,
            "alpha": self.alpha,
            "delta": self.delta,
            "risk_control": self.risk,
            "model": self.model.to_dict(),
            "provenance": self.provenance,
        }


def save_gate(gate: Gate, path: str | Path) -> None:
    """Write the gate file."""
    Path(path).write_text(json.dumps(gate.to_dict(), indent=2) + "\n", encoding="utf-8")


def load_gate(path: str | Path) -> Gate:
    """Read a gate file written by :func:`save_gate`, refusing other formats with a precise error."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such gate file") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or "seccal_gate" not in data:
        raise InputError(f"{p}: not a seccal gate file (no field 'seccal_gate')")
    if data["seccal_gate"] != GATE_FORMAT:
        wrote = (data.get("provenance") or {}).get("versions", {}).get("seccal", "unknown")
        raise InputError(
            f"{p}: gate format {data['seccal_gate']!r} (written by seccal {wrote}); this "
            f"seccal {__version__} reads format {GATE_FORMAT}: re-fit it with `seccal gate fit`"
        )
    try:
        threshold = data["threshold"]
        return Gate(
            model=FusedModel.from_dict(data["model"]),
            threshold=None if threshold is None else float(threshold),
            alpha=float(data["alpha"]),
            delta=float(data["delta"]),
            risk=dict(data.get("risk_control") or {}),
            provenance=dict(data.get("provenance") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{p}: bad gate file: field {exc}") from exc


def certify(
    model: FusedModel,
    cal_frame: pd.DataFrame,
    cal_labels: FloatArray,
    reference: FloatArray,
    reference_labels: FloatArray | None = None,
    *,
    alpha: float,
    delta: float,
    cal_groups: Any = None,
    reference_groups: Any = None,
    source: str = "table",
) -> RiskControl:
    """Learn-then-Test of ``model`` on a calibration split (grid from independent ``reference`` rows)."""
    n_min = min_accepted(alpha, delta)
    if cal_labels.size < n_min:
        raise InputError(
            f"{source}: {cal_labels.size} calibration rows are too few for alpha={alpha}, "
            f"delta={delta}: certifying any threshold needs at least {n_min} accepted rows "
            "(log(delta)/log(1-alpha)); give more rows or loosen alpha/delta"
        )
    grid = threshold_grid(
        reference,
        n_calibration=cal_labels.size,
        alpha=alpha,
        delta=delta,
        reference_labels=reference_labels,
        reference_groups=reference_groups,
    )
    p = model.predict(cal_frame, source)
    return control_risk(p, cal_labels, grid, alpha=alpha, delta=delta, groups=cal_groups)


def fit_on_split(
    frame: pd.DataFrame,
    labels: FloatArray,
    fit_mask: BoolArray,
    cal_mask: BoolArray,
    columns: Sequence[str],
    *,
    alpha: float,
    delta: float,
    groups: Any = None,
    unit: str = "task",
    source: str = "table",
) -> tuple[FusedModel, RiskControl]:
    """Fit the model on ``fit_mask`` rows and certify its threshold on ``cal_mask`` rows.

    With ``unit="task"``, ``groups`` (the task of each row) makes the certification treat
    tasks as the exchangeable units; ``unit="row"`` treats rows as such.
    """
    if unit not in UNITS:
        raise InputError(f"unit: {unit!r} is not one of {', '.join(UNITS)}")
    groups = groups if unit == "task" else None
    fit_frame = frame.loc[fit_mask].reset_index(drop=True)
    model = fit_fused(fit_frame, labels[fit_mask], columns, source=source)
    reference = model.predict(fit_frame, source)
    cal_frame = frame.loc[cal_mask].reset_index(drop=True)
    rc = certify(
        model,
        cal_frame,
        labels[cal_mask],
        reference,
        labels[fit_mask],
        alpha=alpha,
        delta=delta,
        cal_groups=None if groups is None else np.asarray(groups)[cal_mask],
        reference_groups=None if groups is None else np.asarray(groups)[fit_mask],
        source=source,
    )
    return model, rc


def groups_of(res: Results) -> npt.NDArray[Any]:
    """The task of each usable row (its row number when the table has no task column)."""
    if res.group_column is None:
        return np.arange(len(res.frame))
    return res.frame[res.group_column].astype(str).to_numpy()


def load_study(
    path: str | Path,
    *,
    confidence_col: str | None = None,
    label_col: str | None = None,
    group_col: str | None = None,
) -> Results:
    """Rows of a results table usable for a gate (known label and primary confidence)."""
    return load_results(
        path,
        confidence_col=confidence_col,
        label_col=label_col,
        group_col=group_col,
        skip_missing_confidence=True,
    )


def fit_gate(
    res: Results,
    columns: Sequence[str],
    *,
    alpha: float,
    delta: float,
    fit_share: float = DEFAULT_FIT_SHARE,
    seed: int = 0,
    unit: str = "task",
    source: str = "table",
    digest: str = "",
) -> Gate:
    """Fit a gate on a loaded results table (tasks split into fit / calibration parts)."""
    if not 0.0 < fit_share < 1.0:
        raise InputError(f"fit share: {fit_share} is not in (0, 1)")
    for col in columns:  # every feature column exists and parses, before any fitting
        raw_values(res.frame, col, kind_of(col), source)
    check_classes(res.labels, source)
    groups = groups_of(res)
    fit_mask, cal_mask = task_split(groups, [fit_share, 1.0 - fit_share], seed)
    model, rc = fit_on_split(
        res.frame,
        res.labels,
        fit_mask,
        cal_mask,
        columns,
        alpha=alpha,
        delta=delta,
        groups=groups,
        unit=unit,
        source=source,
    )
    provenance = {
        "table": source,
        "digest": digest,
        "rows": len(res.source),
        "rows_used": int(res.labels.size),
        "rows_fit": int(fit_mask.sum()),
        "rows_calibration": int(cal_mask.sum()),
        "tasks": len(np.unique(groups)),
        "excluded_unknown_label": res.excluded_unknown_label,
        "excluded_missing_confidence": res.excluded_missing_confidence,
        "label_column": res.label_column,
        "confidence_column": res.confidence_column,
        "group_column": res.group_column,
        "fit_share": fit_share,
        "unit": rc.unit,
        "seed": seed,
        "versions": library_versions(),
    }
    return Gate(
        model=model,
        threshold=rc.threshold,
        alpha=alpha,
        delta=delta,
        risk=rc.to_dict(),
        provenance=provenance,
    )
