import zipfile

from solution import extract_zip


def _extract(archive, dest):
    try:
        extract_zip(str(archive), str(dest))
    except Exception:
        pass  # refusing the archive is fine


def test_dot_dot_entry_stays_inside(tmp_path):
    """Zip slip: an entry named `../../evil.py` is written outside the destination."""
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok.txt", "fine")
        zf.writestr("../../evil.py", "print('owned')")
    dest = tmp_path / "a" / "b" / "out"
    dest.mkdir(parents=True)
    _extract(archive, dest)
    assert not (tmp_path / "a" / "evil.py").exists()
    assert not list(tmp_path.rglob("evil.py"))


def test_absolute_entry_stays_inside(tmp_path):
    """An absolute entry name overrides the destination in os.path.join."""
    target = tmp_path / "overwritten.cfg"
    archive = tmp_path / "abs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(str(target), "owned")
    dest = tmp_path / "out"
    dest.mkdir()
    _extract(archive, dest)
    assert not target.exists()
