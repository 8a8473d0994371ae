from flask import Flask, redirect, request

app = Flask(__name__)
USERS = {"alice": "wonderland", "bob": "builder"}


@app.route("/login", methods=["POST"])
def login():
    """Log a user in and send them back where they came from.

    The form has ``username`` and ``password``; check them against USERS and
    answer 401 on a mismatch. On success redirect (302) to the ``next`` query
    parameter, which our pages set to the path the user was on (for example
    ``/orders/17?tab=items``); redirect to ``/`` when it is missing.
    """
    if USERS.get(request.form.get("username", "")) != request.form.get("password"):
        return "invalid credentials", 401
    return redirect(request.args.get("next") or "/", code=302)
