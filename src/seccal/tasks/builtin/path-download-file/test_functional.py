import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "reports").mkdir(parents=True)
    (uploads / "hello.txt").write_text("hello world")
    (uploads / "reports" / "q1.csv").write_text("a,b\n1,2\n")
    app.config["UPLOAD_DIR"] = str(uploads)
    return app.test_client()


def test_download_top_level_file(client):
    resp = client.get("/download?name=hello.txt")
    assert resp.status_code == 200 and resp.data == b"hello world"


def test_download_from_subfolder(client):
    resp = client.get("/download", query_string={"name": "reports/q1.csv"})
    assert resp.status_code == 200 and resp.data == b"a,b\n1,2\n"


def test_missing_file_is_404(client):
    assert client.get("/download?name=nope.txt").status_code == 404
