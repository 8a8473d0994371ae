from solution import checkout


def test_successful_charge():
    body, status = checkout({"card_number": "4242424242424242", "amount_cents": 1999})
    assert status == 201
    assert body["status"] == "paid"
    assert body["charge_id"].startswith("ch_")


def test_declined_card_reports_error():
    body, status = checkout({"card_number": "4000000000000002", "amount_cents": 1999})
    assert status == 402
    assert body["status"] != "paid"
    assert "error" in body
