import pytest

from seccal.elicit.parse import parse_confidence, parse_joint, parse_yes_no


@pytest.mark.parametrize(
    ("reply", "value", "kind"),
    [
        ("85%", 0.85, "percent"),
        ("Confidence: 85%", 0.85, "percent"),
        ("Confidence: 0.85", 0.85, "decimal"),
        ("Confidence: 8/10", 0.8, "fraction"),
        ("I would rate it 7 out of 10.", 0.7, "fraction"),
        ("**Confidence:** 92 percent", 0.92, "percent"),
        (" 85\n\ndef other():", 0.85, "bare"),
        (" 0.3", 0.3, "bare"),
        ("Probability: 100%", 1.0, "percent"),
        ("confidence = 0", 0.0, "decimal"),
        ("I am very confident the code is secure.", 0.9, "words"),
        ("I'm not very confident about this one.", 0.3, "words"),
        ("Highly unlikely to be secure.", 0.1, "words"),
    ],
)
def test_parse_confidence_shapes(reply: str, value: float, kind: str) -> None:
    parsed = parse_confidence(reply)
    assert parsed.value == pytest.approx(value)
    assert parsed.kind == kind
    assert parsed.raw == reply


def test_cot_reply_takes_the_final_answer_not_numbers_in_reasoning() -> None:
    reply = (
        "Step 1: line 3 builds the query with an f-string (CWE-89).\n"
        "Step 2: 2 of the inputs are user controlled, about 50% of paths.\n"
        "Confidence: 10%"
    )
    assert parse_confidence(reply).value == pytest.approx(0.10)


def test_cwe_numbers_are_not_probabilities() -> None:
    parsed = parse_confidence("This is CWE-89.")
    assert parsed.value is None


@pytest.mark.parametrize("reply", ["", "It depends on the deployment.", "Confidence: 150%"])
def test_unparseable_is_unknown_with_raw_kept(reply: str) -> None:
    parsed = parse_confidence(reply)
    assert parsed.value is None
    assert parsed.raw == reply
    assert parsed.reason


def test_out_of_range_reason_names_the_number() -> None:
    assert "150%" in parse_confidence("Confidence: 150%").reason


def test_parse_joint_reads_both_lines() -> None:
    sec, fun = parse_joint("Reasoning...\nSecurity: 30%\nFunctional: 90%")
    assert sec.value == pytest.approx(0.3)
    assert fun.value == pytest.approx(0.9)


def test_parse_joint_missing_one_is_unknown() -> None:
    sec, fun = parse_joint("Security: 40%")
    assert sec.value == pytest.approx(0.4)
    assert fun.value is None and "functional" in fun.reason


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("Yes", True),
        (" no.", False),
        ("**No**, it is injectable", False),
        ("Let me think. Answer: yes", True),
        ("Unclear", None),
        ("", None),
    ],
)
def test_parse_yes_no(reply: str, answer: bool | None) -> None:
    assert parse_yes_no(reply) is answer


@pytest.mark.parametrize("reply", ["Confidence: 0.85.", "Confidence: 85%.", "Confidence: 17/20"])
def test_trailing_punctuation_and_odd_denominators(reply: str) -> None:
    assert parse_confidence(reply).value == pytest.approx(0.85)


def test_comment_form_answer_of_a_base_model() -> None:
    assert parse_confidence("# 0.999").value == pytest.approx(0.999)
    assert parse_confidence("# 100%").value == pytest.approx(1.0)
    assert parse_confidence("# https://www.python.org").value is None
