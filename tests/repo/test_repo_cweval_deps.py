from pathlib import Path

import pytest

from seccal.repo.cweval_deps import DEBIAN_GOCODE, go_env, go_substitutes

SOURCE = """package main

import (
\t"fmt"
\t"github.com/golang-jwt/jwt/v5"
\t_ "github.com/mattn/go-sqlite3"
\txp "github.com/ChrisTrenkamp/goxpath"
)

// Use "github.com/other/lib/v9" (a comment, not an import)
"""


def _gocode(tmp_path: Path) -> Path:
    for pkg in ("github.com/golang-jwt/jwt", "github.com/mattn/go-sqlite3",
                "github.com/ChrisTrenkamp/goxpath", "github.com/other/lib"):  # fmt: skip
        (tmp_path / "gocode" / "src" / pkg).mkdir(parents=True)
    return tmp_path / "gocode"


def test_newer_major_version_points_at_debians_copy(tmp_path: Path) -> None:
    gocode = _gocode(tmp_path)
    assert go_substitutes(SOURCE, gocode) == {
        "github.com/golang-jwt/jwt/v5": gocode / "src" / "github.com/golang-jwt/jwt"
    }
    work = tmp_path / "work"
    work.mkdir()
    env = go_env(SOURCE, work, gocode)
    assert env == {"GOPATH": f"/tmp/gopath:{{workdir}}/.godeps:{gocode}"}
    link = work / ".godeps" / "src" / "github.com/golang-jwt/jwt/v5"
    assert link.is_symlink() and link.resolve() == gocode / "src" / "github.com/golang-jwt/jwt"
    assert go_env(SOURCE, work, gocode) == env  # idempotent


def test_no_debian_tree_changes_nothing(tmp_path: Path) -> None:
    assert go_env(SOURCE, tmp_path, tmp_path / "absent") == {}


@pytest.mark.skipif(
    not (DEBIAN_GOCODE / "src/github.com/golang-jwt/jwt").is_dir(),
    reason="golang-github-golang-jwt-jwt-dev not installed (scripts/setup.d/30-toolchains.sh)",
)
def test_real_debian_jwt_stands_in_for_v5() -> None:
    subs = go_substitutes(SOURCE)
    assert subs["github.com/golang-jwt/jwt/v5"] == DEBIAN_GOCODE / "src/github.com/golang-jwt/jwt"
