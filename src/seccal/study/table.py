"""The results table of a run store: one row per generation, its confidences and labels.

This is what ``seccal export`` writes and what ``seccal metrics`` reads; its columns
are documented in :mod:`seccal.core.results`, which also parses them. For the
risk-controlled gate the table also has ``language`` (of the task) and the finding counts
``findings_total``, ``findings_<severity>``, ``findings_fam_<CWE family>``
(:mod:`seccal.gate.features`), empty where the analyzers did not run.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from seccal.core.findings import Finding
from seccal.core.labels import CORRECT_VALUE, SECURE_VALUE, LabelSource, combine_labels
from seccal.core.results import GEN_VARIANT_COLUMN
from seccal.core.verdict import Verdict
from seccal.gate.features import FINDING_COLUMNS, finding_counts
from seccal.study.store import RunStore, VerdictRecord

NOT_JUDGED = "not judged (yet)"


def _conf_column(method: str, variant: str, target: str, first_variant: str) -> list[str]:
    if method == "verbal":
        cols = [f"conf_{target}_verbal_{variant}"]
        return [f"conf_{target}_verbal", *cols] if variant == first_variant else cols
    if method == "verbal_joint":
        cols = [f"conf_{target}_joint_{variant}"]
        return [f"conf_{target}_joint", *cols] if variant == first_variant else cols
    return [f"conf_{method}"]


def _label(values: pd.Series, mapping: dict[str, int]) -> pd.Series:
    # Only "secure"/"vulnerable" (or "pass"/"fail") map; unknown and "" become <NA>.
    return values.map(mapping).astype("Int64")


def _verdict_detail(record: VerdictRecord | None, source: LabelSource) -> tuple[str, str, str]:
    """(why security is unknown, why function is unknown, isolation) of one verdict."""
    if record is None:
        return NOT_JUDGED, NOT_JUDGED, ""
    try:
        v = Verdict.from_dict(json.loads(record.verdict_json))
    except (KeyError, TypeError, ValueError):
        return "", "", ""  # a verdict stored without its evidence
    functional = v.reasons.get("functional", "") if v.functional == "unknown" else ""
    return v.reason(source), functional, v.isolation


def _code_lines(code: str | None) -> int | None:
    return None if code is None else len(code.splitlines())


def results_table(
    store: RunStore, *, label_source: LabelSource, first_variant: str = "zero_shot"
) -> pd.DataFrame:
    """Build the per-generation table from a run store.

    Parameters
    ----------
    store:
        The run store.
    label_source:
        ``dynamic``, ``static`` or ``both`` (:mod:`seccal.core.labels`); decides the
        ``secure`` column.
    first_variant:
        The prompt variant whose verbal confidence fills the plain
        ``conf_security_verbal`` / ``conf_functional_verbal`` columns.
    """
    gens = store.generations()
    tasks = store.tasks()
    rows: list[dict[str, Any]] = []
    for g in gens:
        task = tasks.get(g.task_key)
        cwes = list(task.cwes) if task is not None else []
        rows.append(
            {
                "gen_id": g.gen_id,
                "model": g.model,
                "provider": g.provider,
                "model_id": g.model_id,
                "temperature": g.temperature,
                "sample": g.sample,
                "suite": g.suite,
                GEN_VARIANT_COLUMN: g.gen_variant,
                "task_id": g.task_key,
                "task": g.task_key.split("/", 1)[-1],
                "cwe": ";".join(cwes),
                "cwes": json.dumps(cwes),
                "language": task.language if task is not None else "",
                "kind": task.kind if task is not None else "",
                "has_code": g.code is not None,
                "parses": g.parses,
                "code_lines": _code_lines(g.code),
                "generation_error": g.error or "",
                "cost_usd": g.cost_usd,
                "cost_generate_usd": g.cost_usd,
                "tokens_in": g.tokens_in,
                "tokens_out": g.tokens_out,
                "seq_logprob": g.seq_logprob,
            }
        )
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    index = {gen_id: i for i, gen_id in enumerate(df["gen_id"])}
    conf_cols: dict[str, np.ndarray] = {}
    conf_cost = np.zeros(len(df))
    for c in store.confidences():
        i = index.get(c.gen_id)
        if i is None:
            continue
        conf_cost[i] += c.cost_usd
        for col in _conf_column(c.method, c.variant, c.target, first_variant):
            arr = conf_cols.setdefault(col, np.full(len(df), np.nan))
            arr[i] = np.nan if c.value is None else c.value
    for col in sorted(conf_cols):
        df[col] = conf_cols[col]
    df["cost_elicit_usd"] = conf_cost
    df["cost_usd"] = df["cost_usd"] + conf_cost
    for col in ("code_lines", "tokens_in", "tokens_out"):
        df[col] = df[col].astype("Int64")
    verdicts = store.verdicts()
    raw = {
        key: df["gen_id"].map(lambda g, k=key: getattr(verdicts[g], k) if g in verdicts else "")
        for key in ("functional", "sec_dynamic", "sec_static")
    }
    df["secure_dynamic"] = _label(raw["sec_dynamic"], SECURE_VALUE)
    df["secure_static"] = _label(raw["sec_static"], SECURE_VALUE)
    if label_source == "both":
        both = [
            combine_labels(d, s) for d, s in zip(raw["sec_dynamic"], raw["sec_static"], strict=True)
        ]
        df["secure"] = _label(pd.Series(both, index=df.index), SECURE_VALUE)
    else:
        df["secure"] = df[f"secure_{label_source}"]
    df["correct"] = _label(raw["functional"], CORRECT_VALUE)
    df["n_findings"] = (
        df["gen_id"]
        .map(lambda g: verdicts[g].n_findings if g in verdicts else None)
        .astype("Int64")
    )
    details = [_verdict_detail(verdicts.get(g), label_source) for g in df["gen_id"]]
    df["secure_reason"] = [d[0] for d in details]
    df["correct_reason"] = [d[1] for d in details]
    df["isolation"] = [d[2] for d in details]
    df["judged"] = df["gen_id"].isin(list(verdicts))
    languages = {key: task.language for key, task in store.tasks().items()}
    df["language"] = df["task_id"].map(lambda k: languages.get(k, ""))
    counts = [_finding_counts(verdicts.get(g)) for g in df["gen_id"]]
    for col in FINDING_COLUMNS:
        df[col] = np.array([c.get(col, np.nan) for c in counts], dtype=np.float64)
    df["parse_error"] = pd.array(
        [_parse_error(verdicts[g].verdict_json) if g in verdicts else None for g in df["gen_id"]],
        dtype="boolean",
    )
    return df


def _finding_counts(record: VerdictRecord | None) -> dict[str, float]:
    """Finding counts of a verdict; none (all missing) where static analysis did not run."""
    if record is None or record.sec_static == "unknown":
        return {}
    # Only the findings are needed: a stored body may be partial (e.g. an imported table).
    raw = json.loads(record.verdict_json).get("findings", [])
    findings = [Finding.from_dict(f) for f in raw]
    return {k: float(v) for k, v in finding_counts(findings).items()}


def _parse_error(verdict_json: str) -> bool:
    try:
        return bool(json.loads(verdict_json).get("parse_error", False))
    except (ValueError, AttributeError):
        return False
