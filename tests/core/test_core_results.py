import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seccal.calibration.example import make_example_results
from seccal.core.results import load_results
from seccal.errors import InputError

SHIPPED = Path(__file__).resolve().parents[2] / "src/seccal/calibration/data/example_results.csv"


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "r.csv"
    p.write_text(text)
    return p


def test_labels_in_every_spelling_and_unknown_rows_counted(tmp_path: Path) -> None:
    p = _csv(
        tmp_path,
        "task_id,confidence,secure\nA,0.9,secure\nA,0.8,vulnerable\nB,0.7,true\nB,0.6,0\n"
        "C,0.5,\nC,0.4,unknown\nC,0.3,1\n",
    )
    r = load_results(p)
    assert r.labels.tolist() == [1, 0, 1, 0, 1]
    assert r.conf.tolist() == [0.9, 0.8, 0.7, 0.6, 0.3]
    assert r.excluded_unknown_label == 2
    assert r.group_column == "task_id" and r.label_column == "secure"
    assert r.frame["task_id"].tolist() == ["A", "A", "B", "B", "C"]


def test_bad_label_names_column_row_and_line(tmp_path: Path) -> None:
    p = _csv(tmp_path, "confidence,label\n0.9,1\n0.8,maybe\n")
    with pytest.raises(InputError, match=r"column 'label': row 2 \(line 3\): label 'maybe'"):
        load_results(p)


@pytest.mark.parametrize("value", ["1.5", "-0.1", "abc", "nan"])
def test_bad_confidence_names_column_and_row(tmp_path: Path, value: str) -> None:
    p = _csv(tmp_path, f"confidence,label\n0.9,1\n{value},0\n")
    with pytest.raises(InputError, match=r"column 'confidence': row 2 \(line 3\)"):
        load_results(p)


def test_missing_confidence_fails_unless_skipped(tmp_path: Path) -> None:
    p = _csv(tmp_path, "confidence,label\n0.9,1\n,0\n0.2,\n")
    with pytest.raises(InputError, match=r"row 2 .*missing"):
        load_results(p)
    r = load_results(p, skip_missing_confidence=True)
    assert r.conf.tolist() == [0.9]
    assert (r.excluded_missing_confidence, r.excluded_unknown_label) == (1, 1)


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    rows = [
        {"conf_security_verbal": 0.9, "secure": True},
        {},
        {"conf_security_verbal": 2, "secure": 0},
    ]
    p.write_text("\n".join(json.dumps(r) if r else "" for r in rows) + "\n")
    with pytest.raises(InputError, match=r"row 2 \(line 3\)"):
        load_results(p)
    p.write_text('{"confidence": 0.5, "label": 1}\n{not json\n')
    with pytest.raises(InputError, match="line 2: not valid JSON"):
        load_results(p)


def test_parquet_round_trip_and_column_overrides(tmp_path: Path) -> None:
    p = tmp_path / "r.parquet"
    pd.DataFrame({"c": [0.1, 0.9], "ok": [False, True], "t": ["x", "y"]}).to_parquet(p)
    r = load_results(p, confidence_col="c", label_col="ok", group_col="t")
    assert r.labels.tolist() == [0, 1] and r.group_column == "t"
    with pytest.raises(InputError, match="no confidence column 'zz'"):
        load_results(p, confidence_col="zz")


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_results(tmp_path / "none.csv")
    (tmp_path / "r.xlsx").write_text("x")
    with pytest.raises(InputError, match="unknown table format"):
        load_results(tmp_path / "r.xlsx")


def test_shipped_example_is_regenerated_exactly(tmp_path: Path) -> None:
    out = tmp_path / "ex.csv"
    make_example_results().to_csv(out, index=False, lineterminator="\n")
    assert out.read_bytes() == SHIPPED.read_bytes()
    r = load_results(SHIPPED)
    assert r.excluded_unknown_label > 0
    assert np.unique(r.conf).size < 25  # verbalized: heavily tied


def test_parquet_nullable_columns_count_missing_labels(tmp_path: Path) -> None:
    p = tmp_path / "r.parquet"
    frame = pd.DataFrame(
        {
            "conf_security_verbal": pd.array([0.9, 0.4, None], dtype="Float64"),
            "secure": pd.array([True, None, False], dtype="boolean"),
        }
    )
    frame.to_parquet(p)
    r = load_results(p, skip_missing_confidence=True)
    assert r.labels.tolist() == [1.0]
    assert (r.excluded_unknown_label, r.excluded_missing_confidence) == (1, 1)
