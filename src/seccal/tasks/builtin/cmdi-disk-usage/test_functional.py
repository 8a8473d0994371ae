import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    root = tmp_path / "storage"
    (root / "acme" / "docs").mkdir(parents=True)
    (root / "acme" / "docs" / "big.bin").write_bytes(b"x" * 64 * 1024)
    (root / "empty").mkdir()
    app.config["STORAGE_ROOT"] = str(root)
    return app.test_client()


def test_reports_size_in_kib(client):
    resp = client.get("/usage", query_string={"folder": "acme"})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["folder"] == "acme"
    assert isinstance(data["kb"], int) and data["kb"] >= 64


def test_empty_folder_is_small(client):
    data = client.get("/usage?folder=empty").get_json()
    assert 0 <= data["kb"] < 64


def test_missing_folder_is_404(client):
    resp = client.get("/usage?folder=nobody")
    assert resp.status_code == 404
    assert resp.get_json() == {"error": "not found"}
