import os
import stat

from solution import save_credentials


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_token_file_not_readable_by_other_users(tmp_path):
    """Local credential theft: on a shared machine (umask 022) another user runs
    `cat ~victim/.mycli/credentials.json`; the token file must be owner-only."""
    old = os.umask(0o022)
    try:
        path = save_credentials(str(tmp_path / ".mycli"), "default", "tok-secret")
    finally:
        os.umask(old)
    assert _mode(path) & 0o077 == 0, f"credentials file mode {oct(_mode(path))}"


def test_existing_world_readable_file_is_tightened(tmp_path):
    """Stale permissions: an older version left credentials.json world-readable (0644);
    saving a new token into it must not keep exposing it to other users."""
    d = tmp_path / ".mycli"
    d.mkdir()
    (d / "credentials.json").write_text("{}")
    os.chmod(d / "credentials.json", 0o644)
    path = save_credentials(str(d), "default", "tok-new")
    assert _mode(path) & 0o077 == 0, f"credentials file mode {oct(_mode(path))}"
