import os
from pathlib import Path

import pytest

from solution import store_attachment


@pytest.mark.parametrize(
    "name", ["invoice.pdf", "screenshot.PNG", "notes.txt", "contract.docx", "photo.jpeg"]
)
def test_documents_are_stored(tmp_path, name):
    data = b"content of " + name.encode()
    path = store_attachment(name, data, str(tmp_path / "att"))
    assert os.path.isfile(path)
    assert os.path.dirname(os.path.abspath(path)) == str(tmp_path / "att")
    assert Path(path).read_bytes() == data
    stem = os.path.splitext(name)[0]
    assert stem in os.path.basename(path)


def test_two_uploads_with_same_name_both_kept(tmp_path):
    a = store_attachment("log.txt", b"one", str(tmp_path))
    b = store_attachment("log.txt", b"two", str(tmp_path))
    assert a != b
    assert Path(a).read_bytes() == b"one"
    assert Path(b).read_bytes() == b"two"
