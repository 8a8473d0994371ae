import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    roc_auc_score,
)
from sklearn.metrics import log_loss as sk_log_loss

from seccal.calibration import metrics as m
from seccal.errors import InputError

P5 = [0.25, 0.25, 0.55, 0.75, 0.75]
Y5 = [0, 0, 1, 1, 1]


def test_ece_mce_reference_values() -> None:
    assert m.ece(P5, Y5, n_bins=2) == pytest.approx(0.29)
    assert m.mce(P5, Y5, n_bins=2) == pytest.approx(0.316667, abs=1e-6)


def test_brier_reference_value() -> None:
    p = [0.1, 0.8, 0.9, 0.3, 1.0, 0.95]
    assert m.brier(p, [0, 1, 1, 0, 1, 1]) == pytest.approx(0.0254167, abs=1e-7)


def test_brier_decomposition_reference_values() -> None:
    p = [0.2] * 5 + [0.8] * 5
    y = [1, 0, 0, 0, 0, 1, 1, 1, 0, 0]
    d = m.brier_decomposition(p, y)
    assert m.brier(p, y) == pytest.approx(0.22)
    assert d["reliability"] == pytest.approx(0.02)
    assert d["resolution"] == pytest.approx(0.04)
    assert d["uncertainty"] == pytest.approx(0.24)
    assert m.brier_skill_score(p, y) == pytest.approx(1 - 0.22 / 0.24)


def test_reliability_table_bins_are_right_closed() -> None:
    # 0.3 lies in (0.2, 0.3], 0.0 in the first bin closed at 0
    r = m.reliability([0.0, 0.3, 0.30001, 1.0], [0, 1, 1, 1], n_bins=10)
    assert r.count.tolist() == [1, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    assert r.accuracy[2] == 1.0 and r.mean_confidence[2] == pytest.approx(0.3)
    assert np.isnan(r.gap[1])
    assert r.rows()[1]["gap"] is None
    assert r.gap[2] == pytest.approx(0.3 - 1.0)


def test_threshold_metrics_by_hand() -> None:
    c = [0.9, 0.85, 0.5, 0.95, 0.2, 0.8]
    y = [0, 0, 0, 1, 0, 1]
    # vulnerable: .9 .85 .5 .2 -> 2 of 4 at >= .8; confident: .9 .85 .95 .8 -> 2 of 4 vulnerable
    assert m.false_trust_rate(c, y, tau=0.8) == 0.5
    assert m.p_vulnerable_given_confident(c, y, tau=0.8) == 0.5
    curve = m.threshold_curves(c, y, taus=[0.0, 0.8, 0.99])
    assert curve.false_trust_rate.tolist() == [1.0, 0.5, 0.0]
    assert curve.coverage.tolist() == pytest.approx([1.0, 4 / 6, 0.0])
    assert np.isnan(curve.p_vulnerable_given_confident[2])
    assert m.overconfidence_gap(c, y) == pytest.approx(np.mean(c) - np.mean(y))


def test_risk_coverage_and_aurc_without_ties() -> None:
    c = [0.9, 0.8, 0.7, 0.6]
    y = [1, 0, 1, 0]
    rc = m.risk_coverage(c, y)
    assert rc.coverage.tolist() == [0.25, 0.5, 0.75, 1.0]
    assert rc.risk.tolist() == pytest.approx([0.0, 0.5, 1 / 3, 0.5])
    assert m.aurc(c, y) == pytest.approx(np.mean([0.0, 0.5, 1 / 3, 0.5]))


def test_one_class_metrics_are_nan_not_errors() -> None:
    assert np.isnan(m.auroc([0.2, 0.9], [1, 1]))
    assert np.isnan(m.false_trust_rate([0.2, 0.9], [1, 1]))
    assert np.isnan(m.brier_skill_score([0.2, 0.9], [1, 1]))
    assert m.brier([0.2, 0.9], [1, 1]) == pytest.approx((0.64 + 0.01) / 2)


@pytest.mark.parametrize(
    ("conf", "labels", "message"),
    [
        ([0.5, float("nan")], [0, 1], "confidence: row 1"),
        ([0.5, 1.2], [0, 1], "confidence: row 1"),
        ([0.5, 0.4], [0, 2], "label: row 1"),
        ([0.5], [0, 1], "1 rows but label has 2"),
        ([], [], "no rows"),
    ],
)
def test_bad_input_names_the_row(conf: list[float], labels: list[int], message: str) -> None:
    with pytest.raises(InputError, match=message):
        m.ece(conf, labels)


def _random(seed: int, n: int = 2000, ties: bool = False) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    c = rng.random(n)
    if ties:
        c = np.round(c, 1)
    y = (rng.random(n) < c**1.5).astype(float)
    return c, y


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("ties", [False, True])
def test_cross_check_against_scikit_learn(seed: int, ties: bool) -> None:
    c, y = _random(seed, ties=ties)
    assert m.brier(c, y) == pytest.approx(brier_score_loss(y, c))
    assert m.auroc(c, y) == pytest.approx(roc_auc_score(y, c))
    assert m.auprc(c, y) == pytest.approx(average_precision_score(y, c))
    assert m.log_loss(c, y) == pytest.approx(sk_log_loss(y, c))
    acc, conf = calibration_curve(y, c, n_bins=10, strategy="uniform")
    r = m.reliability(c, y, n_bins=10)
    filled = r.count > 0
    # scikit-learn's bins are [lo, hi); ours (lo, hi]: identical on data with no value on an edge
    if not ties:
        assert r.accuracy[filled] == pytest.approx(acc)
        assert r.mean_confidence[filled] == pytest.approx(conf)


def test_quantile_bins_never_split_ties() -> None:
    c = np.array([0.9] * 50 + [0.8] * 30 + [0.5] * 15 + [0.1] * 5)
    y = np.ones_like(c)
    r = m.reliability(c, y, n_bins=4, strategy="quantile")
    assert r.count.sum() == 100
    for value in (0.9, 0.8, 0.5, 0.1):
        holding = [
            i
            for i in range(r.upper.size)
            if r.lower[i] < value <= r.upper[i] or (i == 0 and value == 0)
        ]
        assert len(holding) == 1
        assert r.count[holding[0]] >= (c == value).sum()


def test_smooth_ece_tracks_ece_and_vanishes_when_calibrated() -> None:
    rng = np.random.default_rng(3)
    c = rng.random(200_000)
    y = (rng.random(c.size) < c).astype(float)
    assert m.smooth_ece(c, y) < 0.01
    shifted = np.clip(c + 0.2, 0, 1)
    assert m.smooth_ece(shifted, y) == pytest.approx(m.ece(shifted, y), abs=0.03)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 1)), min_size=1, max_size=60),
    st.integers(1, 15),
    st.sampled_from(["uniform", "quantile"]),
)
def test_properties_on_any_data(rows: list[tuple[float, int]], n_bins: int, strategy: str) -> None:
    c = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows], dtype=float)
    e = m.ece(c, y, n_bins=n_bins, strategy=strategy)
    assert 0.0 <= e <= 1.0 + 1e-12
    assert e <= m.mce(c, y, n_bins=n_bins, strategy=strategy) + 1e-12
    assert 0.0 <= m.smooth_ece(c, y) <= 1.0
    d = m.brier_decomposition(c, y)
    assert d["reliability"] - d["resolution"] + d["uncertainty"] == pytest.approx(
        m.brier(c, y), abs=1e-9
    )
    r = m.reliability(c, y, n_bins=n_bins, strategy=strategy)
    assert r.count.sum() == c.size


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_calibrated_data_has_small_ece_as_n_grows(seed: int) -> None:
    rng = np.random.default_rng(seed)
    eces = []
    for n in (200, 20_000):
        c = rng.random(n)
        y = (rng.random(n) < c).astype(float)
        eces.append(m.ece(c, y))
    assert eces[1] < 0.03
    assert eces[1] < eces[0] + 0.01


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_smooth_ece_matches_relplot(seed: int) -> None:
    relplot = pytest.importorskip("relplot", reason="relplot (dev extra) not installed")
    rng = np.random.default_rng(seed)
    c = rng.random(3000) ** (seed + 1)
    y = (rng.random(c.size) < np.clip(c + 0.1 * seed, 0, 1)).astype(float)
    assert m.smooth_ece(c, y) == pytest.approx(relplot.smECE(c, y), abs=2e-3)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.1, 0.5, 0.8, 0.9, 1.0]), st.integers(0, 1)),
        min_size=2,
        max_size=50,
    )
)
def test_curves_are_monotone_and_aurc_integrates_the_risk_curve(
    rows: list[tuple[float, int]],
) -> None:
    c = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows], dtype=float)
    curve = m.threshold_curves(c, y)
    assert np.all(np.diff(curve.coverage) <= 0)
    ftr = curve.false_trust_rate
    if not np.isnan(ftr).all():
        assert np.all(np.diff(ftr) <= 1e-12)
    rc = m.risk_coverage(c, y)
    steps = np.diff(np.concatenate(([0.0], rc.coverage)))
    assert m.aurc(c, y) == pytest.approx(float((steps * rc.risk).sum()))
    assert rc.coverage[-1] == 1.0 and rc.risk[-1] == pytest.approx(1 - y.mean())


def test_tau_outside_unit_interval_is_rejected() -> None:
    from seccal.calibration.report import summarize

    with pytest.raises(InputError, match="tau"):
        summarize([0.5, 0.6], [0, 1], tau=1.5, n_boot=0)
