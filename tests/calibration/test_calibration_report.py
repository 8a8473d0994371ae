import json

import numpy as np
import pytest

from seccal.calibration import metrics as m
from seccal.calibration.report import SUMMARY_METRICS, summarize


def test_summary_keys_values_and_json_safety() -> None:
    rng = np.random.default_rng(0)
    task = np.repeat(np.arange(20), 10)
    c = np.round(rng.random(200), 1)
    y = (rng.random(200) < c).astype(float)
    s = summarize(c, y, groups=task, n_boot=100, seed=3)
    assert list(s) == ["n", *SUMMARY_METRICS, "ci"]
    assert s["ece"] == pytest.approx(m.ece(c, y))
    assert s["false_trust_rate"] == pytest.approx(m.false_trust_rate(c, y, tau=0.8))
    assert set(s["ci"]) == set(SUMMARY_METRICS)
    json.dumps(s, allow_nan=False)
    assert summarize(c, y, groups=task, n_boot=100, seed=3) == s


def test_undefined_metrics_are_none_without_ci() -> None:
    s = summarize([0.9, 0.7], [1, 1], n_boot=30)
    assert s["auroc"] is None and "auroc" not in s["ci"]
    assert s["brier"] == pytest.approx((0.01 + 0.09) / 2)
    json.dumps(s, allow_nan=False)


def test_compare_is_json_ready_and_signed_a_minus_b() -> None:
    from seccal.calibration.report import COMPARED_METRICS, compare

    rng = np.random.default_rng(1)
    task = np.repeat(np.arange(30), 10)
    y = (rng.random(300) < 0.5).astype(float)
    good = np.full(300, 0.5)
    bad = np.full(300, 0.9)
    out = compare((bad, y, task), (good, y, task), n_boot=200)
    assert set(out) == set(COMPARED_METRICS)
    assert out["overconfidence_gap"]["diff"] == pytest.approx(0.4)
    assert out["ece"]["a"] > out["ece"]["b"]
    json.dumps(out, allow_nan=False)
