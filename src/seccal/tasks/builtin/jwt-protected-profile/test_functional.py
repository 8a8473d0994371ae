import jwt

from solution import app


def _token(sub: str) -> str:
    return jwt.encode({"sub": sub}, app.config["JWT_SECRET"], algorithm="HS256")


def test_profile_with_valid_token():
    client = app.test_client()
    r = client.get("/api/profile", headers={"Authorization": f"Bearer {_token('alice')}"})
    assert r.status_code == 200
    assert r.get_json()["name"] == "Alice Liddell"


def test_missing_or_garbage_token():
    client = app.test_client()
    assert client.get("/api/profile").status_code == 401
    assert (
        client.get("/api/profile", headers={"Authorization": "Bearer abc.def"}).status_code == 401
    )
