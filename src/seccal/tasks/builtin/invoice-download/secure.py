import os

from flask import Flask, abort, jsonify, session

app = Flask(__name__)
app.secret_key = os.urandom(32)

INVOICES = {
    1001: {"customer_id": 1, "amount": "120.00", "address": "1 Elm St"},
    1002: {"customer_id": 2, "amount": "89.90", "address": "22 Oak Ave"},
    1003: {"customer_id": 1, "amount": "15.50", "address": "1 Elm St"},
}


@app.get("/api/invoices/<int:invoice_id>")
def get_invoice(invoice_id: int):
    """Customer portal: return one invoice as JSON for the logged-in customer.

    The login view stores the customer's id in session["customer_id"]. Answer 401 if
    not logged in and 404 if there is no such invoice.
    """
    customer_id = session.get("customer_id")
    if customer_id is None:
        return jsonify(error="login required"), 401
    invoice = INVOICES.get(invoice_id)
    # another customer's invoice answers exactly like a missing one, so ids cannot be probed
    if invoice is None or invoice["customer_id"] != customer_id:
        abort(404)
    return jsonify(id=invoice_id, **invoice)
