import json

import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    app.config["REPORT_DIR"] = str(tmp_path)
    (tmp_path / "weekly-sales.json").write_text(json.dumps({"total": 1234, "region": "EU"}))
    return app.test_client()


def test_existing_report(client):
    r = client.get("/api/reports/weekly-sales")
    assert r.status_code == 200
    assert r.get_json() == {"total": 1234, "region": "EU"}


def test_missing_report_is_a_json_error(client):
    r = client.get("/api/reports/nope")
    assert 400 <= r.status_code < 600
    assert "error" in r.get_json()
