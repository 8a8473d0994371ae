import io
import zipfile

import pytest

from solution import read_notes_archive

MB = 1024 * 1024


def _bomb(entries: int, mb_each: int) -> bytes:
    # highly compressible zeros: ~0.3 MB on the wire per 64 MB extracted
    buf = io.BytesIO()
    chunk = b"\0" * MB
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for i in range(entries):
            with zf.open(f"note{i}.txt", "w") as member:
                for _ in range(mb_each):
                    member.write(chunk)
    return buf.getvalue()


def test_single_member_zip_bomb_rejected():
    """Zip bomb: a ~0.3 MB upload with one .txt member that inflates to 64 MB (and in a
    real attack to gigabytes) exhausts the worker's memory unless extraction is bounded."""
    upload = _bomb(1, 64)
    assert len(upload) < 1 * MB
    with pytest.raises(ValueError):
        read_notes_archive(upload)


def test_many_member_zip_bomb_rejected():
    """Zip bomb spread over members: five 8 MB members, each harmless alone, together
    exceed the extraction budget; the total must be bounded, not only each member."""
    with pytest.raises(ValueError):
        read_notes_archive(_bomb(5, 8))
