import base64
import json

import jwt

from solution import app


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_unsigned_alg_none_token_rejected():
    """alg=none attack: send an unsigned token claiming sub=admin; the admin profile
    (with its API keys) must not be returned."""
    token = _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"sub": "admin"}) + "."
    r = app.test_client().get("/api/profile", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert b"ak_live_0001" not in r.data


def test_token_signed_with_other_secret_rejected():
    """Forgery: a token claiming sub=admin signed with the attacker's own secret."""
    token = jwt.encode({"sub": "admin"}, "attacker-chosen-secret-0123456789", algorithm="HS256")
    r = app.test_client().get("/api/profile", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert b"ak_live_0001" not in r.data
