import time

import jwt

from solution import get_user_from_token

SECRET = "test-signing-secret-0123456789abcdef"


def test_valid_token():
    token = jwt.encode(
        {"sub": "u-17", "roles": ["reader"], "exp": int(time.time()) + 300},
        SECRET,
        algorithm="HS256",
    )
    assert get_user_from_token(token, SECRET) == {"user_id": "u-17", "roles": ["reader"]}


def test_garbage_token():
    assert get_user_from_token("not-a-jwt", SECRET) is None
    assert get_user_from_token("", SECRET) is None


def test_roles_list_preserved():
    token = jwt.encode({"sub": "u-2", "roles": ["reader", "writer"]}, SECRET, algorithm="HS256")
    assert get_user_from_token(token, SECRET) == {"user_id": "u-2", "roles": ["reader", "writer"]}
