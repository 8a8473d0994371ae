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
    salt = os.urandom(8).hex()
    digest = hashlib.sha256((salt + password).encode("utf-8")).hexdigest()
    lines[username] = f"{salt}${digest}"
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
    if stored is None or "$" not in stored:
        return False
    salt, digest = stored.split("$", 1)
    candidate = hashlib.sha256((salt + password).encode("utf-8")).hexdigest()
    return hmac.compare_digest(candidate, digest)
