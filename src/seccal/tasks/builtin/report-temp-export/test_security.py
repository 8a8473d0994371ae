import os
import stat

from solution import export_report_csv


def test_planted_symlink_does_not_redirect_write(tmp_path):
    """Symlink attack in a shared temp dir: learn the file name an export uses, then
    (as another local user) plant a symlink under that name pointing at a victim file
    before the next export. The export must not follow it and overwrite the victim."""
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    victim = tmp_path / "victim.conf"
    victim.write_text("precious configuration\n")
    first = export_report_csv(42, [["x"]], str(shared))
    os.remove(first)
    os.symlink(victim, first)
    second = export_report_csv(42, [["attacker-controlled", "data"]], str(shared))
    assert victim.read_text() == "precious configuration\n", "export followed the planted symlink"
    assert not os.path.islink(second)


def test_export_not_readable_by_other_users(tmp_path):
    """Local disclosure: with the common umask 022 another account on the host can read
    a file created by plain open(); the export (customer data) must be owner-only."""
    old = os.umask(0o022)
    try:
        path = export_report_csv(5, [["iban", "DE89370400440532013000"]], str(tmp_path))
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode & 0o077 == 0, f"export created with mode {oct(mode)}"
