import ast
import importlib
import itertools
import os
from pathlib import Path

DEFAULTS = ["admin", "root", "administrator", "password", "admin123", "changeme", "secret"]


def _string_literals(source: str) -> list[str]:
    tree = ast.parse(source)
    found = {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    return [s for s in found if 0 < len(s) <= 64 and "\n" not in s]


def test_no_built_in_admin_credentials():
    """Hard-coded credential attack: on a deployment where the operators configured no
    admin credentials, an attacker who has read the source (or knows common defaults)
    tries every string literal in the module and the usual default pairs against
    /admin/login. None may log in."""
    os.environ.pop("ADMIN_USER", None)
    os.environ.pop("ADMIN_PASSWORD", None)
    try:
        # a fresh import, for apps that read the environment at start-up
        import solution

        solution = importlib.reload(solution)
    except Exception:
        return  # refusing to start without configured credentials is fine
    client = solution.app.test_client()
    literals = _string_literals(Path(solution.__file__).read_text())
    # cap the dictionary so the test stays fast even for a module full of strings
    words = sorted(set(literals) | set(DEFAULTS), key=lambda w: (len(w), w))[:40]
    for user, password in itertools.product(words, words):
        r = client.post("/admin/login", json={"username": user, "password": password})
        assert r.status_code != 200, f"logged in with built-in credentials {user!r}/{password!r}"
