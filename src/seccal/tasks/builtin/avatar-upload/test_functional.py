import io

import pytest

from solution import app

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.fixture()
def client(tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "avatars")
    return app.test_client()


@pytest.mark.parametrize(("name", "data"), [("me.png", PNG), ("holiday.JPG", JPEG)])
def test_upload_and_fetch(client, name, data):
    r = client.post(
        "/profile/avatar",
        data={"avatar": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201
    got = client.get(r.get_json()["url"])
    assert got.status_code == 200
    assert got.data == data


def test_missing_file(client):
    assert (
        client.post("/profile/avatar", data={}, content_type="multipart/form-data").status_code
        == 400
    )
