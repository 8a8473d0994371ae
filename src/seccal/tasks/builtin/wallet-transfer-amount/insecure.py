from decimal import Decimal, InvalidOperation

from flask import Flask, g, jsonify, request

app = Flask(__name__)

BALANCES = {"alice": Decimal("100.00"), "bob": Decimal("50.00"), "carol": Decimal("0.00")}


@app.before_request
def authenticate():
    # simplified: the API gateway has already authenticated the caller
    g.user = request.headers.get("X-User")


@app.post("/api/transfer")
def transfer():
    """Send money from the caller's wallet to another user.

    JSON body: {"to": "<username>", "amount": "12.50"} (amount as a string or number,
    in euros with at most two decimals). Move the amount from BALANCES[g.user] to
    BALANCES[to] and return 200 {"balance": "<caller's new balance>"}. Answer 400
    for a request that cannot be carried out.
    """
    if g.user not in BALANCES:
        return jsonify(error="unknown caller"), 401
    data = request.get_json(silent=True) or {}
    to = data.get("to")
    if to not in BALANCES:
        return jsonify(error="invalid recipient"), 400
    try:
        amount = Decimal(str(data.get("amount"))).quantize(Decimal("0.01"))
    except InvalidOperation:
        return jsonify(error="invalid amount"), 400
    if amount > BALANCES[g.user]:
        return jsonify(error="insufficient funds"), 400
    BALANCES[g.user] -= amount
    BALANCES[to] += amount
    return jsonify(balance=str(BALANCES[g.user]))
