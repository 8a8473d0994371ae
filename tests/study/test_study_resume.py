"""Kill a real `seccal run` with SIGKILL at several points; re-running must finish the study
with exactly the records of an uninterrupted run, and pay for no answer twice."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer
from study_helpers import write_study

import seccal

TABLES = ("generations", "confidences", "verdicts", "metrics")
SRC = str(Path(seccal.__file__).resolve().parents[1])


def _counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        finally:
            con.close()
    except sqlite3.OperationalError:  # schema not created yet
        return {}


def _snapshot(db: Path) -> dict[str, set[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    try:
        return {
            "generations": set(con.execute("SELECT gen_id, code, cost_usd FROM generations")),
            "confidences": set(
                con.execute("SELECT gen_id, method, variant, target, value FROM confidences")
            ),
            "verdicts": set(con.execute("SELECT gen_id, functional, sec_dynamic FROM verdicts")),
        }
    finally:
        con.close()


def _run(
    study: Path, env: dict[str, str], db: Path, kill_when: Callable[[dict[str, int]], bool] | None
) -> dict[str, int] | None:
    """Run the study; SIGKILL it once ``kill_when(counts)`` holds. Returns counts at the kill."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "seccal", "run", str(study), "--no-progress"],
        env=env,
        cwd=study.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            counts = _counts(db)
            if kill_when is not None and counts and kill_when(counts):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return counts
            time.sleep(0.005)
        assert proc.wait(timeout=max(1.0, deadline - time.monotonic())) == 0, proc.stderr.read()  # type: ignore[union-attr]
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_sigkill_at_several_points_then_resume(
    tmp_path: Path, fake_llm: FakeLLMServer, api_key: str
) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    # judge_batch 1 with 2 workers: groups of 2 and 4 verdicts; the second one still
    # runs when the first is stored (groups overlap: Judge.judge_groups)
    kwargs = {"samples": 1, "judge_batch": 1, "analyzers": "[]"}
    n_gen = 3 * 2  # tasks x temperatures

    reference = write_study(tmp_path / "reference", fake_llm.base_url, **kwargs)  # type: ignore[arg-type]
    before = fake_llm.hits
    assert _run(reference, env, tmp_path / "reference/runs/mini/store.sqlite", None) is None
    reference_hits = fake_llm.hits - before
    expected = _snapshot(tmp_path / "reference/runs/mini/store.sqlite")
    assert len(expected["generations"]) == n_gen

    fake_llm.delay_s = 0.03  # slower answers so the kills land inside the model stages
    study = write_study(tmp_path / "killed", fake_llm.base_url, **kwargs)  # type: ignore[arg-type]
    db = tmp_path / "killed/runs/mini/store.sqlite"
    before = fake_llm.hits
    n_conf = len(expected["confidences"])
    kill_points = [
        ("generations", lambda c: c["generations"] >= 2, n_gen),
        ("confidences", lambda c: c["confidences"] >= 12, n_conf),
        ("verdicts", lambda c: c["verdicts"] >= 2, n_gen),
    ]
    kills = 0
    for table, when, total in kill_points:
        at = _run(study, env, db, when)
        assert at is not None, f"the run finished before the kill point in {table}"
        assert at[table] < total, f"kill landed after the {table} stage finished"
        kills += 1
        # Each kill interrupted a partial stage: the store holds a consistent prefix.
        assert _counts(db)["generations"] <= n_gen
    partial = _counts(db)
    assert partial["metrics"] == 0 and partial["verdicts"] < n_gen
    assert _run(study, env, db, None) is None

    got = _snapshot(db)
    assert got == expected, "resumed run differs from the uninterrupted one"
    assert _counts(db) == _counts(tmp_path / "reference/runs/mini/store.sqlite")
    # Concurrency 1: at most the one call in flight at each kill is asked again.
    assert fake_llm.hits - before <= reference_hits + kills
    assert (tmp_path / "killed/runs/mini/metrics.json").exists()
