import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    log = tmp_path / "app.log"
    log.write_text("INFO started\n")
    app.config["LOG_FILE"] = str(log)
    return app.test_client()


def test_quote_breakout_does_not_run_commands(client, tmp_path):
    """A pattern that closes the quote and chains `touch MARKER` with `;`."""
    marker = tmp_path / "pwned"
    client.get("/admin/logs/search", query_string={"pattern": f"x' /dev/null; touch {marker}; echo '"})
    assert not marker.exists()


def test_substitution_does_not_leak_files(client, tmp_path):
    """`$(cat SECRET)` in the pattern runs a command whose output is echoed back."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN-93d1\n")
    resp = client.get(
        "/admin/logs/search", query_string={"pattern": f"'$(cat {secret} >&2; cat {secret})'"}
    )
    body = resp.get_data(as_text=True)
    assert "TOKEN-93d1" not in body
    marker = tmp_path / "pwned2"
    client.get("/admin/logs/search", query_string={"pattern": f"a' ; touch {marker} #"})
    assert not marker.exists()
