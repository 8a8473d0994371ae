import json

from solution import app


def _total(cookie):
    client = app.test_client()
    client.set_cookie("cart", cookie)
    return client.get("/cart/total")


def test_py_reduce_cookie_does_not_run_code(tmp_path):
    """A cookie with a jsonpickle `py/reduce` tag calling exec() to create a marker file."""
    marker = tmp_path / "pwned"
    payload = [{"py/reduce": [{"py/function": "builtins.exec"},
                              {"py/tuple": [f"open({str(marker)!r}, 'w').write('x')"]}]}]
    _total(json.dumps(payload))
    assert not marker.exists()


def test_py_reduce_os_system_does_not_run(tmp_path):
    """`py/reduce` with os.system as the callable."""
    marker = tmp_path / "pwned2"
    payload = {"py/reduce": [{"py/function": "os.system"}, {"py/tuple": [f"touch {marker}"]}]}
    _total(json.dumps(payload))
    assert not marker.exists()
