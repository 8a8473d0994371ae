"""Per-subgroup calibration and iterative subgroup-residual patching."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from seccal.errors import InputError
from seccal.gate.multicalib import (
    before_after,
    fit_multicalibration,
    memberships,
    subgroup_calibration,
)


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """True P(vulnerable) 0.3 everywhere but 0.7 for language=c; the model says 0.3 for all."""
    rng = np.random.default_rng(seed)
    lang = rng.choice(["python", "c", "go"], n, p=[0.6, 0.2, 0.2])
    cwe = rng.choice(["CWE-89", "CWE-78;CWE-88"], n)
    truth = np.where(lang == "c", 0.7, 0.3)
    y = (rng.random(n) >= truth).astype(float)  # 1 = secure
    frame = pd.DataFrame({"language": lang, "cwe": cwe, "task_id": np.arange(n) // 4})
    return np.full(n, 0.3), y, frame


def test_memberships_split_joined_values() -> None:
    m = memberships(pd.DataFrame({"cwe": ["CWE-78;CWE-88", "CWE-89", ""]}), "cwe")
    assert m["CWE-78"].tolist() == [True, False, False] and m["CWE-88"][0]
    assert m["(none)"].tolist() == [False, False, True]
    with pytest.raises(InputError, match="no column 'language'"):
        memberships(pd.DataFrame({"x": [1]}), "language")


def test_patching_fixes_the_miscalibrated_subgroup_on_new_data() -> None:
    p, y, frame = _data(4000, 1)
    hold = (frame["task_id"] % 5 == 0).to_numpy()
    mc = fit_multicalibration(p, y, frame, hold, columns=("language", "cwe"))
    assert mc.patches and mc.patches[0].column == "language" and mc.patches[0].value == "c"
    p2, y2, f2 = _data(4000, 2)
    after = mc.predict(p2, f2)
    table = before_after(
        subgroup_calibration(p2, y2, f2, ["language"]),
        subgroup_calibration(after, y2, f2, ["language"]),
    )
    c = next(r for r in table if r["value"] == "c")
    assert c["ece_before"] > 0.3 and c["ece_after"] < 0.08
    assert abs(c["predicted_after"] - c["observed_vulnerable"]) < 0.05
    worst_before = max(r["ece_before"] for r in table)
    worst_after = max(r["ece_after"] for r in table)
    assert worst_after < worst_before / 3


def test_calibrated_input_gets_no_harmful_patches() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    truth = rng.random(n)
    y = (rng.random(n) >= truth).astype(float)
    frame = pd.DataFrame({"language": rng.choice(["a", "b"], n)})
    hold = np.arange(n) % 4 == 0
    mc = fit_multicalibration(truth, y, frame, hold, columns=("language",))
    after = mc.predict(truth, frame)
    assert np.mean((after - (1 - y)) ** 2) <= np.mean((truth - (1 - y)) ** 2) + 1e-3


def test_no_group_column_is_an_error() -> None:
    with pytest.raises(InputError, match="none of the group columns"):
        fit_multicalibration([0.5], [1], pd.DataFrame({"x": [1]}), np.array([False]))
