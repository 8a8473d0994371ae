"""Semgrep with seccal's own CWE-tagged rule packs (``seccal/judge/rules/<language>.yaml``).

One process scans every file of a batch with every pack (Semgrep applies each rule to
the files of its languages). ``--experimental`` starts in a fraction of a second
instead of seconds and reports rule ids as written; the version check and metrics are
off (either would hang a machine without internet for minutes).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from seccal.core.findings import Finding, Severity
from seccal.errors import ConfigError
from seccal.judge.analyzers.base import (
    AnalyzerError,
    json_output,
    normalize_cwe,
    run_tool,
    tool_path,
)
from seccal.judge.analyzers.registry import register_analyzer
from seccal.judge.config import JudgeConfig

_SEVERITY: dict[str, Severity] = {
    "CRITICAL": "high",
    "ERROR": "high",
    "HIGH": "high",
    "WARNING": "medium",
    "MEDIUM": "medium",
    "INFO": "low",
    "LOW": "low",
}
#: Languages of the shipped packs: the file name of each pack.
PACK_LANGUAGES = ("python", "c", "cpp", "go", "javascript", "java")


def rules_dir() -> Path:
    """Folder of seccal's Semgrep rule packs, one ``<language>.yaml`` each."""
    return Path(str(resources.files("seccal.judge").joinpath("rules")))


def default_rules() -> tuple[Path, ...]:
    """Every shipped rule pack."""
    return tuple(sorted(rules_dir().glob("*.yaml")))


#: libyaml's loader where PyYAML was built with it: our packs load in 0.03 s, not 0.3 s.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rule_file(file: Path) -> list[dict[str, Any]]:
    """The rules of one Semgrep rule file (its ``rules`` list).

    Raises
    ------
    ConfigError
        When the file is not a readable Semgrep rule file (names the file).
    """
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{file}: not a readable Semgrep rule file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(f"{file}: no 'rules' list: not a Semgrep rule file")
    return [rule for rule in data["rules"] if isinstance(rule, dict)]


def rule_ids(rules: Sequence[Path]) -> frozenset[str]:
    """The rule ids of the rule files ``rules`` (a folder: its ``*.yaml`` files).

    Raises
    ------
    ConfigError
        When a file is not a Semgrep rule file (names the file).
    """
    ids: set[str] = set()
    for path in rules:
        files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        for file in files:
            ids.update(str(rule.get("id", "")) for rule in load_rule_file(file))
    return frozenset(ids)


@register_analyzer("semgrep")
class Semgrep:
    """Semgrep over many files with our packs (``JudgeConfig.semgrep_rules`` replaces them),
    in ``JudgeConfig.semgrep_jobs`` processes."""

    name = "semgrep"
    suffixes = frozenset(
        {".py", ".c", ".h", ".cpp", ".cc", ".hpp", ".go", ".js", ".mjs", ".cjs", ".java"}
    )

    def __init__(
        self,
        config: JudgeConfig | None = None,
        *,
        rules: Sequence[Path] = (),
        timeout: float = 300.0,
    ) -> None:
        cfg = config or JudgeConfig()
        chosen = tuple(rules) or tuple(cfg.semgrep_rules) or default_rules()
        self.rules = chosen
        self.jobs = max(0, cfg.semgrep_jobs)
        self.timeout = timeout
        self.rule_ids = rule_ids(chosen)

    def _rule_id(self, check_id: str) -> str:
        # Semgrep prefixes an id with its rule file's folder when that lies below the
        # working directory (``src.seccal.judge.rules.<id>``).
        if check_id in self.rule_ids:
            return check_id
        return next((r for r in self.rule_ids if check_id.endswith("." + r)), check_id)

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        """Findings per file (see :class:`~seccal.judge.analyzers.base.Analyzer`)."""
        exe = tool_path("semgrep")
        if exe is None:
            raise AnalyzerError("semgrep is not installed (pip install semgrep)")
        argv = [exe, "scan", "--experimental", "--metrics=off", "--disable-version-check"]
        argv += ["--json", "--quiet", "--no-git-ignore", "--timeout", "10"]
        if self.jobs:
            argv += ["--jobs", str(self.jobs)]
        for rule in self.rules:
            argv += ["--config", str(rule)]
        argv += [str(p) for p in paths]
        data = json_output("semgrep", *run_tool("semgrep", argv, self.timeout))
        found: dict[Path, list[Finding]] = {}
        for r in data.get("results", ()):
            extra = r.get("extra", {})
            found.setdefault(Path(r["path"]).resolve(), []).append(
                Finding(
                    analyzer="semgrep",
                    rule_id=self._rule_id(str(r.get("check_id", ""))),
                    cwe=normalize_cwe(extra.get("metadata", {}).get("cwe", "")),
                    line=int(r.get("start", {}).get("line", 0)),
                    message=str(extra.get("message", "")).strip(),
                    severity=_SEVERITY.get(str(extra.get("severity", "")).upper(), "medium"),
                )
            )
        return found
