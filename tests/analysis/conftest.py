"""A small synthetic study with every column the analysis reads, and its metrics.json."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from analysis_frames import SETTINGS, enrich
from synthetic_study import synthetic_config, synthetic_export, synthetic_repairs

from seccal.analysis import analyze_frame


@pytest.fixture(scope="session")
def frame() -> pd.DataFrame:
    df = synthetic_export(n_tasks=6, temperatures=(0.0, 0.5, 1.0), samples=2)
    df = enrich(df)
    # a second generation variant: its own code and confidences
    few = df.copy()
    few["gen_variant"] = "few_shot"
    few["gen_id"] = few["gen_id"] + "|few"
    for col in [c for c in few.columns if c.startswith("conf_security_verbal")]:
        few[col] = (few[col] * 0.8).round(2)
    df["gen_variant"] = "zero_shot"
    return pd.concat([df, few], ignore_index=True)


@pytest.fixture(scope="session")
def config(frame: pd.DataFrame) -> dict[str, Any]:
    return synthetic_config(frame)


@pytest.fixture(scope="session")
def doc(frame: pd.DataFrame, config: dict[str, Any]) -> dict[str, Any]:
    zero = frame[frame["gen_variant"] == "zero_shot"]
    return analyze_frame(frame, config, repairs=synthetic_repairs(zero), settings=SETTINGS)
