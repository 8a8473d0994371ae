"""Learn-then-Test risk control: p-values, fixed-sequence testing, the guarantee itself."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binom

from seccal.errors import InputError
from seccal.gate.risk import (
    binomial_p_value,
    control_risk,
    feasibility_bound,
    fixed_sequence,
    hb_p_value,
    hoeffding_p_value,
    min_accepted,
    threshold_grid,
)


@pytest.mark.parametrize(
    ("k", "n", "alpha"), [(0, 30, 0.1), (3, 50, 0.1), (12, 100, 0.2), (5, 5, 0.05)]
)
def test_binomial_p_value_is_the_exact_lower_tail(k: int, n: int, alpha: float) -> None:
    by_hand = sum(math.comb(n, i) * alpha**i * (1 - alpha) ** (n - i) for i in range(k + 1))
    assert binomial_p_value(k, n, alpha) == pytest.approx(by_hand, rel=1e-10)
    assert binomial_p_value(k, n, alpha) == pytest.approx(binom.cdf(k, n, alpha), rel=1e-12)


def test_hoeffding_bounds_the_binomial_tail_and_hb_takes_the_smaller() -> None:
    n = np.arange(1, 300)
    k = (n * 0.04).astype(int)
    hoeff = hoeffding_p_value(k, n, 0.1)
    exact = binomial_p_value(k, n, 0.1)
    assert np.all(hoeff >= exact - 1e-12)  # a Chernoff bound is never below the exact tail
    assert np.allclose(hb_p_value(k, n, 0.1), np.minimum(hoeff, exact))
    assert hb_p_value(0, 0, 0.1) == 1.0  # nothing accepted: no evidence


def test_hb_p_value_matches_mapie() -> None:
    methods = pytest.importorskip("mapie.risk_control.methods")
    n = np.array([10, 40, 120, 500], dtype=float)
    r_hat = np.array([0.0, 0.05, 0.08, 0.11])
    ours = hb_p_value(np.ceil(n * r_hat), n, 0.1)
    theirs = methods.compute_hoeffding_bentkus_p_value(r_hat, n, 0.1, binary=True)[:, 0]
    assert np.allclose(ours, theirs)


def test_fixed_sequence_rejects_the_prefix_below_delta() -> None:
    assert fixed_sequence([0.01, 0.02, 0.2, 0.01], 0.05) == 2  # stops at the first failure
    assert fixed_sequence([0.2, 0.01], 0.05) == 0
    assert fixed_sequence([0.01, 0.01], 0.05) == 2
    fwer = pytest.importorskip("mapie.risk_control")
    p = np.array([0.001, 0.01, 0.04, 0.06, 0.01])
    assert fixed_sequence(p, 0.05) == len(fwer.control_fwer(p, 0.05, fwer_method="fixed_sequence"))


@pytest.mark.parametrize(("alpha", "delta"), [(0.1, 0.1), (0.05, 0.1), (0.2, 0.05), (0.01, 0.2)])
def test_min_accepted_is_exact(alpha: float, delta: float) -> None:
    n = min_accepted(alpha, delta)
    assert binomial_p_value(0, n, alpha) <= delta < binomial_p_value(0, n - 1, alpha)


def test_feasibility_bound_is_exact_for_an_oracle() -> None:
    rng = np.random.default_rng(1)
    y = (rng.random(2000) > 0.4).astype(float)  # 40% vulnerable
    mu, alpha = 1 - y.mean(), 0.1
    # the best any gate can do: accept every secure row, then vulnerable ones up to alpha
    n_secure = int(y.sum())
    best_accept = min(y.size, math.floor(n_secure / (1 - alpha)))
    assert 1 - best_accept / y.size == pytest.approx(feasibility_bound(mu, alpha), abs=1 / y.size)
    assert feasibility_bound(0.05, 0.1) == 0.0


def test_infeasible_when_base_rate_is_high_and_scores_uninformative() -> None:
    rng = np.random.default_rng(2)
    y = (rng.random(400) > 0.9).astype(float)  # 90% vulnerable
    p = rng.random(400)  # says nothing
    grid = threshold_grid(rng.random(400), n_calibration=400, alpha=0.05, delta=0.1)
    rc = control_risk(p, y, grid, alpha=0.05, delta=0.1)
    assert not rc.feasible and rc.threshold is None
    d = rc.to_dict()
    assert d["threshold"] is None and d["calibration_accepted"] == 0
    assert d["feasibility_bound"] == pytest.approx((rc.base_rate - 0.05) / 0.95)


def test_guarantee_holds_on_data_with_known_risk() -> None:
    """Scores s ~ U(0, 1) with P(vulnerable | s) = s: risk(t) = t / 2 exactly."""
    alpha, delta, n, reps = 0.1, 0.1, 2000, 400
    rng = np.random.default_rng(3)
    violations, accepted = 0, []
    for _ in range(reps):
        ref = rng.random(n)  # an independent split fixes the grid and where testing starts
        grid = threshold_grid(
            ref, n_calibration=n, alpha=alpha, delta=delta, reference_labels=rng.random(n) >= ref
        )
        s = rng.random(n)
        y = (rng.random(n) >= s).astype(float)  # vulnerable with probability s
        rc = control_risk(s, y, grid, alpha=alpha, delta=delta)
        t = rc.threshold or 0.0
        violations += t / 2 > alpha  # the true risk of the chosen threshold
        accepted.append(t)
    slack = 3 * math.sqrt(delta * (1 - delta) / reps)
    assert violations / reps <= delta + slack
    assert np.mean(accepted) > 0.1  # it is not trivially safe by accepting nothing


def test_threshold_grid_starts_where_certifying_is_possible() -> None:
    ref = np.linspace(0, 1, 1001)
    grid = threshold_grid(ref, n_calibration=100, alpha=0.1, delta=0.1)
    assert grid[-1] == 1.0 and np.all(np.diff(grid) > 0)
    assert grid[0] == pytest.approx(min_accepted(0.1, 0.1) / 100, abs=0.01)


def test_threshold_grid_learns_its_start_from_reference_labels() -> None:
    """The start is where the predicted p-value is smallest: not too strict, not too loose."""
    rng = np.random.default_rng(4)
    ref = rng.random(5000)
    labels = rng.random(5000) >= ref  # risk(t) = t / 2
    grid = threshold_grid(ref, n_calibration=1000, alpha=0.1, delta=0.1, reference_labels=labels)
    assert 0.02 < grid[0] < 0.2  # certifiable with room to spare, well below risk alpha
    rc = control_risk(ref, labels, grid, alpha=0.1, delta=0.1)
    assert rc.feasible and 0.1 < (rc.threshold or 0) <= 0.2


def test_bad_levels_and_thresholds_are_errors() -> None:
    with pytest.raises(InputError, match="alpha"):
        control_risk([0.1], [1], [0.5], alpha=1.5, delta=0.1)
    with pytest.raises(InputError, match="delta"):
        min_accepted(0.1, 0.0)
    with pytest.raises(InputError, match="ascending"):
        control_risk([0.1], [1], [0.5, 0.2], alpha=0.1, delta=0.1)


def _clustered(rng: np.random.Generator, n_tasks: int, m: int) -> tuple[np.ndarray, ...]:
    """Tasks with vulnerable rate q ~ Beta(1, 3); every snippet of a task scores s = q + noise."""
    q = rng.beta(1.0, 3.0, n_tasks)
    s = np.clip(q + rng.normal(0, 0.05, n_tasks), 0, 1)
    y = (rng.random((n_tasks, m)) >= q[:, None]).astype(float)  # 1 = secure
    groups = np.repeat(np.arange(n_tasks), m)
    return np.repeat(s, m), y.reshape(-1), groups, q


def test_task_units_keep_the_guarantee_on_correlated_snippets() -> None:
    """Risk(t) = E[q | s <= t] (pooled and task-level coincide: equal task sizes)."""
    alpha, delta, reps = 0.1, 0.1, 150
    rng = np.random.default_rng(5)
    big_s, _, _, big_q = _clustered(rng, 200_000, 1)
    broken = accepted = 0
    for _ in range(reps):
        ref_s, ref_y, ref_g, _ = _clustered(rng, 800, 3)
        s, y, g, _ = _clustered(rng, 800, 3)
        grid = threshold_grid(
            ref_s,
            n_calibration=s.size,
            alpha=alpha,
            delta=delta,
            reference_labels=ref_y,
            reference_groups=ref_g,
        )
        rc = control_risk(s, y, grid, alpha=alpha, delta=delta, groups=g)
        assert rc.unit == "task" and rc.n_units == 800
        if rc.threshold is not None:
            accepted += 1
            broken += float(big_q[big_s <= rc.threshold].mean()) > alpha
    assert broken / reps <= delta + 3 * math.sqrt(delta * (1 - delta) / reps)
    assert accepted > reps / 2  # and it certifies something most of the time
