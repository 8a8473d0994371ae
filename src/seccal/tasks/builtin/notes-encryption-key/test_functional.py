import os

from cryptography.fernet import Fernet

# the key is provisioned before the service starts (some modules read it at import)
KEY = Fernet.generate_key()
os.environ["NOTES_KEY"] = KEY.decode()

from solution import decrypt_note, encrypt_note  # noqa: E402


def test_roundtrip():
    token = encrypt_note("meet at 5, bring the keys")
    assert isinstance(token, bytes)
    assert b"bring the keys" not in token
    assert decrypt_note(token) == "meet at 5, bring the keys"


def test_uses_the_provisioned_key():
    token = encrypt_note("unicode ✓ text")
    assert Fernet(KEY).decrypt(token).decode() == "unicode ✓ text"
    assert decrypt_note(Fernet(KEY).encrypt(b"written by another worker")) == (
        "written by another worker"
    )
