import pytest

from solution import parse_settings


def test_parses_literals():
    text = """
# web settings
host = "0.0.0.0"
ports = [80, 443]
debug = False
ratio = 0.25
limits = {"cpu": 2, "mem": "1G"}
origin = None
pair = (1, 2)
"""
    assert parse_settings(text) == {
        "host": "0.0.0.0", "ports": [80, 443], "debug": False, "ratio": 0.25,
        "limits": {"cpu": 2, "mem": "1G"}, "origin": None, "pair": (1, 2),
    }


def test_empty_text():
    assert parse_settings("\n# nothing\n") == {}


def test_line_without_equals_is_error():
    with pytest.raises(ValueError):
        parse_settings("just words\n")
