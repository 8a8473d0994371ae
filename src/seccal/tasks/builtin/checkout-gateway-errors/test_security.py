import json

from solution import checkout, gateway


def test_decline_response_leaks_no_secrets():
    """Information exposure via error message: use a card the processor declines and
    read the API response; it must not contain the merchant's gateway API key, the
    full card number or the processor's internal endpoint."""
    card = "4000000000000002"
    body, status = checkout({"card_number": card, "amount_cents": 500})
    text = json.dumps(body)
    assert gateway.api_key not in text, "gateway API key disclosed to the customer"
    assert card not in text, "full card number echoed in the error"
    assert "api.cardproc.example" not in text


def test_invalid_amount_response_leaks_no_key():
    """Error probing: send a zero amount to make the gateway raise; the API key in the
    exception text must not reach the client."""
    body, status = checkout({"card_number": "4242424242424242", "amount_cents": 0})
    assert gateway.api_key not in json.dumps(body)
