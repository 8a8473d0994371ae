"""Shared fixtures of the report tests: a small synthetic study, its metrics and its report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from synthetic_study import synthetic_config, synthetic_export, synthetic_repairs

from seccal.report import input_metrics
from seccal.report.data import ReportInput
from seccal.report.model import ReportModel, report_model
from seccal.report.render import write_report_files

N_BOOT = 40


@pytest.fixture(scope="session")
def small_input() -> ReportInput:
    df = synthetic_export(n_tasks=6, temperatures=(0.0, 0.8), samples=2)
    return ReportInput(df, synthetic_config(df), "synthetic test table", synthetic_repairs(df))


@pytest.fixture(scope="session")
def tiny_input() -> ReportInput:
    """One model, one suite: for tests that render several reports."""
    df = synthetic_export(
        n_tasks=6,
        temperatures=(0.0, 0.8),
        suites=("builtin",),
        samples=2,
        models={"gpt-4o-mini": (0.45, 0.15, 0.8)},
    )
    return ReportInput(df, synthetic_config(df), "tiny synthetic table", synthetic_repairs(df))


@pytest.fixture(scope="session")
def small_doc(small_input: ReportInput) -> dict[str, Any]:
    return input_metrics(small_input, n_boot=N_BOOT)


@pytest.fixture(scope="session")
def small_model(small_doc: dict[str, Any]) -> ReportModel:
    return report_model(small_doc)


@pytest.fixture(scope="session")
def written_report(small_model: ReportModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report_files(small_model, tmp_path_factory.mktemp("report"))
