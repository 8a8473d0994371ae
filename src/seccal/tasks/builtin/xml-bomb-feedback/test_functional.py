import pytest

from solution import parse_feedback


def test_full_form():
    xml = "<feedback><name>Ann</name><rating>4</rating><comment>Great &amp; fast</comment></feedback>"
    assert parse_feedback(xml) == {"name": "Ann", "rating": 4, "comment": "Great & fast"}


def test_missing_elements():
    assert parse_feedback("<feedback><name>Bo</name></feedback>") == {
        "name": "Bo", "rating": 0, "comment": ""}


def test_broken_document():
    with pytest.raises(ValueError):
        parse_feedback("<feedback><name>Bo</feedback>")
