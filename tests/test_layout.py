"""The test tree itself: pytest imports test files by basename (no packages), so two
files of one name in different folders stop the whole collection."""

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_file_has_a_unique_basename() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        where[path.name].append(str(path.parent.relative_to(TESTS)))
    assert {name: dirs for name, dirs in where.items() if len(dirs) > 1} == {}
