import numpy as np
import pytest

from seccal.calibration import metrics as m
from seccal.calibration.bootstrap import SUITE_METRICS, cluster_bootstrap, paired_bootstrap
from seccal.errors import InputError


def _clustered(seed: int, n_tasks: int = 30, per_task: int = 20, ties: bool = True):
    rng = np.random.default_rng(seed)
    p = rng.beta(2, 2, n_tasks)
    task = np.repeat(np.arange(n_tasks), per_task)
    y = (rng.random(task.size) < p[task]).astype(float)
    c = np.clip(p[task] + 0.15 + rng.normal(0, 0.1, task.size), 0, 1)
    if ties:
        c = np.round(c, 1)
    return c, y, task


@pytest.mark.parametrize("ties", [True, False])
def test_estimates_equal_point_metrics_and_lie_in_their_intervals(ties: bool) -> None:
    c, y, g = _clustered(0, ties=ties)
    r = cluster_bootstrap(c, y, groups=g, n_boot=200, seed=1)
    assert set(r) == set(SUITE_METRICS)
    assert r["ece"].estimate == pytest.approx(m.ece(c, y))
    assert r["auroc"].estimate == pytest.approx(m.auroc(c, y))
    assert r["aurc"].estimate == pytest.approx(m.aurc(c, y))
    assert r["brier_reliability"].estimate == pytest.approx(
        m.brier_decomposition(c, y)["reliability"]
    )
    assert r["smece"].estimate == pytest.approx(m.smooth_ece(c, y))
    for name in ("brier", "auroc", "overconfidence_gap", "false_trust_rate"):
        assert r[name].lo <= r[name].estimate <= r[name].hi, name
        assert r[name].n_valid == 200


def test_replicates_match_explicit_resampling() -> None:
    """Weighted replicates equal metrics recomputed on concatenated resampled tasks."""
    c, y, g = _clustered(2, n_tasks=8, per_task=5)
    from seccal.calibration._suite import Prepared, evaluate
    from seccal.calibration._weights import ClusterWeights, resample_counts

    counts = resample_counts(8, 5, np.random.default_rng(0))
    p = Prepared.build(c, y, n_bins=10, strategy="uniform", tau=0.8)
    reps = evaluate(p, ClusterWeights(counts, g))
    for r in range(5):
        rows = np.concatenate(
            [np.flatnonzero(g == k) for k in range(8) for _ in range(int(counts[r, k]))]
        )
        cr, yr = c[rows], y[rows]
        assert reps["ece"][r] == pytest.approx(m.ece(cr, yr))
        assert reps["brier_resolution"][r] == pytest.approx(
            m.brier_decomposition(cr, yr)["resolution"]
        )
        assert reps["smece"][r] == pytest.approx(m.smooth_ece(cr, yr))
        if 0 < yr.sum() < yr.size:
            assert reps["auroc"][r] == pytest.approx(m.auroc(cr, yr))
            assert reps["auprc"][r] == pytest.approx(m.auprc(cr, yr))


def test_seeded_and_cluster_intervals_wider_than_row_intervals() -> None:
    c, y, g = _clustered(4, n_tasks=20, per_task=50)
    a = cluster_bootstrap(c, y, groups=g, n_boot=300, seed=7, metrics=("brier",))
    b = cluster_bootstrap(c, y, groups=g, n_boot=300, seed=7, metrics=("brier",))
    assert a == b
    rows = cluster_bootstrap(c, y, n_boot=300, seed=7, metrics=("brier",))
    assert a["brier"].hi - a["brier"].lo > rows["brier"].hi - rows["brier"].lo


def test_one_class_gives_nan_interval_not_error() -> None:
    r = cluster_bootstrap([0.2, 0.9, 0.5], [1, 1, 1], groups=["a", "b", "c"], n_boot=50)
    assert np.isnan(r["auroc"].estimate) and r["auroc"].n_valid == 0
    assert r["brier"].n_valid == 50


def test_paired_comparison_detects_a_real_difference_and_not_a_null_one() -> None:
    c, y, g = _clustered(5, n_tasks=40)
    worse = np.clip(c + 0.25, 0, 1)
    r = paired_bootstrap((worse, y, g), (c, y, g), metrics=("ece", "brier"), n_boot=400, seed=0)
    assert r["ece"].diff > 0 and r["ece"].lo > 0 and r["ece"].p_value < 0.01
    same = paired_bootstrap((c, y, g), (c, y, g), metrics=("ece",), n_boot=200)
    assert same["ece"].diff == 0 and same["ece"].p_value == 1.0


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="unknown"):
        cluster_bootstrap([0.5], [1], metrics=("nope",))
    with pytest.raises(InputError, match="positive"):
        cluster_bootstrap([0.5], [1], n_boot=0)
    with pytest.raises(InputError, match="groups has 1 rows"):
        cluster_bootstrap([0.5, 0.4], [1, 0], groups=["a"])
    with pytest.raises(InputError, match="task"):
        paired_bootstrap(([0.5], [1], None), ([0.5], [1], None))
