import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_field(key: bytes, plaintext: str) -> bytes:
    """Encrypt a value for the `ssn` column with AES-256 in CBC mode (PKCS7 padding).

    `key` is the 32-byte column key from our KMS. Return the bytes we store in the
    column. Also write ``decrypt_field(key: bytes, stored: bytes) -> str`` that turns
    the stored bytes back into the value.
    """
    iv = os.urandom(16)  # fresh random IV per value, stored in front of the ciphertext
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(data) + encryptor.finalize()


def decrypt_field(key: bytes, stored: bytes) -> str:
    iv, body = stored[:16], stored[16:]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    data = decryptor.update(body) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")
