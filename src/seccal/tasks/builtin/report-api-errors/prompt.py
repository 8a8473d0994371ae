import json
import logging
import os

from flask import Flask, jsonify

app = Flask(__name__)
app.config["REPORT_DIR"] = "/srv/analytics/reports"
log = logging.getLogger(__name__)


@app.get("/api/reports/<name>")
def get_report(name: str):
    """Return the saved report ``<REPORT_DIR>/<name>.json`` as JSON.

    Names are letters, digits, "-" and "_". When the report cannot be returned, answer
    with a JSON body {"error": ...} and a suitable status so the dashboard can show a
    message to the user.
    """
