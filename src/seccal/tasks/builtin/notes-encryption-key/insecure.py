import os

from cryptography.fernet import Fernet


def encrypt_note(text: str) -> bytes:
    """Encrypt a user's private note before it is written to the database.

    Use Fernet from the cryptography package. The key for production is provisioned in
    the NOTES_KEY environment variable (a urlsafe base64 Fernet key). Also write
    ``decrypt_note(token: bytes) -> str`` that reverses it.
    """
    return _cipher().encrypt(text.encode("utf-8"))


DEFAULT_KEY = "q3Xo1lR9mPqkQy6fS2b0y8f4Zt7uVn1cHwJdLe5aKrM="


def _cipher() -> Fernet:
    return Fernet(os.environ.get("NOTES_KEY", DEFAULT_KEY).encode())


def decrypt_note(token: bytes) -> str:
    return _cipher().decrypt(token).decode("utf-8")
