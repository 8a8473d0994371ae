import numpy as np
import pandas as pd
import pytest

from seccal.calibration.proportion import cluster_proportion
from seccal.core.results import confidence_array, known_rows, label_array
from seccal.errors import InputError


def test_labels_read_the_same_from_text_nullable_ints_and_bools() -> None:
    text = pd.DataFrame({"y": ["1", "0", "", "unknown", "secure"]})
    ints = pd.DataFrame({"y": pd.array([1, 0, None, None, 1], dtype="Int64")})
    bools = pd.DataFrame({"y": [True, False, None, np.nan, True]})
    for df in (text, ints, bools):
        got = label_array(df, "y")
        assert got[[0, 1, 4]].tolist() == [1.0, 0.0, 1.0]
        assert np.isnan(got[[2, 3]]).all()


def test_bad_label_names_column_and_row() -> None:
    with pytest.raises(InputError, match=r"column 'y': row 2: label '2'"):
        label_array(pd.DataFrame({"y": ["1", "2"]}), "y")


def test_confidence_out_of_range_is_an_error_and_empty_is_unknown() -> None:
    conf = confidence_array(pd.DataFrame({"c": ["0.5", "", "1"]}), "c")
    assert conf[0] == 0.5 and np.isnan(conf[1]) and conf[2] == 1.0
    with pytest.raises(InputError, match=r"row 2: confidence '1.5'"):
        confidence_array(pd.DataFrame({"c": ["0.5", "1.5"]}), "c")


def test_known_rows_counts_what_it_leaves_out() -> None:
    df = pd.DataFrame(
        {"task_id": ["a", "a", "b", "b"], "c": [0.9, None, 0.2, 0.4], "y": ["1", "0", "", "0"]}
    )
    s = known_rows(df, "c", "y")
    assert s.n == 2 and s.n_unknown_label == 1 and s.n_missing_confidence == 1
    assert s.groups.tolist() == ["a", "b"]


def test_cluster_proportion_interval_brackets_estimate_and_is_reproducible() -> None:
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(30), 4)
    hits = rng.random(120) < 0.3
    a = cluster_proportion(hits, groups, n_boot=300, seed=1)
    b = cluster_proportion(hits, groups, n_boot=300, seed=1)
    assert a == b
    assert a.lo is not None and a.hi is not None and a.estimate is not None
    assert a.lo <= a.estimate <= a.hi
    assert a.numerator == int(hits.sum()) and a.denominator == 120


def test_cluster_proportion_whole_tasks_widen_the_interval() -> None:
    # Every task is all-hit or all-miss: task resampling must see 10 units, not 200 rows.
    groups = np.repeat(np.arange(10), 20)
    hits = np.repeat(np.arange(10) % 2, 20)
    by_task = cluster_proportion(hits, groups, n_boot=500, seed=0)
    by_row = cluster_proportion(hits, np.arange(200), n_boot=500, seed=0)
    assert (by_task.hi - by_task.lo) > 2 * (by_row.hi - by_row.lo)  # type: ignore[operator]


def test_cluster_proportion_with_empty_denominator() -> None:
    p = cluster_proportion([1, 1], ["a", "b"], within=[0, 0], n_boot=100)
    assert p.estimate is None and p.denominator == 0
