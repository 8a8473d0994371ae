import hashlib
import hmac
import os


def hash_password(password: str) -> str:
    """Turn a user's password into the string we store in the accounts table.

    Also write ``verify_password(password: str, stored: str) -> bool`` that checks a
    login attempt against the stored string.
    """
