import io
import tarfile

from solution import restore_backup


def _add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_restores_regular_files(tmp_path):
    archive = tmp_path / "backup.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        _add(tar, "photos/cat.jpg", b"\xff\xd8cat")
        _add(tar, "notes.txt", b"remember")
        link = tarfile.TarInfo("shortcut")
        link.type = tarfile.SYMTYPE
        link.linkname = "notes.txt"
        tar.addfile(link)
    dest = tmp_path / "restore"
    dest.mkdir()
    assert restore_backup(str(archive), str(dest)) == 2
    assert (dest / "photos" / "cat.jpg").read_bytes() == b"\xff\xd8cat"
    assert (dest / "notes.txt").read_text() == "remember"
    assert not (dest / "shortcut").exists()
