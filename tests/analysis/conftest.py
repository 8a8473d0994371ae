"""A small synthetic study with every column the analysis reads, and its metrics.json."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from synthetic_study import synthetic_config, synthetic_export, synthetic_repairs

from seccal.analysis import Settings, analyze_frame

N_BOOT = 30
SETTINGS = Settings(n_boot=N_BOOT, n_bins=5)


def enrich(df: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    """Add what a real study's table has and the synthetic one lacks."""
    rng = np.random.default_rng(seed)
    out = df.copy()
    n = len(out)
    out["language"] = np.where(out["suite"] == "builtin", "python", "javascript")
    out["code_lines"] = pd.array(rng.integers(3, 140, n), dtype="Int64")
    out.loc[~out["has_code"].astype(bool), "code_lines"] = pd.NA
    out["cost_generate_usd"] = out["cost_usd"] * 0.6
    out["cost_elicit_usd"] = out["cost_usd"] * 0.4
    out["tokens_in"] = 100
    out["tokens_out"] = 50
    out["secure_reason"] = np.where(out["secure"].isna(), "security test harness crashed", "")
    out["correct_reason"] = np.where(out["correct"].isna(), "functional tests timed out", "")
    out["isolation"] = np.where(out["has_code"].astype(bool), "strong", "none")
    return out


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
