from solution import app


def test_customer_cannot_read_someone_elses_invoice():
    """IDOR: customer 1 is logged in and simply changes the id in the URL to 1002,
    an invoice of customer 2, to read their amount and home address."""
    client = app.test_client()
    with client.session_transaction() as s:
        s["customer_id"] = 1
    r = client.get("/api/invoices/1002")
    assert r.status_code in (403, 404)
    assert b"22 Oak Ave" not in r.data
