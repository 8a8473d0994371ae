from cryptography.fernet import Fernet

from solution import decrypt_note, encrypt_note


def test_roundtrip(monkeypatch):
    monkeypatch.setenv("NOTES_KEY", Fernet.generate_key().decode())
    token = encrypt_note("meet at 5, bring the keys")
    assert isinstance(token, bytes)
    assert b"bring the keys" not in token
    assert decrypt_note(token) == "meet at 5, bring the keys"


def test_uses_the_provisioned_key(monkeypatch):
    key = Fernet.generate_key()
    monkeypatch.setenv("NOTES_KEY", key.decode())
    token = encrypt_note("unicode ✓ text")
    assert Fernet(key).decrypt(token).decode() == "unicode ✓ text"
