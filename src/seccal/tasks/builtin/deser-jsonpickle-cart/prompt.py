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
