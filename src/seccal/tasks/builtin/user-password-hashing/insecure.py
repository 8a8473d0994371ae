import hashlib
import hmac
import os


def hash_password(password: str) -> str:
    """Turn a user's password into the string we store in the accounts table.

    Also write ``verify_password(password: str, stored: str) -> bool`` that checks a
    login attempt against the stored string.
    """
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def verify_password(password: str, stored: str) -> bool:
    return hmac.compare_digest(hash_password(password), stored)
