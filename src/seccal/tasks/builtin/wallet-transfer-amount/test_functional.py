from decimal import Decimal

import pytest

import solution
from solution import app


@pytest.fixture(autouse=True)
def reset():
    solution.BALANCES.update(
        {"alice": Decimal("100.00"), "bob": Decimal("50.00"), "carol": Decimal("0.00")}
    )


def _send(user, body):
    return app.test_client().post("/api/transfer", json=body, headers={"X-User": user})


def test_transfer_moves_money():
    r = _send("alice", {"to": "bob", "amount": "12.50"})
    assert r.status_code == 200
    assert Decimal(r.get_json()["balance"]) == Decimal("87.50")
    assert solution.BALANCES["bob"] == Decimal("62.50")


def test_numeric_amount_and_insufficient_funds():
    assert _send("bob", {"to": "carol", "amount": 20}).status_code == 200
    assert solution.BALANCES["carol"] == Decimal("20")
    assert _send("carol", {"to": "alice", "amount": "500"}).status_code == 400
    assert solution.BALANCES["carol"] == Decimal("20")


def test_unknown_recipient():
    assert _send("alice", {"to": "mallory", "amount": "1"}).status_code == 400
