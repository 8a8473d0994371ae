"""A risk-controlled gate for generated code: accept it with a bound on escaped vulnerabilities.

From a study's results table the gate fits P(vulnerable | features) on the model's
confidences, the analyzers' findings and execution signals (:mod:`~seccal.gate.fusion`), then
certifies an acceptance threshold on held-out tasks so that, with probability at least
1 - delta, at most a share alpha of the accepted code is vulnerable
(:mod:`~seccal.gate.risk`, Learn-then-Test). The modules:

- :mod:`~seccal.gate.features`: feature columns, transforms, finding counts per CWE family;
- :mod:`~seccal.gate.fusion`: the fused model, grouped cross-fitting, comparison of signals;
- :mod:`~seccal.gate.risk`: p-values, fixed-sequence testing, feasibility bound;
- :mod:`~seccal.gate.gatefile`: fitting, saving, loading and applying a gate;
- :mod:`~seccal.gate.multicalib`: per-subgroup calibration and multicalibration;
- :mod:`~seccal.gate.shift`: self-contained vs repository-level tasks, both ways;
- :mod:`~seccal.gate.evaluate`: repeated task splits, against naive rules;
- :mod:`~seccal.gate.check` and :mod:`~seccal.gate.sarif`: checking files in CI;
- :mod:`~seccal.gate.summary`: the report's gate section.
"""

from seccal.gate.evaluate import evaluate_gate
from seccal.gate.fusion import FusedModel, compare_signals, cross_fit_fused, fit_fused
from seccal.gate.gatefile import Gate, fit_gate, load_gate, load_study, save_gate
from seccal.gate.risk import RiskControl, control_risk, feasibility_bound, min_accepted
from seccal.gate.summary import gate_section, gate_table

__all__ = [
    "FusedModel",
    "Gate",
    "RiskControl",
    "compare_signals",
    "control_risk",
    "cross_fit_fused",
    "evaluate_gate",
    "feasibility_bound",
    "fit_fused",
    "fit_gate",
    "gate_section",
    "gate_table",
    "load_gate",
    "load_study",
    "min_accepted",
    "save_gate",
]
