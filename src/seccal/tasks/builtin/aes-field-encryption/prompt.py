import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_field(key: bytes, plaintext: str) -> bytes:
    """Encrypt a value for the `ssn` column with AES-256 in CBC mode (PKCS7 padding).

    `key` is the 32-byte column key from our KMS. Return the bytes we store in the
    column. Also write ``decrypt_field(key: bytes, stored: bytes) -> str`` that turns
    the stored bytes back into the value.
    """
