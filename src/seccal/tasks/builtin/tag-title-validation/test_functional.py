import pytest

from solution import TAGS, app


@pytest.mark.parametrize("title", ["machine learning", "python 3", "single", "snake_case words"])
def test_valid_titles(title):
    r = app.test_client().post("/api/tags", json={"title": title})
    assert r.status_code == 201
    assert r.get_json()["title"] == title
    assert TAGS[-1] == title


@pytest.mark.parametrize(
    "title", ["", " leading", "trailing ", "two  spaces", "bad-char", "semi;colon"]
)
def test_invalid_titles(title):
    before = len(TAGS)
    r = app.test_client().post("/api/tags", json={"title": title})
    assert r.status_code == 400
    assert len(TAGS) == before
