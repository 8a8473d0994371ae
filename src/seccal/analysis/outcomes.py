"""What the numbers rest on: counts, unknown labels and why, unparseable code, cost, sandbox."""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

import numpy as np
import pandas as pd

from seccal.analysis.context import Context
from seccal.analysis.frame import TARGET_LABEL
from seccal.core.results import GROUP_COLUMN, flag_array, label_array

#: Reason columns of the results table, per target.
REASON_COLUMNS: Final = {"security": "secure_reason", "functional": "correct_reason"}
WEAK_WARNING: Final = (
    "the sandbox fell back to WEAK isolation (rlimits and process-group kill only, no "
    "namespaces) for {n} of {total} judged snippets: untrusted code ran with the host's "
    "file system and network in reach, and its labels rest on weaker containment"
)


def _flag(df: pd.DataFrame, column: str) -> Any:
    return flag_array(df, column) if column in df.columns else np.full(len(df), np.nan)


def counts(df: pd.DataFrame) -> dict[str, int]:
    """Snippets, tasks, and each label's secure / vulnerable / unknown counts."""
    out = {"snippets": len(df), "tasks": int(df[GROUP_COLUMN].nunique())}
    if "has_code" in df.columns:
        out["with_code"] = int((_flag(df, "has_code") == 1).sum())
    if "parses" in df.columns:
        out["does_not_parse"] = int((_flag(df, "parses") == 0).sum())
    if "judged" in df.columns:
        out["judged"] = int((_flag(df, "judged") == 1).sum())
    for target, label in TARGET_LABEL.items():
        if label not in df.columns:
            continue
        y = label_array(df, label)
        one, zero = ("secure", "vulnerable") if target == "security" else ("correct", "incorrect")
        out[one] = int((y == 1).sum())
        out[zero] = int((y == 0).sum())
        out[f"{target}_unknown"] = int(np.isnan(y).sum())
    return out


def _reasons(df: pd.DataFrame, target: str, unknown: Any) -> dict[str, int]:
    column = REASON_COLUMNS[target]
    if not unknown.any():
        return {}
    if column in df.columns:
        why = df[column].fillna("").astype(str).to_numpy()[unknown]
    else:
        why = np.full(int(unknown.sum()), "")
    if "has_code" in df.columns:
        no_code = (_flag(df, "has_code") == 0)[unknown]
        why = np.where(no_code & (why == ""), "no code in the reply", why)
    why = np.where(why == "", "no reason recorded", why)
    return dict(Counter(why.tolist()).most_common())


def outcomes(ctx: Context) -> list[dict[str, Any]]:
    """Per condition: unknown labels (share and reasons) and code that does not parse.

    Code that does not parse is its own category: its labels are counted apart here,
    so a reader sees how much of a condition's secure (or vulnerable) code never parsed.
    """
    rows = []
    for key, df in ctx.conditions():
        has_code = _flag(df, "has_code")
        parses = _flag(df, "parses")
        row: dict[str, Any] = {
            "condition": key,
            "n": len(df),
            "no_code": int((has_code == 0).sum()),
            "does_not_parse": int((parses == 0).sum()),
            "parses": int((parses == 1).sum()),
            "parse_unknown": int(np.isnan(parses).sum()),
            "unknown": {},
            "does_not_parse_labels": {},
        }
        for target, label in TARGET_LABEL.items():
            if label not in df.columns:
                continue
            y = label_array(df, label)
            unknown = np.isnan(y)
            row["unknown"][target] = {
                "n": int(unknown.sum()),
                "share": float(unknown.mean()) if len(df) else None,
                "reasons": _reasons(df, target, unknown),
            }
            bad = parses == 0
            row["does_not_parse_labels"][target] = {
                "1": int((y[bad] == 1).sum()),
                "0": int((y[bad] == 0).sum()),
                "unknown": int(np.isnan(y[bad]).sum()),
            }
        rows.append(row)
    return rows


_TOKENS: Final = ("tokens_in", "tokens_out")


def _stage_columns(df: pd.DataFrame) -> dict[str, str]:
    """``stage -> column`` of every ``cost_<stage>_usd`` column."""
    return {
        c[len("cost_") : -len("_usd")]: c
        for c in map(str, df.columns)
        if c.startswith("cost_") and c.endswith("_usd") and c != "cost_usd"
    }


def _num(df: pd.DataFrame, column: str) -> float:
    return float(pd.to_numeric(df[column], errors="coerce").fillna(0).sum())


def cost(df: pd.DataFrame, repairs: pd.DataFrame | None) -> dict[str, Any]:
    """Cost in USD and tokens, per model and per stage (where the table records stages)."""
    stages = _stage_columns(df)
    per_model = []
    for model, part in df.groupby("model", sort=True):
        row: dict[str, Any] = {
            "model": str(model),
            "generations": len(part),
            "cost_usd": _num(part, "cost_usd") if "cost_usd" in part.columns else None,
            "by_stage": {s: _num(part, c) for s, c in stages.items()},
        }
        for tok in _TOKENS:
            row[tok] = int(_num(part, tok)) if tok in part.columns else None
        per_model.append(row)
    total = _num(df, "cost_usd") if "cost_usd" in df.columns else None
    out: dict[str, Any] = {
        "total_usd": total,
        "by_stage": {s: _num(df, c) for s, c in stages.items()},
        "per_model": per_model,
        "tokens_note": "tokens are those of the generation calls; elicitation calls "
        "record their cost only",
    }
    if repairs is not None and "cost_usd" in repairs.columns:
        out["by_stage"]["repair"] = _num(repairs, "cost_usd")
    return out


def sandbox(df: pd.DataFrame) -> dict[str, Any]:
    """How judged code was isolated; ``weak`` is True when any snippet fell back."""
    if "isolation" not in df.columns:
        return {"levels": {}, "weak": False, "warning": None, "recorded": False}
    levels = df["isolation"].fillna("").astype(str)
    levels = levels[levels != ""]
    found = {str(k): int(v) for k, v in levels.value_counts().sort_index().items()}
    n_weak = found.get("weak", 0)
    executed = sum(v for k, v in found.items() if k != "none")
    return {
        "levels": found,
        "weak": n_weak > 0,
        "warning": WEAK_WARNING.format(n=n_weak, total=executed) if n_weak else None,
        "recorded": True,
    }
