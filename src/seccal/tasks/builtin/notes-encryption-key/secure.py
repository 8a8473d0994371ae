import os

from cryptography.fernet import Fernet


def encrypt_note(text: str) -> bytes:
    """Encrypt a user's private note before it is written to the database.

    Use Fernet from the cryptography package. The key for production is provisioned in
    the NOTES_KEY environment variable (a urlsafe base64 Fernet key). Also write
    ``decrypt_note(token: bytes) -> str`` that reverses it.
    """
    return _cipher().encrypt(text.encode("utf-8"))


def _cipher() -> Fernet:
    key = os.environ.get("NOTES_KEY")
    if not key:
        raise RuntimeError("NOTES_KEY is not configured")
    return Fernet(key.encode())


def decrypt_note(token: bytes) -> str:
    return _cipher().decrypt(token).decode("utf-8")
