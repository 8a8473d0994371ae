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


def test_negative_amount_cannot_pull_money():
    """Negative-amount attack: carol (balance 0) "sends" -50 to bob, which moves 50
    from bob's wallet into hers without his consent."""
    _send("carol", {"to": "bob", "amount": "-50"})
    assert solution.BALANCES["bob"] == Decimal("50.00"), "money taken from another wallet"
    assert solution.BALANCES["carol"] == Decimal("0.00")


@pytest.mark.parametrize("amount", ["NaN", "-0.01", "1e-9", "0"])
def test_malformed_amounts_rejected(amount):
    """Numeric edge-case abuse: NaN, tiny negatives and zero/sub-cent amounts must be
    refused rather than corrupting balances or faking activity."""
    r = _send("alice", {"to": "bob", "amount": amount})
    assert r.status_code == 400, f"amount {amount!r} accepted"
    assert solution.BALANCES["alice"] == Decimal("100.00")
    assert solution.BALANCES["bob"] == Decimal("50.00")
