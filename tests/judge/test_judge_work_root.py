"""Where the judge and repository runs make their work dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import seccal.judge.sandbox as sandbox
from seccal.judge.config import JudgeConfig
from seccal.judge.sandbox import WORK_ROOT_ENV, default_work_root
from seccal.repo.execute import work_root


def test_the_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(WORK_ROOT_ENV, str(tmp_path))
    assert default_work_root() == tmp_path
    assert JudgeConfig().work_root == tmp_path
    assert work_root() == str(tmp_path)  # repository runs use the same folder


def test_ram_disk_only_when_it_has_room(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORK_ROOT_ENV, raising=False)
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        assert default_work_root() is None
        return
    st = os.statvfs(shm)
    free = st.f_bavail * st.f_frsize
    monkeypatch.setattr(sandbox, "SHM_MIN_FREE", free + (1 << 40))  # more than it has
    assert default_work_root() is None
    assert work_root() is None
    monkeypatch.setattr(sandbox, "SHM_MIN_FREE", 1)
    assert default_work_root() == shm
