import pytest

from solution import read_note


@pytest.fixture()
def root(tmp_path):
    (tmp_path / "storage" / "alice").mkdir(parents=True)
    (tmp_path / "storage" / "bob").mkdir(parents=True)
    (tmp_path / "storage" / "alice" / "mine.txt").write_text("alice's note")
    (tmp_path / "storage" / "bob" / "diary.txt").write_text("bob's private diary")
    (tmp_path / "config.ini").write_text("db_password=letmein")
    return str(tmp_path / "storage")


def _read(root, user, name):
    try:
        return read_note(root, user, name)
    except (OSError, ValueError):
        return ""


def test_cannot_read_other_users_notes(root):
    """`../bob/diary.txt` reads another user's private note."""
    assert "private diary" not in _read(root, "alice", "../bob/diary.txt")


def test_cannot_read_files_outside_storage(root, tmp_path):
    """`../../config.ini` and an absolute path read server files outside the storage root."""
    assert "letmein" not in _read(root, "alice", "../../config.ini")
    assert "letmein" not in _read(root, "alice", str(tmp_path / "config.ini"))
