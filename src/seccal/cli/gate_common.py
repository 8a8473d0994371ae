"""What the ``seccal gate`` commands share: the command group, its options and table loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from seccal.cli.metrics_cmd import EXAMPLE_TABLE
from seccal.core.results import Results
from seccal.errors import InputError
from seccal.gate.features import default_features
from seccal.gate.gatefile import load_study

HELP = """A risk-controlled gate for generated code.

The gate accepts a snippet when its fitted P(vulnerable) is at most a threshold certified on
held-out tasks so that the share of accepted snippets that are vulnerable is <= ALPHA with
probability >= 1 - DELTA (Learn-then-Test: fixed-sequence testing from strict to loose
thresholds). Snippets of one task are correlated, so by default whole tasks are the
exchangeable units (task-level risk, p-values by betting); --unit row uses exact binomial /
Hoeffding-Bentkus p-values over rows (valid for one snippet per task). If the vulnerable base
rate mu exceeds ALPHA, any gate must reject at least (mu - ALPHA) / (1 - ALPHA) of the code.

\b
P(vulnerable) fuses, by L2-regularised logistic regression:
  confidences  conf_security_verbal, conf_ptrue, conf_consistency, conf_likelihood (logit)
  findings     findings_total, findings_<severity>, findings_fam_<CWE family> (log 1+n)
  execution    parses, correct (0/1)
with a missing indicator per feature. Labels: 1 = secure, 0 = vulnerable, empty = unknown
(excluded and counted).
"""

gate_app = typer.Typer(help=HELP, no_args_is_help=True)

_ALPHA = typer.Option(0.1, "--alpha", help="Risk level: most vulnerable share of accepted code.")
_DELTA = typer.Option(0.1, "--delta", help="Failure probability of the guarantee.")
_CONF = typer.Option(
    None, "--confidence-col", help="Primary confidence column (default as in `seccal metrics`)."
)
_LABEL = typer.Option(None, "--label-col", help="Label column (default: label, secure or y).")
_GROUP = typer.Option(None, "--group-col", help="Task column (default: task_id, task or group).")
_FEATURES = typer.Option(
    None, "--features", help="Comma-separated feature columns (default: every known one present)."
)
_SEED = typer.Option(0, "--seed", help="Seed of the task splits.")
_JSON = typer.Option(False, "--json", help="Print one JSON object.")


def _table(table: Path | None, example: bool) -> Path:
    if table is None and not example:
        raise InputError("give a results TABLE, or --example for the shipped example table")
    return EXAMPLE_TABLE if table is None else table


def _load(path: Path, conf: str | None, label: str | None, group: str | None) -> Results:
    return load_study(path, confidence_col=conf, label_col=label, group_col=group)


def _columns(res: Results, features: str | None) -> list[str]:
    if features:
        cols = [c.strip() for c in features.split(",") if c.strip()]
    else:
        cols = default_features(res.frame) or [res.confidence_column]
    missing = [c for c in cols if c not in res.frame.columns]
    if missing:
        have = ", ".join(c for c in res.frame.columns if c != "__line__")
        raise InputError(f"--features: no column {missing[0]!r} in the table (columns: {have})")
    return cols


def _print(obj: Any) -> None:
    typer.echo(json.dumps(obj, allow_nan=False, default=float))
