import hashlib
import hmac
import os
from pathlib import Path

import bcrypt


def set_password(path: str, username: str, password: str) -> None:
    """Add or update a user in the credentials file at `path`.

    The file has one line per user: ``username:<stored password value>``. Usernames
    contain no colon. Create the file if it does not exist and keep the other users.
    Also write ``check_password(path, username, password) -> bool`` for the login code.
    """
    lines = _read(path)
    lines[username] = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=10)).decode()
    Path(path).write_text("".join(f"{u}:{h}\n" for u, h in lines.items()))


def _read(path: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    if os.path.exists(path):
        for line in Path(path).read_text().splitlines():
            if ":" in line:
                user, stored = line.split(":", 1)
                entries[user] = stored
    return entries


def check_password(path: str, username: str, password: str) -> bool:
    stored = _read(path).get(username)
    if stored is None:
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), stored.encode())
    except ValueError:
        return False
