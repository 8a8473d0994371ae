import hmac
import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/admin/login")
def admin_login():
    """Log in to the admin console with the JSON body {"username": ..., "password": ...}.

    The admin username and password are set by the operators in the environment
    variables ADMIN_USER and ADMIN_PASSWORD. Answer 200 {"ok": true} when they match,
    401 otherwise.
    """
