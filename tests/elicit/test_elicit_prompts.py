import pytest

from seccal.elicit.parse import parse_confidence, parse_joint
from seccal.elicit.prompts import (
    TARGETS,
    VARIANTS,
    chat_confidence_prompt,
    completion_confidence_prompt,
    completion_yes_no_prompt,
)

CODE = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_chat_prompt_shapes(target: str, variant: str) -> None:
    msgs = chat_confidence_prompt(task="Add.", code=CODE, target=target, variant=variant)  # type: ignore[arg-type]
    assert msgs[0]["role"] == "system"
    assert msgs[-1]["role"] == "user" and CODE.strip() in msgs[-1]["content"]
    shots = [m for m in msgs if m["role"] == "assistant"]
    assert bool(shots) == variant.startswith("few_shot")
    step = "step by step" in msgs[-1]["content"]
    assert step == variant.endswith("cot")
    for shot in shots:
        # Worked answers follow the format the parser reads.
        if target == "joint":
            assert all(p.value is not None for p in parse_joint(shot["content"]))
        else:
            assert parse_confidence(shot["content"]).value is not None


def test_security_and_functional_are_asked_separately() -> None:
    sec = chat_confidence_prompt(task="t", code=CODE, target="security", variant="zero_shot")
    fun = chat_confidence_prompt(task="t", code=CODE, target="functional", variant="zero_shot")
    assert "security vulnerabilities" in sec[-1]["content"]
    assert "functionally correct" in fun[-1]["content"]
    assert "for all valid inputs" not in sec[-1]["content"]


def test_completion_prompt_ends_with_the_probability_line() -> None:
    text = completion_confidence_prompt(code=CODE, target="security", variant="zero_shot")
    assert text.startswith(CODE.rstrip())
    assert text.endswith("free of security vulnerabilities:")
    few = completion_confidence_prompt(code=CODE, target="functional", variant="few_shot")
    assert few.endswith("functionally correct:") and few.count("functionally correct:") == 3
    cot = completion_confidence_prompt(code=CODE, target="security", variant="cot")
    assert cot.rstrip().endswith("#")


def test_completion_yes_no_prompt() -> None:
    assert completion_yes_no_prompt(code=CODE).endswith("# Answer:")
