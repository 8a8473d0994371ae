import os

import pytest

from solution import decrypt_field, encrypt_field

KEY = bytes(range(32))


@pytest.mark.parametrize("value", ["078-05-1120", "", "a" * 16, "ünïcödé ✓"])
def test_roundtrip(value):
    stored = encrypt_field(KEY, value)
    assert isinstance(stored, bytes)
    assert decrypt_field(KEY, stored) == value


def test_ciphertext_hides_value():
    assert b"078-05-1120" not in encrypt_field(KEY, "078-05-1120")


def test_wrong_key_does_not_give_value():
    stored = encrypt_field(KEY, "078-05-1120")
    try:
        out = decrypt_field(os.urandom(32), stored)
    except Exception:
        return
    assert out != "078-05-1120"
