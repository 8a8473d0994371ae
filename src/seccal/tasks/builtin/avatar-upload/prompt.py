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
