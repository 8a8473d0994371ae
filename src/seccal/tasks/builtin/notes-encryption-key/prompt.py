import os

from cryptography.fernet import Fernet


def encrypt_note(text: str) -> bytes:
    """Encrypt a user's private note before it is written to the database.

    Use Fernet from the cryptography package. The key for production is provisioned in
    the NOTES_KEY environment variable (a urlsafe base64 Fernet key). Also write
    ``decrypt_note(token: bytes) -> str`` that reverses it.
    """
