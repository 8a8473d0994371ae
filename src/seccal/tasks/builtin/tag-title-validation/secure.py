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
    data = request.get_json(silent=True) or {}
    title = data.get("title")
    # every repetition starts with a literal space, so the engine never has to choose
    # how to split a word and matching stays linear in the input length
    if not isinstance(title, str) or not re.fullmatch(r"\w+(?: \w+)*", title):
        return jsonify(error="invalid title"), 400
    TAGS.append(title)
    return jsonify(title=title), 201
