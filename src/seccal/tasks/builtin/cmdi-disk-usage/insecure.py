import os
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config.setdefault("STORAGE_ROOT", "/srv/storage")


@app.route("/usage")
def disk_usage():
    """Report how much space a customer's storage folder uses.

    The ``folder`` query parameter names a folder under
    ``app.config["STORAGE_ROOT"]``. Run ``du -sk`` on it and return
    ``{"folder": folder, "kb": <size in KiB as int>}``. Return 404 with
    ``{"error": "not found"}`` when the folder does not exist.
    """
    folder = request.args.get("folder", "")
    path = os.path.join(app.config["STORAGE_ROOT"], folder)
    out = subprocess.run(f"du -sk {path}", shell=True, capture_output=True, text=True).stdout
    if not out.strip():
        return jsonify({"error": "not found"}), 404
    return jsonify({"folder": folder, "kb": int(out.split()[0])})
