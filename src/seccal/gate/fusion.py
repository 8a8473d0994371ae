"""Fusion: one P(vulnerable | features) from confidences, analyzer findings and execution signals.

The fused model is an L2-regularised logistic regression on standardised features (see
:mod:`seccal.gate.features` for the transforms). With a single confidence feature it is
Platt scaling of that confidence, so "after recalibration" is built in. Out-of-fold
predictions come from K-fold cross-fitting grouped by task
(:func:`seccal.calibration.recalibrate.group_folds`), and :func:`compare_signals` judges the
fused model against each signal alone with the task-cluster bootstrap of
:mod:`seccal.calibration` (AUROC, Brier, ECE of the implied P(secure)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seccal.calibration._arrays import FloatArray
from seccal.calibration.bootstrap import cluster_bootstrap
from seccal.calibration.recalibrate import group_folds
from seccal.errors import InputError
from seccal.gate.features import Feature, design, fit_features

DEFAULT_L2 = 1.0
COMPARED = ("auroc", "brier", "ece")


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1 + np.tanh(z / 2)), dtype=np.float64)


@dataclass(frozen=True)
class FusedModel:
    """``p_vulnerable = sigmoid(b + w . (x - mean) / scale)`` over :func:`design`'s matrix."""

    features: tuple[Feature, ...]
    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    l2: float = DEFAULT_L2

    def predict_matrix(self, x: FloatArray) -> FloatArray:
        """P(vulnerable) for a design matrix."""
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return _sigmoid(self.intercept + z @ np.asarray(self.weights))

    def predict(self, frame: pd.DataFrame, source: str = "table") -> FloatArray:
        """P(vulnerable) for each row of ``frame``."""
        return self.predict_matrix(design(frame, self.features, source))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters."""
        return {
            "features": [f.to_dict() for f in self.features],
            "weights": list(self.weights),
            "intercept": self.intercept,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "l2": self.l2,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FusedModel:
        """Inverse of :meth:`to_dict`."""
        feats = tuple(Feature.from_dict(f) for f in data["features"])
        model = cls(
            features=feats,
            weights=tuple(map(float, data["weights"])),
            intercept=float(data["intercept"]),
            mean=tuple(map(float, data["mean"])),
            scale=tuple(map(float, data["scale"])),
            l2=float(data.get("l2", DEFAULT_L2)),
        )
        if not len(model.weights) == len(model.mean) == len(model.scale) == 2 * len(feats):
            raise InputError("fused model: weights, mean and scale must have 2 per feature")
        return model


def fit_logistic_l2(x: FloatArray, vulnerable: FloatArray, l2: float) -> tuple[FloatArray, float]:
    """Weights and intercept minimising log-loss + ``l2/2 * |w|^2`` (intercept unpenalised).

    Damped Newton steps: the objective is strictly convex, the Hessian small (features + 1).
    """
    n, p = x.shape
    xb = np.hstack([np.ones((n, 1)), x])
    penalty = np.full(p + 1, l2)
    penalty[0] = 0.0

    def objective(theta: FloatArray) -> float:
        z = xb @ theta
        return float(np.sum(np.logaddexp(0, z) - vulnerable * z) + 0.5 * penalty @ theta**2)

    base = float(np.clip(vulnerable.mean(), 1e-6, 1 - 1e-6))
    theta = np.zeros(p + 1)
    theta[0] = np.log(base / (1 - base))
    current = objective(theta)
    for _ in range(100):
        q = _sigmoid(xb @ theta)
        grad = xb.T @ (q - vulnerable) + penalty * theta
        hess = (xb * (q * (1 - q))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while scale > 1e-8 and objective(theta - scale * step) > current + 1e-12:
            scale /= 2
        theta = theta - scale * step
        new = objective(theta)
        if current - new < 1e-10 * max(1.0, abs(current)):
            break
        current = new
    return np.asarray(theta[1:], dtype=np.float64), float(theta[0])


def check_classes(labels: FloatArray, source: str) -> None:
    if labels.size == 0:
        raise InputError(f"{source}: no rows with a known label to fit on")
    n_secure = int(labels.sum())
    if n_secure in (0, labels.size):
        which = "secure" if n_secure else "vulnerable"
        raise InputError(
            f"{source}: all {labels.size} rows with a known label are {which}; "
            "a risk model needs both secure and vulnerable rows"
        )


def fit_fused(
    frame: pd.DataFrame,
    labels: Any,
    columns: Sequence[str],
    *,
    l2: float = DEFAULT_L2,
    source: str = "table",
) -> FusedModel:
    """Fit the fused model on ``frame`` (labels: 1 secure, 0 vulnerable)."""
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    check_classes(y, source)
    feats = fit_features(frame, columns, source)
    x = design(frame, feats, source)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    w, b = fit_logistic_l2((x - mean) / scale, 1.0 - y, l2)
    return FusedModel(
        features=tuple(feats),
        weights=tuple(w.tolist()),
        intercept=b,
        mean=tuple(mean.tolist()),
        scale=tuple(scale.tolist()),
        l2=l2,
    )


def cross_fit_fused(
    frame: pd.DataFrame,
    labels: Any,
    groups: Any,
    columns: Sequence[str],
    *,
    n_folds: int = 5,
    seed: int = 0,
    l2: float = DEFAULT_L2,
    source: str = "table",
) -> FloatArray:
    """Out-of-fold P(vulnerable), K folds grouped by task."""
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    check_classes(y, source)
    fold = group_folds(groups, y.size, n_folds=n_folds, seed=seed)
    out = np.empty(y.size)
    for f in range(n_folds):
        test = fold == f
        train = frame.loc[~test].reset_index(drop=True)
        if len(np.unique(y[~test])) < 2:
            raise InputError(f"{source}: fold {f} leaves one class only to fit on; use fewer folds")
        model = fit_fused(train, y[~test], columns, l2=l2, source=source)
        out[test] = model.predict(frame.loc[test].reset_index(drop=True), source)
    return out


def _interval_dict(iv: Any) -> dict[str, Any]:
    def num(x: float) -> float | None:
        return None if np.isnan(x) else float(x)

    return {"estimate": num(iv.estimate), "ci": [num(iv.lo), num(iv.hi)]}


def compare_signals(
    frame: pd.DataFrame,
    labels: Any,
    groups: Any,
    signals: Mapping[str, Sequence[str]],
    *,
    n_folds: int = 5,
    n_boot: int = 1000,
    seed: int = 0,
    source: str = "table",
) -> dict[str, Any]:
    """Out-of-fold AUROC, Brier and ECE of each signal set, with task-cluster CIs.

    Parameters
    ----------
    signals : mapping of str to column lists
        e.g. ``{"fused": all_columns, "conf_security_verbal": ["conf_security_verbal"], ...}``;
        each is fitted by :func:`cross_fit_fused` (a single confidence: Platt scaling).

    Returns
    -------
    dict
        ``{name: {"columns", "auroc", "brier", "ece"}}``, each metric
        ``{"estimate", "ci": [lo, hi]}``, computed on P(secure) = 1 - P(vulnerable).
    """
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    out: dict[str, Any] = {}
    for name, cols in signals.items():
        p = cross_fit_fused(frame, y, groups, cols, n_folds=n_folds, seed=seed, source=source)
        ivs = cluster_bootstrap(
            1.0 - p, y, groups=groups, metrics=COMPARED, n_boot=max(n_boot, 1), seed=seed
        )
        out[name] = {"columns": list(cols), **{m: _interval_dict(ivs[m]) for m in COMPARED}}
    return out
