import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synthetic_study import synthetic_config, synthetic_export, synthetic_run

from seccal.core.task import Task
from seccal.mitigate.repair import RepairPrompt
from seccal.mitigate.repair_study import repair_run_dir


def _fixer(spec: Any, temperature: float, form: str) -> Any:
    calls: list[tuple[str, float]] = []

    def generate(prompts: Sequence[RepairPrompt]) -> list[str | None]:
        calls.extend((spec.model, temperature) for _ in prompts)
        _fixer.calls += len(prompts)  # type: ignore[attr-defined]
        out = []
        for p in prompts:
            name = p.messages[1][1].split("def ", 1)[1].split("(", 1)[0]
            out.append(
                f"```python\ndef {name}(path):\n    return safe_read(path)\n```\nConfidence: 80%"
            )
        return out

    return generate


def _judge(items: Sequence[tuple[str, Task, str]]) -> list[tuple[str, str]]:
    return [("secure" if "safe_read" in code else "vulnerable", "pass") for _, _, code in items]


def _record_confidences(run_dir: Path, replies: Path, answer: str) -> int:
    """Record ``answer`` to the study's verbalized security-confidence request (chat form,
    zero-shot, the study's default elicit settings) about every stored repaired code."""
    from seccal.elicit.prompts import chat_confidence_prompt
    from seccal.mitigate.repair_run import RepairStore
    from seccal.models import GenerationRequest, Message
    from seccal.study.store import RunStore

    with RunStore(run_dir / "store.sqlite") as store:
        tasks = store.tasks()
        with RepairStore(run_dir / "store.sqlite") as repairs:
            frame = repairs.frame()
        gens = {g.gen_id: g for g in store.generations(ids=list(frame["source_gen_id"]))}
    lines = []
    for gen_id, code in zip(frame["source_gen_id"], frame["code"], strict=True):
        g = gens[gen_id]
        task = tasks[g.task_key]
        msgs = chat_confidence_prompt(
            task=task.prompt,
            code=code,
            target="security",
            variant="zero_shot",
            language=task.language,
        )
        req = GenerationRequest(
            messages=tuple(Message(m["role"], m["content"]) for m in msgs),  # type: ignore[arg-type]
            temperature=0.0,
            max_tokens=16,
        )
        spec = {"provider": "replay", "model": g.model, "base_url": None, "params": {}}
        lines.append(
            json.dumps({"spec": spec, "request": req.to_dict(), "response": {"text": answer}})
        )
    replies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _repair_section(run_dir: Path) -> str:
    from seccal.report import build_report

    html = build_report(run_dir, run_dir / "report").read_text("utf-8")
    assert "Calibration-guided repair" in html
    return html.split('id="repair"')[1].split("</section>")[0]


def test_repair_of_a_run_folder_is_stored_and_shown_in_the_report(tmp_path: Path) -> None:
    df = synthetic_export(
        n_tasks=5, temperatures=(0.0, 0.8), suites=("builtin",), samples=1, variants=("zero_shot",)
    )
    config = {**synthetic_config(df), "analysis": {"n_boot": 20}}
    # The models answer confidence requests from a recorded file (empty for now: every
    # confidence call fails as not recorded, a transient failure retried on the next run).
    replies = tmp_path / "replies.jsonl"
    replies.write_text("", encoding="utf-8")
    config["models"] = [
        {**m, "provider": "replay", "params": {"path": str(replies)}} for m in config["models"]
    ]
    synthetic_run(df, config, tmp_path)
    _fixer.calls = 0  # type: ignore[attr-defined]
    res = repair_run_dir(
        tmp_path, threshold=0.6, variant="findings", make_generator=_fixer, rejudge=_judge
    )
    conf = df["conf_security_verbal"]
    expected = int(((conf < 0.6) & df["has_code"]).sum())
    assert res.selected == expected > 0 and res.repaired_now == expected
    assert _fixer.calls == expected  # type: ignore[attr-defined]
    assert res.rated_now == res.rated_unknown == expected
    # no confidence in the repaired code yet: the table says the original one is used
    assert "<td>original</td>" in _repair_section(tmp_path)
    by_config = repair_run_dir(
        tmp_path, variant="confidence", make_generator=_fixer, rejudge=_judge
    )
    assert by_config.threshold == 0.5  # the study's mitigations.repair_threshold
    calls = _fixer.calls  # type: ignore[attr-defined]
    again = repair_run_dir(
        tmp_path, threshold=0.6, variant="findings", make_generator=_fixer, rejudge=_judge
    )
    assert again.repaired_now == 0 and again.done_before == expected
    assert _fixer.calls == calls  # type: ignore[attr-defined]
    assert again.rated_now == again.rated_unknown == expected  # still not recorded

    # Now the model answers: the next run makes only the confidence calls.
    n_rated = _record_confidences(tmp_path, replies, "Confidence: 90%")
    third = repair_run_dir(
        tmp_path, threshold=0.6, variant="findings", make_generator=_fixer, rejudge=_judge
    )
    assert _fixer.calls == calls  # type: ignore[attr-defined]
    assert third.repaired_now == 0 and third.rated_now == expected and third.rated_unknown == 0
    fourth = repair_run_dir(tmp_path, variant="confidence", make_generator=_fixer, rejudge=_judge)
    assert fourth.rated_now == by_config.repaired_now and n_rated == expected + fourth.rated_now

    from seccal.mitigate.repair_run import RepairStore

    with RepairStore(tmp_path / "store.sqlite") as repairs:
        frame = repairs.frame()
    assert frame["conf_after"].tolist() == [0.9] * len(frame)
    section = _repair_section(tmp_path)
    assert "findings" in section and "<td>re-elicited</td>" in section
    assert "<td>original</td>" not in section and "original confidence is used" in section
    assert "Not available for this study" not in section

    # The report's "after" calibration scores the repaired rows with conf_after, and
    # differs from scoring them with their original confidence.
    from seccal.mitigate.repair import summarize_repair
    from seccal.report.data import from_run_dir
    from seccal.study.analyze import run_metrics

    inp = from_run_dir(tmp_path)
    summaries = run_metrics(tmp_path)["repair"]  # the report's numbers: RUN/metrics.json
    assert summaries and all(r["n_conf_after"] == r["n_repaired"] > 0 for r in summaries)
    for r in summaries:
        part = inp.frame[inp.frame["model"] == r["condition"]["model"]]
        mine = inp.repairs[inp.repairs["variant"] == r["variant"]]  # type: ignore[index]
        mine = mine[mine["source_gen_id"].isin(set(part["gen_id"]))]
        old = summarize_repair(
            part,
            mine.assign(conf_after=float("nan")),
            variant=r["variant"],
            threshold=r["threshold"],
            confidence="conf_security_verbal",
            n_boot=0,
        )
        assert old.n_conf_after == 0 and old.after is not None and r["after"] is not None
        assert r["after"]["ece"] != old.after["ece"]
