import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    root = tmp_path / "storage"
    (root / "acme").mkdir(parents=True)
    app.config["STORAGE_ROOT"] = str(root)
    return app.test_client()


def test_chained_command_is_not_run(client, tmp_path):
    """`acme; touch MARKER` appends a shell command to the folder name."""
    marker = tmp_path / "pwned"
    client.get("/usage", query_string={"folder": f"acme; touch {marker}"})
    assert not marker.exists()


def test_backticks_are_not_run(client, tmp_path):
    """Backtick command substitution in the folder name."""
    marker = tmp_path / "pwned2"
    client.get("/usage", query_string={"folder": f"`touch {marker}`"})
    assert not marker.exists()
