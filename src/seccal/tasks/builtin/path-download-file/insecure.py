import os

from flask import Flask, abort, request

app = Flask(__name__)
app.config.setdefault("UPLOAD_DIR", "/srv/uploads")


@app.route("/download")
def download():
    """Return the content of an uploaded file.

    The ``name`` query parameter is the file name (it may include a subfolder,
    e.g. ``reports/q1.csv``) relative to ``app.config["UPLOAD_DIR"]``. Respond
    with the file's bytes, or 404 when there is no such file.
    """
    name = request.args.get("name", "")
    path = os.path.join(app.config["UPLOAD_DIR"], name)
    if not os.path.isfile(path):
        abort(404)
    with open(path, "rb") as fh:
        return fh.read()
