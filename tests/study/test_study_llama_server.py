"""The paper-shaped study against a real third-party OpenAI-compatible server.

llama-cpp-python's own server (``python -m llama_cpp.server``, extra ``llama-server``)
serves the local gemma3 270m GGUF model on 127.0.0.1; the study's three models reach it
through three OpenAI-compatible providers (``openai-compat``, ``vllm``, ``ollama``) in
completion form (gemma3 270m is a base model). Generation variants, elicitation,
sandboxed judging and repair all run for real; the model writes no working code, so
the labels say little, but every stage must finish and a re-run must call nothing.
"""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from paper_study import STAGES, VARIANTS, write_paper_study
from study_helpers import FAKE_KEY, KEY_ENV

from seccal.core.config import load_study
from seccal.models.llamacpp import local_model_path
from seccal.models.local_models import ModelNotInstalledError, chunk_paths, local_model
from seccal.study.costs import cost_by_stage
from seccal.study.runner import run_study
from seccal.study.store import RunStore
from seccal.study.table import results_table

pytest.importorskip(
    "llama_cpp.server.app", reason="llama-cpp-python's server needs the llama-server extra"
)
try:
    chunk_paths(local_model("gemma3-270m"))
except ModelNotInstalledError as exc:
    pytest.skip(str(exc), allow_module_level=True)

pytestmark = [pytest.mark.llama, pytest.mark.slow, pytest.mark.sandbox]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    # llama.cpp logs a lot to stderr: a file, not a pipe nobody drains (it would block).
    log = tmp_path_factory.mktemp("llama") / "server.log"
    err = log.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(local_model_path("gemma3-270m")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--n_threads",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=err,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/v1/models", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("llama_cpp.server did not start in 180 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()


@pytest.mark.timeout(1800)  # a 270M model on CPU: minutes, more on a busy machine
def test_paper_shaped_study_against_llama_cpp_server(
    tmp_path: Path, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, FAKE_KEY)
    url = f"{llama_server}/v1"
    models = (
        ("gemma-a", "openai-compat", url),
        ("gemma-b", "vllm", url),
        ("gemma-c", "ollama", url),
    )
    study = write_paper_study(
        tmp_path,
        llama_server,
        KEY_ENV,
        models=models,
        form="completion",
        temperatures=(0.8,),
        max_tokens=8,
        concurrency=1,
        rounds=1,
        timeout_s=900.0,
        elicit_max_tokens=8,
    )
    config = load_study(study)
    out = run_study(config, base_dir=tmp_path, progress=False, stages=STAGES.split(","))
    n = 3 * 1 * len(VARIANTS) * 2  # models x temperatures x variants x tasks
    assert out.counts["generations"] == n
    assert out.counts["confidences"] == n * 2
    assert out.counts["verdicts"] == n
    assert out.counts["metrics"] > 0
    assert all(r.failed == 0 for r in out.stages.values()), out.stages
    with RunStore(out.run_dir / "store.sqlite") as store:
        df = results_table(store, label_source="dynamic")
        costs = cost_by_stage(store)
    assert set(df["gen_variant"]) == set(VARIANTS)
    assert df["generation_error"].eq("").all(), df["generation_error"].unique()
    # Tokens are counted per model and stage from the server's own usage numbers.
    gen = costs[costs["stage"] == "generate"]
    assert sorted(gen["model"]) == ["gemma-a", "gemma-b", "gemma-c"]
    assert (gen["tokens_in"] > 0).all() and (gen["tokens_out"] > 0).all()
    again = run_study(config, base_dir=tmp_path, progress=False, stages=STAGES.split(","))
    assert again.counts == out.counts
    assert again.stages["generate"].stored == 0 and again.stages["elicit"].stored == 0
