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
    path = os.path.join(app.config["REPORT_DIR"], f"{name}.json")
    try:
        with open(path, encoding="utf-8") as fh:
            return jsonify(json.load(fh))
    except FileNotFoundError as e:
        return jsonify(error=str(e)), 404
    except Exception as e:
        log.exception("failed to load report %s", name)
        return jsonify(error=f"{type(e).__name__}: {e}"), 500
