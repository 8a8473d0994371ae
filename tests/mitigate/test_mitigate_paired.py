import numpy as np
import pandas as pd
import pytest

from seccal.calibration.report import summarize
from seccal.mitigate.paired import security_vs_functional


def _frame(n_tasks: int = 20, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_tasks * 3
    secure = rng.random(n) < 0.3
    correct = rng.random(n) < 0.7
    return pd.DataFrame(
        {
            "task_id": np.repeat([f"t{i}" for i in range(n_tasks)], 3),
            # security: always ~0.9 although 30% are secure; functional: honest
            "conf_security_verbal": np.clip(0.9 + rng.normal(0, 0.03, n), 0, 1),
            "conf_functional_verbal": np.where(correct, 0.75, 0.6),
            "secure": secure.astype(int),
            "correct": correct.astype(int),
        }
    )


def test_paired_difference_is_security_minus_functional_on_the_same_rows() -> None:
    df = _frame()
    df.loc[0, "correct"] = None  # row 0 is not paired: left out of both sides
    res = security_vs_functional(df, n_boot=200, seed=0)
    assert res is not None and res.n == len(df) - 1 and res.n_excluded == 1
    keep = df.index != 0
    sec = summarize(df.loc[keep, "conf_security_verbal"], df.loc[keep, "secure"], n_boot=0)
    fun = summarize(
        df.loc[keep, "conf_functional_verbal"], df.loc[keep, "correct"].astype(float), n_boot=0
    )
    ece = res.comparisons["ece"]
    assert ece["security"] == pytest.approx(sec["ece"])
    assert ece["functional"] == pytest.approx(fun["ece"])
    assert ece["diff"] == pytest.approx(sec["ece"] - fun["ece"])
    assert ece["diff"] > 0.15 and ece["ci"][0] > 0 and ece["p_value"] < 0.05


def test_nothing_to_pair_gives_none() -> None:
    df = _frame()
    df["correct"] = None
    assert security_vs_functional(df, n_boot=10) is None


def test_no_bootstrap_gives_point_estimates_only() -> None:
    res = security_vs_functional(_frame(), n_boot=0)
    assert res is not None
    assert res.comparisons["ece"]["ci"] is None and res.comparisons["ece"]["p_value"] is None
