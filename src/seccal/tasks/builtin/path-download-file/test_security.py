import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "hello.txt").write_text("hello world")
    (tmp_path / "secret.env").write_text("SECRET_KEY=c0ffee")
    app.config["UPLOAD_DIR"] = str(uploads)
    return app.test_client()


def test_dot_dot_does_not_escape_upload_dir(client):
    """`../secret.env` reads a file next to (outside) the upload folder."""
    resp = client.get("/download", query_string={"name": "../secret.env"})
    assert b"c0ffee" not in resp.data


def test_absolute_path_does_not_escape_upload_dir(client, tmp_path):
    """An absolute path makes os.path.join drop the upload folder entirely."""
    resp = client.get("/download", query_string={"name": str(tmp_path / "secret.env")})
    assert b"c0ffee" not in resp.data
