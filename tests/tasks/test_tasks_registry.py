from pathlib import Path

import pytest

from seccal.errors import ConfigError
from seccal.tasks.registry import known_suites, load_suite, parse_suite_spec, register_suite


def test_shipped_suites_are_registered() -> None:
    assert {"builtin", "sallm", "cweval", "securityeval"} <= set(known_suites())


def test_unknown_suite_lists_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown suite 'nope'.*builtin.*cweval.*sallm"):
        load_suite("nope")


def test_spec_with_path_reaches_loader(tmp_path: Path) -> None:
    seen: list[Path | None] = []

    @register_suite("unit-probe")
    def _probe(path: Path | None) -> list:  # type: ignore[type-arg]
        seen.append(path)
        return []

    assert load_suite(f"unit-probe:{tmp_path}") == []
    assert load_suite("UNIT-PROBE") == []
    assert seen == [tmp_path, None]


@pytest.mark.parametrize("spec", ["", ":x", "sallm:", "  :  "])
def test_bad_specs_are_config_errors(spec: str) -> None:
    with pytest.raises(ConfigError):
        parse_suite_spec(spec)


def test_register_rejects_names_with_colon() -> None:
    with pytest.raises(ValueError):
        register_suite("a:b")
