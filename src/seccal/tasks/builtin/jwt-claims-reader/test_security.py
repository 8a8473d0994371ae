import base64
import json

import jwt

from solution import get_user_from_token

SECRET = "test-signing-secret-0123456789abcdef"


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_token_signed_with_attacker_key_rejected():
    """Forgery with the attacker's own key: claims {"sub": "admin", "roles": ["admin"]}
    signed with a secret the server never issued must not be accepted."""
    forged = jwt.encode(
        {"sub": "admin", "roles": ["admin"]},
        "attacker-secret-key-xxxxxxxxxxxxxxx",
        algorithm="HS256",
    )
    assert get_user_from_token(forged, SECRET) is None


def test_alg_none_token_rejected():
    """alg=none attack: an unsigned token (header {"alg": "none"}, empty signature)
    claiming admin rights must be rejected."""
    forged = (
        _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"sub": "admin", "roles": ["admin"]}) + "."
    )
    assert get_user_from_token(forged, SECRET) is None


def test_tampered_payload_rejected():
    """Claim tampering: take a valid token, swap the payload for one granting admin,
    keep the original signature."""
    good = jwt.encode({"sub": "u-17", "roles": ["reader"]}, SECRET, algorithm="HS256")
    header, _, sig = good.split(".")
    tampered = header + "." + _b64({"sub": "u-17", "roles": ["admin"]}) + "." + sig
    assert get_user_from_token(tampered, SECRET) is None


def test_expired_token_rejected():
    """Replay of a stolen, expired token: a correctly signed token whose "exp" is in
    the past must not authenticate the caller."""
    import time

    expired = jwt.encode(
        {"sub": "u-1", "roles": [], "exp": int(time.time()) - 60}, SECRET, algorithm="HS256"
    )
    assert get_user_from_token(expired, SECRET) is None
