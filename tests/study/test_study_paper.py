"""The paper's whole design in one resumable run, at CI size, against a local fake server.

Three models on the OpenAI, Gemini and DashScope wire formats, six temperatures, a
self-contained and a repository-level suite, four generation variants and two rounds of
repair with two repair variants: a real ``seccal run`` is killed with SIGKILL inside each
stage (generate, elicit, judge, repair, analyze) and resumed; the resumed store and
metrics equal an uninterrupted run's, and no answer is paid for twice.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_llm_server import FakeLLMServer
from paper_study import MODELS, N_GENERATIONS, STAGES, VARIANTS, references, write_paper_study
from study_helpers import FAKE_KEY, KEY_ENV
from study_model import reference_answers

import seccal
from seccal.core.config import load_study
from seccal.study.costs import cost_by_stage
from seccal.study.repair_results import run_repair_results
from seccal.study.runner import run_study
from seccal.study.store import RunStore
from seccal.study.table import results_table

SRC = str(Path(seccal.__file__).resolve().parents[1])
DB = "runs/paper-small/store.sqlite"

_COUNTS = {
    "generations": "SELECT COUNT(*) FROM generations",
    "confidences": "SELECT COUNT(*) FROM confidences",
    "verdicts": "SELECT COUNT(*) FROM verdicts",
    "repairs": "SELECT COUNT(*) FROM repairs",
    "unrated": "SELECT COUNT(*) FROM repairs WHERE code IS NOT NULL AND conf_reason IS NULL",
    "metrics": "SELECT COUNT(*) FROM metrics",
}
_SNAPSHOT = {
    "generations": "SELECT gen_id, gen_variant, temperature, code, reasoning, cost_usd, "
    "tokens_in, tokens_out FROM generations",
    "confidences": "SELECT gen_id, method, variant, target, value, cost_usd, tokens_in, "
    "tokens_out FROM confidences",
    "verdicts": "SELECT gen_id, functional, sec_dynamic, sec_static FROM verdicts",
    "repairs": "SELECT source_gen_id, variant, round, code, conf_after, secure_after, "
    "correct_after, cost_usd, tokens_in, tokens_out FROM repairs",
    "metrics": "SELECT * FROM metrics",
}


def _query(db: Path, queries: dict[str, str]) -> dict[str, Any]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return {k: con.execute(q).fetchall() for k, q in queries.items()}
    finally:
        con.close()


def _counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    try:
        return {k: v[0][0] for k, v in _query(db, _COUNTS).items()}
    except sqlite3.OperationalError:  # schema not created yet
        return {}


def _snapshot(db: Path) -> dict[str, set[tuple[Any, ...]]]:
    return {k: set(v) for k, v in _query(db, _SNAPSHOT).items()}


def _run(
    study: Path, db: Path, kill_when: Callable[[dict[str, int]], bool] | None
) -> dict[str, int] | None:
    """``seccal run`` the study; SIGKILL it once ``kill_when(counts)`` holds (counts then)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "seccal", "run", str(study), "--no-progress", "--stages", STAGES],
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


def _metrics_json(folder: Path) -> dict[str, Any]:
    """metrics.json without its provenance (the run folder and config file paths differ)."""
    data: dict[str, Any] = json.loads((folder / "runs/paper-small/metrics.json").read_text())
    data.pop("source", None)
    for key in ("source", "output_dir"):
        data["study"]["config"].pop(key, None)
    return data


@pytest.mark.slow
@pytest.mark.sandbox
def test_paper_shaped_study_killed_in_every_stage_resumes_to_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, FAKE_KEY)
    with FakeLLMServer(reference_answers(references())) as fake:
        reference = write_paper_study(tmp_path / "reference", fake.url, KEY_ENV)
        out = run_study(
            load_study(reference),
            base_dir=reference.parent,
            progress=False,
            stages=STAGES.split(","),
        )
        reference_hits = fake.hits
        # Every wire format was spoken: OpenAI and DashScope chat completions, Gemini.
        paths = [r["path"] for r in fake.requests]
        assert any(":generateContent" in p for p in paths)
        assert any(p == "/v1/chat/completions" for p in paths)
        assert out.counts["generations"] == N_GENERATIONS
        assert out.counts["confidences"] == N_GENERATIONS * 2
        assert out.counts["verdicts"] == N_GENERATIONS
        ref_db = reference.parent / DB
        expected = _snapshot(ref_db)
        n_repairs = out.counts["repairs"]
        assert n_repairs > 0 and {r[2] for r in expected["repairs"]} == {1, 2}
        with RunStore(ref_db) as store:
            df = results_table(store, label_source="dynamic")
            costs = cost_by_stage(store)
            repaired = run_repair_results(store, load_study(reference))
        # Repair results per model x suite x repair variant, for metrics.json.
        keys = {(r["model"], r["suite"], r["variant"]) for r in repaired}
        assert keys <= {
            (m, s, v)
            for m in MODELS
            for s in ("builtin", "repo")
            for v in ("confidence", "findings")
        }
        assert len(keys) >= len(MODELS) * 2
        for r in repaired:
            assert r["rounds"] == 2 and r["summary"]["n_selected"] > 0
            assert {"fix_rate", "regression_rate", "before", "after"} <= set(r["summary"])
        assert df.groupby("gen_variant").size().to_dict() == {
            v: N_GENERATIONS // len(VARIANTS) for v in VARIANTS
        }
        assert set(df["suite"]) == {"builtin", "repo"}
        assert df["secure"].notna().all() and set(df["secure"]) == {0, 1}
        # CoT replies keep their reasoning apart; other variants have none.
        reasoning = {(g[1], g[4] is not None) for g in expected["generations"]}
        assert reasoning == {
            ("zero_shot", False),
            ("few_shot", False),
            ("cot", True),
            ("few_shot_cot", True),
        }
        # Cost and tokens per model and stage, for the analysis to report.
        assert set(zip(costs["model"], costs["stage"], strict=True)) == {
            (m, s) for m in MODELS for s in ("generate", "elicit", "repair")
        }
        assert (costs["cost_usd"] > 0).all() and (costs["tokens_in"] > 0).all()

        fake.delay_s = 0.005  # slower answers so the kills land inside the model stages
        study = write_paper_study(tmp_path / "killed", fake.url, KEY_ENV)
        db = study.parent / DB
        before = fake.hits
        kill_points: list[tuple[str, Callable[[dict[str, int]], bool], Callable[..., bool]]] = [
            (
                "generate",
                lambda c: c["generations"] >= 10,
                lambda c: c["generations"] < N_GENERATIONS,
            ),
            (
                "elicit",
                lambda c: c["confidences"] >= 40,
                lambda c: c["confidences"] < N_GENERATIONS * 2,
            ),
            ("judge", lambda c: c["verdicts"] >= 1, lambda c: c["verdicts"] < N_GENERATIONS),
            ("repair", lambda c: c["repairs"] >= 10, lambda c: c["repairs"] < n_repairs),
            (
                "analyze",
                lambda c: c["repairs"] == n_repairs and c["unrated"] == 0,
                lambda c: c["metrics"] == 0,
            ),
        ]
        for stage, when, inside in kill_points:
            at = _run(study, db, when)
            assert at is not None, f"the run finished before the kill point in {stage}"
            assert inside(at), f"the kill landed after the {stage} stage finished: {at}"
        assert not (study.parent / "runs/paper-small/metrics.json").exists()
        assert _run(study, db, None) is None
        got = _snapshot(db)
        for table in expected:
            assert got[table] == expected[table], f"resumed {table} differ from uninterrupted"
        assert _metrics_json(study.parent) == _metrics_json(reference.parent)
        # Each kill loses at most the calls in flight (concurrency 8 per model, 3 models).
        assert fake.hits - before <= reference_hits + len(kill_points) * 3 * 8
