import numpy as np
import pytest

from seccal.calibration.report import SUMMARY_METRICS, summarize
from seccal.calibration.trend import trend_bootstrap
from seccal.errors import InputError


def _conditions(rng: np.random.Generator, over: list[float], n_tasks: int = 30):
    tasks = np.repeat(np.arange(n_tasks), 4).astype(str)
    p = rng.uniform(0.2, 0.8, n_tasks).repeat(4)
    y = (rng.random(tasks.size) < p).astype(float)
    out = []
    for x, o in zip((0.0, 0.5, 1.0), over, strict=True):
        c = np.clip(p + o + rng.normal(0, 0.05, tasks.size), 0, 1)
        out.append((x, c, y, tasks))
    return out


def test_slope_is_least_squares_with_a_ci_that_sees_a_real_trend() -> None:
    rng = np.random.default_rng(0)
    conds = _conditions(rng, [0.0, 0.15, 0.3])
    t = trend_bootstrap(conds, metric="overconfidence_gap", n_boot=300, seed=1)
    gaps = [summarize(c, y, n_boot=0)["overconfidence_gap"] for _, c, y, _ in conds]
    assert t.values == pytest.approx(gaps)
    assert t.slope == pytest.approx(np.polyfit([0.0, 0.5, 1.0], gaps, 1)[0])
    assert t.lo is not None and t.hi is not None and 0 < t.lo <= t.slope <= t.hi
    assert t.p_value is not None and t.p_value < 0.05


def test_no_trend_has_a_ci_around_zero() -> None:
    rng = np.random.default_rng(2)
    t = trend_bootstrap(_conditions(rng, [0.1, 0.1, 0.1]), metric="ece", n_boot=300)
    assert t.lo is not None and t.hi is not None and t.lo < 0 < t.hi


def test_one_setting_has_no_slope_and_settings_must_differ() -> None:
    rng = np.random.default_rng(3)
    (only, *_) = _conditions(rng, [0.0, 0.0, 0.0])
    assert trend_bootstrap([only], n_boot=50).slope is None
    with pytest.raises(InputError, match="once"):
        trend_bootstrap([only, only], n_boot=10)


def test_summarize_can_leave_metrics_without_interval() -> None:
    rng = np.random.default_rng(4)
    c, y = rng.random(80), (rng.random(80) < 0.5).astype(float)
    full = summarize(c, y, n_boot=50)
    some = summarize(c, y, n_boot=50, ci_metrics=("ece", "brier"))
    assert set(some["ci"]) == {"ece", "brier"}
    assert {m: some[m] for m in SUMMARY_METRICS} == pytest.approx(
        {m: full[m] for m in SUMMARY_METRICS}
    )
    with pytest.raises(InputError, match="ci_metrics"):
        summarize(c, y, n_boot=5, ci_metrics=("nope",))
