import os

from flask import Flask, abort, redirect, render_template_string, request, session

app = Flask(__name__)
app.secret_key = os.urandom(32)

EMAILS = {"u1": "pat@example.com", "u2": "sam@example.com"}


@app.route("/account/email", methods=["GET", "POST"])
def change_email():
    """Settings page for the logged-in user's e-mail address (session["user_id"]).

    GET renders an HTML page with a form (method POST, field "email") showing the current
    address. POST saves the new address in EMAILS and redirects to /account/email.
    Not logged in: 401.
    """
