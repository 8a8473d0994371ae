from solution import app


def _client(customer_id):
    client = app.test_client()
    if customer_id is not None:
        with client.session_transaction() as s:
            s["customer_id"] = customer_id
    return client


def test_own_invoice():
    r = _client(1).get("/api/invoices/1003")
    assert r.status_code == 200
    assert r.get_json()["amount"] == "15.50"


def test_missing_and_anonymous():
    assert _client(1).get("/api/invoices/9999").status_code == 404
    assert _client(None).get("/api/invoices/1001").status_code == 401
