"""docs/metrics-schema.md documents exactly the structure that is written and validated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from seccal.analysis.schema import ROW_KEYS, SCHEMA_VERSION, TOP_LEVEL

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics-schema.md"


def _documented_top_level() -> list[str]:
    text = DOC.read_text("utf-8")
    table = text.split("## Top level", 1)[1].split("## Rows", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", table, flags=re.M)


def test_the_page_names_this_version() -> None:
    assert DOC.read_text("utf-8").startswith(f"# `metrics.json` — schema version {SCHEMA_VERSION}")


def test_every_top_level_key_is_documented_in_order(doc: dict[str, Any]) -> None:
    documented = _documented_top_level()
    assert documented == list(TOP_LEVEL)
    assert set(doc) == set(documented)


def test_every_row_key_is_documented(doc: dict[str, Any]) -> None:
    text = DOC.read_text("utf-8")
    for section, keys in ROW_KEYS.items():
        part = text.split(f"### `{section}", 1)[1].split("\n### ", 1)[0]
        for key in keys:
            assert f"`{key}`" in part, (section, key)
        for row in doc[section]:
            assert set(keys) <= set(row), section
