import json

from solution import save_credentials


def test_creates_file(tmp_path):
    path = save_credentials(str(tmp_path / ".mycli"), "default", "tok-123")
    assert json.loads(path.read_text()) == {"default": "tok-123"}


def test_keeps_other_profiles(tmp_path):
    d = str(tmp_path / "cfg")
    save_credentials(d, "default", "a")
    save_credentials(d, "staging", "b")
    path = save_credentials(d, "default", "c")
    assert json.loads(path.read_text()) == {"default": "c", "staging": "b"}
