"""Shared fixtures of the report tests: a small synthetic study and its report."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_study import synthetic_config, synthetic_export, synthetic_repairs

from seccal.report.compute import compute_report
from seccal.report.data import ReportInput
from seccal.report.model import Options, ReportModel

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
def small_model(small_input: ReportInput) -> ReportModel:
    return compute_report(small_input, options=Options(n_boot=N_BOOT))


@pytest.fixture(scope="session")
def written_report(small_model: ReportModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from seccal.report.render import write_report_files

    return write_report_files(small_model, tmp_path_factory.mktemp("report"))
