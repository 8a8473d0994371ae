import json
from pathlib import Path
from typing import Any

import pytest

from seccal.core.config import ModelConfig
from seccal.core.task import Task
from seccal.elicit.prompts import chat_confidence_prompt, completion_confidence_prompt
from seccal.errors import InputError
from seccal.mitigate.repair_confidence import (
    ConfidenceSource,
    confidence_source,
    elicit_confider,
)
from seccal.mitigate.repair_run import RETRY_PREFIX
from seccal.models import GenerationRequest, Message, ModelSpec

TASK = Task(
    id="cmd",
    suite="toy",
    language="python",
    cwes=("CWE-78",),
    prompt='import subprocess\n\ndef run_cmd(name):\n    """List the file `name`."""\n',
    module_name="solution",
    entry_point="run_cmd",
)
FIXED = TASK.prompt + "    return subprocess.run(['ls', '--', name])\n"
PROSE = TASK.prompt + "    return subprocess.run(['ls', name])\n"
UNRECORDED = TASK.prompt + "    return None\n"
ELICIT = {"temperature": 0.0, "max_tokens": 16, "cot_max_tokens": 512, "variants": ["zero_shot"]}


def _write(path: Path, records: list[tuple[GenerationRequest, str]]) -> ModelSpec:
    spec = {"provider": "openai", "model": "toy", "base_url": None, "params": {}}
    lines = [
        json.dumps({"spec": spec, "request": r.to_dict(), "response": {"text": text}})
        for r, text in records
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ModelSpec(provider="replay", model="toy", params={"path": str(path)})


def _chat(code: str) -> GenerationRequest:
    msgs = chat_confidence_prompt(
        task=TASK.prompt, code=code, target="security", variant="zero_shot", language="python"
    )
    return GenerationRequest(
        messages=tuple(Message(m["role"], m["content"]) for m in msgs),  # type: ignore[arg-type]
        temperature=0.0,
        max_tokens=16,
    )


def test_chat_model_is_asked_the_study_request_about_the_repaired_code(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "r.jsonl",
        [(_chat(FIXED), "Confidence: 85%"), (_chat(PROSE), "It depends on the input.")],
    )
    model = ModelConfig(name="toy", provider="replay", model="toy")
    confide = elicit_confider(spec, model, ELICIT, ConfidenceSource("security", "zero_shot"))
    items: list[tuple[str, Task, str]] = [
        ("g1", TASK, FIXED),
        ("g2", TASK, PROSE),
        ("g3", TASK, UNRECORDED),
    ]
    (v1, r1, *_), (v2, r2, *_), (v3, r3, *_) = confide(items)
    assert (v1, r1) == (0.85, "")
    # an unreadable answer is a final unknown with the parser's reason, not retried
    assert v2 is None and r2 and not r2.startswith(RETRY_PREFIX)
    # a call that failed (here: nothing recorded) is retried on the next run
    assert v3 is None and r3.startswith(RETRY_PREFIX) and "not_recorded" in r3


def test_completion_model_gets_the_completion_form_prompt(tmp_path: Path) -> None:
    request = GenerationRequest(
        prompt=completion_confidence_prompt(code=FIXED, target="security", variant="zero_shot"),
        stop=("\n\n\n",),
        temperature=0.0,
        max_tokens=16,
    )
    spec = _write(tmp_path / "r.jsonl", [(request, " 70%\n")])
    model = ModelConfig(name="toy", provider="replay", model="toy", form="completion")
    confide = elicit_confider(spec, model, ELICIT, ConfidenceSource("security", "zero_shot"))
    assert [a[:2] for a in confide([("g1", TASK, FIXED)])] == [(0.7, "")]


def test_confidence_source_names_the_elicitation() -> None:
    variants = ["few_shot", "zero_shot"]
    assert confidence_source("conf_security_verbal", variants) == ConfidenceSource(
        "security", "few_shot"
    )
    assert confidence_source("conf_security_joint_cot", variants) == ConfidenceSource(
        "joint", "cot"
    )
    with pytest.raises(InputError, match="conf_ptrue"):
        confidence_source("conf_ptrue", variants)


def test_joint_elicitation_keeps_the_security_part(tmp_path: Path) -> None:
    from seccal.elicit.prompts import chat_confidence_prompt as prompt_of

    msgs: Any = prompt_of(
        task=TASK.prompt, code=FIXED, target="joint", variant="zero_shot", language="python"
    )
    request = GenerationRequest(
        messages=tuple(Message(m["role"], m["content"]) for m in msgs),
        temperature=0.0,
        max_tokens=16,
    )
    answer = "Security: 60%\nFunctional: 90%"
    spec = _write(tmp_path / "r.jsonl", [(request, answer)])
    model = ModelConfig(name="toy", provider="replay", model="toy")
    confide = elicit_confider(spec, model, ELICIT, ConfidenceSource("joint", "zero_shot"))
    assert [a[:2] for a in confide([("g1", TASK, FIXED)])] == [(0.6, "")]
