"""The finding in words: sentences built from ``metrics.json``, never from the data.

The report, the summary and the tables quote these sentences, so the words and the
numbers of a run cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _ci(summary: Mapping[str, Any], key: str, digits: int = 2) -> str:
    ci = (summary.get("ci") or {}).get(key)
    if not ci or ci[0] is None or ci[1] is None:
        return ""
    return f" [{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _excludes_zero(ci: Any) -> bool:
    return bool(ci) and ci[0] is not None and ci[1] is not None and (ci[0] > 0 or ci[1] < 0)


def model_finding(row: Mapping[str, Any], tau: float) -> str:
    """One model's security calibration in words, with task-cluster CIs."""
    model = row["condition"]["model"]
    sec = row["targets"].get("security") or {}
    s = sec.get("summary")
    if not s:
        return f"{model}: no security label and confidence known together; nothing to measure."
    gap = s["overconfidence_gap"]
    mood = "over-confident" if gap > 0 else "under-confident"
    rate = (sec.get("label_rate") or {}).get("estimate")
    text = (
        f"{model}: security confidence is {mood} by {abs(gap):.3f}"
        f"{_ci(s, 'overconfidence_gap')} (mean stated confidence "
        f"{_pct(sec.get('mean_confidence'))}, {_pct(rate)} of the code secure; "
        f"ECE {s['ece']:.3f}{_ci(s, 'ece')})"
    )
    if s.get("false_trust_rate") is not None:
        text += (
            f"; False Trust at {tau:g} is {s['false_trust_rate']:.3f}"
            f"{_ci(s, 'false_trust_rate')} (share of vulnerable snippets stated "
            f"≥ {tau:g} secure)"
        )
    p = row.get("paired")
    c = (p or {}).get("comparisons", {}).get("ece")
    if c:
        worse = "worse" if c["diff"] > 0 else "better"
        ci = c.get("ci")
        ci_text = f" [{ci[0]:+.3f}, {ci[1]:+.3f}]" if ci and ci[0] is not None else ""
        p_text = f", p = {c['p_value']:.3f}" if c.get("p_value") is not None else ""
        measured = f"(ΔECE security − functional {c['diff']:+.3f}{ci_text}{p_text})"
        if _excludes_zero(ci):
            text += f"; security calibration is {worse} than functional on the same snippets "
            text += measured
        else:  # a point estimate whose interval includes 0 is not a finding
            text += (
                "; security and functional calibration cannot be told apart on the same "
                f"snippets {measured}: the CI includes 0"
            )
    return text + "."


def findings(doc: Mapping[str, Any]) -> list[str]:
    """The run's findings: one sentence per model, then gating, recalibration and repair."""
    tau = float(doc["settings"]["tau"])
    out = [model_finding(row, tau) for row in doc.get("models", [])]
    for row in doc.get("gating", []):
        cond = row["condition"]
        if cond.get("temperature") is not None:
            continue  # per-condition rows: the pooled ones speak for the model
        gates = [g for g in row["gates"][1:] if (g.get("ece_change") or {}).get("relative")]
        if gates:
            g = min(gates, key=lambda r: r["ece_change"]["relative"])
            out.append(
                f"{cond['model']} on {cond['suite']}: the gate “{g['gate']}” changes ECE by "
                f"{100 * g['ece_change']['relative']:+.0f}% while accepting "
                f"{_pct(g['coverage']['estimate'])} of the snippets."
            )
    for row in doc.get("repair", []):
        cond = row["condition"]
        out.append(
            f"{cond['model']} on {cond['suite']}: repair ({row['variant']}, confidence below "
            f"{row['threshold']:g}) fixed {_pct(row['fix_rate']['estimate'])} of the vulnerable "
            f"snippets and broke {_pct(row['regression_rate']['estimate'])} of the correct ones."
        )
    return out
