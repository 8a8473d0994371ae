import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from seccal.calibration import metrics as m
from seccal.calibration.recalibrate import (
    METHODS,
    cross_fit,
    fit_calibrator,
    group_folds,
    load_calibrator,
    logit,
    save_calibrator,
)
from seccal.calibration.report import recalibration_report
from seccal.errors import InputError


def _overconfident(seed: int, n: int = 4000, n_tasks: int = 80):
    rng = np.random.default_rng(seed)
    task = np.arange(n) % n_tasks
    c = rng.random(n)
    y = (rng.random(n) < c**3).astype(float)  # stated c far above the truth
    return c, y, task


def test_platt_and_temperature_match_unregularized_scikit_learn() -> None:
    c, y, _ = _overconfident(0)
    z = logit(c)[:, None]
    platt = fit_calibrator(c, y, method="platt")
    lr = LogisticRegression(C=1e12, tol=1e-10, max_iter=10_000).fit(z, y)
    assert platt.a == pytest.approx(lr.coef_[0, 0], rel=1e-3)
    assert platt.b == pytest.approx(lr.intercept_[0], rel=1e-3)
    temp = fit_calibrator(c, y, method="temperature")
    lr0 = LogisticRegression(C=1e12, tol=1e-10, max_iter=10_000, fit_intercept=False).fit(z, y)
    assert temp.temperature == pytest.approx(1 / lr0.coef_[0, 0], rel=1e-3)


def test_temperature_undoes_a_known_temperature() -> None:
    rng = np.random.default_rng(1)
    true_p = rng.random(20_000)
    y = (rng.random(true_p.size) < true_p).astype(float)
    stated = 1 / (1 + np.exp(-logit(true_p) * 2.5))  # over-sharpened by T = 1/2.5
    cal = fit_calibrator(stated, y, method="temperature")
    assert cal.temperature == pytest.approx(2.5, rel=0.05)


@pytest.mark.parametrize("method", METHODS)
def test_cross_fitting_improves_overconfident_data_out_of_fold(method: str) -> None:
    c, y, task = _overconfident(2)
    oof = cross_fit(c, y, method=method, groups=task, n_folds=5)
    assert oof.shape == c.shape and np.all((oof >= 0) & (oof <= 1))
    if method != "temperature":  # no intercept: cannot remove a pure shift
        assert m.ece(oof, y) < 0.05 < m.ece(c, y)
    assert m.brier(oof, y) < m.brier(c, y)


def test_isotonic_is_monotone_and_clipped_outside_the_data() -> None:
    cal = fit_calibrator([0.2, 0.4, 0.6, 0.8], [0, 1, 0, 1], method="isotonic")
    pred = cal.predict([0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0])
    assert np.all(np.diff(pred) >= 0)
    assert pred[0] == pred[1] == 0.0 and pred[-1] == pred[-2] == 1.0
    assert pred[2] == pytest.approx(0.5)


def test_histogram_maps_bins_to_accuracy_and_leaves_empty_bins_alone() -> None:
    cal = fit_calibrator([0.05, 0.05, 0.95, 0.95], [0, 1, 1, 1], method="histogram", n_bins=2)
    assert cal.predict([0.1, 0.7]).tolist() == [0.5, 1.0]
    cal10 = fit_calibrator([0.05, 0.95], [0, 1], method="histogram", n_bins=10)
    assert cal10.predict([0.45])[0] == 0.45


@pytest.mark.parametrize("method", METHODS)
def test_json_round_trip_predicts_identically(tmp_path: Path, method: str) -> None:
    c, y, _ = _overconfident(3, n=500)
    cal = fit_calibrator(c, y, method=method)
    path = tmp_path / "cal.json"
    save_calibrator(cal, path)
    again = load_calibrator(path)
    grid = np.linspace(0, 1, 101)
    assert np.array_equal(cal.predict(grid), again.predict(grid))


def test_bad_calibrator_files(tmp_path: Path) -> None:
    p = tmp_path / "c.json"
    p.write_text("{")
    with pytest.raises(InputError, match="line 1: not valid JSON"):
        load_calibrator(p)
    p.write_text(json.dumps({"method": "platt", "a": 1, "b": 0}))
    with pytest.raises(InputError, match="not a seccal calibrator"):
        load_calibrator(p)
    p.write_text(json.dumps({"seccal_calibrator": 1, "method": "platt", "a": 1}))
    with pytest.raises(InputError, match="bad platt calibrator"):
        load_calibrator(p)
    p.write_text(json.dumps({"seccal_calibrator": 1, "method": "magic"}))
    with pytest.raises(InputError, match="'method': 'magic'"):
        load_calibrator(p)


def test_anti_informative_confidence_cannot_be_temperature_scaled() -> None:
    with pytest.raises(InputError, match="temperature"):
        fit_calibrator([0.9, 0.8, 0.2, 0.1] * 5, [0, 0, 1, 1] * 5, method="temperature")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=10, max_size=200), st.integers(2, 6), st.integers(0, 99)
)
def test_group_folds_keep_groups_together(groups: list[int], k: int, seed: int) -> None:
    if len(set(groups)) < k:
        with pytest.raises(InputError, match="at least as many tasks"):
            group_folds(groups, len(groups), n_folds=k, seed=seed)
        return
    fold = group_folds(groups, len(groups), n_folds=k, seed=seed)
    g = np.array(groups)
    for key in set(groups):
        assert np.unique(fold[g == key]).size == 1
    assert set(fold.tolist()) == set(range(k))


def test_recalibration_report_shape() -> None:
    c, y, task = _overconfident(4, n=600, n_tasks=30)
    rep = recalibration_report(c, y, groups=task, methods=("platt", "isotonic"), n_boot=100)
    assert set(rep["after"]) == {"platt", "isotonic"}
    ch = rep["ece_change"]["platt"]
    assert ch["diff"] < 0 and ch["ci"][1] < 0 and ch["p_value"] < 0.05
    json.dumps(rep, allow_nan=False)
