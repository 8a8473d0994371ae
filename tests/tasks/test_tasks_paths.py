from pathlib import Path

import pytest

from seccal.errors import ConfigError
from seccal.tasks.paths import benchmarks_root, resolve_data_path


def test_env_var_overrides_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECCAL_BENCHMARKS", str(tmp_path))
    assert benchmarks_root() == tmp_path
    (tmp_path / "sallm").mkdir()
    assert resolve_data_path(None, "sallm", suite="sallm") == tmp_path / "sallm"


def test_missing_data_says_how_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECCAL_BENCHMARKS", str(tmp_path))
    with pytest.raises(
        ConfigError, match=r"cweval data not found.*'cweval:PATH'.*SECCAL_BENCHMARKS"
    ):
        resolve_data_path(None, "cweval/benchmark/core/py", suite="cweval")
    assert resolve_data_path(tmp_path, "ignored", suite="x") == tmp_path


def test_default_is_shared_benchmarks_next_to_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECCAL_BENCHMARKS", raising=False)
    root = benchmarks_root()
    assert root.parts[-2:] == ("shared", "benchmarks")
