from typing import Any

from seccal.analysis.findings import model_finding


def _row(diff: float, ci: tuple[float, float]) -> dict[str, Any]:
    summary = {"overconfidence_gap": 0.18, "ece": 0.58, "ci": {"ece": [0.36, 0.81]}}
    return {
        "condition": {"model": "m"},
        "targets": {
            "security": {
                "summary": summary,
                "mean_confidence": 0.65,
                "label_rate": {"estimate": 0.47},
            }
        },
        "paired": {"comparisons": {"ece": {"diff": diff, "ci": list(ci), "p_value": 0.78}}},
    }


def test_a_difference_whose_interval_includes_zero_is_not_called_better_or_worse() -> None:
    text = model_finding(_row(-0.065, (-0.368, 0.309)), 0.8)
    assert "better" not in text and "worse" not in text
    assert "cannot be told apart on the same snippets" in text
    assert (
        "(ΔECE security − functional -0.065 [-0.368, +0.309], p = 0.780): the CI includes 0" in text
    )


def test_a_clear_difference_is_named() -> None:
    text = model_finding(_row(0.21, (0.05, 0.40)), 0.8)
    assert "security calibration is worse than functional on the same snippets" in text
    assert "includes 0" not in text
    assert "better than functional" in model_finding(_row(-0.2, (-0.3, -0.1)), 0.8)
