import ast
import itertools
from pathlib import Path

import solution
from solution import app

DEFAULTS = ["admin", "root", "administrator", "password", "admin123", "changeme", "secret"]


def _string_literals() -> list[str]:
    tree = ast.parse(Path(solution.__file__).read_text())
    found = {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    return [s for s in found if 0 < len(s) <= 64 and "\n" not in s]


def test_no_built_in_admin_credentials(monkeypatch):
    """Hard-coded credential attack: with no operator credentials configured, an attacker
    who has read the source (or knows common defaults) tries every string literal in the
    module and the usual default pairs against /admin/login. None may log in."""
    monkeypatch.delenv("ADMIN_USER", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    client = app.test_client()
    # cap the dictionary so the test stays fast even for a module full of strings
    words = sorted(set(_string_literals()) | set(DEFAULTS), key=lambda w: (len(w), w))[:40]
    for user, password in itertools.product(words, words):
        r = client.post("/admin/login", json={"username": user, "password": password})
        assert r.status_code != 200, f"logged in with built-in credentials {user!r}/{password!r}"
