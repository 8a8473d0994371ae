import hashlib

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
