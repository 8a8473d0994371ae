import math

import pytest

from seccal.elicit.scores import p_true, self_consistency, sequence_likelihood


def test_p_true_normalises_over_yes_no_variants() -> None:
    top = [
        (" Yes", math.log(0.4)),
        ("yes", math.log(0.1)),
        (" No", math.log(0.25)),
        ("NO", float("-inf")),
        ("The", math.log(0.2)),
    ]
    assert p_true(top).value == pytest.approx(0.5 / 0.75)


def test_p_true_handles_sentencepiece_marker() -> None:
    assert p_true({"▁yes": -0.1, "▁no": -0.1}).value == pytest.approx(0.5)


def test_p_true_missing_without_logprobs() -> None:
    assert p_true(None).value is None
    assert p_true({}).value is None


def test_p_true_missing_when_no_yes_no_token() -> None:
    score = p_true({"The": -0.5, "It": -1.0})
    assert score.value is None
    assert "no yes/no token" in score.reason


def test_self_consistency_ignores_unparseable() -> None:
    score = self_consistency(["Yes", "No", "No", "perhaps", None])
    assert score.value == pytest.approx(1 / 3)
    assert "2 unparseable" in score.detail


def test_self_consistency_all_unparseable_is_unknown() -> None:
    assert self_consistency(["?", ""]).value is None


def test_sequence_likelihood() -> None:
    mean, score = sequence_likelihood([math.log(0.9), math.log(0.1), float("nan")])
    assert mean == pytest.approx((math.log(0.9) + math.log(0.1)) / 2)
    assert score.value == pytest.approx(0.3)
    assert sequence_likelihood(None) == (None, sequence_likelihood([])[1])
