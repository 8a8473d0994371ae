"""Post-hoc recalibration: temperature, Platt, isotonic and histogram binning.

A calibrator maps a raw confidence to a recalibrated one. Fit it on held-out data only:
:func:`cross_fit` fits on K-1 folds of tasks and predicts the remaining fold, so every
reported "after" metric is computed on out-of-fold predictions. A fitted calibrator is a
small JSON document (:func:`save_calibrator` / :func:`load_calibrator`).

References
----------
Platt (1999); Guo et al. (2017), temperature scaling; Zadrozny & Elkan (2001, 2002),
histogram binning and isotonic regression.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy.optimize import isotonic_regression

from seccal.calibration._arrays import FloatArray, IntArray, as_clusters, as_confidence, as_pair
from seccal.calibration.binning import make_bins
from seccal.errors import InputError

METHODS: tuple[str, ...] = ("temperature", "platt", "isotonic", "histogram")
FORMAT_VERSION = 1
# Verbalized confidences of exactly 0 or 1 are common; clipping bounds their logit at +-9.2
# so that a few "100%" answers cannot dominate the logistic fit.
LOGIT_EPS = 1e-4


def logit(conf: FloatArray) -> FloatArray:
    """log(c / (1 - c)) with c clipped to [LOGIT_EPS, 1 - LOGIT_EPS]."""
    c = np.clip(conf, LOGIT_EPS, 1 - LOGIT_EPS)
    return np.asarray(np.log(c) - np.log1p(-c), dtype=np.float64)


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1 + np.tanh(z / 2)), dtype=np.float64)


class Calibrator(Protocol):
    """A fitted map from raw to recalibrated confidence."""

    @property
    def method(self) -> str:
        """Name of the method, one of ``METHODS``."""
        ...

    def predict(self, conf: Any) -> FloatArray:
        """Recalibrated confidences for ``conf``."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters (with ``method``)."""
        ...


def _fit_logistic(x: FloatArray, y: FloatArray, max_iter: int = 100) -> FloatArray:
    """Unregularized logistic regression by damped Newton steps; x is (N, p)."""
    theta = np.zeros(x.shape[1])
    theta[0] = 1.0  # start at the identity map

    def nll(t: FloatArray) -> float:
        z = x @ t
        return float(np.sum(np.logaddexp(0, z) - y * z))

    current = nll(theta)
    for _ in range(max_iter):
        p = _sigmoid(x @ theta)
        grad = x.T @ (p - y)
        hess = (x * (p * (1 - p))[:, None]).T @ x + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        # halve the step until the loss does not rise (it may plateau on separable data)
        while scale > 1e-6 and nll(theta - scale * step) > current + 1e-12:
            scale /= 2
        theta = theta - scale * step
        new = nll(theta)
        if current - new < 1e-12 * max(1.0, abs(current)):
            break
        current = new
    return theta


@dataclass(frozen=True)
class TemperatureScaling:
    """c' = sigmoid(logit(c) / T): logistic regression on logit(c) without intercept."""

    temperature: float
    method: str = "temperature"

    def predict(self, conf: Any) -> FloatArray:
        return _sigmoid(logit(as_confidence(conf)) / self.temperature)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "temperature": self.temperature}


@dataclass(frozen=True)
class PlattScaling:
    """c' = sigmoid(a * logit(c) + b), unregularized."""

    a: float
    b: float
    method: str = "platt"

    def predict(self, conf: Any) -> FloatArray:
        return _sigmoid(self.a * logit(as_confidence(conf)) + self.b)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "a": self.a, "b": self.b}


@dataclass(frozen=True)
class IsotonicCalibrator:
    """Non-decreasing fit through (x, y); linear in between, clipped outside [x0, x_end]."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    method: str = "isotonic"

    def predict(self, conf: Any) -> FloatArray:
        return np.interp(as_confidence(conf), self.x, self.y)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "x": list(self.x), "y": list(self.y)}


@dataclass(frozen=True)
class HistogramBinning:
    """Each bin ``(lower, upper]`` maps to its training accuracy; empty bins leave c as is."""

    lower: tuple[float, ...]
    upper: tuple[float, ...]
    values: tuple[float | None, ...]
    method: str = "histogram"

    def predict(self, conf: Any) -> FloatArray:
        c = as_confidence(conf)
        idx = np.minimum(
            np.searchsorted(np.asarray(self.upper), c, side="left"), len(self.upper) - 1
        )
        vals = np.array([np.nan if v is None else v for v in self.values])[idx]
        return np.where(np.isnan(vals), c, vals)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "lower": list(self.lower),
            "upper": list(self.upper),
            "values": list(self.values),
        }


def fit_calibrator(
    conf: Any, labels: Any, *, method: str, n_bins: int = 10, strategy: str = "uniform"
) -> Calibrator:
    """Fit a calibrator of the given ``method`` (one of ``METHODS``) on all rows given.

    ``n_bins`` and ``strategy`` apply to histogram binning only.
    """
    c, y = as_pair(conf, labels)
    if method == "temperature":
        (a,) = _fit_logistic(logit(c)[:, None], y)
        if a <= 0:
            # a negative slope means confidence is anti-informative; no temperature exists
            raise InputError(
                "temperature: confidence ranks vulnerable above secure code; "
                "temperature scaling cannot fit (use platt or isotonic)"
            )
        return TemperatureScaling(temperature=float(1.0 / a))
    if method == "platt":
        a, b = _fit_logistic(np.column_stack([logit(c), np.ones_like(c)]), y)
        return PlattScaling(a=float(a), b=float(b))
    if method == "isotonic":
        values, inv, counts = np.unique(c, return_inverse=True, return_counts=True)
        means = np.bincount(inv.reshape(-1), weights=y) / counts
        fitted = isotonic_regression(means, weights=counts.astype(np.float64)).x
        return IsotonicCalibrator(x=tuple(values.tolist()), y=tuple(np.clip(fitted, 0, 1).tolist()))
    if method == "histogram":
        bins = make_bins(c, n_bins=n_bins, strategy=strategy)
        idx = bins.assign(c)
        n = np.bincount(idx, minlength=bins.n_bins)
        acc = np.bincount(idx, weights=y, minlength=bins.n_bins) / np.maximum(n, 1)
        return HistogramBinning(
            lower=tuple(bins.lower.tolist()),
            upper=tuple(bins.upper.tolist()),
            values=tuple(float(a) if k > 0 else None for a, k in zip(acc, n, strict=True)),
        )
    raise InputError(f"method: {method!r} is not one of {', '.join(METHODS)}")


def calibrator_from_dict(data: dict[str, Any], *, source: str = "calibrator") -> Calibrator:
    """Rebuild a calibrator from :meth:`Calibrator.to_dict` output."""
    try:
        method = data["method"]
        if method == "temperature":
            t = float(data["temperature"])
            if not t > 0:
                raise ValueError("temperature must be > 0")
            return TemperatureScaling(temperature=t)
        if method == "platt":
            return PlattScaling(a=float(data["a"]), b=float(data["b"]))
        if method == "isotonic":
            x, y = tuple(map(float, data["x"])), tuple(map(float, data["y"]))
            if len(x) != len(y) or not x or any(b < a for a, b in itertools.pairwise(x)):
                raise ValueError("x must be non-empty, sorted and as long as y")
            return IsotonicCalibrator(x=x, y=y)
        if method == "histogram":
            lower, upper = tuple(map(float, data["lower"])), tuple(map(float, data["upper"]))
            values = tuple(None if v is None else float(v) for v in data["values"])
            if not (len(lower) == len(upper) == len(values) > 0):
                raise ValueError("lower, upper and values must have the same non-zero length")
            return HistogramBinning(lower=lower, upper=upper, values=values)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: bad {data.get('method', '?')} calibrator: {exc}") from exc
    raise InputError(f"{source}: field 'method': {method!r} is not one of {', '.join(METHODS)}")


def save_calibrator(cal: Calibrator, path: str | Path) -> None:
    """Write ``cal`` as JSON."""
    doc = {"seccal_calibrator": FORMAT_VERSION, **cal.to_dict()}
    Path(path).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def load_calibrator(path: str | Path) -> Calibrator:
    """Read a calibrator written by :func:`save_calibrator`."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such file") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or data.get("seccal_calibrator") != FORMAT_VERSION:
        raise InputError(
            f"{p}: not a seccal calibrator (field 'seccal_calibrator' missing "
            f"or not {FORMAT_VERSION})"
        )
    return calibrator_from_dict(data, source=str(p))


def group_folds(groups: Any, n: int, *, n_folds: int = 5, seed: int = 0) -> IntArray:
    """Assign each row a fold so that all rows of a group share one fold.

    Groups are shuffled (seeded) and placed, largest first, in the fold with fewest rows.
    """
    cluster, n_clusters = as_clusters(groups, n)
    if n_folds < 2:
        raise InputError(f"folds: {n_folds} is fewer than 2")
    if n_clusters < n_folds:
        raise InputError(f"folds: {n_folds} folds need at least as many tasks; found {n_clusters}")
    sizes = np.bincount(cluster, minlength=n_clusters)
    order = np.random.default_rng(seed).permutation(n_clusters)
    order = order[np.argsort(-sizes[order], kind="stable")]
    fold_of = np.empty(n_clusters, dtype=np.intp)
    load = np.zeros(n_folds)
    for k in order:
        f = int(np.argmin(load))
        fold_of[k] = f
        load[f] += sizes[k]
    return fold_of[cluster]


def cross_fit(
    conf: Any,
    labels: Any,
    *,
    method: str,
    groups: Any = None,
    n_folds: int = 5,
    seed: int = 0,
    n_bins: int = 10,
    strategy: str = "uniform",
) -> FloatArray:
    """Out-of-fold recalibrated confidences from K-fold cross-fitting grouped by task."""
    c, y = as_pair(conf, labels)
    fold = group_folds(groups, c.size, n_folds=n_folds, seed=seed)
    out = np.empty_like(c)
    for f in range(n_folds):
        test = fold == f
        cal = fit_calibrator(c[~test], y[~test], method=method, n_bins=n_bins, strategy=strategy)
        out[test] = cal.predict(c[test])
    return out
