import hashlib
import re
import sqlite3

from solution import app

WORDLIST = ["123456", "password", "letmein", "qwerty", "dragon", "monkey42", "iloveyou"]
FAST = ("md5", "sha1", "sha256", "sha512")


def _candidates(word: str, stored: str) -> set[str]:
    # fast digests of the word, alone and combined with any hex/alnum token found in the
    # stored value (a salt stored next to a fast hash is no protection against a GPU)
    tokens = {t for t in re.split(r"[$:.;,|]", stored) if t}
    inputs = {word.encode()}
    for t in tokens:
        for s in (t.encode(), bytes.fromhex(t) if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", t) else b""):
            if s:
                inputs.add(s + word.encode())
                inputs.add(word.encode() + s)
    return {hashlib.new(name, data).hexdigest() for name in FAST for data in inputs}


def test_leaked_database_resists_dictionary_attack(tmp_path):
    """Offline cracking: dump the users table, then try a wordlist through fast
    hashes (md5/sha1/sha256/sha512, with and without the stored salt) and compare."""
    app.config["DATABASE"] = str(tmp_path / "users.db")
    client = app.test_client()
    assert (
        client.post("/signup", json={"username": "victim", "password": "monkey42"}).status_code
        == 201
    )
    (stored,) = (
        sqlite3.connect(app.config["DATABASE"])
        .execute("SELECT password_hash FROM users WHERE username = 'victim'")
        .fetchone()
    )
    assert "monkey42" not in stored, "password stored in clear"
    for word in WORDLIST:
        cracked = [c for c in _candidates(word, stored) if c.lower() in stored.lower()]
        assert not cracked, f"password {word!r} recovered with a fast hash"


def test_identical_passwords_have_different_hashes(tmp_path):
    """Hash-equality attack: users sharing a password share a hash when it is unsalted."""
    app.config["DATABASE"] = str(tmp_path / "users.db")
    client = app.test_client()
    client.post("/signup", json={"username": "u1", "password": "letmein"})
    client.post("/signup", json={"username": "u2", "password": "letmein"})
    rows = (
        sqlite3.connect(app.config["DATABASE"])
        .execute("SELECT password_hash FROM users")
        .fetchall()
    )
    assert rows[0][0] != rows[1][0]
