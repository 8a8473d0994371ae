"""The structure of ``metrics.json`` (docs/metrics-schema.md), and its check.

:data:`SCHEMA_VERSION` changes whenever a key is renamed, removed or changes meaning;
adding a key keeps it. :func:`validate` checks a document against the documented
structure, so a reader (the report, ``seccal tables``) fails with the key at fault
instead of rendering half a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

from seccal.errors import InputError

SCHEMA_VERSION: Final = 1
METRICS_FILENAME: Final = "metrics.json"

#: Top-level keys and their JSON types.
TOP_LEVEL: Final[dict[str, type | tuple[type, ...]]] = {
    "schema_version": int,
    "seccal_version": str,
    "source": dict,
    "study": dict,
    "settings": dict,
    "axes": dict,
    "primary": dict,
    "baseline_gen_variant": str,
    "suite_levels": dict,
    "counts": dict,
    "conditions": list,
    "outcomes": list,
    "temperature_trend": list,
    "recalibration": list,
    "gating": list,
    "paired": list,
    "prompting": dict,
    "models": list,
    "methods": list,
    "levels": list,
    "breakdowns": dict,
    "repair": list,
    "cost": dict,
    "sandbox": dict,
    "static_quality": (dict, type(None)),
    "extensions": dict,
    "findings": list,
    "notes": list,
}
CONDITION_KEYS: Final = ("model", "temperature", "suite", "gen_variant")
#: Keys every row of a list section carries.
ROW_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "conditions": (
        "condition",
        "target",
        "confidence",
        "label",
        "n_total",
        "n",
        "summary",
        "reliability",
        "label_rate",
        "n_unknown_label",
        "n_missing_confidence",
    ),
    "outcomes": ("condition", "n", "no_code", "does_not_parse", "unknown"),
    "temperature_trend": ("condition", "target", "confidence", "trends"),
    "recalibration": ("condition", "target", "confidence", "before", "after", "ece_change"),
    "gating": ("condition", "confidence", "gates"),
    "paired": ("condition", "n", "comparisons"),
    "models": ("condition", "targets", "paired", "risk"),
    "methods": ("condition", "confidence", "n", "summary"),
    "levels": ("condition", "target", "levels", "difference"),
    "repair": ("condition", "variant", "fix_rate", "regression_rate", "ece_change"),
}
SUMMARY_KEYS: Final = (
    "n",
    "ece",
    "mce",
    "brier",
    "auroc",
    "overconfidence_gap",
    "false_trust_rate",
    "ci",
)


def _fail(where: str, what: str) -> None:
    raise InputError(f"metrics.json: {where}: {what}")


def _check_summary(where: str, s: Any) -> None:
    if s is None:
        return
    if not isinstance(s, Mapping):
        _fail(where, "summary is not an object")
    for k in SUMMARY_KEYS:
        if k not in s:
            _fail(where, f"summary has no {k!r}")


def validate(doc: Any) -> Mapping[str, Any]:
    """Check ``doc`` against the schema; return it, or raise :class:`InputError`."""
    if not isinstance(doc, Mapping):
        _fail("top level", "not a JSON object")
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        _fail(
            "schema_version",
            f"{version!r} is not {SCHEMA_VERSION} (written by another "
            "seccal; run the analyze stage again)",
        )
    for key, kind in TOP_LEVEL.items():
        if key not in doc:
            _fail(key, "missing")
        if not isinstance(doc[key], kind):
            _fail(key, f"expected {kind}, found {type(doc[key]).__name__}")
    for section, keys in ROW_KEYS.items():
        for i, row in enumerate(doc[section]):
            where = f"{section}[{i}]"
            if not isinstance(row, Mapping):
                _fail(where, "not an object")
            for k in keys:
                if k not in row:
                    _fail(where, f"no {k!r}")
            cond = row["condition"]
            if not isinstance(cond, Mapping) or set(cond) != set(CONDITION_KEYS):
                _fail(where, f"condition must have exactly {', '.join(CONDITION_KEYS)}")
            if "summary" in row:
                _check_summary(where, row["summary"])
    for name in ("cwe", "language", "code_length"):
        if not isinstance(doc["breakdowns"].get(name), list):
            _fail(f"breakdowns.{name}", "missing or not a list")
    for name in ("generation", "elicitation"):
        if not isinstance(doc["prompting"].get(name), list):
            _fail(f"prompting.{name}", "missing or not a list")
    for key in ("levels", "weak"):
        if key not in doc["sandbox"]:
            _fail("sandbox", f"no {key!r}")
    return cast(Mapping[str, Any], doc)
