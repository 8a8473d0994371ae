"""[generate] and [mitigations]: typed, validated, unknown keys rejected naming file and key."""

from pathlib import Path
from typing import Any

import pytest

from seccal.core.config import load_study, parse_study
from seccal.errors import ConfigError


def _study(**tables: Any) -> dict[str, Any]:
    return {
        "study": {"name": "t", "temperatures": [0.0]},
        "models": [{"provider": "openai", "model": "gpt-4o-mini"}],
        "suites": [{"name": "builtin"}],
        **tables,
    }


def test_defaults_run_no_repair_and_generate_zero_shot() -> None:
    config = parse_study(_study())
    assert config.generate.variants == ("zero_shot",)
    assert config.mitigations.repair is None and config.mitigations.gates is None
    assert config.to_dict()["mitigations"] == {}


def test_repair_table_is_typed() -> None:
    config = parse_study(
        _study(
            generate={"variants": ["zero_shot", "cot"], "variant_samples": 1},
            mitigations={
                "gates": ["functional&static_clean", "compiles"],
                "repair": {"threshold": 0.4, "variants": ["findings"], "rounds": 2},
            },
        )
    )
    assert config.generate.samples_for("cot", 5) == 1
    assert config.generate.samples_for("zero_shot", 5) == 5
    m = config.mitigations
    assert m.gates == ("functional & static_clean", "compiles")
    assert m.repair is not None and m.repair.rounds == 2 and m.repair.variants == ("findings",)
    assert config.to_dict()["mitigations"]["repair"]["threshold"] == 0.4


def test_digest_unchanged_by_default_sections() -> None:
    # A run folder made before [generate]/[mitigations] were typed resumes without a
    # "config changed" warning: default sections do not enter the digest.
    a = parse_study(_study())
    assert a.digest == parse_study(_study(generate={"variants": ["zero_shot"]})).digest
    assert a.digest != parse_study(_study(generate={"variants": ["cot"]})).digest


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        (
            {"mitigations": {"execution_gating": True}},
            "mitigations.execution_gating: unknown key; expected one of gates, repair",
        ),
        (
            {"mitigations": {"prompting_variants": ["cot"]}},
            "mitigations.prompting_variants: unknown key",
        ),
        (
            {"mitigations": {"repair": {"treshold": 0.5}}},
            "mitigations.repair.treshold: unknown key; expected one of threshold, variants",
        ),
        ({"mitigations": {"repair": {"threshold": 2}}}, "mitigations.repair.threshold"),
        ({"mitigations": {"repair": {"rounds": 0}}}, "mitigations.repair.rounds: must be >= 1"),
        (
            {"mitigations": {"repair": {"variants": ["magic"]}}},
            "mitigations.repair.variants[0]: 'magic' is not one of confidence, findings",
        ),
        (
            {"mitigations": {"repair": {"confidence": "conf_ptrue"}}},
            "mitigations.repair.confidence: 'conf_ptrue' is not a verbalized",
        ),
        (
            {"mitigations": {"repair": {"confidence": "conf_security_verbal_cot"}}},
            "prompt variant 'cot' is not in elicit.variants",
        ),
        (
            {"elicit": {"methods": ["ptrue"]}, "mitigations": {"repair": {}}},
            "needs elicit.methods to include 'verbal'",
        ),
        (
            {"mitigations": {"gates": ["functional & tests"]}},
            "mitigations.gates[0]: unknown gate 'tests'; expected one of compiles",
        ),
        ({"generate": {"variants": ["many_shot"]}}, "generate.variants[0]: 'many_shot'"),
        ({"generate": {"shots": 3}}, "generate.shots: unknown key"),
    ],
)
def test_errors_name_the_key_and_the_accepted_names(tables: Any, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_study(_study(**tables))
    assert message in str(err.value)


def test_error_from_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[study]\nname = "x"\ntemperatures = [0.0]\n[[models]]\nprovider = "openai"\n'
        'model = "m"\n[[suites]]\nname = "builtin"\n[mitigations]\nexecution_gating = true\n'
    )
    with pytest.raises(ConfigError, match=r"s\.toml: mitigations\.execution_gating: unknown key"):
        load_study(path)
