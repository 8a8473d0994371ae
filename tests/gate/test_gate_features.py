"""Feature columns, their transforms, missing indicators and finding counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from seccal.core.findings import Finding
from seccal.errors import InputError
from seccal.gate.features import (
    FINDING_COLUMNS,
    default_features,
    design,
    feature_names,
    finding_counts,
    fit_features,
    kind_of,
    numeric_frame,
)


def test_finding_counts_by_severity_and_family() -> None:
    found = [
        Finding("bandit", "B608", "CWE-89", 3, "sql", "medium"),
        Finding("semgrep", "cmd", "CWE-78", 5, "cmd", "high"),
        Finding("bandit", "B101", "", 7, "assert", "low"),
        Finding("bandit", "B999", "CWE-1234", 9, "odd", "low"),
    ]
    c = finding_counts(found)
    assert set(c) == set(FINDING_COLUMNS)
    assert c["findings_total"] == 4 and c["findings_low"] == 2 and c["findings_high"] == 1
    assert c["findings_fam_sql_injection"] == 1 and c["findings_fam_command_injection"] == 1
    assert c["findings_fam_other"] == 2
    assert sum(v for k, v in c.items() if k.startswith("findings_fam_")) == 4


def test_kinds_and_defaults() -> None:
    assert kind_of("conf_ptrue") == "confidence" and kind_of("findings_high") == "count"
    assert kind_of("parses") == "flag"
    df = pd.DataFrame(
        columns=["confidence", "conf_security_verbal", "findings_total", "parses", "x"]
    )
    assert default_features(df) == ["conf_security_verbal", "findings_total", "parses"]


def test_design_imputes_and_flags_missing_values() -> None:
    df = pd.DataFrame(
        {
            "conf_ptrue": ["0.9", "", "0.5"],
            "findings_total": ["0", "2", ""],
            "parses": ["1", "0", ""],
        }
    )
    feats = fit_features(df, ["conf_ptrue", "findings_total", "parses"], "t")
    x = design(df, feats, "t")
    assert x.shape == (3, 6)
    assert feature_names(feats)[3:] == [
        f"{c}:missing" for c in ("conf_ptrue", "findings_total", "parses")
    ]
    assert x[1, 0] == pytest.approx(feats[0].fill)  # imputed with the fitted mean
    assert x[:, 3].tolist() == [0, 1, 0] and x[:, 4].tolist() == [0, 0, 1]
    assert x[1, 1] == pytest.approx(np.log1p(2))
    # the numeric fast path gives the same matrix
    assert np.allclose(design(numeric_frame(df, [f.column for f in feats], "t"), feats, "t"), x)


def test_bad_feature_values_name_the_column_and_row() -> None:
    df = pd.DataFrame({"findings_total": ["1", "-2"], "conf_ptrue": ["0.2", "1.3"]})
    with pytest.raises(InputError, match=r"'findings_total': row 2"):
        fit_features(df, ["findings_total"], "t.csv")
    with pytest.raises(InputError, match="conf_ptrue"):
        fit_features(df, ["conf_ptrue"], "t.csv")
    with pytest.raises(InputError, match="no feature column 'nope'"):
        fit_features(df, ["nope"], "t.csv")
    with pytest.raises(InputError, match=r"row 2.*not a count"):
        fit_features(pd.DataFrame({"findings_total": [1.0, -1.0]}), ["findings_total"], "t")
