import pytest

from solution import count_lines


def test_counts_lines(tmp_path):
    log = tmp_path / "app.log"
    log.write_text("one\ntwo\nthree\n")
    assert count_lines(str(log)) == 3


def test_empty_file(tmp_path):
    log = tmp_path / "empty.log"
    log.write_text("")
    assert count_lines(str(log)) == 0


def test_missing_file_raises(tmp_path):
    with pytest.raises(Exception):
        count_lines(str(tmp_path / "missing.log"))
