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
    user_id = session.get("user_id")
    if user_id not in EMAILS:
        abort(401)
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        if "@" not in email:
            abort(400)
        EMAILS[user_id] = email
        return redirect("/account/email")
    return render_template_string(
        """<!doctype html><title>E-mail</title>
        <p>Current address: {{ email }}</p>
        <form method="post" action="/account/email">
          <input type="email" name="email" value="{{ email }}">
          <button type="submit">Save</button>
        </form>""",
        email=EMAILS[user_id],
    )
