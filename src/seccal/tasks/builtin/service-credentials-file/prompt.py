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
