"""``seccal gate check``: the gate's verdict on code files, for CI and pre-commit hooks.

For each file the features the gate needs are gathered:

- analyzer findings: the judge's analyzers (Bandit, Semgrep with seccal's CWE-tagged rules,
  cppcheck, flawfinder; :mod:`seccal.judge.analyzers`) run once over the files each reads;
  for a file no analyzer reads, or one an analyzer failed on, the counts are *missing*
  (the model's missing indicator), never 0;
- ``parses``: ``ast.parse`` for Python files (missing for other languages);
- model confidences: from a sidecar ``FILE.seccal.json`` (``{"conf_security_verbal": 0.9}``;
  ``"confidence"`` names the gate's primary confidence column), else from ``--confidence``,
  else elicited from a configured model (a verbalized security confidence, asked with the
  study's zero-shot prompt). A gate that needs a confidence no source gives is an error:
  a gate that silently imputed the model's confidence would accept code nobody judged.
"""

from __future__ import annotations

import ast
import asyncio
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

from seccal.core.findings import Finding
from seccal.elicit.parse import parse_confidence
from seccal.elicit.prompts import chat_confidence_prompt
from seccal.errors import InputError
from seccal.gate.features import FINDING_COLUMNS, finding_counts
from seccal.gate.gatefile import Gate
from seccal.gate.sarif import FileVerdict
from seccal.judge.analyzers import analyze_files, create_analyzers
from seccal.judge.config import JudgeConfig
from seccal.models import Engine, GenerationRequest, Message, ModelSpec
from seccal.models.request import Role

SIDECAR_SUFFIX = ".seccal.json"
_LANGUAGES = {".py": "python", ".js": "javascript", ".java": "java", ".c": "c", ".go": "go"}
CHECK_TASK = "Review this code file."


def read_sidecar(path: Path, primary: str) -> dict[str, float]:
    """Feature values from ``PATH.seccal.json`` (empty when there is none)."""
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{side}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{side}: expected a JSON object of feature values")
    out: dict[str, float] = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"{side}: field {key!r}: {value!r} is not a number")
        out[primary if key == "confidence" else str(key)] = float(value)
    return out


def _parses(path: Path) -> float:
    if path.suffix != ".py":
        return math.nan
    try:
        ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError):
        return 0.0
    return 1.0


def scan(paths: Sequence[Path]) -> tuple[dict[Path, list[Finding] | None], list[str]]:
    """Findings per file (None: no analyzer reads it, or one that should have failed), and
    the analyzers' errors. Runs the judge's default analyzers, each once over its files
    (Semgrep in one process per core: nothing else runs beside this scan)."""
    analyzers = create_analyzers(JudgeConfig(semgrep_jobs=0))
    files = {str(i): p for i, p in enumerate(paths)}
    report = analyze_files(files, analyzers)
    out: dict[Path, list[Finding] | None] = {}
    notes: list[str] = []
    for key, p in files.items():
        error = report.error_for(key)
        read = any(p.suffix.lower() in a.suffixes for a in analyzers)
        out[p] = report.findings.get(key, []) if read and not error else None
        if error:
            notes.append(f"{p}: {error}")
    return out, notes


def elicit_confidences(
    paths: Sequence[Path], spec: ModelSpec, *, task: str = CHECK_TASK
) -> dict[Path, float | None]:
    """Verbalized security confidence of a model for each file (None when it gave none)."""

    async def run() -> dict[Path, float | None]:
        out: dict[Path, float | None] = {}
        async with Engine() as engine:
            for p in paths:
                messages = chat_confidence_prompt(
                    task=task,
                    code=p.read_text(encoding="utf-8", errors="replace"),
                    target="security",
                    variant="zero_shot",
                    language=_LANGUAGES.get(p.suffix, "text"),
                )
                request = GenerationRequest(
                    messages=tuple(Message(cast(Role, m["role"]), m["content"]) for m in messages),
                    temperature=0.0,
                )
                resp = await engine.generate(spec, request)
                if resp.error is not None:
                    raise InputError(f"{p}: model {spec.model}: {resp.error.message}")
                out[p] = parse_confidence(resp.text).value
        return out

    return asyncio.run(run())


def check_files(
    gate: Gate,
    paths: Sequence[Path],
    *,
    confidence: float | None = None,
    model: ModelSpec | None = None,
    findings: Mapping[Path, list[Finding] | None] | None = None,
) -> list[FileVerdict]:
    """The gate's verdict on each file; see the module doc for where features come from.

    Raises
    ------
    InputError
        A file is missing, or a confidence the gate needs has no source.
    """
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise InputError(f"{missing[0]}: no such file")
    if not paths:
        raise InputError("gate check: no files given")
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        raise InputError(f"--confidence: {confidence} is not a probability in [0, 1]")
    primary = str(gate.provenance.get("confidence_column") or "confidence")
    notes: list[str] = []
    if findings is None:
        findings, errors = scan(paths)
        notes += errors
    conf_features = [f.column for f in gate.model.features if f.kind == "confidence"]
    sidecars = {p: read_sidecar(p, primary) for p in paths}
    need_model = [
        p for p in paths if any(c not in sidecars[p] for c in conf_features) and confidence is None
    ]
    elicited = elicit_confidences(need_model, model) if need_model and model else {}
    rows: list[dict[str, Any]] = []
    for p in paths:
        row: dict[str, Any] = {}
        found = findings.get(p)
        counts = finding_counts(found) if found is not None else {}
        for col in FINDING_COLUMNS:
            row[col] = float(counts[col]) if found is not None else math.nan
        row["parses"] = _parses(p)
        row["correct"] = math.nan
        if confidence is not None:
            row[primary] = confidence
        if elicited.get(p) is not None:
            row[primary] = elicited[p]
        row.update(sidecars[p])
        for col in conf_features:
            value = row.get(col)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                raise InputError(
                    f"{p}: the gate needs confidence {col!r}: give it in "
                    f"{p.name}{SIDECAR_SUFFIX}"
                    + (", or --confidence / --model" if col == primary else "")
                )
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in gate.columns:
        if col not in frame.columns:
            frame[col] = math.nan
    p_vuln = gate.p_vulnerable(frame, "gate check")
    accept = gate.accepts(p_vuln)
    return [
        FileVerdict(
            path=p,
            p_vulnerable=float(p_vuln[i]),
            accept=bool(accept[i]),
            threshold=gate.threshold,
            findings=list(findings.get(p) or []),
            confidence={c: float(rows[i][c]) for c in conf_features},
            notes=notes
            + ([] if findings.get(p) is not None else ["analyzers did not run: counts missing"]),
        )
        for i, p in enumerate(paths)
    ]
