"""``gate check`` on real files with the real Bandit and Semgrep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seccal.errors import InputError
from seccal.gate.check import check_files, elicit_confidences, read_sidecar, scan
from seccal.gate.gatefile import fit_gate, load_study
from seccal.gate.synthetic import synthetic_study
from seccal.models import (
    Capabilities,
    GenerationRequest,
    GenerationResponse,
    ModelSpec,
    register_provider,
)

SQLI = "def f(cur, n):\n    cur.execute(\"SELECT * FROM t WHERE n = '%s'\" % n)\n"
CMD = "import os\ndef f(h):\n    os.system('ping ' + h)\n"
CLEAN = "def add(a, b):\n    return a + b\n"


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("chk") / "study.csv"
    # one row per task: rows are i.i.d., so the row-level guarantee applies and is strong
    synthetic_study(n_tasks=1500, rows_per_task=1, seed=10).to_csv(path, index=False)
    cols = ["conf_security_verbal", "findings_total", "findings_high", "parses"]
    g = fit_gate(
        load_study(path, confidence_col="conf_security_verbal"), cols, alpha=0.3, delta=0.1
    )
    assert g.threshold is not None
    return g


def _write(tmp_path: Path, name: str, code: str) -> Path:
    p = tmp_path / name
    p.write_text(code)
    return p


@pytest.mark.slow
def test_scan_runs_bandit_and_semgrep(tmp_path: Path) -> None:
    files = [
        _write(tmp_path, "a.py", SQLI),
        _write(tmp_path, "b.py", CLEAN),
        _write(tmp_path, "c.rb", "x = 1"),
    ]
    found, errors = scan(files)
    assert errors == []
    assert found[files[0]] and {f.cwe for f in found[files[0]]} & {"CWE-89"}
    assert found[files[1]] == []
    assert found[files[2]] is None  # not analysable: missing, not zero


@pytest.mark.slow
def test_check_rejects_flagged_code_and_accepts_clean_code(gate, tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.py", SQLI + CMD)
    good = _write(tmp_path, "good.py", CLEAN)
    out = check_files(gate, [bad, good], confidence=0.95)
    assert out[0].findings and out[0].p_vulnerable > out[1].p_vulnerable
    assert not out[0].accept and out[1].accept


def test_sidecar_overrides_the_option(gate, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.py", CLEAN)
    (tmp_path / "good.py.seccal.json").write_text(json.dumps({"confidence": 0.0}))
    assert read_sidecar(good, "conf_security_verbal") == {"conf_security_verbal": 0.0}
    low = check_files(gate, [good], confidence=0.99, findings={good: []})[0]
    (tmp_path / "good.py.seccal.json").unlink()
    high = check_files(gate, [good], confidence=0.99, findings={good: []})[0]
    assert low.p_vulnerable > high.p_vulnerable


def test_missing_confidence_and_files_are_errors(gate, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.py", CLEAN)
    with pytest.raises(InputError, match="needs confidence 'conf_security_verbal'"):
        check_files(gate, [good], findings={good: []})
    with pytest.raises(InputError, match="no such file"):
        check_files(gate, [tmp_path / "nope.py"], confidence=0.5)
    (tmp_path / "good.py.seccal.json").write_text("[1]")
    with pytest.raises(InputError, match="expected a JSON object"):
        check_files(gate, [good], confidence=0.5, findings={good: []})


class _Confident:
    """An in-process provider that states a confidence: high unless the code runs a shell."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.seen: list[str] = []

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        code = request.messages[-1].content
        return GenerationResponse(
            text="Confidence: 20%" if "os.system" in code else "Confidence: 95%"
        )

    async def aclose(self) -> None:
        return None


def test_confidence_elicited_from_a_configured_model(gate, tmp_path: Path) -> None:
    register_provider("gate-test-fake", _Confident)
    bad = _write(tmp_path, "bad.py", CMD)
    good = _write(tmp_path, "good.py", CLEAN)
    spec = ModelSpec("gate-test-fake", "fake")
    assert elicit_confidences([bad, good], spec) == {bad: 0.2, good: 0.95}
    out = check_files(gate, [bad, good], model=spec, findings={bad: [], good: []})
    assert out[0].confidence["conf_security_verbal"] == 0.2
    assert out[0].p_vulnerable > out[1].p_vulnerable
