from collections import Counter
from pathlib import Path

import pytest
from realrepo_fixtures import write_tiny_task

from seccal.errors import InputError
from seccal.repo.realrepo.spec import load_spec, load_specs


def test_shipped_suite_has_thirty_tasks_in_three_languages() -> None:
    specs = load_specs()
    langs = Counter(s.language for s in specs)
    assert len(specs) >= 30
    assert {"c", "python", "javascript"} <= set(langs)
    assert all(s.checks_dir.is_dir() for s in specs), "every task ships its own checks"
    assert {s.language for s in specs if s.ci} == {"c", "python", "javascript"}
    assert len({s.id for s in specs}) == len(specs)


def test_tiny_spec_parses(tmp_path: Path) -> None:
    spec = load_spec(write_tiny_task(tmp_path / "specs", tmp_path / "cache"))
    assert spec.source.versions == ("1.0", "1.1")
    assert spec.region.start == ("def safe_join(",)
    assert [s.kind for s in spec.steps] == ["build", "functional", "exploit"]
    assert spec.ci and spec.functional == "project"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('registry = "pypi"', 'registry = "cpan"', "source.registry"),
        ('language = "python"', 'language = "c"', "does not fit registry"),
        ('cwes = ["CWE-22"]', 'cwes = ["22"]', "cwes must look like"),
        ('cve = "CVE-2099-0001"', 'cve = "2099-1"', "cve must look like"),
        ('fixed = "1.1"', 'fixed = "1.0"', "must differ"),
        ('id = "py-tinypath-traversal"', 'id = "other"', "equal the file name"),
        ('"tinypath-1.0.tar.gz" = "', '"tinypath-1.0.tar.gz" = "Z', "64 lowercase hex"),
    ],
)
def test_bad_fields_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = write_tiny_task(tmp_path / "specs", tmp_path / "cache")
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(InputError, match=message):
        load_spec(path)


def test_steps_need_functional_and_exploit(tmp_path: Path) -> None:
    path = write_tiny_task(tmp_path / "specs", tmp_path / "cache")
    text = path.read_text()
    path.write_text(text[: text.index('[[steps]]\nkind = "exploit"')])
    with pytest.raises(InputError, match="one functional and one exploit"):
        load_spec(path)


def test_ours_functional_needs_a_reason(tmp_path: Path) -> None:
    path = write_tiny_task(tmp_path / "specs", tmp_path / "cache")
    path.write_text(path.read_text().replace("[env]", '[checks]\nfunctional = "ours"\n\n[env]'))
    with pytest.raises(InputError, match=r"checks\.why"):
        load_spec(path)
