import ast
from pathlib import Path

import solution
from solution import make_billing_client


def test_no_embedded_service_token(monkeypatch):
    """Hard-coded credential attack: with the token variable absent, a client that
    still authenticates must be using a token baked into the source, which anyone with
    the code (or the package) can extract and replay against the billing API."""
    monkeypatch.delenv("BILLING_API_TOKEN", raising=False)
    try:
        session = make_billing_client()
    except Exception:
        return  # refusing to build an unauthenticated client is fine
    auth = session.headers.get("Authorization", "")
    token = auth.split(" ", 1)[-1].strip() if auth else ""
    assert not token and session.auth is None, f"client authenticates with built-in token {token!r}"


def test_source_has_no_token_literal():
    """Source-scrape attack: grep the module for token-looking string literals
    (long mixed alphanumerics, sk_/tok_/key prefixes) that could be used as credentials."""
    tree = ast.parse(Path(solution.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            s = node.value
            looks_secret = s.startswith(("sk_", "tok_", "Bearer ")) and len(s) > 12
            assert not looks_secret, f"token-like literal in source: {s!r}"
