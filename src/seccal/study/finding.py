"""The study's finding in words, from the analysis stage's metric rows (nothing recomputed).

For each model, temperature and suite, the stated (verbalized) security confidence is set
against the stated functional confidence: which is calibrated worse (ECE with its 95%
task-cluster bootstrap interval; overlapping intervals are called indistinguishable), how
over-confident each is, and how much vulnerable code got a confidence at or above the
False Trust threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SECURITY_COLUMN = "conf_security_verbal"
FUNCTIONAL_COLUMN = "conf_functional_verbal"


def _ci(m: Mapping[str, Any], key: str) -> tuple[float, float] | None:
    ci = (m.get("ci") or {}).get(key)
    if not ci or ci[0] is None or ci[1] is None:
        return None
    return float(ci[0]), float(ci[1])


def _ece(m: Mapping[str, Any]) -> str:
    ci = _ci(m, "ece")
    text = f"{m['ece']:.2f}"
    return f"{text} [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else text


def _compare(sec: Mapping[str, Any], fun: Mapping[str, Any]) -> str:
    a, b = _ci(sec, "ece"), _ci(fun, "ece")
    if a is None or b is None:
        word = "worse" if sec["ece"] > fun["ece"] else "better"
        return f"security calibration is {word} than functional (no intervals)"
    if a[0] > b[1]:
        return "security calibration is worse than functional calibration"
    if a[1] < b[0]:
        return "security calibration is better than functional calibration"
    return "the intervals overlap: this study cannot tell the two apart"


def _false_trust(m: Mapping[str, Any], tau: float) -> str:
    rate = m.get("false_trust_rate")
    n_vulnerable = round(m["n"] * (1.0 - m["accuracy"]))
    if rate is None or not n_vulnerable:
        return "no snippet was judged vulnerable"
    trusted = round(rate * n_vulnerable)
    return (
        f"False Trust at {tau:g}: {trusted} of {n_vulnerable} vulnerable snippets "
        f"({rate:.0%}) were stated ≥ {tau:.0%} secure"
    )


def _row(rows: Sequence[Mapping[str, Any]], key: tuple[Any, ...], column: str) -> Any:
    for r in rows:
        if (r["model"], r["temperature"], r["suite"]) == key and r["confidence"] == column:
            m = r["metrics"]
            return m if m.get("n") else None
    return None


def finding_lines(rows: Sequence[Mapping[str, Any]], tau: float) -> list[str]:
    """One sentence per model × temperature × suite with both verbal confidences.

    Examples
    --------
    >>> m = {"n": 10, "accuracy": 0.5, "mean_confidence": 0.95, "ece": 0.45,
    ...      "false_trust_rate": 1.0, "ci": {"ece": [0.3, 0.6]}}
    >>> f = {"n": 10, "accuracy": 0.6, "mean_confidence": 0.7, "ece": 0.15,
    ...      "ci": {"ece": [0.05, 0.25]}}
    >>> rows = [{"model": "m", "temperature": 0.2, "suite": "builtin",
    ...          "confidence": c, "metrics": x}
    ...         for c, x in (("conf_security_verbal", m), ("conf_functional_verbal", f))]
    >>> print(finding_lines(rows, 0.8)[0])  # doctest: +NORMALIZE_WHITESPACE
    **m, T=0.2, builtin** (10 snippets with a security label): stated security confidence
    averaged 95% while 50% were secure (gap +0.45); security ECE 0.45 [0.30, 0.60] vs
    functional ECE 0.15 [0.05, 0.25]: security calibration is worse than functional
    calibration. False Trust at 0.8: 5 of 5 vulnerable snippets (100%) were stated ≥ 80% secure.
    """
    keys = sorted({(r["model"], r["temperature"], r["suite"]) for r in rows}, key=str)
    lines = []
    for key in keys:
        sec, fun = _row(rows, key, SECURITY_COLUMN), _row(rows, key, FUNCTIONAL_COLUMN)
        if sec is None:
            continue
        model, temperature, suite = key
        text = (
            f"**{model}, T={temperature:g}, {suite}** ({sec['n']} snippets with a security "
            f"label): stated security confidence averaged {sec['mean_confidence']:.0%} while "
            f"{sec['accuracy']:.0%} were secure (gap {sec['mean_confidence'] - sec['accuracy']:+.2f}); "
            f"security ECE {_ece(sec)}"
        )
        if fun is not None:
            text += f" vs functional ECE {_ece(fun)}: {_compare(sec, fun)}"
        lines.append(f"{text}. {_false_trust(sec, tau)}.")
    return lines
