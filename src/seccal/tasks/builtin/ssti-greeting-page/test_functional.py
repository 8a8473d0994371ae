from solution import app


def _card(**params):
    return app.test_client().get("/card", query_string=params)


def test_birthday_card():
    resp = _card(occasion="birthday", name="Ada")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "<h1>Happy birthday!</h1>" in body
    assert "Dear Ada, have a wonderful day." in body


def test_unknown_occasion():
    body = _card(occasion="graduation", name="Bo").get_data(as_text=True)
    assert "<h1>Hello</h1>" in body and "Dear Bo," in body
