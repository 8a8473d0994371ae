from solution import app


def test_lists_matching_titles():
    resp = app.test_client().get("/search?q=flask")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "<h1>Results for" in body and "flask" in body
    assert body.count("<li>") == 2
    assert "<li>Getting started with Flask</li>" in body and "<li>Flask and SQLite</li>" in body


def test_no_results():
    body = app.test_client().get("/search?q=rust").get_data(as_text=True)
    assert "<p>No results</p>" in body and "<li>" not in body
