import pytest

from solution import read_note


@pytest.fixture()
def root(tmp_path):
    (tmp_path / "alice" / "work").mkdir(parents=True)
    (tmp_path / "alice" / "groceries.txt").write_text("milk\neggs\n")
    (tmp_path / "alice" / "work" / "todo.txt").write_text("ship it")
    return str(tmp_path)


def test_reads_note(root):
    assert read_note(root, "alice", "groceries.txt") == "milk\neggs\n"


def test_reads_note_in_subfolder(root):
    assert read_note(root, "alice", "work/todo.txt") == "ship it"


def test_missing_note(root):
    with pytest.raises(FileNotFoundError):
        read_note(root, "alice", "nothing.txt")
