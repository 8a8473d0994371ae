import json
from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer
from study_helpers import write_study

from seccal.analysis import validate
from seccal.core.config import load_study
from seccal.errors import ConfigError
from seccal.study.runner import run_study
from seccal.study.store import RunStore
from seccal.study.table import results_table


def test_full_run_then_rerun_does_nothing(
    tmp_path: Path, fake_llm: FakeLLMServer, api_key: str
) -> None:
    study = write_study(tmp_path, fake_llm.base_url)
    config = load_study(study)
    out = run_study(config, base_dir=tmp_path, progress=False)
    n_gen = 3 * 2 * 2  # tasks x temperatures x samples
    assert out.counts["generations"] == n_gen
    assert out.counts["verdicts"] == n_gen
    # verbal security, functional; joint (2 targets); ptrue; consistency; likelihood
    assert out.counts["confidences"] == n_gen * 7
    assert fake_llm.authorizations() == {f"Bearer {api_key}"}
    hits = fake_llm.hits
    # generation + verbal x2, joint, ptrue, 3 consistency samples = 8 calls per snippet at
    # most; identical code gets identical questions, answered once (response cache).
    assert n_gen < hits <= n_gen * 8

    again = run_study(config, base_dir=tmp_path, progress=False)
    assert fake_llm.hits == hits, "a finished run must not call the model again"
    assert again.counts == out.counts
    assert again.stages["generate"].done_before == n_gen

    with RunStore(out.run_dir / "store.sqlite") as store:
        df = results_table(store, label_source="both")
    assert len(df) == n_gen
    assert df["conf_security_verbal"].notna().all()
    assert df["conf_functional_joint"].notna().all()
    assert df["conf_ptrue"].between(0, 1).all()
    assert df["conf_consistency"].notna().all()
    # The fake server's only token log-prob is ln 0.9 (no token inside the code: all are used).
    assert (df["conf_likelihood"].round(6) == 0.9).all()
    # The fake model writes the secure or the insecure reference: the judge must tell them apart.
    assert set(df["secure_dynamic"].dropna()) == {0, 1}
    assert (df["correct"] == 1).all()
    assert df["cost_usd"].sum() > 0

    metrics = validate(json.loads(out.metrics_path.read_text()))  # type: ignore[union-attr]
    rows = {
        (r["condition"]["temperature"], r["target"], r["confidence"]): r
        for r in metrics["conditions"]
    }
    sec = rows[(0.0, "security", "conf_security_verbal")]
    assert sec["n"] == 6 and 0 <= sec["summary"]["ece"] <= 1
    assert rows[(1.0, "functional", "conf_functional_verbal")]["n"] == 6
    assert (0.0, "security", "conf_ptrue") in rows
    # the run's columns reach the analysis: language, cost per stage, isolation
    assert {r["language"] for r in metrics["breakdowns"]["language"]} == {"python"}
    assert set(metrics["cost"]["by_stage"]) == {"generate", "elicit"}
    assert metrics["sandbox"]["recorded"] and not metrics["sandbox"]["weak"]
    assert out.report_path is not None and out.report_path.name == "report.html"
    # the report shows the run's own metrics.json, the summary renders it
    shown = json.loads((out.report_path.parent / "metrics.json").read_text())
    assert shown == metrics
    summary = out.summary_path.read_text()  # type: ignore[union-attr]
    assert "label source: **both**" in summary and "## Findings" in summary
    assert metrics["findings"][0] in summary
    for path in out.run_dir.rglob("*"):
        if path.is_file():
            assert api_key.encode() not in path.read_bytes(), path


def test_cost_limit_stops_calls_and_a_higher_limit_resumes(
    tmp_path: Path, fake_llm: FakeLLMServer, api_key: str
) -> None:
    # A fake gpt-4o-mini generation costs ~$0.00005: the limit is reached after two or three.
    study = write_study(
        tmp_path,
        fake_llm.base_url,
        samples=1,
        analyzers="[]",
        study_extra="cost_limit_usd = 0.0001",
    )
    out = run_study(load_study(study), base_dir=tmp_path, progress=False)
    assert out.stop_reason is not None and "cost limit" in out.stop_reason
    gen = out.stages["generate"]
    assert gen.failed > 0 and out.counts["generations"] < 6
    assert out.summary_path is not None and out.summary_path.exists()
    # Calls refused by the limit are not stored: the next run makes them.
    raised = write_study(
        tmp_path, fake_llm.base_url, samples=1, analyzers="[]", study_extra="cost_limit_usd = 10.0"
    )
    again = run_study(load_study(raised), base_dir=tmp_path, progress=False)
    assert again.stop_reason is None
    assert again.warnings == []  # a new cost limit is not a new study
    assert again.counts["generations"] == 6 and again.counts["verdicts"] == 6
    with RunStore(again.run_dir / "store.sqlite") as store:
        assert all(g.error is None for g in store.generations())


def test_corrupt_local_model_stops_the_run_before_any_work(tmp_path: Path) -> None:
    """A GGUF that is not one fails at validation: no run folder, no store, no call."""
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"GGML" + bytes(64))
    study = tmp_path / "study.toml"
    study.write_text(
        '[study]\nname = "bad"\ntemperatures = [0.2]\n'
        '[[models]]\nprovider = "llamacpp"\nmodel = "mine"\nform = "chat"\n'
        f'[models.params]\nmodel_path = "{bad}"\nchat_format = "chatml"\n'
        '[[suites]]\nname = "builtin"\ntasks = ["sqli-user-lookup"]\n'
    )
    config = load_study(study)
    with pytest.raises(ConfigError, match=r"llamacpp:mine: .*not a GGUF model file"):
        run_study(config, run_dir=tmp_path / "run", progress=False)
    assert not (tmp_path / "run").exists()
