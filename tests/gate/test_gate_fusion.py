"""The fused risk model: fitting, cross-fitting, serialisation, comparison with single signals."""

from __future__ import annotations

import numpy as np
import pytest

from seccal.calibration.metrics import auroc
from seccal.errors import InputError
from seccal.gate.fusion import FusedModel, compare_signals, cross_fit_fused, fit_fused
from seccal.gate.synthetic import synthetic_study

COLS = [
    "conf_security_verbal",
    "conf_ptrue",
    "findings_total",
    "findings_fam_sql_injection",
    "parses",
]


@pytest.fixture(scope="module")
def study():
    return synthetic_study(n_tasks=80, rows_per_task=10, seed=4)


def test_fused_ranks_better_than_the_verbal_confidence_alone(study) -> None:
    y = study["secure"].to_numpy(float)
    g = study["task_id"].to_numpy()
    fused = cross_fit_fused(study, y, g, COLS)
    alone = cross_fit_fused(study, y, g, ["conf_security_verbal"])
    assert auroc(1 - fused, y) > auroc(1 - alone, y) + 0.02


def test_model_round_trips_through_json(study) -> None:
    y = study["secure"].to_numpy(float)
    m = fit_fused(study, y, COLS)
    again = FusedModel.from_dict(m.to_dict())
    assert np.allclose(again.predict(study), m.predict(study))
    assert len(m.weights) == 2 * len(COLS)


def test_one_class_is_a_precise_error(study) -> None:
    with pytest.raises(InputError, match="all 800 rows with a known label are secure"):
        fit_fused(study, np.ones(len(study)), COLS, source="t")


def test_cross_fit_is_out_of_fold(study) -> None:
    y = study["secure"].to_numpy(float)
    g = study["task_id"].to_numpy()
    oof = cross_fit_fused(study, y, g, COLS, n_folds=4)
    in_sample = fit_fused(study, y, COLS).predict(study)
    assert not np.allclose(oof, in_sample)
    assert oof.shape == y.shape and np.all((oof > 0) & (oof < 1))


def test_compare_signals_reports_cis(study) -> None:
    y = study["secure"].to_numpy(float)
    g = study["task_id"].to_numpy()
    out = compare_signals(
        study, y, g, {"fused": COLS, "verbal": ["conf_security_verbal"]}, n_boot=50
    )
    assert set(out) == {"fused", "verbal"}
    for s in out.values():
        for m in ("auroc", "brier", "ece"):
            lo, hi = s[m]["ci"]
            assert 0 <= lo <= hi <= 1
        assert s["auroc"]["ci"][0] <= s["auroc"]["estimate"] <= s["auroc"]["ci"][1]
    assert out["fused"]["brier"]["estimate"] < out["verbal"]["brier"]["estimate"]
