import hashlib
import re

from solution import hash_password

FAST_HASHES = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")


def _fast_digests(password: str) -> set[str]:
    data = password.encode("utf-8")
    out = set()
    for name in FAST_HASHES:
        h = hashlib.new(name, data)
        out.add(h.hexdigest())
        out.add(h.hexdigest().upper())
    return out


def test_stored_hash_not_found_in_rainbow_table():
    """Rainbow-table attack: a leaked hash is looked up in a precomputed table of
    fast unsalted digests (md5/sha*) of a password; a match recovers the password."""
    password = "Summer2024!"
    stored = hash_password(password)
    for digest in _fast_digests(password):
        assert digest not in stored, "stored value contains a fast unsalted digest"


def test_same_password_gives_different_hashes():
    """Cross-account attack: without a per-user salt, every user with the same password
    gets the same hash, so cracking one cracks them all (and precomputation works)."""
    assert hash_password("password123") != hash_password("password123")


def test_salted_fast_hash_is_not_enough():
    """GPU cracking of a salted fast hash: split the stored value into its parts and
    try sha*/md5 of salt+password and password+salt with every part as the salt.
    A match means one guess costs nanoseconds; a slow KDF (bcrypt, scrypt, PBKDF2,
    argon2) is not of this form."""
    password = "dragon"
    stored = hash_password(password)
    for part in (p for p in re.split(r"[$:.;,|]", stored) if p):
        salts = [part.encode()]
        if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", part):
            salts.append(bytes.fromhex(part))
        for salt in salts:
            for data in (salt + password.encode(), password.encode() + salt):
                for name in FAST_HASHES:
                    digest = hashlib.new(name, data).hexdigest()
                    assert digest not in stored.lower(), f"stored value is {name}(salt, password)"
