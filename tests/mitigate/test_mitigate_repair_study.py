from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from seccal.mitigate.repair import RepairPrompt
from seccal.tasks.model import Task

pytest.importorskip("seccal.study.table", reason="needs the study package (run store)")

from seccal.mitigate.repair_study import repair_run_dir
from seccal.report.synthetic import synthetic_config, synthetic_export, synthetic_run


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


def test_repair_of_a_run_folder_is_stored_and_shown_in_the_report(tmp_path: Path) -> None:
    df = synthetic_export(
        n_tasks=5, temperatures=(0.0, 0.8), suites=("builtin",), samples=1, variants=("zero_shot",)
    )
    config = {**synthetic_config(df), "analysis": {"n_boot": 20}}
    synthetic_run(df, config, tmp_path)
    _fixer.calls = 0  # type: ignore[attr-defined]
    res = repair_run_dir(
        tmp_path, threshold=0.6, variant="findings", make_generator=_fixer, rejudge=_judge
    )
    conf = df["conf_security_verbal"]
    expected = int(((conf < 0.6) & df["has_code"]).sum())
    assert res.selected == expected > 0 and res.repaired_now == expected
    assert _fixer.calls == expected  # type: ignore[attr-defined]
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

    from seccal.report import build_report

    html = build_report(tmp_path, tmp_path / "report").read_text("utf-8")
    assert "Calibration-guided repair" in html and "findings" in html
    assert "Not available for this study" not in html.split('id="repair"')[1].split("</section>")[0]
