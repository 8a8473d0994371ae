import pytest

import solution
from solution import app

STAFF = {"X-API-Key": "k-7f3a9c"}


@pytest.fixture(autouse=True)
def reset():
    solution.SETTINGS.update(
        {"registration_open": True, "maintenance_mode": False, "max_upload_mb": 10}
    )


def test_staff_changes_setting():
    r = app.test_client().patch("/admin/settings", json={"maintenance_mode": True}, headers=STAFF)
    assert r.status_code == 200
    assert r.get_json()["maintenance_mode"] is True
    assert solution.SETTINGS["maintenance_mode"] is True


def test_unknown_key_and_anonymous():
    client = app.test_client()
    assert client.patch("/admin/settings", json={"debug": True}, headers=STAFF).status_code == 400
    assert client.patch("/admin/settings", json={"maintenance_mode": True}).status_code == 401
    assert solution.SETTINGS["maintenance_mode"] is False
