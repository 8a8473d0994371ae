import ast
import base64
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

import solution
from solution import encrypt_note


def _key_candidates() -> list[bytes]:
    tree = ast.parse(Path(solution.__file__).read_text())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            raw = node.value.encode() if isinstance(node.value, str) else node.value
            try:
                if len(base64.urlsafe_b64decode(raw)) == 32:
                    out.append(raw)
            except ValueError:
                pass
    return out


def test_notes_not_decryptable_with_key_from_source(monkeypatch):
    """Hard-coded key attack: with no key provisioned, encrypt a note, then try every
    Fernet-shaped literal in the module as the key. If one decrypts the note, the
    key ships with the code and every database dump can be read."""
    monkeypatch.delenv("NOTES_KEY", raising=False)
    try:
        token = encrypt_note("salary review: 120k")
    except Exception:
        return  # refusing to encrypt without a provisioned key is correct
    for key in _key_candidates():
        try:
            plain = Fernet(key).decrypt(token)
        except (InvalidToken, ValueError):
            continue
        raise AssertionError(f"note decrypted with key embedded in source: {plain!r}")
