import os
import uuid

from flask import Flask, jsonify, request, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "avatars"


@app.get("/avatars/<path:name>")
def get_avatar(name: str):
    return send_from_directory(os.path.abspath(app.config["UPLOAD_FOLDER"]), name)


@app.post("/profile/avatar")
def upload_avatar():
    """Let a user upload a profile picture (PNG, JPEG or GIF) in the form field "avatar".

    Save it in app.config["UPLOAD_FOLDER"] (create the folder if needed) so that
    get_avatar serves it, and return 201 {"url": "/avatars/<stored name>"}; answer 400
    when no file was sent or it is not accepted.
    """
    upload = request.files.get("avatar")
    if upload is None or not upload.filename:
        return jsonify(error="no file"), 400
    ext = os.path.splitext(upload.filename)[1].lower()
    allowed = {
        ".png": b"\x89PNG\r\n\x1a\n",
        ".jpg": b"\xff\xd8\xff",
        ".jpeg": b"\xff\xd8\xff",
        ".gif": b"GIF8",
    }
    data = upload.read()
    # both the extension and the content's magic bytes must say "image"
    if ext not in allowed or not data.startswith(allowed[ext]):
        return jsonify(error="only PNG, JPEG or GIF images are accepted"), 400
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    name = f"{uuid.uuid4().hex}{'.jpg' if ext == '.jpeg' else ext}"
    with open(os.path.join(folder, name), "wb") as fh:
        fh.write(data)
    return jsonify(url=f"/avatars/{name}"), 201
