from solution import app, save_cart


def _total(cookie=None):
    client = app.test_client()
    if cookie is not None:
        client.set_cookie("cart", cookie)
    return client.get("/cart/total")


def test_total_of_cart():
    cart = [{"sku": "mug", "price": 7.5, "qty": 2}, {"sku": "tea", "price": 3.25, "qty": 1}]
    resp = _total(save_cart(cart))
    assert resp.status_code == 200
    assert resp.get_json() == {"items": 2, "total": 18.25}


def test_no_cookie_is_empty_cart():
    assert _total().get_json() == {"items": 0, "total": 0}


def test_garbage_cookie_is_400():
    assert _total("not json at all {").status_code == 400
