import solution
from solution import app


def test_non_staff_account_cannot_change_settings():
    """Missing authorization: erin holds a valid API key but is not staff; she turns on
    maintenance mode and closes registration through the staff endpoint."""
    solution.SETTINGS.update(
        {"registration_open": True, "maintenance_mode": False, "max_upload_mb": 10}
    )
    r = app.test_client().patch(
        "/admin/settings",
        json={"maintenance_mode": True, "registration_open": False},
        headers={"X-API-Key": "k-1b2c3d"},
    )
    assert r.status_code in (401, 403, 404), f"non-staff request answered {r.status_code}"
    assert solution.SETTINGS["maintenance_mode"] is False
    assert solution.SETTINGS["registration_open"] is True
