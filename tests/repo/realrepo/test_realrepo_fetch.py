import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from realrepo_fixtures import write_tiny_task

from seccal.repo.realrepo.fetch import CACHE_ENV, DONE, FetchError, fetch, unpack
from seccal.repo.realrepo.spec import Source, load_spec


def _tar(members: dict[str, str], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_cached_archives_are_verified_and_unpacked_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    spec = load_spec(write_tiny_task(tmp_path / "specs", tmp_path / "cache"))
    folder = fetch(spec.source, "1.1", offline=True)
    assert (folder / "tinypath-1.1.tar.gz").is_file()
    tree = unpack(spec.source, "1.1", offline=True)
    assert (tree / DONE).is_file()
    assert "normpath" in (tree / "tinypath" / "paths.py").read_text()
    assert unpack(spec.source, "1.1", offline=True) == tree  # second call: from the cache


def test_a_tampered_archive_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    spec = load_spec(write_tiny_task(tmp_path / "specs", tmp_path / "cache"))
    archive = tmp_path / "cache" / "archives" / "pypi" / "tinypath" / "1.0" / "tinypath-1.0.tar.gz"
    archive.write_bytes(archive.read_bytes() + b"x")
    with pytest.raises(FetchError, match="not in the cache"):
        unpack(spec.source, "1.0", offline=True)


def test_a_download_that_does_not_match_names_the_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no registry client at all
    src = Source("npm", "left-pad", "1.3.0", "1.2.0", (), {"left-pad-1.3.0.tgz": "0" * 64})
    with pytest.raises(FetchError, match=r"left-pad-1\.3\.0\.tgz: missing"):
        fetch(src, "1.3.0")


def test_debian_tree_applies_the_series_and_its_twin_stops_before_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    orig = _tar({"tiny-1.0/lib.c": "int f(int x)\n{\n    return x;\n}\n"})
    fix = "--- a/lib.c\n+++ b/lib.c\n@@ -1,4 +1,4 @@\n int f(int x)\n {\n-    return x;\n+    return x < 0 ? 0 : x;\n }\n"
    later = "--- a/notes.txt\n+++ b/notes.txt\n@@ -0,0 +1 @@\n+later\n"
    debian = _tar(
        {
            "debian/patches/series": "CVE-2099-1.patch\nlater.patch\n",
            "debian/patches/CVE-2099-1.patch": fix,
            "debian/patches/later.patch": later,
        },
        mode="w:xz",
    )
    names = {"tiny_1.0.orig.tar.gz": orig, "tiny_1.0-1.debian.tar.xz": debian}
    folder = tmp_path / "cache" / "archives" / "debian" / "tiny" / "1.0-1"
    folder.mkdir(parents=True)
    for name, data in names.items():
        (folder / name).write_bytes(data)
    src = Source(
        "debian", "tiny", "1.0-1", None, ("CVE-2099-1.patch",),
        {n: hashlib.sha256(d).hexdigest() for n, d in names.items()},
    )  # fmt: skip
    fixed = unpack(src, "1.0-1", offline=True)
    vuln = unpack(src, "1.0-1", without=src.patches, offline=True)
    assert "x < 0" in (fixed / "lib.c").read_text()
    assert (fixed / "notes.txt").read_text() == "later\n"
    assert "x < 0" not in (vuln / "lib.c").read_text()
    assert not (vuln / "notes.txt").exists()
    bad = Source("debian", "tiny", "1.0-1", None, ("nope.patch",), dict(src.sha256))
    with pytest.raises(FetchError, match="not in debian/patches/series"):
        unpack(bad, "1.0-1", without=bad.patches, offline=True)
