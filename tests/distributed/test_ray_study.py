"""A study run with ``executor=RayExecutor`` on a real local cluster: same store as locally.

A study is recorded once against a fake OpenAI server; the recording is then
replayed (the ``replay`` provider) locally and on the cluster, and the run
stores are compared record by record. A worker node killed in the middle of
the judge stage loses nothing: the run completes with the same store.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fake_llm_server import FakeLLMServer
from ray_cluster import LocalCluster
from ray_tasks import tasks
from study_model import study_answers
from typer.testing import CliRunner

from seccal.cli import app
from seccal.core.schema import STORE_FILENAME
from seccal.distributed import Judged, JudgeWork, RayExecutor
from seccal.models.cache import ResponseCache
from seccal.study import RunStore, load_study
from seccal.study.runner import CACHE_FILE, run_study

pytestmark = [pytest.mark.ray, pytest.mark.sandbox]

KEY_ENV = "SECCAL_RAY_TEST_KEY"
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


def _study(folder: Path, model: str) -> Path:
    path = folder / f"study-{model.split()[0]}.toml"
    path.write_text(
        f"""[study]
name = "raymini"
output_dir = "{folder / "runs"}"
temperatures = [0.0, 1.0]
samples = 2
label_source = "both"
max_tokens = 256

[[models]]
name = "m"
{model}
form = "chat"
[models.limits]
concurrency = 4
max_retries = 2

[[suites]]
name = "raymini"
tasks_file = "tasks.jsonl"

[elicit]
methods = ["verbal"]
targets = ["security", "functional"]

[analysis]
n_boot = 50

[judge]
batch_size = 3
analyzers = ["bandit", "semgrep"]
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def replay_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A replay study whose recording was made against the fake OpenAI server."""
    folder = tmp_path_factory.mktemp("raystudy")
    (folder / "tasks.jsonl").write_text(
        "".join(json.dumps(t.to_dict()) + "\n" for t in tasks()), encoding="utf-8"
    )
    os.environ[KEY_ENV] = "sk-ray-test-0123456789"
    try:
        with FakeLLMServer(study_answers(tasks())) as server:
            live = _study(
                folder,
                f'provider = "openai"\nmodel = "gpt-4o-mini"\nbase_url = "{server.base_url}"\n'
                f'api_key_env = "{KEY_ENV}"',
            )
            outcome = run_study(
                load_study(live),
                run_dir=folder / "recorded",
                base_dir=folder,
                stages=["generate", "elicit"],
                progress=False,
            )
    finally:
        os.environ.pop(KEY_ENV, None)
    assert outcome.counts["generations"] == 12
    cache = ResponseCache(folder / "recorded" / CACHE_FILE)
    # 12 generations, then the distinct elicitation prompts (equal code, equal prompt).
    assert cache.export_jsonl(folder / "recorded.jsonl") > 12
    cache.close()
    model = f'provider = "replay"\nmodel = "gpt-4o-mini"\n[models.params]\npath = "{folder / "recorded.jsonl"}"'
    return _study(folder, model)


_SCRATCH = re.compile(r"seccal-scratch/r\d+/")


def _snapshot(run_dir: Path) -> dict[str, Any]:
    """Everything the run stored, minus what is never repeatable.

    Left out: wall times, object addresses and sandbox slot paths in test failure
    messages. Metrics must match to the bit: the store reads generations in a
    fixed order, whatever order the cluster answered in.
    """
    with RunStore(run_dir / STORE_FILENAME) as store:
        verdicts = {}
        for gen_id, v in store.verdicts().items():
            body = json.loads(v.verdict_json)
            body.pop("timings", None)
            text = _ADDRESS.sub("0x?", json.dumps(body, sort_keys=True))
            verdicts[gen_id] = (dataclasses.replace(v, verdict_json=""), _SCRATCH.sub("", text))
        generations = sorted(store.generations(), key=lambda g: g.gen_id)
        return {
            "counts": store.counts(),
            "generations": [dataclasses.asdict(g) for g in generations],
            "confidences": [dataclasses.asdict(c) for c in store.confidences()],
            "verdicts": verdicts,
            "metrics": sorted(store.metrics(), key=lambda m: json.dumps(m, sort_keys=True)),
        }


@pytest.fixture(scope="module")
def local_snapshot(replay_study: Path) -> dict[str, Any]:
    """The replay study run in this process."""
    run_dir = replay_study.parent / "local"
    run_study(
        load_study(replay_study), run_dir=run_dir, base_dir=replay_study.parent, progress=False
    )
    snap = _snapshot(run_dir)
    assert snap["counts"]["verdicts"] == 12
    labels = {v[0].sec_dynamic for v in snap["verdicts"].values()}
    assert labels == {"secure", "vulnerable"}  # the recording holds both kinds
    return snap


def test_seccal_run_on_ray_matches_local(
    ray_cluster: LocalCluster, replay_study: Path, local_snapshot: dict[str, Any]
) -> None:
    run_dir = replay_study.parent / "on-ray"
    args = ["run", str(replay_study), "--ray", ray_cluster.address, "--run-dir", str(run_dir)]
    result = CliRunner().invoke(app, [*args, "--no-progress"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "judge: 12 new, 0 already done" in result.output
    assert _snapshot(run_dir) == local_snapshot


class _KillWhileJudging(RayExecutor):
    """Kills a worker node once two chunks are in flight, before the third is sent.

    Each of the three judge actors (one per node) then holds a chunk it has just
    started, or the doomed one is handed the third chunk after its node died:
    either way a chunk is lost with the node and must be judged again elsewhere.
    """

    def __init__(self, cluster: LocalCluster, node: str, **kwargs: Any) -> None:
        super().__init__(cluster.address, **kwargs)
        self.cluster, self.node = cluster, node

    def judge_stream(
        self, items: Iterable[JudgeWork], options: Mapping[str, Any]
    ) -> Iterator[list[Judged]]:
        kill_at = 2 * int(options["batch_size"])

        def fed() -> Iterator[JudgeWork]:
            for n, item in enumerate(items):
                if n == kill_at:
                    self.cluster.kill(self.node)  # its raylet and every worker process on it
                yield item

        return super().judge_stream(fed(), options)


def test_killing_a_worker_node_mid_run_loses_nothing(
    ray_cluster: LocalCluster, replay_study: Path, local_snapshot: dict[str, Any]
) -> None:
    run_dir = replay_study.parent / "killed"
    with _KillWhileJudging(ray_cluster, "doomed", judge_actors=3) as ex:
        pool = ex.pool({"batch_size": 3, "analyzers": ("bandit", "semgrep")})
        assert pool.wait_started(120) == 3  # one judge actor on each node
        outcome = run_study(
            load_study(replay_study),
            run_dir=run_dir,
            base_dir=replay_study.parent,
            progress=False,
            executor=ex,
        )
        assert pool.replaced >= 1  # the doomed node's actor died with work in flight
        # Judged in worker processes, not in the driver.
        assert os.getpid() not in {i["pid"] for i in pool.infos.values()}
    assert outcome.stages["judge"].stored == 12 and outcome.stages["judge"].failed == 0
    assert _snapshot(run_dir) == local_snapshot
