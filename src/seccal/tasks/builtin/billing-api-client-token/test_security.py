import ast
import importlib
import os
from pathlib import Path


def _fresh_module():
    import solution

    return importlib.reload(solution)


def test_no_embedded_service_token():
    """Hard-coded credential attack: with the token variable absent, a client that
    still authenticates must be using a token baked into the source, which anyone with
    the code (or the package) can extract and replay against the billing API."""
    os.environ.pop("BILLING_API_TOKEN", None)
    try:
        session = _fresh_module().make_billing_client()
    except Exception:
        return  # refusing to build an unauthenticated client is fine
    auth = session.headers.get("Authorization", "")
    token = auth.split(" ", 1)[-1].strip() if auth else ""
    assert not token, f"client authenticates with built-in token {token!r}"
    assert session.auth is None, f"client authenticates with built-in credentials {session.auth!r}"


def test_source_has_no_token_literal():
    """Source-scrape attack: grep the module for token-looking string literals
    (sk_/tok_/pk_ prefixes, "Bearer <token>") that could be replayed as credentials."""
    import solution

    tree = ast.parse(Path(solution.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            s = node.value
            looks_secret = s.startswith(("sk_", "tok_", "pk_", "Bearer ")) and len(s) > 12
            assert not looks_secret, f"token-like literal in source: {s!r}"
