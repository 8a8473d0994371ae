"""A study whose label uses static analysis reports the static label's quality on its own code.

A real small study (three tasks, the in-process study model writing secure or insecure
code, Bandit and Semgrep, label source ``both``) runs end to end; metrics.json, summary.md
and report.html must all carry the per-CWE precision/recall of the static label against
the dynamic one on the study's snippets where both labels are known, and the numbers
must match scikit-learn's on the same rows of the run's results table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix, precision_score, recall_score
from study_helpers import mini_tasks, write_study
from study_model import register_study_mock

from seccal.core.config import load_study
from seccal.core.results import label_array
from seccal.judge.config import default_sandbox_venv
from seccal.report.tables_static import static_quality_sentence
from seccal.study.runner import run_study
from seccal.study.store import RunStore
from seccal.study.table import results_table

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]


def _expected(rows: pd.DataFrame) -> dict[str, float | int]:
    """TP/FP/FN/TN, precision and recall by scikit-learn (positive = vulnerable)."""
    static = label_array(rows, "secure_static")
    dynamic = label_array(rows, "secure_dynamic")
    y_true, y_pred = (dynamic == 0).astype(int), (static == 0).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return {
        "n": len(rows),
        "tp": int(tp),
        "fp": int(fp),
        "fn": int(fn),
        "tn": int(tn),
        "precision": precision_score(y_true, y_pred, zero_division=float("nan")),
        "recall": recall_score(y_true, y_pred, zero_division=float("nan")),
    }


def _same(got: dict[str, object], want: dict[str, float | int]) -> None:
    for key in ("n", "tp", "fp", "fn", "tn"):
        assert got[key] == want[key], key
    for key in ("precision", "recall"):
        value = want[key]
        assert (got[key] is None) if value != value else got[key] == pytest.approx(value, abs=1e-4)


def test_static_label_quality_is_reported_and_matches_scikit_learn(tmp_path: Path) -> None:
    if not (default_sandbox_venv() / "bin" / "python").exists():
        pytest.skip(f"sandbox environment missing at {default_sandbox_venv()}")
    register_study_mock("static-quality-mock", mini_tasks())
    study = write_study(tmp_path, None, provider="static-quality-mock", samples=2)
    out = run_study(load_study(study), base_dir=tmp_path, progress=False)
    with RunStore(out.run_dir / "store.sqlite") as store:
        df = results_table(store, label_source="both")
    both = df[
        ~pd.isna(label_array(df, "secure_static")) & ~pd.isna(label_array(df, "secure_dynamic"))
    ]
    assert len(both) >= 6  # the model wrote real code; both checks ran on it
    want = _expected(both)
    assert want["tp"] + want["fn"] > 0 and want["tn"] + want["fp"] > 0

    metrics = json.loads(out.metrics_path.read_text())  # type: ignore[union-attr]
    quality = metrics["static_quality"]
    _same(quality["overall"], want)
    assert quality["overall"]["n_unknown"] == len(df) - len(both)
    for cwe, rows in both.groupby("cwe"):
        _same(quality["per_cwe"][str(cwe)], _expected(rows))

    sentence = static_quality_sentence(quality)
    assert f"On {want['n']} generated snippets with both labels known" in sentence
    summary = out.summary_path.read_text()  # type: ignore[union-attr]
    assert "Static label against the dynamic label, per CWE" in summary
    assert sentence in summary
    row = quality["per_cwe"]["CWE-89"]
    cells = [row[k] for k in ("n", "tp", "fp", "fn", "tn")]
    assert "| CWE-89 | " + " | ".join(map(str, cells)) + " |" in summary
    assert out.report_path is not None
    html = out.report_path.read_text()
    assert "How good the static label is" in html and sentence in html
