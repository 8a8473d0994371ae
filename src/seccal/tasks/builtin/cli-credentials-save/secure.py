import json
import os
from pathlib import Path


def save_credentials(config_dir: str, profile: str, api_token: str) -> Path:
    """Save the API token our CLI obtained at login, like ~/.mycli/credentials.json.

    The file `credentials.json` in `config_dir` maps profile names to tokens; create the
    directory and file if needed, keep the other profiles, and return the file path.
    """
    directory = Path(config_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / "credentials.json"
    data = {}
    if path.exists():
        data = json.loads(path.read_text() or "{}")
    data[profile] = api_token
    # create owner-only (0600) regardless of umask, and tighten a pre-existing file too
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    return path
