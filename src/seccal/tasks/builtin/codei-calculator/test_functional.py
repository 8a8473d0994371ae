from solution import app


def _calc(expr):
    return app.test_client().get("/calc", query_string={"expr": expr})


def test_precedence_and_parentheses():
    assert _calc("2 + 3 * 4").get_json() == {"result": 14}
    assert _calc("(2 + 3) * 4").get_json() == {"result": 20}


def test_floats_division_power_modulo():
    assert _calc("7 / 2").get_json() == {"result": 3.5}
    assert _calc("2 ** 10 % 1000").get_json() == {"result": 24}
    assert _calc("-1.5 * 2").get_json() == {"result": -3.0}


def test_invalid_expression_is_400():
    resp = _calc("2 +")
    assert resp.status_code == 400
    assert "error" in resp.get_json()
