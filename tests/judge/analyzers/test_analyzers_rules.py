"""seccal's Semgrep rule packs: unique ids, a CWE each, and every rule on its own examples.

Each rule has vulnerable examples it must flag and safe examples it must not flag
(``rule_cases/<pack>.yaml``), so false positives are tested as well as hits. All
examples of every pack are scanned in one Semgrep call.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from seccal.judge.analyzers.base import tool_path
from seccal.judge.analyzers.semgrep import PACK_LANGUAGES, Semgrep, default_rules, rules_dir

CASES_DIR = Path(__file__).with_name("rule_cases")
SUFFIX = {
    "python": ".py",
    "c": ".c",
    "cpp": ".cpp",
    "go": ".go",
    "javascript": ".js",
    "java": ".java",
}


def load_rules() -> dict[str, tuple[str, dict[str, Any]]]:
    """Rule id → (pack, rule) over every shipped pack."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in default_rules():
        for rule in yaml.safe_load(path.read_text())["rules"]:
            assert rule["id"] not in out, f"rule id {rule['id']} is in two packs"
            out[rule["id"]] = (path.stem, rule)
    return out


def load_cases() -> dict[str, tuple[str, dict[str, list[str]]]]:
    """Rule id → (pack of the case file, {"vuln": [...], "safe": [...]})."""
    out: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for rule_id, cases in (yaml.safe_load(path.read_text()) or {}).items():
            assert rule_id not in out, f"{rule_id}: examples in two case files"
            out[rule_id] = (path.stem, cases)
    return out


RULES = load_rules()
CASES = load_cases()


def test_packs_are_one_per_language_with_unique_ids() -> None:
    assert {p.stem for p in default_rules()} == set(PACK_LANGUAGES)
    assert rules_dir().is_dir()
    ids = [r["id"] for p in default_rules() for r in yaml.safe_load(p.read_text())["rules"]]
    assert len(ids) == len(set(ids)), "duplicate rule ids shadow each other"
    short = {"javascript": "js"}
    assert all(i.startswith(f"seccal.{short.get(RULES[i][0], RULES[i][0])}.") for i in ids), (
        "ids are seccal.<pack>.<name>"
    )


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_tagged_and_has_both_kinds_of_example(rule_id: str) -> None:
    pack, rule = RULES[rule_id]
    assert re.fullmatch(r"CWE-(\d+): .+", str(rule["metadata"]["cwe"])), "cwe: 'CWE-N: title'"
    assert rule["severity"] in ("ERROR", "WARNING", "INFO")
    assert rule_id in CASES, f"{rule_id}: no examples in rule_cases/{pack}.yaml"
    case_pack, cases = CASES[rule_id]
    assert case_pack == pack
    assert cases.get("vuln") and cases.get("safe"), f"{rule_id}: needs vuln and safe examples"


def test_no_examples_for_rules_that_do_not_exist() -> None:
    assert set(CASES) <= set(RULES), sorted(set(CASES) - set(RULES))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, int], set[str]]:
    """(rule id, kind, n) → rule ids that fired on that example."""
    if tool_path("semgrep") is None:
        pytest.skip("semgrep not installed")
    root = tmp_path_factory.mktemp("rules")
    files: dict[Path, tuple[str, str, int]] = {}
    for rule_id, (pack, cases) in CASES.items():
        for kind in ("vuln", "safe"):
            for n, code in enumerate(cases.get(kind) or ()):
                folder = root / rule_id / kind
                folder.mkdir(parents=True, exist_ok=True)
                path = (folder / f"example{n}{SUFFIX[pack]}").resolve()
                path.write_text(code)
                files[path] = (rule_id, kind, n)
    found = Semgrep().scan(sorted(files))
    hits: dict[tuple[str, str, int], set[str]] = {key: set() for key in files.values()}
    for path, findings in found.items():
        hits[files[path]] |= {f.rule_id for f in findings}
        assert all(f.cwe.startswith("CWE-") for f in findings)
    return hits


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_flags_every_vulnerable_example(
    scanned: dict[tuple[str, str, int], set[str]], rule_id: str
) -> None:
    missed = [
        n
        for (r, k, n), ids in scanned.items()
        if (r, k) == (rule_id, "vuln") and rule_id not in ids
    ]
    assert not missed, f"{rule_id} missed vulnerable example(s) {missed}"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_spares_every_safe_example(
    scanned: dict[tuple[str, str, int], set[str]], rule_id: str
) -> None:
    flagged = [
        n for (r, k, n), ids in scanned.items() if (r, k) == (rule_id, "safe") and rule_id in ids
    ]
    assert not flagged, f"{rule_id} flagged safe example(s) {flagged}"
