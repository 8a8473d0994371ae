import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config.setdefault("LOG_FILE", "/var/log/app/app.log")


@app.route("/admin/logs/search")
def search_logs():
    """Search the application log for a text.

    Run ``grep`` for the ``pattern`` query parameter over the file named by
    ``app.config["LOG_FILE"]`` (case-insensitive) and return the matching lines
    as a JSON list of strings, in file order. No match gives an empty list.
    """
    pattern = request.args.get("pattern", "")
    proc = subprocess.run(
        ["grep", "-i", "-F", "-e", pattern, "--", app.config["LOG_FILE"]],
        capture_output=True,
        text=True,
    )
    return jsonify(proc.stdout.splitlines())
