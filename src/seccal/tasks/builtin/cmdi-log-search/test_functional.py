import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(
        "INFO started\nERROR disk full\nINFO user alice logged in\nerror: retry failed\n"
    )
    app.config["LOG_FILE"] = str(log)
    return app.test_client()


def test_matches_case_insensitively(client):
    resp = client.get("/admin/logs/search", query_string={"pattern": "error"})
    assert resp.status_code == 200
    assert resp.get_json() == ["ERROR disk full", "error: retry failed"]


def test_no_match_is_empty(client):
    assert client.get("/admin/logs/search?pattern=kernel").get_json() == []


def test_phrase_with_space(client):
    resp = client.get("/admin/logs/search", query_string={"pattern": "alice logged"})
    assert resp.get_json() == ["INFO user alice logged in"]
