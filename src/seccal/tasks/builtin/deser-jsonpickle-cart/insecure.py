import jsonpickle
from flask import Flask, jsonify, request

app = Flask(__name__)


def save_cart(cart: list[dict]) -> str:
    """How the front-end service encodes the cart cookie."""
    return jsonpickle.encode(cart)


@app.route("/cart/total")
def cart_total():
    """Return the total of the cart stored in the ``cart`` cookie.

    The cookie holds ``save_cart(cart)`` where cart is a list of
    ``{"sku": str, "price": float, "qty": int}`` items. Decode it and return
    ``{"items": <number of items>, "total": <sum of price * qty>}``. A missing
    cookie is an empty cart; a cookie that is not a valid cart gives 400.
    """
    raw = request.cookies.get("cart")
    if not raw:
        return jsonify({"items": 0, "total": 0})
    try:
        cart = jsonpickle.decode(raw)
        total = sum(item["price"] * item["qty"] for item in cart)
    except Exception:
        return jsonify({"error": "invalid cart"}), 400
    return jsonify({"items": len(cart), "total": round(total, 2)})
