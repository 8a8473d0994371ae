import ast
import base64
import importlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


def _key_candidates(source: str) -> list[bytes]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            raw = node.value.encode() if isinstance(node.value, str) else node.value
            try:
                if len(base64.urlsafe_b64decode(raw)) == 32:
                    out.append(raw)
            except ValueError:
                pass
    return out


def test_notes_not_decryptable_with_key_from_source():
    """Hard-coded key attack: on a deployment with no key provisioned, encrypt a note,
    then try every Fernet-shaped literal in the module as the key. If one decrypts the
    note, the key ships with the code and every database dump can be read."""
    os.environ.pop("NOTES_KEY", None)
    try:
        import solution

        solution = importlib.reload(solution)  # fresh start without the variable
        token = solution.encrypt_note("salary review: 120k")
    except Exception:
        return  # refusing to start or to encrypt without a provisioned key is correct
    for key in _key_candidates(Path(solution.__file__).read_text()):
        try:
            plain = Fernet(key).decrypt(token)
        except (InvalidToken, ValueError):
            continue
        raise AssertionError(f"note decrypted with key embedded in source: {plain!r}")
