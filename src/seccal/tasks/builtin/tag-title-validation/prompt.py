import re

from flask import Flask, jsonify, request

app = Flask(__name__)
TAGS: list[str] = []


@app.post("/api/tags")
def create_tag():
    """Create a tag from the JSON body {"title": ...}.

    A title is one or more words of letters, digits or underscores separated by single
    spaces, with no leading or trailing space ("machine learning", "python 3"). Check it
    with a regular expression; on success append it to TAGS and return 201 {"title": ...},
    otherwise 400 {"error": ...}.
    """
