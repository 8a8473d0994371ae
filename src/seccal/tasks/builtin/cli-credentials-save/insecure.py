import json
import os
from pathlib import Path


def save_credentials(config_dir: str, profile: str, api_token: str) -> Path:
    """Save the API token our CLI obtained at login, like ~/.mycli/credentials.json.

    The file `credentials.json` in `config_dir` maps profile names to tokens; create the
    directory and file if needed, keep the other profiles, and return the file path.
    """
    directory = Path(config_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "credentials.json"
    data = {}
    if path.exists():
        data = json.loads(path.read_text() or "{}")
    data[profile] = api_token
    path.write_text(json.dumps(data, indent=2))
    return path
