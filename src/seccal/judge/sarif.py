"""Import SARIF 2.1.0 results (CodeQL and other analyzers) as findings.

CodeQL tags its rules ``external/cwe/cwe-089``; other tools put ``CWE-89``
in tags, ``properties.cwe`` or rule relationships. The severity comes from
``security-severity`` (CVSS-like, 0-10) when given, else the SARIF level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from seccal.core.findings import STATIC_BLIND, Finding, Severity
from seccal.core.verdict import Verdict
from seccal.errors import InputError

#: A static label unknown only because no rule sees the task's CWEs can still be decided
#: by an imported finding.
STATIC_BLIND_REASONS = frozenset(STATIC_BLIND.values())
_CWE_TAG = re.compile(r"cwe[-_/]?0*(\d+)", re.IGNORECASE)
_LEVEL: dict[str, Severity] = {"error": "high", "warning": "medium", "note": "low", "none": "low"}


def _cwe_from(values: Sequence[object]) -> str:
    for value in values:
        m = _CWE_TAG.search(str(value))
        if m and int(m.group(1)) > 0:
            return f"CWE-{int(m.group(1))}"
    return ""


def _rule_cwe(rule: Mapping[str, Any]) -> str:
    props = rule.get("properties") or {}
    values: list[object] = list(props.get("tags") or ())
    cwe = props.get("cwe")
    if cwe:
        values[:0] = cwe if isinstance(cwe, list) else [cwe]
    for rel in rule.get("relationships") or ():
        values.append((rel.get("target") or {}).get("id", ""))
    return _cwe_from(values)


def _severity(result: Mapping[str, Any], rule: Mapping[str, Any]) -> Severity:
    for props in (result.get("properties") or {}, rule.get("properties") or {}):
        raw = props.get("security-severity")
        if raw is not None:
            try:
                score = float(raw)
            except (TypeError, ValueError):
                continue
            return "high" if score >= 7.0 else "medium" if score >= 4.0 else "low"
    level = result.get("level") or (rule.get("defaultConfiguration") or {}).get("level")
    return _LEVEL.get(str(level or "warning"), "medium")


def _uri(result: Mapping[str, Any]) -> tuple[str, int]:
    for loc in result.get("locations") or ():
        phys = loc.get("physicalLocation") or {}
        uri = (phys.get("artifactLocation") or {}).get("uri", "")
        line = int((phys.get("region") or {}).get("startLine", 0) or 0)
        if uri:
            parsed = urlparse(uri)
            return unquote(parsed.path if parsed.scheme == "file" else uri), line
    return "", 0


def load_sarif(path: Path) -> list[tuple[str, Finding]]:
    """Findings of a SARIF file, each with the path (URI) of the file it is in.

    Raises
    ------
    InputError
        When the file is not JSON or not SARIF (names the file and field).
    """
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable JSON file: {exc}") from exc
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, list):
        raise InputError(f"{path}: field 'runs' missing: not a SARIF file")
    out: list[tuple[str, Finding]] = []
    for n, run in enumerate(runs):
        driver = ((run.get("tool") or {}).get("driver")) if isinstance(run, dict) else None
        if not isinstance(driver, dict):
            raise InputError(f"{path}: runs[{n}].tool.driver missing")
        analyzer = str(driver.get("name", "sarif")).lower()
        rules: list[Mapping[str, Any]] = list(driver.get("rules") or ())
        by_id = {str(r.get("id")): r for r in rules}
        for ext in (run.get("tool") or {}).get("extensions") or ():
            for r in ext.get("rules") or ():
                by_id.setdefault(str(r.get("id")), r)
        for result in run.get("results") or ():
            rule_id = str(result.get("ruleId") or (result.get("rule") or {}).get("id", ""))
            index = result.get("ruleIndex", (result.get("rule") or {}).get("index"))
            rule = by_id.get(rule_id) or (
                rules[index] if isinstance(index, int) and 0 <= index < len(rules) else {}
            )
            rule_id = rule_id or str(rule.get("id", ""))
            cwe = _cwe_from((result.get("properties") or {}).get("tags") or ()) or _rule_cwe(rule)
            uri, line = _uri(result)
            text = (result.get("message") or {}).get("text", "")
            out.append(
                (
                    uri,
                    Finding(
                        analyzer=analyzer,
                        rule_id=rule_id,
                        cwe=cwe,
                        line=line,
                        message=str(text),
                        severity=_severity(result, rule),
                    ),
                )
            )
    return out


def group_by_generation(
    located: Sequence[tuple[str, Finding]], generation_ids: Sequence[str]
) -> dict[str, list[Finding]]:
    """Assign findings to generations by path: a directory or file stem equal to the id.

    Snippets scanned by an external analyzer are laid out as ``<id>/<module>``
    or ``<id>.py``; findings in files that match no id are dropped.
    """
    ids = set(generation_ids)
    out: dict[str, list[Finding]] = {}
    for uri, finding in located:
        parts = PurePosixPath(uri).parts
        candidates = [*parts[:-1], PurePosixPath(uri).stem]
        owner = next((p for p in reversed(candidates) if p in ids), None)
        if owner is not None:
            out.setdefault(owner, []).append(finding)
    return out


def merge_findings(
    verdict: Verdict,
    findings: Sequence[Finding],
    task_cwes: Sequence[str],
    min_severity: Severity = "medium",
) -> None:
    """Add imported findings to a verdict and recompute its static labels.

    Labels that are unknown (no code, syntax error, analyzer failure) stay
    unknown: imported findings alone cannot say a snippet is secure.
    """
    verdict.findings.extend(findings)
    blind = verdict.reasons.get("static", "") in STATIC_BLIND_REASONS
    if verdict.security.get("static") == "unknown" and not blind:
        return
    verdict.set_static(task_cwes, min_severity)
