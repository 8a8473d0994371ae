"""The words and numbers of a report (DESIGN.md §3), printed in its glossary."""

from __future__ import annotations


def glossary(tau: float, n_bins: int, strategy: str, n_boot: int) -> list[tuple[str, str]]:
    """(term, definition) pairs with this report's settings filled in."""
    bins = (
        f"{n_bins} equal-width bins (lo, hi], the first closed at 0"
        if strategy == "uniform"
        else f"{n_bins} equal-mass bins that never split tied values"
    )
    return [
        (
            "label",
            "secure = 1 when the snippet passes its security checks (which checks count is "
            "the study's label source, printed above); correct = 1 when it passes its "
            "functional tests. A check that could not run is unknown: left out and counted, "
            "never read as 0 or 1.",
        ),
        ("confidence c", "The model's probability, in [0, 1], that the label is 1."),
        ("ECE", f"Expected calibration error Σ_b (n_b/N)·|acc_b − conf_b| over {bins}."),
        ("MCE", "Maximum calibration error: max_b |acc_b − conf_b| over non-empty bins."),
        ("smECE", "Smooth ECE: a kernel-smoothed, binning-free calibration error."),
        (
            "Brier",
            "Mean (c − y)²; Murphy decomposition Brier = REL − RES + UNC over distinct "
            "confidence values (reliability: lower is better; resolution: higher is better).",
        ),
        (
            "AUROC",
            "Probability that a random secure snippet gets a higher c than a vulnerable one.",
        ),
        ("over-confidence gap", "mean(c) − mean(y); positive means over-confident."),
        (
            f"False Trust (τ = {tau:g})",
            f"P(c ≥ {tau:g} | vulnerable): the share of vulnerable snippets the model "
            "confidently calls secure.",
        ),
        (
            "risk–coverage",
            "Accept snippets with c ≥ t: coverage is the share accepted, risk the share of "
            "accepted snippets that are vulnerable, over every threshold t.",
        ),
        (
            "CI",
            f"95% percentile bootstrap over tasks (clusters), {n_boot} resamples: snippets "
            "of one task are not independent.",
        ),
        (
            "recalibration",
            "Temperature scaling, Platt scaling, isotonic regression, histogram binning; "
            "fitted by K-fold cross-fitting grouped by task and measured on out-of-fold "
            "predictions only.",
        ),
        (
            "execution gating",
            "Accept code only when it passes checks (compiles, functional tests, static "
            "analyzers, confidence ≥ τ); calibration, coverage and False Trust are measured "
            "on what is accepted. A check that could not run does not pass.",
        ),
        (
            "calibration-guided repair",
            "Snippets with security confidence below a threshold go back to the same model "
            "to be fixed; fixes are vulnerable→secure, regressions correct→broken.",
        ),
    ]
