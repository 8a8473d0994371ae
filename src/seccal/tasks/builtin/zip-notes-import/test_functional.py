import io
import zipfile

import pytest

from solution import read_notes_archive


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_reads_text_members():
    upload = _zip(
        {
            "todo.txt": b"buy milk\n",
            "work/ideas.txt": "caf\u00e9".encode(),
            "photo.jpg": b"\xff\xd8",
        }
    )
    assert read_notes_archive(upload) == {"todo.txt": "buy milk\n", "work/ideas.txt": "caf\u00e9"}


def test_moderately_large_note_is_fine():
    text = ("lorem ipsum " * 100_000).encode()  # ~1.2 MB
    assert read_notes_archive(_zip({"big.txt": text}))["big.txt"] == text.decode()


def test_not_a_zip():
    with pytest.raises(ValueError):
        read_notes_archive(b"definitely not a zip")
