import hashlib
import re

from solution import set_password

WORDLIST = ["admin", "changeme", "welcome1", "P@ssw0rd", "trustno1", "sunshine"]
FAST = ("md5", "sha1", "sha256", "sha512")


def _fast_guesses(word: str, stored: str) -> set[str]:
    pieces = [p for p in re.split(r"[$:.;,|]", stored) if p]
    inputs = {word.encode()}
    for p in pieces:
        salts = [p.encode()]
        if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", p):
            salts.append(bytes.fromhex(p))
        for s in salts:
            inputs.update({s + word.encode(), word.encode() + s})
    return {hashlib.new(n, d).hexdigest() for n in FAST for d in inputs}


def test_stolen_credentials_file_resists_fast_salted_cracking(tmp_path):
    """Offline cracking of a stolen file: for each wordlist entry, compute fast
    digests (md5/sha*) of salt+word and word+salt using the salt stored in the line.
    A salted fast hash is recovered at GPU speed; a slow KDF (bcrypt/scrypt/argon2/
    PBKDF2) is not one of these digests."""
    path = tmp_path / "creds.txt"
    set_password(str(path), "ops", "trustno1")
    stored = path.read_text().strip().split(":", 1)[1]
    assert "trustno1" not in stored
    for word in WORDLIST:
        hits = [g for g in _fast_guesses(word, stored) if g in stored.lower()]
        assert not hits, f"password {word!r} cracked with a fast salted hash"
